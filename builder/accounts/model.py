"""The 部门决算 year as a validated, immutable value.

The final accounts are typed once, at the most detailed level: 财政拨款 per fund and 功能分类 项
(年初结转和结余, 本年收入, 本年支出, each split 基本/项目), money that is not a 财政拨款 per 项 by
source and by kind of spending, the 基本支出 by 经济分类 款, the 机构运行信息, and the 绩效自评
of the department and of each project. Every total, every 类/款 row, the 年末结转和结余, 执行率,
执行率得分, 指标得分 and 自评总分 are derived; a figure typed where it could be derived (年末
结转和结余, 偏离度) is checked against the rule.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator

from ..core.catalogue import FUNDS
from ..core.fields import (
    Amount,
    Count,
    DocumentBase,
    EconomicCode,
    Frozen,
    FunctionItemCode,
    Name,
    ProjectCode,
    Unit,
    Weight,
)
from ..core.limits import ITEMS

Fund = Literal[FUNDS]  # type: ignore[valid-type]   # the catalogue's funds: templates/catalogue/sources.yaml


class Split(Frozen):
    basic: Amount = Field(Decimal(0), alias="基本支出")
    project: Amount = Field(Decimal(0), alias="项目支出")


class Spending(Frozen):
    basic: Amount = Field(Decimal(0), alias="基本支出")
    # not typed: the 全年执行数 of the 项目自评 that name this 科目编码
    project: Amount | None = Field(None, alias="项目支出", title="项目支出（不写则为写了本科目编码的项目自评全年执行数之和）")


class Opening(Frozen):
    """年初结转和结余 of one fund on one 项."""
    basic: Amount = Field(Decimal(0), alias="基本支出结转")
    project: Amount = Field(Decimal(0), alias="项目支出结转")
    surplus: Amount = Field(Decimal(0), alias="项目支出结余")


class Closing(Frozen):
    """年末结转和结余 as typed, to be checked against 年初 + 本年收入 − 本年支出; or only its
    项目支出结余 (the part of the project money left that is a 结余, not a 结转)."""
    basic: Amount | None = Field(None, alias="基本支出结转")
    project: Amount | None = Field(None, alias="项目支出结转")
    surplus: Amount = Field(Decimal(0), alias="项目支出结余")


class FundLine(Frozen):
    """One 财政拨款 fund on one 功能分类 项."""
    code: FunctionItemCode = Field(alias="科目编码", title="功能分类科目编码（项，7 位）")
    fund: Fund = Field("一般公共预算", alias="资金", title="财政拨款资金：一般公共预算、政府性基金或国有资本经营")
    opening: Opening = Field(Opening(), alias="年初结转和结余")
    income: Split = Field(Split(), alias="本年收入")
    # 项目支出 may be left out where the 项目自评 (with this 科目编码) list the projects' spending
    spending: Spending = Field(Spending(), alias="本年支出")
    closing: Closing = Field(Closing(), alias="年末结转和结余", title="年末结转和结余（可不写：由计算得出；写了则核对）")
    name: Name | None = Field(None, alias="科目名称", title="项级科目名称（科目表没有此编码时必填）")
    group_name: Name | None = Field(None, alias="款名称")
    class_name: Name | None = Field(None, alias="类名称")


class OtherIncome(Frozen):
    """Income that is not a 财政拨款 (a title quotes the 名词解释 the 决算 prints)."""
    higher: Amount = Field(Decimal(0), alias="上级补助收入")
    operations: Amount = Field(Decimal(0), alias="事业收入", title="事业收入：事业单位开展专业业务活动及其辅助活动取得的收入")
    business: Amount = Field(Decimal(0), alias="经营收入",
                            title="经营收入：事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入")
    subsidiary: Amount = Field(Decimal(0), alias="附属单位上缴收入")
    other: Amount = Field(Decimal(0), alias="其他收入")


class OtherSpending(Frozen):
    basic: Amount = Field(Decimal(0), alias="基本支出")
    project: Amount = Field(Decimal(0), alias="项目支出")
    to_higher: Amount = Field(Decimal(0), alias="上缴上级支出")
    business: Amount = Field(Decimal(0), alias="经营支出",
                            title="经营支出：事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动发生的支出")
    to_subsidiary: Amount = Field(Decimal(0), alias="对附属单位补助支出")


class OtherLine(Frozen):
    """Money that is not a 财政拨款, on one 功能分类 项."""
    code: FunctionItemCode = Field(alias="科目编码")
    income: OtherIncome = Field(OtherIncome(), alias="收入")
    spending: OtherSpending = Field(OtherSpending(), alias="支出")
    name: Name | None = Field(None, alias="科目名称")
    group_name: Name | None = Field(None, alias="款名称")
    class_name: Name | None = Field(None, alias="类名称")


class OtherBalances(Frozen):
    """The 非财政拨款 balances of the 收入支出决算表 (01表)."""
    opening: Amount = Field(Decimal(0), alias="年初结转和结余")
    used_surplus: Amount = Field(Decimal(0), alias="使用非财政拨款结余", title="使用非财政拨款结余（含专用结余）")
    distributed: Amount = Field(Decimal(0), alias="结余分配")
    closing: Amount | None = Field(None, alias="年末结转和结余", title="年末结转和结余（可不写：由计算得出；写了则核对）")


class EconomicLine(Frozen):
    code: EconomicCode = Field(alias="科目编码", title="部门预算支出经济分类科目编码（款，5 位）")
    personnel: Amount = Field(Decimal(0), alias="人员经费")
    public: Amount = Field(Decimal(0), alias="公用经费")
    name: Name | None = Field(None, alias="科目名称")
    class_name: Name | None = Field(None, alias="类名称")


class ThreePublicBudget(Frozen):
    """The year's budget of the "三公" (年初预算数), as its 部门预算 published it: typed where no
    预算文件 is linked or the linked one does not give it (a partial file); typed and linked, the
    two must agree at the precision typed. Totals are derived."""
    abroad: Amount = Field(Decimal(0), alias="因公出国", title="因公出国（境）费预算数")
    car_purchase: Amount = Field(Decimal(0), alias="公务用车购置", title="公务用车购置费预算数")
    car_running: Amount = Field(Decimal(0), alias="公务用车运行维护", title="公务用车运行维护费预算数")
    reception: Amount = Field(Decimal(0), alias="公务接待", title="公务接待费预算数")
    unit: Unit | None = Field(None, alias="金额单位",
                              title="这一节金额的单位（不写则同全文件；如决算按元、预算数照部门预算按万元填写）")


class ThreePublic(Frozen):
    """一般公共预算财政拨款 "三公" 经费支出 (09表), and the year's budget of them."""
    abroad: Amount = Field(Decimal(0), alias="因公出国", title="因公出国（境）费")
    car_purchase: Amount = Field(Decimal(0), alias="公务用车购置")
    car_running: Amount = Field(Decimal(0), alias="公务用车运行维护")
    reception_domestic: Amount = Field(Decimal(0), alias="国内接待", title="国内接待费（含外事接待）")
    reception_foreign_affairs: Amount = Field(Decimal(0), alias="其中外事接待", title="国内接待费中的外事接待费")
    reception_abroad: Amount = Field(Decimal(0), alias="国境外接待", title="国（境）外接待费")
    budget: ThreePublicBudget | None = Field(
        None, alias="预算数", title="“三公”经费年初预算数（链接了预算文件时可不写：取自预算文件）")


