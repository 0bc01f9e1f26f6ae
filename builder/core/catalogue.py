"""The built-in 政府收支分类科目 catalogue and the 资金来源 table, as data.

The YAML gives codes; names come from here so that the same code is spelt the same way in every
table of every department. The data files live in templates/catalogue/ and can be extended
without touching code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import yaml

from .resources import catalogue_dir


def _read_codes(filename: str) -> dict[str, str]:
    with open(catalogue_dir() / filename, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {row["科目编码"]: row["科目名称"] for row in csv.DictReader(lines)}


@cache
def function_names() -> dict[str, str]:
    return _read_codes("function_codes.csv")


@cache
def economic_names() -> dict[str, str]:
    return _read_codes("economic_codes.csv")


@cache
def gov_economic_names() -> dict[str, str]:
    return _read_codes("gov_economic_codes.csv")


@cache
def class_lists() -> dict[str, tuple[str, ...]]:
    with open(catalogue_dir() / "class_lists.yaml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {name: tuple(str(code) for code in codes) for name, codes in data.items()}


@dataclass(frozen=True)
class SourceInfo:
    fund: str | None        # 一般公共预算 / 政府性基金 / 国有资本经营, or None if not 财政拨款
    carryover: bool
    income: str             # income column it is shown in
    purchase: str           # funding column of a 政府采购预算 table (丰润)


@cache
def sources() -> dict[str, SourceInfo]:
    with open(catalogue_dir() / "sources.yaml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {name: SourceInfo(**info) for name, info in data.items()}


FUNDS = ("一般公共预算", "政府性基金", "国有资本经营")
