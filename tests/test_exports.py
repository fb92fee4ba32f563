"""Everything the app and the CLI write for a person to open is inert: no text a unit sent becomes a
formula or a link, and the error report is written whatever the file and its sheets are called."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from conftest import standard_rows, xlsx
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from readiness import cli
from readiness.error_report import build_error_report
from readiness.export import TRIGGERS, csv_text, inert, sheet_name, workbook, write_cell
from readiness.messages import Message
from readiness.reader import read_report
from readiness.store import Store
from readiness.template import build_template

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "http://evil",
    "file:///etc/passwd",
]
LIVE = [p for p in PAYLOADS if p.startswith(TRIGGERS)]


def open_inert(data: bytes) -> openpyxl.Workbook:
    """The workbook, after checking that no cell of any sheet holds a formula or a hyperlink."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None, (ws.title, cell.coordinate, cell.value)
    return wb


def text(ws, ref=None, row=None, col=None):
    """A cell's value as Excel shows it: openpyxl leaves a control character escaped (_x000D_)."""
    value = ws[ref].value if ref else ws.cell(row, col).value
    return unescape(value) if isinstance(value, str) else value


def values(ws) -> list[list]:
    return [[text(ws, row=c.row, col=c.column) for c in r] for r in ws.iter_rows()]


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def payload_tasks(percent=50) -> list[list]:
    """One task per payload, in its text, owner and note, overdue from 11/09/2023."""
    return [[i, p, "An ninh", "10/09/2023", "Đang thực hiện", percent, p, p] for i, p in enumerate(PAYLOADS, start=1)]


# ---------------------------------------------------------------- the template


def test_template_keeps_every_task_text_owner_note_and_unit_as_plain_text(config):
    tasks = pd.DataFrame(
        [
            dict(code=p, task=p, subcommittee=p, deadline=None, status="in_progress", percent=50.0, owner=p, note=p)
            for p in PAYLOADS
        ]
    )
    data = build_template(config, unit=PAYLOADS[1], tasks=tasks, issuer=PAYLOADS[0])
    ws = open_inert(data)["Báo cáo"]
    assert ws["A1"].value == PAYLOADS[0].upper() and ws["A2"].value == PAYLOADS[1].upper()
    assert ws["A5"].value == f"Đơn vị: {PAYLOADS[1]}"
    # B code, C task, D subcommittee, H owner, I note; the table starts on row 8
    got = [[text(ws, row=8 + i, col=c) for c in (2, 3, 4, 8, 9)] for i in range(len(PAYLOADS))]
    assert got == [[p] * 5 for p in PAYLOADS]
    assert [ws.cell(8 + i, 7).value for i in range(len(PAYLOADS))] == [50] * len(PAYLOADS)


# ---------------------------------------------------------------- the error report


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_error_report_keeps_values_sheet_columns_and_file_name_as_plain_text(config, lang):
    filename = PAYLOADS[1] + ".csv"
    data = csv_bytes(standard_rows(tasks=payload_tasks(percent="=1+1")))
    report = read_report(data, filename, config)
    assert report.errors, "the payload percents must make the file wrong"
    made = [Message("percent_invalid", sheet=p, row=8, column=p, value=p) for p in PAYLOADS]
    out = build_error_report(data, filename, report.errors + made, report.warnings, lang)
    wb = open_inert(out)
    summary, copy = wb.worksheets
    rows = values(summary)
    listed = [(r[1], r[3], r[4]) for r in rows[1 : 1 + len(report.errors) + len(made)]]
    for p in PAYLOADS:
        assert (p, p, p) in listed
    assert any(r[0] == filename for r in rows[len(listed) + 1 :] if r)
    # the copy of the file's one sheet, with its payload cells as the unit wrote them
    copied = {v for row in values(copy) for v in row}
    assert set(PAYLOADS) <= copied


