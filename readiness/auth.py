"""Accounts and who may do what: viewers see the board, unit uploaders send reports for their own
units, the secretariat sends for any unit, withdraws submissions and manages accounts.

Accounts live in a JSON file beside the database (users.json), passwords only as Argon2 hashes. Every
change is a read-modify-write under an exclusive lock on users.json.lock, and the file is replaced
whole by one that was private (0600) from its creation, so processes changing accounts at once lose
nothing and a reader sees either the old file or the new one.

Repeated failed logins are slowed per (username, client address): after 3 failures in a row that pair
waits 2, 4, 8 … seconds, at most 30, before its next try is even checked. Names that have no account
are slowed and answered exactly like names that have one (same words, same waits, one password check
against a dummy hash), so nothing tells whether an account exists; a stranger elsewhere cannot lock a
user out at all, and one behind the same address for half a minute at most. The counts are kept in
users.throttle.json; a success clears its own pair, and the secretariat clears a user's with unlock.

A login lasts SESSION_HOURS through reloads and bookmarks by a session cookie: username, expiry and the
account's session version, signed (HMAC-SHA256) with a key kept beside the database (session.key, 0600,
created once). A new password or a removed account changes or drops the version, so every cookie
issued before stops working. The browser holds the cookie only as HttpOnly, SameSite=Strict: the app's
own route sets it in exchange for a one-time grant (issue_grant) that only the logged-in page received.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .archive import write_atomic
from .i18n import Problem

ROLES = ("viewer", "uploader", "secretariat")
FREE_FAILURES = 3
MAX_WAIT_S = 30
FORGET_AFTER_S = 15 * 60  # a pair's failures older than this (and no wait running) are forgotten
MIN_PASSWORD = 8
SESSION_HOURS = 8
SESSION_COOKIE = "readiness_session"
GRANT_TTL_S = 60
WRONG_LOGIN = str(Problem("err_wrong_login"))
_hasher = PasswordHasher()

Audit = Callable[[str | None, str, str | None, str | None], None]  # Store.audit(actor, action, target, detail)


class AuthError(Problem):
    """A refused login or account change, with a message for the person (a catalog key)."""


class Forbidden(Problem, PermissionError):
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
    # Changes with the password; a session cookie names it, so older cookies stop counting. Random, not a
    # counter: an account removed and made again under the same name must not accept the old cookies.
    session: str = ""


_ACCOUNT_FIELDS = {f.name for f in fields(_Account)}


@contextlib.contextmanager
def file_lock(lock_path: Path):
    """An exclusive `flock` on lock_path for the block: the read-modify-write of a file beside the
    database (accounts, API tokens) by one process at a time."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def users_path(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "users.json"


def _no_such(username: str) -> AuthError:
    return AuthError("err_no_account", username=username)


