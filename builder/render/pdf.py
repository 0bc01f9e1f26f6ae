"""Render tables into one publishable PDF with WeasyPrint.

The HTML comes from a Jinja2 template with autoescape on, so text from the YAML is always shown
as text (`<b>` prints as `<b>`). WeasyPrint may fetch nothing but the project's own stylesheet
and font: a restricted URL fetcher refuses every other URL and file. Chinese is set in an
embedded CJK font (see `resources.cjk_font`), so no glyph falls back to an empty box.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import jinja2
import markupsafe

from ..core.numbers import plain
from ..core.resources import cjk_font, narrative_dir, pdf_dir
from ..tables.build import Cell, Table


def format_amount(value: Decimal, decimals: int, thousands: bool) -> str:
    if not value:
        return ""                        # zero amounts are blank, as in the published tables
    spec = f"{',' if thousands else ''}.{decimals}f"
    return format(value, spec)


def _cell_text(cell: Cell, table: Table) -> str:
    if cell.kind == "percent":
        return "" if cell.value is None else f"{cell.value}%"
    if isinstance(cell.value, Decimal):
        decimals = table.decimals if cell.decimals is None else cell.decimals
        return format_amount(cell.value, decimals, table.thousands)
    return "" if cell.value is None else str(cell.value)


def _view(table: Table) -> dict:
    total = sum(table.widths) or 1
    rows = lambda section: [[{"text": _cell_text(c, table), "colspan": c.colspan,
                              "rowspan": c.rowspan, "kind": c.kind} for c in row]
                            for row in section]
    return {"label": table.label, "title": table.title, "above": table.above,
            "print_label": table.print_label, "subtitle": table.subtitle,
            "contents_title": table.contents_title,
            "bookmark": table.bookmark, "landscape": table.landscape, "form": table.form,
            "notes": table.notes, "header": rows(table.header), "body": rows(table.body),
            "percent_widths": [round(w * 100 / total, 3) for w in table.widths]}


def _allowed_roots() -> tuple[Path, ...]:
    return (pdf_dir().resolve(), cjk_font().resolve().parent)


def _fetcher():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetch only the package's own stylesheet and font; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                from urllib.parse import unquote, urlparse
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(root) for root in _allowed_roots()):
                    return super().fetch(url, headers)
            raise ValueError(f"禁止读取外部资源：{url[:80]}")

    return LocalOnlyFetcher()


def render_narrative(template: str, figures: dict, thousands: bool) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(narrative_dir()), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["amt"] = lambda value: plain(value, thousands)
    return env.get_template(template).render(n=figures)


def render_pdf(tables: list[Table], title: str, narrative: str = "") -> bytes:
    """`narrative`: the 情况说明 as (autoescaped) HTML from render_narrative, placed before the tables."""
    import weasyprint

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(pdf_dir()), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    html = env.get_template("document.html.j2").render(
        title=title, tables=[_view(t) for t in tables], narrative=markupsafe.Markup(narrative),
        font_url=cjk_font().resolve().as_uri(), css_url=(pdf_dir() / "style.css").resolve().as_uri())
    os.environ.setdefault("SOURCE_DATE_EPOCH", "946684800")   # reproducible font subset stamps
    document = weasyprint.HTML(string=html, base_url=str(pdf_dir()), url_fetcher=_fetcher())
    return document.write_pdf(pdf_identifier=False)
