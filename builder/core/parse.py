"""Turn loaded YAML into a validated model, or into findings a clerk can act on.

pydantic reports errors by path in English; a clerk needs the file, the line and a Chinese
sentence — and for a misspelt key, the key that was probably meant.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .fields import is_figure, may_be_blank
from .findings import BuildFailed, Finding, error
from .limits import NAME
from .loader import Located

_TYPE_WORDS = {
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "decimal_parsing": "应为金额数字",
    "decimal_type": "应为金额数字",
    "dict_type": "应为键值映射（“键: 值”）",
    "model_type": "应为键值映射（“键: 值”）",
    "model_attributes_type": "应为键值映射（“键: 值”）",
    "tuple_type": "应为列表（每项以“- ”开头）",
    "list_type": "应为列表（每项以“- ”开头）",
    "bool_type": "应为 true 或 false",
    "finite_number": "金额必须是有限数字",
    "string_too_short": "不能为空",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
}


def _label(loc: tuple) -> str:
    parts = []
    for p in loc:
        parts.append(f"第 {p + 1} 项" if isinstance(p, int) else f"“{p}”")
    return " → ".join(parts) if parts else "文件"


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the mapping at `loc` (aliases), for key suggestions."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for name, f in model.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return None
        model = _unwrap(field.annotation)
        if model is None:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


def _message(root: type[BaseModel], err: Any) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    where = _label(loc)
    if kind == "missing":
        return f"缺少必填项{where}"
    if kind == "extra_forbidden":
        key = loc[-1]
        owner = _model_at(root, loc[:-1])
        known = [f.alias or name for name, f in owner.model_fields.items()] if owner else []
        near = difflib.get_close_matches(str(key), known, n=1, cutoff=0.3)
        hint = f"，是否应为“{near[0]}”？" if near else ""
        allowed = f"（可用的键：{'、'.join(known)}）" if known and not near else ""
        return f"未知的键“{key}”{hint}{allowed}"
    if kind in ("enum", "literal_error"):
        # pydantic lists the choices in English ("'a', 'b' or 'c'"); a clerk reads them in Chinese
        expected = err.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", expected) or [expected]
        near = difflib.get_close_matches(str(err.get("input")), choices, n=1, cutoff=0.3)
        hint = f"，是否应为“{near[0]}”？" if near else ""
        return f"{where}的值“{err.get('input')}”无效（可填：{'、'.join(f'“{c}”' for c in choices)}）{hint}"
    if kind == "string_too_long":
        limit = err["ctx"]["max_length"]
        why = "（名称要印在表题、目录和书签中）" if limit == NAME else ""
        return f"{where}有 {len(err['input'])} 字，超过上限 {limit} 字{why}，请精简"
    if kind == "too_long":
        return f"{where}有 {len(err['input'])} 项，超过上限 {err['ctx']['max_length']} 项"
    if kind == "value_error":
        text = str(err.get("ctx", {}).get("error", err["msg"]))
        return f"{where}{text}" if text.startswith("应为") else f"{where}：{text}"
    word = _TYPE_WORDS.get(kind)
    if word:
        shown = err.get("input")
        shown = "" if isinstance(shown, (dict, list)) else f"（写的是“{shown}”）"
        return f"{where}{word}{shown}"
    return f"{where}：{err['msg']}"


def parse_model(model: type[BaseModel], data: Any, located: Located, file: str,
                top_level: str = "文件顶层应为键值映射（部门: …、年度: … 等）", reported: frozenset = frozenset()) -> Any:
    """`data` validated as `model`, or BuildFailed with one finding per problem, at its line
    (but for problems at the paths in `reported`, named already)."""
    if not isinstance(data, dict):
        raise BuildFailed([error(file, located.line_of(()), top_level)])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        findings: list[Finding] = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            if loc in reported:
                continue
            findings.append(error(file, located.line_of(loc), _message(model, err), "schema"))
        raise BuildFailed(findings) from None


# -- blanks ------------------------------------------------------------------------------------
# `全年执行数:` with nothing after it is YAML's null. For a field that may be left out (an optional
# amount, a section), pydantic would take that null for "not given" — and a sum would then count
# the blank as a zero. A key written with no value is the clerk's (or init's) placeholder for a
# figure still to come, so it is refused at its line wherever it appears, whatever the field's
# type; only the fields marked BLANK_OK (a weight the published form leaves empty) may be blank.


def _fields_by_key(model: type[BaseModel]) -> dict[str, Any]:
    keys = {}
    for info in model.model_fields.values():
        for key in [info.alias, *getattr(info.validation_alias, "choices", [])]:
            if key:
                keys[key] = info
    return keys


def _holds_figures(annotation: Any) -> bool:
    """A section (Funding, ThreePublic …) whose fields are figures: a blank one is a missing figure."""
    model = _unwrap(annotation)
    return model is not None and any(is_figure(info) for info in model.model_fields.values())


def _blank_message(path: tuple, info) -> str:
    if info.annotation is int:
        return f"{_label(path)}：尚未填写数量（没有的写 0）"
    if is_figure(info) or _holds_figures(info.annotation):
        return f"{_label(path)}：尚未填写金额（没有的写 0）"
    return f"{_label(path)}：尚未填写（不需要时请删去这一行）"


def without_blanks(model: type[BaseModel], data: Any, located: Located,
                   file: str) -> tuple[Any, list[Finding], frozenset]:
    """`data` without the keys written with no value (blanks), an error at each of them — except
    where a blank is allowed — and their paths. The data returned is validated for everything else
    (a required field's blank is not named again as missing), so each problem is named once."""
    found: list[Finding] = []
    paths: set[tuple] = set()

    def walk(model: type[BaseModel], value: Any, path: tuple) -> Any:
        if not isinstance(value, dict):
            return value
        keys = _fields_by_key(model)
        kept = {}
        for key, item in value.items():
            info = keys.get(key)
            if info is not None and item is None and not may_be_blank(info):
                found.append(error(file, located.line_of(path + (key,)), _blank_message(path + (key,), info), "blank"))
                paths.add(path + (key,))
                continue
            inner = None if info is None else _unwrap(info.annotation)
            if inner is not None and isinstance(item, list):
                item = [walk(inner, element, path + (key, i)) for i, element in enumerate(item)]
            elif inner is not None:
                item = walk(inner, item, path + (key,))
            kept[key] = item
        return kept

    return walk(model, data, ()), found, frozenset(paths)
