"""ankle-cv: the knee-to-wall (weight-bearing lunge) test measured from a camera."""

__version__ = "0.1.0"
