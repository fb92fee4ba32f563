"""The coordination meeting's brief (báo cáo phục vụ họp giao ban), built offline from the named
queries: the administrative header of a Vietnamese report, the countdown and phase, the headline
figures with their change since the last meeting, the heatmap and the subcommittee chart, what
changed, the forecast misses, the top risks and the units to chase.

- PDF: A4, fpdf2 with the DejaVu fonts embedded (Debian's fonts-dejavu-core; the italic, from
  fonts-dejavu-extra, when there), so Vietnamese renders the same everywhere; the two charts are
  Plotly figures rendered to PNG by kaleido through the system's Chromium (no network). A brief
  whose charts cannot be rendered still comes out, saying so.
- DOCX: the same blocks, editable, for the secretariat to amend before it is signed.
- XLSX: a summary sheet, one sheet per subcommittee with every unit's current tasks, and the chase
  list; every text cell inert (readiness.export).

The brief's own words are in _WORDS (Vietnamese and English) here: nothing else says them; statuses,
numbers and dates come from readiness.i18n.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import hashlib
import io
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import board, export, i18n, meeting
from .config import Config, Meeting

log = logging.getLogger(__name__)

FORMATS = ("pdf", "docx", "xlsx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Where Debian's fonts-dejavu-core puts its fonts; READINESS_FONT_DIR names another folder with them.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}  # fonts-dejavu-core
SANS_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
ITALIC_FILE = "DejaVuSerif-Italic.ttf"  # fonts-dejavu-extra: without it the italic lines are upright

# How many rows each list of the brief shows (the XLSX has every row).
MAX_CHANGES, MAX_MISSES, MAX_RISKS, MAX_CHASE, MAX_HEATMAP_UNITS = 25, 15, 10, 30, 30

# The board's readiness scale (ui.charts.READINESS_SCALE, which the core may not import): ColorBrewer's
# YlOrRd reversed, low readiness the strong dark red, high a calm pale yellow; it reads in grey-scale.
READINESS_SCALE: list[tuple[float, str]] = [
    (0.0, "#bd0026"),
    (0.25, "#f03b20"),
    (0.5, "#fd8d3c"),
    (0.75, "#fecc5c"),
    (1.0, "#ffffb2"),
]
FLAG = "#9b1c1c"
STATUS_COLOURS = {
    "done": "#1f2d5c",
    "in_progress": "#5b7fa6",
    "not_started": "#c9d3df",
    "blocked": "#d1495b",
    "not_reported": FLAG,
}

_WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "motto_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto_2": "Độc lập - Tự do - Hạnh phúc",
        "title": "BÁO CÁO",
        "subtitle": "Tình hình chuẩn bị {exercise}",
        "for_meeting": "(Phục vụ {meeting}, ngày {date})",
        "as_of": "Số liệu tính đến ngày {today}, so sánh với ngày {since}{ref}.",
        "ref_meeting": " ({meeting})",
        "ref_week": " (một tuần trước)",
        "s_time": "I. THỜI GIAN VÀ GIAI ĐOẠN",
        "left": "Còn {days} ngày {hours} giờ đến Ngày N ({d_day}).",
        "passed": "Ngày N ({d_day}) đã qua.",
        "phase": "Giai đoạn hiện nay: {phase}.",
        "no_phase": "Chưa qua mốc chuẩn bị nào.",
        "next": "Mốc tiếp theo: {name}, ngày {date}.",
        "s_figures": "II. CÁC CHỈ SỐ CHÍNH",
        "figure": "Chỉ số",
        "now": "Hiện nay",
        "on": "Ngày {date}",
        "change": "Thay đổi",
        "readiness": "Mức sẵn sàng",
        "units_reported": "Đơn vị đã báo cáo",
        "stale": "Đơn vị chậm báo cáo",
        "never_reported": "Đơn vị chưa báo cáo",
        "overdue": "Nhiệm vụ quá hạn",
        "blocked": "Nhiệm vụ vướng mắc",
        "s_heatmap": "III. MỨC SẴN SÀNG THEO ĐƠN VỊ VÀ TIỂU BAN",
        "fig_heatmap": "Hình 1. Mức sẵn sàng (%) của từng đơn vị theo tiểu ban (đỏ đậm: thấp; số nhỏ: nhiệm vụ quá hạn; "
        "tên đỏ: chậm hoặc chưa báo cáo; –: không có nhiệm vụ).",
        "fig_heatmap_top": " {n} đơn vị thấp nhất.",
        "fig_subs": "Hình 2. Nhiệm vụ theo tiểu ban và trạng thái; tiểu ban thấp nhất ở trên.",
        "no_chart": "(Không dựng được biểu đồ: {why}.)",
        "subcommittee": "Tiểu ban",
        "tasks": "Nhiệm vụ",
        "done": "Hoàn thành",
        "not_reported": "Chưa báo cáo",
        "s_changes": "IV. THAY ĐỔI TỪ NGÀY {since}",
        "unit": "Đơn vị",
        "completed": "Xong",
        "became_overdue": "Mới quá hạn",
        "went_backwards": "Giảm",
        "sent": "Báo cáo mới",
        "sent_none": "Chưa gửi",
        "nothing_since": "{n} đơn vị chưa gửi báo cáo mới từ ngày {since}: {units}.",
        "all_sent": "Mọi đơn vị đã gửi báo cáo mới từ ngày {since}.",
        "more_rows": "(và {n} dòng khác; xem bảng tính kèm theo)",
        "s_forecast": "V. DỰ BÁO ĐẾN NGÀY N",
        "fit": "Dự báo theo đường thẳng bình phương tối thiểu qua tối đa bốn báo cáo gần nhất của từng đơn vị, "
        "tiểu ban; không dự báo khi có dưới hai báo cáo.",
        "misses": "{n} đơn vị, tiểu ban dự báo chưa đạt 100% vào Ngày N:",
        "no_misses": "Không có đơn vị, tiểu ban nào dự báo chưa đạt 100% vào Ngày N.",
        "no_forecast": "{n} đơn vị, tiểu ban chưa đủ hai báo cáo để dự báo.",
        "projected": "Dự báo Ngày N",
        "gap": "Còn thiếu",
        "completion": "Dự kiến đạt 100%",
        "reports": "Số báo cáo",
        "never": "không",
        "s_risks": "VI. RỦI RO HÀNG ĐẦU",
        "task": "Nhiệm vụ",
        "deadline": "Thời hạn",
        "days_late": "Trễ (ngày)",
        "status": "Trạng thái",
        "no_risks": "Không có nhiệm vụ quá hạn hay vướng mắc.",
        "s_chase": "VII. ĐƠN VỊ CẦN ĐÔN ĐỐC",
        "contact": "Người liên hệ",
        "phone": "Điện thoại",
        "what": "Nội dung",
        "chase_never": "chưa báo cáo",
        "chase_stale": "báo cáo cuối {date}",
        "chase_overdue": "{n} quá hạn (từ {date})",
        "chase_missing": "{n} được giao chưa báo cáo",
        "no_chase": "Không có đơn vị nào cần đôn đốc.",
        "sheet_summary": "Tổng hợp",
        "sheet_chase": "Đôn đốc",
        "message": "Tin nhắn",
        "code": "Mã NV",
        "percent": "Tỷ lệ (%)",
        "progress": "Tiến độ (%)",
        "owner": "Người phụ trách",
        "note": "Ghi chú",
        "report_date": "Ngày báo cáo",
        "last_report": "Báo cáo cuối",
        "whole_unit": "Cả đơn vị",
        "page": "Trang {n}/{total}",
    },
    "en": {
        "motto_1": "SOCIALIST REPUBLIC OF VIETNAM",
        "motto_2": "Independence - Freedom - Happiness",
        "title": "REPORT",
        "subtitle": "Preparation of the exercise: {exercise}",
        "for_meeting": "(For {meeting} on {date})",
        "as_of": "Figures as of {today}, compared with {since}{ref}.",
        "ref_meeting": " ({meeting})",
        "ref_week": " (a week earlier)",
        "s_time": "I. TIME AND PHASE",
        "left": "{days} days {hours} hours to D-day ({d_day}).",
        "passed": "D-day ({d_day}) has passed.",
        "phase": "Current phase: {phase}.",
        "no_phase": "No preparation milestone passed yet.",
        "next": "Next milestone: {name}, on {date}.",
        "s_figures": "II. HEADLINE FIGURES",
        "figure": "Figure",
        "now": "Now",
        "on": "On {date}",
        "change": "Change",
        "readiness": "Readiness",
        "units_reported": "Units reported",
        "stale": "Units reporting late",
        "never_reported": "Units never reported",
        "overdue": "Overdue tasks",
        "blocked": "Blocked tasks",
        "s_heatmap": "III. READINESS BY UNIT AND SUBCOMMITTEE",
        "fig_heatmap": "Figure 1. Readiness (%) of each unit by subcommittee (dark red: low; small number: overdue tasks; "
        "red name: late or never reported; –: no task).",
        "fig_heatmap_top": " The {n} least ready units.",
        "fig_subs": "Figure 2. Tasks by subcommittee and status; the least ready subcommittee on top.",
        "no_chart": "(The chart could not be drawn: {why}.)",
        "subcommittee": "Subcommittee",
        "tasks": "Tasks",
        "done": "Done",
        "not_reported": "Not reported",
        "s_changes": "IV. CHANGES SINCE {since}",
        "unit": "Unit",
        "completed": "Done",
        "became_overdue": "Newly overdue",
        "went_backwards": "Backwards",
        "sent": "New report",
        "sent_none": "None",
        "nothing_since": "{n} units sent no new report since {since}: {units}.",
        "all_sent": "Every unit sent a new report since {since}.",
        "more_rows": "(and {n} more rows; see the spreadsheet)",
        "s_forecast": "V. FORECAST TO D-DAY",
        "fit": "Forecast by an ordinary least-squares line through at most the last four reports of each unit "
        "and subcommittee; none from fewer than two reports.",
        "misses": "{n} units and subcommittees are projected short of 100% on D-day:",
        "no_misses": "No unit or subcommittee is projected short of 100% on D-day.",
        "no_forecast": "{n} units and subcommittees have fewer than two reports to forecast from.",
        "projected": "Projected D-day",
        "gap": "Gap",
        "completion": "Projected 100%",
        "reports": "Reports",
        "never": "never",
        "s_risks": "VI. TOP RISKS",
        "task": "Task",
        "deadline": "Deadline",
        "days_late": "Days late",
        "status": "Status",
        "no_risks": "No overdue or blocked task.",
        "s_chase": "VII. UNITS TO CHASE",
        "contact": "Contact",
        "phone": "Phone",
        "what": "Missing or late",
        "chase_never": "never reported",
        "chase_stale": "last report {date}",
        "chase_overdue": "{n} overdue (since {date})",
        "chase_missing": "{n} assigned, not reported",
        "no_chase": "No unit to chase.",
        "sheet_summary": "Summary",
        "sheet_chase": "Chase",
        "message": "Message",
        "code": "Code",
        "percent": "Percent",
        "progress": "Progress (%)",
        "owner": "Owner",
        "note": "Note",
        "report_date": "Report date",
        "last_report": "Last report",
        "whole_unit": "Whole unit",
        "page": "Page {n}/{total}",
    },
}


def words(lang: str) -> dict[str, str]:
    """The brief's words in the language (Vietnamese unless 'en')."""
    return _WORDS["en" if lang == "en" else "vi"]


