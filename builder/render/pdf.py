"""Render the document — cover and 目录, the 情况说明, the tables — into one publishable PDF.

The HTML comes from a Jinja2 template with autoescape on, so text from the YAML is always shown
as text (`<b>` prints as `<b>`). WeasyPrint may fetch nothing but the project's own stylesheet
and font: a restricted URL fetcher refuses every other URL and file. Chinese is set in an
embedded CJK font (see `resources.cjk_font`), so no glyph falls back to an empty box. The font
WeasyPrint gets is already cut down to the document's characters (see `fonts`): subsetting the
whole 8 MB font inside WeasyPrint took most of a PDF's time.
"""

from __future__ import annotations

import os
import unicodedata
from decimal import Decimal
from pathlib import Path

import jinja2

from ..core.resources import cjk_font, pdf_dir
from . import fonts
from ..tables.model import Cell, Document, Table, place


def format_amount(value: Decimal, decimals: int, thousands: bool, zero: str = "") -> str:
    if not value:
        return zero                      # zero amounts are blank (or 0.00), as the table publishes them
    spec = f"{',' if thousands else ''}.{decimals}f"
    return format(value, spec)


def cell_text(cell: Cell, table: Table) -> str:
    """A cell as printed: amounts with the table's decimals, counts as integers, numbers as
    typed (a weight of 7.5 stays 7.5), percentages with their sign."""
    if cell.value is None or cell.value == "":
        return ""
    if cell.kind == "percent":
        return f"{_number(cell.value, cell.decimals)}%"
    if cell.kind == "count":
        return format(int(cell.value), ",d" if table.thousands else "d") if cell.value else cell.zero
    if cell.kind == "number":
        return _number(cell.value, cell.decimals)
    if isinstance(cell.value, Decimal):
        decimals = table.decimals if cell.decimals is None else cell.decimals
        return format_amount(cell.value, decimals, table.thousands, cell.zero)
    return str(cell.value)


def _number(value: Decimal, decimals: int | None) -> str:
    """A number as computed or typed, with its own decimals: a weight 20 or 7.5, a score 10.00."""
    return format(value, f".{decimals}f") if decimals is not None else format(value, "f")


# The page geometry of style.css, for fitting columns to their figures: the width a table may take
# (A4 less the margins), its font size and a cell's horizontal padding and borders, portrait/landscape.
PAGE_MM = {False: 210 - 28, True: 297 - 28}
FONT_PT = {False: 9.5, True: 8.5}
PADDING_MM = {False: 2.4 + 0.3, True: 2.0 + 0.3}
PT_MM = 0.3528
SMALLEST_PT = 6.5


def _em(text: str) -> float:
    """Width of a text in em: CJK characters 1 em, digits, Latin and punctuation about 0.55 em."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56 for ch in text)


def fit_columns(table: Table, texts: dict[int, float]) -> tuple[list[float], float]:
    """Column widths (mm) and font size (pt) such that every figure fits its column on one line:
    the profile's widths where they suffice; a column whose figures need more takes it from the
    columns that have room; if even that cannot fit the page, the table's font gets smaller."""
    available = PAGE_MM[table.landscape]
    total = sum(table.widths) or 1
    declared = [w * available / total for w in table.widths]
    size = FONT_PT[table.landscape]
    while True:
        needed = [texts[c] * size * PT_MM + PADDING_MM[table.landscape] if texts.get(c) else 0.0
                  for c in range(len(declared))]
        if sum(needed) <= available or size <= SMALLEST_PT:
            break
        size -= 0.25
    widths = [max(d, n) for d, n in zip(declared, needed)]
    excess = sum(widths) - available
    slack = [w - n for w, n in zip(widths, needed)]
    if excess > 0 and sum(slack) > 0:
        widths = [w - excess * s / sum(slack) for w, s in zip(widths, slack)]
    return widths, size


def _figures_em(table: Table) -> dict[int, float]:
    """The widest figure or code (em) of each column: figures and codes never wrap (a code over
    several columns, 类|款|项 merged, shares its width among them)."""
    widest: dict[int, float] = {}
    for r, c, cell in place(table.header + table.body, table.ncols):
        if cell.kind in ("amount", "count", "number", "percent", "code"):
            share = _em(cell_text(cell, table)) / cell.colspan
            for k in range(c, min(c + cell.colspan, table.ncols)):
                widest[k] = max(widest.get(k, 0.0), share)
    return widest


def _view(table: Table) -> dict:
    rows = lambda section: [[{"text": cell_text(c, table), "colspan": c.colspan,
                              "rowspan": c.rowspan, "kind": c.kind + (" bold" if c.bold else "")} for c in row]
                            for row in section]
    filler_from = len(table.body) - table.filler
    widths, size = fit_columns(table, _figures_em(table))
    return {"label": table.label, "title": table.title, "above": table.above,
            "print_label": table.print_label, "subtitle": table.subtitle,
            "contents_title": table.contents_title,
            "bookmark": table.bookmark, "landscape": table.landscape, "form": table.form,
            "notes": table.notes, "header": rows(table.header), "body": rows(table.body),
            "filler_from": filler_from,
            "font_size": None if size == FONT_PT[table.landscape] else round(size, 2),
            "percent_widths": [round(w * 100 / sum(widths), 3) for w in widths]}


def _allowed_roots() -> tuple[Path, ...]:
    """The package's templates, the CJK font's folder, and our private folder of subset fonts."""
    return (pdf_dir().resolve(), cjk_font().resolve().parent, fonts.font_dir())


def _fetcher():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetch only the package's own stylesheet and fonts; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                from urllib.parse import unquote, urlparse
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(root) for root in _allowed_roots()):
                    return super().fetch(url, headers)
            raise ValueError(f"禁止读取外部资源：{url[:80]}")

    return LocalOnlyFetcher()


def render_pdf(document: Document) -> bytes:
    return pdf_and_pages(document)[0]


def pdf_and_pages(document: Document) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    import weasyprint

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(pdf_dir()), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    template = env.get_template("document.html.j2")
    tables = [_view(t) for t in document.tables]
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
    fonts.use_uharfbuzz_in_weasyprint()
    rendered = weasyprint.HTML(string=html, base_url=str(pdf_dir()), url_fetcher=_fetcher()).render()
    # Not full_fonts=True: it embeds the font once per style (regular and the bold that reuses it)
    # and maps only cmap glyphs in ToUnicode, so ligatures (—— and fi) would not copy as text.
    return rendered.write_pdf(pdf_identifier=False), len(rendered.pages)
