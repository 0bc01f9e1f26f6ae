"""Derive every figure the tables print from what the clerk typed.

This is the only module that adds money. It turns a `Department` into `Facts`: named row sets
(功能分类 类/款/项 with every measure a table may show, 经济分类, "三公", 政府采购, 项目 …) and
named scalars (income by source, totals). Sums are exact, in the unit the YAML was typed in;
conversion and rounding to the display unit happen once, in `tables`. Nothing here knows which
table shows what: profiles pick rows and columns by name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..core import catalogue
from ..core.catalogue import FUNDS
from .model import ClassifiedAmount, Department, Project

ZERO = Decimal(0)
UNKNOWN_NAME = "（科目表中无此编码）"

PROJECT_COLUMNS = {
    "人员性项目": "personnel", "一般性项目": "general", "民生配套项目": "livelihood",
    "提前下达专项": "advance", "结转项目": "carryover", "市级专项": "municipal",
}
THREE_PUBLIC_PARTS = {
    "因公出国": "abroad", "公务用车购置": "car_purchase",
    "公务用车运行维护": "car_running", "公务接待": "reception",
}
PURCHASE_ROWS = (("货物", "货物类"), ("工程", "工程类"), ("服务", "服务类"))
# Expenditure kinds of a 功能分类 line, by the measure name the tables use.
LINE_KINDS = {"基本支出": "basic", "经营支出": "business", "上解上级支出": "to_higher",
              "对附属单位补助支出": "to_subsidiary"}


@dataclass
class Row:
    """One row of a row set: text and amount fields by name, and its place in the hierarchy."""
    fields: dict[str, object]
    level: str                      # 合计 / 类 / 款 / 项 / 明细
    parent: int | None = None       # index of the row it adds up into, if any

    def amount(self, key: str) -> Decimal:
        value = self.fields.get(key, ZERO)
        return value if isinstance(value, Decimal) else ZERO


@dataclass
class Facts:
    dept: Department
    previous: Department | None = None
    rowsets: dict[str, list[Row]] = field(default_factory=dict)
    scalars: dict[str, Decimal] = field(default_factory=dict)
    _previous_facts: "Facts | None" = field(default=None, init=False, repr=False)

    def scalar(self, key: str) -> Decimal:
        return self.scalars.get(key, ZERO)

    def previous_facts(self) -> "Facts | None":
        """Last year's own figures (computed once), when its file is linked."""
        if self.previous is not None and self._previous_facts is None:
            self._previous_facts = compute(self.previous)
        return self._previous_facts


def function_name(code: str, override: str | None = None) -> str:
    return override or catalogue.function_names().get(code, UNKNOWN_NAME)


def economic_name(code: str, override: str | None = None) -> str:
    names = catalogue.gov_economic_names() if code.startswith("5") else catalogue.economic_names()
    return override or names.get(code, UNKNOWN_NAME)


def percent_change(now: Decimal, before: Decimal) -> Decimal | None:
    """增幅% as published: whole percent, half up; 100% where there was nothing before."""
    if not before:
        return Decimal(100) if now else None
    return ((now - before) * 100 / before).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _add(measures: dict[str, Decimal], source: str, kind: str, amount: Decimal) -> None:
    """Book one amount of one expenditure kind from one source under every measure it feeds."""
    info = catalogue.sources()[source]
    for prefix in ("",) + ((info.fund + ".", "财政拨款.") if info.fund else ()):
        measures[f"{prefix}合计"] += amount
        measures[f"{prefix}{kind}"] += amount
    measures[f"收入.{info.income}"] += amount
    measures["收入.总计"] += amount
    if not info.carryover:
        measures["收入.本年合计"] += amount
        if info.fund:
            measures["收入.财政拨款收入"] += amount


def projects_with_amounts(dept: Department) -> list[Project]:
    return [p for p in dept.projects if p.split is not None]


