"""A province's set (issue 21), as the sample district's profile 示例省 prints it for its department
示例厅 (docs/示例区/方案/示例省.yaml, docs/示例区/部门/示例厅.yaml): a third spending category
(单位预留机动经费) in every summary table and total, 政府采购 grouped by 采购品目大类 and by 专项名称 +
经济科目 with derived subtotals, the 收入 sub-totals (其他资金 小计, 专项收入), and no 目录 page. Every
figure is read back from the XLSX and the PDF text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from builder.build import check

from conftest import ROOT, D, Sheet, run_cli

SAMPLE = ROOT / "docs" / "示例区"


@pytest.fixture
def area(tmp_path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "示例区")
    return tmp_path / "示例区"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("province")
    shutil.copytree(SAMPLE, root / "示例区")
    result = run_cli("build", "部门/示例厅.yaml", "-o", "out", cwd=root / "示例区")
    assert result.returncode == 0, result.stdout + result.stderr
    out = root / "示例区" / "out"
    with pdfplumber.open(out / "示例厅.pdf") as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    return load_workbook(out / "示例厅.xlsx"), pages, out / "示例厅.pdf"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_sample_checks_clean_and_its_stated_figures_agree():
    result = check(SAMPLE / "部门" / "示例厅.yaml")
    assert result.ok and not result.findings, result.findings


def test_the_reserve_is_its_own_line_in_the_summary_tables(built):
    book, pages, _ = built
    total = Sheet(book["公开01表"])
    assert total.amounts("一、基本支出") == D(12377.11, 6522.75)       # beside 一、一般公共预算拨款
    assert total.amounts("二、项目支出") == D(968.34, 4968.34)          # beside 其中：专项收入
    assert total.amounts("三、单位预留机动经费") == D(0, 1886.02)       # beside 二、政府性基金 (none)
    assert total.amounts("收入总计") == D(13377.11, 13377.11)           # the total includes it
    assert "三、单位预留机动经费 1,886.02" in pages[0]
    assert "收入总计 13,377.11 支出总计 13,377.11" in pages[0]
    fiscal = Sheet(book["公开04表"])
    assert fiscal.amounts("三、单位预留机动经费") == D(0, 1886.02)
    assert fiscal.amounts("收入总计") == D(12377.11, 12377.11)          # 事业收入 is no 财政拨款


def test_the_reserve_has_its_column_in_the_spending_table(built):
    book, pages, _ = built
    spending = Sheet(book["公开03表"])
    assert spending.rows[3] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出", "单位预留机动经费"]
    assert spending.amounts("合计") == D(13377.11, 6522.75, 4968.34, 1886.02)
    assert spending.amounts("2010399") == D(1886.02, 0, 0, 1886.02)
    assert "合计 13,377.11 6,522.75 4,968.34 1,886.02" in pages[2]


def test_income_subtotals(built):
    book, pages, _ = built
    income = Sheet(book["公开02表"])
    # 合计, 一般公共预算 小计, 其中：专项收入, 其他资金 小计 (事业收入 + 事业单位经营收入 + 其他收入), 事业收入
    assert income.amounts("合计") == D(13377.11, 12377.11, 968.34, 0, 1000, 1000, 0, 0, 0)
    assert Sheet(book["公开01表"]).amounts("四、其他资金 小计") == D(1000)
    assert "其中：动用上年结转和结余资金" in pages[0]


def test_purchases_grouped_by_category_then_special_and_economic_subject(built):
    book, pages, _ = built
    rows = Sheet(book["公开05表"]).rows
    body = [[r[0], r[1], r[2], r[3]] for r in rows[6:]]
    assert body == [
        ["合计", None, None, 1624.42],
        ["一、货物类", None, None, 350],
        ["办公设备购置费", "办公设备购置", None, 300],
        ["台式计算机", "办公设备购置", "分散自行组织", 200],
        ["打印机", "办公设备购置", "分散自行组织", 100],
        ["日常公用经费", "办公费", None, 50],
        ["复印纸", "办公费", "政府集中采购", 50],
        ["三、服务类", None, None, 1274.42],            # numbered as the catalogue orders them: 工程 has none
        ["机关运行保障", "物业管理费", None, 1000],
        ["物业管理服务", "物业管理费", "政府集中采购", 1000],
        ["信息化建设", "信息网络及软件购置更新", None, 274.42],
        ["信息系统运行维护", "信息网络及软件购置更新", "分散自行组织", 274.42]]
    text = "\n".join(pages)
    assert "一、货物类 350.00" in text and "三、服务类 1,274.42" in text
    assert "办公设备购置费 办公设备购置 300.00" in text
    by_special = Sheet(book["公开06表"]).rows
    assert [r[0] for r in by_special[5:8]] == ["合计", "办公设备购置费", "台式计算机"]
    assert by_special[6][3] == 300


def test_no_contents_page_but_bookmarks(built):
    book, pages, pdf = built
    assert book.sheetnames == ["公开01表", "公开02表", "公开03表", "公开04表", "公开05表", "公开06表"]
    assert pages[0].startswith("公开01表") and "目" not in pages[0].split("\n")[0]
    from pypdf import PdfReader
    titles = [item.title for item in PdfReader(pdf).outline]
    assert titles[0] == "公开01表 示例省示例厅2019年收支预算总表" and len(titles) == 6


def test_a_category_the_profile_does_not_print_is_an_error(area):
    edit(area / "方案" / "示例省.yaml", "spending_categories: [单位预留机动经费]", "spending_categories: [预备费]")
    edit(area / "方案" / "示例省.yaml", "$支出.单位预留机动经费]", "$支出.预备费]")
    edit(area / "方案" / "示例省.yaml", "$支出.财政拨款.单位预留机动经费]", "$支出.财政拨款.预备费]")
    edit(area / "方案" / "示例省.yaml", "{key: 单位预留机动经费,", "{key: 预备费,")
    found = [f for f in check(area / "部门" / "示例厅.yaml").findings if f.rule == "spending_categories_declared"]
    assert [(f.line, f.message) for f in found] == [
        (23, "支出类别“单位预留机动经费”不是方案“示例省”印出的类别（方案的 spending_categories：预备费）")]


def test_a_profile_category_named_like_a_figure_is_an_error_at_its_line(area):
    edit(area / "方案" / "示例省.yaml", "spending_categories: [单位预留机动经费]", "spending_categories: [基本支出]")
    found = check(area / "部门" / "示例厅.yaml").findings
    assert [(Path(f.file).name, f.line, f.message) for f in found] == [
        ("示例省.yaml", 16, "支出类别“基本支出”与已有的数字名称重复或含有“.”，请换一个名称")]


def test_a_misspelt_category_figure_in_the_profile_stops_the_load(area):
    edit(area / "方案" / "示例省.yaml", "$支出.单位预留机动经费]", "$支出.单位预留机动经废]")
    found = check(area / "部门" / "示例厅.yaml").findings
    assert len(found) == 1 and "合计数“$支出.单位预留机动经废”未定义，是否应为“支出.单位预留机动经费”" in found[0].message


def test_a_stated_reserve_is_compared(area):
    edit(area / "部门" / "示例厅.yaml", "{栏目: 单位预留机动经费, 金额: 1886.02", "{栏目: 单位预留机动经费, 金额: 1886.20")
    found = [f for f in check(area / "部门" / "示例厅.yaml").findings if f.rule == "stated_figures_agree"]
    assert len(found) == 1 and "1886.2" in found[0].message and found[0].line == 45


def test_diff_and_init_show_the_category_as_other_figures(area):
    dept = area / "部门" / "示例厅.yaml"
    changed = area / "部门" / "示例厅2.yaml"
    changed.write_text(dept.read_text(encoding="utf-8").replace("单位预留机动经费: 1886.02", "单位预留机动经费: 1900.00"),
                       encoding="utf-8")
    result = run_cli("diff", "--format", "json", str(dept), str(changed))
    assert result.returncode == 1, result.stderr                # 1: the files differ
    changes = [c for c in json.loads(result.stdout)["变化"] if c["名称"] == "单位预留机动经费"]
    assert [(c["类别"], c["原值"], c["新值"]) for c in changes] == [("合计", "1886.02", "1900.00")]
    result = run_cli("init", "--from", str(dept), "--year", "2020")
    assert result.returncode == 0, result.stderr
    text = (area / "部门" / "示例厅-2020.yaml").read_text(encoding="utf-8")
    assert "    支出类别: {单位预留机动经费: }  # 上年 1886.02\n" in text    # blanked, last year's in a comment
