"""Accounts: passwords hashed with scrypt (Python's standard library, OpenSSL's implementation),
roles, and the departments a clerk keeps.

A password is stored as `scrypt$N$r$p$salt$hash` (salt 16 random bytes, hash 32 bytes, base64),
so the cost can be raised later without invalidating stored hashes. Comparison is constant-time,
and a login for an unknown name hashes a dummy password, so the time taken does not tell which
names exist. Roles: 填报人 (clerk: edits only their own departments' files), 审核人 (reviewer:
reads every department, returns one with a comment), 管理员 (admin: both, every department).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import unicodedata

from .store import ROLES, Store, User

N, R, P = 2 ** 14, 8, 1          # 16 MiB and ~50 ms per hash on an office server
MAX_MEM = 64 * 1024 * 1024
MIN_PASSWORD = 8
MAX_PASSWORD = 256


class AccountError(ValueError):
    """A mistake in an account command, said in Chinese."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, maxmem=MAX_MEM, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


_DUMMY = None


def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches the stored hash; an absent hash is checked against a dummy, so
    an unknown name costs the same time as a wrong password."""
    global _DUMMY
    if stored is None:
        _DUMMY = _DUMMY or hash_password(secrets.token_hex(16))
        stored, known = _DUMMY, False
    else:
        known = True
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8")[:4 * MAX_PASSWORD], salt=base64.b64decode(salt),
                                n=int(n), r=int(r), p=int(p), maxmem=MAX_MEM, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected) and known


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"密码最多 {MAX_PASSWORD} 个字符")
    return password


def check_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    if not name or len(name) > 64:
        raise AccountError("用户名应为 1—64 个字符")
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" or ch in "/\\<>\"'&" for ch in name):
        raise AccountError(f"用户名“{name}”含有空格、控制字符或 / \\ < > \" ' &")
    return name


def check_role(role: str) -> str:
    by_chinese = {v: k for k, v in ROLES.items()}
    role = by_chinese.get(role, role)
    if role not in ROLES:
        raise AccountError(f"角色“{role}”无效（可选：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}）")
    return role


def add(store: Store, name: str, role: str, password: str, departments: list[str]) -> User:
    name, role = check_name(name), check_role(role)
    if store.user(name):
        raise AccountError(f"用户“{name}”已存在（改密码用 reset，改部门用 departments）")
    departments = [d.strip() for d in departments if d.strip()]
    if role == "clerk" and not departments:
        raise AccountError("填报人（clerk）至少要有一个部门：加 --department 部门全称")
    return store.add_user(name, role, hash_password(check_password(password)), departments)


def existing(store: Store, name: str) -> User:
    user = store.user(unicodedata.normalize("NFC", name.strip()))
    if user is None:
        raise AccountError(f"没有用户“{name}”")
    return user


def reset(store: Store, name: str, password: str) -> User:
    user = existing(store, name)
    store.set_password(user.name, hash_password(check_password(password)))
    return user


def disable(store: Store, name: str, disabled: bool = True) -> User:
    user = existing(store, name)
    store.set_disabled(user.name, disabled)
    return user


def set_departments(store: Store, name: str, departments: list[str]) -> User:
    user = existing(store, name)
    departments = [d.strip() for d in departments if d.strip()]
    if user.role == "clerk" and not departments:
        raise AccountError("填报人（clerk）至少要有一个部门")
    store.set_departments(user.name, departments)
    changed = store.user(user.name)
    assert changed is not None                   # (it was just found)
    return changed


def new_password() -> str:
    """A temporary password an admin hands over (12 characters, no look-alikes)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))
