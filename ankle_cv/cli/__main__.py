"""`python -m ankle_cv.cli` runs the same command line as the `ankle-cv` script."""

from ankle_cv.cli.app import main

main()
