"""Read a unit's checklist spreadsheet into tasks, or exact errors. Pure: bytes in, a Report out.

The contract is docs/checklist-format.md: the header row anywhere in the first 30 rows,
administrative header blocks, merged titles, two-row headers, section headings that set the
subcommittee, totals and signature blocks skipped; tolerant names and values; day-first dates.

One module a step: ``sheets`` (bytes to sheets, with the zip and size guards), ``names`` (columns,
units, subcommittees), ``layout`` (the header row, the block above it, what each row is), ``rows``
(a row's values into a Task), ``assessment`` (the unit's own rating of its readiness, optional) and
``report`` (what comes out). ``read_report`` is the entry.
"""

from __future__ import annotations

import datetime as dt

from ..config import Config
from ..messages import Message
from ..text import clean, strip_controls
from ..values import shown
from .assessment import read_assessments
from .layout import Header, find_header, find_report_date, find_unit_in_block
from .names import Names
from .report import Assessment, Report, Task
from .rows import SheetReader
from .sheets import (
    ReadError,
    Sheet,
    cell_text,
    check_dimensions,
    col_letter,
    has_macros,
    load_sheets,
    uncached_formulas,
)

__all__ = [
    "Assessment",
    "Names",
    "ReadError",
    "Report",
    "Task",
    "check_dimensions",
    "col_letter",
    "load_sheets",
    "read_report",
]

REPORT_DATE_SPAN = dt.timedelta(days=2 * 366)  # a report is dated within two years of D-day
DEADLINE_SPAN = dt.timedelta(days=3 * 366)  # a deadline within three years of it
CLOCK_SKEW = dt.timedelta(days=1)  # a report dated a day after it arrived: a clock or a time zone off


def read_report(
    data: bytes,
    filename: str,
    config: Config,
    unit_hint: str | None = None,
    received_at: dt.datetime | None = None,
    names: Names | None = None,
) -> Report:
    """Read one unit's file into a Report: accepted (tasks, warnings) or rejected (errors).

    ``received_at`` is when the file arrived (default now): a report cannot be dated after it.
    """
    report = Report(filename)
    names = names or Names(config)
    try:
        report.kind, sheets = load_sheets(data, filename)
    except ReadError as err:
        report.errors.append(err.msg)
        return report
    if has_macros(data):
        report.warnings.append(Message("macros_ignored"))
    tables, written = _tables(report, sheets)
    if not tables:
        return report

    # Unit and report date from the first sheet with a table, as the contract orders them.
    first, head = tables[0]
    file_unit, unit_text, ur, uc = find_unit_in_block(first.rows, head.row, names)
    unit_cell = (first.name, ur + 1, col_letter(uc) if uc >= 0 else None)
    arrived = (received_at or dt.datetime.now()).date()
    report.report_date = _report_date(report, first, head, config, arrived)

    # A formula with no cached value reads as blank; only the sheet's XML tells it from an empty cell.
    formulas = uncached_formulas(data, written) if report.kind == "xlsx" else {}
    pending: list[frozenset | set[tuple[int, int]]] = [
        s.uncached if s.uncached is not None else formulas.get(name, frozenset())
        for (s, _), name in zip(tables, written, strict=True)
    ]
    ends: list[int] = []
    file_unit, unit_text = _read_tables(report, tables, pending, names, config, (file_unit, unit_text), ends)
    task_tables = [(s, h, end) for (s, h), end in zip(tables, ends, strict=True)]
    report.assessments = read_assessments(report, sheets, task_tables, names, config.year)
    report.unit = _settle_unit(report, names, unit_hint, file_unit, unit_text, unit_cell)

    if not report.tasks and not report.errors:
        report.errors.append(Message("no_tasks", first.name, head.row + 1, None, None))
    if report.errors:
        report.tasks = []
        report.assessments = []
    return report


def _tables(report: Report, sheets: list[Sheet]) -> tuple[list[tuple[Sheet, Header]], list[str]]:
    """The sheets holding a task table, with its header, and their names as the workbook writes them
    (to find their XML); a file without one gets its error here."""
    headers = [(s, find_header(s)) for s in sheets]
    tables = [(s, h) for s, h in headers if h and h.has_progress]
    written = [s.name for s, _ in tables]
    for s in sheets:
        s.name = strip_controls(s.name)  # it is shown in every message and stored with every task
    if not tables:
        partial = [(s, h) for s, h in headers if h]
        if partial:
            s, h = partial[0]
            report.errors.append(Message("header_no_progress", s.name, h.row + 1, None, None))
        else:
            report.errors.append(Message("no_table"))
    return tables, written


