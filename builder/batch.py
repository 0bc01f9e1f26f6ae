"""A whole district in one command: folders of departments, in parallel, rebuilt only when changed.

`build` takes files and folders. A folder means every department YAML below it, except files that
are only another file's 上年文件/预算文件 or a partial year (`部分数据: true`) — those are built
only when named. Files that would write the same outputs (the same file name in two folders)
or publish the same department twice (the same 部门, 年度 and 类型: a copy) are not built, each
told which others it collides with. Departments are built over `-j N` worker processes, the
progress line naming one being built; one department failing — an internal error included —
never stops the others. A department whose inputs have not changed
since its outputs were written is not rebuilt: the manifest in the output folder keeps, per
department, a key over everything its outputs depend on (the YAML, every file it links, its
district catalogues, its profile and templates, the builder's code) and the figures of the
district overview, 汇总.xlsx and 汇总.csv, which are written from it after every run. A department
that fails writes nothing: the outputs an earlier input left stay as they were, and the command's
line for it and its row of the 汇总 say they are old and when they were written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Sequence

from . import __version__, progress
from . import build as pipeline
from .core import district
from .core.district import CLASS_LISTS
from .core.files import write_all_atomically
from .core.findings import Finding, Severity, error, warning
from .core.loader import NotText, comment_start, decode
from .core.numbers import Display
from .core.resources import cjk_font, profiles_dir, templates_dir
from .kinds import kinds
from .profiles import district_lists, load_profile, profile_path
from .render import DEFAULT_FORMATS, SUFFIXES
from .render.workbook import Workbook, finish, list_sheet

MANIFEST = ".budget-builder.json"
OVERVIEW = "汇总"
BUILT, UNCHANGED, FAILED = "已生成", "未变", "失败"


@dataclass(frozen=True)
class Options:
    out_dir: Path
    profile: str | None = None
    allow_incomplete: bool = False
    catalogues: tuple[Path, ...] = ()
    formats: tuple[str, ...] = DEFAULT_FORMATS
    force: bool = False


@dataclass
class Outcome:
    file: str
    status: str
    findings: list[Finding] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)        # the department's row of 汇总
    key: str = ""
    generated: str = ""          # when its outputs were written (local time), built now or before
    earlier: list[tuple[str, str]] = field(default_factory=list)   # failed: the outputs an earlier
                                 # input left in the folder, each with when it was written

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)


# -- which files are departments ---------------------------------------------------------------

# the keys a document links other files by, as the kinds declare them (a new link is found too)
LINK_KEYS = tuple(dict.fromkeys(key for kind in kinds().values() for key in kind.link_keys()))
_TOP = re.compile(rf"^({'|'.join((*LINK_KEYS, '方案', '类型', '部分数据', '科目表'))})\s*:(.*)$")


def top_level(text: str) -> dict[str, list[str]]:
    """The few top-level keys a batch needs before loading (links, profile, kind, partial), read
    from the text: a full load of hundreds of files is what the workers are for."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = _TOP.match(line)
        if not match:
            continue
        key, value = match.groups()
        value = value[:comment_start(value)].strip()      # a # inside a path is the path's
        items = [v.strip() for v in value[1:-1].split(",")] if value.startswith("[") else [value]
        found.setdefault(key, []).extend(v.strip("\"'") for v in items if v)
    return found


@dataclass
class Found:
    """The department files of a run's inputs, and a warning for each folder that holds none."""
    paths: list[Path]
    findings: list[Finding]


