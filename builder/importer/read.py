"""Read a region's tables out of sheets or pages, backwards through the profile.

The profile says, for every table, its title, subtitle, the lines above it, its header grid, its
columns and what each body cell shows. Here each becomes a pattern: a title is found by its text
(placeholders such as {部门} and {年度} read back as the document's values), the header rows by
their words, and each column by its path of header texts (so moved columns are still known); a
body row by its code or its label. What comes out is format-neutral and still text: the cells of
each table instance with where they were (sheet!cell or page/line). Turning them into a YAML is
the document kind's business (budget.py, accounts.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..core.findings import Finding, error, warning
from ..publication.model import Cell, place
from ..publication.profile import PLACEHOLDER, Profile, TableSpec, form_cell, parse_cell
from .source import Sheet, Slot, norm

CONTINUED = "(续)"
# what each placeholder may read back as; anything else: some text
_PLACEHOLDER_PATTERNS = {"年度": r"\d{4}", "上年": r"\d{4}", "部门编码": r"[0-9A-Za-z]+", "n": r"\d+",
                         "n2": r"\d+", "i": r"\d+", "cn": r"[一二三四五六七八九十]+", "项目编码": r"[^-\s]+"}
UNIT = re.compile(r"单位[:：]\s*(万元|元)")
NOTE = re.compile(r"^(注|备注|说明)[:：0-9一二三、]")


@dataclass
class Value:
    text: str
    where: str
    decimals: int | None = None     # a workbook number's shown decimals
    number: str | None = None       # a workbook number as stored


@dataclass
class Found:
    """One instance of a profile's table read from the source (a repeated form: one project)."""
    spec: TableSpec
    n: int                                  # its position in the profile (1-based)
    where: str                              # sheet name, or 第3页 / 第3—4页
    unit: str                               # the unit its 单位 line states (else the table's)
    context: dict[str, list[Value]] = field(default_factory=dict)   # placeholders read back
    rows: list[dict[str, Value]] = field(default_factory=list)      # rows layout: key → cell
    totals: list[bool] = field(default_factory=list)                # rows layout: the 合计 row?
    scalars: list[tuple[str, Value]] = field(default_factory=list)  # $name cells (paired, fixed, form)
    classes: list[tuple[str, str, Value, int]] = field(default_factory=list)  # (row label, key, cell, side)
    text: dict[str, Value] = field(default_factory=dict)            # a form's placeholders
    indicators: list[dict[str, Value]] = field(default_factory=list)
    unread: list[Value] = field(default_factory=list)               # figures not placed
    pages: list[int] = field(default_factory=list)


class Pattern:
    """A profile text (with {placeholders}) as a pattern over normalised text."""

    def __init__(self, template: str, known: dict[str, str] | None = None):
        self.names: list[str] = []
        parts, last = [], 0
        for match in PLACEHOLDER.finditer(template):
            parts.append(re.escape(norm(template[last:match.start()])))
            name = match.group(1)
            if known and name in known:
                parts.append(re.escape(norm(known[name])))
            else:
                self.names.append(name)
                parts.append(f"({_PLACEHOLDER_PATTERNS.get(name, '.*?')})")
            last = match.end()
        parts.append(re.escape(norm(template[last:])))
        self.literal = norm(PLACEHOLDER.sub("", template))
        self.regex = re.compile("".join(parts))
        self.blank = not norm(template)

    def match(self, text: str) -> dict[str, str] | None:
        """The placeholders' values, as written in the text (its own spaces and full-width
        forms), or None if the text does not fit."""
        normal, index = _norm_map(text or "")
        found = self.regex.fullmatch(normal)
        if found is None:
            return None
        values: dict[str, str] = {}
        for k, name in enumerate(self.names, start=1):
            a, b = found.span(k)
            value = text[index[a]:index[b - 1] + 1].strip() if b > a else ""
            if values.setdefault(name, value) != value:
                return None
        return values


def _norm_map(text: str) -> tuple[str, list[int]]:
    """norm(text), and for each of its characters the position it came from in text."""
    out, index = [], []
    for i, ch in enumerate(text):
        for c in re.sub(r"\s+", "", unicodedata.normalize("NFKC", ch)):
            out.append(c)
            index.append(i)
    return "".join(out), index


