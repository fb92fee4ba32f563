"""The assigned task plan reader against the contract (docs/checklist-format.md, "The assigned task plan"):
one test per promise. Every input is a real workbook or CSV built here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle

import pytest
from conftest import HEADER, PLAN_HEADER, admin_block, codes, xlsx

from readiness.config import Unit
from readiness.reader import Names, read_report
from readiness.reader.plan import Plan, PlanTask, read_plan, split_units

CA, QS, YB = "Công an thành phố", "Ban Chỉ huy Quân sự thành phố", "Phường Yên Bình"


def plan_block() -> list[list]:
    """The header block of the committee's plan (its issuer names a unit: that is no assignment)."""
    return [
        ["UBND THÀNH PHỐ TAM ĐIỆP", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["BAN CHỈ ĐẠO DIỄN TẬP", "", "", "", "Độc lập - Tự do - Hạnh phúc"],
        ["KẾ HOẠCH PHÂN CÔNG NHIỆM VỤ CHUẨN BỊ DIỄN TẬP KVPT NĂM 2023"],
        [],
    ]


@pytest.fixture
def plan(config):
    """plan(data, filename='kh.xlsx') -> Plan, with the Tam Điệp config."""

    def _plan(data: bytes, filename: str = "kh.xlsx", **kw) -> Plan:
        return read_plan(data, filename, config, **kw)

    return _plan


def assigned(p: Plan) -> list[tuple]:
    return [(t.code or t.task, t.unit) for t in p.tasks]


# ------------------------------------------------------------------ the plan as a whole


def test_one_sheet_plan_with_codes_is_accepted_with_every_field(plan):
    rows = plan_block() + [
        PLAN_HEADER,
        [1, "VK-01", "Xây dựng văn kiện khối A", "Văn kiện", QS, "30/09/2023", 2],
        [2, "AN-01", "Phương án bảo đảm an ninh", "An ninh", CA, ("date", dt.date(2023, 10, 10)), ""],
        [3, "KT-01", "Treo băng rôn, khẩu hiệu", "Khánh tiết", "P. Yên Bình", "", ""],
    ]
    p = plan(xlsx({"Kế hoạch": rows}))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert p.kind == "xlsx" and not p.warnings
    first, second, third = p.tasks
    assert first == PlanTask(
        sheet="Kế hoạch",
        row=6,
        code="VK-01",
        task="Xây dựng văn kiện khối A",
        task_key="vk01",
        subcommittee="Tiểu ban văn kiện",
        unit=QS,
        deadline=dt.date(2023, 9, 30),
        weight=2.0,
    )
    assert (second.unit, second.deadline, second.weight) == (CA, dt.date(2023, 10, 10), 1.0)
    assert (third.unit, third.subcommittee, third.deadline) == (
        YB,
        "Tiểu ban khánh tiết, thi đua và tuyên truyền",
        None,
    )
    assert p.units == sorted([QS, CA, YB])


def test_a_csv_plan_reads_like_a_workbook_with_line_breaks_in_a_quoted_cell(plan):
    text = (
        "Mã NV;Nhiệm vụ;Tiểu ban;Đơn vị thực hiện;Hạn hoàn thành\r\n"
        'TB-01;Huấn luyện dân quân tự vệ;Thực binh;"X. Yên Sơn\nX. Đông Sơn";03/10/2023\r\n'
        "AN-02;Phương án phòng cháy, chữa cháy;An ninh;CATP;01/10/2023\r\n"
    )
    p = plan(text.encode("utf-8-sig"), "ke_hoach.csv")
    assert p.status == "accepted", [m.message for m in p.errors]
    assert p.kind == "csv"
    assert assigned(p) == [("TB-01", "Xã Yên Sơn"), ("TB-01", "Xã Đông Sơn"), ("AN-02", CA)]


@pytest.mark.parametrize(
    "cell",
    [
        "Công an thành phố, Ban CHQS thành phố, Phường Yên Bình",
        "Công an thành phố; Ban CHQS thành phố;Phường Yên Bình;",
        "Công an thành phố\nBan CHQS thành phố\r\nPhường Yên Bình",
        "CATP;\nBCHQS TP,  P. Yên Bình",
    ],
)
def test_several_units_in_one_cell_are_each_given_the_task(plan, cell):
    rows = [PLAN_HEADER, [1, "AN-01", "Phương án bảo đảm an ninh", "An ninh", cell, "10/10/2023", 3]]
    p = plan(xlsx({"KH": rows}))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert [t.unit for t in p.tasks] == [CA, QS, YB]
    assert {(t.code, t.task_key, t.subcommittee, t.deadline, t.weight, t.row) for t in p.tasks} == {
        ("AN-01", "an01", "Tiểu ban an ninh, trật tự", dt.date(2023, 10, 10), 3.0, 2)
    }


def test_a_unit_named_twice_in_one_cell_is_given_the_task_once(plan):
    rows = [PLAN_HEADER, [1, "AN-01", "Phương án bảo đảm an ninh", "An ninh", "CATP; Công an thành phố", "", ""]]
    p = plan(xlsx({"KH": rows}))
    assert p.status == "accepted" and assigned(p) == [("AN-01", CA)]


def test_unit_names_with_a_hyphen_or_a_comma_are_not_cut(config):
    # The exercise's names hold '-' and 'và'; a config may name a unit with a comma in it.
    comma = Unit("Phòng Lao động, Thương binh và Xã hội", "city", ("Phòng LĐ-TB&XH",))
    names = Names(dataclasses.replace(config, units=(*config.units, comma)))
    assert split_units("Phòng Tài chính - Kế hoạch", names) == [
        ("Phòng Tài chính - Kế hoạch", "Phòng Tài chính - Kế hoạch")
    ]
    assert [u for _, u in split_units("Văn phòng HĐND và UBND thành phố; CATP", names)] == [
        "Văn phòng HĐND và UBND thành phố",
        CA,
    ]
    assert [u for _, u in split_units("Phòng Lao động, Thương binh và Xã hội", names)] == [comma.name]
    assert [u for _, u in split_units("CATP, Phòng Lao động, Thương binh và Xã hội, Phòng Nội vụ", names)] == [
        CA,
        comma.name,
        "Phòng Nội vụ",
    ]
    assert split_units("CATP, Phòng Không Có", names) == [("CATP", CA), ("Phòng Không Có", None)]
    assert split_units("", names) == [] and split_units(None, names) == []


def test_one_sheet_per_subcommittee_and_sheets_without_a_table_skipped(plan):
    header = ["TT", "Mã NV", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"]
    p = plan(
        xlsx(
            {
                "Hướng dẫn": [["Kế hoạch phân công: mỗi tiểu ban một trang."]],
                "Văn kiện": [header, [1, "VK-01", "Xây dựng văn kiện", CA, "30/09/2023"]],
                "TB an ninh": [header, [1, "AN-01", "Bảo vệ mục tiêu", "CATP", "10/10/2023"]],
            }
        )
    )
    assert p.status == "accepted", [m.message for m in p.errors]
    assert [(t.sheet, t.subcommittee, t.unit) for t in p.tasks] == [
        ("Văn kiện", "Tiểu ban văn kiện", CA),
        ("TB an ninh", "Tiểu ban an ninh, trật tự", CA),
    ]


def test_section_headings_set_the_subcommittee_totals_and_signatures_are_skipped(plan):
    rows = plan_block() + [
        ["STT", "Mã NV", "Nội dung công việc", "Đơn vị chủ trì", "Thời hạn"],
        ["I. TIỂU BAN VĂN KIỆN"],
        [1, "VK-01", "Xây dựng văn kiện", QS, "30/09/2023"],
        [2, "VK-02", "In tài liệu", "Văn phòng HĐND-UBND", "05/10/2023"],
        ["II", "", "Tiểu ban hậu cần"],
        [1, "HC-01", "Chuẩn bị sở chỉ huy", "Phòng TC-KH", "20/10/2023"],
        ["", "", "Tổng cộng", "", ""],
        [],
        ["", "", "", "TM. BAN CHỈ ĐẠO"],
        ["", "", "", "TRƯỞNG BAN"],
        ["", "", "", "Nguyễn Văn A"],
    ]
    p = plan(xlsx({"KH": rows}, merges={"KH": ["A6:E6"]}))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert [(t.code, t.subcommittee, t.unit) for t in p.tasks] == [
        ("VK-01", "Tiểu ban văn kiện", QS),
        ("VK-02", "Tiểu ban văn kiện", "Văn phòng HĐND và UBND thành phố"),
        ("HC-01", "Tiểu ban lễ tân, hậu cần, kỹ thuật và tài chính", "Phòng Tài chính - Kế hoạch"),
    ]


def test_merged_unit_and_subcommittee_cells_apply_to_every_row_they_cover(plan):
    rows = [
        PLAN_HEADER,
        [1, "AN-01", "Phương án bảo đảm an ninh", "An ninh", "Công an thành phố; Phường Yên Bình", "10/10/2023", ""],
        [2, "AN-02", "Phương án phòng cháy", "", "", "15/10/2023", ""],
        [3, "AN-03", "Diễn tập chữa cháy", "", "", "20/10/2023", ""],
        [4, "TB-01", "Huấn luyện dân quân", "Thực binh", "Ban CHQS thành phố", "", ""],
    ]
    p = plan(xlsx({"KH": rows}, merges={"KH": ["D2:D4", "E2:E4"]}))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert [(t.code, t.subcommittee[:12], t.unit) for t in p.tasks] == [
        ("AN-01", "Tiểu ban an ", CA),
        ("AN-01", "Tiểu ban an ", YB),
        ("AN-02", "Tiểu ban an ", CA),
        ("AN-02", "Tiểu ban an ", YB),
        ("AN-03", "Tiểu ban an ", CA),
        ("AN-03", "Tiểu ban an ", YB),
        ("TB-01", "Tiểu ban lực", QS),
    ]


@pytest.mark.parametrize("order", [("Chủ trì", "Phối hợp"), ("Phối hợp", "Chủ trì")])
def test_two_row_header_with_lead_and_coordinating_units(plan, order):
    # 'Đơn vị thực hiện' over 'Chủ trì | Phối hợp'; STT, Mã NV, Nội dung, Tiểu ban, Thời hạn merged down.
    top = ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Đơn vị thực hiện", "", "Thời hạn"]
    sub = ["", "", "", "", *order, ""]

    def units(lead: str, coordinating: str) -> list[str]:
        return [lead, coordinating] if order[0] == "Chủ trì" else [coordinating, lead]

    rows = [
        *plan_block(),
        top,
        sub,
        [1, "AN-01", "Phương án bảo đảm an ninh", "An ninh", *units(CA, "Phòng Nội vụ"), "10/10/2023"],
        [2, "AN-02", "Phương án phòng cháy", "An ninh", *units(CA, "Tên sai gì đó"), "15/10/2023"],
    ]
    merges = {"KH": ["A5:A6", "B5:B6", "C5:C6", "D5:D6", "E5:F5", "G5:G6"]}
    p = plan(xlsx({"KH": rows}, merges=merges))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert assigned(p) == [("AN-01", CA), ("AN-02", CA)]  # the coordinating units are not given the task
    assert p.tasks[0].row == 7


def test_a_plain_unit_column_beside_a_lead_unit_column(plan):
    # 'Đơn vị phối hợp' before 'Đơn vị chủ trì': the lead unit is the one given the task.
    header = ["STT", "Nội dung công việc", "Tiểu ban", "Đơn vị phối hợp", "Cơ quan chủ trì", "Thời hạn"]
    p = plan(xlsx({"KH": [header, [1, "Bảo vệ mục tiêu", "An ninh", "Phòng Nội vụ", "CATP", ""]]}))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert assigned(p) == [("Bảo vệ mục tiêu", CA)]


def test_status_and_percent_columns_are_ignored(plan):
    header = ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Đơn vị", "Trạng thái", "Tỷ lệ (%)"]
    rows = [
        header,
        [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", CA, "Chưa rõ lắm", 250],
        [2, "VK-02", "In tài liệu", "Văn kiện", QS, "", ""],
    ]
    p = plan(xlsx({"KH": rows}))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert not p.warnings
    assert assigned(p) == [("VK-01", CA), ("VK-02", QS)]


@pytest.mark.parametrize(
    ("cell", "deadline"),
    [
        ("Quý IV/2023", dt.date(2023, 12, 31)),
        ("Tháng 10/2023", dt.date(2023, 10, 31)),
        ("Trước 30/9/2023", dt.date(2023, 9, 30)),
        ("Hạn: 30/09/2023 (dự kiến)", dt.date(2023, 9, 30)),
        ("15/10", dt.date(2023, 10, 15)),
        (45214, dt.date(2023, 10, 15)),
    ],
)
def test_deadlines_as_people_write_them(plan, cell, deadline):
    p = plan(xlsx({"KH": [PLAN_HEADER, [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", CA, cell, ""]]}))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert p.tasks[0].deadline == deadline and not p.warnings


def test_a_deadline_that_is_no_date_is_a_warning_and_left_empty(plan):
    p = plan(xlsx({"KH": [PLAN_HEADER, [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", CA, "Thường xuyên", ""]]}))
    assert p.status == "accepted"
    assert p.tasks[0].deadline is None
    (w,) = p.warnings
    assert (w.code, w.sheet, w.row, w.column, w.value) == ("deadline_invalid", "KH", 2, "F (Thời hạn)", "Thường xuyên")


def test_a_deadline_years_away_is_an_error(plan):
    p = plan(xlsx({"KH": [PLAN_HEADER, [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", CA, "30/09/2093", ""]]}))
    assert p.status == "rejected" and codes(p.errors) == ["deadline_out_of_range"]


def test_weight_out_of_range_is_an_error_and_an_unreadable_one_a_warning(plan):
    rows = [
        PLAN_HEADER,
        [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", CA, "", 5000],
        [2, "VK-02", "In tài liệu", "Văn kiện", CA, "", "cao"],
    ]
    p = plan(xlsx({"KH": rows}))
    assert p.status == "rejected" and p.tasks == []
    (e,) = p.errors
    assert (e.code, e.row, e.column) == ("weight_range", 2, "G (Trọng số)")
    assert codes(p.warnings) == ["weight_invalid"]


# ------------------------------------------------------------------ rejections


def test_unknown_unit_is_rejected_naming_sheet_row_column_value_and_the_closest(plan):
    rows = plan_block() + [
        PLAN_HEADER,
        [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", QS, "", ""],
        [2, "AN-01", "Bảo vệ mục tiêu", "An ninh", "CATP; Công an thị xã", "", ""],
    ]
    p = plan(xlsx({"Kế hoạch": rows}))
    assert p.status == "rejected"
    assert p.tasks == []  # the plan is rejected whole: not even the good rows enter
    (e,) = p.errors
    assert (e.code, e.sheet, e.row, e.column, e.value) == (
        "plan_unit_unknown",
        "Kế hoạch",
        7,
        "E (Đơn vị chủ trì)",
        "Công an thị xã",
    )
    assert e.params["suggestions"].split(", ")[0] == CA
    assert e.message_en == (
        f"Unit 'Công an thị xã' is not one of the exercise's units. Closest: {e.params['suggestions']}. "
        "Write the unit's name as listed; separate several units with a comma, a semicolon or a line break."
    )
    assert e.where("en") == 'Sheet "Kế hoạch", row 7, column "E (Đơn vị chủ trì)"'
    assert e.message.startswith("Đơn vị 'Công an thị xã' không có trong danh sách")


def test_unknown_subcommittee_is_rejected_naming_the_closest(plan):
    p = plan(xlsx({"KH": [PLAN_HEADER, [1, "VK-01", "Xây dựng văn kiện", "Văn kiệm", CA, "", ""]]}))
    assert p.status == "rejected" and p.tasks == []
    (e,) = p.errors
    assert (e.code, e.sheet, e.row, e.column, e.value) == ("subcommittee_unknown", "KH", 2, "D (Tiểu ban)", "Văn kiệm")
    assert e.params["suggestions"].startswith("Văn kiện")


def test_a_task_without_subcommittee_or_unit_is_an_error(plan):
    header = ["STT", "Nội dung công việc", "Tiểu ban", "Đơn vị chủ trì"]
    rows = [header, [1, "Xây dựng văn kiện", "", CA], [2, "In tài liệu", "Văn kiện", ""]]
    p = plan(xlsx({"Sheet1": rows}))
    assert p.status == "rejected"
    assert [(m.code, m.row, m.column) for m in p.errors] == [
        ("subcommittee_missing", 2, "B (Nội dung công việc)"),
        ("plan_unit_missing", 3, "D (Đơn vị chủ trì)"),
    ]
    assert "In tài liệu" in p.errors[1].message_en


def test_a_code_given_twice_to_one_unit_is_an_error_naming_the_first(plan):
    rows = [
        PLAN_HEADER,
        [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", "CATP, Ban CHQS thành phố", "", ""],
        [2, "VK-01", "Xây dựng văn kiện", "Văn kiện", "Phường Yên Bình", "", ""],  # another unit: fine
        [3, "vk 01", "Xây dựng văn kiện", "Văn kiện", "Công an thành phố", "", ""],
    ]
    p = plan(xlsx({"KH": rows}))
    assert p.status == "rejected" and p.tasks == []
    (e,) = p.errors
    assert (e.code, e.row, e.column, e.value) == ("plan_task_code_duplicate", 4, "B (Mã NV)", "vk 01")
    assert e.params == {"unit": CA, "first_sheet": "KH", "first_row": "2"}


def test_a_code_given_to_one_unit_on_two_sheets_is_an_error(plan):
    header = ["Mã NV", "Nhiệm vụ", "Đơn vị"]
    p = plan(
        xlsx({"Văn kiện": [header, ["VK-01", "Xây dựng văn kiện", CA]], "An ninh": [header, ["VK-01", "Khác", CA]]})
    )
    assert codes(p.errors) == ["plan_task_code_duplicate"]
    assert p.errors[0].sheet == "An ninh" and p.errors[0].params["first_sheet"] == "Văn kiện"


def test_the_same_text_without_code_twice_for_one_unit_in_one_subcommittee_is_an_error(plan):
    header = ["STT", "Nội dung công việc", "Tiểu ban", "Đơn vị chủ trì"]
    rows = [
        header,
        [1, "Tham gia hợp luyện", "Thực binh", CA],
        [2, "Tham gia hợp luyện", "An ninh", CA],  # another subcommittee: another task
        [3, "Tham gia hợp luyện.", "Thực binh", f"{QS}; {CA}"],
    ]
    p = plan(xlsx({"KH": rows}))
    assert [(m.code, m.row, m.value, m.params["unit"]) for m in p.errors] == [
        ("plan_task_duplicate", 4, "Tham gia hợp luyện.", CA)
    ]


def test_one_code_over_two_texts_is_a_warning(plan):
    rows = [
        PLAN_HEADER,
        [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", CA, "", ""],
        [2, "VK-01", "In tài liệu", "Văn kiện", QS, "", ""],
    ]
    p = plan(xlsx({"KH": rows}))
    assert p.status == "accepted"
    (w,) = p.warnings
    assert (w.code, w.row, w.value, w.params["first_task"]) == (
        "plan_code_text_differs",
        3,
        "In tài liệu",
        "Xây dựng văn kiện",
    )


def test_a_table_without_a_unit_column_is_rejected(plan, config):
    rows = admin_block() + [HEADER, [1, "Xây dựng văn kiện", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "", ""]]
    p = plan(xlsx({"Tiến độ": rows}))  # a unit's report, loaded as the plan by mistake
    assert p.status == "rejected"
    assert [(m.code, m.sheet, m.row) for m in p.errors] == [("plan_unit_column_missing", "Tiến độ", 6)]


def test_no_table_no_tasks_and_an_unreadable_file_are_rejected(plan):
    assert codes(plan(xlsx({"KH": [["Kế hoạch"], ["Ghi chú"]]})).errors) == ["plan_no_table"]
    blank = plan(xlsx({"KH": plan_block() + [PLAN_HEADER, [], ["", "", "Tổng cộng"]]}))
    assert [(m.code, m.sheet, m.row) for m in blank.errors] == [("plan_no_tasks", "KH", 5)]
    assert codes(plan(b"").errors) == ["empty_file"]
    assert codes(plan(b"PK\x03\x04 not really a zip", "kh.xlsx").errors) == ["unreadable"]


def test_every_plan_message_names_what_to_fix_in_both_languages(plan):
    rows = [
        PLAN_HEADER,
        [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", "Ai đó", "", ""],
        [2, "VK-02", "In tài liệu", "Văn kiện", "", "", ""],
    ]
    p = plan(xlsx({"KH": rows}))
    for m in p.errors:
        assert m.message and m.message_en and "{" not in m.message + m.message_en


# ------------------------------------------------------------------ matching a report's tasks


@pytest.mark.parametrize("with_code", [True, False])
def test_task_keys_are_the_report_readers(plan, config, with_code):
    texts = ["Xây dựng  VĂN KIỆN khối A.", "Phương án bảo đảm an ninh, trật tự"]
    code_of = ["VK-01", " an 01"] if with_code else ["", ""]
    report_rows = admin_block(CA) + [
        ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Trạng thái"],
        [1, code_of[0], texts[0], "Văn kiện", "Hoàn thành"],
        [2, code_of[1], texts[1], "An ninh", "Chưa thực hiện"],
    ]
    report = read_report(xlsx({"Tiến độ": report_rows}), "bc.xlsx", config)
    assert report.status == "accepted", [m.message for m in report.errors]
    plan_rows = [
        PLAN_HEADER,
        [1, code_of[0], "Xây dựng văn kiện khối A", "Văn kiện", CA, "", ""],
        [2, code_of[1], "Phương án bảo đảm an ninh trật tự", "An ninh", CA, "", ""],
    ]
    p = plan(xlsx({"KH": plan_rows}))
    assert p.status == "accepted", [m.message for m in p.errors]
    assert [t.task_key for t in p.tasks] == [t.task_key for t in report.tasks]
    assert [t.subcommittee for t in p.tasks] == [t.subcommittee for t in report.tasks]
    if with_code:
        assert [t.task_key for t in p.tasks] == ["vk01", "an01"]


# ------------------------------------------------------------------ crossing a boundary


def test_a_plan_round_trips_through_json_and_pickle(plan):
    rows = [
        PLAN_HEADER,
        [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", f"{CA}; {QS}", "Quý IV/2023", 2],
        [2, "VK-02", "In tài liệu", "Văn kiện", CA, "Thường xuyên", ""],
    ]
    p = plan(xlsx({"KH": rows}))
    d = json.loads(json.dumps(p.to_dict()))
    assert d["status"] == "accepted" and d["tasks"][0]["deadline"] == "2023-12-31"
    assert d["warnings"][0]["message_en"].startswith("Deadline 'Thường xuyên'")
    assert Plan.from_dict(d) == p
    assert pickle.loads(pickle.dumps(p)) == p
    rejected = plan(xlsx({"KH": [PLAN_HEADER, [1, "VK-01", "X", "Văn kiện", "Ai đó", "", ""]]}))
    again = Plan.from_dict(json.loads(json.dumps(rejected.to_dict())))
    assert again == rejected and again.status == "rejected" and again.errors[0].message == rejected.errors[0].message


def test_a_formula_never_computed_in_the_unit_or_deadline_column_is_an_error(plan):
    """A plan written by a program and never opened in a spreadsheet: its formulas read as blank."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KH"
    for row in [
        PLAN_HEADER,
        [1, "VK-01", "Xây dựng văn kiện", "Văn kiện", "=H2", "30/09/2023", "", CA],
        [2, "VK-02", "In tài liệu", "Văn kiện", CA, "=DATE(2023,10,5)", "", ""],
        [3, "VK-03", "Gửi tài liệu", "Văn kiện", CA, "", "", "=1+1"],  # a column the plan does not read
    ]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    p = plan(buf.getvalue())
    assert p.status == "rejected"
    assert [(m.code, m.row, m.column) for m in p.errors] == [
        ("formula_uncached", 2, "E (Đơn vị chủ trì)"),
        ("formula_uncached", 3, "F (Thời hạn)"),
    ]
