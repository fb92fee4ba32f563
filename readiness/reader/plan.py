"""The committee's assigned task plan (kế hoạch phân công nhiệm vụ): who does what, read from one workbook
into one PlanTask per (task, unit), or into exact errors. Pure: bytes in, a Plan out.

The contract is docs/checklist-format.md, "The assigned task plan". A plan is read as tolerantly as a
report and with the report reader's own steps: ``load_sheets`` (file kinds, merges filled down, the
guards), ``find_header`` (header block, two-row headers), ``row_kind`` (section headings that set the
subcommittee, totals, the signature block) and ``SheetReader``'s value checks (subcommittee, deadline,
weight), so a plan's messages read like a report's. What differs: the unit column is required (and
no status or percent column is), a unit cell may name several units, and a task may be given to a unit
only once. Any error rejects the whole plan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from ..config import Config
from ..messages import Message
from ..text import clean, fold, strip_controls
from .layout import END, HEADING, TASK, Header, find_header, numbering_row, row_kind
from .names import Names, column_meaning
from .report import Report
from .rows import SheetReader
from .sheets import ReadError, Sheet, cell_text, has_macros, load_sheets, uncached_formulas


@dataclass
class PlanTask:
    """One task assigned to one unit (a row naming three units gives three)."""

    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    code: str | None
    task: str
    task_key: str  # as the report reader's Task.task_key: the folded code, else the folded task text
    subcommittee: str
    unit: str
    deadline: dt.date | None
    weight: float  # 1 when the plan gives none

    def to_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "code": self.code,
            "task": self.task,
            "task_key": self.task_key,
            "subcommittee": self.subcommittee,
            "unit": self.unit,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "weight": self.weight,
        }

    @classmethod
    def from_dict(cls, d: dict) -> PlanTask:
        deadline = d.get("deadline")
        return cls(
            sheet=d["sheet"],
            row=d["row"],
            code=d.get("code"),
            task=d["task"],
            task_key=d["task_key"],
            subcommittee=d["subcommittee"],
            unit=d["unit"],
            deadline=dt.date.fromisoformat(deadline) if deadline else None,
            weight=float(d.get("weight", 1.0)),
        )


@dataclass
class Plan:
    """What the reader makes of a plan file: accepted (tasks, warnings) or rejected (errors, no tasks)."""

    filename: str
    kind: str = ""
    tasks: list[PlanTask] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def status(self) -> str:
        return "accepted" if self.accepted else "rejected"

    @property
    def units(self) -> list[str]:
        """The units given at least one task, sorted."""
        return sorted({t.unit for t in self.tasks})

    def to_dict(self) -> dict:
        """Plain JSON-able values: dates as ISO strings, messages as Message.to_dict gives them."""
        return {
            "filename": self.filename,
            "kind": self.kind,
            "status": self.status,
            "tasks": [t.to_dict() for t in self.tasks],
            "errors": [m.to_dict() for m in self.errors],
            "warnings": [m.to_dict() for m in self.warnings],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Plan:
        return cls(
            filename=d["filename"],
            kind=d.get("kind", ""),
            tasks=[PlanTask.from_dict(t) for t in d.get("tasks", [])],
            errors=[Message.from_dict(m) for m in d.get("errors", [])],
            warnings=[Message.from_dict(m) for m in d.get("warnings", [])],
        )


# ---------------------------------------------------------------- the unit column

# Headings of the column naming the unit a task is given to, folded, matched as prefixes. The lead unit
# ('Đơn vị chủ trì', or 'Chủ trì' under an 'Đơn vị thực hiện' group heading) wins over a plain 'Đơn vị';
# the coordinating units ('Đơn vị phối hợp') are not assigned the task, and 'Đơn vị tính' is a unit of
# measure.
LEAD_UNIT_HEADINGS = (
    "donvichutri",
    "coquanchutri",
    "coquandonvichutri",
    "chutri",
    "donvithuchien",
    "donviphutrach",
    "coquanthuchien",
    "coquanphutrach",
    "leadunit",
    "responsibleunit",
)
UNIT_HEADINGS = ("donvi", "coquan", "unit")
NOT_UNIT_HEADINGS = ("phoihop", "donvitinh", "coordinat")


def _unit_heading(text: str) -> int:
    """2 for a lead-unit heading, 1 for a unit heading, -1 for a coordinating unit's, 0 for anything else."""
    key = fold(text)
    if not key or len(key) > 60:
        return 0
    if any(m in key for m in NOT_UNIT_HEADINGS):
        return -1
    if key.startswith(LEAD_UNIT_HEADINGS):
        return 2
    return 1 if key.startswith(UNIT_HEADINGS) else 0


def _sub_heading_row(texts: list[str], header: Header) -> bool:
    """The row under the header is its sub-headings ('Chủ trì | Phối hợp' under 'Đơn vị thực hiện'), or
    repeats the headings (a 'Nội dung' cell merged over both header rows, filled down)."""
    task = header.text(texts, "task")
    if task:
        return column_meaning(task) == "task"
    return any(_unit_heading(t) for t in texts if t)


