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
