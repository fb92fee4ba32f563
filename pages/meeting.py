"""Họp giao ban: what changed since the last meeting (or a day picked), the forecast to D-day at each
unit's pace, who to chase with a message ready to send, and the meeting brief (PDF, DOCX, XLSX). The
chase list (contacts, phones) and the brief are the secretariat's."""

import streamlit as st

import ui
from ui import meeting as view
from ui import overview

store = ui.store()
config = store.config
today = ui.today()
overview.phone_layout()  # the figures two by two on a phone

ui.title_bar(config)
since = view.since_picker(config, today)
view.compare_line(config, today, since)
if ui.query("heatmap").empty:
    st.info(ui.t("no_data"))
    st.stop()

changes = ui.query("since", since=since)
forecast = ui.query("forecast")
chase = ui.query("chase")
view.figures(since, changes, forecast, chase)

user = ui.current_user()
secretariat = user is not None and user.is_secretariat
# Labels that do not change with the figures, so a new report arriving keeps the tab one is on.
tab_since, tab_forecast, tab_chase, tab_brief = st.tabs(
    [ui.t("tab_since"), ui.t("tab_forecast"), ui.t("tab_chase"), ui.t("tab_brief")], key="meet_tabs"
)
with tab_since:
    view.since_list(changes, since, config)
with tab_forecast:
    view.forecast_section(forecast, config)
with tab_chase:
    if secretariat:
        view.chase_section(chase, config, today)
    else:
        st.info(ui.t("meet_secretariat_only"))
with tab_brief:
    if secretariat:
        view.brief_section(store, today, since)
    else:
        st.info(ui.t("meet_secretariat_only"))
