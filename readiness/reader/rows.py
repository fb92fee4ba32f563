"""Rows and values: each task row of a table read into a Task, or into exact errors and warnings."""

from __future__ import annotations

import datetime as dt

from ..messages import Message
from ..text import fold
from ..values import (
    DONE,
    IN_PROGRESS,
    MAX_WEIGHT,
    NOT_STARTED,
    BadValue,
    parse_date,
    parse_percent,
    parse_status,
    parse_weight,
    shown,
    split_status_percent,
)
from .assessment import ends_task_table
from .layout import END, HEADING, TASK, Header, numbering_row, row_kind
from .names import Names
from .report import Report, Task
from .sheets import Sheet, cell_text, col_letter


class SheetReader:
    """The task rows of one sheet's table; errors and warnings go to the report as they are found."""

    def __init__(
        self,
        sheet: Sheet,
        header: Header,
        names: Names,
        report: Report,
        year: int,
        deadlines: tuple[dt.date, dt.date] = (dt.date.min, dt.date.max),
        uncached: set[tuple[int, int]] | frozenset = frozenset(),
        codes: dict[str, tuple[str, int]] | None = None,
    ):
        """``deadlines``: the first and last deadline accepted; ``uncached``: (row, col) of formula cells
        with no cached value; ``codes``: task key -> (sheet, row) of the report's codes seen so far."""
        self.sheet, self.header, self.names, self.report, self.year = sheet, header, names, report, year
        self.deadlines, self.uncached = deadlines, uncached
        self.codes = {} if codes is None else codes
        self.default_sub = names.subcommittee(sheet.name)
        self.unit_seen: tuple[str, int] | None = None
        self.end = len(sheet.rows)  # the row (0-based) that ended the table: signature block or assessment
        cols = header.columns
        ticks = list(header.ticks)
        self.data_cols = [cols[m] for m in ("status", "percent", "deadline", "owner", "code", "weight") if m in cols]
        self.progress_cols = [cols[m] for m in ("status", "percent", "deadline") if m in cols]
        self.data_cols += ticks
        self.progress_cols += ticks
        self.fractions = percent_fractions(sheet.rows, header.row + 1, cols.get("percent"))

    def read(self) -> list[Task]:
        """The sheet's tasks, in order, from the row under the header to the signature block (or an
        assessment table's header); ``end`` is then that row."""
        rows, h = self.sheet.rows, self.header
        current_sub = self.default_sub
        tasks: list[Task] = []
        all_texts = self.sheet.texts
        data_cols, progress_cols, uncached = self.data_cols, self.progress_cols, self.uncached
        for r in range(h.row + 1, len(rows)):
            texts = all_texts[r]
            if not any(texts):
                continue
            if r == h.row + 1 and numbering_row(texts):
                continue
            has_data = any(c < len(texts) and texts[c] for c in data_cols)
            has_progress = any(c < len(texts) and texts[c] for c in progress_cols)
            if uncached and not has_progress and any((r, c) in uncached for c in progress_cols):
                has_data = has_progress = True  # a formula with no value is still the row's data
            if ends_task_table(texts, h):  # the unit's own assessment table below the tasks
                self.end = r
                break
            kind, text = row_kind(texts, h, self.names, has_data, has_progress)
            if kind == END:
                self.end = r
                break
            if kind == HEADING:
                if (sub := self.names.subcommittee(text)) is not None:
                    current_sub = sub
            elif kind == TASK and (task := self.task(r, rows[r], texts, text, current_sub)):
                tasks.append(task)
        return tasks

    def msg(self, code: str, row: int, meaning: str | None, value: object, **params) -> Message:
        """A message about row r (0-based), in the column of a meaning."""
        col = self.header.columns.get(meaning) if meaning else None
        return self.msg_at(code, row, col, value, **params)

    def msg_at(self, code: str, row: int, col: int | None, value: object, **params) -> Message:
        """A message about the cell at row r, column col (0-based)."""
        column = self.column_name(col) if col is not None else None
        return Message(code, self.sheet.name, row + 1, column, value, {k: str(v) for k, v in params.items()})

    def column_name(self, col: int) -> str:
        """'E (Hoàn thành)': a column's letter and its heading as written."""
        return f"{col_letter(col)} ({self.header.names.get(col, '?')})"

    def raw(self, cells: list, texts: list[str], meaning: str):
        """A cell's value in the column of a meaning: clean text for a string, None for blank."""
        c = self.header.columns.get(meaning)
        if c is None or c >= len(cells):
            return None
        v = cells[c]
        return (texts[c] or None) if v.__class__ is str else v

    def txt(self, texts: list[str], meaning: str) -> str | None:
        """A cell's text in the column of a meaning, None for blank."""
        c = self.header.columns.get(meaning)
        return (texts[c] or None) if c is not None and c < len(texts) else None

    # ------------------------------------------------------------ one task row

    def task(self, r: int, cells: list, texts: list[str], text: str, current_sub: str | None) -> Task | None:
        """Row r as a Task, or None when any of its cells is an error (each one reported)."""
        errors_before = len(self.report.errors)
        self.check_unit(r, texts)
        sub = self.subcommittee(r, texts, text, current_sub)
        if self.uncached:
            self.check_formulas(r)
        status, percent = self.progress(r, cells, texts)
        deadline = self.deadline(r, cells, texts)
        weight = self.weight(r, cells, texts)
        code = self.code(r, texts)
        if len(self.report.errors) > errors_before or sub is None or status is None:
            return None  # a missing subcommittee or status has its error already
        extra = {}
        for c, name in self.header.extras.items():
            if c < len(cells) and (v := texts[c]):
                extra[name] = v
        return Task(
            sheet=self.sheet.name,
            row=r + 1,
            code=code,
            task=text,
            task_key=fold(code) if code else fold(text),
            subcommittee=sub,
            deadline=deadline,
            status=status,
            percent=percent,
            owner=self.txt(texts, "owner"),
            weight=weight,
            note=self.txt(texts, "note"),
            extra=extra,
        )

    def check_unit(self, r: int, texts: list[str]) -> None:
        """A unit column names a known unit, the same on every row."""
        unit_raw = self.txt(texts, "unit")
        if not unit_raw:
            return
        unit = self.names.unit(unit_raw)
        if unit is None:
            suggestions = ", ".join(self.names.unit_suggestions(unit_raw))
            self.report.errors.append(self.msg("unit_unknown", r, "unit", cell_text(unit_raw), suggestions=suggestions))
        elif self.unit_seen is None:
            self.unit_seen = (unit, r)
        elif unit != self.unit_seen[0]:
            first = self.unit_seen[0]
            self.report.errors.append(self.msg("unit_mixed", r, "unit", cell_text(unit_raw), first=first))

    def subcommittee(self, r: int, texts: list[str], text: str, current_sub: str | None) -> str | None:
        """The row's subcommittee: its own cell, else the sheet's or the section heading's."""
        sub_raw = self.txt(texts, "subcommittee")
        if not sub_raw:
            if current_sub is None:
                self.report.errors.append(self.msg("subcommittee_missing", r, "task", text))
            return current_sub
        sub = self.names.subcommittee(sub_raw)
        if sub is None:
            suggestions = ", ".join(self.names.subcommittee_suggestions(sub_raw))
            accepted = ", ".join(s.short for s in self.names.config.subcommittees)
            self.report.errors.append(
                self.msg(
                    "subcommittee_unknown",
                    r,
                    "subcommittee",
                    cell_text(sub_raw),
                    suggestions=suggestions,
                    accepted=accepted,
                )
            )
        return sub

    def check_formulas(self, r: int) -> None:
        """A status, percent or deadline computed by a formula that was never calculated is no value."""
        cols = self.header.columns
        for meaning in ("status", "percent", "deadline"):
            if (r, cols.get(meaning)) in self.uncached:
                self.report.errors.append(self.msg("formula_uncached", r, meaning, None))

    def progress(self, r: int, cells: list, texts: list[str]) -> tuple[str | None, float | None]:
        """Status and percent; a blank status follows the percent, and the two are checked together."""
        rep = self.report
        in_cell = None  # 'Đang thực hiện (70%)': the percent written in the status cell
        if self.header.ticks:
            status_raw, status = self.ticked(r, cells, texts)
        else:
            status_raw = self.raw(cells, texts, "status")
            status = parse_status(status_raw)
            if status is None and isinstance(status_raw, str):
                try:
                    if split := split_status_percent(status_raw):
                        status, in_cell = parse_status(split[0]), split[1]
                except BadValue as bad:
                    rep.errors.append(self.msg(bad.code, r, "status", bad.value))
                    return None, None
        if status is None and status_raw is not None:
            rep.errors.append(self.msg("status_unknown", r, "status", cell_text(status_raw)))
        percent = None
        try:
            percent = parse_percent(self.raw(cells, texts, "percent"), self.fractions)
        except BadValue as bad:
            rep.errors.append(self.msg(bad.code, r, "percent", bad.value))
        if percent is None and in_cell is not None:
            percent = in_cell
        if status == "":
            if percent is None or percent <= 0:
                status = NOT_STARTED
            elif percent >= 100:
                status = DONE
            else:
                status = IN_PROGRESS
        elif status == DONE and percent is not None and percent < 100:
            rep.warnings.append(self.msg("done_not_100", r, "percent", _fmt(percent)))
        elif status == NOT_STARTED and percent is not None and percent >= 100:
            rep.warnings.append(self.msg("100_not_started", r, "status", cell_text(status_raw)))
        return status, percent

    def ticked(self, r: int, cells: list, texts: list[str]) -> tuple[object, str | None]:
        """(the mark, the status) from tick columns: '' for no mark; marks in two columns are an error
        naming both cells (then the status is None and the raw value None: the error is said)."""
        marked = [c for c in self.header.ticks if c < len(cells) and is_mark(cells[c], texts[c])]
        if not marked:
            return None, ""
        if len(marked) > 1:
            first, second = marked[0], marked[1]
            other = f"{col_letter(second)}{r + 1} ({self.header.names.get(second, '?')})"
            self.report.errors.append(self.msg_at("status_ticks_conflict", r, first, texts[first], other=other))
            return None, None
        return texts[marked[0]], self.header.ticks[marked[0]]

    def deadline(self, r: int, cells: list, texts: list[str]) -> dt.date | None:
        """The deadline, within the exercise's window; one that is no date at all is only a warning."""
        first, last = self.deadlines
        try:
            deadline = parse_date(self.raw(cells, texts, "deadline"), self.year)
            if deadline is not None and not first <= deadline <= last:
                raise BadValue("date_out_of_range", deadline)
            return deadline
        except BadValue as bad:
            if bad.code == "deadline_invalid":
                self.report.warnings.append(self.msg("deadline_invalid", r, "deadline", bad.value))
            else:
                code = "deadline_out_of_range" if bad.code == "date_out_of_range" else bad.code
                value = cell_text(shown(bad.value))
                self.report.errors.append(self.msg(code, r, "deadline", value, first=shown(first), last=shown(last)))
            return None

    def weight(self, r: int, cells: list, texts: list[str]) -> float:
        """The weight (1 when blank or not a number, with a warning for the latter)."""
        try:
            return parse_weight(self.raw(cells, texts, "weight")) or 1.0
        except BadValue as bad:
            if bad.code == "weight_invalid":
                self.report.warnings.append(self.msg("weight_invalid", r, "weight", cell_text(bad.value)))
            else:
                self.report.errors.append(self.msg(bad.code, r, "weight", bad.value, max=_fmt(MAX_WEIGHT)))
            return 1.0

    def code(self, r: int, texts: list[str]) -> str | None:
        """The task code; one seen before in the report is a warning naming where."""
        code = self.txt(texts, "code")
        if code:
            key = fold(code) or code
            if (seen := self.codes.get(key)) is not None:
                self.report.warnings.append(
                    self.msg("task_code_duplicate", r, "code", code, first_sheet=seen[0], first_row=seen[1])
                )
            else:
                self.codes[key] = (self.sheet.name, r + 1)
        return code


_NO_MARK = {"0", "-", "–", "—", "false", "khong", "k"}


def is_mark(value: object, text: str) -> bool:
    """A tick: any non-blank cell but an unticked box (False, 0) or a dash."""
    if value is False or (isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0):
        return False
    return bool(text) and fold(text) not in _NO_MARK and text not in _NO_MARK


def percent_fractions(rows: list[list], start: int, col: int | None) -> bool:
    """True when the percent column holds percent-formatted cells (every number within 0..1)."""
    if col is None:
        return False
    numbers = [
        r[col]
        for r in rows[start:]
        if col < len(r) and isinstance(r[col], (int, float)) and not isinstance(r[col], bool)
    ]
    return bool(numbers) and all(0 <= n <= 1 for n in numbers) and any(n > 0 for n in numbers)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(round(x, 2)).replace(".", ",")