@pytest.mark.parametrize(
    "filename",
    [
        "Báo cáo [tuần 3].csv",
        "a*b.csv",
        "x/y?.xlsx",
        "Tiến độ chuẩn bị diễn tập khu vực phòng thủ.csv",  # stem of 43 characters
        "Lỗi cần sửa.csv",  # the summary sheet's own name
        "LỖI CẦN SỬA.csv",
        "History.csv",  # a name Excel keeps for itself
        "'quoted'.csv",
        "[]*?.csv",
    ],
)
def test_error_report_is_written_whatever_the_file_is_called(config, filename):
    rows = standard_rows()
    rows[7][5] = 150  # row 8, column F: the percent
    data = csv_bytes(rows)
    report = read_report(data, filename, config)
    assert [m.code for m in report.errors] == ["percent_range"]
    wb = open_inert(build_error_report(data, filename, report.errors, report.warnings))
    names = wb.sheetnames
    assert len(names) == 2 and names[0] == "Lỗi cần sửa"
    assert_valid_sheet_names(names)
    # the renamed copy still carries the mark on the wrong cell
    assert wb.worksheets[1]["F8"].comment is not None


def test_error_report_of_a_workbook_whose_sheets_clash_with_the_summary(config):
    rows = standard_rows()
    rows[7][5] = 150
    data = xlsx({"Lỗi cần sửa": rows, "lỗi cần sửa (2)": rows, "To fix": rows})
    report = read_report(data, "clash.xlsx", config)
    assert report.errors
    for lang, summary in (("vi", "Lỗi cần sửa"), ("en", "To fix")):
        wb = open_inert(build_error_report(data, "clash.xlsx", report.errors, report.warnings, lang))
        assert wb.sheetnames[0] == summary and len(wb.sheetnames) == 4
        assert_valid_sheet_names(wb.sheetnames)


def assert_valid_sheet_names(names: list[str]) -> None:
    assert len({n.lower() for n in names}) == len(names), names
    for n in names:
        assert 1 <= len(n) <= 31 and not set(n) & set("[]:*?/\\") and n[0] != "'" and n[-1] != "'", n
        assert n.lower() != "history", n


# ---------------------------------------------------------------- sheet names


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Báo cáo [tuần 3]", [], "Báo cáo tuần 3"),
        ("a*b", [], "ab"),
        ("x/y?:\\", [], "xy"),
        ("'Tiến độ'", [], "Tiến độ"),
        ("", [], "Sheet"),
        ("[]", ["Sheet"], "Sheet (2)"),
        ("A" * 40, [], "A" * 31),
        ("A" * 40, ["a" * 31], "A" * 27 + " (2)"),
        ("x" * 30 + "'y", [], "x" * 30),
        ("Lỗi cần sửa", ["Lỗi cần sửa"], "Lỗi cần sửa (2)"),
        ("LỖI CẦN SỬA", ["Lỗi cần sửa", "lỗi cần sửa (2)"], "LỖI CẦN SỬA (3)"),
        ("history", [], "history (2)"),
        ("😀" * 20, [], "😀" * 15),  # Excel counts UTF-16 units: 15 emoji are 30
    ],
)
def test_sheet_name(name, taken, expected):
    assert sheet_name(name, taken) == expected


@given(st.lists(st.text(max_size=45), max_size=6))
def test_any_names_make_a_workbook_excel_accepts(names):
    buf = io.BytesIO()
    wb = workbook(buf)
    used = [wb.add_worksheet("Lỗi cần sửa").name]
    for name in names:
        used.append(sheet_name(name, used))
        wb.add_worksheet(used[-1])  # xlsxwriter raises on any name Excel would refuse
    wb.close()
    assert_valid_sheet_names(used)


# ---------------------------------------------------------------- the workbook and the CSV helpers


def test_workbook_writes_strings_as_strings_even_through_write():
    buf = io.BytesIO()
    wb = workbook(buf)
    ws = wb.add_worksheet("S")
    for r, p in enumerate(PAYLOADS):
        ws.write(r, 0, p)  # the generic write, as merge_range and write_row use it
        write_cell(ws, r, 1, p)
    ws.write(len(PAYLOADS), 0, "1e3")
    wb.close()
    ws = open_inert(buf.getvalue())["S"]
    assert values(ws)[: len(PAYLOADS)] == [[p, p] for p in PAYLOADS]
    assert ws.cell(len(PAYLOADS) + 1, 1).value == "1e3"


