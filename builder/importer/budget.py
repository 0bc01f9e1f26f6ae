"""A 部门预算's tables, read back, as a department YAML: each figure at its most detailed level
(项 基本支出 per 资金来源, 经济分类 款, "三公", projects with 科目 and amounts, 绩效 forms,
政府采购 …); every total and subtotal the tables print goes to 核对数.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.catalogue import FUNDS, Catalogue, sources
from .figures import Collector, Reader, label_of, text_of
from .read import Found, Value
from .source import norm

# each income column's source (the first with it: 一般公共预算, not its 专项收入 part)
FUND_INCOME = {info.income: name for name, info in reversed(sources().items()) if not info.carryover}
PROJECT_SPLIT = ("人员性项目", "一般性项目", "民生配套项目", "提前下达专项", "结转项目", "市级专项")
THREE_PUBLIC = ("因公出国", "公务用车购置", "公务用车运行维护", "公务接待")
PURCHASE_CATEGORY = {"货物类": "货物", "工程类": "工程", "服务类": "服务"}
CATALOGUE_PREFIX = {"A": "货物", "B": "工程", "C": "服务"}   # 政府采购品目分类目录: A 货物, B 工程, C 服务




class _Budget(Reader):
    def __init__(self, collector: Collector, measures, catalogue: Catalogue, context: dict[str, str]):
        super().__init__(collector, measures, catalogue, context)
        self.classified: dict[str, dict[str, dict[str, Decimal]]] = {}      # row set → code → {金额: …}
        self.classified_names: dict[str, dict[str, str]] = {}
        self.three_public: dict[str, Decimal] = {}
        self.previous_three: dict[str, Decimal] = {}
        self.extra_three: dict[str, Decimal] = {}
        self.purchases: list[dict] = []
        self.projects: list[dict] = []
        self.project_table = False
        self.forms: list[tuple[Found, set[str]]] = []
        self.assets: dict | None = None
        self.scalars: dict[str, tuple[Decimal, str]] = {}
        # 项 → the 资金来源 its 项目支出 comes from: filled by function_lines, which data() runs
        # before it writes the projects (a project takes its 项's source where there is one)
        self.project_sources: dict[str, list[str]] = {}

    # -- reading each table ---------------------------------------------------------------------
    def take(self, found: Found) -> None:
        spec = found.spec
        where = label_of(self.c.profile, found)
        if spec.layout == "rows":
            handler = {"功能分类": self.function_rows, "经济分类基本支出": self.economic_rows,
                       "三公经费": self.three_public_rows, "政府采购": self.purchase_rows,
                       "政府采购明细": self.purchase_items, "项目支出": self.project_rows,
                       "固定资产": self.asset_rows}.get(spec.rowset, self.classified_rows)
            handler(found, where)
        elif spec.layout == "form":
            if spec.repeat:
                self.forms.append((found, {spec.select} if spec.select else set()))
            else:
                self.whole = found
        for name, value in found.scalars:
            if spec.layout == "form" and spec.repeat:
                continue                    # a project's own figures, read with its form
            amount = self.c.amount(value, found)
            self.scalar(name, amount, where, value)
        for label, key, value, _ in found.classes:
            code = self.class_code(label)
            amount = self.c.amount(value, found)
            if code is None:
                if amount:
                    self.c.unplace(value, f"行“{label}”不是已知的功能分类类")
                continue
            if amount:
                self.c.state(code, key, amount, where)
        for value in found.unread:
            self.c.unplace(value, "不在本方案此表的任何一栏")

    def scalar(self, name: str, amount: Decimal | None, where: str, value: Value) -> None:
        if name.startswith("本年.") and name[3:] in ("教学科研人员因公出国", "会议费", "培训费"):
            self.extra_three[name[3:]] = amount or Decimal(0)
        if name in ("本年.含会议培训合计", "本年.其他因公出国") or name.startswith(("本年.", "上年.")):
            if name[3:] in THREE_PUBLIC:
                (self.three_public if name.startswith("本年.") else self.previous_three)[name[3:]] = amount or Decimal(0)
                return
        if name in self.measures.scalars:
            self.c.state("", name, amount, where)

    def class_code(self, label: str) -> str | None:
        text = norm(label)
        for prefix in ("一二三四五六七八九十", ):
            stripped = text.lstrip("()（）" + prefix + "、")
        for code, name in self._class_names().items():
            if norm(name) in (text, stripped) or text.endswith(norm(name)):
                return code
        return None

    def _class_names(self) -> dict[str, str]:
        names = {}
        profile = self.c.profile
        for list_name in profile.code_lists:
            for code, listed in profile.code_list(list_name):
                if len(code) == 3 and code.isdigit():    # a list's own name is what its tables print
                    names[code] = listed or self.function_names.get(code) or self.catalogue.name(code) or code
        return names

    def stated(self, code: str, key: str) -> bool:
        # a 项's 基本支出 split by fund, and last year's figure, are typed; the rest is derived
        return key != "上年" and not key.endswith(".基本支出")

    def economic_rows(self, found: Found, where: str) -> None:
        for cells, total in self._rows(found):
            if total:
                self._state_total(found, "经济分类基本支出", cells, where)
                continue
            code = norm(text_of(cells.get("科目编码")))
            if not (code.isdigit() and len(code) in (3, 5)):
                self._unplaced_row(cells, found, "没有 3 或 5 位的经济分类科目编码")
                continue
            name = text_of(cells.get("科目名称"))
            if name:
                self.economic_names.setdefault(code, name)
            amounts = {k: self.c.amount(cells.get(k), found) for k in ("人员经费", "公用经费", "合计")}
            if len(code) == 5:
                line = self.economics.setdefault(code, {})
                for k in ("人员经费", "公用经费"):
                    if amounts[k]:
                        line[k] = amounts[k] or Decimal(0)
                total = amounts["合计"]
                if total and "人员经费" not in cells and "公用经费" not in cells:
                    line["公用经费" if code.startswith(("302", "310")) else "人员经费"] = total
            else:
                for k, v in amounts.items():
                    if v:
                        self.c.state(code, k, v, where)

    def classified_rows(self, found: Found, where: str) -> None:
        rowset = found.spec.rowset
        lines = self.classified.setdefault(rowset, {})
        names = self.classified_names.setdefault(rowset, {})
        for cells, total in self._rows(found):
            if total:
                continue
            code = norm(text_of(cells.get("科目编码")))
            if not (code.isdigit() and len(code) in (3, 5)):
                self._unplaced_row(cells, found, "没有 3 或 5 位的经济分类科目编码")
                continue
            names.setdefault(code, text_of(cells.get("科目名称")))
            amount = self.c.amount(cells.get("合计"), found)
            if len(code) == 5 and amount:
                lines[code] = {"金额": amount}

    def three_public_rows(self, found: Found, where: str) -> None:
        rows = list(self._rows(found))
        detail = [cells for cells, total in rows if not total] or [cells for cells, _ in rows]
        for cells in detail[:1]:
            for key, value in cells.items():
                year, _, part = key.partition(".")
                if part in THREE_PUBLIC:
                    amount = self.c.amount(value, found) or Decimal(0)
                    (self.three_public if year == "本年" else self.previous_three)[part] = amount
        for cells, total in rows:
            if total:
                for key in self._money_keys(found, "三公经费"):
                    if key in cells and not key.endswith(THREE_PUBLIC):
                        self.c.state("", key, self.c.amount(cells[key], found), where)

    def purchase_rows(self, found: Found, where: str) -> None:
        """潼南: 政府采购 by 类 and 资金来源 (the names of the purchases are not printed)."""
        for cells, total in self._rows(found):
            if total:
                self._state_total(found, "政府采购", cells, where)
                continue
            category = PURCHASE_CATEGORY.get(norm(text_of(cells.get("项目"))))
            for key, value in cells.items():
                if not key.startswith("收入."):
                    continue
                amount = self.c.amount(value, found)
                if not amount:
                    continue
                source = self._source_of_income(key[3:], value)
                if category is None:
                    self.c.unplace(value, "采购类别不是货物类、工程类或服务类")
                    continue
                self.purchases.append({"类别": category, "金额": amount, "资金来源": source})

    def _source_of_income(self, column: str, value: Value) -> str:
        if column in FUND_INCOME:
            return FUND_INCOME[column]
        if column == "上年结转":
            self.c.note("“上年结转”的资金来源无法区分一般公共预算、政府性基金或其他结转，按一般公共预算结转导入",
                        value.where)
            return "一般公共预算结转"
        return "一般公共预算"

    def purchase_items(self, found: Found, where: str) -> None:
        for cells, total in self._rows(found):
            if total:
                self._state_total(found, "政府采购明细", cells, where)
                continue
            amount = self.c.amount(cells.get("合计"), found)
            if amount is None:
                continue
            item: dict = {}
            category = next((PURCHASE_CATEGORY[k] for k in PURCHASE_CATEGORY
                             if self.c.amount(cells.get(k), found)), None)
            catalogue_no = text_of(cells.get("目录序号"))
            if category is None and catalogue_no[:1].upper() in CATALOGUE_PREFIX:
                category = CATALOGUE_PREFIX[catalogue_no[:1].upper()]
            if category is None:
                category = "货物"
                self.c.note("采购类别（货物、工程、服务）表中未列出，目录序号也无法判断，按货物导入",
                            cells["合计"].where)
            item["类别"] = category
            item["金额"] = amount
            for key, field in (("采购项目名称", "名称"), ("项目名称", "项目"), ("单位代码", "单位代码"),
                               ("目录序号", "目录序号"), ("计量单位", "计量单位"), ("数量", "数量")):
                if text_of(cells.get(key)):
                    item[field] = text_of(cells.get(key))
            unit_name = text_of(cells.get("单位名称"))
            if unit_name and unit_name != self.context.get("部门"):
                item["单位名称"] = unit_name
            source: str | None = text_of(cells.get("资金来源"))
            if source not in sources():
                source = None
                for key, value in cells.items():
                    if key.startswith("采购.") and self.c.amount(value, found):
                        source = next((s for s, info in sources().items() if info.purchase == key[3:]), None)
                        break
            if source and source != "一般公共预算":
                item["资金来源"] = source
            for key, field in (("单价", "单价"), ("中小企业份额", "中小企业份额")):
                if key in cells and text_of(cells.get(key)):
                    item[field] = self.c.amount(cells.get(key), found)
            self.purchases.append(item)

    def project_rows(self, found: Found, where: str) -> None:
        self.project_table = True
        keys = {c.key for c in found.spec.columns}
        for cells, total in self._rows(found):
            if total:
                self._state_total(found, "项目支出", cells, where)
                continue
            name = text_of(cells.get("项目名称"))
            if not name:
                self._unplaced_row(cells, found, "没有项目名称")
                continue
            project: dict = {"项目名称": name}
            if text_of(cells.get("项目编码")):
                project["项目编码"] = text_of(cells.get("项目编码"))
            code = norm(text_of(cells.get("科目编码")))
            if code:
                project["科目编码"] = code
                if text_of(cells.get("科目名称")):
                    self.function_names.setdefault(code, text_of(cells.get("科目名称")))
            unit = text_of(cells.get("预算单位"))
            if unit and unit != self.context.get("部门"):
                project["预算单位"] = unit
            split = {k: self.c.amount(cells.get(k), found) for k in PROJECT_SPLIT if k in keys}
            total_amount = self.c.amount(cells.get("合计"), found)
            if split:
                project["金额"] = {k: v for k, v in split.items() if v}
                parts = sum((v for v in split.values() if v), Decimal(0))
                if total_amount is not None and parts != total_amount:
                    self.c.note(f"项目“{name}”的合计 {total_amount} 不等于各列之和 {parts}", cells["合计"].where)
            elif total_amount is not None:
                project["金额"] = total_amount
            towns = self.c.amount(cells.get("补助镇街"), found)
            if towns is None and "区级支出" in cells and total_amount is not None:
                district = self.c.amount(cells.get("区级支出"), found) or Decimal(0)
                towns = total_amount - district
            if towns:
                project["补助镇街"] = towns
            project["_where"] = cells["项目名称"].where
            self.projects.append(project)

    def asset_rows(self, found: Found, where: str) -> None:
        for cells, total in self._rows(found):
            if total:
                continue
            value = self.c.amount(cells.get("原值"), found)
            self.assets = {"数量": text_of(cells.get("数量"))}
            if value is not None:
                self.assets["原值"] = value

    # -- the forms -----------------------------------------------------------------------------
    def apply_forms(self) -> None:
        by_name: dict[str, list[dict[str, Any]]] = {}
        for project in self.projects:
            by_name.setdefault(norm(project["项目名称"]), []).append(project)
        for found, tags in self.forms:
            fields = {name: text_of(v) for name, v in found.text.items()}
            for name, values in found.context.items():
                if name in ("项目名称", "项目编码", "预算单位") and values:
                    fields.setdefault(name, values[0].text.strip())
            name = fields.get("项目名称", "")
            if not name:
                if any(v.text.strip() for v in found.text.values()) or found.indicators:
                    self.c.note(f"{found.where}：表单中没有项目名称，此表未导入")
                continue
            candidates = by_name.get(norm(name), [])
            code = fields.get("项目编码", "")
            same_code = [p for p in candidates if code and p.get("项目编码") == code]
            unformed = [p for p in candidates if not p.get("_form")]
            if same_code or unformed:
                project = (same_code or unformed)[0]
            else:
                project = {"项目名称": name}
                self.projects.append(project)
                by_name.setdefault(norm(name), []).append(project)
            project["_form"] = True
            for key in ("项目编码", "项目属性", "起始时间", "终止时间", "项目概况", "立项依据", "绩效目标"):
                if fields.get(key):
                    project.setdefault(key, fields[key])
            unit = fields.get("预算单位", "")
            if unit and unit != self.context.get("部门"):
                project.setdefault("预算单位", unit)
            self._unit_code(project, fields.get("实施单位", ""), found)
            if "重点" in tags:
                project["重点项目"] = True
            scalars = {n: self.c.amount(v, found) for n, v in found.scalars}
            total = scalars.get("合计")
            if "金额" not in project and total is not None and not self.project_table:
                project["金额"] = total
            elif total is not None and "金额" in project:
                amount = project["金额"]
                known = sum(amount.values(), Decimal(0)) if isinstance(amount, dict) else amount
                if known != total:
                    self.c.note(f"项目“{name}”的资金总额 {total} 与项目支出明细表的 {known} 不一致",
                                dict(found.scalars)["合计"].where)
            towns = scalars.get("补助镇街")
            if towns and "补助镇街" not in project:
                project["补助镇街"] = towns
            indicators = [_indicator(item, self.c, found) for item in found.indicators]
            if indicators:
                project["绩效指标"] = indicators

    def _unit_code(self, project: dict, text: str, found: Found) -> None:
        """实施单位 as a form prints it: "code-name", or the profile's default for the department."""
        if not text:
            return
        default = found.spec.defaults.get("实施单位")
        if default:
            from ..publication.build import fill
            try:
                if norm(fill(default, self.context)) == norm(text):
                    return
            except KeyError:
                pass
        code, dash, name = text.partition("-")
        if dash and code.strip().isdigit():
            project["预算单位编码"] = code.strip()
            if name.strip() and name.strip() not in (self.context.get("部门简称"), self.context.get("部门")):
                project.setdefault("预算单位", name.strip())

    # -- the YAML ------------------------------------------------------------------------------
    def rounded(self) -> bool:
        """Figures rounded from 元 to the 万元 the tables print: the 基本支出 by 经济分类 and by 功能分类
        (one quantity) differ by no more than their rounding."""
        if self.c.unit != "万元" or not self.economics:
            return False
        by_economic = sum((v for line in self.economics.values() for v in line.values()), Decimal(0))
        by_function = sum((f.get("一般公共预算.基本支出", Decimal(0)) for f in self.functions.values()), Decimal(0))
        parts = len(self.economics) * 2 + len(self.functions)
        return by_economic != by_function and abs(by_economic - by_function) <= (parts + 1) * Decimal("0.005")

    def data(self) -> dict:
        self.apply_forms()
        out: dict = {}
        if self.rounded():
            self.c.note("按经济分类与按功能分类的基本支出相差在四舍五入误差之内：表中数字是由元四舍五入到万元的，"
                        "导入的文件写明“舍入前单位: 元”")
            out["舍入前单位"] = "元"
        out["功能分类支出"] = self.function_lines()
        if self.economics:
            out["经济分类基本支出"] = [self.economic_line(code, values) for code, values in sorted(self.economics.items())]
        three = {k: v for k, v in self.three_public.items() if v}
        for key, value in self.extra_three.items():
            if key == "教学科研人员因公出国":
                if value:
                    three[key] = value
            else:
                three[key] = value
        if three or self.three_public:
            out["三公经费"] = three
        if self.purchases:
            out["政府采购"] = self.purchases
        if self.projects:
            out["项目"] = [self.project(p) for p in self.projects]
        if self.whole is not None:
            performance: dict = {}
            goal = text_of(self.whole.text.get("整体绩效目标"))
            if goal:
                performance["目标"] = goal
            indicators = [_indicator(item, self.c, self.whole) for item in self.whole.indicators]
            if indicators:
                performance["指标"] = indicators
            if performance:
                out["整体绩效目标"] = performance
        previous = [{"科目编码": code, "金额": v["上年"]} for code, v in sorted(self.functions.items()) if v.get("上年")]
        previous_three = {k: v for k, v in self.previous_three.items() if v}
        if previous or previous_three:
            out["上年"] = {**({"功能分类支出": previous} if previous else {}),
                          **({"三公经费": previous_three} if previous_three else {})}
        for rowset, key in (("经济分类项目支出", "经济分类项目支出"), ("政府经济分类基本支出", "政府经济分类基本支出"),
                            ("政府经济分类项目支出", "政府经济分类项目支出")):
            if rowset in self.classified:
                names = self.classified_names.get(rowset, {})
                lines = []
                for code, values in sorted(self.classified[rowset].items()):
                    line = {"科目编码": code, "金额": values["金额"]}
                    self._names(line, code, names, ("科目名称", "类名称"), self.catalogue)
                    lines.append(line)
                out[key] = lines
        if self.assets is not None:
            out["固定资产"] = self.assets
        return out

    def function_lines(self) -> list[dict]:
        project_money: dict[str, Decimal] = {}
        for p in self.projects:
            amount = p.get("金额")
            if amount is not None and p.get("科目编码"):
                total = sum(amount.values(), Decimal(0)) if isinstance(amount, dict) else amount
                project_money[p["科目编码"]] = project_money.get(p["科目编码"], Decimal(0)) + total
        lines = []
        for code, f in sorted(self.functions.items()):
            fund_lines = []
            fund_basic = fund_project = Decimal(0)
            for fund in FUNDS:
                basic, project = f.get(f"{fund}.基本支出"), f.get(f"{fund}.项目支出")
                if basic is None and project is None and fund == "一般公共预算" and "基本支出" in f \
                        and not any(k.startswith(("政府性基金.", "国有资本经营.", "收入.")) for k in f):
                    basic, project = f.get("基本支出"), f.get("项目支出")
                fund_basic += basic or 0
                fund_project += project or 0
                if basic or project:
                    fund_lines.append((fund, basic or Decimal(0), project or Decimal(0)))
            other_basic = (f["基本支出"] - fund_basic) if "基本支出" in f else Decimal(0)
            other_project = (f["项目支出"] - fund_project) if "项目支出" in f else Decimal(0)
            if other_basic or other_project:
                others = [col for col, name in _non_fiscal().items() if f.get(f"收入.{col}")]
                source = others[0] if len(others) == 1 else None
                if source is None:
                    self.c.note(f"{code} 有非财政拨款支出（基本 {other_basic}、项目 {other_project}），"
                                f"但表中的收入来源{'不止一个' if others else '不明'}，无法分到资金来源；按其他收入导入")
                    source = "其他收入"
                fund_lines.append((_non_fiscal().get(source, source), other_basic, other_project))
            extras = {k: f.get(k) for k in ("经营支出", "上解上级支出", "对附属单位补助支出") if f.get(k)}
            if not fund_lines and (extras or f.get("上年") is not None):
                if not extras:
                    continue
                fund_lines.append(("一般公共预算", Decimal(0), Decimal(0)))
            self.project_sources[code] = [source for source, _, project in fund_lines if project]
            typed_projects = len(fund_lines) > 1 or project_money.get(code, Decimal(0)) != sum(
                (p for _, _, p in fund_lines), Decimal(0))
            for i, (source, basic, project) in enumerate(fund_lines):
                if not basic and not (typed_projects and project) and not (i == 0 and extras):
                    continue
                line: dict = {"科目编码": code}
                if basic:
                    line["基本支出"] = basic
                if typed_projects and project:
                    line["项目支出"] = project
                if i == 0:
                    line.update(extras)
                if source != "一般公共预算":
                    line["资金来源"] = source
                self._names(line, code, self.function_names, ("科目名称", "款名称", "类名称"), self.catalogue)
                lines.append(line)
        return lines

    def economic_line(self, code: str, values: dict[str, Decimal]) -> dict:
        line: dict = {"科目编码": code, **{k: v for k, v in values.items() if v}}
        self._names(line, code, self.economic_names, ("科目名称", "类名称"), self.catalogue)
        return line

    @staticmethod
    def _names(line: dict, code: str, names: dict[str, str], keys: tuple[str, ...], catalogue: Catalogue) -> None:
        """The names a table prints where the catalogue has another (or none)."""
        parts = [code, code[:5], code[:3]] if len(code) == 7 else [code, code[:3]]
        for key, part in zip(keys, parts):
            printed = names.get(part)
            if printed and printed.strip() != (catalogue.name(part) or ""):
                line[key] = printed

    def project(self, p: dict) -> dict:
        order = ("项目编码", "项目名称", "科目编码", "科目名称", "预算单位", "预算单位编码", "资金来源", "金额", "补助镇街",
                 "重点项目", "项目属性", "起始时间", "终止时间", "项目概况", "立项依据", "绩效目标", "绩效指标")
        out = {k: p[k] for k in order if k in p}
        code = p.get("科目编码")
        if code:
            printed = self.function_names.get(code)
            if printed and printed.strip() != (self.catalogue.name(code) or ""):
                out["科目名称"] = printed
            # the tables print a project's money, not its 资金来源: it is its 项's, where the 项's
            # 项目支出 comes from one source (not written where that is the default 一般公共预算)
            sources = self.project_sources.get(code, [])
            if len(sources) == 1 and sources[0] != "一般公共预算":
                out["资金来源"] = sources[0]
            elif len(sources) > 1:
                self.c.note(f"项目“{p['项目名称']}”（科目 {code}）：该科目的项目支出来自{'、'.join(sources)}，"
                            "表中看不出这个项目用的是哪一项，导入为一般公共预算；请写明它的“资金来源”")
        if "重点项目" not in out and any("重点" in t for _, t in self.forms):
            out["重点项目"] = False
        return {k: out[k] for k in order if k in out}


def _non_fiscal() -> dict[str, str]:
    """Income column → 资金来源 of money that is not a 财政拨款 (this year's)."""
    return {info.income: name for name, info in sources().items() if info.fund is None and not info.carryover}


def _indicator(item: dict[str, Value], collector: Collector, found: Found) -> dict:
    out: dict = {}
    for key, value in item.items():
        text = value.text.strip()
        if not text:
            continue
        if key in ("权重", "指标权重"):
            out[key] = collector.amount(value, found, kind="number")
        else:
            out[key] = text
    return out


assemble = _Budget.assemble
