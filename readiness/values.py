"""Normalizers for cell values: status, percent, dates, weights. Pure functions, no I/O."""

from __future__ import annotations

import datetime as dt
import math
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
MAX_WEIGHT = 1000.0  # a weight says how much one task counts beside another; more is a typo


def parse_number(text: str) -> float | None:
    """'80,5' or '80.5' -> 80.5; None when the text is not a plain number."""
    t = text.replace(" ", "").replace("\xa0", "")
    if not _NUMBER.match(t):
        return None
    return float(t.replace(",", "."))


def _finite(number: float, value: object) -> float:
    # NaN or an infinity (a numeric cell, or 400 digits of text) would poison every sum it enters.
    if not math.isfinite(number):
        raise BadValue("number_not_finite", shown(value))
    return number


def _float(value: int | float) -> float:
    """The cell's number as a finite float; BadValue for NaN, an infinity or an int past float's range."""
    try:
        return _finite(float(value), value)
    except OverflowError:  # an int past float's range
        raise BadValue("number_not_finite", "∞" if value > 0 else "-∞") from None


def shown(value: object) -> object:
    """A cell value as a message shows it: NaN and the infinities in signs a clerk reads, a huge number
    in a few digits, a date as dd/mm/yyyy; anything else as it is."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return "NaN" if math.isnan(value) else ("-∞" if value < 0 else "∞")
        return _fmt_number(value)
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"  # strftime writes year 1 as '1'
    return value


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
        number = _float(value)
        if 0 < number < 1 or (fractions and number == 1):
            number *= 100
    else:
        text = clean(str(value))
        if not text or text in {"-", "–"}:
            return None
        has_sign = text.endswith("%")
        parsed = parse_number(text.rstrip("%").strip())
        if parsed is None:
            raise BadValue("percent_invalid", text)
        number = parsed
        _finite(number, text)
        if not has_sign and 0 < number < 1 and "," not in text and "." in text:
            number *= 100  # "0.8" typed in a percent-formatted cell's CSV export
    number = round(number, 6)
    if number < 0 or number > 100:
        raise BadValue("percent_range", _fmt_number(number))
    return number


def _fmt_number(x: float) -> str:
    if abs(x) >= 1e15:  # 1e308 as its 309 digits helps nobody
        return f"{x:.6g}".replace(".", ",")
    return str(int(x)) if x == int(x) else str(x).replace(".", ",")


def parse_weight(value: object) -> float | None:
    """A weight in (0, MAX_WEIGHT]; None for blank.

    Raises BadValue: ``weight_invalid`` when unreadable or not positive (the reader falls back to 1),
    ``number_not_finite`` or ``weight_range`` when it is NaN, infinite or over MAX_WEIGHT.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _float(value)
    else:
        text = clean(str(value))
        parsed = parse_number(text)
        if parsed is None:
            raise BadValue("weight_invalid", value)
        number = parsed
        _finite(number, text)
    if number <= 0:
        raise BadValue("weight_invalid", value)
    if number > MAX_WEIGHT:
        raise BadValue("weight_range", _fmt_number(number))
    return number


EXCEL_EPOCH = dt.date(1899, 12, 30)
# No date a unit writes falls outside these years; 0001 and 9999 are what a slip or a placeholder gives.
MIN_YEAR, MAX_YEAR = 1900, 2200
# Beyond this many days from the epoch a number is no date of this or the next century (2119-01-08).
_SERIAL_MAX = 80000
_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_DM = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_LONG = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")


def excel_serial(number: float) -> dt.date | None:
    """An Excel date serial (days since 1899-12-30) if it is a plausible date."""
    if 20000 <= number <= _SERIAL_MAX:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def parse_date(value: object, year: int) -> dt.date | None:
    """A date from a cell, day first always; None for blank.

    ``year`` completes 'dd/mm' (the exercise's year). Raises BadValue: ``deadline_invalid`` when it
    is no date, ``date_out_of_range`` for a year outside MIN_YEAR..MAX_YEAR or a number too large to
    be a date, ``number_not_finite`` for NaN or an infinity.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return _in_years(day, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _float(value)
        serial = excel_serial(number)
        if serial is None:
            # A small number (a year, a count of days) is just not a date; a huge one is a broken cell.
            raise BadValue("date_out_of_range" if abs(number) > _SERIAL_MAX else "deadline_invalid", value)
        return serial
    return _date_of_text(str(value), year)


def _in_years(day: dt.date, value: object) -> dt.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise BadValue("date_out_of_range", value)
    return day


@lru_cache(maxsize=8192)
def _date_of_text(value: str, year: int) -> dt.date | None:
    text = clean(value)
    if not text:
        return None
    try:
        if m := _DMY.match(text):
            d, mo, y = (int(g) for g in m.groups())
            # Only a two-digit year is completed: '01/01/0001' is year 1, not 2001.
            return _in_years(dt.date(y + 2000 if len(m.group(3)) == 2 else y, mo, d), text)
        if m := _YMD.match(text):
            y, mo, d = (int(g) for g in m.groups())
            return _in_years(dt.date(y, mo, d), text)
        if m := _DM.match(text):
            d, mo = (int(g) for g in m.groups())
            return dt.date(year, mo, d)
        if m := _LONG.search(fold_spaced(text)):
            d, mo, y = (int(g) for g in m.groups())
            return _in_years(dt.date(y, mo, d), text)
        number = parse_number(text)
        if number is not None and (day := excel_serial(_finite(number, text))):
            return day
        if number is not None and abs(number) > _SERIAL_MAX:
            raise BadValue("date_out_of_range", text)
    except BadValue:
        raise
    except ValueError:  # a day or month that does not exist: 31/02, 13/13
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
