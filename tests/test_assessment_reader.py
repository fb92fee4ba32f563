"""The unit's own assessment (docs/checklist-format.md, "The unit's own assessment"): a 'Tự đánh giá'
sheet, a second table below the tasks, or header-block cells; ratings, remarks and ready-by dates read,
unknown ratings and subcommittees rejected with the cell named, and the task table never the worse for it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from conftest import HEADER, admin_block, codes, standard_rows, xlsx

from readiness.reader import Assessment
from readiness.sandbox import Job, Sandbox

DOCS, SECURITY, LOGISTICS, PUBLICITY = (
    "Tiểu ban văn kiện",
    "Tiểu ban an ninh, trật tự",
    "Tiểu ban lễ tân, hậu cần, kỹ thuật và tài chính",
    "Tiểu ban khánh tiết, thi đua và tuyên truyền",
)
TASKS = [
    "Xây dựng văn kiện khối A",
    "Phương án bảo đảm an ninh",
    "Treo băng rôn, khẩu hiệu",
    "Chuẩn bị sở chỉ huy",
]
SIGNATURE = [[], ["Người lập biểu", "", "", "", "Thủ trưởng đơn vị"], ["Nguyễn Văn A", "", "", "", "Trần Văn B"]]


def assessment_sheet(*rows: list) -> list[list]:
    """A 'Tự đánh giá' sheet: a title, then the table's header on row 3 and the given rows from row 4."""
    return [
        ["TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG CỦA ĐƠN VỊ"],
        [],
        ["STT", "Tiểu ban", "Tự đánh giá", "Nhận xét", "Dự kiến sẵn sàng"],
        *rows,
    ]


def with_block(*cells: list) -> list[list]:
    """The standard report with extra header-block rows just above the task table's header."""
    return admin_block() + [*cells, HEADER] + standard_rows()[len(admin_block()) + 1 :]


# ------------------------------------------------------------------ a 'Tự đánh giá' sheet


def test_an_assessment_sheet_gives_the_whole_unit_and_each_subcommittee(read):
    sheet = assessment_sheet(
        [1, "Chung", "Đạt có điều kiện", "Còn chờ kinh phí hậu cần", "30/10/2023"],
        [2, "Văn kiện", "Đạt", "", ""],
        [3, "TB an ninh", "Chưa sẵn sàng", "Chưa luyện tập phương án", ("date", dt.date(2023, 10, 20))],
        [4, "Hậu cần", "Cơ bản sẵn sàng", "", ""],
        [5, "Khánh tiết", "", "Chưa đánh giá", ""],  # no rating: skipped
        *SIGNATURE,
    )
    rep = read(xlsx({"Tiến độ": standard_rows(), "Tự đánh giá": sheet}))
    assert rep.status == "accepted", [m.text() for m in rep.errors]
    assert [t.task for t in rep.tasks] == TASKS
    assert rep.assessments == [
        Assessment("Tự đánh giá", 4, None, "conditional", "Còn chờ kinh phí hậu cần", dt.date(2023, 10, 30)),
        Assessment("Tự đánh giá", 5, DOCS, "ready", None, None),
        Assessment("Tự đánh giá", 6, SECURITY, "not_ready", "Chưa luyện tập phương án", dt.date(2023, 10, 20)),
        Assessment("Tự đánh giá", 7, LOGISTICS, "conditional", None, None),
    ]
    assert rep.warnings == []


@pytest.mark.parametrize(
    ("written", "rating"),
    [
        ("Đạt", "ready"),
        ("sẵn sàng", "ready"),
        ("ĐẠT CÓ ĐIỀU KIỆN", "conditional"),
        ("Cơ bản đạt", "conditional"),
        ("Cơ bản sẵn sàng", "conditional"),
        ("Chưa đạt", "not_ready"),
        ("chua san sang", "not_ready"),
    ],
)
def test_ratings_are_matched_folded(read, written, rating):
    sheet = assessment_sheet([1, "Toàn đơn vị", written, "", ""])
    rep = read(xlsx({"Tiến độ": standard_rows(), "Tự Đánh Giá": sheet}))
    assert [(a.subcommittee, a.rating) for a in rep.assessments] == [(None, rating)]


