"""The figures of the 决算说明, computed — so the text can never contradict the tables.

Every number the 决算说明 states comes from the same facts as the tables: totals and their
shares, the changes against last year's 决算 (上年文件) and against the year's 年初预算 (预算文件),
人员经费 and 公用经费, the "三公" parts with their 实物量 and the 人均/车均 figures, 机关运行经费,
政府采购, the 自评 counts. They are shown in the profile's narrative unit (万元 while the tables
are in 元), each change computed from the figures as shown, as the published text does. The
clerk writes only the reasons and the descriptions.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.facts import Facts
from ..core.numbers import ZERO, Display, Versus, percent, rounded
from .compute import VEHICLES
from .model import FinalAccounts

INCOME_SOURCES = (("财政拨款收入", "收入.财政拨款"), ("上级补助收入", "收入.上级补助收入"), ("事业收入", "收入.事业收入"),
                  ("经营收入", "收入.经营收入"), ("附属单位上缴收入", "收入.附属单位上缴收入"), ("其他收入", "收入.其他收入"))
SPENDING_KINDS = (("基本支出", "支出.基本支出"), ("项目支出", "支出.项目支出"), ("上缴上级支出", "支出.上缴上级支出"),
                  ("经营支出", "支出.经营支出"), ("对附属单位补助支出", "支出.对附属单位补助支出"))
# the 收入/支出 parts a 决算说明 always states (even at 0.00), the others only when they are not zero
ALWAYS_STATED = {"财政拨款收入", "事业收入", "经营收入", "其他收入", "基本支出", "项目支出", "经营支出"}
THREE_PUBLIC = (("因公出国（境）费用", "因公出国"), ("公务用车购置费", "公务用车购置"),
                ("公务用车运行维护费", "公务用车运行维护"), ("公务接待费", "公务接待"))
VEHICLE_NAMES = {"副部级及以上领导用车": "副部（省）级及以上领导用车"}


def narrative_figures(doc: FinalAccounts, facts: Facts, show: Display) -> dict:
    """The figures, shown as `show` shows money (the profile's narrative unit: 万元)."""
    unit = show.unit
    s = facts.scalar
    previous, budget = facts.linked.get("上年"), facts.linked.get("预算")

    def before(other: Facts | None, name: str, code: str | None = None) -> Decimal | None:
        """A figure of the linked file (in 元), None where it is not known."""
        return other.figure(name, code) if other is not None else None

    def change(name: str, other: Facts | None, other_name: str | None = None) -> Versus:
        return show.versus(s(name), before(other, other_name or name))

    def budgeted(name: str) -> Versus:
        """A "三公" figure against its 预算数 (from the 预算文件, or typed)."""
        return show.versus(s(f"三公.{name}"), facts.figure(f"三公.预算.{name}"))

    functions = facts.rows("功能分类")
    general_total = s("支出.一般公共预算.合计")
    classes = [{"name": r.fields["科目名称"], "code": r.fields["科目编码"],
                "change": show.versus(r.amount("支出.一般公共预算.合计"),
                                      before(budget, "一般公共预算.合计", r.fields["科目编码"])),
                "share": percent(show(r.amount("支出.一般公共预算.合计")), show(general_total))}
               for r in functions if r.level == "类" and r.amount("支出.一般公共预算.合计")]
    income_total, spending_total = s("收入.合计"), s("支出.合计")
    guests, cars = s("三公.国内接待人次"), s("三公.公务用车保有量")
    per_guest = rounded(s("三公.国内接待") / guests, 2) if guests else ZERO
    per_car_bought = show(s("三公.公务用车购置") / s("三公.公务用车购置数")) if s("三公.公务用车购置数") else show(ZERO)
    per_car_running = show(s("三公.公务用车运行维护") / cars) if cars else show(ZERO)
    vehicles = [(VEHICLE_NAMES.get(name, name), int(s(f"车辆.{name}"))) for name in VEHICLES
                if s(f"车辆.{name}") or name == "副部级及以上领导用车"]
    reviews = facts.records.get("整体自评", []) + facts.records.get("项目自评", [])
    projects = facts.records.get("项目自评", [])
    procurement = s("政府采购.合计")
    return {
        "年度": doc.year, "上年": doc.year - 1, "部门": doc.name, "单位": unit, "说明": doc.notes,
        "有上年": previous is not None, "有预算": budget is not None,
        "总计": change("收入.总计", previous),
        "收入": {"合计": change("收入.合计", previous), "来源": [
            (label, show(s(key)), percent(show(s(key)), show(income_total)))
            for label, key in INCOME_SOURCES if label in ALWAYS_STATED or s(key)],
            "使用非财政拨款结余": show(s("收入.使用非财政拨款结余")), "年初结转和结余": show(s("收入.年初结转和结余"))},
        "支出": {"合计": change("支出.合计", previous), "类": [
            (label, show(s(key)), percent(show(s(key)), show(spending_total)))
            for label, key in SPENDING_KINDS if label in ALWAYS_STATED or s(key)],
            "结余分配": show(s("支出.结余分配"))},
        "年末结转和结余": change("支出.年末结转和结余", previous),
        "财政拨款": change("财政拨款.总计", previous),
        "一般公共预算": {
            "收入": change("收入.一般公共预算.合计", previous),
            "收入较预算": show.versus(s("收入.一般公共预算.合计"), before(budget, "支出.一般公共预算.合计")),
            "支出": change("支出.一般公共预算.合计", previous),
            "支出较预算": show.versus(general_total, before(budget, "支出.一般公共预算.合计")),
            "年初结转和结余": show(s("年初.一般公共预算.合计")),
            "年末结转和结余": change("年末.一般公共预算.合计", previous),
            "类": classes, "基本支出": show(s("支出.一般公共预算.基本支出"))},
        "人员经费": change("经济分类.人员经费", previous),
        "公用经费": change("经济分类.公用经费", previous),
        "政府性基金": show(s("收入.政府性基金.合计") + s("支出.政府性基金.合计")),
        "政府性基金收入": show(s("收入.政府性基金.合计")), "政府性基金支出": show(s("支出.政府性基金.合计")),
        "国有资本经营": show(s("支出.国有资本经营.合计")),
        "三公": {"合计": change("三公.合计", previous),
                 "合计较预算": budgeted("合计"),
                 "项": [(label, key, change(f"三公.{key}", previous), budgeted(key)) for label, key in THREE_PUBLIC],
                 "团组": int(s("三公.出国团组数")), "出国人次": int(s("三公.出国人次")),
                 "购置数": int(s("三公.公务用车购置数")), "保有量": int(cars),
                 "接待批次": int(s("三公.国内接待批次")), "接待人次": int(guests),
                 "外事批次": int(s("三公.外事接待批次")), "外事人次": int(s("三公.外事接待人次")),
                 "境外批次": int(s("三公.国境外接待批次")), "境外人次": int(s("三公.国境外接待人次")),
                 "人均接待费": per_guest, "车均购置费": per_car_bought, "车均维护费": per_car_running},
        "会议费": change("会议费", previous), "培训费": change("培训费", previous), "差旅费": change("差旅费", previous),
        "机关运行经费": change("机关运行经费", previous),
        "车辆": {"合计": int(s("车辆.合计")), "类": vehicles, "设备": int(s("单价100万元以上设备"))},
        "政府采购": {"合计": show(procurement),
                     "类": [(label, show(s(f"政府采购.{label}"))) for label in ("货物", "工程", "服务")
                           if s(f"政府采购.{label}")],
                     "中小企业": show(s("政府采购.授予中小企业")),
                     "中小企业占比": percent(show(s("政府采购.授予中小企业")), show(procurement)),
                     "小微企业": show(s("政府采购.授予小微企业"))},
        "绩效": {"自评表数": len(reviews), "项目数": len(projects),
                 "指标数": sum(len(r.indicators) for r in reviews),
                 "涉及资金": show(sum((r.values.get("全年执行数.财政拨款", ZERO) for r in projects), ZERO))},
    }


def changed_without_reason(f: dict) -> list[tuple[str, str, str]]:
    """(说明 section, reason key, what changed) for every compared figure of the narrative's
    figures `f` that changed with no reason given: against last year (增减原因) and against the
    年初预算 (较预算原因)."""
    notes, unit = f["说明"], f["单位"]
    g = f["一般公共预算"]
    last_year = [("收支", "收支总计", f["总计"]), ("收入", "收入合计", f["收入"]["合计"]),
                 ("支出", "支出合计", f["支出"]["合计"]), ("财政拨款", "财政拨款收支总计", f["财政拨款"]),
                 ("一般公共预算", "一般公共预算财政拨款支出", g["支出"]), ("结转结余", "年末结转和结余", f["年末结转和结余"]),
                 ("人员经费", "人员经费", f["人员经费"]), ("公用经费", "公用经费", f["公用经费"]),
                 ("三公经费", "“三公”经费", f["三公"]["合计"]),
                 *[(key, label, c) for label, key, c, _ in f["三公"]["项"]],
                 ("会议费", "会议费", f["会议费"]), ("培训费", "培训费", f["培训费"]), ("差旅费", "差旅费", f["差旅费"]),
                 ("机关运行经费", "机关运行经费", f["机关运行经费"])]
    against_budget = [("一般公共预算", "一般公共预算财政拨款支出", g["支出较预算"]),
                      ("三公经费", "“三公”经费", f["三公"]["合计较预算"]),
                      *[(key, label, b) for label, key, _, b in f["三公"]["项"]],
                      *[(c["code"], c["name"], c["change"]) for c in g["类"]]]
    found = []
    for section, reasons, compared, versus in (("增减原因", notes.reasons, last_year, "上年"),
                                                ("较预算原因", notes.budget_reasons, against_budget, "年初预算数")):
        for key, label, c in compared:
            if c.known and c.delta and not reasons.get(key, "").strip():
                found.append((section, key, f"{label}较{versus}{c.direction} {c.amount:.2f} {unit}"))
    return found
