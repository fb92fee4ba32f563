"""What a user sees on the running board, in headless Chromium: the countdown and the heatmap, the
English switch, a heatmap cell's tasks on click, and a screenshot of every page in the navigation.

Streamlit draws asynchronously: every check waits with Playwright's `expect` (20 s), never a sleep."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import pytest

# Playwright is a test requirement: missing, the import fails loudly, never a silent None.
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

from .conftest import UNITS

pytestmark = pytest.mark.browser

# Today is pinned at 2023-10-01 08:00; D-day is 15/11/2023 07:30.
COUNTDOWN = "Còn 44 ngày 23 giờ"


# ------------------------------------------------------------------ helpers
def settled(page: Page) -> None:
    """The script has finished its run, nothing on screen is left from an older run, no exception."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.locator('[data-testid="stElementContainer"][data-stale="true"]')).to_have_count(0)
    shown = page.get_by_test_id("stException")
    if shown.count():
        pytest.fail(f"the app shows an exception at {page.url}:\n{shown.first.inner_text()}", pytrace=False)


def watch_runs(page: Page) -> None:
    """Note what is on screen now, so that a wait cannot take the previous run's end for the next's.

    A new run shows as a change of the app's script state or as an element the page did not have
    (a fast run can go from running to done within one render, so neither alone is enough)."""
    page.evaluate(
        """() => {
            for (const el of document.querySelectorAll('[data-testid="stElementContainer"]')) el.__stOld = true;
            const app = document.querySelector('[data-testid="stApp"]');
            window.__stRuns = 0;
            new MutationObserver(() => { window.__stRuns += 1; })
                .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        }"""
    )


def wait_for_rerun(page: Page) -> None:
    page.wait_for_function(
        """() => {
            const fresh = Array.from(document.querySelectorAll('[data-testid="stElementContainer"]'))
                .some(el => !el.__stOld);
            const state = document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state');
            return (window.__stRuns > 0 || fresh) && state === 'notRunning';
        }"""
    )
    settled(page)


def heatmap(page: Page) -> Locator:
    """The Plotly chart whose axis names the ingested units."""
    return page.locator(".js-plotly-plot").filter(has_text=UNITS[0][0]).first


