"""The pipeline, top to bottom: load → model → compute → check → tables → render → write.

Each stage is its own module; this one only wires them and decides what gets written. Nothing
is written unless every stage succeeded, and files are written to a temporary name and renamed,
so a failed or interrupted build never leaves a half-written file or spoils an earlier output.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .budget.rules import run_checks
from .budget.compute import Facts, compute
from .core.findings import BuildFailed, Finding, error, has_errors
from .core.loader import load_yaml
from .budget.model import Department
from .budget.needs import missing
from .core.parse import parse_department
from .tables.profile import Profile, available, load_profile, unknown_profile_message
from .tables.build import Display, Table, build_tables

DEFAULT_PROFILE = "潼南"


@dataclass
class Result:
    file: str
    findings: list[Finding] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def load_department(path: Path) -> tuple[Department, object]:
    data, located = load_yaml(path)
    return parse_department(data, located, str(path)), located


def load_previous(path: Path, dept: Department, located) -> Department | None:
    """The previous year's department named by 上年文件 (relative to this file), or None."""
    if dept.previous_file is None:
        return None
    line = located.line_of(("上年文件",))
    if dept.previous.functions or dept.previous.three_public != type(dept.previous.three_public)():
        raise BuildFailed([error(str(path), line, "已用“上年文件”指向上年的 YAML，不要再填写“上年”数字")])
    previous_path = (path.parent / dept.previous_file)
    if not previous_path.is_file():
        raise BuildFailed([error(str(path), line, f"找不到上年文件：{dept.previous_file}")])
    previous, _ = load_department(previous_path)
    if previous.year != dept.year - 1:
        raise BuildFailed([error(str(path), line, f"上年文件的年度是 {previous.year}，应为 {dept.year - 1}")])
    return previous


def analyse(path: Path, profile_name: str | None = None,
            allow_incomplete: bool = False) -> tuple[Facts, Profile, list[Finding]]:
    """Load, validate, compute and check one YAML. Raises BuildFailed if it cannot go on."""
    dept, located = load_department(path)
    previous = load_previous(path, dept, located)
    name = profile_name or dept.profile or DEFAULT_PROFILE
    if name not in available():
        line = None if profile_name else located.line_of(("方案",))
        raise BuildFailed([error(str(path), line, unknown_profile_message(name))])
    profile = load_profile(name)
    facts = compute(dept, previous)
    findings = run_checks(facts, located, str(path), Display(dept.unit, profile), profile,
                          allow_incomplete)
    return facts, profile, findings


def incomplete_tables(facts: Facts, profile: Profile) -> set[str]:
    return {spec.id for spec in profile.tables if missing(facts.dept, spec.requires)}


def _checked(path: Path, profile_name: str | None,
             allow_incomplete: bool) -> tuple[Result, Facts | None, Profile | None]:
    result = Result(str(path))
    try:
        facts, profile, result.findings = analyse(path, profile_name, allow_incomplete)
    except BuildFailed as failed:
        result.findings = failed.findings
        return result, None, None
    return result, facts, profile


def check(path: Path, profile_name: str | None = None, allow_incomplete: bool = False) -> Result:
    return _checked(path, profile_name, allow_incomplete)[0]


def document_title(facts: Facts) -> str:
    return f"{facts.dept.name}{facts.dept.year}年部门预算"


def render(facts: Facts, profile: Profile) -> tuple[list[Table], bytes, bytes]:
    from .render.pdf import render_pdf
    from .render.xlsx import render_xlsx

    tables = build_tables(facts, profile, skip=incomplete_tables(facts, profile))
    title = document_title(facts)
    narrative = ""
    if profile.narrative:
        from .budget.narrative import narrative_figures
        from .render.pdf import render_narrative
        narrative = render_narrative(profile.narrative, narrative_figures(facts, profile),
                                     thousands=profile.unit == "元")
    return tables, render_xlsx(tables, title, narrative), render_pdf(tables, title, narrative)


def build(path: Path, out_dir: Path, profile_name: str | None = None,
          allow_incomplete: bool = False) -> Result:
    result, facts, profile = _checked(path, profile_name, allow_incomplete)
    if not result.ok:
        return result
    _, xlsx, pdf = render(facts, profile)
    targets = {out_dir / f"{path.stem}.xlsx": xlsx, out_dir / f"{path.stem}.pdf": pdf}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_all_atomically(targets)
    except OSError as exc:
        result.findings.append(error(str(out_dir), None, f"无法写入输出文件：{exc.strerror or exc}"))
        return result
    result.outputs = list(targets)
    return result


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all_atomically(targets: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling first; rename only when all are written."""
    temps: list[tuple[str, Path]] = []
    try:
        for target, data in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((temp, target))
            os.chmod(temp, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, target in temps:
            os.replace(temp, target)
        temps = []
    finally:
        for temp, _ in temps:
            if os.path.exists(temp):
                os.unlink(temp)
