"""The inbox: a watched folder where reports are dropped (e.g. a shared network folder).

One worker inside the app process ingests each arriving file, in arrival order, once it has stopped
growing, through the same reader and store, then removes it from the inbox (the archive keeps the
bytes; a rejected file's error report sits beside its archived copy). A file in a sub-folder named
after a unit is that unit's report. The worker survives bad files and takes the files already
waiting when it starts. watchdog reports new files at once; a periodic scan catches what a network
share does not report.

The command line hands its files to a running app through the same folder: it writes a request
(`.requests/<id>/`, files and request.json, renamed into place when complete), the worker ingests
them with source "cli" and writes `answers.json` beside them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .archive import write_atomic
from .store import Incoming, Outcome, Store, local_now

log = logging.getLogger(__name__)

REQUESTS = ".requests"
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
    last: dict | None = None  # the last file ingested: time, name, status, unit
    recent: list[dict] = field(default_factory=list)
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
        self._observer = None
        self._seen: dict[Path, tuple[int, float, float]] = {}  # path -> (size, mtime, first seen stable at)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> InboxWorker:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / REQUESTS).mkdir(exist_ok=True)
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
        self.state.running = False

    def _start_watchdog(self) -> None:
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:  # the periodic scan still works
            return

        worker = self

        class Wake(FileSystemEventHandler):
            def on_any_event(self, event):  # created, modified, moved: look again soon
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
            try:
                busy = self.step()
            except Exception as exc:  # never let one bad moment end the worker
                log.exception("inbox worker")
                self.state.last_error = f"{type(exc).__name__}: {exc}"
                self.state.failures += 1
                busy = False
            # While files are settling, look again soon; otherwise wait for an event or the next scan.
            self._wake.wait(min(self.settle_s / 2, 0.5) if busy or self._seen else self.scan_s)
            self._wake.clear()

    def step(self) -> bool:
        """One pass: answer CLI requests, ingest every settled file in arrival order. True if work remains."""
        self._requests()
        now = time.monotonic()
        waiting = []
        for path in self._files():
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            prev = self._seen.get(path)
            if prev is None or prev[0] != st.st_size or prev[1] != st.st_mtime:
                self._seen[path] = (st.st_size, st.st_mtime, now)
                continue
            if now - prev[2] >= self.settle_s and (self._complete(path) or now - prev[2] > self.incomplete_max_s):
                waiting.append((st.st_mtime, path))
        for gone in [p for p in self._seen if not p.exists()]:
            self._seen.pop(gone, None)
        waiting.sort()
        self.state.queued = [str(p.relative_to(self.root)) for p in self._seen]
        for _, path in waiting:
            self._ingest_file(path)
        return bool(self._seen)

    def _files(self) -> list[Path]:
        out = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                path = Path(dirpath) / name
                if is_candidate(path, self.root):
                    out.append(path)
        return out

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
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.state.last_error = f"{path.name}: {exc}"
            return
        (outcome,) = self.store.ingest_many([Incoming(data, path.name, source="inbox", unit_hint=self.unit_hint(path))])
        # The archive has the bytes (and a rejected file's error report): the inbox is emptied.
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        self._seen.pop(path, None)
        self._note(outcome, path.name)

    def _note(self, outcome: Outcome, name: str) -> None:
        self.state.processed += 1
        self.state.last = {
            "at": local_now(self.store.config),
            "file": name,
            "status": outcome.status,
            "unit": outcome.unit,
        }
        self.state.recent = ([self.state.last] + self.state.recent)[:20]

    # ------------------------------------------------------------ CLI hand-over
    def _requests(self) -> None:
        folder = self.root / REQUESTS
        if not folder.exists():
            return
        for req in sorted(folder.iterdir()):
            if not req.is_dir() or req.name.endswith(".part") or (req / "answers.json").exists():
                continue
            meta_path = req / "request.json"
            if not meta_path.exists():
                continue
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            items = [
                Incoming((req / f["stored_as"]).read_bytes(), f["name"], source="cli", unit_hint=meta.get("unit_hint"))
                for f in meta["files"]
            ]
            outcomes = self.store.ingest_many(items)
            for outcome, f in zip(outcomes, meta["files"], strict=True):
                outcome.file = f["path"]
                self._note(outcome, f["name"])
            answers = [o.to_json() for o in outcomes]
            write_atomic(req / "answers.json", json.dumps(answers, ensure_ascii=False).encode("utf-8"))


class HandoverTimeout(TimeoutError):
    """The running app did not answer in time; the files wait in the inbox's request folder."""


def hand_over(
    inbox: str | Path, paths: list[Path], unit_hint: str | None, timeout: float = 120.0, poll: float = 0.2
) -> list[dict]:
    """Give files to the running app's inbox worker and wait for its answers (as Outcome.to_json())."""
    folder = Path(inbox) / REQUESTS
    folder.mkdir(parents=True, exist_ok=True)
    rid = f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
    part = folder / f"{rid}.part"
    part.mkdir()
    files = []
    for i, path in enumerate(paths):
        stored = f"{i:04d}{Path(path).suffix.lower()}"
        shutil.copyfile(path, part / stored)
        files.append({"name": Path(path).name, "path": str(path), "stored_as": stored})
    write_atomic(
        part / "request.json", json.dumps({"unit_hint": unit_hint, "files": files}, ensure_ascii=False).encode("utf-8")
    )
    done = folder / rid
    os.replace(part, done)  # the worker only looks at complete requests
    answers = done / "answers.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answers.exists():
            result = json.loads(answers.read_text(encoding="utf-8"))
            shutil.rmtree(done, ignore_errors=True)
            return result
        time.sleep(poll)
    raise HandoverTimeout(str(done))


def inbox_dir(config, db_path: str | Path) -> Path:
    """The inbox folder: [paths] inbox in the config (relative to the config file), else beside the database."""
    if config.inbox:
        p = Path(config.inbox)
        if not p.is_absolute() and config.source is not None:
            p = Path(config.source).resolve().parent / p
        return p
    return Path(db_path).resolve().parent / "inbox"
