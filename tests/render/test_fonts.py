"""The CJK font cut to each document before WeasyPrint (builder/render/fonts.py): every character
the document shows is in the embedded font, which is a subset, copies as typed, shapes and looks
as the whole font does, and is stored where only we can write it."""

import io
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import uharfbuzz as hb
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from builder.core.resources import cjk_font
from builder.publication.model import Block, Cell, Publication, Table, cell_text
from builder.render import fonts
from builder.render.pdf import fetcher as fetcher_
from builder.render.pdf import render_pdf

from conftest import EXAMPLES

LIGATURES = "一般公共服务支出——办公office费"        # —— and ffi are single glyphs of Noto Sans SC
SENTENCE = "收入预算1,234.50万元——比上年增长12.5%（含“三公”经费）。"
SAMPLE = Publication(
    title="测试局2024年部门预算", contents_heading="目　录", narrative_title="部门预算情况说明",
    narrative=[Block("title", "测试局2024年部门预算情况说明"), Block("heading", "一、基本情况"),
               Block("paragraph", SENTENCE)],
    tables=[Table(id="t1", label="附件1", title="部门收支总表", above=[["单位：万元"]], widths=[3, 1, 1],
                  header=[[Cell("项目", kind="head"), Cell("金额", kind="head"), Cell("占比", kind="head")]],
                  body=[[Cell(LIGATURES), Cell(Decimal("1234.5"), kind="amount"),
                         Cell(Decimal("12.5"), kind="percent")],
                        [Cell("合计", kind="caption"), Cell(Decimal("1234.5"), kind="amount", bold=True),
                         Cell("")]],
                  notes=["注：本表金额单位为万元。"])])
SUBSET_NAME = re.compile(r"^/[A-Z]{6}\+CJK(-Bold)?$")


def embedded_fonts(reader: PdfReader) -> dict[str, TTFont]:
    """BaseFont → the font program embedded for it, for every font the pages use."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                program = next(descriptor[k] for k in ("/FontFile3", "/FontFile2", "/FontFile")
                               if k in descriptor)
                found[str(descendant["/BaseFont"])] = TTFont(io.BytesIO(program.get_object().get_data()))
    return found


def drawn_characters(document: Publication, pages: int) -> set[str]:
    """What the PDF shows of a document: titles, 目录, 情况说明, labels, cells, notes, footer."""
    strings = [document.title, document.contents_heading, document.narrative_title, f"第页共{pages}"]
    strings += [block.text for block in document.narrative]
    for table in document.tables:
        strings += [table.label, table.title, table.contents_title, table.subtitle, *table.notes]
        strings += [text for line in table.above for text in line]
        strings += [cell_text(cell, table) for row in table.header + table.body for cell in row]
    return {ch for text in strings for ch in text if not ch.isspace()}


def to_unicode(reader: PdfReader) -> dict[str, dict[int, str]]:
    """BaseFont → {glyph id: the text it stands for}, from each font's ToUnicode map."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            found[str(font["/BaseFont"])] = {
                int(gid, 16): bytes.fromhex(text).decode("utf-16-be")
                for gid, text in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", data)}
    return found


class Rendered:
    """A document's PDF, and the subset font its layout handed to WeasyPrint."""

    def __init__(self, document: Publication, pdf: bytes, subsets: list):
        self.document, self.pdf = document, pdf
        self.reader = PdfReader(io.BytesIO(self.pdf))
        [self.subset] = subsets
        self.drawn = drawn_characters(document, len(self.reader.pages))
        self.fonts = embedded_fonts(self.reader)
        self.cmap = {chr(code) for font in self.fonts.values() for code in font.getBestCmap()}
        self.to_unicode = to_unicode(self.reader)


def rendered_with_render_pdf(document: Publication, monkeypatch) -> Rendered:
    written = []
    write_subset = fonts.write_subset

    def spy(*args):
        written.append(write_subset(*args))
        return written[-1]
    monkeypatch.setattr(fonts, "write_subset", spy)
    pdf = render_pdf(document)
    monkeypatch.undo()
    return Rendered(document, pdf, written)


def text_by_font(page) -> dict[str, str]:
    """The text a page draws in each font (BaseFont → text)."""
    drawn: dict[str, str] = {}

    def visit(text, cm, tm, font, size):
        if font is not None and text:
            name = str(font["/BaseFont"])
            drawn[name] = drawn.get(name, "") + text
    page.extract_text(visitor_text=visit)
    return drawn


@pytest.fixture(scope="module")
def rendered():
    with pytest.MonkeyPatch.context() as monkeypatch:
        return rendered_with_render_pdf(SAMPLE, monkeypatch)


@pytest.fixture(scope="module")
def sample(rendered) -> bytes:
    return rendered.pdf


@pytest.fixture(scope="module")
def department(laid_out):
    """An example as the session laid it out, its PDF written as render_pdf writes it."""
    laid = laid_out("tongnan-quwei-2023")
    return Rendered(laid.document, laid.pdf, laid.subsets)


