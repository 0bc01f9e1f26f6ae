"""The workbooks print: no row taller than Excel allows, the 情况说明 on A4 portrait fit to its
width and whole, weights as numbers that add up and show what the PDF prints, labels on one line —
and, where LibreOffice is installed, each example printed through it with no column or line cut.

The LibreOffice check converts the five example workbooks once (about 10 s). LibreOffice is given
the package's own CJK font through a private fontconfig file: on a machine without a CJK font it
would measure every Chinese character as a missing-glyph box, and print nothing like Excel does.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from builder.core.resources import cjk_font
from builder.publication.model import Block, Publication, cell_text, place
from builder.render.xlsx import MAX_ROW_PT, NARRATIVE_SIZE, _sheet_name, display_width, render_xlsx, split_text

from conftest import EXAMPLES

STEMS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
EXCEL_MAX_ROW_PT = 409          # Excel's own limit, written out here, not taken from the code


@pytest.fixture(scope="module")
def documents(published):
    return {stem: published(stem)[1] for stem in STEMS}


@pytest.fixture(scope="module")
def books(built):
    return {stem: load_workbook(built / f"{stem}.xlsx") for stem in STEMS}


def sheets_of(document):
    """(sheet name, table) for each table, as render_xlsx names the sheets."""
    used = {"目录", "情况说明"}
    return [(_sheet_name(t.label or t.title, used), t) for t in document.tables]


def shown(value, number_format: str) -> str:
    """What Excel shows for a number under the formats the renderer writes: sections for positive;
    negative; zero, `0`, `#,##0`, decimals, a quoted literal suffix. Any other format fails here."""
    value = Decimal(str(value))
    sections = number_format.split(";")
    if value < 0 and len(sections) > 1:
        section, value = sections[1], -value
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    else:
        section = sections[0]
    if not section:
        return ""
    match = re.fullmatch(r'(-?)(#,##)?0(?:\.(0+))?(?:"([^"]*)")?', section)
    assert match, number_format
    sign, thousands, zeros, suffix = match.groups()
    return sign + format(value, f"{',' if thousands else ''}.{len(zeros or '')}f") + (suffix or "")


# -- rows ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", STEMS)
def test_no_row_is_taller_than_excel_allows(books, stem):
    assert MAX_ROW_PT == EXCEL_MAX_ROW_PT
    tall = [(ws.title, r, d.height) for ws in books[stem] for r, d in ws.row_dimensions.items()
            if d.height and d.height > EXCEL_MAX_ROW_PT]
    assert tall == []


def test_a_table_row_taller_than_excel_allows_is_spread_over_merged_rows(books, documents):
    # the 整体自评's 绩效目标 row: 431 characters in a 全年目标实际完成情况 cell 29 units wide
    ws = books["tongnan-zhengfu-2024-juesuan"]["整体自评"]
    top = next(c.row for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and c.value.startswith("保障区政府的正常运转") and c.column > 1)
    merged = [r for r in ws.merged_cells.ranges if r.min_row == top]
    assert merged and all(r.max_row == top + 1 for r in merged)         # every cell of the row: two rows
    heights = [ws.row_dimensions[top].height, ws.row_dimensions[top + 1].height]
    assert all(h <= EXCEL_MAX_ROW_PT for h in heights) and sum(heights) > EXCEL_MAX_ROW_PT
    whole = documents["tongnan-zhengfu-2024-juesuan"].tables
    assert any(c.value == ws.cell(top, 1).value for t in whole for row in t.body for c in row)   # whole text


# -- the 情况说明 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", STEMS)
def test_narrative_page_setup(books, stem):
    ws = books[stem]["情况说明"]
    setup = ws.page_setup
    assert setup.orientation == "portrait" and int(setup.paperSize) == 9
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    margins = ws.page_margins
    assert 0.4 <= margins.left == margins.right <= 0.8 and 0.5 <= margins.top <= 1
    # its columns fill the width between the margins in Excel's measure (7 px a unit, 5 px more a
    # column, 96 px an inch) without exceeding it: Excel prints it at 100 %
    widths = [ws.column_dimensions[k].width for k in "AB"]
    inner_px = (210 / 25.4 - margins.left - margins.right) * 96
    assert inner_px - 40 < sum(w * 7 + 5 for w in widths) <= inner_px
    assert ws.print_area == f"'情况说明'!$A$1:$B${ws.max_row}"
    assert all(str(r) == f"A{r.min_row}:B{r.min_row}" for r in ws.merged_cells.ranges)   # one cell a row


@pytest.mark.parametrize("stem", STEMS)
def test_narrative_text_is_whole_and_in_order(books, documents, stem):
    ws = books[stem]["情况说明"]
    rows = [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
    flat = lambda text: text.replace("\n", "")
    assert flat("".join(rows)) == flat("".join(b.text for b in documents[stem].narrative))
    assert len(rows) >= len(documents[stem].narrative)


@pytest.mark.parametrize("stem", STEMS)
def test_narrative_rows_are_high_enough_for_their_text(books, stem):
    """Each row holds its lines in Excel's measure: a column `w` wide is 7w + 5 px (0.75 pt a px), a
    CJK character of a 10.5-pt font 10.5 pt wide, a line at least 1.3 × 10.5 pt high."""
    ws = books[stem]["情况说明"]
    width_pt = sum(ws.column_dimensions[k].width * 7 + 5 for k in "AB") * 0.75
    for (cell,) in ws.iter_rows(min_row=2, max_col=1):        # row 1 is the title
        size = cell.font.sz
        assert size == NARRATIVE_SIZE
        lines = sum(max(1, math.ceil(display_width(part) * size / 2 / width_pt)) for part in cell.value.split("\n"))
        assert ws.row_dimensions[cell.row].height >= lines * size * 1.3, (cell.row, cell.value[:20])


def test_a_paragraph_longer_than_a_row_is_cut_after_a_sentence():
    sentence = "各单位要按照预算法的规定做好预算公开工作，公开的内容要完整。"       # 30 characters, 60 wide
    paragraph = sentence * 40
    pieces = split_text(paragraph, 96, NARRATIVE_SIZE, 10)
    assert len(pieces) > 1 and "".join(pieces) == paragraph
    assert all(p.endswith("。") for p in pieces)
    # no sentence mark: cut after the last comma that fits, else the last character
    commas = "预算公开工作，" * 200
    assert all(p.endswith("，") for p in split_text(commas, 96, NARRATIVE_SIZE, 10)[:-1])
    plain = "预" * 3000
    assert "".join(split_text(plain, 96, NARRATIVE_SIZE, 10)) == plain
    # a line break at a cut starts the next row instead
    verbatim = "\n".join(f"{i}. {sentence}" for i in range(60))
    pieces = split_text(verbatim, 96, NARRATIVE_SIZE, 10)
    assert "\n".join(pieces) == verbatim and not any(p.startswith("\n") or p.endswith("\n") for p in pieces)


def test_long_narrative_blocks_go_over_several_rows_each_within_the_limit():
    blocks = [Block("title", "某部门2024年部门预算情况说明"), Block("paragraph", "预算公开工作要完整；" * 600),
              Block("contact", "联系人：某某")]
    wb = load_workbook(io.BytesIO(render_xlsx(Publication("某部门", "目　录", "情况说明", [], blocks))))
    ws = wb["情况说明"]
    values = [r[0] for r in ws.iter_rows(max_col=1, values_only=True)]
    assert values[0] == blocks[0].text and values[-1] == "联系人：某某" and len(values) > 4
    assert "".join(values[1:-1]) == blocks[1].text
    assert max(d.height for d in ws.row_dimensions.values()) <= EXCEL_MAX_ROW_PT


# -- weights and other percentages -----------------------------------------------------------------

def indicator_column(ws, header: str) -> list:
    """The values under an indicator header, down to the first row without one."""
    cells = [c for row in ws.iter_rows() for c in row if c.value == header]
    assert len(cells) == 1, header
    column, values = cells[0].column, []
    for row in range(cells[0].row + 1, ws.max_row + 1):
        cell = ws.cell(row, column)
        if cell.value is None:
            break
        values.append(cell)
    return values


# The weights the seeds print: ../shared/seeds/000 (潼南区委 2023) lines 346–357 (整体绩效目标表)
# and 369–375 (the 招商引资专项's 申报表), 003 (渝北 2024) lines 431–436 (政府公报编印邮寄费).
@pytest.mark.parametrize("stem, sheet, header, weights, suffix", [
    ("tongnan-quwei-2023", "附件11", "指标权重", [5, 5, 5, 10, 5, 10, 10, 10, 10, 10, 10, 10], "%"),
    ("tongnan-quwei-2023", "附件12-1", "权重", [20, 20, 15, 10, 5, 10, 10], ""),
    ("yubei-zhengfu-2024", "表十七-1", "指标权重", [25, 25, 20, 10, 10, 10], ""),
])
def test_weights_are_numbers_that_add_up(books, stem, sheet, header, weights, suffix):
    cells = indicator_column(books[stem][sheet], header)
    assert all(isinstance(c.value, (int, float)) and c.data_type == "n" for c in cells)
    assert [c.value for c in cells] == weights
    assert sum(c.value for c in cells) == sum(weights)
    # shown as the PDF prints them: 5% where the profile gives the weight a % sign (the number 5
    # formatted 0"%", so the column sums to 100), plain 25 where it does not
    assert all(shown(c.value, c.number_format) == f"{c.value}{suffix}" for c in cells)


@pytest.mark.parametrize("stem", STEMS)
def test_every_number_shows_what_the_pdf_prints(books, documents, stem):
    """Each number in a sheet, under its number format, reads as the PDF's text for it (weights
    and percentages included): the XLSX holds values, the PDF the same values as text."""
    for name, table in sheets_of(documents[stem]):
        ws = books[stem][name]
        in_sheet = sorted(shown(c.value, c.number_format) for row in ws.iter_rows() for c in row
                          if isinstance(c.value, (int, float)) and not isinstance(c.value, bool))
        in_pdf = sorted(cell_text(c, table) for row in table.header + table.body for c in row
                        if isinstance(c.value, Decimal))
        assert in_sheet == in_pdf, name


# -- labels ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", STEMS)
def test_labels_and_lines_above_never_wrap(books, documents, stem):
    for name, table in sheets_of(documents[stem]):
        ws = books[stem][name]
        first = 1
        if table.label and table.print_label:
            assert ws["A1"].value == table.label and not ws["A1"].alignment.wrap_text
            first = 2
        above = range(first + 1 + bool(table.subtitle), first + 1 + bool(table.subtitle) + len(table.above))
        for row in above:
            assert all(not c.alignment.wrap_text for c in ws[row] if c.value), (name, row)


def test_the_label_over_a_narrow_column_is_not_wrapped(books):
    ws = books["tongnan-quwei-2023"]["附件10"]
    assert ws["A1"].value == "附件10" and ws.column_dimensions["A"].width < display_width("附件10")
    assert not ws["A1"].alignment.wrap_text and ws["B1"].value is None     # it runs on over B1


# -- printed through LibreOffice ---------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(built, tmp_path_factory):
    """Each example workbook converted to PDF by LibreOffice, once: {stem: (reader, page texts,
    page widths, words per page)}."""
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not on PATH: the workbooks are not printed through LibreOffice")
    work = tmp_path_factory.mktemp("libreoffice")
    fonts = work / "fonts.conf"
    fonts.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{cjk_font().resolve().parent}</dir>
  <cachedir>{work / "fontcache"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    out = work / "pdf"
    # a profile of its own: never disturbs, nor waits for, a LibreOffice the user has open
    command = ["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--convert-to", "pdf", "--outdir", str(out), *(str(built / f"{s}.xlsx") for s in STEMS)]
    subprocess.run(command, env={**os.environ, "FONTCONFIG_FILE": str(fonts)}, capture_output=True,
                   timeout=600, check=True)
    result = {}
    for stem in STEMS:
        pdf = out / f"{stem}.pdf"
        texts = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("<page ")[1:]
        widths = [float(re.search(r'width="([\d.]+)"', page).group(1)) for page in boxes]
        words = [[(float(a), float(b)) for a, b in re.findall(r'<word xMin="([-\d.]+)" yMin="[-\d.]+" xMax="([-\d.]+)"', page)]
                 for page in boxes]
        result[stem] = (PdfReader(pdf), ["".join(t.split()) for t in texts], widths, words)
    return result


def sheet_pages(reader) -> dict[str, range]:
    """The pages of each sheet: LibreOffice bookmarks the first page of every sheet by its name."""
    starts = sorted((reader.get_destination_page_number(item), item.title) for item in reader.outline)
    ends = [start for start, _ in starts[1:]] + [len(reader.pages)]
    return {name: range(start, end) for (start, name), end in zip(starts, ends)}


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_libreoffice_prints_every_sheet_on_a_plausible_number_of_pages(printed, books, stem):
    """Every sheet starts a page of its own, so there are at least as many pages as sheets. A sheet
    fit to the page width takes more only by its length, and only the 情况说明 and a few long tables
    run over one page: twice the number of sheets is a generous ceiling (a sheet whose columns
    spilled onto pages of their own would double its count)."""
    reader = printed[stem][0]
    pages = sheet_pages(reader)
    assert list(pages) == books[stem].sheetnames
    assert all(len(p) >= 1 for p in pages.values())
    assert len(pages) <= len(reader.pages) <= 2 * len(pages)


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_libreoffice_cuts_no_column(printed, documents, stem):
    """Nothing printed outside the page, and the right-most cell of every row of every table — its
    last header, the figures of its last column — on the sheet's pages; the last column's header on
    the first page, beside the first column's."""
    reader, texts, widths, words = printed[stem]
    outside = [(i + 1, x0, x1) for i, (width, page) in enumerate(zip(widths, words))
               for x0, x1 in page if x0 < 0 or x1 > width + 0.5]
    assert outside == []
    pages = sheet_pages(reader)
    flat = lambda text: "".join(text.split())
    for name, table in sheets_of(documents[stem]):
        text = "".join(texts[i] for i in pages[name])
        first_page = texts[pages[name][0]]
        rows = table.header or table.body
        top = place(rows[:1], table.ncols)
        assert flat(cell_text(top[0][2], table)) in first_page, name
        assert flat(cell_text(top[-1][2], table)) in first_page, name
        for section in (table.header, table.body):
            for _, column, cell in place(section, table.ncols):
                if column + cell.colspan == table.ncols and cell_text(cell, table):
                    assert flat(cell_text(cell, table)) in text, (name, cell.value)


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_libreoffice_prints_the_whole_narrative(printed, documents, stem):
    reader, texts, _, _ = printed[stem]
    pages = sheet_pages(reader)["情况说明"]
    text = "".join(texts[i] for i in pages)
    narrative = documents[stem].narrative
    flat = lambda block: "".join(block.text.split())
    assert flat(narrative[-1]) in texts[pages[-1]]                  # the last paragraph, on the last page
    assert [b.text[:20] for b in narrative if flat(b) not in text] == []
