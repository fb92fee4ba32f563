"""The inbox: a watched folder where reports are dropped (e.g. a shared network folder).

One worker inside the app process ingests each arriving file, in arrival order, once it has stopped
growing, through the same reader and store, then removes it from the inbox (the archive keeps the
bytes; a rejected file's error report sits beside its archived copy). A file in a sub-folder named
after a unit is that unit's report. The worker survives bad files and takes the files already
waiting when it starts. watchdog reports new files at once; a periodic scan catches what a network
share does not report.

Only regular files that really lie inside the inbox are taken: a symlink, a device or a pipe is
moved aside, never followed or opened. A file that cannot be processed after a few tries goes to
`.quarantine/` with a note, and the worker moves on to the files behind it.

The command line hands its work to the running app through `readiness.handover` (a request folder
beside the database, not in the inbox); this worker carries the requests out.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import handover
from .rebuild import rebuild
from .store import Incoming, Outcome, Store, local_now

if TYPE_CHECKING:
    from watchdog.observers.api import BaseObserver

log = logging.getLogger(__name__)

QUARANTINE = ".quarantine"
MAX_TRIES = 3  # a file that fails this often is quarantined
TMP_STALE_S = 600.0  # our own temporary files older than this are leftovers of a crash
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial", ".swp")
SETTLE_S = 0.5  # a file must keep its size this long before it is read (an .xlsx also needs its zip directory)
SCAN_S = 5.0  # full rescan period (network shares do not always send change events)
INCOMPLETE_MAX_S = 60.0  # a workbook whose zip directory is still missing is read anyway after this


def is_candidate(path: Path, root: Path) -> bool:
    """A file the worker should take: not hidden, not an editor's lock or a partial download."""
    rel = path.relative_to(root)
    if any(part.startswith(".") for part in rel.parts):
        return False
    name = path.name
    return not (name.startswith("~$") or name.lower().endswith(IGNORED_SUFFIXES))


@dataclass
class WorkerState:
    """What the health page shows."""

    running: bool = False
    started_at: dt.datetime | None = None
    processed: int = 0
    failures: int = 0
    quarantined: int = 0
    last: dict | None = None  # the last file ingested: time, name, status, unit
    queued: list[str] = field(default_factory=list)
    last_error: str | None = None


