"""A blank is never a zero: every field a clerk (or init) can leave blank — each amount, count and
section of figures of either kind's schema — is refused at its line when written with no value.

The schema is walked, not listed, so a field added later is covered without editing this test:
for each such field, one example file (or, where no example has the field, the first place its
section appears, with the key added) gets just that one blank, and loading it must fail there."""

from __future__ import annotations

import typing

import pytest
from pydantic import BaseModel

from builder.core.fields import is_figure, may_be_blank
from builder.core.findings import BuildFailed
from builder.core.loader import load_yaml
from builder.core.rewrite import Rewrite
from builder.kinds import kinds, known_keys
from builder.load import load_document

from conftest import EXAMPLES, ROOT

FILES = {"预算": [*sorted(EXAMPLES.glob("*.yaml")), ROOT / "tests" / "fixtures" / "generic-budget.yaml"],
         "决算": [EXAMPLES / "tongnan-zhengfu-2024-juesuan.yaml", EXAMPLES / "previous" / "tongnan-zhengfu-2023-juesuan.yaml",
                ROOT / "tests" / "fixtures" / "generic-final.yaml"]}


def _inner(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for m in map(_inner, typing.get_args(annotation)) if m is not None), None)


def blankable(model: type[BaseModel]) -> set[tuple[type, str]]:
    """(model class, key) of every field holding figures that a blank must not stand for."""
    found, seen, stack = set(), set(), [model]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for info in current.model_fields.values():
            inner = _inner(info.annotation)
            holds = inner is not None and any(is_figure(f) for f in inner.model_fields.values())
            if (is_figure(info) or holds) and not may_be_blank(info):
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
        inner, value = _inner(info.annotation), data.get(info.alias)
        if inner is None or value is None:
            continue
        for i, item in (enumerate(value) if isinstance(value, list) else [(None, value)]):
            yield from places(inner, item, path + ((info.alias,) if i is None else (info.alias, i)))


def blanked(path, text: str, located, mapping_path: tuple, key: str, present: bool) -> tuple[str, int]:
    """The text with `key` of the mapping at `mapping_path` written blank, and that key's line."""
    edit = Rewrite(text, located)
    if mapping_path in located.styles:                  # a section typed as one figure
        edit.replace(mapping_path, f"{{{key}: }}")
        return edit.result(), located.lines[mapping_path]
    if present:
        edit.replace(mapping_path + (key,), "")
        return edit.result(), located.lines[mapping_path + (key,)]
    start, _ = located.spans[mapping_path]
    if text[start] == "{":
        edit.replacements.append((start + 1, start + 1, f"{key}: , "))
        return edit.result(), text.count("\n", 0, start) + 1
    first = min(located.key_ends[p] - len(str(p[-1])) for p in located.key_ends
                if p[:-1] == mapping_path and len(p) == len(mapping_path) + 1)
    column = first - text.rfind("\n", 0, first) - 1
    edit.replacements.append((first, first, f"{key}:\n{' ' * column}"))
    return edit.result(), text.count("\n", 0, first) + 1


@pytest.mark.parametrize("kind", ["预算", pytest.param("决算", marks=pytest.mark.slow)])
def test_every_blank_figure_fails_at_its_line(kind, tmp_path):
    model = kinds()[kind].model
    wanted = blankable(model)
    assert len(wanted) > 20                      # the walk finds the schema's figures
    cases = {}
    for file in FILES[kind]:
        data, located = load_yaml(file, keys=known_keys())
        for owner, path, mapping in places(model, data):
            for cls, key in wanted:
                if cls is owner and (cls, key) not in cases:
                    cases[(cls, key)] = (file, located, path, key, mapping is not None and key in mapping)
    assert set(cases) == wanted, f"no section in the examples for {wanted - set(cases)}"
    for (cls, key), (file, located, path, _, present) in sorted(cases.items(), key=lambda c: (c[0][0].__name__, c[0][1])):
        text, line = blanked(file, located.text, located, path, key, present)
        target = tmp_path / file.name
        target.write_text(text, encoding="utf-8")
        with pytest.raises(BuildFailed) as failed:
            load_document(target, links=False)
        messages = [str(f) for f in failed.value.findings]
        assert any(m.startswith(f"{target}:{line}: 错误: ") and "尚未填写" in m and f"“{key}”" in m
                   for m in messages), (cls.__name__, key, messages)


def test_a_link_left_empty_is_refused(tmp_path):
    # init of next year's 决算 writes `预算文件: ""` for the clerk to fill: left so, no 预算 would
    # be read and every 年初预算数 would print blank — refused at its line
    text = (ROOT / "tests" / "fixtures" / "generic-final.yaml").read_text(encoding="utf-8")
    target = tmp_path / "final.yaml"
    target.write_text(text.replace("年度: 2024\n", '年度: 2024\n预算文件: ""\n'), encoding="utf-8")
    line = target.read_text(encoding="utf-8").splitlines().index('预算文件: ""') + 1
    with pytest.raises(BuildFailed) as failed:
        load_document(target)
    assert [str(f) for f in failed.value.findings] == [
        f"{target}:{line}: 错误: “预算文件”尚未填写：请写预算文件的路径，或删去这一行"]
