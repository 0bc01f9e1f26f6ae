"""Load a department YAML strictly, keeping where every value came from.

PyYAML's defaults are wrong for budget data (see field notes): `010` becomes 8, `1.10` the float
1.1, `no` False, duplicate keys silently keep the last value, and aliases let a 500-byte file
expand without bound. This loader resolves only null and true/false; every other plain scalar
stays a string, so codes keep their leading zeros and amounts reach pydantic as text and become
exact Decimals. Anchors and aliases are refused. Each mapping remembers the line of each key so
later stages can point a clerk at the exact line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node

from .findings import BuildFailed, error

MAX_BYTES = 5 * 1024 * 1024


class Located:
    """Where values of a loaded document came from: path tuple → 1-based line."""

    def __init__(self, text: str = "") -> None:
        self.text = text                # the document as loaded: the offsets below point into it
        self.lines: dict[tuple, int] = {}
        # plain (unquoted) scalars that other YAML readers would take for numbers: path → text
        self.numeric_plain: dict[tuple, str] = {}
        # where each value lies in the text: path → (start, end) character offsets, and for each
        # mapping key the offset its line starts at (init rewrites a file in place from these)
        self.spans: dict[tuple, tuple[int, int]] = {}
        self.key_starts: dict[tuple, int] = {}
        self.key_ends: dict[tuple, int] = {}
        self.styles: dict[tuple, str | None] = {}

    def line_of(self, path: tuple) -> int | None:
        # Fall back to the nearest enclosing element that has a position.
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


class _StrictLoader(yaml.SafeLoader):
    pass


# Only null and booleans are resolved implicitly; everything else stays a string.
_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _compose_node(self, parent, index):
    if getattr(self, "allow_aliases", False):
        return yaml.composer.Composer.compose_node(self, parent, index)
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()
        raise ConstructorError(None, None, "不允许使用 YAML 别名（*引用）", event.start_mark)
    event = self.peek_event()
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise ConstructorError(None, None, "不允许使用 YAML 锚点（&定义）", event.start_mark)
    return yaml.composer.Composer.compose_node(self, parent, index)


_StrictLoader.compose_node = _compose_node


def _construct_mapping(self, node: MappingNode, deep=False):
    if not isinstance(node, MappingNode):
        raise ConstructorError(None, None, "此处应为键值映射", node.start_mark)
    seen: dict[Any, Node] = {}
    mapping = {}
    for key_node, value_node in node.value:
        key = self.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in seen:
            first = seen[key].start_mark.line + 1
            raise ConstructorError(
                None, None, f"键“{key}”重复（第 {first} 行已出现）", key_node.start_mark)
        seen[key] = key_node
        mapping[key] = self.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


# What YAML 1.1 (PyYAML's default, and many tools) reads as a number: ints (also octal 010,
# hex, 1_000, sexagesimal 1:20) and floats.
_NUMBER = re.compile(r"""^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*|0x[0-9a-fA-F_]+|0b[01_]+
                         |(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+)$""", re.X)


def _record_positions(node: Node, path: tuple, located: Located) -> None:
    located.lines.setdefault(path, node.start_mark.line + 1)
    located.spans.setdefault(path, (node.start_mark.index, node.end_mark.index))
    if isinstance(node, yaml.ScalarNode):
        located.styles.setdefault(path, node.style)
        if node.style is None and _NUMBER.match(node.value):
            located.numeric_plain[path] = node.value
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            child = path + (str(key_node.value),)
            located.lines[child] = key_node.start_mark.line + 1
            located.key_starts[child] = key_node.start_mark.index - key_node.start_mark.column
            located.key_ends[child] = key_node.end_mark.index
            _record_positions(value_node, child, located)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record_positions(item, path + (i,), located)


# -- the mistakes a Chinese keyboard makes ----------------------------------------------------
# YAML reports them late and in its own words (a full-width colon after a key becomes "missing
# ':'" on the *next* line, or a key swallowed into a value). Known keys at a key position are
# recognised on their own line, before parsing, and named for what they are.

_BLOCK_START = re.compile(r"^(\s*)(?:-\s+)?[^#'\"]*?:\s*[|>][-+0-9]*\s*(?:#.*)?$")
_PLAIN_VALUE = re.compile(r"^(\s*)(?:-\s+)?[^#'\"{}\[\],:]+:\s+([^\s#{\[|>'\"][^#]*)$")
_INDENT = re.compile(r"^[ \u3000]*")


def _outside_quotes(line: str):
    """(offset, character) of each character of a YAML line outside quoted scalars. A quote opens
    one only where a scalar may start — the line's start, or after ":", "-", "?", "[", "{" or ","
    and white space — so the apostrophe of a plain value (Xi'an) opens nothing."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'" and line[:i].rstrip(" \t\u3000")[-1:] in ("", ":", "-", "?", "[", "{", ","):
            quote = ch
        else:
            yield i, ch


def comment_start(line: str) -> int | None:
    """Where a YAML line's comment starts (a # at the start or after white space, outside
    quotes), if it has one."""
    for i, ch in _outside_quotes(line):
        if ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


_SPACES = re.compile(r"[ \u3000]*")
_KEY = re.compile(r"[^\s:：{}\[\],#\"']+")
# what a message quotes of the text after a key: enough for its first 12 characters (a key
# may start anywhere on a long flow line, and slicing the rest of the line for each would make
# the scan quadratic)
_AFTER = 64


def _key_positions(line: str) -> list[int]:
    """The offset of every place a mapping key may start: the line's start (after indentation
    and "- "), and after "{" or "," of a flow mapping (and the spaces there)."""
    match = re.match(r"^[ \u3000]*(?:-[ \u3000]+)*", line)
    places = [match.end()]
    depth, end = 0, comment_start(line)
    for i, ch in _outside_quotes(line[:end]):
        if ch in "{[":
            depth += 1
            places.append(i + 1)
        elif ch in "}]":
            depth -= 1
        elif ch == "," and depth:
            places.append(i + 1)
    return [_SPACES.match(line, p).end() for p in places]


def typing_mistakes(text: str, keys: frozenset[str]) -> list[tuple[int, str]]:
    """(line, message) for each full-width colon, missing space after a colon, missing colon
    after a known key, and full-width space in indentation — outside block and multi-line text."""
    found: list[tuple[int, str]] = []
    skip_deeper_than: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip(" \u3000\t")
        indent = len(_INDENT.match(line).group(0))
        if skip_deeper_than is not None:
            if not stripped or indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        if not stripped or stripped.startswith("#"):
            continue
        leading = _INDENT.match(line).group(0)
        if "\u3000" in leading:
            found.append((number, "缩进里有全角空格“　”，请改为半角空格"))
        for index, at in enumerate(_key_positions(line)):
            key = _KEY.match(line, at)
            if not key or key.group() not in keys:
                continue
            # the whole rest of the line only at its start (once a line: whether it has a colon)
            name, after = key.group(), line[key.end():] if index == 0 else line[key.end():key.end() + _AFTER]
            if after.startswith("："):
                found.append((number, f"“{name}”后用了全角冒号“：”，应为半角冒号“:”并在其后加一个空格"))
            elif after.startswith(":") and after[1:2] not in ("", " ", "\t"):
                value = re.split(r"[,}\]]", after[1:], maxsplit=1)[0].strip()[:12]
                found.append((number, f"“{name}:”后缺少空格：冒号后要加一个空格，写成“{name}: {value}”"))
            elif re.match(r"^[ \u3000]+[^:：\s]", after) and ":" not in after and "：" not in after \
                    and index == 0:             # a flow mapping's "{a b}" is YAML's own error
                found.append((number, f"“{name}”后缺少冒号“:”，应写成“{name}: {after.strip()[:12]}”"))
        block = _BLOCK_START.match(line)
        plain = _PLAIN_VALUE.match(line)
        if block:
            skip_deeper_than = len(block.group(1).replace("\u3000", " "))
        elif plain:
            # a plain value may continue on deeper lines: those are text, not keys
            skip_deeper_than = len(plain.group(1))
    return found


def load_yaml(path: Path, aliases: bool = False, keys: frozenset[str] = frozenset()) -> tuple[Any, Located]:
    """Return (data, positions) or raise BuildFailed with a clerk-readable finding. `aliases`
    admits anchors and aliases (profiles reuse a form's grid; a clerk's file never needs them);
    `keys` are the document's known keys, for naming typing mistakes on their own line."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BuildFailed([error(name, None, f"无法读取文件：{exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise BuildFailed([error(name, None, f"文件过大（{len(raw)} 字节，上限 {MAX_BYTES} 字节）")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildFailed([error(name, line, "文件不是 UTF-8 编码，请另存为 UTF-8")]) from None
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        raise BuildFailed([error(name, 1, "文件为空，没有任何内容")])
    mistakes = typing_mistakes(text, keys) if keys else []
    if mistakes:
        raise BuildFailed([error(name, line, message, "typing") for line, message in mistakes])
    located = Located(text)
    loader = None
    try:
        loader = _StrictLoader(text)
        loader.allow_aliases = aliases
        node = loader.get_single_node()
        if node is None:
            raise BuildFailed([error(name, 1, "文件为空，没有任何内容")])
        _record_positions(node, (), located)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise BuildFailed([error(name, line, f"YAML 格式错误：{_describe(exc)}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise BuildFailed([error(name, line, f"YAML 格式错误：含有不允许的控制字符 U+{exc.character:04X}")]) from None
    except yaml.YAMLError as exc:
        raise BuildFailed([error(name, None, f"YAML 格式错误：{exc}")]) from None
    except RecursionError:
        raise BuildFailed([error(name, None, "YAML 嵌套层次过深")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, located


_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（可能缺少缩进或引号）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
    "expected <block end>, but found '-'": "列表项“-”的缩进不一致",
    "found undefined alias": "不允许使用 YAML 别名",
    "found unexpected end of stream": "文件意外结束（可能有引号或括号未闭合）",
    "expected ',' or '}'": "花括号 { } 未闭合或缺少逗号",
    "expected ',' or ']'": "方括号 [ ] 未闭合或缺少逗号",
    "expected <block end>, but found": "缩进不一致，或上文有引号未闭合",
    "found unknown escape character": "双引号字符串中有无效的转义字符（反斜杠）",
    "could not determine a constructor": "不支持的 YAML 标签（!!…）",
}


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for english, chinese in _PROBLEMS.items():
        if problem.startswith(english):
            return chinese
    if problem and any("\u4e00" <= ch <= "\u9fff" for ch in problem):
        return problem
    context = f"{exc.context}, " if exc.context else ""
    return f"{context}{problem}".strip(", ") or "无法解析"