class InboxWorker:
    def __init__(
        self,
        store: Store,
        inbox: str | Path,
        settle_s: float = SETTLE_S,
        scan_s: float = SCAN_S,
        incomplete_max_s: float = INCOMPLETE_MAX_S,
    ):
        self.store = store
        self.root = Path(inbox)
        self.settle_s = settle_s
        self.scan_s = scan_s
        self.incomplete_max_s = incomplete_max_s
        self.state = WorkerState()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._observer: BaseObserver | None = None
        self._seen: dict[Path, tuple[int, float, float]] = {}  # path -> (size, mtime, first seen stable at)
        self._tries: dict[Path, int] = {}  # path -> failed attempts
        # Files renamed into the inbox (a copy tool's last step: the name appears only once the bytes
        # are whole), from the change events: taken at once, without the settle wait.
        self._moved_in: set[Path] = set()
        self.presence = handover.AppPresence(store.path)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> InboxWorker:
        self.root.mkdir(parents=True, exist_ok=True)
        self.presence.acquire()  # commands now hand their work to this process
        self.cleanup()
        self._start_watchdog()
        self._thread = threading.Thread(target=self._run, name="inbox-worker", daemon=True)
        self._thread.start()
        self.state.running = True
        self.state.started_at = local_now(self.store.config)
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout)
        if self._thread is not None:
            self._thread.join(timeout)
        self.presence.release()
        self.state.running = False

    def cleanup(self) -> None:
        """Remove our own leftovers of a crash: half-written archive files and old hand-over requests."""
        now = time.time()
        for folder in (self.store.archive.root / "files", self.store.archive.root / "receipts"):
            for dirpath, _dirs, files in os.walk(folder):
                for name in files:
                    if name.startswith(".tmp-"):
                        path = Path(dirpath) / name
                        try:
                            if now - path.lstat().st_mtime > TMP_STALE_S:
                                path.unlink()
                        except OSError:
                            pass

    def _start_watchdog(self) -> None:
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:  # the periodic scan still works
            return

        worker = self

        class Wake(FileSystemEventHandler):
            def on_any_event(self, event):  # created, modified, moved: look again soon
                if event.event_type == "moved" and not event.is_directory:
                    worker._moved_in.add(Path(os.fsdecode(event.dest_path)))
                worker._wake.set()

        try:
            self._observer = Observer()
            self._observer.schedule(Wake(), str(self.root), recursive=True)
            self._observer.daemon = True
            self._observer.start()
        except OSError as exc:  # e.g. out of inotify watches: the scan carries on
            log.warning("inbox: no change events (%s); scanning every %.0f s", exc, self.scan_s)
            self._observer = None

    # ------------------------------------------------------------ the loop
    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before the pass: a change while it runs ends the wait below at once
            try:
                busy = self.step()
            except Exception as exc:  # never let one bad moment end the worker
                log.exception("inbox worker")
                self.state.last_error = f"{type(exc).__name__}: {exc}"
                self.state.failures += 1
                busy = False
            # While files are settling, look again soon; otherwise wait for an event or the next scan.
            self._wake.wait(min(self.settle_s / 2, 0.5) if busy or self._seen else self.scan_s)

    def step(self) -> bool:
        """One pass: answer CLI requests, ingest every settled file in arrival order. True if work remains."""
        handover.serve(self.store.path, self._request)
        now = time.monotonic()
        waiting = []
        for path in self._files():
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            prev = self._seen.get(path)
            changed = prev is None or prev[0] != st.st_size or prev[1] != st.st_mtime
            if changed:
                self._seen[path] = (st.st_size, st.st_mtime, now)
            # Renamed into place (the event may come after a pass has already seen the name): whole now.
            if path in self._moved_in and self._complete(path):
                waiting.append((st.st_mtime, path))
                continue
            if changed or prev is None:
                continue
            if now - prev[2] >= self.settle_s and (self._complete(path) or now - prev[2] > self.incomplete_max_s):
                waiting.append((st.st_mtime, path))
        for gone in [p for p in self._seen if not p.exists()]:
            self._seen.pop(gone, None)
        for gone in [p for p in list(self._moved_in) if not p.exists()]:
            self._moved_in.discard(gone)
        waiting.sort()
        self.state.queued = [str(p.relative_to(self.root)) for p in self._seen]
        for _, path in waiting:
            try:
                self._ingest_file(path)
            except Exception as exc:  # the database or the disk failed: try again a few times, then set aside
                log.exception("inbox: %s", path)
                self.state.last_error = f"{path.name}: {type(exc).__name__}: {exc}"
                self.state.failures += 1
                tries = self._tries[path] = self._tries.get(path, 0) + 1
                if tries >= MAX_TRIES:
                    self._quarantine(path, f"{tries} lần xử lý lỗi / failed {tries} times: {type(exc).__name__}: {exc}")
        return bool(self._seen)

    def _files(self) -> list[Path]:
        import stat

        out = []
        root = self.root.resolve()
        for dirpath, dirnames, filenames in os.walk(self.root):  # never follows a linked folder
            keep = []
            for d in dirnames:
                if d.startswith("."):
                    continue
                if os.path.islink(os.path.join(dirpath, d)):
                    self._quarantine(
                        Path(dirpath) / d, "liên kết thư mục, không được theo / a linked folder, not followed"
                    )
                    continue
                keep.append(d)
            dirnames[:] = keep
            for name in filenames:
                path = Path(dirpath) / name
                if not is_candidate(path, self.root):
                    continue
                try:
                    mode = path.lstat().st_mode
                except FileNotFoundError:
                    continue
                if not stat.S_ISREG(mode):  # a symlink, pipe or device: never followed or opened
                    self._quarantine(
                        path, "không phải tệp thường (liên kết, thiết bị…) / not a regular file (a link, a device…)"
                    )
                    continue
                if not path.resolve().is_relative_to(root):
                    self._quarantine(path, "nằm ngoài thư mục nhận / outside the inbox")
                    continue
                out.append(path)
        return out

    def _quarantine(self, path: Path, why: str) -> None:
        """Set a file aside with a note saying why, so the worker can move on."""
        folder = self.root / QUARANTINE
        folder.mkdir(exist_ok=True)
        stamp = f"{dt.datetime.now():%Y%m%dT%H%M%S%f}"
        target = folder / f"{stamp}-{path.name}"
        try:
            os.replace(path, target)  # moves a link itself, never what it points to
        except OSError:
            try:
                path.unlink()
            except OSError:
                log.error("inbox: cannot move %s aside", path)
                return
        note = f"{path.relative_to(self.root) if path.is_relative_to(self.root) else path.name}\n{why}\n"
        (folder / f"{stamp}-{path.name}.note.txt").write_text(note, encoding="utf-8")
        log.warning("inbox: %s quarantined: %s", path.name, why)
        self.state.quarantined += 1
        self._seen.pop(path, None)
        self._tries.pop(path, None)

    @staticmethod
    def _complete(path: Path) -> bool:
        """A copy that paused is not a finished file: an .xlsx/.ods is complete once its zip directory
        (written last) is there. Other kinds are taken once their size holds."""
        import zipfile

        try:
            with open(path, "rb") as f:
                if f.read(4) != b"PK\x03\x04":
                    return True
            return zipfile.is_zipfile(path)
        except OSError:
            return False

    def unit_hint(self, path: Path) -> str | None:
        rel = path.relative_to(self.root)
        return rel.parts[0] if len(rel.parts) > 1 else None

    def _ingest_file(self, path: Path) -> None:
        item = Incoming.from_file(
            path, self.store.config, regular_only=True, source="inbox", unit_hint=self.unit_hint(path)
        )
        (outcome,) = self.store.ingest_many([item])
        # The archive has the bytes (and a rejected file's error report): the inbox is emptied.
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        self._seen.pop(path, None)
        self._tries.pop(path, None)
        self._note(outcome, path.name)

    def _note(self, outcome: Outcome, name: str) -> None:
        self.state.processed += 1
        self.state.last = {
            "at": local_now(self.store.config),
            "file": name,
            "status": outcome.status,
            "unit": outcome.unit,
        }

    # ------------------------------------------------------------ CLI hand-over
    def _request(self, folder: Path, req: dict):
        """Carry out one command's request (see readiness.handover) and return its JSON answer."""
        kind, payload = req["kind"], req["payload"]
        if kind == "ingest":
            by = str(payload["by"])[:100] if payload.get("by") else None
            # A replica's upload (readiness.replica) says so, and the units its sender may report for.
            source = "upload" if payload.get("source") == "upload" else "cli"
            allowed = payload.get("allowed_units")
            allowed = tuple(str(u) for u in allowed) if isinstance(allowed, list) else None
            items = [
                Incoming.from_file(
                    f["file"],
                    self.store.config,
                    f["name"],
                    regular_only=True,
                    source=source,
                    unit_hint=payload.get("unit_hint"),
                    submitted_by=by,
                    allowed_units=allowed,
                )
                for f in req["files"]
            ]
            outcomes = self.store.ingest_many(items)
            for outcome, f in zip(outcomes, req["files"], strict=True):
                outcome.file = f["path"]
                self._note(outcome, f["name"])
            return [o.to_json() for o in outcomes]
        if kind == "query":
            today = dt.date.fromisoformat(payload["today"]) if payload.get("today") else None
            params = payload.get("params") or {}
            df = self.store.query(str(payload.get("name")), today=today, **params)
            return {"columns": list(df.columns), "rows": json.loads(df.to_json(orient="values", date_format="iso"))}
        if kind == "plan":
            (f,) = req["files"]
            by = str(payload["by"])[:100] if payload.get("by") else None
            item = Incoming.from_file(f["file"], self.store.config, f["name"], regular_only=True, source="cli")
            if item.refused_size:
                raise handover.RequestError("plan: file too large")
            return self.store.load_plan(item.data, f["name"], source="cli", by=by).to_json()
        if kind == "plan_show":
            df = self.store.plan()
            return {"columns": list(df.columns), "rows": json.loads(df.to_json(orient="values", date_format="iso"))}
        if kind == "rebuild":
            outcomes = rebuild(self.store.path, self.store.config, self.store.archive.root, store=self.store)
            return {s: sum(o.status == s for o in outcomes) for s in ("accepted", "rejected", "duplicate")}
        if kind == "brief":
            # The bytes go back in the answer (base64): the app never writes where a command names.
            import base64

            from .brief import build_brief

            day = dt.date.fromisoformat(payload["today"]) if payload.get("today") else None
            since = dt.date.fromisoformat(payload["since"]) if payload.get("since") else None
            fmt, lang = str(payload.get("format") or "pdf"), "en" if payload.get("lang") == "en" else "vi"
            data = build_brief(self.store, day, since, fmt, lang)
            return {"format": fmt, "data": base64.b64encode(data).decode("ascii")}
        if kind == "audit":
            actor, action, target, detail = (
                str(payload[k])[:200] if payload.get(k) is not None else None
                for k in ("actor", "action", "target", "detail")
            )
            if action is None:  # the audit table requires one
                raise handover.RequestError("audit: no action")
            self.store.audit(actor, action, target, detail)
            return {"ok": True}
        raise handover.RequestError(kind)


def inbox_dir(config, db_path: str | Path) -> Path:
    """The inbox folder: [paths] inbox in the config (relative to the config file), else beside the database."""
    if config.inbox:
        p = Path(config.inbox)
        if not p.is_absolute() and config.source is not None:
            p = Path(config.source).resolve().parent / p
        return p
    return Path(db_path).resolve().parent / "inbox"
