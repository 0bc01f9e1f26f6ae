"""One definition of units, rounding and percentages for every stage."""

from decimal import Decimal

from builder.core.numbers import Display, Versus, fixed, from_yuan, growth, percent, plain, to_yuan


def test_change_words_and_percent():
    c = Versus(Decimal("1708.68"), Decimal("3033.78"))
    assert (c.direction, c.amount, c.percent) == ("减少", Decimal("1325.10"), Decimal("43.7"))
    assert Versus(Decimal(5), Decimal(5)).direction == "持平"
    assert Versus(Decimal(5), Decimal(0)).percent is None        # no "增长100%" from a zero base
    assert not Versus(Decimal(5), None).known


def test_percent_rounds_half_up_and_never_from_nothing():
    assert percent(Decimal("1387.32"), Decimal("1708.68")) == Decimal("81.2")
    assert percent(Decimal(1), Decimal(8), 2) == Decimal("12.50")
    assert percent(Decimal(1), Decimal(0)) is None
    assert growth(Decimal(90), Decimal(100), 0) == Decimal(-10)
    assert growth(Decimal(90), None) is None


def test_units_are_exact_and_display_rounds_half_up():
    assert to_yuan(Decimal("622.34"), "万元") == Decimal("6223400.00")
    assert from_yuan(Decimal("6223400.00"), "万元") == Decimal("622.34")
    assert from_yuan(Decimal("12345.67"), "万元") == Decimal("1.234567")
    show = Display("万元", 2)
    assert show(Decimal("12345")) == Decimal("1.23")
    assert show(Decimal("12350")) == Decimal("1.24")          # half up, not half even
    assert Display("元", 2)(Decimal("0.125")) == Decimal("0.13")


def test_plain_amounts_in_sentences():
    assert plain(Decimal("422.00")) == "422" and plain(Decimal("1325.10")) == "1325.1"
    assert plain(Decimal("34003724.85"), thousands=True) == "34,003,724.85"


def test_fixed_decimals_round_half_up():
    assert fixed(Decimal("0.125"), 2) == "0.13" and fixed(Decimal("14.25"), 1) == "14.3"
    assert fixed(Decimal("1989.05"), 2) == "1989.05" and fixed(Decimal("100"), 1) == "100.0"


def test_a_stated_figure_is_compared_at_its_own_precision():
    from builder.core.numbers import at_precision, decimals_of
    assert [decimals_of(Decimal(v)) for v in ("1202.95", "83", "83.00", "0.0003")] == [2, 0, 2, 4]
    # 12,029,501.84 元 quoted as 1202.95 万元; half up, as every table rounds
    assert at_precision(Decimal("12029501.84"), "万元", Decimal("1202.95")) == Decimal("1202.95")
    assert at_precision(Decimal("12029550.00"), "万元", Decimal("1202.95")) == Decimal("1202.96")
    assert at_precision(Decimal("12029501.84"), "万元", Decimal("1203")) == Decimal("1203")


def test_a_change_from_the_shown_or_the_exact_figures():
    # 1644.4751 → 5000.1249 万元: shown 1644.48 → 5000.12 (3355.64), exactly 3355.6498 (3355.65)
    now, before = Decimal("50001249"), Decimal("16444751")
    shown, exact = Display("万元", 2).versus(now, before), Display("万元", 2, "exact").versus(now, before)
    assert (shown.now, shown.before, shown.amount, shown.direction) == (Decimal("5000.12"), Decimal("1644.48"),
                                                                       Decimal("3355.64"), "增加")
    assert (exact.now, exact.before, exact.amount, exact.direction) == (Decimal("5000.12"), Decimal("1644.48"),
                                                                       Decimal("3355.65"), "增加")
    assert (shown.percent, exact.percent) == (Decimal("204.1"), Decimal("204.1"))
    # a change too small to show is none, either way
    assert Display("万元", 2, "exact").versus(Decimal("10000.004"), Decimal(10000)).direction == "持平"
    assert not Display("万元", 2, "exact").versus(now, None).known
