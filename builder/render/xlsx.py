"""Render the document into one formatted XLSX workbook: a 目录 sheet, the 情况说明, then one
sheet per table.

Cells hold values, never formulas: text from the YAML is forced to be text (a project named
`=HYPERLINK(…)` stays those characters), amounts are Decimals in the display unit with a
thousands-separator format that leaves zero blank, as the published tables do. The file is
reproducible: fixed document timestamps and zip entry dates.

It must also print — from Excel and from LibreOffice — without a cut column or a clipped line.
Neither program sizes a wrapped row itself when the file has a height, so heights are estimated
here from the text, the column width and the font size (`wrapped_lines`, `row_height`), and no row
may be taller than Excel allows (409 pt): a longer paragraph of the 情况说明 goes over several
rows, cut after a sentence; a taller table row is spread over several rows merged per cell.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from ..publication.model import Block, Publication, Table, place
from . import Rendered
from .workbook import SIZE, border_only, finish, merge, plain_text, print_setup, write_cell

NARRATIVE_SIZE = 10.5       # the 情况说明's, as in the published text
TITLE_SIZE = 14

# Row heights are estimated from the text. A unit of column width is the default font's digit,
# 7 px = 5.25 pt at 96 dpi; a half-width character of an n-pt font is n/2 pt wide, a CJK one n pt.
# We count a unit as 5 pt, not 5.25, and one unit of every column as its padding: lines break
# early (a word or a number stays whole, no line starts with ，。), and a row a little too high
# costs a little white, one a little too low clips its last line.
UNIT_PT = 5
LINE_SPACING = 1.5          # a line's height / the font size: 宋体 in Excel needs ≈1.3, Noto Sans SC
                            # (LibreOffice's usual CJK fallback) ≈1.45
ROW_PADDING_PT = 4
MIN_ROW_PT = 20
MAX_ROW_PT = 409            # Excel's largest row height: a taller row opens at 409 pt, its end clipped


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_units(text: str, size: float = SIZE) -> float:
    """The width of one line of text in units of column width, at a font size (see UNIT_PT)."""
    return display_width(text) * size / 2 / UNIT_PT


def wrapped_lines(text: object, width: float, size: float = SIZE) -> int:
    """The lines a wrapped text takes in a column (or merged columns) `width` units wide; each of
    its own lines wraps on its own."""
    room = max(width - 1, 1)
    return sum(max(1, math.ceil(text_units(line, size) / room)) for line in plain_text(text).split("\n"))


def row_height(lines: int, size: float = SIZE) -> int:
    """The height (pt) of a row showing `lines` lines of a font size, never below MIN_ROW_PT."""
    return max(MIN_ROW_PT, math.ceil(lines * size * LINE_SPACING) + ROW_PADDING_PT)


def max_lines(size: float) -> int:
    """The most lines of a font size one row can show within Excel's largest row height."""
    return int((MAX_ROW_PT - ROW_PADDING_PT) // (size * LINE_SPACING))


# Where a paragraph may be cut between rows: after a sentence (。；！？, with a closing quote or
# bracket that follows it) or a line break.
_CUT = re.compile(r"(?<=[。；！？])(?![”’」』）)])|(?<=[。；！？][”’」』）)])|(?<=\n)")
_SOFT_CUT = "，、,"


def split_text(text: str, width: float, size: float, lines: int) -> list[str]:
    """The text in consecutive pieces of at most `lines` lines each, one per row, cut only where
    needed: after a sentence or at a line break (the break itself is dropped: the next row starts
    a line), else — a sentence longer than a whole row — after the last comma that fits, or the
    last character. Joined, the pieces are the text without the line breaks they were cut at."""
    fits = lambda piece: wrapped_lines(piece.removesuffix("\n"), width, size) <= lines
    pieces, current = [], ""
    for sentence in _CUT.split(plain_text(text)):
        if fits(current + sentence):
            current += sentence
            continue
        if current:
            pieces.append(current)
        current = sentence
        while not fits(current):
            low, high = 1, len(current)         # the longest prefix that fits (1 char always does)
            while low < high:
                mid = (low + high + 1) // 2
                low, high = (mid, high) if fits(current[:mid]) else (low, mid - 1)
            soft = max(current.rfind(ch, 0, low) for ch in _SOFT_CUT) + 1
            cut = soft if soft > low // 2 else low
            pieces.append(current[:cut])
            current = current[cut:]
    pieces.append(current)
    return [piece.removesuffix("\n") for piece in pieces]


_ALIGN = {"amount": "right", "percent": "right", "count": "right", "number": "right", "center": "center",
          "head": "center", "code": "left", "label": "left", "text": "left", "caption": "left"}


def _amount_format(table: Table, decimals: int | None = None, zero: str = "") -> str:
    zeros = "0" * (table.decimals if decimals is None else decimals)
    body = f"#,##0.{zeros}" if table.thousands else f"0.{zeros}"
    body = body.rstrip(".")
    return f"{body};-{body};{body if zero else ''};@"


def _decimals(value: Decimal, decimals: int | None) -> int:
    if decimals is not None:
        return decimals
    return max(0, -int(value.as_tuple().exponent))


def _number_format(cell, table: Table) -> str:
    """Each value kind keeps its number in the cell, formatted as the PDF prints it."""
    if cell.kind == "percent":
        # The number as typed and printed (a weight 5 shown 5%, 7.5 shown 7.5%) with a literal %
        # sign, not 0.05 under Excel's 0%: the cell shows the PDF's text, and a column of weights
        # sums to 100 — the figure the 权重合计 rule and the published forms use.
        zeros = "0" * _decimals(cell.value, cell.decimals)
        body = f"0.{zeros}" if zeros else "0"
        return f'{body}"%";-{body}"%";{body}"%"'
    if cell.kind == "count":
        body = "#,##0" if table.thousands else "0"
        return f"{body};-{body};{body if cell.zero else ''};@"
    if cell.kind == "number":
        zeros = "0" * _decimals(cell.value, cell.decimals)
        return f"0.{zeros}" if zeros else "0"
    return _amount_format(table, cell.decimals, cell.zero)


def _write_above(ws, row: int, line: list[str], widths: list[float]) -> None:
    """A line above the table: one cell → left, three cells → left, centre, right parts. Never
    wrapped (the row is one line high): each part gets columns enough for its text where the
    table has them."""
    n = len(widths)
    if len(line) == 1:
        merge(ws, row, 1, row, n)
        write_cell(ws.cell(row, 1), line[0], border=False, wrap=False)
        return
    for text, (first, last), align in zip(line, _above_regions(line, widths), ("left", "center", "right")):
        if last < first or not text:
            continue        # an empty part stays blank, so the text beside it may run over it
        if last > first:
            merge(ws, row, first, row, last)
        write_cell(ws.cell(row, first), text, horizontal=align, border=False, wrap=False)


def _above_regions(line: list[str], widths: list[float]) -> list[tuple[int, int]]:
    """The columns (first, last) of the three parts of a line above the table: thirds by width (so a
    narrow 序号 column does not squeeze the left part) — unless a text would not fit its third, then
    the split that leaves the least text outside its columns, nearest the thirds."""
    n = len(widths)
    total, running, cuts = sum(widths), 0.0, list[int]()
    for i, width in enumerate(widths, start=1):
        running += width
        if len(cuts) < 2 and running >= total * (len(cuts) + 1) / 3:
            cuts.append(i)
    first_end = max(1, cuts[0])
    second_end = max(first_end + 1, cuts[1] if len(cuts) > 1 else n - 1)
    thirds = [(1, first_end), (first_end + 1, min(second_end, n - 1)), (min(second_end, n - 1) + 1, n)]
    needs = [text_units(text) + 1 if text else 0.0 for text in line]

    def outside(regions) -> float:
        return sum(max(0.0, need - sum(widths[first - 1:last])) for need, (first, last) in zip(needs, regions))

    if n < 3 or not outside(thirds):
        return thirds
    splits = [[(1, a), (a + 1, b), (b + 1, n)] for a in range(1, n - 1) for b in range(a + 1, n)]
    return min(splits, key=lambda r: (outside(r), abs(sum(widths[:r[0][1]]) - total / 3)
                                      + abs(sum(widths[:r[1][1]]) - total * 2 / 3)))


def _write_rows(ws, row: int, section: list[list], table: Table, bold: bool) -> int:
    """Write header or body rows from sheet row `row` on; return the number of sheet rows used.

    A table row whose text needs more than Excel's largest row height is spread over as many sheet
    rows as it needs, every cell of it merged across them: a cell keeps its whole text (one value to
    copy), and no row is taller than 409 pt."""
    n, widths = table.ncols, table.widths
    placed = place(section, n)
    lines = [1] * len(section)
    for r, c, cell in placed:
        width = sum(widths[c:c + cell.colspan]) or 10
        lines[r] = max(lines[r], math.ceil(wrapped_lines(cell.value, width) / cell.rowspan))
    heights = [row_height(k) for k in lines]
    spread = [math.ceil(h / MAX_ROW_PT) for h in heights]
    starts = [row + sum(spread[:r]) for r in range(len(section))]
    fmt = _amount_format(table)
    for r, c, cell in placed:
        top, left = starts[r], c + 1
        last = min(r + cell.rowspan, len(section)) - 1
        bottom, right = starts[last] + spread[last] - 1, left + cell.colspan - 1
        for y in range(top, bottom + 1):
            for x in range(left, right + 1):
                border_only(ws.cell(y, x))
        if bottom > top or right > left:
            merge(ws, top, left, bottom, right)
        is_bold = bold or cell.kind in ("head", "caption") or cell.bold
        number_format = _number_format(cell, table) if isinstance(cell.value, Decimal) else fmt
        write_cell(ws.cell(top, left), cell.value, bold=is_bold, horizontal=_ALIGN[cell.kind],
                   number_format=number_format)
    for r, height in enumerate(heights):
        for k in range(spread[r]):
            ws.row_dimensions[starts[r] + k].height = math.ceil(height / spread[r])
    return sum(spread)


def _write_table(ws, table: Table) -> None:
    n, total = table.ncols, sum(table.widths)
    for i, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    row = 1
    if table.label and table.print_label:
        # never wrapped: in a narrow first column (附件10 over a 序号 column 5 wide) a wrapped
        # label would show its first line only; unwrapped, it runs on over the empty cells beside it
        write_cell(ws.cell(row, 1), table.label, size=11, border=False, wrap=False)
        row += 1
    merge(ws, row, 1, row, n)
    write_cell(ws.cell(row, 1), table.title, bold=True, size=TITLE_SIZE, horizontal="center", border=False)
    ws.row_dimensions[row].height = max(28, row_height(wrapped_lines(table.title, total, TITLE_SIZE), TITLE_SIZE))
    row += 1
    if table.subtitle:
        merge(ws, row, 1, row, n)
        write_cell(ws.cell(row, 1), table.subtitle, horizontal="center", border=False)
        ws.row_dimensions[row].height = row_height(wrapped_lines(table.subtitle, total))
        row += 1
    for line in table.above:
        _write_above(ws, row, line, table.widths)
        row += 1
    header_top = row
    row += _write_rows(ws, row, table.header, table, bold=True)
    header_bottom = row - 1
    row += _write_rows(ws, row, table.body, table, bold=False)
    for note in table.notes:
        merge(ws, row, 1, row, n)
        write_cell(ws.cell(row, 1), note, border=False)
        ws.row_dimensions[row].height = row_height(wrapped_lines(note, total))
        row += 1

    if not table.form:
        ws.freeze_panes = ws.cell(header_bottom + 1, 1) if table.header else None
        if table.header:
            ws.print_title_rows = f"{header_top}:{header_bottom}"
    print_setup(ws, table.landscape)


def _sheet_name(label: str, used: set[str]) -> str:
    name = "".join(ch for ch in label if ch not in "[]:*?/\\")[:31] or "表"
    base, k = name, 2
    while name in used:
        name = f"{base[:28]}({k})"
        k += 1
    used.add(name)
    return name


# The 情况说明 prints on A4 portrait with the PDF's side margins (14 mm), in columns that fill the
# width between them in Excel's measure: 96 px an inch, a unit of column width 7 px, 5 px more per
# column. Two columns merged on every row, not one: LibreOffice never scales a single column down
# to the page (it counts one page across, fit or not) and cuts it on both sides where its measure is
# wider than Excel's (no Calibri: a unit is then ≈ 7 pt, not 5.25); with two, fit-to-width works.
NARRATIVE_MARGINS = dict(left=0.55, right=0.55, top=0.75, bottom=0.75, header=0.3, footer=0.3)  # inches
NARRATIVE_COLUMNS = 2
A4_WIDTH_IN = 210 / 25.4


def narrative_widths() -> list[int]:
    """The widths of the 情况说明's columns, in units of column width."""
    inner_px = (A4_WIDTH_IN - NARRATIVE_MARGINS["left"] - NARRATIVE_MARGINS["right"]) * 96
    return [math.floor((inner_px / NARRATIVE_COLUMNS - 5) / 7)] * NARRATIVE_COLUMNS


def _write_narrative(ws, blocks: list[Block]) -> None:
    """One block a row, over the merged columns; a block longer than a row (409 pt) goes on over
    the next rows, cut after a sentence (`split_text`). Text sits at the top of its row, so the
    parts of a cut paragraph follow each other as lines do."""
    widths = narrative_widths()
    n, width = len(widths), sum(widths)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    row = 1
    for block in blocks:
        title = block.kind == "title"
        size = TITLE_SIZE if title else NARRATIVE_SIZE
        for piece in split_text(block.text, width, size, max_lines(size)):
            merge(ws, row, 1, row, n)
            write_cell(ws.cell(row, 1), piece, bold=block.kind in ("title", "heading"), size=size,
                       horizontal="center" if title else "left", border=False,
                       vertical="center" if title else "top")
            ws.row_dimensions[row].height = row_height(wrapped_lines(piece, width, size), size)
            row += 1
    print_setup(ws, landscape=False, margins=PageMargins(**NARRATIVE_MARGINS))
    ws.print_area = f"A1:{get_column_letter(n)}{max(row - 1, 1)}"


def _write_contents(contents, document: Publication, names: list[str]) -> None:
    """The 目录 sheet: the title, then each part's label and title, linked to its sheet."""
    title = document.title
    contents.title = "目录"
    label_width, title_width = 14, 70
    contents.column_dimensions["A"].width = label_width
    contents.column_dimensions["B"].width = title_width
    merge(contents, 1, 1, 1, 2)
    # the title as the PDF's cover prints it: a profile's line break stays one (a wrapped cell), in
    # a row high enough for its lines
    write_cell(contents["A1"], title, bold=True, size=TITLE_SIZE, horizontal="center", border=False)
    contents.row_dimensions[1].height = max(28, row_height(wrapped_lines(title, label_width + title_width, TITLE_SIZE),
                                                           TITLE_SIZE))
    write_cell(contents["A2"], "编号", bold=True, horizontal="center")
    write_cell(contents["B2"], "表名", bold=True, horizontal="center")
    entries = [("", document.narrative_title, "情况说明")] if document.narrative else []
    entries += [(t.label, t.contents_title, name) for t, name in zip(document.tables, names)]
    for i, (label, text, sheet) in enumerate(entries, start=3):
        write_cell(contents.cell(i, 1), label, horizontal="center")
        write_cell(contents.cell(i, 2), text)
        contents.cell(i, 2).hyperlink = f"#'{sheet}'!A1"
        # a long 目录 entry (a project's table) wraps: its row shows all its lines
        contents.row_dimensions[i].height = row_height(max(wrapped_lines(label, label_width),
                                                           wrapped_lines(text, title_width)))
    print_setup(contents, landscape=document.cover_landscape)


def render(document: Publication) -> Rendered:
    return Rendered({"xlsx": render_xlsx(document)})


def render_xlsx(document: Publication) -> bytes:
    """One workbook: 目录 (unless the profile leaves it out), the 情况说明 (when the profile has one), then one sheet per table."""
    tables = document.tables
    wb = Workbook()
    used = {"目录", "情况说明"}
    names = [_sheet_name(t.label or t.title, used) for t in tables]
    if document.contents:
        _write_contents(wb.active, document, names)
    else:
        wb.remove(wb.active)          # no 目录 (the profile's contents: false)
    if document.narrative:
        _write_narrative(wb.create_sheet("情况说明"), document.narrative)

    for table, name in zip(tables, names):
        _write_table(wb.create_sheet(name), table)

    return finish(wb, document.plain_title)


