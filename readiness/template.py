"""The .xlsx template a unit downloads, fills and sends back: accepted by the reader without a warning.

With a plan in force the template lists the tasks the committee gave the unit (code, task, subcommittee,
deadline, and weight when any is not 1) with status and percent left for the unit to fill; without one,
the tasks of its latest report. A second sheet, 'Tự đánh giá', takes the unit's own assessment: a row
'Chung' and one per subcommittee it has tasks in, the rating picked from a list and left blank (a blank
rating is skipped by the reader).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

import pandas as pd

from .config import Config
from .export import workbook, write_cell

if TYPE_CHECKING:
    from .store import Store

STATUS_CHOICES = ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Vướng mắc", "Không áp dụng"]
STATUS_TEXT = dict(
    done="Hoàn thành",
    in_progress="Đang thực hiện",
    not_started="Chưa thực hiện",
    blocked="Vướng mắc",
    not_applicable="Không áp dụng",
)
HEADER = [
    "STT",
    "Mã NV",
    "Nội dung công việc",
    "Tiểu ban",
    "Thời hạn",
    "Trạng thái",
    "Tỷ lệ (%)",
    "Người phụ trách",
    "Ghi chú",
]
WIDTHS = [6, 10, 60, 16, 13, 18, 11, 20, 30]
WEIGHT = "Trọng số"  # after 'Thời hạn' when the plan gives any task a weight other than 1
WEIGHT_WIDTH = 9
BLANK_ROWS = 30
# The unit's own assessment (docs/checklist-format.md, "The unit's own assessment").
ASSESSMENT_SHEET = "Tự đánh giá"
ASSESSMENT_HEADER = ["Tiểu ban", "Tự đánh giá", "Nhận xét", "Dự kiến sẵn sàng"]
ASSESSMENT_WIDTHS = [22, 20, 60, 16]
RATINGS = ["Đạt", "Đạt có điều kiện", "Chưa đạt"]
WHOLE_UNIT = "Chung"
ASSESSMENT_BLANK_ROWS = 3  # for a subcommittee the list above leaves out
INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN BẢNG TIẾN ĐỘ",
    "",
    "1. Mỗi dòng là một nhiệm vụ. Không đổi tên các cột ở dòng tiêu đề; có thể thêm cột, thêm dòng.",
    "2. Ngày báo cáo: ghi ngày lập báo cáo (dd/mm/yyyy) vào ô bên cạnh chữ 'Ngày báo cáo:'.",
    "3. Tiểu ban: chọn trong danh sách (Văn kiện, An ninh, Khánh tiết, Hậu cần, Thực binh).",
    "4. Trạng thái: chọn Hoàn thành, Đang thực hiện, Chưa thực hiện, Vướng mắc hoặc Không áp dụng.",
    "5. Tỷ lệ (%): số từ 0 đến 100. 'Hoàn thành' thì ghi 100; nếu để trống trạng thái, hệ thống tính theo tỷ lệ.",
    "6. Thời hạn: ngày phải xong, dạng dd/mm/yyyy (ngày trước, tháng sau: 03/08/2023 là 3 tháng 8).",
    "7. Vướng mắc: ghi rõ nội dung vướng mắc vào cột Ghi chú để Ban Tổ chức xử lý.",
    "8. Lưu tệp (.xlsx) và gửi lại qua trang 'Gửi báo cáo'. Nếu tệp có lỗi, trang sẽ chỉ rõ trang, dòng, cột cần sửa.",
    "",
    "Mã NV giúp đối chiếu nhiệm vụ giữa các lần báo cáo: giữ nguyên mã của từng nhiệm vụ.",
    "",
    "Trang 'Tự đánh giá' (không bắt buộc): đơn vị tự đánh giá mức độ sẵn sàng, dòng 'Chung' cho cả đơn vị "
    "và một dòng cho mỗi tiểu ban; chọn Đạt, Đạt có điều kiện hoặc Chưa đạt, ghi nhận xét và ngày dự kiến "
    "sẵn sàng (dd/mm/yyyy). Dòng để trống ô đánh giá thì không tính.",
]
PLAN_INSTRUCTIONS = [
    "",
    "Các nhiệm vụ trong bảng là nhiệm vụ Ban Tổ chức giao cho đơn vị theo kế hoạch phân công (Mã NV, nội dung, "
    "tiểu ban, thời hạn, trọng số): giữ nguyên các ô này, điền Trạng thái và Tỷ lệ (%) của từng nhiệm vụ. "
    "Nhiệm vụ được giao mà không báo cáo được tính là chưa báo cáo (0%). Nhiệm vụ đơn vị làm thêm ghi ở các "
    "dòng trống bên dưới: được hiển thị, không tính vào mức độ sẵn sàng.",
]


def build_template(
    config: Config,
    unit: str,
    tasks: pd.DataFrame | None = None,
    report_date: dt.date | None = None,
    issuer: str | None = None,
    plan: pd.DataFrame | None = None,
) -> bytes:
    """The unit's checklist template: the administrative header block with its name and a report date
    cell, the task table with drop-down lists for subcommittee and status, percent limited to 0-100,
    frozen header, the assessment sheet and an instructions sheet.

    The task table lists the unit's tasks in the plan in force when ``plan`` (the plan's tasks, as
    ``Store.plan()`` gives them, of any units) gives it any, with empty status and percent; else
    ``tasks`` (its latest report's, as the query 'tasks' gives them, statuses included), or empty rows."""
    planned = _planned(plan, unit)
    if planned is not None:
        rows = planned
    else:
        rows = [] if tasks is None else tasks.to_dict("records")
    weighted = planned is not None and any(_weight(t) != 1 for t in rows)
    columns = HEADER[:5] + [WEIGHT] + HEADER[5:] if weighted else list(HEADER)
    widths = WIDTHS[:5] + [WEIGHT_WIDTH] + WIDTHS[5:] if weighted else list(WIDTHS)
    col = {name: i for i, name in enumerate(columns)}
    buf = io.BytesIO()
    wb = workbook(buf)
    bold = wb.add_format({"bold": True})
    centre = wb.add_format({"bold": True, "align": "center"})
    title = wb.add_format({"bold": True, "align": "center", "font_size": 13})
    head = wb.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": "#DDE5F0"}
    )
    cell = wb.add_format({"border": 1, "valign": "top", "text_wrap": True})
    date_cell = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy", "valign": "top"})
    date_label = wb.add_format({"num_format": "dd/mm/yyyy", "bold": True})
    # The cells the plan fills (code, task, subcommittee, deadline, weight) are shaded: the unit keeps them.
    given = wb.add_format({"border": 1, "valign": "top", "text_wrap": True, "bg_color": "#F2F2F2"})
    given_date = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy", "valign": "top", "bg_color": "#F2F2F2"})

    ws = wb.add_worksheet("Báo cáo")
    last = len(columns) - 1
    ws.merge_range(0, 0, 0, 3, (issuer or "UBND THÀNH PHỐ").upper(), centre)
    ws.merge_range(0, 5, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", centre)
    ws.merge_range(1, 0, 1, 3, unit.upper(), centre)
    ws.merge_range(1, 5, 1, last, "Độc lập - Tự do - Hạnh phúc", centre)
    ws.merge_range(3, 0, 3, last, f"BẢNG TIẾN ĐỘ CHUẨN BỊ {config.name.upper()}", title)
    ws.write(4, 0, f"Đơn vị: {unit}", bold)
    date_col = col["Tỷ lệ (%)"]  # the report date over the percent column
    ws.write(4, date_col - 1, "Ngày báo cáo:", bold)
    ws.write_datetime(4, date_col, dt.datetime.combine(report_date or dt.date.today(), dt.time()), date_label)
    ws.data_validation(
        4,
        date_col,
        4,
        date_col,
        {
            "validate": "date",
            "criteria": ">",
            "value": dt.datetime(2000, 1, 1),
            "error_message": "Ghi ngày dạng dd/mm/yyyy.",
        },
    )
    hr = 6
    ws.write_row(hr, 0, columns, head)
    ws.set_row(hr, 30)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)

    short = {s.name: s.short for s in config.subcommittees}
    n = len(rows) + BLANK_ROWS
    plain = {col["Thời hạn"]: date_cell}
    for i in range(n):
        r = hr + 1 + i
        ws.write_number(r, 0, i + 1, cell)
        for c in range(1, len(columns)):
            ws.write_blank(r, c, None, plain.get(c, cell))
        if i < len(rows):
            t = rows[i]
            text_fmt, day_fmt = (given, given_date) if planned is not None else (cell, date_cell)
            write_cell(ws, r, col["Mã NV"], _text(t.get("code")), text_fmt)
            write_cell(ws, r, col["Nội dung công việc"], _text(t.get("task")), text_fmt)
            sub = _text(t.get("subcommittee"))
            write_cell(ws, r, col["Tiểu ban"], short.get(sub, sub), text_fmt)
            deadline = t.get("deadline")
            if deadline is not None and not pd.isna(deadline):
                ws.write_datetime(r, col["Thời hạn"], pd.Timestamp(deadline).to_pydatetime(), day_fmt)
            elif planned is not None:
                ws.write_blank(r, col["Thời hạn"], None, day_fmt)
            if weighted:
                ws.write_number(r, col[WEIGHT], _weight(t), text_fmt)
            if planned is not None:
                continue  # status, percent, owner and note are the unit's to fill
            write_cell(ws, r, col["Trạng thái"], STATUS_TEXT.get(_text(t.get("status")), ""), cell)
            if t.get("percent") is not None and not pd.isna(t.get("percent")):
                ws.write_number(r, col["Tỷ lệ (%)"], float(t["percent"]), cell)
            write_cell(ws, r, col["Người phụ trách"], _text(t.get("owner")), cell)
            write_cell(ws, r, col["Ghi chú"], _text(t.get("note")), cell)
    first, end = hr + 1, hr + n
    _validate(ws, first, end, col["Tiểu ban"], _list([s.short for s in config.subcommittees], "Tiểu ban"))
    _validate(ws, first, end, col["Trạng thái"], _list(STATUS_CHOICES, "Trạng thái"))
    _validate(
        ws,
        first,
        end,
        col["Tỷ lệ (%)"],
        {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            "error_title": "Tỷ lệ (%)",
            "error_message": "Ghi số từ 0 đến 100.",
        },
    )
    _validate(ws, first, end, col["Thời hạn"], _date("Thời hạn"))
    if weighted:
        _validate(
            ws,
            first,
            end,
            col[WEIGHT],
            {
                "validate": "decimal",
                "criteria": ">",
                "value": 0,
                "error_title": WEIGHT,
                "error_message": "Ghi số lớn hơn 0.",
            },
        )
    ws.freeze_panes(hr + 1, 0)
    ws.write(end + 2, date_col, "NGƯỜI LẬP BIỂU", bold)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(hr)

    subs = [s for s in config.subcommittees if s.name in {t.get("subcommittee") for t in rows}]
    _assessment_sheet(wb, config, unit, [s.short for s in subs], head, cell, date_cell, bold, title)

    guide = wb.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 110)
    for i, line in enumerate(INSTRUCTIONS + (PLAN_INSTRUCTIONS if planned is not None else [])):
        write_cell(guide, i, 0, line, bold if i == 0 else None)
    wb.close()
    return buf.getvalue()


