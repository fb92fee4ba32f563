"""Streamlit glue shared by the pages: the app's state (store, cached queries, language), the page
heading, shared tables, login and live updates. Page logic stays in the core (readiness/)."""

from .cards import countdown_card, title_bar
from .live import drawn, go_to, live, recent_arrivals
from .login import accounts, current_user, login_box, require_login_if_configured
from .state import app_paths, data_version, lang, now, query, query_on, store, t, today, worker
from .tables import (
    diff_table,
    history_table,
    messages_table,
    status_label,
    statuses,
    submissions_table,
    task_table,
)

__all__ = [
    "accounts",
    "app_paths",
    "countdown_card",
    "current_user",
    "data_version",
    "diff_table",
    "drawn",
    "go_to",
    "history_table",
    "lang",
    "live",
    "login_box",
    "messages_table",
    "now",
    "query",
    "query_on",
    "recent_arrivals",
    "require_login_if_configured",
    "status_label",
    "statuses",
    "store",
    "submissions_table",
    "t",
    "task_table",
    "title_bar",
    "today",
    "worker",
]
