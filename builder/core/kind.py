"""What a document kind is: the interface a kind (部门预算, 部门决算 …) implements.

A kind brings its model, its compute stage with the names it declares, its rules, its data needs,
its 情况说明 figures and its year-over-year tools; everything else — loading, profiles, checks,
the publication, the renderers, the CLI — is shared. A kind is a package that defines one `KIND`
with this interface and imports nothing but the shared layers below it (never another kind, never
the registry that lists the kinds: builder/kinds.py).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel

from .facts import Facts, Measures


@dataclass(frozen=True)
class Link:
    """A file a document links: last year's (上年文件) or the same year's budget (预算文件)."""
    key: str            # the YAML key
    attr: str           # the model attribute holding the path
    name: str           # the linked facts' name (facts.linked[name])
    kind: str           # the kind the linked file must be
    year_offset: int    # its year relative to this document's


@dataclass(frozen=True)
class Kind:
    name: str                                   # 预算 / 决算
    document: str                               # 部门预算 / 部门决算
    model: type[BaseModel]
    measures: Measures
    compute: Callable[..., Facts]               # (model, linked facts, catalogue[, categories]) → Facts
    rules: tuple[Callable, ...]                 # (Context) → findings
    needs: dict[str, Callable]                  # requirement name → (model) → missing items
    links: tuple[Link, ...] = ()
    # (model, facts, how the narrative shows money) → the 情况说明's figures
    narrative: Callable[..., dict] | None = None
    default_profile: str = ""
    reason_keys: tuple[str, ...] = ()           # keys of 说明 → 增减原因 (and the like)
    diff: Callable | None = None                # (old document, new document) → Report
    # (older kind, diff): e.g. a 决算 against its 预算 — (older document, newer document) → Report
    diff_against: tuple[tuple[str, Callable], ...] = ()
    summary: Callable[[Facts], dict] | None = None   # headline figures (in 元) for the district overview
    next_year: Callable | None = None           # (document, year, out path) → next year's YAML text
    schema_file: str = ""                       # its JSON Schema, under docs/ (builder schema)
    # the names with a profile's further spending categories (单位预留机动经费 …) beside 基本支出 and
    # 项目支出; None: the kind has none (its compute then takes no categories)
    measures_for: Callable[[tuple[str, ...]], Measures] | None = None

    def link_keys(self) -> tuple[str, ...]:
        return tuple(link.key for link in self.links)


def model_keys(model: type[BaseModel], known: set[str] | None = None, seen: set[type] | None = None) -> set[str]:
    """Every YAML key of a model, its sections' and its lists' items' (aliases and their choices)."""
    keys: set[str] = set() if known is None else known
    seen = set() if seen is None else seen
    if model in seen:
        return keys
    seen.add(model)
    for info in model.model_fields.values():
        keys.update(a for a in [info.alias, *getattr(info.validation_alias, "choices", [])] if a)
        stack: list[Any] = [info.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                model_keys(annotation, keys, seen)
            stack.extend(typing.get_args(annotation))
    return keys