@pytest.fixture(scope="module")
def tongnan(department) -> PdfReader:
    return department.reader


@pytest.mark.parametrize("which", ["rendered", pytest.param("department", marks=pytest.mark.slow)])
def test_the_subset_has_every_character_the_document_shows(request, which):
    rendered = request.getfixturevalue(which)
    assert rendered.subset.parent == fonts.font_dir()
    subset = {chr(code) for code in TTFont(rendered.subset).getBestCmap()}
    assert len(rendered.drawn) > (500 if which == "department" else 50)
    assert not rendered.drawn - subset


@pytest.mark.slow
def test_every_character_of_a_department_is_in_the_embedded_font(department):
    """In the PDF, WeasyPrint keeps the glyphs it drew: a character is in the embedded cmap, or it
    was drawn as another glyph (zh-CN's localized form of the ASCII quote ") that ToUnicode maps."""
    assert {"目", "页", "第", "共", "预", "算", "1", "."} <= department.cmap
    assert department.drawn - department.cmap == {'"'}
    mapped = {text for glyphs in department.to_unicode.values() for text in glyphs.values()}
    assert '"' in mapped


def test_every_character_of_the_sample_is_in_the_embedded_font(rendered):
    """Also with ligatures: —— and "ffi" are one glyph each, mapped to their text by ToUnicode."""
    assert rendered.drawn - rendered.cmap == {"—", "f", "i"}
    mapped = {text for glyphs in rendered.to_unicode.values() for text in glyphs.values()}
    assert {"——", "ffi"} <= mapped


@pytest.mark.parametrize("stem", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_font_is_embedded_as_a_small_subset(built, stem):
    programs = embedded_fonts(PdfReader(built / f"{stem}.pdf"))
    assert programs and all(SUBSET_NAME.match(name) for name in programs)
    whole = TTFont(cjk_font(), lazy=True)["maxp"].numGlyphs
    for font in programs.values():
        # WeasyPrint keeps glyph ids below the highest one used: a subset of ours has < 2,000
        assert font["maxp"].numGlyphs < 2000 < whole
        assert {"cmap", "hmtx", "CFF "} <= set(font.keys())


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_sees_embedded_subsets_with_unicode_maps(built):
    lines = subprocess.run(["pdffonts", str(built / "tongnan-quwei-2023.pdf")], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        name, *_, emb, sub, uni, _obj, _gen = line.split()
        assert re.fullmatch(r"[A-Z]{6}\+CJK(-Bold)?", name), line
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line


@pytest.mark.slow
def test_cids_are_glyph_ids(tongnan):
    """WeasyPrint writes glyph ids as CIDs; a CFF charset that is the identity makes viewers that
    go through the charset (Acrobat) and those that don't (poppler, PDFium) pick the same glyph.
    Noto's own charset is not the identity (glyph 1141 is CID 1397)."""
    for font in embedded_fonts(tongnan).values():
        top = font["CFF "].cff.topDictIndex[0]
        assert hasattr(top, "ROS")                           # still a CID-keyed font
        order = font.getGlyphOrder()
        assert order[1:] == [f"cid{gid:05d}" for gid in range(1, len(order))]


@pytest.mark.slow
def test_text_copies_as_typed(sample, tongnan):
    reader = PdfReader(io.BytesIO(sample))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            assert "/ToUnicode" in font.get_object()
    text = "".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())
    assert SENTENCE in flat and LIGATURES in flat and "单位：万元" in flat
    assert "目　录" in text and "第 2 页 共 3 页" in text
    assert "中共重庆市潼南区委办公室2023年部门预算情况说明" in "".join(tongnan.pages[1].extract_text().split())


@pytest.mark.slow
def test_one_face_is_embedded_since_the_font_has_no_bold(sample, tongnan):
    """Noto Sans SC Regular has no bold face and WeasyPrint fakes none: bold would look the same
    and embed the font twice. Headings and bold cells are drawn in the one regular face."""
    pages = [text_by_font(page) for page in PdfReader(io.BytesIO(sample)).pages]
    names = {name for page in pages for name in page}
    assert names and all(name.endswith("+CJK") for name in names)
    text = "".join(t for page in pages for t in page.values())
    assert "一、基本情况" in text and "合计" in text and "1,234.50" in text
    headings = text_by_font(tongnan.pages[1])
    assert any("单位基本情况" in t for name, t in headings.items() if name.endswith("+CJK"))


def test_character_missing_from_the_font_is_left_out():
    assert 0x1F600 not in TTFont(cjk_font(), lazy=True).getBestCmap()
    cmap = TTFont(io.BytesIO(fonts.subset_font(cjk_font(), "预算😀"))).getBestCmap()
    assert ord("预") in cmap and ord("算") in cmap and 0x1F600 not in cmap


def test_font_collection_is_left_whole(tmp_path):
    collection = tmp_path / "NotoSansCJK-Regular.ttc"
    collection.write_bytes(b"ttcf" + bytes(60))
    with pytest.raises(RuntimeError):
        fonts.subset_font(collection, "预算")


def test_document_with_a_character_missing_from_the_font_renders():
    table = Table(id="t1", label="附件1", title="收支总表😀", above=[], widths=[1],
                  header=[], body=[[Cell("预算😀")]])
    reader = PdfReader(io.BytesIO(render_pdf(Publication("测试😀", "目　录", "说明", [table]))))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "测试" in text and "收支总表" in text and "预算" in text
    cjk = [name for name in embedded_fonts(reader) if "CJK" in name]
    assert cjk                                   # the Chinese is still set in the CJK font


@pytest.mark.parametrize("features", [{}, {"palt": True}, {"fwid": True}, {"tnum": True, "kern": False}])
def test_subset_shapes_like_the_whole_font(features):
    """Same glyph outlines, advances, offsets and clusters, with default and asked-for features."""
    texts = [SENTENCE, LIGATURES, "第 12 页 共 345 页", "目　录", "附件12-3 …… ", "fi ffl ——— “三公”"]
    whole = hb.Font(hb.Face(hb.Blob.from_file_path(str(cjk_font()))))
    small = hb.Font(hb.Face(hb.Blob(fonts.subset_font(cjk_font(), "".join(texts)))))

    def shaped(font, text):
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.language = "zh-cn"
        hb.shape(font, buffer, features)
        glyphs = []
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions):
            pen = RecordingPen()
            font.draw_glyph_with_pen(info.codepoint, pen)
            glyphs.append((info.cluster, pos.x_advance, pos.x_offset, pos.y_offset, pen.value))
        return glyphs

    for text in texts:
        assert shaped(small, text) == shaped(whole, text), text
    assert len(shaped(whole, "——")) == 1       # the ligature is there to be kept


