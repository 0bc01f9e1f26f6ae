"""Where each table's pages break, decided before WeasyPrint lays the document out.

Left to itself, a browser engine splits a long table wherever the page ends: the last few rows
and the totals land alone on a page, a form's continuation has no indicator header, and a loose
page does not say which table it belongs to. Publishers avoid all three, so the PDF renderer
decides the pages itself, table by table:

- a table that fits on its page stays whole (every table starts on a fresh page);
- one that overflows by a little is set a size smaller (`DENSE_STEP_PT`) if that makes it fit;
- otherwise it is cut into pages that each hold as many rows as fit, and the last page keeps at
  least `MIN_LAST_ROWS` body rows (the totals with the rows above them); every continuation page
  repeats the header rows — for a form, the indicator header — under the title marked （续）.

The heights come from a model of style.css (its font sizes, line height, padding, borders, read
from it by style.py) and of the embedded font's glyph advances, with greedy line breaking as a
browser does it for Chinese. The
model is checked against the real layout after rendering (`pdf.py`); where it was wrong, the
table is planned again from the measured heights.

The same model counts a document's pages before anything is laid out (the tables as planned,
the 目录 and the 情况说明 from their lines), for check to bound them (limits.PAGES).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

import uharfbuzz as hb

from ..core.resources import cjk_font, pdf_dir
from ..publication.model import VALUE_KINDS
from . import style

MIN_LAST_ROWS = 5               # body rows a table's last page keeps (unless the table is shorter)
DENSE_STEP_PT = 1.0             # how much smaller a table may be set to stay on one page
HEADER_WORD = 7                 # header words up to this many characters never break

PT_MM = style.PT_MM
SMALLEST_PT = 6.5               # no table is set smaller, to fit a page or its columns

# The sizes of templates/pdf/style.css the height model works with, read from it (style.py):
LINE = style.number("html", "line-height")                    # and so one line of any text
TEXT_PT = style.number("html", "font-size", "pt")             # paragraphs around a table (lines above, notes)
BORDER_MM = style.border_mm("th, td")                         # collapsed: half of each side's


def _body_mm(landscape: bool) -> tuple[float, float]:
    """The width and height of an A4 page's body, inside the @page margins."""
    top, right, bottom, left = style.box_mm("@page wide" if landscape else "@page", "margin")
    width, height = (297, 210) if landscape else (210, 297)
    return width - left - right, height - top - bottom


CONTENT_MM = {False: _body_mm(False), True: _body_mm(True)}
FONT_PT = {False: TEXT_PT, True: style.number("section.wide table", "font-size", "pt")}
PADDING_MM = {False: style.box_mm("th, td", "padding")[:2],     # (vertical, horizontal)
              True: style.box_mm("section.wide th, section.wide td", "padding")[:2]}
DENSE_PADDING_MM = style.box_mm("table.dense th, table.dense td", "padding")[:2]
SAFETY_MM = 2.0                 # what the model may be off by on a page, in the page's favour
FIT_MM = 0.6                    # a text that must stay on one line gets this much more room than
                                # it measures (rounding of widths, the font's side bearings)
ROUNDING_MM = 0.1               # what a cell's text box loses to the rounding of column widths
FILLER_MM = style.number("tr.filler td", "height", "mm")   # a blank filler row's (min_rows) content height;
                                # tr.blank td { height: 1.35em } (LINE): any other blank row is one line high
# the blocks around a table: label, title, subtitle, the lines above it, the notes under it
LABEL_PT, LABEL_BELOW_MM = style.number("p.label", "font-size", "pt"), style.box_mm("p.label", "margin")[2]
TITLE_PT, TITLE_BELOW_MM = style.number("h2.title", "font-size", "pt"), style.box_mm("h2.title", "margin")[2]
SUBTITLE_MM = style.box_mm("p.subtitle", "margin")[0] + style.box_mm("p.subtitle", "margin")[2]
ABOVE_BELOW_MM = {1: style.box_mm("p.above", "margin")[2], 3: style.box_mm("div.above3", "margin")[2]}
NOTE_ABOVE_MM = style.box_mm("p.note", "margin")[0]

NOWRAP = (*VALUE_KINDS, "code")


# -- text widths --------------------------------------------------------------------------------

@cache
def _advances() -> tuple[hb.Font, int]:
    face = hb.Face(hb.Blob.from_file_path(str(cjk_font())))
    return hb.Font(face), face.upem


