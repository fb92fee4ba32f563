"""Tổng quan: countdown, headline figures with their weekly change, readiness heatmap (click a cell
for its tasks; rows as listed or worst first), completion by subcommittee, every risk. On a phone
the figures go two by two and the heatmap becomes a list of units, worst first (ui.overview)."""

import streamlit as st

import ui
from readiness import board, i18n
from ui import charts
from ui import overview as view

lang = ui.lang()
store = ui.store()
config = store.config
view.phone_layout()

head, clock = st.columns([2.3, 1.7], vertical_alignment="bottom")
with head:
    ui.title_bar(config)
with clock:
    ui.countdown_card(config)
cells = ui.query("heatmap")
if cells.empty:
    st.info(ui.t("no_data"))
    st.stop()

with st.container(key="figures"):
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

assessments = ui.query("assessments", unit=None)
g = charts.grid_in(board.grid(cells, ui.query("stale"), config, lang), lang, config)
g = charts.assessed_in(charts.plan_in(g, cells, lang), assessments, lang)
missing = charts.cell_counts(cells, "not_reported")
far = charts.far_units(assessments)
subs = charts.subs_in(ui.query("subcommittees"), lang, config)
event = None
with st.container(key="wide_only"):
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"#### {ui.t('heatmap_title')}")
        sort = st.segmented_control(
            ui.t("sort_rows"),
            ["config", "worst"],
            format_func=lambda k: ui.t(f"sort_{k}"),
            default="config",
            required=True,
            key="heatmap_sort",
            label_visibility="collapsed",
        )
        helps = [
            "heatmap_help",
            *(["heatmap_help_plan"] if missing else []),
            *(["heatmap_help_assessment"] if far else []),
        ]
        st.caption(" ".join(ui.t(k) for k in helps))
        shown = board.take_rows(g, board.worst_first(g)) if sort == "worst" else g
        event = st.plotly_chart(
            charts.heatmap(shown, lang, far=far, missing=missing),
            key="heatmap",
            on_select="rerun",
            selection_mode="points",
            config={"displayModeBar": False},
            width="stretch",
        )
    with right:
        st.markdown(f"#### {ui.t('subcommittee_title')}")
        st.plotly_chart(
            charts.subcommittee_bars(subs, lang),
            key="subcommittees",
            config={"displayModeBar": False},
            width="stretch",
        )

    points = (event or {}).get("selection", {}).get("points", []) if event else []
    chosen = next((p.get("customdata") for p in points if p.get("customdata")), None)
    if chosen:
        unit, sub = chosen[0], chosen[1]
        view.scroll_here(f"{unit}|{sub}")
        st.markdown(f"#### {ui.t('cell_tasks', unit=unit, subcommittee=i18n.sub_short(sub, lang, config))}")
        ui.task_table(ui.query("tasks", unit=unit, subcommittee=sub), show_unit=False, key="cell_tasks")
        view.cell_extras(ui.query("extra_tasks", unit=unit, subcommittee=sub))

with st.container(key="phone_only"):
    st.markdown(f"#### {ui.t('heatmap_title')}")
    st.caption(ui.t("sort_worst"))
    view.unit_list(g, missing, far=far)
    st.markdown(f"#### {ui.t('subcommittee_title')}")
    st.plotly_chart(
        charts.subcommittee_bars(subs, lang),
        key="subcommittees_phone",
        config={"displayModeBar": False, "staticPlot": True},
        width="stretch",
    )

st.markdown(f"#### {ui.t('risks_title')}")
risks = charts.risks_in(board.open_risks(ui.query("risks")), lang, config)
if risks.empty:
    st.success(ui.t("no_risks"))
else:
    with st.container(key="wide_only_risks", gap=None):
        st.caption(ui.t("risks_all", n=len(risks)))
        view.risk_table(risks, key="risks")
    with st.container(key="phone_only_risks"):
        view.risk_cards(risks)
