"""The unit's own assessment (tự đánh giá): its judgement of its readiness beside the task figures, for the
whole unit or one subcommittee. Optional in a report (docs/checklist-format.md, "The unit's own assessment").

It comes in two forms:

- a table headed by its columns: subcommittee (a row 'Chung' / 'Toàn đơn vị' / 'Cả đơn vị' is the whole
  unit), rating, remark, ready-by date; on a sheet named 'Tự đánh giá', on another sheet, or below the
  tasks on a task sheet, where its header row ends the task table (``ends_task_table``);
- labelled cells in the block above a task table: 'Tự đánh giá: Đạt có điều kiện' (or the value in the
  next cell), 'Nhận xét: …', 'Dự kiến sẵn sàng: 30/10/2023', for the whole unit (or for the subcommittee
  the sheet's name names).

An assessment table has no task column: a task table whose own columns include 'Ghi chú' or 'Nhận xét'
is never one. Its column names are kept here, not in ``names.COLUMNS``: 'Tự đánh giá' and 'Đánh giá'
must not become columns of a task table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..messages import Message
from ..text import clean, fold
from ..values import BadValue, parse_date, shown
from .layout import HEADER_SCAN_ROWS, Header, is_signature, numbering_row
from .names import COLUMNS, HEADING_PREFIX, Names, column_meaning
from .report import Assessment, Report
from .sheets import Sheet, cell_text, col_letter

READY, CONDITIONAL, NOT_READY = "ready", "conditional", "not_ready"
RATINGS = (READY, CONDITIONAL, NOT_READY)

_RATING_WORDS = {
    READY: ["Đạt", "Sẵn sàng", "Đã sẵn sàng", "Ready"],
    CONDITIONAL: ["Đạt có điều kiện", "Cơ bản sẵn sàng", "Cơ bản đạt", "Conditional", "Conditionally ready"],
    NOT_READY: ["Chưa đạt", "Chưa sẵn sàng", "Không đạt", "Not ready"],
}
_RATING_BY_KEY = {fold(w): r for r, words in _RATING_WORDS.items() for w in words}

# Column meaning -> accepted header names (folded when used).
ASSESSMENT_COLUMNS: dict[str, list[str]] = {
    "rating": [
        "Tự đánh giá",
        "Đánh giá",
        "Mức độ sẵn sàng",
        "Kết quả tự đánh giá",
        "Đánh giá mức độ sẵn sàng",
        "Self-assessment",
        "Rating",
    ],
    "remark": ["Nhận xét", "Đề xuất, kiến nghị", "Lý do", "Ghi chú", "Kiến nghị", "Đề xuất", "Remark", "Remarks"],
    "ready_by": [
        "Dự kiến sẵn sàng",
        "Dự kiến hoàn thành",
        "Thời gian dự kiến",
        "Ngày dự kiến sẵn sàng",
        "Thời gian dự kiến sẵn sàng",
        "Ready by",
    ],
}
_EXACT = {fold(n): m for m, ns in ASSESSMENT_COLUMNS.items() for n in ns}
# A longer name also matches as the start of a heading ('Tự đánh giá của đơn vị', 'Ghi chú (nếu có)').
_PREFIXES = sorted(((k, m) for k, m in _EXACT.items() if len(k) >= 6), key=lambda km: -len(km[0]))
# The subcommittee column by its exact names only: 'Tiểu ban văn kiện' is a value, not a heading.
_SUBCOMMITTEE_HEADINGS = {fold(n) for n in COLUMNS["subcommittee"]}

# A subcommittee cell naming the whole unit.
WHOLE_UNIT = {
    fold(w) for w in ("Chung", "Toàn đơn vị", "Cả đơn vị", "Chung toàn đơn vị", "Đánh giá chung", "Whole unit")
}

# Labels of header-block cells ('Tự đánh giá: Đạt'); 'Ghi chú:' above a table is no remark on the rating.
_BLOCK_LABELS = {
    **{k: "rating" for k in ("tudanhgia", "danhgia", "mucdosansang", "ketquatudanhgia", "tudanhgiachung")},
    **{k: "rating" for k in ("danhgiamucdosansang", "tudanhgiamucdosansang", "donvitudanhgia", "selfassessment")},
    **{k: "remark" for k in ("nhanxet", "dexuatkiennghi", "lydo", "kiennghi", "dexuat")},
    **{k: "ready_by" for k in ("dukiensansang", "dukienhoanthanh", "thoigiandukien", "ngaydukiensansang")},
}
_LABEL = re.compile(r"^\s*([^:：]{2,40})[:：]\s*(.*)$", re.S)
_SHEET_KEY = "tudanhgia"  # a sheet named 'Tự đánh giá' (or 'Tự đánh giá 2023')


def parse_rating(value: object) -> str | None:
    """'ready', 'conditional' or 'not_ready' for a rating cell; '' for blank; None when not understood."""
    text = cell_text(value)
    if not text:
        return ""
    return _RATING_BY_KEY.get(fold(text))


@lru_cache(maxsize=16384)
def _meaning(text: str) -> str | None:
    """What an assessment table's header cell names: 'rating', 'remark', 'ready_by', 'subcommittee' or None."""
    if len(text) > 80:  # header names are short; task texts are not
        return None
    if (m := _LABEL.match(text)) and m.group(2).strip():
        return None  # 'Tự đánh giá: Đạt' is a labelled value, not a heading
    key = fold(text)
    if not key or len(key) > 60:
        return None
    if key in _SUBCOMMITTEE_HEADINGS:
        return "subcommittee"
    if key in _EXACT:
        return _EXACT[key]
    for prefix, meaning in _PREFIXES:
        if key.startswith(prefix):
            return meaning
    return None