def unit_column(sheet: Sheet, header: Header) -> int | None:
    """The column naming each task's unit: the leftmost lead-unit heading, else the leftmost unit
    heading, in the header row, the headings merged into it or the sub-headings under it."""
    texts = sheet.texts
    rows = [texts[header.row]]
    below = header.row + 1
    if below < len(texts) and _sub_heading_row(texts[below], header):
        rows.append(texts[below])
    taken = {c for m, c in header.columns.items() if m != "unit"}
    best, best_score = None, 0
    for c in sorted(set(header.names) | {c for row in rows for c, t in enumerate(row) if t}):
        if c in taken:
            continue
        labels = [header.names.get(c, "")] + [row[c] for row in rows if c < len(row)]
        scores = [_unit_heading(t) for t in labels if t]
        if -1 in scores or not scores:
            continue
        if max(scores) > best_score:
            best, best_score = c, max(scores)
    return best


# ---------------------------------------------------------------- a unit cell

# Several units in one cell: separated by ';' or ',' or on lines of their own (clean() makes a line break
# a space, so line breaks become ';' first).
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b]+")
_SEPARATORS = re.compile(r"[;,；，]")


def split_units(value: object, names: Names) -> list[tuple[str, str | None]]:
    """(the name as written, the known unit it names or None) for each unit a cell names, in order,
    each unit once. The whole cell first, then its parts; adjacent parts split at ',' are joined back
    when together they name a unit (a unit's name may hold a comma)."""
    whole = cell_text(value)
    if not whole:
        return []
    if (unit := names.unit(whole)) is not None:
        return [(whole, unit)]
    text = clean(_LINE_BREAKS.sub(";", value)) if isinstance(value, str) else whole
    found: list[tuple[str, str | None]] = []
    for part in text.split(";"):
        pieces = [p.strip() for p in _SEPARATORS.split(part)]
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):  # the longest run of pieces that names a unit
                joined = ", ".join(p for p in pieces[i:j] if p)
                if joined and (unit := names.unit(joined)) is not None:
                    found.append((joined, unit))
                    i = j
                    break
            else:
                if pieces[i]:
                    found.append((pieces[i], None))
                i += 1
    seen: set[str] = set()
    out = []
    for written, unit in found:
        key = unit or fold(written)
        if key not in seen:
            seen.add(key)
            out.append((written, unit))
    return out


# ---------------------------------------------------------------- the file


def read_plan(data: bytes, filename: str, config: Config, names: Names | None = None) -> Plan:
    """Read the committee's plan into one PlanTask per (task, unit): accepted, or rejected whole."""
    plan = Plan(filename)
    names = names or Names(config)
    try:
        plan.kind, sheets = load_sheets(data, filename)
    except ReadError as err:
        plan.errors.append(err.msg)
        return plan
    if has_macros(data):
        plan.warnings.append(Message("macros_ignored"))
    tables, written = _tables(plan, sheets)
    if not tables:
        return plan
    formulas = uncached_formulas(data, written) if plan.kind == "xlsx" else {}
    reader = _PlanReader(plan, names, config)
    for (sheet, header), name in zip(tables, written, strict=True):
        uncached = sheet.uncached if sheet.uncached is not None else formulas.get(name, frozenset())
        reader.read_sheet(sheet, header, uncached)
    plan.errors.extend(reader.messages.errors)
    plan.warnings.extend(reader.messages.warnings)
    if not plan.tasks and not plan.errors:
        first, head = tables[0]
        plan.errors.append(Message("plan_no_tasks", first.name, head.row + 1, None, None))
    if plan.errors:
        plan.tasks = []
    return plan


def _tables(plan: Plan, sheets: list[Sheet]) -> tuple[list[tuple[Sheet, Header]], list[str]]:
    """The sheets holding a plan table (a task column and a unit column), each with its header (the
    unit column set), and their names as the workbook writes them; a file without one gets its error."""
    tables: list[tuple[Sheet, Header]] = []
    partial: list[tuple[Sheet, Header]] = []
    for s in sheets:
        header = find_header(s)
        if header is None:
            continue
        col = unit_column(s, header)
        if col is None:
            partial.append((s, header))
        else:
            tables.append((s, replace(header, columns={**header.columns, "unit": col})))
    written = [s.name for s, _ in tables]
    for s in sheets:
        s.name = strip_controls(s.name)  # it is shown in every message and stored with every task
    if not tables:
        if partial:
            s, h = partial[0]
            plan.errors.append(Message("plan_unit_column_missing", s.name, h.row + 1, None, None))
        else:
            plan.errors.append(Message("plan_no_table"))
    return tables, written


# What makes a row under the header a task's and not a heading's (status and percent are not read, but a
# row that has them is a task row all the same).
_DATA = ("unit", "code", "deadline", "weight", "owner", "status", "percent")
# Cells whose formula without a cached value would be read as blank.
_FORMULA_COLUMNS = ("unit", "code", "subcommittee", "deadline", "weight")


