"""Tài khoản: the secretariat adds accounts, resets passwords, unlocks and removes accounts, and issues
and revokes the JSON API's tokens (all audited).

Every change runs as the button's callback, before the page is drawn, so the table already shows it;
a refused change keeps what was typed, a done one clears the fields."""

import pandas as pd
import streamlit as st

import ui
from readiness import i18n
from readiness.auth import ROLES, AuthError, Forbidden
from readiness.tokens import TokenError, Tokens, tokens_path
from ui import confirm, copy, login

store = ui.store()
config = store.config
ui.title_bar(config)
user = ui.current_user()
if user is None or not user.is_secretariat:
    st.info(ui.t("accounts_only_secretariat"))
    st.stop()

accounts = ui.accounts()
_MESSAGE = "accounts_message"


def act(section: str, action: str, target: str, do, done: str, detail: str | None = None) -> bool:
    """Run one account change; audit it. Its success or refusal is kept for `section` to show."""
    try:
        do()
    except (AuthError, Forbidden) as exc:
        st.session_state[_MESSAGE] = (section, "error", i18n.error_text(exc, ui.lang()))
        return False
    store.audit(user.username, action, target, detail)
    st.session_state[_MESSAGE] = (section, "success", ui.t(done, user=target))
    return True


def message(section: str) -> None:
    kept = st.session_state.get(_MESSAGE)
    if kept and kept[0] == section:
        st.session_state.pop(_MESSAGE)
        (st.error if kept[1] == "error" else st.success)(kept[2])


def add() -> None:
    s = st.session_state
    name, role, units, password = s["new_name"].strip(), s["new_role"], s["new_units"], s["new_password"]
    if act(
        "add",
        "user_add",
        name,
        lambda: accounts.add(name, password, role, units, actor=user),
        "accounts_added",
        f"{role} {', '.join(units)}",
    ):
        s["new_name"], s["new_units"], s["new_password"] = "", [], ""


def reset() -> None:
    s = st.session_state
    who, password = s["pick_account"], s["reset_password"]
    if act("change", "user_passwd", who, lambda: accounts.passwd(who, password, actor=user), "accounts_password_reset"):
        s["reset_password"] = ""
        if who == user.username:
            login.renew_session()  # a new password ends older sessions, not the one that set it


def unlock() -> None:
    who = st.session_state["pick_account"]
    act("change", "user_unlock", who, lambda: accounts.unlock(who, actor=user), "accounts_unlocked")


def remove(who: str) -> str:
    accounts.remove(who, actor=user)
    store.audit(user.username, "user_remove", who, None)
    return ui.t("accounts_removed", user=who)


people = accounts.list()
held = accounts.locked_until()
st.dataframe(
    pd.DataFrame(
        [
            {
                ui.t("username"): u.username,
                ui.t("accounts_role"): ui.t(f"role_{u.role}"),
                ui.t("accounts_units"): ", ".join(u.units),
                ui.t("accounts_locked_until"): held[u.username].strftime("%H:%M:%S") if u.username in held else "",
            }
            for u in people
        ]
    ),
    hide_index=True,
    width="stretch",
    key="accounts_table",
)
confirm.flash("remove_account")

st.markdown(f"#### {ui.t('accounts_add')}")
with st.form("add_account"):
    c1, c2 = st.columns(2)
    c1.text_input(ui.t("username"), key="new_name")
    c2.selectbox(ui.t("accounts_role"), ROLES, index=1, format_func=lambda r: ui.t(f"role_{r}"), key="new_role")
    st.multiselect(
        ui.t("accounts_units"),
        [u.name for u in config.units],
        key="new_units",
        placeholder=ui.t("accounts_units_placeholder"),
        help=ui.t("accounts_units_help"),
        select_all=ui.lang() == "en",  # Streamlit writes "Select all" in English only
    )
    st.text_input(ui.t("password"), type="password", key="new_password")
    st.form_submit_button(ui.t("accounts_add"), on_click=add)
message("add")

if people:
    st.markdown(f"#### {ui.t('accounts_reset')} · {ui.t('accounts_remove')}")
    who = st.selectbox(ui.t("accounts_pick"), [u.username for u in people], key="pick_account")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.text_input(ui.t("accounts_new_password"), type="password", key="reset_password")
    c2.button(ui.t("accounts_reset"), key="reset", on_click=reset, width="stretch")
    c3, c4 = st.columns(2)
    c3.button(ui.t("accounts_unlock"), key="unlock", on_click=unlock)
    if who != user.username and c4.button(ui.t("accounts_remove"), key="remove", type="secondary"):
        confirm.confirm(
            ui.t("accounts_remove_confirm_title"),
            ui.t("accounts_remove_confirm"),
            ui.t("accounts_remove"),
            lambda: remove(who),
            key="remove_account",
            detail=who,
        )
    message("change")

# ---------------------------------------------------------------- API tokens (readiness.tokens)
st.markdown(f"#### {ui.t('tokens_title')}")
st.caption(ui.t("tokens_help"))
tokens = Tokens(tokens_path(store.path))
_NEW_TOKEN = "token_new"  # (id, name, token) of the token just issued: shown in one run, then gone


def issue_token() -> None:
    s = st.session_state
    try:
        record, token = tokens.issue(s["token_name"], by=user.username, actor=user)
    except (TokenError, Forbidden) as exc:
        s[_MESSAGE] = ("tokens", "error", i18n.error_text(exc, ui.lang()))
        return
    store.audit(user.username, "token_issue", record.label, None)
    s["token_name"] = ""
    s[_NEW_TOKEN] = (record.id, record.name, token)


def revoke_token(token_id: int) -> str:
    record = tokens.revoke(token_id, by=user.username, actor=user)
    store.audit(user.username, "token_revoke", record.label, None)
    return ui.t("tokens_revoked", id=record.id, name=record.name)


with st.form("issue_token"):
    st.text_input(ui.t("tokens_name"), key="token_name", max_chars=100)
    st.form_submit_button(ui.t("tokens_issue"), on_click=issue_token)
message("tokens")
fresh = st.session_state.pop(_NEW_TOKEN, None)
if fresh:
    token_id, name, token = fresh
    st.success(ui.t("tokens_issued", id=token_id, name=name), icon=":material/key:")
    st.code(token, language=None, wrap_lines=True)
    copy.copy_button(token, key=f"copy_token_{token_id}", label=ui.t("tokens_copy"))

issued = tokens.all()
confirm.flash("revoke_token")
if not issued:
    st.caption(ui.t("tokens_none"))
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    ui.t("tokens_id"): t.id,
                    ui.t("tokens_name"): t.name,
                    ui.t("tokens_created"): t.created_at[:16].replace("T", " "),
                    ui.t("tokens_by"): t.created_by or "",
                    ui.t("tokens_state"): ui.t("tokens_active")
                    if t.active
                    else ui.t("tokens_revoked_at", at=(t.revoked_at or "")[:16].replace("T", " ")),
                }
                for t in issued
            ]
        ),
        hide_index=True,
        width="stretch",
        key="tokens_table",
    )
    active = {t.id: t.label for t in issued if t.active}
    if active:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        pick = c1.selectbox(ui.t("tokens_pick"), list(active), format_func=active.get, key="pick_token")
        if c2.button(ui.t("tokens_revoke"), key="revoke_token_button", width="stretch"):
            confirm.confirm(
                ui.t("tokens_revoke_confirm_title"),
                ui.t("tokens_revoke_confirm"),
                ui.t("tokens_revoke"),
                lambda: revoke_token(pick),
                key="revoke_token",
                detail=active[pick],
            )
