"""The DuckDB store: config, every submission with its answer, every task of every accepted report.

Storing is a separate, transactional step after the pure read: bytes go to the archive first, then
one transaction writes the submission and its tasks. History is never deleted; the latest report
of a unit (by report date, then arrival) is the one that counts.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pyarrow as pa

from . import plans, queries, sql
from .archive import Archive, Receipt, sha256
from .auth import Forbidden, User
from .config import Config
from .i18n import Problem
from .messages import Message
from .reader import Report
from .sandbox import Job, Sandbox
from .text import fold, strip_controls

log = logging.getLogger(__name__)

SOURCES = ("upload", "inbox", "cli")
PREVIEW_ID = 0  # a report being previewed stands in as this submission id, which no stored report has


_TEXT = pa.string()
SUBMISSION_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("sha256", _TEXT),
        ("original_name", _TEXT),
        ("received_at", pa.timestamp("us")),
        ("source", _TEXT),
        ("submitted_by", _TEXT),
        ("unit", _TEXT),
        ("unit_hint", _TEXT),
        ("report_date", pa.date32()),
        ("status", _TEXT),
        ("n_tasks", pa.int32()),
        ("errors", _TEXT),
        ("warnings", _TEXT),
        ("file_kind", _TEXT),
    ]
)
ASSESSMENT_SCHEMA = pa.schema(
    [
        ("submission_id", pa.int64()),
        ("sheet", _TEXT),
        ("row_no", pa.int32()),
        ("subcommittee", _TEXT),
        ("rating", _TEXT),
        ("remark", _TEXT),
        ("ready_by", pa.date32()),
    ]
)

TASK_SCHEMA = pa.schema(
    [
        ("submission_id", pa.int64()),
        ("sheet", _TEXT),
        ("row_no", pa.int32()),
        ("code", _TEXT),
        ("task", _TEXT),
        ("task_key", _TEXT),
        ("subcommittee", _TEXT),
        ("deadline", pa.date32()),
        ("status", _TEXT),
        ("percent", pa.float64()),
        ("owner", _TEXT),
        ("weight", pa.float64()),
        ("note", _TEXT),
        ("extra", _TEXT),
        ("text_key", _TEXT),
    ]
)


@dataclass
class Incoming:
    """A file as it arrives: its bytes and name, how it came, and for which unit it was sent."""

    data: bytes
    filename: str
    source: str = "cli"
    unit_hint: str | None = None
    submitted_by: str | None = None
    received_at: dt.datetime | None = None
    record: bool = True  # False when replaying the archive (rebuild)
    allowed_units: tuple[str, ...] | None = None  # the sender may report only for these; None: any
    refused_size: int | None = None  # refused at the door for its size (data is empty, nothing archived)

    @classmethod
    def from_file(
        cls, path: str | Path, config: Config, filename: str | None = None, regular_only: bool = False, **kw
    ) -> Incoming:
        """A file on disk as it arrives, read within the size limit (``read_limited``): an oversize
        file comes with its size and no bytes, to be refused without being held or archived."""
        data, size = read_limited(path, config, regular_only)
        return cls(data, filename or Path(path).name, refused_size=None if data else size, **kw)


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

    @classmethod
    def from_json(cls, d: dict) -> Outcome:
        return cls(
            d["file"],
            d["status"],
            d.get("unit"),
            d.get("tasks", 0),
            dt.date.fromisoformat(d["report_date"]) if d.get("report_date") else None,
            [Message.from_dict(m) for m in d.get("errors", [])],
            [Message.from_dict(m) for m in d.get("warnings", [])],
            d.get("submission_id"),
            d.get("sha256", ""),
            d.get("duplicate_of"),
        )

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
            "duplicate_of": self.duplicate_of,
        }


def _enforce_units(report: Report, item: Incoming) -> Report:
    """A sender limited to some units gets their report for another unit rejected (bytes kept)."""
    if item.allowed_units is None or not report.accepted or report.unit in item.allowed_units:
        return report
    refused = replace(report, tasks=[], warnings=list(report.warnings))
    refused.errors = [
        Message(
            "not_your_unit",
            value=report.unit,
            params={"user": item.submitted_by or "?", "units": ", ".join(item.allowed_units)},
        )
    ]
    return refused


def _read_key(item: Incoming, digest: str, received_at: dt.datetime) -> tuple:
    # What a read depends on besides the bytes: the unit chosen and the arrival day (report date fallback).
    return (digest, item.unit_hint, received_at.date())


def read_many(jobs: list[tuple[Incoming, dt.datetime]], config: Config) -> list[Report]:
    """Read files, a pure step, in the sandbox's reader processes: a file that crashes or exhausts
    a reader is a rejection, never an exception here."""
    return Sandbox.shared(config).read_many(
        [Job(item.data, item.filename, item.unit_hint, received_at) for item, received_at in jobs]
    )


def size_limit(config: Config) -> int:
    """The largest file the exercise accepts, in bytes."""
    return config.max_upload_mb * 1024 * 1024


def too_large(filename: str, size: int, config: Config) -> Report | None:
    """The rejection of a file over the exercise's size limit, or None when it is within it."""
    if size <= size_limit(config):
        return None
    report = Report(filename)
    params = {"size_mb": f"{size / 1048576:.1f}", "limit_mb": str(config.max_upload_mb)}
    report.errors.append(Message("too_large", params=params))
    return report


