"""Gửi báo cáo: the unit's template, then its files: each checked, shown against the unit's current
report, and stored on confirmation (or at once, for the secretariat's batch loads). Every answer
stays open and is named by what happens next; a rejected file is stored at once, with its errors."""

import datetime as dt

import streamlit as st

import ui
from readiness import i18n, template
from readiness.store import Incoming
from ui import plan
from ui.tables import literal
from ui.uploader import uploader_texts

TYPES = plan.TYPES

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
# The exercise's limit, never above the server's (which refuses a larger file while it streams).
limit_mb = min(config.max_upload_mb, st.get_option("server.maxUploadSize"))

st.markdown(f"#### {ui.t('template_title')}")
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
t_unit = c1.selectbox(ui.t("unit"), my_units, key="template_unit", help=ui.t("template_help"))
report_day = ui.today()
c2.download_button(
    ui.t("template_button"),
    data=lambda: template.for_unit(store, t_unit, report_day),  # the plan's tasks for the unit, if it has any
    file_name=f"Mau bao cao - {t_unit}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_download",
)
unit_tasks = ui.query("tasks", unit=t_unit, subcommittee=None)
planned = int(unit_tasks["plan_state"].notna().sum()) if "plan_state" in unit_tasks else 0
if planned:
    st.caption(ui.t("template_planned", n=planned, unit=t_unit))


st.markdown(f"#### {ui.t('upload_title')}")
batch = user.is_secretariat and st.toggle(ui.t("batch_mode"), key="batch_mode")
uploader_texts("uploads")
files = st.file_uploader(
    ui.t("upload_help"), type=TYPES, accept_multiple_files=True, key="uploads", max_upload_size=limit_mb
)
st.caption(ui.t("upload_limits", mb=limit_mb, types=", ".join(f".{x}" for x in TYPES)))
# file id -> the stored answer: a rerun shows it again and never stores the file twice.
done: dict = st.session_state.setdefault("stored_uploads", {})


def store_file(upload, unit_hint) -> bool:
    """Store one file; False (with the reason shown) when a replica's writer did not take it."""
    try:
        (outcome,) = store.ingest_many(
            [Incoming(upload.getvalue(), upload.name, source="upload", unit_hint=unit_hint)], user=user
        )
    except PermissionError as exc:  # a replica whose writer did not answer: nothing stored, try again
        st.error(str(exc), icon=":material/cloud_off:")
        return False
    done[upload.file_id] = outcome
    return True


def board_line(outcome) -> tuple[bool, str]:
    """Whether the stored file is now the unit's current report, and the sentence that says so or why not."""
    current = ui.query("unit_current_report", unit=outcome.unit)
    if current.empty:
        return False, ui.t("board_no_current")
    row = current.iloc[0]
    if row["id"] == outcome.submission_id:
        return True, ui.t("board_updated")
    at = row["received_at"]
    return False, ui.t(
        "board_not_updated",
        date=i18n.date(row["report_date"].date()),
        id=int(row["id"]),
        at=f"{at:%H:%M} {i18n.date(at.date())}",
    )


def show_messages(upload, errors, warnings) -> None:
    """Errors and warnings with their cells, and the file with those cells marked."""
    if not (errors or warnings):
        return
    st.markdown(f"**{ui.t('messages_title')}**")
    ui.messages_table(errors, warnings, key=upload.file_id)
    st.download_button(
        ui.t("download_errors"),
        data=lambda: store.error_report(upload.getvalue(), upload.name, errors, warnings, lang) or b"",
        file_name=f"Loi - {upload.name.rsplit('.', 1)[0]}.xlsx",
        key=f"errdl_{upload.file_id}",
    )


def show_stored(upload, outcome) -> None:
    name = literal(upload.name)
    if outcome.status == "accepted":
        current, line = board_line(outcome)
        sent = ui.t(
            "answer_sent",
            file=name,
            id=outcome.submission_id,
            unit=outcome.unit,
            date=i18n.date(outcome.report_date),
            tasks=outcome.tasks,
        )
        if current:
            st.success(f"**{ui.t('head_sent')}** — {sent}  \n{line}", icon=":material/check_circle:")
        else:
            st.success(f"**{ui.t('head_sent')}** — {sent}", icon=":material/check_circle:")
            st.warning(line, icon=":material/info:")
        show_messages(upload, [], outcome.warnings)
    elif outcome.status == "duplicate":
        st.info(
            f"**{ui.t('head_duplicate', id=outcome.duplicate_of)}** — "
            + ui.t("answer_duplicate", file=name, id=outcome.duplicate_of),
            icon=":material/content_copy:",
        )
    else:
        st.error(
            f"**{ui.t('head_rejected')}** — {ui.t('answer_rejected', file=name, n=len(outcome.errors))}  \n"
            + ui.t("rejected_kept", id=outcome.submission_id),
            icon=":material/block:",
        )
        show_messages(upload, outcome.errors, outcome.warnings)


def answer(upload) -> None:
    """One file's answer, open: stored, waiting for the sender's confirmation, or asking for its unit."""
    fid = upload.file_id
    if fid in done:
        show_stored(upload, done[fid])
        return
    hint = st.session_state.get(f"unit_{fid}")
    name = literal(upload.name)
    if batch:
        with st.spinner(ui.t("checking", file=name)):
            stored = store_file(upload, hint)
        if stored:
            show_stored(upload, done[fid])
        return
    with st.spinner(ui.t("checking", file=name)):
        report, duplicate_of, diff = store.preview(upload.getvalue(), upload.name, hint, user)
    if duplicate_of:
        st.info(
            f"**{ui.t('head_duplicate', id=duplicate_of)}** — " + ui.t("answer_duplicate", file=name, id=duplicate_of),
            icon=":material/content_copy:",
        )
        return
    if [m.code for m in report.errors] == ["unit_missing"]:
        st.warning(f"**{ui.t('head_choose_unit')}** — {name}", icon=":material/help:")
        st.selectbox(ui.t("choose_unit"), my_units, index=None, key=f"unit_{fid}")
        return
    if not report.accepted:
        # Every file a unit sends is kept with its error report: stored now, once (done[fid]).
        with st.spinner(ui.t("checking", file=name)):
            stored = store_file(upload, hint)
        if stored:
            show_stored(upload, done[fid])
        return
    when = i18n.date(report.report_date or dt.date.today())
    st.warning(
        f"**{ui.t('head_waiting')}** — "
        + ui.t("answer_ok", file=name, unit=report.unit, date=when, tasks=len(report.tasks))
        + "  \n"
        + ui.t("answer_waiting"),
        icon=":material/hourglass_top:",
    )
    if st.button(ui.t("confirm"), key=f"confirm_{fid}", type="primary") and store_file(upload, hint):
        st.rerun()
    show_messages(upload, [], report.warnings)
    st.markdown(f"**{ui.t('changes_title')}**")
    if ui.query("tasks", unit=report.unit, subcommittee=None).empty:
        st.caption(ui.t("first_report"))
    elif diff is None or diff.empty:
        st.caption(ui.t("no_changes"))
    else:
        ui.diff_table(diff, key=f"diff_{fid}")


for upload in files or []:
    with st.container(border=True):
        answer(upload)

if user.is_secretariat:
    st.divider()
    plan.section(user, limit_mb)