# ---------------------------------------------------------------- the table's header row


@dataclass
class Table:
    """An assessment table's header row: its columns (0-based) and their headings as written."""

    row: int
    rating: int
    subcommittee: int | None
    ready_by: int | None
    remarks: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    def column(self, col: int | None) -> str | None:
        """'C (Tự đánh giá)': a column's letter and its heading, for a message."""
        return None if col is None else f"{col_letter(col)} ({self.names.get(col, '?')})"


def table_header(texts: list[str], row: int, need_subcommittee: bool = True) -> Table | None:
    """Row ``texts`` as an assessment table's header: a rating column and (unless not needed) a
    subcommittee column, and no task column (that is a task table's header)."""
    cols: dict[str, int] = {}
    remarks: list[int] = []
    names: dict[int, str] = {}
    for c, text in enumerate(texts):
        if not text:
            continue
        meaning = _meaning(text)
        if meaning is None:
            if column_meaning(text) == "task":
                return None
            continue
        names[c] = text
        if meaning == "remark":
            remarks.append(c)
        else:
            cols.setdefault(meaning, c)
    if "rating" not in cols or (need_subcommittee and "subcommittee" not in cols):
        return None
    if len(names) < 2:  # a title 'TỰ ĐÁNH GIÁ CỦA ĐƠN VỊ' names one column; a table names more
        return None
    return Table(row, cols["rating"], cols.get("subcommittee"), cols.get("ready_by"), remarks, names)


def ends_task_table(texts: list[str], header: Header) -> bool:
    """A row under a task table's header that is an assessment table's header, so the task table ends:
    it names a rating and a subcommittee column, no task column, and its task cell holds no real task."""
    task = header.text(texts, "task")
    if task and _meaning(task) is None and column_meaning(task) is None:
        return False  # a task row: one look at its task cell, not at every cell (the reader's speed)
    return any(t and _meaning(t) == "rating" for t in texts) and table_header(texts, -1) is not None


def find_table(sheet: Sheet, start: int, stop: int, need_subcommittee: bool = True) -> Table | None:
    """The first assessment header row in rows start..stop - 1 of a sheet."""
    texts = sheet.texts
    for r in range(max(start, 0), min(stop, len(texts))):
        row = texts[r]
        if any(t and _meaning(t) == "rating" for t in row) and (t := table_header(row, r, need_subcommittee)):
            return t
    return None