def _report_date(report: Report, sheet: Sheet, header: Header, config: Config, arrived: dt.date) -> dt.date:
    """The report date above the table, checked; the day the file arrived when there is none."""
    report_date, date_value, dr, dc, bad = find_report_date(sheet.rows, header.row, config.year)
    date_cell = (sheet.name, dr + 1, col_letter(dc) if dc >= 0 else None)
    if bad is not None and bad.code == "deadline_invalid":
        report.warnings.append(Message("report_date_invalid", *date_cell, cell_text(date_value)))
    elif bad is not None and bad.code == "number_not_finite":
        report.errors.append(Message(bad.code, *date_cell, bad.value))
    else:
        # A report dated years away, or after it arrived, would stay the unit's latest for good.
        earliest, latest = _window(config.d_day.date(), REPORT_DATE_SPAN, arrived + CLOCK_SKEW)
        if bad is not None or (report_date is not None and not earliest <= report_date <= latest):
            span = {"first": shown(earliest), "last": shown(latest), "arrived": shown(arrived)}
            report.errors.append(Message("report_date_out_of_range", *date_cell, cell_text(shown(date_value)), span))
            report_date = None
    return report_date or arrived


def _read_tables(
    report: Report,
    tables: list[tuple[Sheet, Header]],
    pending: list[frozenset | set[tuple[int, int]]],
    names: Names,
    config: Config,
    block: tuple[str | None, str | None],
    ends: list[int],
) -> tuple[str | None, str | None]:
    """Every table's tasks into the report. ``pending``: each table's uncached formula cells; ``block``:
    the unit (known, as written) named above the first table, kept or else taken from a unit column;
    ``ends`` gets the row where each table ended (where an assessment table may follow)."""
    file_unit, unit_text = block
    deadlines = _window(config.d_day.date(), DEADLINE_SPAN)
    codes: dict[str, tuple[str, int]] = {}
    for (sheet, header), uncached in zip(tables, pending, strict=True):
        reader = SheetReader(sheet, header, names, report, config.year, deadlines, uncached, codes)
        report.tasks.extend(reader.read())
        ends.append(reader.end)
        if reader.unit_seen and file_unit is None and unit_text is None:
            file_unit, unit_text = reader.unit_seen[0], reader.unit_seen[0]
        elif reader.unit_seen and file_unit and reader.unit_seen[0] != file_unit:
            unit, row = reader.unit_seen
            report.errors.append(Message("unit_mixed", sheet.name, row + 1, None, unit, {"first": file_unit}))
    return file_unit, unit_text


def _settle_unit(
    report: Report,
    names: Names,
    unit_hint: str | None,
    file_unit: str | None,
    unit_text: str | None,
    unit_cell: tuple[str, int, str | None],
) -> str | None:
    """The report's unit: the file's, else the one it was sent for; each disagreement is an error."""
    if unit_text and file_unit is None:
        suggestions = {"suggestions": ", ".join(names.unit_suggestions(unit_text))}
        report.errors.append(Message("unit_unknown", *unit_cell, unit_text, suggestions))
    hint_unit = None
    if unit_hint:
        hint_unit = names.unit(unit_hint)
        if hint_unit is None:
            suggestions = {"suggestions": ", ".join(names.unit_suggestions(unit_hint))}
            report.errors.append(Message("unit_unknown", None, None, None, clean(unit_hint), suggestions))
    if file_unit and hint_unit and file_unit != hint_unit:
        report.errors.append(Message("unit_conflict", *unit_cell, file_unit, {"chosen": hint_unit}))
    unit = file_unit or hint_unit
    if unit is None and not report.errors:
        report.errors.append(Message("unit_missing"))
    return unit


def _window(anchor: dt.date, span: dt.timedelta, last: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Days from anchor - span to anchor + span (or ``last``, if earlier), clamped to what a date can hold."""
    first = anchor - span if anchor > dt.date.min + span else dt.date.min
    end = anchor + span if anchor < dt.date.max - span else dt.date.max
    return first, min(end, last) if last else end
