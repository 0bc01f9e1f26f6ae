"""Load a department YAML strictly, keeping where every value came from.

PyYAML's defaults are wrong for budget data (pyyaml/pyyaml#165 and the YAML 1.1 resolvers): `010` becomes 8, `1.10` the float
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

from .files import os_problem
from .findings import BuildFailed, Finding, error, warning

MAX_BYTES = 5 * 1024 * 1024


def megabytes(size: int) -> str:
    """A size as a clerk reads it: 5 MB, 5.3 MB — rounded up, so a file just over a limit never
    reads as the limit itself."""
    tenths = -(-size * 10 // (1024 * 1024))
    return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths / 10:.1f} MB"


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
        self.findings: list[Finding] = []      # what loading noticed without refusing: a GBK file

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


# libyaml (the C scanner and parser PyYAML's wheels carry) reads a file about six times faster
# than PyYAML's pure-Python one; the nodes are still composed and constructed by the loader
# above, so the same rules and positions hold. A file libyaml refuses is read again by the
# pure-Python loader, whose messages are the ones translated below (libyaml words them otherwise).
try:
    from yaml._yaml import CParser
except ImportError:                     # a PyYAML built without libyaml: the pure-Python loader
    CParser = None

# Where libyaml and PyYAML read a text differently, a file is read by the pure-Python loader
# alone, as before: libyaml takes a tab where YAML allows one as white space (PyYAML refuses it:
# the "不能用 Tab" message) and a "?" inside a plain scalar of a flow mapping; it reads a lone "!"
# tag otherwise; it counts a BOM or a Unicode line break inside the text otherwise; and it places
# an empty value of a flow mapping ({基本支出: }) one character on. (A "?" or "!" in a comment
# does not matter.)
_LIBYAML_DIFFERS = re.compile(r"[\t\ufeff\x85\u2028\u2029]|:[ ]*[,}\]]|^[^#\n]*[?!]", re.M)

if CParser is not None:
    class _FastLoader(yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's events, composed, resolved and constructed as _StrictLoader does."""
        yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
        yaml_constructors = _StrictLoader.yaml_constructors
        compose_node = _compose_node

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


# What YAML 1.1 (PyYAML's default, and many tools) reads as a number: ints (also octal 010,
# hex, 1_000, sexagesimal 1:20) and floats.
_NUMBER = re.compile(r"""^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*|0x[0-9a-fA-F_]+|0b[01_]+
                         |(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+)$""", re.X)


def _record_positions(node: Node, path: tuple, located: Located) -> None:
    located.lines.setdefault(path, node.start_mark.line + 1)
    located.spans.setdefault(path, (node.start_mark.index, node.end_mark.index))
    if isinstance(node, yaml.ScalarNode):
        style = node.style or None                          # libyaml says "" for plain
        located.styles.setdefault(path, style)
        if style is None and _NUMBER.match(node.value):
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


def _unclosed_quote(line: str) -> int | None:
    """Where a quoted scalar that the line does not close opens, if one does."""
    quote, start = "", None
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'" and line[:i].rstrip(" \t\u3000")[-1:] in ("", ":", "-", "?", "[", "{", ","):
            quote, start = ch, i
    return start if quote else None


def comment_start(line: str) -> int | None:
    """Where a YAML line's comment starts (a # at the start or after white space, outside
    quotes), if it has one."""
    for i, ch in _outside_quotes(line):
        if ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


_AFTER_INDENT = re.compile(r"^[ \u3000]*(?:-[ \u3000]+)*")
_SPACES = re.compile(r"[ \u3000]*")
_KEY = re.compile(r"[^\s:：{}\[\],#\"']+")
# what a message quotes of the text after a key: enough for its first 12 characters (a key
# may start anywhere on a long flow line, and slicing the rest of the line for each would make
# the scan quadratic)
_AFTER = 64


