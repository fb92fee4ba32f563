"""The board on the committee head's phone (390x844, touch), in headless Chromium: the countdown
and the six figures two by two on the first screen, no sideways scrolling, the heatmap as a list
of units (worst first) whose tap opens that unit's cells, and the risks as cards a page at a time.

Screenshots: test-output/screenshots/phone-*.png."""

from __future__ import annotations

import pytest

# Playwright is a test requirement: missing, the import fails loudly, never a silent None.
from playwright.sync_api import expect

from .test_board import full_screenshot, settled

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, app_url):
    expect.set_options(timeout=20_000)
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(app_url)
    yield page
    context.close()


def boxes(page, selector: str) -> list[dict]:
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
            const r = e.getBoundingClientRect();
            return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: e.innerText};
        })""",
        selector,
    )


def test_the_figures_go_two_by_two_on_the_first_screen(phone, screenshots):
    settled(phone)
    figures = phone.locator(".st-key-figures [data-testid='stMetric']")
    expect(figures).to_have_count(6)
    found = boxes(phone, ".st-key-figures [data-testid='stMetric']")
    rows = sorted({round(b["top"]) for b in found})
    assert len(rows) == 3, found  # three rows of two
    for top in rows:
        pair = [b for b in found if round(b["top"]) == top]
        assert len(pair) == 2 and pair[0]["right"] <= pair[1]["left"], pair
    overdue = next(b for b in found if b["text"].startswith("Quá hạn"))
    assert overdue["bottom"] <= PHONE["height"], f"'Quá hạn' is below the first screen: {overdue}"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # the laptop's heatmap and risk table give way to the list and the cards
    expect(phone.locator(".st-key-wide_only")).to_be_hidden()
    expect(phone.locator(".st-key-phone_only")).to_be_visible()
    phone.screenshot(path=str(screenshots / "phone-first-screen.png"))


def test_a_tap_on_a_unit_opens_its_cells(phone, screenshots):
    settled(phone)
    units = phone.locator(".st-key-phone_only [data-testid='stExpander']")
    expect(units.first).to_be_visible()
    labels = [u.locator("summary").get_by_test_id("stMarkdownContainer").first.inner_text() for u in units.all()]
    # worst first: the units with no report, then the three that reported (47,5% each, config order)
    reported = [label for label in labels if "%" in label]
    assert [r.split(" · ")[1] for r in reported] == ["Công an thành phố", "Phường Yên Bình", "Xã Đông Sơn"], labels
    assert labels.index(reported[0]) == len(labels) - 3
    assert "thấp nhất: Khánh tiết 0%" in reported[0] and "báo cáo cuối 20/09" in reported[0]

    unit = units.filter(has_text="Xã Đông Sơn")
    details = unit.get_by_test_id("stExpanderDetails")
    expect(details).to_be_hidden()
    unit.locator("summary").tap()
    expect(details).to_be_visible()
    for text in ("Văn kiện", "100%", "An ninh", "60%", "Khánh tiết", "0%", "Hậu cần", "30%"):
        expect(details).to_contain_text(text)
    box = details.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    full_screenshot(phone, screenshots / "phone-unit-open.png")


def test_risks_are_cards_led_by_the_task_days_late_and_owner(phone):
    settled(phone)
    cards = phone.locator(".st-key-phone_only_risks li")
    expect(cards).to_have_count(3)  # Hậu cần, blocked and overdue, in each of the three units
    first = cards.first
    expect(first).to_contain_text("Trễ 11 ngày")
    expect(first).to_contain_text("Chuẩn bị sở chỉ huy")
    expect(first).to_contain_text("Đ/c Thảo")
    box = first.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], box
