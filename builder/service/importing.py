"""The one place the service meets the importer (issue 19: `import FILE --profile NAME -o DEPT.yaml`).

The service needs a single function, `import_file(path, profile) -> YAML text`, from a package
`builder.importer`. Until that package is there, `available()` is False and the upload page says
so; nothing else of the service depends on it. Uploads are refused before they reach it unless
they are a workbook (.xlsx, a zip) or a PDF by their first bytes as well as their name.
"""

from __future__ import annotations

from pathlib import Path

MAX_UPLOAD = 20 * 1024 * 1024
KINDS = {".xlsx": b"PK\x03\x04", ".pdf": b"%PDF-"}


def _importer():
    try:
        from ..importer import import_file        # noqa: F401  (issue 19)
    except ImportError:
        return None
    return import_file


def available() -> bool:
    return _importer() is not None


def kind_of(filename: str, head: bytes) -> str | None:
    """The upload's kind (".xlsx" or ".pdf") when its name and its first bytes agree, else None."""
    suffix = Path(filename or "").suffix.lower()
    magic = KINDS.get(suffix)
    return suffix if magic and head.startswith(magic) else None


def run(path: str, profile: str) -> dict:
    """In a worker: the YAML text the importer makes of an upload, or why not (in Chinese)."""
    import_file = _importer()
    if import_file is None:
        return {"error": "导入功能尚未提供（需要导入模块 builder.importer）"}
    try:
        text = import_file(Path(path), profile)
    except Exception as exc:  # the importer's own message for a file it cannot read
        return {"error": f"无法导入：{exc}"}
    if not isinstance(text, str) or not text.strip():
        return {"error": "导入结果为空"}
    return {"text": text}