def _start(line: str, pattern: re.Pattern = _AFTER_INDENT, at: int = 0) -> int:
    """Where a line's text starts after its indentation (and list dashes) — or after what
    `pattern` skips from `at`: a pattern that matches the empty string matches every line."""
    match = pattern.match(line, at)
    assert match is not None
    return match.end()


def _key_positions(line: str) -> list[int]:
    """The offset of every place a mapping key may start: the line's start (after indentation
    and "- "), and after "{" or "," of a flow mapping (and the spaces there)."""
    places = [_start(line)]
    depth, end = 0, comment_start(line)
    for i, ch in _outside_quotes(line[:end]):
        if ch in "{[":
            depth += 1
            places.append(i + 1)
        elif ch in "}]":
            depth -= 1
        elif ch == "," and depth:
            places.append(i + 1)
    return [_start(line, _SPACES, p) for p in places]


def typing_mistakes(text: str, keys: frozenset[str]) -> list[tuple[int, str]]:
    """(line, message) for each full-width colon, full-width space or missing space after a colon,
    full-width space before one, missing colon after a known key, Chinese comma before a key in
    braces, and full-width space in indentation or after a list's "-" — outside block and
    multi-line text."""
    found: list[tuple[int, str]] = []
    skip_deeper_than: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip(" \u3000\t")
        leading = line[:_start(line, _INDENT)]
        indent = len(leading)
        if skip_deeper_than is not None:
            if not stripped or indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        if not stripped or stripped.startswith("#"):
            continue
        if "\u3000" in leading:
            found.append((number, "缩进里有全角空格“　”，请改为半角空格"))
        elif re.match(r"^ *(?:-[ \u3000]+)*-\u3000", line):
            found.append((number, "列表项的“-”后是全角空格“　”，请改为半角空格"))
        for index, at in enumerate(_key_positions(line)):
            key = _KEY.match(line, at)
            if not key or key.group() not in keys:
                continue
            # the whole rest of the line only at its start (once a line: whether it has a colon)
            name, after = key.group(), line[key.end():] if index == 0 else line[key.end():key.end() + _AFTER]
            if after.startswith("："):
                found.append((number, f"“{name}”后用了全角冒号“：”，应为半角冒号“:”并在其后加一个空格"))
            elif after.startswith(":\u3000"):
                found.append((number, f"“{name}:”后是全角空格“　”，请改为半角空格"))
            elif re.match(r"^ *\u3000[ \u3000]*[:：]", after):
                found.append((number, f"“{name}”与冒号之间有全角空格“　”，请删去"))
            elif after.startswith(":") and after[1:2] not in ("", " ", "\t"):
                value = re.split(r"[,}\]]", after[1:], maxsplit=1)[0].strip()[:12]
                found.append((number, f"“{name}:”后缺少空格：冒号后要加一个空格，写成“{name}: {value}”"))
            elif re.match(r"^[ \u3000]+[^:：\s]", after) and ":" not in after and "：" not in after \
                    and index == 0:             # a flow mapping's "{a b}" is YAML's own error
                found.append((number, f"“{name}”后缺少冒号“:”，应写成“{name}: {after.strip()[:12]}”"))
        start = _unclosed_quote(line)
        mixed = re.match(r"""(["'][^"'“”‘’]*[“”‘’])\s*(?:[,}\]].*)?(?:#.*)?$""", line[start:]) if start is not None else None
        if mixed:      # "2013101” : YAML reads on to the next " and fails lines later
            found.append((number, f"{mixed.group(1)} 的引号不配对：以英文引号开始、以中文引号结束，请都改为英文引号"))
        depth = 0
        for i, ch in _outside_quotes(line[:comment_start(line)]):
            depth += (ch in "{[") - (ch in "}]")
            key = re.match(r"^[ \u3000]*([^\s:：{}\[\],#\"']+)[ \u3000]*[:：]", line[i + 1:]) if ch == "，" else None
            if depth > 0 and key and key.group(1) in keys:
                found.append((number, f"“{key.group(1)}”前用了中文逗号“，”，应为英文逗号“,”"))
        block = _BLOCK_START.match(line)
        plain = _PLAIN_VALUE.match(line)
        if block:
            skip_deeper_than = len(block.group(1).replace("\u3000", " "))
        elif plain:
            # a plain value may continue on deeper lines: those are text, not keys
            skip_deeper_than = len(plain.group(1))
    return found


