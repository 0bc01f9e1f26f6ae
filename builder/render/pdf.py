"""Render the document — cover and 目录, the 情况说明, the tables — into one publishable PDF.

The HTML comes from a Jinja2 template with autoescape on, so text from the YAML is always shown
as text (`<b>` prints as `<b>`). WeasyPrint may fetch nothing but the project's own stylesheet
and font: a restricted URL fetcher refuses every other URL and file. Chinese is set in an
embedded CJK font (see `resources.cjk_font`), so no glyph falls back to an empty box. The font
WeasyPrint gets is already cut down to the document's characters (see `fonts`): subsetting the
whole 8 MB font inside WeasyPrint took most of a PDF's time.
"""

from __future__ import annotations

import dataclasses
import functools
import os

import jinja2

from ..core.resources import cjk_font, pdf_dir
from ..publication.model import Cell, Publication, Table, cell_text, place
from . import Rendered, fonts, paging, style, weasy

SQUEEZED = 0.75         # a column given less than this share of its declared width is squeezed
READABLE_PT = 7.5       # … and the table's font gets smaller to spare it, down to this size


def fit_columns(table: Table, texts: dict[int, float]) -> tuple[list[float], float]:
    """Column widths (mm) and font size (pt) such that every figure, code and short header word
    fits its column on one line: the profile's widths where they suffice; a column that needs
    more takes it from the columns that have room. If even that cannot fit the page, or it would
    squeeze a column (a form's 指标名称) to a sliver, the table's font gets smaller."""
    available = paging.CONTENT_MM[table.landscape][0]
    total = sum(table.widths) or 1
    declared = [w * available / total for w in table.widths]
    size = paging.FONT_PT[table.landscape]
    padding = 2 * paging.PADDING_MM[table.landscape][1] + paging.BORDER_MM + paging.FIT_MM
    while True:
        needed = [texts[c] * size * paging.PT_MM + padding if texts.get(c) else 0.0
                  for c in range(len(declared))]
        widths = [max(d, n) for d, n in zip(declared, needed)]
        excess = sum(widths) - available
        slack = [w - n for w, n in zip(widths, needed)]
        if excess > 0 and sum(slack) > 0:
            widths = [w - excess * s / sum(slack) for w, s in zip(widths, slack)]
        squeezed = any(w < SQUEEZED * d for w, d in zip(widths, declared))
        if size <= paging.SMALLEST_PT or (sum(needed) <= available and (not squeezed or size <= READABLE_PT)):
            return widths, size
        size -= 0.25


def _unbreakable_em(table: Table) -> dict[int, float]:
    """The widest text of each column that must stay on one line (em): figures and codes, and
    the header words of up to `paging.HEADER_WORD` characters (a text over several columns
    shares its width among them)."""
    widest: dict[int, float] = {}

    def need(c: int, span: int, em: float) -> None:
        for k in range(c, min(c + span, table.ncols)):
            widest[k] = max(widest.get(k, 0.0), em / span)

    def words(c: int, cell: Cell) -> None:
        kept = [w for w in paging.header_words(str(cell.value or "")) if len(w) <= paging.HEADER_WORD]
        if kept:
            need(c, cell.colspan, max(paging.text_em(w) for w in kept))

    for _r, c, cell in place(table.header, table.ncols):
        words(c, cell)
    for _r, c, cell in place(table.body, table.ncols):
        if cell.kind in paging.NOWRAP:
            need(c, cell.colspan, paging.text_em(cell_text(cell, table)))
        elif cell.kind in ("head", "label"):
            words(c, cell)
    return widest


def _words(text: str) -> list[tuple[str, bool]]:
    """A header or label text as (piece, kept on one line) for the template: words of up to
    `paging.HEADER_WORD` characters in no-wrap spans, the rest as they are."""
    return [(w, not w.isspace() and len(w) <= paging.HEADER_WORD) for w in paging.header_tokens(text)]


def _cells(rows: list[list[Cell]], table: Table) -> list[list[tuple[int, dict]]]:
    """Rows of view cells with their grid columns."""
    out: list[list[tuple[int, dict]]] = [[] for _ in rows]
    for r, c, cell in place(rows, table.ncols):
        text = cell_text(cell, table)
        kind = cell.kind + (" bold" if cell.bold else "")
        out[r].append((c, {"text": text, "colspan": cell.colspan, "rowspan": cell.rowspan, "kind": kind,
                           "words": _words(text) if cell.kind in ("head", "label") else None}))
    return out


