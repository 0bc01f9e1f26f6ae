"""The publication as open data: every table with its title, label, unit, header and typed cells,
as JSON and as CSV, written beside the PDF (`build --only json`).

The JSON keeps the tables' shape: header and body rows of cells with their spans, each body cell
with its kind (amount, count, number, percent, text …), its value — an exact decimal as a string,
in the table's unit, as the XLSX holds it — and its text as the PDF prints it. The CSV has one
line per cell with its grid position, for a spreadsheet or a database. Neither holds anything the
other formats do not: they are drawn from the same publication.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from ..publication.model import Cell, Publication, Table, cell_text, place
from . import Rendered

CSV_COLUMNS = ("表号", "表名", "单位", "部分", "行", "列", "类型", "值", "文字", "跨列", "跨行")


def render(publication: Publication) -> Rendered:
    return Rendered({"json": as_json(publication).encode("utf-8"), "csv": as_csv(publication).encode("utf-8-sig")})


def _value(cell: Cell) -> str | None:
    if cell.value is None or cell.value == "":
        return None
    return format(cell.value, "f") if isinstance(cell.value, Decimal) else str(cell.value)


def _cell(cell: Cell, table: Table) -> dict[str, object]:
    out: dict[str, object] = {"kind": cell.kind, "value": _value(cell), "text": cell_text(cell, table)}
    if cell.colspan > 1:
        out["colspan"] = cell.colspan
    if cell.rowspan > 1:
        out["rowspan"] = cell.rowspan
    if cell.measure:
        out["measure"] = cell.measure
    return out


def _table(table: Table) -> dict:
    return {"id": table.id, "label": table.label, "title": table.title, "subtitle": table.subtitle,
            "unit": table.unit, "above": table.above, "columns": table.ncols,
            "header": [[_cell(c, table) for c in row] for row in table.header],
            "body": [[_cell(c, table) for c in row] for row in table.body], "notes": table.notes}


def as_json(publication: Publication) -> str:
    data = {"title": publication.title, "narrative_title": publication.narrative_title,
            "narrative": [{"kind": b.kind, "text": b.text} for b in publication.narrative],
            "tables": [_table(t) for t in publication.tables]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def as_csv(publication: Publication) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for table in publication.tables:
        for part, rows in (("表头", table.header), ("表体", table.body)):
            for r, c, cell in place(rows, table.ncols):
                writer.writerow([table.label, table.title, table.unit, part, r + 1, c + 1, cell.kind,
                                 _value(cell) or "", cell_text(cell, table), cell.colspan, cell.rowspan])
    return buffer.getvalue()
