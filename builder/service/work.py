"""What the service's worker processes do: check a file (or a draft of it) and draw its preview,
compare two files, start a new year. Each is a plain function of plain arguments returning plain
data, run in a process of the service's pools (jobs.py), so a slow or crashing job never stalls
the web server. Each goes through the pipeline's own stages (build.analyse, build.publication,
the kinds' diff and init): nothing is computed here.

A draft (text not saved yet) is checked as a hidden file beside the real one, so the files it
links (上年文件: previous/…) are found as they will be; hidden files are not departments to the
batch, and the draft is deleted as soon as it is read. Findings name files as the workspace
names them (their path under the departments folder), never the server's paths.

The files a YAML names — 上年文件, 预算文件, 科目表 — are the command line's to follow anywhere;
in the service they are followed only inside the departments folder, and for a clerk only to
their own departments' files, so no text a clerk types can show them another department's
figures or a file of the server. This is decided from the YAML alone, before any linked file is
opened.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .core import (
    BuildFailed,
    Computed,
    Finding,
    analyse,
    compute,
    department_of,
    differ,
    error,
    final_from_budget,
    load_document,
    load_yaml,
    publication,
    read_text,
    shown,
    signed,
    signed_percent,
)
from .html import render_publication

LINKS = ("上年文件", "预算文件", "科目表")


def _display(inputs: Path, file: str, aliases: dict[str, str]) -> str:
    if file in aliases:
        return aliases[file]
    path = Path(file)
    try:
        return path.resolve().relative_to(inputs).as_posix()
    except (ValueError, OSError):
        return path.name


def findings_data(findings: list[Finding], inputs: Path, aliases: dict[str, str]) -> list[dict]:
    """Findings for a page: files by their workspace names, the file itself first, by line."""
    out = []
    for f in findings:
        message = f.message
        for real, shown_as in aliases.items():
            message = message.replace(real, shown_as)
        out.append({"file": _display(inputs, f.file, aliases), "line": f.line, "severity": f.severity.value,
                    "message": message, "rule": f.rule})
    own = set(aliases.values())
    return sorted(out, key=lambda f: (f["file"] not in own, f["file"], f["line"] or 0))


class _Draft:
    """A hidden file beside `path` holding `data`, removed on exit."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path.parent / f".{path.stem}.draft-{secrets.token_hex(6)}{path.suffix}"
        self.data = data

    def __enter__(self) -> Path:
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(self.data)
        return self.path

    def __exit__(self, *exc) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass


def department_named(path: Path) -> str:
    found = department_of(path)
    return found[0][0] if found else ""


def named_files(path: Path) -> list[tuple[str, str, int | None]] | None:
    """(key, file as written, line) of each file the YAML names at its top level — 上年文件,
    预算文件, 科目表 — or None when it cannot be read as YAML (then nothing is followed: the
    check says why it does not load). Read with libyaml's composer where PyYAML has it (a
    hundredth of the strict loader's time; the keys and texts are the same nodes), else with
    the strict loader itself."""
    import yaml
    text = read_text(path)
    if getattr(yaml, "__with_libyaml__", False):
        try:
            root = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:       # libyaml refuses it: ask the strict loader, which decides
            root = False
        if root is None or (root is not False and not isinstance(root, yaml.MappingNode)):
            return None
        if root is not False:
            found = []
            for key, value in root.value:
                if not isinstance(key, yaml.ScalarNode) or key.value not in LINKS:
                    continue
                items = value.value if isinstance(value, yaml.SequenceNode) else [value]
                found += [(key.value, item.value, item.start_mark.line + 1) for item in items
                          if isinstance(item, yaml.ScalarNode)]
            return found
    try:
        data, located = load_yaml(path)
    except BuildFailed:
        return None
    if not isinstance(data, dict):
        return None
    found = []
    for key in LINKS:
        value = data.get(key)
        for i, target in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(target, str):
                found.append((key, target, located.line_of((key, i) if isinstance(value, list) else (key,))))
    return found


def vet(path: Path, inputs: Path, allowed: frozenset[str] | None) -> list[Finding]:
    """Errors for each file the YAML names that the service will not open: one outside the
    departments folder, or (with `allowed`) a YAML of a department not allowed."""
    problems = []
    for key, target, line in named_files(path) or []:
        if not target.strip():
            continue
        resolved = (path.parent / target).resolve()
        if not resolved.is_relative_to(inputs):
            problems.append(error(str(path), line, f"{key}“{target}”不在工作区的部门文件夹中：网页服务只读取"
                                                   "工作区中的文件（请把文件放入部门文件夹，写相对本文件的路径）",
                                  "service-link"))
        elif key != "科目表" and allowed is not None and resolved.is_file():
            owner = department_named(resolved)
            if owner not in allowed:
                problems.append(error(str(path), line, f"{key}“{target}”是其他部门（{owner or '未写部门'}）的文件，"
                                                       "不能引用", "service-link"))
    return problems


def check(inputs: str, path: str, name: str, options, draft: bytes | None = None, preview: bool = False,
          allowed: frozenset[str] | None = None) -> dict:
    """The findings of a file (or of a draft of it), the 部门 it names, and with `preview` its
    publication's HTML when it has no error."""
    inputs_dir, real = Path(inputs), Path(path)
    if draft is None:
        return _check(inputs_dir, real, name, options, preview, allowed, {str(real): name})
    with _Draft(real, draft) as temp:
        return _check(inputs_dir, temp, name, options, preview, allowed, {str(temp): name, str(real): name})


