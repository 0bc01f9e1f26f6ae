"""Derive every figure the tables print from what the clerk typed.

This is the only module that adds money. It turns a `Department` into `Facts`: named row sets
(功能分类 类/款/项 with every measure a table may show, 经济分类, "三公", 政府采购, 项目) and
named scalars (income by source, totals). Sums are exact, in the unit the YAML was typed in;
conversion and rounding to the display unit happen once, in `tables`. Nothing here knows which
table shows what: profiles pick rows and columns by name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from . import catalogue
from .catalogue import FUNDS
from .model import Department, Project

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
    rowsets: dict[str, list[Row]] = field(default_factory=dict)
    scalars: dict[str, Decimal] = field(default_factory=dict)
    # Project records for per-project forms, in 项目编码 order and in YAML order.
    projects: tuple[Project, ...] = ()

    def scalar(self, key: str) -> Decimal:
        return self.scalars.get(key, ZERO)


def function_name(code: str, override: str | None = None) -> str:
    return override or catalogue.function_names().get(code, UNKNOWN_NAME)


def economic_name(code: str, override: str | None = None) -> str:
    return override or catalogue.economic_names().get(code, UNKNOWN_NAME)


def _add(measures: dict[str, Decimal], source: str, kind: str, amount: Decimal) -> None:
    """Book one amount of 基本支出/项目支出 from one source under every measure it feeds."""
    info = catalogue.sources()[source]
    for prefix in ("",) + ((info.fund + ".", "财政拨款.") if info.fund else ()):
        measures[f"{prefix}合计"] += amount
        measures[f"{prefix}{kind}"] += amount
    measures[f"收入.{info.income}"] += amount
    measures["收入.总计"] += amount


def _function_rows(dept: Department) -> list[Row]:
    leaves: dict[str, defaultdict] = defaultdict(lambda: defaultdict(Decimal))
    names: dict[str, str] = {}
    for line in dept.functions:
        _add(leaves[line.code], line.source.value, "基本支出", line.basic)
        if line.name:
            names[line.code] = line.name
    for project in dept.projects:
        _add(leaves[project.function_code], project.source.value, "项目支出", project.split.total)
    for line in dept.previous.functions:
        leaves[line.code]["上年"] += line.amount

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
    return rows


def _economic_rows(dept: Department) -> list[Row]:
    by_class: dict[str, list] = defaultdict(list)
    for line in dept.economics:
        by_class[line.code[:3]].append(line)
    total = {"合计": ZERO, "人员经费": ZERO, "公用经费": ZERO}
    rows = [Row({"科目编码": "", "科目名称": "合计"}, "合计")]
    for cls in sorted(by_class):
        class_index = len(rows)
        sums = {"合计": ZERO, "人员经费": ZERO, "公用经费": ZERO}
        class_row = Row({"科目编码": cls, "科目名称": economic_name(cls)}, "类", 0)
        rows.append(class_row)
        for line in sorted(by_class[cls], key=lambda l: l.code):
            values = {"人员经费": line.personnel, "公用经费": line.public,
                      "合计": line.personnel + line.public}
            rows.append(Row({"科目编码": line.code, "科目名称": economic_name(line.code, line.name),
                             **values}, "款", class_index))
            for key in sums:
                sums[key] += values[key]
        class_row.fields.update(sums)
        for key in total:
            total[key] += sums[key]
    rows[0].fields.update(total)
    return rows


def _three_public_values(prefix: str, tp) -> dict[str, Decimal]:
    parts = {name: getattr(tp, attr) for name, attr in THREE_PUBLIC_PARTS.items()}
    values = {f"{prefix}.{name}": amount for name, amount in parts.items()}
    values[f"{prefix}.公务用车小计"] = parts["公务用车购置"] + parts["公务用车运行维护"]
    values[f"{prefix}.总计"] = sum(parts.values(), ZERO)
    return values


def _three_public_rows(dept: Department) -> list[Row]:
    values = {**_three_public_values("本年", dept.three_public),
              **_three_public_values("上年", dept.previous.three_public)}
    return [Row({"部门编码": "", "部门名称": "合计", **values}, "合计"),
            Row({"部门编码": dept.code, "部门名称": dept.name, **values}, "明细", 0)]


def _purchase_rows(dept: Department) -> list[Row]:
    rows = [Row({"项目": "合计", "总计": ZERO}, "合计")]
    for category, label in PURCHASE_ROWS:
        fields: dict[str, object] = {"项目": label, "总计": ZERO}
        for item in dept.purchases:
            if item.category != category:
                continue
            income = catalogue.sources()[item.source.value].income
            for key in ("总计", f"收入.{income}"):
                fields[key] = fields.get(key, ZERO) + item.amount
        rows.append(Row(fields, "类", 0))
    for row in rows[1:]:
        for key, value in row.fields.items():
            if isinstance(value, Decimal):
                rows[0].fields[key] = rows[0].amount(key) + value
    return rows


def _project_rows(dept: Department) -> list[Row]:
    total: defaultdict = defaultdict(Decimal)
    rows = [Row({"项目名称": "合计", "预算单位": "", "科目编码": "", "科目名称": "", "序号": ""},
                "合计")]
    for number, project in enumerate(dept.projects, start=1):
        split = project.split
        values = {column: getattr(split, attr) for column, attr in PROJECT_COLUMNS.items()}
        values.update({"合计": split.total, "年初特定目标小计": split.annual,
                       "上级专项小计": split.higher})
        for key, value in values.items():
            total[key] += value
        rows.append(Row({"序号": str(number), "预算单位": project.unit or dept.name,
                         "科目编码": project.function_code,
                         "科目名称": function_name(project.function_code),
                         "项目编码": project.code, "项目名称": project.name, **values},
                        "明细", 0))
    rows[0].fields.update(total)
    return rows


def _scalars(functions: list[Row]) -> dict[str, Decimal]:
    total = functions[0]
    scalars = {f"支出.{key}": value for key, value in total.fields.items()
               if isinstance(value, Decimal)}
    # Income equals expenditure source by source: a budget is balanced by construction, so
    # the income side of every summary table is read off the expenditure's sources.
    scalars.update({key: value for key, value in total.fields.items()
                    if key.startswith("收入.") and isinstance(value, Decimal)})
    carry = scalars.get("收入.上年结转", ZERO)
    scalars["收入.本年合计"] = scalars.get("收入.总计", ZERO) - carry
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


def compute(dept: Department) -> Facts:
    functions = _function_rows(dept)
    facts = Facts(dept=dept, projects=dept.projects)
    facts.rowsets = {
        "功能分类": functions,
        "经济分类基本支出": _economic_rows(dept),
        "三公经费": _three_public_rows(dept),
        "政府采购": _purchase_rows(dept),
        "项目支出": _project_rows(dept),
    }
    facts.scalars = _scalars(functions)
    for rowset, prefix in (("三公经费", ""), ("政府采购", "政府采购."),
                           ("经济分类基本支出", "经济分类."), ("项目支出", "项目支出.")):
        facts.scalars.update({prefix + k: v for k, v in facts.rowsets[rowset][0].fields.items()
                              if isinstance(v, Decimal)})
    return facts
