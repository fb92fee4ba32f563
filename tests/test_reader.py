"""The reader against the contract (../shared/docs/checklist-format.md): one test per promise,
one per rejection kind. Every input is a real file built here (or a LibreOffice-made fixture)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from conftest import FIXTURES, HEADER, admin_block, codes, standard_rows, xlsx

from readiness.text import to_cp1258

# ------------------------------------------------------------------ file formats


def test_xlsx_with_admin_block_is_accepted_with_every_field(read):
    rep = read(xlsx({"Tiến độ": standard_rows()}))
    assert rep.status == "accepted", rep.errors
    assert rep.kind == "xlsx"
    assert rep.unit == "Phường Yên Bình"
    assert rep.report_date == dt.date(2023, 9, 15)
    assert [t.task for t in rep.tasks] == [
        "Xây dựng văn kiện khối A",
        "Phương án bảo đảm an ninh",
        "Treo băng rôn, khẩu hiệu",
        "Chuẩn bị sở chỉ huy",
    ]
    first, second, third, fourth = rep.tasks
    assert (first.subcommittee, first.status, first.percent, first.deadline, first.owner) == (
        "Tiểu ban văn kiện",
        "done",
        100,
        dt.date(2023, 9, 30),
        "Đ/c Hùng",
    )
    assert (second.status, second.percent) == ("in_progress", 60)
    assert (third.status, third.percent, third.subcommittee) == (
        "not_started",
        None,
        "Tiểu ban khánh tiết, thi đua và tuyên truyền",
    )
    assert (fourth.status, fourth.percent, fourth.note) == ("blocked", 30, "Chờ kinh phí")
    assert first.row == 7  # 1-based, as the spreadsheet shows it: 5 block rows, header on row 6


@pytest.mark.parametrize("name", ["dong_son.xls", "dong_son.ods"])
def test_libreoffice_xls_and_ods_read_like_the_xlsx(read, name):
    rep = read((FIXTURES / name).read_bytes(), name)
    assert rep.status == "accepted", rep.errors
    assert rep.kind == name.split(".")[1]
    assert rep.unit == "Xã Đông Sơn"
    assert rep.report_date == dt.date(2023, 9, 22)
    assert [(t.status, t.percent) for t in rep.tasks] == [
        ("done", 100),
        ("in_progress", 60),
        ("not_started", None),
        ("blocked", 30),
    ]


def test_xlsm_is_read_and_its_macros_never_run(read):
    # An .xlsm is a zip like .xlsx; the reader never evaluates anything in it.
    rep = read(xlsx({"Sheet1": standard_rows()}), "bao_cao.xlsm")
    assert rep.status == "accepted"
    assert len(rep.tasks) == 4


def _csv_text(delimiter: str) -> str:
    lines = [
        "Đơn vị: Xã Yên Sơn",
        "Ngày báo cáo: 20/09/2023",
        delimiter.join(["STT", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Trạng thái", "Tỷ lệ (%)"]),
        delimiter.join(["1", "Huấn luyện dân quân tự vệ", "Thực binh", "03/10/2023", "Đang thực hiện", "45,5"]),
        delimiter.join(["2", "Phương án phòng cháy, chữa cháy", "An ninh", "01/10/2023", "Hoàn thành", "100"]),
    ]
    if delimiter == ",":
        lines[4] = ',2,"Phương án phòng cháy, chữa cháy",An ninh,01/10/2023,Hoàn thành,100'[1:]
        lines[3] = '1,Huấn luyện dân quân tự vệ,Thực binh,03/10/2023,Đang thực hiện,"45,5"'
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    "encode, delimiter",
    [
        (lambda s: s.encode("utf-8"), ","),
        (lambda s: s.encode("utf-8-sig"), ";"),
        (to_cp1258, ";"),
        (to_cp1258, ","),
    ],
    ids=["utf8-comma", "utf8-bom-semicolon", "cp1258-semicolon", "cp1258-comma"],
)
def test_csv_in_the_encodings_and_separators_offices_use(read, encode, delimiter):
    rep = read(encode(_csv_text(delimiter)), "yen_son.csv")
    assert rep.status == "accepted", [m.message for m in rep.errors]
    assert rep.kind == "csv"
    assert rep.unit == "Xã Yên Sơn"
    assert rep.report_date == dt.date(2023, 9, 20)
    assert [t.task for t in rep.tasks] == ["Huấn luyện dân quân tự vệ", "Phương án phòng cháy, chữa cháy"]
    assert rep.tasks[0].percent == 45.5
    assert all(unicodedata.is_normalized("NFC", t.task) for t in rep.tasks)


def test_csv_in_cp1252_keeps_its_latin_letters(read):
    text = "Đơn vị;Nội dung;Tiểu ban;Trạng thái\r\nCATP;Café meeting;An ninh;Done\r\n"
    data = text.replace("Đơn vị", "Unit").replace("Nội dung", "Task").replace("Tiểu ban", "Subcommittee")
    data = data.replace("Trạng thái", "Status").encode("cp1252")
    rep = read(data, "catp.csv")
    assert rep.status == "accepted", rep.errors
    assert rep.tasks[0].task == "Café meeting"
    assert rep.unit == "Công an thành phố"


# ------------------------------------------------------------------ sheets


def test_one_sheet_per_subcommittee_and_cover_sheets_skipped(read):
    def sheet(tasks):
        return [["Đơn vị: Công an thành phố"], ["STT", "Nội dung", "Trạng thái"], *tasks]

    data = xlsx(
        {
            "Bìa": [["BÁO CÁO TIẾN ĐỘ"], ["Công an thành phố"]],
            "Hướng dẫn": [["Ghi trạng thái: Hoàn thành, Đang thực hiện…"]],
            "An ninh": sheet([[1, "Phương án bảo vệ", "Hoàn thành"], [2, "Phân luồng giao thông", "Đang làm"]]),
            "Thực binh": sheet([[1, "Luyện tập giải tán đám đông", "Chưa"]]),
            "Ký tên": [["Người lập biểu"], ["Thủ trưởng đơn vị"]],
        }
    )
    rep = read(data)
    assert rep.status == "accepted", rep.errors
    assert [(t.sheet, t.subcommittee, t.status) for t in rep.tasks] == [
        ("An ninh", "Tiểu ban an ninh, trật tự", "done"),
        ("An ninh", "Tiểu ban an ninh, trật tự", "in_progress"),
        ("Thực binh", "Tiểu ban lực lượng, thực binh", "not_started"),
    ]


def test_header_found_anywhere_in_the_first_30_rows(read):
    rows = admin_block() + [[]] * 18 + [HEADER, [1, "Việc muộn", "Văn kiện", "", "Hoàn thành"]]
    assert len(rows) == 25
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", rep.errors
    assert rep.tasks[0].row == 25


def test_header_below_row_30_is_not_found(read):
    rows = admin_block() + [[]] * 30 + [HEADER, [1, "Việc", "Văn kiện", "", "Hoàn thành"]]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "rejected"
    assert codes(rep.errors) == ["no_table"]


def test_merged_title_blank_rows_two_row_header_and_numbering_row(read):
    rows = admin_block() + [
        ["TT", "Nhiệm vụ", "Tiểu ban phụ trách", "Hạn hoàn thành", "Kết quả thực hiện", "", "Ghi chú"],
        ["", "", "", "", "Tình trạng", "% hoàn thành", ""],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        [],
        [1, "Hoàn thiện bản đồ", "TB văn kiện", "30/09/2023", "Đang triển khai", ("pct", 0.75), ""],
        [],
        [2, "Dự toán kinh phí", "Hậu cần", "15/09/2023", "", ("pct", 1.0), ""],
    ]
    data = xlsx(
        {"S": rows},
        merges={"S": ["A3:G3", "A6:A7", "B6:B7", "C6:C7", "D6:D7", "E6:F6", "G6:G7"]},
    )
    rep = read(data)
    assert rep.status == "accepted", rep.errors
    assert [(t.task, t.status, t.percent, t.row) for t in rep.tasks] == [
        ("Hoàn thiện bản đồ", "in_progress", 75, 10),
        ("Dự toán kinh phí", "done", 100, 12),
    ]


def test_hidden_columns_do_not_break_the_table(read):
    rows = admin_block() + [
        ["STT", ("hidden_col", "Mã cũ"), "Nội dung công việc", "Tiểu ban", "Trạng thái"],
        [1, ("hidden_col", "X1"), "Chuẩn bị thao trường", "Thực binh", "Hoàn thành"],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", rep.errors
    assert rep.tasks[0].task == "Chuẩn bị thao trường"
    assert rep.tasks[0].extra == {"Mã cũ": "X1"}


def test_section_headings_set_the_subcommittee_and_totals_and_signatures_are_skipped(read):
    rows = admin_block() + [
        ["STT", "Nội dung công việc", "Thời hạn", "Trạng thái", "Tỷ lệ (%)", "Người phụ trách"],
        ["I", "TIỂU BAN VĂN KIỆN"],
        [1, "Văn kiện khối A", "30/09/2023", "Hoàn thành", 100, "Đ/c Hùng"],
        [2, "Văn kiện khối B", "05/10/2023", "Đang thực hiện", 50, "Đ/c Lan"],
        ["II.", "Tiểu ban an ninh, trật tự"],
        [1, "Phương án bảo vệ", "01/10/2023", "Vướng mắc", "", "Đ/c Minh"],
        ["", "Công tác chuẩn bị chung"],  # a bold label with no task data
        [2, "Phân luồng giao thông", "", "Chưa thực hiện", "", ""],
        ["", "Tổng cộng", "", "", "62,5", ""],
        [],
        ["", "", "", "Tam Điệp, ngày 16 tháng 9 năm 2023"],
        ["", "NGƯỜI LẬP BIỂU", "", "THỦ TRƯỞNG ĐƠN VỊ"],
        ["", "", "", "TM. UBND PHƯỜNG"],
        ["", "Nguyễn Văn A", "", "Trần Văn B"],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", rep.errors
    assert [(t.task, t.subcommittee) for t in rep.tasks] == [
        ("Văn kiện khối A", "Tiểu ban văn kiện"),
        ("Văn kiện khối B", "Tiểu ban văn kiện"),
        ("Phương án bảo vệ", "Tiểu ban an ninh, trật tự"),
        ("Phân luồng giao thông", "Tiểu ban an ninh, trật tự"),
    ]
    assert rep.warnings == []


# ------------------------------------------------------------------ columns


def test_column_names_ignore_case_diacritics_spacing_and_order_and_english_works(read):
    rows = [
        ["Unit: CATP"],
        ["  trang THAI ", "noi dung cong viec", "TIEU  BAN", "ty le hoan thanh (%)", "Thoi han", "Ma NV", "Owner"],
        ["Done", "Phương án bảo vệ", "An ninh", 100, "01/10/2023", "AN-01", "Đ/c Hà"],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", rep.errors
    t = rep.tasks[0]
    assert (t.task, t.status, t.percent, t.code, t.owner, t.deadline) == (
        "Phương án bảo vệ",
        "done",
        100,
        "AN-01",
        "Đ/c Hà",
        dt.date(2023, 10, 1),
    )
    assert t.task_key == "an01"  # matched by code when there is one

    english = [
        ["Unit: CATP"],
        ["Task", "Subcommittee", "Status", "Percent", "Deadline", "Weight", "Note"],
        ["Crowd dispersal drill", "Security", "In progress", 40, "2023-10-20", 3, "two sessions left"],
    ]
    rep = read(xlsx({"S": english}))
    assert rep.status == "rejected"  # "Security" is not one of our subcommittee names...
    assert codes(rep.errors) == ["subcommittee_unknown"]
    english[2][1] = "An ninh"
    rep = read(xlsx({"S": english}))
    assert rep.status == "accepted", rep.errors
    t = rep.tasks[0]
    assert (t.status, t.percent, t.weight, t.note) == ("in_progress", 40, 3, "two sessions left")


def test_extra_columns_are_kept_as_notes(read):
    rows = standard_rows()
    rows[5] = HEADER + ["Kinh phí (triệu đồng)"]
    rows[6] = rows[6] + [12.5]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted"
    assert rep.tasks[0].extra == {"Kinh phí (triệu đồng)": "12.5"}


def test_a_table_without_status_or_percent_is_rejected_naming_the_header_row(read):
    rows = admin_block() + [["STT", "Nội dung công việc", "Tiểu ban"], [1, "Việc", "Văn kiện"]]
    rep = read(xlsx({"Tiến độ": rows}))
    assert rep.status == "rejected"
    (err,) = rep.errors
    assert (err.code, err.sheet, err.row) == ("header_no_progress", "Tiến độ", 6)


def test_missing_subcommittee_is_an_error_at_the_row(read):
    rows = admin_block() + [["STT", "Nội dung công việc", "Trạng thái"], [1, "Việc không rõ tiểu ban", "Xong"]]
    rep = read(xlsx({"Sheet1": rows}))
    assert rep.status == "rejected"
    (err,) = rep.errors
    assert (err.code, err.row, err.value) == ("subcommittee_missing", 7, "Việc không rõ tiểu ban")


# ------------------------------------------------------------------ unit and report date


def test_unit_from_a_unit_column(read):
    rows = [
        ["STT", "Đơn vị", "Nội dung", "Tiểu ban", "Trạng thái"],
        [1, "TTYT", "Bảo đảm quân y", "Hậu cần", "Hoàn thành"],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.unit == "Trung tâm Y tế thành phố"


def test_unit_under_the_issuing_body_when_there_is_no_label(read):
    rows = [
        ["UBND THÀNH PHỐ TAM ĐIỆP", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["PHÒNG NỘI VỤ", "", "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["STT", "Nội dung", "Tiểu ban", "Trạng thái"],
        [1, "Đề xuất khen thưởng", "Khánh tiết", "Đang làm"],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", rep.errors
    assert rep.unit == "Phòng Nội vụ"


@pytest.mark.parametrize("written", ["P. Yên Bình", "Phường Yên Bình", "phuong yen binh", "UBND PHƯỜNG YÊN BÌNH"])
def test_unit_names_and_aliases_are_one_unit(read, written):
    rep = read(xlsx({"S": standard_rows(unit=written)}))
    assert rep.unit == "Phường Yên Bình", rep.errors


def test_unit_chosen_at_upload_when_the_file_names_none(read):
    rows = [["STT", "Nội dung", "Tiểu ban", "Trạng thái"], [1, "Dự toán", "Hậu cần", "Xong"]]
    assert codes(read(xlsx({"S": rows})).errors) == ["unit_missing"]
    rep = read(xlsx({"S": rows}), unit_hint="Phòng TC-KH")
    assert rep.status == "accepted"
    assert rep.unit == "Phòng Tài chính - Kế hoạch"


def test_unit_named_by_file_and_a_different_one_chosen_is_rejected(read):
    rep = read(xlsx({"S": standard_rows()}), unit_hint="Xã Yên Sơn")
    assert codes(rep.errors) == ["unit_conflict"]
    assert "Phường Yên Bình" in rep.errors[0].message and "Xã Yên Sơn" in rep.errors[0].message


def test_unknown_unit_is_rejected_naming_the_closest_known_units(read):
    rep = read(xlsx({"Tiến độ": standard_rows(unit="Phường Tân Bình")}))
    assert rep.status == "rejected"
    (err,) = rep.errors
    assert err.code == "unit_unknown"
    assert (err.sheet, err.row, err.value) == ("Tiến độ", 4, "Phường Tân Bình")
    assert err.params["suggestions"].startswith("Phường Yên Bình")
    assert "Phường Yên Bình" in err.message and "Phường Yên Bình" in err.message_en
    assert rep.tasks == []


def test_report_date_long_form_in_the_signature_block(read):
    rows = [
        ["Đơn vị: Xã Đông Sơn"],
        HEADER,
        [1, "Việc", "Văn kiện", "", "Hoàn thành"],
        [],
        ["", "", "", "", "Đông Sơn, ngày 8 tháng 10 năm 2023"],
    ]
    assert read(xlsx({"S": rows})).report_date == dt.date(2023, 10, 8)


def test_report_date_as_a_date_cell_after_its_label(read):
    rows = [
        ["Đơn vị:", "Xã Đông Sơn", "Ngày báo cáo:", ("date", dt.date(2023, 10, 3))],
        HEADER,
        [1, "Việc", "Văn kiện", "", "Hoàn thành"],
    ]
    rep = read(xlsx({"S": rows}))
    assert (rep.unit, rep.report_date) == ("Xã Đông Sơn", dt.date(2023, 10, 3))


def test_report_date_falls_back_to_arrival(read):
    rows = [["Đơn vị: Xã Đông Sơn"], HEADER, [1, "Việc", "Văn kiện", "", "Hoàn thành"]]
    rep = read(xlsx({"S": rows}), received_at=dt.datetime(2023, 10, 9, 16, 30))
    assert rep.report_date == dt.date(2023, 10, 9)


# ------------------------------------------------------------------ values


def _one(read, status="", percent="", deadline="", **kw):
    rows = [["Đơn vị: CATP"], HEADER, [1, "Phương án bảo vệ", "An ninh", deadline, status, percent, "", ""]]
    return read(xlsx({"Tiến độ": rows}), **kw)


@pytest.mark.parametrize(
    "status, percent, expected",
    [
        ("", 100, ("done", 100)),
        ("", 0, ("not_started", 0)),
        ("", 35, ("in_progress", 35)),
        ("", "", ("not_started", None)),
        ("Đang thực hiện", "", ("in_progress", None)),
        ("Không áp dụng", "", ("not_applicable", None)),
        ("✓", "", ("done", None)),
    ],
)
def test_status_and_percent_combine_as_the_contract_says(read, status, percent, expected):
    rep = _one(read, status, percent)
    assert rep.status == "accepted", rep.errors
    assert (rep.tasks[0].status, rep.tasks[0].percent) == expected


@pytest.mark.parametrize("written, expected", [(80, 80), ("80%", 80), ("80,5", 80.5), (("pct", 0.8), 80)])
def test_percent_forms(read, written, expected):
    rep = _one(read, "", written)
    assert rep.tasks[0].percent == pytest.approx(expected)


@pytest.mark.parametrize("written, shown", [(120, "120"), (-5, "-5"), ("150%", "150")])
def test_percent_out_of_range_is_an_error_at_its_exact_cell(read, written, shown):
    rep = _one(read, "Đang thực hiện", written)
    assert rep.status == "rejected"
    (err,) = rep.errors
    assert (err.code, err.sheet, err.row, err.column, err.value) == (
        "percent_range",
        "Tiến độ",
        3,
        "F (Tỷ lệ (%))",
        shown,
    )
    assert err.to_dict()["message"].startswith(f"Tỷ lệ {shown}")
    assert "outside 0-100%" in err.to_dict()["message_en"]


def test_percent_that_is_not_a_number_is_an_error(read):
    rep = _one(read, "", "khoảng một nửa")
    assert codes(rep.errors) == ["percent_invalid"]


def test_done_under_100_and_100_not_started_are_warnings_and_the_status_wins(read):
    rep = _one(read, "Hoàn thành", 90)
    assert rep.status == "accepted"
    assert (rep.tasks[0].status, codes(rep.warnings)) == ("done", ["done_not_100"])
    rep = _one(read, "Chưa thực hiện", 100)
    assert (rep.tasks[0].status, codes(rep.warnings)) == ("not_started", ["100_not_started"])


def test_unknown_status_is_an_error_listing_what_is_accepted(read):
    rep = _one(read, "Gần xong")
    (err,) = rep.errors
    assert err.code == "status_unknown" and err.value == "Gần xong"
    assert "Hoàn thành" in err.message and "Đang thực hiện" in err.message


@pytest.mark.parametrize(
    "written, expected",
    [
        (("date", dt.date(2023, 8, 3)), dt.date(2023, 8, 3)),
        (45141, dt.date(2023, 8, 3)),  # an Excel serial number
        ("03/08/2023", dt.date(2023, 8, 3)),  # never month-first
        ("3/8/2023", dt.date(2023, 8, 3)),
        ("03-08-2023", dt.date(2023, 8, 3)),
        ("03.08.2023", dt.date(2023, 8, 3)),
        ("2023-08-03", dt.date(2023, 8, 3)),
        ("03/08", dt.date(2023, 8, 3)),  # the exercise's year
    ],
)
def test_deadline_forms(read, written, expected):
    assert _one(read, "Hoàn thành", deadline=written).tasks[0].deadline == expected


def test_unreadable_deadline_is_a_warning_and_left_empty(read):
    rep = _one(read, "Hoàn thành", deadline="Khi có yêu cầu")  # ("cuối tháng 9" is now 30/09: a month)
    assert rep.status == "accepted"
    (w,) = rep.warnings
    assert (w.code, w.row, w.column, w.value) == ("deadline_invalid", 3, "D (Thời hạn)", "Khi có yêu cầu")
    assert rep.tasks[0].deadline is None


def test_decomposed_unicode_is_stored_composed(read):
    task = unicodedata.normalize("NFD", "Xây dựng phương án")
    rows = [
        ["Đơn vị: CATP"],
        HEADER,
        [1, task, unicodedata.normalize("NFD", "An ninh"), "", unicodedata.normalize("NFD", "Hoàn thành")],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", rep.errors
    assert rep.tasks[0].task == "Xây dựng phương án"
    assert unicodedata.is_normalized("NFC", rep.tasks[0].task)


def test_legacy_tcvn3_text_is_converted(read):
    # As a .VnTime file shows in Excel: "Hoµn thµnh" for "Hoàn thành".
    rows = [
        ["§¬n vÞ: Phßng Néi vô"],
        ["STT", "Néi dung c«ng viÖc", "TiÓu ban", "Tr¹ng th¸i"],
        [1, "§Ò xuÊt khen th­ëng", "Kh¸nh tiÕt", "Hoµn thµnh"],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", [m.message for m in rep.errors]
    assert rep.unit == "Phòng Nội vụ"
    assert (rep.tasks[0].task, rep.tasks[0].status) == ("Đề xuất khen thưởng", "done")


def test_formulas_are_read_as_their_cached_values(read):
    rows = [
        ["Đơn vị: CATP"],
        HEADER,
        [
            1,
            "Phương án",
            "An ninh",
            "",
            ("formula", '=IF(F3>=100,"Hoàn thành","Đang thực hiện")', "Đang thực hiện"),
            ("formula", "=40+5", 45),
        ],
    ]
    rep = read(xlsx({"S": rows}))
    assert rep.status == "accepted", rep.errors
    assert (rep.tasks[0].status, rep.tasks[0].percent) == ("in_progress", 45)


# ------------------------------------------------------------------ rejections of the whole file


def test_empty_file_is_rejected(read):
    rep = read(b"", "bao_cao.xlsx")
    assert codes(rep.errors) == ["empty_file"]


def test_truncated_file_is_rejected_not_crashed(read):
    data = xlsx({"S": standard_rows()})
    rep = read(data[: len(data) // 2], "bao_cao.xlsx")
    assert rep.status == "rejected"
    assert codes(rep.errors) == ["unreadable"]
    assert "hỏng" in rep.errors[0].message


def test_html_saved_as_xls_is_rejected_with_how_to_fix(read):
    html = "<html><body><table><tr><td>STT</td><td>Nội dung</td></tr></table></body></html>".encode()
    rep = read(html, "bao_cao.xls")
    assert codes(rep.errors) == ["html_as_xls"]
    assert "Save As" in rep.errors[0].message


def test_no_header_is_rejected(read):
    rep = read(xlsx({"S": [["Báo cáo"], ["Mọi việc đều tốt"], [1, 2, 3]]}))
    assert codes(rep.errors) == ["no_table"]


def test_blank_template_with_no_task_rows_is_rejected(read):
    rows = admin_block() + [HEADER, ["", "", "", "", "", ""], ["", "Tổng cộng"]]
    rep = read(xlsx({"Tiến độ": rows}))
    assert rep.status == "rejected"
    (err,) = rep.errors
    assert (err.code, err.sheet, err.row) == ("no_tasks", "Tiến độ", 6)


def test_a_rejected_file_yields_no_tasks_even_where_other_rows_were_fine(read):
    rows = standard_rows()
    rows[7][5] = 200
    rep = read(xlsx({"S": rows}))
    assert rep.status == "rejected" and rep.tasks == []


# ------------------------------------------------------------------ names (property-based)

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from readiness.reader import Names  # noqa: E402


@given(
    st.sampled_from(["Phường", "P.", "phuong", "PHƯỜNG", "P", "UBND phường"]),
    st.sampled_from(["Yên Bình", "YÊN BÌNH", "yen binh", "Yên  Bình", "Yên Bình."]),
)
def test_every_way_of_writing_a_ward_names_one_unit(config, prefix, name):
    assert Names(config).unit(f"{prefix} {name}") == "Phường Yên Bình"


@given(
    st.sampled_from(
        [
            "Tiểu ban văn kiện",
            "TB văn kiện",
            "Văn kiện",
            "VĂN KIỆN",
            "van kien",
            "I. Tiểu ban văn kiện",
            "tieu ban van kien",
            "II - TIỂU BAN VĂN KIỆN",
        ]
    )
)
def test_every_way_of_writing_a_subcommittee_names_one(config, written):
    assert Names(config).subcommittee(written) == "Tiểu ban văn kiện"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(read):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    data = buf.getvalue()
    assert len(data) < 1024 * 1024  # a small file...
    rep = read(data, "bom.xlsx")
    assert [m.code for m in rep.errors] == ["zip_bomb"]  # ...that would unpack to 210 MB


def test_macros_are_never_run_and_the_file_says_so(read):
    import io
    import zipfile

    src = io.BytesIO(xlsx({"S": standard_rows()}))
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b'\xd0\xcf\x11\xe0 Attribute VB_Name = "Module1" Shell("calc")')
    rep = read(out.getvalue(), "bao_cao.xlsm")
    assert rep.status == "accepted" and len(rep.tasks) == 4
    assert [m.code for m in rep.warnings] == ["macros_ignored"]


# ------------------------------------------------------------------ bad values never go in silently

WEIGHTED = HEADER + ["Trọng số"]


def _xml_values(data: bytes, values: dict[str, str]) -> bytes:
    """The workbook with numbers in sheet1 replaced as written in its XML ('NaN', 'inf', '1e308'):
    spreadsheet writers refuse them, a damaged or generated file has them."""
    return _patch_sheet1(data, {f"<v>{old}</v>": f"<v>{new}</v>" for old, new in values.items()})


def _patch_sheet1(data: bytes, fragments: dict[str, str]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for old, new in fragments.items():
                    assert old.encode() in body
                    body = body.replace(old.encode(), new.encode())
            zout.writestr(item, body)
    return out.getvalue()


@pytest.mark.parametrize(
    "col, written, code, shown",
    [
        (5, "NaN", "number_not_finite", "NaN"),
        (5, "inf", "number_not_finite", "∞"),  # once an OverflowError out of the reader
        (5, "1e308", "percent_range", "1e+308"),
        (8, "NaN", "number_not_finite", "NaN"),  # once a NaN readiness on the board
        (8, "1e308", "weight_range", "1e+308"),
        (8, "1001", "weight_range", "1001"),
        (3, "NaN", "number_not_finite", "NaN"),  # a number read as a date serial
        (3, "-inf", "number_not_finite", "-∞"),
        (3, "1e308", "deadline_out_of_range", "1e+308"),
    ],
)
def test_nan_infinities_and_absurd_numbers_are_errors_at_their_cell(read, col, written, code, shown):
    row = [1, "Phương án bảo vệ", "An ninh", "", "Đang thực hiện", "", "", "", ""]
    row[col] = 98765
    rep = read(_xml_values(xlsx({"Tiến độ": [["Đơn vị: CATP"], WEIGHTED, row]}), {"98765": written}))
    assert rep.status == "rejected"
    (err,) = rep.errors
    assert (err.code, err.sheet, err.row, err.column, err.value) == (
        code,
        "Tiến độ",
        3,
        f"{'ABCDEFGHI'[col]} ({WEIGHTED[col]})",
        shown,
    )
    assert err.message and err.message_en  # the catalog says what would be accepted


def test_a_weight_up_to_the_bound_counts(read):
    row = [1, "Phương án bảo vệ", "An ninh", "", "Đang thực hiện", "", "", "", 1000]
    rep = read(xlsx({"S": [["Đơn vị: CATP"], WEIGHTED, row]}))
    assert rep.status == "accepted" and rep.tasks[0].weight == 1000


def _dated(report_date) -> bytes:
    rows = [["Đơn vị: CATP", "", "", "", report_date], HEADER, [1, "Việc", "An ninh", "", "Hoàn thành"]]
    return xlsx({"S": rows})


ARRIVED = dt.datetime(2023, 10, 1, 9, 0)  # D-day is 15/11/2023


@pytest.mark.parametrize(
    "written, shown",
    [
        ("Ngày báo cáo: 31/12/9999", "31/12/9999"),  # once: the unit never stale again
        ("Ngày báo cáo: 01/01/0001", "01/01/0001"),  # once read as 2001
        ("Ngày báo cáo: 03/10/2023", "03/10/2023"),  # two days after it arrived
        ("Ngày báo cáo: 10/11/2021", "10/11/2021"),  # over two years before D-day
        ("CATP, ngày 1 tháng 1 năm 2099", "CATP, ngày 1 tháng 1 năm 2099"),
        ("Ngày báo cáo:", ("date", dt.date(2203, 9, 15))),
    ],
)
def test_a_report_date_far_from_the_exercise_or_after_arrival_is_an_error_at_its_cell(read, written, shown):
    cells = [written] if isinstance(shown, str) else [written, shown]
    rows = [["Đơn vị: CATP", "", "", "", *cells], HEADER, [1, "Việc", "An ninh", "", "Hoàn thành"]]
    rep = read(xlsx({"S": rows}), received_at=ARRIVED)
    assert rep.status == "rejected"
    (err,) = rep.errors
    value, column = (shown, "E") if isinstance(shown, str) else ("15/09/2203", "F")  # the cell after the label
    assert (err.code, err.sheet, err.row, err.column, err.value) == ("report_date_out_of_range", "S", 1, column, value)
    assert err.params["last"] == "02/10/2023" and err.params["first"] == "13/11/2021"


def test_a_report_date_cell_holding_nan_is_an_error_at_its_cell(read):
    rows = [["Đơn vị: CATP", "", "", "", "Ngày báo cáo:", 98765], HEADER, [1, "Việc", "An ninh", "", "Hoàn thành"]]
    rep = read(_xml_values(xlsx({"S": rows}), {"98765": "NaN"}), received_at=ARRIVED)
    assert [(e.code, e.sheet, e.row, e.column, e.value) for e in rep.errors] == [
        ("number_not_finite", "S", 1, "F", "NaN")
    ]


@pytest.mark.parametrize("written", ["02/10/2023", "14/11/2021", "15/09/2023"])
def test_a_report_date_within_the_span_and_a_day_of_clock_skew_is_accepted(read, written):
    rep = read(_dated(f"Ngày báo cáo: {written}"), received_at=ARRIVED)
    assert rep.status == "accepted", rep.errors
    assert rep.report_date == dt.datetime.strptime(written, "%d/%m/%Y").date()


@pytest.mark.parametrize(
    "written, shown",
    [
        ("30/09/2203", "30/09/2203"),
        ("01/01/0001", "01/01/0001"),
        ("31/12/9999", "31/12/9999"),
        (("date", dt.date(2030, 1, 1)), "01/01/2030"),
        (70000, "25/08/2091"),  # an Excel serial
    ],
)
def test_a_deadline_years_from_the_exercise_is_an_error_at_its_cell(read, written, shown):
    rep = _one(read, "Hoàn thành", deadline=written)
    assert rep.status == "rejected"
    (err,) = rep.errors
    assert (err.code, err.row, err.column, err.value) == ("deadline_out_of_range", 3, "D (Thời hạn)", shown)
    assert (err.params["first"], err.params["last"]) == ("12/11/2020", "17/11/2026")


@pytest.mark.parametrize("written", ["12/11/2020", "17/11/2026"])
def test_a_deadline_within_three_years_of_the_exercise_is_accepted(read, written):
    rep = _one(read, "Hoàn thành", deadline=written)
    assert rep.tasks[0].deadline == dt.datetime.strptime(written, "%d/%m/%Y").date()


def test_a_repeated_task_code_is_a_warning_naming_both_rows(read):
    header = ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Trạng thái"]
    vk = [header, [1, "VK01", "Văn kiện A", "Văn kiện", "Hoàn thành"], [2, "VK02", "Văn kiện B", "Văn kiện", ""]]
    an = [header, [1, "AN01", "Phương án", "An ninh", ""], [2, "vk-01", "Văn kiện A lặp", "Văn kiện", "Xong"]]
    rep = read(xlsx({"Văn kiện": [["Đơn vị: CATP"], *vk, vk[1]], "An ninh": an}))
    assert rep.status == "accepted" and len(rep.tasks) == 5  # nothing is dropped: the clerk decides
    same_sheet, other_sheet = rep.warnings
    assert (same_sheet.code, same_sheet.sheet, same_sheet.row, same_sheet.column, same_sheet.value) == (
        "task_code_duplicate",
        "Văn kiện",
        5,
        "B (Mã NV)",
        "VK01",
    )
    assert same_sheet.params == {"first_sheet": "Văn kiện", "first_row": "3"}
    assert (other_sheet.sheet, other_sheet.row, other_sheet.value) == ("An ninh", 3, "vk-01")
    assert other_sheet.params == {"first_sheet": "Văn kiện", "first_row": "3"}
    assert '"Văn kiện", dòng 3' in other_sheet.message


def _openpyxl(rows: list[list], title: str = "S") -> bytes:
    """An .xlsx as a program writes it with openpyxl: formulas without cached values."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("col, meaning", [(3, "D (Thời hạn)"), (4, "E (Trạng thái)"), (5, "F (Tỷ lệ (%))")])
