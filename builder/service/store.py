"""The service's own records, in one SQLite file in the workspace (.budget-builder/service.sqlite3):
accounts and their departments, sessions, failed logins, every saved version of every file with
who saved it and when, the bureau's reviews, the last check of each input, the last good preview.

Why SQLite and not a git repository: it is in Python's standard library (nothing to install on
the district's server or a clerk's Windows PC, no git binary); one transaction records a version
together with its author, so a save is recorded whole or not at all; accounts, sessions and the
audit trail live beside the versions in one file that one copy backs up; and the workspace may
itself be a git checkout the district keeps, into which a service must not commit. A version's
text is stored once per distinct content (by SHA-256, compressed), so restoring and re-saving
an old text costs no space.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'reviewer', 'admin')),
    password TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS user_departments (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    department TEXT NOT NULL,
    PRIMARY KEY (user_id, department)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created REAL NOT NULL,
    seen REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);
CREATE TABLE IF NOT EXISTS blobs (
    sha TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    sha TEXT NOT NULL REFERENCES blobs(sha),
    user TEXT NOT NULL,
    at REAL NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    errors INTEGER,
    warnings INTEGER
);
CREATE INDEX IF NOT EXISTS versions_file ON versions (file, id);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    action TEXT NOT NULL,
    comment TEXT NOT NULL,
    user TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_file ON reviews (file, id);
CREATE TABLE IF NOT EXISTS checks (
    key TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    findings TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS checks_file ON checks (file);
CREATE TABLE IF NOT EXISTS previews (
    file TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    html BLOB NOT NULL,
    at REAL NOT NULL
);
"""

ROLES = {"clerk": "填报人", "reviewer": "审核人", "admin": "管理员"}
SESSION_IDLE = 8 * 3600          # a session unused for 8 hours ends
SESSION_MAX = 7 * 24 * 3600      # and any session after 7 days


def clock(at: float | None) -> str:
    """A time as the pages show it (local time, to the minute)."""
    return datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M") if at else ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool
    departments: tuple[str, ...]

    @property
    def role_name(self) -> str:
        return ROLES[self.role]

    @property
    def reviews(self) -> bool:
        return self.role in ("reviewer", "admin")


@dataclass(frozen=True)
class Version:
    id: int
    file: str
    sha: str
    user: str
    at: float
    note: str
    errors: int | None
    warnings: int | None
    number: int = 0             # its place in the file's history: 第 1 版, 第 2 版 …

    @property
    def when(self) -> str:
        return clock(self.at)


# a version with its number in its file's history
VERSION = ("SELECT v.*, (SELECT COUNT(*) FROM versions w WHERE w.file = v.file AND w.id <= v.id) AS number "
           "FROM versions v")


@dataclass(frozen=True)
class Review:
    id: int
    file: str
    action: str
    comment: str
    user: str
    at: float

    @property
    def when(self) -> str:
        return clock(self.at)


