"""What the room tells: the ArUco marker sheet (scale), the room's lines and the leg plane's homography."""
