"""The DuckDB store: config, every submission with its answer, every task of every accepted report.

Storing is a separate, transactional step after the pure read: bytes go to the archive first, then
one transaction writes the submission and its tasks. History is never deleted; the latest report
of a unit (by report date, then arrival) is the one that counts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from . import queries
from .archive import Archive, Receipt, sha256
from .config import Config
from .messages import Message
from .reader import Names, Report, read_report

SCHEMA = (Path(__file__).parent / "sql" / "schema.sql").read_text(encoding="utf-8")
SOURCES = ("upload", "inbox", "cli")
TASK_COLUMNS = [
    "submission_id",
    "sheet",
    "row_no",
    "code",
    "task",
    "task_key",
    "subcommittee",
    "deadline",
    "status",
    "percent",
    "owner",
    "weight",
    "note",
    "extra",
]


@dataclass
class Outcome:
    """The answer to one file: accepted, rejected or duplicate."""

    file: str
    status: str
    unit: str | None = None
    tasks: int = 0
    report_date: dt.date | None = None
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    submission_id: int | None = None
    sha256: str = ""
    duplicate_of: int | None = None

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "unit": self.unit,
            "tasks": self.tasks,
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "errors": [m.to_dict() for m in self.errors],
            "warnings": [m.to_dict() for m in self.warnings],
            "submission_id": self.submission_id,
            "sha256": self.sha256,
        }


def local_now(config: Config) -> dt.datetime:
    """Now, as a naive local time in the exercise's time zone (how times are stored)."""
    return dt.datetime.now(ZoneInfo(config.timezone)).replace(tzinfo=None)


