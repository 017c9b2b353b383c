"""`ankle-cv batch`: many videos in one command, on this machine's cores or on a Dask cluster."""
