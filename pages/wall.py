"""Trình chiếu: the wall display. One view at a time filling a dark screen (countdown with the
headline figures, the readiness heatmap, completion by subcommittee, top risks), rotating by itself.

    /trinh-chieu?rotate=20&views=countdown,heatmap,subcommittees,risks&lang=en&sort=config

The page sends the screen to the lean wall (/live/wall, wall/server.py: the same views, the same
script, no Streamlit session per screen) with the same options; `&stay=1` keeps it here (where the lean
page sends a screen that needs the login form first).

(`views=since` adds what changed since the last coordination meeting and how many units to chase.)

The figures are drawn once per data version and handed to one components-v2 element (no iframe);
its JavaScript rotates the views and ticks the countdown and the clock in the browser, so the server
does not rerun every second. The server pushes each new data version (ui.live, readiness/push.py) and
the page reruns once; the stream's pings are the heartbeat whose absence for OFFLINE_AFTER_S puts up
the connection banner. An idle wall costs the server nothing but those pings."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from readiness.store import local_now
from wall import server as wall_server
from wall import view as display

opts = display.options(st.query_params.to_dict(), default_lang=ui.lang())
if not st.query_params.get(display.STAY):
    # The lean page draws the same wall with no Streamlit session behind the screen (bench/freshness.py:
    # a fifth of the server's work per new report, tabs that open in a second): send the screen there.
    ui.go_to(f"{wall_server.PATH}?{display.query_string(opts)}")
    st.stop()
store = ui.store()
config = store.config

wall = st.components.v2.component(
    "readiness_wall", js=display.asset("wall.js"), css=display.asset("wall.css"), isolate_styles=False
)


@st.cache_data(show_spinner=False, max_entries=32)
def _views(db: str, version: int, today: dt.date, opts: display.Options) -> dict:
    """The wall's views for one data version (shared by every screen showing the same options).
    'cập nhật lúc' is when this version was first drawn."""
    return display.wall_data(
        config=config,
        opts=opts,
        query=ui.query,
        query_on=ui.query_on,
        today=today,
        board_now=ui.now(),
        real_now=local_now(config),
        version=version,
    )


version, today = ui.data_version(), ui.today()
data = dict(_views(str(store.path), version, today, opts))
data["rotate"] = opts.rotate
data["clock"] = display.clock_data(config, ui.now(), local_now(config), opts.lang)
wall(key="wall", data=data, height="content")
# A new data version (or day) pushed by the server reruns the page; its pings are the heartbeat.
ui.live((version, today))
