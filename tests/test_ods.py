""".ods merges and formulas without a cached value (readiness.reader.ods), on .ods files built here and
checked against what python-calamine reads from the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import time
import zipfile
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
import python_calamine as pc

from readiness.reader import ods as ods_module
from readiness.reader import sheets
from readiness.reader.ods import OdsSheet, ods_layout

# ---------------------------------------------------------------- building .ods files

_CONTENT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)
_CONTENT_TAIL = "</office:spreadsheet></office:body></office:document-content>"
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods(*tables: tuple[str, str], content: str | None = None) -> bytes:
    """An .ods of (sheet name, rows XML) tables: mimetype first and stored, as the format requires."""
    if content is None:
        body = "".join(f"<table:table table:name={quoteattr(name)}>{rows}</table:table>" for name, rows in tables)
        content = _CONTENT_HEAD + body + _CONTENT_TAIL
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def cell(
    value: object = None,
    *,
    rows: int = 1,
    cols: int = 1,
    repeat: int = 1,
    formula: str | None = None,
    covered: bool = False,
    attrs: str = "",
    body: str | None = None,
) -> str:
    """One cell: a str, number or date value (None: blank), its spans, repeat and formula. `attrs` and
    `body` replace the value's own attributes and paragraph, to write a cell as some program does."""
    a = ""
    if rows > 1:
        a += f' table:number-rows-spanned="{rows}"'
    if cols > 1:
        a += f' table:number-columns-spanned="{cols}"'
    if repeat > 1:
        a += f' table:number-columns-repeated="{repeat}"'
    if formula is not None:
        a += f" table:formula={quoteattr(formula)}"
    if isinstance(value, str):
        own, text = f' office:value-type="string" office:string-value={quoteattr(value)}', value
    elif isinstance(value, dt.date):
        own, text = f' office:value-type="date" office:date-value="{value.isoformat()}"', value.strftime("%d/%m/%Y")
    elif isinstance(value, (int, float)):
        own, text = f' office:value-type="float" office:value="{value}"', str(value)
    else:
        own, text = "", None
    a += attrs if attrs or body is not None else own
    inner = body if body is not None else (f"<text:p>{escape(text)}</text:p>" if text is not None else "")
    tag = "table:covered-table-cell" if covered else "table:table-cell"
    return f"<{tag}{a}>{inner}</{tag}>" if inner else f"<{tag}{a}/>"


def covered(repeat: int = 1) -> str:
    return cell(covered=True, repeat=repeat)


def row(*cells: str, repeat: int = 1) -> str:
    a = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{a}>{''.join(cells)}</table:table-row>"


def values(*vals: object) -> list[str]:
    return [cell(v) for v in vals]


def calamine_rows(data: bytes) -> dict[str, list[list]]:
    """What the reader gets from python-calamine: every sheet's rows from A1."""
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


def at(rows: list[list], r: int, c: int) -> object:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""


# ---------------------------------------------------------------- merges


def test_a_vertical_merge_is_found_where_calamine_puts_its_value():
    data = ods(
        (
            "Tiến độ",
            row(*values("STT", "Nội dung", "Tiểu ban"))
            + row(*values(1, "Việc 1", "Tiểu ban hậu cần"))
            + row(*values(2, "Việc 2"), cell("Tiểu ban văn kiện", rows=3))
            + row(*values(3, "Việc 3"), covered())
            + row(*values(4, "Việc 4"), covered())
            + row(*values(5, "Việc 5", "Tiểu ban khánh tiết")),
        )
    )
    layout = ods_layout(data)
    assert layout == {"Tiến độ": OdsSheet(merges=[((2, 2), (4, 2))])}
    rows = calamine_rows(data)["Tiến độ"]
    assert rows[2][2] == "Tiểu ban văn kiện"  # the merge's top-left holds the value...
    assert rows[3][2] == rows[4][2] == ""  # ...and calamine leaves the covered cells blank
    assert (rows[3][1], rows[4][1], rows[5][2]) == ("Việc 3", "Việc 4", "Tiểu ban khánh tiết")
    # why the module exists: calamine gives no merged ranges for an .ods (and if it ever does, they agree)
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert wb.get_sheet_by_name("Tiến độ").merged_cell_ranges in (None, layout["Tiến độ"].merges)