# ---------------------------------------------------------------- what the brief says


@dataclass
class Brief:
    """Everything the brief shows, read once from the named queries."""

    config: Config
    lang: str
    today: dt.date
    since: dt.date
    now: dt.datetime
    previous: Meeting | None
    upcoming: Meeting | None
    countdown: board.Countdown
    figures_now: dict
    figures_then: dict
    cells: pd.DataFrame
    stale: pd.DataFrame
    subs: pd.DataFrame
    changes: list[dict]  # the since query's unit rows, worst first
    forecast: list[dict]
    risks: list[dict]
    chase: list[dict]
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)  # every current task (the XLSX's sheets)


def gather(store, today: dt.date, since: dt.date | None = None, lang: str = "vi", now: dt.datetime | None = None):
    """Read what the brief shows as of `today`, compared with `since` (default: the last meeting)."""
    from .store import local_now

    config = store.config
    since = since or meeting.last_meeting(config, today)
    if now is None:
        local = local_now(config)
        now = local if local.date() == today else dt.datetime.combine(today, dt.time(8, 0))
    since_rows = store.records("since", today=today, since=since)
    return Brief(
        config=config,
        lang=lang,
        today=today,
        since=since,
        now=now,
        previous=meeting.previous_meeting(config, today),
        upcoming=meeting.next_meeting(config, today),
        countdown=board.countdown(config, now),
        figures_now=_figures(store, today),
        figures_then=_figures(store, since),
        cells=store.query("heatmap", today=today),
        stale=store.query("stale", today=today),
        subs=store.query("subcommittees", today=today),
        changes=[r for r in since_rows if r["subcommittee"] is None],
        forecast=store.records("forecast", today=today),
        risks=board.open_risks(store.query("risks", today=today)).to_dict("records"),
        chase=store.records("chase", today=today),
        tasks=store.query("tasks", today=today, unit=None, subcommittee=None),
    )


