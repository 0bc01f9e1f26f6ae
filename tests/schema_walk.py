"""Walking either kind's schema over the example files: which fields it has, where each section
appears in a file, and that file with one field written otherwise. A test that walks the schema
covers a field added later without being edited."""

from __future__ import annotations

import typing
from functools import cache

from pydantic import BaseModel

from builder.core.fields import is_figure, may_be_blank
from builder.core.rewrite import Rewrite

from conftest import EXAMPLES, ROOT

FILES = {"预算": [*sorted(EXAMPLES.glob("*.yaml")), ROOT / "tests" / "fixtures" / "generic-budget.yaml"],
         "决算": [EXAMPLES / "tongnan-zhengfu-2024-juesuan.yaml", EXAMPLES / "previous" / "tongnan-zhengfu-2023-juesuan.yaml",
                ROOT / "tests" / "fixtures" / "generic-final.yaml"]}


def inner_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for m in map(inner_model, typing.get_args(annotation)) if m is not None), None)


def fields_where(model: type[BaseModel], keep) -> set[tuple[type, str]]:
    """(model class, key) of every field of a model and its sections, lists included, for which
    `keep(field info, the section model it holds or None)` holds."""
    found, seen, stack = set(), set(), [model]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for info in current.model_fields.values():
            inner = inner_model(info.annotation)
            if keep(info, inner):
                found.add((current, info.alias))
            if inner is not None:
                stack.append(inner)
    return found


def places(model: type[BaseModel], data, path=()):
    """(model class, path, mapping) of every mapping of a loaded document, with its model; a
    section typed as one figure (全年执行数: 100) has no mapping (None)."""
    if not isinstance(data, dict):
        if isinstance(data, str):
            yield model, path, None
        return
    yield model, path, data
    for info in model.model_fields.values():
        inner, value = inner_model(info.annotation), data.get(info.alias)
        if inner is None or value is None:
            continue
        for i, item in (enumerate(value) if isinstance(value, list) else [(None, value)]):
            yield from places(inner, item, path + ((info.alias,) if i is None else (info.alias, i)))


def written(text: str, located, mapping_path: tuple, key: str, present: bool, value: str = "",
            section: dict | None = None) -> tuple[str, int]:
    """The text with `key` of the mapping at `mapping_path` written as `value` ("" a blank), and
    that key's line. A section typed as one figure becomes a mapping of `section` (its other
    keys) with the key written."""
    edit = Rewrite(text, located)
    if mapping_path in located.styles:                  # a section typed as one figure
        others = "".join(f"{k}: {v}, " for k, v in (section or {}).items() if k != key)
        edit.replace(mapping_path, f"{{{others}{key}: {value}}}")
        return edit.result(), located.lines[mapping_path]
    if present:
        edit.replace(mapping_path + (key,), value)
        return edit.result(), located.lines[mapping_path + (key,)]
    start, _ = located.spans[mapping_path]
    if text[start] == "{":
        edit.replacements.append((start + 1, start + 1, f"{key}: {value}, "))
        return edit.result(), text.count("\n", 0, start) + 1
    first = min(located.key_ends[p] - len(str(p[-1])) for p in located.key_ends
                if p[:-1] == mapping_path and len(p) == len(mapping_path) + 1)
    column = first - text.rfind("\n", 0, first) - 1
    edit.replacements.append((first, first, f"{key}: {value}\n{' ' * column}"))
    return edit.result(), text.count("\n", 0, first) + 1


def blankable(model: type[BaseModel]) -> set[tuple[type, str]]:
    """(model class, key) of every field holding figures that a blank must not stand for."""
    holds = lambda inner: inner is not None and any(is_figure(f) for f in inner.model_fields.values())
    return fields_where(model, lambda info, inner: (is_figure(info) or holds(inner)) and not may_be_blank(info))


def first_places(model: type[BaseModel], files, wanted: set[tuple[type, str]]) -> dict:
    """(model class, key) → (file, located, mapping path, mapping) of its first section in `files`."""
    cases: dict = {}
    for file in files:
        data, located = _loaded(file)
        for owner, path, mapping in places(model, data):
            for cls, key in wanted:
                if cls is owner and (cls, key) not in cases:
                    cases[(cls, key)] = (file, located, path, mapping)
    return cases


@cache
def _loaded(file):
    """An example file as loaded, once a session (read it, never change it)."""
    from builder.core.loader import load_yaml
    from builder.kinds import known_keys
    return load_yaml(file, keys=known_keys())
