"""The document kinds — 部门预算 and 部门决算 — as siblings on the same machinery.

A department YAML says which kind it is (`类型: 预算`, the default, or `类型: 决算`); a profile
says which kind it renders. Each kind brings its model, its compute stage with the names it
declares, its rules, its data needs, its 情况说明 figures and its year-over-year tools; the
loader, catalogue, findings, table model, renderers and CLI are shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable

from .core.facts import Facts, Measures
from .core.findings import BuildFailed, Finding, error
from .core.resources import profiles_dir
from .publication.profile import Profile, parse_profile, validate


@dataclass(frozen=True)
class Link:
    """A file a document links: last year's (上年文件) or the same year's budget (预算文件)."""
    key: str            # the YAML key
    attr: str           # the model attribute holding the path
    name: str           # the linked facts' name (facts.linked[name])
    kind: str           # the kind the linked file must be
    year_offset: int    # its year relative to this document's


@dataclass(frozen=True)
class Kind:
    name: str                                   # 预算 / 决算
    document: str                               # 部门预算 / 部门决算
    model: type
    measures: Measures
    compute: Callable[..., Facts]               # (model, linked facts, catalogue) → Facts
    rules: tuple[Callable, ...]                 # (Context) → findings
    needs: dict[str, Callable]                  # requirement name → (model) → missing items
    links: tuple[Link, ...] = ()
    narrative: Callable[[Facts, Profile], dict] | None = None
    default_profile: str = ""
    reason_keys: tuple[str, ...] = ()           # keys of 说明 → 增减原因 (and the like)
    diff: Callable | None = None                # (old facts, new facts, old file, new file) → Report
    diff_against: tuple[tuple[str, Callable], ...] = ()   # (older kind, diff): e.g. a 决算 against its 预算
    summary: Callable[[Facts], dict] | None = None   # headline figures (in 元) for the district overview
    next_year: Callable | None = None           # (document, year, out path) → next year's YAML text
    schema_file: str = ""                       # its JSON Schema, under docs/ (builder schema)


@cache
def kinds() -> dict[str, Kind]:
    from . import accounts, budget
    return {kind.name: kind for kind in (budget.KIND, accounts.KIND)}


def kind(name: str) -> Kind:
    return kinds()[name]


@cache
def known_keys() -> frozenset[str]:
    """Every YAML key of every kind's model (for naming typing mistakes on their own line)."""
    import typing

    from pydantic import BaseModel
    keys: set[str] = {"类型"}
    seen: set[type] = set()

    def walk(model: type) -> None:
        if model in seen:
            return
        seen.add(model)
        for info in model.model_fields.values():
            keys.update(a for a in [info.alias, *getattr(info.validation_alias, "choices", [])] if a)
            stack = [info.annotation]
            while stack:
                annotation = stack.pop()
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    walk(annotation)
                stack.extend(typing.get_args(annotation))

    for document_kind in kinds().values():
        walk(document_kind.model)
        keys.update(document_kind.reason_keys)
    return frozenset(keys)


# -- profiles ---------------------------------------------------------------------------------

def available() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.yaml"))


def unknown_profile_message(name: str) -> str:
    return f"没有名为“{name}”的方案（可用：{'、'.join(available()) or '无'}）"


def profile_path(name: str) -> Path:
    """A profile by name (a file of templates/profiles/), or a path to a profile file given on
    the command line. A YAML's 方案 is only ever a name, never a path."""
    if name in available():
        return profiles_dir() / f"{name}.yaml"
    path = Path(name)
    if path.suffix in (".yaml", ".yml"):
        if path.is_file():
            return path
        problem = f"{name} 是文件夹，应为方案文件" if path.is_dir() else f"找不到方案文件：{name}"
        raise BuildFailed([error(name, None, problem)])
    raise BuildFailed([error(str(profiles_dir()), None, unknown_profile_message(name))])


@cache
def _load(path: Path, mtime: int) -> tuple[Profile, tuple[Finding, ...]]:
    profile, located = parse_profile(path)
    document_kind = kinds().get(profile.kind)
    validate(profile, located, str(path), document_kind.measures, set(document_kind.needs))
    return profile, tuple(located.findings)


def _loaded(name: str) -> tuple[Profile, tuple[Finding, ...]]:
    path = profile_path(name).resolve()
    return _load(path, path.stat().st_mtime_ns)        # an edited profile is read again


def load_profile(name: str) -> Profile:
    """A profile, validated against the names its document kind declares."""
    return _loaded(name)[0]


def profile_findings(name: str) -> list[Finding]:
    """What loading a profile noticed without refusing it: a profile file saved as GBK."""
    return list(_loaded(name)[1])


def profile_for(model: Any, override: str | None) -> str:
    return override or model.profile or kind(model.kind).default_profile
