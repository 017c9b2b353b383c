"""Video in, atomic file writes and the one JSON-number rule."""
