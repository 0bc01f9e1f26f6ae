"""The CJK font cut down to one document's characters, with HarfBuzz, before WeasyPrint sees it.

Noto Sans SC is an 8 MB CFF font. Given whole, WeasyPrint subsets it inside `write_pdf`, with
fontTools unless the system has libharfbuzz-subset (a fresh machine has not): seconds per PDF.
Here `uharfbuzz` (its wheels bundle hb-subset) cuts it to the characters the document's HTML and
stylesheet use in a few milliseconds; WeasyPrint then loads and re-subsets a font of a few
hundred glyphs, which is cheap.

What the subset keeps, so that the text shapes and looks as with the whole font:
- every character of the document that the font has (one missing from the font, an emoji, is
  left out: the text falls back to another font exactly as before);
- every GSUB/GPOS feature with the glyphs they reach (the ligatures —— and ffi, zh-CN's own
  form of ", widths and ligatures a stylesheet might ask for), metrics, hinting, names;
- an identity CFF charset (CID = glyph id). WeasyPrint writes glyph ids as CIDs; Acrobat and
  Preview look CIDs up through the charset, poppler and PDFium take them as glyph ids. With
  Noto's own charset the two disagree; with the identity they cannot
  (HB_SUBSET_FLAGS_CFF_IDENTITY_CHARSET, HarfBuzz ≥ 14.3, uharfbuzz ≥ 0.56).

The subset is written to a private per-user folder under the system temp dir, named by a hash of
its content: the same document gives the same file (and the same PDF), a build never changes a
font another build is reading, and the PDF's URL fetcher may read that folder and nothing else
of the temp dir.
"""

from __future__ import annotations

import atexit
import hashlib
import html
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import uharfbuzz as hb

# Characters a page may show that are not in the HTML: generated content (counters print ASCII
# digits, leader(".")), and what line breaking or list markers could add. Printable ASCII is
# cheap (a hundred glyphs) and covers numbers, punctuation and the footer's digits whatever they are.
GENERATED = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset("\u00a0\u2010\u2022\u2026\u3000")

_PREFIX = "budget-builder-fonts-"
_STALE_SECONDS = 7 * 24 * 3600      # subsets not used for a week are removed from the folder


def characters(*texts: str) -> set[str]:
    """Every character the texts can put on a page: HTML entities decoded (`&lt;` is `<`),
    plus `GENERATED`. Markup characters come along; they are ASCII and cheap."""
    found = set(GENERATED)
    for text in texts:
        found.update(html.unescape(text))
    return found


@cache
def _face(path: str) -> hb.Face:
    """The parsed big font, once per process (HarfBuzz maps the file, it is not copied)."""
    return hb.Face(hb.Blob.from_file_path(path))


def subset_font(font: Path, chars: Iterable[str]) -> bytes:
    """The font cut down to `chars` (characters the font lacks are ignored), as OpenType bytes.
    Raises RuntimeError if HarfBuzz cannot subset it, or if it is a collection (a system
    NotoSansCJK .ttc: fontconfig may pick another face of it than the first, by language)."""
    with open(font, "rb") as file:
        if file.read(4) == b"ttcf":
            raise RuntimeError(f"{font.name} is a font collection: left whole")
    face = _face(str(font))
    request = hb.SubsetInput()
    request.unicode_set.update(sorted({ord(c) for c in chars}))
    request.layout_feature_tag_set.clear()
    request.layout_feature_tag_set.invert()         # keep every GSUB/GPOS feature
    request.flags = hb.SubsetFlags.CFF_IDENTITY_CHARSET
    result = hb.subset(face, request)
    data = result.blob.data if result is not None else b""
    if not data:
        raise RuntimeError(f"HarfBuzz could not subset {font.name}")
    return bytes(data)


def _user() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")


def _private(path: Path) -> bool:
    """A real directory (not a link), ours, that nobody else may write to or list."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and owned and not info.st_mode & 0o077


@cache
def font_dir() -> Path:
    """The folder for subset fonts: `<tmp>/budget-builder-fonts-<uid>`, mode 0700. If that name is
    taken by something that is not our private folder, a fresh private folder of this process."""
    path = Path(tempfile.gettempdir()) / f"{_PREFIX}{_user()}"
    try:
        path.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        pass
    if not _private(path):
        path = Path(tempfile.mkdtemp(prefix=_PREFIX))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path.resolve()


def write_subset(font: Path, chars: Iterable[str]) -> Path:
    """Subset `font` to `chars` and store it in `font_dir()` under a name made of its content's
    hash; return the path. An existing file of that name is kept only if its bytes are the same."""
    data = subset_font(font, chars)
    folder = font_dir()
    suffix = ".otf" if data[:4] == b"OTTO" else ".ttf"
    path = folder / f"{font.stem}-{hashlib.sha256(data).hexdigest()[:20]}{suffix}"
    try:
        same = path.read_bytes() == data
    except OSError:
        same = False
    if same:
        os.utime(path)                              # in use: keep it from being pruned
        return path
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(folder, keep=path)
    return path


def _prune(folder: Path, keep: Path) -> None:
    """Remove subsets (and leftover partial files) nobody used for `_STALE_SECONDS`."""
    limit = time.time() - _STALE_SECONDS
    for old in folder.iterdir():
        try:
            if old != keep and old.is_file() and old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass
