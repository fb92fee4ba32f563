"""Trình chiếu: the wall display. One view at a time filling a dark screen (countdown with the
headline figures, the readiness heatmap, completion by subcommittee, top risks), rotating by itself.

    /trinh-chieu?rotate=20&views=countdown,heatmap,subcommittees,risks&lang=en&sort=config

(`views=since` adds what changed since the last coordination meeting and how many units to chase.)

The figures are drawn once per data version and handed to one components-v2 element (no iframe);
its JavaScript rotates the views and ticks the countdown and the clock in the browser, so the server
does not rerun every second. A fragment looks at the data version every 2 s (one small query) and
reruns the page only when it changed; each of its runs also sends a heartbeat, whose absence for
~7 s puts up the connection banner."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from readiness import i18n, meeting
from readiness.store import local_now
from wall import view as display

opts = display.options(st.query_params.to_dict(), default_lang=ui.lang())
store = ui.store()
config = store.config

wall = st.components.v2.component(
    "readiness_wall", js=display.asset("wall.js"), css=display.asset("wall.css"), isolate_styles=False
)
beat = st.components.v2.component("readiness_wall_beat", js=display.asset("beat.js"), isolate_styles=False)


@st.cache_data(show_spinner=False, max_entries=32)
def _views(db: str, version: int, today: dt.date, lang: str, views: tuple[str, ...], sort: str) -> dict:
    """The wall's views for one data version (shared by every screen showing the same options).
    'cập nhật lúc' is when this version was first drawn."""
    since = None
    if "since" in views:  # its queries only when the view is asked for
        day = meeting.last_meeting(config, today)
        held = meeting.previous_meeting(config, today)
        since = display.Since(
            day=day,
            meeting=i18n.milestone_name(held, lang) if held and held.day == day else "",
            changes=ui.query("since", since=day),
            head_then=ui.query_on(day, "headline"),
            chase=ui.query("chase"),
        )
    return display.views_payload(
        config=config,
        lang=lang,
        views=views,
        head=ui.query("headline"),
        cells=ui.query("heatmap"),
        stale=ui.query("stale"),
        subs=ui.query("subcommittees"),
        risks=ui.query("risks"),
        submissions=ui.query("submissions"),
        today=today,
        board_now=ui.now(),
        updated_at=local_now(config),
        version=version,
        sort=sort,
        since=since,
    )


version, today = ui.data_version(), ui.today()
data = dict(_views(str(store.path), version, today, opts.lang, opts.views, opts.sort))
data["rotate"] = opts.rotate
data["clock"] = display.clock_data(config, ui.now(), local_now(config), opts.lang)
data["refresh_s"] = display.REFRESH_S
wall(key="wall", data=data, height="content")


@st.fragment(run_every=display.REFRESH_S)
def _watch(shown: tuple[int, dt.date]) -> None:
    """Every 2 s: rerun the page if the data version (or the day) changed; else only a heartbeat."""
    if (ui.data_version(), ui.today()) != shown:
        st.rerun(scope="app")
    beat(key="wall-beat", data={"server_ms": display.epoch_ms(local_now(config), config.timezone)})


_watch((version, today))
