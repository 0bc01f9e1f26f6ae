"""The department year as a validated, immutable value.

The YAML a clerk edits is Chinese; the code is English, so every field has a Chinese alias.
The model holds only what the clerk typed — each figure once, at its most detailed level — and
knows nothing of tables, units of display or rendering. Amounts are `Decimal` (the loader hands
over strings, never floats); codes are strings that must look like codes of their level.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import AliasChoices, Field, field_validator

from ..core.fields import Amount, DeptUnitCode, DocumentBase, EconomicCode, Frozen, FunctionItemCode, Name, ProjectCode, Unit, Weight
from ..core.limits import ITEMS


class Source(str, Enum):
    """资金来源. Which columns each one feeds is data (templates/catalogue/sources.yaml)."""
    GENERAL = "一般公共预算"
    GENERAL_EARMARKED = "专项收入"          # 一般公共预算 funded by 专项收入 (its own row where a region prints it)
    FUND = "政府性基金"
    STATE_CAPITAL = "国有资本经营"
    GENERAL_CARRYOVER = "一般公共预算结转"
    FUND_CARRYOVER = "政府性基金结转"
    STATE_CAPITAL_CARRYOVER = "国有资本经营结转"
    SPECIAL_ACCOUNT = "财政专户管理"
    OPERATIONS = "事业收入"
    HIGHER_SUBSIDY = "上级补助"
    SUBSIDIARY = "附属单位上缴"
    BUSINESS = "事业单位经营"
    OTHER = "其他收入"
    OTHER_CARRYOVER = "其他结转"


REASON_KEYS = ("收支", "基本支出", "项目支出", "因公出国", "公务用车购置", "公务用车运行维护",
               "公务接待", "机关运行经费")


class Notes(Frozen):
    """The clerk's words in the 情况说明: descriptions and reasons, never figures."""
    duties: str = Field("", alias="职能职责", title="职能职责")
    structure: str = Field("", alias="单位构成", title="单位构成")
    basic_use: str = Field("", alias="基本支出用途", title="基本支出主要用于")
    project_use: str = Field("", alias="项目支出用途", title="项目支出主要用于")
    running_use: str = Field("", alias="运行经费用途", title="机关运行经费主要用于")
    assets: str = Field("", alias="国有资产", title="国有资产占有使用情况")
    reasons: dict[str, str] = Field({}, alias="增减原因", max_length=ITEMS["原因"],
                                    title="与上年相比增减的主要原因：" + "、".join(REASON_KEYS))
    contact: str = Field("", alias="联系人", title="部门预算公开联系人")
    phone: str = Field("", alias="联系电话", title="联系方式")

    @field_validator("reasons")
    @classmethod
    def _known_reasons(cls, value: dict[str, str]) -> dict[str, str]:
        # a 7-digit 功能分类 项 code gives the reason for that 项's change (渝北 情况说明)
        unknown = [k for k in value if k not in REASON_KEYS and not (k.isdigit() and len(k) == 7)]
        if unknown:
            raise ValueError(f"增减原因中没有“{'、'.join(unknown)}”，可用：{'、'.join(REASON_KEYS)}"
                             f"，或 7 位功能分类科目编码")
        return value


class FunctionLine(Frozen):
    code: FunctionItemCode = Field(alias="科目编码", title="功能分类科目编码（项，7 位）")
    basic: Amount = Field(Decimal(0), alias="基本支出", title="基本支出")
    # Typed only where projects are not itemised with amounts; otherwise derived from 项目.
    project: Amount | None = Field(None, alias="项目支出", title="项目支出（仅当项目未列金额时填写）")
    projects_partial: bool = Field(
        False, alias="项目未全部列出",
        title="本项的项目未全部列出：填写的项目支出大于所列项目金额之和（不写则两者须相等）")
    business: Amount = Field(Decimal(0), alias="经营支出")
    to_higher: Amount = Field(Decimal(0), alias="上解上级支出")
    to_subsidiary: Amount = Field(Decimal(0), alias="对附属单位补助支出")
    # further spending categories the region prints beside 基本支出 and 项目支出 (单位预留机动经费 …),
    # each declared by the profile (its spending_categories); they count into every total
    categories: dict[Name, Amount] = Field(
        {}, alias="支出类别", max_length=ITEMS["支出类别"],
        title="基本支出、项目支出以外的支出类别及金额（如 单位预留机动经费: 100；类别须是方案列出的）")
    source: Source = Field(Source.GENERAL, alias="资金来源", title="资金来源")
    name: Name | None = Field(None, alias="科目名称", title="项级科目名称（科目表没有此编码时必填）")
    group_name: Name | None = Field(None, alias="款名称", title="款级科目名称（科目表没有其款时必填）")
    class_name: Name | None = Field(None, alias="类名称", title="类级科目名称（科目表没有其类时必填）")


