"""The district as the service runs it: the workspace's files, their versions, checks, previews
and builds, and what each person may do with them. The web pages (app.py) only ask this.

Saving a file: the text must be based on the file as it is now (else the second of two people
saving is told who saved first, and nothing is written); a clerk's text must still name one of
their departments; the file is written atomically and recorded as a version with who and when
in one step; then it is checked and its preview drawn in the check lane, and — only if it has
no error — its XLSX and PDF are built in the build lane through the batch, which updates the
output folder's manifest and 汇总 exactly as `build` does. A draft with errors is saved and
versioned, but its outputs stay the last good ones.

A file changed outside the service (an editor, `init` on the command line) is noticed and
recorded as a version of its own ("服务外修改"), so the history has no gaps.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import work
from .core import (
    FAILED,
    MONEY_COLUMNS,
    Display,
    Outcome,
    build_one,
    describe_earlier,
    earlier_outputs,
    load_manifest,
    same_departments,
    same_names,
    save_manifest,
)
from .jobs import BuildQueue, Busy, Lane, Superseded, WorkerDied
from .store import Store, User, Version, sha256
from .workspace import MAX_YAML, Entry, Workspace

log = logging.getLogger("budget_builder.service")

WANYUAN = Display("万元", 2)       # the 汇总 shows money so
OUTSIDE = "服务外修改"
FIRST = "启用服务时的文件"


@dataclass
class Settings:
    check_workers: int = 1
    build_workers: int = 1
    check_waiting: int = 100        # draft checks that may wait for a worker (one per open page)
    build_queue: int = 10000        # departments that may wait for a build
    sweep_seconds: float = 10.0     # how often files changed outside the service are looked for


class SaveRefused(Exception):
    """A save that must not happen, with the reason for the clerk (and an HTTP status)."""

    def __init__(self, message: str, status: int = 400, **extra) -> None:
        super().__init__(message)
        self.message, self.status, self.extra = message, status, extra


@dataclass
class Checked:
    key: str
    findings: list[dict]
    preview: bool                   # a preview of exactly this input is stored
    errors: int = 0
    warnings: int = 0
    collisions: list[dict] = field(default_factory=list)


class District:
    def __init__(self, workspace: Workspace, store: Store, settings: Settings | None = None) -> None:
        self.ws, self.store = workspace, store
        self.settings = settings or Settings()
        self.checks = Lane("check", self.settings.check_workers, self.settings.check_waiting)
        self.builder = Lane("build", self.settings.build_workers, 0, nice=10)
        self.builds = BuildQueue(self._build, self.settings.build_workers, self.settings.build_queue)
        self._file_locks: dict[str, asyncio.Lock] = {}
        self._manifest_lock = threading.Lock()
        self._manifest: tuple[tuple[int, int] | None, dict] | None = None    # (the file's signature, its data)
        self._keys: dict[str, tuple] = {}          # file → (workspace signature, when, input key)
        self._clashes: tuple | None = None
        self._checking: dict[str, asyncio.Future] = {}
        self._drafts: dict[tuple, int] = {}         # (user, file) → the number of its latest draft
        self._sweeper: asyncio.Task | None = None
        self._observed: tuple | None = None

    # -- life --------------------------------------------------------------------------------

    async def start(self, sweep: bool = True) -> None:
        self.checks.start()
        self.builder.start()
        await asyncio.gather(self.checks.warm(work.warm), self.builder.warm(work.warm))
        self.builds.start()
        if sweep:
            self._sweeper = asyncio.create_task(self._sweep_forever())

    async def stop(self) -> None:
        if self._sweeper:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
        await self.builds.stop()
        await asyncio.to_thread(self.checks.stop)
        await asyncio.to_thread(self.builder.stop)

    # -- who may do what -----------------------------------------------------------------------

    @staticmethod
    def may_read(user: User, entry: Entry) -> bool:
        return user.reviews or (bool(entry.department) and entry.department in user.departments)

    @staticmethod
    def may_write(user: User, entry: Entry) -> bool:
        return user.role == "admin" or (user.role == "clerk" and bool(entry.department)
                                        and entry.department in user.departments)

    def files_of(self, user: User) -> list[Entry]:
        return [e for e in self.ws.entries().values() if self.may_read(user, e)]

    # -- versions ------------------------------------------------------------------------------

    def observe(self, entry: Entry) -> tuple[bytes, Version]:
        """The file's bytes and its latest version, recording the file as a version first when it
        is not the latest one (first seen, or changed outside the service)."""
        data = self.ws.read(entry)
        latest = self.store.latest(entry.name)
        if latest is None or latest.sha != sha256(data):
            with self.store.transaction() as db:
                self.store.add_version(db, entry.name, data, OUTSIDE if latest else FIRST,
                                       at=Path(entry.path).stat().st_mtime)
            latest = self.store.latest(entry.name)
        assert latest is not None                    # (just recorded)
        return data, latest

    def observe_all(self) -> None:
        entries = self.ws.entries()
        signature = tuple(sorted((e.name, Path(e.path).stat().st_mtime_ns) for e in entries.values()
                                 if Path(e.path).exists()))
        if signature == self._observed:
            return
        for entry in entries.values():
            try:
                self.observe(entry)
            except OSError:
                continue
        self._observed = signature

    def _lock(self, name: str) -> asyncio.Lock:
        return self._file_locks.setdefault(name, asyncio.Lock())

    def allowed(self, user: User) -> frozenset[str] | None:
        """The departments whose files a user's text may link (None: any in the workspace)."""
        return None if user.role == "admin" else frozenset(user.departments)

    async def save(self, user: User, entry: Entry, data: bytes, base: str, note: str = "") -> tuple[Version, Checked]:
        """Save a new text of a file (see the module's doc); raises SaveRefused."""
        if not self.may_write(user, entry):
            raise SaveRefused("您没有修改该文件的权限", 403)
        if len(data) > MAX_YAML:
            raise SaveRefused(f"文件过大（上限 {MAX_YAML // (1024 * 1024)} MB）", 413)
        async with self._lock(entry.name):
            current, latest = await asyncio.to_thread(self.observe, entry)
            if sha256(current) != base:
                who = f"{latest.user}（{latest.when}）" if latest else "他人"
                raise SaveRefused(f"此文件已被 {who} 保存过，您的修改没有保存，也没有覆盖任何内容。"
                                  "请先复制您的修改，再载入最新版本后重新修改。", 409,
                                  version=latest.id if latest else None, sha=sha256(current))
            result = await self.checks.run(work.check, str(self.ws.inputs), str(entry.path), entry.name,
                                           self.ws.options, data, True, self.allowed(user), urgent=True)
            self._refuse(user, result, "未保存")
            if sha256(data) == base:
                version = latest
            else:
                version = await asyncio.to_thread(self._write_version, entry, data, user.name, note)
            key = await asyncio.to_thread(self.key, entry)
            await asyncio.to_thread(self.store.put_check, entry.name, key, result["findings"])
            if result["html"] is not None:
                await asyncio.to_thread(self.store.put_preview, entry.name, key, result["html"])
        checked = await self.check_saved(entry, version)
        return version, checked

    @staticmethod
    def _refuse(user: User, result: dict, what: str) -> None:
        """Refuse a text whose links the service will not follow, or (a clerk's) that names a
        department not theirs."""
        if result["refused"]:
            raise SaveRefused(f"{what}：" + "；".join(f"第 {f['line']} 行 {f['message']}" if f["line"] else f["message"]
                                                   for f in result["findings"]), 400, findings=result["findings"])
        if user.role != "admin" and result["department"] not in user.departments:
            raise SaveRefused(f"{what}：文件中的“部门”应为您负责的部门（{'、'.join(user.departments)}），"
                              f"写的是“{result['department'] or '（未能读出）'}”", 400)

    def _write_version(self, entry: Entry, data: bytes, who: str, note: str) -> Version:
        with self.store.transaction() as db:
            version_id = self.store.add_version(db, entry.name, data, who, note)
            self.ws.write(entry, data)          # an OSError rolls the version back
        self._keys.pop(entry.name, None)
        version = self.store.version(version_id)
        assert version is not None                   # (just recorded)
        return version

    async def create(self, user: User, name: str, data: bytes, note: str) -> Entry:
        """A new file of the departments folder (a new year, a 决算, an import), recorded as its
        first version. Raises SaveRefused when it may not be made."""
        if len(data) > MAX_YAML:
            raise SaveRefused(f"文件过大（上限 {MAX_YAML // (1024 * 1024)} MB）", 413)
        if user.role == "reviewer":
            raise SaveRefused("审核人不能新建文件", 403)
        path = self.ws.inputs / name
        async with self._lock(name):
            result = await self.checks.run(work.check, str(self.ws.inputs), str(path), name, self.ws.options, data,
                                           False, self.allowed(user), urgent=True)
            self._refuse(user, result, "未新建")

            def make() -> None:
                with self.store.transaction() as db:
                    self.store.add_version(db, name, data, user.name, note)
                    self.ws.create(name, data)
            try:
                await asyncio.to_thread(make)
            except FileExistsError:
                raise SaveRefused(f"{name} 已存在，未覆盖", 409) from None
            entry = await asyncio.to_thread(self.ws.lookup, name)
            if entry is None:
                raise SaveRefused(f"{name} 不能作为部门文件夹中的文件名", 400)
        self._observed = None
        asyncio.create_task(self._quietly(self.check_saved(entry)))
        return entry

    async def restore(self, user: User, entry: Entry, version: Version, base: str) -> tuple[Version, Checked]:
        data = self.store.text_of(version.sha)
        return await self.save(user, entry, data, base, note=f"恢复自第 {version.number} 版（{version.when}）")

    # -- checks and previews -------------------------------------------------------------------

    def key(self, entry: Entry) -> str:
        """The batch's input key of a file (what its outputs depend on), kept until any file of
        the workspace changes, and for ten seconds at most (a profile or catalogue may change)."""
        self.ws.entries()
        signature = self.ws.signature
        cached = self._keys.get(entry.name)
        if cached and cached[0] == signature and time.monotonic() - cached[1] < 10:
            return cached[2]
        key = self.ws.key(entry)
        if len(self._keys) > 4 * len(self.ws.entries()) + 100:
            self._keys.clear()
        self._keys[entry.name] = (signature, time.monotonic(), key)
        return key

    def keys(self) -> dict[str, str]:
        return {e.name: self.key(e) for e in self.ws.entries().values()}

    def clashes(self) -> dict[str, list]:
        """The batch's findings (Finding) of departments that share a file name or describe the
        same department — it refuses to build them — by file name; found again only when a
        department's name, year or kind changed."""
        departments = self.ws.departments()
        identities = tuple((e.name, e.department, e.year, e.kind) for e in departments)
        if self._clashes and self._clashes[0] == identities:
            return self._clashes[1]
        by_path = {str(e.path): e.name for e in departments}
        paths = [Path(e.path) for e in departments]
        found: dict[str, list] = {}
        for path, outcome in same_names(paths).items():
            found.setdefault(by_path[path], []).extend(outcome.findings)
        for path, findings in same_departments(paths).items():
            found.setdefault(by_path[path], []).extend(findings)
        self._clashes = (identities, found)
        return found

    def collisions(self) -> dict[str, list[dict]]:
        """The same, as findings for a page."""
        aliases = {str(e.path): e.name for e in self.ws.departments()}
        return {name: work.findings_data(findings, self.ws.inputs, aliases)
                for name, findings in self.clashes().items()}

    async def check_saved(self, entry: Entry, version: Version | None = None) -> Checked:
        """The check (and preview) of the file as saved: stored by input key, so a file is
        checked once per input however many pages ask."""
        key = await asyncio.to_thread(self.key, entry)
        known = self.store.check(key)
        has_preview = self.store.preview_key(entry.name) == key
        if known is None or (known["errors"] == 0 and not has_preview):
            pending = self._checking.get(key)
            if pending is None:
                pending = asyncio.ensure_future(self._run_check(entry, key))
                self._checking[key] = pending
                pending.add_done_callback(lambda _: self._checking.pop(key, None))
            checked: dict = await asyncio.shield(pending)
            known, has_preview = checked, checked.get("preview", False)
        collisions = (await asyncio.to_thread(self.collisions)).get(entry.name, []) if entry.is_department else []
        findings = known["findings"] + collisions
        errors = sum(f["severity"] == "错误" for f in findings)
        if version is not None:
            self.store.set_version_counts(version.id, errors, len(findings) - errors)
        if errors == 0 and entry.is_department and not self._current(entry, key):
            self.builds.want(entry.name)
        return Checked(key, findings, has_preview, errors, len(findings) - errors, collisions)

    async def _run_check(self, entry: Entry, key: str) -> dict:
        result = await self.checks.run(work.check, str(self.ws.inputs), str(entry.path), entry.name,
                                       self.ws.options, None, True, urgent=True)
        await asyncio.to_thread(self.store.put_check, entry.name, key, result["findings"])
        if result["html"] is not None:
            await asyncio.to_thread(self.store.put_preview, entry.name, key, result["html"])
        known = self.store.check(key)
        assert known is not None                     # (just recorded)
        known["preview"] = result["html"] is not None
        return known

    async def check_draft(self, user: User, entry: Entry, data: bytes) -> list[dict] | None:
        """The findings of text not saved yet (while typing), or None when a newer draft of the
        same person's file came before a worker was free (its answer is the one wanted). Raises
        Busy when too many drafts wait."""
        asker = (user.id, entry.name)
        number = self._drafts[asker] = self._drafts.get(asker, 0) + 1
        try:
            result = await self.checks.run(work.check, str(self.ws.inputs), str(entry.path), entry.name,
                                           self.ws.options, data, False, self.allowed(user),
                                           wanted=lambda: self._drafts.get(asker) == number)
        except Superseded:
            return None
        finally:
            if self._drafts.get(asker) == number:
                del self._drafts[asker]
        return result["findings"]

    def preview(self, entry: Entry) -> tuple[str, str, float, bool] | None:
        """(HTML, input key, when drawn, whether it is of the file as it is now) of the latest
        good preview, or None when the file never had one."""
        stored = self.store.preview(entry.name)
        if stored is None:
            return None
        return stored[1], stored[0], stored[2], stored[0] == self.key(entry)

    # -- builds --------------------------------------------------------------------------------

    def manifest(self) -> dict:
        path = self.ws.output / ".budget-builder.json"
        try:
            stat = path.stat()
            signature = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            signature = None
        if self._manifest and self._manifest[0] == signature:
            return self._manifest[1]
        manifest = load_manifest(self.ws.output)
        self._manifest = (signature, manifest)
        return manifest

    def _current(self, entry: Entry, key: str) -> bool:
        """Whether the outputs in the folder are of this input (the batch's 未变)."""
        built = self.manifest().get(entry.stem) or {}
        return bool(built.get("key") == key and all(Path(o).is_file() for o in built.get("outputs", [])))

    async def _build(self, name: str) -> None:
        entry = self.ws.lookup(name)
        if entry is None or not entry.is_department:
            return
        key = await asyncio.to_thread(self.key, entry)
        if await asyncio.to_thread(self._current, entry, key):
            return
        clashes = (await asyncio.to_thread(self.clashes)).get(name)
        if clashes:                 # refused, as the batch refuses it
            outcome = Outcome(str(entry.path), FAILED, clashes, key=key)
            await asyncio.to_thread(self._record, outcome)
            return
        try:
            outcome = await self.builder.run(build_one, entry.path, self.ws.options, key, urgent=True)
        except WorkerDied:
            return
        await asyncio.to_thread(self._record, outcome)

    def _record(self, outcome: Outcome) -> None:
        """The batch's manifest and 汇总 with this department's outcome, as `build` records it."""
        with self._manifest_lock:
            manifest = load_manifest(self.ws.output)
            try:
                save_manifest(self.ws.output, manifest, [outcome])
            except OSError as exc:
                log.error("could not write the manifest: %s", exc)
            self._manifest = None

    def outputs(self, entry: Entry) -> dict:
        """What the output folder holds for a department, for its page and the overview."""
        key = self.key(entry)
        built = self.manifest().get(entry.stem) or {}
        current = self._current(entry, key)
        state = self.builds.state(entry.name)
        files = {suffix: path for suffix, path in self.ws.outputs(entry).items() if path.is_file()}
        earlier = [] if current else earlier_outputs(self.ws.output, entry.stem, built)
        check = self.store.check(key)
        if check is None:
            label = "检查中"
        elif check["errors"]:
            label = "有错误"
        elif current:
            label = "已生成"
        elif state == "running":
            label = "生成中"
        elif state == "queued":
            label = "排队生成"
        elif files:
            label = "待重新生成"
        else:
            label = "未生成"
        old = describe_earlier(earlier, lambda f: Path(f).name) if earlier and not current else ""
        return {"label": label, "current": bool(current), "files": sorted(files), "building": state,
                "generated": built.get("generated", "")[:16] if current else "", "earlier": old,
                "summary": built.get("summary") or {}, "check": check, "key": key}

    # -- the district overview -----------------------------------------------------------------

    def overview(self) -> list[dict]:
        departments = self.ws.departments()
        latest = self.store.latest_of([e.name for e in departments])
        reviews = self.store.latest_reviews()
        rows = []
        for entry in departments:
            outputs = self.outputs(entry)
            summary = outputs["summary"]
            version = latest.get(entry.name)
            review = reviews.get(entry.name)
            changed_since = bool(review and version and version.at > review.at)
            money = {k: format(WANYUAN(Decimal(summary[k])), ",f") if summary.get(k) is not None else ""
                     for k in MONEY_COLUMNS}
            rows.append({"entry": entry, "outputs": outputs, "money": money, "version": version,
                         "review": review, "changed_since_review": changed_since})
        return rows

    # -- the sweep -----------------------------------------------------------------------------

    async def sweep(self) -> None:
        """Record files changed outside the service, check what was never checked, and build what
        is checked and out of date — without taking a worker a clerk is waiting for."""
        await asyncio.to_thread(self.observe_all)
        keys = await asyncio.to_thread(self.keys)
        for entry in self.ws.departments():
            key = keys.get(entry.name)
            if key is None:
                continue
            known = self.store.check(key)
            if known is None:
                while not self.checks.idle:
                    await asyncio.sleep(0.2)
                try:
                    await self.check_saved(entry)
                except (Busy, WorkerDied):
                    continue
            elif known["errors"] == 0 and not await asyncio.to_thread(self._current, entry, key):
                self.builds.want(entry.name)

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
                await asyncio.to_thread(self.store.prune_sessions)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sweep failed")
            await asyncio.sleep(self.settings.sweep_seconds)

    @staticmethod
    async def _quietly(coroutine) -> None:
        try:
            await coroutine
        except Exception:
            log.exception("background check failed")

