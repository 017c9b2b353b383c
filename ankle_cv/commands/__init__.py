"""One module per CLI command; ankle_cv.cli registers them."""
