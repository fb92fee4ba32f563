"""Streamlit glue shared by the pages: the store as a cached resource, query results cached on the
data version, and the language switch. Page logic stays in the core (readiness/)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from readiness import i18n, service
from readiness.config import ConfigError
from readiness.store import Store, local_now

ROOT = Path(__file__).resolve().parent
app_paths = service.app_paths


def store() -> Store:
    """The store of the configured database (one per database file, shared by all sessions).

    A database held by another program, or a bad config, stops the page with what to do."""
    db, config = app_paths()
    try:
        return service.store(db, config)
    except duckdb.IOException as exc:
        st.error(i18n.t("db_locked", lang(), path=db, detail=str(exc).splitlines()[0]))
    except ConfigError as exc:
        st.error(i18n.t("config_error", lang(), detail=str(exc)))
    st.stop()


def today() -> dt.date:
    """Today in the exercise's time zone; READINESS_TODAY pins it (tests, rehearsals)."""
    pinned = os.environ.get("READINESS_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else local_now(store().config).date()


def now() -> dt.datetime:
    pinned = os.environ.get("READINESS_TODAY")
    if pinned:
        return dt.datetime.combine(dt.date.fromisoformat(pinned), dt.time(8, 0))
    return local_now(store().config)


def data_version() -> int:
    return store().data_version()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_query(db: str, name: str, today_: dt.date, version: int, params: tuple):
    return store().query(name, today=today_, **dict(params))


def query(name: str, **params):
    """A named query's DataFrame, recomputed only when the data version or today changes."""
    return _cached_query(str(store().path), name, today(), data_version(), tuple(sorted(params.items())))


def lang() -> str:
    return st.session_state.get("lang", "vi")


def t(key: str, **kw) -> str:
    return i18n.t(key, lang(), **kw)


def title_bar(config) -> None:
    """The exercise's name and D-day, on every page."""
    st.markdown(f"### {config.name}")
    st.caption(f"{t('phase')}: **{_phase_name(config)}** · {t('today')}: {i18n.date(today())}")


def _phase_name(config) -> str:
    from readiness.board import countdown

    cd = countdown(config, now())
    if cd.phase is None:
        return "–"
    return cd.phase.name_en if lang() == "en" and cd.phase.name_en else cd.phase.name


def countdown_card(config) -> None:
    """Days and hours to D-day, the phase and the next milestone."""
    from readiness.board import countdown

    cd = countdown(config, now())
    if cd.passed and cd.days == 0:
        value = t("d_day_now")
    elif cd.passed:
        value = t("after_d_day", days=cd.days)
    else:
        value = t("days_left", days=cd.days, hours=cd.hours)
    label = f"{t('d_day')}: {config.d_day:%H:%M} {i18n.date(config.d_day.date())}"
    nxt = ""
    if cd.next:
        name = cd.next.name_en if lang() == "en" and cd.next.name_en else cd.next.name
        nxt = f"{t('next_milestone')}: {name} {i18n.date_short(cd.next.date.date())}"
    st.metric(label, value, delta=nxt or None, delta_color="off", delta_arrow="off", border=True)


def status_label(status: str) -> str:
    return t(status)


def task_table(df, show_unit: bool, key: str) -> None:
    """Tasks as the committee reads them: Vietnamese headers, dd/mm/yyyy, overdue first glance."""
    view = df.copy()
    view["status"] = view["status"].map(status_label)
    view["deadline"] = view["deadline"].map(lambda d: "" if pd.isna(d) else i18n.date(d.date()))
    view["days_late"] = view["days_late"].map(lambda n: "" if pd.isna(n) else str(int(n)))
    view["percent"] = view["percent"].map(lambda p: "" if pd.isna(p) else i18n.number(p, lang(), 0) + "%")
    for col in ("owner", "note"):
        view[col] = view[col].fillna("")
    cols = {
        "unit": t("unit"),
        "subcommittee_short": t("subcommittee"),
        "task": t("task"),
        "status": t("status"),
        "percent": t("percent"),
        "deadline": t("deadline"),
        "days_late": t("days_late"),
        "owner": t("owner"),
        "note": t("note"),
    }
    if not show_unit:
        cols.pop("unit")
    view = view[[c for c in cols if c in view.columns]].rename(columns=cols)
    st.dataframe(view, hide_index=True, width="stretch", key=key)


def submissions_table(df, key: str) -> None:
    """A unit's files, with their answer and which one counts."""
    _files_table(
        df,
        key,
        [
            "received_at",
            "report_date",
            "status",
            "tasks",
            "n_errors",
            "n_warnings",
            "source",
            "original_name",
            "current",
        ],
    )


def diff_table(df, key: str) -> None:
    """Tasks that moved, appeared or disappeared between two reports."""
    view = df.copy()
    view["change"] = view["change"].map(t)

    def state(status, percent):
        if pd.isna(status):
            return ""
        return t(status) + ("" if pd.isna(percent) else f" ({i18n.number(percent, lang(), 0)}%)")

    view["before"] = [state(s, p) for s, p in zip(view["old_status"], view["old_percent"], strict=True)]
    view["after"] = [state(s, p) for s, p in zip(view["new_status"], view["new_percent"], strict=True)]
    cols = {
        "change": t("change"),
        "subcommittee_short": t("subcommittee"),
        "task": t("task"),
        "before": t("before"),
        "after": t("after"),
    }
    st.dataframe(view[list(cols)].rename(columns=cols), hide_index=True, width="stretch", key=key)


# ---------------------------------------------------------------- accounts


def accounts():
    from readiness.auth import Accounts, users_path

    db, _ = app_paths()
    return Accounts(users_path(db), [u.name for u in store().config.units])


def current_user():
    """The logged-in user of this browser session, or None."""
    return st.session_state.get("user")


def login_box() -> None:
    """In the sidebar: who is logged in, or a login form."""
    from readiness.auth import AuthError

    user = current_user()
    with st.sidebar:
        if user is not None:
            st.markdown(t("logged_in_as", user=user.username, role=t(f"role_{user.role}")))
            if st.button(t("logout"), key="logout"):
                st.session_state.pop("user", None)
                st.rerun()
            return
        with st.expander(t("login"), expanded=False), st.form("login_form", border=False):
            name = st.text_input(t("username"), key="login_name")
            password = st.text_input(t("password"), type="password", key="login_password")
            if st.form_submit_button(t("login")):
                try:
                    # Throttled per name and address (None on localhost, not a str under AppTest);
                    # every try is audited.
                    ip = st.context.ip_address
                    client = ip if isinstance(ip, str) else ""
                    st.session_state["user"] = accounts().login(name, password, client, audit=store().audit)
                    st.rerun()
                except AuthError as exc:
                    st.error(str(exc).split(" / ")[0 if lang() == "vi" else -1])


def require_login_if_configured() -> None:
    """With [access] require_login = true, nothing but the login form shows until one logs in."""
    if store().config.require_login and current_user() is None:
        st.warning(t("login_required"))
        st.stop()


def messages_table(messages, key: str) -> None:
    """Errors or warnings as a table: sheet, row, column, value found, what to fix."""
    rows = [
        {
            t("sheet"): m.sheet or "",
            t("row"): "" if m.row is None else str(m.row),
            t("column"): m.column or "",
            t("value_found"): "" if m.value is None else str(m.value),
            t("expected"): m.text(lang()),
        }
        for m in messages
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=key)


def history_table(df, key: str) -> None:
    """Every file received: when, by whom, how, the answer, tasks, whether withdrawn."""
    _files_table(
        df,
        key,
        [
            "id",
            "received_at",
            "unit",
            "report_date",
            "status",
            "tasks",
            "n_errors",
            "n_warnings",
            "source",
            "submitted_by",
            "original_name",
            "withdrawn_at",
        ],
    )


def _files_table(df, key: str, columns: list[str]) -> None:
    view = df.copy()
    day = lambda d: "" if pd.isna(d) else i18n.date(d.date())  # noqa: E731
    view["received_at"] = view["received_at"].map(lambda d: f"{d:%H:%M} {i18n.date(d.date())}")
    for col in ("report_date", "withdrawn_at"):
        if col in view:
            view[col] = view[col].map(day)
    view["status"] = view["status"].map(t)
    view["source"] = view["source"].map(t)
    if "current" in view:
        view["current"] = view["current"].map(lambda c: "✔" if c else "")
    for col in ("unit", "submitted_by"):
        if col in view:
            view[col] = view[col].fillna("")
    names = {
        "id": "#",
        "received_at": t("received_at"),
        "unit": t("unit"),
        "report_date": t("report_date"),
        "status": t("answer"),
        "tasks": t("tasks"),
        "n_errors": t("errors"),
        "n_warnings": t("warnings"),
        "source": t("source"),
        "submitted_by": t("submitted_by"),
        "original_name": t("file"),
        "withdrawn_at": t("withdrawn"),
        "current": t("current"),
    }
    st.dataframe(view[columns].rename(columns=names), hide_index=True, width="stretch", key=key)


def headline_metric(col, h) -> None:
    """A headline figure with its change since a week earlier: green when better, red when worse,
    no arrow and no colour when unchanged."""
    if h.delta is None:
        col.metric(t(h.key), h.value, help=t("vs_last_week"), border=True)
        return
    digits = 1 if h.key == "readiness" else 0
    if round(h.delta, digits) == 0:
        col.metric(
            t(h.key), h.value, delta="±0", delta_color="off", delta_arrow="off", help=t("vs_last_week"), border=True
        )
        return
    col.metric(
        t(h.key),
        h.value,
        delta=i18n.signed(h.delta, lang(), digits),
        delta_color="inverse" if h.worse_when_up else "normal",
        help=t("vs_last_week"),
        border=True,
    )


# ---------------------------------------------------------------- live


LIVE_S = 2  # seconds between checks of the data version


def worker():
    """The app's inbox worker (started with the server; started here if the server did not)."""
    store()  # a held database or a bad config stops the page with what to do
    return service.worker(*app_paths())


@st.fragment(run_every=LIVE_S)
def live() -> None:
    """Every 2 s a cheap look at the data version; when a new report has landed, the page reruns
    (no browser reload: widgets, selections and the scroll position stay)."""
    version = data_version()
    seen = st.session_state.get("seen_version")
    if seen is None:
        st.session_state["seen_version"] = version
    elif version != seen:
        st.session_state["seen_version"] = version
        st.rerun(scope="app")


def recent_arrivals() -> None:
    """The last files received with their answers (sidebar)."""
    recent = query("recent", limit=6)
    if recent.empty:
        return
    colours = {"accepted": "green", "rejected": "red", "duplicate": "gray"}
    lines = [
        f"{r.received_at:%H:%M %d/%m} · {r.unit or '?'} · :{colours.get(r.status, 'gray')}[{t(r.status)}]"
        for r in recent.itertuples()
    ]
    st.sidebar.markdown(f"**{t('recent_arrivals')}**")
    st.sidebar.caption("  \n".join(lines))
