"""Golden figures: 中国共产党唐山市丰润区委员会办公室 2023 (seed 004, profile 丰润), read back.

项/款 figures exactly; published totals within the rounding interval (this publisher kept 元 and
printed 万元: 4.5 prints 基本支出 826.95 where its 项 rows add up to 826.96)."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, D, run_cli

STEM = "fengrun-quwei-2023"

T5 = {  # 4.5 一般公共预算财政拨款支出表: 合计, 基本支出, 项目支出
    "2013101": (637.43, 637.43, 0), "2013102": (103.49, 0, 103.49), "2013105": (344.34, 0, 344.34),
    "2080505": (67.53, 67.53, 0), "2101101": (66.87, 66.87, 0), "2210201": (55.13, 55.13, 0),
    "201": (1085.26, 637.43, 447.83), "20131": (1085.26, 637.43, 447.83), "208": (67.53, 67.53, 0),
    "210": (66.87, 66.87, 0), "221": (55.13, 55.13, 0),
}
T6 = {"30101": (211.68, 211.68, 0), "30102": (221.71, 221.71, 0), "30201": (9.88, 0, 9.88),
      "30207": (26.48, 0, 26.48), "30217": (0.90, 0, 0.90), "30231": (18.00, 0, 18.00),
      "30239": (34.48, 0, 34.48), "30302": (20.59, 20.59, 0), "30309": (0.66, 0.66, 0)}


def near(ours, printed, parts):
    limit = Decimal("0.005") * (parts + 1)
    return all(abs(a - b) <= limit for a, b in zip(ours, printed)) and len(ours) == len(printed)


@pytest.mark.parametrize("code", T5)
def test_general_budget_rows(workbook, code):
    # the first amount is the 序号? no: 序号 is text; amounts start at 合计
    assert workbook(STEM, "表5").amounts(code) == D(*T5[code])


def test_general_budget_total_within_rounding(workbook):
    assert near(workbook(STEM, "表5").amounts("合计"), D(1274.78, 826.95, 447.83), 8)


@pytest.mark.parametrize("code", T6)
def test_basic_expenditure_rows(workbook, code):
    assert workbook(STEM, "表6").amounts(code) == D(*T6[code])


def test_serial_column_and_column_numbers(workbook):
    sheet = workbook(STEM, "表5")
    assert sheet.row("栏次", "1", "2", "3", "4", "5")
    total = sheet.row("合计", numeric=True)
    assert total[0] == "1"
    assert sheet.row("201", numeric=True)[0] == "2"


def test_summary_has_the_31_class_rows_and_34_numbered_rows(workbook):
    sheet = workbook(STEM, "表1")
    assert sheet.amounts("一、一般公共预算拨款收入", "一、一般公共服务支出") == D(1274.79, 1085.26)
    assert sheet.row("三十一、人行科目")
    numbered = [r[0] for r in sheet.rows if isinstance(r[0], str) and r[0].isdigit()]
    assert numbered == [str(i) for i in range(1, 35)]
    assert near(sheet.amounts("收入总计", "支出总计"), D(1274.78, 1274.78), 8)


def test_three_public_with_meetings_and_training(workbook):
    sheet = workbook(STEM, "表9")
    assert sheet.amounts("合计")[:2] == D(98.9, 98.9)
    assert sheet.amounts("“三公”经费小计")[:2] == D(18.9, 18.9)
    assert sheet.amounts("　　　公务用车运行维护费")[:2] == D(18, 18)
    assert sheet.amounts("三、公务接待费")[:2] == D(0.9, 0.9)
    assert sheet.amounts("四、会议费")[:2] == D(80, 80)


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
    assert assets.amounts("固定资产（原值）") == [Decimal("482.43")]
    raw = next(c for r in assets.rows for c in r if isinstance(c, float))
    assert Decimal(str(raw)) == Decimal("482.431")          # 4 decimals kept: 482.4310
    assert "截止时间：2022-12-31" in assets.text()


def test_builds_without_allow_incomplete(tmp_path):
    result = run_cli("build", str(EXAMPLES / f"{STEM}.yaml"), "-o", str(tmp_path), "--only", "xlsx")
    assert result.returncode == 0, result.stderr
