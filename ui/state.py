"""The app's state for the pages: the store, query results cached on the data version, today,
the language. One Store per database per process (readiness.service)."""

from __future__ import annotations

import datetime as dt

import duckdb
import streamlit as st

from readiness import i18n, service
from readiness.config import ConfigError
from readiness.store import Store

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
    return service.today(store().config)


def now() -> dt.datetime:
    return service.now(store().config)


def data_version() -> int:
    return store().data_version()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_query(db: str, name: str, today_: dt.date, version: int, params: tuple):
    return store().query(name, today=today_, **dict(params))


def query(name: str, **params):
    """A named query's DataFrame, recomputed only when the data version or today changes."""
    return _cached_query(str(store().path), name, today(), data_version(), tuple(sorted(params.items())))


def query_on(day: dt.date, name: str, **params):
    """A named query as the board counted it on `day` (its $today), e.g. the headline figures on the day
    of the last meeting; cached like `query`."""
    return _cached_query(str(store().path), name, day, data_version(), tuple(sorted(params.items())))


def lang() -> str:
    return st.session_state.get("lang", "vi")


def t(key: str, **kw) -> str:
    return i18n.t(key, lang(), **kw)


def worker():
    """The app's inbox worker (started with the server; started here if the server did not)."""
    store()  # a held database or a bad config stops the page with what to do
    return service.worker(*app_paths())
