"""A district's workspace: the folder of department YAMLs and the output folder the command line
builds, and the service's own records beside them.

    WORKSPACE/
      input_yaml/          the departments (or, without input_yaml/, WORKSPACE itself), any depth
      output/              XLSX, PDF, 汇总.xlsx/.csv and the batch's manifest, as `build -o` writes
      .budget-builder/     the service's SQLite file (accounts, versions, reviews)

A file is named in URLs by its path under the departments folder ("previous/x-2022.yaml"), and
that name is only ever looked up in the listing of the folder — never joined to a path — so no
URL can reach a file outside it (`..`, absolute paths, encoded or not, and symbolic links that
lead out are simply not in the listing). A file belongs to the department its `部门:` line
names, read as the batch reads it.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .core import Options, department_of, find_departments, input_key, read_text, top_level_keys, write_all_atomically

STATE = ".budget-builder"
DATABASE = "service.sqlite3"
SUFFIXES = (".yaml", ".yml")
MAX_YAML = 5 * 1024 * 1024        # the loader's own limit: a larger file is refused at load


@dataclass(frozen=True)
class Entry:
    name: str               # path under the departments folder, with "/"
    path: Path              # as the batch is given it (relative to the server's folder when inside it)
    department: str         # the 部门 its text names ("" when it cannot be read)
    year: str
    kind: str               # 预算 / 决算
    is_department: bool     # one of the district's departments (built), not only a linked or partial year

    @property
    def stem(self) -> str:
        return Path(self.name).stem


def _short(path: Path) -> Path:
    """A path as the command line would name it when run from this folder: relative when inside
    it, so the batch's manifest says "input_yaml/x.yaml" whoever builds."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


class Workspace:
    def __init__(self, root: Path, inputs: Path | None = None, output: Path | None = None,
                 allow_incomplete: bool = False, catalogues: tuple[Path, ...] = ()) -> None:
        self.root = root.resolve()
        if inputs is None:
            inputs = self.root / "input_yaml" if (self.root / "input_yaml").is_dir() else self.root
        self.inputs = inputs.resolve()
        self.output = (output or self.root / "output").resolve()
        self.state = self.root / STATE
        self.options = Options(_short(self.output), None, allow_incomplete, tuple(_short(c.resolve()) for c in catalogues))
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._entries: dict[str, Entry] = {}
        self._facts: dict[tuple, tuple] = {}           # (name, mtime, size) → (identity, links)
        self._links: tuple | None = None
        self._departments: set[Path] = set()

    @property
    def database(self) -> Path:
        return self.state / DATABASE

    # -- the listing ---------------------------------------------------------------------------

    def _files(self) -> list[tuple[str, Path, int, int]]:
        found = []
        for folder, dirs, files in os.walk(self.inputs):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for file in sorted(files):
                if file.startswith(".") or not file.endswith(SUFFIXES):
                    continue
                path = Path(folder) / file
                try:
                    real = path.resolve(strict=True)
                    if not real.is_relative_to(self.inputs) or not real.is_file():
                        continue            # a link out of the workspace is not the workspace's
                    stat = real.stat()
                except OSError:
                    continue
                found.append((path.relative_to(self.inputs).as_posix(), path, stat.st_mtime_ns, stat.st_size))
        return found

    def entries(self) -> dict[str, Entry]:
        """Every YAML of the departments folder, by name; read again when any file changed. Which
        files are departments is the batch's find_departments, asked again only when a file's
        links or 部分数据 changed (or files came or went): a save of a figure costs one file's
        reading, not the district's."""
        files = self._files()
        signature = tuple((name, mtime, size) for name, _, mtime, size in files)
        with self._lock:
            if signature == self._signature:
                return self._entries
        known = {}
        for name, path, mtime, size in files:
            facts = self._facts.get((name, mtime, size))
            if facts is None:
                keys = top_level_keys(read_text(path))
                found = department_of(path)
                facts = (found[0] if found else ("", "", ""),
                         tuple((k, tuple(keys.get(k, ()))) for k in ("上年文件", "预算文件", "部分数据")))
            known[(name, mtime, size)] = facts
        links = tuple((name, known[(name, mtime, size)][1]) for name, mtime, size in signature)
        if links != self._links:
            self._departments = {p.resolve() for p in find_departments([_short(self.inputs)]).paths}
        entries = {}
        for name, path, mtime, size in files:
            identity = known[(name, mtime, size)][0]
            entries[name] = Entry(name, _short(path), identity[0], identity[1], identity[2],
                                  path.resolve() in self._departments)
        with self._lock:
            self._signature, self._entries, self._facts, self._links = signature, entries, known, links
        return entries

    def forget(self) -> None:
        """List the folder again on the next look (a file was just written: its time may not
        have moved on a coarse file-system clock)."""
        with self._lock:
            self._signature = None

    @property
    def signature(self) -> tuple | None:
        """What the last listing saw (every file's name, time and size)."""
        return self._signature

    def lookup(self, name: str) -> Entry | None:
        """The file a URL names, or None: only names of the listing are files."""
        if not isinstance(name, str) or len(name) > 1000:
            return None
        return self.entries().get(name)

    def departments(self) -> list[Entry]:
        return [e for e in self.entries().values() if e.is_department]

    def department_names(self) -> list[str]:
        return sorted({e.department for e in self.entries().values() if e.department})

    def key(self, entry: Entry) -> str:
        """Everything the file's outputs depend on, as the batch hashes it."""
        return input_key(entry.path, self.options)

    # -- reading and writing -------------------------------------------------------------------

    def read(self, entry: Entry) -> bytes:
        return Path(entry.path).read_bytes()

    def write(self, entry: Entry, data: bytes) -> None:
        write_all_atomically({Path(entry.path): data})
        self.forget()

    def outputs(self, entry: Entry) -> dict[str, Path]:
        return {suffix: self.output / f"{entry.stem}.{suffix}" for suffix in ("pdf", "xlsx")}

    def new_name(self, name: str) -> str | None:
        """A name for a new file under the departments folder, or None when it is not one: a
        relative path of plain folder and file names ending .yaml, no part hidden."""
        name = unicodedata.normalize("NFC", name.strip()).replace("\\", "/")
        if not name.endswith(".yml") and not name.endswith(".yaml"):
            name += ".yaml"
        parts = name.split("/")
        if len(name) > 200 or name.startswith("/") or any(
                not part or part in (".", "..") or part.startswith(".") or not _PART.fullmatch(part)
                for part in parts):
            return None
        return name

    def create(self, name: str, data: bytes) -> None:
        """Write a new file (never over an existing one)."""
        path = self.inputs / name
        if path.exists():
            raise FileExistsError(name)
        write_all_atomically({path: data})
        self.forget()


_PART = re.compile(r"[\w\-.（）()\u3000-\u303f\u4e00-\u9fff]+")