def _figures(store, day: dt.date) -> dict:
    rows = store.records("headline", today=day)
    return next(r for r in rows if r["period"] == "now")


def admin_date(place: str, day: dt.date, lang: str = "vi") -> str:
    """The date line of a Vietnamese administrative document: 'Tam Điệp, ngày 01 tháng 10 năm 2023'
    (a day under 10, and January and February, take a leading zero, Decree 30/2020/NĐ-CP)."""
    if lang == "en":
        text = f"{day.day} {day:%B %Y}"
    else:
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else (text[0].upper() + text[1:])


# ---------------------------------------------------------------- blocks: the content, for PDF and DOCX


@dataclass
class Heading:
    text: str


@dataclass
class Para:
    text: str
    italic: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # fractions of the text width
    align: str  # one letter a column: L, C or R


@dataclass
class Picture:
    png: bytes | None
    caption: str
    why_missing: str = ""
    width: float = 1.0  # fraction of the text width


Block = Heading | Para | Table | Picture


def blocks(b: Brief, images: dict[str, bytes | None], why: str = "") -> list[Block]:
    """The brief's content in order, below its header: sections, tables and the two charts."""
    w, lang, cfg = words(b.lang), b.lang, b.config
    out: list[Block] = []
    d_day = f"{cfg.d_day:%H:%M} {i18n.date(cfg.d_day.date())}"

    out.append(Heading(w["s_time"]))
    cd = b.countdown
    out.append(Para(w["passed" if cd.passed else "left"].format(days=cd.days, hours=cd.hours, d_day=d_day)))
    if cd.phase:
        out.append(Para(w["phase"].format(phase=i18n.milestone_name(cd.phase, lang))))
    else:
        out.append(Para(w["no_phase"]))
    if cd.next:
        out.append(Para(w["next"].format(name=i18n.milestone_name(cd.next, lang), date=i18n.date(cd.next.date.date()))))

    out.append(Heading(w["s_figures"]))
    now, then = b.figures_now, b.figures_then
    rows = []
    for key, fmt in (
        ("readiness", "pct"),
        ("units_reported", "ratio"),
        ("stale", "n"),
        ("never_reported", "n"),
        ("overdue", "n"),
        ("blocked", "n"),
    ):
        src = "reported" if key == "units_reported" else key
        a, c = _num(now.get(src)), _num(then.get(src))
        if fmt == "pct":
            shown = [i18n.percent(a, lang), i18n.percent(c, lang)]
        elif fmt == "ratio":
            shown = [f"{_int(a)}/{now['units']}", f"{_int(c)}/{then['units']}"]
        else:
            shown = [i18n.number(a, lang), i18n.number(c, lang)]
        delta = None if a is None or c is None else a - c
        change = "–" if delta is None else i18n.signed(delta, lang, 1 if fmt == "pct" else 0) or "0"
        rows.append([w[key], *shown, change])
    out.append(
        Table(
            [w["figure"], w["now"], w["on"].format(date=i18n.date(b.since)), w["change"]],
            rows,
            [0.4, 0.2, 0.2, 0.2],
            "LRRR",
        )
    )

    out.append(Heading(w["s_heatmap"]))
    caption = w["fig_heatmap"]
    if len({u for u in b.cells["unit"]} | set(b.stale["unit"])) > MAX_HEATMAP_UNITS:
        caption += w["fig_heatmap_top"].format(n=MAX_HEATMAP_UNITS)
    out.append(Picture(images.get("heatmap"), caption, why))
    out.append(Picture(images.get("subcommittees"), w["fig_subs"], why, 0.9))
    sub_rows = [
        [
            i18n.sub_name(s["subcommittee"], lang, cfg),
            i18n.percent(_num(s["readiness"]), lang),
            str(s["tasks"]),
            str(s["done"]),
            str(s["overdue"]),
            str(s["blocked"]),
            str(s["not_reported"]),
        ]
        for s in b.subs.to_dict("records")
    ]
    out.append(
        Table(
            [w["subcommittee"], w["readiness"], w["tasks"], w["done"], w["overdue"], w["blocked"], w["not_reported"]],
            sub_rows,
            [0.37, 0.12, 0.1, 0.1, 0.1, 0.1, 0.11],
            "LRRRRRR",
        )
    )

    since = i18n.date(b.since)
    out.append(Heading(w["s_changes"].format(since=since)))
    quiet = [r["unit"] for r in b.changes if r["sent_nothing_since"]]
    out.append(
        Para(
            w["nothing_since"].format(n=len(quiet), since=since, units=", ".join(quiet))
            if quiet
            else w["all_sent"].format(since=since)
        )
    )
    change_rows = [
        [
            r["unit"],
            i18n.percent(_num(r["readiness_then"]), lang),
            i18n.percent(_num(r["readiness_now"]), lang),
            i18n.signed(_num(r["change"]), lang) or ("0" if r["change"] is not None else "–"),
            str(r["completed"]),
            str(r["became_overdue"]),
            str(r["went_backwards"]),
            w["sent_none"] if r["sent_nothing_since"] else i18n.date(_day(r["last_report"])),
        ]
        for r in b.changes[:MAX_CHANGES]
    ]
    out.append(
        Table(
            [
                w["unit"],
                since,
                w["now"],
                w["change"],
                w["completed"],
                w["became_overdue"],
                w["went_backwards"],
                w["sent"],
            ],
            change_rows,
            [0.26, 0.12, 0.1, 0.1, 0.08, 0.11, 0.09, 0.14],
            "LRRRRRRC",
        )
    )
    if len(b.changes) > MAX_CHANGES:
        out.append(Para(w["more_rows"].format(n=len(b.changes) - MAX_CHANGES), italic=True))

    out.append(Heading(w["s_forecast"]))
    out.append(Para(w["fit"], italic=True))
    misses = [r for r in b.forecast if r["misses_d_day"]]
    if misses:
        out.append(Para(w["misses"].format(n=len(misses))))
        out.append(
            Table(
                [w["unit"], w["subcommittee"], w["now"], w["projected"], w["gap"], w["completion"], w["reports"]],
                [
                    [
                        r["unit"],
                        i18n.sub_short(r["subcommittee"], lang, cfg),
                        i18n.percent(_num(r["readiness"]), lang),
                        i18n.percent(_num(r["projected_on_d_day"]), lang),
                        i18n.number(_num(r["gap"]), lang, 1),
                        i18n.date(_day(r["projected_completion"])) if r["projected_completion"] else w["never"],
                        str(r["reports"]),
                    ]
                    for r in misses[:MAX_MISSES]
                ],
                [0.3, 0.14, 0.11, 0.13, 0.1, 0.13, 0.09],
                "LLRRRCR",
            )
        )
        if len(misses) > MAX_MISSES:
            out.append(Para(w["more_rows"].format(n=len(misses) - MAX_MISSES), italic=True))
    else:
        out.append(Para(w["no_misses"]))
    unknown = sum(1 for r in b.forecast if r["reason"] in ("no_report", "one_report"))
    if unknown:
        out.append(Para(w["no_forecast"].format(n=unknown)))

    out.append(Heading(w["s_risks"]))
    if b.risks:
        out.append(
            Table(
                [w["unit"], w["subcommittee"], w["task"], w["deadline"], w["days_late"], w["status"]],
                [
                    [
                        r["unit"],
                        i18n.sub_short(r["subcommittee"], lang, cfg),
                        r["task"],
                        i18n.date(_day(r["deadline"])),
                        i18n.number(_num(r["days_late"]), lang),
                        i18n.t(r["status"], lang),
                    ]
                    for r in b.risks[:MAX_RISKS]
                ],
                [0.22, 0.12, 0.32, 0.12, 0.08, 0.14],
                "LLLCRL",
            )
        )
    else:
        out.append(Para(w["no_risks"]))

    out.append(Heading(w["s_chase"]))
    if b.chase:
        out.append(
            Table(
                [w["unit"], w["contact"], w["phone"], w["what"]],
                [
                    [r["unit"], r["contact"] or "", r["phone"] or "", chase_summary(r, lang)]
                    for r in b.chase[:MAX_CHASE]
                ],
                [0.27, 0.27, 0.14, 0.32],
                "LLLL",
            )
        )
        if len(b.chase) > MAX_CHASE:
            out.append(Para(w["more_rows"].format(n=len(b.chase) - MAX_CHASE), italic=True))
    else:
        out.append(Para(w["no_chase"]))
    return out


