"""Tình trạng hệ thống: the inbox worker, the last ingest, queued files, the data version."""

import streamlit as st

import ui
from readiness import i18n

store = ui.store()
ui.title_bar(store.config)
w = ui.worker()
db, _ = ui.app_paths()
st.caption(ui.t("health_db", path=db))
if w is None:
    st.warning(ui.t("health_stopped"))
else:
    state = w.state
    st.markdown(f"#### {ui.t('health_worker', path=w.root)}")
    running = state.running and w._thread is not None and w._thread.is_alive()
    since = f"{state.started_at:%H:%M:%S %d/%m/%Y}" if state.started_at else "–"
    (st.success if running else st.error)(ui.t("health_running", since=since) if running else ui.t("health_stopped"))
    c = st.columns(4)
    c[0].metric(ui.t("health_processed"), state.processed, border=True)
    c[1].metric(ui.t("health_queued"), len(state.queued), border=True)
    c[2].metric(ui.t("health_failures"), state.failures, border=True)
    c[3].metric(ui.t("health_version"), ui.data_version(), border=True)
    if state.last:
        st.caption(
            ui.t(
                "health_last",
                file=state.last["file"],
                status=ui.t(state.last["status"]),
                at=f"{state.last['at']:%H:%M:%S} {i18n.date(state.last['at'].date())}",
            )
        )
    if state.queued:
        st.code("\n".join(state.queued))
    if state.last_error:
        st.error(state.last_error)
