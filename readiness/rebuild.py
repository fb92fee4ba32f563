"""Rebuild: recreate the submissions and tasks from the archive alone, every receipt replayed in
arrival order, so that the board shows the same figures as the live database."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from .archive import Archive, Receipt
from .auth import User
from .config import Config
from .store import Incoming, Outcome, Store, default_archive

log = logging.getLogger(__name__)

BATCH = 200  # files replayed per transaction: bounded memory, few commits


def rebuild(
    db_path: str | Path, config: Config, archive_dir: str | Path | None = None, store: Store | None = None
) -> list[Outcome]:
    """Recreate the submissions and tasks from the archive alone: every receipt replayed in arrival order.

    The database file is never replaced under an open connection: the replay is built in a scratch
    file, then copied into the live database in one transaction (the audit trail stays). Pass the
    app's own ``store`` to rebuild through its connection; otherwise the database is opened here,
    which takes its lock (one writer).
    """
    db_path = Path(db_path)
    archive = Archive(archive_dir or default_archive(db_path))
    target = store or Store(db_path, config, archive.root)
    tmp = db_path.with_name(db_path.name + ".rebuild")
    try:
        for p in (tmp, Path(str(tmp) + ".wal")):
            p.unlink(missing_ok=True)
        with Store(tmp, config, archive.root, reconcile=False) as scratch:
            outcomes = replay(scratch, archive)
            scratch.con.execute("CHECKPOINT")
        target.replace_contents(tmp)
    finally:
        for p in (tmp, Path(str(tmp) + ".wal")):
            p.unlink(missing_ok=True)
        if store is None:
            target.close()
    return outcomes


def replay(store: Store, archive: Archive) -> list[Outcome]:
    """Ingest every archived arrival, withdrawal and plan into ``store``, in order, without recording them again."""
    outcomes: list[Outcome] = []
    batch: list[Incoming] = []

    def flush() -> None:
        nonlocal outcomes
        if batch:
            outcomes += store.ingest_many(batch)
            batch.clear()

    for event in archive.events():
        if isinstance(event, Receipt):
            allowed = None if event.allowed_units is None else tuple(event.allowed_units)
            try:
                data = archive.get(event.sha256)
            except OSError:  # a receipt whose bytes are gone cannot be replayed; the rest can
                log.error("rebuild: archived bytes missing for %s (%s)", event.sha256, event.original_name)
                continue
            batch.append(
                Incoming(
                    data,
                    event.original_name,
                    event.source,
                    event.unit_hint,
                    event.submitted_by,
                    event.received,
                    False,
                    allowed,
                )
            )
            if len(batch) >= BATCH:
                flush()
        elif event.get("kind") == "plan":
            flush()
            try:
                data = archive.get(event["sha256"])
            except OSError:
                log.error(
                    "rebuild: archived bytes missing for plan %s (%s)", event["sha256"], event.get("original_name")
                )
                continue
            at = dt.datetime.fromisoformat(event["at"])
            store.load_plan(
                data,
                event.get("original_name") or "?",
                source=event.get("source") or "cli",
                by=event.get("by"),
                at=at,
                record=False,
            )
        elif event.get("kind") == "withdraw":
            flush()
            received_at = dt.datetime.fromisoformat(event["received_at"])
            accepted = [sid for sid, status, _ in store.stored_as(event["sha256"], received_at) if status == "accepted"]
            if accepted:
                who = User(event["by"], "secretariat") if event.get("by") else None
                store.withdraw(accepted[0], who, event["reason"], dt.datetime.fromisoformat(event["at"]), record=False)
    flush()
    return outcomes