def test_write_cell_alone_keeps_text_out_of_a_formula():
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})  # the default options: '=...' would be a formula
    ws = wb.add_worksheet("S")
    for r, p in enumerate(PAYLOADS):
        write_cell(ws, r, 0, p)
    write_cell(ws, len(PAYLOADS), 0, -3)
    wb.close()
    ws = open_inert(buf.getvalue())["S"]
    assert [row[0] for row in values(ws)] == [*PAYLOADS, -3]


def test_inert_prefixes_only_text_a_spreadsheet_would_evaluate():
    assert [inert(p) for p in PAYLOADS] == ["'" + p if p in LIVE else p for p in PAYLOADS]
    assert [inert(v) for v in (-5, -2.5, None, "Đ/c Lan", "", "a=b")] == [-5, -2.5, None, "Đ/c Lan", "", "a=b"]


def test_csv_text_touches_text_cells_only():
    df = pd.DataFrame(
        {
            "text": PAYLOADS,
            "n": [-i for i in range(len(PAYLOADS))],
            "x": [-2.5] * len(PAYLOADS),
            "day": pd.to_datetime(["2023-09-15"] * len(PAYLOADS)),
            "maybe": [None, *PAYLOADS[1:]],
        }
    )
    out = csv_text(df)
    assert out.splitlines()[2].startswith('"\'=HYPERLINK(""http://x"",""y"")",-1,-2.5,')  # numbers unquoted
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["text", "n", "x", "day", "maybe"]
    assert [r[0] for r in rows[1:]] == ["'" + p if p in LIVE else p for p in PAYLOADS]
    assert [r[1] for r in rows[1:]] == [str(-i) for i in range(len(PAYLOADS))]
    assert {r[2] for r in rows[1:]} == {"-2.5"} and {r[3] for r in rows[1:]} == {"2023-09-15"}
    assert rows[1][4] == ""
    assert_no_live_field(rows, numeric_columns=(1, 2))


@pytest.mark.parametrize("delimiter", [",", ";"])  # ';' is the list separator of Excel set to Vietnamese
def test_csv_text_a_line_break_or_separator_inside_a_field_starts_no_cell(delimiter):
    inside = ["x\r=cmd|' /C calc'!A0", "x\n@SUM(A1)", "a;=1+1", "a,+1"]
    rows = list(csv.reader(io.StringIO(csv_text(pd.DataFrame({"text": inside, "n": [1] * 4}))), delimiter=delimiter))
    assert len(rows) == 1 + len(inside)
    assert_no_live_field(rows)
    if delimiter == ",":
        assert [r[0] for r in rows[1:]] == inside


def assert_no_live_field(rows: list[list[str]], numeric_columns=()) -> None:
    for row in rows:
        for i, field in enumerate(row):
            if i not in numeric_columns:
                assert not field.startswith(TRIGGERS), (i, field)


# ---------------------------------------------------------------- the command line


def test_cli_query_csv_is_inert(tmp_path, config, capsys):
    db = tmp_path / "r.duckdb"
    filename = PAYLOADS[0] + ".csv"
    with Store(db, config) as s:
        assert s.ingest_bytes(csv_bytes(standard_rows(tasks=payload_tasks())), filename).status == "accepted"
    assert cli.main(["--db", str(db), "--today", "2023-10-15", "query", "overdue", "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert_no_live_field([list(r.values()) for r in table])  # no negative number in this query
    # the reader itself trims the tab and the carriage return; the others arrive whole
    kept = [p for p in PAYLOADS if not p.startswith(("\t", "\r"))]
    expected = ["'" + p if p in LIVE else p for p in kept]
    assert [r["task"] for r in table] == [r["owner"] for r in table] == [r["note"] for r in table]
    assert set(expected) <= {r["task"] for r in table}
    assert {r["days_late"] for r in table} == {"35"}

    assert cli.main(["--db", str(db), "query", "submissions", "--format", "csv"]) == 0
    (sub,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert sub["original_name"] == "'" + filename