def for_unit(store: Store, unit: str, report_date: dt.date | None = None) -> bytes:
    """The template of one unit from the store: the plan in force's tasks for it when it has any, else
    its latest report's; dated ``report_date`` (today in the exercise's time zone when not given)."""
    from .store import local_now

    config = store.config
    tasks = store.query("tasks", unit=unit, subcommittee=None)
    day = report_date or local_now(config).date()
    return build_template(config, unit, tasks, day, config.issuer, plan=store.plan())


def _planned(plan: pd.DataFrame | None, unit: str) -> list[dict] | None:
    """The plan's tasks for the unit, in the plan's order; None when it has none (or there is no plan)."""
    if plan is None or plan.empty:
        return None
    mine = plan[plan["unit"] == unit]
    return mine.to_dict("records") if len(mine) else None


def _weight(task: dict) -> float:
    w = task.get("weight")
    return 1.0 if w is None or pd.isna(w) else float(w)


def _list(source: list[str], name: str) -> dict:
    return {
        "validate": "list",
        "source": source,
        "error_title": name,
        "error_message": "Chọn trong danh sách.",
    }


def _date(name: str) -> dict:
    return {
        "validate": "date",
        "criteria": ">",
        "value": dt.datetime(2000, 1, 1),
        "error_title": name,
        "error_message": "Ghi ngày dạng dd/mm/yyyy.",
    }