def default_archive(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "archive"


class Store:
    """One door to the database file."""

    def __init__(
        self,
        db_path: str | Path,
        config: Config,
        archive_dir: str | Path | None = None,
        read_only: bool = False,
    ):
        self.path = Path(db_path)
        self.config = config
        self.archive = Archive(archive_dir or default_archive(self.path))
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self.con.execute(SCHEMA)
            self.sync_config()
        self._names = Names(config)

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def sync_config(self) -> None:
        """Make the database's copy of the config match the TOML file."""
        c = self.config
        con = self.con
        con.execute("BEGIN")
        try:
            for table in ("exercise", "milestones", "subcommittees", "units"):
                con.execute(f"DELETE FROM {table}")  # table names are constants, not user input
            con.execute(
                "INSERT INTO exercise VALUES (?, ?, ?, ?)", [c.name, c.d_day, c.report_interval_days, c.timezone]
            )
            if c.milestones:
                con.executemany(
                    "INSERT INTO milestones VALUES (?, ?, ?, ?)",
                    [[i, m.name, m.name_en, m.date] for i, m in enumerate(c.milestones)],
                )
            con.executemany(
                "INSERT INTO subcommittees VALUES (?, ?, ?, ?)",
                [[s.name, s.short, s.name_en, i] for i, s in enumerate(c.subcommittees)],
            )
            con.executemany("INSERT INTO units VALUES (?, ?, ?)", [[u.name, u.level, i] for i, u in enumerate(c.units)])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------ reading
    def data_version(self) -> int:
        """A number that changes whenever what the board shows may change."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def query(self, name: str, today: dt.date | None = None, **params) -> pd.DataFrame:
        """Run queries/NAME.sql with today's date (exercise time zone) unless given."""
        today = today or local_now(self.config).date()
        return queries.run(self.con.cursor(), name, today=today, **params)

    def records(self, name: str, today: dt.date | None = None, **params) -> list[dict]:
        """Like query, as a list of dicts of Python values."""
        today = today or local_now(self.config).date()
        return queries.records(self.con.cursor(), name, today=today, **params)

    # ------------------------------------------------------------ writing
    def ingest_path(self, path: str | Path, **kw) -> Outcome:
        path = Path(path)
        return self.ingest_bytes(path.read_bytes(), path.name, **kw)

    def ingest_bytes(
        self,
        data: bytes,
        filename: str,
        source: str = "cli",
        unit_hint: str | None = None,
        submitted_by: str | None = None,
        received_at: dt.datetime | None = None,
        record: bool = True,
    ) -> Outcome:
        """Archive the bytes, read them, store the answer. Never raises on a bad file."""
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        received_at = received_at or local_now(self.config)
        digest = sha256(data)
        if record:
            self.archive.put(data, digest)
            self.archive.record(Receipt(digest, filename, received_at.isoformat(), source, unit_hint, submitted_by))
        limit = self.config.max_upload_mb * 1024 * 1024
        original = self._accepted_with(digest)
        if original is not None:
            return self._store_duplicate(digest, filename, source, unit_hint, submitted_by, received_at, original)
        if len(data) > limit:
            report = Report(filename)
            report.errors.append(
                Message(
                    "too_large",
                    params={"size_mb": f"{len(data) / 1048576:.1f}", "limit_mb": str(self.config.max_upload_mb)},
                )
            )
        else:
            report = read_report(data, filename, self.config, unit_hint, received_at, self._names)
        outcome = self._store_report(report, digest, filename, source, unit_hint, submitted_by, received_at)
        if outcome.status == "rejected" and record:
            self.archive.write_error_report(digest, [m.to_dict() for m in outcome.errors])
        return outcome

    def _accepted_with(self, digest: str) -> tuple[int, str | None] | None:
        row = self.con.execute(
            "SELECT id, unit FROM submissions WHERE sha256 = ? AND status = 'accepted' AND withdrawn_at IS NULL "
            "ORDER BY id LIMIT 1",
            [digest],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def _insert_submission(self, con, values: dict) -> int:
        cols = list(values)
        placeholders = ", ".join("?" for _ in cols)
        return con.execute(
            f"INSERT INTO submissions ({', '.join(cols)}) VALUES ({placeholders}) RETURNING id",  # names are ours
            list(values.values()),
        ).fetchone()[0]

    def _bump_version(self, con) -> None:
        con.execute(
            "INSERT INTO meta VALUES ('data_version', '1') ON CONFLICT (key) DO UPDATE "
            "SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS VARCHAR)"
        )

    def _store_duplicate(self, digest, filename, source, unit_hint, submitted_by, received_at, original) -> Outcome:
        con = self.con
        con.execute("BEGIN")
        try:
            sid = self._insert_submission(
                con,
                dict(
                    sha256=digest,
                    original_name=filename,
                    received_at=received_at,
                    source=source,
                    submitted_by=submitted_by,
                    unit=original[1],
                    unit_hint=unit_hint,
                    status="duplicate",
                    n_tasks=0,
                    errors="[]",
                    warnings="[]",
                ),
            )
            self._bump_version(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return Outcome(filename, "duplicate", original[1], 0, None, [], [], sid, digest, original[0])

    def _store_report(self, report: Report, digest, filename, source, unit_hint, submitted_by, received_at) -> Outcome:
        con = self.con
        status = report.status
        con.execute("BEGIN")
        try:
            sid = self._insert_submission(
                con,
                dict(
                    sha256=digest,
                    original_name=filename,
                    received_at=received_at,
                    source=source,
                    submitted_by=submitted_by,
                    unit=report.unit,
                    unit_hint=unit_hint,
                    report_date=report.report_date if status == "accepted" else None,
                    status=status,
                    n_tasks=len(report.tasks),
                    errors=json.dumps([m.to_dict() for m in report.errors], ensure_ascii=False),
                    warnings=json.dumps([m.to_dict() for m in report.warnings], ensure_ascii=False),
                    file_kind=report.kind,
                ),
            )
            if status == "accepted" and report.tasks:
                frame = pd.DataFrame(
                    {
                        "submission_id": sid,
                        "sheet": [t.sheet for t in report.tasks],
                        "row_no": [t.row for t in report.tasks],
                        "code": [t.code for t in report.tasks],
                        "task": [t.task for t in report.tasks],
                        "task_key": [t.task_key for t in report.tasks],
                        "subcommittee": [t.subcommittee for t in report.tasks],
                        "deadline": pd.array([t.deadline for t in report.tasks], dtype="object"),
                        "status": [t.status for t in report.tasks],
                        "percent": pd.array([t.percent for t in report.tasks], dtype="Float64"),
                        "owner": [t.owner for t in report.tasks],
                        "weight": [t.weight for t in report.tasks],
                        "note": [t.note for t in report.tasks],
                        "extra": [json.dumps(t.extra, ensure_ascii=False) if t.extra else None for t in report.tasks],
                    }
                )
                con.register("incoming_tasks", frame)
                con.execute(
                    f"INSERT INTO tasks ({', '.join(TASK_COLUMNS)}) "
                    f"SELECT {', '.join(TASK_COLUMNS)} FROM incoming_tasks"
                )
                con.unregister("incoming_tasks")
            self._bump_version(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return Outcome(
            filename,
            status,
            report.unit,
            len(report.tasks),
            report.report_date,
            report.errors,
            report.warnings,
            sid,
            digest,
        )

    # ------------------------------------------------------------ history
    def submissions(self) -> pd.DataFrame:
        return self.query("submissions")


def rebuild(db_path: str | Path, config: Config, archive_dir: str | Path | None = None) -> list[Outcome]:
    """Recreate the database from the archive alone: every receipt replayed in arrival order."""
    db_path = Path(db_path)
    archive = Archive(archive_dir or default_archive(db_path))
    tmp = db_path.with_name(db_path.name + ".rebuild")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    outcomes = []
    with Store(tmp, config, archive.root) as store:
        for receipt in archive.receipts():
            outcomes.append(
                store.ingest_bytes(
                    archive.get(receipt.sha256),
                    receipt.original_name,
                    source=receipt.source,
                    unit_hint=receipt.unit_hint,
                    submitted_by=receipt.submitted_by,
                    received_at=receipt.received,
                    record=False,
                )
            )
        store.con.execute("CHECKPOINT")
    os.replace(tmp, db_path)
    Path(str(db_path) + ".wal").unlink(missing_ok=True)
    return outcomes
