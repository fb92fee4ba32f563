"""Normalizers for cell values: status, percent, dates, weights. Pure functions, no I/O."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from functools import lru_cache

from .text import clean, fold, strip_accents

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


# A percent at the end or the start of a status cell: 'Đang thực hiện (70%)', 'Đang làm, đạt 70 %',
# '70% - đang thực hiện'. The status part is what is left with its punctuation and an 'đạt' (reached)
# or 'được' trimmed off.
_PERCENT = r"(?P<percent>\d+(?:[.,]\d+)?)\s*%"
_FILLER = r"(?:(?:đạt|dat|được|duoc|khoảng|khoang|~)\s*)?"
_STATUS_THEN_PERCENT = re.compile(rf"^(?P<status>.*?)[\s:,;(\[\-–—]*{_FILLER}{_PERCENT}[\s)\]]*$", re.IGNORECASE)
_PERCENT_THEN_STATUS = re.compile(rf"^[\s(\[]*{_PERCENT}[\s)\]:,;\-–—]*(?P<status>.*?)$", re.IGNORECASE)
_STATUS_EDGES = " :,;()[]-–—"
_STATUS_MAX = 100  # the longest status word is 15 letters; a few words and a percent fit well within


def split_status_percent(text: str) -> tuple[str, float] | None:
    """('Đang thực hiện', 70.0) for a status cell that also holds a percent; None when it holds none.

    The percent comes after the status ('Đang thực hiện (70%)', 'Đang làm 70%', 'Đang thực hiện - 70 %',
    'Đang triển khai: 45,5%', 'Hoàn thành 100%') or before it ('70% - đang thực hiện'). The first part
    is the status as written (cleaned, its punctuation trimmed) and must be a status ``parse_status``
    knows, so that 'Tỷ lệ 70%' is no status with a percent. The '%' sign is required: a bare number
    after a status ('Đang làm 2') may be a count, a phase or an item number as well as a percent.
    Raises BadValue ``percent_range`` for a percent over 100, as ``parse_percent`` does.
    """
    cleaned = clean(text)
    if "%" not in cleaned or len(cleaned) > _STATUS_MAX:  # a longer text is a note, not a status
        return None
    m = _STATUS_THEN_PERCENT.match(cleaned) or _PERCENT_THEN_STATUS.match(cleaned)
    if not m:
        return None
    status = m.group("status").strip(_STATUS_EDGES)
    if not parse_status(status):  # None: not a status; '': no status at all, just a percent
        return None
    percent = parse_percent(m.group("percent") + "%")
    assert percent is not None  # digits and a sign are never blank
    return status, percent


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


def parse_date(value: object, year: int, *, periods: bool = True) -> dt.date | None:
    """A date from a cell, day first always; None for blank.

    ``year`` completes a date or a month written without one (the exercise's year). Text may hold
    words around one date ('Trước 30/9/2023', 'Hạn: 30/09/2023 (dự kiến)'); a month or a quarter
    ('Tháng 10/2023', 'Quý IV') means its last day unless ``periods`` is False (a report is made on a
    day, not in a month). Raises BadValue: ``deadline_invalid`` when it is no date, ``date_out_of_range``
    for a year outside MIN_YEAR..MAX_YEAR or a number too large to be a date, ``number_not_finite``
    for NaN or an infinity.
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
    return _date_of_text(str(value), year, periods)


def _in_years(day: dt.date, value: object) -> dt.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise BadValue("date_out_of_range", value)
    return day


@lru_cache(maxsize=8192)
def _date_of_text(value: str, year: int, periods: bool = True) -> dt.date | None:
    text = clean(value)
    if not text:
        return None
    try:
        # The exact forms first: they are nearly every cell, and a regex match is all they cost.
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
        number = parse_number(text)
        if number is not None:
            if day := excel_serial(_finite(number, text)):
                return day
            if abs(number) > _SERIAL_MAX:
                raise BadValue("date_out_of_range", text)
            # '10.2023' is October, as '10/2023' is; '2023' or '45,5' is no date (read below).
        if m := _LONG.fullmatch(fold_spaced(text)):
            d, mo, y = (int(g) for g in m.groups())
            return _in_years(dt.date(y, mo, d), text)
        return _date_in_words(text, year, periods)
    except BadValue:
        raise
    except ValueError:  # a day or month that does not exist: 31/02, 13/13, 'Tháng 13'
        pass
    raise BadValue("deadline_invalid", text)


# ---------------------------------------------------------------- a date among words, a month, a quarter
#
# The text is cut into tokens: words (folded: no case, no diacritics) and numbers, where a number is
# digits joined by '/', '-' or '.' ('30/9/2023', '10/2023', '4'). Exactly one date, month or quarter
# must come out of them; every other word is free ('Hạn:', 'trước ngày', '(dự kiến)') but every other
# number makes the text no date: a number beside a date may be part of a range ('từ 1 đến 30/9'), a
# document's number ('45/KH-UBND ngày 15/8/2023': the plan's date, not a deadline) or a count, and
# which day is meant is then a guess. A deadline left empty with a warning is better than a wrong one.

# Dashes count as '-' ('30–09–2023' from Word); zero-width characters copied from a web page go.
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
    | dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff")
)
# A time of day ('17h00 ngày 30/9', '17 giờ', '17:00') is passed over: it says when on that day.
_TOKEN = re.compile(
    r"(?P<time>[0-9]{1,2}\s*(?:(?:h|gio)(?:\s*[0-9]{2})?|:[0-9]{2})(?![a-z0-9]))"
    r"|(?P<number>[0-9]+(?:\s*[/.\-]\s*[0-9]+)*)|(?P<word>[a-z]+)"
)
_PARTS = re.compile(r"[0-9]+")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Words just before a date that make it no deadline: 'từ 1/9' (from), 'sau 30/9' (after), 'kể từ'.
_NOT_BY_DATE = {"tu", "sau"}
# ... and just before a month or quarter: 'trước tháng 10' is before October begins, not its last day;
# 'đầu tháng 10' (early) and 'giữa tháng 10' (mid) are no day at all.
_NOT_BY_PERIOD = _NOT_BY_DATE | {"truoc", "dau", "giua"}
# Words passed over when looking at the word before a date: 'từ ngày 1/9', 'trước T10/2023'.
_BEFORE_DATE = {"ngay", "t"}


