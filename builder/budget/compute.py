"""Derive every figure of a 部门预算 from what the clerk typed.

This is the only module of the budget that adds money. It turns a `Department` into `Facts`:
row sets (功能分类 类/款/项 with every measure a table may show, 经济分类, "三公", 政府采购,
项目 …), totals, and the records the forms show (each project, the department as a whole).
Sums are exact and in 元, whatever unit the YAML was typed in; conversion and rounding to a
table's unit happen once, when tables are built. `MEASURES`, declared next to the code that
computes each name, is what a budget profile may use.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache
from typing import Any

from ..core.catalogue import FUNDS, Catalogue, built_in, sources
from ..core.facts import (
    MONEY,
    NUMBER,
    PERCENT,
    TEXT,
    Facts,
    Fallback,
    Measures,
    Record,
    RecordSpec,
    Row,
    class_rows,
    economic_rows,
    published_figures,
    roll_up,
    subject_rows,
    typed,
)
from ..core.fields import aliases
from ..core.numbers import ZERO, Money, growth
from ..publication.model import chinese_number
from .model import (
    ClassifiedAmount,
    Department,
    DeptIndicator,
    FunctionLine,
    Project,
    ProjectIndicator,
    ProjectSplit,
    ThreePublic,
)

PROJECT_COLUMNS = {alias: attr for alias, attr in aliases(ProjectSplit).items() if attr != "unsplit"}
THREE_PUBLIC_PARTS = aliases(ThreePublic, "因公出国", "公务用车购置", "公务用车运行维护", "公务接待")
PURCHASE_ROWS = (("货物", "货物类"), ("工程", "工程类"), ("服务", "服务类"))
# Expenditure kinds of a 功能分类 line, by the measure name the tables use.
LINE_KINDS = aliases(FunctionLine, "基本支出", "经营支出", "上解上级支出", "对附属单位补助支出")
EXPENDITURE_KINDS = ("合计", *LINE_KINDS, "项目支出")
INCOME_COLUMNS = tuple(dict.fromkeys(info.income for info in sources().values()))
INCOME_TOTALS = ("总计", "本年合计", "财政拨款收入")

# -- the names a budget profile may use -------------------------------------------------------

CONTEXT = frozenset({"部门", "部门简称", "部门编码", "年度", "上年"})
# further income sub-totals some regions print (专项收入, 其他资金小计): templates/catalogue/sources.yaml
INCOME_SUBTOTALS = tuple(dict.fromkeys(name for info in sources().values() for name in info.subtotals))


def _function_money(categories: tuple[str, ...] = ()) -> list[str]:
    """The money measures of a 功能分类 row: each expenditure kind (and the further spending
    categories a profile declares) overall, by fund and of the 财政拨款; its income; 上年."""
    money = [f"{prefix}{kind}" for prefix in ("", *(f + "." for f in FUNDS), "财政拨款.")
             for kind in (*EXPENDITURE_KINDS, *categories)]
    return money + [f"收入.{c}" for c in INCOME_COLUMNS + INCOME_TOTALS + INCOME_SUBTOTALS] + ["上年"]


_FUNCTION_MONEY = _function_money()
_CLASSIFIED = {**typed(TEXT, ("科目编码", "科目名称")), "合计": MONEY}
_THREE_PUBLIC_KEYS = (*THREE_PUBLIC_PARTS, "公务用车小计", "总计", "教学科研人员因公出国", "其他因公出国",
                      "会议费", "培训费", "含会议培训合计")
_THREE_PUBLIC = [f"{year}.{key}" for year in ("本年", "上年") for key in _THREE_PUBLIC_KEYS]
_PURCHASE_MONEY = ["总计", *(f"收入.{c}" for c in INCOME_COLUMNS),
                   *(f"采购.{info.purchase}" for info in sources().values())]
_PROJECT_MONEY = ["合计", "年初特定目标小计", "上级专项小计", *PROJECT_COLUMNS, "补助镇街", "区级支出"]
_PROJECT_TEXT = ("序号", "预算单位", "科目编码", "科目名称", "项目编码", "项目名称")
_PURCHASE_ITEM_TEXT = ("部门代码", "部门名称", "单位代码", "单位名称", "采购项目名称", "项目名称",
                       "目录序号", "计量单位", "数量", "资金来源", "经济科目", "采购组织形式")
_PURCHASE_ITEM_MONEY = ("单价", "中小企业份额", "合计", "货物类", "工程类", "服务类", *_PURCHASE_MONEY[1:])
# 政府采购 grouped as provinces print it: subtotal rows by 采购品目大类 (一、货物类), by 专项名称 +
# 经济科目, or both (大类, then 专项 + 经济科目 within it), then the items; the profile picks the row set
PURCHASE_GROUPINGS = {"政府采购按品目": ("品目",), "政府采购按专项": ("专项",), "政府采购按品目专项": ("品目", "专项")}
_PURCHASE_GROUPED = {**typed(TEXT, ("名称", "品目大类", "专项名称", *_PURCHASE_ITEM_TEXT)),
                     **typed(MONEY, _PURCHASE_ITEM_MONEY)}

_ROWSETS = {
    "经济分类基本支出": {**typed(TEXT, ("科目编码", "科目名称")), **typed(MONEY, ("合计", "人员经费", "公用经费"))},
    "经济分类项目支出": _CLASSIFIED,
    "政府经济分类基本支出": _CLASSIFIED,
    "政府经济分类项目支出": _CLASSIFIED,
    "三公经费": {**typed(TEXT, ("部门编码", "部门名称")), **typed(MONEY, _THREE_PUBLIC)},
    "政府采购": {"项目": TEXT, **typed(MONEY, _PURCHASE_MONEY)},
    "政府采购明细": {**typed(TEXT, _PURCHASE_ITEM_TEXT), **typed(MONEY, _PURCHASE_ITEM_MONEY)},
    **dict.fromkeys(PURCHASE_GROUPINGS, _PURCHASE_GROUPED),
    "项目支出": {**typed(TEXT, _PROJECT_TEXT), **typed(MONEY, _PROJECT_MONEY)},
    "固定资产": {"项目": TEXT, "数量": TEXT, "原值": MONEY},
}
_SCALARS = {
    **typed(MONEY, (f"财政拨款{part}.{fund}" for part in ("收入", "结转") for fund in FUNDS)),
    **typed(MONEY, ("财政拨款收入.本年合计", "财政拨款结转.合计", "财政拨款收入.总计")),
    **typed(MONEY, _THREE_PUBLIC),
    **typed(MONEY, (f"政府采购.{k}" for k in _PURCHASE_MONEY)),
    **typed(MONEY, ("经济分类.合计", "经济分类.人员经费", "经济分类.公用经费")),
    **typed(MONEY, (f"项目支出.{k}" for k in _PROJECT_MONEY)),
    # 机关运行经费: the 公用经费 of the 一般公共预算 基本支出, unless the YAML states it
    "机关运行经费": MONEY,
}
_INDICATOR_FIELDS = {alias: (NUMBER if name == "weight" else TEXT)
                     for model in (ProjectIndicator, DeptIndicator)
                     for name, info in model.model_fields.items()
                     for alias in [info.alias, *getattr(info.validation_alias, "choices", [])]}
PROJECT_TEXT = frozenset({"项目编码", "项目名称", "项目属性", "起始时间", "终止时间", "项目概况", "立项依据",
                          "绩效目标", "预算单位", "实施单位", "科目编码", "科目名称"})
RECORDS = {
    "项目": RecordSpec(PROJECT_TEXT, typed(MONEY, _PROJECT_MONEY), _INDICATOR_FIELDS, frozenset({"重点", "一般"})),
    "整体": RecordSpec(frozenset({"整体绩效目标"}), {}, _INDICATOR_FIELDS),
}
# Data a YAML may leave out where its profile does not print it: a table that prints one of
# these names needs it (builder/budget/needs.py), so it never prints a blank for it.
OPTIONAL = {"部门编码": "部门编码", "三公经费.部门编码": "部门编码", "项目.项目编码": "项目编码",
            "项目支出.项目编码": "项目编码", "项目.科目编码": "项目科目编码", "项目.科目名称": "项目科目编码",
            "项目支出.科目编码": "项目科目编码", "项目支出.科目名称": "项目科目编码"}
TOTALS = {"功能分类": "支出.", "经济分类基本支出": "经济分类.", "三公经费": "", "政府采购": "政府采购.",
          "项目支出": "项目支出."}
SAME = {"经济分类.合计": "支出.一般公共预算.基本支出"}


@cache
def measures_for(categories: tuple[str, ...] = ()) -> Measures:
    """The names a budget profile may use, with the further spending categories it declares
    (its spending_categories: 单位预留机动经费 …) as expenditure kinds beside 基本支出 and 项目支出."""
    money = _function_money(categories)
    rowsets = {"功能分类": {**typed(TEXT, ("科目编码", "科目名称")), **typed(MONEY, money), "增幅": PERCENT},
               **_ROWSETS}
    scalars = {**typed(MONEY, (f"支出.{k}" for k in money if not k.startswith("收入."))),
               **typed(MONEY, (k for k in money if k.startswith("收入."))), **_SCALARS}
    return Measures(CONTEXT, rowsets, scalars, RECORDS, OPTIONAL, TOTALS, SAME)


MEASURES = measures_for()


def categories_of(measures: Measures) -> tuple[str, ...]:
    """The further spending categories a budget's measures carry (measures_for's), in order."""
    return tuple(k[3:] for k in measures.scalars
                 if k.startswith("支出.") and k.count(".") == 1 and k not in MEASURES.scalars)
ROWSETS, SCALARS = MEASURES.rowsets, MEASURES.scalars


# -- computing them ---------------------------------------------------------------------------

def projects_with_amounts(dept: Department) -> list[Project]:
    return [p for p in dept.projects if p.split is not None]


def _add(measures: dict[str, Decimal], source: str, kind: str, amount: Decimal) -> None:
    """Book one amount of one expenditure kind from one source under every measure it feeds."""
    info = sources()[source]
    for prefix in ("",) + ((info.fund + ".", "财政拨款.") if info.fund else ()):
        measures[f"{prefix}合计"] += amount
        measures[f"{prefix}{kind}"] += amount
    measures[f"收入.{info.income}"] += amount
    for subtotal in info.subtotals:
        measures[f"收入.{subtotal}"] += amount
    measures["收入.总计"] += amount
    if not info.carryover:
        measures["收入.本年合计"] += amount
        if info.fund:
            measures["收入.财政拨款收入"] += amount


def previous_lines(dept: Department, previous: Facts | None) -> list[tuple[str, Decimal]]:
    """上年 figures per 项 (一般公共预算财政拨款, 基本 + 项目) in 元: from last year's own file
    when one is linked, else from the inline 上年 block."""
    if previous is None:
        money = Money(dept.unit)
        return [(line.code, money(line.amount)) for line in dept.previous.functions]
    return [(r.fields["科目编码"], r.amount("一般公共预算.合计"))
            for r in previous.rows("功能分类") if r.level == "项" and r.amount("一般公共预算.合计")]


def function_names(dept: Department) -> dict[str, str]:
    """Names the YAML gives for 功能分类 codes at any level (科目名称 on a line or a project)."""
    names: dict[str, str] = {}
    lines = [(l.code, l.name, l.group_name, l.class_name) for l in dept.functions]
    lines += [(p.function_code, p.function_name, p.group_name, p.class_name)
              for p in dept.projects if p.function_code]
    for code, item, group, cls in lines:
        for part, name in ((code, item), (code[:5], group), (code[:3], cls)):
            if name:
                names.setdefault(part, name)
    return names


def _function_rows(dept: Department, previous: Facts | None, catalogue: Catalogue) -> list[Row]:
    money = Money(dept.unit)
    leaves: dict[str, defaultdict] = defaultdict(lambda: defaultdict(Decimal))
    for line in dept.functions:
        for kind, attr in LINE_KINDS.items():
            _add(leaves[line.code], line.source.value, kind, money(getattr(line, attr)))
        if line.project is not None:
            _add(leaves[line.code], line.source.value, "项目支出", money(line.project))
        for category, amount in line.categories.items():
            _add(leaves[line.code], line.source.value, category, money(amount))
    typed_project = {line.code for line in dept.functions if line.project is not None}
    for project in projects_with_amounts(dept):
        # where a 项's 项目支出 is typed on its line, that typed total stands (the listed
        # projects may be only part of it; check compares them with it, source by source, and
        # refuses one of a source the 项 types none for); otherwise the projects make it up
        if project.split and project.function_code and project.function_code not in typed_project:
            _add(leaves[project.function_code], project.source.value, "项目支出", money(project.split.total))
    for code, amount in previous_lines(dept, previous):
        leaves[code]["上年"] += amount

    measures, total = roll_up(leaves)

    names = function_names(dept)
    rows = subject_rows(measures, total, lambda code: catalogue.shown_name(code, names.get(code)))
    for row in rows:
        # 增幅% as the 渝北 tables publish it: whole percent, half up; 100 where there was nothing before
        now, before = row.amount("一般公共预算.合计"), row.amount("上年")
        row.fields["增幅"] = growth(now, before, 0) if before else (Decimal(100) if now else None)
    return rows


def _classified_rows(dept: Department, items: tuple[ClassifiedAmount, ...], catalogue: Catalogue) -> list[Row]:
    money = Money(dept.unit)
    return class_rows([(i.code, i.name, i.class_name, {"合计": money(i.amount)}) for i in items], ("合计",),
                      catalogue)


def three_public_values(prefix: str, parts: dict[str, Decimal], academic: Decimal,
                        meetings: Decimal, training: Decimal) -> dict[str, Decimal]:
    values = {f"{prefix}.{name}": amount for name, amount in parts.items()}
    values[f"{prefix}.公务用车小计"] = parts["公务用车购置"] + parts["公务用车运行维护"]
    values[f"{prefix}.总计"] = sum(parts.values(), ZERO)
    values[f"{prefix}.教学科研人员因公出国"] = academic
    values[f"{prefix}.其他因公出国"] = parts["因公出国"] - academic
    values[f"{prefix}.会议费"] = meetings
    values[f"{prefix}.培训费"] = training
    values[f"{prefix}.含会议培训合计"] = values[f"{prefix}.总计"] + meetings + training
    return values


def _three_public_of(dept: Department, tp, prefix: str) -> dict[str, Decimal]:
    money = Money(dept.unit)
    unit = tp.unit
    parts = {name: money(getattr(tp, attr), unit) for name, attr in THREE_PUBLIC_PARTS.items()}
    return three_public_values(prefix, parts, money(tp.abroad_academic, unit),
                               money(tp.meetings, unit), money(tp.training, unit))


def _three_public_rows(dept: Department, previous: Facts | None) -> list[Row]:
    values: dict[str, Decimal | None] = {**_three_public_of(dept, dept.three_public, "本年")}
    if previous is None:
        values.update(_three_public_of(dept, dept.previous.three_public, "上年"))
    else:
        # last year's as its file gives them (a partial file: its 已公布数; None where it gives none)
        values.update({key.replace("本年.", "上年.", 1): previous.figure(key)
                       for key in SCALARS if key.startswith("本年.")})
    return [Row({"部门编码": "", "部门名称": "合计", **values}, "合计"),
            Row({"部门编码": dept.code, "部门名称": dept.name, **values}, "明细", 0, "部门")]


def _purchase_keys(item) -> tuple[str, ...]:
    info = sources()[item.source.value]
    return ("总计", f"收入.{info.income}", f"采购.{info.purchase}")


def _purchase_rows(dept: Department) -> list[Row]:
    money = Money(dept.unit)
    rows = [Row({"项目": "合计", "总计": ZERO}, "合计")]
    for category, label in PURCHASE_ROWS:
        fields: dict[str, Any] = {"项目": label, "总计": ZERO}
        for item in dept.purchases:
            if item.category == category:
                for key in _purchase_keys(item):
                    fields[key] = fields.get(key, ZERO) + money(item.amount)
        rows.append(Row(fields, "类", 0, label))
    for row in rows[1:]:
        for key, value in row.fields.items():
            if isinstance(value, Decimal):
                rows[0].fields[key] = rows[0].amount(key) + value
    return rows


def _purchase_items(dept: Department) -> list[Row]:
    """One row per purchase (渝北 by 部门/单位, 丰润 with 目录序号, 数量, 单价)."""
    money = Money(dept.unit)
    rows = [Row({"项目名称": "合计", "合计": ZERO}, "合计")]
    for item in dept.purchases:
        amount = money(item.amount)
        fields: dict[str, object] = {
            "部门代码": dept.code, "部门名称": dept.name, "单位代码": item.unit_code,
            "单位名称": item.unit_name or dept.name, "采购项目名称": item.name, "项目名称": item.project,
            "目录序号": item.catalogue_no, "计量单位": item.measure, "数量": item.quantity,
            "单价": None if item.unit_price is None else money(item.unit_price),
            "中小企业份额": None if item.sme_share is None else money(item.sme_share), "合计": amount,
            "资金来源": item.source.value, "经济科目": item.economic, "采购组织形式": item.procurement,
            f"{item.category}类": amount}
        for key in _purchase_keys(item)[1:]:
            fields[key] = amount
        rows.append(Row(fields, "明细", 0, f"采购{len(rows)}"))
        for key, value in fields.items():
            if isinstance(value, Decimal) and key != "单价":
                rows[0].fields[key] = rows[0].amount(key) + value
    return rows


def _purchase_grouped(items: list[Row], purchases: tuple, grouping: tuple[str, ...]) -> list[Row]:
    """The 政府采购 items under subtotal rows: by 采购品目大类 (一、货物类 …, numbered in the
    catalogue's order 货物, 工程, 服务 whether or not each has items), by 专项名称 + 经济科目, or
    both; each subtotal the sum of its items, the 合计 of all."""
    number = {category: n for n, (category, _) in enumerate(PURCHASE_ROWS, start=1)}
    total = Row({**items[0].fields, "名称": "合计"}, "合计")
    rows = [total]
    groups: dict[tuple, int] = {}
    first: dict[tuple, int] = {}
    for i, purchase in enumerate(purchases):
        first.setdefault((purchase.project, purchase.economic), i)
    # each group's items together, under it: 大类 in the catalogue's order, 专项 in the order first listed
    order = sorted(range(len(purchases)), key=lambda i: tuple(
        number[purchases[i].category] if by == "品目" else first[(purchases[i].project, purchases[i].economic)]
        for by in grouping))
    for i in order:
        item, purchase = items[i + 1], purchases[i]
        parent = 0
        key: tuple[str, ...] = ()
        for depth, by in enumerate(grouping):
            if by == "品目":
                key += (purchase.category,)
                fields = {"名称": f"{chinese_number(number[purchase.category])}、{purchase.category}类",
                          "品目大类": f"{purchase.category}类"}
            else:
                key += (purchase.project, purchase.economic)
                fields = {"名称": purchase.project, "专项名称": purchase.project, "经济科目": purchase.economic}
            if key not in groups:
                groups[key] = len(rows)
                rows.append(Row(fields, ("类", "款")[depth], parent, "/".join(key)))
            parent = groups[key]
            for name, value in item.fields.items():
                if isinstance(value, Decimal) and name != "单价":
                    rows[parent].fields[name] = rows[parent].amount(name) + value
        rows.append(Row({**item.fields, "名称": purchase.name, "品目大类": f"{purchase.category}类",
                         "专项名称": purchase.project}, "明细", parent, item.key))
    return rows


def _project_values(dept: Department, project: Project) -> dict[str, Decimal]:
    if project.split is None:
        return {}
    money, split = Money(dept.unit), project.split
    values = {column: money(getattr(split, attr)) for column, attr in PROJECT_COLUMNS.items()}
    values.update({"合计": money(split.total), "年初特定目标小计": money(split.annual),
                   "上级专项小计": money(split.higher), "补助镇街": money(project.grant_to_towns),
                   "区级支出": money(split.total) - money(project.grant_to_towns)})
    return values


def _project_rows(dept: Department, catalogue: Catalogue) -> list[Row]:
    total: defaultdict = defaultdict(Decimal)
    rows = [Row({"项目名称": "合计", "预算单位": "", "科目编码": "", "科目名称": "", "序号": ""}, "合计")]
    names = function_names(dept)
    for number, project in enumerate(dept.projects, start=1):
        values = _project_values(dept, project)
        for key, value in values.items():
            total[key] += value
        code = project.function_code or ""
        rows.append(Row({"序号": str(number), "预算单位": project.unit or dept.name, "科目编码": code,
                         "科目名称": catalogue.shown_name(code, names.get(code)) if code else "",
                         "项目编码": project.code or "", "项目名称": project.name, **values}, "明细", 0,
                        str(number)))
    rows[0].fields.update(total)
    return rows


def _fixed_asset_rows(dept: Department) -> list[Row]:
    assets = dept.fixed_assets
    value = None if assets is None or assets.value is None else Money(dept.unit)(assets.value)
    return [Row({"项目": "固定资产（原值）", "数量": assets.count if assets else "", "原值": value}, "明细")]


def _income_column(fund: str) -> str:
    return next(info.income for info in sources().values() if info.fund == fund and not info.carryover)


def _scalars(functions: list[Row], categories: tuple[str, ...]) -> dict[str, Decimal]:
    total = functions[0]
    money = _function_money(categories)
    scalars = {f"支出.{key}": total.amount(key) for key in money if not key.startswith("收入.")}
    # Income equals expenditure source by source: a budget is balanced by construction, so
    # the income side of every summary table is read off the expenditure's sources.
    scalars.update({key: total.amount(key) for key in money if key.startswith("收入.")})
    fiscal_this_year = fiscal_carry = ZERO
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


def _indicator_fields(model) -> dict[str, object]:
    """An indicator under every name the YAML accepts for its fields (三级指标 and 指标名称 …),
    so a profile's indicator columns can name either. Weights stay numbers."""
    fields: dict[str, object] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        for alias in [info.alias, *getattr(info.validation_alias, "choices", [])]:
            fields[alias] = value if isinstance(value, Decimal) or value is None else str(value)
    return fields


def _records(dept: Department, projects: list[Row]) -> dict[str, list[Record]]:
    records = []
    for project, row in zip(dept.projects, projects[1:]):
        text = {"项目编码": project.code or "", "项目名称": project.name, "项目属性": project.attribute,
                "起始时间": project.start, "终止时间": project.end, "项目概况": project.overview,
                "立项依据": project.basis, "绩效目标": project.goal,
                "预算单位": project.unit or dept.name, "科目编码": row.text("科目编码"),
                # the unit as a form prints it: blank for the department itself (the profile says how
                # its own unit prints)
                "实施单位": f"{project.unit_code}-{project.unit or dept.short_name or dept.name}" if project.unit_code else "",
                "科目名称": row.text("科目名称")}
        values = {k: v for k, v in row.fields.items() if isinstance(v, Decimal)}
        records.append(Record(project.name, text, values,
                              tuple(_indicator_fields(x) for x in project.indicators),
                              frozenset({"重点" if project.key_project else "一般"}), f"项目支出.{row.key}"))
    perf = dept.performance
    whole = Record(dept.name, {"整体绩效目标": perf.goal}, {},
                   tuple(_indicator_fields(x) for x in perf.indicators))
    return {"项目": records, "整体": [whole]}


def compute(dept: Department, linked: dict[str, Facts] | None = None,
            catalogue: Catalogue | None = None, categories: tuple[str, ...] = ()) -> Facts:
    """All figures of one department year; `linked["上年"]` is last year's, when its file is linked;
    `categories`: the further spending categories its profile declares (those the YAML types are
    computed too, so a comparison without a profile sees them)."""
    linked = linked or {}
    categories = tuple(dict.fromkeys((*categories, *dept.categories())))
    catalogue = catalogue or built_in()
    previous = linked.get("上年")
    functions = _function_rows(dept, previous, catalogue)
    facts = Facts(measures_for(categories), {"部门": dept.name, "部门简称": dept.short_name or dept.name,
                             "部门编码": dept.code or "", "年度": str(dept.year), "上年": str(dept.year - 1)},
                  linked=linked, catalogue=catalogue)
    projects = _project_rows(dept, catalogue)
    purchase_items = _purchase_items(dept)
    facts.rowsets = {
        "功能分类": functions,
        "经济分类基本支出": economic_rows(dept, catalogue),
        "三公经费": _three_public_rows(dept, previous),
        "政府采购": _purchase_rows(dept),
        "政府采购明细": purchase_items,
        **{name: _purchase_grouped(purchase_items, dept.purchases, grouping)
           for name, grouping in PURCHASE_GROUPINGS.items()},
        "项目支出": projects,
        "固定资产": _fixed_asset_rows(dept),
    }
    for name, items in (("经济分类项目支出", dept.economics_project),
                        ("政府经济分类基本支出", dept.gov_economics_basic),
                        ("政府经济分类项目支出", dept.gov_economics_project)):
        if items is not None:
            facts.rowsets[name] = _classified_rows(dept, items, catalogue)
    if dept.economics:
        # one figure, one value: the 基本支出 total is the 功能分类's, in the 经济分类 table too (the
        # two agree exactly, or — in a file declared rounded — within rounding, with a 警告)
        facts.rowsets["经济分类基本支出"][0].fields["合计"] = functions[0].amount("一般公共预算.基本支出")
    facts.scalars = _scalars(functions, categories)
    for rowset, prefix in (("三公经费", ""), ("政府采购", "政府采购."),
                           ("经济分类基本支出", "经济分类."), ("项目支出", "项目支出.")):
        facts.scalars.update({prefix + k: v for k, v in facts.rowsets[rowset][0].fields.items()
                              if isinstance(v, Decimal)})
    running = dept.running_costs
    facts.scalars["机关运行经费"] = (Money(dept.unit)(running) if running is not None
                                  else facts.scalars["经济分类.公用经费"])
    facts.records = _records(dept, projects)
    facts.published = published_figures(dept)
    facts.lines_known = not (dept.partial and not dept.functions)
    # without 经济分类 lines or a typed figure, the 机关运行经费 is not known (a partial year)
    facts.unknown = frozenset() if dept.economics or running is not None else frozenset({"机关运行经费"})
    facts.unknown |= {k for k, v in facts.rowsets["三公经费"][0].fields.items() if k.startswith("上年.") and v is None}
    if running is None and dept.economics:
        facts.fallbacks["机关运行经费"] = Fallback("经济分类.公用经费", "一般公共预算基本支出中的公用经费", "机关运行经费")
    return facts.verify()
