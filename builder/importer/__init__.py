"""Import: a region's published tables (a workbook or a PDF with a text layer) read back into a
department YAML, through the profile that lays those tables out.

The stages: `source` turns sheets or pages into rows of slots; `read` finds each of the
profile's tables by its title and header words and reads its cells; the document kind's
assembler (`budget`, `accounts`) turns them into the YAML's leaf figures, with every printed
total under 核对数; `emit` writes the YAML text. Nothing here computes a total or checks a rule:
`check` on the written YAML does that, with the core's one compute stage.

Entry points of the core used here (for the package's restructuring): kinds.load_profile,
kinds.kind (a kind's Measures), core.catalogue (built_in, load, sources, FUNDS), a profile's code lists,
core.findings, core.numbers.UNITS, core.facts (MONEY, Row), tables.profile (the profile model,
parse_cell, form_cell, PLACEHOLDER), tables.model (Cell, place), tables.build (spec_label, fill).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import BuildFailed, Finding, error, has_errors, warning

SUFFIXES = {".xlsx": "workbook", ".xlsm": "workbook", ".pdf": "pdf"}


@dataclass
class Imported:
    text: str | None                    # the YAML, or None when nothing sound was read
    findings: list[Finding] = field(default_factory=list)
    tables: int = 0                     # table instances read
    seconds: float = 0.0


def import_file(path: Path, profile_name: str, catalogue_files: tuple[Path, ...] = (),
                near: Path | None = None) -> Imported:
    """Read a published document and return its department YAML text with what was noticed.
    The profile and code lists are the district's of `near` (where the YAML will be written;
    the document itself by default), as a build of that YAML would find them."""
    from ..core import catalogue as catalogues
    from ..core import district
    from ..kinds import kind
    from ..profiles import load_profile
    from . import accounts, budget, emit
    from .figures import Collector, context_values
    from .read import read_tables
    from .source import read_pdf, read_workbook

    started = time.perf_counter()
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise BuildFailed([error(file, None, f"只能导入 Excel 工作簿（.xlsx）或带文字层的 PDF（.pdf），"
                                             f"不能导入“{path.suffix or path.name}”文件", "import")])
    if not path.is_file():
        raise BuildFailed([error(file, None, "是文件夹，应为文件" if path.is_dir() else "找不到文件", "import")])
    found_district = district.find(near or path)
    profile = load_profile(profile_name, near or path)
    catalogue, found_problems = catalogues.load([*district.code_files(found_district), *catalogue_files],
                                                district.three_public_file(found_district))
    if found_problems:
        raise BuildFailed(found_problems)
    sheets = read_pdf(path) if SUFFIXES[suffix] == "pdf" else read_workbook(path)
    found, findings = read_tables(sheets, profile, file)
    collector = Collector(profile, file, profile.unit, findings=list(findings))
    if not found:
        collector.findings.append(error(file, None, f"没有找到方案“{profile.name}”的任何一张表（按表的标题查找；"
                                                     f"请确认方案是否选对，或文件是否为这套公开表）", "import"))
        return Imported(None, collector.findings, 0, time.perf_counter() - started)
    _missing_tables(profile, found, collector)
    context = context_values(found, collector)
    measures = kind(profile.kind).measures
    assembler = budget if profile.kind == "预算" else accounts
    if assembler is accounts:
        for key, value in accounts.head_of(found).items():
            context.setdefault(key, value)
    body = assembler.assemble(found, collector, measures, catalogue, context)
    head = _head(profile, context, collector, file)
    data = {**head, **body}
    if collector.stated:
        data["核对数"] = [_stated(code, column, amount, where)
                        for (code, column), seen in collector.stated.items() for amount, where in seen]
    for where, what in collector.unplaced:
        collector.findings.append(warning(file, None, f"{where}：{what}，未导入", "import"))
    header = [f"由 {path.name} 导入（方案 {profile.name}，{'工作簿' if SUFFIXES[suffix] == 'workbook' else 'PDF'}，"
              f"{len(found)} 张表）：python -m builder import",
              "每个数字只写在最明细的一级；表中印出的合计数和小计数都列在“核对数”中，check 逐个核对。",
              "表格中没有的文字（职能职责、情况说明的原因和用途 …）需要补写。"]
    if collector.unplaced:
        header.append(f"未能归入本文件的数字（{len(collector.unplaced)} 个）：")
        header += [f"  {where}：{what}" for where, what in collector.unplaced]
    text = emit.document(data, header)
    return Imported(text, collector.findings, len(found), time.perf_counter() - started)


def _stated(code: str, column: str, amount, where: str) -> dict:
    item: dict = {}
    if code:
        item["科目编码"] = code
    item["栏目"] = column
    item["金额"] = amount
    item["出处"] = where
    return item


def _head(profile, context: dict[str, str], collector, file: str) -> dict:
    head: dict = {}
    if profile.kind == "决算":
        head["类型"] = "决算"
    name = context.get("部门")
    if not name:
        collector.findings.append(error(file, None, "表中没有印出部门全称，无法写出“部门”：请在导入后的文件中填写",
                                        "import"))
        name = "（待填写）"
    head["部门"] = name
    if context.get("部门简称"):
        head["部门简称"] = context["部门简称"]
    if context.get("部门编码"):
        head["部门编码"] = context["部门编码"]
    year = context.get("年度") or (str(int(context["上年"]) + 1) if context.get("上年", "").isdigit() else "")
    if not year:
        collector.findings.append(error(file, None, "表中没有印出年度，无法写出“年度”：请在导入后的文件中填写", "import"))
        year = "2000"
    head["年度"] = int(year)
    head["方案"] = profile.name
    head["金额单位"] = profile.unit
    return head


def _missing_tables(profile, found, collector) -> None:
    from ..publication.build import spec_label
    from .read import shown_title
    seen = {f.n for f in found}
    for n, spec in enumerate(profile.tables, start=1):
        if n not in seen:
            collector.note(f"没有找到{spec_label(profile, n)}“{shown_title(spec)}”（按标题查找），这张表的数字未导入")


__all__ = ["Imported", "import_file", "has_errors"]
