"""A second step before an action that cannot be taken back (withdrawing a report, removing an
account), and the success message that outlives the rerun the action needs."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from readiness import i18n
from readiness.auth import AuthError

from .state import lang, query, store, t

_FLASH = "_flash"


def confirm(
    title: str, question: str, confirm_label: str, action: Callable[[], str], key: str, detail: str = ""
) -> None:
    """Open a dialog asking `question` (catalog Markdown) about `detail` (plain text: names typed by
    people are never read as Markdown); on confirm run `action`, whose returned text `flash(key)` then
    shows as a success. A refusal the action raises (Vietnamese / English) shows in the dialog, which
    stays open. Call it in the run where the button asking for the action was pressed."""

    @st.dialog(title)
    def dialog() -> None:
        st.markdown(question)
        if detail:
            st.text(detail)
        yes, no = st.columns(2)
        if no.button(t("confirm_cancel"), key=f"{key}_cancel", width="stretch"):
            st.rerun()
        if yes.button(confirm_label, key=f"{key}_confirm", type="primary", width="stretch"):
            try:
                done = action()
            except (AuthError, ValueError, PermissionError) as exc:  # the core's refusals
                st.error(i18n.error_text(exc, lang()))
                return
            st.session_state[f"{_FLASH}_{key}"] = done
            st.rerun()

    dialog()


def flash(key: str) -> None:
    """The success message an action under `key` left for this run, shown once."""
    done = st.session_state.pop(f"{_FLASH}_{key}", None)
    if done:
        st.success(done, icon=":material/check_circle:")


def withdraw(submission_id: int, user, reason: str, unit: str | None) -> str:
    """Withdraw a submission (the store checks the role and the reason) and say which report of the
    unit counts now, if any: an action for `confirm`."""
    store().withdraw(submission_id, user, reason)
    files = query("unit_submissions", unit=unit) if unit else None
    counting = files[files["current"].fillna(False).astype(bool)] if files is not None else None
    if counting is None or counting.empty:
        return t("withdraw_done_none", id=submission_id, unit=unit or "?")
    row = counting.iloc[0]
    return t(
        "withdraw_done_counts",
        id=submission_id,
        unit=unit,
        date=i18n.date(row["report_date"].date()),
        current=int(row["id"]),
    )
