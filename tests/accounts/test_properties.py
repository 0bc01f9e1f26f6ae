"""Property-based: random valid 决算s pass every check, and the identities hold in the XLSX read
back — 01表 and 04表 balance, every 05表 row closes (年初 + 收入 − 支出 = 年末) and adds up by 类/款,
06表's totals are 05表's 基本支出, 09表's "三公" parts add up. A carry-over typed one fen off is
caught at its line."""

import io
from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from builder.build import analyse, publication
from builder.check import _code_lists_printed
from builder.core.catalogue import ECONOMIC as ECONOMIC_CODES
from builder.core.catalogue import FUNCTION, built_in
from builder.core.numbers import as_typed
from builder.profiles import load_profile
from builder.render.xlsx import render_xlsx


def _printed(rowset: str) -> set[str]:
    """The codes the default profile's tables print row by row from a fixed list: a 决算 with
    figures under another code is refused (figures_are_in_code_lists), so a random one keeps to these."""
    profile = load_profile("潼南决算")
    return {code for _, name, rows, _ in _code_lists_printed(profile, set()) if rows == rowset
            for code, _ in profile.code_list(name)}


CLASSES = _printed("功能分类")
ITEMS = sorted(c for c in built_in().codes[FUNCTION] if len(c) == 7 and c[:3] in CLASSES)
ECONOMIC = sorted(c for c in set(built_in().codes[ECONOMIC_CODES]) & _printed("经济分类基本支出")
                  if len(c) == 5 and c[:3] in ("301", "302", "303") and c not in {"30212", "30217", "30231"})
CENT = Decimal("0.01")


def money(max_cents=10**9):
    return st.integers(0, max_cents).map(lambda c: Decimal(c) * CENT)


def split(draw, total: Decimal, parts: int) -> list[Decimal]:
    """`total` cut into `parts` non-negative amounts, exactly."""
    cuts = sorted(draw(st.lists(st.integers(0, int(total / CENT)), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0] + cuts + [int(total / CENT)]
    return [Decimal(hi - lo) * CENT for lo, hi in zip(bounds, bounds[1:])]


@st.composite
def final_accounts(draw):
    funds, basic_general = [], Decimal(0)
    for code in draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=6, unique=True)):
        fund = draw(st.sampled_from(["一般公共预算", "一般公共预算", "政府性基金"]))
        opening = {"基本支出结转": draw(money(10**7)), "项目支出结转": draw(money(10**7))}
        income = {"基本支出": draw(money()), "项目支出": draw(money())}
        # spending never above what there is: a share of opening + income
        share = Decimal(draw(st.integers(0, 100))) / 100
        spending = {"基本支出": ((opening["基本支出结转"] + income["基本支出"]) * share).quantize(CENT),
                    "项目支出": ((opening["项目支出结转"] + income["项目支出"]) * share).quantize(CENT)}
        if fund == "一般公共预算":
            basic_general += spending["基本支出"]
        funds.append({"科目编码": code, "资金": fund, "年初结转和结余": opening, "本年收入": income,
                      "本年支出": spending})
    codes = draw(st.lists(st.sampled_from(ECONOMIC), min_size=1, max_size=6, unique=True))
    economics = [{"科目编码": code, ("人员经费" if code[:3] in ("301", "303") else "公用经费"): str(part)}
                 for code, part in zip(codes, split(draw, basic_general, len(codes)))]
    others = [{"科目编码": funds[0]["科目编码"], "收入": {"事业收入": str(draw(money(10**7)))},
               "支出": {"基本支出": "0"}}] if draw(st.booleans()) else []
    data = {"类型": "决算", "部门": "随机局", "部门编码": "999", "年度": 2024, "金额单位": "元",
            "财政拨款": [{k: (v if isinstance(v, str) else {kk: str(vv) for kk, vv in v.items()})
                        for k, v in line.items()} for line in funds],
            "经济分类基本支出": economics,
            "机构运行信息": {"三公经费": {"公务用车运行维护": str(draw(money(10**6))), "国内接待": str(draw(money(10**6)))},
                       "会议费": str(draw(money(10**6))), "政府采购": {"货物": str(draw(money(10**7)))}}}
    if others:
        data["非财政拨款"] = others
    spent = sum(Decimal(line["本年支出"]["项目支出"]) for line in data["财政拨款"])
    data["整体自评"] = {"项目名称": "随机局整体自评", "全年预算数": str(draw(money()))}
    # one 项目自评 per 财政拨款 line with project spending: its 全年执行数 is that spending
    data["项目自评"] = [{"项目名称": f"项目{i}", "科目编码": line["科目编码"], "全年执行数": line["本年支出"]["项目支出"],
                      "全年预算数": line["本年支出"]["项目支出"],
                      "指标": [{"指标名称": "次数", "指标性质": "≥", "指标值": "10", "全年完成值": "9", "指标权重": 90}]}
                     for i, line in enumerate(data["财政拨款"]) if Decimal(line["本年支出"]["项目支出"])]
    assert sum(Decimal(p["全年执行数"]) for p in data["项目自评"]) == spent
    return data


