"""The pipeline, top to bottom: load → model → compute → check → tables → render → write.

Each stage is its own module; this one only wires them and decides what gets written. It is the
same for every document kind (预算, 决算): the kind supplies its model, compute stage and rules.
Nothing is written unless every stage succeeded, and files are written to a temporary name and
renamed, so a failed or interrupted build never leaves a half-written file or spoils an earlier
output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .check import Context, incomplete_tables, run_checks
from .core.facts import Facts
from .core.files import write_all_atomically
from .core.findings import BuildFailed, Finding, error, has_errors
from .documents import Document, load_document  # noqa: F401  (the CLI loads through here)
from .kinds import available, load_profile, profile_for, unknown_profile_message
from .tables.build import build_tables, fill
from .tables.model import Document as Publication
from .tables.narrative import render_narrative
from .tables.profile import Profile


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
    document: Document
    profile: Profile
    facts: Facts
    context: Context
    findings: list[Finding]


def compute(document: Document) -> Facts:
    """A document's facts, with those of the files it links."""
    linked = {name: compute(other) for name, other in document.links.items()}
    return document.kind.compute(document.model, linked, document.catalogue)


def differ(old: Document, new: Document):
    """The comparison of two documents: two of one kind by that kind's diff; a 预算 and a 决算
    of the same year, budget against actual."""
    if old.kind is new.kind:
        return new.kind.diff
    return dict(new.kind.diff_against).get(old.kind.name)


def choose_profile(document: Document, name: str | None) -> Profile:
    chosen = profile_for(document.model, name)
    if name is None and chosen not in available():
        raise BuildFailed([error(document.file, document.line("方案"), unknown_profile_message(chosen))])
    profile = load_profile(chosen)
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
    facts = compute(document)
    context = Context(document, facts, profile, allow_incomplete)
    return Analysis(document, profile, facts, context, document.findings + run_checks(context))


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
    """The format-neutral document: numbered tables and the 情况说明's blocks."""
    return publication_of(analysis.context)


def publication_of(context: Context) -> Publication:
    """The format-neutral document of a checked context (the check stage counts its pages)."""
    facts, profile = context.facts, context.profile
    tables = build_tables(facts, profile, skip=incomplete_tables(context))
    narrative = []
    if profile.narrative:
        figures = context.document.kind.narrative(facts, profile)
        narrative = render_narrative(profile.narrative, figures, thousands=profile.unit == "元")
    names = {**facts.context, "unit": profile.unit}
    return Publication(title=fill(profile.document_title, names), contents_heading=profile.contents_heading,
                       narrative_title=fill(profile.narrative_title, names), tables=tables,
                       narrative=narrative, cover_landscape=profile.cover_landscape)


def render(analysis: Analysis, formats: tuple[str, ...] = ("xlsx", "pdf")) -> tuple[Publication, dict, int | None]:
    """The document in each format asked for (xlsx, pdf), and its number of PDF pages."""
    from .render.pdf import pdf_and_pages
    from .render.xlsx import render_xlsx

    document = publication(analysis)
    files, pages = {}, None
    if "xlsx" in formats:
        files["xlsx"] = render_xlsx(document)
    if "pdf" in formats:
        files["pdf"], pages = pdf_and_pages(document)
    return document, files, pages


def build(path: Path, out_dir: Path, profile_name: str | None = None, allow_incomplete: bool = False,
          catalogues: tuple[Path, ...] = (), formats: tuple[str, ...] = ("xlsx", "pdf")) -> Result:
    from .batch import summary_of
    result, analysis = _checked(path, profile_name, allow_incomplete, catalogues)
    if analysis is None or not result.ok:
        return result
    document, files, pages = render(analysis, formats)
    targets = {out_dir / f"{path.stem}.{suffix}": data for suffix, data in files.items()}
    try:
        write_all_atomically(targets)
    except OSError as exc:
        result.findings.append(error(str(out_dir), None, f"无法写入输出文件：{exc.strerror or exc}"))
        return result
    result.outputs = list(targets)
    result.summary = summary_of(analysis, len(document.tables), pages, result.findings)
    return result
