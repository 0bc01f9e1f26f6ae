"""The check stage: every rule of the document's kind, plus the rules every kind shares.

Each rule is a small named function taking a `Context` and returning findings with the YAML
line they are about; all of them run, so a clerk sees every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from .core.facts import Facts
from .core.findings import Finding, error, warning
from .core.numbers import UNITS, Display, from_yuan
from .core.resources import font_characters
from .documents import Document
from .tables.build import spec_label
from .tables.profile import Profile, needs_of


@dataclass(frozen=True)
class Context:
    document: Document
    facts: Facts
    profile: Profile | None = None
    incomplete_ok: bool = False        # --allow-incomplete: missing table data is a 警告

    @property
    def model(self):
        return self.document.model

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def located(self):
        return self.document.located

    def line(self, *path) -> int | None:
        return self.document.line(*path)

    def typed(self, yuan: Decimal) -> Decimal:
        """An amount in 元 as the clerk would have typed it, in the file's unit (for messages)."""
        return from_yuan(yuan, self.model.unit)

    @property
    def display(self) -> Display:
        """How the profile's tables show an amount (for quoted figures)."""
        profile = self.profile
        return Display(profile.unit if profile else self.model.unit, profile.decimals if profile else 2)

    @property
    def rounded(self) -> bool:
        """The file declares its figures were rounded from a finer unit (舍入前单位)."""
        return self.model.rounded_from is not None

    def tolerance(self, parts: int) -> Decimal:
        """How far (in 元) two sums may differ and still agree. Exact by default. When the file
        declares its figures were rounded (万元 to 2 decimals from 元), each of the `parts`
        non-zero typed figures on either side stands for ±0.005 万元, so two sums of the same
        true figures can differ by at most parts × 0.005 万元 (what rounding can produce)."""
        if not self.rounded:
            return Decimal(0)
        return Decimal("0.005") * UNITS[self.model.unit] * parts

    def rounding_note(self) -> str:
        return (f"，在舍入误差之内（本文件声明数字由{self.model.rounded_from}四舍五入）；"
                f"如有以{self.model.rounded_from}为单位的原始数字，请改按{self.model.rounded_from}填写")


Rule = Callable[[Context], list[Finding]]

CODE_KEYS = ("科目编码", "部门编码", "项目编码", "单位代码", "目录序号")


def codes_are_quoted(ctx: Context) -> list[Finding]:
    """A code written without quotes is a number to YAML tools (010 becomes 8, 001001 becomes
    513): our loader keeps it as typed, but the file would not survive another tool, so codes
    must be quoted."""
    found = []
    for path in sorted(ctx.located.numeric_plain, key=lambda p: ctx.line(*p) or 0):
        if path and path[-1] in CODE_KEYS:
            value = ctx.located.numeric_plain[path]
            found.append(error(ctx.file, ctx.line(*path),
                               f"{path[-1]} {value} 须加引号写成 \"{value}\"：不加引号时 YAML 会把它读成数字"
                               f"（前导 0 会丢失）", "codes_are_quoted"))
    return found


def tables_have_their_data(ctx: Context) -> list[Finding]:
    """Every table of the profile gets the data it needs; none is drawn empty as if complete."""
    if ctx.profile is None:
        return []
    found = []
    make = warning if ctx.incomplete_ok else error
    tail = "，该表未生成" if ctx.incomplete_ok else "（可用 --allow-incomplete 先生成其余各表）"
    for n, spec in enumerate(ctx.profile.tables, start=1):
        for what, path in missing(ctx, needs_of(ctx.profile, spec, ctx.facts.measures)):
            found.append(make(ctx.file, ctx.line(*path) if path else None,
                              f"方案“{ctx.profile.name}”的{spec_label(ctx.profile, n)}（{spec.id}）需要{what}，"
                              f"YAML 中没有{tail}", "tables_have_their_data"))
    return found


def missing(ctx: Context, requires: list[str]) -> list[tuple[str, tuple]]:
    needs = ctx.document.kind.needs
    return [item for name in requires for item in needs[name](ctx.model)]


def _unprintable(text: str) -> list[str]:
    shown = font_characters()
    return sorted({ch for ch in text if ord(ch) not in shown and not ch.isspace()})


def _describe(text: str, chars: list[str]) -> str:
    where = text if len(text) <= 24 else text[:24] + "…"
    listed = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in chars)
    return f"“{where}”中的{listed}无法在 PDF 中显示（字体中没有这个字符），请删去或改用文字"


def text_is_printable(ctx: Context) -> list[Finding]:
    """Every character of the YAML's text (and of a district catalogue's names) is in the PDF's
    font: a character the font lacks would print as an empty box, silently."""
    found = []

    def walk(value, path):
        if isinstance(value, str):
            chars = _unprintable(value)
            if chars:
                found.append(error(ctx.file, ctx.line(*path), _describe(value, chars), "text_is_printable"))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (str(key),))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, path + (i,))

    walk(ctx.document.data, ())
    for entries in ctx.document.catalogue.codes.values():
        for entry in entries.values():
            if ":" in entry.source and _unprintable(entry.name):
                file, _, line = entry.source.rpartition(":")
                found.append(error(file, int(line), _describe(entry.name, _unprintable(entry.name)),
                                   "text_is_printable"))
    return found


SHARED_RULES: list[Rule] = [codes_are_quoted, text_is_printable, tables_have_their_data]


def run_checks(ctx: Context) -> list[Finding]:
    return [finding for rule in (*ctx.document.kind.rules, *SHARED_RULES) for finding in rule(ctx)]


def incomplete_tables(ctx: Context) -> set[str]:
    if ctx.profile is None:
        return set()
    return {spec.id for spec in ctx.profile.tables if missing(ctx, needs_of(ctx.profile, spec, ctx.facts.measures))}
