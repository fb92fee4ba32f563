"""Tài khoản: the secretariat adds accounts, resets passwords and removes accounts (audited)."""

import pandas as pd
import streamlit as st

import ui
from readiness.auth import ROLES, AuthError, Forbidden

store = ui.store()
config = store.config
ui.title_bar(config)
user = ui.current_user()
if user is None or not user.is_secretariat:
    st.info(ui.t("accounts_only_secretariat"))
    st.stop()

accounts = ui.accounts()
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


def act(action: str, target: str, do, detail: str | None = None) -> None:
    try:
        do()
    except (AuthError, Forbidden) as exc:
        st.error(str(exc).split(" / ")[0 if ui.lang() == "vi" else -1])
        return
    store.audit(user.username, action, target, detail)
    done = {"user_add": "accounts_added", "user_unlock": "accounts_unlocked"}.get(action, "accounts_done")
    st.success(ui.t(done, user=target))


st.markdown(f"#### {ui.t('accounts_add')}")
with st.form("add_account", clear_on_submit=True):
    c1, c2 = st.columns(2)
    name = c1.text_input(ui.t("username"), key="new_name")
    role = c2.selectbox(ui.t("accounts_role"), ROLES, index=1, format_func=lambda r: ui.t(f"role_{r}"), key="new_role")
    units = st.multiselect(
        ui.t("accounts_units"), [u.name for u in config.units], key="new_units", placeholder=ui.t("all")
    )
    password = st.text_input(ui.t("password"), type="password", key="new_password")
    if st.form_submit_button(ui.t("accounts_add")):
        act(
            "user_add",
            name,
            lambda: accounts.add(name, password, role, units, actor=user),
            f"{role} {', '.join(units)}",
        )

if people:
    st.markdown(f"#### {ui.t('accounts_reset')} · {ui.t('accounts_remove')}")
    who = st.selectbox(ui.t("accounts_pick"), [u.username for u in people], key="pick_account")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    new = c1.text_input(ui.t("accounts_new_password"), type="password", key="reset_password")
    if c2.button(ui.t("accounts_reset"), key="reset"):
        act("user_passwd", who, lambda: accounts.passwd(who, new, actor=user))
    if st.button(ui.t("accounts_unlock"), key="unlock"):
        act("user_unlock", who, lambda: accounts.unlock(who, actor=user))
    if who != user.username and st.button(ui.t("accounts_remove"), key="remove", type="secondary"):
        act("user_remove", who, lambda: accounts.remove(who, actor=user))
