"""Live pages: a cheap look at the data version every few seconds, and the recent arrivals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .state import data_version, query, t

LIVE_S = 2  # seconds between checks of the data version


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
    colours = {"accepted": "green", "rejected": "red", "duplicate": "gray", "withdrawn": "orange"}
    lines = []
    for r in recent.itertuples():
        # a withdrawn file was accepted once and no longer counts: say so, not 'Đã nhận'
        status = "withdrawn" if r.status == "accepted" and not pd.isna(r.withdrawn_at) else r.status
        lines.append(f"{r.received_at:%H:%M %d/%m} · {r.unit or '?'} · :{colours.get(status, 'gray')}[{t(status)}]")
    st.sidebar.markdown(f"**{t('recent_arrivals')}**")
    st.sidebar.caption("  \n".join(lines))