def full_screenshot(page: Page, path) -> None:
    """The whole page: Streamlit scrolls inside its own container, so grow the viewport to fit it."""
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight, ...Array.from(document.querySelectorAll(
            '[data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stMainBlockContainer"]'
        )).map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 10_000)})
    page.wait_for_function("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
    settled(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def slug(label: str) -> str:
    text = unicodedata.normalize("NFKD", label.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "page"


def cell_center(chart: Locator, column: str, unit: str) -> dict:
    """Page coordinates of the center of the heatmap cell (unit row, subcommittee column).

    A row's category may carry a suffix after the unit's name ("… · báo cáo cuối 20/09")."""
    chart.scroll_into_view_if_needed()
    pos = chart.evaluate(
        """(el, [column, unit]) => {
            const fl = el._fullLayout, xa = fl.xaxis, ya = fl.yaxis;
            const xcat = (xa._categories || []).find(c => c === column || String(c).startsWith(column + ' '));
            const ycat = (ya._categories || []).find(c => c === unit || String(c).startsWith(unit + ' '));
            if (xcat === undefined || ycat === undefined)
                return {error: 'no such cell', x: xa._categories, y: ya._categories};
            const box = el.getBoundingClientRect();
            return {x: box.left + xa._offset + xa.d2p(xcat), y: box.top + ya._offset + ya.d2p(ycat),
                    xcat, ycat, width: window.innerWidth, height: window.innerHeight};
        }""",
        [column, unit],
    )
    assert "error" not in pos, f"heatmap has no cell {unit} × {column}: {pos}"
    assert 0 <= pos["x"] < pos["width"] and 0 <= pos["y"] < pos["height"], f"cell outside the viewport: {pos}"
    return pos


# ------------------------------------------------------------------ tests
def test_overview_shows_countdown_and_heatmap(page: Page, screenshots):
    settled(page)
    label = page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(r"^\s*Ngày N"))
    metric = page.get_by_test_id("stMetric").filter(has=label)
    expect(metric).to_have_count(1)
    expect(metric.get_by_test_id("stMetricValue")).to_have_text(COUNTDOWN)

    chart = heatmap(page)
    expect(chart).to_be_visible()
    for unit, _, _ in UNITS:
        expect(chart).to_contain_text(unit)
    settled(page)
    full_screenshot(page, screenshots / "overview.png")


# Neighbouring column headings whose text boxes meet, each compared in the other's frame (upright
# or set at an angle alike: a slanted heading's screen box overlaps its neighbour's, its text need not).
OVERLAPPING_HEADINGS = """(el) => {
    const texts = [...el.querySelectorAll('.xtick text')], out = [];
    for (let i = 0; i + 1 < texts.length; i++) {
        const [a, b] = [texts[i], texts[i + 1]], A = a.getBBox(), B = b.getBBox();
        const m = a.getScreenCTM().inverse().multiply(b.getScreenCTM());
        const corners = [[B.x, B.y], [B.x + B.width, B.y], [B.x, B.y + B.height], [B.x + B.width, B.y + B.height]]
            .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
        const xs = corners.map(p => p.x), ys = corners.map(p => p.y);
        const wide = Math.min(A.x + A.width, Math.max(...xs)) - Math.max(A.x, Math.min(...xs));
        const high = Math.min(A.y + A.height, Math.max(...ys)) - Math.max(A.y, Math.min(...ys));
        if (wide > 1 && high > 1) out.push([a.textContent, b.textContent]);
    }
    return out;
}"""


def test_english_switch(page: Page):
    settled(page)
    expect(page.get_by_test_id("stMetricLabel").get_by_text("Sẵn sàng", exact=True)).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.get_by_test_id("stMetricLabel").get_by_text("Readiness", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stMetricLabel").get_by_text("Sẵn sàng", exact=True)).to_have_count(0)
    settled(page)

    # Subcommittees by their English names: the config's short_en over the heatmap's columns (set at
    # an angle, none running into the next), name_en in the hover, short_en on the bars.
    chart = heatmap(page)
    for short in ("Documents", "Security", "Publicity", "Logistics", "Live troops"):
        expect(chart.locator(".xtick text").filter(has_text=short)).to_have_count(1)
    for vietnamese in ("Văn kiện", "An ninh", "Khánh tiết", "Hậu cần", "Thực binh"):
        expect(page.get_by_test_id("stMain")).not_to_contain_text(vietnamese)
    assert chart.evaluate(OVERLAPPING_HEADINGS) == []
    bars = page.locator(".js-plotly-plot").filter(has_text="Tasks").first
    expect(bars).to_contain_text("Security")
    pos = cell_center(chart, "Security", "Xã Đông Sơn")
    page.mouse.move(pos["x"], pos["y"])
    expect(chart.locator(".hoverlayer")).to_contain_text("Security and order")
    watch_runs(page)
    page.mouse.click(pos["x"], pos["y"])
    title = page.get_by_role("heading").filter(has_text="Tasks").filter(has_text="Xã Đông Sơn")
    expect(title).to_contain_text("Security")
    wait_for_rerun(page)


def test_click_on_a_heatmap_cell_shows_its_tasks(page: Page, screenshots):
    unit, tag, column = "Xã Đông Sơn", "ĐS", "An ninh"
    settled(page)
    chart = heatmap(page)
    expect(chart).to_contain_text(unit)
    pos = cell_center(chart, column, unit)
    watch_runs(page)
    page.mouse.click(pos["x"], pos["y"])

    title = page.get_by_role("heading").filter(has_text="Nhiệm vụ").filter(has_text=unit)
    expect(title).to_be_visible()
    expect(title).to_contain_text(column)
    table = title.locator(
        "xpath=following::*[@data-testid='stDataFrame' or @data-testid='stTable' or @data-testid='stDataEditor'][1]"
    )
    expect(table).to_contain_text(f"Phương án bảo đảm an ninh ({tag})")  # the cell's one task
    for other in ("(YB)", "(CA)", "Xây dựng văn kiện", "Chuẩn bị sở chỉ huy"):
        expect(table).not_to_contain_text(other)
    wait_for_rerun(page)
    full_screenshot(page, screenshots / "overview-cell.png")


def test_screenshot_of_every_page(page: Page, screenshots):
    settled(page)
    links = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
    expect(links.first).to_be_visible()
    # a link holds its icon (an emoji or a Material icon's ligature name) and its title as markdown
    pages = [
        (link.get_by_test_id("stMarkdownContainer").inner_text().strip(), link.get_attribute("href"))
        for link in links.all()
    ]
    labels = [label for label, _ in pages]
    assert {"Tổng quan", "Tiểu ban", "Đơn vị"} <= set(labels), labels

    for label, href in pages:
        if href.rstrip("/").endswith("/trinh-chieu"):
            continue  # the wall display hides the sidebar; test_display.py screenshots it at wall sizes
        link = page.get_by_test_id("stSidebarNavLink").filter(
            has=page.get_by_test_id("stMarkdownContainer").get_by_text(label, exact=True)
        )
        if link.get_attribute("aria-current") != "page":
            watch_runs(page)
            link.click()
            expect(page).to_have_url(href)
            wait_for_rerun(page)
        expect(link).to_have_attribute("aria-current", "page")
        expect(
            page.get_by_test_id("stMain").get_by_test_id("stElementContainer").filter(visible=True).first
        ).to_be_visible()
        full_screenshot(page, screenshots / f"{slug(label)}.png")


def test_the_unit_page_shows_the_units_own_assessment_beside_its_figures(page: Page, screenshots):
    """Công an rates itself 'Đạt' (conftest.ASSESSMENT) at 47,5% with one task overdue: the unit page
    shows the rating beside the readiness and says why it is far from the figures, in both languages."""
    settled(page)
    link = page.get_by_test_id("stSidebarNavLink").filter(has=page.get_by_text("Đơn vị", exact=True))
    watch_runs(page)
    link.click()
    wait_for_rerun(page)
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Chọn đơn vị", exact=True))
    if box.get_by_role("combobox").input_value() != "Công an thành phố":  # choosing the shown one runs nothing
        box.get_by_role("combobox").click()
        watch_runs(page)
        page.get_by_role("option").filter(has_text="Công an thành phố").first.click()
        wait_for_rerun(page)

    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading").filter(has_text="Tự đánh giá của đơn vị")).to_be_visible()
    flag = main.get_by_test_id("stAlert").filter(has_text="Tự đánh giá lệch số liệu")
    expect(flag).to_contain_text("Toàn đơn vị: Đơn vị tự đánh giá Đạt nhưng mức sẵn sàng 48% (dưới 80%)")
    expect(flag).to_contain_text("và còn 1 việc quá hạn")
    table = main.get_by_test_id("stTable").filter(has_text="Phạm vi")
    expect(table).to_contain_text("Đạt ⚠")
    expect(table).to_contain_text("48%")
    expect(table).to_contain_text("Còn chờ kinh phí")
    expect(table).to_contain_text("10/10/2023")
    full_screenshot(page, screenshots / "unit-assessment.png")

    watch_runs(page)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    wait_for_rerun(page)
    expect(main.get_by_test_id("stAlert")).to_contain_text("The unit rates itself Ready but its readiness is 48%")
    expect(main.get_by_test_id("stTable").filter(has_text="Scope")).to_contain_text("Ready ⚠")
