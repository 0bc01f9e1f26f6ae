"""The one place the service meets the importer (`import FILE --profile NAME -o DEPT.yaml`):
an upload read back through a profile into a department YAML, as the command line does. Uploads
are refused before they reach it unless they are a workbook (.xlsx, a zip) or a PDF by their
first bytes as well as their name.
"""

from __future__ import annotations

from pathlib import Path

from .core import BuildFailed, import_file

MAX_UPLOAD = 20 * 1024 * 1024
KINDS = {".xlsx": b"PK\x03\x04", ".pdf": b"%PDF-"}


def kind_of(filename: str, head: bytes) -> str | None:
    """The upload's kind (".xlsx" or ".pdf") when its name and its first bytes agree, else None."""
    suffix = Path(filename or "").suffix.lower()
    magic = KINDS.get(suffix)
    return suffix if magic and head.startswith(magic) else None


def run(path: str, profile: str, near: str) -> dict:
    """In a worker: the YAML text the importer makes of an upload, or why not (in Chinese); the
    profile and code lists are those of the district the departments (`near`) belong to."""
    try:
        imported = import_file(Path(path), profile, near=Path(near))
    except BuildFailed as failed:               # a file it cannot read: its own messages
        return {"error": "无法导入：" + "；".join(f.message for f in failed.findings)}
    if not imported.text or not imported.text.strip():
        said = "；".join(f.message for f in imported.findings[:5])
        return {"error": "没有读出可用的数字" + (f"：{said}" if said else "")}
    return {"text": imported.text}
