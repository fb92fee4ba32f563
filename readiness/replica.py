"""Beyond one machine: the writer publishes a read-only snapshot of its database after each write, and
board replicas answer pages and the API from the newest one (docs/deployment.md).

The writer (READINESS_PUBLISH=1) copies its database, checkpointed, under its write lock (so no write
is half in it) to a new file in snapshots/ beside the database, then points `<name>.latest` at it with
an atomic rename. A published file is never written again: a replica that has one open keeps reading
it while the next appears; old ones are removed once three newer exist (a reader that still has one
open keeps its inode on Linux). Writes that come quickly share one snapshot (at most one per
MIN_INTERVAL_S, the last write always included).

A replica (READINESS_REPLICA=1, or `-- --replica`) never opens the writer's database: it opens the
newest snapshot read-only, looks for a newer one every FOLLOW_S seconds (one small file read), switches
to it and tells its open boards (readiness.push). Uploads on a replica are handed to the writer through
its request folder (readiness.handover, as the command line does) and answered with the writer's
outcome; plans and the audit trail go the same way. A withdrawal is done on the writer's board.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .config import Config
from .i18n import Problem
from .store import Incoming, Outcome, Store, default_archive, sent_by

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 0.5  # at most one snapshot this often; a burst of writes shares one
KEEP = 3  # published snapshots kept besides the newest
RETRY_MAX_S = 30  # a failed snapshot is tried again after 1, 2, 4 … s, at most this
FOLLOW_S = 0.25  # how often a replica reads the pointer to the newest snapshot
HANDOVER_TIMEOUT_S = 120.0  # an upload on a replica waits this long for the writer, then is withdrawn


class ReplicaReadOnly(Problem, PermissionError):
    """A write a replica cannot hand to the writer."""


def snapshot_dir(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "snapshots"


def pointer(db_path: str | Path) -> Path:
    """The file naming the newest snapshot of a database."""
    return snapshot_dir(db_path) / f"{Path(db_path).stem}.latest"


def newest(db_path: str | Path) -> Path | None:
    """The newest published snapshot of a database, or None before the first."""
    try:
        name = pointer(db_path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = snapshot_dir(db_path) / name
    return path if name and path.exists() else None


# ---------------------------------------------------------------- the writer


class Publisher:
    """Publishes a snapshot of a store after each write (from a thread of its own: the write that
    committed does not wait for the copy)."""

    def __init__(self, store: Store):
        self.store = store
        self.folder = snapshot_dir(store.path)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._wanted = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="snapshot-publisher", daemon=True)
        self.published: int | None = None
        self.failures = 0  # snapshots that failed in a row (retried with a growing wait)

    def start(self) -> Publisher:
        self.store.on_change.append(self.changed)
        self._thread.start()
        self._wanted.set()  # the state at start: a replica started first has something to open
        return self

    def changed(self, _version: int) -> None:
        self._wanted.set()

    def stop(self, timeout: float = 10) -> None:
        self._stopping = True
        self._wanted.set()
        self._thread.join(timeout)
        if self.changed in self.store.on_change:
            self.store.on_change.remove(self.changed)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopping:
                return
            self._wanted.clear()
            try:
                self.publish()
                self.failures = 0
            except Exception:  # a full disk must not stop the next try; the writer's board is unaffected
                log.exception("snapshot")
                self.failures += 1
                # try again without waiting for another write: the replicas would lag until one came
                time.sleep(min(RETRY_MAX_S, MIN_INTERVAL_S * 2**self.failures))
                self._wanted.set()
            time.sleep(MIN_INTERVAL_S)

    def publish(self) -> Path:
        """Copy the database as it is now to a new snapshot and point the replicas at it."""
        store = self.store
        with store._write:  # no write may land between the checkpoint and the copy
            version = store.data_version()
            store.con.execute("CHECKPOINT")
            final = self.folder / f"{store.path.stem}-v{version:08d}-{time.time_ns()}.duckdb"
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".part-", suffix=".duckdb")
            os.close(fd)
            try:
                shutil.copyfile(store.path, tmp)
                os.replace(tmp, final)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".part-", suffix=".latest")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(final.name)
        os.replace(tmp, pointer(store.path))
        self.published = version
        self._prune(final)
        return final

    def _prune(self, keep: Path) -> None:
        old = sorted(p for p in self.folder.glob(f"{self.store.path.stem}-v*.duckdb") if p != keep)
        for path in old[: max(0, len(old) - KEEP)]:
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------- a replica


class ReplicaStore(Store):
    """A store on one published snapshot, read-only; its writes go to the writer."""

    def __init__(self, snapshot: Path, writer_db: Path, config: Config, follower: Follower | None = None):
        super().__init__(snapshot, config, archive_dir=default_archive(writer_db), read_only=True)
        self.writer_db = writer_db
        self.follower = follower

    def _hand_over(self, kind: str, payload: dict, files: list[Path]):
        """The writer's answer; a writer that does not answer is a clear refusal, never a crash."""
        from .handover import HandoverFailed, HandoverTimeout, hand_over

        try:
            return hand_over(self.writer_db, kind, payload, files, timeout=HANDOVER_TIMEOUT_S)
        except (HandoverTimeout, HandoverFailed) as exc:
            raise ReplicaReadOnly("err_replica_writer_away", detail=str(exc)) from exc

    def _caught_up(self, outcomes: list[Outcome]) -> None:
        """Wait (a second or two) until this replica's board shows what the writer just stored, so the
        page's "the board now counts it" is true when it says so."""
        stored = [o.submission_id for o in outcomes if o.submission_id is not None and o.status == "accepted"]
        if stored and self.follower is not None:
            self.follower.wait_for(lambda s: all(s.submission(i) is not None for i in stored))

    def ingest_many(self, items: list[Incoming], progress=None, user=None) -> list[Outcome]:
        """Hand the files to the writer, one request each, and return its answers."""
        outcomes = []
        with tempfile.TemporaryDirectory(prefix="replica-upload-") as folder:
            for i, item in enumerate(sent_by(items, user)):
                path = Path(folder) / str(i) / (Path(item.filename).name or "file")  # the name the writer records
                path.parent.mkdir()
                path.write_bytes(item.data)
                payload = {
                    "by": item.submitted_by,
                    "unit_hint": item.unit_hint,
                    "source": item.source,
                    "allowed_units": list(item.allowed_units) if item.allowed_units is not None else None,
                }
                (answer,) = self._hand_over("ingest", payload, [path])
                outcome = Outcome.from_json(answer)
                outcomes.append(outcome)
                if progress is not None:
                    progress(i + 1, len(items), outcome)
        self._caught_up(outcomes)
        return outcomes

    def audit(self, actor, action, target=None, detail=None) -> None:
        """Sent to the writer without waiting (a login on a replica must not wait for it)."""
        from .handover import hand_over

        payload = {"actor": actor, "action": action, "target": target, "detail": detail}

        def send():
            try:
                hand_over(self.writer_db, "audit", payload, [], timeout=60)
            except Exception:
                log.exception("audit handed to the writer")

        threading.Thread(target=send, name="replica-audit", daemon=True).start()

    def withdraw(self, *args, **kw):
        raise ReplicaReadOnly("err_replica_read_only")

    def load_plan(self, data: bytes, filename: str, source: str = "upload", user=None, **kw):
        """Hand the plan to the writer (the secretariat only, checked here and there) and return its answer."""
        from .plans import PlanOutcome, may_plan

        may_plan(user)
        with tempfile.TemporaryDirectory(prefix="replica-plan-") as folder:
            path = Path(folder) / (Path(filename).name or "plan")
            path.write_bytes(data)
            answer = self._hand_over("plan", {"by": user.username if user else kw.get("by")}, [path])
        return PlanOutcome.from_json(answer)


