"""The progress line of a batch build: how many departments are done, a bar, the time left and
the department being built — fitted to the terminal's width, so it never wraps.

A terminal gives a CJK character two columns, so widths are counted by display width, not by
characters. Characters of ambiguous width (“”…█) are counted as two, as a CJK terminal shows
them, and the bar is drawn in ASCII; the line stops one column short of the edge, where some
terminals wrap. As the terminal narrows, the parts give way in this order: the time left goes
first, then the bar, then the department's name is shortened (…), and the count stays last.
"""

from __future__ import annotations

import shutil
import unicodedata

BAR_MIN, BAR_MAX = 7, 32          # the bar with its brackets: [#####] at least
NAME_MIN = 8                      # fewer columns of a name than this say little: 中国共…


def display_width(text: str) -> int:
    return sum(_width(ch) for ch in text)


def _width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def truncate(text: str, width: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `width` columns, ending in … when cut."""
    if display_width(text) <= width:
        return text
    room, kept = width - display_width(ellipsis), []
    if room < 0:
        return ""
    for ch in text:
        if _width(ch) > room:
            break
        room -= _width(ch)
        kept.append(ch)
    return "".join(kept) + ellipsis


def _printable(name: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in name)      # a newline in a name breaks the line


def clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def progress_line(done: int, total: int, running: list[str], width: int, remaining: float | None = None) -> str:
    """生成 12/60 [########----------] 剩余 01:23 正在生成 区委办 等 2 个 — within `width` - 1
    columns. `running` are the departments in flight, in the order they started: the latest is
    named, the others counted."""
    width -= 1
    head = f"生成 {done}/{total}"
    if display_width(head) >= width:
        return truncate(f"{done}/{total}", width)
    rest = width - display_width(head)
    name = _printable(running[-1]) if running else ""
    prefix, suffix = "正在生成 ", (f" 等 {len(running)} 个" if len(running) > 1 else "")
    label = f"{prefix}{name}{suffix}" if running else ""
    label_min = display_width(prefix + suffix) + NAME_MIN if running else 0
    eta = f"剩余 {clock(remaining)}" if remaining is not None else ""

    show_eta = eta and rest >= (1 + display_width(eta)) + (1 + BAR_MIN) + (1 + display_width(label) if label else 0)
    if show_eta:
        rest -= 1 + display_width(eta)
    bar = ""
    if rest >= 1 + BAR_MIN + (1 + label_min if label else 0):
        # a third of the room, so it keeps its size as names come and go; less if a name needs it
        size = max(BAR_MIN, min(BAR_MAX, rest // 3, rest - 1 - (1 + display_width(label) if label else 0)))
        filled = (size - 2) * done // total if total else 0
        bar = "[" + "#" * filled + "-" * (size - 2 - filled) + "]"
        rest -= 1 + size
    if label and rest >= 1 + label_min:
        label = prefix + truncate(name, rest - 1 - display_width(prefix + suffix)) + suffix
    else:
        label = ""
    return " ".join(part for part in (head, bar, eta if show_eta else "", label) if part)


def progress(total: int):
    """tqdm's bar drawn by progress_line: the department started last still running; quiet
    when stderr is not a terminal. start(name) and finish(name) as departments begin and end."""
    import sys

    from tqdm import tqdm

    class Progress(tqdm):
        def __init__(self, *args, **kwargs):
            self.running: list[str] = []
            super().__init__(*args, **kwargs)

        @property
        def format_dict(self):
            return {**super().format_dict, "running": list(self.running)}

        @staticmethod
        def format_meter(n, total, elapsed, ncols=None, rate=None, running=(), **_):
            remaining = (total - n) / rate if rate and total and n < total else None
            return progress_line(n, total, list(running), ncols or shutil.get_terminal_size().columns, remaining)

        @staticmethod
        def status_printer(file):
            """tqdm's, but a shorter line is blanked to the end of the last by display width
            (tqdm counts … and “” as one column)."""
            last = [0]

            def print_status(line):
                file.write("\r" + line + " " * max(last[0] - display_width(line), 0))
                file.flush()
                last[0] = display_width(line)
            return print_status

        def start(self, name: str) -> None:
            self.running.append(name)
            self.refresh()

        def finish(self, name: str) -> None:
            self.running.remove(name)
            self.update()

    return Progress(total=total, disable=not sys.stderr.isatty() or total == 0, file=sys.stderr, dynamic_ncols=True)
