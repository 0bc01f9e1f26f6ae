"""builder/render/paging.py: line breaking as the PDF does it, and the page plan of a table —
whole where it fits, a size smaller before splitting, the last page never a few stray rows, a
form's continuation with its indicator header. And the safety net: when the height model is
wrong, the layout is planned again from WeasyPrint's measurements."""

import re

import pytest

from builder.build import analyse, publication
from builder.render import paging, pdf


def test_chinese_breaks_anywhere_but_around_punctuation_and_quotes():
    assert paging.line_count("一二三四五六", 3) == 2
    assert paging.line_count("一二三四五六", 6) == 1
    # no line may start with ，: the character before it moves down with it
    assert paging.line_count("一二，四五六", 2) == 4
    assert paging.line_count("国务院“互联网+督查”", 4) == 4
    assert paging.line_count("", 3) == 0


def test_header_words_stay_whole():
    assert paging.header_words("全年（调整）预算数") == ["全年", "（调整）", "预算数"]
    assert paging.header_tokens("是否\n核心指标") == ["是否", "\n", "核心指标"]
    assert paging.header_line_count("指标值确定依据", 5) == 1      # 7 characters: one word, overflowing
    assert paging.header_line_count("全年（调整）预算数", 5) == 3


def test_contents_titles_wrap_before_a_bracketed_addition():
    assert paging.wrap("一般公共预算财政拨款基本支出预算表(部门预算支出经济分类科目)", 20) == \
        ["一般公共预算财政拨款基本支出预算表", "(部门预算支出经济分类科目)"]
    assert paging.wrap("部门收支总表", 20) == ["部门收支总表"]


def grid(rows: int, form=False, indicator_head=None, head_rows=()):
    cell = lambda text, kind="text": {"text": text, "colspan": 1, "rowspan": 1, "kind": kind, "words": None}
    body = [[(0, cell("head" if r in head_rows else f"行{r}", "head" if r in head_rows else "text")),
             (1, cell("1.00", "amount"))] for r in range(rows)]
    return paging.Grid([60.0, 60.0], [[(0, cell("项目", "head")), (1, cell("金额", "head"))]], body,
                       range(rows, rows), form, indicator_head)


VIEW = {"title": "测试表", "label": "表1", "page_label": "表1", "subtitle": "", "above": [], "continued_above": [],
        "continued_title": "表1 测试表（续）", "form": False, "notes": []}
STYLE = paging.Style(False, 9.5, paging.PADDING_MM[False])


def test_a_table_that_fits_stays_whole():
    plan = paging.plan(grid(20), VIEW, STYLE)
    assert not plan.dense and [p.rows for p in plan.pages] == [list(range(20))]


def test_a_small_overflow_is_set_a_size_smaller():
    plans = {n: paging.plan(grid(n), VIEW, STYLE) for n in range(20, 60)}
    dense = [n for n, plan in plans.items() if plan.dense]
    assert dense and all(len(plans[n].pages) == 1 for n in dense)
    assert not plans[min(dense) - 1].dense and len(plans[min(dense) - 1].pages) == 1   # fits as it is
    assert not plans[max(dense) + 1].dense and len(plans[max(dense) + 1].pages) == 2   # too much: split


def test_the_last_page_keeps_five_rows():
    for n in range(40, 120):
        plan = paging.plan(grid(n), VIEW, STYLE)
        if len(plan.pages) > 1:
            assert all(len(p.rows) >= paging.MIN_LAST_ROWS for p in plan.pages), n
            assert sum((p.rows for p in plan.pages), []) == list(range(n))


def test_a_form_continues_under_its_indicator_header():
    view = {**VIEW, "form": True}
    plan = paging.plan(grid(120, form=True, indicator_head=3, head_rows={2, 3}), view, STYLE)
    assert len(plan.pages) > 1
    assert all(page.repeat == [3] for page in plan.pages[1:])
    # a heading row never ends a page
    assert all(page.rows[-1] not in (2, 3) for page in plan.pages)


