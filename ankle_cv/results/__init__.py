"""The measurement's result: result.json and frames.csv rows."""