def find_departments(inputs: list[Path]) -> Found:
    """Department files to build: files as given; folders expanded to every YAML below them that
    no other file links (上年文件, 预算文件), that is not a partial year and that is not in a
    district's 方案 folder (its profiles and lists)."""
    named, found, folders = [], [], {}
    for item in inputs:
        if item.is_dir():
            folders[item] = sorted(p for p in item.rglob("*.y*ml") if p.suffix in (".yaml", ".yml") and
                                   not any(part.startswith(".") or part == district.FOLDER
                                           for part in p.relative_to(item).parts))
            found += folders[item]
        else:
            named.append(item)
    linked: set[Path] = set()
    for path in found:
        keys = top_level(read_text(path))
        for key in LINK_KEYS:
            linked |= {(path.parent / target).resolve() for target in keys.get(key, [])}
    departments = [p for p in found if p.resolve() not in linked
                   and top_level(read_text(p)).get("部分数据", ["false"])[0].lower() != "true"]
    findings = []
    for folder, files in folders.items():
        if not files:
            findings.append(warning(str(folder), None, "文件夹中没有 YAML 文件（.yaml 或 .yml）", "empty-folder"))
        elif not set(files) & set(departments):
            findings.append(warning(str(folder), None, "文件夹中的 YAML 文件都是其他文件引用的上年文件、预算文件或"
                                                       "部分数据（部分数据: true），不单独检查或生成；要单独处理请写出"
                                                       "文件名", "empty-folder"))
    seen, ordered = set(), []
    for path in named + departments:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            ordered.append(path)
    return Found(ordered, findings)


def discover(inputs: list[Path]) -> list[Path]:
    return find_departments(inputs).paths


def read_text(path: Path) -> str:
    """A file's text as the loader reads it (UTF-8, or GBK), or as much as can be read."""
    raw = _bytes(path)
    try:
        return decode(raw)[0]
    except NotText:                     # the build reports it
        return raw.decode("utf-8-sig", errors="replace")


