"""Frames to landmarks and silhouette: the MediaPipe landmarker, its model files, the landmark series and its cache."""