class EconomicLine(Frozen):
    code: EconomicCode = Field(alias="科目编码", title="部门预算支出经济分类科目编码（款，5 位）")
    personnel: Amount = Field(Decimal(0), alias="人员经费", title="人员经费")
    public: Amount = Field(Decimal(0), alias="公用经费", title="公用经费")
    name: Name | None = Field(None, alias="科目名称", title="款级科目名称（科目表没有此编码时必填）")
    class_name: Name | None = Field(None, alias="类名称", title="类级科目名称（科目表没有其类时必填）")


class ThreePublic(Frozen):
    abroad: Amount = Field(Decimal(0), alias="因公出国", title="因公出国（境）费用")
    abroad_academic: Amount = Field(Decimal(0), alias="教学科研人员因公出国",
                                    title="其中：教学科研人员因公出国（境）费")
    car_purchase: Amount = Field(Decimal(0), alias="公务用车购置", title="公务用车购置费")
    car_running: Amount = Field(Decimal(0), alias="公务用车运行维护", title="公务用车运行维护费")
    reception: Amount = Field(Decimal(0), alias="公务接待", title="公务接待费")
    # Not "三公", but some regions print them in the same table; None = not given.
    meetings: Amount | None = Field(None, alias="会议费")
    training: Amount | None = Field(None, alias="培训费")
    unit: Unit | None = Field(None, alias="金额单位",
                              title="这一节金额的单位（不写则同全文件；如全文件为元、“三公”按万元公布）")


class Purchase(Frozen):
    category: Literal["货物", "工程", "服务"] = Field(alias="类别", title="采购类别（采购品目大类）")
    amount: Amount = Field(alias="金额", title="金额")
    name: str = Field("", alias="名称", title="采购项目（物品）名称")
    source: Source = Field(Source.GENERAL, alias="资金来源", title="资金来源")
    project: str = Field("", alias="项目", title="资金来源项目（专项名称）")
    economic: str = Field("", alias="经济科目", title="经济科目（如 办公设备购置）")
    procurement: str = Field("", alias="采购组织形式", title="采购组织形式（如 分散自行组织、政府集中采购）")
    unit_name: str = Field("", alias="单位名称")
    unit_code: str = Field("", alias="单位代码")
    catalogue_no: str = Field("", alias="目录序号", title="政府采购目录序号")
    measure: str = Field("", alias="计量单位")
    quantity: str = Field("", alias="数量")
    unit_price: Amount | None = Field(None, alias="单价")
    sme_share: Amount | None = Field(None, alias="中小企业份额", title="预留中小微企业份额")


class ProjectSplit(Frozen):
    """The 项目支出明细表 columns. A project's total is their sum, never typed. A plain number
    for 金额 means the total is known but not its split (`unsplit`)."""
    unsplit: Amount = Field(Decimal(0), alias="未分列", title="未分列到明细表各列的金额")
    personnel: Amount = Field(Decimal(0), alias="人员性项目")
    general: Amount = Field(Decimal(0), alias="一般性项目")
    livelihood: Amount = Field(Decimal(0), alias="民生配套项目")
    advance: Amount = Field(Decimal(0), alias="提前下达专项")
    carryover: Amount = Field(Decimal(0), alias="结转项目")
    municipal: Amount = Field(Decimal(0), alias="市级专项")

    @property
    def annual(self) -> Decimal:
        return self.personnel + self.general + self.livelihood

    @property
    def higher(self) -> Decimal:
        return self.advance + self.carryover + self.municipal

    @property
    def total(self) -> Decimal:
        return self.annual + self.higher + self.unsplit


def _either(*names: str):
    return AliasChoices(*names)


class ProjectIndicator(Frozen):
    level1: str = Field("", alias="一级指标")
    level2: str = Field("", alias="二级指标")
    level3: str = Field(alias="三级指标", validation_alias=_either("三级指标", "指标名称"))
    description: str = Field("", alias="绩效指标描述")
    value: str = Field("", alias="指标值")
    nature: str = Field("", alias="指标性质")
    unit: str = Field("", alias="度量单位", validation_alias=_either("度量单位", "计量单位"))
    weight: Weight = Field(None, alias="权重", validation_alias=_either("权重", "指标权重"))
    core: str = Field("", alias="是否核心指标")
    basis: str = Field("", alias="指标值确定依据")