# -- the expected grids -----------------------------------------------------------------------

def expected_header(spec: TableSpec) -> list[list[Cell]]:
    """The header rows as the builder prints them (a 序号 column and 栏次 row for serial tables)."""
    header = [[Cell(text, cols, rows, "head") for text, cols, rows in map(parse_cell, line)] for line in spec.header]
    if spec.serial:
        ncols = spec.ncols
        if header:
            header[0].insert(0, Cell("序号", 1, len(header), "head"))
        header.append([Cell("栏次", kind="head")] + [Cell(str(k), kind="head") for k in range(1, ncols + 1)])
    return header


def column_keys(spec: TableSpec) -> list[str]:
    """The key of each printed column: a split 科目编码 is three or two (科目编码#0 …), a serial table
    starts with 序号; paired, fixed and form tables have positions only (#0, #1 …)."""
    keys = ["序号"] if spec.serial else []
    for i, column in enumerate(spec.columns):
        key = column.key or f"#{i}"
        keys += [f"{key}#{k}" for k in range(column.span)] if column.split else [key]
    return keys


def _header_paths(rows: list[list[Cell]], ncols: int) -> list[list[str]]:
    paths: list[list[str]] = [[] for _ in range(ncols)]
    for _r, c, cell in place(rows, ncols):
        for k in range(c, min(c + cell.colspan, ncols)):
            paths[k].append(str(cell.value or ""))
    return paths


def _meaningful(text: str) -> bool:
    t = norm(text)
    return bool(t) and not t.isdigit() and t != "栏次"


# -- finding tables ---------------------------------------------------------------------------

