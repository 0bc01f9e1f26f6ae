"""Money, units, rounding and percentages — one definition of each for every stage.

Amounts are exact `Decimal`s. Every stage after the model keeps money in 元 (`to_yuan`), whatever
unit a file or one of its sections was typed in, so two files in different units compare
exactly. A table or a sentence shows money in its own unit through `Display`, which rounds
once, half up (Chinese practice), from the exact sum. Percentages (增幅, 占比, 增长 …) are all
computed by `percent`, half up, and never from a zero base. A figure a clerk states (a 核对数, a
quoted 万元 figure) is compared at its own precision: `decimals_of` is how many decimals it was
written with, `at_precision` rounds an exact amount to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
UNITS: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10000)}


def to_yuan(amount: Decimal, unit: str) -> Decimal:
    return amount * UNITS[unit]


def from_yuan(amount: Decimal, unit: str) -> Decimal:
    """Exact: a division by a power of ten never rounds within Decimal's 28 digits."""
    return amount / UNITS[unit] if unit != "元" else amount


class Money:
    """Typed amounts in 元: in the file's unit, or a section's own unit where it gives one; a
    blank is zero."""

    def __init__(self, unit: str):
        self.factor = UNITS[unit]

    def __call__(self, amount: Decimal | None, unit: str | None = None) -> Decimal:
        if amount is None:
            return ZERO
        return amount * (UNITS[unit] if unit else self.factor)


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def decimals_of(stated: Decimal) -> int:
    """How many decimals a figure was written with (1202.95 → 2, 83 → 0, 83.00 → 2)."""
    return max(0, -int(stated.as_tuple().exponent))


def at_precision(yuan: Decimal, unit: str, stated: Decimal) -> Decimal:
    """An exact amount (in 元) as a figure stated in `unit` with `stated`'s decimals shows it,
    rounded half up: 12029501.84 元 against 1202.95 万元 is 1202.95."""
    return rounded(from_yuan(yuan, unit), decimals_of(stated))


# How a region states a change (增加/减少 X): from the figures as shown (rounded), or from the
# exact figures, then rounded (a profile's `changes`).
CHANGES = ("shown", "exact")


@dataclass(frozen=True)
class Display:
    """Shows amounts kept in 元 in a table's or a sentence's unit, rounded half up; `changes`
    says how its sentences compute a change (see CHANGES)."""
    unit: str = "元"
    decimals: int = 2
    changes: str = "shown"

    def __call__(self, yuan: Decimal, decimals: int | None = None) -> Decimal:
        return rounded(from_yuan(yuan, self.unit), self.decimals if decimals is None else decimals)

    def versus(self, now: Decimal, before: Decimal | None) -> "Versus":
        """`now` against `before` (both in 元; None: not known) as a sentence states it."""
        if before is None:
            return Versus(self(now), None)
        exact = (from_yuan(now, self.unit), from_yuan(before, self.unit)) if self.changes == "exact" else None
        return Versus(self(now), self(before), exact, self.decimals)


def percent(part: Decimal, whole: Decimal | None, decimals: int = 1) -> Decimal | None:
    """part / whole × 100, half up; None when there is no base (never "增长100%" from nothing)."""
    if not whole:
        return None
    return rounded(part * 100 / whole, decimals)


def growth(now: Decimal, before: Decimal | None, decimals: int = 1) -> Decimal | None:
    """Signed change in percent of `before`; a change too small to show is 0.0, never -0.0."""
    value = None if before is None else percent(now - before, before, decimals)
    return value.copy_abs() if value is not None and value.is_zero() else value


@dataclass(frozen=True)
class Versus:
    """A figure against an earlier one (last year, the 年初预算), for sentences: 增加/减少 X，
    增长/下降 Y%. Both figures as shown (rounded in the sentence's unit); the change is theirs,
    or — where the region computes changes from the exact figures (`exact`: both unrounded, in
    the sentence's unit) — the exact change rounded to `decimals`, its percent of the exact
    earlier figure."""
    now: Decimal
    before: Decimal | None          # None: the earlier figure is not known
    exact: tuple[Decimal, Decimal] | None = None
    decimals: int = 2

    @property
    def known(self) -> bool:
        return self.before is not None

    @property
    def delta(self) -> Decimal:
        if self.exact is not None:
            return rounded(self.exact[0] - self.exact[1], self.decimals)
        return self.now - (self.before or ZERO)

    @property
    def direction(self) -> str:
        return "增加" if self.delta > 0 else "减少" if self.delta < 0 else "持平"

    @property
    def amount(self) -> Decimal:
        return abs(self.delta)

    @property
    def percent(self) -> Decimal | None:
        if self.exact is not None:
            return percent(abs(self.exact[0] - self.exact[1]), self.exact[1])
        return percent(abs(self.delta), self.before)

    @property
    def trend(self) -> str:
        return "增长" if self.delta > 0 else "下降"


def fixed(value: Decimal, decimals: int) -> str:
    """A figure with exactly `decimals` decimals, rounded half up as every table rounds
    (Python's format() would round half to even: 0.125 → 0.12)."""
    return format(rounded(value, decimals), "f")


def plain(value: Decimal, thousands: bool = False) -> str:
    """Trailing zeros dropped: 422.00 → 422, 1325.10 → 1325.1; 34,003,724.85 with thousands."""
    text = format(value, ",f" if thousands else "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_typed(value: Decimal) -> str:
    """A figure in a message: whole numbers without decimals, others as typed (161.10)."""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
