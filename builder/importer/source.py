"""What the importer reads: a workbook's sheets or a PDF's pages, each as rows of slots.

A slot is one grid position with its text and where it is (sheet!cell, or page and line), the
merged cell it belongs to (its origin) and, for a workbook's number cells, the number exactly as
stored in the file (never through a float). A sheet is one grid; a PDF page is its text lines
outside tables (one row each, its words grouped into phrases by their gaps) and the rows of each
table, in reading order, with the cells pdfplumber finds from the ruling lines (words placed in
cells by their coordinates). Both become the same thing, so one reader of tables serves both.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..core.findings import BuildFailed, error


@dataclass
class Slot:
    text: str                   # the cell's text ("" for blank); a covered slot repeats its origin's
    where: str                  # 附件2!C7 or 第3页第12行
    origin: tuple[int, int]     # (row, column) of the merged cell's top-left slot, itself if not merged
    number: str | None = None   # a workbook number cell's stored digits
    decimals: int | None = None  # the decimals its number format shows (None: as stored)

    def covered(self, r: int, c: int) -> bool:
        return self.origin != (r, c)


@dataclass
class Sheet:
    name: str                   # the sheet's name, or 第N页
    rows: list[list[Slot]]
    page: int | None = None     # a PDF page's number
    table_rows: set[int] = field(default_factory=set)   # rows that are a ruled table's (PDF)


def norm(text: str) -> str:
    """Text as compared: NFKC (full-width forms to half-width), no white space at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# -- workbooks ----------------------------------------------------------------------------------

