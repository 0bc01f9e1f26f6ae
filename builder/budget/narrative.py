"""The figures of the 情况说明, computed — so the text can never contradict the tables.

Every number the narrative prints is taken from the same computed facts as the tables, shown
in the profile's unit and rounded the same way; changes against last year (增加/减少 X，增长/下降
Y%) and shares (占比) are computed here too. The clerk writes only descriptions and reasons.
A template (templates/narrative/<profile>.html.j2) only places these values in sentences.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.catalogue import sources
from ..core.facts import Facts
from ..core.numbers import ZERO, Display, Versus, percent, plain, to_yuan
from .compute import PURCHASE_ROWS, categories_of
from .model import Department


def previous_total(facts: Facts, key: str) -> Decimal | None:
    """A total of last year (in 元), or None when last year's file is not linked."""
    previous = facts.linked.get("上年")
    return None if previous is None else previous.figure(key)


def narrative_figures(dept: Department, facts: Facts, show: Display) -> dict:
    """The figures, shown as `show` shows money (the profile's unit and decimals)."""
    s = facts.scalar
    previous = facts.linked.get("上年")
    share = percent

    def change(now: Decimal, before: Decimal | None) -> Versus:
        return show.versus(now, before)

    classes = [r for r in facts.rows("功能分类") if r.level == "类" and r.amount("合计")]
    total = s("支出.合计")
    before_total = s("支出.上年") if (dept.previous.functions or previous) else None
    three = facts.rows("三公经费")[0]
    has_previous_three = previous is not None or dept.previous.three_public != type(dept.previous.three_public)()
    before_running = (previous_total(facts, "机关运行经费")
                      if previous is not None and previous.known("机关运行经费") else None)
    projects_by_fund = {"一般公共预算": ZERO, "政府性基金": ZERO}
    for project in dept.projects:
        fund = sources()[project.source.value].fund
        if project.split is not None and fund in projects_by_fund and not sources()[project.source.value].carryover:
            projects_by_fund[fund] += to_yuan(project.split.total, dept.unit)
    purchases = facts.rows("政府采购")
    functions = facts.rows("功能分类")
    names = {r.fields["科目编码"]: r.fields["科目名称"] for r in functions}
    has_previous = before_total is not None
    items = [(names.get(r.fields["科目编码"][:3], ""), names.get(r.fields["科目编码"][:5], ""),
              r.fields["科目名称"], r.fields["科目编码"],
              change(r.amount("一般公共预算.合计"), r.amount("上年") if has_previous else None))
             for r in functions if r.level == "项" and (r.amount("一般公共预算.合计") or r.amount("上年"))]
    general_total = s("支出.一般公共预算.合计")
    listed = sum((to_yuan(p.split.total, dept.unit) for p in dept.projects if p.split is not None), ZERO)
    public_items = [(r.fields["科目名称"], show(r.amount("公用经费")))
                    for r in facts.rows("经济分类基本支出") if r.level == "款" and r.amount("公用经费")]
    assets = dept.fixed_assets
    return {
        "年度": dept.year, "上年": dept.year - 1, "部门": dept.name, "单位": show.unit,
        "说明": dept.notes,
        "整体绩效目标": dept.performance.goal,
        "收入": {"总计": show(s("收入.总计")),
                 "来源": [(label, show(s(key))) for label, key in (
                     ("一般公共预算拨款", "收入.一般公共预算拨款收入"), ("政府性基金预算拨款", "收入.政府性基金预算拨款收入"),
                     ("国有资本经营预算收入", "收入.国有资本经营预算拨款收入"), ("事业收入", "收入.事业收入"),
                     ("事业单位经营收入", "收入.事业单位经营收入"), ("其他收入", "收入.其他收入"))]},
        "收支变化": change(total, before_total),
        "支出": {"总计": show(total),
                 "类": [(r.fields["科目名称"], show(r.amount("合计")),
                        share(r.amount("合计"), total)) for r in classes]},
        "项": items,
        # the further spending categories the profile prints (单位预留机动经费 …): name, amount, share
        "支出类别": [(name, show(s(f"支出.{name}")), share(s(f"支出.{name}"), total))
                    for name in categories_of(facts.measures)],
        "占比": {"一般公共预算收入": share(s("收入.一般公共预算拨款收入"), s("收入.总计")),
                 "基本支出": share(s("支出.一般公共预算.基本支出"), general_total),
                 "项目支出": share(s("支出.一般公共预算.项目支出"), general_total)},
        "人员经费": show(s("经济分类.人员经费")),
        "公用经费": show(s("经济分类.公用经费")),
        "公用经费明细": public_items,
        "国有资本经营": show(s("支出.国有资本经营.合计")),
        # shown as the 固定资产占用情况表 shows it (4 decimals)
        "固定资产": None if assets is None or assets.value is None else show(to_yuan(assets.value, dept.unit), 4),
        "一般公共预算": {"收入": show(s("收入.一般公共预算拨款收入")), "支出": show(s("支出.一般公共预算.合计")),
                       "变化": change(s("支出.一般公共预算.合计"), before_total),
                       "基本支出": change(s("支出.一般公共预算.基本支出"), previous_total(facts, "支出.一般公共预算.基本支出")),
                       "项目支出": change(s("支出.一般公共预算.项目支出"), previous_total(facts, "支出.一般公共预算.项目支出"))},
        "政府性基金": show(s("支出.政府性基金.合计")),
        "三公": {"总计": change(three.amount("本年.总计"), three.fields.get("上年.总计") if has_previous_three else None),
                 "项": [(name, change(three.amount(f"本年.{key}"),
                                      three.fields.get(f"上年.{key}") if has_previous_three else None), key)
                       for name, key in (("因公出国（境）费用", "因公出国"), ("公务接待费", "公务接待"),
                                         ("公务用车运行维护费", "公务用车运行维护"), ("公务用车购置费", "公务用车购置"))]},
        "机关运行经费": change(s("机关运行经费"), before_running),
        "政府采购": {"总计": show(purchases[0].amount("总计")),
                     "类": [(category, show(row.amount("总计")))
                           for (category, _), row in zip(PURCHASE_ROWS, purchases[1:])],
                     "一般公共预算": show(purchases[0].amount("收入.一般公共预算拨款收入")),
                     "一般公共预算类": [(category, show(row.amount("收入.一般公共预算拨款收入")))
                                      for (category, _), row in zip(PURCHASE_ROWS, purchases[1:])]},
        "绩效": {"一般公共预算": show(projects_by_fund["一般公共预算"]), "政府性基金": show(projects_by_fund["政府性基金"]),
                 # the count is stated only when the listed projects make up all 项目支出
                 "项目数": len(dept.projects) if listed == s("支出.项目支出") else None,
                 "项目支出": show(s("支出.项目支出"))},
    }


def changed_without_reason(f: dict, item_reasons: bool) -> list[tuple[str, str]]:
    """(reason key, what changed) for every compared figure of the narrative's figures `f` that
    changed with no reason given; each 项's too where the narrative explains them (`item_reasons`)."""
    reasons = f["说明"].reasons
    compared = [("收支", "收支总额", f["收支变化"]), ("基本支出", "基本支出", f["一般公共预算"]["基本支出"]),
                ("项目支出", "项目支出", f["一般公共预算"]["项目支出"]),
                ("机关运行经费", "机关运行经费", f["机关运行经费"])]
    compared += [(key, name, c) for name, c, key in f["三公"]["项"]]
    if item_reasons:
        compared += [(code, f"{code} {name}", c) for _, _, name, code, c in f["项"]]
    unit = f["单位"]
    return [(key, f"{name}比上年{c.direction} {plain(c.amount)} {unit}")
            for key, name, c in compared
            if c.known and c.delta and not reasons.get(key, "").strip()]
