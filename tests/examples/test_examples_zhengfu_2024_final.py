"""重庆市潼南区人民政府办公室 2024 年度部门决算 (seed 002) built from input_yaml, read back: what its
tables and its PDF hold besides the figures of golden/tongnan-zhengfu-2024-juesuan.yaml (checked by
test_golden.py: 01表–09表, the 自评表 and the 决算说明's sentences).

The 决算 is typed in 元 as published; every published figure of 01表–09表 and of the 自评表 is
reproduced exactly. Two published texts are not followed (see the YAML's comments): 05表's name of
类 201 ("一般公共预算支出"; the catalogue name is printed) and the 决算说明's "113 项" count of
indicators (the 自评表 list 140).
"""

import pytest
from pypdf import PdfReader

from conftest import EXAMPLES, D, run_cli

STEM = "tongnan-zhengfu-2024-juesuan"


def test_02_and_05_print_zero_as_0_00_and_01_leaves_it_blank(built):
    from openpyxl import load_workbook
    wb = load_workbook(built / f"{STEM}.xlsx")
    assert wb["02表"]["F8"].number_format.split(";")[2] != ""            # 0.00 printed
    assert wb["01表"]["C9"].value == 0 and wb["01表"]["C9"].number_format.split(";")[2] == ""


def test_01_rows_and_their_line_numbers(workbook):
    sheet = workbook(STEM, "01表")
    assert sheet.row("一、一般公共预算财政拨款收入", "1", "一、一般公共服务支出", "31")
    assert sheet.row("二十六、抗疫特别国债安排的支出", "26", "56")
    assert sheet.row("使用非财政拨款结余（含专用结余）", "28", "结余分配", "58")
    assert sheet.row("年初结转和结余", "29", "年末结转和结余", "59")


def test_04_rows_and_their_line_numbers(workbook):
    sheet = workbook(STEM, "04表")
    assert sheet.row("年初结转和结余", "28", "年末结转和结余", "60")
    assert sheet.row("国有资本经营预算财政拨款", "31", "63")


def test_06_lists_every_economic_class(workbook):
    values = workbook(STEM, "06表").side_by_side()
    assert len([c for c in values if len(c) == 5]) == 27 - 2 + 33 - 2 + 30 - 3      # every 款 of the 3 lists
    assert values["30106"] == 0 and values["39999"] == 0                           # listed, blank


@pytest.mark.parametrize("sheet", ["07表", "08表"])
def test_07_and_08_show_the_no_data_form(workbook, sheet):
    rows = [r for r in workbook(STEM, sheet).rows if any(isinstance(v, (int, float)) for v in r)]
    assert len(rows) == 2                                            # 合计, then one row of 0.00
    assert "合计" in rows[0] and all(v in (None, "") for v in rows[1][:4])
    assert all(v == 0 for v in rows[1] if isinstance(v, (int, float)))


def test_09_rows_without_figures(workbook):
    sheet = workbook(STEM, "09表")
    assert sheet.row("一、“三公”经费支出", "1", "—")
    assert sheet.row("五、机关运行经费", "25")
    assert sheet.row("七、政府采购支出信息", "39", "—")


def test_every_project_review_adds_up_to_the_project_spending(workbook):
    total = sum(workbook(STEM, f"项目自评-{n}").amounts("其中：财政拨款")[2] for n in range(1, 11))
    assert total == D(5031428.80)[0]


def test_the_pdf_shows_the_tables_in_order(built):
    reader = PdfReader(built / f"{STEM}.pdf")
    outline = [item.title for item in reader.outline]
    assert outline[0] == "情况说明"
    assert [o.split()[0] for o in outline[1:10]] == [f"{n:02d}表" for n in range(1, 10)]
    assert outline[10].startswith("整体自评") and outline[11].startswith("项目自评-1")
    assert len(outline) == 1 + 9 + 1 + 10


def test_builds_without_allow_incomplete(tmp_path):
    result = run_cli("build", str(EXAMPLES / f"{STEM}.yaml"), "-o", str(tmp_path), "--only", "xlsx")
    assert result.returncode == 0, result.stdout