def read_limited(path: str | Path, config: Config, regular_only: bool = False) -> tuple[bytes, int]:
    """A file's bytes, read only while within the size limit: (bytes, size), with b"" and the size
    seen when the file is larger (it is refused without being held in memory or archived).
    ``regular_only``: never follow a symlink or open a pipe or device (raises OSError instead)."""
    import stat

    limit = size_limit(config)
    flags = os.O_RDONLY | (os.O_NOFOLLOW | os.O_NONBLOCK if regular_only else 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if regular_only and not stat.S_ISREG(st.st_mode):
            raise OSError(f"not a regular file: {path}")
        data = f.read(limit + 1)
        if len(data) <= limit:
            return data, len(data)
    return b"", max(st.st_size, limit + 1)


def units_allowed(user: User | None) -> tuple[str, ...] | None:
    """The units a sender may report for: None for any (the secretariat, or no user: CLI and inbox)."""
    return None if user is None or user.is_secretariat else tuple(user.units)


def sent_by(items: list[Incoming], user: User | None) -> list[Incoming]:
    """The items as `user` sends them (the web upload; None: a door with no account): a viewer may not
    send at all, a unit uploader only for their units, and each item says who sent it."""
    if user is None:
        return items
    if not user.may_upload:
        raise Forbidden("err_may_not_send", username=user.username, role=user.role)
    return [replace(i, submitted_by=user.username, allowed_units=units_allowed(user)) for i in items]


def local_now(config: Config) -> dt.datetime:
    """Now, as a naive local time in the exercise's time zone (how times are stored)."""
    return dt.datetime.now(ZoneInfo(config.timezone)).replace(tzinfo=None)


def default_archive(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "archive"


class WithdrawError(Problem, ValueError):
    """A withdrawal that cannot be done as asked (no reason, no such submission, not counting)."""


class Store:
    """One door to the database file."""

    def __init__(
        self,
        db_path: str | Path,
        config: Config,
        archive_dir: str | Path | None = None,
        read_only: bool = False,
        reconcile: bool = True,
    ):
        self.path = Path(db_path)
        self.config = config
        self.archive = Archive(archive_dir or default_archive(self.path))
        self.read_only = read_only
        self._planned: bool | None = None  # whether a plan is in force, once asked (has_plan)
        self._write = threading.RLock()  # one writer at a time through the shared connection
        self._bumped = False  # whether the open transaction made a new data version
        # Called with the new data version after each commit that made one (push, snapshots).
        self.on_change: list[Callable[[int], None]] = []
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self.con.execute(sql.schema())
            self.sync_config()
            self._ensure_current()
            if reconcile:
                self.reconcile()

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _transaction(self):
        """The one way to write: a transaction on the shared connection under the write lock,
        committed at the end of the block, rolled back on any exception."""
        with self._write:
            con = self.con
            self._bumped = False
            con.execute("BEGIN")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            bumped, self._bumped = self._bumped, False
            if bumped:  # still under the write lock: listeners see versions in order
                self._changed()

    def _changed(self) -> None:
        version = self.data_version()
        for listener in list(self.on_change):
            try:
                listener(version)
            except Exception:  # a listener must never undo or fail a write that committed
                log.exception("data version listener")

    @contextmanager
    def _settling(self, pending: Path | None):
        """A pending archive entry is committed once the block (its transaction) succeeds, and set
        aside when it fails: rebuild must not replay what the board never had."""
        try:
            yield
        except BaseException:
            if pending is not None:
                self.archive.set_aside(pending)
            raise
        if pending is not None:
            self.archive.commit(pending)

    def sync_config(self) -> None:
        """Make the database's copy of the config match the TOML file."""
        c = self.config
        with self._transaction() as con:
            sql.run(
                con,
                "sync_config",
                exercise_name=c.name,
                d_day=c.d_day,
                report_interval_days=c.report_interval_days,
                timezone=c.timezone,
                assessment_threshold=c.assessment_threshold,
                milestones=[
                    dict(position=i, name=m.name, name_en=m.name_en, date=m.date) for i, m in enumerate(c.milestones)
                ],
                subcommittees=[
                    dict(name=s.name, short=s.short, name_en=s.name_en, position=i)
                    for i, s in enumerate(c.subcommittees)
                ],
                units=[
                    dict(name=u.name, level=u.level, position=i, contact=u.contact or None, phone=u.phone or None)
                    for i, u in enumerate(c.units)
                ],
            )

    def _ensure_current(self) -> None:
        # A database written before current_reports existed: fill it once.
        # fetchall: DuckDB keeps a half-read result open on the connection, which blocks register().
        if sql.run(self.con, "needs_current").fetchall()[0][0]:
            with self._transaction() as con:
                sql.run(con, "recompute_current", units=None)
        # Tasks stored before text keys existed: keyed once, in SQL (the reader's fold, as a macro).
        if sql.run(self.con, "needs_text_keys").fetchall():
            with self._transaction() as con:
                sql.run(con, "fill_text_keys")
        if sql.run(self.con, "needs_current_tasks").fetchall()[0][0]:
            with self._transaction() as con:
                sql.run(con, "refresh_current_tasks", units=None)
        if sql.run(self.con, "needs_summary").fetchall()[0][0]:
            with self._transaction() as con:
                self._refresh_summary(con, None)

    def reconcile(self) -> None:
        """Settle archive entries left pending by a crash between the archive and the transaction:
        committed when the database stored their batch, set aside (never replayed) when it did not."""
        for path in self.archive.pending():
            try:
                entries = self.archive.read_entry(path)
            except (OSError, ValueError, TypeError):
                self.archive.set_aside(path)
                continue
            first = entries[0] if entries else None
            if isinstance(first, Receipt):
                stored = bool(self.stored_as(first.sha256, first.received))
            elif isinstance(first, dict) and first.get("kind") == "withdraw":
                at = dt.datetime.fromisoformat(first["at"])
                rows = self.stored_as(first["sha256"], dt.datetime.fromisoformat(first["received_at"]))
                stored = any(withdrawn_at == at for _, _, withdrawn_at in rows)
            elif isinstance(first, dict) and first.get("kind") == "plan":
                at = dt.datetime.fromisoformat(first["at"])
                stored = bool(sql.run(self.con.cursor(), "plan_stored", sha256=first["sha256"], at=at).fetchall())
            else:
                stored = False
            (self.archive.commit if stored else self.archive.set_aside)(path)

    # ------------------------------------------------------------ reading
    def data_version(self) -> int:
        """A number that changes whenever what the board shows may change."""
        return sql.run(self.con.cursor(), "data_version").fetchall()[0][0]

    def query(self, name: str, /, today: dt.date | None = None, **params) -> pd.DataFrame:
        """Run queries/NAME.sql with today's date (exercise time zone) unless given."""
        today = today or local_now(self.config).date()
        return queries.run(self.con.cursor(), name, today=today, **params)

    def records(self, name: str, /, today: dt.date | None = None, **params) -> list[dict]:
        """Like query, as a list of dicts of Python values."""
        today = today or local_now(self.config).date()
        return queries.records(self.con.cursor(), name, today=today, **params)

    # ------------------------------------------------------------ writing
    def ingest_path(self, path: str | Path, **kw) -> Outcome:
        return self.ingest_many([Incoming.from_file(path, self.config, **kw)])[0]

    def ingest_bytes(self, data: bytes, filename: str, **kw) -> Outcome:
        """Archive the bytes, read them, store the answer. Never raises on a bad file."""
        return self.ingest_many([Incoming(data, filename, **kw)])[0]

    def ingest_many(self, items: list[Incoming], progress=None, user: User | None = None) -> list[Outcome]:
        """Ingest files in arrival order: every file archived first, then one transaction for all.

        Each file still gets its own answer, as if it had come alone (a file identical to an
        earlier one of the same batch is a duplicate of it). ``progress(i, n, outcome)`` is called
        after each file is read. With a ``user`` (the web upload), the rule of who may send for which
        unit is enforced here: a viewer may not send at all, a unit uploader only for their units.
        """
        now = local_now(self.config)
        items = sent_by(items, user)
        prepared: list[tuple[Incoming, str, dt.datetime]] = []
        refused: dict[int, Report] = {}  # index -> the rejection of a file over the size limit
        # A file name is a label shown in the history: no control or direction-override characters.
        items = [replace(i, filename=strip_controls(i.filename) or "?") for i in items]
        for item in items:
            if item.source not in SOURCES:
                raise ValueError(f"unknown source {item.source!r}")
            big = too_large(item.filename, item.refused_size or len(item.data), self.config)
            if big is not None:
                refused[len(prepared)] = big
                prepared.append((item, "", item.received_at or now))
            else:
                prepared.append((item, sha256(item.data), item.received_at or now))
        # Every byte reaches the disk before anything is read or stored; an oversize file is not kept.
        recorded = [p for i, p in enumerate(prepared) if p[0].record and i not in refused]
        pending = self._archive(recorded) if recorded else None

        accepted = self._accepted_with([d for _, d, _ in prepared])
        planned = self.has_plan()
        jobs: dict[tuple, tuple[Incoming, dt.datetime]] = {}
        for i, (item, digest, received_at) in enumerate(prepared):
            if digest not in accepted and i not in refused:
                jobs.setdefault(_read_key(item, digest, received_at), (item, received_at))
        read = dict(zip(jobs, read_many(list(jobs.values()), self.config), strict=True))

        outcomes: list[Outcome] = []
        reports: list[Report | None] = []
        for i, (item, digest, received_at) in enumerate(prepared):
            if digest in accepted:
                sid, unit = accepted[digest]
                outcome = Outcome(item.filename, "duplicate", unit, sha256=digest, duplicate_of=sid)
                report = None
            else:
                report = refused.get(i) or _enforce_units(read[_read_key(item, digest, received_at)], item)
                if (
                    planned and report.accepted
                ):  # a deadline the plan sets differently: the plan's wins, the unit is told
                    report = replace(report, warnings=report.warnings + plans.deadline_warnings(self, report))
                outcome = Outcome(
                    item.filename,
                    report.status,
                    report.unit,
                    len(report.tasks),
                    report.report_date,
                    report.errors,
                    report.warnings,
                    sha256=digest,
                )
                if report.accepted:
                    accepted[digest] = (None, report.unit)  # id filled below; later copies are duplicates
            outcomes.append(outcome)
            reports.append(report)
            if progress:
                progress(i + 1, len(prepared), outcome)

        with self._settling(pending):
            self._store_locked(prepared, outcomes, reports)
        for (item, digest, _), outcome in zip(prepared, outcomes, strict=True):
            if outcome.status == "rejected" and item.record and digest:
                self.archive.write_error_report(digest, [m.to_dict() for m in outcome.errors])
        return outcomes

    def _archive(self, recorded) -> Path:
        self.archive.put_many([(item.data, digest) for item, digest, _ in recorded])
        return self.archive.record(
            [
                Receipt(
                    digest,
                    item.filename,
                    received_at.isoformat(),
                    item.source,
                    item.unit_hint,
                    item.submitted_by,
                    None if item.allowed_units is None else list(item.allowed_units),
                )
                for item, digest, received_at in recorded
            ]
        )

    def _accepted_with(self, digests: list[str], con=None) -> dict[str, tuple[int | None, str | None]]:
        # Outside a write: a cursor of its own (the shared connection may be in another thread's transaction).
        rows = sql.run(con or self.con.cursor(), "accepted_with", digests=digests).fetchall()
        return {d: (sid, unit) for d, sid, unit in rows}

    def _bump_version(self, con, units: list[str] | None = None) -> None:
        """After any write, in its transaction: the current report and the report sums of the units
        it touched (all when None: a plan load or a rebuild), and a new data version."""
        if units is None or units:
            sql.run(con, "recompute_current", units=units)
            if self.has_plan(con):  # without a plan, current_tasks reads the current reports directly
                sql.run(con, "refresh_current_tasks", units=units)
            self._refresh_summary(con, units)
        sql.run(con, "bump_version")
        self._bumped = True

    def _refresh_summary(self, con, units: list[str] | None) -> None:
        # The reports not summed yet (all of them after a plan load or a rebuild: units None). A
        # withdrawn report's rows stay, unread (report_sums takes the reports that count). Without a
        # plan, tasks are summed as reported, a fraction of counted_in's work; with one, a current report
        # from current_task_rows, and counted_in only for others (late reports, a plan load).
        if units is None:
            sql.run(con, "clear_summary")
        if not self.has_plan(con):
            sql.run(con, "refresh_summary", units=units)
            return
        sql.run(con, "refresh_summary_current", units=units)
        if sql.run(con, "has_unsummed", units=units).fetchall()[0][0]:
            sql.run(con, "refresh_summary_planned", units=units)

    def _store_locked(self, prepared, outcomes: list[Outcome], reports: list[Report | None]) -> None:
        """One transaction: every submission row, every task row of the accepted, the new data version.
        (Its own method, under the lock: the SIGKILL test marks where it starts and ends.)"""
        with self._transaction() as con:
            # Another thread may have stored the same bytes since this batch looked: a duplicate now.
            earlier = self._accepted_with([o.sha256 for o in outcomes if o.status == "accepted"], con)
            for i, o in enumerate(outcomes):
                if o.status == "accepted" and o.sha256 in earlier:
                    sid, unit = earlier[o.sha256]
                    outcomes[i] = Outcome(o.file, "duplicate", unit, sha256=o.sha256, duplicate_of=sid)
                    reports[i] = None
            ids = [r[0] for r in sql.run(con, "next_ids", n=len(outcomes)).fetchall()]
            by_digest: dict[str, int] = {}
            subs: list[dict] = []
            tasks: list[tuple] = []
            assessments: list[dict] = []
            for sid, (item, digest, received_at), outcome, report in zip(ids, prepared, outcomes, reports, strict=True):
                outcome.submission_id = sid
                if outcome.status == "duplicate" and outcome.duplicate_of is None:
                    outcome.duplicate_of = by_digest[digest]
                if outcome.status == "accepted":
                    by_digest[digest] = sid
                subs.append(
                    dict(
                        id=sid,
                        sha256=digest,
                        original_name=item.filename,
                        received_at=received_at,
                        source=item.source,
                        submitted_by=item.submitted_by,
                        unit=outcome.unit,
                        unit_hint=item.unit_hint,
                        report_date=outcome.report_date if outcome.status == "accepted" else None,
                        status=outcome.status,
                        n_tasks=outcome.tasks,
                        errors=json.dumps([m.to_dict() for m in outcome.errors], ensure_ascii=False),
                        warnings=json.dumps([m.to_dict() for m in outcome.warnings], ensure_ascii=False),
                        file_kind=report.kind if report else None,
                    )
                )
                if outcome.status == "accepted" and report is not None:
                    tasks.extend(_task_rows(sid, report))
                    assessments.extend(
                        dict(
                            submission_id=sid,
                            sheet=a.sheet,
                            row_no=a.row,
                            subcommittee=a.subcommittee,
                            rating=a.rating,
                            remark=a.remark,
                            ready_by=a.ready_by,
                        )
                        for a in report.assessments
                    )
            with sql.registered(con, "incoming_submissions", pa.Table.from_pylist(subs, schema=SUBMISSION_SCHEMA)):
                sql.run(con, "insert_submissions")
            if tasks:
                with sql.registered(con, "incoming_tasks", _task_table(tasks)):
                    sql.run(con, "insert_tasks")
            if assessments:
                with sql.registered(con, "incoming_assessments", pa.Table.from_pylist(assessments, ASSESSMENT_SCHEMA)):
                    sql.run(con, "insert_assessments")
            # Every file that arrives is in the audit trail: who (or which door) and what became of it.
            audits = [
                dict(
                    happened_at=received_at,
                    actor=item.submitted_by or item.source,
                    action="upload" if item.source == "upload" else f"ingest_{item.source}",
                    target=f"#{o.submission_id} {o.unit or '?'}",
                    detail=f"{item.filename}: {o.status}",
                )
                for (item, _, received_at), o in zip(prepared, outcomes, strict=True)
                if item.record
            ]
            if audits:
                sql.run_many(con, "audit", audits)
            self._bump_version(con, sorted({o.unit for o in outcomes if o.status == "accepted" and o.unit}))

    def audit(self, actor: str | None, action: str, target: str | None = None, detail: str | None = None) -> None:
        """Write one line of the audit trail."""
        with self._transaction() as con:
            _audit(con, local_now(self.config), actor, action, target, detail)

    def withdraw(
        self, submission_id: int, user: User | None, reason: str, at: dt.datetime | None = None, record: bool = True
    ) -> None:
        """Stop a submission from counting (the unit's previous report counts again). It stays in the
        history and the archive, with who withdrew it, when and why. Secretariat only."""
        if user is not None and not user.is_secretariat:
            raise Forbidden("err_may_not_withdraw", username=user.username, role=user.role)
        reason = (reason or "").strip()
        if not reason:
            raise WithdrawError("err_reason_needed")
        row = sql.run(self.con.cursor(), "submission_state", id=submission_id).fetchall()
        if not row:
            raise WithdrawError("err_no_submission", id=submission_id)
        digest, received_at, status, withdrawn_at, unit = row[0]
        if status != "accepted" or withdrawn_at is not None:
            raise _no_longer_counts(submission_id)
        at = at or local_now(self.config)
        actor = user.username if user else None
        pending = None
        if record:
            pending = self.archive.record_event(
                "withdraw", at, sha256=digest, received_at=received_at.isoformat(), by=actor, reason=reason
            )
        with self._settling(pending), self._transaction() as con:
            if not sql.run(con, "withdraw", id=submission_id, at=at, actor=actor, reason=reason).fetchall():
                raise _no_longer_counts(submission_id)  # two secretaries at once: the second is refused
            _audit(con, at, actor, "withdraw", f"#{submission_id} {unit}", reason)
            self._bump_version(con, [unit] if unit else None)

    # ------------------------------------------------------------ before storing
    def preview(self, data: bytes, filename: str, unit_hint: str | None = None, user: User | None = None):
        """Read a file without storing anything: (report, duplicate_of, diff against the unit's current
        report). The sender's unit rule is applied as storing would apply it."""
        digest = sha256(data)
        dup = self._accepted_with([digest]).get(digest)
        if dup:
            return None, dup[0], None
        received = local_now(self.config)
        report = too_large(filename, len(data), self.config)
        if report is not None:
            return report, None, None
        report = Sandbox.shared(self.config).read(Job(data, filename, unit_hint, received))
        report = _enforce_units(
            report,
            Incoming(data, filename, submitted_by=user.username if user else None, allowed_units=units_allowed(user)),
        )
        return report, None, self._diff_with_current(report) if report.accepted else None

    def _diff_with_current(self, report: Report) -> pd.DataFrame:
        """The report_diff query between the unit's current report and one not stored: its tasks stand
        in as submission PREVIEW_ID in a transaction of a cursor of its own, always rolled back, so
        nobody else ever sees them."""
        cur = self.con.cursor()
        try:
            current = sql.run(cur, "current_report", unit=report.unit).fetchall()
            cur.execute("BEGIN")
            try:
                with sql.registered(cur, "incoming_tasks", _task_table(list(_task_rows(PREVIEW_ID, report)))):
                    sql.run(cur, "insert_tasks")
                return queries.run(cur, "report_diff", old=current[0][0] if current else None, new=PREVIEW_ID)
            finally:
                cur.execute("ROLLBACK")
        finally:
            cur.close()

    # ------------------------------------------------------------ history
    def stored_as(self, digest: str, received_at: dt.datetime) -> list[tuple]:
        """(id, status, withdrawn_at) of what the database stored for one archived arrival."""
        return sql.run(self.con.cursor(), "submissions_at", sha256=digest, received_at=received_at).fetchall()

    def submission(self, submission_id: int) -> dict | None:
        """One submission's row (file name, answer, messages, withdrawal) by id."""
        rows = queries.records(self.con.cursor(), "submission", id=submission_id)
        return rows[0] if rows else None

    def original(self, digest: str) -> bytes | None:
        """The archived bytes of a file (None for a file refused at the door, which was not kept)."""
        if not digest:
            return None
        try:
            return self.archive.get(digest)
        except OSError:
            return None

    def error_report(self, data: bytes, filename: str, errors: list, warnings: list, lang: str) -> bytes | None:
        """The unit's error report (its own sheets, wrong cells marked), built where a hostile file
        cannot hurt the app; None if even that cannot be done."""
        return Sandbox.shared(self.config).error_report(data, filename, errors, warnings, lang)

    @property
    def sandbox(self) -> Sandbox:
        """The reader processes of this exercise."""
        return Sandbox.shared(self.config)

    # ------------------------------------------------------------ the assigned task plan
    def load_plan(self, data: bytes, filename: str, **kw) -> plans.PlanOutcome:
        """Archive, read and store a plan file (readiness.plans.load)."""
        return plans.load(self, data, filename, **kw)

    def preview_plan(self, data: bytes, filename: str):
        """A plan read, not stored, and what it would change (readiness.plans.preview)."""
        return plans.preview(self, data, filename)

    def has_plan(self, con=None) -> bool:
        """Whether a plan is in force (``con``: inside a write, its connection). Asked once: this store
        is the database's one writer, and its plan loads and rebuilds say when the answer changes."""
        if self._planned is None:
            self._planned = bool(sql.run(con or self.con.cursor(), "has_plan").fetchall()[0][0])
        return self._planned

    def plan(self) -> pd.DataFrame:
        """The plan in force, one row per task and unit (empty without one)."""
        return plans.in_force(self)

    def replace_contents(self, other: str | Path) -> None:
        """Make this database's submissions and tasks those of another database file, in one
        transaction (what `rebuild` ends with); the audit trail stays and records it."""
        sql.run(self.con, "attach_fresh", path=str(other))
        try:
            with self._transaction() as con:
                sql.run(con, "replace_contents")
                top = sql.run(con, "max_id").fetchall()[0][0]
                nxt = sql.run(con, "next_ids", n=1).fetchall()[0][0]
                if nxt <= top:  # the sequence must pass the copied ids
                    sql.run(con, "next_ids", n=top - nxt).fetchall()
                top_plan = sql.run(con, "max_plan_id").fetchall()[0][0]
                nxt_plan = sql.run(con, "next_plan_id", n=1).fetchall()[0][0]
                if nxt_plan <= top_plan:  # so must the plans'
                    sql.run(con, "next_plan_id", n=top_plan - nxt_plan).fetchall()
                _audit(con, local_now(self.config), None, "rebuild", None, f"{top} submissions from the archive")
                self._planned = None
                self._bump_version(con)
        finally:
            sql.run(self.con, "detach_fresh")


def _audit(con, happened_at: dt.datetime, actor, action: str, target=None, detail=None) -> None:
    sql.run(con, "audit", happened_at=happened_at, actor=actor, action=action, target=target, detail=detail)


def _no_longer_counts(submission_id: int) -> ValueError:
    return WithdrawError("err_not_counting", id=submission_id)


def _task_rows(sid: int, report: Report):
    """A report's tasks as rows of TASK_SCHEMA, under submission id ``sid``."""
    for t in report.tasks:
        yield (
            sid,
            t.sheet,
            t.row,
            t.code,
            t.task,
            t.task_key,
            t.subcommittee,
            t.deadline,
            t.status,
            t.percent,
            t.owner,
            t.weight,
            t.note,
            json.dumps(t.extra, ensure_ascii=False) if t.extra else None,
            fold(t.task),
        )


def _task_table(rows: list[tuple]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) or [()] * len(TASK_SCHEMA)
    return pa.Table.from_arrays(
        [pa.array(col, type=TASK_SCHEMA.field(i).type) for i, col in enumerate(columns)], schema=TASK_SCHEMA
    )
