"""The budget's compute stage: hierarchy, sources, totals, records — all in 元."""

from decimal import Decimal

from helpers import MINIMAL, facts, yuan


def rows_by_code(f, rowset="功能分类"):
    return {r.fields["科目编码"] or "合计": r for r in f.rows(rowset)}


def test_function_hierarchy_adds_up(tmp_path):
    f = facts(tmp_path)
    rows = rows_by_code(f)
    assert list(rows) == ["合计", "201", "20131", "2013101", "2013102", "208", "20805", "2080505"]
    assert rows["2013102"].amount("项目支出") == yuan("60")          # from the project
    assert rows["201"].amount("合计") == yuan("160.10")
    assert rows["201"].amount("基本支出") == yuan("100.10")
    assert rows["合计"].amount("合计") == yuan("180.15")
    assert rows["合计"].amount("一般公共预算.合计") == yuan("180.15")
    assert rows["合计"].amount("收入.一般公共预算拨款收入") == yuan("180.15")


def test_income_equals_expenditure_by_source(tmp_path):
    text = MINIMAL.replace('  - {科目编码: "2080505", 基本支出: 20.05}',
                           '  - {科目编码: "2080505", 基本支出: 20.05, 资金来源: 政府性基金}\n'
                           '  - {科目编码: "2080505", 基本支出: 5, 资金来源: 一般公共预算结转}\n'
                           '  - {科目编码: "2080505", 基本支出: 7, 资金来源: 事业收入}')
    f = facts(tmp_path, text.replace("人员经费: 100.15", "人员经费: 85.10"))
    s = f.scalars
    assert s["财政拨款收入.一般公共预算"] == yuan("160.10")
    assert s["财政拨款收入.政府性基金"] == yuan("20.05")
    assert s["财政拨款结转.一般公共预算"] == yuan("5")
    assert s["财政拨款收入.总计"] == s["支出.财政拨款.合计"] == yuan("185.15")
    assert s["收入.本年合计"] == yuan("187.15")
    assert s["收入.上年结转"] == yuan("5")
    assert s["收入.总计"] == s["支出.合计"] == yuan("192.15")
    item = rows_by_code(f)["2080505"]
    assert item.amount("政府性基金.合计") == yuan("20.05")
    assert item.amount("一般公共预算.合计") == yuan("5")


def test_economic_rows(tmp_path):
    rows = rows_by_code(facts(tmp_path), "经济分类基本支出")
    assert rows["合计"].amount("合计") == yuan("120.15")
    assert rows["301"].amount("人员经费") == yuan("100.15")
    assert rows["302"].amount("公用经费") == yuan("20")


def test_project_rows_records_and_three_public(tmp_path):
    f = facts(tmp_path)
    total, project = f.rows("项目支出")
    assert project.amount("年初特定目标小计") == yuan("50")
    assert project.amount("上级专项小计") == yuan("10")
    assert total.amount("合计") == yuan("60")
    assert f.scalars["本年.总计"] == yuan("3")
    [record] = f.records["项目"]
    assert record.text["项目名称"] == "专项一" and record.values["合计"] == yuan("60")
    assert record.tags == {"一般"}


def test_a_section_may_be_typed_in_its_own_unit(tmp_path):
    text = (MINIMAL.replace("金额单位: 万元", "金额单位: 元")
            .replace("三公经费: {公务接待: 3}", "三公经费: {公务接待: 3, 金额单位: 万元}"))
    assert facts(tmp_path, text).scalars["本年.公务接待"] == Decimal(30000)


def test_every_produced_name_is_declared(tmp_path):
    # verify() ran inside compute; here a name nobody declared is refused
    import pytest

    from builder.core.facts import UndeclaredMeasure
    f = facts(tmp_path)
    with pytest.raises(UndeclaredMeasure):
        f.scalar("支出.合记")
    with pytest.raises(UndeclaredMeasure):
        f.rows("功能分内")


