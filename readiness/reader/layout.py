"""Where the table is: its header row, the unit and report date in the block above it, and what each
row under it is (a task, a section heading, a total, the signature block that ends it)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import clean, fold
from ..values import STATUSES, BadValue, find_long_date, parse_date, parse_status
from .names import HEADING_PREFIX, Names, column_meaning
from .sheets import Sheet, cell_text

HEADER_SCAN_ROWS = 30

# ---------------------------------------------------------------- the header row


@dataclass
class Header:
    row: int  # 0-based index of the (last) header row
    columns: dict[str, int]  # meaning -> column index
    names: dict[int, str]  # column index -> header text as written
    extras: dict[int, str]  # unrecognized columns kept as notes
    ticks: dict[int, str] = field(default_factory=dict)  # tick column -> the status a mark in it gives

    @property
    def has_progress(self) -> bool:
        return "status" in self.columns or "percent" in self.columns

    def text(self, texts: list[str], meaning: str) -> str:
        """A row's text in the column of a meaning ('' when the table has no such column)."""
        c = self.columns.get(meaning)
        return texts[c] if c is not None and c < len(texts) else ""


def find_header(sheet: Sheet) -> Header | None:
    """The task table's header row in the first 30 rows (a two-row header is merged into one).

    The first row that names a task column and a status or percent column wins (merged with the
    row under it when that names more columns); scanning stops there.
    """
    limit = min(len(sheet.rows), HEADER_SCAN_ROWS + 1)
    texts = sheet.texts
    meanings = [[column_meaning(t) if t else None for t in texts[r]] for r in range(min(2, limit))]
    best: Header | None = None
    best_score = 0
    for r in range(min(limit, HEADER_SCAN_ROWS)):
        if r + 1 < limit and len(meanings) <= r + 1:
            meanings.append([column_meaning(t) if t else None for t in texts[r + 1]])
        if best is not None and best.has_progress and r > best.row:
            break
        if not any(meanings[r]):
            continue
        for last, cols, nms in _candidates(texts, meanings, r, limit):
            if "task" not in cols:
                continue
            score = len(cols) + (2 if "status" in cols or "percent" in cols else 0)
            if score > best_score:
                used = set(cols.values())
                extras = {c: n for c, n in nms.items() if c not in used and column_meaning(n) is None}
                best, best_score = Header(last, cols, nms, extras), score
    if best is not None:
        _find_ticks(best, texts, limit)
    return best


# ---------------------------------------------------------------- tick columns


def _find_ticks(header: Header, texts: list[list[str]], limit: int) -> None:
    """Tick columns ('Hoàn thành | Đang thực hiện | Chưa thực hiện' under 'Kết quả thực hiện', a mark in
    one of them) in the header row or in the sub-heading row under it, which then ends the header.

    They become the status column; their headings are not kept as notes.
    """
    below = header.row + 1
    if below < limit and (ticks := tick_headings(texts[below])) and _sub_heading_row(header, texts[below]):
        header.row = below
        header.names.update({c: texts[below][c] for c in ticks})
    elif not (ticks := tick_headings(texts[header.row])):
        return
    header.ticks = ticks
    for meaning, c in list(header.columns.items()):  # 'Vướng mắc' names a note column and a status
        if c in ticks:
            del header.columns[meaning]
            others = [o for o, t in sorted(header.names.items()) if o not in ticks and column_meaning(t) == meaning]
            if others:
                header.columns[meaning] = others[0]
    header.columns["status"] = min(ticks)
    for c in ticks:
        header.extras.pop(c, None)


def tick_headings(cells: list[str]) -> dict[int, str]:
    """The longest run of adjacent cells naming distinct statuses (at least two): column -> status."""
    best: dict[int, str] = {}
    run: dict[int, str] = {}
    for c, text in enumerate(cells):
        status = _tick_status(text)
        if status and status not in run.values() and (not run or c - 1 in run):
            run[c] = status
            continue
        if len(run) > len(best):
            best = run
        run = {c: status} if status else {}
    if len(run) > len(best):
        best = run
    return best if len(best) >= 2 else {}


def _tick_status(text: str) -> str | None:
    # A heading is a word: a lone "x" or "✓" is a mark, not the name of a column.
    if len(text) < 2 or column_meaning(text) not in (None, "note"):
        return None
    status = parse_status(text)
    return status if status in STATUSES else None


