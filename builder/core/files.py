"""Writing outputs so that a failed or interrupted run never leaves a half-written file.

Every file is written to a temporary sibling first and renamed only when all of them are
complete, so an earlier good output stays untouched until its replacement is whole.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all_atomically(targets: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling first; rename only when all are written."""
    temps: list[tuple[str, Path]] = []
    try:
        for target, data in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((temp, target))
            os.chmod(temp, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, target in temps:
            os.replace(temp, target)
        temps = []
    finally:
        for temp, _ in temps:
            if os.path.exists(temp):
                os.unlink(temp)
