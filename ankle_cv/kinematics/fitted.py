"""Every constant fitted or measured on data, in one place, each with where it came from.

"Renders" are the rendered knee-to-wall clips (../shared/synthetic: the 16 development clips; the holdout renders
kept outside the repository were used to check, not to fit, unless a comment says otherwise). A change here moves
the numbers: re-run `ankle-cv validate` (docs/validation.md) and regenerate the golden files (tests/golden).
The modules that use a constant import it from here under their own short name.
"""

from __future__ import annotations

# ---------------------------------------- kinematics/shank.py

EDGE_SPAN = (0.30, 0.80)  # mid-shank: oracle drift of the edge's angle is least here (ankle/knee skin deform)
# The shin's front edge leans beyond the knee-ankle joint-centre axis (anterior tibial border vs mechanical
# axis), and a little more the deeper the lunge (the skin folds in front of the ankle and slackens below
# the knee): 3.5 deg + 0.022 deg per degree of inclination, fitted per frame against the true joints of the
# 16 development renders (3.6 deg near upright, 4.2 deg at their peaks; the holdout's bodies, not used for
# the fit, lean more at depth: 0.044 deg per degree). The per-person calibration against MediaPipe's
# near-upright landmarks is noisier (SD 1.2 deg: the landmarks sit off the joint centres), so within
# CALIBRATION_TRUST_DEG of the typical value it moves the offset only a fifth of the way; beyond, the
# person's own value takes over, fully from twice that distance (loose trousers, an unusual leg: the
# population value would be wrong there).
EDGE_OFFSET_PRIOR_DEG = 3.5  # at a vertical shank
EDGE_OFFSET_PER_DEG = 0.022
CALIBRATION_WEIGHT = 0.2
CALIBRATION_TRUST_DEG = 3.0


# ---------------------------------------- kinematics/shank_rotation.py

ROTATION_BAND = (0.35, 0.70)  # of the shank length from the pivot: the outline's rigid stretch
# The ankle joint centre against the rest silhouette and the landmark, per landmark shank length (knee to ankle
# landmark, which reads ~9 % short) or per sole length (back of the heel to the toe tip). Measured on the 17
# development legs' true joints (the 13 held-out legs: 0.212, 0.229, 0.072, the same within their SD).
PIVOT_ABOVE_FLOOR = 0.215  # above the sole's floor contact, per shank (SD 0.011)
PIVOT_AHEAD_OF_HEEL = 0.234  # ahead of the heel's back, per sole (SD 0.031)
LANDMARK_ANKLE_HIGH = 0.077  # MediaPipe's ankle above the joint centre, per shank (SD 0.024)
# The outline's turn from standing reads short of the joint axis's by this share (per-rep least squares on the 37
# development reps, full pipeline; the held-out reps read 2.1 % short). With the true joints as the pivot it still
# reads 0.3 deg short at the peaks: the mid-shin's skin itself shifts a little as the ankle bends.
TURN_GAIN = 1.015


# ---------------------------------------- kinematics/heel.py

DEFAULT_LIFT_RATIO = 0.04  # heel rise / foot length; ~10 mm on a 25 cm foot (trade-off table: kinematics/heel.py)
SILHOUETTE_HEEL_ZONE = (0.05, 0.22)  # rear-foot sole, in fractions of the sole from the back of the heel
SILHOUETTE_FORE_ZONE = (0.72, 0.92)  # forefoot sole (ball to toes), which stays down when the heel lifts
BALL_U = 0.75  # where the sole pivots (the ball) when the heel lifts, as a fraction of the sole
CONTACT_PERCENTILE = 80  # of the rest silhouette's bottom under the sole: where it rests on the floor (see SOLE_CONTACT_NEARER_CM)


# ---------------------------------------- kinematics/heel_edge.py

# Heel rise / foot length read from the image's heel edge that counts as lifted: 5 mm on a 25 cm foot, midway
# between the 2 mm a heel may rise unnoticed and the 8 mm that must be caught. Renders, the 63 reps read from the
# image: heels down <= 0.005, lifts >= 8 mm 0.033-0.078 (every threshold from 0.01 to 0.03 separates them).
DEFAULT_EDGE_LIFT_RATIO = 0.02
# The image-edge zones differ from the silhouette's (0.05-0.22 / 0.72-0.92) as each reading was tuned on its own;
# one shared zone pair would move the numbers, so it is left to an accuracy change (with the golden files).
IMAGE_EDGE_HEEL_ZONE = (0.05, 0.25)  # rear-foot columns, as a fraction of the sole from the back of the heel
IMAGE_EDGE_FORE_ZONE = (0.70, 0.90)  # forefoot columns (stay down when the heel lifts)


# ---------------------------------------- scene/marker.py

