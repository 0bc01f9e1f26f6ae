"""The load stage: a YAML file becomes a validated document of its kind, with its linked files
and its 科目 catalogue.

The strict loader keeps every value's line; the `类型` key picks the kind whose model validates
the data; each file the document links (上年文件, 预算文件) is loaded the same way and must be of
the right kind and year; district catalogues — the code lists of the district's 方案 folder
(core/district.py), `--catalogue`, the `科目表` key, in that order — are merged over the built-in
one. Anything wrong is a finding at its file and line.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .core import catalogue as catalogues
from .core import district as districts
from .core.document import Document
from .core.findings import BuildFailed, error
from .core.kind import Kind
from .core.loader import Located, load_yaml
from .core.parse import parse_model, without_blanks
from .kinds import kinds, known_keys


def kind_of(data: Any, located: Located, file: str) -> Kind:
    name = data.get("类型", "预算") if isinstance(data, dict) else "预算"
    known = kinds()
    if name not in known:
        near = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.3)
        hint = f"，是否应为“{near[0]}”？" if near else ""
        raise BuildFailed([error(file, located.line_of(("类型",)),
                                 f"“类型”的值“{name}”无效{hint}（应为：{'、'.join(known)}）", "schema")])
    return known[name]


def load_document(path: Path, catalogue_files: tuple[Path, ...] = (), links: bool = True) -> Document:
    """Load, validate and link one document; raises BuildFailed with every finding it has."""
    data, located = load_yaml(path, keys=known_keys())
    try:
        return _load(path, data, located, catalogue_files, links)
    except BuildFailed as failed:       # a GBK file's warning stays with its errors
        raise BuildFailed(located.findings + failed.findings) from None


def _load(path: Path, data: Any, located: Located, catalogue_files: tuple[Path, ...], links: bool) -> Document:
    kind = kind_of(data, located, str(path))
    checked, blanks, where = without_blanks(kind.model, data, located, str(path))
    try:
        model = parse_model(kind.model, checked, located, str(path), reported=where)
    except BuildFailed as failed:
        raise BuildFailed(sorted(blanks + failed.findings, key=lambda f: f.line or 0)) from None
    if blanks:
        raise BuildFailed(blanks)
    own = tuple(path.parent / name for name in model.catalogue_files)
    missing = [(i, f) for i, f in enumerate(own) if not f.is_file()]
    if missing:
        raise BuildFailed([error(str(path), located.line_of(("科目表",)) if len(own) == 1 else
                                 located.line_of(("科目表", i)), _not_a_file("科目表", model.catalogue_files[i], f))
                           for i, f in missing])
    district = districts.find(path)
    catalogue, findings = catalogues.load([*districts.code_files(district), *catalogue_files, *own],
                                          districts.three_public_file(district))
    if findings:
        raise BuildFailed(findings)
    document = Document(path, kind, model, located, data, catalogue, findings=list(located.findings))
    if links:
        for link in kind.links:
            target = getattr(model, link.attr, None)
            if target:
                linked = document.links[link.name] = _linked(document, link, target, catalogue_files)
                document.findings += linked.findings
            elif target is not None:          # init writes `预算文件: ""` for the clerk to fill
                raise BuildFailed([error(str(path), document.line(link.key),
                                         f"“{link.key}”尚未填写：请写{link.key}的路径，或删去这一行")])
    return document


def _linked(document: Document, link, target: str, catalogue_files: tuple[Path, ...]) -> Document:
    line = document.line(link.key)
    path = document.path.parent / target
    if not path.is_file():
        raise BuildFailed([error(document.file, line, _not_a_file(link.key, target, path))])
    linked = load_document(path, catalogue_files, links=False)
    expected_year = document.model.year + link.year_offset
    if linked.kind.name != link.kind:
        raise BuildFailed([error(document.file, line, f"{link.key}应为部门{link.kind}文件，"
                                                      f"{target} 是部门{linked.kind.name}")])
    if linked.model.year != expected_year:
        raise BuildFailed([error(document.file, line, f"{link.key}的年度是 {linked.model.year}，应为 {expected_year}")])
    return linked


def _not_a_file(what: str, written: str, path: Path) -> str:
    """Why a file a YAML names (上年文件, 科目表 …) is not there: missing, or a folder."""
    return f"{what}“{written}”是文件夹，应为文件" if path.is_dir() else f"找不到{what}：{written}"
