"""Entry: page config and navigation only."""

import streamlit as st

from readiness import i18n

st.set_page_config(page_title="Sẵn sàng diễn tập KVPT", page_icon="🛡️", layout="wide")
lang = st.sidebar.radio(
    i18n.t("language", st.session_state.get("lang", "vi")),
    ["vi", "en"],
    format_func=lambda x: {"vi": "Tiếng Việt", "en": "English"}[x],
    key="lang",
    horizontal=True,
)
page = st.navigation([st.Page("pages/overview.py", title=i18n.t("page_overview", lang), icon="📊", default=True)])
page.run()