def _bytes(path: Path) -> bytes:
    """A file's bytes, or a marker when it cannot be read: the build reports why, in Chinese."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return f"unreadable:{exc.errno}".encode()


# -- what an output depends on -----------------------------------------------------------------

def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


@cache
def _tree_digest(root: str, pattern: str = "*", skip: tuple[str, ...] = ()) -> str:
    files = sorted(p for p in Path(root).rglob(pattern) if p.is_file() and "__pycache__" not in p.parts
                   and not set(p.relative_to(root).parts) & set(skip))
    return _digest(*(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() for p in files))


@cache
def _code_digest() -> str:
    """The builder's own code and the font: a new version of either rebuilds everything (but for
    the rooms that make no output: the web service, the importer)."""
    code = _tree_digest(str(Path(__file__).resolve().parent), "*.py", skip=("service", "importer"))
    return _digest(__version__.encode(), code.encode(), str(cjk_font()).encode())


def _profile_digest(name: str, near: Path) -> str:
    """A profile with the templates it uses: its file, its 情况说明 template and the district's
    templates and 类列表 beside it, the PDF templates and the built-in catalogue (a change to
    another region's profile rebuilds nothing here)."""
    try:
        path = profile_path(name, near)
    except Exception:       # an unknown profile: the build reports it
        return _digest(name.encode())
    return _profile_file_digest(str(path), _stamp([path, *_beside(path)]))


def _beside(path: Path) -> list[Path]:
    """What a district's profile reads beside it (its templates and 类列表); the built-in
    profiles' templates are the package's own."""
    if path.resolve().parent == profiles_dir().resolve():
        return []
    return sorted(p for p in path.parent.iterdir() if p.is_file() and (p.suffix == ".j2" or p.name == CLASS_LISTS))


def _stamp(paths: list[Path]) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


@cache
def _profile_file_digest(path: str, stamp: tuple) -> str:
    try:
        profile = load_profile(path)
    except Exception:       # a broken profile: the build reports it
        return _digest(_bytes(Path(path)))
    root = templates_dir()
    narrative = (root / "narrative" / profile.narrative) if profile.narrative else None
    beside = [Path(p) for p, _, _ in stamp]
    return _digest(*(p.read_bytes() for p in beside), narrative.read_bytes() if narrative and narrative.is_file() else b"",
                   _tree_digest(str(root / "pdf")).encode(), _tree_digest(str(root / "catalogue")).encode())


def _district_digest(path: Path) -> str:
    """The district's code lists, 类 lists and 三公 codes every department below its 方案
    folder is built with."""
    found = district.find(path)
    files = [*district.code_files(found), *filter(None, [district.three_public_file(found), district_lists(path)])]
    return _district_files_digest(_stamp(files)) if files else ""


@cache
def _district_files_digest(stamp: tuple) -> str:
    return _digest(*(str(p).encode() + b"\0" + _bytes(Path(p)) for p, _, _ in stamp))


def input_key(path: Path, options: Options) -> str:
    """Everything the outputs of one department depend on, as one hash."""
    text = read_text(path)
    keys = top_level(text)
    parts = [read_text(path).encode(), _code_digest().encode(),
             json.dumps([options.profile, options.allow_incomplete, list(options.formats)]).encode()]
    for key in (*LINK_KEYS, "科目表"):
        for target in keys.get(key, []):
            linked = path.parent / target
            parts.append(_bytes(linked) if linked.is_file() else b"missing:" + target.encode())
            if key != "科目表":       # a linked year's own district catalogues
                for csv_file in top_level(read_text(linked)).get("科目表", []):
                    other = linked.parent / csv_file
                    parts.append(_bytes(other) if other.is_file() else b"missing")
    for catalogue in options.catalogues:
        parts.append(_bytes(catalogue) if catalogue.is_file() else b"missing")
    kind = (keys.get("类型") or ["预算"])[0]
    profile = options.profile or (keys.get("方案") or [""])[0] or _default_profile(kind)
    parts.append(_profile_digest(profile, path).encode())
    parts.append(_district_digest(path).encode())
    return _digest(*parts)


def _default_profile(kind: str) -> str:
    return kinds()[kind].default_profile if kind in kinds() else ""


# -- building ----------------------------------------------------------------------------------

def build_one(path: Path, options: Options, key: str) -> Outcome:
    """One department, in a worker: every failure becomes a finding, never an exception."""
    try:
        result = pipeline.build(path, options.out_dir, options.profile, options.allow_incomplete,
                       options.catalogues, options.formats)
    except Exception as exc:      # a bug: reported for this department, the others go on
        detail = traceback.format_exc(limit=-3) if os.environ.get("BUDGET_BUILDER_DEBUG") else ""
        message = f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）{detail}"
        return Outcome(str(path), FAILED, [error(str(path), None, message, "internal")], key=key)
    status = BUILT if result.ok else FAILED
    return Outcome(str(path), status, result.findings, [str(p) for p in result.outputs], result.summary, key,
                   _clock(time.time()) if result.ok else "")


def same_names(paths: list[Path]) -> dict[str, Outcome]:
    """Departments whose files share a name (2024.yaml in two folders) would write the same
    outputs: none of them is built, each is told which files it collides with."""
    by_stem: dict[str, list[Path]] = {}
    for path in paths:
        by_stem.setdefault(path.stem, []).append(path)
    return {str(path): Outcome(str(path), FAILED, [error(str(path), None, (
                f"与 {'、'.join(str(o) for o in group if o != path)} 同名，输出文件 {path.stem}.xlsx/.pdf "
                "会互相覆盖：请改名，或分开生成到不同的输出文件夹"), "same-name")])
            for group in by_stem.values() if len(group) > 1 for path in group}


_WHO = re.compile(r"^(部门|年度|类型)\s*:(.*)$")


def department_of(path: Path) -> tuple[tuple[str, str, str], int] | None:
    """Which department a file describes — (部门, 年度, 类型) — and the line of its 部门, read
    from the text as the links are; None when the text does not say plainly (the build then
    reports what is wrong with the file)."""
    found: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        match = _WHO.match(line)
        if match and match[1] not in found:
            value = match[2][:comment_start(match[2])].strip()
            found[match[1]] = (value.strip("\"'").strip(), number)
    name, number = found.get("部门", ("", 0))
    year = found.get("年度", ("", 0))[0]
    kind = found.get("类型", ("", 0))[0] or "预算"
    if not name or not year or name.startswith(("|", ">", "&", "*", "!")):
        return None
    return (name, year, kind), number


def same_departments(paths: list[Path]) -> dict[str, list[Finding]]:
    """Files describing the same department of the same year and kind (one department copied
    under other names) would publish it twice and count it twice in the 汇总: none of them is
    built, each is told at its 部门 line which other files describe the same department. A
    partial year (部分数据: true) is only ever another file's figures and does not count."""
    by_department: dict[tuple[str, str, str], list[tuple[Path, int]]] = {}
    for path in paths:
        found = department_of(path)
        if found and top_level(read_text(path)).get("部分数据", ["false"])[0].lower() != "true":
            by_department.setdefault(found[0], []).append((path, found[1]))
    return {str(path): [error(str(path), line, (
                f"与 {'、'.join(f'{o}:{n}' for o, n in group if o != path)} 描述同一部门"
                f"（{name}，{year} 年部门{kind}），会重复公开、在汇总中重复计算：同一部门只保留一个文件，"
                "删去多余的副本，或改正其“部门”“年度”“类型”"), "same-department")]
            for (name, year, kind), group in by_department.items() if len(group) > 1 for path, line in group}


@dataclass
class Run:
    """What one `build` did: each department's outcome, in input order, the overview it wrote
    (none when every department failed into a new folder, or there was none), and what it found
    about its inputs (a folder without departments)."""
    outcomes: list[Outcome]
    overview: Path | None
    findings: list[Finding] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def build_all(inputs: list[Path], options: Options, jobs: int | None = None) -> Run:
    found = find_departments(inputs)
    paths = found.paths
    if not paths:                   # nothing to build: an output folder is neither made nor touched
        return Run([], None, found.findings)
    manifest = load_manifest(options.out_dir)
    outcomes = same_names(paths)
    for file, findings in same_departments(paths).items():
        outcomes.setdefault(file, Outcome(file, FAILED)).findings.extend(findings)
    todo: list[tuple[Path, str]] = []
    for path in paths:
        if str(path) in outcomes:
            continue
        key = input_key(path, options)
        entry = manifest.get(path.stem)
        if (not options.force and entry and entry.get("key") == key
                and all(Path(o).is_file() for o in entry.get("outputs", []))):
            outcomes[str(path)] = Outcome(str(path), UNCHANGED, [], entry["outputs"], entry.get("summary", {}), key,
                                          entry.get("generated", ""))
        else:
            todo.append((path, key))
    outcomes.update(_build_each(todo, options, max(1, jobs or os.cpu_count() or 1)))
    ordered = [outcomes[str(p)] for p in paths]
    for outcome in ordered:
        if outcome.status == FAILED:
            stem = Path(outcome.file).stem
            outcome.earlier = earlier_outputs(options.out_dir, stem, manifest.get(stem))
    if not any(o.status != FAILED for o in ordered) and not manifest:
        # a run where everything failed leaves a new output folder uncreated, as a failed build does
        return Run(ordered, None, found.findings)
    save_manifest(options.out_dir, manifest, ordered)
    return Run(ordered, options.out_dir / f"{OVERVIEW}.xlsx", found.findings)


def _build_each(todo: list[tuple[Path, str]], options: Options, jobs: int) -> dict[str, Outcome]:
    """Build each department, over `jobs` worker processes: as many are handed out as there are
    workers, and the next when one ends, so the progress line knows which are being built. A
    worker that dies (out of memory, a crash) fails the departments it was running with; the
    departments not yet begun go on in new workers."""
    bar, outcomes = progress.progress(len(todo)), {}
    if jobs == 1 or len(todo) <= 1:
        for path, key in todo:
            bar.start(path.stem)
            outcomes[str(path)] = build_one(path, options, key)
            bar.finish(path.stem)
        bar.close()
        return outcomes
    workers, waiting = min(jobs, len(todo)), list(reversed(todo))
    running: dict = {}                          # future → the department it builds
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                path, key = waiting.pop()
                try:
                    future = pool.submit(build_one, path, options, key)
                except BrokenProcessPool:
                    pool.shutdown(wait=False)
                    pool = ProcessPoolExecutor(max_workers=workers)
                    future = pool.submit(build_one, path, options, key)
                running[future] = (path, key)
                bar.start(path.stem)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                path, key = running.pop(future)
                try:
                    outcomes[str(path)] = future.result()
                except Exception as exc:     # its worker died
                    outcomes[str(path)] = Outcome(str(path), FAILED, [error(
                        str(path), None, f"内部错误：构建进程意外退出（{type(exc).__name__}）", "internal")], key=key)
                bar.finish(path.stem)
    finally:
        pool.shutdown(cancel_futures=True)
        bar.close()
    return outcomes


# -- the manifest and the overview -------------------------------------------------------------

def load_manifest(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return data.get("departments", {}) if data.get("version") == 1 else {}
    except (OSError, ValueError):
        return {}


def _clock(seconds: float) -> str:
    return datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")


def earlier_outputs(out_dir: Path, stem: str, entry: dict | None) -> list[tuple[str, str]]:
    """The outputs a failed department left in the folder from an earlier input — never deleted
    nor overwritten, only said to be old — each with when it was written: the time the manifest
    kept for that build, else the file's own."""
    known = dict.fromkeys((entry or {}).get("outputs", []), (entry or {}).get("generated"))
    found = []
    for suffix in SUFFIXES:
        path = out_dir / f"{stem}.{suffix}"
        if path.is_file():
            found.append((str(path), known.get(str(path)) or _clock(path.stat().st_mtime)))
    return found


def describe_earlier(earlier: list[tuple[str, str]], name=str) -> str:
    """x.xlsx、x.pdf 仍是 2026-12-01 10:20 生成的旧版本 (files of different times, one clause each)."""
    times = dict.fromkeys(when for _, when in earlier)
    return "；".join(f"{'、'.join(name(f) for f, w in earlier if w == when)} 仍是 {when[:16]} 生成的旧版本"
                    for when in times)


def _still_there(entry: dict) -> dict:
    """What of an earlier run's entry still holds: its build, while its YAML and outputs are
    there; its failure, while its YAML is."""
    kept = {}
    if "key" in entry and Path(entry.get("source", "")).is_file() and all(Path(o).is_file() for o in entry["outputs"]):
        kept = {k: v for k, v in entry.items() if k != "failed"}
    if "failed" in entry and Path(entry["failed"].get("source", "")).is_file():
        kept["failed"] = entry["failed"]
    return kept


def save_manifest(out_dir: Path, manifest: dict, outcomes: list[Outcome]) -> None:
    """Per department (by file name): its last good build — input key, outputs, 汇总 figures,
    when — and, when its last attempt failed, that failure. A failure keeps the good build's
    entry: its outputs are still in the folder, and the same input again finds them 未变.
    Departments of earlier runs stay in the overview while their files are there."""
    entries = {stem: kept for stem, entry in manifest.items() if (kept := _still_there(entry))}
    for outcome in outcomes:
        stem = Path(outcome.file).stem
        if outcome.status == FAILED:
            entries.setdefault(stem, {})["failed"] = {"source": outcome.file, "errors": outcome.errors,
                                                       "warnings": outcome.warnings}
        else:
            entries[stem] = {"source": outcome.file, "key": outcome.key, "outputs": outcome.outputs,
                             "summary": outcome.summary, "generated": outcome.generated}
    data = json.dumps({"version": 1, "departments": dict(sorted(entries.items()))}, ensure_ascii=False,
                      indent=1, sort_keys=True)
    rows = overview_rows(out_dir, entries, {Path(o.file).stem: o.status for o in outcomes})
    totals = total_rows(entries)
    write_all_atomically({out_dir / MANIFEST: data.encode("utf-8"),
                          out_dir / f"{OVERVIEW}.xlsx": overview_xlsx(rows, totals),
                          out_dir / f"{OVERVIEW}.csv": overview_csv(rows, totals)})


COLUMNS = ("文件", "部门", "年度", "类型", "方案", "收入总计", "支出总计", "基本支出", "项目支出", "“三公”经费",
           "表数", "页数", "错误", "警告", "状态", "现有文件")
MONEY_COLUMNS = ("收入总计", "支出总计", "基本支出", "项目支出", "“三公”经费")
CURRENT, NONE = "当前版本", "无"


def overview_rows(out_dir: Path, entries: dict, statuses: dict[str, str]) -> list[list]:
    """One row per department of the output folder, by file name; money in 万元; the status of
    this run (a department not in this run is 未变, or 失败 if its last attempt failed). A failed
    department shows no figures — its files, if an earlier input left some, are not of its
    input — and 现有文件 says which files of it are in the folder and that they are old."""
    show = Display("万元", 2)
    rows = []
    for stem in sorted(entries):
        entry = entries[stem]
        if "failed" in entry:
            failed, earlier = entry["failed"], earlier_outputs(out_dir, stem, entry)
            files = describe_earlier(earlier, lambda f: Path(f).name) + "，不是当前输入生成的" if earlier else NONE
            rows.append([stem, "", "", "", "", *[None] * 5, None, None, failed["errors"], failed["warnings"], FAILED,
                         files])
            continue
        s = entry.get("summary", {})
        money = [show(Decimal(s[k])) if s.get(k) is not None else None for k in MONEY_COLUMNS]
        rows.append([stem, s.get("部门", ""), s.get("年度", ""), s.get("类型", ""), s.get("方案", ""), *money,
                     s.get("表数"), s.get("页数"), s.get("错误", 0), s.get("警告", 0), statuses.get(stem, UNCHANGED),
                     CURRENT])
    return rows


TOTAL = "合计"


def total_rows(entries: dict) -> list[list]:
    """The 合计 rows under the departments: one per 年度 and 类型 (a 2024 预算 and a 2023 决算
    do not add up), over every department of the folder that has figures — those built now or
    unchanged; a failed department has none that match its input and is not counted, which the
    row says. Each amount is the exact sum of the departments' amounts in 元, shown as theirs
    are (万元, two decimals), so it can differ in the last digit from the sum of the shown
    amounts; an amount some department lacks is left blank rather than summed in part."""
    show = Display("万元", 2)
    groups: dict[tuple, list[dict]] = {}
    failed = sum("failed" in entry for entry in entries.values())
    for entry in entries.values():
        if "failed" in entry:
            continue
        s = entry.get("summary", {})
        groups.setdefault((s.get("年度", ""), s.get("类型", "")), []).append(s)
    rows = []
    for (year, kind), group in sorted(groups.items(), key=lambda g: (str(g[0][0]), g[0][1] != "预算", g[0][1])):
        money = [show(sum((Decimal(s[k]) for s in group), Decimal(0))) if all(s.get(k) is not None for s in group) else None
                 for k in MONEY_COLUMNS]
        covers = f"{len(group)} 个部门" + (f"（失败的 {failed} 个部门没有数字，未计入）" if failed else "")
        rows.append([TOTAL, covers, year, kind, "", *money, None, None, None, None, "", ""])
    return rows


def overview_csv(rows: list[list], totals: Sequence[list] = ()) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f"{c}（万元）" if c in MONEY_COLUMNS else c for c in COLUMNS])
    for row in [*rows, *totals]:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")       # with a BOM: Excel opens it as UTF-8


def overview_xlsx(rows: list[list], totals: Sequence[list] = ()) -> bytes:

    wb = Workbook()
    ws = wb.active
    ws.title = OVERVIEW
    entries = [[(value, "#,##0.00" if name in MONEY_COLUMNS else "0") for name, value in zip(COLUMNS, row)]
               for row in [*rows, *totals]]
    list_sheet(ws, "部门公开表汇总（金额单位：万元）", list(COLUMNS), entries,
               [24, 30, 6, 6, 8, 12, 12, 12, 12, 10, 6, 6, 6, 6, 8, 40], "C3", title_size=12, bold_from=len(rows))
    ws.auto_filter.ref = f"A2:{ws.cell(2, len(COLUMNS)).column_letter}{max(2, len(rows) + 2)}"
    return finish(wb, "部门公开表汇总")
