"""Accounts in the app: the login box, the logged-in user, the login requirement, and the session
cookie that keeps a login through reloads and bookmarks for SESSION_HOURS.

The script cannot set a cookie itself (it talks to the browser over the WebSocket), so after a login
it hands the page a signed one-time grant, and a tiny script on the page posts it to the app's own route
(SESSION_PATH, mounted in app.py), which answers with the HttpOnly, SameSite=Strict cookie. A new
session reads the cookie from its first request (st.context.cookies) and checks its signature, expiry
and the account's session version; every run after that checks the expiry and version again, so a
password change or a removed account ends open sessions too."""

from __future__ import annotations

import datetime as dt
import json
import time

import streamlit as st

from readiness import i18n
from readiness.auth import SESSION_COOKIE, issue_grant, session_secret, take_grant, users_path

from .state import app_paths, lang, store, t

SESSION_PATH = "/api/session"
_SESSION = "session"  # session_state: {"version", "expires"} of the logged-in user
_SIGNED_OUT = "signed_out"  # this browser session logged out: the cookie it started with no longer counts
_PENDING = "session_grant"  # a grant the page has yet to post


def _secret() -> bytes:
    """The key that signs session cookies and grants: session.key beside the database."""
    db, _ = app_paths()  # not store(): the route has no script run to stop
    return session_secret(users_path(db).parent)


def accounts():
    from readiness.auth import Accounts

    db, _ = app_paths()
    return Accounts(users_path(db), [u.name for u in store().config.units])


def current_user():
    """The logged-in user of this browser session, or None."""
    return st.session_state.get("user")


def _start(user, version_and_expiry: tuple[str, float] | None = None) -> None:
    """Log this browser session in as `user`; with no cookie yet, issue one and the grant to set it."""
    if version_and_expiry is None:
        _, version, expires = accounts().session_cookie(user.username)
        st.session_state[_PENDING] = issue_grant(_secret(), "login", user.username, version, expires)
    else:
        version, expires = version_and_expiry
    st.session_state["user"] = user
    st.session_state[_SESSION] = {"version": version, "expires": expires}
    st.session_state.pop(_SIGNED_OUT, None)


def _end(reason: str | None = None) -> None:
    """Log out this browser session and have the page clear its cookie."""
    for key in ("user", _SESSION):
        st.session_state.pop(key, None)
    st.session_state[_SIGNED_OUT] = True
    st.session_state[_PENDING] = issue_grant(_secret(), "logout")
    if reason:
        st.session_state["session_ended"] = reason


def renew_session() -> None:
    """A fresh cookie for the logged-in user (after changing their own password, which ends the others)."""
    user = current_user()
    if user is not None:
        _start(user)


def _resume() -> None:
    """Check the running login (expiry, version), or start one from the cookie the browser sent."""
    user, session = current_user(), st.session_state.get(_SESSION)
    if user is not None:
        if session is None:  # logged in by a test harness or older code: no cookie to check
            return
        if time.time() >= session["expires"] or not accounts().session_current(user.username, session["version"]):
            _end(t("session_expired"))
        return
    if st.session_state.get(_SIGNED_OUT):
        return
    cookie = st.context.cookies.get(SESSION_COOKIE)
    resumed = accounts().resume(cookie) if cookie else None
    if resumed is None:
        if cookie:  # expired, tampered with or outdated: have the page drop it
            st.session_state[_SIGNED_OUT] = True
            st.session_state[_PENDING] = issue_grant(_secret(), "logout")
        return
    user, version, expires = resumed
    _start(user, (version, expires))
    store().audit(user.username, "login_resumed", None, _client() or None)


def _post_grant() -> None:
    """Have the page post its pending grant to the session route (the cookie is set or cleared there)."""
    grant = st.session_state.pop(_PENDING, None)
    if grant is None:
        return
    body = json.dumps({"grant": grant})
    st.html(
        f"""<script>
fetch({json.dumps(SESSION_PATH)}, {{method: "POST", credentials: "same-origin", cache: "no-store",
  headers: {{"Content-Type": "application/json"}}, body: {json.dumps(body)}}});
</script>""",
        unsafe_allow_javascript=True,
        width="content",
    )


def _client() -> str:
    # None on localhost, not a str under AppTest.
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else ""


def login_box() -> None:
    """In the sidebar: who is logged in and until when, or a login form."""
    from readiness.auth import AuthError

    _resume()
    with st.sidebar:
        _post_grant()
        user = current_user()
        if user is not None:
            st.markdown(t("logged_in_as", user=user.username, role=t(f"role_{user.role}")))
            session = st.session_state.get(_SESSION)
            if session:
                until = dt.datetime.fromtimestamp(session["expires"], dt.UTC).astimezone(_zone())
                st.caption(t("session_until", time=f"{until:%H:%M}", date=i18n.date(until.date())))
            if st.button(t("logout"), key="logout"):
                _end()
                st.rerun()
            return
        ended = st.session_state.pop("session_ended", None)
        if ended:
            st.info(ended)
        with st.expander(t("login"), expanded=bool(ended)), st.form("login_form", border=False):
            name = st.text_input(t("username"), key="login_name")
            password = st.text_input(t("password"), type="password", key="login_password")
            if st.form_submit_button(t("login")):
                try:
                    # Throttled per name and address; every try is audited.
                    user = accounts().login(name, password, _client(), audit=store().audit)
                except AuthError as exc:
                    st.error(i18n.error_text(exc, lang()))
                else:
                    _start(user)
                    st.rerun()


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(store().config.timezone)


def require_login_if_configured() -> None:
    """With [access] require_login = true, nothing but the login form shows until one logs in."""
    if store().config.require_login and current_user() is None:
        st.warning(t("login_required"))
        st.stop()


async def session_endpoint(request):
    """POST SESSION_PATH {"grant": …}: set or clear the session cookie a one-time grant names.

    Only the page that logged in (or out) holds its grant, so another site cannot forge the request
    (nor log a browser in as someone else); the route also wants the page's own origin and a JSON body,
    which a cross-site form cannot send without a preflight that this route never answers."""
    from starlette.responses import JSONResponse, Response

    origin = request.headers.get("origin")
    if origin != f"{request.url.scheme}://{request.headers.get('host')}":
        return JSONResponse({"error": "origin"}, status_code=403)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return JSONResponse({"error": "content type"}, status_code=415)
    body = await request.body()
    try:
        grant = json.loads(body)["grant"] if len(body) <= 1024 else None
    except (ValueError, KeyError, TypeError):
        grant = None
    taken = take_grant(_secret(), grant)
    if taken is None:
        return JSONResponse({"error": "grant"}, status_code=403)
    action, cookie, expires = taken
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    secure = request.url.scheme == "https"
    if action == "login":
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            max_age=max(0, int(expires - time.time())),
            path="/",
            secure=secure,
            httponly=True,
            samesite="strict",
        )
    else:
        response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="strict")
    return response