def test_subset_is_named_by_its_content_in_a_private_folder():
    first = fonts.write_subset(cjk_font(), fonts.characters("预算"))
    again = fonts.write_subset(cjk_font(), fonts.characters("预算"))
    other = fonts.write_subset(cjk_font(), fonts.characters("决算"))
    assert first == again != other
    assert first.read_bytes() == fonts.subset_font(cjk_font(), fonts.characters("预算"))
    assert first.parent == other.parent == fonts.font_dir()
    info = os.lstat(fonts.font_dir())
    assert not info.st_mode & 0o077 and info.st_uid == os.getuid()


def test_a_tampered_subset_is_rewritten():
    path = fonts.write_subset(cjk_font(), fonts.characters("预算"))
    path.write_bytes(b"not a font")
    assert fonts.write_subset(cjk_font(), fonts.characters("预算")) == path
    assert path.read_bytes()[:4] == b"OTTO"


def test_font_folder_owned_by_someone_else_is_not_used(tmp_path, monkeypatch):
    """Another user may create our folder's name first (world-writable /tmp): then a fresh private
    folder is used, so the URL fetcher never trusts a folder others can write to."""
    planted = tmp_path / f"budget-builder-fonts-{os.getuid()}"
    planted.mkdir(mode=0o777)
    planted.chmod(0o777)
    monkeypatch.setattr(fonts.tempfile, "tempdir", str(tmp_path))
    fonts.font_dir.cache_clear()
    try:
        chosen = fonts.font_dir()
        assert chosen != planted and chosen.parent == tmp_path
        assert not os.lstat(chosen).st_mode & 0o077
        planted.rmdir()
        planted.symlink_to("/")                   # a link to / would let the fetcher read anything
        fonts.font_dir.cache_clear()
        assert fonts.font_dir() not in (planted, Path("/"))
    finally:
        fonts.font_dir.cache_clear()


def test_fetcher_reads_our_subsets_and_no_other_temp_file(tmp_path):
    subset = fonts.write_subset(cjk_font(), fonts.characters("预算"))
    fetcher = fetcher_()
    response = fetcher.fetch(subset.as_uri())
    assert response.read()[:4] == b"OTTO"
    response.close()
    stranger = tmp_path / "secret.txt"
    stranger.write_text("x")
    for url in (stranger.as_uri(), f"{fonts.font_dir().as_uri()}/../../etc/passwd",
                Path(fonts.tempfile.gettempdir(), "x.otf").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pages_look_as_with_the_whole_font(sample, tmp_path, monkeypatch):
    """Render the sample again giving WeasyPrint the whole 8 MB font (the old way): every page's
    pixels are the same."""
    from PIL import Image, ImageChops

    def refuse(*args):
        raise RuntimeError("use the whole font")
    monkeypatch.setattr(fonts, "write_subset", refuse)
    old = render_pdf(SAMPLE)
    assert len(old) > len(sample)
    images = {}
    for name, pdf in (("old", old), ("new", sample)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],
                       check=True)
        images[name] = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(images["old"]) == len(images["new"]) == 3
    for old_page, new_page in zip(images["old"], images["new"]):
        a, b = Image.open(old_page).convert("L"), Image.open(new_page).convert("L")
        assert a.size == b.size and ImageChops.difference(a, b).getbbox() is None, new_page.name