# The sole's floor contact nearest the camera (the silhouette's low edge, ankle_cv.protocol.centimetres.sole_px) lies this much
# in front of the leg's plane through the ankle: the outer edge of a near foot, the ball and heel of a far foot
# (its raised arch shows instead of its inner edge). Renders, 30 legs: near 2.8 +- 1.0 cm, far 1.6 +- 1.0 cm.
SOLE_CONTACT_NEARER_CM = {"near": 2.8, "far": 1.6}
SOLE_CONTACT_SD_CM = 1.0
MARKER_FOCAL_PER_LONG_SIDE = 0.7  # focal length / image's long side of a phone's main camera (~70 deg across); renders: 0.6
ROLL_UNCERTAINTY_DEG = 0.3  # the marker's vertical edges (35-40 px) give the vertical to ~0.1-0.4 deg on the renders
SHANK_PER_HEIGHT = 0.246  # knee to ankle joint centres / stature (Winter, Biomechanics of Human Movement)
LANDMARK_SHANK_RATIO = 0.91  # MediaPipe's knee-ankle landmark distance / joint-centre shank length (16 renders: 0.91 +- 0.02)


# ---------------------------------------- scene/room_camera.py

# Differs from the marker's 0.7 (two priors fitted separately); unifying them moves the numbers: left to an accuracy change.
ROOM_FOCAL_PER_LONG_SIDE = 0.65  # phone main cameras: 65-80 deg across the long side


# ---------------------------------------- protocol/centimetres.py

FOOT_PER_SHANK = 0.6  # back of heel to toe tip / ankle-to-knee joint centres (renders 0.57-0.60; 0.152/0.246 of stature)
ANKLE_TO_TOE_PER_SHANK = 0.46  # ankle landmark to toe tip along the floor / joint-centre shank (renders: 0.47, landmark ankle ~0.5 cm ahead)
ANKLE_TO_TOE_SD_PER_SHANK = 0.03
TOE_SD_PX = 2.0  # silhouette toe tip against the true skin point (renders: within 2 px where the outline is complete)
KNEE_EDGE_SD_PX = 1.0  # silhouette knee front against the true skin point (renders: 0.3-0.9 px)


# ---------------------------------------- protocol/distance.py

PATELLA_PER_SHANK = 0.165  # front of the knee ahead of the shank axis / shank length at 30-40 deg (renders: 0.14-0.18)
PATELLA_PER_SHANK_SD = 0.02


# ---------------------------------------- kinematics/inclinometer.py (issue 21)

# The device's stretch (DEVICE_SPAN) is a placement, not fitted: it stays in kinematics/inclinometer.py.
# Trust of the shin's front outline over that stretch:
# - the fit's RMS over a 14 cm stretch, in shank lengths: a kettlebell's handle over the shin read 0.012-0.017 on
#   ../shared/real (ypt 539/599), the shin itself 0.003-0.005 there and <= 0.004 on the development renders.
OUTLINE_MAX_FIT_RMS = 0.008
# - the shin's front lies this far ahead of its joint-centre axis over the stretch, per shank (body model's skin,
#   40 bodies: 0.06-0.10); landmarks of the other leg or a hand closer behind it than OUTLINE_CLEAR_MARGIN, within
#   OUTLINE_ROW_MARGIN of the stretch's rows, may be what the outline shows (the other leg's front is ~0.1 ahead
#   of its own axis).
OUTLINE_SHIN_FRONT = 0.09
OUTLINE_CLEAR_MARGIN = 0.15
OUTLINE_ROW_MARGIN = 0.10
# - outline minus joint-centre angle: real people's own leans 6.7-12.8 deg (per-person medians on ../shared/real;
#   annotator-frames 3.7-14.7, the issue's 110: IQR 5.3-9.0), the renders' 40 bodies 2.7-7.1 deg; under 1 deg the
#   outline is degraded (d04 at the wall, r004's far leg with shoes), over 16 it is not a shin's front.
OUTLINE_LEAN_BAND_DEG = (1.0, 16.0)
# A rep's 1-sigma terms (deg): the outline's own error against the skin (development renders: the approach-
# calibrated value's per-rep bias -0.9, SD 1.4; ../shared/real: -0.4...+1.9 against the annotators' front edge, whose
# mean of three is good to ~0.75); the joint-centre angle's change between the approach and the hold (its per-rep
# error on the development renders, SD ~0.5), the only part of its error that does not cancel.
INCLINOMETER_SIGMA_OUTLINE_DEG = 1.0
INCLINOMETER_SIGMA_AXIS_DEG = 0.7
# The vertical's 1-sigma by its source: the marker's (ROLL_UNCERTAINTY_DEG's range), a roll the user measured,
# the room's lines (26 of 28 renders within 1.3 deg), an image vertical taken as true (a hand-levelled phone:
# assumed, not measured).
VERTICAL_SIGMA_DEG = {"marker": 0.3, "user": 0.5, "room lines": 1.0, "image": 1.5}