def test_a_table_on_another_sheet_is_found_by_its_columns(read):
    other = [["Phần II"], ["Tiểu ban", "Mức độ sẵn sàng", "Đề xuất, kiến nghị", "Thời gian dự kiến"]]
    other += [["Cả đơn vị", "Chưa đạt", "Đề nghị bổ sung kinh phí", "Tháng 10/2023"]]
    rep = read(xlsx({"Tiến độ": standard_rows(), "Báo cáo thêm": other}))
    assert rep.assessments == [
        Assessment("Báo cáo thêm", 3, None, "not_ready", "Đề nghị bổ sung kinh phí", dt.date(2023, 10, 31))
    ]


def test_a_bad_ready_by_date_is_a_warning_and_left_empty(read):
    sheet = assessment_sheet([1, "Chung", "Đạt", "", "Theo kế hoạch"])
    rep = read(xlsx({"Tiến độ": standard_rows(), "Tự đánh giá": sheet}))
    assert rep.status == "accepted"
    assert [(a.rating, a.ready_by) for a in rep.assessments] == [("ready", None)]
    (warning,) = rep.warnings
    assert (warning.code, warning.sheet, warning.row, warning.column, warning.value) == (
        "assessment_ready_by_invalid",
        "Tự đánh giá",
        4,
        "E (Dự kiến sẵn sàng)",
        "Theo kế hoạch",
    )


def test_a_second_assessment_of_the_same_scope_is_a_warning_and_the_first_stays(read):
    sheet = assessment_sheet([1, "Văn kiện", "Đạt", "", ""], [2, "TB văn kiện", "Chưa đạt", "", ""])
    rep = read(xlsx({"Tiến độ": standard_rows(), "Tự đánh giá": sheet}))
    assert [(a.row, a.rating) for a in rep.assessments] == [(4, "ready")]
    assert codes(rep.warnings) == ["assessment_repeated"]
    assert rep.warnings[0].text("en") == (
        "'TB văn kiện' is already self-assessed on sheet \"Tự đánh giá\", row 4: that assessment is kept, "
        "the one on this row is ignored."
    )


def test_an_assessment_sheet_without_a_subcommittee_column_is_the_whole_units(read):
    sheet = [["ĐÁNH GIÁ CHUNG"], ["Đánh giá", "Lý do"], ["Đạt", "Đủ lực lượng"], ["Chưa đạt", "Lặp lại"]]
    rep = read(xlsx({"Tiến độ": standard_rows(), "Tự đánh giá": sheet}))
    assert rep.assessments == [Assessment("Tự đánh giá", 3, None, "ready", "Đủ lực lượng", None)]
    assert [(w.code, w.row, w.value) for w in rep.warnings] == [("assessment_repeated", 4, "Chung")]


# ------------------------------------------------------------------ a second table below the tasks


@pytest.mark.parametrize(
    "head",
    [
        ["STT", "Tiểu ban", "Đánh giá", "Lý do", "Dự kiến hoàn thành"],  # 'Tiểu ban' in the task column
        ["", "", "Tiểu ban", "Kết quả tự đánh giá", "Ghi chú", "Dự kiến hoàn thành"],  # aligned with the tasks
    ],
)
def test_a_table_below_the_tasks_ends_the_task_table_and_becomes_no_task(read, head):
    pad = [""] * (len(head) - 5)
    rows = standard_rows() + [[], ["II. TỰ ĐÁNH GIÁ CỦA ĐƠN VỊ"], head]
    rows += [pad + [1, "Chung", "Đạt", "", ""], pad + [2, "Hậu cần", "Chưa sẵn sàng", "Chờ kinh phí", "25/10/2023"]]
    rows += SIGNATURE
    rep = read(xlsx({"Tiến độ": rows}))
    assert rep.status == "accepted", [m.text() for m in rep.errors]
    assert [t.task for t in rep.tasks] == TASKS
    assert rep.warnings == []
    assert rep.assessments == [
        Assessment("Tiến độ", 14, None, "ready", None, None),
        Assessment("Tiến độ", 15, LOGISTICS, "not_ready", "Chờ kinh phí", dt.date(2023, 10, 25)),
    ]


