"""The 政府收支分类科目 catalogue: built in, extended by a district's own list, never edited in place.

No complete machine-readable catalogue exists, so the built-in one (templates/catalogue/) holds
the codes seen in published documents — this project's examples and other regions' published
部门预算/决算 — and stays partial; where a code's names differ by edition, the current one is
its name and the others are its `其他名称` (accepted where a YAML names the code with one, and
reported). Where each built-in row comes from is in templates/catalogue/catalogue_sources.csv. A
district brings its own list once for all its departments — a CSV with `科目编码,科目名称` (and
optionally `分类`, `其他名称`) given with `--catalogue` or the YAML key `科目表` — and a
department may name a code the lists lack in its own YAML. A code nobody names is an error that
suggests the nearest known codes.

Three classifications: 支出功能分类 (2xx, 类 3 / 款 5 / 项 7 digits), 部门预算支出经济分类
(3xx, 类 3 / 款 5) and 政府预算支出经济分类 (5xx, 类 3 / 款 5). A code's first digit tells them
apart, so a district CSV needs no 分类 column unless it wants one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .files import os_problem
from .findings import BuildFailed, Finding, error
from .loader import MAX_BYTES, NotText, decode, load_yaml, megabytes
from .resources import catalogue_dir

FUNCTION, ECONOMIC, GOV_ECONOMIC = "功能分类", "部门经济分类", "政府经济分类"
CLASSIFICATIONS = {FUNCTION: (3, 5, 7), ECONOMIC: (3, 5), GOV_ECONOMIC: (3, 5)}
_BY_FIRST_DIGIT = {"2": FUNCTION, "3": ECONOMIC, "5": GOV_ECONOMIC}
_ALIASES = {"功能分类": FUNCTION, "支出功能分类": FUNCTION, "经济分类": ECONOMIC,
            "部门经济分类": ECONOMIC, "部门预算支出经济分类": ECONOMIC,
            "政府经济分类": GOV_ECONOMIC, "政府预算支出经济分类": GOV_ECONOMIC}
LEVELS = {3: "类", 5: "款", 7: "项"}
BUILT_IN = "内置科目表"


def classification_of(code: str) -> str | None:
    return _BY_FIRST_DIGIT.get(code[:1])


@dataclass(frozen=True)
class Entry:
    name: str
    source: str            # 内置科目表, or file:line of a district CSV
    aliases: tuple[str, ...] = ()   # the code's names in other editions of the catalogue


@dataclass(frozen=True)
class Catalogue:
    codes: dict[str, dict[str, Entry]] = field(default_factory=dict)   # classification → code → entry
    files: tuple[str, ...] = ()                                        # district CSVs merged in
    # each "三公" item and the 经济分类 款 it is spent under: a district's 三公.yaml, else built in
    three_public: dict[str, tuple[str, ...]] | None = None

    def three_public_codes(self) -> dict[str, tuple[str, ...]]:
        return self.three_public if self.three_public is not None else three_public_codes()

    def entry(self, code: str, classification: str | None = None) -> Entry | None:
        return self.codes.get(classification or classification_of(code) or "", {}).get(code)

    def name(self, code: str, classification: str | None = None) -> str | None:
        entry = self.entry(code, classification)
        return entry.name if entry else None

    def other_edition(self, code: str, name: str, classification: str | None = None) -> str | None:
        """The catalogue's name of a code that `name` names by another edition's name, else None."""
        entry = self.entry(code, classification)
        return entry.name if entry and name != entry.name and name in entry.aliases else None

    def shown_name(self, code: str, given: str | None = None) -> str:
        """The name a table prints for a code: the YAML's, else the catalogue's, else a marker
        (check has already said the name is missing)."""
        return given or self.name(code) or UNKNOWN_NAME

    def near(self, code: str, classification: str | None = None, n: int = 3) -> list[tuple[str, str]]:
        """Known codes of the same level within two digit edits (a swap counts once),
        nearest first, preferring the same parent: 2080550 → 2080505."""
        known = self.codes.get(classification or classification_of(code) or "", {})
        scored = []
        # the codes two edits away, looked up (not every known code compared: a district's list
        # may hold thousands, and a file as many unknown codes)
        for other in _neighbours(code) if code.isdigit() else known:
            entry = known.get(other)
            if entry is None or len(other) != len(code) or other == code:
                continue
            distance = _edits(code, other)
            if distance <= 2:
                shared = next((k for k in range(len(code)) if code[k] != other[k]), len(code))
                scored.append((distance, -shared, other, entry.name))
        return [(c, name) for _, _, c, name in sorted(scored)[:n]]

    def merged(self, other: "Catalogue") -> "Catalogue":
        """This catalogue with `other`'s codes added or renamed (a district list overrides)."""
        codes = {k: dict(v) for k, v in self.codes.items()}
        for classification, entries in other.codes.items():
            codes.setdefault(classification, {}).update(entries)
        return Catalogue(codes, self.files + other.files,
                         other.three_public if other.three_public is not None else self.three_public)


