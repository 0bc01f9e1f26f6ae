from decimal import Decimal

from builder.budget.compute import compute
from helpers import MINIMAL, load


def rows_by_code(facts, rowset="功能分类"):
    return {r.fields["科目编码"] or "合计": r for r in facts.rowsets[rowset]}


def test_function_hierarchy_adds_up(tmp_path):
    facts = compute(load(tmp_path)[0])
    rows = rows_by_code(facts)
    assert list(rows) == ["合计", "201", "20131", "2013101", "2013102", "208", "20805", "2080505"]
    assert rows["2013102"].amount("项目支出") == Decimal(60)          # from the project
    assert rows["201"].amount("合计") == Decimal("160.10")
    assert rows["201"].amount("基本支出") == Decimal("100.10")
    assert rows["合计"].amount("合计") == Decimal("180.15")
    assert rows["合计"].amount("一般公共预算.合计") == Decimal("180.15")
    assert rows["合计"].amount("收入.一般公共预算拨款收入") == Decimal("180.15")


def test_income_equals_expenditure_by_source(tmp_path):
    text = MINIMAL.replace('  - {科目编码: "2080505", 基本支出: 20.05}',
                           '  - {科目编码: "2080505", 基本支出: 20.05, 资金来源: 政府性基金}\n'
                           '  - {科目编码: "2080505", 基本支出: 5, 资金来源: 一般公共预算结转}\n'
                           '  - {科目编码: "2080505", 基本支出: 7, 资金来源: 事业收入}')
    facts = compute(load(tmp_path, text)[0])
    s = facts.scalars
    assert s["财政拨款收入.一般公共预算"] == Decimal("160.10")
    assert s["财政拨款收入.政府性基金"] == Decimal("20.05")
    assert s["财政拨款结转.一般公共预算"] == Decimal(5)
    assert s["财政拨款收入.总计"] == s["支出.财政拨款.合计"] == Decimal("185.15")
    assert s["收入.本年合计"] == Decimal("187.15")
    assert s["收入.上年结转"] == Decimal(5)
    assert s["收入.总计"] == s["支出.合计"] == Decimal("192.15")
    item = rows_by_code(facts)["2080505"]
    assert item.amount("政府性基金.合计") == Decimal("20.05")
    assert item.amount("一般公共预算.合计") == Decimal(5)


def test_economic_rows(tmp_path):
    rows = rows_by_code(compute(load(tmp_path)[0]), "经济分类基本支出")
    assert rows["合计"].amount("合计") == Decimal("120.15")
    assert rows["301"].amount("人员经费") == Decimal("100.15")
    assert rows["302"].amount("公用经费") == Decimal(20)


def test_project_rows_and_three_public(tmp_path):
    facts = compute(load(tmp_path)[0])
    total, project = facts.rowsets["项目支出"]
    assert project.amount("年初特定目标小计") == Decimal(50)
    assert project.amount("上级专项小计") == Decimal(10)
    assert total.amount("合计") == Decimal(60)
    assert facts.scalars["本年.总计"] == Decimal(3)
