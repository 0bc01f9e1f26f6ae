"""How an amount is written in a sentence — one place for messages and the 情况说明.

Tables show amounts with the profile's decimals; sentences write them the way the published
情况说明 do (422, 1325.1, 1708.68) and messages repeat a figure as the clerk typed it.
"""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal, thousands: bool = False) -> str:
    """Trailing zeros dropped: 422.00 → 422, 1325.10 → 1325.1; 34,003,724.85 with thousands."""
    text = format(value, ",f" if thousands else "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_typed(value: Decimal) -> str:
    """A figure in a message: whole numbers without decimals, others as typed (161.10)."""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
