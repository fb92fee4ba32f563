"""Value normalizers: every status word of the contract, percents, day-first dates."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.values import BadValue, parse_date, parse_percent, parse_status, parse_weight

CONTRACT_STATUSES = {
    "done": ["Hoàn thành", "Đã hoàn thành", "Xong", "Đã xong", "HT", "Done", "Completed", "✓", "x"],
    "in_progress": ["Đang thực hiện", "Đang triển khai", "Đang làm", "Đang tiến hành", "In progress"],
    "not_started": ["Chưa thực hiện", "Chưa triển khai", "Chưa bắt đầu", "Chưa", "Not started"],
    "blocked": ["Vướng mắc", "Khó khăn", "Tạm dừng", "Blocked"],
    "not_applicable": ["Không áp dụng", "Không thực hiện", "N/A", "KAD"],
}


@pytest.mark.parametrize("status, word", [(s, w) for s, ws in CONTRACT_STATUSES.items() for w in ws])
def test_every_status_word_of_the_contract(status, word):
    assert parse_status(word) == status
    assert parse_status(word.upper()) == status
    assert parse_status(f"  {word}  ") == status


def test_status_without_diacritics_and_blank_and_unknown():
    assert parse_status("hoan thanh") == "done"
    assert parse_status("dang  thuc hien") == "in_progress"
    assert parse_status("") == ""
    assert parse_status(None) == ""
    assert parse_status("sắp xong") is None


@given(st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 1)))
def test_percent_written_with_decimal_comma_or_sign(x):
    text = f"{x:g}".replace(".", ",")
    assert parse_percent(text) == pytest.approx(x)
    assert parse_percent(text + "%") == pytest.approx(x)


@given(st.floats(min_value=100.01, max_value=1e6, allow_nan=False) | st.floats(max_value=-0.01, min_value=-1e6))
def test_percent_outside_0_100_is_refused(x):
    with pytest.raises(BadValue) as err:
        parse_percent(x)
    assert err.value.code == "percent_range"


def test_percent_formatted_cells():
    assert parse_percent(0.8) == 80
    assert parse_percent(1.0, fractions=True) == 100
    assert parse_percent(1.0) == 1
    assert parse_percent("") is None


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_dates_are_always_day_first(d):
    for text in (f"{d:%d/%m/%Y}", f"{d.day}/{d.month}/{d.year}", f"{d:%d-%m-%Y}", f"{d:%d.%m.%Y}", d.isoformat()):
        assert parse_date(text, 2023) == d
    assert parse_date(f"{d:%d/%m}", d.year) == d
    assert parse_date((d - dt.date(1899, 12, 30)).days, 2023) == d  # Excel serial


def test_impossible_dates_are_refused():
    for text in ("31/02/2023", "13/13/2023", "cuối tháng", "2023"):
        with pytest.raises(BadValue):
            parse_date(text, 2023)


def test_weights():
    assert parse_weight("2,5") == 2.5
    assert parse_weight(None) is None
    with pytest.raises(BadValue):
        parse_weight(0)


# ------------------------------------------------------------------ bad values never go in silently

from readiness.values import MAX_WEIGHT, MAX_YEAR, MIN_YEAR  # noqa: E402

NOT_FINITE = [float("nan"), float("inf"), float("-inf")]


@pytest.mark.parametrize("value", NOT_FINITE + ["9" * 400])
def test_nan_and_infinities_are_refused_in_every_numeric_reader(value):
    for parse in (parse_percent, parse_weight, lambda v: parse_date(v, 2023)):
        with pytest.raises(BadValue) as err:
            parse(value)
        assert err.value.code == "number_not_finite"


def test_a_huge_percent_is_out_of_range_and_shown_in_a_few_digits():
    with pytest.raises(BadValue) as err:
        parse_percent(1e308)
    assert (err.value.code, err.value.value) == ("percent_range", "1e+308")


SANE = [
    (parse_percent, lambda percent: 0 <= percent <= 100),
    (parse_weight, lambda weight: 0 < weight <= MAX_WEIGHT),
    (lambda value: parse_date(value, 2023), lambda day: MIN_YEAR <= day.year <= MAX_YEAR),
]


@given(st.floats() | st.integers(min_value=-(10**400), max_value=10**400) | st.text(max_size=30) | st.dates())
def test_whatever_a_cell_holds_it_reads_as_a_sane_value_or_is_refused_never_a_crash(value):
    for parse, sane in SANE:
        try:
            got = parse(value)
        except BadValue:
            continue
        assert got is None or sane(got)


def test_weights_over_the_bound_are_refused():
    assert parse_weight(MAX_WEIGHT) == MAX_WEIGHT
    for value in (MAX_WEIGHT + 1, 1e308, "5000"):
        with pytest.raises(BadValue) as err:
            parse_weight(value)
        assert err.value.code == "weight_range"


@pytest.mark.parametrize(
    "value",
    ["01/01/0001", "31/12/9999", "9999-12-31", "0001-01-01", dt.date(9999, 12, 31), dt.datetime(1, 1, 1), 1e308],
)
def test_year_0001_and_9999_and_huge_serials_are_never_dates(value):
    with pytest.raises(BadValue) as err:
        parse_date(value, 2023)
    assert err.value.code == "date_out_of_range"


def test_only_a_two_digit_year_is_completed():
    assert parse_date("15/09/23", 2023) == dt.date(2023, 9, 15)
    with pytest.raises(BadValue):
        parse_date("15/09/0023", 2023)  # year 23, not 2023: refused


def test_a_small_number_in_a_date_cell_is_no_date_not_a_broken_cell():
    for value in (2023, "2023", 5):
        with pytest.raises(BadValue) as err:
            parse_date(value, 2023)
        assert err.value.code == "deadline_invalid"


# ------------------------------------------------------------------ deadlines as people write them

from readiness.values import split_status_percent  # noqa: E402

D = dt.date
YEAR = 2023  # the exercise's year


@pytest.mark.parametrize(
    "text, expected",
    [
        # words around one date
        ("Trước 30/9/2023", D(2023, 9, 30)),
        ("trước ngày 30/9", D(2023, 9, 30)),
        ("Hạn: 30/09/2023", D(2023, 9, 30)),
        ("30/9/2023 (dự kiến)", D(2023, 9, 30)),
        ("Chậm nhất 15-10-2023", D(2023, 10, 15)),
        ("hoàn thành trước ngày 30 tháng 9 năm 2023", D(2023, 9, 30)),
        ("ngày 30 tháng 9", D(2023, 9, 30)),
        ("30 tháng 9 năm 2024", D(2024, 9, 30)),
        ("ngày 30 tháng 9/2023", D(2023, 9, 30)),
        ("trước ngày 30/9 năm 2024", D(2024, 9, 30)),
        ("Hạn: 2023-09-30", D(2023, 9, 30)),
        ("Trước 15/9/23", D(2023, 9, 15)),
        ("Trước 17h00 ngày 30/9/2023", D(2023, 9, 30)),  # a time of day says when on that day
        ("TRUOC NGAY 30/9/2023", D(2023, 9, 30)),
        ("trước   ngày\u00a030/9/2023", D(2023, 9, 30)),
        ("Chậm nhất 15–10–2023", D(2023, 10, 15)),  # en dash
        ("Chậm nhất 15—10—2023", D(2023, 10, 15)),  # em dash
        ("Trước 30/\u200b9/2023", D(2023, 9, 30)),  # a zero-width space from a web page
        ("Tam Điệp, ngày 15 tháng 9 năm 2023", D(2023, 9, 15)),
        ("03/08/2023 (dự kiến)", D(2023, 8, 3)),  # never month-first
        # a month means its last day
        ("Tháng 10/2023", D(2023, 10, 31)),
        ("T10/2023", D(2023, 10, 31)),
        ("tháng 10", D(2023, 10, 31)),
        ("Tháng 10 năm 2023", D(2023, 10, 31)),
        ("trong tháng 10/2023", D(2023, 10, 31)),
        ("cuối tháng 10", D(2023, 10, 31)),
        ("10/2023", D(2023, 10, 31)),
        ("10.2023", D(2023, 10, 31)),
        ("T10.2023", D(2023, 10, 31)),
        ("THANG 11/2023", D(2023, 11, 30)),
        ("Tháng 2/2024", D(2024, 2, 29)),  # leap year
        ("Tháng 2/2023", D(2023, 2, 28)),
        ("Tháng 2/2100", D(2100, 2, 28)),  # a century: no leap day
        ("Tháng 2/2000", D(2000, 2, 29)),  # ... unless it divides by 400
        ("tháng 2", D(2023, 2, 28)),
        ("Tháng 9 (dự kiến)", D(2023, 9, 30)),
        # a quarter means its last day
        ("Quý IV/2023", D(2023, 12, 31)),
        ("Quý 4/2023", D(2023, 12, 31)),
        ("quý 4 năm 2023", D(2023, 12, 31)),
        ("Quý IV", D(2023, 12, 31)),
        ("Q4/2023", D(2023, 12, 31)),
        ("trong Quý IV - 2023", D(2023, 12, 31)),
        ("cuối quý III", D(2023, 9, 30)),
    ],
)
def test_deadline_written_in_words(text, expected):
    assert parse_date(text, YEAR) == expected


@pytest.mark.parametrize(
    "quarter, roman, last",
    [(1, "I", D(2024, 3, 31)), (2, "II", D(2024, 6, 30)), (3, "III", D(2024, 9, 30)), (4, "IV", D(2024, 12, 31))],
)
def test_every_quarter_in_roman_and_arabic(quarter, roman, last):
    for text in (
        f"Quý {roman}/2024",
        f"Quý {quarter}/2024",
        f"quý {roman.lower()} năm 2024",
        f"Q{quarter}/2024",
        f"QUY {quarter} NAM 2024",
    ):
        assert parse_date(text, YEAR) == last, text
    assert parse_date(f"Quý {roman}", 2024) == last  # the exercise's year


@pytest.mark.parametrize(
    "text",
    [
        "01/9 - 30/9/2023",  # a range: which end is the deadline?
        "từ 1/9 đến 30/9",
        "Từ ngày 1/9/2023 đến ngày 30/9/2023",
        "từ ngày 1 tháng 9 năm 2023 đến ngày 30 tháng 9 năm 2023",
        "Tháng 9, tháng 10",
        "Quý III - IV/2023",
        "31/02/2023",  # no such day
        "Trước 31/9/2023",
        "ngày 32 tháng 9",
        "Tháng 13",
        "Tháng 0/2023",
        "Quý 5",
        "Q5/2023",
        "Thường xuyên",
        "Theo kế hoạch",
        "Khi có yêu cầu",
        "cuối tháng",
        "hàng quý",
        "2023",
        "T10",  # a bare 'T' with no year: too little to be a month
        "tháng 9/10",  # September or October?
        "Số 45/KH-UBND ngày 15/8/2023",  # the plan's date, not a deadline
        "Trước 30/9/2023 (lần 2)",  # a number beside the date: part of it, a count, another date?
        "sau 30/9/2023",  # after: no deadline
        "kể từ ngày 1/10",
        "30/9 trở đi",
        "trước tháng 10",  # before October begins: not its last day
        "đầu tháng 10",  # early October: no day
        "giữa quý IV",
    ],
)
def test_no_deadline_in_words(text):
    with pytest.raises(BadValue) as err:
        parse_date(text, YEAR)
    assert err.value.code == "deadline_invalid"


@pytest.mark.parametrize("text", ["Tháng 10/9999", "Quý IV/1800", "Trước 30/9/0001", "10/2201", "quý 4 năm 9999"])
def test_years_out_of_range_in_words_stay_out_of_range(text):
    with pytest.raises(BadValue) as err:
        parse_date(text, YEAR)
    assert (err.value.code, err.value.value) == ("date_out_of_range", text)  # the cell as written


def test_a_report_date_can_refuse_months_and_quarters():
    assert parse_date("Tam Điệp, ngày 15/9/2023", YEAR, periods=False) == D(2023, 9, 15)
    for text in ("Tháng 9/2023", "Quý III", "9/2023"):
        assert parse_date(text, YEAR) is not None
        with pytest.raises(BadValue) as err:
            parse_date(text, YEAR, periods=False)
        assert err.value.code == "deadline_invalid"


PREFIXES = [
    "",
    "Trước ",
    "trước ngày ",
    "Hạn: ",
    "Chậm nhất ",
    "Hoàn thành trước ",
    "HẠN CHÓT: ",
    "Không quá ngày ",
    "đến ngày ",
]
SUFFIXES = ["", " (dự kiến)", " (theo KH)", ".", " – dự kiến", ", báo cáo về Ban chỉ đạo"]


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    st.sampled_from(["{d.day}/{d.month}/{d.year}", "{d:%d/%m/%Y}", "{d.day}-{d.month}-{d.year}", "{d:%d.%m.%Y}"]),
    st.sampled_from(PREFIXES),
    st.sampled_from(SUFFIXES),
)
def test_words_around_a_date_do_not_change_it(d, form, prefix, suffix):
    bare = form.format(d=d)
    assert parse_date(prefix + bare + suffix, YEAR) == parse_date(bare, YEAR) == d


@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1900, max_value=2200),
    st.sampled_from(PREFIXES[:1] + ["trong ", "cuối ", "Hạn: "]),
)
def test_a_month_means_its_last_day(month, year, prefix):
    last = D(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    for text in (f"Tháng {month}/{year}", f"tháng {month:02d} năm {year}", f"T{month}/{year}", f"{month}/{year}"):
        assert parse_date(prefix + text, YEAR) == last, text
    assert parse_date(f"{prefix}tháng {month}", year) == last


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
)
def test_two_dates_are_no_deadline(a, b):
    for text in (
        f"{a:%d/%m/%Y} - {b:%d/%m/%Y}",
        f"từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}",
        f"{a.day}/{a.month} hoặc {b.day}/{b.month}/{b.year}",
    ):
        with pytest.raises(BadValue) as err:
            parse_date(text, YEAR)
        assert err.value.code == "deadline_invalid"


# ------------------------------------------------------------------ a percent inside the status cell


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Đang thực hiện (70%)", ("Đang thực hiện", 70)),
        ("Đang làm 70%", ("Đang làm", 70)),
        ("Đang thực hiện - 70 %", ("Đang thực hiện", 70)),
        ("Đang triển khai: 45,5%", ("Đang triển khai", 45.5)),
        ("Đang triển khai: 45.5%", ("Đang triển khai", 45.5)),
        ("Hoàn thành 100%", ("Hoàn thành", 100)),
        ("Chưa thực hiện 0%", ("Chưa thực hiện", 0)),
        ("Đang thực hiện, đạt 70%", ("Đang thực hiện", 70)),
        ("dang thuc hien (70\u00a0%)", ("dang thuc hien", 70)),
        ("70% - đang thực hiện", ("đang thực hiện", 70)),
        ("(70%) Đang làm", ("Đang làm", 70)),
    ],
)
def test_a_percent_inside_the_status_cell(text, expected):
    assert split_status_percent(text) == (expected[0], pytest.approx(expected[1]))
    assert parse_status(expected[0]) in ("done", "in_progress", "not_started")


@pytest.mark.parametrize(
    "text",
    [
        "Đang thực hiện",  # no percent
        "Đang làm 70",  # no '%': a count, a phase or a percent?
        "Tỷ lệ 70%",  # not a status
        "70%",  # a percent alone
        "sắp xong 70%",  # a status no one knows
        "",
        "Đang làm 70% (dự kiến)",
    ],
)
def test_no_status_with_a_percent(text):
    assert split_status_percent(text) is None


def test_a_status_with_a_percent_over_100_is_out_of_range():
    with pytest.raises(BadValue) as err:
        split_status_percent("Đang làm 170%")
    assert err.value.code == "percent_range"


@pytest.mark.parametrize("status, word", [(s, w) for s, ws in CONTRACT_STATUSES.items() for w in ws])
def test_every_status_word_alone_has_no_percent_and_with_one_splits(status, word):
    assert split_status_percent(word) is None
    assert split_status_percent(f"{word} (55%)") == (word, 55)
    assert parse_status(word) == status