def _stored_numbers(path: Path) -> dict[str, dict[str, str]]:
    """Each sheet's number cells as stored in the file: sheet name → cell reference → digits."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    rel_ns = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    found: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{rel_ns}Relationship")}
        for sheet in workbook.iter(f"{{{ns['m']}}}sheet"):
            target = (targets.get(sheet.get(f"{{{ns['r']}}}id")) or "").lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            if member not in names:
                continue
            numbers: dict[str, str] = {}
            for _, element in ElementTree.iterparse(archive.open(member)):
                if element.tag == f"{{{ns['m']}}}c":
                    if element.get("t") in (None, "n"):
                        value = element.find("m:v", ns)
                        if value is not None and value.text:
                            numbers[element.get("r") or ""] = value.text.strip()
                    element.clear()
            found[sheet.get("name") or ""] = numbers
    return found


def read_workbook(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(path, data_only=True)
        stored = _stored_numbers(path)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError) as exc:
        raise BuildFailed([error(str(path), None, f"无法读取工作簿（不是有效的 .xlsx 文件：{type(exc).__name__}）",
                                 "import")]) from None
    sheets = []
    for ws in workbook.worksheets:
        numbers = stored.get(ws.title, {})
        origin: dict[tuple[int, int], tuple[int, int]] = {}
        for merged in ws.merged_cells.ranges:
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    origin[(r - 1, c - 1)] = (merged.min_row - 1, merged.min_col - 1)
        values = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and not type(cell).__name__ == "MergedCell":
                    values[(cell.row - 1, cell.column - 1)] = cell
        height = max((r for r, _ in values), default=-1) + 1
        width = max((c for _, c in values), default=-1) + 1
        rows = []
        for r in range(height):
            line = []
            for c in range(width):
                o = origin.get((r, c), (r, c))
                cell = values.get(o)
                ref = f"{get_column_letter(o[1] + 1)}{o[0] + 1}"
                number = numbers.get(ref) if cell is not None and cell.data_type == "n" else None
                text = "" if cell is None else (number if number is not None else _text(cell.value))
                decimals = _format_decimals(cell.number_format) if number is not None and cell is not None else None
                line.append(Slot(text, f"{ws.title}!{get_column_letter(c + 1)}{r + 1}", o, number, decimals))
            rows.append(line)
        sheets.append(Sheet(ws.title, rows))
    return sheets


def _format_decimals(number_format: str) -> int | None:
    """The decimals a number format shows (#,##0.00 → 2, 0 → 0); None for General."""
    first = number_format.split(";")[0]
    if "0" not in first and "#" not in first:
        return None
    match = re.search(r"[0#]\.(0+)", first)
    return len(match.group(1)) if match else 0


def _text(value: object) -> str:
    if isinstance(value, float):        # a formula's cached result or a value openpyxl typed
        return repr(value)
    return str(value)


# -- PDF ----------------------------------------------------------------------------------------

def read_pdf(path: Path) -> list[Sheet]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(path)
    except (PDFSyntaxError, OSError, ValueError, TypeError) as exc:
        raise BuildFailed([error(str(path), None, f"无法读取 PDF（文件损坏或不是 PDF：{type(exc).__name__}）",
                                 "import")]) from None
    sheets = []
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            sheets.append(_page(page, number))
    if sheets and not any(row for sheet in sheets for row in sheet.rows):
        raise BuildFailed([error(str(path), None, "PDF 没有文字层（可能是扫描件）：无法读取表格中的文字和数字；"
                                 "请使用原始的 Excel 工作簿或带文字层的 PDF", "import")])
    return sheets


def _page(page, number: int) -> Sheet:
    tables = page.find_tables()
    words = page.extract_words(x_tolerance=1.5)
    boxes = [t.bbox for t in tables]

    def inside(w, box) -> bool:
        x0, top, x1, bottom = box
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return x0 <= cx <= x1 and top <= cy <= bottom

    blocks: list[tuple[float, str, Any]] = []          # (top, "line" or "table", its words)
    for line in _lines([w for w in words if not any(inside(w, b) for b in boxes)]):
        blocks.append((line[0]["top"], "line", line))
    for table in tables:
        blocks.append((table.bbox[1], "table", (table, [w for w in words if inside(w, table.bbox)])))
    blocks.sort(key=lambda b: b[0])
    rows: list[list[Slot]] = []
    table_rows: set[int] = set()
    for _, kind, item in blocks:
        if kind == "line":
            r = len(rows)
            rows.append([Slot(text, f"第{number}页第{r + 1}行", (r, c)) for c, text in enumerate(_phrases(item))])
        else:
            start = len(rows)
            for grid_row in _table_grid(*item):
                r = len(rows)
                rows.append([Slot(text, f"第{number}页第{r + 1}行", (start + o[0], o[1])) for text, o in grid_row])
                table_rows.add(r)
    return Sheet(f"第{number}页", rows, page=number, table_rows=table_rows)


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words in lines by their tops (a line's words sorted left to right)."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _phrases(line: list[dict]) -> list[str]:
    """A line's words joined into phrases; a gap wider than two characters starts a new one."""
    phrases: list[str] = []
    last = None
    for word in line:
        size = max(word["bottom"] - word["top"], 1)
        if last is not None and word["x0"] - last["x1"] < 2 * size:
            phrases[-1] += " " + word["text"]
        else:
            phrases.append(word["text"])
        last = word
    return phrases


def _table_grid(table, words: list[dict]) -> list[list[tuple[str, tuple[int, int]]]]:
    """A ruled table's rows: each slot's text and its merged cell's (row, column) within the table.
    Words go to the cell their centre is in; a cell's lines are joined without a break (Chinese
    text wraps without spaces), words on one line with a space."""
    cells = list(table.cells)
    xs = sorted({round(c[0], 1) for c in cells})
    ys = sorted({round(c[1], 1) for c in cells})
    col = {x: i for i, x in enumerate(xs)}
    row = {y: i for i, y in enumerate(ys)}
    grid: list[list[tuple[str, tuple[int, int]] | None]] = [[None] * len(xs) for _ in ys]
    placed: dict[int, list[dict]] = {}
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        for i, (x0, top, x1, bottom) in enumerate(cells):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                placed.setdefault(i, []).append(w)
                break
    for i, (x0, top, x1, bottom) in enumerate(cells):
        r0, c0 = row[round(top, 1)], col[round(x0, 1)]
        r1 = max([k for k, y in enumerate(ys) if y < bottom - 1] + [r0])
        c1 = max([k for k, x in enumerate(xs) if x < x1 - 1] + [c0])
        text = "".join(" ".join(w["text"] for w in line) for line in _lines(placed.get(i, [])))
        for r in range(r0, r1 + 1):
            for k in range(c0, c1 + 1):
                if grid[r][k] is None:
                    grid[r][k] = (text, (r0, c0))
    return [[slot if slot is not None else ("", (r, k)) for k, slot in enumerate(line)]
            for r, line in enumerate(grid)]