class Follower:
    """Keeps a replica on the newest snapshot: `on_switch(store)` is called with each newer one."""

    def __init__(self, writer_db: Path, config: Config, on_switch: Callable[[ReplicaStore], None]):
        self.writer_db = Path(writer_db)
        self.config = config
        self.on_switch = on_switch
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="replica-follower", daemon=True)
        self.current: Path | None = None
        self.store: ReplicaStore | None = None

    def open_newest(self, wait_s: float = 30) -> ReplicaStore:
        """The store on the newest snapshot (waiting up to wait_s for a first one)."""
        deadline = time.monotonic() + wait_s
        while (snap := newest(self.writer_db)) is None:
            if time.monotonic() > deadline:
                raise ReplicaReadOnly("err_replica_no_snapshot", folder=str(snapshot_dir(self.writer_db)))
            time.sleep(FOLLOW_S)
        self.current = snap
        self.store = ReplicaStore(snap, self.writer_db, self.config, follower=self)
        return self.store

    def start(self) -> Follower:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.wait(FOLLOW_S):
            snap = newest(self.writer_db)
            if snap is None or snap == self.current:
                continue
            try:
                store = ReplicaStore(snap, self.writer_db, self.config, follower=self)
            except Exception:  # removed under us, or half-visible on a network share: next time
                log.exception("opening snapshot %s", snap)
                continue
            self.current = snap
            self.on_switch(store)
            self.store = store  # after on_switch: the pages already use it

    def wait_for(self, ready: Callable[[Store], bool], timeout: float = 10) -> bool:
        """Wait until the store this replica serves satisfies `ready` (False after `timeout`)."""
        deadline = time.monotonic() + timeout
        while self._thread.is_alive() and time.monotonic() < deadline:
            try:
                if self.store is not None and ready(self.store):
                    return True
            except Exception:  # the store was closed as a newer one came: look again
                pass
            time.sleep(FOLLOW_S / 2)
        return False