def _sub_heading_row(header: Header, cells: list[str]) -> bool:
    """The row under the header is its sub-headings, not a task: its task cell is blank or repeats the
    heading (a merged 'Nội dung' cell filled down)."""
    task = header.text(cells, "task")
    return not task or column_meaning(task) == "task"


def _candidates(
    texts: list[list[str]], meanings: list[list[str | None]], r: int, limit: int
) -> list[tuple[int, dict[str, int], dict[int, str]]]:
    """Row r as a header, and rows r and r + 1 as one when together they name more columns."""
    columns, names = _header_from(texts[r], meanings[r])
    candidates = [(r, columns, names)]
    if r + 1 < limit and any(meanings[r + 1]):
        merged, merged_meanings = _two_rows(texts[r], texts[r + 1], meanings[r], meanings[r + 1])
        m_columns, m_names = _header_from(merged, merged_meanings)
        if len(m_columns) > len(columns):
            candidates.append((r + 1, m_columns, m_names))
    return candidates


def _two_rows(
    top: list[str], sub: list[str], top_meanings: list[str | None], sub_meanings: list[str | None]
) -> tuple[list[str], list[str | None]]:
    """A group heading over sub-headings as one row: a sub-heading that names a column wins."""
    merged, merged_meanings = [], []
    for c in range(max(len(top), len(sub))):
        s = sub[c] if c < len(sub) else ""
        t = top[c] if c < len(top) else ""
        sm = sub_meanings[c] if c < len(sub) else None
        tm = top_meanings[c] if c < len(top) else None
        merged.append(s if sm else (t or s))
        merged_meanings.append(sm if sm else (tm if t else None))
    return merged, merged_meanings


def _header_from(cells: list[str], meanings: list[str | None]) -> tuple[dict[str, int], dict[int, str]]:
    columns: dict[str, int] = {}
    names: dict[int, str] = {}
    for i, text in enumerate(cells):
        meaning = meanings[i]
        if meaning and meaning not in columns:
            columns[meaning] = i
        if text:
            names[i] = text
    return columns, names


# ---------------------------------------------------------------- the block above the table


_LABEL = re.compile(r"^\s*([^:：]{2,40})[:：]\s*(.*)$")
UNIT_LABELS = {"donvi", "donvibaocao", "donvithuchien", "unit", "tendonvi", "coquan", "coquandonvi"}
DATE_LABELS = {
    "ngaybaocao",
    "baocaongay",
    "tinhdenngay",
    "reportdate",
    "ngaylap",
    "thoidiembaocao",
    "solieutinhdenngay",
}
ISSUER_MARKS = ("ubnd", "uybannhandan", "thanhuy", "danguy", "huyenuy", "banchidao", "bantochuc")


def _labelled(rows: list[list], upto: int, labels: set[str]) -> tuple[object, int, int] | None:
    """The value of a 'Label: value' cell (or of the cell after 'Label:') above the table."""
    for r in range(min(upto, len(rows))):
        row = rows[r]
        for c, value in enumerate(row):
            if not isinstance(value, str) or ":" not in value and "：" not in value:
                continue
            m = _LABEL.match(clean(value))
            if not m or fold(m.group(1)) not in labels:
                continue
            rest = m.group(2).strip()
            if rest:
                return rest, r, c
            for c2 in range(c + 1, len(row)):
                if row[c2] not in ("", None):
                    return row[c2], r, c2
    return None


def find_unit_in_block(rows: list[list], upto: int, names: Names) -> tuple[str | None, str | None, int, int]:
    """(known unit, text as written, row, col) named above the table, or Nones."""
    found = _labelled(rows, upto, UNIT_LABELS)
    if found:
        text, r, c = found
        text = cell_text(text)
        return names.unit(text), text, r, c
    for r in range(min(upto, len(rows))):
        for c, value in enumerate(rows[r]):
            if isinstance(value, str) and value.strip() and (unit := names.unit(value)):
                return unit, clean(value), r, c
    # The unit's name under the issuing body's name ("UBND THÀNH PHỐ TAM ĐIỆP" / "PHÒNG NỘI VỤ").
    for r in range(min(upto, len(rows)) - 1):
        for c, value in enumerate(rows[r]):
            if isinstance(value, str) and fold(value).startswith(ISSUER_MARKS):
                below = rows[r + 1][c] if c < len(rows[r + 1]) else ""
                text = cell_text(below)
                if text and not fold(text).startswith(("doclap", "conghoa")):
                    return names.unit(text), text, r + 1, c
    return None, None, -1, -1