def test_a_merge_over_rows_and_columns():
    data = ods(
        (
            "KH",
            row(*values("a", "b", "c", "d", "e"))
            + row(cell("A2"), cell("Khối B2:D3", rows=2, cols=3), covered(2), cell("E2"))
            + row(cell("A3"), covered(3), cell("E3")),
        )
    )
    assert ods_layout(data)["KH"].merges == [((1, 1), (2, 3))]
    rows = calamine_rows(data)["KH"]
    assert rows[1] == ["A2", "Khối B2:D3", "", "", "E2"]
    assert rows[2] == ["A3", "", "", "", "E3"]


def test_merges_after_repeated_rows_and_columns_land_at_their_indexes():
    data = ods(
        (
            "Tiến độ",
            row(*values("STT", "Nội dung"))
            + row(cell("lặp"), repeat=2)  # rows 2 and 3
            + row(cell("x", repeat=3), cell("Tiểu ban", rows=2), cell("sau"))  # row 4: D4 merged down to D5
            + row(cell(repeat=3), covered(), cell("sau"))
            + row(cell(repeat=4), cell("F6:G6", cols=2), covered(), cell("H6")),
        )
    )
    assert ods_layout(data)["Tiến độ"].merges == [((3, 3), (4, 3)), ((5, 4), (5, 5))]
    rows = calamine_rows(data)["Tiến độ"]
    assert [r[0] for r in rows[1:3]] == ["lặp", "lặp"]
    assert rows[3][:5] == ["x", "x", "x", "Tiểu ban", "sau"]
    assert rows[4][3:5] == ["", "sau"]
    assert (at(rows, 5, 4), at(rows, 5, 5), at(rows, 5, 6)) == ("F6:G6", "", "H6")


def test_rows_inside_header_rows_and_row_groups_count_like_any_other():
    data = ods(
        (
            "Tiến độ",
            "<table:table-header-rows>"
            + row(*values("STT", "Tiểu ban"))
            + "</table:table-header-rows><table:table-row-group>"
            + row(cell(1), cell("Tiểu ban A", rows=2))
            + "</table:table-row-group><table:table-rows>"
            + row(cell(2), covered())
            + "</table:table-rows>",
        )
    )
    assert ods_layout(data)["Tiến độ"].merges == [((1, 1), (2, 1))]
    assert calamine_rows(data)["Tiến độ"][1] == [1.0, "Tiểu ban A"]


def test_a_table_without_a_name_or_inside_a_cell_is_no_sheet():
    unnamed = "<table:table>" + row(cell("x", rows=5)) + "</table:table>"
    inner = '<table:table table:name="con">' + row(cell("y", rows=3)) + row(cell("y")) + "</table:table>"
    data = ods(
        content=_CONTENT_HEAD
        + unnamed
        + '<table:table table:name="S">'
        + row(cell("a"), cell("B", rows=2, body=f"<text:p>B</text:p>{inner}"))
        + row(cell("b"), covered())
        + row(cell("c", rows=2))
        + row(covered())
        + "</table:table>"
        + _CONTENT_TAIL
    )
    assert ods_layout(data) == {"S": OdsSheet(merges=[((0, 1), (1, 1)), ((2, 0), (3, 0))])}
    assert list(calamine_rows(data)) == ["S"]


def test_two_sheets_keep_their_own_merges_under_their_names():
    data = ods(
        ("Tiến độ & KH", row(*values("a", "b")) + row(cell("B", rows=2)) + row(covered())),
        ("Tổng hợp <2023>", row(cell("Tiêu đề", cols=4), covered(3)) + row(*values(1, 2, 3, 4))),
    )
    assert b"Ti\xe1\xba\xbfn \xc4\x91\xe1\xbb\x99 &amp; KH" in zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    layout = ods_layout(data)
    assert layout == {
        "Tiến độ & KH": OdsSheet(merges=[((1, 0), (2, 0))]),
        "Tổng hợp <2023>": OdsSheet(merges=[((0, 0), (0, 3))]),
    }
    assert set(calamine_rows(data)) == set(layout)


