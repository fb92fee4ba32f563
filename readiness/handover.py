"""One writer, always: the running app holds the database, and the command line hands it its work.

DuckDB lets one process open a database file for writing. The app says it is there by holding an
exclusive `flock` on `<db>.app.lock` for as long as it runs (the lock dies with the process, so a
killed app never leaves a stale claim). A command that finds the database busy asks:
- the app is there: hand the work over (ingest, query, rebuild, an audit line, a plan, the meeting
  brief) through the request folder `<db>.handover/` beside the database (never inside the inbox,
  where units drop files), and print the app's answer as if it had done the work itself (the
  brief's bytes come back in the answer: the app never writes where a command names);
- no app: another command holds it for a moment; wait for the lock and go on.

A request is a folder written as `<id>.part` and renamed into place when complete. The app renames
it to `<id>.taken` before working on it, so a command that gives up can withdraw a request nobody
took (it is then never carried out later) and knows when it was too late to withdraw.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from .archive import write_atomic

log = logging.getLogger(__name__)

KINDS = ("ingest", "query", "rebuild", "audit", "plan", "plan_show", "brief")
_STORED_AS = re.compile(r"^\d{4}(\.[a-z0-9]{1,8})?$")
MAX_REQUEST_JSON = 1024 * 1024
STALE_S = 3600.0  # an answered or half-written request older than this is removed


def lock_path(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".app.lock")


def requests_dir(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".handover")


class AppPresence:
    """The app's claim on a database, held while it runs."""

    def __init__(self, db_path: str | Path):
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the claim; False when another live app process has it."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def app_running(db_path: str | Path) -> bool:
    """True while an app process holds its claim on this database."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def is_lock_conflict(exc: BaseException) -> bool:
    """DuckDB's answer when another process has the file open."""
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text


# ---------------------------------------------------------------- the command's side


class HandoverTimeout(TimeoutError):
    """The running app did not answer in time. ``withdrawn``: the request was taken back and will never
    be carried out; otherwise the app had already taken it and may still finish it."""

    def __init__(self, where: str, withdrawn: bool):
        super().__init__(where)
        self.withdrawn = withdrawn


class HandoverFailed(RuntimeError):
    """The app took the request and could not carry it out; the message says why."""


def hand_over(
    db_path: str | Path,
    kind: str,
    payload: dict | None = None,
    files: Sequence[Path] = (),
    timeout: float = 120.0,
    poll: float = 0.1,
):
    """Give work to the running app and wait for its answer (JSON)."""
    folder = requests_dir(db_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    rid = f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
    part = folder / f"{rid}.part"
    part.mkdir(mode=0o700)
    listed = []
    for i, path in enumerate(files):
        stored = f"{i:04d}{Path(path).suffix.lower()}"
        if not _STORED_AS.match(stored):
            stored = f"{i:04d}"
        shutil.copyfile(path, part / stored)
        listed.append({"name": Path(path).name, "path": str(path), "stored_as": stored})
    body = {"kind": kind, "payload": payload or {}, "files": listed}
    (part / "request.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    waiting = folder / rid
    os.replace(part, waiting)  # the app only looks at complete requests
    taken = folder / f"{rid}.taken"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = taken / "answers.json"
        if answer.exists():
            result = json.loads(answer.read_text(encoding="utf-8"))
            shutil.rmtree(taken, ignore_errors=True)
            if isinstance(result, dict) and "error" in result:
                raise HandoverFailed(result["error"])
            return result
        time.sleep(poll)
    try:  # withdraw it if the app has not taken it: it must not be carried out days later
        os.replace(waiting, folder / f"{rid}.cancelled")
    except FileNotFoundError:
        raise HandoverTimeout(str(taken), withdrawn=False) from None
    shutil.rmtree(folder / f"{rid}.cancelled", ignore_errors=True)
    raise HandoverTimeout(str(waiting), withdrawn=True)


# ---------------------------------------------------------------- the app's side


class RequestError(ValueError):
    """A request that cannot be carried out as written."""


def _file_in(req: Path, stored_as: object) -> Path:
    """A request's file, only if it is a plain name of a regular file inside the request folder."""
    if not isinstance(stored_as, str) or not _STORED_AS.match(stored_as):
        raise RequestError(f"tên tệp không hợp lệ / invalid stored_as: {str(stored_as)[:80]!r}")
    path = req / stored_as
    st = os.lstat(path)
    import stat

    if not stat.S_ISREG(st.st_mode):
        raise RequestError(f"không phải tệp thường / not a regular file: {stored_as}")
    if path.resolve().parent != req.resolve():
        raise RequestError(f"tệp ngoài yêu cầu / outside the request: {stored_as}")
    return path


def load_request(req: Path) -> dict:
    """The request's JSON, checked: a known kind, files that really lie inside the request folder."""
    meta_path = req / "request.json"
    if meta_path.is_symlink() or not meta_path.is_file() or meta_path.stat().st_size > MAX_REQUEST_JSON:
        raise RequestError("request.json thiếu hoặc không hợp lệ / missing or invalid request.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if not isinstance(meta, dict) or meta.get("kind", "ingest") not in KINDS:
        raise RequestError(f"loại yêu cầu không rõ / unknown request kind: {str(meta.get('kind'))[:40]!r}")
    files = meta.get("files") or []
    if not isinstance(files, list):
        raise RequestError("files phải là danh sách / files must be a list")
    meta["kind"] = meta.get("kind", "ingest")
    meta["payload"] = meta.get("payload") if isinstance(meta.get("payload"), dict) else {}
    meta["files"] = [
        {
            "name": str(f.get("name") or "?"),
            "path": str(f.get("path") or f.get("name") or "?"),
            "file": _file_in(req, f.get("stored_as")),
        }
        for f in files
        if isinstance(f, dict)
    ]
    return meta


def serve(db_path: str | Path, handle: Callable[[Path, dict], object]) -> int:
    """Carry out every complete request, oldest first: ``handle(request_folder, request)`` returns the
    JSON answer. A request that fails gets an answer saying why; nothing is retried forever."""
    folder = requests_dir(db_path)
    if not folder.is_dir():
        return 0
    done = 0
    now = time.time()
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if entry.is_symlink() or not entry.is_dir():
            _remove(entry)
            continue
        if name.endswith((".part", ".taken", ".cancelled")):
            try:
                if now - entry.stat().st_mtime > STALE_S:
                    _remove(entry)  # a command that died while writing, or never came back for its answer
            except FileNotFoundError:
                pass
            continue
        taken = folder / f"{name}.taken"
        try:
            os.replace(entry, taken)
        except FileNotFoundError:  # withdrawn by its command a moment ago
            continue
        try:
            answer = handle(taken, load_request(taken))
        except Exception as exc:  # a bad request or a failure: answer it, log it, go on
            log.exception("hand-over request %s", name)
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        write_atomic(taken / "answers.json", json.dumps(answer, ensure_ascii=False, default=str).encode("utf-8"))
        done += 1
    return done


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass
