"""What the reader makes of a file: a Report of Tasks, the unit's own Assessments, errors and warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..messages import Message


@dataclass
class Task:
    sheet: str
    row: int
    code: str | None
    task: str
    task_key: str
    subcommittee: str
    deadline: dt.date | None
    status: str
    percent: float | None
    owner: str | None
    weight: float
    note: str | None
    extra: dict = field(default_factory=dict)


@dataclass
class Assessment:
    """The unit's own judgement of its readiness (tự đánh giá), for one subcommittee or the whole unit."""

    sheet: str
    row: int  # 1-based, the row of the rating
    subcommittee: str | None  # None: the whole unit
    rating: str  # "ready", "conditional" or "not_ready"
    remark: str | None
    ready_by: dt.date | None


@dataclass
class Report:
    """What the reader makes of one file."""

    filename: str
    kind: str = ""
    unit: str | None = None
    report_date: dt.date | None = None
    tasks: list[Task] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def status(self) -> str:
        return "accepted" if self.accepted else "rejected"
