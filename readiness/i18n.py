"""Every word the interface shows, in Vietnamese and English, and the number and date formats."""

from __future__ import annotations

import datetime as dt
import math

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Bảng sẵn sàng diễn tập KVPT", "Defensive-area exercise readiness"),
    "page_overview": ("Tổng quan", "Overview"),
    "language": ("Ngôn ngữ", "Language"),
    "d_day": ("Ngày N", "D-day"),
    "days_left": ("Còn {days} ngày {hours:02d} giờ", "{days} days {hours:02d} hours left"),
    "after_d_day": ("Đã qua Ngày N {days} ngày", "D-day was {days} days ago"),
    "phase": ("Giai đoạn", "Phase"),
    "next_milestone": ("Tiếp theo", "Next"),
    "readiness": ("Sẵn sàng", "Readiness"),
    "units_reported": ("Đơn vị đã báo cáo", "Units reported"),
    "stale": ("Chậm báo cáo", "Stale"),
    "never_reported": ("Chưa báo cáo", "Never reported"),
    "overdue": ("Quá hạn", "Overdue"),
    "blocked": ("Vướng mắc", "Blocked"),
    "heatmap_title": ("Mức sẵn sàng theo đơn vị và tiểu ban (%)", "Readiness by unit and subcommittee (%)"),
    "subcommittee_title": ("Hoàn thành theo tiểu ban", "Completion by subcommittee"),
    "no_data": (
        "Chưa có báo cáo nào. Các đơn vị gửi bảng tính tiến độ; thư ký có thể nhận tệp bằng lệnh "
        "`python -m readiness ingest TỆP...`.",
        "No report yet. Units send their checklist spreadsheets; the secretariat can ingest them with "
        "`python -m readiness ingest FILE...`.",
    ),
    "done": ("Hoàn thành", "Done"),
    "in_progress": ("Đang thực hiện", "In progress"),
    "not_started": ("Chưa thực hiện", "Not started"),
    "not_applicable": ("Không áp dụng", "Not applicable"),
    "tasks": ("Nhiệm vụ", "Tasks"),
    "last_report": ("Báo cáo cuối", "Last report"),
    "unit": ("Đơn vị", "Unit"),
    "subcommittee": ("Tiểu ban", "Subcommittee"),
}


def t(key: str, lang: str = "vi", **kw) -> str:
    """The text for key in the language, with placeholders filled."""
    vi, en = STRINGS[key]
    return (en if lang == "en" else vi).format(**kw)


def number(x: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' in Vietnamese, '1,234.5' in English; None -> '–'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def percent(x: float | None, lang: str = "vi", decimals: int = 1) -> str:
    """85.5 -> '85,5%'."""
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else number(x, lang, decimals) + "%"


def date(d: dt.date | None) -> str:
    """dd/mm/yyyy, in both languages (the committee's convention)."""
    return d.strftime("%d/%m/%Y") if d else "–"