# ---------------------------------------------------------------- reading


class AssessmentReader:
    """Every assessment of a file; errors and warnings go to the report as they are found."""

    def __init__(self, report: Report, names: Names, year: int):
        self.report, self.names, self.year = report, names, year
        self.found: list[Assessment] = []
        self.seen: dict[str | None, Assessment] = {}  # subcommittee (None: whole unit) -> its first assessment

    def read(self, sheets: list[Sheet], tables: list[tuple[Sheet, Header, int]]) -> list[Assessment]:
        """The assessments of ``sheets``; ``tables``: each task sheet, its task header and the row (0-based)
        where its task table ended (its length when nothing ended it)."""
        task_sheets = {id(s): (h, end) for s, h, end in tables}
        for sheet in sheets:
            own = self.names.subcommittee(sheet.name)
            if id(sheet) in task_sheets:
                header, end = task_sheets[id(sheet)]
                self.block(sheet, header.row, own)
                if table := find_table(sheet, end, end + HEADER_SCAN_ROWS):  # it ended the tasks, or is near
                    self.table(sheet, table, own)
            elif fold(sheet.name).startswith(_SHEET_KEY):
                table = find_table(sheet, 0, HEADER_SCAN_ROWS) or find_table(
                    sheet, 0, HEADER_SCAN_ROWS, need_subcommittee=False
                )
                self.block(sheet, table.row if table else HEADER_SCAN_ROWS, own)
                if table:
                    self.table(sheet, table, own)
            elif table := find_table(sheet, 0, HEADER_SCAN_ROWS):
                self.table(sheet, table, own)
        return self.found

    def table(self, sheet: Sheet, table: Table, own: str | None) -> None:
        """The rows under an assessment header, to the signature block or the next section; a row with a
        blank rating is skipped."""
        texts_of = sheet.texts
        for r in range(table.row + 1, len(sheet.rows)):
            texts = texts_of[r]
            if not any(texts):
                continue
            if r == table.row + 1 and numbering_row(texts):
                continue
            rating_text = texts[table.rating] if table.rating < len(texts) else ""
            rating = parse_rating(rating_text)
            if rating is None and _signature(texts) or rating == "" and _ends_table(texts):
                break
            if not rating_text:
                continue
            sub_text = (
                texts[table.subcommittee] if table.subcommittee is not None and table.subcommittee < len(texts) else ""
            )
            place = (sheet.name, r + 1)
            sub_ok, sub = self.subcommittee(sub_text, own, place, table.column(table.subcommittee))
            if rating is None:
                self.error("assessment_rating_unknown", place, table.column(table.rating), rating_text)
            if rating is None or not sub_ok:
                continue
            remarks = [texts[c] for c in table.remarks if c < len(texts) and texts[c]]
            remark = "; ".join(dict.fromkeys(remarks)) or None
            ready_by = None
            if table.ready_by is not None and table.ready_by < len(texts):
                raw = sheet.rows[r][table.ready_by]
                value = texts[table.ready_by] if isinstance(raw, str) else raw
                ready_by = self.ready_by(value, place, table.column(table.ready_by))
            self.add(Assessment(sheet.name, r + 1, sub, rating, remark, ready_by), sub_text or own or "Chung")

    def block(self, sheet: Sheet, upto: int, own: str | None) -> None:
        """'Tự đánh giá: …', 'Nhận xét: …', 'Dự kiến sẵn sàng: …' in the rows above ``upto``."""
        cells = block_cells(sheet, upto)
        if "rating" not in cells:
            return
        value, r, c = cells["rating"]
        place = (sheet.name, r + 1)
        rating = parse_rating(value)
        if rating is None:
            self.error("assessment_rating_unknown", place, col_letter(c), cell_text(value))
            return
        if not rating:
            return
        remark = (cell_text(cells["remark"][0]) or None) if "remark" in cells else None
        ready_by = None
        if "ready_by" in cells:
            d_value, dr, dc = cells["ready_by"]
            ready_by = self.ready_by(d_value, (sheet.name, dr + 1), col_letter(dc))
        self.add(Assessment(sheet.name, r + 1, own, rating, remark, ready_by), own or "Chung")

    def subcommittee(
        self, text: str, own: str | None, place: tuple[str, int], column: str | None
    ) -> tuple[bool, str | None]:
        """(known, the subcommittee): blank is the sheet's own subcommittee, or the whole unit (None)."""
        if not text:
            return True, own
        if fold(text) in WHOLE_UNIT or self.names.unit(text) is not None:
            return True, None
        sub = self.names.subcommittee(text)
        if sub is None:
            suggestions = ", ".join(self.names.subcommittee_suggestions(text))
            accepted = ", ".join(s.short for s in self.names.config.subcommittees)
            self.error(
                "assessment_subcommittee_unknown", place, column, text, suggestions=suggestions, accepted=accepted
            )
            return False, None
        return True, sub

    def ready_by(self, value: object, place: tuple[str, int], column: str | None) -> dt.date | None:
        """The ready-by date; one that is no date is a warning, and left empty."""
        try:
            return parse_date(value, self.year)
        except BadValue as bad:
            shown_value = cell_text(shown(bad.value))
            self.report.warnings.append(Message("assessment_ready_by_invalid", *place, column, shown_value))
            return None

    def add(self, assessment: Assessment, written: str) -> None:
        """One assessment; a second one for the same subcommittee (or the whole unit) is a warning, the first
        one stays."""
        first = self.seen.get(assessment.subcommittee)
        if first is not None:
            params = {"first_sheet": first.sheet, "first_row": str(first.row)}
            msg = Message("assessment_repeated", assessment.sheet, assessment.row, None, written, params)
            self.report.warnings.append(msg)
            return
        self.seen[assessment.subcommittee] = assessment
        self.found.append(assessment)

    def error(self, code: str, place: tuple[str, int], column: str | None, value: object, **params: str) -> None:
        self.report.errors.append(Message(code, place[0], place[1], column, value, params))


