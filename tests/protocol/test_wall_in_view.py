"""The person's pixels, from the silhouette's front edge per row, masked off before the wall's base is looked for."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np

from ankle_cv.protocol.wall_in_view import _person


def test_rows_the_person_never_reaches_are_not_the_person_and_raise_no_warning() -> None:
    rows = np.arange(0.0, 100.0, 10.0)
    edge = np.full((3, rows.size), np.nan)
    edge[:, :5] = 50.0  # the person's front edge at x = 50 in the upper rows only (the feet end there)
    series = SimpleNamespace(has_mask=True, mask_rows_y=rows, mask_right_x=edge, mask_left_x=edge)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        person = _person(series, np.arange(3), 1, (0, 0, 100, 100))  # type: ignore[arg-type]
    assert person is not None and person.shape == (100, 100)
    assert person[20, :52].all() and not person[20, 53:].any()  # behind the front edge (and its soft margin) only
    assert not person[90].any()  # a row far below the person's lowest: floor