GBK_READ = "文件是 GBK 编码，已按 GBK 读取；请另存为 UTF-8"


class NotText(ValueError):
    """A file in no encoding the builder reads: the line of the first byte it could not read."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def decode(raw: bytes) -> tuple[str, bool]:
    """(text, read as GBK) of a file: UTF-8 with or without BOM, else GBK (GB18030: Notepad, WPS
    and Excel on a Chinese Windows save it), refusing UTF-16 and a UTF-8 file with a few bytes
    that are not (a phrase pasted from elsewhere), which GBK would read as nonsense."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotText(1, "文件是 UTF-16 编码（记事本的“Unicode”），请另存为 UTF-8")
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
    as_utf8 = raw.decode("utf-8", errors="replace")
    unreadable = as_utf8.count("\ufffd")
    if sum(ord(ch) > 127 for ch in as_utf8) - unreadable > unreadable:
        raise NotText(line, "此行有不是 UTF-8 编码的文字（文件其余部分是 UTF-8；可能是从别处粘贴来的），"
                            "请重新输入这些文字后保存为 UTF-8")
    try:
        return raw.decode("gb18030"), True
    except UnicodeDecodeError:
        raise NotText(line, "文件不是 UTF-8 编码（也不是 GBK），请另存为 UTF-8") from None


def load_yaml(path: Path, aliases: bool = False, keys: frozenset[str] = frozenset(),
              what: str = "文件") -> tuple[Any, Located]:
    """Return (data, positions) or raise BuildFailed with a clerk-readable finding. `aliases`
    admits anchors and aliases (profiles reuse a form's grid; a clerk's file never needs them);
    `keys` are the document's known keys, for naming typing mistakes on their own line; `what`
    the file is (文件, 方案文件) when it cannot be read. A file read as GBK is a warning in
    `located.findings`, and comes first among the errors of a file that fails."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BuildFailed([error(name, None, os_problem(exc, path, what))]) from None
    if len(raw) > MAX_BYTES:
        raise BuildFailed([error(name, None, f"文件过大（{megabytes(len(raw))}，上限 {megabytes(MAX_BYTES)}）")])
    try:
        text, gbk = decode(raw)
    except NotText as exc:
        raise BuildFailed([error(name, exc.line, exc.message, "encoding")]) from None
    notes = [warning(name, None, GBK_READ, "encoding")] if gbk else []
    try:
        return _parse(text, name, aliases, keys, notes)
    except BuildFailed as failed:
        raise BuildFailed(notes + failed.findings) from None


def _parse(text: str, name: str, aliases: bool, keys: frozenset[str], notes: list[Finding]) -> tuple[Any, Located]:
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        raise BuildFailed([error(name, 1, "文件为空，没有任何内容")])
    mistakes = typing_mistakes(text, keys) if keys else []
    if mistakes:
        raise BuildFailed([error(name, line, message, "typing") for line, message in mistakes])
    data, located = None, None
    if CParser is not None and not _LIBYAML_DIFFERS.search(text):
        try:
            data, located = _compose(_FastLoader, text, name, aliases)
        except (BuildFailed, ValueError):          # refused, or text libyaml cannot take
            pass
    if located is None:
        data, located = _compose(_StrictLoader, text, name, aliases)
    located.findings = notes
    return data, located


def _compose(kind: type, text: str, name: str, aliases: bool) -> tuple[Any, Located]:
    """The document and where its values came from, read by one of the two loaders."""
    located, loader = Located(text), None
    try:
        loader = kind(text)             # a reader checks the characters here
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
