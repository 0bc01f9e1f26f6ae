"""The preview is the publication the PDF draws, drawn as HTML: every table, every cell as the PDF
prints it, the 目录 and the 情况说明 — and the YAML's text as text."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.build import analyse, publication
from builder.render.pdf import cell_text
from builder.service.html import percent_widths, render_publication

from helpers import MINIMAL, edit, write

EXAMPLES = Path(__file__).resolve().parents[2] / "input_yaml"


class Reader(HTMLParser):
    """The tables of the page, as rows of cell texts, with each section's headings."""

    def __init__(self):
        super().__init__()
        self.tables, self.text, self.tags, self._cell, self._stack = [], [], [], None, []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def read(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    return reader


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_table_and_cell_of_the_publication_as_the_pdf_prints_it(name):
    document = publication(analyse(EXAMPLES / name, allow_incomplete=True))
    page = read(render_publication(document))
    assert len(page.tables) == len(document.tables)
    for table, drawn in zip(document.tables, page.tables):
        expected = [[cell_text(cell, table) for cell in row] for row in table.header + table.body]
        assert drawn == expected, table.title
    text = "".join(page.text)
    for table in document.tables:          # the 目录 names each table, and each is titled
        assert table.contents_title in text and table.title in text
    for block in document.narrative:       # the 情况说明, block by block
        assert block.text in text
    assert document.title in text and document.contents_heading in text


def test_column_widths_are_classes_of_the_profile_widths_and_the_page_has_no_inline_style_or_script():
    document = publication(analyse(EXAMPLES / "tongnan-quwei-2023.yaml"))
    page = read(render_publication(document))
    cols = [attrs["class"] for tag, attrs in page.tags if tag == "col"]
    assert cols == [f"w{w}" for table in document.tables for w in percent_widths(table)]
    assert not any(tag == "script" or "style" in attrs or any(a.startswith("on") for a in attrs)
                   for tag, attrs in page.tags)


def test_the_yaml_text_is_escaped_in_the_preview_as_in_the_pdf(tmp_path):
    text = edit(MINIMAL, "部门: 测试局", '部门: "测试局<script>alert(1)</script>"')
    text = edit(text, "职能职责: 负责测试。", '职能职责: "<img src=x onerror=alert(2)>负责&测试。"')
    document = publication(analyse(write(tmp_path, text)))
    html = render_publication(document)
    assert "<script" not in html and "<img" not in html
    assert "测试局&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;负责&amp;测试" in html


def test_blank_rows_are_a_line_high_as_in_the_pdf():
    # tests/fixtures/profiles/布局试验二.yaml's 空行 table has rows of nothing (the profile's [""]):
    # the preview marks the rows the PDF draws one line high, and its style sheet gives them a line
    from builder.render.pdf import _view
    fixtures = EXAMPLES.parent / "tests" / "fixtures"
    document = publication(analyse(fixtures / "generic-budget.yaml", str(fixtures / "profiles" / "布局试验二.yaml")))
    [n] = [n for n, t in enumerate(document.tables) if t.title == "空行"]
    table, grid = document.tables[n], _view(document.tables[n])["grid"]
    assert len(table.blank_rows) >= 2
    assert {r for r in range(len(table.body)) if grid.blank(r)} == table.blank_rows
    page = read(render_publication(document))
    marked = [attrs.get("class") == "blank" for tag, attrs in page.tags if tag == "tr"]
    assert sum(marked) == sum(len(t.blank_rows) for t in document.tables)
    css = (EXAMPLES.parent / "builder" / "service" / "static" / "preview.css").read_text(encoding="utf-8")
    assert "tr.blank td { height: 1.35em; }" in css
