"""A profile: one region's standard table set, declared as data.

A profile file under templates/profiles/ lists the tables in order with their numbering,
titles, header grids, columns, unit, notes and which computed row set or scalars fill them.
The renderers only ever see the tables built from it, so a new region is a new file.

Four layouts cover the seeds:
- `rows`: one row per row of a computed row set (功能分类, 经济分类基本支出, 项目支出 …);
- `paired`: the 收支总表 shape — an income list beside an expenditure list, then totals;
- `fixed`: a fixed list of rows, each cell literal text or a computed total (`$key`);
- `form`: a label/value grid with an indicator block (绩效目标表), optionally one per project.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..core.findings import BuildFailed, error
from ..core.resources import profiles_dir


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(Strict):
    key: str = ""                       # row-set field; "" for paired/form layouts
    width: float = 12                   # in character widths (XLSX) and proportions (PDF)
    kind: Literal["text", "code", "amount", "center", "percent"] = "text"
    decimals: int | None = None         # amount decimals when not the profile's


class ClassRows(Strict):
    """Expands to one row per 类 of the profile's class list (or only the 类 with data)."""
    label: str                          # e.g. "（{cn}）{name}"
    values: list[str]                   # measures of the 功能分类 类 row
    only_with_data: bool = False        # 渝北: only the 类 that have figures, unnumbered


class RightItem(Strict):
    class_rows: ClassRows


class Indicators(Strict):
    label: str = "绩效指标"               # "" for no row label column
    header: list[str]
    fields: list[str]
    spans: list[int] | None = None      # columns each indicator field spans
    suffix: dict[str, str] = {}         # e.g. {指标权重: "%"}
    merge: list[str] = []               # fields whose equal neighbours merge (一级指标 ↕)
    text_fields: list[str] = []         # long-text fields, left-aligned (others are centred)


class TableSpec(Strict):
    id: str
    title: str
    layout: Literal["rows", "paired", "fixed", "form"]
    landscape: bool = False
    columns: list[Column]
    lines_above: list[list[str]] | None = None  # overrides the profile's (left, centre, right)
    subtitle: str = ""                  # a second, smaller title line
    serial: bool = False                # 序号 column numbering the body rows, and a 栏次 row
    min_rows: int = 0                   # pad the body with empty rows (空表列示)
    header: list[list[str]] = []
    notes: list[str] = []
    empty_note: str = ""
    # rows layout
    rowset: str = ""
    include_if: list[str] = []          # a row is shown if any of these measures is non-zero
    keep_levels: list[str] = ["合计"]    # levels shown even when all zero
    show_listed: bool = False           # show rows the YAML lists even without amounts
    # fixed layout: these rows exactly (literal cells and $totals)
    fixed: list[list[str]] = []
    # paired layout: top rows, then left and right lists side by side, then footer rows
    top: list[list[str]] = []
    left: list[list[str]] = []
    right: list[list[str] | RightItem] = []
    footer: list[list[str]] = []
    # form layout
    form: list[list[str]] = []
    indicators: Indicators | None = None
    repeat: Literal["", "projects"] = ""
    select: Literal["", "重点", "一般"] = ""   # with repeat: only 重点 or only 一般 projects
    requires: list[str] = []            # data the YAML must carry (builder/needs.py)

    @field_validator("requires")
    @classmethod
    def _known_needs(cls, value: list[str]) -> list[str]:
        from ..budget.needs import NEEDS
        unknown = [n for n in value if n not in NEEDS]
        if unknown:
            raise ValueError(f"unknown requirement(s) {unknown}; known: {sorted(NEEDS)}")
        return value


class Profile(Strict):
    name: str
    description: str
    unit: Literal["元", "万元"]
    decimals: int = 2
    thousands: bool = True
    label: str = "附件{n}"               # {n}: number, {cn}: number in Chinese (表一)
    repeat_label: str = "附件{n}-{i}"
    print_label: bool = True            # False: the label names sheets, 目录 and bookmarks only
    lines_above: list[list[str]] = [["", "", "单位：{unit}"]]   # (left, centre, right) lines
    contents_title: str = "{部门}{年度}年部门预算"
    class_list: str = ""
    rounding_note: str = "注：本表金额由元换算为万元并四舍五入，合计数与分项之和可能存在尾差。"
    project_order: Literal["yaml", "code"] = "code"
    narrative: str = ""                 # 情况说明 template under templates/narrative/, if any
    narrative_item_reasons: bool = False  # the 情况说明 explains each 项's change (渝北)
    tables: list[TableSpec]


def available() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.yaml"))


def unknown_profile_message(name: str) -> str:
    return f"没有名为“{name}”的方案（可用：{'、'.join(available()) or '无'}）"


@cache
def load_profile(name: str) -> Profile:
    # Only names of files in templates/profiles/: a name is never used as a path.
    if name not in available():
        raise BuildFailed([error(str(profiles_dir()), None, unknown_profile_message(name))])
    return _parse(profiles_dir() / f"{name}.yaml")


def _parse(path: Path) -> Profile:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise BuildFailed([error(str(path), None, f"方案文件有误：{e['loc']}: {e['msg']}")
                           for e in exc.errors(include_url=False)]) from None