def test_a_task_table_with_remark_columns_is_no_assessment_table(read):
    header = ["STT", "Nội dung công việc", "Tiểu ban", "Trạng thái", "Tỷ lệ (%)", "Nhận xét", "Ghi chú"]
    tasks = [
        [1, "Xây dựng văn kiện khối A", "Văn kiện", "Hoàn thành", 100, "Đạt", "Đã trình"],
        [2, "Đánh giá công tác chuẩn bị", "An ninh", "Đang thực hiện", 50, "Đạt có điều kiện", ""],
    ]
    rep = read(xlsx({"Tiến độ": admin_block() + [header] + tasks}))
    assert rep.status == "accepted", [m.text() for m in rep.errors]
    assert [(t.task, t.note, t.extra) for t in rep.tasks] == [
        ("Xây dựng văn kiện khối A", "Đã trình", {"Nhận xét": "Đạt"}),
        ("Đánh giá công tác chuẩn bị", None, {"Nhận xét": "Đạt có điều kiện"}),
    ]
    assert rep.assessments == []


# ------------------------------------------------------------------ header-block cells


def test_header_block_cells_give_the_whole_units_assessment(read):
    rows = with_block(
        ["Tự đánh giá: Đạt có điều kiện", "", "", "", "Nhận xét: Còn thiếu kinh phí hậu cần"],
        ["Dự kiến sẵn sàng:", "30/10/2023"],
    )
    rep = read(xlsx({"Tiến độ": rows}))
    assert rep.status == "accepted", [m.text() for m in rep.errors]
    assert rep.unit == "Phường Yên Bình" and rep.report_date == dt.date(2023, 9, 15)
    assert [t.task for t in rep.tasks] == TASKS
    assert rep.assessments == [
        Assessment("Tiến độ", 6, None, "conditional", "Còn thiếu kinh phí hậu cần", dt.date(2023, 10, 30))
    ]


@pytest.mark.parametrize("cells", [["Tự đánh giá:", "Chưa đạt"], ["Tự đánh giá", "", "Chưa đạt"]])
def test_a_block_rating_may_sit_in_the_next_cell(read, cells):
    rep = read(xlsx({"Tiến độ": with_block(cells)}))
    assert [(a.subcommittee, a.rating, a.row) for a in rep.assessments] == [(None, "not_ready", 6)]


def test_a_block_rating_on_a_subcommittees_sheet_is_that_subcommittees(read):
    header = ["STT", "Nội dung công việc", "Thời hạn", "Trạng thái", "Tỷ lệ (%)"]
    rows = admin_block() + [["Đánh giá: Sẵn sàng"], header, [1, "Soạn thảo văn kiện", "30/09/2023", "Hoàn thành", 100]]
    rep = read(xlsx({"TB văn kiện": rows}))
    assert rep.status == "accepted", [m.text() for m in rep.errors]
    assert [(a.subcommittee, a.rating) for a in rep.assessments] == [(DOCS, "ready")]


def test_a_csv_with_the_block_cell(read):
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["Đơn vị: Phường Yên Bình", "", "", "Ngày báo cáo: 15/09/2023"])
    out.writerow(["Tự đánh giá: Cơ bản sẵn sàng", "", "", "Nhận xét: Còn hai việc, đang làm"])
    out.writerow(HEADER)
    out.writerow([1, "Xây dựng văn kiện khối A", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "", ""])
    rep = read(buf.getvalue().encode("utf-8"), "bao_cao.csv")
    assert rep.status == "accepted", [m.text() for m in rep.errors]
    assert rep.kind == "csv" and len(rep.tasks) == 1
    assert rep.assessments == [Assessment("bao_cao", 2, None, "conditional", "Còn hai việc, đang làm", None)]