def test_a_formula_never_computed_in_a_status_percent_or_deadline_cell_is_an_error(read, col, meaning):
    row = [1, "Phương án", "An ninh", "30/09/2023", "Đang thực hiện", 40, "Đ/c Lan", "=G3"]
    row[col] = "=IF(1,40,0)"
    rep = read(_openpyxl([["Đơn vị: CATP"], HEADER, row], "Tiến độ & <kế hoạch>"))
    assert rep.status == "rejected"
    (err,) = rep.errors
    assert (err.code, err.sheet, err.row, err.column) == ("formula_uncached", "Tiến độ & <kế hoạch>", 3, meaning)
    assert "LibreOffice" in err.message and "save it" in err.message_en


def test_a_formula_never_computed_in_another_column_is_no_error(read):
    rows = [["Đơn vị: CATP"], HEADER, [1, "Phương án", "An ninh", "", "Hoàn thành", 100, "Đ/c Lan", "=G3"]]
    rep = read(_openpyxl(rows))
    assert rep.status == "accepted", rep.errors
    assert rep.tasks[0].note is None


def test_a_formula_whose_cached_result_is_empty_text_has_a_value(read):
    # As Excel and LibreOffice save =IF(...,"",...): t="str" and an empty <v>.
    row = [1, "Phương án", "An ninh", "", ("formula", '=IF(F3="","","Xong")', ""), 40]
    data = xlsx({"S": [["Đơn vị: CATP"], HEADER, row]})
    rep = read(_patch_sheet1(data, {'<c r="E3">': '<c r="E3" t="str">'}))
    assert rep.status == "accepted", rep.errors
    assert (rep.tasks[0].status, rep.tasks[0].percent) == ("in_progress", 40)
    assert codes(read(data).errors) == ["formula_uncached"]  # an empty <v> and no type: never computed


