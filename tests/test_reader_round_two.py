"""The reader's second round (issue 9), clause by clause, in every file type that can hold the clause:
the .xlsx built here, the .xls and .ods LibreOffice made from the same source (committed, see
tests/fixtures/make_fixtures.py) and a CSV of the first sheet where a CSV can hold it."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import FIXTURES, xlsx
from round_two import SOURCES, Source

KINDS = ("xlsx", "xls", "ods", "csv")
CASES = [(name, kind) for name, source in SOURCES.items() for kind in KINDS if kind != "csv" or source.csv]


def as_csv(rows: list[list]) -> bytes:
    """The sheet as Excel's 'CSV UTF-8' saves it."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in rows])
    return buf.getvalue().encode("utf-8-sig")


def file_of(name: str, kind: str) -> tuple[bytes, str]:
    source = SOURCES[name]
    if kind == "xlsx":
        return xlsx(source.sheets, merges=source.merges), f"{name}.xlsx"
    if kind == "csv":
        first = next(iter(source.sheets))
        return as_csv(source.sheets[first]), f"{first}.csv"
    return (FIXTURES / "round_two" / f"{name}.{kind}").read_bytes(), f"{name}.{kind}"


def expected_tasks(source: Source, kind: str) -> list[tuple]:
    if kind == "csv" and source.csv_tasks is not None:
        return source.tasks[: source.csv_tasks]
    return source.tasks


def assert_messages(found, expected: list[tuple]) -> None:
    """Each expected (code, sheet, row, column letter, value, *texts in the message) is found exactly."""
    assert len(found) == len(expected), [m.message for m in found]
    for m, (code, sheet, row, col, value, *texts) in zip(found, expected, strict=True):
        assert (m.code, m.sheet, m.row, m.value) == (code, sheet, row, value), m.message
        assert m.column is not None and m.column.split(" ")[0] == col, m.column
        for text in texts:
            assert text in m.message, m.message


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_clause_reads_the_same_in_every_file_type(read, config, name, kind):
    source = SOURCES[name]
    data, filename = file_of(name, kind)
    rep = read(data, filename)
    short = {s.name: s.short for s in config.subcommittees}
    if source.errors:
        assert rep.status == "rejected"
        assert_messages(rep.errors, source.errors)
        return
    assert rep.status == "accepted", [m.message for m in rep.errors]
    assert rep.unit == source.unit
    got = [(t.row, t.task, short[t.subcommittee], t.status, t.percent, t.deadline) for t in rep.tasks]
    assert got == expected_tasks(source, kind)
    assert_messages(rep.warnings, source.warnings)


def test_ticks_are_the_status_column_and_their_headings_are_not_notes(read):
    rep = read(*file_of("ticks", "xlsx"))
    assert all("Hoàn thành" not in t.extra and "Vướng mắc" not in t.extra for t in rep.tasks)
    assert rep.tasks[3].note == "Chờ kinh phí"


def test_two_marks_name_both_cells_in_english_too(read):
    rep = read(*file_of("ticks_conflict", "xlsx"))
    (err,) = rep.errors
    assert err.column == "D (Hoàn thành)"
    assert "F8 (Chưa thực hiện)" in err.text("en") and "Mark one status column only" in err.text("en")


def test_status_percent_gives_way_to_the_percent_column(read):
    rows = [
        ["Đơn vị: Phường Yên Bình"],
        ["STT", "Nội dung công việc", "Tiểu ban", "Trạng thái", "Tỷ lệ (%)"],
        [1, "Văn kiện khối A", "Văn kiện", "Đang thực hiện (70%)", 80],
        [2, "Văn kiện khối B", "Văn kiện", "Đang thực hiện (70%)", ""],
    ]
    rep = read(xlsx({"S": rows}))
    assert [(t.status, t.percent) for t in rep.tasks] == [("in_progress", 80), ("in_progress", 70)]


def test_status_percent_over_100_is_an_error_at_the_status_cell(read):
    rows = [
        ["Đơn vị: Phường Yên Bình"],
        ["STT", "Nội dung công việc", "Tiểu ban", "Trạng thái"],
        [1, "Văn kiện khối A", "Văn kiện", "Đang thực hiện (170%)"],
    ]
    rep = read(xlsx({"S": rows}))
    assert [(m.code, m.row, m.column) for m in rep.errors] == [("percent_range", 3, "D (Trạng thái)")]


def test_unknown_subcommittee_names_the_closest_and_lists_all(read):
    rep = read(*file_of("sub_unknown", "xlsx"))
    (err,) = rep.errors
    assert "Gần nhất: An ninh" in err.message
    assert "Văn kiện" in err.message  # the whole list follows the closest


def test_ods_formula_without_a_value_in_a_percent_cell_is_an_error_naming_it(read):
    # An .ods written by a program (odfpy, a report generator) and never opened in a spreadsheet.
    from test_ods import cell, ods, row, values

    rows = [
        row(*values("Đơn vị: Phường Yên Bình")),
        row(*values("STT", "Nội dung công việc", "Tiểu ban", "Trạng thái", "Tỷ lệ (%)")),
        row(*values(1, "Văn kiện khối A", "Văn kiện", "Đang thực hiện", 60)),
        row(*values(2, "Văn kiện khối B", "Văn kiện", "Đang thực hiện"), cell(formula="of:=[.E3]+10")),
    ]
    rep = read(ods(("Tiến độ", "".join(rows))), "bao_cao.ods")
    assert [(m.code, m.sheet, m.row, m.column) for m in rep.errors] == [
        ("formula_uncached", "Tiến độ", 4, "E (Tỷ lệ (%))")
    ]
    assert "LibreOffice" in rep.errors[0].message


def test_a_section_numeral_alone_in_its_column_takes_the_heading_from_the_next_cell(read):
    rows = [
        ["Đơn vị: Phường Yên Bình"],
        ["STT", "Nội dung công việc", "Tiểu ban", "Trạng thái"],
        ["II", "", "Thực binh", ""],
        [1, "Tổng duyệt", "", "Hoàn thành"],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", [m.message for m in rep.errors]
    assert rep.tasks[0].subcommittee == "Tiểu ban lực lượng, thực binh"
