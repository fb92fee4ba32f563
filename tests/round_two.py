"""The reader's second round (issue 9): one source workbook per clause of the contract, with what it
must read as. The tests build each as .xlsx in code and read the .xls and .ods that LibreOffice made
from the same source (tests/fixtures/make_fixtures.py; committed), and a .csv where a CSV can hold it.

Each source: sheets (name -> rows from A1), merges (name -> ranges), and the answer expected: tasks
as (row, task, subcommittee short name, status, percent, deadline) or errors/warnings as
(code, sheet, row, column letter, value).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from conftest import admin_block

D = dt.date
VK, AN, KT, HC, TB = "Văn kiện", "An ninh", "Khánh tiết", "Hậu cần", "Thực binh"


@dataclass
class Source:
    sheets: dict[str, list[list]]
    merges: dict[str, list[str]] = field(default_factory=dict)
    tasks: list[tuple] = field(default_factory=list)
    errors: list[tuple] = field(default_factory=list)
    warnings: list[tuple] = field(default_factory=list)
    unit: str = "Phường Yên Bình"
    csv: bool = True  # a CSV of the first sheet holds the clause (no merges needed)
    csv_tasks: int | None = None  # how many of the tasks the first sheet holds (all when None)


def _block(unit: str = "Phường Yên Bình") -> list[list]:
    return admin_block(unit, "15/09/2023")  # rows 1-5; the table's header starts on row 6


# 1. Merged cells everywhere: subcommittee, deadline, owner and status merged down over task rows.
MERGED = Source(
    sheets={
        "Tiến độ": _block()
        + [
            ["STT", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Trạng thái", "Tỷ lệ (%)", "Người phụ trách"],
            [1, "Xây dựng kế hoạch diễn tập", "Văn kiện", "30/09/2023", "Hoàn thành", "", "Đ/c Hùng"],
            [2, "Xây dựng văn kiện khối A", "", "", "", "", ""],
            [3, "Xây dựng văn kiện khối B", "", "15/10/2023", "Đang thực hiện", 40, "Đ/c Lan"],
            [4, "Phương án bảo vệ mục tiêu", "An ninh", "", "", 70, ""],
            [5, "Phương án phân luồng giao thông", "", "", "", "", ""],
        ]
    },
    merges={"Tiến độ": ["C7:C9", "D7:D8", "E7:E8", "G7:G8", "C10:C11", "D9:D11", "E9:E11", "G9:G11"]},
    tasks=[
        (7, "Xây dựng kế hoạch diễn tập", VK, "done", None, D(2023, 9, 30)),
        (8, "Xây dựng văn kiện khối A", VK, "done", None, D(2023, 9, 30)),
        (9, "Xây dựng văn kiện khối B", VK, "in_progress", 40, D(2023, 10, 15)),
        (10, "Phương án bảo vệ mục tiêu", AN, "in_progress", 70, D(2023, 10, 15)),
        (11, "Phương án phân luồng giao thông", AN, "in_progress", None, D(2023, 10, 15)),
    ],
    csv=False,
)

# 2. Tick columns under a merged group heading, a two-row header, section rows and a merged
#    subcommittee cell; marks of every kind; a row with no mark (the percent decides).
TICKS = Source(
    sheets={
        "Tiến độ": _block()
        + [
            [
                "TT",
                "Nội dung công việc",
                "Tiểu ban",
                "Thời hạn",
                "Kết quả thực hiện",
                "",
                "",
                "",
                "Tỷ lệ (%)",
                "Ghi chú",
            ],
            ["", "", "", "", "Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Vướng mắc", "", ""],
            ["I", "Tiểu ban văn kiện"],
            [1, "Xây dựng kế hoạch diễn tập", "", "30/09/2023", "x", "", "", "", "", ""],
            [2, "Xây dựng văn kiện khối A", "", "15/10/2023", "", "✓", "", "", 60, ""],
            ["II", "Tiểu ban an ninh, trật tự"],
            [3, "Phương án bảo vệ mục tiêu", "", "20/10/2023", "", "", "X", "", "", ""],
            [4, "Phương án phân luồng giao thông", "", "20/10/2023", "", "", "", "v", 30, "Chờ kinh phí"],
            [5, "Diễn tập phòng cháy", "Hậu cần", "01/11/2023", 1, "", "", "", "", ""],
            [6, "Chuẩn bị sở chỉ huy", "", "01/11/2023", "", "", "", "", 50, ""],
            [7, "Chuẩn bị xe chỉ huy", "", "01/11/2023", "", "", "", "", "", ""],
        ]
    },
    merges={"Tiến độ": ["A6:A7", "B6:B7", "C6:C7", "D6:D7", "E6:H6", "I6:I7", "J6:J7", "C14:C16"]},
    tasks=[
        (9, "Xây dựng kế hoạch diễn tập", VK, "done", None, D(2023, 9, 30)),
        (10, "Xây dựng văn kiện khối A", VK, "in_progress", 60, D(2023, 10, 15)),
        (12, "Phương án bảo vệ mục tiêu", AN, "not_started", None, D(2023, 10, 20)),
        (13, "Phương án phân luồng giao thông", AN, "blocked", 30, D(2023, 10, 20)),
        (14, "Diễn tập phòng cháy", HC, "done", None, D(2023, 11, 1)),
        (15, "Chuẩn bị sở chỉ huy", HC, "in_progress", 50, D(2023, 11, 1)),
        (16, "Chuẩn bị xe chỉ huy", HC, "not_started", None, D(2023, 11, 1)),
    ],
    csv=False,  # the CSV form is TICKS_SHEETS' single-row header
)

# 2b. One sheet per subcommittee, tick columns in a one-row header, no group heading.
_TICK_HEADER = ["STT", "Nhiệm vụ", "Thời hạn", "Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Không áp dụng"]
TICKS_SHEETS = Source(
    sheets={
        "Văn kiện": _block()
        + [
            _TICK_HEADER,
            [1, "Xây dựng kế hoạch diễn tập", "30/09/2023", "x", "", "", ""],
            [2, "In ấn tài liệu", "30/09/2023", "", "", "", "x"],
        ],
        "Thực binh": _block()
        + [
            _TICK_HEADER,
            [1, "Huấn luyện lực lượng dân quân", "05/11/2023", "", "x", "", ""],
            [2, "Tổng duyệt", "10/11/2023", "", "", "", ""],
        ],
    },
    tasks=[
        (7, "Xây dựng kế hoạch diễn tập", VK, "done", None, D(2023, 9, 30)),
        (8, "In ấn tài liệu", VK, "not_applicable", None, D(2023, 9, 30)),
        (7, "Huấn luyện lực lượng dân quân", TB, "in_progress", None, D(2023, 11, 5)),
        (8, "Tổng duyệt", TB, "not_started", None, D(2023, 11, 10)),
    ],
    csv_tasks=2,
)

# 2c. Marks in two status columns of one row: an error naming both cells.
TICKS_CONFLICT = Source(
    sheets={
        "Tiến độ": _block()
        + [
            ["STT", "Nội dung công việc", "Tiểu ban", "Hoàn thành", "Đang thực hiện", "Chưa thực hiện"],
            [1, "Xây dựng kế hoạch diễn tập", "Văn kiện", "x", "", ""],
            [2, "Phương án bảo vệ mục tiêu", "An ninh", "x", "", "x"],
        ]
    },
    errors=[("status_ticks_conflict", "Tiến độ", 8, "D", "x", "F8")],
)

# 3. A percent inside the status cell, with no percent column.
STATUS_PERCENT = Source(
    sheets={
        "Tiến độ": _block()
        + [
            ["STT", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Tình trạng"],
            [1, "Xây dựng văn kiện khối A", "Văn kiện", "30/09/2023", "Đang thực hiện (70%)"],
            [2, "Phương án bảo vệ mục tiêu", "An ninh", "20/10/2023", "Đang làm 45%"],
            [3, "Treo băng rôn, khẩu hiệu", "Khánh tiết", "01/11/2023", "Hoàn thành"],
        ]
    },
    tasks=[
        (7, "Xây dựng văn kiện khối A", VK, "in_progress", 70, D(2023, 9, 30)),
        (8, "Phương án bảo vệ mục tiêu", AN, "in_progress", 45, D(2023, 10, 20)),
        (9, "Treo băng rôn, khẩu hiệu", KT, "done", None, D(2023, 11, 1)),
    ],
)

# 4. An unknown subcommittee: an error at its cell naming the closest ones.
SUB_UNKNOWN = Source(
    sheets={
        "Tiến độ": _block()
        + [
            ["STT", "Nội dung công việc", "Tiểu ban", "Trạng thái"],
            [1, "Phương án bảo vệ mục tiêu", "An nin", "Hoàn thành"],
        ]
    },
    errors=[("subcommittee_unknown", "Tiến độ", 7, "C", "An nin", "An ninh")],
)

# 5. Deadlines as people write them: words around one date, months, quarters, and words alone.
DEADLINE_WORDS = Source(
    sheets={
        "Tiến độ": _block()
        + [
            ["STT", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Trạng thái"],
            [1, "Xây dựng kế hoạch", "Văn kiện", "Trước 30/9/2023", "Hoàn thành"],
            [2, "Văn kiện khối A", "Văn kiện", "trước ngày 30/9", "Hoàn thành"],
            [3, "Văn kiện khối B", "Văn kiện", "Hạn: 30/09/2023", "Hoàn thành"],
            [4, "Văn kiện khối C", "Văn kiện", "30/9/2023 (dự kiến)", "Hoàn thành"],
            [5, "Phương án bảo vệ", "An ninh", "Tháng 10/2023", "Đang thực hiện"],
            [6, "Phương án giao thông", "An ninh", "T10/2023", "Đang thực hiện"],
            [7, "Phương án phòng cháy", "An ninh", "tháng 10", "Đang thực hiện"],
            [8, "Tổng duyệt", "Thực binh", "Quý IV/2023", "Chưa thực hiện"],
            [9, "Tổng kết", "Thực binh", "Quý 4/2023", "Chưa thực hiện"],
            [10, "Tuyên truyền", "Khánh tiết", "Thường xuyên", "Đang thực hiện"],
            [11, "Hậu cần", "Hậu cần", "Theo kế hoạch", "Đang thực hiện"],
        ]
    },
    tasks=[
        (7, "Xây dựng kế hoạch", VK, "done", None, D(2023, 9, 30)),
        (8, "Văn kiện khối A", VK, "done", None, D(2023, 9, 30)),
        (9, "Văn kiện khối B", VK, "done", None, D(2023, 9, 30)),
        (10, "Văn kiện khối C", VK, "done", None, D(2023, 9, 30)),
        (11, "Phương án bảo vệ", AN, "in_progress", None, D(2023, 10, 31)),
        (12, "Phương án giao thông", AN, "in_progress", None, D(2023, 10, 31)),
        (13, "Phương án phòng cháy", AN, "in_progress", None, D(2023, 10, 31)),
        (14, "Tổng duyệt", TB, "not_started", None, D(2023, 12, 31)),
        (15, "Tổng kết", TB, "not_started", None, D(2023, 12, 31)),
        (16, "Tuyên truyền", KT, "in_progress", None, None),
        (17, "Hậu cần", HC, "in_progress", None, None),
    ],
    warnings=[
        ("deadline_invalid", "Tiến độ", 16, "D", "Thường xuyên"),
        ("deadline_invalid", "Tiến độ", 17, "D", "Theo kế hoạch"),
    ],
)

# 6. VNI-Windows data under Unicode headings (a southern office's old template, new header row).
VNI = Source(
    sheets={
        "Tiến độ": [
            ["UBND THÀNH PHỐ TAM ĐIỆP"],
            ["Ñôn vò: Phöôøng Yeân Bình", "", "", "", "Ngày báo cáo: 15/09/2023"],
            [],
            ["STT", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Trạng thái", "Tỷ lệ (%)", "Người phụ trách"],
            [1, "Xaây döïng keá hoaïch dieãn taäp", "Vaên kieän", "30/09/2023", "Hoaøn thaønh", 100, "Ñ/c Huøng"],
            [2, "Phöông aùn baûo veä muïc tieâu", "An ninh", "20/10/2023", "Ñang thöïc hieän", 60, "Ñ/c Lan"],
            [3, "Chuaån bò sôû chæ huy", "Haäu caàn", "01/11/2023", "Chöa thöïc hieän", "", ""],
        ]
    },
    tasks=[
        (5, "Xây dựng kế hoạch diễn tập", VK, "done", 100, D(2023, 9, 30)),
        (6, "Phương án bảo vệ mục tiêu", AN, "in_progress", 60, D(2023, 10, 20)),
        (7, "Chuẩn bị sở chỉ huy", HC, "not_started", None, D(2023, 11, 1)),
    ],
)

# 7. Text copied from Word or a web page: non-breaking and zero-width spaces, dashes, curly quotes.
WORD_TEXT = Source(
    sheets={
        "Tiến độ": [
            ["Đơn\u00a0vị:\u00a0Phường\u00a0Yên\u200bBình", "", "", "", "Ngày báo cáo: 15/09/2023"],
            [],
            ["STT", "Nội\u00a0dung công\u00a0việc", "Tiểu\u200b ban", "Thời hạn", "“Trạng thái”", "Tỷ lệ\u00a0(%)"],
            [1, "Xây dựng kế hoạch", "Tiểu ban – văn kiện", "30–09–2023", "Hoàn\u00a0thành", 100],
            [2, "Phương án bảo vệ", "“An ninh”", "20/10/2023", "Đang\u200b thực hiện", "60\u00a0%"],
            [3, "Treo băng rôn", "Khánh tiết — thi đua — tuyên truyền", "01/11/2023", "‘Chưa thực hiện’", ""],
        ]
    },
    tasks=[
        (4, "Xây dựng kế hoạch", VK, "done", 100, D(2023, 9, 30)),
        (5, "Phương án bảo vệ", AN, "in_progress", 60, D(2023, 10, 20)),
        (6, "Treo băng rôn", KT, "not_started", None, D(2023, 11, 1)),
    ],
)

SOURCES: dict[str, Source] = {
    "merged": MERGED,
    "ticks": TICKS,
    "ticks_sheets": TICKS_SHEETS,
    "ticks_conflict": TICKS_CONFLICT,
    "status_percent": STATUS_PERCENT,
    "sub_unknown": SUB_UNKNOWN,
    "deadline_words": DEADLINE_WORDS,
    "vni": VNI,
    "word_text": WORD_TEXT,
}
