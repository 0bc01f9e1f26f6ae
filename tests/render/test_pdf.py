"""The PDFs as a reader meets them: labels in order, titles, bookmarks, an embedded CJK font
that has every character the YAML uses, and text from the YAML shown literally."""

import re

import pytest
import yaml
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from builder.core.resources import cjk_font

from conftest import EXAMPLES, example_copy, run_cli

EXPECTED = {
    "tongnan-quwei-2023": 11 + 6,
    "tongnan-zhengfu-2022": 11 + 12,
}
TITLES = ["财政拨款收支总表", "一般公共预算财政拨款支出预算表", "一般公共预算财政拨款基本支出预算表",
          "一般公共预算“三公”经费支出表", "政府性基金预算财政拨款支出预算表", "部门收支总表",
          "部门收入总表", "部门支出总表", "政府采购预算明细表", "项目支出明细表",
          "预算整体绩效目标表", "区级预算绩效目标申报表"]


def flat_text(reader: PdfReader, first: int, stop: int) -> str:
    """Text of pages [first, stop) without white space: the PDF wraps lines anywhere."""
    return "".join("".join(p.extract_text().split()) for p in reader.pages[first:stop])


def labels(projects: int) -> list[str]:
    return [f"附件{i}" for i in range(1, 12)] + [f"附件12-{i}" for i in range(1, projects + 1)]


@pytest.fixture(scope="module")
def pdfs(built):
    return {stem: PdfReader(built / f"{stem}.pdf") for stem in EXPECTED}


@pytest.mark.parametrize("stem", EXPECTED)
def test_table_labels_in_order(pdfs, stem):
    firsts = []
    for page in pdfs[stem].pages[1:]:
        first = page.extract_text().strip().splitlines()[0].strip()
        if re.fullmatch(r"附件[\d-]+", first):
            firsts.append(first)
    assert firsts == labels(EXPECTED[stem] - 11)


@pytest.mark.parametrize("stem", EXPECTED)
def test_every_title_present(pdfs, stem):
    text = "".join(p.extract_text() for p in pdfs[stem].pages).replace(" ", "")
    for title in TITLES:
        assert title in text


@pytest.mark.parametrize("stem", EXPECTED)
def test_one_bookmark_per_table(pdfs, stem):
    outline = [item.title for item in pdfs[stem].outline]
    assert outline[0] == "情况说明"                  # the narrative comes before the tables
    outline = outline[1:]
    assert [o.split()[0] for o in outline] == labels(EXPECTED[stem] - 11)
    assert outline[0].endswith("财政拨款收支总表")


@pytest.mark.parametrize("stem", EXPECTED)
def test_contents_page_lists_every_table_with_a_page(pdfs, stem):
    contents = pdfs[stem].pages[0].extract_text()
    assert "目" in contents and "录" in contents
    for label in labels(EXPECTED[stem] - 11):
        assert re.search(rf"{label}\s.*?\d+\s*$", contents, re.M), label


@pytest.mark.parametrize("stem", EXPECTED)
def test_cjk_font_embedded(pdfs, stem):
    embedded = set()
    for page in pdfs[stem].pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(descendant.get_object()["/BaseFont"]))
    assert embedded and all("CJK" in name for name in embedded)


def _strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


def test_font_has_every_character_the_examples_use():
    cmap = TTFont(cjk_font(), lazy=True).getBestCmap()
    missing = set()
    for path in EXAMPLES.glob("*.yaml"):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            missing |= {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert not missing


def test_page_numbers_and_orientation(pdfs):
    reader = pdfs["tongnan-zhengfu-2022"]
    total = len(reader.pages)
    assert f"第 2 页 共 {total} 页" in reader.pages[1].extract_text()
    first = {p.extract_text().strip().splitlines()[0]: p for p in reader.pages}
    wide, tall = first["附件4"].mediabox, first["附件2"].mediabox
    assert wide.width > wide.height                # 附件4 ("三公", 14 columns) is wide: landscape
    assert tall.width < tall.height                # 附件2 portrait
    # 附件1 is landscape in the profile, but its 36 rows fit one page only upright: turned
    turned = first["附件1"].mediabox
    assert turned.width < turned.height and "附件1" not in first["附件2"].extract_text()


@pytest.mark.slow
def test_yaml_text_is_never_markup(tmp_path):
    source = (EXAMPLES / "tongnan-quwei-2023.yaml").read_text(encoding="utf-8")
    source = source.replace("项目名称: 2023 招商引资专项", "项目名称: <b>招商</b><img src=x>", 1)
    assert "<b>招商</b>" in source
    example_copy(tmp_path, "markup.yaml", source)
    result = run_cli("build", str(tmp_path / "markup.yaml"), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "markup.pdf").pages)
    assert "<b>招商</b><img src=x>" in text