class Project(Frozen):
    code: ProjectCode | None = Field(None, alias="项目编码", title="项目编码（方案打印项目编码时必填）")
    name: Name = Field(alias="项目名称", min_length=1)
    function_code: FunctionItemCode | None = Field(
        None, alias="科目编码", title="功能分类科目编码（项，7 位；项目金额据此计入功能分类）")
    function_name: Name | None = Field(None, alias="科目名称", title="项级科目名称（科目表没有此编码时必填）")
    group_name: Name | None = Field(None, alias="款名称", title="款级科目名称（科目表没有其款时必填）")
    class_name: Name | None = Field(None, alias="类名称", title="类级科目名称（科目表没有其类时必填）")
    unit: Name | None = Field(None, alias="预算单位", title="预算单位（不写则为部门）")
    unit_code: DeptUnitCode | None = Field(None, alias="预算单位编码",
                                           title="预算单位编码（下属单位的项目写明，申报表的实施单位据此打印；不写则为本级）")
    source: Source = Field(Source.GENERAL, alias="资金来源")
    split: ProjectSplit | None = Field(None, alias="金额",
                                       title="金额（项目支出明细表各列，或一个总数；文件未列则不写）")
    grant_to_towns: Amount = Field(Decimal(0), alias="补助镇街", title="补助镇街（区级支出 = 金额 − 补助镇街）")
    key_project: bool = Field(False, alias="重点项目")

    @field_validator("split", mode="before")
    @classmethod
    def _plain_total(cls, value: object) -> object:
        # 金额: 250000 — the total is known, its 项目支出明细表 split is not.
        return {"未分列": value} if isinstance(value, (str, int, Decimal)) else value
    attribute: str = Field("", alias="项目属性")
    start: str = Field("", alias="起始时间")
    end: str = Field("", alias="终止时间")
    overview: str = Field("", alias="项目概况")
    basis: str = Field("", alias="立项依据")
    goal: str = Field("", alias="绩效目标", title="项目当年绩效目标")
    indicators: tuple[ProjectIndicator, ...] = Field((), alias="绩效指标", max_length=ITEMS["指标"])
    stated_total: Amount | None = Field(None, alias="资金总额",
                                        title="资金总额（可不写；写了则须等于各列之和）")


class DeptIndicator(Frozen):
    name: str = Field(alias="指标名称")
    weight: Weight = Field(None, alias="指标权重")
    unit: str = Field("", alias="计量单位")
    nature: str = Field("", alias="指标性质")
    value: str = Field("", alias="指标值")
    core: str = Field("", alias="是否核心指标")


class DeptPerformance(Frozen):
    goal: str = Field("", alias="目标", title="当年整体绩效目标")
    indicators: tuple[DeptIndicator, ...] = Field((), alias="指标", max_length=ITEMS["指标"])


class PreviousLine(Frozen):
    code: FunctionItemCode = Field(alias="科目编码")
    amount: Amount = Field(alias="金额")


class Previous(Frozen):
    functions: tuple[PreviousLine, ...] = Field((), alias="功能分类支出", max_length=ITEMS["科目"],
                                                title="上年一般公共预算财政拨款支出（项）")
    three_public: ThreePublic = Field(ThreePublic(), alias="三公经费")


class ClassifiedAmount(Frozen):
    code: EconomicCode = Field(alias="科目编码")
    amount: Amount = Field(alias="金额")
    name: Name | None = Field(None, alias="科目名称", title="款级科目名称（科目表没有此编码时必填）")
    class_name: Name | None = Field(None, alias="类名称", title="类级科目名称（科目表没有其类时必填）")


class FixedAssets(Frozen):
    count: str = Field("", alias="数量")
    value: Amount | None = Field(None, alias="原值", title="固定资产原值")


class Department(DocumentBase):
    """One department's budget for one year, as typed."""
    kind: Literal["预算"] = Field("预算", alias="类型", title="公开文件类型：预算（部门预算）")
    notes: Notes = Field(Notes(), alias="说明")
    functions: tuple[FunctionLine, ...] = Field((), alias="功能分类支出", max_length=ITEMS["科目"])
    economics: tuple[EconomicLine, ...] = Field((), alias="经济分类基本支出", max_length=ITEMS["科目"])
    three_public: ThreePublic = Field(ThreePublic(), alias="三公经费")
    purchases: tuple[Purchase, ...] = Field((), alias="政府采购", max_length=ITEMS["政府采购"])
    projects: tuple[Project, ...] = Field((), alias="项目", max_length=ITEMS["项目"])
    performance: DeptPerformance = Field(DeptPerformance(), alias="整体绩效目标")
    previous: Previous = Field(Previous(), alias="上年", title="上年数字（或用“上年文件”指向上年的 YAML）")
    economics_project: tuple[ClassifiedAmount, ...] | None = Field(
        None, alias="经济分类项目支出", max_length=ITEMS["科目"], title="项目支出按部门预算支出经济分类（款）")
    gov_economics_basic: tuple[ClassifiedAmount, ...] | None = Field(
        None, alias="政府经济分类基本支出", max_length=ITEMS["科目"], title="基本支出按政府预算支出经济分类（款）")
    gov_economics_project: tuple[ClassifiedAmount, ...] | None = Field(
        None, alias="政府经济分类项目支出", max_length=ITEMS["科目"], title="项目支出按政府预算支出经济分类（款）")
    fixed_assets: FixedAssets | None = Field(None, alias="固定资产")
    running_costs: Amount | None = Field(None, alias="机关运行经费",
                                         title="机关运行经费（不写则为一般公共预算基本支出中的公用经费）")

    def categories(self) -> tuple[str, ...]:
        """The further spending categories (支出类别) its lines type, in the order first typed."""
        return tuple(dict.fromkeys(name for line in self.functions for name in line.categories))