def _validate(ws, first: int, last: int, col: int, options: dict) -> None:
    ws.data_validation(first, col, last, col, options)


def _assessment_sheet(wb, config: Config, unit: str, subs: list[str], head, cell, date_cell, bold, title) -> None:
    """The unit's own assessment: 'Chung' and the unit's subcommittees, ratings left blank (a blank rating
    is skipped by the reader), a few spare rows with the subcommittee to pick."""
    ws = wb.add_worksheet(ASSESSMENT_SHEET)
    last = len(ASSESSMENT_HEADER) - 1
    ws.merge_range(0, 0, 0, last, "ĐƠN VỊ TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG", title)
    write_cell(ws, 1, 0, f"Đơn vị: {unit}", bold)
    ws.write_string(2, 0, "Chọn Đạt, Đạt có điều kiện hoặc Chưa đạt; để trống nếu chưa đánh giá.")
    hr = 4
    ws.write_row(hr, 0, ASSESSMENT_HEADER, head)
    for c, w in enumerate(ASSESSMENT_WIDTHS):
        ws.set_column(c, c, w)
    names = [WHOLE_UNIT, *subs]
    n = len(names) + ASSESSMENT_BLANK_ROWS
    for i in range(n):
        r = hr + 1 + i
        write_cell(ws, r, 0, names[i] if i < len(names) else "", cell)
        ws.write_blank(r, 1, None, cell)
        ws.write_blank(r, 2, None, cell)
        ws.write_blank(r, 3, None, date_cell)
    first, end = hr + 1, hr + n
    _validate(ws, first, end, 0, _list([WHOLE_UNIT] + [s.short for s in config.subcommittees], "Tiểu ban"))
    _validate(ws, first, end, 1, _list(RATINGS, "Tự đánh giá"))
    _validate(ws, first, end, 3, _date("Dự kiến sẵn sàng"))
    ws.freeze_panes(hr + 1, 0)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