def rows(wb, name):
    return [list(r) for r in wb[name].iter_rows(values_only=True)]


def amount(value) -> Decimal:
    """A cell's amount; blank, 0 and "—" are nothing."""
    return Decimal(str(value)).quantize(CENT) if isinstance(value, (int, float)) else Decimal(0).quantize(CENT)


def analyse_random(tmp_path, data):
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, analyse(path)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(final_accounts())
def test_random_final_accounts_check_clean_and_close(tmp_path, data):
    _, analysis = analyse_random(tmp_path, data)
    assert [f for f in analysis.findings if f.severity.value == "错误"] == []
    wb = load_workbook(io.BytesIO(render_xlsx(publication(analysis))), read_only=True)      # (values only: fast)

    total = next(r for r in rows(wb, "01表") if r[0] == "总计")
    assert amount(total[2]) == amount(total[5])
    total = next(r for r in rows(wb, "04表") if r[0] == "总计")
    assert amount(total[2]) == amount(total[5]) == sum(amount(v) for v in total[6:9])

    body = [r for r in rows(wb, "05表")[8:] if r[3]]
    by_code = {r[0] or "": [amount(v) for v in r[4:17]] for r in body}
    for code, v in by_code.items():
        opening, open_basic, open_project, income, in_basic, in_project, spent, sp_basic, sp_project, \
            closing, cl_basic, cl_project, cl_surplus = v
        assert opening == open_basic + open_project and income == in_basic + in_project
        assert spent == sp_basic + sp_project and closing == cl_basic + cl_project
        assert cl_basic == open_basic + in_basic - sp_basic
        assert cl_project == open_project + in_project - sp_project
        children = [w for c, w in by_code.items() if len(c) == {"": 3, 3: 5, 5: 7}.get(len(code) if code else "")
                    and c.startswith(code)]
        if children:
            assert v == [sum(col) for col in zip(*children)], code
    general_basic = by_code[""][7]

    personnel, public = next((r[2], r[8]) for r in rows(wb, "06表") if r[0] == "人员经费合计")
    assert amount(personnel) + amount(public) == general_basic

    three = {r[0]: amount(r[2]) for r in rows(wb, "09表") if r[0]}
    assert three["（一）支出合计"] == three["1. 因公出国（境）费"] + three["2. 公务用车购置及运行维护费"] + three["3. 公务接待费"]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(final_accounts(), st.data())
def test_a_closing_balance_typed_one_fen_off_is_caught_at_its_line(tmp_path, data, pick):
    i = pick.draw(st.integers(0, len(data["财政拨款"]) - 1))
    line = data["财政拨款"][i]
    left = sum(Decimal(line["年初结转和结余"]["项目支出结转"]) for _ in [0]) + Decimal(line["本年收入"]["项目支出"]) \
        - Decimal(line["本年支出"]["项目支出"])
    line["年末结转和结余"] = {"项目支出结转": str(left + CENT)}
    path, analysis = analyse_random(tmp_path, data)
    typed_at = path.read_text(encoding="utf-8").splitlines().index("  年末结转和结余:") + 1
    errors = [(f.rule, f.line, f.message) for f in analysis.findings if f.severity.value == "错误"]
    assert [(rule, at) for rule, at, _ in errors] == [("carry_overs_close", typed_at)], errors
    assert f"年末结转和结余填 {as_typed(left + CENT)}" in errors[0][2]     # 9.00 is said as 9
