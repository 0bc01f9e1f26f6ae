"""The computed figures of one document, and the declaration of what a profile may name.

A document kind's compute stage turns what the clerk typed into `Facts`: named row sets (功能分类
类/款/项 with every measure a table may show, 经济分类 …), named totals (scalars), form records
(a project, the department as a whole) and the document's placeholders. The same module declares,
next to that code, every name it produces with its type (`Measures`): profiles are validated
against the declaration when they load, and a lookup of an undeclared name raises instead of
printing a blank. Money in `Facts` is always in 元; a table shows it in its own unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping

from .catalogue import LEVELS, Catalogue, built_in
from .numbers import UNITS, ZERO, Money

# Types of a measure: how a value is shown and whether it is money (converted to the table's unit).
MONEY, COUNT, NUMBER, PERCENT, TEXT = "money", "count", "number", "percent", "text"


class UndeclaredMeasure(KeyError):
    """A name no compute stage declares: a profile that passed validation never causes it."""


def typed(kind: str, names: Iterable[str]) -> dict[str, str]:
    return {name: kind for name in names}


@dataclass(frozen=True)
class RecordSpec:
    """What a form (one per project, or one for the department) can place: text placeholders
    ({项目名称} …), values ($合计 …) with their types, and indicator fields."""
    text: frozenset[str]
    values: dict[str, str]
    indicators: dict[str, str] = field(default_factory=dict)
    tags: frozenset[str] = frozenset()       # what a profile's `select` may pick (重点 / 一般)


@dataclass(frozen=True)
class Measures:
    context: frozenset[str]                  # document placeholders: {部门} {年度} …
    rowsets: dict[str, dict[str, str]]       # row set → field → type
    scalars: dict[str, str]                  # totals named as $name → type
    records: dict[str, RecordSpec]           # 项目, 整体 … → what their forms can place
    # names whose data the YAML may leave out (部门编码, 项目编码 …) → the need a table using them has
    optional: dict[str, str] = field(default_factory=dict)
    # the 合计 row of a row set shows these totals: row set → prefix of its fields' scalar names
    totals: dict[str, str] = field(default_factory=dict)
    # two names for one quantity (the second is authoritative): the tables show one value for both
    same: dict[str, str] = field(default_factory=dict)

    def quantity(self, rowset: str, row: "Row", key: str) -> str:
        """The name of the quantity a row set's cell shows: the total's scalar for the 合计 row,
        else the row's own key; used to prove one quantity shows one value everywhere."""
        if row.level == "合计" and rowset in self.totals:
            name = self.totals[rowset] + key
            name = name if name in self.scalars else key if key in self.scalars else f"{rowset}.合计.{key}"
        else:
            name = f"{rowset}.{row.key}.{key}"
        return self.same.get(name, name)

    def field_type(self, rowset: str, key: str) -> str:
        fields = self.rowsets.get(rowset)
        if fields is None or key not in fields:
            raise UndeclaredMeasure(f"{rowset}.{key}")
        return fields[key]

    def scalar_type(self, name: str) -> str:
        if name not in self.scalars:
            raise UndeclaredMeasure(name)
        return self.scalars[name]


@dataclass
class Row:
    """One row of a row set: fields by name, its level and the row it adds up into."""
    fields: dict[str, Any]          # text, a Decimal, or None (not given)
    level: str                      # 合计 / 类 / 款 / 项 / 明细
    parent: int | None = None
    key: str = ""                   # what identifies the row within its set (科目编码, 项目序号 …)

    def amount(self, key: str) -> Decimal:
        value = self.fields.get(key, ZERO)
        return value if isinstance(value, Decimal) else ZERO

    def text(self, key: str) -> str:
        value = self.fields.get(key)
        return "" if value is None else str(value)


def roll_up(leaves: Mapping[str, Mapping[str, Decimal]]) -> tuple[dict[str, defaultdict], defaultdict]:
    """项 figures added up into their 款, 类 and the 合计: (figures by code, the total)."""
    measures: dict[str, defaultdict] = defaultdict(lambda: defaultdict(Decimal))
    total: defaultdict = defaultdict(Decimal)
    for code, leaf in leaves.items():
        for target in (measures[code], measures[code[:5]], measures[code[:3]], total):
            for key, value in leaf.items():
                target[key] += value
    return measures, total


def subject_rows(measures: Mapping[str, Mapping[str, Decimal]], total: Mapping[str, Decimal],
                 name: Callable[[str], str]) -> list[Row]:
    """The 合计 row, then one row per 功能分类 类/款/项 code in code order, each pointing at the
    row it adds up into — the shape of every table by 科目, for both kinds."""
    rows = [Row({"科目编码": "", "科目名称": "合计", **total}, "合计")]
    index: dict[str, int] = {}
    for code in sorted(measures):
        level = LEVELS[len(code)]
        parent = {3: 0, 5: index.get(code[:3]), 7: index.get(code[:5])}[len(code)]
        index[code] = len(rows)
        rows.append(Row({"科目编码": code, "科目名称": name(code), **measures[code]}, level, parent, code))
    return rows


@dataclass(frozen=True)
class Fallback:
    """A figure the document does not give, printed as another figure's value — the 机关运行经费 of
    a budget that does not type it is its 公用经费. A profile that prints it gets a 警告 naming the
    key to type (check.py), so no figure is printed from a silent default."""
    instead: str            # the measure whose value it takes
    described: str          # that measure, as a clerk calls it
    key: str                # the YAML key that gives the figure itself


