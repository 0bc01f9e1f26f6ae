"""Start a 部门决算 from the year's 部门预算 (`init --from 预算.yaml --kind 决算`): one kind made from
another, so this sits above both kinds (they never import each other).

The 决算 gets the budget's structure — its 功能分类 项 by fund, its 经济分类 款, one 项目自评 per
project with the project's 绩效目标 and indicators, the 整体自评 from the 整体绩效目标 — with
every figure of the year blank (the budget's figure beside it) and the 预算 linked as 预算文件, so
that the 年初预算数 columns and the "较年初预算数" sentences come from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

from .core.catalogue import sources
from .core.document import Document
from .core.numbers import UNITS, as_typed
from .core.rewrite import quoted
from .kinds import kind
from .profiles import available

# What the 决算 made from a 预算 does with each of the 预算's keys (a key stands for its whole
# section unless its fields are listed): carried to the 决算 key named, or left out for the reason
# given. tests/test_convert.py walks the 预算's schema against these two tables, so a key
# added to the 预算 later must be decided here.
CARRIED = {
    "部门": "部门", "部门简称": "部门简称", "部门编码": "部门编码", "年度": "年度", "方案": "方案",
    "金额单位": "金额单位", "舍入前单位": "舍入前单位", "科目表": "科目表",
    "说明.职能职责": "说明.职能职责", "说明.单位构成": "说明.单位构成", "说明.国有资产": "说明.国有资产",
    "说明.运行经费用途": "说明.用途.机关运行经费", "说明.联系人": "说明.联系方式", "说明.联系电话": "说明.联系方式",
    "功能分类支出.科目编码": "财政拨款.科目编码", "功能分类支出.资金来源": "财政拨款.资金",
    "功能分类支出.科目名称": "财政拨款.科目名称", "功能分类支出.款名称": "财政拨款.款名称",
    "功能分类支出.类名称": "财政拨款.类名称",
    "经济分类基本支出.科目编码": "经济分类基本支出.科目编码", "经济分类基本支出.科目名称": "经济分类基本支出.科目名称",
    "经济分类基本支出.类名称": "经济分类基本支出.类名称",
    "项目.项目名称": "项目自评.项目名称", "项目.项目编码": "项目自评.项目编码", "项目.科目编码": "项目自评.科目编码",
    "项目.科目名称": "财政拨款.科目名称", "项目.款名称": "财政拨款.款名称", "项目.类名称": "财政拨款.类名称",
    "项目.绩效目标": "项目自评.年初绩效目标",
    "项目.绩效指标.三级指标": "项目自评.指标.指标名称", "项目.绩效指标.度量单位": "项目自评.指标.计量单位",
    "项目.绩效指标.指标性质": "项目自评.指标.指标性质", "项目.绩效指标.指标值": "项目自评.指标.指标值",
    "项目.绩效指标.权重": "项目自评.指标.指标权重", "项目.绩效指标.是否核心指标": "项目自评.指标.是否核心指标",
    "整体绩效目标.目标": "整体自评.年初绩效目标", "整体绩效目标.指标.指标名称": "整体自评.指标.指标名称",
    "整体绩效目标.指标.计量单位": "整体自评.指标.计量单位", "整体绩效目标.指标.指标性质": "整体自评.指标.指标性质",
    "整体绩效目标.指标.指标值": "整体自评.指标.指标值", "整体绩效目标.指标.指标权重": "整体自评.指标.指标权重",
    "整体绩效目标.指标.是否核心指标": "整体自评.指标.是否核心指标",
}
LEFT_OUT = {
    "类型": "the 决算 is 类型: 决算",
    "上年文件": "last year's 预算; a 决算 links last year's 决算",
    "部分数据": "a 决算 made from a 预算 is a whole year",
    "核对数": "the 预算's published figures, not the 决算's",
    "已公布数": "the 预算's published figures, not the 决算's",
    "说明.增减原因": "reasons for the 预算's changes; the 决算 gives its own (增减原因, 较预算原因)",
    "说明.基本支出用途": "the 决算说明 has no such sentence",
    "说明.项目支出用途": "the 决算说明 has no such sentence",
    "功能分类支出.基本支出": "a figure of the 预算: beside the blank as 年初预算",
    "功能分类支出.项目支出": "a figure of the 预算: beside the blank as 年初预算",
    "功能分类支出.经营支出": "a figure of the 预算",
    "功能分类支出.上解上级支出": "a figure of the 预算",
    "功能分类支出.对附属单位补助支出": "a figure of the 预算",
    "功能分类支出.支出类别": "figures of the 预算's further spending categories; a 决算 has none yet",
    "功能分类支出.项目未全部列出": "says the 预算's project list is partial; the 决算 lists its own 项目自评",
    "经济分类基本支出.人员经费": "a figure of the 预算: beside the blank as 年初预算",
    "经济分类基本支出.公用经费": "a figure of the 预算: beside the blank as 年初预算",
    "三公经费": "figures of the 预算: beside the blanks as 年初预算",
    "政府采购": "planned purchases; the 决算 types the year's totals by kind",
    "项目.预算单位": "the 决算's 自评表 print no unit",
    "项目.预算单位编码": "the 决算's 自评表 print no unit",
    "项目.资金来源": "the 项目自评's figures are its 财政拨款",
    "项目.金额": "a figure of the 预算: beside the blank 全年预算数 as 年初预算",
    "项目.补助镇街": "a figure of the 预算",
    "项目.资金总额": "a figure of the 预算",
    "项目.重点项目": "the 决算 has one kind of 项目自评表",
    "项目.项目属性": "the 自评表 prints no 项目属性",
    "项目.起始时间": "the 自评表 prints no period",
    "项目.终止时间": "the 自评表 prints no period",
    "项目.项目概况": "the 自评表 prints no 项目概况",
    "项目.立项依据": "the 自评表 prints no 立项依据",
    "项目.绩效指标.一级指标": "the 自评表's indicators have no levels",
    "项目.绩效指标.二级指标": "the 自评表's indicators have no levels",
    "项目.绩效指标.绩效指标描述": "the 自评表 prints no description",
    "项目.绩效指标.指标值确定依据": "the 自评表 prints no basis",
    "上年": "last year's figures of the 预算",
    "经济分类项目支出": "figures of the 预算",
    "政府经济分类基本支出": "figures of the 预算",
    "政府经济分类项目支出": "figures of the 预算",
    "固定资产": "figures of the 预算",
    "机关运行经费": "a figure of the 预算",
}


def _was(value: Decimal | None, one_named: bool = False, **parts: Decimal | None) -> str:
    """The 年初预算 beside a blank: one figure, or each part's where a line has two (or where the
    line's keys are not the budget's, `one_named`)."""
    given = {key: v for key, v in parts.items() if v}
    if len(given) > 1 or (given and one_named):
        return "  # 年初预算 " + "、".join(f"{key} {as_typed(v)}" for key, v in given.items())
    return f"  # 年初预算 {as_typed(value)}" if value else ""


def _block(key: str, text: str, indent: str) -> list[str]:
    if "\n" in text.strip():
        return [f"{indent}{key}: |"] + [f"{indent}  {line}".rstrip() for line in text.strip().split("\n")]
    return [f"{indent}{key}: {quoted(text)}"]


def final_from_budget(document: Document, out_path: Path) -> str:
    """A 决算 YAML from its year's 预算: structure kept, figures blank, the 预算 linked."""
    budget, text = document.model, document.located.text
    first = text.split("\n", 1)[0]
    modeline = first.replace(document.kind.schema_file, kind("决算").schema_file) \
        if first.startswith("# yaml-language-server") else ""
    profile = f"{budget.profile}决算" if budget.profile and f"{budget.profile}决算" in available(out_path) else None
    link = os.path.relpath(document.path.resolve(), out_path.resolve().parent)
    lines = [modeline] if modeline else []
    lines += [f"# {budget.name} {budget.year} 年度部门决算 — 由部门预算 {document.path.name} 生成（budget-builder init）：",
              "# 科目、项目、绩效目标和指标取自预算；本年各项决算数留空（行末注明年初预算数），须逐项填写。",
              "类型: 决算", f"部门: {quoted(budget.name)}"]
    if budget.short_name:
        lines.append(f"部门简称: {quoted(budget.short_name)}")
    if budget.code:
        lines.append(f"部门编码: {quoted(budget.code)}")
    lines.append(f"年度: {budget.year}")
    if profile:
        lines.append(f"方案: {profile}")
    unit = f"金额单位: {budget.unit}" + ("    # 与预算相同；决算表多以元公开，可改为 元（行末的年初预算数仍以万元注明）"
                                          if budget.unit != "元" else "")
    lines.append(unit)
    if budget.rounded_from:
        lines.append(f"舍入前单位: {budget.rounded_from}")
    if budget.catalogue_files:
        # the district's code lists the 预算 resolved its codes with, found from the new file's folder
        rebased = [quoted(os.path.relpath((document.path.parent / f).resolve(), out_path.resolve().parent))
                   for f in budget.catalogue_files]
        lines.append(f"科目表: {rebased[0]}" if len(rebased) == 1 else f"科目表: [{', '.join(rebased)}]")
    lines += [f"预算文件: {quoted(link)}", "", "说明:"]
    notes = budget.notes
    for key, value in (("职能职责", notes.duties), ("单位构成", notes.structure)):
        if value:
            lines += _block(key, value, "  ")
    lines += ["  增减原因: {}    # 与上年相比有增减的，逐项写明主要原因", "  较预算原因: {}  # 与年初预算相比有增减的，逐项写明主要原因"]
    if notes.running_use:
        lines += ["  用途:", f"    机关运行经费: {quoted(notes.running_use)}  # 取自预算，请按决算核实"]
    else:
        lines.append("  用途: {}")
    if notes.assets:
        lines.append(f"  国有资产: {quoted(notes.assets)}  # 待更新：取自预算，请改为年末的情况")
    contact = "，".join(v for v in (notes.contact, notes.phone) if v)
    if contact:
        lines.append(f"  联系方式: {quoted(contact)}")
    lines.append("")

    projects_by_code: dict[str, list] = {}
    for project in budget.projects:
        if project.function_code:
            projects_by_code.setdefault(project.function_code, []).append(project)
    # the names the 预算 gives a 科目 (on its lines or its projects), for codes no catalogue has
    named: dict[str, dict[str, str]] = {}
    for code, names in ([(l.code, (l.name, l.group_name, l.class_name)) for l in budget.functions]
                        + [(p.function_code, (p.function_name, p.group_name, p.class_name))
                           for p in budget.projects if p.function_code]):
        for key, value in zip(("科目名称", "款名称", "类名称"), names):
            if value:
                named.setdefault(code, {}).setdefault(key, value)
    _names = lambda code, indent: [f"{indent}{key}: {quoted(value)}" for key, value in named.get(code, {}).items()]
    # one 决算 line per 科目 and fund (per 科目 outside the 财政拨款): a budget may give one 项 this
    # year's money and last year's carry-over of the same fund on two lines
    fiscal: dict[tuple[str, str], list] = {}
    other: dict[str, list] = {}
    for line in budget.functions:
        info = sources()[line.source.value]
        if info.fund:
            fiscal.setdefault((line.code, info.fund), []).append((line, info))
        else:
            other.setdefault(line.code, []).append((line, info))
    codes = {code for code, fund in fiscal}
    lines.append("财政拨款:")
    for (code, fund), group in fiscal.items():
        basic = sum((line.basic for line, _ in group), Decimal(0))
        project = sum((line.project or Decimal(0) for line, _ in group), Decimal(0))
        has_projects = code in projects_by_code or any(line.project is not None for line, _ in group)
        parts = ["基本支出: "] if basic else []
        parts += ["项目支出: "] if has_projects else []
        lines.append(f"  - 科目编码: {quoted(code)}{_was(basic + project, 基本支出=basic, 项目支出=project or None)}")
        lines += _names(code, "    ")
        if fund != "一般公共预算":
            lines.append(f"    资金: {fund}")
        if any(info.carryover for _, info in group):
            lines.append("    年初结转和结余: {基本支出结转: , 项目支出结转: }")
        lines.append(f"    本年收入: {{{', '.join(parts) or '基本支出: '}}}")
        spent = [p for p in parts if not p.startswith("项目支出")]   # 项目支出 comes from the 项目自评
        if spent or not parts:
            lines.append(f"    本年支出: {{{', '.join(spent) or '基本支出: '}}}")
    for code, projects in projects_by_code.items():
        if code not in codes:
            total = sum((p.split.total for p in projects if p.split is not None), Decimal(0))
            lines += [f"  - 科目编码: {quoted(code)}{_was(total)}", *_names(code, "    "), "    本年收入: {项目支出: }"]
    if other:
        lines += ["", "非财政拨款:"]
        for code, group in other.items():
            columns = dict.fromkeys(info.final_income for _, info in group)
            basic = sum((line.basic for line, _ in group), Decimal(0))
            lines += [f"  - 科目编码: {quoted(code)}{_was(basic)}", *_names(code, "    "),
                      f"    收入: {{{', '.join(f'{column}: ' for column in columns)}}}", "    支出: {基本支出: }"]
    if budget.economics:
        lines += ["", "经济分类基本支出:"]
        for line in budget.economics:
            parts = [f"{key}: " for key, value in (("人员经费", line.personnel), ("公用经费", line.public)) if value]
            parts += [f"{key}: {quoted(value)}" for key, value in (("科目名称", line.name), ("类名称", line.class_name)) if value]
            lines.append(f"  - {{科目编码: {quoted(line.code)}, {', '.join(parts) or '公用经费: '}}}"
                         f"{_was(line.personnel + line.public, 人员经费=line.personnel, 公用经费=line.public)}")
    tp = budget.three_public
    # the "三公" may be typed in their own unit; the comments speak the file's
    scale = lambda v: None if v is None else v * UNITS[tp.unit or budget.unit] / UNITS[budget.unit]
    lines += ["", "机构运行信息:",
              "  三公经费: {因公出国: , 公务用车购置: , 公务用车运行维护: , 国内接待: , 其中外事接待: , 国境外接待: }"
              + _was(None, 因公出国=scale(tp.abroad), 公务用车购置=scale(tp.car_purchase),
                     公务用车运行维护=scale(tp.car_running), 公务接待=scale(tp.reception), one_named=True),
              "  三公实物量: {因公出国团组数: , 因公出国人次: , 公务用车购置数: , 公务用车保有量: , 国内接待批次: , "
              "其中外事接待批次: , 国内接待人次: , 其中外事接待人次: , 国境外接待批次: , 国境外接待人次: }",
              f"  会议费: {_was(scale(tp.meetings))}", f"  培训费: {_was(scale(tp.training))}", "  差旅费: ",
              "  机关运行经费: {行政单位: , 参照公务员法管理事业单位: }",
              "  车辆: {}            # 副部级及以上领导用车、主要领导干部用车、机要通信用车、应急保障用车 … 各几辆",
              "  政府采购: {货物: , 工程: , 服务: , 授予中小企业: , 其中授予小微企业: }"]
    perf = budget.performance
    lines += ["", "整体自评:", f"  项目名称: {quoted((budget.short_name or budget.name) + '整体自评')}"]
    lines += [f"  {key}: {quoted(value)}" for key, value in (("联系人", notes.contact), ("联系电话", notes.phone)) if value]
    lines.append("  全年预算数:            # 全年（调整）预算数")
    if perf.goal:
        lines += _block("年初绩效目标", perf.goal, "  ")
    lines += ["  完成情况: \"\"", "  指标:" if perf.indicators else "  指标: []"]
    for x in perf.indicators:
        lines.append("    - " + _indicator(x.name, x.unit, x.nature, x.value, x.weight, x.core))
    if budget.projects:
        lines += ["", "项目自评:"]
    for p in budget.projects:
        lines.append(f"  - 项目名称: {quoted(p.name)}")
        if p.code:
            lines.append(f"    项目编码: {quoted(p.code)}")
        if p.function_code:
            lines.append(f"    科目编码: {quoted(p.function_code)}")
        lines += [f"    全年预算数:   # 全年（调整）预算数{_was(p.split.total if p.split else None).replace('  #', '；')}",
                  "    全年执行数: "]
        if p.goal:
            lines += _block("年初绩效目标", p.goal, "    ")
        lines.append("    完成情况: \"\"")
        if p.indicators:
            lines.append("    指标:")
            for x in p.indicators:
                lines.append("      - " + _indicator(x.level3, x.unit, x.nature, x.value, x.weight, x.core))
    return "\n".join(lines) + "\n"


def _indicator(name: str, unit: str, nature: str, value: str, weight: Decimal | None, core: str) -> str:
    parts = [f"指标名称: {quoted(name)}"]
    parts += [f"计量单位: {quoted(unit)}"] if unit else []
    parts += [f"指标性质: {quoted(nature)}"] if nature else []
    parts += [f"指标值: {quoted(value)}", "全年完成值: \"\""]
    parts += [f"指标权重: {as_typed(weight)}"] if weight is not None else []
    parts += [f"是否核心指标: {quoted(core)}"] if core else []
    return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class Conversion:
    make: Callable[[Document, Path], str]       # (the older document, the new file's path) → its YAML
    suffix: str                                 # the new file is <stem><suffix>.yaml unless named
    done: str                                   # what the CLI tells the clerk


# which kind can be started from which: (from, to) → how; the CLI offers what is here
CONVERSIONS = {("预算", "决算"): Conversion(final_from_budget, "-juesuan",
                                          "科目、项目和绩效指标取自预算，决算数均为空，请逐项填写后运行 check")}
