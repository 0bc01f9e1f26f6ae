"""A district's own folder: what a region brings that is not in the package.

A district (区财政局) keeps one folder named `方案` beside its departments (or higher up): the
department YAMLs below it find it without any flag, as git finds its repository — the nearest
`方案/` in the YAML's own folder or one of its parents. The folder may hold:

- profiles (`<方案名>.yaml`), found by name before the built-in ones;
- the 情况说明 templates a profile names, beside it (a template may import the built-in macros);
- `类列表.yaml`: the 类 and 款 lists the district's profiles print (name → codes, with names);
- code lists (`*.csv`, `科目编码,科目名称`), merged into the catalogue of every department below;
- `三公.yaml`: the 经济分类 款 each "三公" item is spent under, where the district's differ.

Nothing here knows what a profile means; this module only says where a district's files are.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = "方案"
CLASS_LISTS = "类列表.yaml"
THREE_PUBLIC = "三公.yaml"
_NOT_PROFILES = {CLASS_LISTS, THREE_PUBLIC}


def find(start: Path) -> Path | None:
    """The nearest district folder from `start` (a YAML file, or a folder) upwards."""
    start = start.resolve()
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        candidate = folder / FOLDER
        if candidate.is_dir():
            return candidate
    return None


def profile_files(district: Path | None) -> dict[str, Path]:
    """The district's profiles by name (its YAML files but for the lists it keeps beside them)."""
    if district is None:
        return {}
    return {p.stem: p for p in sorted(district.glob("*.yaml")) if p.name not in _NOT_PROFILES and p.is_file()}


def code_files(district: Path | None) -> list[Path]:
    """The district's code lists, in name order (a later list wins where two name one code)."""
    return [] if district is None else sorted(p for p in district.glob("*.csv") if p.is_file())


def three_public_file(district: Path | None) -> Path | None:
    path = None if district is None else district / THREE_PUBLIC
    return path if path is not None and path.is_file() else None
