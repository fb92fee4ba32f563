"""Accounts and who may do what: viewers see the board, unit uploaders send reports for their own
units, the secretariat sends for any unit, withdraws submissions and manages accounts.

Accounts live in a JSON file beside the database (users.json), passwords only as Argon2 hashes.
Repeated failed logins are slowed: after 3 failures in a row an account waits 2, 4, 8 … seconds
(up to 15 minutes) before the next try is even checked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .archive import write_atomic

ROLES = ("viewer", "uploader", "secretariat")
FREE_FAILURES = 3
MAX_WAIT_S = 15 * 60
MIN_PASSWORD = 8
_hasher = PasswordHasher()
_lock = threading.Lock()


class AuthError(Exception):
    """A refused login or account change, with a message for the person (Vietnamese / English)."""


class Forbidden(PermissionError):
    """The user's role does not allow the action; enforced in the core, not only by hiding buttons."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    units: tuple[str, ...] = ()

    def may_upload_for(self, unit: str | None) -> bool:
        if self.role == "secretariat":
            return True
        return self.role == "uploader" and unit is not None and unit in self.units

    @property
    def may_upload(self) -> bool:
        return self.role in ("uploader", "secretariat")

    @property
    def is_secretariat(self) -> bool:
        return self.role == "secretariat"


@dataclass
class _Account:
    username: str
    role: str
    units: list[str] = field(default_factory=list)
    password_hash: str = ""
    failures: int = 0
    wait_until: str | None = None  # ISO time before which no password is checked


def users_path(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "users.json"


class Accounts:
    """The account file. Every change is written atomically; reads see the file as it is now."""

    def __init__(self, path: str | Path, known_units: list[str] | None = None):
        self.path = Path(path)
        self.known_units = known_units

    def _load(self) -> dict[str, _Account]:
        if not self.path.exists():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return {a["username"]: _Account(**a) for a in data.get("users", [])}

    def _save(self, accounts: dict[str, _Account]) -> None:
        body = {"users": [asdict(a) for a in sorted(accounts.values(), key=lambda a: a.username)]}
        write_atomic(self.path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))
        os.chmod(self.path, 0o600)

    def list(self) -> list[User]:
        return [User(a.username, a.role, tuple(a.units)) for a in self._load().values()]

    def get(self, username: str) -> User | None:
        a = self._load().get(username)
        return User(a.username, a.role, tuple(a.units)) if a else None

    def any_secretariat(self) -> bool:
        return any(a.role == "secretariat" for a in self._load().values())

    @staticmethod
    def _may_manage(actor: User | None) -> None:
        # None: the command line on the server itself (whoever can run it owns the files anyway).
        if actor is not None and not actor.is_secretariat:
            raise Forbidden(f"{actor.username} ({actor.role}) không được quản lý tài khoản / may not manage accounts")

    def add(
        self, username: str, password: str, role: str, units: list[str] | None = None, actor: User | None = None
    ) -> User:
        self._may_manage(actor)
        username = username.strip()
        if not re.fullmatch(r"[A-Za-z0-9_.@-]{3,64}", username):
            raise AuthError(
                "Tên đăng nhập 3-64 ký tự: chữ không dấu, số, . _ - @ / username: 3-64 letters, digits, . _ - @"
            )
        if role not in ROLES:
            raise AuthError(f"Vai trò '{role}' không hợp lệ; chọn {', '.join(ROLES)} / unknown role")
        units = list(units or [])
        if role == "uploader" and not units:
            raise AuthError("Người gửi báo cáo cần ít nhất một đơn vị / an uploader needs at least one unit")
        unknown = [u for u in units if self.known_units is not None and u not in self.known_units]
        if unknown:
            raise AuthError(f"Đơn vị không có trong cấu hình / unknown units: {', '.join(unknown)}")
        _check_password(password)
        with _lock:
            accounts = self._load()
            if username in accounts:
                raise AuthError(f"Tài khoản '{username}' đã có / account already exists")
            accounts[username] = _Account(username, role, units, _hasher.hash(password))
            self._save(accounts)
        return User(username, role, tuple(units))

    def passwd(self, username: str, password: str, actor: User | None = None) -> None:
        if actor is not None and actor.username != username:
            self._may_manage(actor)
        _check_password(password)
        with _lock:
            accounts = self._load()
            if username not in accounts:
                raise AuthError(f"Không có tài khoản '{username}' / no such account")
            a = accounts[username]
            a.password_hash, a.failures, a.wait_until = _hasher.hash(password), 0, None
            self._save(accounts)

    def remove(self, username: str, actor: User | None = None) -> None:
        self._may_manage(actor)
        with _lock:
            accounts = self._load()
            if accounts.pop(username, None) is None:
                raise AuthError(f"Không có tài khoản '{username}' / no such account")
            self._save(accounts)

    def login(self, username: str, password: str, now: dt.datetime | None = None) -> User:
        """The user, or AuthError. Failures beyond the first three make the account wait."""
        now = now or dt.datetime.now()
        with _lock:
            accounts = self._load()
            a = accounts.get(username.strip())
            if a is None:
                _hasher.hash(password)  # same cost as a real check: no hint that the name is unknown
                raise AuthError("Sai tên đăng nhập hoặc mật khẩu / wrong username or password")
            if a.wait_until and now < dt.datetime.fromisoformat(a.wait_until):
                wait = int((dt.datetime.fromisoformat(a.wait_until) - now).total_seconds()) + 1
                raise AuthError(f"Đăng nhập sai nhiều lần; thử lại sau {wait} giây / too many failures, wait {wait} s")
            try:
                _hasher.verify(a.password_hash, password)
            except (VerificationError, InvalidHashError):
                a.failures += 1
                if a.failures >= FREE_FAILURES:
                    wait = min(MAX_WAIT_S, 2 ** (a.failures - FREE_FAILURES + 1))
                    a.wait_until = (now + dt.timedelta(seconds=wait)).isoformat()
                self._save(accounts)
                raise AuthError("Sai tên đăng nhập hoặc mật khẩu / wrong username or password") from None
            if a.failures or a.wait_until:
                a.failures, a.wait_until = 0, None
                self._save(accounts)
            return User(a.username, a.role, tuple(a.units))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError(
            f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự / password needs at least {MIN_PASSWORD} characters"
        )