# ------------------------------------------------------------------ rejections


def test_an_unknown_rating_rejects_the_report_naming_the_cell(read):
    sheet = assessment_sheet([1, "Chung", "Đạt", "", ""], [2, "Văn kiện", "Tốt", "", ""])
    rep = read(xlsx({"Tiến độ": standard_rows(), "Tự đánh giá": sheet}))
    assert rep.status == "rejected"
    assert rep.tasks == [] and rep.assessments == []
    (err,) = rep.errors
    assert (err.code, err.sheet, err.row, err.column, err.value) == (
        "assessment_rating_unknown",
        "Tự đánh giá",
        5,
        "C (Tự đánh giá)",
        "Tốt",
    )
    assert err.where() == 'Trang "Tự đánh giá", dòng 5, cột "C (Tự đánh giá)"'
    assert err.text() == (
        "Mức tự đánh giá 'Tốt' không hiểu được. Chấp nhận: Đạt (hoặc Sẵn sàng), Đạt có điều kiện (hoặc Cơ bản "
        "sẵn sàng, Cơ bản đạt), Chưa đạt (hoặc Chưa sẵn sàng)."
    )
    assert err.text("en") == (
        "Self-assessment rating 'Tốt' is not understood. Accepted: Đạt or Sẵn sàng (ready), Đạt có điều kiện, "
        "Cơ bản sẵn sàng or Cơ bản đạt (ready with conditions), Chưa đạt or Chưa sẵn sàng (not ready)."
    )


def test_an_unknown_rating_in_the_block_names_its_cell(read):
    rep = read(xlsx({"Tiến độ": with_block(["", "Tự đánh giá: Khá"])}))
    assert [(e.code, e.sheet, e.row, e.column, e.value) for e in rep.errors] == [
        ("assessment_rating_unknown", "Tiến độ", 6, "B", "Khá")
    ]
    assert rep.tasks == [] and rep.assessments == []


def test_an_unknown_subcommittee_rejects_the_report_naming_the_closest(read):
    sheet = assessment_sheet([1, "Hậu cầu", "Đạt", "", ""])
    rep = read(xlsx({"Tiến độ": standard_rows(), "Tự đánh giá": sheet}))
    assert rep.status == "rejected" and rep.assessments == []
    (err,) = rep.errors
    assert (err.code, err.sheet, err.row, err.column, err.value) == (
        "assessment_subcommittee_unknown",
        "Tự đánh giá",
        4,
        "B (Tiểu ban)",
        "Hậu cầu",
    )
    assert err.text() == (
        "Tiểu ban 'Hậu cầu' trong phần tự đánh giá không có trong danh sách. Gần nhất: Hậu cần, Thực binh. "
        "Danh sách: Văn kiện, An ninh, Khánh tiết, Hậu cần, Thực binh; ghi 'Chung' cho cả đơn vị."
    )


# ------------------------------------------------------------------ none, and across the process boundary


def test_a_report_without_an_assessment_has_none(read):
    rep = read(xlsx({"Tiến độ": standard_rows(), "Hướng dẫn": [["Điền bảng tiến độ theo mẫu"]]}))
    assert rep.status == "accepted"
    assert rep.assessments == []


def test_assessments_cross_the_sandbox(config):
    sheet = assessment_sheet([1, "Chung", "Đạt", "Đủ điều kiện", "30/10/2023"])
    box = Sandbox(config, workers=1)
    try:
        rep = box.read(Job(xlsx({"Tiến độ": standard_rows(), "Tự đánh giá": sheet}), "a.xlsx"))
    finally:
        box.close()
    assert rep.accepted and len(rep.tasks) == 4
    assert rep.assessments == [Assessment("Tự đánh giá", 4, None, "ready", "Đủ điều kiện", dt.date(2023, 10, 30))]
