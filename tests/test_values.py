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
