"""Tiểu ban: one subcommittee's readiness over time with a projection to D-day, each unit's own assessment
beside its readiness there, and its tasks."""

import streamlit as st

import ui
from readiness import board, i18n
from ui import assessment, charts

lang = ui.lang()
store = ui.store()
config = store.config

ui.title_bar(config)
subs = {s.name: s for s in config.subcommittees}
name = st.selectbox(
    ui.t("pick_subcommittee"),
    list(subs),
    format_func=lambda n: i18n.sub_name(n, lang, config),
    key="subcommittee",
)
agg = ui.query("subcommittee_trend_total", subcommittee=name)  # a row a day; units only when asked for
tasks = ui.query("tasks", unit=None, subcommittee=name)
if agg.empty and tasks.empty:
    st.info(ui.t("sub_no_tasks") + " " + ui.t("no_data"))
    st.stop()

days = [d.date() for d in agg["day"]]
proj = board.projection(days, agg["readiness"].tolist(), config.d_day.date())
st.markdown(f"#### {ui.t('trend_title')}")
figures = st.columns(3)
current = agg["readiness"].iloc[-1] if len(agg) else None
figures[0].metric(ui.t("readiness"), i18n.percent(current, lang), border=True)
figures[1].metric(
    ui.t("projected_d_day"),
    i18n.percent(proj.on_d_day, lang) if proj.on_d_day is not None else "–",
    delta=ui.t("per_week", rate=i18n.signed(proj.rate_per_week, lang)) if proj.rate_per_week is not None else None,
    delta_color="normal" if proj.rate_per_week else "off",  # no pace: grey, no arrow
    delta_arrow="auto" if proj.rate_per_week else "off",
    border=True,
)
figures[2].metric(ui.t("overdue"), int(tasks["overdue"].sum()) if not tasks.empty else 0, border=True)
if proj.on_d_day is None:
    st.caption(ui.t("projection_none"))
elif proj.short:
    st.warning(
        ui.t(
            "projection_short",
            rate=i18n.number(proj.rate_per_week, lang, 1) + "%",
            value=i18n.percent(proj.on_d_day, lang, 0),
        )
    )
else:
    st.success(ui.t("projection_ok", rate=i18n.number(proj.rate_per_week, lang, 1) + "%"))
show_units = st.toggle(ui.t("show_units"), value=False, key="show_units")
st.plotly_chart(
    charts.trend(
        ui.query("subcommittee_trend", subcommittee=name) if show_units else agg,
        proj,
        config.d_day.date(),
        show_units,
        lang,
    ),
    key="trend",
    config={"displayModeBar": False},
    width="stretch",
)

assessment.subcommittee_list(ui.query("assessments", unit=None), ui.query("heatmap"), name, config.assessment_threshold)

st.markdown(f"#### {ui.t('tasks')}")
f1, f2, f3, f4 = st.columns([2, 2, 1.4, 2.6], vertical_alignment="bottom")
# Empty means all ("Tất cả"), so Streamlit's own "Select all" (in English only) is not offered.
units = f1.multiselect(
    ui.t("unit"), sorted(tasks["unit"].unique()), key="sub_units", placeholder=ui.t("all"), select_all=False
)
statuses = f2.multiselect(
    ui.t("status"),
    ui.statuses(tasks),
    format_func=ui.t,
    key="sub_status",
    placeholder=ui.t("all"),
    select_all=False,
)
overdue_only = f3.checkbox(ui.t("overdue_only"), key="sub_overdue")
search = f4.text_input(ui.t("search"), key="sub_search", placeholder=ui.t("search"), label_visibility="collapsed")
ui.task_table(board.filter_tasks(tasks, units, statuses, overdue_only, search), show_unit=True, key="sub_tasks")
