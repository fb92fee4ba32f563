"""The error report a unit downloads: its own sheets with every wrong cell marked, and the list."""

from __future__ import annotations

import datetime as dt
import io
import re

from .export import sheet_name, workbook, write_cell
from .messages import Message
from .reader import ReadError, load_sheets

_CELL_COL = re.compile(r"^([A-Z]{1,3})\b")


def _col_index(column: str | None) -> int | None:
    m = _CELL_COL.match(column or "")
    if not m:
        return None
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    return n - 1


def build_error_report(
    data: bytes, filename: str, errors: list[Message], warnings: list[Message], lang: str = "vi"
) -> bytes:
    """An .xlsx: a first sheet listing every error and warning (sheet, row, column, value, what to do),
    then a copy of each sheet of the file with the cells in question filled red (errors) or amber
    (warnings) and the message as a comment."""
    buf = io.BytesIO()
    wb = workbook(buf)
    bold = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    red = wb.add_format({"bg_color": "#F4B6B6", "border": 2, "border_color": "#C00000"})
    amber = wb.add_format({"bg_color": "#FFE699", "border": 1, "border_color": "#BF8F00"})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})

    vi = lang != "en"
    summary = wb.add_worksheet("Lỗi cần sửa" if vi else "To fix")
    head = (
        ["Loại", "Trang", "Dòng", "Cột", "Giá trị", "Cần sửa"]
        if vi
        else ["Kind", "Sheet", "Row", "Column", "Value", "What to fix"]
    )
    summary.write_row(0, 0, head, bold)
    for c, w in enumerate([10, 18, 7, 22, 22, 90]):
        summary.set_column(c, c, w)
    summary.freeze_panes(1, 0)
    for r, (kind, m) in enumerate(
        [("Lỗi" if vi else "Error", m) for m in errors] + [("Cảnh báo" if vi else "Warning", m) for m in warnings],
        start=1,
    ):
        value = "" if m.value is None else str(m.value)
        for c, cell in enumerate([kind, m.sheet, m.row or None, m.column, value, m.text(lang)]):
            write_cell(summary, r, c, cell, wrap)
    write_cell(summary, len(errors) + len(warnings) + 2, 0, filename)

    try:
        _, sheets = load_sheets(data, filename)
    except ReadError:
        sheets = []
    marks: dict[tuple[str, int, int], tuple[str, str]] = {}
    for kind, msgs in (("warning", warnings), ("error", errors)):
        for m in msgs:
            col = _col_index(m.column)
            if m.sheet and m.row and col is not None:
                marks[(m.sheet, m.row - 1, col)] = (kind, m.text(lang))
    used = [summary.name]
    for sheet in sheets:
        # A CSV's sheet is named after the file ('Báo cáo [tuần 3].csv'); an .ods allows longer names.
        used.append(sheet_name(sheet.name, used))
        ws = wb.add_worksheet(used[-1])
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                mark = marks.get((sheet.name, r, c))
                fmt = (red if mark[0] == "error" else amber) if mark else None
                if isinstance(value, (dt.date, dt.datetime)):
                    ws.write_datetime(
                        r,
                        c,
                        value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time()),
                        fmt or date,
                    )
                elif value in ("", None):
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(r, c, value, fmt)
                else:
                    ws.write_string(r, c, str(value), fmt)
                if mark:
                    ws.write_comment(r, c, mark[1], {"x_scale": 2.5, "y_scale": 1.6})
    wb.close()
    return buf.getvalue()
