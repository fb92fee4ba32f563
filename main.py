"""The router: page config, the language switch, and navigation only (app.py serves it)."""

import streamlit as st

import ui
from readiness import i18n

st.set_page_config(page_title="Sẵn sàng diễn tập KVPT", page_icon="🛡️", layout="wide")
lang = st.sidebar.radio(
    i18n.t("language", st.session_state.get("lang", "vi")),
    ["vi", "en"],
    format_func=lambda x: {"vi": "Tiếng Việt", "en": "English"}[x],
    key="lang",
    horizontal=True,
)
page = st.navigation(
    [
        st.Page("pages/overview.py", title=i18n.t("page_overview", lang), icon=":material/dashboard:", default=True),
        st.Page(
            "pages/subcommittee.py",
            title=i18n.t("page_subcommittee", lang),
            icon=":material/monitoring:",
            url_path="tieu-ban",
        ),
        st.Page("pages/unit.py", title=i18n.t("page_unit", lang), icon=":material/apartment:", url_path="don-vi"),
        st.Page(
            "pages/meeting.py",
            title=i18n.t("page_meeting", lang),
            icon=":material/event_note:",
            url_path="hop-giao-ban",
        ),
        st.Page(
            "pages/upload.py", title=i18n.t("page_upload", lang), icon=":material/upload_file:", url_path="gui-bao-cao"
        ),
        st.Page("pages/history.py", title=i18n.t("page_history", lang), icon=":material/history:", url_path="lich-su"),
        st.Page(
            "pages/accounts.py", title=i18n.t("page_accounts", lang), icon=":material/group:", url_path="tai-khoan"
        ),
        st.Page("pages/wall.py", title=i18n.t("page_display", lang), icon=":material/tv:", url_path="trinh-chieu"),
        st.Page(
            "pages/health.py", title=i18n.t("page_health", lang), icon=":material/monitor_heart:", url_path="tinh-trang"
        ),
    ]
)
ui.login_box()
ui.require_login_if_configured()
ui.worker()
if page.url_path == "trinh-chieu":  # the wall display mounts its own listener
    page.run()
else:
    ui.recent_arrivals()
    shown = ui.drawn()
    page.run()
    ui.live(shown)
