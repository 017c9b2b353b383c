"""One rule for numbers written to JSON or printed: rounded, null where not finite (JSON has no NaN), never '-0'."""

from __future__ import annotations

import math
from typing import Any


def json_number(value: float | None, digits: int = 1) -> float | None:
    """Rounded finite number (a negative that rounds to zero is 0.0, not -0.0), or None for missing, NaN and inf."""
    if value is None:
        return None
    value = float(value)
    return round(value, digits) + 0.0 if math.isfinite(value) else None


def finite_or_none(value: Any) -> float | None:
    """A finite float, or None (None, empty CSV cells, text, NaN, inf): for numbers read back from JSON or CSV."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def json_safe(value: Any) -> Any:
    """JSON-safe copy of a report: NaN/inf become null, tuples lists, dataclasses dicts."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: json_safe(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def no_minus_zero(value: float, digits: int) -> str:
    """A number rounded for print without a '-0' (a rise of -0.01 mm is a rise of 0 mm)."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text
