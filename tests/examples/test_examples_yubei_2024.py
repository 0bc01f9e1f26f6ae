"""重庆市渝北区人民政府办公室 2024 (seed 003, profile 渝北, amounts in 元), read back: what its tables
hold besides the figures of golden/yubei-zhengfu-2024.yaml (checked by test_golden.py)."""

from openpyxl import load_workbook

from conftest import EXAMPLES, run_cli

STEM = "yubei-zhengfu-2024"


def test_previous_year_total(built):
    ws = load_workbook(built / f"{STEM}.xlsx")["表五"]
    total = next(r for r in ws.iter_rows() if r[1].value == "合计")
    assert float(total[2].value) == 33139605.90


def test_three_public_this_year_first(workbook):
    assert workbook(STEM, "表十").rows[-1] is not None
    sheet = workbook(STEM, "表十")
    row = next(r for r in sheet.rows if any(isinstance(c, (int, float)) for c in r))
    assert [c for c in row if isinstance(c, (int, float))] == \
        [390000, 0, 330000, 0, 330000, 60000, 515000, 0, 405000, 0, 405000, 110000]


def test_department_line_and_unit(workbook):
    text = workbook(STEM, "表一").text()
    assert "部门全称：重庆市渝北区人民政府办公室" in text and "单位：元" in text


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
    assert form.row("指标名称", "指标权重", "计量单位", "指标性质", "指标值", "是否核心指标")


def test_strict_build_names_the_missing_projects(tmp_path):
    result = run_cli("build", str(EXAMPLES / f"{STEM}.yaml"), "-o", str(tmp_path), "--only", "xlsx")
    assert result.returncode == 1
    assert "方案“渝北”的表十三（项目支出明细表）需要科目 2129999 的全部项目及金额" in result.stdout
    assert not list(tmp_path.iterdir())
