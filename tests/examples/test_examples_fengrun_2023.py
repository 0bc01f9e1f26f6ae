"""中国共产党唐山市丰润区委员会办公室 2023 (seed 004, profile 丰润), read back: what its tables hold
besides the figures of golden/fengrun-quwei-2023.yaml (checked by test_golden.py)."""

from decimal import Decimal

from openpyxl import load_workbook

from conftest import EXAMPLES, run_cli

STEM = "fengrun-quwei-2023"


def test_serial_column_and_column_numbers(workbook):
    sheet = workbook(STEM, "表5")
    assert sheet.row("栏次", "1", "2", "3", "4", "5")
    total = sheet.row("合计", numeric=True)
    assert total[0] == "1"
    assert sheet.row("201", numeric=True)[0] == "2"


def test_summary_has_the_31_class_rows_and_34_numbered_rows(workbook):
    sheet = workbook(STEM, "表1")
    assert sheet.row("三十一、人行科目")
    numbered = [r[0] for r in sheet.rows if isinstance(r[0], str) and r[0].isdigit()]
    assert numbered == [str(i) for i in range(1, 35)]


def test_empty_fund_tables_keep_one_empty_row_and_the_note(workbook):
    sheet = workbook(STEM, "表7")
    assert "注：无政府基金预算财政拨款预算，空表列示。" in sheet.text()


def test_project_performance_forms(workbook, built):
    names = load_workbook(built / f"{STEM}.xlsx").sheetnames
    assert [n for n in names if n.startswith("表10-")] == [f"表10-{i}" for i in range(1, 8)]
    form = workbook(STEM, "表10-1")
    assert form.row("1、招商活动经费绩效目标表")
    assert form.row("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
    assert "产出指标" in form.text() and "预算安排" in form.text()


def test_purchase_and_fixed_assets(workbook):
    assert "注：无政府采购预算，空表列示。" in workbook(STEM, "表11").text()
    assets = workbook(STEM, "表12")
    raw = next(c for r in assets.rows for c in r if isinstance(c, float))
    assert Decimal(str(raw)) == Decimal("482.431")          # 4 decimals kept: 482.4310
    assert "截止时间：2022-12-31" in assets.text()


def test_builds_without_allow_incomplete(tmp_path):
    result = run_cli("build", str(EXAMPLES / f"{STEM}.yaml"), "-o", str(tmp_path), "--only", "xlsx")
    assert result.returncode == 0, result.stderr
