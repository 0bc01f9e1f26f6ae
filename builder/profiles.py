"""Profiles by name: which table sets there are, and each one loaded and validated once.

A profile (templates/profiles/<方案>.yaml) is a region's table set as data; it is validated
against the names its document kind's compute stage declares, so a misspelt name stops the load
at its line instead of printing a blank.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .core.findings import BuildFailed, Finding, error
from .core.resources import profiles_dir
from .kinds import kind, kinds
from .publication.profile import Profile, parse_profile, validate


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
    document_kind = kinds()[profile.kind]           # (the profile's model allows only known kinds)
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
