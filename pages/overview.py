"""Tổng quan: countdown, headline figures with their weekly change, readiness heatmap (click a cell
for its tasks), completion by subcommittee, top risks."""

import streamlit as st

import ui
from readiness import board, i18n
from ui import charts

lang = ui.lang()
store = ui.store()
config = store.config

head, clock = st.columns([2.3, 1.7], vertical_alignment="bottom")
with head:
    ui.title_bar(config)
with clock:
    ui.countdown_card(config)
cells = ui.query("heatmap")
if cells.empty:
    st.info(ui.t("no_data"))
    st.stop()

for col, h in zip(st.columns(6), board.headline(ui.query("headline"), lang), strict=True):
    delta = None if h.delta is None else i18n.signed(h.delta, lang, 1 if h.key == "readiness" else 0)
    col.metric(
        ui.t(h.key),
        h.value,
        delta=delta or None,
        delta_color="inverse" if h.worse_when_up else "normal",
        help=ui.t("vs_last_week"),
        border=True,
    )

left, right = st.columns([3, 2])
with left:
    st.markdown(f"#### {ui.t('heatmap_title')}")
    st.caption(ui.t("heatmap_help"))
    g = board.grid(cells, ui.query("stale"), config, lang)
    event = st.plotly_chart(
        charts.heatmap(g, lang),
        key="heatmap",
        on_select="rerun",
        selection_mode="points",
        config={"displayModeBar": False},
        width="stretch",
    )
with right:
    st.markdown(f"#### {ui.t('subcommittee_title')}")
    st.plotly_chart(
        charts.subcommittee_bars(ui.query("subcommittees"), lang),
        key="subcommittees",
        config={"displayModeBar": False},
        width="stretch",
    )

points = (event or {}).get("selection", {}).get("points", []) if event else []
chosen = next((p.get("customdata") for p in points if p.get("customdata")), None)
if chosen:
    unit, sub = chosen[0], chosen[1]
    short = next(s.short for s in config.subcommittees if s.name == sub)
    st.markdown(f"#### {ui.t('cell_tasks', unit=unit, subcommittee=short)}")
    ui.task_table(ui.query("tasks", unit=unit, subcommittee=sub), show_unit=False, key="cell_tasks")

st.markdown(f"#### {ui.t('risks_title')}")
risks = ui.query("risks")
if risks.empty:
    st.success(ui.t("no_risks"))
else:
    ui.task_table(risks.head(15), show_unit=True, key="risks")