def test_a_merge_reaching_past_the_limits_is_cut_at_them():
    data = ods(("S", row(cell("T", rows=1_000_000, cols=16_384))))
    assert ods_layout(data)["S"].merges == [((0, 0), (ods_module.MAX_ROWS - 1, ods_module.MAX_COLS - 1))]


# ---------------------------------------------------------------- formulas without a cached value


def test_a_formula_without_a_value_or_text_is_found_at_its_cell():
    odfpy_style = '<table:table-cell table:formula="of:=[.A1]*2"/>'
    data = ods(
        (
            "Tiến độ",
            row(*values("STT", "Trạng thái", "Tỷ lệ (%)"))
            + row(cell(1), repeat=2)
            + row(cell(3), cell("Xong", repeat=2), odfpy_style)  # D4
            + row(cell(4), cell(formula="of:=[.A4]", attrs=' office:value-type="float"'))  # B5: typed, no value
            + row(cell(5), cell(formula="of:=1", body="<text:p>60</text:p>", attrs=' office:value-type="float"')),
        )
    )
    assert ods_layout(data)["Tiến độ"].uncached == {(3, 3), (4, 1), (5, 1)}
    rows = calamine_rows(data)["Tiến độ"]
    assert (at(rows, 3, 3), at(rows, 4, 1), at(rows, 5, 1)) == ("", "", "")  # what the reader would miss
    assert rows[3][:3] == [3.0, "Xong", "Xong"]


def test_a_repeated_formula_is_found_in_every_cell_it_stands_for():
    data = ods(("S", row(cell(formula="of:=1", repeat=2), repeat=2)))
    assert ods_layout(data)["S"].uncached == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_a_comment_in_a_formula_cell_is_not_its_value():
    comment = "<office:annotation><dc:creator>Hùng</dc:creator><text:p>xem lại</text:p></office:annotation>"
    data = ods(("S", row(cell("a"), cell(formula="of:=[.A1]", body=comment))))
    assert ods_layout(data)["S"].uncached == {(0, 1)}


@pytest.mark.parametrize(
    "formula_cell, value",
    [
        (cell(0.6, formula="of:=[.A1]/10"), 0.6),
        (cell(dt.date(2023, 9, 30), formula="of:=DATE(2023;9;30)"), dt.date(2023, 9, 30)),
        (cell("", formula='of:=""'), ""),  # a cached empty string: office:string-value=""
        (cell(formula='of:=""', body="<text:p/>"), ""),  # LibreOffice writes ="" as an empty paragraph
        (
            cell(
                formula="of:=1/0",
                attrs=' office:value-type="string" office:string-value=""',
                body="<text:p>#DIV/0!</text:p>",
            ),
            "",
        ),
        (cell(formula='of:="Xong"', attrs=' office:value-type="string"', body="<text:p>Xong</text:p>"), "Xong"),
        (cell(formula="of:=TRUE()", attrs=' office:value-type="boolean" office:boolean-value="true"'), True),
    ],
)
def test_a_formula_with_a_cached_value_is_not_reported(formula_cell, value):
    data = ods(("S", row(cell(6), formula_cell)))
    assert ods_layout(data) == {"S": OdsSheet()}
    assert at(calamine_rows(data)["S"], 0, 1) == value


# ---------------------------------------------------------------- bounds


def test_a_million_trailing_rows_cost_nothing_and_nothing_past_the_row_limit_is_recorded():
    trailing = row(cell(repeat=16_384), repeat=1_048_000)
    past = row(cell("x", rows=3), cell(formula="of:=1"))  # row 1,048,003: recorded by nobody
    data = ods(("Tiến độ", row(*values("a", "b")) + row(cell("T", rows=2)) + row(covered()) + trailing + past))
    start = time.perf_counter()
    layout = ods_layout(data)
    elapsed = time.perf_counter() - start
    assert layout == {"Tiến độ": OdsSheet(merges=[((1, 0), (2, 0))])}
    assert elapsed < 0.05, elapsed


