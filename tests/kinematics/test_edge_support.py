"""The edge line's support: a straight shin edge is on its line; an edge that leaves the shin over most of the stretch is not."""

from __future__ import annotations

import numpy as np

from ankle_cv.kinematics.edge_support import edge_support, row_step, support_share, trusted_edge

LENGTH = 100.0
ANKLE = np.array([300.0, 500.0])
ROWS = np.arange(0.0, 600.0, 1.0)


def _edge_rows(angle_deg: float, facing: int = 1, ahead: float = 8.0) -> np.ndarray:
    """Front-edge x per row of a straight shin at this inclination, `ahead` px in front of the axis."""
    t = np.radians(angle_deg)
    x = ANKLE[0] + facing * ((ANKLE[1] - ROWS) * np.tan(t) + ahead / np.cos(t))
    return np.where((ROWS < ANKLE[1]) & (ROWS > ANKLE[1] - 1.2 * LENGTH * np.cos(t)), x, np.nan)


def test_straight_edge_is_supported_whole() -> None:
    for facing in (1, -1):
        sup = edge_support(_edge_rows(35.0, facing), ROWS, ANKLE, 35.0, LENGTH, facing)
        assert sup.share > 0.95
        assert sup.rms < 0.005
        assert abs(sup.bend_deg) < 0.5


def test_edge_following_a_vertical_boundary_is_not_supported() -> None:
    """The lower 60 % of the stretch runs straight down (a sheet's side, the background's boundary): the best line
    through all of it lies on neither part."""
    edge = _edge_rows(40.0)
    knee_side = ROWS < ANKLE[1] - 0.6 * LENGTH * np.cos(np.radians(40.0))
    boundary = np.nanmax(edge[~knee_side & np.isfinite(edge)]) - 4.0
    bent = np.where(knee_side, edge, np.where(np.isfinite(edge), boundary, np.nan))
    sup = edge_support(bent, ROWS, ANKLE, 40.0, LENGTH, 1)
    assert sup.share < 0.5
    assert sup.bend_deg > 10.0


def test_sparse_stretch_reads_nothing() -> None:
    sup = edge_support(np.full(ROWS.size, np.nan), ROWS, ANKLE, 20.0, LENGTH, 1)
    assert np.isnan(sup.share)


def test_trusted_edge_drops_only_runs_under_the_share() -> None:
    edge = np.linspace(5.0, 40.0, 30)
    share = np.full(30, 0.95)
    share[10:20] = 0.3  # ten frames where the line lies on a third of its stretch
    share[25] = 0.2  # one glitch: the running median keeps it
    share[3] = np.nan  # one frame not measured (bridged): kept
    out = trusted_edge(edge, share, 0.5)
    assert np.isnan(out[11:19]).all()
    assert np.isfinite(out[:9]).all() and np.isfinite(out[21:]).all()
    share[22:27] = np.nan  # a run not measured: its neighbours' reading, as the bridged edge itself
    assert np.isfinite(trusted_edge(edge, share, 0.5)[22:27]).all()
    assert np.array_equal(trusted_edge(edge, share, float("-inf")), edge)
    assert np.array_equal(trusted_edge(edge, None, 0.5), edge)


def test_the_share_alone_is_the_full_cues_share_bit_for_bit() -> None:
    """The analysis reads support_share (cheaper); it must be edge_support's share exactly, on straight, bent, noisy,
    sparse and unguessable edges, with the row spacing given once or found per call."""
    rng = np.random.default_rng(17)
    rows = np.arange(0.0, 600.0, 2.0)  # a profile every 2nd row
    cases = []
    for angle in (-5.0, 12.0, 35.0, 48.0):
        for facing in (1, -1):
            t = np.radians(angle)
            x = ANKLE[0] + facing * ((ANKLE[1] - rows) * np.tan(t) + 8.0 / np.cos(t)) + rng.normal(0, 1.5, rows.size)
            x[rng.random(rows.size) < 0.3] = np.nan  # rows where the mask lost the edge
            x[(rows > ANKLE[1] - 30) & (rows < ANKLE[1])] -= facing * 12.0  # a bend near the ankle
            for guess in (angle, angle + 7.0, float("nan")):
                cases.append((x, guess, facing))
    step = row_step(rows)
    for x, guess, facing in cases:
        full = edge_support(x, rows, ANKLE, guess, LENGTH, facing).share
        for given in (step, None):
            alone = support_share(x, rows, ANKLE, guess, LENGTH, facing, step=given)
            assert (np.isnan(full) and np.isnan(alone)) or full == alone
    assert sum(np.isfinite(edge_support(x, rows, ANKLE, g, LENGTH, f).share) for x, g, f in cases) >= 12  # most cases fit a line
