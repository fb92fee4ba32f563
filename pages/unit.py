"""Đơn vị: one unit's latest tasks, readiness per subcommittee beside its own assessment, report history
and what changed."""

import pandas as pd
import streamlit as st

import ui
from readiness import i18n
from ui import assessment, plan

lang = ui.lang()
store = ui.store()
config = store.config

ui.title_bar(config)
units = [u.name for u in config.units]
reported = set(ui.query("heatmap")["unit"])
first = next((i for i, u in enumerate(units) if u in reported), 0)  # open on a unit that has data
unit = st.selectbox(ui.t("pick_unit"), units, index=first, key="unit")
history = ui.query("unit_submissions", unit=unit)
tasks = ui.query("tasks", unit=unit, subcommittee=None)
extras = ui.query("extra_tasks", unit=unit, subcommittee=None)
if tasks.empty:
    st.info(ui.t("unit_none"))
else:
    cells = ui.query("heatmap")
    mine = cells[cells["unit"] == unit]
    st.markdown(f"#### {ui.t('unit_by_sub')}")
    for col, row in zip(st.columns(max(1, len(mine))), mine.itertuples(), strict=False):
        col.metric(
            i18n.sub_name(row.subcommittee_short, lang, config),
            i18n.percent(row.readiness, lang, 0),
            delta=f"{ui.t('overdue')}: {row.overdue}" if row.overdue else None,
            delta_color="inverse",
            delta_arrow="off",
            delta_description=plan.cell_note(row),
            border=True,
            height="stretch",
        )
    latest = tasks["report_date"].max()
    assessment.unit_block(
        ui.query("assessments", unit=unit), None if pd.isna(latest) else latest, config.assessment_threshold, config
    )
    reported = tasks[tasks["status"] != "not_reported"]
    if pd.isna(latest):  # planned tasks only: the unit has sent no report yet
        st.warning(ui.t("unit_never_reported_plan"))
    elif not reported.empty:
        st.markdown(f"#### {ui.t('unit_latest', date=i18n.date(latest.date()))}")
        ui.task_table(reported, show_unit=False, key="unit_tasks")
    plan.unit_sections(tasks, extras, key="unit")

st.markdown(f"#### {ui.t('unit_history')}")
if history.empty:
    st.caption(ui.t("unit_none"))
else:
    ui.submissions_table(history, key="unit_history")

accepted = history[(history["status"] == "accepted") & history["withdrawn_at"].isna()]
if accepted.empty:
    st.stop()
st.markdown(f"#### {ui.t('unit_diff')}")
if len(accepted) < 2:
    st.caption(ui.t("unit_one_report"))
else:
    options = accepted["id"].tolist()
    label = {r.id: f"{i18n.date(r.report_date.date())} · #{r.id} · {r.original_name}" for r in accepted.itertuples()}
    c1, c2 = st.columns(2)
    old = c1.selectbox(ui.t("older"), options, index=1, format_func=label.get, key="diff_old")
    new = c2.selectbox(ui.t("newer"), options, index=0, format_func=label.get, key="diff_new")
    diff = ui.query("report_diff", old=old, new=new)
    if diff.empty:
        st.caption(ui.t("no_changes"))
    else:
        ui.diff_table(diff, key="diff")
