"""The pipeline, top to bottom: load → model → compute → check → tables → render → write.

Each stage is its own module; this one only wires them and decides what gets written. It is the
same for every document kind (预算, 决算): the kind supplies its model, compute stage and rules.
Nothing is written unless every stage succeeded, and files are written to a temporary name and
renamed, so a failed or interrupted build never leaves a half-written file or spoils an earlier
output.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path

from . import render as renderers
from .check import Context, run_checks, table_needs
from .core.document import Document
from .core.facts import Facts
from .core.files import os_problem, write_all_atomically
from .core.findings import BuildFailed, Finding, Severity, error, has_errors
from .core.numbers import Display
from .load import load_document  # noqa: F401  (the CLI loads through here)
from .profiles import available, load_profile, profile_findings, profile_for, unknown_profile_message
from .publication.build import build_tables, fill
from .publication.model import Publication
from .publication.narrative import Narrative, render_narrative
from .publication.profile import Profile
from .render import DEFAULT_FORMATS, Rendered


@dataclass
class Result:
    file: str
    findings: list[Finding] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    summary: dict = field(default_factory=dict)          # its row of the district overview (汇总)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


@dataclass
class Analysis:
    """One document analysed: what every later stage reads, each part computed once — the
    document, its profile and facts, each table's unmet needs and the 情况说明 (in the context the
    rules saw) — and everything the checks found."""
    context: Context
    findings: list[Finding]

    @property
    def document(self) -> Document:
        return self.context.document

    @property
    def profile(self) -> Profile:
        assert self.context.profile is not None          # an analysis always has its profile
        return self.context.profile

    @property
    def facts(self) -> Facts:
        return self.context.facts


def compute(document: Document, categories: tuple[str, ...] = ()) -> Facts:
    """A document's facts, with those of the files it links; `categories`: the further spending
    categories its profile declares (单位预留机动经费 …)."""
    linked = {name: compute(other, categories) for name, other in document.links.items()}
    more = {"categories": categories} if categories else {}
    return document.kind.compute(document.model, linked, document.catalogue, **more)


def differ(old: Document, new: Document):
    """The comparison of two documents: two of one kind by that kind's diff; a 预算 and a 决算
    of the same year, budget against actual."""
    if old.kind is new.kind:
        return new.kind.diff
    return dict(new.kind.diff_against).get(old.kind.name)


def choose_profile(document: Document, name: str | None) -> Profile:
    chosen = profile_for(document.model, name)
    if name is None and chosen not in available(document.path):
        raise BuildFailed([error(document.file, document.line("方案"), unknown_profile_message(chosen, document.path))])
    profile = load_profile(chosen, document.path)
    if profile.kind != document.kind.name:
        line = None if name else document.line("方案")
        raise BuildFailed([error(document.file, line, f"方案“{profile.name}”用于部门{profile.kind}，"
                                                      f"本文件是部门{document.kind.name}（类型: {document.kind.name}）")])
    return profile


def analyse(path: Path, profile_name: str | None = None, allow_incomplete: bool = False,
            catalogues: tuple[Path, ...] = ()) -> Analysis:
    """Load, validate, compute and check one YAML. Raises BuildFailed if it cannot go on."""
    document = load_document(path, catalogues)
    profile = choose_profile(document, profile_name)
    noticed = document.findings + profile_findings(profile_for(document.model, profile_name), document.path)
    facts = compute(document, tuple(profile.spending_categories))
    needs = table_needs(document, profile, facts)
    narrative = narrate(document, facts, profile)
    incomplete = frozenset(need.id for need in needs if need.missing)
    printed = None if document.model.partial else publish(document, facts, profile, incomplete, narrative)
    context = Context(document, facts, profile, allow_incomplete, needs, narrative, printed)
    return Analysis(context, noticed + run_checks(context))


def narrate(document: Document, facts: Facts, profile: Profile) -> Narrative | None:
    """The 情况说明 the profile prints (none for a partial file, which is never published): the
    kind's figures, shown in the narrative's unit, placed by the profile's template."""
    kind = document.kind
    if not profile.narrative or kind.narrative is None or document.model.partial:
        return None
    show = Display(profile.narrative_unit or profile.unit, profile.decimals, profile.changes)
    figures = kind.narrative(document.model, facts, show)
    return render_narrative(profile.narrative, profile.folder, figures, thousands=profile.unit == "元")


def _checked(path: Path, profile_name: str | None, allow_incomplete: bool,
             catalogues: tuple[Path, ...]) -> tuple[Result, Analysis | None]:
    result = Result(str(path))
    try:
        analysis = analyse(path, profile_name, allow_incomplete, catalogues)
    except BuildFailed as failed:
        result.findings = failed.findings
        return result, None
    result.findings = analysis.findings
    return result, analysis


def check(path: Path, profile_name: str | None = None, allow_incomplete: bool = False,
          catalogues: tuple[Path, ...] = ()) -> Result:
    return _checked(path, profile_name, allow_incomplete, catalogues)[0]


def publication(analysis: Analysis) -> Publication:
    """The format-neutral document: numbered tables and the 情况说明's blocks (made once, in the
    analysis: the check stage counts its pages)."""
    assert analysis.context.publication is not None       # (only a partial year has none; it is never built)
    return analysis.context.publication


def publish(document: Document, facts: Facts, profile: Profile, incomplete: Set[str],
            narrative: Narrative | None) -> Publication:
    """The document as the profile prints it: its tables (but those left out for want of data)
    and the 情况说明's blocks."""
    tables = build_tables(facts, profile, skip=incomplete)
    names = {**facts.context, "unit": profile.unit}
    return Publication(title=fill(profile.document_title, names), contents_heading=profile.contents_heading,
                       narrative_title=fill(profile.narrative_title, names), tables=tables,
                       narrative=narrative.blocks if narrative else [], cover_landscape=profile.cover_landscape,
                       contents=profile.contents)


def render(analysis: Analysis, formats: tuple[str, ...] = DEFAULT_FORMATS) -> tuple[Publication, Rendered]:
    """The document in each format asked for (builder/render: xlsx, pdf, json …)."""
    document = publication(analysis)
    return document, renderers.render(document, formats)


def build(path: Path, out_dir: Path, profile_name: str | None = None, allow_incomplete: bool = False,
          catalogues: tuple[Path, ...] = (), formats: tuple[str, ...] = DEFAULT_FORMATS) -> Result:
    result, analysis = _checked(path, profile_name, allow_incomplete, catalogues)
    if analysis is None or not result.ok:
        return result
    document, rendered = render(analysis, formats)
    targets = {out_dir / f"{path.stem}.{suffix}": data for suffix, data in rendered.files.items()}
    try:
        write_all_atomically(targets)
    except OSError as exc:
        result.findings.append(error(str(out_dir), None, os_problem(exc, exc.filename or out_dir, writing=True)))
        return result
    result.outputs = list(targets)
    result.summary = summary_of(analysis, len(document.tables), rendered.pages, result.findings)
    return result


def summary_of(analysis, tables: int, pages: int | None, findings: list[Finding]) -> dict:
    """A department's row of the overview: its identity and headline figures (in 元, as text)."""
    facts, model = analysis.facts, analysis.document.model
    figures = analysis.document.kind.summary(facts) if analysis.document.kind.summary else {}
    return {"部门": model.name, "年度": model.year, "类型": analysis.document.kind.name, "方案": analysis.profile.name,
            **{k: (None if v is None else str(v)) for k, v in figures.items()},
            "表数": tables, "页数": pages, "错误": sum(f.severity is Severity.ERROR for f in findings),
            "警告": sum(f.severity is Severity.WARNING for f in findings)}