def test_a_formula_repeated_over_a_huge_block_is_recorded_within_the_limits_only():
    data = ods(("S", row(cell(formula="of:=1", repeat=16_384), repeat=1_048_576)))
    start = time.perf_counter()
    cells = ods_layout(data)["S"].uncached
    elapsed = time.perf_counter() - start
    assert 0 < len(cells) <= ods_module.MAX_UNCACHED
    assert max(r for r, _ in cells) < ods_module.MAX_ROWS and max(c for _, c in cells) < ods_module.MAX_COLS
    assert elapsed < 2, elapsed


def test_cells_past_the_column_limit_are_not_recorded():
    data = ods(("S", row(cell(repeat=199), cell("x", rows=2), cell(formula="of:=1")) + row(covered(200))))
    assert ods_layout(data) == {"S": OdsSheet(merges=[((0, 199), (1, 199))])}


def test_a_scan_stops_after_its_budget_of_tags_with_what_it_found(monkeypatch):
    monkeypatch.setattr(ods_module, "MAX_TAGS", 40)
    merged = row(cell("T", rows=2)) + row(covered())
    layout = ods_layout(ods(("S", merged * 50)))
    assert 0 < len(layout["S"].merges) < 50
    assert layout["S"].merges[:2] == [((0, 0), (1, 0)), ((2, 0), (3, 0))]


def test_the_limits_are_the_readers():
    assert (ods_module.MAX_ROWS, ods_module.MAX_COLS, ods_module.MAX_UNZIPPED) == (
        sheets.MAX_ROWS,
        sheets.MAX_COLS,
        sheets.MAX_UNZIPPED,
    )


# ---------------------------------------------------------------- damaged files


def _without_content(data: bytes) -> bytes:
    src, buf = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            if info.filename != "content.xml":
                z.writestr(info, src.read(info))
    return buf.getvalue()


def _corrupt_content(data: bytes) -> bytes:
    """content.xml's compressed bytes overwritten: the zip's directory still reads, the part does not."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("content.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    return data[:start] + b"\xff" * info.compress_size + data[start + info.compress_size :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[: len(d) // 2],  # cut short: no central directory
        lambda d: b"not a zip at all",
        lambda d: b"",
        _without_content,
        _corrupt_content,
    ],
)
def test_a_damaged_zip_or_a_missing_content_xml_adds_nothing(damage):
    good = ods(("S", row(cell("T", rows=2)) + row(covered())))
    assert ods_layout(good)["S"].merges
    assert ods_layout(damage(good)) == {}


def test_damaged_xml_is_read_as_far_as_it_goes():
    content = _CONTENT_HEAD + '<table:table table:name="S">' + row(cell("T", rows=2)) + "<table:table-row><table:tab"
    assert ods_layout(ods(content=content)) == {"S": OdsSheet(merges=[((0, 0), (1, 0))])}


# ---------------------------------------------------------------- a file LibreOffice wrote


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_keeps_a_vertical_merge_that_is_found(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tiến độ"
    for r in range(1, 7):
        ws.cell(r, 1, r)
        ws.cell(r, 2, f"Việc {r}")
    ws["C3"] = "Tiểu ban văn kiện"
    ws.merge_cells("C3:C5")
    ws["D2"] = "=A2*2"
    wb.save(tmp_path / "merge.xlsx")
    profile = (tmp_path / "profile").as_uri()  # its own profile: another LibreOffice may be running
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "ods"]
    try:
        subprocess.run(
            [*cmd, "--outdir", str(tmp_path), str(tmp_path / "merge.xlsx")], timeout=120, capture_output=True
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"soffice did not run: {exc}")
    if not (tmp_path / "merge.ods").exists():
        pytest.skip("soffice wrote no .ods")
    data = (tmp_path / "merge.ods").read_bytes()
    layout = ods_layout(data)
    assert layout["Tiến độ"].merges == [((2, 2), (4, 2))]
    assert layout["Tiến độ"].uncached == set()  # LibreOffice computed =A2*2 as it saved
    rows = calamine_rows(data)["Tiến độ"]
    assert (rows[2][2], rows[3][2], rows[1][3]) == ("Tiểu ban văn kiện", "", 4.0)
