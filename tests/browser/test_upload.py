"""The clerk's upload in a real browser: log in, a real file input, the answer open with its confirm
button, the board changing once confirmed; a rejected file kept in the history with its error report
for its sender and not for a visitor. Screenshots of both pages at 1440×900 and 390×844."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

# Playwright is a test requirement: missing, the import fails loudly, never a silent None.
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

from readiness.auth import Accounts, users_path
from readiness.config import load_config
from readiness.store import Store
from tests.conftest import standard_rows, xlsx

from .conftest import CONFIG, serving
from .test_board import full_screenshot, settled, wait_for_rerun, watch_runs

pytestmark = pytest.mark.browser

UNIT = "Phường Yên Bình"
CLERK, PASSWORD = "yenbinh", "mat-khau-yen-binh"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAPTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def week(date: str, security: int) -> bytes:
    tasks = [
        [1, "Xây dựng văn kiện khối A", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "Đ/c Hùng", ""],
        [2, "Phương án bảo đảm an ninh", "An ninh", "10/10/2023", "Đang thực hiện", security, "Đ/c Lan", ""],
    ]
    return xlsx({"Tiến độ": standard_rows(UNIT, date, tasks)})


def three_mistakes() -> bytes:
    """A percent of 150 (an error), done at 60% and the date 31/02/2023 (warnings)."""
    rows = standard_rows(UNIT, "29/09/2023")
    rows[6][5] = 150
    rows[7][4], rows[7][5] = "Hoàn thành", 60
    rows[8][3] = "31/02/2023"
    return xlsx({"Tiến độ": rows})


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory):
    """The app on its own database (Phường Yên Bình reported on 08/09 with security at 20%) and
    one unit uploader account."""
    folder = tmp_path_factory.mktemp("upload")
    db = folder / "upload.duckdb"
    config = load_config(CONFIG)
    with Store(db, config, folder / "archive") as s:
        assert s.ingest_bytes(week("08/09/2023", 20), "tuan1.xlsx").status == "accepted"
    Accounts(users_path(db), [u.name for u in config.units]).add(CLERK, PASSWORD, "uploader", [UNIT])
    with serving(db, folder / "streamlit.log") as url:
        yield url


@pytest.fixture
def new_page(browser, upload_app):
    """new_page() -> a page of a fresh browser session on the app, at laptop size."""
    expect.set_options(timeout=20_000)
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(viewport=LAPTOP, locale="vi-VN")
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(upload_app)
        settled(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def log_in(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    name = sidebar.get_by_label("Tên đăng nhập")
    if not name.is_visible():
        sidebar.get_by_text("Đăng nhập", exact=True).first.click()
    name.fill(CLERK)
    sidebar.get_by_label("Mật khẩu").fill(PASSWORD)
    watch_runs(page)
    sidebar.get_by_role("button", name="Đăng nhập").click()
    expect(sidebar).to_contain_text(CLERK)
    wait_for_rerun(page)


def go_to(page: Page, title: str) -> None:
    link = page.get_by_test_id("stSidebarNavLink").filter(has=page.get_by_text(title, exact=True))
    watch_runs(page)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    wait_for_rerun(page)


def send(page: Page, name: str, data: bytes) -> None:
    watch_runs(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": data}]
    )
    wait_for_rerun(page)


def readiness(page: Page) -> str:
    label = page.get_by_test_id("stMetricLabel").get_by_text("Sẵn sàng", exact=True)
    return page.get_by_test_id("stMetric").filter(has=label).get_by_test_id("stMetricValue").inner_text()


def screenshots_at_both_sizes(page: Page, path_stem) -> None:
    """The whole page on a laptop, then on a phone as a phone opens it (the sidebar folded away)."""
    for size, suffix in ((LAPTOP, "1440"), (PHONE, "390")):
        page.set_viewport_size(size)
        if size is PHONE:  # Streamlit folds the sidebar away on a narrow screen: wait until it has slid out
            expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
            page.wait_for_function(
                "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 1"
            )
        settled(page)
        page.wait_for_timeout(300)  # a data grid paints its canvas a frame or two after it is laid out
        full_screenshot(page, f"{path_stem}-{suffix}.png")
    page.set_viewport_size(LAPTOP)  # and back on a wide screen it slides in again by itself
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().left >= 0")


def test_the_clerk_sends_a_file_confirms_it_and_the_board_changes(new_page, screenshots):
    page = new_page()
    before = readiness(page)
    log_in(page)
    go_to(page, "Gửi báo cáo")

    # The uploader speaks Vietnamese and states the exercise's limit, not Streamlit's "200MB per file".
    uploader = page.get_by_test_id("stFileUploader")
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text="Tối đa 20 MB mỗi tệp")).to_be_visible()
    expect(uploader.get_by_test_id("stFileUploaderDropzoneInstructions")).to_be_hidden()
    button = uploader.get_by_test_id("stFileUploaderDropzone").locator("button")
    label = "b => getComputedStyle(b.querySelector(':scope > div > span'), '::after').content"
    assert button.evaluate(label) == '"Chọn tệp"'
    assert "Upload" not in button.inner_text()

    send(page, "tuan3.xlsx", week("29/09/2023", 80))
    answer = page.get_by_test_id("stAlert").filter(has_text="tuan3.xlsx")
    expect(answer).to_contain_text("CHỜ BẠN XÁC NHẬN — chưa gửi")  # open, and says it is not sent yet
    confirm = page.get_by_role("button", name="Xác nhận gửi báo cáo này")
    expect(confirm).to_be_in_viewport()
    screenshots_at_both_sizes(page, screenshots / "upload-waiting")

    watch_runs(page)
    confirm.click()
    sent = page.get_by_test_id("stAlert").filter(has_text="ĐÃ NHẬN")
    expect(sent).to_contain_text("tuan3.xlsx")
    expect(sent).to_contain_text("Bảng đã cập nhật")
    expect(confirm).to_have_count(0)
    wait_for_rerun(page)
    screenshots_at_both_sizes(page, screenshots / "upload-sent")

    go_to(page, "Tổng quan")
    expect(page.get_by_test_id("stMetric").filter(has_text="Sẵn sàng")).not_to_contain_text(before)
    assert readiness(page) != before


def test_a_rejected_upload_is_in_the_history_for_its_sender_only(new_page, screenshots):
    page = new_page()
    log_in(page)
    go_to(page, "Gửi báo cáo")
    send(page, "ba-loi.xlsx", three_mistakes())
    answer = page.get_by_test_id("stAlert").filter(has_text="ba-loi.xlsx")
    expect(answer).to_contain_text("BỊ TỪ CHỐI")
    expect(answer).to_contain_text("Lịch sử gửi")
    table = page.get_by_test_id("stTable")
    for text in ("150", "31/02/2023", "Lỗi", "Cảnh báo"):
        expect(table).to_contain_text(text)
    fix = table.get_by_text("không phải ngày (ghi dd/mm/yyyy, ví dụ 15/09/2023)")
    expect(fix).to_be_visible()
    # The fix text wraps inside its cell: nothing of it is cut off.
    assert fix.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), "the fix text overflows its cell"
    screenshots_at_both_sizes(page, screenshots / "upload-rejected")

    go_to(page, "Lịch sử gửi")
    # The newest submission is chosen: the rejected file, with its answer for its sender.
    expect(page.get_by_role("combobox", name="Chọn lần gửi")).to_have_value(re.compile(r"ba-loi\.xlsx$"))
    expect(page.get_by_test_id("stDownloadButton").filter(has_text="Tải báo cáo lỗi")).to_be_visible()
    expect(page.get_by_test_id("stDownloadButton").filter(has_text="Tải tệp gốc")).to_be_visible()
    expect(page.get_by_test_id("stTable")).to_contain_text("31/02/2023")
    screenshots_at_both_sizes(page, screenshots / "history-sender")

    visitor = new_page()
    go_to(visitor, "Lịch sử gửi")
    expect(visitor.get_by_role("combobox", name="Chọn lần gửi")).to_have_value(re.compile(r"ba-loi\.xlsx$"))
    expect(visitor.get_by_text("hãy đăng nhập")).to_be_visible()
    expect(visitor.get_by_test_id("stDownloadButton")).to_have_count(0)
    expect(visitor.get_by_test_id("stTable")).to_have_count(0)
    screenshots_at_both_sizes(visitor, screenshots / "history-visitor")
