"""The secretariat loads the assigned task plan through the upload page in a real browser: the file
is previewed (waiting for confirmation, nothing changes yet), loaded on confirm, and the heatmap then
counts the planned tasks a unit has not reported (a red-ringed badge in its cells' corner). Its own server and
database (the plan in force changes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

# Playwright is a test requirement: missing, the import fails loudly, never a silent None.
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

from conftest import xlsx  # tests/conftest.py

from readiness.auth import Accounts, users_path
from readiness.config import load_config
from readiness.store import Store

from .conftest import CONFIG, UNITS, serving
from .test_board import full_screenshot, heatmap, settled, wait_for_rerun, watch_runs
from .test_login import log_in

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-ky"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAPTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
HEADER = ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Đơn vị chủ trì", "Thời hạn", "Trọng số"]


def plan() -> bytes:
    """Each fixture unit's four reported tasks (conftest.unit_tasks), and for Phường Yên Bình one
    more documents task it has not reported."""
    rows = []
    for unit, _, tag in UNITS:
        for task, sub in (
            (f"Xây dựng văn kiện khối A ({tag})", "Văn kiện"),
            (f"Phương án bảo đảm an ninh ({tag})", "An ninh"),
            (f"Treo băng rôn, khẩu hiệu ({tag})", "Khánh tiết"),
            (f"Chuẩn bị sở chỉ huy ({tag})", "Hậu cần"),
        ):
            rows.append([len(rows) + 1, "", task, sub, unit, "", 1])
    rows.append([len(rows) + 1, "VK-B", "Xây dựng văn kiện khối B", "Văn kiện", UNITS[0][0], "15/10/2023", 1])
    return xlsx({"Kế hoạch": [["BAN CHỈ ĐẠO DIỄN TẬP KVPT"], [], HEADER, *rows]})


@pytest.fixture(scope="module")
def plan_board(fixture_db, tmp_path_factory):
    """A copy of the fixture database (no plan yet) and a secretariat account, on its own port."""
    folder = tmp_path_factory.mktemp("plan")
    db = folder / "board.duckdb"
    db.write_bytes(fixture_db.read_bytes())
    with Store(db, load_config(CONFIG), folder / "archive") as store:
        assert store.plan().empty
    Accounts(users_path(db)).add("thuky", PASSWORD, "secretariat")
    with serving(db, folder / "streamlit.log") as url:
        yield url


def go_to(page: Page, title: str) -> None:
    link = page.get_by_test_id("stSidebarNavLink").filter(has=page.get_by_text(title, exact=True))
    watch_runs(page)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    wait_for_rerun(page)


def not_reported_badges(chart):
    """The heatmap's not-reported badges: annotations ringed in the flag's red (charts.FLAG)."""
    return chart.locator("g.annotation:has(rect.bg[style*='stroke: rgb(155, 28, 28)'])")


def test_the_secretariat_loads_a_plan_and_the_heatmap_counts_against_it(browser, plan_board, screenshots):
    expect.set_options(timeout=20_000)
    context = browser.new_context(viewport=LAPTOP, locale="vi-VN")
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(plan_board)
        settled(page)
        chart = heatmap(page)
        expect(chart).to_contain_text("Phường Yên Bình")
        expect(not_reported_badges(chart)).to_have_count(0)  # no plan: nothing is missing
        log_in(page, "thuky", PASSWORD)
        go_to(page, "Gửi báo cáo")

        section = page.get_by_text("3. Kế hoạch phân công nhiệm vụ (thư ký)")
        expect(section).to_be_visible()
        expect(page.get_by_text("Chưa có kế hoạch phân công")).to_be_visible()
        watch_runs(page)
        page.locator(".st-key-plan_upload [data-testid='stFileUploaderDropzoneInput']").set_input_files(
            files=[{"name": "ke_hoach.xlsx", "mimeType": XLSX, "buffer": plan()}]
        )
        wait_for_rerun(page)
        answer = page.locator(".st-key-plan_answer")
        expect(answer.get_by_test_id("stAlert")).to_contain_text("CHỜ XÁC NHẬN — chưa nạp")
        expect(answer.get_by_test_id("stAlert")).to_contain_text("13 nhiệm vụ cho 3 đơn vị")
        confirm = answer.get_by_role("button", name="Xác nhận nạp kế hoạch này")
        expect(confirm).to_be_visible()
        full_screenshot(page, screenshots / "plan-preview-1440.png")

        watch_runs(page)
        confirm.click()
        loaded = answer.get_by_test_id("stAlert").filter(has_text="ĐÃ NẠP KẾ HOẠCH")
        expect(loaded).to_contain_text("13 nhiệm vụ cho 3 đơn vị, áp dụng từ bây giờ")
        expect(confirm).to_have_count(0)
        wait_for_rerun(page)
        expect(page.get_by_text("Kế hoạch đang áp dụng: ke_hoach.xlsx")).to_be_visible()
        full_screenshot(page, screenshots / "plan-loaded-1440.png")

        go_to(page, "Tổng quan")
        chart = heatmap(page)
        # Yên Bình's documents: one planned task not reported (a badge, not a
        # second line of text, which ran into the next column at laptop width)
        expect(not_reported_badges(chart)).to_have_count(1)
        expect(not_reported_badges(chart).first).to_have_text("1")
        expect(page.get_by_test_id("stCaptionContainer").filter(has_text="khung viền đỏ ở góc trái")).to_be_visible()
        full_screenshot(page, screenshots / "plan-overview-1440.png")
        page.set_viewport_size(PHONE)
        expect(page.get_by_test_id("stExpander").filter(has_text="Phường Yên Bình")).to_contain_text("1 chưa báo cáo")
        full_screenshot(page, screenshots / "plan-overview-390.png")
    finally:
        context.close()