def _tokens(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(word, ()) for a word, ('', digit groups) for a number: 'Trước 30/9' -> [('truoc', ()), ('', ('30', '9'))]."""
    folded = strip_accents(text).lower().translate(_DASHES)
    out: list[tuple[str, tuple[str, ...]]] = []
    for m in _TOKEN.finditer(folded):
        if run := m.group("number"):
            out.append(("", tuple(_PARTS.findall(run))))
        elif m.group("word"):
            out.append((m.group("word"), ()))
    return out


def _last_day(y: int, month: int) -> dt.date:
    return dt.date(y, month, calendar.monthrange(y, month)[1])  # ValueError for month 13


def _year(digits: str, text: str) -> int:
    """A four-digit year as written in ``text``; BadValue date_out_of_range outside MIN_YEAR..MAX_YEAR."""
    y = int(digits)
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise BadValue("date_out_of_range", text)
    return y


def _date_in_words(text: str, year: int, periods: bool) -> dt.date:
    """The one date, month or quarter among the words of ``text``; BadValue or ValueError otherwise."""
    tokens = _tokens(text)
    n = len(tokens)

    def word(i: int) -> str:
        return tokens[i][0] if 0 <= i < n else ""

    def groups(i: int) -> tuple[str, ...]:
        return tokens[i][1] if 0 <= i < n else ()

    def number(i: int, *sizes: int) -> str | None:
        """The digits of token i when it is one group of one of these lengths."""
        g = groups(i)
        return g[0] if len(g) == 1 and len(g[0]) in sizes else None

    def year_after(i: int) -> tuple[int, int]:
        """(year, next token) for an optional '2023' or 'năm 2023' at token i; else the exercise's year."""
        if (y := number(i, 4)) is not None:
            return _year(y, text), i + 1
        if word(i) == "nam" and (y := number(i + 1, 4)) is not None:
            return _year(y, text), i + 2
        return year, i

    def counted(i: int) -> tuple[int, int, int] | None:
        """(n, year, next token) for the month or quarter number at token i: '10', '10 năm 2023',
        '10/2023'; None when token i is no number."""
        g = groups(i)
        if len(g) == 1 and len(g[0]) <= 2:
            return int(g[0]), *year_after(i + 1)
        if len(g) == 2 and len(g[0]) <= 2 and len(g[1]) == 4:
            return int(g[0]), _year(g[1], text), i + 1
        if g:  # 'tháng 9/10': September or October?
            raise ValueError("no month")
        return None

    found: list[tuple[dt.date, bool, int, int]] = []  # (day, is a month or quarter, first token, past last)
    i = 0
    while i < n:
        start = i
        w, parts = tokens[i]
        if w in ("quy", "q"):  # 'Quý IV/2023', 'quý 4 năm 2023', 'Q4/2023', 'Quý IV'
            if w == "quy" and word(i + 1) in _ROMAN:
                quarter, (y, i) = _ROMAN[word(i + 1)], year_after(i + 2)
            elif got := counted(i + 1):
                quarter, y, i = got
            else:  # 'hàng quý', 'quy định': a word
                i += 1
                continue
            if not 1 <= quarter <= 4:
                raise ValueError("no quarter")
            found.append((_last_day(y, 3 * quarter), True, start, i))
        elif w == "thang":  # 'Tháng 10/2023', 'tháng 10 năm 2023', 'tháng 10'
            if got := counted(i + 1):
                month, y, i = got
                found.append((_last_day(y, month), True, start, i))
            else:  # 'hàng tháng', 'cuối tháng': a word
                i += 1
        elif w:
            i += 1
        elif len(parts) == 1:  # 'ngày 30 tháng 9 năm 2023', '30 tháng 9/2023', 'ngày 30 tháng 9'
            if len(parts[0]) > 2 or word(i + 1) != "thang" or not (got := counted(i + 2)):
                raise ValueError("a number that is no date")
            month, y, i = got
            found.append((dt.date(y, month, int(parts[0])), False, start, i))
        elif len(parts) == 2:
            a, b = parts
            if len(a) <= 2 and len(b) == 4:  # '10/2023': a month
                found.append((_last_day(_year(b, text), int(a)), True, start, i + 1))
                i += 1
            elif len(a) <= 2 and len(b) <= 2:  # '30/9', '30/9 năm 2023'
                y, i = year_after(i + 1)
                found.append((dt.date(y, int(b), int(a)), False, start, i))
            else:
                raise ValueError("no date")
        elif len(parts) == 3:  # '30/9/2023', '30-9-23', '2023-09-30'
            a, b, c = parts
            if len(a) <= 2 and len(b) <= 2 and len(c) in (2, 4):
                # Only a two-digit year is completed, as in the exact forms.
                day = dt.date(int(c) + 2000 if len(c) == 2 else _year(c, text), int(b), int(a))
            elif len(a) == 4 and len(b) <= 2 and len(c) <= 2:
                day = dt.date(_year(a, text), int(b), int(c))
            else:
                raise ValueError("no date")
            found.append((day, False, start, i + 1))
            i += 1
        else:  # '01/9 - 30/9/2023': a range
            raise ValueError("no date")
    # Two dates ('01/9 - 30/9/2023', 'từ 1/9 đến 30/9', 'tháng 9 hoặc tháng 10') are a range or a
    # choice: which one is the deadline is a guess, so none is.
    if len(found) != 1:
        raise ValueError("not one date")
    ((day, period, start, end),) = found
    if period and not periods:
        raise ValueError("a period where a day is needed")
    before = start - 1
    while word(before) in _BEFORE_DATE:
        before -= 1
    if word(before) in (_NOT_BY_PERIOD if period else _NOT_BY_DATE):
        raise ValueError("a date that is no deadline")
    if word(end) == "tro" and word(end + 1) in ("di", "ve"):  # '30/9 trở đi': from 30/9 on
        raise ValueError("a date that is no deadline")
    return day


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