def _neighbours(code: str) -> set[str]:
    """Every code of digits as long as `code` within two edits of it (optimal string alignment):
    up to two substitutions or adjacent swaps, or a digit taken out and another put in."""
    digits = "0123456789"

    def once(text: str) -> set[str]:
        out = {text[:i] + d + text[i + 1:] for i in range(len(text)) for d in digits}
        out |= {text[:i] + text[i + 1] + text[i] + text[i + 2:] for i in range(len(text) - 1)}
        return out

    near = set()
    for first in once(code):
        near |= once(first)
    for i in range(len(code)):
        shorter = code[:i] + code[i + 1:]
        near |= {shorter[:j] + d + shorter[j:] for j in range(len(code)) for d in digits}
    return near


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


ALIAS_SEPARATOR = "；"


def read_csv(path: Path, label: str | None = None) -> tuple[Catalogue, list[Finding]]:
    """A catalogue from a CSV of `科目编码,科目名称[,分类][,其他名称]` (其他名称: the code's names
    in other editions, separated by ；); bad rows are file:line errors."""
    label = label or str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return Catalogue(), [error(label, None, f"科目表过大（{megabytes(path.stat().st_size)}，"
                                                    f"上限 {megabytes(MAX_BYTES)}）", "catalogue")]
        # Excel on a Chinese Windows saves CSV as GBK: read as the loader reads a YAML, but
        # without a warning — for a CSV it is the usual way to be saved
        text, _ = decode(path.read_bytes())
    except OSError as exc:
        return Catalogue(), [error(label, None, os_problem(exc, path, "科目表"), "catalogue")]
    except NotText as exc:
        return Catalogue(), [error(label, exc.line, exc.message.replace("文件", "科目表", 1), "catalogue")]
    findings: list[Finding] = []
    codes: dict[str, dict[str, Entry]] = {}
    first_line: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    for row in reader:
        line = reader.line_num
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in row]
        if header is None:
            header = cells
            missing = [k for k in ("科目编码", "科目名称") if k not in header]
            if missing:
                findings.append(error(label, line, f"科目表第一行应为列名“科目编码,科目名称”（可加“分类”“其他名称”），"
                                                   f"缺少“{'、'.join(missing)}”", "catalogue"))
                return Catalogue(), findings
            continue
        values = dict(zip(header, cells))
        code, name = values.get("科目编码", ""), values.get("科目名称", "")
        given = values.get("分类", "")
        classification = _ALIASES.get(given) if given else classification_of(code)
        if given and classification is None:
            findings.append(error(label, line, f"分类“{given}”无效，应为功能分类、部门经济分类或政府经济分类", "catalogue"))
            continue
        if not (code.isascii() and code.isdigit()):
            findings.append(error(label, line, f"科目编码“{code}”应为数字", "catalogue"))
            continue
        if classification is None:
            findings.append(error(label, line, f"无法判断科目 {code} 属于哪种分类（功能分类以 2 开头，部门经济分类以 3 开头，"
                                               f"政府经济分类以 5 开头），请加“分类”列", "catalogue"))
            continue
        if len(code) not in CLASSIFICATIONS[classification]:
            lengths = "、".join(str(n) for n in CLASSIFICATIONS[classification])
            findings.append(error(label, line, f"{classification}科目编码“{code}”应为 {lengths} 位", "catalogue"))
            continue
        if not name:
            findings.append(error(label, line, f"科目 {code} 缺少科目名称", "catalogue"))
            continue
        entries = codes.setdefault(classification, {})
        if code in entries and entries[code].name != name:
            findings.append(error(label, line, f"科目 {code} 重复且名称不同（第 {first_line[code]} 行为"
                                               f"“{entries[code].name}”）", "catalogue"))
            continue
        first_line.setdefault(code, line)
        others = tuple(dict.fromkeys(a.strip() for a in values.get("其他名称", "").split(ALIAS_SEPARATOR)
                                     if a.strip() and a.strip() != name))
        entries[code] = Entry(name, f"{label}:{line}", others)
    if header is None:
        findings.append(error(label, None, "科目表是空的", "catalogue"))
    return Catalogue(codes, (label,)), findings