@pytest.mark.slow
def test_when_the_model_is_wrong_the_layout_is_planned_again(monkeypatch, published):
    """Heights halved: the plan crams twice the rows onto a page; WeasyPrint's layout shows
    the overflow, and the table is planned again from the measured heights."""
    document = published("tongnan-zhengfu-2022")[1]
    real = paging.Grid.heights
    monkeypatch.setattr(paging.Grid, "heights", lambda self, *a, **k: [h / 2 for h in real(self, *a, **k)])
    renders = []
    render = pdf._render
    monkeypatch.setattr(pdf, "_render", lambda *a: renders.append(1) or render(*a))
    measured = pdf.measure(pdf.layout(document))
    assert len(renders) == 2
    assert not any(info["overflow"] for info in measured.values())
    for n, table in enumerate(document.tables):
        pages: dict[int, int] = {}
        for _row, page in measured[n]["rows"].items():
            pages[page] = pages.get(page, 0) + 1
        assert min(pages.values()) >= min(paging.MIN_LAST_ROWS, len(table.body)), table.label


def test_long_header_words_break_between_their_words():
    assert paging.header_tokens("政府性基金预算财政拨款收入") == ["政府性基金", "预算", "财政拨款", "收入"]
    assert paging.header_tokens("2024年预算比2023年预算增幅%") == ["2024年", "预算", "比", "2023年", "预算", "增幅%"]
    assert paging.header_tokens("（当年部门预算安排资金）") == ["（当年", "部门预算", "安排", "资金）"]
    assert paging.header_line_count("国有资本经营预算财政拨款", 7) == 2        # 国有资本经营 / 预算财政拨款


def test_an_indicator_header_that_opens_with_its_label_never_ends_a_page():
    # 潼南 and 渝北 forms: the indicator header row opens with 绩效指标, a label cell spanning
    # the indicators; wherever it falls, it starts a page's rows, never ends them
    ended = []
    for ih in range(20, 80):
        g = grid(120, form=True, indicator_head=ih)
        g.body[ih][0] = (0, {"text": "绩效指标", "colspan": 1, "rowspan": 120 - ih, "kind": "label", "words": None})
        g.body[ih][1] = (1, {"text": "指标名称", "colspan": 1, "rowspan": 1, "kind": "head", "words": None})
        plan = paging.plan(g, {**VIEW, "form": True}, STYLE)
        ended += [ih for page in plan.pages if page.rows[-1] == ih]
    assert ended == []


def test_the_height_model_reads_the_sizes_style_css_sets():
    from builder.core.resources import pdf_dir
    css = (pdf_dir() / "style.css").read_text(encoding="utf-8")

    def rule(selector: str) -> str:
        return re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css).group(1)

    mm = lambda text: [float(v) for v in re.findall(r"([\d.]+)mm", text)]
    assert f"font-size: {paging.TEXT_PT}pt" in rule("html") and f"line-height: {paging.LINE}" in rule("html")
    assert f"font-size: {paging.FONT_PT[True]}pt" in rule("section.wide table")
    assert "0.6pt solid" in rule("th, td") and paging.BORDER_MM == 0.6 * paging.PT_MM
    assert mm(re.search(r"padding:[^;]*", rule("th, td")).group(0)) == list(paging.PADDING_MM[False])
    assert mm(rule("section.wide th, section.wide td")) == list(paging.PADDING_MM[True])
    assert mm(rule("table.dense th, table.dense td")) == list(paging.DENSE_PADDING_MM)
    assert mm(rule("tr.filler td")) == [paging.FILLER_MM]
    assert f"height: {paging.LINE}em" in rule("tr.blank td")              # one line of the table's font
    for landscape, selector in ((False, "@page"), (True, "@page wide")):
        top, right, bottom, left = mm(re.search(r"margin:[^;]*", rule(selector)).group(0))
        width, height = (297, 210) if landscape else (210, 297)
        assert paging.CONTENT_MM[landscape] == (width - left - right, height - top - bottom)


