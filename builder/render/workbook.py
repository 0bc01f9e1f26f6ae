"""The workbook's plain helpers, shared by every workbook the tool writes: the publication's
(render/xlsx.py), the district overview (汇总) and the comparison report.

A cell written here holds a value, never a formula: text is forced to be text (a name such as
`=HYPERLINK(…)` stays those characters; control characters are dropped), numbers stay numbers
under the format given. Each cell style is made once per workbook and copied — openpyxl looks up
every assigned Font, Alignment and Border by hashing it, which cost a third of a workbook's time —
and so is each style step of a merge (`merge`, which writes the bytes ws.merge_cells writes:
tests/render/test_xlsx.py). The openpyxl internals relied on are here only: a cell's `_style`
array and a sheet's `_cells`. A workbook's bytes are reproducible: fixed document times and zip
entry dates.
"""

from __future__ import annotations

import io
import weakref
import zipfile
from copy import copy
from datetime import datetime
from decimal import Decimal
from typing import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = datetime(2000, 1, 1)
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"
SIZE = 10                   # the tables' font size (pt)


def plain_text(value: object) -> str:
    """A value as a cell's text: control characters, which a workbook cannot hold, dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def write_cell(cell, value, *, bold=False, size=SIZE, horizontal="left", border=True, number_format=None,
               wrap=True, vertical="center"):
    """A value into a cell: a number under its format, anything else as text, never a formula."""
    quote = False
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        cell.value = value
        number_format = number_format or "#,##0.00;-#,##0.00;;@"
    else:
        cell.value = plain_text(value)
        cell.data_type = "s"            # never a formula, never an error value
        quote = cell.value.startswith(("=", "+", "-", "@"))
        number_format = None
    _style(cell, (size, bold, horizontal, vertical, wrap, border, number_format, quote))


# A workbook's cell styles, each made once: openpyxl looks every assigned Font, Alignment and
# Border up by hashing it, which cost a third of the workbook's time; a made style is copied.
_STYLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _style(cell, key: tuple) -> None:
    made = _STYLES.setdefault(cell.parent.parent, {})
    if key in made:
        cell._style = copy(made[key])
        return
    size, bold, horizontal, vertical, wrap, border, number_format, quote = key
    cell._style = StyleArray()          # made from nothing, whatever the cell had
    if size is not None:
        cell.font = Font(name=FONT, size=size, bold=bold)
        cell.alignment = Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)
    if border:
        cell.border = BORDER
    if number_format:
        cell.number_format = number_format
    if quote:
        cell.quotePrefix = True
    made[key] = copy(cell._style)


# Merging: openpyxl gives each cell of a merged range its edge borders and the range's protection,
# looking every Border up by hashing it — most of a publication's workbook time (it merges
# hundreds of ranges). The same step on a cell of the same style always makes the same style: it
# is done once per workbook and copied, so the workbook's style lists fill in the same order and
# its bytes are those openpyxl's merge_cells writes.
_MERGES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def merge(ws, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
    """ws.merge_cells over the range, each style step made once per workbook (see above)."""
    made = _MERGES.setdefault(ws.parent, {})

    def step(cell, what: tuple, do) -> None:
        key = (None if cell._style is None else tuple(cell._style), what)
        if key in made:
            cell._style = copy(made[key])
        else:
            do(cell)
            made[key] = copy(cell._style)

    cells = ws._cells
    mcr = MergedCellRange.__new__(MergedCellRange)          # (its __init__ would style the start cell)
    mcr.ws = ws
    CellRange.__init__(mcr, min_col=first_column, min_row=first_row, max_col=last_column, max_row=last_row)
    start = mcr.start_cell = cells.get((first_row, first_column)) or ws.cell(first_row, first_column)
    end = cells.get((last_row, last_column))
    if end is not None:             # the start cell takes the end cell's right and bottom borders
        def take(cell, end=end) -> None:
            cell.border += Border(right=end.border.right, bottom=end.border.bottom)
        step(start, ("end", tuple(end._style)), take)
    ws.merged_cells.add(mcr)
    for row, column in list(mcr.cells)[1:]:
        cells[row, column] = MergedCell(ws, row, column)
    border = start.border
    for name in ("top", "left", "right", "bottom"):
        side = getattr(border, name)
        if side and side.style is None:
            continue
        edge = Border(**{name: side})

        def add(cell, edge=edge) -> None:
            cell.border += edge
        for coord in getattr(mcr, name):
            step(cells[coord], ("edge", name, start._style.borderId), add)
    protection = copy(start.protection)

    def protect(cell) -> None:
        cell.protection = protection
    for coord in mcr.cells:
        step(cells[coord], ("protect", start._style.protectionId), protect)


def border_only(cell) -> None:
    """A cell under a merged one: only its border shows."""
    _style(cell, (None, False, None, None, False, True, None, False))


def print_setup(ws, landscape: bool, margins: PageMargins | None = None) -> None:
    """A4, fit to the page width, centred, 第 X 页 共 Y 页 in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    if margins is not None:
        ws.page_margins = margins


def list_sheet(ws, title: str, header: list[str], rows: Sequence[Sequence[tuple[object, str | None]]], widths: list[float],
               freeze: str, title_size: float = SIZE, bold_from: int | None = None) -> None:
    """A sheet that lists items, one row each: a title line, a bold header row repeated on every
    printed page, then the rows — each cell a (value, number format); numbers to the right — the
    rows from `bold_from` on in bold (totals), columns of the given widths, frozen at `freeze`,
    printed landscape."""
    write_cell(ws.cell(1, 1), title, bold=True, size=title_size, border=False, wrap=False)
    for j, text in enumerate(header, start=1):
        write_cell(ws.cell(2, j), text, bold=True, horizontal="center")
    for i, row in enumerate(rows, start=3):
        for j, (value, number_format) in enumerate(row, start=1):
            number = isinstance(value, (Decimal, int)) and not isinstance(value, bool)
            write_cell(ws.cell(i, j), "" if value is None else value, horizontal="right" if number else "left",
                       number_format=number_format, bold=bold_from is not None and i - 3 >= bold_from)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = freeze
    ws.print_title_rows = "2:2"
    print_setup(ws, landscape=True)


def finish(wb: Workbook, title: str) -> bytes:
    """The workbook's bytes, reproducible: fixed document times and zip entry dates."""
    wb.properties.creator = "budget-builder"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.title = title
    # Not wb.save(): it stamps `modified` with the clock. ExcelWriter keeps our fixed time, and
    # the archive below gives every entry a fixed date as it is written.
    buffer = io.BytesIO()
    with _FixedDateZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return buffer.getvalue()


class _FixedDateZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed date (openpyxl would stamp each with the clock)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(info, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as handle:         # worksheets come from temporary files
            self.writestr(arcname or filename, handle.read())