def _view(table: Table) -> dict:
    widths, size = fit_columns(table, _unbreakable_em(table))
    header, body = _cells(table.header, table), _cells(table.body, table)
    grid = paging.Grid(widths, header, body, table.filler_rows, table.form, table.indicator_head, table.blank_rows)
    style = paging.Style(table.landscape, size, paging.PADDING_MM[table.landscape])
    # a text on one line needs no word spans (they cost layout time); only one that wraps does
    for rows, head in ((header, True), (body, False)):
        for row in rows:
            for column, cell in row:
                if cell["words"] and "\n" not in cell["text"] and grid.cell_lines(column, cell, style, head) <= 1:
                    cell["words"] = None
    # what the pages print around the rows, decided here once: the template prints it and the
    # height model (paging.frame) measures it
    return {"label": table.label, "page_label": table.label if table.print_label else "",
            "title": table.title, "above": table.above,
            "continued_above": [] if table.form else table.above,      # a form's are about its first page
            "subtitle": table.subtitle,
            "contents_title": table.contents_title, "bookmark": table.bookmark,
            # a continuation page says what it is: label (where the profile prints labels), title,
            # the form's project, （续）
            "continued_title": f"{table.bookmark if table.print_label else table.contents_title}（续）",
            "landscape": table.landscape, "form": table.form, "notes": table.notes,
            "header": [[cell for _, cell in row] for row in header], "grid": grid,
            "style": style,
            "percent_widths": [round(w * 100 / sum(widths), 3) for w in widths]}


def _page_rows(grid: paging.Grid, page: paging.Page) -> list[dict]:
    """The rows one page of a table draws: the repeated rows, then its own; a cell spanning rows
    across the page break is cut there and continues on the next page."""
    body = grid.body
    if not page.rows:
        return []
    a, b = page.rows[0], page.rows[-1] + 1
    out = []
    carried = set()
    for h in page.repeat:
        cells = []
        for col, cell in body[h]:
            if cell["rowspan"] > 1:
                carried.add((h, col))
                cell = {**cell, "rowspan": 1 + max(0, min(h + cell["rowspan"], b) - a)}
            cells.append(cell)
        out.append({"cells": cells, "index": h, "repeat": True, "filler": False, "blank": False})
    for r in range(a, b):
        row = [(col, cell if cell["rowspan"] <= b - r else {**cell, "rowspan": b - r}) for col, cell in body[r]]
        if r == a:
            for r0 in range(a):
                for col, cell in body[r0]:
                    if r0 + cell["rowspan"] > a and (r0, col) not in carried:
                        row.append((col, {**cell, "rowspan": min(r0 + cell["rowspan"], b) - a}))
            row.sort(key=lambda item: item[0])
        out.append({"cells": [cell for _, cell in row], "index": r, "repeat": False,
                    "filler": r in grid.filler, "blank": grid.blank(r)})
    return out


def _planned(table: Table) -> tuple[dict, paging.Plan]:
    """A table's view and pages. A landscape table that does not fit its page (even a size
    smaller) is tried on a portrait page, which holds more rows, if its columns stay readable —
    unless the profile keeps it landscape (`keep_landscape`): then it runs over landscape pages."""
    view = _view(table)
    plan = paging.plan(view["grid"], view, view["style"])
    if len(plan.pages) > 1 and table.landscape and not table.keep_landscape:
        upright = _view(dataclasses.replace(table, landscape=False))
        if upright["style"].font_pt >= READABLE_PT:
            turned = paging.plan(upright["grid"], upright, upright["style"])
            if len(turned.pages) == 1:
                return upright, turned
    return view, plan


def _parts(view: dict, plan: paging.Plan) -> list[dict]:
    style = plan.style
    font = None if style.font_pt == paging.FONT_PT[style.landscape] else round(style.font_pt, 2)
    return [{"rows": _page_rows(view["grid"], page), "first": k == 0, "last": k == len(plan.pages) - 1,
             "font_size": font, "dense": plan.dense}
            for k, page in enumerate(plan.pages)]


def fetcher():
    """The PDF's URL fetcher: the package's templates, the CJK font's folder and our private
    folder of subset fonts; every other file and URL is refused."""
    return weasy.fetcher((pdf_dir().resolve(), cjk_font().resolve().parent, fonts.font_dir()))


def render(document: Publication) -> Rendered:
    pdf, pages = pdf_and_pages(document)
    return Rendered({"pdf": pdf}, pages)


def render_pdf(document: Publication) -> bytes:
    return pdf_and_pages(document)[0]


def pdf_and_pages(document: Publication) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    rendered = layout(document)
    # Not full_fonts=True: it embeds the font once per style (regular and the bold that reuses it)
    # and maps only cmap glyphs in ToUnicode, so ligatures (—— and fi) would not copy as text.
    return rendered.write_pdf(pdf_identifier=False), len(rendered.pages)