def chase_summary(row: dict, lang: str = "vi") -> str:
    """What a chase row is about, in a few words: never reported, last report, overdue, not reported."""
    w = words(lang)
    parts = []
    if row["never_reported"]:
        parts.append(w["chase_never"])
    elif row["stale"]:
        parts.append(w["chase_stale"].format(date=i18n.date(_day(row["last_report"]))))
    if row["overdue"]:
        parts.append(w["chase_overdue"].format(n=row["overdue"], date=i18n.date(_day(row["earliest_deadline"]))))
    if row["not_reported"]:
        parts.append(w["chase_missing"].format(n=row["not_reported"]))
    return "; ".join(parts)


def title_lines(b: Brief) -> list[str]:
    """The title, what it is about, the meeting it serves and the days compared."""
    w = words(b.lang)
    name = b.config.name
    exercise = name[0].lower() + name[1:] if b.lang != "en" and name[:1].isupper() and name[1:2].islower() else name
    lines = [w["title"], w["subtitle"].format(exercise=exercise)]
    if b.upcoming is not None:
        meeting_name = b.upcoming.name_en if b.lang == "en" and b.upcoming.name_en else b.upcoming.name
        lines.append(w["for_meeting"].format(meeting=meeting_name, date=i18n.date(b.upcoming.day)))
    if b.previous is not None and b.previous.day == b.since:
        ref = w["ref_meeting"].format(
            meeting=b.previous.name_en if b.lang == "en" and b.previous.name_en else b.previous.name
        )
    elif b.since == b.today - dt.timedelta(days=7):
        ref = w["ref_week"]
    else:
        ref = ""
    lines.append(w["as_of"].format(today=i18n.date(b.today), since=i18n.date(b.since), ref=ref))
    return lines


# ---------------------------------------------------------------- the charts


