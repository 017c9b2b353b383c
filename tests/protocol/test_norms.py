"""The category's bands: a 95 % interval that spans a cut-off is said beside the category, never hidden."""

from __future__ import annotations

import pytest

from ankle_cv.enums import Category
from ankle_cv.protocol.centimetre_types import RepCentimetres
from ankle_cv.protocol.norms import categories_in_cm, categories_in_deg, category_words
from ankle_cv.results.build import angle_bands, distance_bands

R, B, N = Category.RESTRICTED, Category.BORDERLINE, Category.NORMAL


@pytest.mark.parametrize(("low", "high", "bands"), [
    (40.0, 50.0, (N,)),  # wholly above the 38 deg cut-off
    (35.6, 48.4, (B, N)),  # the right sample's 42.0 +- 6.4 deg
    (30.0, 37.9, (R, B)),
    (30.0, 45.0, (R, B, N)),  # all three: the category says little
    (35.0, 37.99, (B,)),
    (20.0, 34.9, (R,)),
    (None, 40.0, None),
])
def test_categories_in_deg(low: float | None, high: float | None, bands: tuple[Category, ...] | None) -> None:
    assert categories_in_deg(low, high) == bands


def test_categories_in_cm_use_the_centimetre_cut_offs() -> None:
    assert categories_in_cm(10.5, 14.0) == (N,)
    assert categories_in_cm(8.0, 11.0) == (R, B, N)
    assert categories_in_cm(9.2, 9.8) == (B,)


def test_category_words_name_only_the_other_bands() -> None:
    assert category_words("normal", ("normal",)) == "normal"
    assert category_words("normal", None) == "normal"
    assert category_words("normal", ("borderline", "normal")) == "normal (its 95 % interval reaches borderline)"
    assert category_words("borderline", ("restricted", "borderline", "normal")) == (
        "borderline (its 95 % interval reaches restricted and normal)")
    assert category_words(None, ("normal",)) == ""


def test_angle_bands_come_from_the_rounded_reported_numbers() -> None:
    assert angle_bands("normal", 42.0, 6.4) == (B, N)
    assert angle_bands("normal", 42.0, 3.9) == (N,)  # 38.1 at the low end
    assert angle_bands(None, 42.0, 6.4) is None  # no category, nothing to qualify
    assert angle_bands("normal", 42.0, None) is None


def test_distance_bands_take_the_95_percent_interval_of_a_one_sigma_uncertainty() -> None:
    def rep(distance_cm: float, sigma_cm: float) -> RepCentimetres:
        return RepCentimetres(index=1, knee_to_wall_cm=0.0, knee_past_toe_cm=5.0, equivalent_toe_to_wall_cm=distance_cm,
                              heel_lift_mm=0.0, uncertainty_cm=0.5, equivalent_uncertainty_cm=sigma_cm, touches_wall=True)

    assert distance_bands(rep(14.3, 1.5)) == (N,)  # 14.3 - 1.96 * 1.5 = 11.4
    assert distance_bands(rep(11.0, 1.0)) == (B, N)  # 9.04 at the low end
    assert distance_bands(None) is None


def test_band_span_is_the_headline_form() -> None:
    from ankle_cv.protocol.norms import band_span

    assert band_span("normal", ("normal",)) == "normal"
    assert band_span("normal", ("borderline", "normal")) == "normal; 95 % CI borderline–normal"
    # the point category first: the terminal's "borderline (its 95 % interval reaches restricted and normal)"
    assert band_span("borderline", ("restricted", "borderline", "normal")) == "borderline; 95 % CI restricted–normal"
    assert band_span(None, ("normal",)) == ""
