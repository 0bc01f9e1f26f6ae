"""The contract with WeasyPrint's internals (builder/render/weasy.py): on the versions the adapter
says it was checked on, every internal it uses is there with the shape it relies on; on any other
version it uses none of them and the PDF is still written."""

import inspect

from builder.render import weasy


def test_the_installed_version_is_one_the_adapter_was_checked_on():
    # pyproject.toml pins the same range; a new WeasyPrint needs this contract run (and the
    # examples' PDFs compared byte for byte) before TESTED is widened
    assert weasy.tested(), weasy.version()


def test_the_internals_used_have_their_shape():
    module = weasy.weasyprint()
    assert list(inspect.signature(module.HTML._ua_stylesheets).parameters) == ["self", "forms"]
    import weasyprint.pdf.fonts as wp
    assert list(inspect.signature(wp.Font.subset).parameters)[:3] == ["self", "to_unicode", "hinting"]
    assert hasattr(wp, "harfbuzz_subset") and hasattr(wp, "harfbuzz")
    from weasyprint.urls import URLFetcher
    assert "fetch" in vars(URLFetcher)
    rendered = weasy.render("<table><tr><td>预算</td></tr></table>", base_url=".", fetcher=weasy.fetcher(()))
    rows = list(weasy.table_rows(rendered.pages[0]))
    assert len(rows) == 1 and rows[0][1] > 0                     # a <tr> with its height
    box = weasy.page_box(rendered.pages[0])
    assert hasattr(box, "children") and hasattr(box, "margin_height")


def test_an_untested_version_uses_the_public_api_only(monkeypatch, tmp_path):
    from builder.publication.model import Cell, Publication, Table
    from builder.render.pdf import pdf_and_pages
    monkeypatch.setattr(weasy, "version", lambda: (99, 0))
    weasy._html_class.cache_clear()
    try:
        table = Table("t", "表1", "测试表", [], [1, 1], [[Cell("项目"), Cell("金额")]],
                      [[Cell("合计"), Cell(__import__("decimal").Decimal("1.00"), kind="amount")]])
        pdf, pages = pdf_and_pages(Publication("测试", "目　录", "说明", [table]))
        assert pdf.startswith(b"%PDF") and pages >= 2
        assert weasy._html_class() is weasy.weasyprint().HTML      # no user-agent stylesheet of ours
    finally:
        weasy._html_class.cache_clear()
