"""The knee-to-wall protocol: stances, reps, rep checks, centimetres, norms and asymmetry."""