class ThreePublicCounts(Frozen):
    """"三公" 实物量 (09表 相关统计数): each title is the line as printed, with its unit."""
    groups_abroad: Count = Field(0, alias="因公出国团组数", title="因公出国（境）团组数（个）")
    people_abroad: Count = Field(0, alias="因公出国人次", title="因公出国（境）人次（人）")
    cars_bought: Count = Field(0, alias="公务用车购置数", title="公务用车购置数（辆）")
    cars_held: Count = Field(0, alias="公务用车保有量", title="公务用车保有量（辆）")
    receptions: Count = Field(0, alias="国内接待批次", title="国内公务接待批次（个）")
    receptions_foreign_affairs: Count = Field(0, alias="其中外事接待批次", title="其中：外事接待批次（个）")
    guests: Count = Field(0, alias="国内接待人次", title="国内公务接待人次（人）")
    guests_foreign_affairs: Count = Field(0, alias="其中外事接待人次", title="其中：外事接待人次（人）")
    receptions_abroad: Count = Field(0, alias="国境外接待批次", title="国（境）外公务接待批次（个）")
    guests_abroad: Count = Field(0, alias="国境外接待人次", title="国（境）外公务接待人次（人）")


class RunningCosts(Frozen):
    administrative: Amount = Field(Decimal(0), alias="行政单位")
    civil_service_like: Amount = Field(Decimal(0), alias="参照公务员法管理事业单位")