def test_fetcher_reads_only_own_assets():
    from builder.core.resources import pdf_dir
    from builder.render.pdf import fetcher as fetcher_
    fetcher = fetcher_()
    for url in ("file:///etc/passwd", "http://127.0.0.1/x.css", "https://example.org/a.png",
                (pdf_dir() / ".." / ".." / "pyproject.toml").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch((pdf_dir() / "style.css").resolve().as_uri())
    assert b"@page" in response.read()
    response.close()


def test_yubei_and_fengrun_bookmarks_follow_their_profiles(built):
    from builder.publication.build import chinese_number
    yubei = PdfReader(built / "yubei-zhengfu-2024.pdf")
    assert yubei.outline[0].title == "情况说明"
    labels = [item.title.split()[0] for item in yubei.outline[1:]]
    expected = [f"表{chinese_number(n)}" for n in range(1, 17) if n != 13] + [f"表十七-{i}" for i in range(1, 6)]
    assert labels == expected
    text = "".join(p.extract_text() for p in yubei.pages[1:])
    assert "2024年渝北区部门收支预算总表" in text and "表一" not in text   # labels only in 目录/bookmarks
    fengrun = PdfReader(built / "fengrun-quwei-2023.pdf")
    titles = [item.title.split(maxsplit=1)[1] for item in fengrun.outline[1:]]
    assert titles[:9] == ["部门预算收支总表", "部门预算收入总表", "部门预算支出总表", "部门预算财政拨款收支总表",
                          "部门预算一般公共预算财政拨款支出表", "部门预算一般公共预算财政拨款基本支出表",
                          "部门预算政府基金预算财政拨款支出表", "部门预算国有资本经营预算财政拨款支出表",
                          "部门预算财政拨款“三公”经费支出表"]
    assert titles[-2:] == ["部门政府采购预算", "部门固定资产占用情况表"]
    assert any("栏次" in page.extract_text() for page in fengrun.pages[2:6])


def test_narrative_figures_come_from_the_tables(pdfs):
    text = flat_text(pdfs["tongnan-quwei-2023"], 1, 4)
    assert "2023年年初预算数1708.68万元" in text
    assert "收入较去年减少1325.1万元" in text
    assert "比2022年减少1325.1万元，下降43.7%" in text
    assert "一般公共服务支出1387.32万元" in text and "1387.31" not in text
    assert "基本支出1286.68万元，比2022年增加89.49万元" in text
    assert "“三公”经费预算53万元，比2022年减少4万元" in text
    assert "公务用车运行维护费36万元，比2022年减少4万元，下降10%，主要原因是一般公共预算拨款中每辆公务用车运行维护费减少" in text
    assert "运行经费258.58万元" in text
    assert "部门预算公开联系人：邱波" in text


def test_yubei_narrative_explains_each_item(built):
    text = flat_text(PdfReader(built / "yubei-zhengfu-2024.pdf"), 1, 5)
    assert "收入较2023年增加864,118.95元" in text
    assert "基本支出17,450,324.85元，占51.3%，较2023年减少1,265,881.05元" in text
    assert ("行政运行（项）2024年预算数为10,473,468.05元，较2023年减少966,983.95元，下降8.5%。"
            "主要原因是按照过紧日子的要求，降低公用经费预算标准") in text
    # the seed prints 下降 5.2% here; 60,370.88 / 1,172,949.12 is 5.1%
    assert "机关事业单位基本养老保险缴费支出（项）2024年预算数为1,112,578.24元，较2023年减少60,370.88元，下降5.1%" in text
    assert "“三公”经费预算390,000元，较2023年减少125,000元" in text


def test_fengrun_narrative(built):
    text = flat_text(PdfReader(built / "fengrun-quwei-2023.pdf"), 1, 4)
    assert "项目支出447.83万元" in text
    assert "1、办公费：9.88万元" in text and "7、其他交通费用：34.48万元" in text
    assert "“三公”经费预算安排18.9万元，与上年预算相比无变化" in text


def test_every_element_of_the_template_has_its_user_agent_rules():
    """templates/pdf/ua.css replaces WeasyPrint's user-agent stylesheet with the rules for our
    elements only: an element the template starts to write without one there would lay out as an
    unstyled inline box."""
    from builder.core.resources import pdf_dir
    template = (pdf_dir() / "document.html.j2").read_text(encoding="utf-8")
    ua = (pdf_dir() / "ua.css").read_text(encoding="utf-8")
    written = set(re.findall(r"<([a-z][a-z0-9]*)", template)) - {"span", "a", "br"}  # inline, as unknown ones are
    displayed = {tag for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", ua.split("*/", 1)[1])
                 if "display:" in body for tag in re.findall(r"[a-z][a-z0-9]*", selectors)}
    assert written - displayed == set()
    assert 'br::before { content: "\\A"' in ua          # a line break is its generated newline
