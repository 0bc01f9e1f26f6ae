"""Layout settings other regions print, each a profile setting (tests/fixtures/profiles/布局试验.yaml
and 布局试验二.yaml), read back from the XLSX and the PDF: its text, its rules and a page's pixels."""

import shutil
import subprocess

import pdfplumber
import pytest
from openpyxl import load_workbook
from PIL import Image
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


# -- the layouts of issue 18 (tests/fixtures/profiles/布局试验二.yaml): each setting beside a twin
# table that leaves it at its default, so that each test also sees the default print otherwise

MORE = FIXTURES / "profiles" / "布局试验二.yaml"


@pytest.fixture(scope="module")
def more(tmp_path_factory):
    out = tmp_path_factory.mktemp("layouts18")
    result = run_cli("build", str(FIXTURES / "generic-budget.yaml"), "--profile", str(MORE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    pdf = pdfplumber.open(out / "generic-budget.pdf")
    yield load_workbook(out / "generic-budget.xlsx"), pdf, out / "generic-budget.pdf"
    pdf.close()


def pages_of(pdf, label: str) -> list:
    """The PDF pages of a table: those whose first line is its label, or its label marked （续）."""
    return [p for p in pdf.pages
            if (p.extract_text().splitlines() or [""])[0].split()[0] in (label, f"{label}{'（续）'}")
            or p.extract_text().startswith(f"{label} ")]


def word(page, text: str) -> dict:
    [found] = [w for w in page.extract_words() if w["text"] == text]
    return found


def rules(page) -> tuple[list[float], list[float]]:
    """The x of the table's vertical rules and the y of its horizontal ones (pt)."""
    xs = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
    ys = sorted({round(e["top"], 1) for e in page.edges if e["orientation"] == "h"})
    return xs, ys


def test_filler_rows_go_above_a_bottom_total_where_the_profile_says(more):
    wb, pdf, _ = more
    above, end = rows(wb, "表1"), rows(wb, "表2")
    data = [r for r in above if r[0] and str(r[0]).isdigit()]
    assert len(data) == 7
    last = above.index(data[-1])
    # 7 rows and the 合计 make 8 of min_rows 12: four blank rows, between the rows and the 合计
    assert above[last + 1:last + 5] == [[None, None, None]] * 4
    assert above[last + 5] == ["合计", None, 1550000] and above[-1] == above[last + 5]
    ws = wb["表1"]
    assert all(ws.row_dimensions[r].height >= 20 for r in range(last + 2, last + 6))
    # the default: the 合计 right under the rows, the blank rows after it
    assert end[last + 1] == ["合计", None, 1550000] and end[last + 2:] == [[None, None, None]] * 4
    # the PDF: the 合计 four rows below the last row (the twin: the next row)
    gaps = []
    for label in ("表1", "表2"):
        [page] = pages_of(pdf, label)
        gaps.append(word(page, "合计")["top"] - word(page, "2080505")["top"])
    row = gaps[1]
    assert 4.5 * row < gaps[0] - row < 5.5 * row, gaps      # filler rows are 6 mm, a text row ≈ 7 mm


def test_codes_in_two_columns_class_and_group(more):
    wb, pdf, _ = more
    table = rows(wb, "表3")
    assert wb["表3"].max_column == 4                                     # 类 | 款 | 科目名称 | 金额
    assert table[3:5] == [["科目编码", None, "科目名称", "金额"], ["类", "款", None, None]]
    assert ["301", None, "工资福利支出", 900000] in table
    assert ["302", "17", "公务接待费", 10000] in table
    assert table[-1] == ["合计", None, None, 1200000]
    assert f"A{len(table)}:C{len(table)}" in {str(r) for r in wb["表3"].merged_cells.ranges}
    # merged: the whole code across the two columns
    merged = rows(wb, "表4")
    n = merged.index(["30217", None, "公务接待费", 10000]) + 1
    assert f"A{n}:B{n}" in {str(r) for r in wb["表4"].merged_cells.ranges}
    [page] = pages_of(pdf, "表3")
    assert "302 17 公务接待费 10,000.00" in page.extract_text()
    assert len(rules(page)[0]) == 5                                      # four columns
    from builder.profiles import load_profile
    assert [spec.ncols for spec in load_profile(str(MORE)).tables[2:4]] == [4, 4]


def test_a_landscape_table_can_stay_landscape_over_its_pages(more):
    wb, pdf, _ = more
    kept, turned = pages_of(pdf, "表5"), pages_of(pdf, "表6")
    assert len(kept) == 2 and all(p.width > p.height for p in kept)
    second = kept[1].extract_text()
    assert second.startswith("表5 横向跨页（续）") and "项目 金额" in second      # the header again
    # its twin, without keep_landscape, fits one page only upright: turned
    assert len(turned) == 1 and turned[0].width < turned[0].height
    assert wb["表5"].page_setup.orientation == "landscape" and wb["表5"].print_title_rows == "$4:$4"


def test_a_cover_title_in_two_lines(more):
    wb, pdf, _ = more
    cover = pdf.pages[0]
    assert cover.extract_text().splitlines()[:2] == ["通用测试局", "2024年部门预算"]
    assert word(cover, "2024年部门预算")["top"] - word(cover, "通用测试局")["top"] > 15   # a line of 18 pt below
    assert pdf.metadata["Title"] == "通用测试局2024年部门预算"          # a document's name: one line
    title = wb["目录"]["A1"]
    assert title.value == "通用测试局\n2024年部门预算" and title.alignment.wrap_text
    assert wb["目录"].row_dimensions[1].height >= 2 * 14 * 1.5             # both lines shown
    assert wb.properties.title == "通用测试局2024年部门预算"


def test_total_labels_centred(more):
    wb, pdf, _ = more
    # the profile centres them; 表2 says left for itself
    assert wb["表1"].cell(wb["表1"].max_row, 1).alignment.horizontal == "center"
    assert wb["表2"].cell(rows(wb, "表2").index(["合计", None, 1550000]) + 1, 1).alignment.horizontal == "left"
    total = rows(wb, "表4").index([None, None, "合计", 1200000]) + 1           # a top 合计 without a label:
    assert wb["表4"].cell(total, 3).alignment.horizontal == "center"          # its name is centred
    for label, centred in (("表1", True), ("表2", False)):
        [page] = pages_of(pdf, label)
        xs, _ = rules(page)
        label_word = word(page, "合计")
        middle = (label_word["x0"] + label_word["x1"]) / 2
        if centred:      # in the middle of the code and name columns the label spans
            assert abs(middle - (xs[0] + xs[2]) / 2) < 1
        else:
            assert label_word["x0"] - xs[0] < 10


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_blank_rows_print_at_a_rows_full_height(more, tmp_path):
    wb, pdf, path = more
    table = rows(wb, "表7")
    assert table[-3:] == [[None, None], [None, None], ["机关运行经费", 300000]]
    assert all(wb["表7"].row_dimensions[r].height >= 20 for r in range(len(table) - 3, len(table) + 1))
    [page] = pages_of(pdf, "表7")
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-f", str(page.page_number), "-l", str(page.page_number),
                    str(path), str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    xs, _ = rules(page)
    scale = 100 / 72
    left, right = int((xs[0] + 5) * scale), int((xs[-1] - 5) * scale)
    # the table's rules: pixel rows dark all across the table
    dark = [y for y in range(image.height)
            if all(image.getpixel((x, y)) < 128 for x in range(left, right, 5))]
    lines = [y for k, y in enumerate(dark) if k == 0 or y - dark[k - 1] > 1]
    heights = [b - a for a, b in zip(lines, lines[1:])]
    assert len(heights) == 5                                 # the header and four rows
    body = heights[1:]
    assert max(body) - min(body) <= 2, heights               # the blank rows as high as the written ones


@pytest.mark.parametrize("old, new, key, message", [
    ("    total: bottom\n    total_label: 合计\n    min_rows: 12\n    filler_at: above_total\n",
     "    min_rows: 12\n    filler_at: above_total\n", "filler_at:",
     "filler_at: above_total 把空白行放在底部的合计行之上，这张表还须写 total: bottom"),
    ("    min_rows: 12\n    filler_at: above_total\n", "    filler_at: above_total\n", "filler_at:",
     "filler_at 说明 min_rows 补足的空白行放在哪里，这张表没有写 min_rows"),
    ("    landscape: true\n    keep_landscape: true\n", "    keep_landscape: true\n", "keep_landscape:",
     "keep_landscape 只用于横向的表，这张表还须写 landscape: true"),
    ("    title: 空行\n", "    title: 空行\n    total_align: center\n", "total_align:",
     "total_align 只用于 layout: rows 的合计行；fixed、paired 表的各行按所写的文字印出"),
    ("{key: 科目名称, width: 30}", "{key: 科目名称, width: 30, parts: 2}", "parts: 2",
     "parts 只用于分列印出的编码列（split: parts 或 merged）"),
    ("split: parts, parts: 2}", "split: parts, parts: 4}", "parts: 4", "数值过大（写的是“4”）"),
])
def test_a_layout_setting_that_cannot_apply_fails_at_its_line(tmp_path, old, new, key, message):
    from builder.core.findings import BuildFailed
    from builder.profiles import load_profile
    path = tmp_path / "试验.yaml"
    path.write_text(MORE.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        load_profile(str(path))
    [finding] = failed.value.findings
    assert finding.message.endswith(message)
    assert key in path.read_text(encoding="utf-8").splitlines()[finding.line - 1]


def test_a_serial_table_numbers_its_total_on_from_the_rows_above_the_filler(tmp_path):
    from builder.build import analyse, publication
    path = tmp_path / "序号.yaml"
    path.write_text(MORE.read_text(encoding="utf-8").replace(
        "    filler_at: above_total\n", "    filler_at: above_total\n    serial: true\n", 1), encoding="utf-8")
    table = publication(analyse(FIXTURES / "generic-budget.yaml", str(path))).tables[0]
    assert [row[0].value for row in table.body] == [str(n) for n in range(1, 8)] + [""] * 4 + ["8"]
    assert table.body[-1][1].value == "合计"