class Accounts:
    """The account file. Changes hold an exclusive lock across read, change and atomic write; reads
    need none, since the file is only ever replaced whole."""

    def __init__(self, path: str | Path, known_units: list[str] | None = None):
        self.path = Path(path)
        self.known_units = known_units
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.throttle_path = self.path.with_suffix(".throttle.json")

    def _locked(self):
        return file_lock(self.lock_path)

    def _load(self) -> dict[str, _Account]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        # Older files also kept failure counts in each account; those now live in the throttle file.
        return {
            a["username"]: _Account(**{k: v for k, v in a.items() if k in _ACCOUNT_FIELDS})
            for a in data.get("users", [])
        }

    def _save(self, accounts: dict[str, _Account]) -> None:
        body = {"users": [asdict(a) for a in sorted(accounts.values(), key=lambda a: a.username)]}
        _write_private(self.path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))

    def _load_throttle(self, now: dt.datetime) -> dict[str, dict[str, dict]]:
        """username -> client -> {failures, last, wait_until}, without pairs long quiet."""
        try:
            data = json.loads(self.throttle_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):  # a damaged file only forgets failures
            return {}
        horizon = now - dt.timedelta(seconds=FORGET_AFTER_S)
        kept = {}
        for name, clients in data.items():
            live = {
                c: e
                for c, e in clients.items()
                if (e.get("last") and dt.datetime.fromisoformat(e["last"]) > horizon)
                or (e.get("wait_until") and dt.datetime.fromisoformat(e["wait_until"]) > now)
            }
            if live:
                kept[name] = live
        return kept

    def _save_throttle(self, throttle: dict[str, dict[str, dict]]) -> None:
        _write_private(self.throttle_path, json.dumps(throttle, ensure_ascii=False).encode("utf-8"))

    def list(self) -> list[User]:
        return [User(a.username, a.role, tuple(a.units)) for a in self._load().values()]

    def get(self, username: str) -> User | None:
        a = self._load().get(username)
        return User(a.username, a.role, tuple(a.units)) if a else None

    def require(self, username: str) -> User:
        """The account, or AuthError when there is none."""
        user = self.get(username)
        if user is None:
            raise _no_such(username)
        return user

    def any_secretariat(self) -> bool:
        return any(a.role == "secretariat" for a in self._load().values())

    @staticmethod
    def _may_manage(actor: User | None) -> None:
        # None: the command line on the server itself (whoever can run it owns the files anyway).
        if actor is not None and not actor.is_secretariat:
            raise Forbidden("err_may_not_manage", username=actor.username, role=actor.role)

    def check_new(self, username: str, role: str, units: Sequence[str] | None = None) -> str:
        """The cleaned username, or AuthError when it is malformed, taken, or its role or units are wrong:
        lets the command line refuse before it asks for a password."""
        username = username.strip()
        if not re.fullmatch(r"[A-Za-z0-9_.@-]{3,64}", username):
            raise AuthError("err_username")
        if role not in ROLES:
            raise AuthError("err_role", role=role, roles=", ".join(ROLES))
        units = list(units or [])
        if role == "uploader" and not units:
            raise AuthError("err_uploader_units")
        unknown = [u for u in units if self.known_units is not None and u not in self.known_units]
        if unknown:
            raise AuthError("err_unknown_units", units=", ".join(unknown))
        if username in self._load():
            raise _exists(username)
        return username

    def add(
        self, username: str, password: str, role: str, units: Sequence[str] | None = None, actor: User | None = None
    ) -> User:
        self._may_manage(actor)
        username = self.check_new(username, role, units)
        units = list(units or [])
        _check_password(password)
        password_hash = _hasher.hash(password)  # slow on purpose: outside the lock
        with self._locked():
            accounts = self._load()
            if username in accounts:
                raise _exists(username)
            accounts[username] = _Account(username, role, units, password_hash, _new_session())
            self._save(accounts)
        return User(username, role, tuple(units))

    def passwd(self, username: str, password: str, actor: User | None = None) -> None:
        """A new password; it also clears the account's failed logins."""
        if actor is not None and actor.username != username:
            self._may_manage(actor)
        _check_password(password)
        password_hash = _hasher.hash(password)
        with self._locked():
            accounts = self._load()
            if username not in accounts:
                raise _no_such(username)
            accounts[username].password_hash = password_hash
            accounts[username].session = _new_session()  # every session cookie issued before ends
            self._save(accounts)
            self._forget_failures(username, dt.datetime.now())

    def remove(self, username: str, actor: User | None = None) -> None:
        self._may_manage(actor)
        with self._locked():
            accounts = self._load()
            if accounts.pop(username, None) is None:
                raise _no_such(username)
            self._save(accounts)

    def unlock(self, username: str, actor: User | None = None) -> None:
        """Forget the account's failed logins from every address, so it may log in at once."""
        self._may_manage(actor)
        with self._locked():
            if username not in self._load():
                raise _no_such(username)
            self._forget_failures(username, dt.datetime.now())

    def session_cookie(
        self, username: str, now: float | None = None, hours: float = SESSION_HOURS
    ) -> tuple[str, str, float]:
        """A signed session cookie for the account, the session version it names and when (epoch
        seconds) it ends."""
        account = self._load().get(username)
        if account is None:
            raise _no_such(username)
        expires = (time.time() if now is None else now) + hours * 3600
        cookie = sign_session(session_secret(self.path.parent), username, account.session, expires)
        return cookie, account.session, expires

    def resume(self, cookie: str | None, now: float | None = None) -> tuple[User, str, float] | None:
        """The user a session cookie stands for, its version and expiry; None for a cookie that is
        malformed, tampered with, expired, or older than the account's last password change."""
        session = read_session(session_secret(self.path.parent), cookie, now)
        if session is None:
            return None
        username, version, expires = session
        a = self._load().get(username)
        if a is None or not hmac.compare_digest(a.session, version):
            return None
        return User(a.username, a.role, tuple(a.units)), version, expires

    def session_current(self, username: str, version: str) -> bool:
        """Whether the account still exists with this session version (no password change since)."""
        account = self._load().get(username)
        return account is not None and hmac.compare_digest(account.session, version)

    def locked_until(self, now: dt.datetime | None = None) -> dict[str, dt.datetime]:
        """Accounts with a wait running from some address, and when the last such wait ends."""
        now = now or dt.datetime.now()
        accounts = self._load()
        out = {}
        for name, clients in self._load_throttle(now).items():
            ends = [dt.datetime.fromisoformat(e["wait_until"]) for e in clients.values() if e.get("wait_until")]
            if name in accounts and ends and max(ends) > now:
                out[name] = max(ends)
        return out

    def _forget_failures(self, username: str, now: dt.datetime, client: str | None = None) -> None:
        # Caller holds the lock. client None: every address.
        throttle = self._load_throttle(now)
        clients = throttle.get(username, {})
        if client is None:
            clients.clear()
        else:
            clients.pop(client, None)
        if not clients:
            throttle.pop(username, None)
        self._save_throttle(throttle)

    def login(
        self,
        username: str,
        password: str,
        client: str = "",
        now: dt.datetime | None = None,
        audit: Audit | None = None,
    ) -> User:
        """The user, or AuthError in words that are the same whether or not the account exists.

        `client` is the address the try comes from (the throttle is per name and address);
        `audit(actor, action, target, detail)` hears every try, "login" or "login_failed"."""
        now = now or dt.datetime.now()
        name = username.strip()
        with self._locked():
            throttle = self._load_throttle(now)
            entry = throttle.setdefault(name, {}).setdefault(client, {"failures": 0, "wait_until": None})
            wait_until = entry["wait_until"] and dt.datetime.fromisoformat(entry["wait_until"])
            waiting = bool(wait_until and now < wait_until)
            if not waiting:
                # Counted as a failure before the check and taken back on success, so tries sent in
                # parallel are slowed as if they came one after another.
                entry["failures"] += 1
                entry["last"] = now.isoformat()
                if entry["failures"] >= FREE_FAILURES:
                    wait = min(MAX_WAIT_S, 2 ** min(entry["failures"] - FREE_FAILURES + 1, 16))
                    entry["wait_until"] = (now + dt.timedelta(seconds=wait)).isoformat()
                self._save_throttle(throttle)
            account = self._load().get(name)
        if waiting:
            _record(audit, name or None, "login_failed", client)
            wait = math.ceil((wait_until - now).total_seconds())
            raise AuthError("err_wait", wait=wait)
        try:
            # An unknown name costs the same check, against a hash no password matches.
            _hasher.verify(account.password_hash if account else _dummy_hash(), password)
            if account is None:
                raise VerificationError
        except (VerificationError, InvalidHashError):
            _record(audit, name or None, "login_failed", client)
            raise AuthError("err_wrong_login") from None
        with self._locked():
            self._forget_failures(name, now, client)
        _record(audit, name, "login", client)
        return User(account.username, account.role, tuple(account.units))