def _signature(texts: list[str]) -> bool:
    return any(is_signature(t) for t in texts if t)


def _ends_table(texts: list[str]) -> bool:
    """The signature block, or the next section ('III. Kiến nghị'), ends an assessment table."""
    first = next((t for t in texts if t), "")
    return bool(HEADING_PREFIX.match(first)) or _signature(texts)


def block_cells(sheet: Sheet, upto: int) -> dict[str, tuple[object, int, int]]:
    """Meaning -> (value, row, col) of the first 'Label: value' cell of each assessment label in the rows
    above ``upto``; the value may be in the next cell ('Tự đánh giá:' | 'Đạt'), and a label written without
    its colon counts when the next cell is a rating."""
    found: dict[str, tuple[object, int, int]] = {}
    rows, texts = sheet.rows, sheet.texts
    for r in range(min(upto, len(rows))):
        row = texts[r]
        for c, text in enumerate(row):
            if not text or len(text) > 2000:
                continue
            m = _LABEL.match(text)
            label, rest = (m.group(1), m.group(2).strip()) if m else (text, "")
            meaning = _BLOCK_LABELS.get(fold(label))
            if meaning is None or meaning in found:
                continue
            if rest:
                found[meaning] = (rest, r, c)
                continue
            after = next((c2 for c2 in range(c + 1, len(row)) if row[c2]), None)
            if after is None or _is_label(row[after]):
                continue
            value = rows[r][after]
            if m is None and (meaning != "rating" or not parse_rating(value)):
                continue  # a title 'Tự đánh giá' with no colon is a label only before a rating
            found[meaning] = (clean(value) if isinstance(value, str) else value, r, after)
    return found


def _is_label(text: str) -> bool:
    m = _LABEL.match(text)
    return m is not None and fold(m.group(1)) in _BLOCK_LABELS


def read_assessments(
    report: Report, sheets: list[Sheet], tables: list[tuple[Sheet, Header, int]], names: Names, year: int
) -> list[Assessment]:
    """The unit's own assessments in a file (see the module's docstring); errors and warnings go to the
    report."""
    return AssessmentReader(report, names, year).read(sheets, tables)
