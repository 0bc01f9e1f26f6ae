"""Layout settings other regions print, each a profile setting (tests/fixtures/profiles/布局试验.yaml),
read back from the XLSX and the PDF text."""

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import run_cli

FIXTURES = __import__("pathlib").Path(__file__).resolve().parent.parent / "fixtures"
PROFILE = FIXTURES / "profiles" / "布局试验.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("layouts")
    result = run_cli("build", str(FIXTURES / "generic-budget.yaml"), "--profile", str(PROFILE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return load_workbook(out / "generic-budget.xlsx"), PdfReader(out / "generic-budget.pdf")


def rows(wb, sheet):
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]


def test_document_and_contents_titles_and_landscape_cover(built):
    wb, pdf = built
    assert wb["目录"]["A1"].value == "通用测试局2024年度预算公开（布局试验）"
    cover = pdf.pages[0]
    assert float(cover.mediabox.width) > float(cover.mediabox.height)          # landscape
    text = cover.extract_text()
    assert "通用测试局2024年度预算公开（布局试验）" in text and "目录（试验）" in text
    assert wb["目录"].page_setup.orientation == "landscape"


def test_a_table_in_its_own_unit(built):
    wb, pdf = built
    table = rows(wb, "表1")
    assert [None, "单位：万元"] in table                     # the 单位 line follows the table's unit
    assert ["公务接待费", 2] in table                        # 20,000 元 shown as 2.00 万元
    assert rows(wb, "表2")[2][-1] == "单位：元"              # the others stay in the profile's unit
    assert "单位：万元" in "".join(p.extract_text() for p in pdf.pages)


def test_derived_running_costs_can_be_named(built):
    wb, _ = built
    assert ["机关运行经费", 30] in rows(wb, "表1")            # 公用经费 290,000 + 10,000 元


def test_codes_split_into_class_group_item_with_total_at_the_bottom(built):
    wb, _ = built
    table = rows(wb, "表2")
    assert table[4][:3] == ["类", "款", "项"]
    assert ["201", "31", "01", "行政运行", 1050000] in table
    assert ["208", "05", None, "行政事业单位养老支出", 200000] in table
    assert table[-1] == ["合计", None, None, None, 1550000]
    merged = {str(r) for r in wb["表2"].merged_cells.ranges}
    assert f"A{len(table)}:D{len(table)}" in merged          # the 合计 label spans code and name


def test_codes_merged_over_three_columns_and_zeros_printed(built):
    wb, pdf = built
    table = rows(wb, "表3")
    assert ["2013101", None, None, "行政运行", 1050000, 0] in table
    assert "A8:C8" in {str(r) for r in wb["表3"].merged_cells.ranges}
    assert wb["表3"]["F8"].number_format.split(";")[2] == "#,##0.00"   # zero shows as 0.00
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "1,050,000.00 0.00" in text.replace("\n", " ")


def test_blank_filler_rows_of_an_empty_table(built):
    wb, _ = built
    table = rows(wb, "表4")
    assert table[4:10] == [[None, None, None]] * 6
    assert table[10] == ["注：本部门无政府性基金预算支出，空表列示。", None, None]
    assert all((wb["表4"].row_dimensions[r].height or 0) >= 18 for r in range(5, 11))