class Reader:
    def __init__(self, profile: Profile, file: str):
        self.profile = profile
        self.file = file
        self.findings: list[Finding] = []
        self.titles = [(n, spec, Pattern(spec.title)) for n, spec in enumerate(profile.tables, start=1)]

    # which table a sheet or page holds
    def identify(self, sheet: Sheet) -> tuple[int, TableSpec, int, dict[str, str], bool] | None:
        """(n, spec, title row, placeholders, continued) of the table this sheet or page starts with."""
        for r, row in enumerate(sheet.rows[:12]):
            for slot in _origins(row, r):
                text = norm(slot.text)
                if not text:
                    continue
                continued = False
                for suffix in (CONTINUED, "(续表)", "续表"):
                    if text.endswith(norm(suffix)):
                        text, continued = text[: -len(norm(suffix))], True
                candidates = []
                for n, spec, pattern in self.titles:
                    values = pattern.match(text)
                    if values is not None and self._subtitle_fits(sheet, r, spec):
                        candidates.append((len(pattern.literal), n, spec, values))
                if candidates:
                    _, n, spec, values = max(candidates, key=lambda c: (c[0], bool(c[2].subtitle)))
                    return n, spec, r, values, continued
        return None

    def _subtitle_fits(self, sheet: Sheet, r: int, spec: TableSpec) -> bool:
        same = [s for _, s, p in self.titles if s.title == spec.title and s is not spec]
        if not same:
            return True
        if not spec.subtitle:
            return True
        pattern = Pattern(spec.subtitle)
        return any(pattern.match(slot.text) is not None
                   for k, row in enumerate(sheet.rows[r + 1:r + 4], start=r + 1) for slot in _origins(row, k))

    # one table instance
    def read(self, sheet: Sheet, n: int, spec: TableSpec, title_row: int, values: dict[str, str],
             found: Found | None = None) -> Found:
        """Read a table instance from a sheet or page (or go on with one continued there)."""
        first = found is None
        if found is None:
            found = Found(spec, n, sheet.name, spec.unit or self.profile.unit)
        if sheet.page:
            found.pages.append(sheet.page)
        title_where = sheet.rows[title_row][0].where
        for name, value in values.items():
            found.context.setdefault(name, []).append(Value(value, title_where))
        header = expected_header(spec)
        keys = column_keys(spec)
        start = title_row + 1
        body_from, columns = self._header(sheet, start, header, keys, spec)
        if spec.layout == "form":
            lines = spec.lines_above if spec.lines_above is not None else self.profile.lines_above
            above = sheet.rows[start:start + len(lines) + 2]
        else:
            above = sheet.rows[start:body_from - len(header) if columns else body_from]
        self._above(found, spec, above, start)
        if spec.layout == "form":
            self._form(found, sheet, start, first)
            return found
        if columns is None:
            self.findings.append(error(self.file, None, f"{sheet.name}：{_label(self.profile, n)}“{shown_title(spec)}”的表头"
                                       f"未找到（应为：{'、'.join(norm(str(c.value)) for c in header[0])}）", "import"))
            return found
        rows = self._body(sheet, body_from)
        if spec.layout == "rows":
            self._rows(found, spec, rows, columns)
        else:
            self._fixed(found, spec, rows, columns)
        return found

    def _header(self, sheet: Sheet, start: int, header: list[list[Cell]], keys: list[str], spec: TableSpec):
        """Find the header rows (by their words) and map each profile column to a sheet column:
        (first body row, {key: sheet column}) or (start, None) when no header is found."""
        if not header:
            return start, {}
        paths = _header_paths(header, len(keys))
        patterns = [[Pattern(t) for t in path if _meaningful(t)] for path in paths]
        words = {Pattern(w) for w in {norm(str(c.value)) for row in header for c in row if _meaningful(str(c.value or ""))}}
        for r in range(start, min(start + 8, len(sheet.rows))):
            texts = [norm(s.text) for s in _origins(sheet.rows[r], r)]
            texts = [t for t in texts if t]
            if not texts or sum(any(p.match(t) is not None for p in words) for t in texts) < max(1, len(texts) // 2):
                continue
            rows = sheet.rows[r:r + len(header)]
            width = max((len(row) for row in rows), default=0)
            source_paths = []
            for c in range(width):
                path, last = [], None
                for _k, row in enumerate(rows):
                    if c < len(row) and row[c].origin != last:
                        last = row[c].origin
                        if _meaningful(row[c].text):
                            path.append(row[c].text)
                source_paths.append(path)
            columns: dict[str, int] = {}
            used: set[int] = set()
            for key, pats in zip(keys, patterns):
                for c, path in enumerate(source_paths):
                    if c in used or len(path) != len(pats):
                        continue
                    if all(p.match(t) is not None for p, t in zip(pats, path)):
                        columns[key] = c
                        used.add(c)
                        break
            missing = [k for k, pats in zip(keys, patterns) if k not in columns and pats]
            # columns without header words of their own (under a spanning head): by position
            for key, pats in zip(keys, patterns):
                if key not in columns and not pats:
                    c = keys.index(key)
                    if c < width and c not in used:
                        columns[key] = c
                        used.add(c)
            for c, path in enumerate(source_paths):
                if c not in used and path:
                    self.findings.append(warning(self.file, None, f"{rows[0][c].where}：表头“{'/'.join(norm(t) for t in path)}”"
                                                 f"不是本方案“{shown_title(spec)}”的列，此列的数字未读取", "import"))
                    columns[f"?{c}"] = c
            for key in missing:
                i = keys.index(key)
                self.findings.append(warning(self.file, None, f"{sheet.rows[r][0].where}：“{shown_title(spec)}”缺少列"
                                             f"“{'/'.join(norm(t) for t in paths[i] if _meaningful(t))}”", "import"))
            return r + len(header), columns
        return start, None

    def _above(self, found: Found, spec: TableSpec, rows: list[list[Slot]], start: int) -> None:
        lines = spec.lines_above if spec.lines_above is not None else self.profile.lines_above
        patterns = [Pattern(text) for line in lines for text in line if text] + \
                   ([Pattern(spec.subtitle)] if spec.subtitle else [])
        for k, row in enumerate(rows, start=start):
            for slot in _origins(row, k):
                unit = UNIT.search(norm(slot.text).replace(":", "："))
                if unit:
                    found.unit = unit.group(1)
                for pattern in patterns:
                    values = pattern.match(slot.text)
                    if values:
                        for name, value in values.items():
                            found.context.setdefault(name, []).append(Value(value, slot.where))

    def _body(self, sheet: Sheet, start: int) -> list[tuple[int, list[Slot]]]:
        rows = []
        for r in range(start, len(sheet.rows)):
            row = sheet.rows[r]
            origins = [s for s in _origins(row, r) if norm(s.text)]
            if sheet.page and r not in sheet.table_rows:
                break                   # a PDF page's table ends where its ruled grid does
            if len(origins) == 1 and NOTE.match(norm(origins[0].text)) and not sheet.page:
                break
            if len(origins) == 1 and len({s.origin for s in row}) == 1 and len(row) > 2:
                break                   # a line across the whole sheet: a note under the table
            rows.append((r, row))
        return rows

    def _rows(self, found: Found, spec: TableSpec, rows, columns: dict[str, int]) -> None:
        text_keys = [c.key for c in spec.columns if c.kind in ("text", "code", "center")]
        total_labels = {"合计", "总计", norm(spec.total_label) if spec.total_label else "合计"}
        for _r, row in rows:
            if not any(norm(s.text) for s in row):
                continue                # a blank or filler row
            cells: dict[str, Value] = {}
            for key, c in columns.items():
                if c >= len(row):
                    continue
                slot = row[c]
                if key.startswith("?"):
                    if norm(slot.text):
                        found.unread.append(Value(slot.text, slot.where))
                    continue
                base, _, part = key.partition("#")
                value = _value(slot)
                if part and base in cells:
                    if slot.origin != row[columns[f"{base}#{int(part) - 1}"]].origin:
                        cells[base] = Value(cells[base].text + norm(slot.text), cells[base].where)
                else:
                    cells[base] = value
            total = any(norm(cells[k].text) in total_labels for k in text_keys if k in cells) and \
                not norm(cells.get("科目编码", Value("", "")).text)
            # a header repeated on a continued page, or the 栏次 row
            if all(not norm(v.text) or not _is_number(v.text) for v in cells.values()) and \
                    any(norm(v.text) == "栏次" for v in cells.values()):
                continue
            found.rows.append(cells)
            found.totals.append(total)

    def _fixed(self, found: Found, spec: TableSpec, rows, columns: dict[str, int]) -> None:
        """Paired and fixed tables: full-width lines (top, footer, fixed) and each side's rows,
        found by their labels in order; a side's class or code rows by their label pattern."""
        keys = column_keys(spec)
        offset = 1 if spec.serial else 0
        at = {i: columns.get(key, i) for i, key in enumerate(keys)}
        body = [(r, row) for r, row in rows if any(norm(s.text) for s in row)]
        if spec.layout == "fixed":
            self._lines(found, [_template(line, offset) for line in spec.fixed], body, at)
            return
        top, footer = len(spec.top), len(spec.footer)
        middle = body[top:len(body) - footer if footer else len(body)]
        self._lines(found, [_template(line, offset) for line in spec.top], body[:top], at)
        if footer:
            self._lines(found, [_template(line, offset) for line in spec.footer], body[-footer:], at)
        first = offset
        for s, side in enumerate(spec.sides):
            templates = []
            for item in side.rows:
                if isinstance(item, list):
                    cells = list(item[:1]) + (["{行次}"] if side.line_numbers else []) + list(item[1:])
                    templates.append(("line", _template(cells, first)))
                elif item.class_rows is not None:
                    values = [f"@{v}" for v in item.class_rows.values]
                    cells = [item.class_rows.label] + (["{行次}"] if side.line_numbers else []) + values
                    templates.append(("class", _template(cells, first)))
                else:
                    assert item.code_rows is not None         # an item is one or the other (profile.Item)
                    cells = ["{科目编码}", "{科目名称}", *(f"@{v}" for v in item.code_rows.values)]
                    templates.append(("code", _template(cells, first)))
            self._side(found, templates, middle, at, s)
            first += side.columns

    def _lines(self, found: Found, templates, body, at) -> None:
        self._side(found, [("line", t) for t in templates], body, at, -1)

    def _side(self, found: Found, templates, body, at: dict[int, int], side: int) -> None:
        t = 0
        for _r, row in body:
            def cell(position: int, row=row) -> Slot | None:
                c = at.get(position, position)
                return row[c] if c < len(row) else None
            matched = False
            while t < len(templates) and not matched:
                kind, template = templates[t]
                label_slot = cell(template[0][0])
                label = label_slot.text if label_slot else ""
                if kind == "line":
                    if template[0][1].match(label) is not None:
                        self._take(found, template, cell, side, None)
                        t += 1
                        matched = True
                    elif any(k == "line" and tp[0][1].match(label) is not None and norm(label)
                             for k, tp in templates[t + 1:]):
                        t += 1              # a row the source leaves out
                    else:
                        break
                else:
                    ahead = any(k == "line" and tp[0][1].match(label) is not None for k, tp in templates[t + 1:])
                    values = template[0][1].match(label)
                    if kind == "code":
                        values = {"科目编码": norm(label)} if norm(label).isdigit() else None
                    if values is not None and not ahead and norm(label):
                        self._take(found, template, cell, side, label if kind == "class" else norm(label))
                        matched = True
                    else:
                        t += 1
            if not matched:
                for _position, _ in [(p, None) for p, _, _ in (templates[0][1] if templates else [])]:
                    pass
                self._unread_side(found, templates, cell)

    def _unread_side(self, found: Found, templates, cell) -> None:
        positions = {p for _, tp in templates for p, _, _ in tp}
        for p in sorted(positions):
            slot = cell(p)
            if slot is not None and _is_number(slot.text):
                found.unread.append(_value(slot))

    def _take(self, found: Found, template, cell, side: int, row_label: str | None) -> None:
        for position, _pattern, raw in template:
            slot = cell(position)
            if slot is None:
                continue
            if raw.startswith("$"):
                found.scalars.append((raw[1:], _value(slot)))
            elif raw.startswith("@"):
                found.classes.append((row_label or "", raw[1:], _value(slot), side))
            elif _is_number(slot.text) and not norm(raw) and raw != "{行次}":
                found.unread.append(_value(slot))

    def _form(self, found: Found, sheet: Sheet, start: int, first: bool) -> None:
        spec = found.spec
        r = start
        if first:
            for line in spec.form:
                cells = [form_cell(item, i) for i, item in enumerate(line)]
                anchor = next((i for i, (_, text, _, _) in enumerate(cells)
                               if norm(text) and not PLACEHOLDER.search(text) and not text.startswith("$")), None)
                pattern = Pattern(cells[anchor][1]) if anchor is not None else None
                for k in range(r, len(sheet.rows)):
                    own = _own(sheet.rows[k], k)
                    if pattern is None or anchor is None:   # a line of values only: the next row with cells
                        hits = [0] if own else []
                        anchor = 0
                    else:
                        hits = [j for j, slot in enumerate(own) if pattern.match(slot.text) is not None]
                    if hits:
                        shift = hits[0] - anchor
                        for i, (_kind, text, _, _) in enumerate(cells):
                            j = i + shift
                            if not 0 <= j < len(own):
                                continue
                            slot = own[j]
                            if text.startswith("$"):
                                found.scalars.append((text[1:], _value(slot)))
                            elif PLACEHOLDER.search(text):
                                values = Pattern(text).match(slot.text)
                                if values is None:
                                    self.findings.append(warning(self.file, None, f"{slot.where}：“{norm(slot.text)}”"
                                                                 f"不合“{text}”的格式，未读取", "import"))
                                    continue
                                for name, value in values.items():
                                    found.text.setdefault(name, Value(value, slot.where))
                        r = k + 1
                        break
        block = spec.indicators
        if block is None:
            return
        heads = [Pattern(h) for h in block.header]
        columns: dict[str, int] | None = None
        for k in range(r, len(sheet.rows)):
            if sheet.page and k not in sheet.table_rows:
                if columns is not None:
                    break               # a page's footer, under its ruled table
                continue
            row = sheet.rows[k]
            own = _own(row, k)
            texts = [norm(s.text) for s in own]
            found_at: dict[str, int] = {}
            for name, pattern in zip(block.fields, heads):
                for slot in own:
                    if pattern.match(slot.text) is not None:
                        found_at[name] = slot.origin[1]
                        break
            if len(found_at) == len(block.fields):
                columns = found_at
                continue
            if columns is None:
                continue
            if not any(texts):
                continue
            if len(own) == 1 and NOTE.match(texts[0]):
                break
            item = {}
            for name, c in columns.items():
                if c < len(row):
                    text = row[c].text
                    suffix = block.suffix.get(name, "")
                    if suffix and norm(text).endswith(norm(suffix)):
                        text = norm(text)[: -len(norm(suffix))]
                    item[name] = Value(text, row[c].where, row[c].decimals, row[c].number)
            if any(norm(v.text) for v in item.values()):
                found.indicators.append(item)


def _template(cells: list[str], first: int) -> list[tuple[int, Pattern, str]]:
    """A row of profile cells as (position, pattern, raw text), positions from `first` by spans."""
    out, position = [], first
    for raw in cells:
        text, cols, _ = parse_cell(raw)
        out.append((position, Pattern(text), text))
        position += cols
    return out


def _own(row: list[Slot], r: int) -> list[Slot]:
    """The cells that start in this row (not those covered from a row above), each once."""
    return [s for s in _origins(row, r) if s.origin[0] == r]


def _origins(row: list[Slot], r: int) -> list[Slot]:
    seen, out = set(), []
    for _c, slot in enumerate(row):
        if slot.origin not in seen:
            seen.add(slot.origin)
            out.append(slot)
    return out


def _value(slot: Slot) -> Value:
    return Value(slot.text, slot.where, slot.decimals, slot.number)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?%?", norm(text)))


def shown_title(spec: TableSpec) -> str:
    """A table's title as a message names it: without the department and the year it is filled
    with ({部门}{年度}年一般公共预算支出表 → 一般公共预算支出表), which a message cannot know."""
    return re.sub(r"\{年度\}年?|\{[^{}]*\}", "", spec.title).strip() or spec.title


def _label(profile: Profile, n: int) -> str:
    from ..publication.build import spec_label
    return spec_label(profile, n)


def read_tables(sheets: list[Sheet], profile: Profile, file: str) -> tuple[list[Found], list[Finding]]:
    """Every table instance of the profile found in the sheets or pages, in order. The document's
    own title (a 目录's or a cover's: profile.document_title) is read for its placeholders too."""
    reader = Reader(profile, file)
    found: list[Found] = []
    titled = Pattern(profile.document_title)
    document: dict[str, list[Value]] = {}
    for sheet in sheets:
        for r, row in enumerate(sheet.rows[:3]):
            for slot in _own(row, r):
                said = titled.match(slot.text) if norm(slot.text) else None
                for name, value in (said or {}).items():
                    document.setdefault(name, []).append(Value(value, slot.where))
        if _contents(reader, sheet):
            continue
        ident = reader.identify(sheet)
        if ident is None:
            numbers = [s for r, row in enumerate(sheet.rows) for s in _own(row, r) if _is_number(s.text)]
            if numbers and not sheet.page:
                reader.findings.append(warning(file, None, f"工作表“{sheet.name}”中没有本方案（{profile.name}）"
                                               f"任何一张表的标题，其中的 {len(numbers)} 个数字未读取", "import"))
            elif numbers and found and found[-1].pages:
                # a page without a title: the table before it goes on (some exports print no （续）)
                previous = found[-1]
                reader.read(sheet, previous.n, previous.spec, -1, {}, previous)
            continue
        n, spec, title_row, title_values, continued = ident
        last = found[-1] if found else None
        if continued and last is not None and last.spec is spec:
            reader.read(sheet, n, spec, title_row, title_values, last)
        else:
            found.append(reader.read(sheet, n, spec, title_row, title_values))
    if found:
        for name, values in document.items():
            found[0].context.setdefault(name, []).extend(values)
    return found, reader.findings


def _contents(reader: Reader, sheet: Sheet) -> bool:
    """A 目录: three or more rows naming tables of the profile."""
    hits = 0
    for r, row in enumerate(sheet.rows[:60]):
        texts = [norm(s.text) for s in _own(row, r) if norm(s.text)]
        if any(p.match(t) is not None for t in texts[:3] for _, _, p in reader.titles):
            hits += 1
        if hits >= 3:
            return True
    return False
