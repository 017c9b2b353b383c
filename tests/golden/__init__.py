"""Golden outputs: result.json and frames.csv of five clips, compared byte for byte (see test_golden.py)."""
