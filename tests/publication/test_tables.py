"""Tables from facts and a profile: numbering, empty tables, notes, forms, layouts."""

from builder.profiles import load_profile
from builder.publication.build import build_tables
from builder.publication.model import Cell, chinese_number, place
from builder.publication.profile import PLACEHOLDER

from helpers import MINIMAL, analysis


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 28, 31)] == \
        ["一", "九", "十", "十一", "二十", "二十八", "三十一"]


def test_place_follows_row_spans():
    header = [[Cell("a", rowspan=2), Cell("b", colspan=2)], [Cell("c"), Cell("d")]]
    assert [(r, c, cell.value) for r, c, cell in place(header, 3)] == \
        [(0, 0, "a"), (0, 1, "b"), (1, 1, "c"), (1, 2, "d")]


def tables_for(tmp_path, text, profile="潼南"):
    return {t.label: t for t in build_tables(analysis(tmp_path, text, profile).facts, load_profile(profile))}


def test_every_table_of_the_profile_appears_numbered(tmp_path):
    tables = tables_for(tmp_path, MINIMAL)
    assert list(tables) == [f"附件{i}" for i in range(1, 12)] + ["附件12-1"]
    assert tables["附件1"].title == "测试局2024年财政拨款收支总表"


def test_empty_tables_keep_headers_and_get_a_note(tmp_path):
    tables = tables_for(tmp_path, MINIMAL)
    fund = tables["附件5"]
    assert fund.header and fund.body[0][1].value == "合计"
    assert fund.notes == ["备注：本部门2024年无政府性基金预算财政拨款安排的支出，故此表无数据。"]
    assert tables["附件2"].notes == ["备注：本表反映当年一般公共预算财政拨款支出情况。"]


def test_no_projects_still_gives_one_empty_form(tmp_path):
    text = MINIMAL[:MINIMAL.index("项目:")]
    tables = tables_for(tmp_path, text)
    assert "附件12" in tables and "附件12-1" not in tables
    assert tables["附件12"].notes == ["备注：本部门2024年无项目支出，故此表无数据。"]


def test_rounding_note_when_shown_parts_do_not_add_up(tmp_path):
    # typed in 元: 1.23 + 1.23 (万元, each rounded) ≠ 2.47 (the rounded exact total)
    text = (MINIMAL.replace("金额单位: 万元", "金额单位: 元")
            .replace("基本支出: 100.10", "基本支出: 12345").replace("基本支出: 20.05", "基本支出: 12345")
            .replace("人员经费: 100.15", "人员经费: 24690"))
    text = text.replace('{科目编码: "2080505"', '{科目编码: "2013150"')
    general = tables_for(tmp_path, text)["附件2"]
    assert general.notes[-1].startswith("注：本表金额由元换算为万元并四舍五入")
    assert tables_for(tmp_path, MINIMAL)["附件2"].notes == ["备注：本表反映当年一般公共预算财政拨款支出情况。"]


def test_blank_forms_show_no_placeholders(tmp_path):
    from pathlib import Path

    from builder.profiles import available
    final = (Path(__file__).resolve().parent.parent / "fixtures" / "generic-final.yaml").read_text(encoding="utf-8")
    without_projects = {"预算": MINIMAL[:MINIMAL.index("项目:")], "决算": final[:final.index("项目自评:")]}
    for name in available():
        a = analysis(tmp_path, without_projects[load_profile(name).kind], name)
        tables = build_tables(a.facts, a.profile, skip=a.context.incomplete)
        for table in tables:
            cells = [c.value for row in table.header + table.body for c in row if isinstance(c.value, str)]
            texts = cells + [table.title] + [x for line in table.above for x in line]
            assert not [t for t in texts if PLACEHOLDER.search(t)], (name, table.label)


def test_what_a_partial_last_year_does_not_give_is_blank_never_a_zero(tmp_path):
    # last year's file gives only its "三公" 总计: the parts print blank (a cell with no value, in
    # the XLSX too), this year's zeros stay zeros
    from helpers import write
    write(tmp_path, "部门: 测试局\n年度: 2023\n金额单位: 万元\n部分数据: true\n已公布数:\n"
                    "  - {栏目: 本年.总计, 金额: 5, 出处: 上年“三公”表}\n", "last.yaml")
    [table] = [t for t in tables_for(tmp_path, MINIMAL + "上年文件: last.yaml\n").values() if "三公" in t.title]
    cells = {c.measure: c.value for c in table.body[0] if c.measure}
    assert cells["上年.总计"] == 5
    assert [cells[f"上年.{part}"] for part in ("因公出国", "公务用车购置", "公务用车运行维护", "公务接待")] == [None] * 4
    assert cells["本年.因公出国"] == 0 and cells["本年.因公出国"] is not None
