"""Pages a finance bureau would publish as they are, for every example: no page with a few
stray rows of a table, every table page saying which table it is, forms whole where they fit,
header and label words never broken, distinct 目录 entries and bookmarks.

Each example is laid out once a session (conftest's `laid_out`); the checks read WeasyPrint's
layout (which rows and lines landed where) and the text of the PDF written from that same
layout."""

import io
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from builder.publication.model import Cell, Publication, Table
from builder.render import paging, pdf
from builder.render.pdf import layout
from builder.render.weasy import PX_MM, boxes, page_box
from builder.render.weasy import walk as walk_boxes

from conftest import EXAMPLES

STEMS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
TONGNAN_3 = "中共重庆市潼南区委办公室2023年一般公共预算财政拨款基本支出预算表"
pytestmark = pytest.mark.slow             # every example laid out by WeasyPrint


def parts(laid):
    """(document, rendered, measured, reader) of a LaidOut."""
    return laid.document, laid.rendered, laid.measured, laid.reader


@pytest.mark.parametrize("stem", STEMS)
def test_the_layout_is_the_one_the_build_printed(laid_out, built, stem):
    """The layout these tests read (and test_fonts) writes the very PDF the CLI built."""
    assert laid_out(stem).pdf == (built / f"{stem}.pdf").read_bytes()


def rows_per_page(info) -> dict[int, list[int]]:
    pages: dict[int, list[int]] = {}
    for row, page in info["rows"].items():
        pages.setdefault(page, []).append(row)
    return pages


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("stem", STEMS)
def test_no_page_holds_a_few_stray_rows(laid_out, stem):
    document, _, measured, _ = parts(laid_out(stem))
    for n, table in enumerate(document.tables):
        pages = rows_per_page(measured[n])
        total = len(table.body)
        if not total:
            continue                                  # a table of headers only (and its note)
        assert sorted(pages) == list(range(min(pages), max(pages) + 1)), table.label    # consecutive
        for page, rows in pages.items():
            assert len(rows) >= min(paging.MIN_LAST_ROWS, total), (table.label, page, len(rows))
        # the totals at the bottom are on a page with rows above them
        last = pages[max(pages)]
        assert len(table.body) - 1 in last


@pytest.mark.parametrize("stem", STEMS)
def test_every_table_page_says_which_table_it_is(laid_out, stem):
    document, _, measured, reader = parts(laid_out(stem))
    for n, table in enumerate(document.tables):
        pages = sorted(rows_per_page(measured[n])) or sorted(measured[n]["pages"][0])
        first = flat(reader.pages[pages[0]].extract_text())
        assert flat(table.title) in first, (table.label, pages[0])
        for page in pages[1:]:
            text = flat(reader.pages[page].extract_text())
            heading = (f"{table.label}" if table.print_label else "") + table.contents_title + "（续）"
            assert flat(heading) in text, (table.label, page)
            # the header rows come again (a form: its indicator header)
            if table.header:
                assert flat(" ".join(str(c.value) for c in table.header[-1] if c.value)) in text
            elif table.indicator_head is not None:
                head = table.body[table.indicator_head]
                assert all(flat(str(c.value)) in text for c in head if c.kind == "head")


@pytest.mark.parametrize("stem", STEMS)
def test_forms_that_fit_a_page_are_on_one_page(laid_out, stem):
    document, rendered, measured, _ = parts(laid_out(stem))
    for n, table in enumerate(document.tables):
        info = measured[n]
        if table.form and len(rows_per_page(info)) > 1:
            height = paging.CONTENT_MM[table.landscape][1]
            assert sum(info["header"]) + sum(info["body"]) > height - 20, table.label     # it could not


def test_the_examples_split_some_tables_and_turn_one(laid_out):
    """The rules above are not vacuous: some tables do run over pages, and 附件1, landscape in
    the 潼南 profile, fits one page only upright."""
    document, rendered, measured, reader = parts(laid_out("tongnan-zhengfu-2024-juesuan"))
    split = [t.label for n, t in enumerate(document.tables) if len(rows_per_page(measured[n])) > 1]
    assert len(split) >= 3 and any(label.startswith("项目自评") for label in split)
    document, rendered, measured, reader = parts(laid_out("tongnan-quwei-2023"))
    page = rows_per_page(measured[0])
    assert len(page) == 1
    box = reader.pages[min(page)].mediabox
    assert box.width < box.height


def _text(element) -> str:
    """An element's text with its <br> as line breaks (a profile's own break in a header)."""
    out = [element.text or ""]
    for child in element:
        out += ["\n" if child.tag == "br" else _text(child), child.tail or ""]
    return "".join(out)


def _lines(cell) -> list[str]:
    return ["".join(t.text for t in walk_boxes(line) if type(t).__name__ == "TextBox")
            for line in walk_boxes(cell) if type(line).__name__ == "LineBox"]


