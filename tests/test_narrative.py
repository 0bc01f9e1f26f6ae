from decimal import Decimal

from builder.budget.narrative import Change, share


def test_change_words_and_percent():
    assert (Change(Decimal("1708.68"), Decimal("3033.78")).direction,
            Change(Decimal("1708.68"), Decimal("3033.78")).amount,
            Change(Decimal("1708.68"), Decimal("3033.78")).percent) == ("减少", Decimal("1325.10"), Decimal("43.7"))
    assert Change(Decimal(5), Decimal(5)).direction == "持平"
    assert Change(Decimal(5), Decimal(0)).percent is None        # no "增长100%" from a zero base
    assert not Change(Decimal(5), None).known


def test_share_rounds_half_up():
    assert share(Decimal("1387.32"), Decimal("1708.68")) == Decimal("81.2")
    assert share(Decimal(1), Decimal(0)) is None