class _PlanReader:
    """The task rows of a plan's tables. Messages gather in a scratch Report, so that SheetReader's value
    checks can be used as they are; tasks go to the plan."""

    def __init__(self, plan: Plan, names: Names, config: Config):
        from . import DEADLINE_SPAN, _window  # here, not at the top: the package may import this module

        self.plan, self.names, self.year = plan, names, config.year
        self.messages = Report(plan.filename)
        self.deadlines = _window(config.d_day.date(), DEADLINE_SPAN)
        # (unit, code key) or (unit, subcommittee, text key) -> (sheet, row, task) where it was first given
        self.given: dict[tuple[str, ...], tuple[str, int, str]] = {}
        self.codes: dict[str, tuple[str, int, str]] = {}  # code key -> where it first appeared, its task

    def read_sheet(self, sheet: Sheet, header: Header, uncached: frozenset | set[tuple[int, int]]) -> None:
        rows, texts_of = sheet.rows, sheet.texts
        rd = SheetReader(sheet, header, self.names, self.messages, self.year, self.deadlines, uncached)
        data_cols = [header.columns[m] for m in _DATA if m in header.columns] + list(header.ticks)
        progress_cols = [header.columns[m] for m in ("unit", "deadline") if m in header.columns]
        formula_cols = {header.columns[m] for m in _FORMULA_COLUMNS if m in header.columns}
        current_sub = rd.default_sub
        for r in range(header.row + 1, len(rows)):
            texts = texts_of[r]
            if not any(texts):
                continue
            if r == header.row + 1 and (numbering_row(texts) or _sub_heading_row(texts, header)):
                continue
            has_data = any(c < len(texts) and texts[c] for c in data_cols)
            has_progress = any(c < len(texts) and texts[c] for c in progress_cols)
            pending = [c for c in formula_cols if (r, c) in uncached] if uncached else []
            if pending:
                has_data = has_progress = True  # a formula with no value is still the row's data
            kind, text = row_kind(texts, header, self.names, has_data, has_progress)
            if kind == END:
                break
            if kind == HEADING:
                if (sub := self.names.subcommittee(text)) is not None:
                    current_sub = sub
            elif kind == TASK:
                self.task_row(rd, r, rows[r], texts, text, current_sub, pending)

    def task_row(
        self,
        rd: SheetReader,
        r: int,
        cells: list,
        texts: list[str],
        text: str,
        current_sub: str | None,
        pending: list[int],
    ) -> None:
        """Row r's tasks, one per unit it names, into the plan; nothing when any of its cells is an error."""
        errors = self.messages.errors
        before = len(errors)
        for c in pending:
            errors.append(rd.msg_at("formula_uncached", r, c, None))
        sub = rd.subcommittee(r, texts, text, current_sub)
        units = self.units(rd, r, cells, text, rd.header.columns["unit"] in pending)
        deadline = rd.deadline(r, cells, texts)
        weight = rd.weight(r, cells, texts)
        code = rd.txt(texts, "code")
        if len(errors) > before or sub is None:
            return
        task_key = fold(code) if code else fold(text)  # exactly as the report reader keys a Task
        if code:
            self.check_code(rd, r, code, text)
        for unit in units:
            key = ("code", unit, fold(code) or code) if code else ("text", unit, sub, task_key)
            if (first := self.given.get(key)) is not None:
                meaning, dup = ("code", "plan_task_code_duplicate") if code else ("task", "plan_task_duplicate")
                where = {"unit": unit, "first_sheet": first[0], "first_row": first[1]}
                errors.append(rd.msg(dup, r, meaning, code or text, **where))
                continue
            self.given[key] = (rd.sheet.name, r + 1, text)
            self.plan.tasks.append(PlanTask(rd.sheet.name, r + 1, code, text, task_key, sub, unit, deadline, weight))

    def units(self, rd: SheetReader, r: int, cells: list, text: str, pending: bool) -> list[str]:
        """The known units the row's unit cell names; each unknown one, or none at all, is an error (but a
        formula with no cached value, ``pending``, has its own)."""
        c = rd.header.columns["unit"]
        value = cells[c] if c < len(cells) else None
        parts = split_units(value, self.names)
        if not parts and not pending:
            self.messages.errors.append(rd.msg("plan_unit_missing", r, "unit", None, task=text))
            return []
        for written, unit in parts:
            if unit is None:
                suggestions = ", ".join(self.names.unit_suggestions(written))
                self.messages.errors.append(rd.msg("plan_unit_unknown", r, "unit", written, suggestions=suggestions))
        return [unit for _, unit in parts if unit is not None]

    def check_code(self, rd: SheetReader, r: int, code: str, text: str) -> None:
        """One code names one task: the same code over another task's text is a warning."""
        key = fold(code) or code
        first = self.codes.get(key)
        if first is None:
            self.codes[key] = (rd.sheet.name, r + 1, text)
        elif fold(first[2]) != fold(text):
            where = {"first_sheet": first[0], "first_row": first[1], "first_task": first[2], "task_code": code}
            self.messages.warnings.append(rd.msg("plan_code_text_differs", r, "task", text, **where))