@dataclass(frozen=True)
class Record:
    """The data of one form: a project, or the department as a whole."""
    subject: str                                    # what the form is about, for the 目录
    text: dict[str, str]
    values: dict[str, Decimal]
    indicators: tuple[dict[str, object], ...] = ()
    tags: frozenset[str] = frozenset()              # e.g. 重点 / 一般, chosen by a profile's select
    key: str = ""                                   # the quantity prefix of its values (项目支出.3)


@dataclass
class Facts:
    measures: Measures
    context: dict[str, str]
    rowsets: dict[str, list[Row]] = field(default_factory=dict)
    scalars: dict[str, Decimal] = field(default_factory=dict)
    records: dict[str, list[Record]] = field(default_factory=dict)
    catalogue: Catalogue = field(default_factory=built_in)   # the 科目 names it was computed with
    linked: dict[str, "Facts"] = field(default_factory=dict)   # 上年, 预算 …
    published: dict[tuple[str, str], Decimal] = field(default_factory=dict)   # a partial file's 已公布数
    # False for a partial file that carries no 功能分类 lines: its figures are unknown, not zero
    lines_known: bool = True
    # totals the document does not give (a partial file without the lines they add up): another
    # year's document must not read them as zeros
    unknown: frozenset[str] = frozenset()
    # measures this document does not give, shown as another's value (measure → what it shows)
    fallbacks: dict[str, Fallback] = field(default_factory=dict)

    def known(self, name: str) -> bool:
        return name not in self.unknown

    def scalar(self, name: str) -> Decimal:
        self.measures.scalar_type(name)
        value = self.scalars.get(name, ZERO)
        return value if value is not None else ZERO

    def figure(self, column: str, code: str | None = None) -> Decimal | None:
        """A figure another year's document asks for: a total by name, or a 功能分类 row's column
        by 科目编码. A partial file's 已公布数 come first; what a partial file neither publishes nor
        carries lines for is unknown (None), never a zero."""
        if (code or "", column) in self.published:
            return self.published[(code or "", column)]
        if not self.lines_known:
            return None
        if code is None and column in self.measures.scalars:
            return self.scalar(column) if self.known(column) else None
        rows = self.rowsets.get("功能分类", [])
        if column not in self.measures.rowsets.get("功能分类", {}):
            return None
        row = next((r for r in rows if (r.fields.get("科目编码") or "") == (code or "")), None)
        return None if row is None else row.amount(column)

    def rows(self, name: str) -> list[Row]:
        if name not in self.measures.rowsets:
            raise UndeclaredMeasure(name)
        return self.rowsets.get(name, [])

    def verify(self) -> "Facts":
        """Every produced name is declared: compute and its declaration cannot drift apart."""
        for name, rows in self.rowsets.items():
            declared = self.measures.rowsets.get(name)
            if declared is None:
                raise UndeclaredMeasure(name)
            for row in rows:
                extra = set(row.fields) - set(declared)
                if extra:
                    raise UndeclaredMeasure(f"{name}: {sorted(extra)}")
        extra = set(self.scalars) - set(self.measures.scalars)
        if extra:
            raise UndeclaredMeasure(f"scalars: {sorted(extra)}")
        missing = set(self.measures.context) - set(self.context)
        if missing:
            raise UndeclaredMeasure(f"context: {sorted(missing)}")
        return self


def published_figures(doc) -> dict[tuple[str, str], Decimal]:
    """A partial file's 已公布数 in 元, by (科目编码 or "", 栏目)."""
    return {(f.code or "", f.column): f.amount * UNITS[f.unit or doc.unit] for f in doc.published
            if f.amount is not None and f.mode in ("合计", "引用")}


def class_rows(lines: list[tuple[str, str | None, str | None, dict[str, Decimal]]], keys: tuple[str, ...],
               catalogue) -> list[Row]:
    """合计, then 类 (3-digit) and 款 rows of an economic classification, each 类 summing its 款.
    `lines`: (code, name, 类 name, values) — a name the YAML gives, or None for the catalogue's."""
    by_class: dict[str, list] = defaultdict(list)
    class_names: dict[str, str] = {}
    for code, name, class_name, values in lines:
        by_class[code[:3]].append((code, name, values))
        if class_name:
            class_names.setdefault(code[:3], class_name)
    rows = [Row({"科目编码": "", "科目名称": "合计", **{k: ZERO for k in keys}}, "合计")]
    for cls in sorted(by_class):
        class_row = Row({"科目编码": cls, "科目名称": catalogue.shown_name(cls, class_names.get(cls)),
                         **{k: ZERO for k in keys}}, "类", 0, cls)
        class_index = len(rows)
        rows.append(class_row)
        for code, name, values in sorted(by_class[cls], key=lambda item: item[0]):
            rows.append(Row({"科目编码": code, "科目名称": catalogue.shown_name(code, name), **values},
                            "款", class_index, code))
            for key in keys:
                class_row.fields[key] += values[key]
                rows[0].fields[key] += values[key]
    return rows


def economic_rows(doc, catalogue) -> list[Row]:
    """The 基本支出 by 经济分类 of either kind (its `economics` lines, typed in `doc.unit`): 人员经费,
    公用经费 and their 合计, by 款 under their 类."""
    money = Money(doc.unit)
    lines = [(l.code, l.name, l.class_name,
              {"人员经费": money(l.personnel), "公用经费": money(l.public),
               "合计": money(l.personnel) + money(l.public)}) for l in doc.economics]
    return class_rows(lines, ("合计", "人员经费", "公用经费"), catalogue)