def find_report_date(
    rows: list[list], upto: int, year: int
) -> tuple[dt.date | None, object, int, int, BadValue | None]:
    """(date, text, row, col, why it is no date) of 'Ngày báo cáo: ...' above the table, else of
    'ngày .. tháng .. năm' anywhere."""
    found = _labelled(rows, upto, DATE_LABELS)
    if found:
        value, r, c = found
        try:
            return parse_date(value, year, periods=False), value, r, c, None  # a report is made on a day
        except BadValue as bad:
            return None, value, r, c, bad
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and "th" in value and (d := find_long_date(value)):
                return d, value, r, c, None
    return None, None, -1, -1, None


# ---------------------------------------------------------------- the rows under the header

END, SKIP, HEADING, TASK = "end", "skip", "heading", "task"

SIGNATURE_MARKS = (
    "nguoilapbieu",
    "nguoilap",
    "thutruongdonvi",
    "thutruongcoquan",
    "tmubnd",
    "tmuybannhandan",
    "tmbanchihuy",
    "tmdanguy",
    "xacnhancua",
    "kytenvadongdau",
    "kyghirohoten",
    "nguoibaocao",
    "noinhan",
)
TOTAL_MARKS = ("tongcong", "tongso", "cong", "total", "tong")
_ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUMBERING_CELL = re.compile(r"^\(?\d{1,2}\)?$")


def row_kind(texts: list[str], header: Header, names: Names, has_data: bool, has_progress: bool) -> tuple[str, str]:
    """What a row under the header is, and its text: (END, '') for the signature block that ends the
    table, (SKIP, '') for a total or a row with no task, (HEADING, label) or (TASK, task text).

    ``has_data``: anything in a status, percent, deadline, owner, code or weight column;
    ``has_progress``: anything in a status, percent or deadline column.
    """
    task_text = header.text(texts, "task")
    # The signature block ends the table; its words may sit in any column.
    if (not has_progress or not task_text or starts_with(task_text, SIGNATURE_MARKS)) and any(
        is_signature(t) for t in texts if t
    ):
        return END, ""
    seq = header.text(texts, "seq")
    first_text = next((t for t in texts if t and not _NUMBERING_CELL.match(t)), "")
    if task_text:
        is_total = starts_with(task_text, TOTAL_MARKS)
    else:
        is_total = any(starts_with(t, TOTAL_MARKS) for t in (seq, first_text) if t)
    if is_total:
        return SKIP, ""
    label = task_text or first_text
    if label == seq and _is_heading_marker(seq):  # "II | | Thực binh": the numeral is not the heading's name
        label = next((t for t in texts if t and t != seq and not _NUMBERING_CELL.match(t)), seq)
    heading = (
        _is_heading_marker(seq)
        or bool(HEADING_PREFIX.match(label) and not seq and not has_data)
        or (not has_data and not task_text)
        or (not has_data and "seq" in header.columns and not seq)
        or (not has_data and names.subcommittee(label) is not None)
    )
    if heading:
        return HEADING, label
    return (TASK, task_text) if task_text else (SKIP, "")


def numbering_row(cells: list[str]) -> bool:
    """A row of column numbers under the header: (1) (2) (3) ..."""
    filled = [c for c in cells if c]
    return len(filled) >= 3 and all(_NUMBERING_CELL.match(c) for c in filled)


def _is_heading_marker(seq: str) -> bool:
    s = seq.strip().rstrip(".-)/ ")
    return bool(s) and (bool(_ROMAN.match(s)) or (len(s) == 1 and s in "ABCDE"))


def starts_with(text: str, marks: tuple[str, ...]) -> bool:
    """The text, folded, is one of the marks or starts with one longer than four letters."""
    return _key_starts_with(fold(text), marks)


@lru_cache(maxsize=65536)
def _key_starts_with(key: str, marks: tuple[str, ...]) -> bool:
    return any(key == m or (key.startswith(m) and len(m) > 4) for m in marks)


@lru_cache(maxsize=65536)
def is_signature(text: str) -> bool:
    """A signature-block cell: 'Người lập biểu', 'TM. UBND', or '…, ngày 15 tháng 9 năm 2023'."""
    return starts_with(text, SIGNATURE_MARKS) or find_long_date(text) is not None
