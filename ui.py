"""Streamlit glue shared by the pages: the store as a cached resource, query results cached on the
data version, and the language switch. Page logic stays in the core (readiness/)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import streamlit as st

from readiness import i18n
from readiness.cli import default_paths
from readiness.config import load_config
from readiness.store import Store, local_now

ROOT = Path(__file__).resolve().parent


def app_paths() -> tuple[Path, Path]:
    """The database and config: `streamlit run app.py -- --demo` uses data/demo (built on first run)."""
    if "--demo" in sys.argv[1:] or os.environ.get("READINESS_DEMO") == "1":
        demo = ROOT / "data" / "demo"
        return demo / "readiness.duckdb", demo / "exercise.toml"
    return default_paths()


def store() -> Store:
    """The store of the configured database (one per database file, shared by all sessions)."""
    db, config = app_paths()
    return _store(str(db), str(config))


@st.cache_resource(show_spinner=False)
def _store(db: str, config: str) -> Store:
    if ("--demo" in sys.argv[1:] or os.environ.get("READINESS_DEMO") == "1") and not Path(db).exists():
        from readiness.demo import build_demo

        with st.spinner("Đang tạo dữ liệu mẫu… / building the demo…"):
            build_demo(Path(db).parent)
    return Store(db, load_config(config))


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
