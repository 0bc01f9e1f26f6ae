"""What both kinds' assemblers share: reading a cell as an exact amount in the YAML's unit,
collecting the published totals for 核对数, the document's placeholders, and the figures that
could not be placed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from ..core.catalogue import Catalogue
from ..core.facts import MONEY, Row
from ..core.findings import Finding, error, warning
from ..core.numbers import UNITS
from ..publication.profile import Profile
from .read import Found, Value
from .source import norm


def label_of(profile: Profile, found: Found) -> str:
    from ..publication.build import spec_label
    return spec_label(profile, found.n)


@dataclass
class Collector:
    """Everything an assembler gathers besides the YAML's own keys."""
    profile: Profile
    file: str
    unit: str                                               # the YAML's 金额单位
    findings: list[Finding] = field(default_factory=list)
    stated: dict[tuple[str, str], list[tuple[Decimal, str]]] = field(default_factory=dict)
    unplaced: list[tuple[str, str]] = field(default_factory=list)   # (where, what)

    # -- numbers ------------------------------------------------------------------------------
    def amount(self, value: Value | None, found: Found, *, kind: str = "amount") -> Decimal | None:
        """A cell as an exact amount in the YAML's unit (None: blank). Stored workbook numbers are
        rounded to the decimals their format shows (what the clerk sees); text may carry thousands
        separators, full-width digits or a trailing %."""
        if value is None:
            return None
        if value.number is not None:
            try:
                number = Decimal(value.number)
            except InvalidOperation:
                number = None
            if number is not None:
                if value.decimals is not None:
                    number = number.quantize(Decimal(1).scaleb(-value.decimals), ROUND_HALF_UP)
                else:
                    with localcontext() as context:
                        context.prec = 15
                        number = +number
                return self._unit(number, found, kind)
        text = unicodedata.normalize("NFKC", value.text).strip().replace(",", "").replace(" ", "")
        text = text.removesuffix("%")
        if text in ("", "-", "—", "--", "/", "——"):
            return None
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            self.findings.append(error(self.file, None, f"{value.where}：“{value.text}”不是数字", "import"))
            return None
        return self._unit(Decimal(text), found, kind)

    def _unit(self, number: Decimal, found: Found, kind: str) -> Decimal:
        if kind != "amount" or found.unit == self.unit:
            return number
        converted = number * UNITS[found.unit] / UNITS[self.unit]
        return converted.normalize() if converted == converted.to_integral() else converted

    # -- published totals ---------------------------------------------------------------------
    def state(self, code: str, column: str, amount: Decimal | None, where: str) -> None:
        """A published total or subtotal, for 核对数 (the same figure once per value)."""
        if amount is None:
            amount = Decimal(0)
        seen = self.stated.setdefault((code, column), [])
        if not any(a == amount for a, _ in seen):
            seen.append((amount, where))

    def leaf(self, figures: dict[str, dict[str, Decimal]], code: str, key: str, value: Value, amount: Decimal) -> None:
        """A 项's figure, which several tables print: kept once, a table that differs noted."""
        known = figures.setdefault(code, {})
        if key in known and known[key] != amount:
            self.note(f"{code} 的“{key}”在各表中不一致：{known[key]} 与 {amount}", value.where)
        known.setdefault(key, amount)

    def unplace(self, value: Value, why: str) -> None:
        self.unplaced.append((value.where, f"“{value.text}”：{why}"))

    def note(self, message: str, where: str = "") -> None:
        self.findings.append(warning(self.file, None, f"{where}：{message}" if where else message, "import"))


DOCUMENT_PLACEHOLDERS = ("部门", "部门简称", "部门编码", "年度", "上年")


