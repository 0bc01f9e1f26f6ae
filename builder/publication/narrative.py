"""The 情况说明 (决算说明): a per-profile template turned into format-neutral blocks.

A template (a district's, beside its profile, or templates/narrative/<name>.html.j2) places
computed figures and the clerk's words in sentences, with a few block tags (h1, h2, h3, p,
div.text, p.contact) and Jinja2 autoescape on, so YAML text is always text. It does no
arithmetic. The rendered markup is read once, here, into `Block`s; both renderers draw those
blocks, so the XLSX and PDF say the same.

A district's template is the district's own code, run on the bureau's service too: it runs
sandboxed (no attribute of Python's internals, no file but the templates beside it and the
built-in ones it may import), and whatever goes wrong in it is a finding at its file:line.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import jinja2.sandbox

from ..core.findings import BuildFailed, error
from ..core.numbers import fixed, plain
from ..core.resources import narrative_dir
from .model import Block

_KINDS = {"h1": "title", "h2": "heading", "h3": "subheading", "p": "paragraph", "div": "verbatim"}


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._kind: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _KINDS:
            self._flush()
            classes = (dict(attrs).get("class") or "").split()
            self._kind = "contact" if "contact" in classes else _KINDS[tag]

    def handle_endtag(self, tag):
        if tag in _KINDS:
            self._flush()

    def handle_data(self, data):
        if self._kind:
            self._text.append(data)

    def _flush(self):
        text = "".join(self._text)
        text = text.strip("\n") if self._kind == "verbatim" else text.strip()
        if self._kind and text.strip():
            self.blocks.append(Block(self._kind, text))
        self._kind, self._text = None, []


# What ends a clause a clerk typed: the template joins the clause to its own punctuation
# (“主要原因是{{ 原因|clause }}；”), so the clerk's own full stop would double it (“。；”).
_CLAUSE_END = "。；，、：.;,:！!？? \t\n\u3000"


def clause(text: object) -> str:
    """The clerk's text as a clause inside a sentence: without its closing punctuation."""
    return "" if text is None else str(text).rstrip(_CLAUSE_END)


@dataclass(frozen=True)
class Narrative:
    """The 情况说明 as the profile's template places it: its figures, its blocks (what both
    renderers draw) and the 说明 keys of passages that came out empty."""
    figures: dict
    blocks: list[Block]
    unwritten: list[str] = field(default_factory=list)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Each template compiled once a process (a build, the service, a batch of 300 departments)
    instead of once a build: jinja2 keys it by file and checks the source's checksum on every load,
    so a district's edited template is compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment(folder: Path | None, thousands: bool = False) -> jinja2.Environment:
    """Templates from the profile's folder first, then the built-in ones (whose `_macros` a
    district's template may import), with the filters a template formats figures with."""
    search = [str(p) for p in dict.fromkeys([folder, narrative_dir()]) if p is not None]
    env = jinja2.sandbox.SandboxedEnvironment(loader=jinja2.FileSystemLoader(search), autoescape=True,
                                              undefined=jinja2.StrictUndefined, bytecode_cache=_COMPILED)
    env.filters["amt"] = lambda value: plain(value, thousands)         # 422, 1325.1 (预算 情况说明)
    env.filters["m2"] = lambda value: fixed(value, 2)                   # 1989.05, 0.00 (决算说明)
    env.filters["pct"] = lambda value: fixed(value, 1)                  # 14.4, 100.0
    env.filters["clause"] = clause
    return env


def template_problem(exc: Exception, template: str, folder: Path | None):
    """A finding for what went wrong in a template: where it went wrong (file:line), in Chinese."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return error(exc.filename or template, exc.lineno, f"情况说明模板有语法错误：{exc.message}", "narrative")
    if isinstance(exc, jinja2.TemplateNotFound):
        where = "、".join(str(p) for p in dict.fromkeys([folder, narrative_dir()]) if p is not None)
        return error(template, None, f"找不到情况说明模板“{exc.name}”（在 {where} 中查找）", "narrative")
    # a fault while the template runs: jinja2 puts the template's own file and line in the traceback
    frames = _template_frames(exc)
    file, line = (frames[-1].filename, frames[-1].lineno) if frames else (template, None)
    if isinstance(exc, jinja2.UndefinedError):
        # jinja2 says "'dict object' has no attribute 'x'" or "'x' is undefined": name the x
        named = re.search(r"has no attribute '(.+)'|'(.+)' is undefined", exc.message or "")
        what = f"“{named.group(1) or named.group(2)}”" if named else f"（{exc.message}）"
        return error(file, line, f"情况说明模板用到了没有的数字或文字{what}", "narrative")
    if isinstance(exc, jinja2.sandbox.SecurityError):
        return error(file, line, f"情况说明模板做了不允许的操作：{exc}", "narrative")
    return error(file, line, f"情况说明模板出错：{type(exc).__name__}: {exc}", "narrative")


def _template_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".j2", ".html"))]


def _in_template(exc: BaseException) -> bool:
    """Whether the template's own code raised it (1/0, a string where a number goes …)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.endswith((".j2", ".html"))


def compile_template(template: str, folder: Path | None) -> None:
    """Read a template (and what it imports) without running it: a syntax error stops the profile."""
    try:
        environment(folder).get_template(template)
    except jinja2.TemplateError as exc:
        raise BuildFailed([template_problem(exc, template, folder)]) from None


def render_narrative(template: str, folder: Path | None, figures: dict, thousands: bool) -> Narrative:
    env = environment(folder, thousands)
    unwritten: list[str] = []

    def written(text: object, key: str) -> object:
        """A text a section prints: noted when empty (a 警告 names the 说明 key to fill)."""
        if not str(text or "").strip():
            unwritten.append(key)
        return text or ""

    env.globals["written"] = written
    parser = _Blocks()
    try:
        parser.feed(env.get_template(template).render(n=figures))
    except Exception as exc:
        if not isinstance(exc, jinja2.TemplateError) and not _in_template(exc):
            raise                   # the builder's own fault: an internal error, as any other
        raise BuildFailed([template_problem(exc, template, folder)]) from None
    parser.close()
    return Narrative(figures, parser.blocks, list(dict.fromkeys(unwritten)))
