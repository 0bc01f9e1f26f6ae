"""中共重庆市潼南区委办公室 2023 (seed 000) built from input_yaml, read back: what its tables hold
besides the figures of golden/tongnan-quwei-2023.yaml (checked by test_golden.py), and the typos a
rounding tolerance once hid.

One published figure is deliberately not followed (see the YAML comment): 2013102's 2022 figure
is 1788.59, not the printed 422.00, because the 类 row 2775.59 and the narrative need it.
"""

import pytest

from conftest import golden

STEM = "tongnan-quwei-2023"


def test_basic_expenditure_lists_only_typed_rows(workbook):
    """附件3 lists the codes of the golden file's 附件3, and no other (合计 aside)."""
    codes = [r[0] for r in workbook(STEM, "附件3").rows if isinstance(r[0], str) and r[0].isdigit()]
    expected = [code for code in golden(STEM)["amounts"]["附件3"] if code != "合计"]
    assert sorted(codes) == sorted(expected)


def test_fiscal_summary_lists_every_class(workbook):
    sheet = workbook(STEM, "附件1")
    # the full 28-row 类 list of the 潼南 template, in order
    labels = [r[2] for r in sheet.rows if isinstance(r[2], str) and r[2].startswith("（")]
    assert labels[0] == "（一）一般公共服务支出" and labels[-1] == "（二十八）抗疫特别国债安排的支出"
    assert len(labels) == 28


def test_expenditure_table_shows_only_this_years_codes(workbook):
    spending = workbook(STEM, "附件8")
    # 部门支出总表 shows only this year's codes: no 2022-only rows
    assert "2013199" not in spending.text() and "2080501" not in spending.text()


def test_purchase_table_is_empty_with_note(workbook):
    sheet = workbook(STEM, "附件9")
    for label in ("合计", "货物类", "工程类", "服务类"):
        assert set(sheet.amounts(label)) == {0}
    assert "本部门2023年无政府采购预算，故此表无数据。" in sheet.text()


def test_fund_table_is_empty_with_note(workbook):
    assert "本部门2023年无政府性基金预算财政拨款安排的支出，故此表无数据。" in workbook(STEM, "附件5").text()


def test_department_performance_table(workbook):
    sheet = workbook(STEM, "附件11")
    indicator_rows = [r for r in sheet.rows if isinstance(r[2], (int, float))]   # weights are numbers
    assert len(indicator_rows) == 12


def test_one_declaration_form_per_project_in_code_order(workbook):
    first = workbook(STEM, "附件12-1")
    assert first.row("50015223T000003449069-2023 招商引资专项")
    last = workbook(STEM, "附件12-6")
    assert last.row("50015223T000003451312-2023 档案数字化专项")


def test_workbook_carries_the_narrative(built):
    from openpyxl import load_workbook
    wb = load_workbook(built / f"{STEM}.xlsx")
    assert wb.sheetnames[:3] == ["目录", "情况说明", "附件1"]
    text = "\n".join(str(r[0]) for r in wb["情况说明"].iter_rows(values_only=True))
    assert "比2022年减少 1325.1 万元，下降 43.7%" in text
    assert "一般公共服务支出 1387.32 万元" in text and "1387.31" not in text


@pytest.mark.parametrize("old, new, message", [
    ('  - 科目编码: "2210201"\n    基本支出: 70.79', '  - 科目编码: "2210201"\n    基本支出: 70.97',
     "一般公共预算基本支出按经济分类合计 1286.68，按功能分类合计 1286.86，两者应相等（相差 -0.18）"),
    ('{科目编码: "30202", 公用经费: 13.00}', '{科目编码: "30202", 公用经费: 13.09}',
     "一般公共预算基本支出按经济分类合计 1286.77，按功能分类合计 1286.68，两者应相等（相差 0.09）"),
    ('{科目编码: "30101", 人员经费: 208.93}', '{科目编码: "30101", 公用经费: 208.93}',
     "30101 基本工资是人员经费科目，不能列在公用经费中"),
])
def test_typos_a_rounding_tolerance_once_hid_are_errors(tmp_path, old, new, message):
    from conftest import EXAMPLES, example_copy, run_cli
    text = (EXAMPLES / f"{STEM}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = example_copy(tmp_path, "typo.yaml", text.replace(old, new))
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert any(": 错误: " in line and message in line for line in result.stdout.splitlines()), result.stdout