class Vehicles(Frozen):
    minister: Count = Field(0, alias="副部级及以上领导用车")
    leaders: Count = Field(0, alias="主要领导干部用车")
    confidential: Count = Field(0, alias="机要通信用车")
    emergency: Count = Field(0, alias="应急保障用车")
    enforcement: Count = Field(0, alias="执法执勤用车")
    special: Count = Field(0, alias="特种专业技术用车")
    retired: Count = Field(0, alias="离退休干部用车")
    other: Count = Field(0, alias="其他用车")


class Procurement(Frozen):
    goods: Amount = Field(Decimal(0), alias="货物")
    works: Amount = Field(Decimal(0), alias="工程")
    services: Amount = Field(Decimal(0), alias="服务")
    sme: Amount = Field(Decimal(0), alias="授予中小企业", title="政府采购授予中小企业合同金额")
    small: Amount = Field(Decimal(0), alias="其中授予小微企业", title="其中：授予小微企业合同金额")


class Operations(Frozen):
    """机构运行信息 (09表)."""
    three_public: ThreePublic = Field(ThreePublic(), alias="三公经费")
    counts: ThreePublicCounts = Field(ThreePublicCounts(), alias="三公实物量")
    meetings: Amount = Field(Decimal(0), alias="会议费")
    training: Amount = Field(Decimal(0), alias="培训费")
    travel: Amount = Field(Decimal(0), alias="差旅费")
    running: RunningCosts = Field(RunningCosts(), alias="机关运行经费")
    vehicles: Vehicles = Field(Vehicles(), alias="车辆")
    equipment: Count = Field(0, alias="单价100万元以上设备", title="单价100万元（含）以上设备（不含车辆），台（套）")
    procurement: Procurement = Field(Procurement(), alias="政府采购")


class Indicator(Frozen):
    """One indicator of a 自评表: typed 指标值, 全年完成值 and 权重; 指标得分 is derived."""
    name: str = Field(alias="指标名称", min_length=1)
    unit: str = Field("", alias="计量单位")
    nature: str = Field("", alias="指标性质")
    value: str = Field("", alias="指标值")
    actual: str = Field("", alias="全年完成值")
    deviation: Weight = Field(None, alias="偏离度", title="偏离度（%）；不写则定量指标由指标值与完成值算出，定性指标为 0")
    coefficient: Amount = Field(Decimal(100), alias="得分系数", title="得分系数（%），默认 100")
    weight: Weight = Field(None, alias="指标权重")
    core: str = Field("", alias="是否核心指标")
    note: str = Field("", alias="说明")


class Funding(Frozen):
    """年初预算数 / 全年（调整）预算数 / 全年执行数 of the three rows of a 资金情况 grid."""
    total: Amount | None = Field(None, alias="年度总金额")
    fiscal: Amount | None = Field(None, alias="财政拨款")
    general: Amount | None = Field(None, alias="一般公共预算")


def _funding(value: object) -> object:
    # one figure for all three rows (the usual case: all of it is 一般公共预算财政拨款)
    return {"年度总金额": value, "财政拨款": value, "一般公共预算": value} if isinstance(value, (str, int, Decimal)) else value


class SelfReview(Frozen):
    """A 绩效自评表's typed part (the department's or a project's)."""
    name: Name = Field(alias="项目名称", min_length=1)
    code: ProjectCode | None = Field(None, alias="项目编码")
    office: str = Field("", alias="财政归口处室")
    contact: str = Field("", alias="联系人", title="部门联系人")
    phone: str = Field("", alias="联系电话")
    budgeted: Funding | None = Field(None, alias="年初预算数",
                                     title="年初预算数（链接了预算文件时可不写：取预算文件的数字）")
    adjusted: Funding | None = Field(None, alias="全年预算数", title="全年（调整）预算数")
    executed: Funding | None = Field(None, alias="全年执行数", title="全年执行数（整体自评不写：取本决算的支出）")
    status: str = Field("", alias="状态", title="自评表的审核状态（如“绩效审核已审”；不写则按方案）")
    rate_weight: Amount = Field(Decimal(10), alias="执行率权重")
    goal: str = Field("", alias="年初绩效目标")
    adjusted_goal: str = Field("", alias="全年绩效目标", title="全年（调整）绩效目标")
    result: str = Field("", alias="完成情况", title="全年目标实际完成情况")
    indicators: tuple[Indicator, ...] = Field((), alias="指标", max_length=ITEMS["指标"])

    @field_validator("budgeted", "adjusted", "executed", mode="before")
    @classmethod
    def _one_or_three(cls, value: object) -> object:
        return _funding(value)


