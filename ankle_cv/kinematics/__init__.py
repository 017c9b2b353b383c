"""Landmarks and silhouette to per-frame leg angles: legs, shank, heel, plausibility gates, signal tools."""