def _check(inputs: Path, path: Path, name: str, options, preview: bool, allowed, aliases: dict[str, str]) -> dict:
    result = {"department": department_named(path), "html": None, "title": "", "refused": False}
    refused = vet(path, inputs, allowed)
    if refused:
        return {**result, "findings": findings_data(refused, inputs, aliases), "refused": True}
    try:
        analysis = analyse(path, options.profile, options.allow_incomplete, options.catalogues)
    except BuildFailed as failed:
        return {**result, "findings": findings_data(failed.findings, inputs, aliases)}
    findings = findings_data(analysis.findings, inputs, aliases)
    if preview and not any(f["severity"] == "错误" for f in findings):
        document = publication(analysis)
        result.update(html=render_publication(document), title=document.title)
    return {**result, "findings": findings}


def linked(inputs: str, path: str, options) -> list[dict]:
    """The files this YAML links (上年文件, 预算文件), by workspace name; none outside the
    departments folder."""
    inputs_dir, source = Path(inputs), Path(path)
    out = []
    for key, target, _ in named_files(source) or []:
        resolved = (source.parent / target).resolve()
        if key != "科目表" and target.strip() and resolved.is_relative_to(inputs_dir) and resolved.is_file():
            out.append({"key": key, "name": resolved.relative_to(inputs_dir).as_posix()})
    return out


def compare(inputs: str, old_path: str, old_name: str, new_path: str, new_name: str, options,
            old_draft: bytes | None = None, allowed: frozenset[str] | None = None) -> dict:
    """The meaning-level comparison of two files (old → new) as rows for a page, or the findings
    that stop one of them from loading. `old_draft`: the old file is an earlier version of the
    new one, written beside it."""
    inputs_dir = Path(inputs)
    if old_draft is not None:
        with _Draft(Path(new_path), old_draft) as temp:
            return _compare(inputs_dir, temp, old_name, Path(new_path), new_name, options, allowed)
    return _compare(inputs_dir, Path(old_path), old_name, Path(new_path), new_name, options, allowed)


def _compare(inputs: Path, old: Path, old_name: str, new: Path, new_name: str, options, allowed) -> dict:
    aliases = {str(old): old_name, str(new): new_name}
    refused = vet(old, inputs, allowed) + vet(new, inputs, allowed)
    if refused:
        return {"findings": findings_data(refused, inputs, aliases), "changes": None}
    try:
        old_doc = load_document(old, options.catalogues)
        new_doc = load_document(new, options.catalogues)
        old_facts, new_facts = compute(old_doc), compute(new_doc)
    except BuildFailed as failed:
        return {"findings": findings_data(failed.findings, inputs, aliases), "changes": None}
    diff = differ(old_doc, new_doc)
    if diff is None:
        return {"findings": [{"file": new_name, "line": None, "severity": "错误", "rule": "",
                              "message": f"不能比较部门{old_doc.kind.name}与部门{new_doc.kind.name}"
                                         "（预算与决算比较时，预算在前）"}], "changes": None}
    report = diff(Computed(old_doc, old_facts), Computed(new_doc, new_facts))
    changes = [{"section": c.section, "key": c.key if c.key != c.name else "", "name": c.name,
                "field": f"其中：{c.field}" if c.of else c.field,          # a part of its line's figure, under it
                "kind": c.kind, "old": shown(c.old, c.value), "new": shown(c.new, c.value),
                "delta": signed(c.delta, c.value), "percent": signed_percent(c.percent)} for c in report.changes]
    return {"findings": [], "changes": changes, "unit": report.unit, "notes": report.notes}


def start(inputs: str, path: str, action: str, year: int | None) -> dict:
    """A new file from this one, as `init` makes it: next year's (action "year"), or this year's
    决算 from its 预算 (action "final"). Returns the new file's name (beside this one) and text,
    or a message saying why not."""
    inputs_dir, source = Path(inputs), Path(path)
    try:
        document = load_document(source, links=False)
    except BuildFailed as failed:
        return {"error": "本文件有错误，请先改正后再生成新文件：" + failed.findings[0].message}
    model, stem = document.model, source.stem
    if action == "final":
        if document.kind.name != "预算":
            return {"error": f"只能由部门预算生成部门决算，本文件是部门{document.kind.name}"}
        out = source.parent / f"{stem}-juesuan.yaml"
        make = lambda: final_from_budget(document, out)
    else:
        if year is None or year <= model.year:
            return {"error": f"新年度应晚于本文件的年度 {model.year}"}
        name = stem.replace(str(model.year), str(year)) if str(model.year) in stem else f"{stem}-{year}"
        out = source.parent / f"{name}.yaml"
        next_year = document.kind.next_year
        if next_year is None:
            return {"error": f"部门{document.kind.name}不能由上年文件生成"}
        make = lambda: next_year(document, year, out)
    name = _display(inputs_dir, str(out), {})
    if out.exists():
        return {"error": f"{name} 已存在，未覆盖", "name": name}
    return {"name": name, "text": make()}


def warm() -> int:
    """Load the pipeline in a new worker, so the first clerk does not wait for imports."""
    from .. import build  # noqa: F401
    from ..render import pdf, xlsx  # noqa: F401
    return os.getpid()
