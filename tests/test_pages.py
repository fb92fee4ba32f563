"""Every page opens on an empty database and says so in the page's language (nothing crashes, no
blank page); the health page reports the inbox worker as it runs."""

import time

import pytest
from conftest import open_page, standard_rows, xlsx

from readiness import i18n, service
from readiness.auth import User

SECRETARY = User("thuky", "secretariat")

# page -> the catalog key of the empty state it shows (the first info box), and who opens it.
EMPTY = {
    "pages/overview.py": ("no_data", None),
    "pages/subcommittee.py": ("sub_no_tasks", None),
    "pages/unit.py": ("unit_none", None),
    "pages/upload.py": ("login_needed_upload", None),
    "pages/history.py": ("no_submissions", None),
    "pages/accounts.py": ("accounts_only_secretariat", None),
}


def first_words(key: str, lang: str) -> str:
    """The start of a catalog text before any placeholder (enough to recognise it)."""
    vi, en = i18n.STRINGS[key]
    return (en if lang == "en" else vi).split("{")[0][:25]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", list(EMPTY))
def test_every_page_opens_on_an_empty_database_with_its_empty_state(app_env, page, lang):
    key, user = EMPTY[page]
    at = open_page(page, user, lang)
    shown = " ".join(i.value for i in at.info)
    assert first_words(key, lang) in shown, (page, lang, shown)


def test_the_accounts_page_opens_empty_for_the_secretariat(app_env):
    at = open_page("pages/accounts.py", SECRETARY)
    assert not at.info or "Chỉ thư ký" not in at.info[0].value
    assert at.text_input(key="new_name") is not None  # the form to add the first accounts


def test_the_wall_display_opens_on_an_empty_database(app_env):
    open_page("pages/wall.py", query_params={"stay": "1"})  # no exception: its own view says there is no data yet


def test_the_health_page_shows_the_worker_running_and_what_it_took(app_env, monkeypatch):
    monkeypatch.setenv("READINESS_INBOX", "1")
    at = open_page("pages/health.py")
    assert any(i18n.t("health_running", "vi", since="").strip() in s.value for s in at.success)
    inbox = app_env.parent / "inbox"
    (inbox / "tuan.xlsx").write_bytes(xlsx({"Tiến độ": standard_rows()}))
    worker = service.worker()
    deadline = time.monotonic() + 20
    while worker.state.processed < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    at.run()
    processed = next(m for m in at.metric if m.label == i18n.t("health_processed", "vi"))
    assert processed.value == "1"
    assert "tuan.xlsx" in " ".join(c.value for c in at.caption)
