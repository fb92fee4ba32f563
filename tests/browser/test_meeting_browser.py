"""The coordination meeting page (Họp giao ban) in a real browser, as the secretariat prepares a
meeting: the changes since the last meeting, each brief button building its file with a progress bar
and then handing it over (a PDF, a DOCX and an XLSX received as downloads), a chase message copied in
one click (through the clipboard API, and through the fallback a plain-http address needs), the chase
list as a CSV; and the wall's since view fitting the screen. Its own server and database.

Screenshots: test-output/screenshots/meeting-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# Playwright is a test requirement: missing, the import fails loudly, never a silent None.
from playwright.sync_api import expect

from readiness.auth import Accounts, users_path
from readiness.config import load_config
from readiness.store import Store
from tests.conftest import standard_rows, xlsx

from .conftest import CONFIG, serving, unit_tasks
from .test_board import full_screenshot, wait_for_rerun, watch_runs
from .test_display import FIT
from .test_login import PASSWORD, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ZIP = b"PK\x03\x04"  # a DOCX and an XLSX are zip files


@pytest.fixture(scope="module")
def board(fixture_db, tmp_path_factory):
    """The fixture database with an earlier report of Phường Yên Bình (15/09, before the last
    meeting on 18/09, so the page has a change to show) and a secretariat account, on its own port."""
    folder = tmp_path_factory.mktemp("meeting")
    db = folder / "board.duckdb"
    db.write_bytes(fixture_db.read_bytes())
    earlier = [row[:5] + [40 if row[5] == 60 else row[5]] + row[6:] for row in unit_tasks("YB")]
    with Store(db, load_config(CONFIG), folder / "archive") as store:
        sent = xlsx({"Tiến độ": standard_rows("Phường Yên Bình", "15/09/2023", earlier)})
        assert store.ingest_bytes(sent, "YB-15-09.xlsx").status == "accepted"
    Accounts(users_path(db)).add("thuky", PASSWORD, "secretariat")
    with serving(db, folder / "streamlit.log") as url:
        yield url


@pytest.fixture
def page(browser, board):
    """The meeting page, logged in as the secretariat, in a browser that lets the page use the clipboard."""
    expect.set_options(timeout=20_000)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=board)
    context.set_default_timeout(20_000)
    pg = context.new_page()
    pg.goto(board)
    log_in(pg)
    link = pg.get_by_test_id("stSidebarNavLink").filter(has=pg.get_by_text("Họp giao ban", exact=True))
    watch_runs(pg)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    wait_for_rerun(pg)
    yield pg
    context.close()


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def download(page: Page, button, folder: Path) -> bytes:
    with page.expect_download() as got:
        button.click()
    path = folder / got.value.suggested_filename
    got.value.save_as(path)
    return path.read_bytes()


def test_the_brief_buttons_build_and_hand_over_each_file(page, tmp_path, screenshots):
    main = page.get_by_test_id("stMain")
    # Since the last meeting (18/09): Yên Bình moved, the others sent their first report since.
    expect(main.get_by_test_id("stExpander").filter(has_text="Phường Yên Bình")).to_contain_text("▲")
    full_screenshot(page, screenshots / "meeting-since-1440.png")

    open_tab(page, "Báo cáo giao ban")
    received = {}
    for fmt in ("PDF", "DOCX", "XLSX"):
        watch_runs(page)
        main.get_by_role("button", name=f"Tạo {fmt}").click()
        if fmt == "PDF":  # the charts take seconds: the bar says what is being done
            expect(main.get_by_test_id("stProgress")).to_be_visible()
        ready = main.get_by_role("button", name=f"Tải {fmt}")
        expect(ready).to_be_visible(timeout=60_000)
        wait_for_rerun(page)
        received[fmt] = download(page, ready, tmp_path)
    assert received["PDF"].startswith(b"%PDF")
    assert received["DOCX"].startswith(ZIP) and received["XLSX"].startswith(ZIP)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "Bao cao giao ban 01-10-2023.docx",
        "Bao cao giao ban 01-10-2023.pdf",
        "Bao cao giao ban 01-10-2023.xlsx",
    ]
    expect(main.get_by_test_id("stProgress")).to_have_count(0)  # gone once the file is ready
    page.screenshot(path=str(screenshots / "meeting-brief-1440.png"))


def test_a_chase_message_is_copied_in_one_click_and_the_list_downloads(page, tmp_path, screenshots):
    main = page.get_by_test_id("stMain")
    open_tab(page, "Đôn đốc")
    first = main.locator(".st-key-chase_0")
    message = first.get_by_test_id("stText").inner_text()
    assert message.startswith("Kính gửi ") and "http://127.0.0.1:" in message  # the upload page's address
    expect(first.locator("a[href^='tel:']").first).to_be_visible()

    button = first.get_by_test_id("copyButton")
    button.click()
    expect(button).to_have_text("Đã sao chép")
    assert page.evaluate("navigator.clipboard.readText()") == message

    # On a plain-http address the clipboard API is missing: the button copies through a selection.
    page.evaluate("navigator.clipboard.writeText('')")
    page.evaluate(
        """() => { window.__clipboard = navigator.clipboard;
                   Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true}); }"""
    )
    second = main.locator(".st-key-chase_1")
    second.get_by_test_id("copyButton").click()
    expect(second.get_by_test_id("copyButton")).to_have_text("Đã sao chép")
    assert page.evaluate("window.__clipboard.readText()") == second.get_by_test_id("stText").inner_text()
    page.screenshot(path=str(screenshots / "meeting-chase-1440.png"))

    csv = download(page, main.get_by_role("button", name="Tải danh sách đôn đốc (.csv)"), tmp_path)
    text = csv.decode("utf-8-sig")
    assert csv.startswith(b"\xef\xbb\xbf") and text.startswith('"Đơn vị","Cấp","Người liên hệ","Điện thoại"')


def test_the_walls_since_view_fits_the_screen(browser, board, screenshots):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    try:
        wall = context.new_page()
        wall.goto(f"{board}/trinh-chieu?views=since")  # sent on to the lean wall, which has no script runs
        expect(wall).to_have_url(re.compile(r"/live/wall\?views=since"))
        expect(wall.get_by_test_id("wallRoot")).to_have_attribute("data-view", "since")
        expect(wall.locator(".sn-row").first).to_be_visible()
        wall.evaluate("() => document.fonts.ready")
        problems = wall.evaluate(FIT)
        wall.screenshot(path=str(screenshots / "meeting-wall-since-1920x1080.png"))
        assert not problems, "\n".join(problems)
    finally:
        context.close()
