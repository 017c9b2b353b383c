"""One rule for numbers written to JSON: rounded, and null where not finite (JSON has no NaN)."""

from __future__ import annotations

import math
from typing import Any


def json_number(value: float | None, digits: int = 1) -> float | None:
    """Rounded finite number, or None for missing, NaN and inf."""
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if math.isfinite(value) else None


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
