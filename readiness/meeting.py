"""The coordination meeting (họp giao ban): which day "since the last meeting" means, and, for each
unit of the `chase` query, a ready-to-send message saying what is missing or late, by when and where
to send it. The message's words live here, Vietnamese and English, since nothing else says them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .config import Config, Meeting
from .i18n import date as fmt_date

DEFAULT_SINCE_DAYS = 7  # no meeting before today: compare with a week earlier, as the headline does
SHOWN_TASKS = 3  # tasks named in a message; the rest are counted
UPLOAD_PAGE = "/gui-bao-cao"


def last_meeting(config: Config, today: dt.date) -> dt.date:
    """The day of the latest meeting before today, else today − 7 days."""
    meeting = previous_meeting(config, today)
    return meeting.day if meeting else today - dt.timedelta(days=DEFAULT_SINCE_DAYS)


def previous_meeting(config: Config, today: dt.date) -> Meeting | None:
    """The latest meeting held before today (a meeting today is the one being prepared), if any."""
    held = [m for m in config.meetings if m.day < today]
    return held[-1] if held else None


def next_meeting(config: Config, today: dt.date) -> Meeting | None:
    """The first meeting today or later, if any."""
    return next((m for m in config.meetings if m.day >= today), None)


def reply_by(config: Config, today: dt.date) -> dt.date:
    """The day a chased unit must send by: the eve of the next meeting (today at the earliest), so
    the figures are in before it; with no meeting ahead, two days from today."""
    meeting = next_meeting(config, today)
    if meeting is None:
        return today + dt.timedelta(days=2)
    return max(today, meeting.day - dt.timedelta(days=1))


# ---------------------------------------------------------------- the chase messages

_WORDS = {
    "vi": {
        "greeting": "Kính gửi {who}.",
        "ask": "{sender} đề nghị đơn vị:",
        "sender": "Ban Tổ chức diễn tập",
        "never": "- Gửi báo cáo tiến độ: đến nay đơn vị chưa gửi báo cáo nào.",
        "stale": "- Gửi báo cáo tiến độ: báo cáo gần nhất ngày {last} (đã {days} ngày; hạn gửi báo cáo mới {due}).",
        "overdue": "- Khẩn trương hoàn thành {n} nhiệm vụ quá hạn (hạn sớm nhất {deadline}, đã trễ {late} ngày): {tasks}.",
        "not_reported": "- Báo cáo {n} nhiệm vụ được giao chưa có trong báo cáo của đơn vị: {tasks}.",
        "of_which_late": " (trong đó {n} nhiệm vụ đã quá hạn)",
        "more": "và {n} nhiệm vụ khác",
        "send": "Đề nghị gửi báo cáo cập nhật trước 17h00 ngày {by} qua {where}.",
        "where_page": 'trang "Gửi báo cáo" của Bảng sẵn sàng ({url})',
        "where_inbox": "thư mục nhận báo cáo ({inbox})",
        "or": " hoặc ",
        "thanks": "Trân trọng.",
    },
    "en": {
        "greeting": "To {who}.",
        "ask": "{sender} asks your unit to:",
        "sender": "The exercise organizing committee",
        "never": "- Send a progress report: none has been received from your unit yet.",
        "stale": "- Send a progress report: the latest is of {last} ({days} days ago; a new one was due {due}).",
        "overdue": "- Finish {n} overdue tasks (earliest deadline {deadline}, {late} days late): {tasks}.",
        "not_reported": "- Report {n} assigned tasks missing from your report: {tasks}.",
        "of_which_late": " ({n} of them overdue)",
        "more": "and {n} more",
        "send": "Please send the updated report by 17:00 on {by} through {where}.",
        "where_page": 'the board\'s "Send a report" page ({url})',
        "where_inbox": "the report inbox ({inbox})",
        "or": " or ",
        "thanks": "Thank you.",
    },
}


@dataclass(frozen=True)
class Where:
    """Where a unit sends its report: the upload page's address and, when units can reach it, the inbox."""

    upload_url: str = UPLOAD_PAGE
    inbox: str = ""

    def text(self, lang: str) -> str:
        w = _WORDS[lang]
        parts = [w["where_page"].format(url=self.upload_url)]
        if self.inbox:
            parts.append(w["where_inbox"].format(inbox=self.inbox))
        return w["or"].join(parts)


