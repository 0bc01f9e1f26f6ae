"""Golden figures: 重庆市渝北区人民政府办公室 2024 (seed 003, profile 渝北, amounts in 元)."""

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, D, run_cli

STEM = "yubei-zhengfu-2024"

T3 = {  # 表三 支出预算总表: 总计, 基本支出, 项目支出
    "合计": (34003724.85, 17450324.85, 16553400.00),
    "2010301": (10473468.05, 10473468.05, 0), "2010302": (3693400.00, 0, 3693400.00),
    "2010350": (2587194.36, 2587194.36, 0), "2010399": (1260000.00, 0, 1260000.00),
    "2080505": (1112578.24, 1112578.24, 0), "2080506": (556289.12, 556289.12, 0),
    "2080599": (928200.00, 928200.00, 0), "2101101": (713675.00, 713675.00, 0),
    "2101102": (134086.40, 134086.40, 0), "2129999": (11600000.00, 0, 11600000.00),
    "2210201": (944833.68, 944833.68, 0), "201": (18014062.41, 13060662.41, 4953400.00),
}
T5_GROWTH = {"合计": "3%", "201": "-5%", "2010302": "-23%", "2010399": "100%", "212": "21%",
             "2101102": "3%"}
T7 = {"合计": 17450324.85, "501": 9647965.25, "50101": 6771150.00, "50102": 2002005.25,
      "505": 3123351.80, "50501": 2588772.03, "50901": 994200.00}


@pytest.mark.parametrize("code", T3)
def test_expenditure_summary(workbook, code):
    assert workbook(STEM, "表三").amounts(code) == D(*T3[code])


def test_previous_year_and_growth(built):
    ws = load_workbook(built / f"{STEM}.xlsx")["表五"]
    rows = {(r[0].value or r[1].value): r for r in ws.iter_rows() if r[0].value or r[1].value == "合计"}
    assert float(rows["合计"][2].value) == 33139605.90
    for code, growth in T5_GROWTH.items():
        cell = rows[code][6]
        assert f"{cell.value}%" == growth and cell.number_format.startswith('0"%"')


@pytest.mark.parametrize("code", T7)
def test_basic_by_government_classification(workbook, code):
    assert workbook(STEM, "表七").amounts(code) == D(T7[code])


def test_project_expenditure_by_both_classifications(workbook):
    assert workbook(STEM, "表八").amounts("30201") == D(16288400.00)
    assert workbook(STEM, "表九").amounts("505") == D(1260000.00)


def test_three_public_this_year_first(workbook):
    assert workbook(STEM, "表十").rows[-1] is not None
    sheet = workbook(STEM, "表十")
    row = next(r for r in sheet.rows if any(isinstance(c, (int, float)) for c in r))
    assert [c for c in row if isinstance(c, (int, float))] == \
        [390000, 0, 330000, 0, 330000, 60000, 515000, 0, 405000, 0, 405000, 110000]


def test_department_line_and_unit(workbook):
    text = workbook(STEM, "表一").text()
    assert "部门全称：重庆市渝北区人民政府办公室" in text and "单位：元" in text
    assert workbook(STEM, "表一").amounts("合计", "合计") == D(34003724.85, 34003724.85)


def test_empty_tables_notes(workbook):
    assert "备注：本部门无政府性基金收支，故此表无数据。" in workbook(STEM, "表十一").text()
    assert "备注：本部门无该项收支，故此表无数据。" in workbook(STEM, "表十二").text()
    assert "备注：本部门无政府采购预算，故此表无数据。" in workbook(STEM, "表十四").text()
    assert "备注：本部门无重点项目绩效。" in workbook(STEM, "表十六").text()


def test_general_project_forms(workbook, built):
    names = load_workbook(built / f"{STEM}.xlsx").sheetnames
    assert "表十三" not in names            # left out: the source lacks 12 of its 17 projects
    assert [n for n in names if n.startswith("表十七")] == [f"表十七-{i}" for i in range(1, 6)]
    form = workbook(STEM, "表十七-1")
    assert "编制单位：重庆市渝北区政务信息中心" in form.text()
    assert form.amounts("当年预算") == D(150000, 150000)
    assert form.row("指标名称", "指标权重", "计量单位", "指标性质", "指标值", "是否核心指标")


def test_overall_performance(workbook):
    sheet = workbook(STEM, "表十五")
    assert sheet.row("上报政务信息得分", "20", "分", "≥", "550", "是")
    assert sheet.amounts("部门支出预算数") == D(34003724.85)


def test_strict_build_names_the_missing_projects(tmp_path):
    result = run_cli("build", str(EXAMPLES / f"{STEM}.yaml"), "-o", str(tmp_path), "--only", "xlsx")
    assert result.returncode == 1
    assert "方案“渝北”的表十三（项目支出明细表）需要科目 2129999 的全部项目及金额" in result.stdout
    assert not list(tmp_path.iterdir())