def context_values(found_list: list[Found], collector: Collector) -> dict[str, str]:
    """The document's placeholders ({部门}, {年度} …) as the tables print them, the most frequent
    reading of each; a disagreement is said."""
    readings: dict[str, list[Value]] = {}
    for found in found_list:
        for name, values in found.context.items():
            if name in DOCUMENT_PLACEHOLDERS:
                readings.setdefault(name, []).extend(v for v in values if v.text.strip())
        for name in DOCUMENT_PLACEHOLDERS:
            if name in found.text and found.text[name].text.strip():
                readings.setdefault(name, []).append(found.text[name])
    chosen = {}
    for name, values in readings.items():
        counts = Counter(v.text.strip() for v in values)
        best, _ = counts.most_common(1)[0]
        chosen[name] = best
        for other in counts:
            if other != best and norm(other) != norm(best):
                where = next(v.where for v in values if v.text.strip() == other)
                collector.note(f"“{{{name}}}”读作“{other}”，别处为“{best}”，采用“{best}”", where)
    return chosen


def text_of(value: Value | None) -> str:
    return "" if value is None else value.text.strip()


class Reader:
    """What a kind's reader gathers from the tables, whatever the kind: the 功能分类 项 and the
    经济分类 款 with their figures and the names printed beside them, and the whole-department form."""

    def __init__(self, collector: Collector, measures, catalogue: Catalogue, context: dict[str, str]):
        self.c, self.measures, self.catalogue, self.context = collector, measures, catalogue, context
        self.functions: dict[str, dict[str, Decimal]] = {}
        self.function_names: dict[str, str] = {}
        self.economics: dict[str, dict[str, Decimal]] = {}
        self.economic_names: dict[str, str] = {}
        self.whole: Found | None = None

    @classmethod
    def assemble(cls, found_list: list[Found], collector: Collector, measures, catalogue: Catalogue,
                 context: dict[str, str]) -> dict:
        """The department's YAML body from every table found, in the order found."""
        reader = cls(collector, measures, catalogue, context)
        for found in found_list:
            reader.take(found)
        return reader.data()

    def take(self, found: Found) -> None:
        raise NotImplementedError

    def data(self) -> dict:
        raise NotImplementedError

    def stated(self, code: str, key: str) -> bool:
        """Whether a 功能分类 line's figure under this column is a total the tables print (one the
        kind derives, so it goes to 核对数) rather than only an entry."""
        raise NotImplementedError

    # -- the rows both kinds print ---------------------------------------------------------------
    def _rows(self, found: Found):
        yield from zip(found.rows, found.totals)

    def _money_keys(self, found: Found, rowset: str) -> list[str]:
        fields = self.measures.rowsets[rowset]
        return [c.key for c in found.spec.columns if fields.get(c.key) == MONEY]

    def _state_total(self, found: Found, rowset: str, cells: dict[str, Value], where: str) -> None:
        for key in self._money_keys(found, rowset):
            if key in cells:
                name = self.measures.quantity(rowset, Row({}, "合计"), key)
                if name in self.measures.scalars:
                    self.c.state("", name, self.c.amount(cells[key], found), where)

    def _unplaced_row(self, cells: dict[str, Value], found: Found, why: str) -> None:
        for value in cells.values():
            if self.c.amount(value, found) and any(ch.isdigit() for ch in value.text):
                self.c.unplace(value, why)

    def function_rows(self, found: Found, where: str) -> None:
        """A 功能分类 table: the 7-digit 项 are entries, the 类 and 款 (and what `stated` names)
        are totals to check against what the YAML derives."""
        keys = self._money_keys(found, "功能分类")
        for cells, total in self._rows(found):
            if total:
                self._state_total(found, "功能分类", cells, where)
                continue
            code = norm(text_of(cells.get("科目编码")))
            if not (code.isdigit() and len(code) in (3, 5, 7)):
                self._unplaced_row(cells, found, "没有 3、5 或 7 位的功能分类科目编码")
                continue
            name = text_of(cells.get("科目名称"))
            if name:
                self.function_names.setdefault(code, name)
            for key in keys:
                amount = self.c.amount(cells.get(key), found)
                if amount is None:
                    continue
                if len(code) == 7:
                    self.c.leaf(self.functions, code, key, cells[key], amount)
                if amount and (len(code) < 7 or self.stated(code, key)):
                    self.c.state(code, key, amount, where)
