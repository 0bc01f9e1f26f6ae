"""Property-based: random valid departments pass every check and build, and every total in the
XLSX read back equals the sum of its shown parts under the rounding rule (a total of n shown
parts, each rounded to ±0.005, may differ from their sum by at most (n + 1) × 0.005)."""

import io
from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from builder.budget.model import REASON_KEYS
from builder.build import analyse, publication, render
from builder.core.catalogue import ECONOMIC as ECONOMIC_CODES
from builder.core.catalogue import FUNCTION, built_in
from builder.render.xlsx import render_xlsx

ITEMS = sorted(c for c in built_in().codes[FUNCTION] if len(c) == 7)
ECONOMIC = sorted(c for c in built_in().codes[ECONOMIC_CODES]
                  if len(c) == 5 and c not in {"30212", "30217", "30231", "31013"})
CENT = Decimal("0.01")


def money(max_cents=10**9):
    return st.integers(0, max_cents).map(lambda c: Decimal(c) * CENT)


@st.composite
def departments(draw):
    unit = draw(st.sampled_from(["元", "万元"]))
    scale = 10**9 if unit == "元" else 10**7
    items = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=8, unique=True))
    functions = [{"科目编码": c, "基本支出": str(draw(money(scale)))} for c in items]
    basic = sum(Decimal(f["基本支出"]) for f in functions)
    # split the basic total over economic 款, exactly
    codes = draw(st.lists(st.sampled_from(ECONOMIC), min_size=1, max_size=6, unique=True))
    cuts = sorted(draw(st.lists(st.integers(0, int(basic / CENT)), min_size=len(codes) - 1,
                                max_size=len(codes) - 1)))
    bounds = [0] + cuts + [int(basic / CENT)]
    economics = []
    for code, lo, hi in zip(codes, bounds, bounds[1:]):
        part = Decimal(hi - lo) * CENT
        # 人员经费 on the personnel 类 (301, 303), 公用经费 on the others, as the rules require
        key = "人员经费" if code[:3] in ("301", "303") else "公用经费"
        economics.append({"科目编码": code, key: str(part)})
    projects = [{"项目编码": f"P{i:03d}", "项目名称": f"项目{i}", "科目编码": draw(st.sampled_from(ITEMS)),
                 "金额": {"一般性项目": str(draw(money(scale))), "市级专项": str(draw(money(scale // 10)))}}
                for i in range(draw(st.integers(0, 4)))]
    purchases = [{"类别": draw(st.sampled_from(["货物", "工程", "服务"])), "金额": str(draw(money(scale)))}
                 for _ in range(draw(st.integers(0, 3)))]
    previous = [{"科目编码": c, "金额": str(draw(money(scale)))}
                for c in draw(st.lists(st.sampled_from(ITEMS), max_size=5, unique=True))]
    return {"部门": "随机局", "部门编码": "999", "年度": "2024", "金额单位": unit,
            "功能分类支出": functions, "经济分类基本支出": economics,
            "三公经费": {"公务接待": str(draw(money(scale // 100)))}, "项目": projects,
            "政府采购": purchases, "上年": {"功能分类支出": previous},
            # a valid department explains every change against last year
            "说明": {"增减原因": {key: "测试原因" for key in REASON_KEYS}}}


def sheet_rows(wb, name):
    return [list(r) for r in wb[name].iter_rows(min_row=4, values_only=True)]


def amounts(row):
    return [Decimal(str(v)).quantize(CENT) for v in row if isinstance(v, (int, float))]


def assert_adds_up(total, parts):
    limit = Decimal("0.005") * (len(parts) + 1)
    assert abs(total - sum(parts, Decimal(0))) <= limit, (total, parts)


def check_hierarchy(rows, first_amount_col):
    """rows: body rows with a code in column 0; '合计' row has an empty code."""
    coded = [(r[0] or "", [Decimal(str(v)).quantize(CENT) for v in r[first_amount_col:]])
             for r in rows if r[1] and (r[0] or r[1] == "合计")]
    by_code = dict(coded)
    for code, values in coded:
        length = {0: 3, 3: 5, 5: 7}.get(len(code))
        children = [v for c, v in coded if len(c) == length and c.startswith(code)]
        if length and children:
            for col in range(len(values)):
                assert_adds_up(values[col], [child[col] for child in children])
    return by_code


def analyse_random(tmp_path, data):
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return analyse(path)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(departments())
def test_random_departments_check_clean_and_add_up(tmp_path, data):
    analysis = analyse_random(tmp_path, data)
    assert [f for f in analysis.findings if f.severity.value == "错误"] == []
    wb = load_workbook(io.BytesIO(render_xlsx(publication(analysis))), read_only=True)      # (values only: fast)

    general = check_hierarchy([r for r in sheet_rows(wb, "附件2")[2:]], 2)
    for _code, (_previous, total, basic, project) in general.items():
        assert_adds_up(total, [basic, project])
    spending = check_hierarchy(sheet_rows(wb, "附件8")[1:], 2)
    for _code, (total, basic, project) in spending.items():
        assert_adds_up(total, [basic, project])
    economic = check_hierarchy(sheet_rows(wb, "附件3")[2:], 2)
    for _code, (total, personnel, public) in economic.items():
        assert_adds_up(total, [personnel, public])

    # both 收支总表: income total = expenditure total, exactly as shown
    summary = {r[0]: r for r in sheet_rows(wb, "附件6") if r[0]}
    assert summary["收入总计"][1] == summary["收入总计"][3]
    fiscal = {r[0]: r for r in sheet_rows(wb, "附件1") if r[0]}
    assert fiscal["收入总计"][1] == fiscal["收入总计"][3]
    purchase = {r[0]: amounts(r) for r in sheet_rows(wb, "附件9") if r[0]}
    assert_adds_up(purchase["合计"][0], [purchase[k][0] for k in ("货物类", "工程类", "服务类")])
    projects = [amounts(r) for r in sheet_rows(wb, "附件10")[2:] if str(r[0]).isdigit()]
    total = next(amounts(r) for r in sheet_rows(wb, "附件10") if r[4] == "合计")
    assert_adds_up(total[0], [p[0] for p in projects])


@pytest.mark.slow
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(departments())
def test_random_departments_render_pdf(tmp_path, data):
    _, rendered = render(analyse_random(tmp_path, data))
    files = rendered.files
    assert files["pdf"].startswith(b"%PDF") and files["xlsx"].startswith(b"PK") and rendered.pages > 1
