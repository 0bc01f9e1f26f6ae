"""Where the package's data lives: profiles, catalogue, PDF templates and the CJK font.

Everything is found relative to the installed package (setuptools maps the repository's
`templates/` to `builder/templates` in a wheel), so a clean install works from any directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent.parent   # the builder package


@cache
def templates_dir() -> Path:
    for candidate in (_HERE / "templates", _HERE.parent / "templates"):
        if (candidate / "profiles").is_dir():
            return candidate
    raise FileNotFoundError("找不到 templates 目录（安装不完整）")


def profiles_dir() -> Path:
    return templates_dir() / "profiles"


def catalogue_dir() -> Path:
    return templates_dir() / "catalogue"


def pdf_dir() -> Path:
    return templates_dir() / "pdf"


def narrative_dir() -> Path:
    return templates_dir() / "narrative"


# Fonts, in order of preference: a pip-installed Noto (present after the README set-up on any
# machine), then system Noto CJK. The first one found is embedded in every PDF.
_SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)


@cache
def cjk_font() -> Path:
    try:
        import pylopdf_fonts_zh_cn  # ships Noto Sans SC / Noto Serif SC (OFL)

        font = Path(pylopdf_fonts_zh_cn.__file__).resolve().parent / "NotoSansSC-Regular.otf"
        if font.is_file():
            return font
    except ImportError:
        pass
    for name in _SYSTEM_FONTS:
        if Path(name).is_file():
            return Path(name)
    raise FileNotFoundError("找不到中文字体：请按 README 安装（pip 包 pylopdf-fonts-zh-cn）")


@cache
def font_characters() -> frozenset[int]:
    """The code points the PDF font can show (a character outside it would print as a box)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(cjk_font()), lazy=True, fontNumber=0)
    return frozenset(font["cmap"].getBestCmap())
