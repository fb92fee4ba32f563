"""Accounts in the app: the login box, the logged-in user, the login requirement."""

from __future__ import annotations

import streamlit as st

from .state import app_paths, lang, store, t


def accounts():
    from readiness.auth import Accounts, users_path

    db, _ = app_paths()
    return Accounts(users_path(db), [u.name for u in store().config.units])


def current_user():
    """The logged-in user of this browser session, or None."""
    return st.session_state.get("user")


def login_box() -> None:
    """In the sidebar: who is logged in, or a login form."""
    from readiness.auth import AuthError

    user = current_user()
    with st.sidebar:
        if user is not None:
            st.markdown(t("logged_in_as", user=user.username, role=t(f"role_{user.role}")))
            if st.button(t("logout"), key="logout"):
                st.session_state.pop("user", None)
                st.rerun()
            return
        with st.expander(t("login"), expanded=False), st.form("login_form", border=False):
            name = st.text_input(t("username"), key="login_name")
            password = st.text_input(t("password"), type="password", key="login_password")
            if st.form_submit_button(t("login")):
                try:
                    # Throttled per name and address (None on localhost, not a str under AppTest);
                    # every try is audited.
                    ip = st.context.ip_address
                    client = ip if isinstance(ip, str) else ""
                    st.session_state["user"] = accounts().login(name, password, client, audit=store().audit)
                    st.rerun()
                except AuthError as exc:
                    st.error(str(exc).split(" / ")[0 if lang() == "vi" else -1])


def require_login_if_configured() -> None:
    """With [access] require_login = true, nothing but the login form shows until one logs in."""
    if store().config.require_login and current_user() is None:
        st.warning(t("login_required"))
        st.stop()
