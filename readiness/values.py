"""Normalizers for cell values: status, percent, dates, weights. Pure functions, no I/O."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .text import clean, fold

DONE, IN_PROGRESS, NOT_STARTED, BLOCKED, NOT_APPLICABLE = (
    "done",
    "in_progress",
    "not_started",
    "blocked",
    "not_applicable",
)
STATUSES = (DONE, IN_PROGRESS, NOT_STARTED, BLOCKED, NOT_APPLICABLE)

_STATUS_WORDS = {
    DONE: [
        "Hoàn thành",
        "Đã hoàn thành",
        "Xong",
        "Đã xong",
        "HT",
        "Done",
        "Completed",
        "Complete",
        "✓",
        "✔",
        "x",
        "Đã thực hiện",
    ],
    IN_PROGRESS: [
        "Đang thực hiện",
        "Đang triển khai",
        "Đang làm",
        "Đang tiến hành",
        "In progress",
        "Đang TH",
        "Đang hoàn thiện",
        "Đang xây dựng",
    ],
    NOT_STARTED: ["Chưa thực hiện", "Chưa triển khai", "Chưa bắt đầu", "Chưa", "Not started", "Chưa làm", "Chưa TH"],
    BLOCKED: ["Vướng mắc", "Khó khăn", "Tạm dừng", "Blocked", "Có vướng mắc", "Gặp khó khăn"],
    NOT_APPLICABLE: ["Không áp dụng", "Không thực hiện", "N/A", "NA", "KAD", "KAD", "Không AD"],
}
# "✓" folds to "", so symbols are looked up before folding.
_SYMBOLS = {"✓": DONE, "✔": DONE, "☑": DONE, "√": DONE}
_STATUS_BY_KEY = {fold(w): s for s, words in _STATUS_WORDS.items() for w in words if fold(w)}


def parse_status(value: object) -> str | None:
    """The status a cell means, '' for blank, or None when it is not understood."""
    if value.__class__ is str:
        return _status_of_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return DONE if value else ""
    return _status_of_text(str(value))


@lru_cache(maxsize=4096)
def _status_of_text(value: str) -> str | None:
    text = clean(value)
    if not text:
        return ""
    if text in _SYMBOLS:
        return _SYMBOLS[text]
    return _STATUS_BY_KEY.get(fold(text))


class BadValue(ValueError):
    """A cell value that cannot be read; the reader turns it into a message."""

    def __init__(self, code: str, value: object):
        super().__init__(code)
        self.code = code
        self.value = value


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


def parse_number(text: str) -> float | None:
    """'80,5' or '80.5' -> 80.5; None when the text is not a plain number."""
    t = text.replace(" ", "").replace("\xa0", "")
    if not _NUMBER.match(t):
        return None
    return float(t.replace(",", "."))


def parse_percent(value: object, fractions: bool = False) -> float | None:
    """Percent 0-100 from a cell; None for blank.

    A numeric cell between 0 and 1 (exclusive) is a percent-formatted cell (0.8 is 80%); 1 is
    100% when ``fractions`` says the column holds fractions. Raises BadValue when unreadable or
    out of range.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadValue("percent_invalid", value)
    if isinstance(value, (int, float)):
        number = float(value)
        if 0 < number < 1 or (fractions and number == 1):
            number *= 100
    else:
        text = clean(str(value))
        if not text or text in {"-", "–"}:
            return None
        has_sign = text.endswith("%")
        number = parse_number(text.rstrip("%").strip())
        if number is None:
            raise BadValue("percent_invalid", text)
        if not has_sign and 0 < number < 1 and "," not in text and "." in text:
            number *= 100  # "0.8" typed in a percent-formatted cell's CSV export
    number = round(number, 6)
    if number < 0 or number > 100:
        raise BadValue("percent_range", _fmt_number(number))
    return number


def _fmt_number(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x).replace(".", ",")


def parse_weight(value: object) -> float | None:
    """A positive weight; None for blank; BadValue otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        number = parse_number(clean(str(value)))
        if number is None:
            raise BadValue("weight_invalid", value)
    if number <= 0:
        raise BadValue("weight_invalid", value)
    return number


EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_DM = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_LONG = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")


def excel_serial(number: float) -> dt.date | None:
    """An Excel date serial (days since 1899-12-30) if it is a plausible date."""
    if 20000 <= number <= 80000:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def parse_date(value: object, year: int) -> dt.date | None:
    """A date from a cell, day first always; None for blank. Raises BadValue when unreadable.

    ``year`` completes 'dd/mm' (the exercise's year).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = excel_serial(float(value))
        if day is None:
            raise BadValue("deadline_invalid", value)
        return day
    return _date_of_text(str(value), year)


@lru_cache(maxsize=8192)
def _date_of_text(value: str, year: int) -> dt.date | None:
    text = clean(value)
    if not text:
        return None
    try:
        if m := _DMY.match(text):
            d, mo, y = (int(g) for g in m.groups())
            return dt.date(y + 2000 if y < 100 else y, mo, d)
        if m := _YMD.match(text):
            y, mo, d = (int(g) for g in m.groups())
            return dt.date(y, mo, d)
        if m := _DM.match(text):
            d, mo = (int(g) for g in m.groups())
            return dt.date(year, mo, d)
        if m := _LONG.search(fold_spaced(text)):
            d, mo, y = (int(g) for g in m.groups())
            return dt.date(y, mo, d)
        number = parse_number(text)
        if number is not None and (day := excel_serial(number)):
            return day
    except ValueError:
        pass
    raise BadValue("deadline_invalid", text)


def fold_spaced(text: str) -> str:
    """Folded text keeping single spaces between words and digits (for 'ngày 15 tháng 9 năm 2023')."""
    from .text import fold_words

    return fold_words(text)


def find_long_date(text: str) -> dt.date | None:
    """'Tam Điệp, ngày 15 tháng 9 năm 2023' -> 2023-09-15; None when absent or impossible."""
    m = _LONG.search(fold_spaced(text))
    if not m:
        return None
    d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None
