"""The publication as one HTML page: the browser's preview of what the PDF prints.

It draws the same format-neutral publication the XLSX and PDF renderers draw (build.publication:
the cover title, the 目录, the 情况说明's blocks, every table's cells), and prints each cell with
the PDF's own `cell_text`, so a figure reads the same in the preview and on paper. It lays out
nothing of its own: no rows are computed, merged or dropped here. What it leaves to the PDF is
paper — pages, the height model, continuation titles（续）and page numbers: a screen shows a
whole table, so the preview does not cut one.

Text from the YAML reaches the page only through Jinja2 with autoescape on (`<b>` prints as
`<b>`), and the page carries no script and no inline style: column widths are classes
(`w37` is 37 %), so the service's Content-Security-Policy holds for the preview too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from .core import Cell, Publication, Table, cell_text, place

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("publication.html.j2")


def percent_widths(table: Table) -> list[int]:
    """Each column's share of the table, in whole percent (at least 1), from the profile's widths."""
    total = sum(table.widths) or 1
    return [max(1, min(100, round(w * 100 / total))) for w in table.widths]


def _cells(rows: list[list[Cell]], table: Table) -> list[list[dict]]:
    out: list[list[dict]] = [[] for _ in rows]
    for r, _c, cell in place(rows, table.ncols):
        out[r].append({"text": cell_text(cell, table), "colspan": cell.colspan, "rowspan": cell.rowspan,
                       "kind": cell.kind, "bold": cell.bold})
    return out


def table_view(table: Table, number: int) -> dict:
    body = _cells(table.body, table)
    filler, blank = table.filler_rows, table.blank_rows
    return {"anchor": f"t{number}", "label": table.label if table.print_label else "", "title": table.title,
            "subtitle": table.subtitle, "above": table.above, "notes": table.notes, "form": table.form,
            "landscape": table.landscape, "widths": percent_widths(table),
            "header": _cells(table.header, table),
            "body": [{"cells": row, "filler": i in filler, "blank": i in blank} for i, row in enumerate(body)],
            "contents_label": table.label, "contents_title": table.contents_title}


def render_publication(document: Publication) -> str:
    """The publication's HTML (a fragment for the preview page: 目录, 情况说明, every table)."""
    tables = [table_view(table, n) for n, table in enumerate(document.tables, start=1)]
    return _template().render(doc=document, tables=tables)
