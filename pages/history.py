"""Lịch sử gửi: every file ever received, newest first; the original bytes and error report; the
secretariat's withdrawal."""

import json

import streamlit as st

import ui
from readiness import i18n
from readiness.messages import Message
from ui import confirm, plan

lang = ui.lang()
store = ui.store()
config = store.config
ui.title_bar(config)


def submissions() -> None:
    """Every file received, filterable; one chosen with its bytes, messages and withdrawal."""
    subs = ui.query("submissions")
    if subs.empty:
        st.info(ui.t("no_submissions") + " " + ui.t("no_data"))
        return

    f1, f2 = st.columns(2)
    # Empty means all ("Tất cả"), so Streamlit's own "Select all" (in English only) is not offered.
    units = f1.multiselect(
        ui.t("filter_unit"),
        sorted(subs["unit"].dropna().unique()),
        key="hist_units",
        placeholder=ui.t("all"),
        select_all=False,
    )
    answers = f2.multiselect(
        ui.t("filter_answer"),
        ["accepted", "rejected", "duplicate"],
        format_func=ui.t,
        key="hist_answers",
        placeholder=ui.t("all"),
        select_all=False,
    )
    view = subs
    if units:
        view = view[view["unit"].isin(units)]
    if answers:
        view = view[view["status"].isin(answers)]
    ui.history_table(view, key="history")

    ids = view["id"].tolist()
    if not ids:
        return
    labels = {
        r.id: f"#{r.id} · {r.received_at:%H:%M %d/%m/%Y} · {r.unit or '?'} · {r.original_name}"
        for r in view.itertuples()
    }
    chosen = st.selectbox(ui.t("pick_submission"), ids, format_func=labels.get, key="hist_pick")
    sub = store.submission(chosen)
    name, status, w_at = sub["original_name"], sub["status"], sub["withdrawn_at"]
    errs = [Message.from_dict(d) for d in json.loads(sub["errors"] or "[]")]
    warns = [Message.from_dict(d) for d in json.loads(sub["warnings"] or "[]")]
    user = ui.current_user()
    sender = view.loc[view["id"] == chosen, "submitted_by"].iloc[0]
    # The original bytes, the marked copy of them and the cell-by-cell messages (values from the file)
    # go only to the secretariat, the unit's own senders and whoever sent the file.
    if user is not None and (user.may_upload_for(sub["unit"]) or (user.may_upload and user.username == sender)):
        data = store.original(sub["sha256"])
        c1, c2 = st.columns(2)
        if data is None:
            c1.caption(ui.t("original_not_kept"))
        else:
            c1.download_button(ui.t("download_original"), data=data, file_name=name, key="dl_original")
        if data is not None and (errs or warns):
            c2.download_button(
                ui.t("download_errors"),
                data=lambda: store.error_report(data, name, errs, warns, lang) or b"",
                file_name=f"Loi - {name.rsplit('.', 1)[0]}.xlsx",
                key="dl_errors",
            )
        if errs or warns:
            st.markdown(f"**{ui.t('messages_title')}**")
            ui.messages_table(errs, warns, key="history")
    elif sub["sha256"] or errs or warns:
        st.caption(ui.t("messages_login_needed" if errs or warns else "files_login_needed"))
    if w_at is not None:
        st.caption(
            ui.t(
                "withdraw_info",
                at=f"{w_at:%H:%M} {i18n.date(w_at.date())}",
                by=sub["withdrawn_by"] or "?",
                reason=sub["withdrawn_reason"],
            )
        )

    if user is not None and user.is_secretariat and status == "accepted" and w_at is None:
        st.markdown(f"#### {ui.t('withdraw_title')}")
        reason = st.text_input(ui.t("withdraw_reason"), key="withdraw_reason")
        if st.button(ui.t("withdraw_button"), key="withdraw", disabled=not reason.strip()):
            confirm.confirm(
                ui.t("withdraw_confirm_title"),
                ui.t("withdraw_confirm", id=chosen),
                ui.t("withdraw_confirm_button"),
                lambda: confirm.withdraw(chosen, user, reason, sub["unit"]),
                key="withdraw",
                detail=f"{labels[chosen]}\n{ui.t('withdraw_reason_shown', reason=reason.strip())}",
            )
    confirm.flash("withdraw")


submissions()
plans = ui.query("plans")
if not plans.empty:
    st.markdown(f"#### {ui.t('plan_loads_title')}")
    plan.loads_table(plans, key="plan_loads")