def chase_message(
    row: dict, config: Config, today: dt.date, lang: str = "vi", where: Where | None = None, sender: str = ""
) -> str:
    """The message for one row of the `chase` query: what is missing or late, the deadline, where to send."""
    w = _WORDS["en" if lang == "en" else "vi"]
    row = {k: _plain(v) for k, v in row.items()}
    who = f"{row['contact']} ({row['unit']})" if row.get("contact") else str(row["unit"])
    sender = sender or config.brief.body or w["sender"]
    lines = [w["greeting"].format(who=who), w["ask"].format(sender=sender)]
    if row.get("never_reported"):
        lines.append(w["never"])
    elif row.get("stale"):
        lines.append(
            w["stale"].format(
                last=fmt_date(_day(row.get("last_report"))),
                days=int(row["days_since"]) if row.get("days_since") is not None else "?",
                due=fmt_date(_day(row.get("report_due"))),
            )
        )
    # A planned task left out of the report is asked for once, as not reported, even when it is late.
    overdue = [_plain_task(t) for t in row.get("overdue_tasks") or []]
    late = [t for t in overdue if t.get("reported", True)]
    if late:
        lines.append(
            w["overdue"].format(
                n=len(late),
                deadline=fmt_date(min(d for t in late if (d := _day(t.get("deadline"))) is not None)),
                late=max(int(t.get("days_late") or 0) for t in late),
                tasks=_tasks([t["task"] for t in late], len(late), w),
            )
        )
    if row.get("not_reported"):
        n = int(row["not_reported"])
        missing = [_plain_task(t)["task"] for t in row.get("not_reported_tasks") or []]
        text = w["not_reported"].format(n=n, tasks=_tasks(missing, n, w))
        if len(overdue) > len(late):
            text = text[:-1] + w["of_which_late"].format(n=len(overdue) - len(late)) + "."
        lines.append(text)
    lines.append(w["send"].format(by=fmt_date(reply_by(config, today)), where=(where or Where()).text(lang)))
    lines.append(w["thanks"])
    return "\n".join(lines)


def with_messages(chase, config: Config, today: dt.date, lang: str = "vi", where: Where | None = None) -> list[dict]:
    """The `chase` query's rows (a DataFrame or records), each with its `message`."""
    rows = chase.to_dict("records") if isinstance(chase, pd.DataFrame) else list(chase)
    return [{**r, "message": chase_message(r, config, today, lang, where)} for r in rows]


def chase_frame(chase, config: Config, today: dt.date, lang: str = "vi", where: Where | None = None) -> pd.DataFrame:
    """The chase list as one flat table for a CSV (export.csv_text): the task lists as text ('task
    (dd/mm/yyyy); …'), dates as dates, the message last."""
    out = []
    for r in with_messages(chase, config, today, lang, where):
        r = {k: _plain(v) for k, v in r.items()}
        for key in ("overdue_tasks", "not_reported_tasks"):
            tasks = [_plain_task(t) for t in r.get(key) or []]
            r[key] = "; ".join(f"{t['task']} ({fmt_date(_day(t.get('deadline')))})" for t in tasks)
        for key in ("last_report", "report_due", "earliest_deadline"):
            r[key] = _day(r.get(key))
        out.append(r)
    return pd.DataFrame(out)


def _tasks(tasks: Iterable | None, n: int, w: dict) -> str:
    names = [f'"{t}"' for t in list(tasks if tasks is not None else [])[:SHOWN_TASKS]]
    text = ", ".join(names)
    return f"{text} {w['more'].format(n=n - len(names))}" if n > len(names) else text


def _plain_task(task) -> dict:
    """One task of a chase row's lists (a dict, or a bare name from an older answer)."""
    return {k: _plain(v) for k, v in task.items()} if isinstance(task, dict) else {"task": str(task)}


def _plain(value):
    """A value as plain Python: a list stays a list, a missing value (None, NaN, NaT, NA) is None."""
    if value is None or isinstance(value, list | tuple | str | bool):
        return value
    if getattr(value, "ndim", 0):  # a numpy array (a list column of a DataFrame)
        return value.tolist()
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") and not hasattr(value, "to_pydatetime") else value


def _day(value) -> dt.date | None:
    value = _plain(value)
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value