def test_formulas_are_found_by_the_sheet_name_as_written_in_prefixed_xml_and_shared_formulas():
    """As some .NET writers save a workbook: element prefixes, an absolute part name, an escaped name."""
    import io
    import zipfile

    from readiness.reader.sheets import uncached_formulas

    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    cells = (
        '<x:c r="B2"><x:f>1+1</x:f></x:c>'  # never computed
        '<x:c r="C2" t="str"><x:f>""</x:f><x:v></x:v></x:c>'  # computed: empty text
        '<x:c r="D2"><x:f t="shared" ref="D2:E2" si="0">A1</x:f><x:v>3</x:v></x:c>'  # computed
        '<x:c r="E2"><x:f t="shared" si="0"/></x:c>'  # never computed
        "<x:c r='AA10'><x:f>A1</x:f><x:v/></x:c>"  # never computed
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f'<x:workbook {ns} xmlns:r="r"><x:sheets><x:sheet name="Kế hoạch &amp; tiến độ" sheetId="1" '
            'r:id="rId7"/></x:sheets></x:workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships><Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/s.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/s.xml",
            f"<x:worksheet {ns}><x:sheetData><x:row r='2'>{cells}</x:row></x:sheetData></x:worksheet>",
        )
    found = uncached_formulas(buf.getvalue(), ["Kế hoạch & tiến độ", "Khác"])
    assert found == {"Kế hoạch & tiến độ": {(1, 1), (1, 4), (9, 26)}}


