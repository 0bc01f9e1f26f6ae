"""Pages a finance bureau would publish as they are, for every example: no page with a few
stray rows of a table, every table page saying which table it is, forms whole where they fit,
header and label words never broken, distinct 目录 entries and bookmarks.

Each example is laid out once a session (conftest's `laid_out`); the checks read WeasyPrint's
layout (which rows and lines landed where) and the text of the PDF written from that same
layout."""

from collections import Counter

import pytest

from builder.render import paging
from builder.render.weasy import PX_MM, boxes, page_box
from builder.render.weasy import walk as walk_boxes

from conftest import EXAMPLES

STEMS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
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


def test_long_contents_entries_wrap_under_their_title(laid_out):
    """A 目录 entry too long for its line continues under the title column (hanging indent),
    and its page number stays inside the page."""
    _, rendered, _, _ = parts(laid_out("yubei-zhengfu-2024"))
    page = page_box(rendered.pages[0])
    right = page.margin_width() * PX_MM
    wrapped = 0
    for box in walk_boxes(page):
        if getattr(box, "element", None) is not None and box.element_tag == "a":
            lines = [b for b in box.children if type(b).__name__ == "LineBox"]
            for line in lines:
                texts = [t for t in walk_boxes(line) if type(t).__name__ == "TextBox" and t.text.strip()]
                assert max(t.position_x + t.width for t in texts) * PX_MM <= right - 10
            if len(lines) > 1:
                starts = [min(t.position_x for t in walk_boxes(line) if type(t).__name__ == "TextBox") for line in lines]
                assert starts[1] - starts[0] > 20 / PX_MM        # under the title, not the label
                wrapped += 1
    assert wrapped == 4                                          # 表六 … 表九


def test_a_blank_forms_indicator_row_is_not_collapsed(laid_out):
    """渝北 表十六 (no 重点 project): its empty indicator row is as high as a written row."""
    document, _, measured, _ = parts(laid_out("yubei-zhengfu-2024"))
    n = next(i for i, t in enumerate(document.tables) if t.label == "表十六")
    body = measured[n]["body"]
    assert body[-1] >= 6.0 and body[-1] >= 0.8 * min(body[:-1])