def charts(b: Brief):
    """The two figures of the brief: the heatmap (config order; the least ready units when there are
    many) and the subcommittees' tasks by status. Plotly figures, sized for A4 at print scale."""
    import plotly.graph_objects as go  # type: ignore[import-untyped]

    lang, cfg = b.lang, b.config
    g = board.grid(b.cells, b.stale, cfg, lang)
    if len(g.units) > MAX_HEATMAP_UNITS:
        g = board.take_rows(g, board.worst_first(g)[:MAX_HEATMAP_UNITS])
    columns = [i18n.sub_short(s, lang, cfg) for s in g.subcommittees]
    labels = [
        f"<span style='color:{FLAG}'><b>{label}</b></span>" if (g.stale[i] or g.never[i]) else label
        for i, label in enumerate(g.labels)
    ]
    annotations = []
    for i in range(len(g.units)):
        for j in range(len(columns)):
            value = g.readiness[i][j]
            text = g.text[i][j]
            if g.overdue[i][j]:
                text += f"<span style='font-size:11px'> ({g.overdue[i][j]})</span>"
            annotations.append(
                dict(
                    x=j,
                    y=i,
                    text=text,
                    showarrow=False,
                    font=dict(size=15, color=_ink(_scale_colour(value)) if value is not None else "#666666"),
                )
            )
    height = 60 + 32 * len(g.units)
    heat = go.Figure(
        go.Heatmap(
            z=g.readiness,
            x=list(range(len(columns))),
            y=list(range(len(g.units))),
            zmin=0,
            zmax=100,
            colorscale=READINESS_SCALE,
            xgap=2,
            ygap=2,
            showscale=False,
        )
    )
    heat.update_layout(
        width=900,
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=15, color="#111111"),
        annotations=annotations,
        xaxis=dict(side="top", tickmode="array", tickvals=list(range(len(columns))), ticktext=columns, showgrid=False),
        yaxis=dict(
            tickmode="array",
            tickvals=list(range(len(labels))),
            ticktext=labels,
            autorange="reversed",
            showgrid=False,
            automargin=True,
        ),
    )

    subs = b.subs.copy()
    subs["label"] = [
        f"{i18n.sub_short(n, lang, cfg)} · {i18n.percent(_num(r), lang, 0)}"
        for n, r in zip(subs["subcommittee"], subs["readiness"], strict=True)
    ]
    subs = subs.sort_values("readiness", ascending=False, na_position="first")  # the worst on top
    bars = go.Figure()
    for status in ("done", "in_progress", "not_started", "blocked", "not_reported"):
        if status not in subs:
            continue
        bars.add_bar(
            y=subs["label"],
            x=subs[status],
            name=i18n.t(status, lang),
            orientation="h",
            marker=dict(
                color=STATUS_COLOURS[status],
                line=dict(color="white", width=1),
                # Hatched, as on the board: not reported reads apart from blocked in grey-scale too.
                pattern=dict(shape="/", fgcolor="#ffffff", fgopacity=0.6, size=8) if status == "not_reported" else None,
            ),
            text=[str(v) if v else "" for v in subs[status]],
            textposition="inside",
            insidetextanchor="middle",
        )
    bars.update_layout(
        barmode="stack",
        width=900,
        height=110 + 46 * len(subs),
        margin=dict(l=10, r=10, t=50, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=15, color="#111111"),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, traceorder="normal"),
        xaxis=dict(gridcolor="#dddddd"),
        yaxis=dict(automargin=True),
    )
    return {"heatmap": heat, "subcommittees": bars}


def _scale_colour(value: float) -> str:
    x = max(0.0, min(1.0, value / 100))
    for (p0, c0), (p1, c1) in zip(READINESS_SCALE, READINESS_SCALE[1:], strict=False):
        if x <= p1:
            f = (x - p0) / (p1 - p0)
            a = [int(c0[k : k + 2], 16) for k in (1, 3, 5)]
            c = [int(c1[k : k + 2], 16) for k in (1, 3, 5)]
            return "#" + "".join(f"{round(u + (v - u) * f):02x}" for u, v in zip(a, c, strict=True))
    return READINESS_SCALE[-1][1]