@pytest.mark.parametrize("stem", STEMS)
def test_header_and_label_words_never_break(laid_out, stem):
    _, rendered, _, _ = parts(laid_out(stem))
    checked = 0
    for page in rendered.pages:
        for box in boxes(page):
            element = getattr(box, "element", None)
            if element is None or box.element_tag not in ("th", "td"):
                continue
            if box.element_tag == "td" and not {"head", "label"} & set((element.get("class") or "").split()):
                continue
            lines = [flat(line) for line in _lines(box)]
            if len(lines) < 2:
                continue
            checked += 1
            text = "".join(lines)
            assert flat(_text(element)) == text
            breaks = {sum(len(line) for line in lines[:k]) for k in range(1, len(lines))}
            at = 0
            for word in paging.header_words(_text(element)):
                if len(word) <= paging.HEADER_WORD:
                    inside = set(range(at + 1, at + len(word)))
                    assert not inside & breaks, (stem, word, lines)
                at += len(word)
    assert checked, "no header cell wraps at all: the test would not see a broken word"


@pytest.mark.parametrize("stem", STEMS)
def test_contents_entries_and_bookmarks_are_distinct(laid_out, stem):
    document, _, _, reader = parts(laid_out(stem))
    entries = [t.contents_title for t in document.tables]
    assert not [e for e, k in Counter(entries).items() if k > 1]
    bookmarks = [item.title for item in reader.outline]
    assert len(bookmarks) == len(set(bookmarks)) == len(document.tables) + bool(document.narrative)
    for table in document.tables:             # a title never names its project twice
        assert table.contents_title.count(table.subject or "\0") <= 1


def test_yubei_namesakes_are_told_apart_by_their_subtitles(laid_out):
    document, _, _, reader = parts(laid_out("yubei-zhengfu-2024"))
    titles = [item.title for item in reader.outline]
    assert "表六 2024年渝北区部门一般公共预算财政拨款基本支出预算表(部门预算支出经济分类科目)" in titles
    assert "表七 2024年渝北区部门一般公共预算财政拨款基本支出预算表(政府预算支出经济分类科目)" in titles
    contents = flat(reader.pages[0].extract_text())
    assert flat("表七 2024年渝北区部门一般公共预算财政拨款基本支出预算表 (政府预算支出经济分类科目)") in contents


def _contents_entries(rendered) -> list[tuple[list, list]]:
    """The 目录's entries: per entry the text boxes of its label, and of each line of its
    title (with the leader's dots and the page number on the last line)."""
    outer = {}                      # each label's and link's outermost box, in document order
    for box in (box for page in rendered.pages for box in boxes(page)):
        element = getattr(box, "element", None)
        if element is not None and (box.element_tag == "a" or element.get("class") == "toc-label"):
            outer.setdefault(id(element), box)
    labels = [box for box in outer.values() if box.element_tag != "a"]
    links = [box for box in outer.values() if box.element_tag == "a"]
    text = lambda box: [t for t in walk_boxes(box) if type(t).__name__ == "TextBox" and t.text.strip()]
    return [(text(label), [text(line) for line in walk_boxes(link) if type(line).__name__ == "LineBox"])
            for label, link in zip(labels, links, strict=True)]


def test_long_contents_entries_wrap_under_their_title(laid_out):
    """A 目录 entry too long for its line continues under the title column (hanging indent),
    and its page number stays inside the page."""
    _, rendered, _, _ = parts(laid_out("yubei-zhengfu-2024"))
    right = page_box(rendered.pages[0]).margin_width() * PX_MM
    wrapped = 0
    for label, lines in _contents_entries(rendered):
        for line in lines:
            assert max(t.position_x + t.width for t in line) * PX_MM <= right - 10
        if len(lines) > 1:
            for line in lines:                               # under the title, not the label
                assert (line[0].position_x - label[0].position_x) * PX_MM > 20
            wrapped += 1
    assert wrapped == 4                                          # 表六 … 表九


def _leader_gaps(rendered) -> list[tuple[str, float, int]]:
    """Per 目录 entry: its title's last line, the room (mm) between that line's last character
    and the page number, and how many leader dots fill it."""
    gaps = []
    for _, lines in _contents_entries(rendered):
        last = lines[-1]
        number, dots = last[-1], [t for t in last[:-1] if set(t.text) == {"."}]
        title = [t for t in last[:-1] if t not in dots]
        # a leader moved down alone to the last line starts from the title column
        end = max((t.position_x + t.width for t in title), default=lines[0][0].position_x)
        text = "".join(t.text for t in title)
        assert number.text.isdigit(), number.text
        gaps.append((text, (number.position_x - end) * PX_MM, sum(len(t.text) for t in dots)))
    return gaps


