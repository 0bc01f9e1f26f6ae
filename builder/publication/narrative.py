"""The 情况说明 (决算说明): a per-profile template turned into format-neutral blocks.

A template (templates/narrative/<name>.html.j2) places computed figures and the clerk's words in
sentences, with a few block tags (h1, h2, h3, p, div.text, p.contact) and Jinja2 autoescape on,
so YAML text is always text. It does no arithmetic. The rendered markup is read once, here,
into `Block`s; both renderers draw those blocks, so the XLSX and PDF say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import jinja2

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


def render_narrative(template: str, figures: dict, thousands: bool) -> Narrative:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(narrative_dir()), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["amt"] = lambda value: plain(value, thousands)         # 422, 1325.1 (预算 情况说明)
    env.filters["m2"] = lambda value: fixed(value, 2)                   # 1989.05, 0.00 (决算说明)
    env.filters["pct"] = lambda value: fixed(value, 1)                  # 14.4, 100.0
    env.filters["clause"] = clause
    unwritten: list[str] = []

    def written(text: object, key: str) -> object:
        """A text a section prints: noted when empty (a 警告 names the 说明 key to fill)."""
        if not str(text or "").strip():
            unwritten.append(key)
        return text or ""

    env.globals["written"] = written
    parser = _Blocks()
    parser.feed(env.get_template(template).render(n=figures))
    parser.close()
    return Narrative(figures, parser.blocks, list(dict.fromkeys(unwritten)))