def layout(document: Publication):
    """The document laid out by WeasyPrint, its tables paged as `paging` plans them. Where the
    layout shows a planned page that did not fit (the height model was wrong), that table is
    planned again from the heights WeasyPrint measured, and the document laid out again."""
    views, plans = [], []
    for table in document.tables:
        view, plan = _planned(table)
        views.append(view)
        plans.append(plan)
    for attempt in range(3):
        rendered = _render(document, views, plans)
        wrong = {n: measured for n, measured in measure(rendered).items()
                 if measured["overflow"] and n < len(plans)}
        if not wrong or attempt == 2:
            return rendered
        planned = {n: paging.plan(views[n]["grid"], views[n], plans[n].style, measured)
                   for n, measured in wrong.items()}
        if all(planned[n] == plans[n] for n in planned):
            return rendered     # a row taller than a page: planned again the same, it would be laid out the same
        for n, plan in planned.items():
            plans[n] = plan
    return rendered


# what a 目录 title leaves of the page's width: the 目录's side margins and its label column (as
# style.css sets them), and room for a leader and a page number of up to three digits
_TOC_MARGIN = style.box_mm("ol.toc", "margin")
TOC_INDENT_MM = _TOC_MARGIN[1] + _TOC_MARGIN[3] + style.number(".toc-label", "width", "mm") + 12


def _toc_lines(title: str, document: Publication) -> list[str]:
    """A 目录 title in lines. Broken here, so that the last line of each keeps room for its
    leader: left to itself, WeasyPrint fills the line and moves the leader and page number down
    alone."""
    width = paging.CONTENT_MM[document.cover_landscape][0] - TOC_INDENT_MM
    return paging.wrap(title, width / (paging.TEXT_PT * paging.PT_MM))


def page_counts(document: Publication) -> list[tuple[str, str, int]]:
    """The pages each part of the PDF takes — (label or 目录 or 情况说明, the table's subject,
    pages) — as the height model plans them, without laying anything out: a table is planned as
    `layout` plans it; the 目录 and the 情况说明 are counted from their lines."""
    parts = [("目录", "", paging.contents_pages(
        [len(_toc_lines(t.contents_title, document)) for t in document.tables] + [1] * bool(document.narrative),
        document.cover_landscape, document.title_lines))] if document.contents else []
    if document.narrative:
        parts.append(("情况说明", "", paging.narrative_pages([(b.kind, b.text) for b in document.narrative])))
    for table in document.tables:
        view, plan = _planned(table)
        parts.append((table.label, table.subject, paging.sheets(view["grid"], view, plan)))
    return parts


@functools.cache
def _page_template() -> jinja2.Template:
    """The built-in page template, compiled once a process."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(pdf_dir()), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("document.html.j2")


def _render(document: Publication, views: list[dict], plans: list[paging.Plan]):
    template = _page_template()
    tables = [{**view, "parts": _parts(view, plan), "toc_lines": _toc_lines(view["contents_title"], document)}
              for view, plan in zip(views, plans)]
    css = pdf_dir() / "style.css"
    page = lambda font: template.render(doc=document, tables=tables, font_url=font.as_uri(),
                                        css_url=css.resolve().as_uri())
    font = cjk_font().resolve()
    try:        # the font URL is ASCII, which `characters` always keeps: any URL will do here
        font = fonts.write_subset(font, fonts.characters(page(font), css.read_text(encoding="utf-8")))
    except RuntimeError:
        pass    # HarfBuzz could not cut this font: WeasyPrint subsets the whole one (slow, correct)
    html = page(font)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "946684800")   # reproducible font subset stamps
    return weasy.render(html, base_url=pdf_dir(), fetcher=fetcher())


def measure(rendered) -> dict[int, dict]:
    """What the layout did with each table (by its index): the pages each of its planned pages
    took, its rows' heights (mm, header and body, as WeasyPrint measured them), and on which
    page each body row fell. `overflow` is true when a planned page took more than one page."""
    tables: dict[int, dict] = {}
    for number, page in enumerate(rendered.pages):
        for element, height in weasy.table_rows(page):
            if element.get("data-table") is None:
                continue
            n, part = int(element.get("data-table")), int(element.get("data-part"))
            info = tables.setdefault(n, {"header": {}, "body": {}, "pages": {}, "rows": {}, "overflow": False})
            info["pages"].setdefault(part, set()).add(number)
            if element.get("data-head") is not None:
                if part == 0:
                    info["header"][int(element.get("data-head"))] = height
            elif element.get("data-repeat") is None:
                row = int(element.get("data-row"))
                # a row taller than a page is split over pages: its height is its parts' sum
                info["body"][row] = info["body"].get(row, 0.0) + height
                info["rows"].setdefault(row, number)
    for info in tables.values():
        info["overflow"] = any(len(pages) > 1 for pages in info["pages"].values())
        info["header"] = [info["header"][k] for k in sorted(info["header"])]
        info["body"] = [info["body"].get(k, 0.0) for k in range(max(info["body"], default=-1) + 1)]
    return tables
