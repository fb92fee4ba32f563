"""API tokens: what another system shows to read the JSON API (readiness.api) of a deployment that
requires login. The secretariat issues one per system or office (command line or the Accounts page),
sees it once, and revokes it when it is no longer used; a revoked token stays listed.

Only a token's SHA-256 is kept. Not Argon2, as for passwords: a token is 32 random bytes, so its hash
cannot be reversed by trying likely values (what a slow hash defends a password against), and a fast
hash lets every API request be checked in microseconds. Hashes are compared in constant time.

The tokens live in api_tokens.json beside the database, like users.json (changed under an exclusive
lock, replaced whole, 0600 from creation), not in DuckDB: a process that opens the database read-only,
or cannot open it at all, still has to check tokens, and the file is what every process on the
database's folder shares.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from .archive import write_atomic
from .auth import Forbidden, User, file_lock
from .i18n import Problem

PREFIX = "rdy_"  # says what a token is where one turns up (a config file, a log, a secret scanner)
MAX_NAME = 100
MAX_TOKEN = 200  # longer text presented as a token is not one, and is not hashed


class TokenError(Problem, ValueError):
    """A token that cannot be issued or revoked as asked (a catalog key)."""


@dataclass(frozen=True)
class Token:
    """One issued token, without the token itself."""

    id: int
    name: str
    sha256: str
    created_at: str
    created_by: str | None = None
    revoked_at: str | None = None
    revoked_by: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def label(self) -> str:
        """How the access log and the audit name it: '#3 Sở Chỉ huy quân sự'."""
        return f"#{self.id} {self.name}"


def tokens_path(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "api_tokens.json"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class Tokens:
    """The token file. Changes hold the lock across read, change and atomic write; reads need none."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    def all(self) -> list[Token]:
        """Every token issued, active or revoked, by id."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return sorted((Token(**t) for t in data.get("tokens", [])), key=lambda t: t.id)

    def _save(self, tokens: list[Token]) -> None:
        body = json.dumps({"tokens": [asdict(t) for t in tokens]}, ensure_ascii=False, indent=1)
        write_atomic(self.path, body.encode("utf-8"), mode=0o600, sync_folder=True)

    @staticmethod
    def _may_manage(actor: User | None) -> None:
        # None: the command line on the server (whoever runs it owns the files anyway).
        if actor is not None and not actor.is_secretariat:
            raise Forbidden("err_may_not_tokens", username=actor.username, role=actor.role)

    def issue(self, name: str, by: str | None = None, actor: User | None = None) -> tuple[Token, str]:
        """A new token for `name` (the system or office that will use it): its record and the token,
        which is nowhere else and must be handed over now."""
        self._may_manage(actor)
        name = unicodedata.normalize("NFC", " ".join(name.split()))
        if not 1 <= len(name) <= MAX_NAME:
            raise TokenError("err_token_name")
        token = PREFIX + secrets.token_urlsafe(32)
        with file_lock(self.lock_path):
            tokens = self.all()
            record = Token(
                id=max((t.id for t in tokens), default=0) + 1,  # never reused: revoked tokens stay listed
                name=name,
                sha256=digest(token),
                created_at=_now(),
                created_by=by,
            )
            self._save([*tokens, record])
        return record, token

    def revoke(self, token_id: int, by: str | None = None, actor: User | None = None) -> Token:
        """Stop a token from opening the API, at once in every process (each request reads the file)."""
        self._may_manage(actor)
        with file_lock(self.lock_path):
            tokens = self.all()
            found = next((t for t in tokens if t.id == token_id), None)
            if found is None:
                raise TokenError("err_no_token", id=token_id)
            if not found.active:
                raise TokenError("err_token_revoked", id=token_id)
            revoked = Token(**{**asdict(found), "revoked_at": _now(), "revoked_by": by})
            self._save([revoked if t.id == token_id else t for t in tokens])
        return revoked

    def find(self, presented: str | None) -> Token | None:
        """The token (active or revoked) whose hash matches the presented text, or None. Every stored
        hash is compared, in constant time, so the time taken says nothing about which one matched."""
        if not presented or len(presented) > MAX_TOKEN:
            return None
        wanted = digest(presented)
        found = None
        for t in self.all():
            if hmac.compare_digest(t.sha256, wanted):
                found = t
        return found