def previous_lines(dept: Department, previous: Department | None) -> list[tuple[str, Decimal]]:
    """上年 figures per 项 (一般公共预算财政拨款, 基本 + 项目), in this year's unit: from the
    previous year's own file when one is linked, else from the inline 上年 block."""
    if previous is None:
        return [(line.code, line.amount) for line in dept.previous.functions]
    factor = unit_factor(previous.unit, dept.unit)
    rows = _function_rows(previous, None)
    return [(r.fields["科目编码"], r.amount("一般公共预算.合计") * factor)
            for r in rows if r.level == "项" and r.amount("一般公共预算.合计")]


def previous_three_public(dept: Department, previous: Department | None):
    if previous is None:
        return dept.previous.three_public
    factor = unit_factor(previous.unit, dept.unit)
    tp = previous.three_public
    return tp.model_copy(update={name: getattr(tp, name) * factor for name in type(tp).model_fields
                                 if getattr(tp, name) is not None})


def unit_factor(source: str, target: str) -> Decimal:
    return {("元", "万元"): Decimal("0.0001"), ("万元", "元"): Decimal(10000)}.get((source, target), Decimal(1))


def _function_rows(dept: Department, previous: Department | None = None) -> list[Row]:
    leaves: dict[str, defaultdict] = defaultdict(lambda: defaultdict(Decimal))
    names: dict[str, str] = {}
    for line in dept.functions:
        for kind, attr in LINE_KINDS.items():
            _add(leaves[line.code], line.source.value, kind, getattr(line, attr))
        if line.project is not None:
            _add(leaves[line.code], line.source.value, "项目支出", line.project)
        if line.name:
            names[line.code] = line.name
    typed = {line.code for line in dept.functions if line.project is not None}
    for project in projects_with_amounts(dept):
        # where a 项's 项目支出 is typed on its line, that typed total stands (the listed
        # projects may be only part of it); otherwise the projects make it up
        if project.function_code not in typed:
            _add(leaves[project.function_code], project.source.value, "项目支出", project.split.total)
    for code, amount in previous_lines(dept, previous):
        leaves[code]["上年"] += amount

    measures: dict[str, defaultdict] = defaultdict(lambda: defaultdict(Decimal))
    total: defaultdict = defaultdict(Decimal)
    for code, leaf in leaves.items():
        for target in (measures[code], measures[code[:5]], measures[code[:3]], total):
            for key, value in leaf.items():
                target[key] += value

    rows = [Row({"科目编码": "", "科目名称": "合计", **total}, "合计")]
    index: dict[str, int] = {}
    for code in sorted(measures):
        level = {3: "类", 5: "款", 7: "项"}[len(code)]
        parent = {3: 0, 5: index.get(code[:3]), 7: index.get(code[:5])}[len(code)]
        index[code] = len(rows)
        rows.append(Row({"科目编码": code, "科目名称": function_name(code, names.get(code)),
                         **measures[code]}, level, parent))
    for row in rows:
        row.fields["增幅"] = percent_change(row.amount("一般公共预算.合计"), row.amount("上年"))
    return rows


def _hierarchy(lines: list[tuple[str, str | None, dict[str, Decimal]]], keys: tuple[str, ...]) -> list[Row]:
    """合计, then 类 (3-digit) and 款 rows of an economic classification, each 类 summing its 款."""
    by_class: dict[str, list] = defaultdict(list)
    for code, name, values in lines:
        by_class[code[:3]].append((code, name, values))
    rows = [Row({"科目编码": "", "科目名称": "合计", **{k: ZERO for k in keys}}, "合计")]
    for cls in sorted(by_class):
        class_row = Row({"科目编码": cls, "科目名称": economic_name(cls), **{k: ZERO for k in keys}}, "类", 0)
        class_index = len(rows)
        rows.append(class_row)
        for code, name, values in sorted(by_class[cls], key=lambda item: item[0]):
            rows.append(Row({"科目编码": code, "科目名称": economic_name(code, name), **values}, "款", class_index))
            for key in keys:
                class_row.fields[key] += values[key]
                rows[0].fields[key] += values[key]
    return rows