@cache
def built_in() -> Catalogue:
    catalogue = Catalogue()
    for filename in ("function_codes.csv", "economic_codes.csv", "gov_economic_codes.csv"):
        part, findings = read_csv(catalogue_dir() / filename, BUILT_IN)
        assert not findings, findings           # the package's own lists are tested
        catalogue = catalogue.merged(part)
    entries = {k: {c: Entry(e.name, BUILT_IN, e.aliases) for c, e in v.items()} for k, v in catalogue.codes.items()}
    return Catalogue(entries, ())


def load(paths: list[Path], three_public: Path | None = None) -> tuple[Catalogue, list[Finding]]:
    """The built-in catalogue with each district list merged in, in order (later ones win), and
    the district's "三公" codes where it brings them."""
    catalogue, findings = built_in(), []
    for path in paths:
        part, found = read_csv(path)
        catalogue = catalogue.merged(part)
        findings += found
    if three_public is not None:
        codes, found = read_three_public(three_public)
        catalogue = Catalogue(catalogue.codes, catalogue.files + (str(three_public),), codes)
        findings += found
    return catalogue, findings


def read_three_public(path: Path) -> tuple[dict[str, tuple[str, ...]], list[Finding]]:
    """A district's 三公.yaml: each of the four items and the 经济分类 款 (5 digits) it is spent
    under, all four named (a region that leaves one out would silently stop checking it)."""
    file, known = str(path), three_public_codes()
    try:
        data, located = load_yaml(path, what="三公科目文件")
    except BuildFailed as failed:
        return {}, failed.findings
    if not isinstance(data, dict):
        return {}, [error(file, 1, f"三公科目文件应为键值映射（{'、'.join(known)} 各一行）", "catalogue")]
    findings, codes = [], {}
    for name, value in data.items():
        line = located.line_of((name,))
        if name not in known:
            findings.append(error(file, line, f"“{name}”不是“三公”经费的一项（应为：{'、'.join(known)}）", "catalogue"))
            continue
        items = value if isinstance(value, list) else [value]
        bad = [str(c) for c in items if not (isinstance(c, str) and c.isascii() and c.isdigit() and len(c) == 5
                                              and classification_of(c) == ECONOMIC)]
        if bad or not items:
            findings.append(error(file, line, f"{name}应列出部门经济分类的款（5 位编码，如 [\"30212\"]）"
                                              + (f"，“{bad[0]}”不是" if bad else ""), "catalogue"))
            continue
        codes[name] = tuple(items)
    missing = [name for name in known if name not in data]
    if missing and not findings:
        findings.append(error(file, None, f"三公科目文件缺少：{'、'.join(missing)}", "catalogue"))
    return codes, findings


@cache
def class_lists() -> dict[str, tuple[str, ...]]:
    """Ordered code lists a profile prints as fixed rows (a 收支总表's 类 list, 06表's 款 lists)."""
    with open(catalogue_dir() / "class_lists.yaml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {name: tuple(str(code) for code in codes) for name, codes in data.items()}


@cache
def expense_groups() -> dict[str, tuple[str, ...]]:
    """Which 经济分类 类/款 may carry 人员经费 and which 公用经费 (the 决算 06表 grouping)."""
    with open(catalogue_dir() / "expense_groups.yaml", encoding="utf-8") as handle:
        return {name: tuple(str(c) for c in codes) for name, codes in yaml.safe_load(handle).items()}


@dataclass(frozen=True)
class SourceInfo:
    fund: str | None        # 一般公共预算 / 政府性基金 / 国有资本经营, or None if not 财政拨款
    carryover: bool
    income: str             # income column it is shown in
    purchase: str           # funding column of a 政府采购预算 table (丰润)
    final_income: str = ""  # its income column in a 部门决算 (money that is not a 财政拨款)
    # the further income sub-totals its money also counts into (专项收入, 其他资金小计 …)
    subtotals: tuple[str, ...] = ()


@cache
def three_public_codes() -> dict[str, tuple[str, ...]]:
    """Each "三公" item (因公出国 …) and the 经济分类 款 it is spent under (templates/catalogue/three_public.yaml)."""
    with open(catalogue_dir() / "three_public.yaml", encoding="utf-8") as handle:
        return {name: tuple(codes) for name, codes in yaml.safe_load(handle).items()}


@cache
def sources() -> dict[str, SourceInfo]:
    with open(catalogue_dir() / "sources.yaml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {name: SourceInfo(**{**info, "subtotals": tuple(info.get("subtotals", ()))}) for name, info in data.items()}


# the 财政拨款 funds, in the order the tables print them: the sources' own funds
FUNDS = tuple(dict.fromkeys(info.fund for info in sources().values() if info.fund))
UNKNOWN_NAME = "（科目表中无此编码）"
