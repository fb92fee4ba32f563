"""Lịch sử gửi: every file ever received, newest first; the original bytes and error report; the
secretariat's withdrawal."""

import json

import streamlit as st

import ui
from readiness import i18n
from readiness.error_report import build_error_report
from readiness.messages import Message

lang = ui.lang()
store = ui.store()
config = store.config
ui.title_bar(config)
subs = ui.query("submissions")
if subs.empty:
    st.info(ui.t("no_submissions") + " " + ui.t("no_data"))
    st.stop()

f1, f2 = st.columns(2)
units = f1.multiselect(
    ui.t("filter_unit"), sorted(subs["unit"].dropna().unique()), key="hist_units", placeholder=ui.t("all")
)
answers = f2.multiselect(
    ui.t("filter_answer"),
    ["accepted", "rejected", "duplicate"],
    format_func=ui.t,
    key="hist_answers",
    placeholder=ui.t("all"),
)
view = subs
if units:
    view = view[view["unit"].isin(units)]
if answers:
    view = view[view["status"].isin(answers)]
ui.history_table(view, key="history")

ids = view["id"].tolist()
if not ids:
    st.stop()
labels = {
    r.id: f"#{r.id} · {r.received_at:%H:%M %d/%m/%Y} · {r.unit or '?'} · {r.original_name}" for r in view.itertuples()
}
chosen = st.selectbox(ui.t("pick_submission"), ids, format_func=labels.get, key="hist_pick")
row = (
    store.con.cursor()
    .execute(
        "SELECT sha256, original_name, status, errors, warnings, withdrawn_at, withdrawn_by, withdrawn_reason "
        "FROM submissions WHERE id = ?",
        [chosen],
    )
    .fetchone()
)
digest, name, status, errors, warnings, w_at, w_by, w_reason = row
data = store.archive.get(digest)
c1, c2 = st.columns(2)
c1.download_button(ui.t("download_original"), data=data, file_name=name, key="dl_original")
errs = [Message.from_dict(d) for d in json.loads(errors or "[]")]
warns = [Message.from_dict(d) for d in json.loads(warnings or "[]")]
if errs or warns:
    c2.download_button(
        ui.t("download_errors"),
        data=build_error_report(data, name, errs, warns, lang),
        file_name=f"Loi - {name.rsplit('.', 1)[0]}.xlsx",
        key="dl_errors",
    )
    ui.messages_table(errs + warns, key="hist_messages")
if w_at is not None:
    st.caption(ui.t("withdraw_info", at=f"{w_at:%H:%M} {i18n.date(w_at.date())}", by=w_by or "?", reason=w_reason))

user = ui.current_user()
if user is not None and user.is_secretariat and status == "accepted" and w_at is None:
    st.markdown(f"#### {ui.t('withdraw_title')}")
    reason = st.text_input(ui.t("withdraw_reason"), key="withdraw_reason")
    if st.button(ui.t("withdraw_button"), key="withdraw", disabled=not reason.strip()):
        store.withdraw(chosen, user, reason)
        st.success(ui.t("withdraw_done", id=chosen))
        st.rerun()
