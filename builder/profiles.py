"""Profiles by name: which table sets there are, and each one loaded and validated once.

A profile is a region's table set as data: a district's (in its 方案 folder, core/district.py),
found before the built-in ones (templates/profiles/<方案>.yaml). It is validated against the names
its document kind's compute stage declares, so a misspelt name stops the load at its line
instead of printing a blank.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .core import district
from .core.findings import BuildFailed, Finding, error
from .core.resources import profiles_dir
from .kinds import kind, kinds
from .publication.profile import Profile, parse_profile, validate

BUILT_IN = "内置"


def available(near: Path | None = None) -> dict[str, Path]:
    """Every profile a YAML at `near` (a file or folder) may name: its district's, then the
    built-in ones it does not replace."""
    built_in = {p.stem: p for p in sorted(profiles_dir().glob("*.yaml"))}
    own = district.profile_files(district.find(near)) if near is not None else {}
    return own | {name: path for name, path in built_in.items() if name not in own}


def origin(path: Path) -> str:
    """Where a profile came from, as `profiles` says it: 内置, or its file."""
    return BUILT_IN if path.resolve().parent == profiles_dir().resolve() else str(path)


def unknown_profile_message(name: str, near: Path | None = None) -> str:
    found = district.find(near) if near is not None else None
    where = "" if found else f"（区里的方案请放在部门文件所在文件夹或其上级的“{district.FOLDER}”文件夹中）"
    return f"没有名为“{name}”的方案（可用：{'、'.join(available(near)) or '无'}）{where}"


def profile_path(name: str, near: Path | None = None) -> Path:
    """A profile by name (the district's of `near`, else a built-in one), or a path to a profile
    file given on the command line. A YAML's 方案 is only ever a name, never a path."""
    known = available(near)
    if name in known:
        return known[name]
    path = Path(name)
    if path.suffix in (".yaml", ".yml"):
        if path.is_file():
            return path
        problem = f"{name} 是文件夹，应为方案文件" if path.is_dir() else f"找不到方案文件：{name}"
        raise BuildFailed([error(name, None, problem)])
    raise BuildFailed([error(str(profiles_dir()), None, unknown_profile_message(name, near))])


@cache
def _load(path: Path, lists: Path | None, stamp: tuple) -> tuple[Profile, tuple[Finding, ...]]:
    profile, located = parse_profile(path, lists)
    document_kind = kinds()[profile.kind]           # (the profile's model allows only known kinds)
    validate(profile, located, str(path), _measures(profile, located, str(path), document_kind),
             set(document_kind.needs))
    return profile, tuple(located.findings)


def _measures(profile: Profile, located, file: str, document_kind) -> Any:
    """The names the profile may use: its kind's, with the further spending categories it declares
    (spending_categories) as expenditure kinds beside 基本支出 and 项目支出."""
    names = tuple(profile.spending_categories)
    if not names:
        return document_kind.measures
    where = lambda i: located.line_of(("spending_categories", i))
    if document_kind.measures_for is None:
        raise BuildFailed([error(file, where(0), f"部门{profile.kind}的方案不能写 spending_categories", "profile")])
    known = document_kind.measures.rowsets.get("功能分类", {})
    problems = [error(file, where(i), f"支出类别“{name}”与已有的数字名称重复或含有“.”，请换一个名称", "profile")
                for i, name in enumerate(names) if name in known or "." in name or name in names[:i]]
    if problems:
        raise BuildFailed(problems)
    return document_kind.measures_for(names)


def _stamp(path: Path, lists: Path | None) -> tuple:
    """What a loaded profile depends on: its file, the files beside it (its 类列表, its
    templates) and the district's 类列表 — an edited one is read again, in a long-running
    service too."""
    files = [p for p in sorted(path.parent.iterdir()) if p.is_file() and (p == path or p.suffix in (".yaml", ".j2"))]
    files += [lists] if lists is not None else []
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def district_lists(near: Path | None) -> Path | None:
    """The 类列表.yaml of the district a YAML at `near` belongs to, if it has one."""
    found = district.find(near) if near is not None else None
    lists = found / district.CLASS_LISTS if found is not None else None
    return lists if lists is not None and lists.is_file() else None


def _loaded(name: str, near: Path | None) -> tuple[Profile, tuple[Finding, ...]]:
    path = profile_path(name, near).resolve()
    lists = district_lists(near)
    return _load(path, lists, _stamp(path, lists))


def load_profile(name: str, near: Path | None = None) -> Profile:
    """A profile, validated against the names its document kind declares."""
    return _loaded(name, near)[0]


def profile_findings(name: str, near: Path | None = None) -> list[Finding]:
    """What loading a profile noticed without refusing it: a profile file saved as GBK."""
    return list(_loaded(name, near)[1])


def profile_for(model: Any, override: str | None) -> str:
    return override or model.profile or kind(model.kind).default_profile