@cache
def char_em(ch: str) -> float:
    """The advance of one character in em, from the embedded font (1 for a CJK character)."""
    font, upem = _advances()
    glyph = font.get_nominal_glyph(ord(ch))
    if glyph is None:
        return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6
    return font.get_glyph_h_advance(glyph) / upem


@lru_cache(maxsize=1 << 16)
def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


# Chinese line breaking (as browsers do it): a break may fall between any two characters, except
# before closing punctuation, after opening punctuation, and inside a run of Latin letters/digits.
# Quotation marks (“” ‘’ ") take no break on either side (UAX #14 class QU, as Pango applies it);
# a prefix sign (+ ¥ $) none after it.
_NO_START = set("，。、；：！？）】》」』%‰·…—～,.;:!?)]}")
_NO_END = set("（【《「『([{+¥￥$#")
_QUOTES = set("“”‘’\"'")


def _breakable(prev: str, ch: str) -> bool:
    if ch in _NO_START or prev in _NO_END or ch in _QUOTES or prev in _QUOTES:
        return False
    if ch == " " or prev == " ":
        return True
    return not (prev.isascii() and ch.isascii())


def _atoms_lines(atoms: list[tuple[str, bool]], width_em: float, cut: bool = True) -> int:
    """Lines taken by `atoms` — (text never broken inside, may a line break before it) — filled
    greedily into a box `width_em` wide. A text wider than the box breaks anywhere, as
    overflow-wrap: anywhere lets it — unless `cut` is false (no-wrap words overflow instead)."""
    lines, used, tail = 1, 0.0, 0.0     # tail: width since the last break opportunity
    for text, breakable in atoms:
        w = text_em(text)
        if breakable:
            tail = 0.0
        if used and used + w > width_em + 1e-6:
            lines += 1
            # what came since the last opportunity moves down with this atom
            used = tail + w if tail < used and not breakable else w
            tail = used
        else:
            used += w
            tail += w
        while cut and used > width_em + 1e-6 and width_em > 0:      # too wide for any line: cut
            lines += 1
            used -= width_em
            tail = used
    return lines


def wrap(text: str, width_em: float) -> list[str]:
    """`text` cut into lines of at most `width_em`, breaking where a browser may (for lines the
    PDF sets itself, as the 目录's, whose leader and page number WeasyPrint will not wrap)."""
    lines: list[str] = []
    current, cut, bracket = "", None, None   # where the last opportunity / opening bracket falls
    for i, ch in enumerate(text):
        if current and _breakable(text[i - 1], ch):
            cut = len(current)
        if current and ch in "（(":
            bracket = len(current)                 # a bracketed addition moves down whole
        if current and text_em(current + ch) > width_em:
            at = bracket or cut or len(current)
            lines.append(current[:at].rstrip())
            current, cut, bracket = current[at:].lstrip(), None, None
        current += ch
    return lines + [current] if current else lines


# A table repeats its texts (0.00, a 科目名称, an indicator's unit) in cells of a few widths:
# each pair is measured once (check plans every page of every file it reads)
@lru_cache(maxsize=1 << 16)
def line_count(text: str, width_em: float) -> int:
    """How many lines `text` takes in a box `width_em` wide (white space collapsed)."""
    text = " ".join(text.split())
    if not text:
        return 0
    atoms = [(ch, i > 0 and _breakable(text[i - 1], ch)) for i, ch in enumerate(text)]
    return _atoms_lines(atoms, width_em)


@lru_cache(maxsize=1 << 14)
def header_line_count(text: str, width_em: float) -> int:
    """Lines of a header text whose words of up to `HEADER_WORD` characters never break (the PDF
    sets them in no-wrap spans; the column widths are chosen so that each fits)."""
    atoms: list[tuple[str, bool]] = []
    for word in header_words(" ".join(text.split())):
        if len(word) <= HEADER_WORD:
            atoms.append((word, bool(atoms) and _breakable(atoms[-1][0][-1], word[0])))
        else:
            atoms += [(ch, bool(atoms) and _breakable(word[i - 1] if i else " ", ch)) for i, ch in enumerate(word)]
    return _atoms_lines(atoms, width_em, cut=False) if atoms else 0


