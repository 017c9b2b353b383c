"""Live mode: measure the knee-to-wall test from a camera (or a stand-in video file) in real time."""