def _economic_rows(dept: Department) -> list[Row]:
    lines = [(l.code, l.name, {"人员经费": l.personnel, "公用经费": l.public,
                               "合计": l.personnel + l.public}) for l in dept.economics]
    return _hierarchy(lines, ("合计", "人员经费", "公用经费"))


def _classified_rows(items: tuple[ClassifiedAmount, ...]) -> list[Row]:
    return _hierarchy([(i.code, i.name, {"合计": i.amount}) for i in items], ("合计",))


def _three_public_values(prefix: str, tp) -> dict[str, Decimal]:
    parts = {name: getattr(tp, attr) for name, attr in THREE_PUBLIC_PARTS.items()}
    values = {f"{prefix}.{name}": amount for name, amount in parts.items()}
    values[f"{prefix}.公务用车小计"] = parts["公务用车购置"] + parts["公务用车运行维护"]
    values[f"{prefix}.总计"] = sum(parts.values(), ZERO)
    values[f"{prefix}.教学科研人员因公出国"] = tp.abroad_academic
    values[f"{prefix}.其他因公出国"] = tp.abroad - tp.abroad_academic
    values[f"{prefix}.会议费"] = tp.meetings or ZERO
    values[f"{prefix}.培训费"] = tp.training or ZERO
    values[f"{prefix}.含会议培训合计"] = values[f"{prefix}.总计"] + values[f"{prefix}.会议费"] + values[f"{prefix}.培训费"]
    return values


def _three_public_rows(dept: Department, previous: Department | None) -> list[Row]:
    values = {**_three_public_values("本年", dept.three_public),
              **_three_public_values("上年", previous_three_public(dept, previous))}
    return [Row({"部门编码": "", "部门名称": "合计", **values}, "合计"),
            Row({"部门编码": dept.code, "部门名称": dept.name, **values}, "明细", 0)]


def _purchase_rows(dept: Department) -> list[Row]:
    rows = [Row({"项目": "合计", "总计": ZERO}, "合计")]
    for category, label in PURCHASE_ROWS:
        fields: dict[str, object] = {"项目": label, "总计": ZERO}
        for item in dept.purchases:
            if item.category == category:
                for key in _purchase_keys(item):
                    fields[key] = fields.get(key, ZERO) + item.amount
        rows.append(Row(fields, "类", 0))
    for row in rows[1:]:
        for key, value in row.fields.items():
            if isinstance(value, Decimal):
                rows[0].fields[key] = rows[0].amount(key) + value
    return rows


def _purchase_keys(item) -> tuple[str, ...]:
    info = catalogue.sources()[item.source.value]
    return ("总计", f"收入.{info.income}", f"采购.{info.purchase}")


def _purchase_items(dept: Department) -> list[Row]:
    """One row per purchase (渝北 by 部门/单位, 丰润 with 目录序号, 数量, 单价)."""
    rows = [Row({"项目名称": "合计", "合计": ZERO}, "合计")]
    for item in dept.purchases:
        fields: dict[str, object] = {
            "部门代码": dept.code, "部门名称": dept.name, "单位代码": item.unit_code,
            "单位名称": item.unit_name or dept.name, "采购项目名称": item.name, "项目名称": item.project,
            "目录序号": item.catalogue_no, "计量单位": item.measure, "数量": item.quantity,
            "单价": item.unit_price, "中小企业份额": item.sme_share, "合计": item.amount,
            "资金来源": item.source.value,
            f"{item.category}类": item.amount}
        for key in _purchase_keys(item)[1:]:
            fields[key] = item.amount
        rows.append(Row(fields, "明细", 0))
        for key, value in fields.items():
            if isinstance(value, Decimal) and key not in ("单价",):
                rows[0].fields[key] = rows[0].amount(key) + value
    return rows


