"""Writing outputs so that a failed or interrupted run never leaves a half-written file, and
what the operating system says when a file cannot be read or written, in a clerk's words.

Every file is written to a temporary sibling first and renamed only when all of them are
complete, so an earlier good output stays untouched until its replacement is whole.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all_atomically(targets: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling first; rename only when all are written. An
    OSError names the file that could not be written (not its temporary sibling), or the folder
    that could not be made."""
    temps: list[tuple[str, Path]] = []
    target = None
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
    except OSError as exc:
        where = exc.filename if exc.errno in (errno.EEXIST, errno.ENOTDIR) and exc.filename else target
        raise OSError(exc.errno, exc.strerror, str(where)) from exc
    finally:
        for temp, _ in temps:
            if os.path.exists(temp):
                os.unlink(temp)


def os_problem(exc: OSError, path: Path | str, what: str = "文件", writing: bool | None = False) -> str:
    """What went wrong opening `path` (a 文件, 科目表, 方案文件 …) for reading, for writing, or
    (None) for either, in Chinese: the system's own words (strerror) are English on most machines."""
    path = Path(path)
    code = exc.errno
    if code == errno.ENOENT:
        return f"找不到{'文件夹' if writing else what}：{path}"
    if code == errno.EISDIR or (code in (errno.EACCES, errno.EPERM) and not writing and path.is_dir()):
        return f"{path} 是文件夹，应为{what}"     # Windows says EACCES for a folder opened as a file
    if code in (errno.EACCES, errno.EPERM):
        if writing:
            return f"没有权限写入 {path}（若文件正在 Excel 或 WPS 中打开，请先关闭）"
        return f"没有权限读取{what}：{path}" if writing is False else f"没有权限读写 {path}"
    if code == errno.EEXIST:                   # making an output folder where a file is
        return f"{path} 已存在且不是文件夹"
    if code == errno.ENOTDIR:
        return f"{path} 的路径中有一段是文件而不是文件夹"
    if code == errno.ENOSPC:
        return f"磁盘空间不足，无法写入 {path}"
    if code == errno.EROFS:
        return f"{path} 在只读的磁盘上，无法写入"
    if code == errno.ENAMETOOLONG:
        return f"文件名过长：{path}"
    if code == getattr(errno, "ELOOP", None):
        return f"{path} 的符号链接形成循环"
    if code in (errno.EBUSY, getattr(errno, "ETXTBSY", None)):
        return f"{path} 正被其他程序占用，请关闭后重试"
    name = errno.errorcode.get(code, "") if code else ""
    doing = {True: "写入", False: "读取", None: "读写"}[writing]
    return f"无法{doing} {path}（系统错误{' ' + name if name else ''}：{exc.strerror or exc}）"