class Store:
    """One connection, used under a lock from the server's threads; WAL so the `users` command
    can change accounts while the service runs."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _all(self, sql: str, *args) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _one(self, sql: str, *args) -> sqlite3.Row | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _run(self, sql: str, *args) -> int:
        with self._lock:
            return _row_id(self._db.execute(sql, args))

    def transaction(self):
        return _Transaction(self)

    # -- accounts ------------------------------------------------------------------------------

    def _user(self, row: sqlite3.Row | None) -> User | None:
        if row is None:
            return None
        departments = tuple(r["department"] for r in self._all(
            "SELECT department FROM user_departments WHERE user_id = ? ORDER BY department", row["id"]))
        return User(row["id"], row["name"], row["role"], bool(row["disabled"]), departments)

    def user(self, name: str) -> User | None:
        return self._user(self._one("SELECT * FROM users WHERE name = ?", name))

    def user_by_id(self, user_id: int) -> User | None:
        return self._user(self._one("SELECT * FROM users WHERE id = ?", user_id))

    def password_of(self, name: str) -> str | None:
        row = self._one("SELECT password FROM users WHERE name = ? AND disabled = 0", name)
        return row["password"] if row else None

    def users(self) -> list[User]:
        return [user for row in self._all("SELECT * FROM users ORDER BY name") if (user := self._user(row))]

    def add_user(self, name: str, role: str, password_hash: str, departments: list[str]) -> User:
        with self.transaction() as db:
            user_id = db.execute("INSERT INTO users (name, role, password, created) VALUES (?, ?, ?, ?)",
                                 (name, role, password_hash, time.time())).lastrowid
            db.executemany("INSERT OR IGNORE INTO user_departments (user_id, department) VALUES (?, ?)",
                           [(user_id, d) for d in departments])
        return _present(self.user(name))

    def set_password(self, name: str, password_hash: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE users SET password = ? WHERE name = ?", (password_hash, name))
            db.execute("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,))

    def set_disabled(self, name: str, disabled: bool) -> None:
        with self.transaction() as db:
            db.execute("UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), name))
            if disabled:
                db.execute("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,))

    def set_role(self, name: str, role: str) -> None:
        self._run("UPDATE users SET role = ? WHERE name = ?", role, name)

    def set_departments(self, name: str, departments: list[str]) -> None:
        with self.transaction() as db:
            user_id = db.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()["id"]
            db.execute("DELETE FROM user_departments WHERE user_id = ?", (user_id,))
            db.executemany("INSERT OR IGNORE INTO user_departments (user_id, department) VALUES (?, ?)",
                           [(user_id, d) for d in departments])

    # -- sessions ------------------------------------------------------------------------------

    def new_session(self, user_id: int) -> str:
        """A new session's token (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        self._run("INSERT INTO sessions (token_hash, user_id, csrf, created, seen) VALUES (?, ?, ?, ?, ?)",
                  sha256(token.encode()), user_id, secrets.token_urlsafe(32), now, now)
        return token

    def session(self, token: str) -> tuple[User, str] | None:
        """The user and CSRF token of a live session; an expired one is ended."""
        if not token or len(token) > 100:
            return None
        digest = sha256(token.encode())
        row = self._one("SELECT * FROM sessions WHERE token_hash = ?", digest)
        now = time.time()
        if row is None:
            return None
        if now - row["seen"] > SESSION_IDLE or now - row["created"] > SESSION_MAX:
            self._run("DELETE FROM sessions WHERE token_hash = ?", digest)
            return None
        user = self.user_by_id(row["user_id"])
        if user is None or user.disabled:
            return None
        if now - row["seen"] > 60:
            self._run("UPDATE sessions SET seen = ? WHERE token_hash = ?", now, digest)
        return user, row["csrf"]

    def end_session(self, token: str) -> None:
        self._run("DELETE FROM sessions WHERE token_hash = ?", sha256(token.encode()))

    def prune_sessions(self) -> None:
        now = time.time()
        self._run("DELETE FROM sessions WHERE seen < ? OR created < ?", now - SESSION_IDLE, now - SESSION_MAX)

    # -- failed logins -------------------------------------------------------------------------

    def failures(self, key: str, since: float) -> int:
        return _present(self._one("SELECT COUNT(*) AS n FROM login_failures WHERE key = ? AND at >= ?", key, since))["n"]

    def oldest_failure(self, key: str, since: float) -> float | None:
        row = self._one("SELECT MIN(at) AS at FROM login_failures WHERE key = ? AND at >= ?", key, since)
        return row["at"] if row else None

    def fail(self, keys: list[str]) -> None:
        now = time.time()
        with self.transaction() as db:
            db.executemany("INSERT INTO login_failures (key, at) VALUES (?, ?)", [(k, now) for k in keys])
            db.execute("DELETE FROM login_failures WHERE at < ?", (now - 86400,))

    def forget_failures(self, key: str) -> None:
        self._run("DELETE FROM login_failures WHERE key = ?", key)

    # -- versions ------------------------------------------------------------------------------

    def latest(self, file: str) -> Version | None:
        row = self._one(f"{VERSION} WHERE v.file = ? ORDER BY v.id DESC LIMIT 1", file)
        return Version(**dict(row)) if row else None

    def latest_of(self, files: list[str]) -> dict[str, Version]:
        rows = self._all(f"{VERSION} JOIN (SELECT file, MAX(id) AS id FROM versions GROUP BY file) m ON v.id = m.id")
        wanted = set(files)
        return {row["file"]: Version(**dict(row)) for row in rows if row["file"] in wanted}

    def versions(self, file: str) -> list[Version]:
        return [Version(**dict(row)) for row in self._all(f"{VERSION} WHERE v.file = ? ORDER BY v.id DESC", file)]

    def version(self, version_id: int) -> Version | None:
        row = self._one(f"{VERSION} WHERE v.id = ?", version_id)
        return Version(**dict(row)) if row else None

    def text_of(self, sha: str) -> bytes:
        row = self._one("SELECT data FROM blobs WHERE sha = ?", sha)
        return zlib.decompress(row["data"]) if row else b""

    @staticmethod
    def add_version(db: sqlite3.Connection, file: str, data: bytes, user: str, note: str = "",
                    at: float | None = None) -> int:
        """Record a version inside a transaction (see `transaction`)."""
        digest = sha256(data)
        db.execute("INSERT OR IGNORE INTO blobs (sha, data) VALUES (?, ?)", (digest, zlib.compress(data, 6)))
        return _row_id(db.execute("INSERT INTO versions (file, sha, user, at, note) VALUES (?, ?, ?, ?, ?)",
                                  (file, digest, user, time.time() if at is None else at, note)))

    def set_version_counts(self, version_id: int, errors: int, warnings: int) -> None:
        self._run("UPDATE versions SET errors = ?, warnings = ? WHERE id = ?", errors, warnings, version_id)

    # -- reviews -------------------------------------------------------------------------------

    def add_review(self, file: str, action: str, comment: str, user: str) -> int:
        return self._run("INSERT INTO reviews (file, action, comment, user, at) VALUES (?, ?, ?, ?, ?)",
                         file, action, comment, user, time.time())

    def reviews(self, file: str) -> list[Review]:
        return [Review(**dict(r)) for r in self._all("SELECT * FROM reviews WHERE file = ? ORDER BY id DESC", file)]

    def latest_reviews(self) -> dict[str, Review]:
        rows = self._all("SELECT r.* FROM reviews r JOIN (SELECT file, MAX(id) AS id FROM reviews GROUP BY file) m "
                         "ON r.id = m.id")
        return {row["file"]: Review(**dict(row)) for row in rows}

    # -- checks and previews -------------------------------------------------------------------

    def put_check(self, file: str, key: str, findings: list[dict]) -> None:
        errors = sum(f["severity"] == "错误" for f in findings)
        warnings = len(findings) - errors
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO checks (key, file, errors, warnings, findings, at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (key, file, errors, warnings, json.dumps(findings, ensure_ascii=False), time.time()))
            db.execute("DELETE FROM checks WHERE file = ? AND key <> ?", (file, key))

    def check(self, key: str) -> dict | None:
        row = self._one("SELECT * FROM checks WHERE key = ?", key)
        if row is None:
            return None
        return {"errors": row["errors"], "warnings": row["warnings"], "findings": json.loads(row["findings"]),
                "at": row["at"]}

    def checks(self) -> dict[str, dict]:
        """The counts of every stored check, by input key."""
        return {row["key"]: {"errors": row["errors"], "warnings": row["warnings"], "at": row["at"]}
                for row in self._all("SELECT key, errors, warnings, at FROM checks")}

    def put_preview(self, file: str, key: str, html: str) -> None:
        self._run("INSERT OR REPLACE INTO previews (file, key, html, at) VALUES (?, ?, ?, ?)",
                  file, key, zlib.compress(html.encode("utf-8"), 6), time.time())

    def preview_key(self, file: str) -> str | None:
        row = self._one("SELECT key FROM previews WHERE file = ?", file)
        return row["key"] if row else None

    def preview(self, file: str) -> tuple[str, str, float] | None:
        """The last good preview of a file: (its input key, its HTML, when)."""
        row = self._one("SELECT * FROM previews WHERE file = ?", file)
        return (row["key"], zlib.decompress(row["html"]).decode("utf-8"), row["at"]) if row else None


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT under the store's lock; ROLLBACK on any exception."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> sqlite3.Connection:
        self.store._lock.acquire()
        self.store._db.execute("BEGIN IMMEDIATE")
        return self.store._db

    def __exit__(self, kind, value, tb) -> None:
        try:
            self.store._db.execute("ROLLBACK" if kind else "COMMIT")
        finally:
            self.store._lock.release()


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (SQLite always gives one)."""
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _present(value):
    """What a query that cannot come back empty returned (a row just written, a COUNT)."""
    assert value is not None
    return value