def _ink(background: str) -> str:
    """Black or white, whichever reads better on the cell (WCAG relative luminance)."""

    def lin(c: int) -> float:
        u = c / 255
        return u / 12.92 if u <= 0.03928 else ((u + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(int(background[k : k + 2], 16)) for k in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#111111" if (lum + 0.05) / 0.0502 > 1.05 / (lum + 0.05) else "#ffffff"


_PNG_CACHE: OrderedDict[str, bytes] = OrderedDict()
_PNG_LOCK = threading.Lock()
RENDER_TIMEOUT_S = 60.0


def render_png(figures: dict, scale: float = 2.0) -> dict[str, bytes]:
    """Plotly figures as PNG, through kaleido and the system's Chromium, one browser for all of them;
    a figure rendered before (same JSON) comes from a small cache, so a PDF then a DOCX of the same
    data start Chromium once. Raises when Chromium or kaleido cannot do it."""
    keys = {
        name: hashlib.sha256(json.dumps(fig.to_plotly_json(), sort_keys=True, default=str).encode()).hexdigest()
        + f"@{scale}"
        for name, fig in figures.items()
    }
    out: dict[str, bytes] = {}
    with _PNG_LOCK:
        for name, key in keys.items():
            if key in _PNG_CACHE:
                _PNG_CACHE.move_to_end(key)
                out[name] = _PNG_CACHE[key]
    wanted = {name: fig for name, fig in figures.items() if name not in out}
    if wanted:
        # Its own thread and event loop: the caller may be inside one (Streamlit, a test runner).
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            rendered = pool.submit(asyncio.run, _render(wanted, scale)).result(timeout=RENDER_TIMEOUT_S)
        with _PNG_LOCK:
            for name, png in rendered.items():
                out[name] = _PNG_CACHE[keys[name]] = png
                while len(_PNG_CACHE) > 8:
                    _PNG_CACHE.popitem(last=False)
    return out


async def _render(figures: dict, scale: float) -> dict[str, bytes]:
    import kaleido  # type: ignore[import-untyped]

    # mathjax=False: the brief has no formulas, and a closed network has no CDN to fetch it from.
    async with kaleido.Kaleido(n=1, mathjax=False, timeout=RENDER_TIMEOUT_S) as k:
        out = {}
        for name, fig in figures.items():
            layout = fig.layout
            opts = dict(format="png", width=layout.width, height=layout.height, scale=scale)
            out[name] = await k.calc_fig(fig.to_dict(), opts=opts)
        return out


# ---------------------------------------------------------------- the formats


def build_brief(
    store,
    today: dt.date | None = None,
    since: dt.date | None = None,
    fmt: str = "pdf",
    lang: str = "vi",
    progress: Callable[[float, str], None] | None = None,
) -> bytes:
    """The meeting brief as bytes: `fmt` pdf, docx or xlsx; `since` defaults to the last meeting
    before `today` (readiness.meeting.last_meeting). ``progress(fraction, step)`` is told as it goes."""
    from .store import local_now

    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: one of {', '.join(FORMATS)}")
    step = progress or (lambda fraction, what: None)
    today = today or local_now(store.config).date()
    step(0.05, "queries")
    b = gather(store, today, since, lang)
    if fmt == "xlsx":
        step(0.5, "xlsx")
        data = workbook(b)
        step(1.0, "done")
        return data
    step(0.3, "charts")
    images: dict[str, bytes | None] = {"heatmap": None, "subcommittees": None}
    why = ""
    try:
        images.update(render_png(charts(b)))
    except Exception as exc:  # no Chromium, a crash, a timeout: the brief without its charts
        log.warning("brief: charts not rendered: %s", exc, exc_info=True)
        why = f"{type(exc).__name__}: {exc}"[:200]
    step(0.8, fmt)
    content = blocks(b, images, why)
    data = pdf(b, content) if fmt == "pdf" else docx(b, content)
    step(1.0, "done")
    return data


def font_dir() -> Path:
    """The folder with the DejaVu fonts the PDF embeds (READINESS_FONT_DIR, else Debian's)."""
    for folder in (os.environ.get("READINESS_FONT_DIR", ""), *FONT_DIRS):
        if folder and all((Path(folder) / f).is_file() for f in (*FONT_FILES.values(), *SANS_FILES.values())):
            return Path(folder)
    raise FileNotFoundError("DejaVu fonts not found (apt-get install fonts-dejavu-core, or set READINESS_FONT_DIR)")


def pdf(b: Brief, content: list[Block]) -> bytes:
    """The brief as an A4 PDF with its fonts embedded."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    w = words(b.lang)
    fonts = font_dir()

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("serif", "I", 8)
            self.cell(0, 5, w["page"].format(n=self.page_no(), total="{nb}"), align="C")

    doc = Doc(orientation="P", unit="mm", format="A4")
    doc.set_margins(25, 18, 15)  # left 25 mm for binding, as official documents have
    doc.set_auto_page_break(True, margin=16)
    for style, name in FONT_FILES.items():
        doc.add_font("serif", style, str(fonts / name))
    italic = fonts / ITALIC_FILE
    doc.add_font("serif", "I", str(italic if italic.is_file() else fonts / FONT_FILES[""]))
    for style, name in SANS_FILES.items():
        doc.add_font("sans", style, str(fonts / name))
    doc.set_title(title_lines(b)[1])
    doc.set_author(b.config.brief.body or b.config.issuer)
    doc.set_creator("readiness board")
    doc.set_creation_date(dt.datetime.combine(b.today, dt.time(), tzinfo=dt.UTC))
    doc.add_page()
    width = doc.epw
    left, right = width * 0.42, width * 0.58
    x0, y0 = doc.l_margin, doc.t_margin

    # The header: issuing body on the left, the national motto on the right, each centred in its column.
    hb = b.config.brief
    doc.set_xy(x0, y0)
    if b.config.issuer:
        doc.set_font("serif", "", 11)
        doc.multi_cell(left, 5.5, b.config.issuer.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    if hb.body:
        doc.set_font("serif", "B", 11)
        doc.multi_cell(left, 5.5, hb.body.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    _rule(doc, x0 + left / 2, doc.get_y() + 0.5, 20)
    doc.set_y(doc.get_y() + 2.5)
    if hb.number:
        doc.set_x(x0)
        doc.set_font("serif", "", 11)
        doc.multi_cell(left, 5.5, hb.number, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    left_end = doc.get_y()
    doc.set_xy(x0 + left, y0)
    doc.set_font("serif", "B", 11)
    doc.set_font_size(_fit(doc, w["motto_1"], right, 11))
    doc.multi_cell(right, 5.5, w["motto_1"], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.set_font("serif", "B", 11)
    doc.multi_cell(right, 5.5, w["motto_2"], align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    _rule(doc, x0 + left + right / 2, doc.get_y() + 0.5, doc.get_string_width(w["motto_2"]))
    doc.set_y(doc.get_y() + 2.5)
    doc.set_x(x0 + left)
    doc.set_font("serif", "I", 11)
    doc.multi_cell(right, 5.5, admin_date(hb.place, b.today, b.lang), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.set_xy(x0, max(left_end, doc.get_y()) + 6)

    head = title_lines(b)
    doc.set_font("serif", "B", 15)
    doc.multi_cell(0, 7, head[0], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font("serif", "B", 12)
    for line in head[1:-1]:
        doc.multi_cell(0, 6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font("serif", "I", 11)
    doc.multi_cell(0, 6, head[-1], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(3)

    heading_style = FontFace(emphasis="BOLD", fill_color=(232, 232, 232))
    for block in content:
        if isinstance(block, Heading):
            if doc.get_y() > doc.h - 45:  # never a heading alone at the foot of a page
                doc.add_page()
            doc.ln(2)
            doc.set_font("serif", "B", 12)
            doc.multi_cell(0, 6.5, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif isinstance(block, Para):
            doc.set_font("serif", "I" if block.italic else "", 11)
            doc.multi_cell(0, 5.8, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif isinstance(block, Table):
            doc.ln(1)
            doc.set_font("sans", "", 8)
            with doc.table(
                col_widths=tuple(block.widths),
                text_align=tuple({"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[a] for a in block.align),
                headings_style=heading_style,
                line_height=4.2,
                padding=(0.8, 1.2),
                width=width,
            ) as table:
                row = table.row()
                for text in block.header:
                    row.cell(text, align="CENTER")
                for values in block.rows:
                    row = table.row()
                    for text in values:
                        row.cell(str(text))
            doc.ln(2)
        elif isinstance(block, Picture):
            if block.png:
                px_w, px_h = (int.from_bytes(block.png[k : k + 4], "big") for k in (16, 20))  # the PNG's IHDR
                img_w = width * block.width
                img_h = img_w * px_h / px_w
                if doc.get_y() + img_h + 12 > doc.h - doc.b_margin:
                    doc.add_page()
                doc.image(io.BytesIO(block.png), x=doc.l_margin + (width - img_w) / 2, w=img_w)
            else:
                doc.set_font("serif", "I", 10)
                doc.multi_cell(0, 5, w["no_chart"].format(why=block.why_missing or "?"), new_x=XPos.LMARGIN)
            doc.set_font("serif", "I", 9)
            doc.multi_cell(0, 4.5, block.caption, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            doc.ln(2)

    if hb.signer_title:
        lines = hb.signer_title.split("\n")
        needed = 6 * len(lines) + 30
        if doc.get_y() + needed > doc.h - doc.b_margin:
            doc.add_page()
        doc.ln(6)
        doc.set_font("serif", "B", 11)
        for line in lines:
            doc.set_x(doc.l_margin + left)
            doc.multi_cell(right, 5.5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.ln(22)
        if hb.signer:
            doc.set_x(doc.l_margin + left)
            doc.multi_cell(right, 5.5, hb.signer, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(doc.output())


def _rule(doc, centre_x: float, y: float, length: float) -> None:
    doc.set_line_width(0.3)
    doc.line(centre_x - length / 2, y, centre_x + length / 2, y)


def _fit(doc, text: str, width: float, size: float) -> float:
    """The largest font size up to `size` at which one line of text fits the width."""
    while size > 7:
        doc.set_font_size(size)
        if doc.get_string_width(text) <= width - 2:
            break
        size -= 0.5
    return size


def docx(b: Brief, content: list[Block]) -> bytes:
    """The brief as an editable Word document (A4, Times New Roman as Vietnamese offices use)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    w = words(b.lang)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    section.top_margin, section.bottom_margin = Mm(18), Mm(16)
    text_width = Mm(210 - 25 - 15)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(3)
    doc.core_properties.title = title_lines(b)[1]
    doc.core_properties.author = b.config.brief.body or b.config.issuer

    align = {"L": WD_ALIGN_PARAGRAPH.LEFT, "C": WD_ALIGN_PARAGRAPH.CENTER, "R": WD_ALIGN_PARAGRAPH.RIGHT}

    fresh: dict[int, Any] = {}  # a table cell's own empty first paragraph, used for its first line

    def put(cell_or_doc, text: str, bold=False, italic=False, size=None, where="C", underline=False):
        p = fresh.pop(id(cell_or_doc), None) or cell_or_doc.add_paragraph()
        p.alignment = align[where]
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        return p

    hb = b.config.brief
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.width, right.width = int(text_width * 0.42), int(text_width * 0.58)
    fresh.update({id(left): left.paragraphs[0], id(right): right.paragraphs[0]})
    if b.config.issuer:
        put(left, b.config.issuer.upper(), size=12)
    if hb.body:
        put(left, hb.body.upper(), bold=True, size=12, underline=True)
    if hb.number:
        put(left, hb.number, size=12)
    put(right, w["motto_1"], bold=True, size=12)
    put(right, w["motto_2"], bold=True, size=13, underline=True)
    put(right, admin_date(hb.place, b.today, b.lang), italic=True, size=13)

    head = title_lines(b)
    put(doc, "", size=6)
    put(doc, head[0], bold=True, size=15)
    for line in head[1:-1]:
        put(doc, line, bold=True, size=13)
    put(doc, head[-1], italic=True, size=12)

    for block in content:
        if isinstance(block, Heading):
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(8)
            p.paragraph_format.keep_with_next = True
            p.add_run(block.text).bold = True
        elif isinstance(block, Para):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.add_run(block.text).italic = block.italic
        elif isinstance(block, Table):
            table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, values in enumerate([block.header, *block.rows]):
                for c, text in enumerate(values):
                    cell = table.cell(r, c)
                    cell.width = int(text_width * block.widths[c])
                    p = cell.paragraphs[0]
                    p.alignment = align["C" if r == 0 else block.align[c]]
                    p.paragraph_format.space_after = Pt(0)
                    run = p.add_run(str(text))
                    run.font.size = Pt(10)
                    run.bold = r == 0
            doc.add_paragraph().paragraph_format.space_after = Pt(0)
        elif isinstance(block, Picture):
            if block.png:
                doc.add_picture(io.BytesIO(block.png), width=int(text_width * block.width))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                put(doc, w["no_chart"].format(why=block.why_missing or "?"), italic=True, size=11)
            put(doc, block.caption, italic=True, size=11)

    if hb.signer_title:
        sign = doc.add_table(rows=1, cols=2)
        left, right = sign.rows[0].cells
        left.width, right.width = int(text_width * 0.42), int(text_width * 0.58)
        fresh[id(right)] = right.paragraphs[0]
        for line in hb.signer_title.split("\n"):
            put(right, line, bold=True, size=13)
        for _ in range(4):
            put(right, "", size=13)
        put(right, hb.signer, bold=True, size=13)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def workbook(b: Brief) -> bytes:
    """The brief as a workbook: a summary (headline figures with their change, readiness by unit and
    subcommittee), one sheet per subcommittee with every unit's current tasks, and the chase list
    with its messages. Frozen headers, filters, dates as dates; every text cell inert."""
    w, lang, cfg = words(b.lang), b.lang, b.config
    buf = io.BytesIO()
    wb = export.workbook(buf)
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#e8e8e8", "border": 1, "text_wrap": True, "valign": "top"})
    text = wb.add_format({"text_wrap": True, "valign": "top"})
    date = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    pct = wb.add_format({"num_format": "0.0", "valign": "top"})
    whole = wb.add_format({"num_format": "0", "valign": "top"})
    taken: list[str] = []

    def sheet(name: str):
        safe = export.sheet_name(name, taken)
        taken.append(safe)
        return wb.add_worksheet(safe)

    ws = sheet(w["sheet_summary"])
    head_lines = title_lines(b)
    export.write_cell(ws, 0, 0, cfg.name, title)
    for i, line in enumerate(head_lines[1:], start=1):
        export.write_cell(ws, i, 0, line)
    r = len(head_lines) + 1
    headers = [w["figure"], w["now"], w["on"].format(date=i18n.date(b.since)), w["change"]]
    for c, h in enumerate(headers):
        export.write_cell(ws, r, c, h, head)
    now, then = b.figures_now, b.figures_then
    for key, src in (
        ("readiness", "readiness"),
        ("units_reported", "reported"),
        ("stale", "stale"),
        ("never_reported", "never_reported"),
        ("overdue", "overdue"),
        ("blocked", "blocked"),
    ):
        r += 1
        value, before = _num(now.get(src)), _num(then.get(src))
        fmt = pct if key == "readiness" else whole
        export.write_cell(ws, r, 0, w[key])
        export.write_cell(ws, r, 1, value, fmt)
        export.write_cell(ws, r, 2, before, fmt)
        export.write_cell(ws, r, 3, None if value is None or before is None else round(value - before, 1), fmt)

    r += 2
    export.write_cell(ws, r, 0, w["s_heatmap"], bold)
    r += 1
    g = board.grid(b.cells, b.stale, cfg, lang)
    columns = [i18n.sub_short(s, lang, cfg) for s in g.subcommittees]
    for c, h in enumerate([w["unit"], *columns, w["whole_unit"], w["last_report"]]):
        export.write_cell(ws, r, c, h, head)
    first = r + 1
    last_report = {u: _day(d) for u, d in zip(b.cells["unit"], b.cells["last_report"], strict=True)}
    for i, unit in enumerate(g.units):
        r += 1
        export.write_cell(ws, r, 0, g.labels[i])
        for j, value in enumerate(g.readiness[i]):
            export.write_cell(ws, r, 1 + j, value, pct)
        unit_value = board.unit_readiness(g, i)
        export.write_cell(ws, r, 1 + len(columns), round(unit_value, 1) if unit_value is not None else None, pct)
        _write_date(ws, r, 2 + len(columns), last_report.get(unit), date)
    if g.units:
        ws.conditional_format(
            first,
            1,
            r,
            1 + len(columns),
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": 0,
                "min_color": READINESS_SCALE[0][1],
                "mid_type": "num",
                "mid_value": 50,
                "mid_color": READINESS_SCALE[2][1],
                "max_type": "num",
                "max_value": 100,
                "max_color": READINESS_SCALE[-1][1],
            },
        )
    ws.set_column(0, 0, 46)
    ws.set_column(1, 1 + len(columns), 12)
    ws.set_column(2 + len(columns), 2 + len(columns), 13)

    columns_of_tasks = [
        (w["unit"], "unit", 34, text),
        (w["code"], "code", 9, text),
        (w["task"], "task", 50, text),
        (w["deadline"], "deadline", 12, date),
        (w["status"], "status", 16, text),
        (w["percent"], "percent", 10, pct),
        (w["progress"], "progress", 11, pct),
        (w["days_late"], "days_late", 10, whole),
        (w["owner"], "owner", 20, text),
        (w["note"], "note", 30, text),
        (w["report_date"], "report_date", 13, date),
    ]
    tasks = b.tasks
    for s in cfg.subcommittees:
        ws = sheet(i18n.sub_short(s.name, lang, cfg))
        rows = tasks[tasks["subcommittee"] == s.name].to_dict("records") if len(tasks) else []
        _table(
            ws, columns_of_tasks, rows, head, lambda key, row: i18n.t(row[key], lang) if key == "status" else row[key]
        )

    ws = sheet(w["sheet_chase"])
    chase_columns = [
        (w["unit"], "unit", 34, text),
        (w["contact"], "contact", 30, text),
        (w["phone"], "phone", 14, text),
        (w["what"], "what", 40, text),
        (w["last_report"], "last_report", 13, date),
        (w["overdue"], "overdue", 10, whole),
        (w["not_reported"], "not_reported", 10, whole),
        (w["deadline"], "earliest_deadline", 12, date),
        (w["message"], "message", 90, text),
    ]
    rows = meeting.with_messages(b.chase, cfg, b.today, lang)
    for row in rows:
        row["what"] = chase_summary(row, lang)
    _table(ws, chase_columns, rows, head, lambda key, row: row[key])
    wb.close()
    return buf.getvalue()


def _table(ws, columns, rows: list[dict], head, value) -> None:
    """A sheet's table from A1: a header frozen in place, a filter over every column, widths set."""
    for c, (label, _, width, fmt) in enumerate(columns):
        export.write_cell(ws, 0, c, label, head)
        ws.set_column(c, c, width, fmt)
    for r, row in enumerate(rows, start=1):
        for c, (_, key, _, fmt) in enumerate(columns):
            v = value(key, row)
            if key in ("deadline", "report_date", "last_report", "earliest_deadline"):
                _write_date(ws, r, c, _day(v), fmt)
            elif isinstance(v, str):
                export.write_cell(ws, r, c, v, fmt)
            else:
                export.write_cell(ws, r, c, _num(v), fmt)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def _write_date(ws, r: int, c: int, day: dt.date | None, fmt) -> None:
    if day is None:
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_datetime(r, c, dt.datetime.combine(day, dt.time()), fmt)


def _num(value) -> float | None:
    """A number, or None for a missing one (None, NaN, NA)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    return float(value)


def _int(value) -> int:
    return int(value) if value is not None else 0


def _day(value) -> dt.date | None:
    return board.as_date(None if value is None or (not isinstance(value, str) and pd.isna(value)) else value)
