"""One rule for numbers written to JSON: rounded, and null where not finite (JSON has no NaN)."""

from __future__ import annotations

import math


def json_number(value: float | None, digits: int = 1) -> float | None:
    """Rounded finite number, or None for missing, NaN and inf."""
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if math.isfinite(value) else None
