"""Every use WeasyPrint's own code does not promise, in one place, behind a version gate.

The PDF renderer needs a few things WeasyPrint offers only as internals: a user-agent stylesheet
cut to the elements our template writes (`HTML._ua_stylesheets`), the laid-out boxes of a page to
measure the rows (`Page._page_box`), its font embedding done by HarfBuzz's subsetter from the
uharfbuzz wheel (`pdf.fonts.Font.subset`), and an import that skips ctypes' library search. Each
saves time or makes the page plan checkable; none changes a byte of the PDF. They are used only
on the WeasyPrint versions they were checked on (`TESTED`, see tests/render/test_weasy.py, which
asserts every internal used here still has the shape relied on); on any other version the plain
public API is used — slower, and without the check of the page plan against the layout.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import uharfbuzz as hb

TESTED = ((66, 0), (71, 0))        # [from, to): the versions whose internals this module uses


@functools.cache
def weasyprint():
    """WeasyPrint, imported without ctypes' library search.

    On import WeasyPrint opens GLib, Pango, HarfBuzz and fontconfig, each under six names tried
    in turn; Linux's name comes fourth. cffi answers every miss by asking
    `ctypes.util.find_library`, which runs ldconfig and gcc: 0.2 CPU-seconds of the 4 a
    department costs. Every name is also tried as it is, so the search is skipped — and used
    after all when the import fails without it (a system whose libraries only the search finds).
    """
    import contextlib
    import ctypes.util
    import io
    import sys

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):     # its "could not import" banner
            import weasyprint as module
    except OSError:
        for name in [name for name in sys.modules if name.startswith("weasyprint")]:
            del sys.modules[name]
        ctypes.util.find_library = search
        import weasyprint as module
    finally:
        ctypes.util.find_library = search
    return module


def version() -> tuple[int, int]:
    major, minor = (weasyprint().__version__.split(".") + ["0"])[:2]
    return int(major), int(minor)


def tested() -> bool:
    """The installed WeasyPrint is one whose internals this module was checked against."""
    return TESTED[0] <= version() < TESTED[1]


def fetcher(allowed: tuple[Path, ...]):
    """A URL fetcher that reads only files under `allowed` and refuses every other URL."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetch only the package's own stylesheet and fonts; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                from urllib.parse import unquote, urlparse
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(root) for root in allowed):
                    return super().fetch(url, headers)
            raise ValueError(f"禁止读取外部资源：{url[:80]}")

    return LocalOnlyFetcher()


@functools.cache
def _html_class():
    """WeasyPrint's HTML with our cut-down user-agent stylesheet (templates/pdf/ua.css says why)."""
    from ..core.resources import pdf_dir
    module = weasyprint()
    if not tested():
        return module.HTML
    ua = module.CSS(filename=str(pdf_dir() / "ua.css"))
    html: Any = module.HTML                      # (imported at run time: a base class by value)

    class Page(html):
        def _ua_stylesheets(self, forms=False):
            return [ua]

    return Page


def render(html: str, base_url: Path, fetcher):
    """The laid-out document of `html`, fetching only through `fetcher`."""
    use_uharfbuzz()
    return _html_class()(string=html, base_url=str(base_url), url_fetcher=fetcher).render()


PX_MM = 25.4 / 96


def page_box(page):
    """The root box of a rendered page (its laid-out content)."""
    return page._page_box


def boxes(page):
    """Every laid-out box of a rendered page; none where the internals are not known."""
    if tested():
        yield from walk(page_box(page))


def table_rows(page):
    """(element, height in mm) of each table row (<tr>) laid out on a rendered page; none where
    the internals are not known (the page plan is then not checked against the layout)."""
    for box in boxes(page):
        element = getattr(box, "element", None)
        if element is not None and box.element_tag == "tr":
            yield element, box.margin_height() * PX_MM


def walk(box):
    """A box and every box inside it."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from walk(child)


_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def use_uharfbuzz() -> None:
    """Make WeasyPrint cut the fonts it embeds with uharfbuzz where the system lacks
    libharfbuzz-subset (a fresh machine does): its fallback, fontTools, still cost ~0.4 s per
    PDF on our small font, twice (regular and bold). These are the steps of WeasyPrint's own
    HarfBuzz path (weasyprint/pdf/fonts.py, Font._harfbuzz_subset), on uharfbuzz's objects;
    fontTools stays the fallback if HarfBuzz cannot cut a font."""
    if not tested():
        return
    import weasyprint.pdf.fonts as wp
    if getattr(wp.Font.subset, "uharfbuzz", False):
        return
    if wp.harfbuzz_subset and wp.harfbuzz.hb_version_atleast(4, 1, 0):
        return                                   # the system's HarfBuzz-Subset, as WeasyPrint intends
    fonttools = wp.Font.subset

    def subset(self, to_unicode, hinting):
        if not to_unicode:
            return
        flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
        if self.missing:
            flags |= hb.SubsetFlags.NOTDEF_OUTLINE
        try:
            face = hb.Face(hb.Blob(self.file_content), self.index)
            used = hb.SubsetInput()                      # only the glyphs used, at their ids
            used.glyph_set.update(sorted(to_unicode))
            used.flags = flags | hb.SubsetFlags.RETAIN_GIDS
            used.drop_table_tag_set.update(int.from_bytes(tag, "big") for tag in _DROPPED_TABLES)
            face = hb.subset(face, used)
            tail = hb.SubsetInput()                      # then no empty glyphs after the last one
            tail.glyph_set.update(range(max(to_unicode) + 1))
            tail.flags = flags | (hb.SubsetFlags.NO_HINTING if not hinting else 0)
            face = hb.subset(face, tail) if face is not None else None
            data = face.blob.data if face is not None else b""
        except Exception:                                # noqa: BLE001 — fontTools can still do it
            data = b""
        if data:
            self.file_content = data
        else:
            fonttools(self, to_unicode, hinting)

    subset.uharfbuzz = True  # type: ignore[attr-defined]   # marks the patch as ours (applied once)
    wp.Font.subset = subset
