"""Derive every figure of a 部门决算 from what the clerk typed.

The only module of the 决算 that adds money. Unlike a budget, income and spending differ and the
carry-overs close the gap: per fund and 功能分类 项, 年末结转和结余 = 年初结转和结余 + 本年收入 −
本年支出 (基本 and 项目 apart); the 收入支出决算表 adds the money that is not a 财政拨款 and its
balances. Every total, 类/款 row, the 06表 人员经费/公用经费 totals, the 机构运行信息 totals and the
自评表 scores (执行率, 执行率得分, 指标得分, 自评总分) are computed here, in 元. `MEASURES`,
declared next to the code, is what a 决算 profile may name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..core.catalogue import FUNDS, Catalogue, built_in
from ..core.facts import (
    COUNT,
    MONEY,
    NUMBER,
    TEXT,
    Facts,
    Measures,
    Record,
    RecordSpec,
    Row,
    economic_rows,
    published_figures,
    roll_up,
    subject_rows,
    typed,
)
from ..core.fields import aliases
from ..core.numbers import ZERO, Money, rounded
from .model import FinalAccounts, Funding, FundLine, OtherIncome, OtherLine, OtherSpending, ProjectReview, SelfReview, Vehicles

STAGES = {"年初": ("合计", "基本支出结转", "项目支出结转和结余", "项目支出结转", "项目支出结余", "结转", "结余"),
          "收入": ("合计", "基本支出", "项目支出"),
          "支出": ("合计", "基本支出", "项目支出")}
STAGES["年末"] = STAGES["年初"]
INCOME = aliases(OtherIncome)
SPENDING = aliases(OtherSpending)
THREE_PUBLIC = ("合计", "因公出国", "公务用车购置及运行维护", "公务用车购置", "公务用车运行维护", "公务接待",
                "国内接待", "外事接待", "国境外接待")
# measures named otherwise than the YAML's keys (三公实物量 → 因公出国团组数 is 三公.出国团组数)
THREE_PUBLIC_COUNTS = {"出国团组数": "groups_abroad", "出国人次": "people_abroad", "公务用车购置数": "cars_bought",
                       "公务用车保有量": "cars_held", "国内接待批次": "receptions",
                       "外事接待批次": "receptions_foreign_affairs", "国内接待人次": "guests",
                       "外事接待人次": "guests_foreign_affairs", "国境外接待批次": "receptions_abroad",
                       "国境外接待人次": "guests_abroad"}
# the "三公" budget (年初预算数) a 决算 prints and compares its spending with: each part → its name in
# the linked 预算 (another kind, read by its published measures)
THREE_PUBLIC_BUDGET = {"合计": "本年.总计", "因公出国": "本年.因公出国", "公务用车购置及运行维护": "本年.公务用车小计",
                       "公务用车购置": "本年.公务用车购置", "公务用车运行维护": "本年.公务用车运行维护",
                       "公务接待": "本年.公务接待"}
THREE_PUBLIC_BUDGET_PARTS = {"因公出国": "abroad", "公务用车购置": "car_purchase", "公务用车运行维护": "car_running",
                             "公务接待": "reception"}
VEHICLES = aliases(Vehicles)
PROCUREMENT = {"货物": "goods", "工程": "works", "服务": "services", "授予中小企业": "sme", "授予小微企业": "small"}
FUNDING_ROWS = ("年度总金额", "财政拨款", "一般公共预算")

# -- the names a 决算 profile may use -----------------------------------------------------------

CONTEXT = frozenset({"部门", "部门简称", "部门编码", "年度", "上年"})
_FUND_FIELDS = [f"{stage}.{fund}.{part}" for fund in (*FUNDS, "财政拨款") for stage, parts in STAGES.items()
                for part in parts]
_ROW_MONEY = (["收入.合计", "收入.财政拨款", *(f"收入.{k}" for k in INCOME), "支出.合计",
               *(f"支出.{k}" for k in SPENDING), *_FUND_FIELDS, "年初预算", "上年"])
ROWSETS = {
    "功能分类": {**typed(TEXT, ("科目编码", "科目名称")), **typed(MONEY, _ROW_MONEY)},
    "经济分类基本支出": {**typed(TEXT, ("科目编码", "科目名称")), **typed(MONEY, ("合计", "人员经费", "公用经费"))},
}
SCALARS = {
    **typed(MONEY, _ROW_MONEY[:-2]),
    **typed(MONEY, ("收入.使用非财政拨款结余", "收入.年初结转和结余", "收入.总计", "支出.结余分配",
                    "支出.年末结转和结余", "支出.总计", "财政拨款.总计", *(f"{fund}.总计" for fund in FUNDS),
                    "非财政拨款.年初结转和结余",
                    "非财政拨款.年末结转和结余")),
    **typed(MONEY, ("经济分类.合计", "经济分类.人员经费", "经济分类.公用经费")),
    **typed(MONEY, (f"三公.{k}" for k in THREE_PUBLIC)),
    **typed(COUNT, (f"三公.{k}" for k in THREE_PUBLIC_COUNTS)),
    **typed(MONEY, (f"三公.预算.{k}" for k in THREE_PUBLIC_BUDGET)),
    **typed(MONEY, ("会议费", "培训费", "差旅费", "机关运行经费", "机关运行经费.行政单位",
                    "机关运行经费.参照公务员法管理事业单位")),
    **typed(COUNT, ("车辆.合计", *(f"车辆.{k}" for k in VEHICLES), "单价100万元以上设备")),
    **typed(MONEY, ("政府采购.合计", *(f"政府采购.{k}" for k in PROCUREMENT))),
}
_REVIEW_VALUES = {**typed(MONEY, (f"{what}.{row}" for what in ("年初预算数", "全年预算数", "全年执行数")
                                  for row in FUNDING_ROWS)),
                  **typed(NUMBER, ("执行率.财政拨款", "执行率.一般公共预算", "执行率权重", "执行率得分", "自评总分"))}
_REVIEW_TEXT = frozenset({"项目名称", "项目编码", "主管部门", "状态", "财政归口处室", "联系人", "联系电话", "年初绩效目标",
                          "全年绩效目标", "完成情况"})
_INDICATORS = {**typed(TEXT, ("指标名称", "计量单位", "指标性质", "指标值", "全年完成值", "是否核心指标", "说明")),
               **typed(NUMBER, ("偏离度", "得分系数", "指标权重", "指标得分"))}
RECORDS = {"整体自评": RecordSpec(_REVIEW_TEXT, _REVIEW_VALUES, _INDICATORS),
           "项目自评": RecordSpec(_REVIEW_TEXT, _REVIEW_VALUES, _INDICATORS)}
OPTIONAL = {"部门编码": "部门编码", "整体自评.主管部门": "部门编码", "项目自评.主管部门": "部门编码"}
TOTALS = {"功能分类": "", "经济分类基本支出": "经济分类."}
SAME = {"经济分类.合计": "支出.一般公共预算.基本支出"}
MEASURES = Measures(CONTEXT, ROWSETS, SCALARS, RECORDS, OPTIONAL, TOTALS, SAME)


# -- computing them ---------------------------------------------------------------------------

def function_names(doc: FinalAccounts) -> dict[str, str]:
    """Names the YAML gives for 功能分类 codes at any level."""
    names: dict[str, str] = {}
    lines: list[FundLine | OtherLine] = [*doc.funds, *doc.others]
    for line in lines:
        for part, name in ((line.code, line.name), (line.code[:5], line.group_name), (line.code[:3], line.class_name)):
            if name:
                names.setdefault(part, name)
    return names


def project_spending(doc: FinalAccounts, code: str) -> Decimal:
    """The 全年执行数 of the projects charged to a 项 (in the file's unit)."""
    return sum((p.executed.fiscal or ZERO for p in doc.projects
                if p.function_code == code and p.executed is not None), ZERO)


def _fund_leaf(leaf: dict, fund: str, line, money: Money, doc: FinalAccounts) -> None:
    o, i, s = line.opening, line.income, line.spending
    spent_project = s.project if s.project is not None else project_spending(doc, line.code)
    values = {"年初": (money(o.basic), money(o.project), money(o.surplus)),
              "收入": (money(i.basic), money(i.project)),
              "支出": (money(s.basic), money(spent_project))}
    basic_left = values["年初"][0] + values["收入"][0] - values["支出"][0]
    project_left = values["年初"][1] + values["年初"][2] + values["收入"][1] - values["支出"][1]
    surplus_left = money(line.closing.surplus)
    values["年末"] = (basic_left, project_left - surplus_left, surplus_left)
    for target in (fund, "财政拨款"):
        for stage in ("年初", "年末"):
            basic, carried, surplus = values[stage]
            for part, amount in (("基本支出结转", basic), ("项目支出结转", carried), ("项目支出结余", surplus),
                                 ("项目支出结转和结余", carried + surplus), ("结转", basic + carried),
                                 ("结余", surplus), ("合计", basic + carried + surplus)):
                leaf[f"{stage}.{target}.{part}"] += amount
        for stage in ("收入", "支出"):
            basic, project = values[stage]
            leaf[f"{stage}.{target}.基本支出"] += basic
            leaf[f"{stage}.{target}.项目支出"] += project
            leaf[f"{stage}.{target}.合计"] += basic + project
    leaf["收入.财政拨款"] += sum(values["收入"], ZERO)
    leaf["收入.合计"] += sum(values["收入"], ZERO)
    leaf["支出.基本支出"] += values["支出"][0]
    leaf["支出.项目支出"] += values["支出"][1]
    leaf["支出.合计"] += sum(values["支出"], ZERO)


def _other_leaf(leaf: dict, line, money: Money) -> None:
    for name, attr in INCOME.items():
        amount = money(getattr(line.income, attr))
        leaf[f"收入.{name}"] += amount
        leaf["收入.合计"] += amount
    for name, attr in SPENDING.items():
        amount = money(getattr(line.spending, attr))
        leaf[f"支出.{name}"] += amount
        leaf["支出.合计"] += amount


def _function_rows(doc: FinalAccounts, linked: dict[str, Facts], catalogue: Catalogue) -> list[Row]:
    money = Money(doc.unit)
    leaves: dict[str, defaultdict] = defaultdict(lambda: defaultdict(Decimal))
    for fund_line in doc.funds:
        _fund_leaf(leaves[fund_line.code], fund_line.fund, fund_line, money, doc)
    for other_line in doc.others:
        _other_leaf(leaves[other_line.code], other_line, money)
    measures, total = roll_up(leaves)
    # the same codes' figures in the linked budget (年初预算) and last year's 决算 (上年)
    for name, column, source in (("预算", "一般公共预算.合计", "年初预算"), ("上年", "支出.合计", "上年")):
        other = linked.get(name)
        if other is None:
            continue
        for code in list(measures):
            value = other.figure(column, code)
            if value is not None:
                measures[code][source] = value
        value = other.figure(column if name == "上年" else "支出.一般公共预算.合计")
        if value is not None:
            total[source] = value
    names = function_names(doc)
    return subject_rows(measures, total, lambda code: catalogue.shown_name(code, names.get(code)))


def _operations(doc: FinalAccounts) -> dict[str, Decimal]:
    money, ops = Money(doc.unit), doc.operations
    tp = ops.three_public
    cars = money(tp.car_purchase) + money(tp.car_running)
    reception = money(tp.reception_domestic) + money(tp.reception_abroad)
    values = {"三公.因公出国": money(tp.abroad), "三公.公务用车购置": money(tp.car_purchase),
              "三公.公务用车运行维护": money(tp.car_running), "三公.公务用车购置及运行维护": cars,
              "三公.国内接待": money(tp.reception_domestic), "三公.外事接待": money(tp.reception_foreign_affairs),
              "三公.国境外接待": money(tp.reception_abroad), "三公.公务接待": reception,
              "三公.合计": money(tp.abroad) + cars + reception}
    values.update({f"三公.{k}": Decimal(getattr(ops.counts, a)) for k, a in THREE_PUBLIC_COUNTS.items()})
    values.update({"会议费": money(ops.meetings), "培训费": money(ops.training), "差旅费": money(ops.travel),
                   "机关运行经费.行政单位": money(ops.running.administrative),
                   "机关运行经费.参照公务员法管理事业单位": money(ops.running.civil_service_like)})
    values["机关运行经费"] = values["机关运行经费.行政单位"] + values["机关运行经费.参照公务员法管理事业单位"]
    vehicles = {f"车辆.{k}": Decimal(getattr(ops.vehicles, a)) for k, a in VEHICLES.items()}
    values.update(vehicles)
    values["车辆.合计"] = sum(vehicles.values(), ZERO)
    values["单价100万元以上设备"] = Decimal(ops.equipment)
    values.update({f"政府采购.{k}": money(getattr(ops.procurement, a)) for k, a in PROCUREMENT.items()})
    values["政府采购.合计"] = values["政府采购.货物"] + values["政府采购.工程"] + values["政府采购.服务"]
    return values


def _with_totals(given: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
    """The "三公" budget's totals from its parts (公务用车购置及运行维护, 合计), and a part its source
    leaves out where a total says it: the remainder, when it is the only part left out; 0, when
    the parts given already make up the total (no amount is negative). None stays where nothing
    says the figure."""
    values = dict(given)
    groups = (("公务用车购置及运行维护", ("公务用车购置", "公务用车运行维护")),
              ("合计", ("因公出国", "公务用车购置", "公务用车运行维护", "公务接待")))
    for _ in range(2):               # a total filled in may fill a part of the other, and back
        for total, parts in groups:
            known = sum((v for p in parts if (v := values.get(p)) is not None), ZERO)
            missing = [p for p in parts if values.get(p) is None]
            whole = values.get(total)
            if whole is None:
                values[total] = None if missing else known
            elif missing and (len(missing) == 1 or known == whole) and known <= whole:
                for p in missing:
                    values[p] = whole - known
    return values


def typed_three_public_budget(doc: FinalAccounts) -> dict[str, Decimal] | None:
    """The "三公" 预算数 typed in the 决算 (in 元, in the block's own unit where it gives one), its
    totals derived; None where none is typed."""
    block = doc.operations.three_public.budget
    if block is None:
        return None
    money = Money(doc.unit)
    values = _with_totals({name: money(getattr(block, attr), block.unit)
                           for name, attr in THREE_PUBLIC_BUDGET_PARTS.items()})
    return {k: v for k, v in values.items() if v is not None}


def linked_three_public_budget(budget: Facts | None) -> dict[str, Decimal | None]:
    """The "三公" 预算数 the linked 预算文件 gives (None: no 预算 linked, or a partial one that does
    not give that figure)."""
    return {name: budget.figure(theirs) if budget is not None else None
            for name, theirs in THREE_PUBLIC_BUDGET.items()}


def three_public_budget(doc: FinalAccounts, linked: dict[str, Facts]) -> dict[str, Decimal | None]:
    """The year's "三公" budget: the linked 预算文件's figure, else the typed one (rules check that
    the two agree where both are given); a total from its parts where neither gives it; None
    where nothing says it (unknown, never a zero)."""
    typed = typed_three_public_budget(doc) or {}
    given = linked_three_public_budget(linked.get("预算"))
    values: dict[str, Decimal | None] = {name: value if value is not None else typed.get(name)
                                         for name, value in given.items()}
    return _with_totals(values)


def _scalars(doc: FinalAccounts, functions: list[Row], economic: list[Row]) -> dict[str, Decimal]:
    money, total = Money(doc.unit), functions[0]
    scalars = {key: total.amount(key) for key in _ROW_MONEY[:-2]}
    other = doc.other_balances
    other_income = sum((total.amount(f"收入.{k}") for k in INCOME), ZERO)
    other_spending = sum((total.amount(f"支出.{k}") for k in SPENDING), ZERO) - total.amount("支出.财政拨款.合计")
    other_opening = money(other.opening)
    other_closing = (other_opening + other_income + money(other.used_surplus) - other_spending
                     - money(other.distributed))
    scalars.update({
        "收入.使用非财政拨款结余": money(other.used_surplus),
        "收入.年初结转和结余": total.amount("年初.财政拨款.合计") + other_opening,
        "支出.结余分配": money(other.distributed),
        "支出.年末结转和结余": total.amount("年末.财政拨款.合计") + other_closing,
        "非财政拨款.年初结转和结余": other_opening, "非财政拨款.年末结转和结余": other_closing,
        "财政拨款.总计": total.amount("收入.财政拨款.合计") + total.amount("年初.财政拨款.合计"),
    })
    # 04表's 总计 by fund is the spending side's: 本年支出 + 年末结转和结余 of that fund
    scalars.update({f"{fund}.总计": total.amount(f"支出.{fund}.合计") + total.amount(f"年末.{fund}.合计")
                    for fund in FUNDS})
    scalars["收入.总计"] = scalars["收入.合计"] + scalars["收入.使用非财政拨款结余"] + scalars["收入.年初结转和结余"]
    scalars["支出.总计"] = scalars["支出.合计"] + scalars["支出.结余分配"] + scalars["支出.年末结转和结余"]
    scalars.update({f"经济分类.{k}": economic[0].amount(k) for k in ("合计", "人员经费", "公用经费")})
    scalars.update(_operations(doc))
    return scalars


# -- the 自评表 ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"^-?[0-9][0-9,]*(?:\.[0-9]+)?$")


def _number(text: str) -> Decimal | None:
    text = text.strip().replace("，", ",")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def deviation(indicator) -> Decimal | None:
    """偏离度 (%) of a quantitative indicator from its 指标值 and 全年完成值: how far the result
    falls short of a ≥ target or exceeds a ≤ target, or misses an = target; 0 for 定性."""
    if indicator.nature.strip() == "定性":
        return ZERO
    target, actual = _number(indicator.value), _number(indicator.actual)
    if target is None or actual is None or target == 0:
        return None
    nature = indicator.nature.strip()
    if nature in ("≥", ">", ">="):
        gap = max(target - actual, ZERO)
    elif nature in ("≤", "<", "<="):
        gap = max(actual - target, ZERO)
    else:
        gap = abs(actual - target)
    return rounded(gap * 100 / target, 2).normalize()


def indicator_score(indicator) -> Decimal | None:
    """指标得分 = 指标权重 × 得分系数 ÷ 100, with the weight's decimals."""
    if indicator.weight is None:
        return None
    score = indicator.weight * indicator.coefficient / 100
    return score.quantize(indicator.weight) if indicator.weight.as_tuple().exponent <= 0 else score


def indicator_points(review: SelfReview, indicators: list[dict]) -> Decimal:
    """The indicators' share of the 自评总分: the 100 points left after the 执行率权重, shared in
    proportion to the weights. Weights that add up to those points (a project's 90 beside the
    执行率权重 10) count as they are; weights out of 100 (the department's) are scaled to them."""
    scores = sum((i["指标得分"] for i in indicators if i["指标得分"] is not None), ZERO)
    weights = sum((x.weight for x in review.indicators if x.weight is not None), ZERO)
    points = 100 - review.rate_weight
    return scores * points / weights if weights and weights != points else scores


def _funding(funding: Funding | None, money: Money) -> dict[str, Decimal | None]:
    if funding is None:
        return dict.fromkeys(FUNDING_ROWS)
    return {"年度总金额": None if funding.total is None else money(funding.total),
            "财政拨款": None if funding.fiscal is None else money(funding.fiscal),
            "一般公共预算": None if funding.general is None else money(funding.general)}


def _rate(executed: Decimal | None, adjusted: Decimal | None) -> Decimal | None:
    """执行率 (%): 全年执行数 ÷ 全年（调整）预算数, 2 decimals as needed (100, 96.35)."""
    if executed is None or not adjusted:
        return None
    return rounded(executed * 100 / adjusted, 2).normalize()


def review_record(doc: FinalAccounts, review: SelfReview, budgeted: dict, executed: dict, key: str) -> Record:
    money = Money(doc.unit)
    adjusted = _funding(review.adjusted, money)
    budgeted = {row: budgeted[row] if budgeted.get(row) is not None else None for row in FUNDING_ROWS}
    values: dict[str, Decimal] = {}
    for what, amounts in (("年初预算数", budgeted), ("全年预算数", adjusted), ("全年执行数", executed)):
        values.update({f"{what}.{row}": amount for row in FUNDING_ROWS if (amount := amounts.get(row)) is not None})
    for row in ("财政拨款", "一般公共预算"):
        rate = _rate(executed.get(row), adjusted.get(row))
        if rate is not None:
            values[f"执行率.{row}"] = rate
    weight = rounded(review.rate_weight, 2)
    values["执行率权重"] = weight
    rate = values.get("执行率.财政拨款")
    values["执行率得分"] = rounded(weight * min(rate, Decimal(100)) / 100, 2) if rate is not None else rounded(ZERO, 2)
    indicators: list[dict[str, object]] = []
    for x in review.indicators:
        dev = x.deviation if x.deviation is not None else deviation(x)
        indicators.append({"指标名称": x.name, "计量单位": x.unit, "指标性质": x.nature, "指标值": x.value,
                           "全年完成值": x.actual, "偏离度": dev, "得分系数": x.coefficient, "指标权重": x.weight,
                           "指标得分": indicator_score(x), "是否核心指标": x.core, "说明": x.note})
    values["自评总分"] = rounded(values["执行率得分"] + indicator_points(review, indicators), 2)
    text = {"项目名称": review.name, "项目编码": review.code or "",
            "主管部门": f"{doc.code}-{doc.short_name or doc.name}" if doc.code else "",
            "财政归口处室": review.office, "联系人": review.contact, "联系电话": review.phone, "状态": review.status,
            "年初绩效目标": review.goal, "全年绩效目标": review.adjusted_goal, "完成情况": review.result}
    return Record(review.name, text, values, tuple(indicators), frozenset(), key)


@dataclass(frozen=True)
class Planned:
    """A project of the linked 预算, as its published records give it."""
    code: str
    name: str
    total: Decimal          # 元


def planned_projects(budget: Facts) -> list[Planned]:
    """The 预算's projects with amounts (its 项目 records: it is another kind, read by its facts)."""
    return [Planned(r.text.get("项目编码", ""), r.text["项目名称"], r.values["合计"])
            for r in budget.records.get("项目", []) if "合计" in r.values]


def budget_project(budget: Facts | None, project: ProjectReview) -> Planned | None:
    """The same project in the linked 预算 (by 项目编码, then 项目名称)."""
    if budget is None:
        return None
    projects = planned_projects(budget)
    return (next((p for p in projects if project.code and p.code == project.code), None)
            or next((p for p in projects if p.name == project.name), None))


def _records(doc: FinalAccounts, scalars: dict[str, Decimal], linked: dict[str, Facts]) -> dict[str, list[Record]]:
    money, budget = Money(doc.unit), linked.get("预算")
    records: dict[str, list[Record]] = {"整体自评": [], "项目自评": []}
    if doc.review is not None:
        typed = _funding(doc.review.budgeted, money)
        from_budget = {"年度总金额": budget.figure("支出.合计") if budget else None,
                       "财政拨款": budget.figure("支出.财政拨款.合计") if budget else None,
                       "一般公共预算": budget.figure("支出.一般公共预算.合计") if budget else None}
        budgeted = {row: typed[row] if typed[row] is not None else from_budget[row] for row in FUNDING_ROWS}
        executed = {"年度总金额": scalars["支出.合计"], "财政拨款": scalars["支出.财政拨款.合计"],
                    "一般公共预算": scalars["支出.一般公共预算.合计"]}
        records["整体自评"].append(review_record(doc, doc.review, budgeted, executed, "整体自评"))
    for number, project in enumerate(doc.projects, start=1):
        typed = _funding(project.budgeted, money)
        planned = budget_project(budget, project)
        if planned is not None and all(v is None for v in typed.values()):
            typed = dict.fromkeys(FUNDING_ROWS, planned.total)
        records["项目自评"].append(review_record(doc, project, typed, _funding(project.executed, money),
                                                 f"项目自评.{number}"))
    return records


def compute(doc: FinalAccounts, linked: dict[str, Facts] | None = None, catalogue: Catalogue | None = None) -> Facts:
    """All figures of one department's final accounts; `linked` holds the 预算 and 上年 facts."""
    linked = linked or {}
    catalogue = catalogue or built_in()
    functions = _function_rows(doc, linked, catalogue)
    economic = economic_rows(doc, catalogue)
    if doc.economics:
        # one figure, one value: the 06表 total is the 05表's 基本支出 (rules check they agree)
        economic[0].fields["合计"] = functions[0].amount("支出.一般公共预算.基本支出")
    facts = Facts(MEASURES, {"部门": doc.name, "部门简称": doc.short_name or doc.name, "部门编码": doc.code or "",
                             "年度": str(doc.year), "上年": str(doc.year - 1)},
                  linked=linked, catalogue=catalogue)
    facts.rowsets = {"功能分类": functions, "经济分类基本支出": economic}
    facts.scalars = _scalars(doc, functions, economic)
    budgeted = three_public_budget(doc, linked)
    facts.scalars.update({f"三公.预算.{k}": v for k, v in budgeted.items() if v is not None})
    facts.unknown = frozenset(f"三公.预算.{k}" for k, v in budgeted.items() if v is None)
    facts.records = _records(doc, facts.scalars, linked)
    facts.published = published_figures(doc)
    facts.lines_known = not (doc.partial and not doc.funds)
    return facts.verify()