def _new_session() -> str:
    return secrets.token_hex(8)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def session_secret(folder: str | Path) -> bytes:
    """The key that signs session cookies: session.key in the folder, made once (0600, 32 random bytes).

    Written whole under a temporary name and linked into place, so processes starting together agree
    on one key and none reads a half-written file."""
    path = Path(folder) / "session.key"
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        tmp = path.with_name(f".session.key.{secrets.token_hex(6)}.tmp")
        _write_private(tmp, secrets.token_bytes(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(tmp)
        key = path.read_bytes()
    if len(key) < 32:
        raise RuntimeError(f"{path}: session key shorter than 32 bytes; delete it to make a new one")
    return key


def sign_session(secret: bytes, username: str, version: str, expires: float) -> str:
    """`payload.mac`, both base64url: payload is JSON {u, v, exp}; mac is HMAC-SHA256 over the payload."""
    payload = _b64(json.dumps({"u": username, "v": version, "exp": int(expires)}, separators=(",", ":")).encode())
    mac = hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def read_session(secret: bytes, cookie: str | None, now: float | None = None) -> tuple[str, str, float] | None:
    """(username, version, expires) of a well-signed, unexpired cookie; None for anything else."""
    if not cookie or len(cookie) > 1024 or cookie.count(".") != 1:
        return None
    payload, mac = cookie.split(".")
    try:
        given = _unb64(mac)
        expected = hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(given, expected):
            return None
        data = json.loads(_unb64(payload))
        username, version, expires = data["u"], data["v"], data["exp"]
    except (ValueError, KeyError, TypeError, UnicodeError):
        return None
    if not (isinstance(username, str) and isinstance(version, str) and isinstance(expires, int)):
        return None
    if (time.time() if now is None else now) >= expires:
        return None
    return username, version, float(expires)


# Grants already taken (nonce -> when the grant would have expired). In memory: should the module be
# reloaded, a grant could be taken again within its GRANT_TTL_S, which only sets the same cookie again.
_TAKEN: dict[str, float] = {}
_TAKEN_LOCK = threading.Lock()


def issue_grant(
    secret: bytes, action: str, username: str = "", version: str = "", expires: float = 0.0, now: float | None = None
) -> str:
    """A one-time token, alive GRANT_TTL_S, by which the page that logged in ("login": the session's
    user, version and expiry) or out ("logout") asks the app's own route to set or clear the HttpOnly
    cookie. Signed with the session key, so only the app mints one; it reaches only the page of the
    session that earned it, so no other site can name one (the route's CSRF protection). It carries no
    cookie: the route signs the cookie itself, so page scripts never see one."""
    now = time.time() if now is None else now
    body = {"a": action, "u": username, "v": version, "e": int(expires), "t": now + GRANT_TTL_S}
    payload = _b64(json.dumps(body | {"n": secrets.token_urlsafe(16)}, separators=(",", ":")).encode())
    return f"{payload}.{_b64(hmac.new(secret, b'grant:' + payload.encode('ascii'), hashlib.sha256).digest())}"


def take_grant(secret: bytes, token: object, now: float | None = None) -> tuple[str, str, float] | None:
    """(action, cookie to set or "", its expiry) once per grant; None when forged, used or too old."""
    if not isinstance(token, str) or len(token) > 2048 or token.count(".") != 1:
        return None
    now = time.time() if now is None else now
    payload, mac = token.split(".")
    try:
        expected = hmac.new(secret, b"grant:" + payload.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(_unb64(mac), expected):
            return None
        body = json.loads(_unb64(payload))
        action, username, version, expires, until, nonce = (body[k] for k in ("a", "u", "v", "e", "t", "n"))
    except (ValueError, KeyError, TypeError, UnicodeError):
        return None
    if now >= until:
        return None
    with _TAKEN_LOCK:
        for n, t in list(_TAKEN.items()):
            if t <= now:
                del _TAKEN[n]
        if nonce in _TAKEN:
            return None
        _TAKEN[nonce] = until
    if action == "login":
        return action, sign_session(secret, username, version, expires), float(expires)
    return (action, "", 0.0) if action == "logout" else None


def _exists(username: str) -> AuthError:
    return AuthError("err_account_exists", username=username)


def _record(audit: Audit | None, actor: str | None, action: str, client: str) -> None:
    if audit is not None:
        audit(actor, action, None, client or None)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def _write_private(path: Path, data: bytes) -> None:
    """Replace the file whole (temp file, fsync, rename); readable by the owner only from the moment
    it exists, never 0644 for an instant."""
    write_atomic(path, data, mode=0o600, sync_folder=True)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError("err_password_short", n=MIN_PASSWORD)