class ProjectReview(SelfReview):
    # a project's own spending: never derived, so never left out (a missing one would count as 0)
    executed: Funding = Field(alias="全年执行数", title="全年执行数")
    function_code: FunctionItemCode | None = Field(
        None, alias="科目编码", title="功能分类科目编码（项）：写了则其全年执行数计入该项的项目支出")


REASON_KEYS = ("收支", "收入", "支出", "财政拨款", "一般公共预算", "结转结余", "人员经费", "公用经费", "三公经费",
               "因公出国", "公务用车购置", "公务用车运行维护", "公务接待", "会议费", "培训费", "差旅费", "机关运行经费")
USE_KEYS = ("人员经费", "公用经费", "公务用车运行维护", "公务接待", "机关运行经费")


def _keys(allowed: tuple[str, ...], codes: bool, what: str):
    def check(value: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in value if k not in allowed and not (codes and k.isdigit() and len(k) in (3, 5, 7))]
        if unknown:
            extra = "，或功能分类科目编码" if codes else ""
            raise ValueError(f"{what}中没有“{'、'.join(unknown)}”，可用：{'、'.join(allowed)}{extra}")
        return value
    return check


class Notes(Frozen):
    """The clerk's words in the 决算说明: descriptions and reasons, never figures."""
    duties: str = Field("", alias="职能职责")
    structure: str = Field("", alias="单位构成")
    reasons: dict[str, str] = Field({}, alias="增减原因", max_length=ITEMS["原因"], title="与上年相比增减的主要原因")
    budget_reasons: dict[str, str] = Field({}, alias="较预算原因", max_length=ITEMS["原因"],
                                           title="与年初预算相比增减的主要原因")
    uses: dict[str, str] = Field({}, alias="用途", max_length=ITEMS["原因"],
                                 title="人员经费、公用经费、公务用车运行维护、公务接待、机关运行经费的用途")
    performance: str = Field("", alias="绩效管理", title="预算绩效管理情况的评价（数字由计算得出）")
    assets: str = Field("", alias="国有资产", title="国有资产占用情况的补充说明（车辆、设备数由计算得出）")
    contact: str = Field("", alias="联系方式", title="决算公开联系方式")

    _reasons = field_validator("reasons")(_keys(REASON_KEYS, True, "增减原因"))
    _budget_reasons = field_validator("budget_reasons")(_keys(REASON_KEYS, True, "较预算原因"))
    _uses = field_validator("uses")(_keys(USE_KEYS, False, "用途"))


class FinalAccounts(DocumentBase):
    """One department's final accounts for one year, as typed."""
    kind: Literal["决算"] = Field(alias="类型", title="公开文件类型：决算（部门决算）")
    budget_file: str | None = Field(None, alias="预算文件", title="同年度部门预算 YAML（相对本文件的路径）")
    notes: Notes = Field(Notes(), alias="说明")
    funds: tuple[FundLine, ...] = Field((), alias="财政拨款", max_length=ITEMS["科目"])
    others: tuple[OtherLine, ...] = Field((), alias="非财政拨款", max_length=ITEMS["科目"])
    other_balances: OtherBalances = Field(OtherBalances(), alias="非财政拨款结转结余")
    economics: tuple[EconomicLine, ...] = Field((), alias="经济分类基本支出", max_length=ITEMS["科目"],
                                                title="一般公共预算财政拨款基本支出按经济分类（款）")
    operations: Operations = Field(Operations(), alias="机构运行信息")
    review: SelfReview | None = Field(None, alias="整体自评", title="部门整体绩效自评")
    projects: tuple[ProjectReview, ...] = Field((), alias="项目自评", max_length=ITEMS["项目"],
                                                title="二级项目绩效自评（每个项目一张）")
