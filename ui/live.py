"""Live pages: the server pushes each new data version (readiness/push.py) and the page reruns once;
and the recent arrivals."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pandas as pd
import streamlit as st

from readiness import push

from .state import data_version, query, t, today

ASSETS = Path(__file__).resolve().parent / "assets"


@cache
def _push_component():
    js = (ASSETS / "push.js").read_text(encoding="utf-8")
    return st.components.v2.component("readiness_push", js=js, isolate_styles=False)


@cache
def _go_component():
    js = "export default function ({ data }) { if (data && data.url) window.location.replace(data.url); }"
    return st.components.v2.component("readiness_go", js=js, isolate_styles=False)


def go_to(url: str) -> None:
    """Send the browser to another address of this server (replacing this page in its history)."""
    _go_component()(key="go", data={"url": url})


def drawn() -> tuple[int, dt.date]:
    """The data version and day a page is about to draw (read before it draws, so that a write landing
    while it draws is one the push still reports)."""
    return data_version(), today()


def live(shown: tuple[int, dt.date]) -> None:
    """Mount the push listener (at the end of the page: it has no height, and a gap at the bottom is
    harmless): when the server's data version or day is not `shown`, the page reruns once (no browser
    reload: widgets, selections and the scroll position stay). Nothing runs while nothing changes."""
    version, day = shown
    _push_component()(key="live", data={"url": push.EVENTS_PATH, "version": version, "day": day.isoformat()})


def recent_arrivals() -> None:
    """The last files received with their answers (sidebar)."""
    recent = query("recent", limit=6)
    if recent.empty:
        return
    colours = {"accepted": "green", "rejected": "red", "duplicate": "gray", "withdrawn": "orange"}
    lines = []
    for r in recent.itertuples():
        # a withdrawn file was accepted once and no longer counts: say so, not 'Đã nhận'
        status = "withdrawn" if r.status == "accepted" and not pd.isna(r.withdrawn_at) else r.status
        lines.append(f"{r.received_at:%H:%M %d/%m} · {r.unit or '?'} · :{colours.get(status, 'gray')}[{t(status)}]")
    st.sidebar.markdown(f"**{t('recent_arrivals')}**")
    st.sidebar.caption("  \n".join(lines))