def test_a_row_whose_only_data_is_formulas_never_computed_is_not_taken_for_a_heading(read):
    rows = [
        ["Đơn vị: CATP"],
        HEADER,
        [1, "Phương án", "An ninh", "", "Hoàn thành"],
        ["", "Huấn luyện", "An ninh", "", '=IF(F4>=100,"Hoàn thành","Đang thực hiện")', "=40+5"],
    ]
    rep = read(_openpyxl(rows))
    assert [(e.code, e.row, e.column) for e in rep.errors] == [
        ("formula_uncached", 4, "E (Trạng thái)"),
        ("formula_uncached", 4, "F (Tỷ lệ (%))"),
    ]


def test_control_and_bidi_characters_never_reach_stored_text_or_messages(read):
    sheet = "Tiến\u202e độ\x01"
    task_row = [
        1,
        "Phương\x00 án\u202e bảo vệ",
        "An ninh",
        "",
        "Hoàn thành",
        "",
        "Đ/c\u2066 Lan\x07",
        "Chờ\x1b kinh phí\x85",
    ]
    rows = [["Đơn vị: CATP\x00"], HEADER, task_row]
    rep = read(xlsx({sheet: rows}))
    assert rep.status == "accepted", rep.errors
    (task,) = rep.tasks
    assert (task.sheet, task.task, task.owner, task.note) == ("Tiến độ", "Phương án bảo vệ", "Đ/c Lan", "Chờ kinh phí")
    rep = read(xlsx({sheet: [*rows, [2, "Việc hai", "An ninh", "", "Gần\u2069 xong"]]}), unit_hint="CATP\u202e\x00X")
    assert [(m.code, m.sheet, m.value) for m in rep.errors] == [
        ("status_unknown", "Tiến độ", "Gần xong"),
        ("unit_unknown", None, "CATPX"),
    ]
