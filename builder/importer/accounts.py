"""A 部门决算's tables, read back, as a final-accounts YAML: per 项 and fund the 年初结转和结余,
本年收入 and 本年支出 (基本/项目), money that is not a 财政拨款, the 基本支出 by 经济分类 款, the
机构运行信息, and the 绩效自评 forms; every total the tables print goes to 核对数.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.catalogue import FUNDS, Catalogue
from .budget import _indicator
from .figures import Collector, Reader, label_of, text_of
from .read import Found, _header_paths, expected_header
from .source import norm

OTHER_INCOME = ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
OTHER_SPENDING = ("上缴上级支出", "经营支出", "对附属单位补助支出")
# 09表's figures, each the YAML key under 机构运行信息 it is typed as
OPERATIONS = {
    "三公.因公出国": ("三公经费", "因公出国"), "三公.公务用车购置": ("三公经费", "公务用车购置"),
    "三公.公务用车运行维护": ("三公经费", "公务用车运行维护"), "三公.国内接待": ("三公经费", "国内接待"),
    "三公.外事接待": ("三公经费", "其中外事接待"), "三公.国境外接待": ("三公经费", "国境外接待"),
    "三公.出国团组数": ("三公实物量", "因公出国团组数"), "三公.出国人次": ("三公实物量", "因公出国人次"),
    "三公.公务用车购置数": ("三公实物量", "公务用车购置数"), "三公.公务用车保有量": ("三公实物量", "公务用车保有量"),
    "三公.国内接待批次": ("三公实物量", "国内接待批次"), "三公.外事接待批次": ("三公实物量", "其中外事接待批次"),
    "三公.国内接待人次": ("三公实物量", "国内接待人次"), "三公.外事接待人次": ("三公实物量", "其中外事接待人次"),
    "三公.国境外接待批次": ("三公实物量", "国境外接待批次"), "三公.国境外接待人次": ("三公实物量", "国境外接待人次"),
    "会议费": ("", "会议费"), "培训费": ("", "培训费"), "差旅费": ("", "差旅费"),
    "机关运行经费.行政单位": ("机关运行经费", "行政单位"),
    "机关运行经费.参照公务员法管理事业单位": ("机关运行经费", "参照公务员法管理事业单位"),
    "单价100万元以上设备": ("", "单价100万元以上设备"),
    "政府采购.货物": ("政府采购", "货物"), "政府采购.工程": ("政府采购", "工程"), "政府采购.服务": ("政府采购", "服务"),
    "政府采购.授予中小企业": ("政府采购", "授予中小企业"), "政府采购.授予小微企业": ("政府采购", "其中授予小微企业"),
}
COUNTED = ("三公实物量", "车辆")
REVIEW_TEXT = ("项目编码", "财政归口处室", "联系人", "联系电话", "状态", "年初绩效目标", "全年绩效目标", "完成情况")
INDICATOR_DERIVED = ("指标得分",)




def head_of(found_list: list[Found]) -> dict[str, str]:
    """部门编码 and 部门简称 as the 自评表 print them (主管部门: "312-政府办")."""
    for found in found_list:
        value = text_of(found.text.get("主管部门"))
        code, dash, name = value.partition("-")
        if dash and code.strip().isdigit():
            return {"部门编码": code.strip(), "部门简称": name.strip()}
    return {}


class _Accounts(Reader):
    def __init__(self, collector: Collector, measures, catalogue: Catalogue, context: dict[str, str]):
        super().__init__(collector, measures, catalogue, context)
        self.operations: dict[str, Any] = {}          # a 机构运行信息 key → a figure, or its figures by key
        self.scalars: dict[str, Decimal] = {}
        self.reviews: list[Found] = []

    def take(self, found: Found) -> None:
        spec = found.spec
        where = label_of(self.c.profile, found)
        if spec.layout == "rows" and spec.rowset == "功能分类":
            self.function_rows(found, where)
        elif spec.layout == "form":
            if spec.repeat:
                self.reviews.append(found)
            else:
                self.whole = found
            return
        for name, value in found.scalars:
            if name.startswith("车辆.") and name != "车辆.合计":
                self.operations.setdefault("车辆", {})[name[3:]] = self.c.amount(value, found, kind="count") or Decimal(0)
                continue
            kind = "count" if self.measures.scalars.get(name) == "count" else "amount"
            amount = self.c.amount(value, found, kind=kind)
            if name in OPERATIONS:
                group, key = OPERATIONS[name]
                target = self.operations.setdefault(group, {}) if group else self.operations
                target[key] = amount or Decimal(0)
            else:
                self.scalars.setdefault(name, amount or Decimal(0))
                if name in self.measures.scalars and kind == "amount":
                    self.c.state("", name, amount, where)
        sides = self._side_fields(found)
        for label, key, value, side in found.classes:
            amount = self.c.amount(value, found)
            if spec.layout == "paired" and any(item.code_rows for s in spec.sides for item in s.rows
                                               if not isinstance(item, list)):
                code = norm(label)
                if len(code) == 5 and amount:
                    line = self.economics.setdefault(code, {})
                    line[sides.get(side, "公用经费")] = amount
                elif len(code) == 3 and amount:
                    self.c.state(code, key, amount, where)
                continue
            class_code = self._class_code(label)
            if class_code and amount:
                self.c.state(class_code, key, amount, where)
        for value in found.unread:
            self.c.unplace(value, "不在本方案此表的任何一栏")

    def _side_fields(self, found: Found) -> dict[int, str]:
        """Which of 人员经费 / 公用经费 each side of a code-rows table lists, by its header words."""
        spec = found.spec
        if spec.layout != "paired":
            return {}
        paths = _header_paths(expected_header(spec), spec.ncols)
        fields, first = {}, 0
        for s, side in enumerate(spec.sides):
            words = "".join(paths[first]) if first < len(paths) else ""
            fields[s] = "人员经费" if "人员经费" in words else "公用经费"
            first += side.columns
        return fields

    def _class_code(self, label: str) -> str | None:
        text = norm(label)
        profile = self.c.profile
        for list_name in profile.code_lists:
            for code, listed in profile.code_list(list_name):
                name = listed or self.function_names.get(code) or self.catalogue.name(code) or ""
                if len(code) == 3 and name and text.endswith(norm(name)):
                    return code
        return None

    def stated(self, code: str, key: str) -> bool:
        # a 项's figures by fund and kind are typed; its 合计 columns and 财政拨款 收入 are derived
        return key.endswith("合计") or key.startswith("收入.财政")

    # -- the YAML ------------------------------------------------------------------------------
    def data(self) -> dict:
        out: dict = {}
        funds, others = [], []
        fiscal_opening = Decimal(0)
        for code, f in sorted(self.functions.items()):
            fiscal_basic = fiscal_project = Decimal(0)
            for fund in FUNDS:
                # the 决算's measures are named stage.fund.part (支出.一般公共预算.合计)
                g = lambda k, f=f, fund=fund: f.get("{0}.{fund}.{1}".format(*k.split(".", 1), fund=fund)) or Decimal(0)
                opening = {"基本支出结转": g("年初.基本支出结转"),
                           "项目支出结转": g("年初.项目支出结转和结余") + g("年初.结转"),
                           "项目支出结余": g("年初.结余")}
                income = {"基本支出": g("收入.基本支出"), "项目支出": g("收入.项目支出")}
                spending = {"基本支出": g("支出.基本支出"), "项目支出": g("支出.项目支出")}
                if fund == "国有资本经营" and (g("收入.合计") or g("支出.合计")):
                    income["项目支出"] += g("收入.合计")
                    spending["项目支出"] += g("支出.合计")
                    self.c.note(f"{code} 的国有资本经营预算财政拨款表不分基本支出和项目支出，按项目支出导入")
                closing_surplus = g("年末.项目支出结余") + (g("年末.结余") if fund == "国有资本经营" else 0)
                fiscal_basic += spending["基本支出"]
                fiscal_project += spending["项目支出"]
                fiscal_opening += sum(opening.values(), Decimal(0))
                if not any([*opening.values(), *income.values(), *spending.values(), closing_surplus]):
                    continue
                line: dict = {"科目编码": code}
                if fund != "一般公共预算":
                    line["资金"] = fund
                for key, values in (("年初结转和结余", opening), ("本年收入", income), ("本年支出", spending)):
                    shown = {k: v for k, v in values.items() if v}
                    if shown:
                        line[key] = shown
                if closing_surplus:
                    line["年末结转和结余"] = {"项目支出结余": closing_surplus}
                self._names(line, code)
                funds.append(line)
            income = {k: f.get(f"收入.{k}") for k in OTHER_INCOME if f.get(f"收入.{k}")}
            spending = {"基本支出": (f.get("支出.基本支出") or Decimal(0)) - fiscal_basic,
                        "项目支出": (f.get("支出.项目支出") or Decimal(0)) - fiscal_project,
                        **{k: f.get(f"支出.{k}") or Decimal(0) for k in OTHER_SPENDING}}
            spending = {k: v for k, v in spending.items() if v}
            if income or spending:
                line = {"科目编码": code}
                if income:
                    line["收入"] = income
                if spending:
                    line["支出"] = spending
                others.append(line)
        out["财政拨款"] = funds
        if others:
            out["非财政拨款"] = others
        balances = {}
        opening_total = self.scalars.get("收入.年初结转和结余")
        if opening_total is not None and opening_total - fiscal_opening:
            balances["年初结转和结余"] = opening_total - fiscal_opening
        for name, key in (("收入.使用非财政拨款结余", "使用非财政拨款结余"), ("支出.结余分配", "结余分配")):
            if self.scalars.get(name):
                balances[key] = self.scalars[name]
        if balances:
            out["非财政拨款结转结余"] = balances
        if self.economics:
            out["经济分类基本支出"] = [{"科目编码": code, **values} for code, values in sorted(self.economics.items())]
        if self.operations:
            ops = {}
            for group in ("三公经费", "三公实物量", "会议费", "培训费", "差旅费", "机关运行经费", "车辆",
                          "单价100万元以上设备", "政府采购"):
                if group in self.operations:
                    value = self.operations[group]
                    if isinstance(value, dict):
                        value = {k: (int(v) if group in COUNTED else v) for k, v in value.items()}
                    elif group == "单价100万元以上设备":
                        value = int(value)
                    ops[group] = value
            out["机构运行信息"] = ops
        if self.whole is not None:
            out["整体自评"] = self.review(self.whole, whole=True)
        if self.reviews:
            out["项目自评"] = [r for r in (self.review(f, whole=False) for f in self.reviews) if r]
        return out

    def head(self) -> dict[str, str]:
        """部门编码 and 部门简称 as the 自评表 print them (主管部门: "312-政府办")."""
        for found in [self.whole, *self.reviews]:
            if found is not None and text_of(found.text.get("主管部门")):
                code, dash, name = text_of(found.text.get("主管部门")).partition("-")
                if dash and code.strip().isdigit():
                    return {"部门编码": code.strip(), "部门简称": name.strip()}
        return {}

    def _names(self, line: dict, code: str) -> None:
        for key, part in (("科目名称", code), ("款名称", code[:5]), ("类名称", code[:3])):
            printed = self.function_names.get(part)
            if printed and printed.strip() != (self.catalogue.name(part) or ""):
                line[key] = printed

    def review(self, found: Found, whole: bool) -> dict:
        fields = {name: text_of(v) for name, v in found.text.items()}
        for name, values in found.context.items():
            if values and name not in fields:
                fields[name] = values[0].text.strip()
        name = fields.get("项目名称", "")
        if not name:
            if any(fields.get(k) for k in REVIEW_TEXT) or found.indicators:
                self.c.note(f"{found.where}：自评表中没有项目名称，此表未导入")
            return {}
        out: dict = {"项目名称": name}
        for key in REVIEW_TEXT:
            value = fields.get(key, "")
            if key == "状态" and value == found.spec.defaults.get("状态"):
                continue
            if value:
                out[key] = value
        scalars = {n: self.c.amount(v, found) for n, v in found.scalars}
        for group in ("年初预算数", "全年预算数") + (() if whole else ("全年执行数",)):
            given = {k: scalars.get(f"{group}.{k}") for k in ("年度总金额", "财政拨款", "一般公共预算")}
            if all(v is None for v in given.values()):
                continue
            three = {k: v or Decimal(0) for k, v in given.items()}
            out[group] = three["年度总金额"] if len(set(three.values())) == 1 else three
        weight = scalars.get("执行率权重")
        if weight is not None and weight != 10:
            out["执行率权重"] = weight
        indicators = []
        for item in found.indicators:
            indicator = _indicator({k: v for k, v in item.items() if k not in INDICATOR_DERIVED}, self.c, found)
            for key in ("偏离度", "得分系数"):
                if key in indicator:
                    indicator[key] = self.c.amount(item[key], found, kind="number")
            if indicator.get("得分系数") == 100:
                del indicator["得分系数"]
            if indicator:
                indicators.append(indicator)
        if indicators:
            out["指标"] = indicators
        return out


assemble = _Accounts.assemble
