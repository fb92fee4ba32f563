"""A login that lasts: it survives a reload and a bookmarked link for SESSION_HOURS, through an
HttpOnly, SameSite=Strict cookie signed beside the database, and nothing else logs a browser in: an
expired, tampered or outdated cookie is refused, logging out clears it, and a new password ends the
sessions open elsewhere. Its own server and database (accounts are changed here)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

# Playwright is a test requirement: missing, the import fails loudly, never a silent None.
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

from conftest import standard_rows, xlsx  # tests/conftest.py

from readiness import auth
from readiness.auth import Accounts, users_path
from readiness.config import load_config
from readiness.store import Store

from .conftest import CONFIG, serving, unit_tasks
from .test_board import settled, wait_for_rerun, watch_runs

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-ky"


@pytest.fixture(scope="module")
def board(fixture_db, tmp_path_factory):
    """A copy of the fixture database, with an older report of Xã Đông Sơn (to count again once the
    newer one is withdrawn) and a secretariat account, served on its own port."""
    folder = tmp_path_factory.mktemp("login")
    db = folder / "board.duckdb"
    db.write_bytes(fixture_db.read_bytes())
    with Store(db, load_config(CONFIG), folder / "archive") as store:
        older = xlsx({"Tiến độ": standard_rows("Xã Đông Sơn", "21/09/2023", unit_tasks("ĐS"))})
        assert store.ingest_bytes(older, "ĐS-21-09.xlsx").status == "accepted"
    Accounts(users_path(db)).add("thuky", PASSWORD, "secretariat")
    with serving(db, folder / "streamlit.log") as url:
        yield url, db


@pytest.fixture
def context(browser):
    expect.set_options(timeout=20_000)
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


def log_in(page: Page, name: str = "thuky", password: str = PASSWORD) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    settled(page)
    sidebar.get_by_text("Đăng nhập", exact=True).first.click()
    sidebar.get_by_label("Tên đăng nhập").fill(name)
    sidebar.get_by_label("Mật khẩu").fill(password)
    watch_runs(page)
    sidebar.get_by_test_id("stFormSubmitButton").click()
    expect(sidebar).to_contain_text(f"Đã đăng nhập: {name}")
    wait_for_rerun(page)


def session_cookie(page: Page, wait: bool = True) -> dict | None:
    """The board's session cookie as the browser holds it (waiting for the page's request to set it)."""
    deadline = time.monotonic() + (10 if wait else 0)
    while True:
        found = [c for c in page.context.cookies() if c["name"] == auth.SESSION_COOKIE]
        if found or time.monotonic() >= deadline:
            return found[0] if found else None
        page.wait_for_timeout(100)


def logged_in(page: Page, name: str = "thuky") -> None:
    settled(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Đã đăng nhập: {name}")


def logged_out(page: Page) -> None:
    settled(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Đăng nhập", exact=True).first).to_be_visible()
    expect(sidebar).not_to_contain_text("Đã đăng nhập")


def test_a_login_survives_a_reload_and_a_bookmark(board, context, screenshots):
    url, _ = board
    page = context.new_page()
    page.goto(url)
    log_in(page)
    cookie = session_cookie(page)
    assert cookie is not None, "the page did not get its session cookie"
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    hours = (cookie["expires"] - time.time()) / 3600
    assert auth.SESSION_HOURS - 0.1 < hours <= auth.SESSION_HOURS, hours
    assert page.evaluate("document.cookie").find(auth.SESSION_COOKIE) == -1  # out of scripts' reach

    page.reload()
    logged_in(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Phiên đăng nhập đến")

    bookmark = context.new_page()  # a bookmarked page opened in another tab
    bookmark.goto(f"{url}/gui-bao-cao")
    logged_in(bookmark)
    expect(bookmark.get_by_test_id("stMain")).not_to_contain_text("Đăng nhập để gửi báo cáo")
    settled(bookmark)
    bookmark.screenshot(path=str(screenshots / "login-bookmark-1440.png"))

    # Nobody else is: a browser without the cookie meets the login box.
    other = context.browser.new_context(viewport={"width": 390, "height": 844})
    try:
        stranger = other.new_page()
        stranger.goto(f"{url}/gui-bao-cao")
        settled(stranger)
        expect(stranger.get_by_test_id("stMain")).to_contain_text("Đăng nhập để gửi báo cáo")
    finally:
        other.close()


def test_logging_out_clears_the_cookie(board, context):
    url, _ = board
    page = context.new_page()
    page.goto(f"{url}/gui-bao-cao")
    log_in(page)
    assert session_cookie(page) is not None
    watch_runs(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Đăng xuất").click()
    wait_for_rerun(page)
    logged_out(page)
    deadline = time.monotonic() + 10
    while session_cookie(page, wait=False) is not None and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert session_cookie(page, wait=False) is None, "logging out left the cookie"
    page.reload()
    logged_out(page)


def test_expired_tampered_and_outdated_cookies_are_refused(board, context):
    url, db = board
    secret = auth.session_secret(db.parent)  # the server made it beside the database
    accounts = Accounts(users_path(db))
    _, version, _ = accounts.session_cookie("thuky")
    page = context.new_page()

    def with_cookie(value: str) -> None:
        context.clear_cookies()
        context.add_cookies([{"name": auth.SESSION_COOKIE, "value": value, "url": url}])
        page.goto(f"{url}/gui-bao-cao")

    with_cookie(auth.sign_session(secret, "thuky", version, time.time() + 3600))
    logged_in(page)  # the honest cookie works, so the refusals below are the cookie's doing

    expired = auth.sign_session(secret, "thuky", version, time.time() - 1)
    tampered = auth.sign_session(b"x" * 32, "thuky", version, time.time() + 3600)
    outdated = auth.sign_session(secret, "thuky", "0" * 16, time.time() + 3600)
    for value in (expired, tampered, outdated, "garbage"):
        with_cookie(value)
        logged_out(page)
        expect(page.get_by_test_id("stMain")).to_contain_text("Đăng nhập để gửi báo cáo")


def test_a_new_password_ends_a_session_open_elsewhere(board, context):
    url, db = board
    page = context.new_page()
    page.goto(url)
    log_in(page)
    assert session_cookie(page) is not None
    accounts = Accounts(users_path(db))
    accounts.passwd("thuky", PASSWORD)  # same words, new session version: as if changed on another device
    watch_runs(page)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()  # any rerun
    wait_for_rerun(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Your session has ended")
    expect(page.get_by_test_id("stSidebar")).not_to_contain_text("Logged in")
    page.reload()  # a new session, in Vietnamese again
    logged_out(page)
