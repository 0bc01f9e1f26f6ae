"""The format-neutral document: tables of cells and the 情况说明's blocks.

A `Table` is a grid of cells — text, or a value already in the table's display unit and rounded —
with its label, title, lines above, header rows and notes. Both renderers draw exactly these
tables and blocks, so the XLSX and the PDF cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..core.facts import COUNT, MONEY, NUMBER, PERCENT
from ..core.numbers import fixed, rounded

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 28 → 二十八 (enough for table and row numbering)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


@dataclass(frozen=True)
class Cell:
    value: str | Decimal | None = None
    colspan: int = 1
    rowspan: int = 1
    # text / code / center / label / head / caption, or a value kind: amount / count / number / percent
    kind: str = "text"
    decimals: int | None = None     # amounts and numbers: decimals shown, when not the table's
    bold: bool = False
    zero: str = ""                  # how a zero value prints ("" blank, or "0.00")
    measure: str = ""               # the named quantity this cell shows, if any (one value everywhere)


# The kinds of cell, named once: the value kinds (right-aligned, never broken), the kinds a
# column may have, and those a form adds; and the kind of cell each type of measure shows in.
VALUE_KINDS = ("amount", "count", "number", "percent")
COLUMN_KINDS = ("text", "code", "center", *VALUE_KINDS)
CELL_KINDS = ("label", "head", "caption", *COLUMN_KINDS)
VALUE_KIND_OF = {MONEY: "amount", COUNT: "count", NUMBER: "number", PERCENT: "percent"}


@dataclass
class Table:
    id: str
    label: str
    title: str
    above: list[list[str]]      # lines above the table: [text] or [left, centre, right]
    widths: list[float]
    header: list[list[Cell]]
    body: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    landscape: bool = False
    decimals: int = 2
    thousands: bool = True
    form: bool = False
    subject: str = ""           # what a repeated table is about (the project), for the 目录
    subtitle: str = ""
    print_label: bool = True
    unit: str = ""
    filler: int = 0             # how many body rows are blank filler rows: the last ones …
    after_filler: int = 0       # … but for these last rows (a bottom 合计 the filler goes above)
    indicator_head: int | None = None   # a form's body row heading its indicators (repeated on a continuation)
    keep_landscape: bool = False    # landscape over several pages, never turned upright to fit one

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def filler_rows(self) -> range:
        """The body rows that are blank filler rows (min_rows)."""
        end = len(self.body) - self.after_filler
        return range(end - self.filler, end)

    @property
    def blank_rows(self) -> frozenset[int]:
        """The body rows that print nothing and are no filler rows (a profile's `[""]`): drawn one
        line high by every renderer, as the published tables do."""
        filler = self.filler_rows
        return frozenset(r for r, row in enumerate(self.body)
                         if row and r not in filler and all(not cell_text(cell, self) for cell in row))

    qualifier: str = ""         # joined to the title in the 目录 where two tables share a title

    @property
    def contents_title(self) -> str:
        """The title in the 目录 and bookmarks: told apart from its namesakes by the subtitle
        (渝北's 表六/表七), a repeated form by its project — unless the title already names it."""
        title = self.title + self.qualifier
        return f"{title}（{self.subject}）" if self.subject and self.subject not in title else title

    @property
    def bookmark(self) -> str:
        return f"{self.label} {self.contents_title}".strip()


@dataclass(frozen=True)
class Block:
    """One block of the 情况说明: a title, a heading, a subheading, a paragraph, or verbatim
    text whose line breaks are kept (the clerk's 职能职责)."""
    kind: str                   # title / heading / subheading / paragraph / verbatim / contact
    text: str


@dataclass
class Publication:
    title: str                  # the cover's title, e.g. 某部门2024年部门预算; a \n starts a line
    contents_heading: str       # 目　录
    narrative_title: str        # the 目录 entry of the 情况说明 (部门预算情况说明, 决算说明 …)
    tables: list[Table]
    narrative: list[Block] = field(default_factory=list)
    cover_landscape: bool = False
    contents: bool = True       # False: no 目录 page (nor sheet); the PDF's bookmarks stay

    @property
    def title_lines(self) -> list[str]:
        """The cover's title in its lines, as the profile broke it (document_title's \\n)."""
        return self.title.split("\n")

    @property
    def plain_title(self) -> str:
        """The title on one line, where a document's name has one (the PDF's and the workbook's
        metadata): its lines joined without a space, as a Chinese title reads on."""
        return "".join(line.strip() for line in self.title_lines)


def format_amount(value: Decimal, decimals: int, thousands: bool, zero: str = "") -> str:
    if not value:
        return zero                      # zero amounts are blank (or 0.00), as the table publishes them
    return format(rounded(value, decimals), ",f" if thousands else "f")


def cell_text(cell: Cell, table: Table) -> str:
    """A cell as printed: amounts with the table's decimals, counts as integers, numbers as
    typed (a weight of 7.5 stays 7.5), percentages with their sign."""
    if cell.value is None or cell.value == "":
        return ""
    if cell.kind == "percent":
        return f"{_number(Decimal(cell.value), cell.decimals)}%"
    if cell.kind == "count":
        return format(int(cell.value), ",d" if table.thousands else "d") if cell.value else cell.zero
    if cell.kind == "number":
        return _number(Decimal(cell.value), cell.decimals)
    if isinstance(cell.value, Decimal):
        decimals = table.decimals if cell.decimals is None else cell.decimals
        return format_amount(cell.value, decimals, table.thousands, cell.zero)
    return str(cell.value)


def _number(value: Decimal, decimals: int | None) -> str:
    """A number as computed or typed, with its own decimals: a weight 20 or 7.5, a score 10.00."""
    return fixed(value, decimals) if decimals is not None else format(value, "f")


def place(rows: list[list[Cell]], ncols: int) -> list[tuple[int, int, Cell]]:
    """Grid positions (row, column, cell) of HTML-style rows, where a cell spanning rows
    occupies the same columns of the rows below it. Used by renderers that need coordinates."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return [p for p in placed if p[1] < ncols]
