"""The secretariat's pages in a real browser: withdrawing a report asks first, says it is done and
the file then reads "withdrawn"; the accounts table follows every change, a refused form keeps what
was typed; and in English the pages show the config's `name_en` for subcommittees and milestones.
Its own server and database (a report is withdrawn, accounts change)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect
except ImportError:  # not a skip: the `browser` fixture fails every test here and says what to install
    expect = PlaywrightTimeout = None
if TYPE_CHECKING:
    from playwright.sync_api import Page

from . import test_login
from .test_board import full_screenshot, settled, wait_for_rerun, watch_runs
from .test_login import log_in

pytestmark = pytest.mark.browser
# The login tests' fixtures: a server and database of this module's own, a fresh browser context.
board, context = test_login.board, test_login.context


def open_page(page: Page, url: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    settled(page)


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the selectbox labelled `label`."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    choice = page.get_by_role("option").filter(has_text=option).first
    settled(page)
    for _ in range(3):  # a live update redrawing the page can close the list as it opens
        box.get_by_role("combobox").click()
        try:
            choice.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    watch_runs(page)
    choice.click()
    wait_for_rerun(page)


def selected(page: Page, label: str) -> str:
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    return box.get_by_role("combobox").input_value()


def as_secretariat(board, context, path: str) -> Page:
    """A page logged in as the secretariat, opened at `path`."""
    url, _ = board
    page = context.new_page()
    page.goto(url)
    log_in(page)
    open_page(page, url, path)
    return page


def test_withdrawal_asks_first_then_says_it_is_done(board, context, screenshots):
    url, _ = board
    page = as_secretariat(board, context, "lich-su")
    main = page.get_by_test_id("stMain")
    pick(page, "Chọn lần gửi", "ĐS.xlsx")  # the 28/09 report, the unit's current one
    chosen = selected(page, "Chọn lần gửi")
    number = re.search(r"#(\d+)", chosen).group(1)

    reason = main.get_by_label("Lý do rút")
    reason.fill("Gửi nhầm tệp")
    reason.press("Enter")
    settled(page)
    withdraw = main.get_by_role("button", name="Rút báo cáo này")
    expect(withdraw).to_be_enabled()

    # First press: a question, nothing withdrawn yet; "Hủy" leaves everything as it was.
    withdraw.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Rút lần gửi #{number}?")
    expect(dialog).to_contain_text("Xã Đông Sơn")
    expect(dialog).to_contain_text("Lý do: Gửi nhầm tệp")
    page.screenshot(path=str(screenshots / "withdraw-confirm-1440.png"))
    watch_runs(page)
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_have_count(0)
    wait_for_rerun(page)
    expect(main).not_to_contain_text("Đã rút lúc")

    # Second press, confirmed: a success message, the reason on record, the file reads "withdrawn".
    withdraw.click()
    watch_runs(page)
    page.get_by_role("dialog").get_by_role("button", name="Xác nhận rút").click()
    wait_for_rerun(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    done = page.get_by_test_id("stAlertContentSuccess")
    expect(done).to_contain_text(f"Đã rút lần gửi #{number}")
    expect(done).to_contain_text("Xã Đông Sơn: báo cáo ngày 21/09/2023")  # what counts now, named
    expect(main).to_contain_text("Đã rút lúc")
    expect(main).to_contain_text("Gửi nhầm tệp")
    expect(main.get_by_role("button", name="Rút báo cáo này")).to_have_count(0)
    full_screenshot(page, screenshots / "withdraw-done-1440.png")

    # The unit's history now says so (that table has no separate "withdrawn" column to confuse it with).
    open_page(page, url, "don-vi")
    pick(page, "Chọn đơn vị", "Xã Đông Sơn")
    history = page.get_by_role("heading", name="Lịch sử gửi báo cáo").locator(
        "xpath=following::*[@data-testid='stDataFrame'][1]"
    )
    expect(history).to_contain_text(re.compile(r"28/09/2023\s*Đã rút"))
    expect(history).to_contain_text(re.compile(r"21/09/2023\s*Đã nhận.*ĐS-21-09\.xlsx\s*✔"))


def test_accounts_follow_every_change_and_keep_a_refused_form(board, context, screenshots):
    page = as_secretariat(board, context, "tai-khoan")
    main = page.get_by_test_id("stMain")
    table = main.get_by_test_id("stDataFrame").first
    form = main.get_by_test_id("stForm").first  # the new account's form (the API token's comes after it)
    units = form.get_by_test_id("stMultiSelect")
    # Empty is refused for an uploader: the placeholder says so, not "Tất cả".
    expect(units.get_by_role("combobox")).to_have_attribute(
        "placeholder", "Chọn đơn vị (bắt buộc với người gửi báo cáo)"
    )

    form.get_by_label("Tên đăng nhập").fill("dongson")
    form.get_by_label("Mật khẩu").fill("mat-khau-dong-son")
    watch_runs(page)
    form.get_by_test_id("stFormSubmitButton").click()
    wait_for_rerun(page)
    expect(main.get_by_test_id("stAlertContentError")).to_contain_text("cần ít nhất một đơn vị")
    expect(form.get_by_label("Tên đăng nhập")).to_have_value("dongson")  # kept to fix, not retyped
    expect(form.get_by_label("Mật khẩu")).to_have_value("mat-khau-dong-son")
    expect(table).not_to_contain_text("dongson")
    full_screenshot(page, screenshots / "accounts-refused-1440.png")

    units.get_by_role("combobox").fill("Đông Sơn")
    page.get_by_role("option").filter(has_text="Xã Đông Sơn").click()
    page.keyboard.press("Escape")
    expect(units).to_contain_text("Xã Đông Sơn")
    watch_runs(page)
    form.get_by_test_id("stFormSubmitButton").click()
    wait_for_rerun(page)
    expect(main.get_by_test_id("stAlertContentSuccess")).to_contain_text("Đã thêm tài khoản dongson")
    expect(table).to_contain_text("dongson")  # the table above the form already shows it
    expect(table).to_contain_text("Xã Đông Sơn")
    expect(form.get_by_label("Tên đăng nhập")).to_have_value("")  # done: cleared for the next one

    pick(page, "Chọn tài khoản", "dongson")
    main.get_by_role("button", name="Xóa tài khoản").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("dongson")
    watch_runs(page)
    dialog.get_by_role("button", name="Xóa tài khoản").click()
    wait_for_rerun(page)
    expect(main.get_by_test_id("stAlertContentSuccess")).to_contain_text("Đã xóa tài khoản dongson")
    expect(table).not_to_contain_text("dongson")
    page.set_viewport_size({"width": 390, "height": 844})
    full_screenshot(page, screenshots / "accounts-390.png")


def test_english_shows_the_configs_english_names(board, context, screenshots):
    url, _ = board
    page = context.new_page()
    page.goto(url)
    settled(page)
    watch_runs(page)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    wait_for_rerun(page)
    main = page.get_by_test_id("stMain")
    # The heading of every page: the phase (30/09 passed) by its English name.
    expect(main).to_contain_text("Phase: Documents complete")

    page.get_by_test_id("stSidebarNav").get_by_text("Subcommittee", exact=True).click()
    settled(page)
    assert selected(page, "Choose a subcommittee") == "Documents"
    pick(page, "Choose a subcommittee", "Security and order")
    tasks = page.get_by_role("heading", name="Tasks", exact=True).locator(
        "xpath=following::*[@data-testid='stDataFrame'][1]"
    )
    expect(tasks).to_contain_text("Security and order")
    expect(tasks).not_to_contain_text("An ninh")
    expect(main).not_to_contain_text("Select all")
    full_screenshot(page, screenshots / "subcommittee-en-1440.png")

    page.get_by_test_id("stSidebarNav").get_by_text("Unit", exact=True).click()
    settled(page)
    labels = main.get_by_test_id("stMetricLabel")
    for english in ("Documents", "Security and order", "Reception, logistics, technical and finance"):
        expect(labels.filter(has_text=english)).to_have_count(1)
    for vietnamese in ("Văn kiện", "An ninh", "Hậu cần"):
        expect(labels.filter(has_text=vietnamese)).to_have_count(0)
    full_screenshot(page, screenshots / "unit-en-1440.png")
    page.set_viewport_size({"width": 390, "height": 844})
    full_screenshot(page, screenshots / "unit-en-390.png")
