"""Validation against ground truth: per-clip errors and the validate run."""
