"""The .xlsx template a unit downloads, fills and sends back: accepted by the reader without a warning."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from .config import Config
from .export import workbook, write_cell

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
BLANK_ROWS = 30
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
]


def build_template(
    config: Config,
    unit: str,
    tasks: pd.DataFrame | None = None,
    report_date: dt.date | None = None,
    issuer: str | None = None,
) -> bytes:
    """The unit's checklist template: the administrative header block with its name and a report date
    cell, the task table (the unit's tasks from its latest report, or empty rows) with drop-down lists
    for subcommittee and status, percent limited to 0-100, frozen header, and an instructions sheet."""
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

    ws = wb.add_worksheet("Báo cáo")
    last = len(HEADER) - 1
    ws.merge_range(0, 0, 0, 3, (issuer or "UBND THÀNH PHỐ").upper(), centre)
    ws.merge_range(0, 5, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", centre)
    ws.merge_range(1, 0, 1, 3, unit.upper(), centre)
    ws.merge_range(1, 5, 1, last, "Độc lập - Tự do - Hạnh phúc", centre)
    ws.merge_range(3, 0, 3, last, f"BẢNG TIẾN ĐỘ CHUẨN BỊ {config.name.upper()}", title)
    ws.write(4, 0, f"Đơn vị: {unit}", bold)
    ws.write(4, 5, "Ngày báo cáo:", bold)
    ws.write_datetime(4, 6, dt.datetime.combine(report_date or dt.date.today(), dt.time()), date_label)
    ws.data_validation(
        4,
        6,
        4,
        6,
        {
            "validate": "date",
            "criteria": ">",
            "value": dt.datetime(2000, 1, 1),
            "error_message": "Ghi ngày dạng dd/mm/yyyy.",
        },
    )
    hr = 6
    ws.write_row(hr, 0, HEADER, head)
    ws.set_row(hr, 30)
    for c, w in enumerate(WIDTHS):
        ws.set_column(c, c, w)

    short = {s.name: s.short for s in config.subcommittees}
    rows = [] if tasks is None else tasks.to_dict("records")
    n = max(len(rows), 1) + BLANK_ROWS if rows else BLANK_ROWS
    for i in range(n):
        r = hr + 1 + i
        ws.write_number(r, 0, i + 1, cell)
        for c in range(1, len(HEADER)):
            ws.write_blank(r, c, None, date_cell if c == 4 else cell)
        if i < len(rows):
            t = rows[i]
            write_cell(ws, r, 1, _text(t.get("code")), cell)
            write_cell(ws, r, 2, _text(t.get("task")), cell)
            write_cell(ws, r, 3, short.get(t.get("subcommittee"), _text(t.get("subcommittee"))), cell)
            deadline = t.get("deadline")
            if deadline is not None and not pd.isna(deadline):
                ws.write_datetime(r, 4, pd.Timestamp(deadline).to_pydatetime(), date_cell)
            ws.write(r, 5, STATUS_TEXT.get(t.get("status"), ""), cell)
            if t.get("percent") is not None and not pd.isna(t.get("percent")):
                ws.write_number(r, 6, float(t["percent"]), cell)
            write_cell(ws, r, 7, _text(t.get("owner")), cell)
            write_cell(ws, r, 8, _text(t.get("note")), cell)
    first, end = hr + 1, hr + n
    ws.data_validation(
        first,
        3,
        end,
        3,
        {
            "validate": "list",
            "source": [s.short for s in config.subcommittees],
            "error_title": "Tiểu ban",
            "error_message": "Chọn tiểu ban trong danh sách.",
        },
    )
    ws.data_validation(
        first,
        5,
        end,
        5,
        {
            "validate": "list",
            "source": STATUS_CHOICES,
            "error_title": "Trạng thái",
            "error_message": "Chọn trạng thái trong danh sách.",
        },
    )
    ws.data_validation(
        first,
        6,
        end,
        6,
        {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            "error_title": "Tỷ lệ (%)",
            "error_message": "Ghi số từ 0 đến 100.",
        },
    )
    ws.data_validation(
        first,
        4,
        end,
        4,
        {
            "validate": "date",
            "criteria": ">",
            "value": dt.datetime(2000, 1, 1),
            "error_title": "Thời hạn",
            "error_message": "Ghi ngày dạng dd/mm/yyyy.",
        },
    )
    ws.freeze_panes(hr + 1, 0)
    ws.write(end + 2, 6, "NGƯỜI LẬP BIỂU", bold)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(hr)

    guide = wb.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 110)
    for i, line in enumerate(INSTRUCTIONS):
        guide.write(i, 0, line, bold if i == 0 else None)
    wb.close()
    return buf.getvalue()


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
