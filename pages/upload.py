"""Gửi báo cáo: the unit's template, then its files: each checked, shown against the unit's current
report, and stored on confirmation (or at once, for the secretariat's batch loads)."""

import datetime as dt

import streamlit as st

import ui
from readiness import i18n
from readiness.store import Incoming
from readiness.template import build_template

lang = ui.lang()
store = ui.store()
config = store.config
ui.title_bar(config)
user = ui.current_user()
if user is None:
    st.info(ui.t("login_needed_upload"))
    if not ui.accounts().list():
        st.caption(ui.t("no_accounts"))
    st.stop()
if not user.may_upload:
    st.warning(ui.t("not_allowed_upload"))
    st.stop()

my_units = [u.name for u in config.units] if user.is_secretariat else list(user.units)

st.markdown(f"#### {ui.t('template_title')}")
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
t_unit = c1.selectbox(ui.t("unit"), my_units, key="template_unit", help=ui.t("template_help"))
c2.download_button(
    ui.t("template_button"),
    data=lambda: build_template(
        config, t_unit, ui.query("tasks", unit=t_unit, subcommittee=None), ui.today(), config.issuer
    ),
    file_name=f"Mau bao cao - {t_unit}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_download",
)

st.markdown(f"#### {ui.t('upload_title')}")
batch = user.is_secretariat and st.toggle(ui.t("batch_mode"), key="batch_mode")
files = st.file_uploader(
    ui.t("upload_help"), type=["xlsx", "xlsm", "xls", "ods", "csv"], accept_multiple_files=True, key="uploads"
)
done: dict = st.session_state.setdefault("stored_uploads", {})


def show_stored(name: str, outcome) -> None:
    if outcome.status == "accepted":
        st.success(ui.t("answer_stored", file=name, unit=outcome.unit, tasks=outcome.tasks))
    elif outcome.status == "duplicate":
        st.info(ui.t("answer_duplicate", file=name, id=outcome.duplicate_of))
    else:
        st.error(ui.t("answer_rejected", file=name, n=len(outcome.errors)))
        ui.messages_table(outcome.errors, key=f"stored_err_{name}")


def store_file(upload, unit_hint) -> None:
    (outcome,) = store.ingest_many(
        [Incoming(upload.getvalue(), upload.name, source="upload", unit_hint=unit_hint)], user=user
    )
    done[upload.file_id] = outcome


for upload in files or []:
    fid = upload.file_id
    with st.container(border=True):
        if fid in done:
            show_stored(upload.name, done[fid])
            continue
        hint = st.session_state.get(f"unit_{fid}")
        with st.status(ui.t("checking", file=upload.name), expanded=True) as status:
            if batch:
                store_file(upload, hint)
                status.update(label=upload.name, state="complete")
                show_stored(upload.name, done[fid])
                continue
            report, duplicate_of, diff = store.preview(upload.getvalue(), upload.name, hint, user)
            if duplicate_of:
                status.update(label=upload.name, state="complete")
                st.info(ui.t("answer_duplicate", file=upload.name, id=duplicate_of))
                continue
            if [m.code for m in report.errors] == ["unit_missing"]:
                status.update(label=upload.name, state="error")
                st.selectbox(ui.t("choose_unit"), my_units, index=None, key=f"unit_{fid}")
                continue
            if not report.accepted:
                status.update(label=ui.t("answer_rejected", file=upload.name, n=len(report.errors)), state="error")
                st.error(ui.t("answer_rejected", file=upload.name, n=len(report.errors)))
                st.markdown(f"**{ui.t('error_table')}**")
                ui.messages_table(report.errors, key=f"err_{fid}")
                st.download_button(
                    ui.t("download_errors"),
                    data=store.error_report(upload.getvalue(), upload.name, report.errors, report.warnings, lang)
                    or b"",
                    file_name=f"Loi - {upload.name.rsplit('.', 1)[0]}.xlsx",
                    key=f"errdl_{fid}",
                )
                continue
            status.update(label=upload.name, state="complete")
            when = i18n.date(report.report_date or dt.date.today())
            st.success(ui.t("answer_ok", file=upload.name, unit=report.unit, date=when, tasks=len(report.tasks)))
            if report.warnings:
                st.markdown(f"**{ui.t('warning_table')}**")
                ui.messages_table(report.warnings, key=f"warn_{fid}")
            st.markdown(f"**{ui.t('changes_title')}**")
            current = ui.query("tasks", unit=report.unit, subcommittee=None)
            if current.empty:
                st.caption(ui.t("first_report"))
            elif diff is None or diff.empty:
                st.caption(ui.t("no_changes"))
            else:
                ui.diff_table(diff, key=f"diff_{fid}")
            if st.button(ui.t("confirm"), key=f"confirm_{fid}", type="primary"):
                store_file(upload, hint)
                st.rerun()