def test_a_size_changed_in_style_css_changes_the_plan(tmp_path, monkeypatch):
    """The sizes live in style.css only: the model reads them (builder/render/style.py), so an
    edited stylesheet is planned with its own sizes, and a size the model needs but cannot read
    stops it with the rule and property named."""
    import shutil

    from builder.core.resources import pdf_dir
    from builder.render import style
    for name in ("style.css", "ua.css"):
        shutil.copy(pdf_dir() / name, tmp_path / name)
    css = (tmp_path / "style.css").read_text(encoding="utf-8")
    (tmp_path / "style.css").write_text(css.replace("html { font-family: \"CJK\"; font-size: 9.5pt;",
                                                    "html { font-family: \"CJK\"; font-size: 12pt;")
                                        .replace("margin: 18mm 14mm 18mm 14mm;", "margin: 20mm 15mm;"), encoding="utf-8")
    monkeypatch.setattr(style, "pdf_dir", lambda: tmp_path)
    style.rules.cache_clear()
    try:
        assert style.number("html", "font-size", "pt") == 12
        assert style.box_mm("@page", "margin") == (20, 15, 20, 15)
        (tmp_path / "style.css").write_text(css.replace("tr.filler td { height: 6mm; }", ""), encoding="utf-8")
        style.rules.cache_clear()
        with pytest.raises(LookupError, match=r"style.css sets no height in 'tr.filler td'"):
            style.number("tr.filler td", "height", "mm")
    finally:
        style.rules.cache_clear()


def test_the_page_count_reads_the_sizes_style_css_sets():
    """The 情况说明's and 目录's sizes the page count (check's pages_are_bounded) works with."""
    from builder.core.resources import pdf_dir
    css = (pdf_dir() / "style.css").read_text(encoding="utf-8")

    def rule(selector: str) -> str:
        return re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css).group(1)

    def margin(selector: str) -> tuple[float, float]:
        """(top, bottom) of a rule's margin shorthand, in mm."""
        values = [float(v.removesuffix("mm")) for v in re.search(r"margin:([^;]*)", rule(selector)).group(1).split()]
        return values[0], values[{1: 0, 2: 0, 3: 2, 4: 2}[len(values)]]

    for kind, selector in (("title", "h1.narrative-title"), ("heading", ".narrative h2"),
                           ("subheading", ".narrative h3")):
        font, line, above, below, indent = paging.NARRATIVE[kind]
        assert f"font-size: {font:g}pt" in rule(selector) and (line, indent) == (paging.LINE, 0)
        assert margin(selector) == (above, below)
    paragraph = ".narrative p, .narrative div.text"
    assert f"line-height: {paging.NARRATIVE_LINE}" in rule(paragraph) and "text-indent: 2em" in rule(paragraph)
    for kind in ("paragraph", "verbatim", "contact"):
        font, line, above, below, indent = paging.NARRATIVE[kind]
        assert (font, line, below) == (paging.TEXT_PT, paging.NARRATIVE_LINE, margin(paragraph)[1])
        assert indent == (2 if kind == "paragraph" else 0)
    assert margin(paragraph)[0] == paging.NARRATIVE["paragraph"][2] == 0
    assert "margin-top: 4mm" in rule(".narrative p.contact") and paging.NARRATIVE["contact"][2] == 4
    top, bottom = margin("h1.doc-title")
    assert paging.CONTENTS_TOP_MM == top + bottom and margin("ol.toc li") == (paging.CONTENTS_ENTRY_MM,) * 2


def test_the_height_model_follows_the_layout_settings():
    """tests/fixtures/profiles/布局试验二.yaml: filler rows above a 合计, blank rows, a table kept
    landscape over two pages, a cover title in two lines — each row as high as the model says,
    each table on the pages it planned, and the pages counted before layout the pages laid out."""
    from pathlib import Path
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    document = publication(analyse(fixtures / "generic-budget.yaml", str(fixtures / "profiles" / "布局试验二.yaml")))
    rendered = pdf.layout(document)
    measured = pdf.measure(rendered)
    for n, table in enumerate(document.tables):
        view, plan = pdf._planned(table)
        model = view["grid"].heights(view["grid"].body, plan.style, head=False)
        assert [round(h, 1) for h in model] == [round(h, 1) for h in measured[n]["body"]], table.label
        assert not measured[n]["overflow"]
    blank = next(n for n, t in enumerate(document.tables) if t.title == "空行")
    body = measured[blank]["body"]
    assert abs(body[1] - body[0]) < 0.05 and abs(body[2] - body[3]) < 0.05     # blank rows: a written row's height
    assert sum(pages for _, _, pages in pdf.page_counts(document)) == len(rendered.pages) == 9