def test_income_subtotals_of_earmarked_and_other_funds(tmp_path):
    text = MINIMAL.replace('  - {科目编码: "2080505", 基本支出: 20.05}',
                           '  - {科目编码: "2080505", 基本支出: 20.05, 资金来源: 专项收入}\n'
                           '  - {科目编码: "2080505", 基本支出: 7, 资金来源: 事业收入}\n'
                           '  - {科目编码: "2080505", 基本支出: 3, 资金来源: 事业单位经营}\n'
                           '  - {科目编码: "2080505", 基本支出: 2, 资金来源: 上级补助}')
    s = facts(tmp_path, text).scalars
    # 专项收入 is part of the 一般公共预算拨款 (and of the 财政拨款), and also its own figure
    assert s["收入.专项收入"] == yuan("20.05")
    assert s["收入.一般公共预算拨款收入"] == s["支出.一般公共预算.合计"] == yuan("180.15")   # with the project's 60
    assert s["财政拨款收入.一般公共预算"] == yuan("180.15")
    assert s["收入.其他资金小计"] == yuan("10")         # 事业收入 + 事业单位经营 (+ 其他收入), not 上级补助
    assert s["收入.总计"] == yuan("192.15")


def test_a_spending_category_counts_into_every_total(tmp_path):
    from builder.budget.compute import compute
    from builder.load import load_document
    path = tmp_path / "dept.yaml"
    path.write_text(MINIMAL.replace('  - {科目编码: "2080505", 基本支出: 20.05}',
                                    '  - {科目编码: "2080505", 基本支出: 20.05}\n'
                                    '  - {科目编码: "2013101", 支出类别: {预留: 30}}'), encoding="utf-8")
    f = compute(load_document(path).model, categories=("预留", "机动"))
    s = f.scalars
    assert s["支出.预留"] == s["支出.一般公共预算.预留"] == s["支出.财政拨款.预留"] == yuan("30")
    assert s["支出.机动"] == 0 and f.scalar("支出.财政拨款.机动") == 0        # declared, none typed
    assert s["支出.合计"] == s["收入.总计"] == yuan("210.15")          # 基本 120.15 + 项目 60 + 预留 30
    assert s["支出.基本支出"] == yuan("120.15")
    assert rows_by_code(f)["2013101"].amount("预留") == yuan("30")
    assert rows_by_code(f)["201"].amount("合计") == yuan("190.10")


def test_purchases_grouped_with_derived_subtotals(tmp_path):
    text = MINIMAL + """政府采购:
  - {类别: 服务, 名称: A, 金额: 1, 项目: X, 经济科目: e, 采购组织形式: 分散自行组织}
  - {类别: 货物, 名称: B, 金额: 2, 项目: Y, 经济科目: f}
  - {类别: 服务, 名称: C, 金额: 4, 项目: X, 经济科目: e}
  - {类别: 货物, 名称: D, 金额: 8, 项目: X, 经济科目: e}
"""
    f = facts(tmp_path, text)
    shown = lambda name: [(r.level, r.fields["名称"], r.amount("合计") / 10000) for r in f.rows(name)]
    assert shown("政府采购按品目") == [("合计", "合计", 15), ("类", "一、货物类", 10), ("明细", "B", 2), ("明细", "D", 8),
                                 ("类", "三、服务类", 5), ("明细", "A", 1), ("明细", "C", 4)]
    # each 专项 + 经济科目 with all its items under it, in the order first listed
    assert shown("政府采购按专项") == [("合计", "合计", 15), ("类", "X", 13), ("明细", "A", 1), ("明细", "C", 4),
                                 ("明细", "D", 8), ("类", "Y", 2), ("明细", "B", 2)]
    assert shown("政府采购按品目专项") == [
        ("合计", "合计", 15), ("类", "一、货物类", 10), ("款", "X", 8), ("明细", "D", 8), ("款", "Y", 2), ("明细", "B", 2),
        ("类", "三、服务类", 5), ("款", "X", 5), ("明细", "A", 1), ("明细", "C", 4)]
    rows = f.rows("政府采购按品目专项")
    assert rows[2].fields["经济科目"] == "e" and rows[2].fields["专项名称"] == "X"
    assert rows[-2].fields["采购组织形式"] == "分散自行组织" and rows[-2].parent == 7