def _project_rows(dept: Department) -> list[Row]:
    total: defaultdict = defaultdict(Decimal)
    rows = [Row({"项目名称": "合计", "预算单位": "", "科目编码": "", "科目名称": "", "序号": ""},
                "合计")]
    for number, project in enumerate(dept.projects, start=1):
        values: dict[str, Decimal] = {}
        if project.split is not None:
            split = project.split
            values = {column: getattr(split, attr) for column, attr in PROJECT_COLUMNS.items()}
            values.update({"合计": split.total, "年初特定目标小计": split.annual,
                           "上级专项小计": split.higher,
                           "补助镇街": project.grant_to_towns,
                           "区级支出": split.total - project.grant_to_towns})
        for key, value in values.items():
            total[key] += value
        rows.append(Row({"序号": str(number), "预算单位": project.unit or dept.name,
                         "科目编码": project.function_code,
                         "科目名称": function_name(project.function_code),
                         "项目编码": project.code, "项目名称": project.name, **values},
                        "明细", 0))
    rows[0].fields.update(total)
    return rows


def _fixed_asset_rows(dept: Department) -> list[Row]:
    assets = dept.fixed_assets
    return [Row({"项目": "固定资产（原值）", "数量": assets.count if assets else "",
                 "原值": assets.value if assets else None}, "明细")]


def _scalars(functions: list[Row]) -> dict[str, Decimal]:
    total = functions[0]
    scalars = {f"支出.{key}": value for key, value in total.fields.items()
               if isinstance(value, Decimal)}
    # Income equals expenditure source by source: a budget is balanced by construction, so
    # the income side of every summary table is read off the expenditure's sources.
    scalars.update({key: value for key, value in total.fields.items()
                    if key.startswith("收入.") and isinstance(value, Decimal)})
    fiscal_this_year = ZERO
    fiscal_carry = ZERO
    for fund in FUNDS:
        this_year = total.amount(f"收入.{_income_column(fund)}")
        fund_total = total.amount(f"{fund}.合计")
        scalars[f"财政拨款收入.{fund}"] = this_year
        scalars[f"财政拨款结转.{fund}"] = fund_total - this_year
        fiscal_this_year += this_year
        fiscal_carry += fund_total - this_year
    scalars["财政拨款收入.本年合计"] = fiscal_this_year
    scalars["财政拨款结转.合计"] = fiscal_carry
    scalars["财政拨款收入.总计"] = fiscal_this_year + fiscal_carry
    return scalars


def _income_column(fund: str) -> str:
    return next(info.income for info in catalogue.sources().values()
                if info.fund == fund and not info.carryover)


def compute(dept: Department, previous: Department | None = None) -> Facts:
    """All figures of one department year; `previous` is last year's department, if linked."""
    functions = _function_rows(dept, previous)
    facts = Facts(dept=dept, previous=previous)
    facts.rowsets = {
        "功能分类": functions,
        "经济分类基本支出": _economic_rows(dept),
        "三公经费": _three_public_rows(dept, previous),
        "政府采购": _purchase_rows(dept),
        "政府采购明细": _purchase_items(dept),
        "项目支出": _project_rows(dept),
        "固定资产": _fixed_asset_rows(dept),
    }
    for name, items in (("经济分类项目支出", dept.economics_project),
                        ("政府经济分类基本支出", dept.gov_economics_basic),
                        ("政府经济分类项目支出", dept.gov_economics_project)):
        if items is not None:
            facts.rowsets[name] = _classified_rows(items)
    facts.scalars = _scalars(functions)
    for rowset, prefix in (("三公经费", ""), ("政府采购", "政府采购."),
                           ("经济分类基本支出", "经济分类."), ("项目支出", "项目支出.")):
        facts.scalars.update({prefix + k: v for k, v in facts.rowsets[rowset][0].fields.items()
                              if isinstance(v, Decimal)})
    return facts