@cache
def _vocabulary() -> frozenset[str]:
    text = (pdf_dir() / "words.txt").read_text(encoding="utf-8")
    return frozenset(w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#"))


def segments(word: str) -> list[str]:
    """A long header word cut into the words of templates/pdf/words.txt, longest match first
    (一般公共预算财政拨款 → 一般公共预算, 财政拨款); a number with its 年 or % stays one piece,
    an opening bracket stays with what follows and closing punctuation with what precedes."""
    vocabulary, out, i = _vocabulary(), [], 0
    while i < len(word):
        number = re.match(r"[0-9.]+年?%?", word[i:])
        size = len(number.group()) if number else next(
            (n for n in range(min(HEADER_WORD, len(word) - i), 1, -1) if word[i:i + n] in vocabulary), 1)
        out.append(word[i:i + size])
        i += size
    merged: list[str] = []
    for piece in out:
        if merged and (piece[0] in _NO_START or merged[-1][-1] in _NO_END):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def header_tokens(text: str) -> list[str]:
    """A header text cut into words and the spaces between them: words end after closing
    brackets, 、 and /, and start at opening brackets (全年（调整）预算数 → 全年, （调整）, 预算数);
    a word longer than `HEADER_WORD` is cut into its `segments`."""
    tokens = []
    for piece in re.split(r"(\s+)", text):
        if piece.isspace():
            tokens.append("\n" if "\n" in piece else piece)     # a profile's line break stays one
        elif piece:
            for word in re.split(r"(?<=[）)、/：:])|(?=[（(])", piece):
                if word:
                    tokens += segments(word) if len(word) > HEADER_WORD else [word]
    return tokens


def header_words(text: str) -> list[str]:
    """A header text's words (no spaces). Words up to `HEADER_WORD` characters stay on one line."""
    return [t for t in header_tokens(text) if not t.isspace()]


# -- the geometry of one table -----------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    landscape: bool
    font_pt: float
    padding: tuple[float, float]            # vertical, horizontal (mm)

    @property
    def line_mm(self) -> float:
        return self.font_pt * LINE * PT_MM

    @property
    def empty_mm(self) -> float:
        return 2 * self.padding[0] + BORDER_MM


def dense(style: Style) -> Style:
    return Style(style.landscape, style.font_pt - DENSE_STEP_PT, DENSE_PADDING_MM)


@dataclass
class Grid:
    """A table as the PDF draws it: cells with their grid positions, and the column widths."""
    widths: list[float]                                         # mm
    header: list[list[tuple[int, dict]]]                        # per row: (column, cell)
    body: list[list[tuple[int, dict]]]
    filler: range                                               # the body's blank filler rows
    form: bool
    indicator_head: int | None
    # rows that print nothing and are no filler rows (a profile's `[""]`, Table.blank_rows): the
    # PDF gives each one line's height — with no text in it, a browser makes it only as high as
    # its cells' padding
    blank_rows: frozenset[int] = frozenset()

    def blank(self, r: int) -> bool:
        return r in self.blank_rows

    def cell_lines(self, column: int, cell: dict, style: Style, head: bool) -> int:
        text, kind = cell["text"], cell["kind"].split()[0]
        if not text:
            return 0
        width = sum(self.widths[column:column + cell["colspan"]]) - 2 * style.padding[1] - BORDER_MM - ROUNDING_MM
        width_em = width / (style.font_pt * PT_MM)
        if kind in NOWRAP:
            return 1
        if head or kind in ("head", "label"):
            # header and label words are kept whole; the text breaks between them
            return sum(header_line_count(part, width_em) for part in text.split("\n"))
        parts = text.split("\n") if self.form and kind == "text" else [text]
        return sum(max(1, line_count(part, width_em)) for part in parts)

    def keeps_with_next(self, r: int) -> bool:
        """A body row that never ends a page: it belongs to the rows under it — a form's
        indicator header (which may open with the 绩效指标 label spanning the indicators), and any
        row of captions and column heads (a form's 资金情况 caption, its column heads)."""
        row = self.body[r]
        return r == self.indicator_head or (bool(row) and all(cell["kind"].split()[0] in ("head", "caption")
                                                               for _, cell in row))

    def heights(self, rows: list[list[tuple[int, dict]]], style: Style, head: bool) -> list[float]:
        """The heights (mm) of the header's rows (`head`), or of the body's (`rows` is `self.body`)."""
        heights = [style.empty_mm] * len(rows)
        spans = []
        for r, row in enumerate(rows):
            for column, cell in row:
                need = self.cell_lines(column, cell, style, head) * style.line_mm + style.empty_mm
                if cell["rowspan"] > 1:
                    spans.append((r, cell["rowspan"], need))
                else:
                    heights[r] = max(heights[r], need)
            if not head and r in self.filler:
                heights[r] = max(heights[r], FILLER_MM + style.empty_mm)
            elif not head and self.blank(r):
                heights[r] = max(heights[r], style.line_mm + style.empty_mm)
        for r, span, need in spans:
            end = min(r + span, len(rows))
            have = sum(heights[r:end])
            if need > have:
                heights[end - 1] += need - have
        return heights


@dataclass
class Page:
    """One page of a table: its body rows (indices), and the rows repeated above them."""
    rows: list[int]
    repeat: list[int] = field(default_factory=list)


@dataclass
class Plan:
    style: Style                # what the table is set in: its own, or a size smaller (dense)
    pages: list[Page]

    @property
    def dense(self) -> bool:
        return self.style.padding == DENSE_PADDING_MM


@dataclass
class Frame:
    """What surrounds a table's rows on its pages (mm): above the first page's header (label,
    title, subtitle, lines above), above a continuation's header (the （续） title), below the
    last row (notes)."""
    first: float
    continued: float
    notes: float


def _paragraph_mm(text: str, font_pt: float, width_mm: float) -> float:
    return max(1, line_count(text, width_mm / (font_pt * PT_MM))) * font_pt * LINE * PT_MM


def frame(view: dict, landscape: bool) -> Frame:
    """The heights of style.css's blocks around a table (label, title, subtitle and the lines
    above it; their margins)."""
    width = CONTENT_MM[landscape][0]
    title = _paragraph_mm(view["title"], TITLE_PT, width) + TITLE_BELOW_MM
    first = title
    if view["page_label"]:
        first += LABEL_PT * LINE * PT_MM + LABEL_BELOW_MM
    if view["subtitle"]:
        first += _paragraph_mm(view["subtitle"], TEXT_PT, width) + SUBTITLE_MM
    for line in view["above"]:
        first += TEXT_PT * LINE * PT_MM + ABOVE_BELOW_MM[1 if len(line) == 1 else 3]
    continued = _paragraph_mm(view["continued_title"], TITLE_PT, width) + TITLE_BELOW_MM
    continued += sum(TEXT_PT * LINE * PT_MM + ABOVE_BELOW_MM[1 if len(line) == 1 else 3] for line in view["continued_above"])
    notes = sum(NOTE_ABOVE_MM + _paragraph_mm(n, TEXT_PT, width) for n in view["notes"])
    return Frame(first, continued, notes)


def plan(grid: Grid, view: dict, style: Style, measured: dict | None = None) -> Plan:
    """The pages of one table. `measured` (from a real layout: header/body heights in mm) takes
    the model's place when given."""
    landscape = style.landscape
    height = CONTENT_MM[landscape][1] - SAFETY_MM
    around = frame(view, landscape)
    n = len(grid.body)

    def sizes(s: Style):
        if measured is not None and s == style:
            return measured["header"], measured["body"]
        return (grid.heights(grid.header, s, head=True),
                grid.heights(grid.body, s, head=False))

    header, body = sizes(style)
    if around.first + sum(header) + sum(body) + around.notes <= height:
        return Plan(style, [Page(list(range(n)))])
    small = dense(style)
    if small.font_pt >= SMALLEST_PT and measured is None:
        dense_header, dense_body = sizes(small)
        if around.first + sum(dense_header) + sum(dense_body) + around.notes <= height:
            return Plan(small, [Page(list(range(n)))])

    head = sum(header)
    ih = grid.indicator_head

    def repeat_for(start: int) -> list[int]:
        return [ih] if grid.form and ih is not None and start > ih else []

    # rows that never end a page join the row under them
    groups: list[list[int]] = []
    current: list[int] = []
    for r in range(n):
        current.append(r)
        if not (grid.keeps_with_next(r) and r + 1 < n):
            groups.append(current)
            current = []
    if current:
        groups.append(current)

    pages: list[Page] = []
    g = 0
    while g < len(groups):
        start = groups[g][0]
        repeat = repeat_for(start) if pages else []
        top = (around.first if not pages else around.continued) + head + sum(body[r] for r in repeat)
        used, rows = top, list[int]()
        while g < len(groups):
            need = sum(body[r] for r in groups[g])
            final = g == len(groups) - 1
            if used + need + (around.notes if final else 0) > height and rows:
                break
            rows += groups[g]
            used += need
            g += 1
        pages.append(Page(rows, repeat))

    # the last page keeps MIN_LAST_ROWS body rows (the totals with rows above them): move rows
    # down from the page before while they fit
    def fits(page: Page) -> bool:
        top = around.continued + head + sum(body[r] for r in page.repeat)
        return top + sum(body[r] for r in page.rows) + around.notes <= height

    while len(pages) > 1 and len(pages[-1].rows) < MIN_LAST_ROWS and len(pages[-2].rows) > MIN_LAST_ROWS:
        before, last = pages[-2], pages[-1]
        cut = len(before.rows) - 1
        while cut > 0 and grid.keeps_with_next(before.rows[cut - 1]):
            cut -= 1
        trial = Page(before.rows[cut:] + last.rows, repeat_for(before.rows[cut]))
        if cut == 0 or not fits(trial):
            break
        del before.rows[cut:]
        pages[-1] = trial
    return Plan(style, pages)


def sheets(grid: Grid, view: dict, plan: Plan) -> int:
    """The pages a table's plan takes in print: one per planned page, and more where a page holds
    a row taller than a page (the layout splits that row over as many as it needs)."""
    style = plan.style
    height = CONTENT_MM[style.landscape][1]
    around = frame(view, style.landscape)
    head = sum(grid.heights(grid.header, style, head=True))
    body = grid.heights(grid.body, style, head=False)
    count = 0
    for k, page in enumerate(plan.pages):
        used = (around.first if k == 0 else around.continued) + head + sum(body[r] for r in page.repeat + page.rows)
        used += around.notes if k == len(plan.pages) - 1 else 0
        count += max(1, math.ceil(used / height))
    return count


# -- the pages before the tables: the 目录 and the 情况说明 ---------------------------------------
# Not laid out by this model (WeasyPrint flows them), only counted, to bound a document's pages
# before it is built (check's pages_are_bounded). The sizes of style.css again:

NARRATIVE_LINE = style.number(".narrative p, .narrative div.text", "line-height")


def _block(selector: str, line: float, indent: int = 0, above: float | None = None) -> tuple:
    """A kind of 情况说明 block: font size (pt), line height, margins above and below (mm), indent (em)."""
    font = style.number(selector, "font-size", "pt") if "font-size" in style.rules()[selector] else TEXT_PT
    top, _, bottom, _ = style.box_mm(selector, "margin")
    return font, line, top if above is None else above, bottom, indent


_PARAGRAPH = ".narrative p, .narrative div.text"
NARRATIVE = {"title": _block("h1.narrative-title", LINE), "heading": _block(".narrative h2", LINE),
             "subheading": _block(".narrative h3", LINE),
             "paragraph": _block(_PARAGRAPH, NARRATIVE_LINE, int(style.number(_PARAGRAPH, "text-indent", "em"))),
             "verbatim": _block(_PARAGRAPH, NARRATIVE_LINE),
             "contact": _block(_PARAGRAPH, NARRATIVE_LINE, above=style.number(".narrative p.contact", "margin-top", "mm"))}
_COVER = style.box_mm("h1.doc-title", "margin")
CONTENTS_TOP_MM = _COVER[0] + _COVER[2]                     # the cover title's margins (its lines come on top)
COVER_PT = style.number("h1.doc-title", "font-size", "pt")
CONTENTS_TITLE_PT = style.number("h2.contents-title", "font-size", "pt")
H2_MARGIN_EM = style.number("h2", "margin-top", "em", sheet="ua.css")     # the 目录 heading's, above and below
CONTENTS_ENTRY_MM = style.box_mm("ol.toc li", "margin")[0]                 # between two entries


def narrative_pages(blocks: list[tuple[str, str]]) -> int:
    """The pages the 情况说明 (its (kind, text) blocks) takes on portrait pages."""
    width, height = CONTENT_MM[False]
    used = 0.0
    for kind, text in blocks:
        font, line, above, below, indent = NARRATIVE[kind]
        width_em = width / (font * PT_MM)
        parts = text.split("\n") if kind == "verbatim" else [text]     # white-space: pre-line
        lines = sum(max(1, line_count("一" * indent + part, width_em)) for part in parts)
        used += above + lines * font * line * PT_MM + below
    return max(1, math.ceil(used / height))


def contents_pages(entries: list[int], landscape: bool, title: Sequence[str] = ("",)) -> int:
    """The pages the 目录 takes: its entries' numbers of lines, under the cover's title (its lines,
    each of which may wrap)."""
    width, height = CONTENT_MM[landscape]
    lines = sum(max(1, line_count(line, width / (COVER_PT * PT_MM))) for line in title)
    used = CONTENTS_TOP_MM + lines * COVER_PT * LINE * PT_MM + CONTENTS_TITLE_PT * LINE * PT_MM * (1 + 2 * H2_MARGIN_EM)
    for lines in entries:
        used += lines * TEXT_PT * LINE * PT_MM + CONTENTS_ENTRY_MM
    return max(1, math.ceil(used / height))
