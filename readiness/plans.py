"""The committee's assigned task plan in the store: loading one (archived byte for byte, read in a
reader process, stored in one transaction), previewing what it changes, and the plan in force.

The figures count against the plan in SQL (readiness/sql/staging.sql: plan_in_force, counted_tasks,
current_tasks, extra_tasks); this module only writes plans and says what a new one would change.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from . import sql
from .archive import sha256
from .auth import Forbidden, User
from .messages import Message
from .text import fold

if TYPE_CHECKING:
    from .reader.plan import Plan
    from .store import Store

PLAN_SOURCES = ("upload", "cli")

PLAN_TASK_SCHEMA = pa.schema(
    [
        ("plan_id", pa.int32()),
        ("sheet", pa.string()),
        ("row_no", pa.int32()),
        ("unit", pa.string()),
        ("code", pa.string()),
        ("task", pa.string()),
        ("task_key", pa.string()),
        ("text_key", pa.string()),
        ("subcommittee", pa.string()),
        ("deadline", pa.date32()),
        ("weight", pa.float64()),
    ]
)


@dataclass
class PlanOutcome:
    """What became of one plan file: accepted (now in force), rejected (the plan in force stays) or
    duplicate (the same bytes as the plan in force: nothing changes)."""

    file: str
    status: str
    tasks: int = 0
    units: int = 0
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    plan_id: int | None = None
    sha256: str | None = None

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "kind": "plan",
            "status": self.status,
            "tasks": self.tasks,
            "units": self.units,
            "plan_id": self.plan_id,
            "sha256": self.sha256,
            "errors": [m.to_dict() for m in self.errors],
            "warnings": [m.to_dict() for m in self.warnings],
        }

    @classmethod
    def from_json(cls, d: dict) -> PlanOutcome:
        return cls(
            d["file"],
            d["status"],
            d.get("tasks", 0),
            d.get("units", 0),
            [Message.from_dict(m) for m in d.get("errors", [])],
            [Message.from_dict(m) for m in d.get("warnings", [])],
            d.get("plan_id"),
            d.get("sha256"),
        )


def read(store: Store, data: bytes, filename: str) -> Plan:
    """Read a plan file in a reader process (a crash there rejects the file, never the board)."""
    from .store import too_large

    big = too_large(filename, len(data), store.config)
    if big is not None:
        from .reader.plan import Plan

        return Plan(filename, errors=big.errors)
    return store.sandbox.read_plan(data, filename)


def may_plan(user: User | None) -> None:
    """Plans are the secretariat's (None: a command's user, who holds the database)."""
    if user is not None and not user.is_secretariat:
        raise Forbidden("err_may_not_plan", username=user.username, role=user.role)


def load(
    store: Store,
    data: bytes,
    filename: str,
    source: str = "cli",
    user: User | None = None,
    by: str | None = None,
    at: dt.datetime | None = None,
    record: bool = True,
) -> PlanOutcome:
    """Archive, read and store a plan: accepted, it is in force from now on; rejected, the plan in
    force stays. Secretariat only (``user``); ``by`` names a command's user. ``record=False``: a
    replay of the archive (rebuild), nothing archived again."""
    from .store import local_now

    may_plan(user)
    if source not in PLAN_SOURCES:
        raise ValueError(f"unknown source {source!r}")
    at = at or local_now(store.config)
    by = user.username if user is not None else by
    digest = sha256(data)
    pending = None
    if record:
        store.archive.put(data, digest)
        pending = store.archive.record_event("plan", at, sha256=digest, original_name=filename, source=source, by=by)
    plan = read(store, data, filename)
    outcome = PlanOutcome(filename, plan.status, len(plan.tasks), len(plan.units), plan.errors, plan.warnings)
    outcome.sha256 = digest
    with store._settling(pending):
        with store._transaction() as con:
            in_force = sql.run(con, "plan_in_force_sha").fetchall()
            if plan.status == "accepted" and in_force and in_force[0][0] == digest:
                outcome.status, outcome.plan_id = "duplicate", in_force[0][1]
            plan_id = sql.run(con, "next_plan_id", n=1).fetchall()[0][0]
            outcome.plan_id = outcome.plan_id or plan_id
            sql.run(
                con,
                "insert_plan",
                id=plan_id,
                sha256=digest,
                original_name=filename,
                loaded_at=at,
                source=source,
                loaded_by=by,
                status=outcome.status,
                n_tasks=outcome.tasks,
                n_units=outcome.units,
                errors=json.dumps([m.to_dict() for m in plan.errors], ensure_ascii=False),
                warnings=json.dumps([m.to_dict() for m in plan.warnings], ensure_ascii=False),
                file_kind=plan.kind or None,
            )
            if outcome.status == "accepted":
                with sql.registered(con, "incoming_plan_tasks", _plan_table(plan_id, plan)):
                    sql.run(con, "insert_plan_tasks")
            detail = f"{filename}: {outcome.status}, {outcome.tasks} tasks, {outcome.units} units"
            sql.run(
                con,
                "audit",
                happened_at=at,
                actor=by or source,
                action="plan_load",
                target=f"plan #{plan_id}",
                detail=detail,
            )
            if outcome.status == "accepted":
                store._planned = None  # asked again, inside this transaction, by the refresh
                store._bump_version(con)
    if outcome.status == "rejected" and record:
        store.archive.write_error_report(digest, [m.to_dict() for m in plan.errors])
    return outcome


def _plan_table(plan_id: int, plan: Plan) -> pa.Table:
    rows = [
        dict(
            plan_id=plan_id,
            sheet=t.sheet,
            row_no=t.row,
            unit=t.unit,
            code=t.code,
            task=t.task,
            task_key=t.task_key,
            text_key=fold(t.task),
            subcommittee=t.subcommittee,
            deadline=t.deadline,
            weight=t.weight,
        )
        for t in plan.tasks
    ]
    return pa.Table.from_pylist(rows, schema=PLAN_TASK_SCHEMA)


def preview(store: Store, data: bytes, filename: str) -> tuple[Plan, pd.DataFrame]:
    """A plan read but not stored, and what it changes against the plan in force: one row per
    (unit, task) added, removed or with its deadline or weight moved (``change``)."""
    plan = read(store, data, filename)
    if plan.status != "accepted":
        return plan, pd.DataFrame()
    con = store.con.cursor()
    with sql.registered(con, "incoming_plan_tasks", _plan_table(0, plan)):
        return plan, sql.run(con, "plan_diff").df()


def in_force(store: Store) -> pd.DataFrame:
    """The plan in force, task by task and unit by unit (empty without a plan)."""
    return sql.run(store.con.cursor(), "plan_tasks_in_force").df()


def deadline_warnings(store: Store, report) -> list[Message]:
    """A report's tasks whose deadline differs from the plan's: the plan's wins, and the unit is told
    where (one warning a task, naming sheet and row)."""
    if not report.unit or not report.tasks:
        return []
    rows = sql.run(store.con.cursor(), "plan_of_unit", unit=report.unit).fetchall()
    if not rows:
        return []
    by_code = {key: deadline for key, code, sub, text, deadline in rows if code}
    by_text = {(sub, fold(text)): deadline for key, code, sub, text, deadline in rows}
    out = []
    for t in report.tasks:
        planned = by_code.get(t.task_key) if t.code else None
        if planned is None:
            planned = by_text.get((t.subcommittee, fold(t.task)))
        if planned is not None and t.deadline is not None and t.deadline != planned:
            shown = f"{t.deadline:%d/%m/%Y}"
            out.append(Message("plan_deadline_moved", t.sheet, t.row, None, shown, {"planned": f"{planned:%d/%m/%Y}"}))
    return out