@pytest.mark.parametrize("stem", STEMS)
def test_every_contents_entry_has_a_leader_before_its_page_number(laid_out, stem):
    """The 目录 as a reader copies it: between every title and its page number a dot leader —
    also where the title fills its line (潼南区委办 2023 附件3 printed “…基本支出预算表6”)."""
    document, rendered, measured, reader = parts(laid_out(stem))
    contents = reader.pages[0].extract_text()
    entries = [(document.narrative_title, None)] if document.narrative else []
    entries += [(f"{t.label}{t.contents_title}", min(measured[n]["pages"][0]) + 1)
                for n, t in enumerate(document.tables)]
    for title, page in entries:
        number = r"\d+" if page is None else str(page)
        # the title (wrapped anywhere), dots, and its page number ending the line
        entry = r"\s*".join(re.escape(ch) for ch in flat(title)) + r"\s*\.{3,}\s*" + number + "$"
        assert re.search(entry, contents, re.M), (title, contents)
    for text, gap, dots in _leader_gaps(rendered):
        assert gap >= 3 and dots >= 3, (text, gap, dots)


def _contents_of(titles: list[str]):
    tables = [Table(id=f"t{i}", label=f"附件{i}", title=title, above=[], widths=[1.0], header=[],
                    body=[[Cell("一")]]) for i, title in enumerate(titles, start=1)]
    return layout(Publication(title="某部门2024年部门预算", contents_heading="目　录",
                              narrative_title="部门预算情况说明", tables=tables))


# titles from well within the 目录's line to past it, a character (or a Latin letter) at a time
FILLING = [TONGNAN_3 + "表" * k for k in range(12)] + [TONGNAN_3 + "A" * k + "（附）" for k in range(9)]


def test_titles_that_fill_their_line_keep_a_leader():
    """However long a title, its last line leaves room for a leader of at least three dots."""
    rendered = _contents_of(FILLING)
    gaps = _leader_gaps(rendered)
    assert len(gaps) == len(FILLING)
    # the titles run from one line to two: some fill their first line
    assert {len(lines) for _, lines in _contents_entries(rendered)} == {1, 2}
    for text, gap, dots in gaps:
        assert gap >= 3 and dots >= 3, (text, gap, dots)


def test_a_title_that_fills_its_line_still_keeps_a_gap(monkeypatch):
    """Where the line model were off and a title's last line came out full, the leader and page
    number move down together, or stay a gap (padding) away from the title: never glued."""
    monkeypatch.setattr(pdf, "TOC_INDENT_MM", 2 * 10 + 26)          # no room kept for them
    rendered = _contents_of(FILLING)
    right = page_box(rendered.pages[0]).margin_width() * PX_MM
    for text, gap, dots in _leader_gaps(rendered):
        assert gap >= 0.3 * paging.TEXT_PT * paging.PT_MM - 0.05, (text, gap, dots)
    for _, lines in _contents_entries(rendered):
        assert max(t.position_x + t.width for t in lines[-1]) * PX_MM <= right - 10


def test_a_blank_forms_indicator_row_is_not_collapsed(laid_out):
    """渝北 表十六 (no 重点 project): its empty indicator row is as high as a written row."""
    document, _, measured, _ = parts(laid_out("yubei-zhengfu-2024"))
    n = next(i for i, t in enumerate(document.tables) if t.label == "表十六")
    body = measured[n]["body"]
    assert body[-1] >= 6.0 and body[-1] >= 0.8 * min(body[:-1])


@pytest.mark.parametrize("stem", STEMS)
def test_the_pages_counted_before_layout_are_the_pages_laid_out(laid_out, stem):
    """check bounds a document's pages (pages_are_bounded) by counting them without WeasyPrint:
    the 目录, the 情况说明 and each table as planned. Each part lands on as many pages."""
    document, rendered, measured, reader = parts(laid_out(stem))
    counts = pdf.page_counts(document)
    assert sum(pages for _, _, pages in counts) == len(rendered.pages)
    first = [min(min(pages) for pages in measured[n]["pages"].values()) for n in range(len(document.tables))]
    counted = [pages for _, _, pages in counts[-len(document.tables):]]
    laid = [b - a for a, b in zip(first, first[1:] + [len(rendered.pages)])]
    assert counted == laid


def test_a_row_taller_than_a_page_is_laid_out_once_and_whole(monkeypatch):
    """A cell of 5 000 characters in a narrow column runs over several pages: the plan cannot do
    better, so the document is not laid out again for it, and all of its text is printed."""
    text = (TONGNAN_3 * 200)[:5000]
    table = Table(id="t", label="附件1", title="测试表", above=[], widths=[1.0, 6.0],
                  header=[[Cell("指标"), Cell("说明")]], body=[[Cell(text), Cell("一")], [Cell("二"), Cell("三")]])
    renders = []
    real = pdf._render
    monkeypatch.setattr(pdf, "_render", lambda *args: renders.append(1) or real(*args))
    rendered = layout(Publication(title="测试", contents_heading="目　录", narrative_title="说明", tables=[table]))
    assert len(renders) == 1 and len(rendered.pages) > 3
    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.write_pdf())).pages)
    assert printed.count("潼") == text.count("潼") == 147
    counted = sum(pages for _, _, pages in pdf.page_counts(
        Publication(title="测试", contents_heading="目　录", narrative_title="说明", tables=[table])))
    assert abs(counted - len(rendered.pages)) <= 2, (counted, len(rendered.pages))
