"""The wall display (/trinh-chieu) in headless Chromium: every view fits 1920x1080 and 1280x720 with
no scrolling and nothing cut off, in large type on a dark screen without Streamlit's chrome; the
countdown and the clock tick in the browser; the views rotate by themselves; a report dropped into
the inbox of the running app shows within seconds without a reload; a lost connection puts up a
banner, which goes once the server is back.

Screenshots: test-output/screenshots/display-<view>-<width>x<height>.png."""

from __future__ import annotations

import os
import re
import signal
import time

import pytest

# Playwright is a test requirement: missing, the import fails loudly, never a silent None.
from playwright.sync_api import expect

from readiness.config import load_config
from readiness.store import Store
from tests.conftest import standard_rows, xlsx

from .conftest import CONFIG, UNITS, free_port, serving, start_server, stop_server, unit_tasks

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1280, 720)]
# The Streamlit page and the lean page the app's own routes serve (wall/server.py): one look, one script.
WALLS = {"streamlit": "/trinh-chieu", "lean": "/live/wall"}
VIEWS = ["countdown", "heatmap", "subcommittees", "risks"]

# Problems a wall must not have, found in the page: a scrolling document, Streamlit's chrome on
# screen, any element of the wall outside the viewport or clipping its content, text below
# 28 px at 1080p (scaled to the height), headline numbers below 96 px at 1080p.
FIT = """
() => {
  const W = window.innerWidth, H = window.innerHeight, scale = H / 1080;
  const bad = [];
  const doc = document.documentElement;
  if (doc.scrollHeight > H || doc.scrollWidth > W)
    bad.push(`the page scrolls: ${doc.scrollWidth}x${doc.scrollHeight} in ${W}x${H}`);
  for (const id of ['stSidebar', 'stHeader', 'stToolbar', 'stAppDeployButton', 'stExpandSidebarButton',
                    'stSidebarCollapsedControl', 'stDialog', 'stStatusWidget']) {
    for (const el of document.querySelectorAll(`[data-testid="${id}"]`))
      if (el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden') bad.push(`${id} is on screen`);
  }
  const root = document.querySelector('.wall-root');
  if (!root) return ['no wall'];
  for (const el of root.querySelectorAll('*')) {
    if (!el.getClientRects().length) continue;  // not drawn (another view, a hidden banner)
    const cs = getComputedStyle(el), r = el.getBoundingClientRect();
    const name = `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 40)}"`;
    if (r.width && (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1)) bad.push(`outside the screen: ${name}`);
    if (cs.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      bad.push(`cut off (${el.scrollWidth} > ${el.clientWidth} px wide): ${name}`);
    if (cs.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1)
      bad.push(`cut off (${el.scrollHeight} > ${el.clientHeight} px high): ${name}`);
    const ownText = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(cs.fontSize);
    if (ownText && size < 28 * scale - 0.6) bad.push(`text of ${size.toFixed(1)} px: ${name}`);
  }
  for (const el of root.querySelectorAll('.w-view.on .t-value, .w-view.on .cd-days'))
    if (parseFloat(getComputedStyle(el).fontSize) < 96 * scale - 0.6)
      bad.push(`headline number of ${getComputedStyle(el).fontSize}: ${el.textContent}`);
  return bad;
}
"""

LUMINANCE = """
() => {
  const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const root = document.querySelector('.wall-root'), cs = getComputedStyle(root);
  const bg = lum(rgb(cs.backgroundColor)), fg = lum(rgb(cs.color));
  return {background: bg, text: fg, contrast: (fg + 0.05) / (bg + 0.05)};
}
"""


def open_wall(browser, url: str, size: tuple[int, int], query: str = "", path: str = WALLS["streamlit"]):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    if path == WALLS["streamlit"]:  # the Streamlit page itself, not the lean page it sends screens to
        query = f"{query}&stay=1" if query else "?stay=1"
    page.goto(f"{url}{path}{query}")
    expect(page.get_by_test_id("wallRoot")).to_be_visible()
    return context, page


def shown_view(page) -> str:
    return page.get_by_test_id("wallRoot").get_attribute("data-view")


def check_every_view(page, screenshots, tag: str) -> None:
    """Step through the views (→, as someone at the wall's keyboard would), check each fits, and
    save its screenshot."""
    for i, name in enumerate(VIEWS):
        if i:
            page.keyboard.press("ArrowRight")
        expect(page.get_by_test_id("wallRoot")).to_have_attribute("data-view", name)
        page.evaluate("() => document.fonts.ready")
        problems = page.evaluate(FIT)
        page.screenshot(path=str(screenshots / f"display-{name}-{tag}.png"))
        assert not problems, f"{name} ({tag}): " + "\n".join(problems)


# ------------------------------------------------------------------ layout, type, ticking
@pytest.mark.parametrize("wall", WALLS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_view_fits_the_screen_in_large_type_and_the_clock_ticks(browser, app_url, screenshots, size, wall):
    expect.set_options(timeout=20_000)
    context, page = open_wall(browser, app_url, size, "?views=" + ",".join(VIEWS) + "&rotate=600", WALLS[wall])
    try:
        colours = page.evaluate(LUMINANCE)
        assert colours["background"] < 0.02 and colours["contrast"] > 12, colours  # dark, high contrast

        # the countdown and the clock tick in the browser (the server does not rerun each second)
        countdown, clock = page.get_by_test_id("wallCountdown"), page.get_by_test_id("wallClock")
        expect(countdown).to_contain_text("Còn 44 ngày 23:")  # 08:00 01/10 pinned -> 07:30 15/11
        first = (countdown.inner_text(), clock.inner_text())
        page.wait_for_function(
            "([cd, ck]) => document.querySelector('[data-testid=wallCountdown]').textContent !== cd"
            " && document.querySelector('[data-testid=wallClock]').textContent !== ck",
            arg=list(first),
            timeout=2_500,
        )
        assert page.get_by_test_id("wallName").inner_text().startswith("Diễn tập khu vực phòng thủ")
        expect(page.get_by_test_id("wallUpdated")).to_have_text(re.compile(r"^cập nhật lúc \d\d:\d\d:\d\d$"))
        expect(page.get_by_test_id("wallStale")).to_have_count(0)  # newest report 28/09, today 01/10
        expect(page.get_by_test_id("wallOffline")).to_be_hidden()

        check_every_view(page, screenshots, f"{size[0]}x{size[1]}" + ("-lean" if wall == "lean" else ""))
    finally:
        context.close()


def test_the_views_rotate_by_themselves_with_a_progress_line(browser, app_url):
    expect.set_options(timeout=20_000)
    context, page = open_wall(browser, app_url, (1280, 720), "?rotate=5&views=countdown,heatmap,risks")
    try:
        opened = time.monotonic()
        assert shown_view(page) == "countdown"
        progress = page.locator(".w-progress-bar")
        expect(progress).to_be_visible()
        width = progress.evaluate("el => el.getBoundingClientRect().width")
        page.wait_for_function(
            "(w) => document.querySelector('.w-progress-bar').getBoundingClientRect().width > w + 20", arg=width
        )
        # the moment the view changes, the progress line starts again from the left
        restarted = page.wait_for_function(
            """() => document.querySelector('.wall-root').dataset.view === 'heatmap'
                     && document.querySelector('.w-progress-bar').getBoundingClientRect().width""",
            timeout=9_000,
            polling="raf",
        ).json_value()
        took = time.monotonic() - opened
        assert 3.5 < took < 8, f"the next view came after {took:.1f} s (rotate=5)"
        assert restarted < 0.2 * 1280, f"the progress line did not start again ({restarted} px)"
        expect(page.locator('.w-view.on[data-view="heatmap"]')).to_be_visible()
        expect(page.locator('.w-view[data-view="countdown"]')).to_be_hidden()
        expect(page.locator(".w-viewtitle")).to_have_text("Mức sẵn sàng theo đơn vị và tiểu ban (%)")
    finally:
        context.close()


def test_the_english_wall_fits_too(browser, app_url, screenshots):
    expect.set_options(timeout=20_000)
    context, page = open_wall(browser, app_url, (1280, 720), "?lang=en&rotate=600")
    try:
        expect(page.get_by_test_id("wallCountdown")).to_contain_text("44 days 23:")
        expect(page.locator(".tile .t-label").first).to_have_text("Readiness")
        expect(page.get_by_test_id("wallUpdated")).to_contain_text("updated at ")
        check_every_view(page, screenshots, "1280x720-en")
    finally:
        context.close()


# ------------------------------------------------------------------ live: inbox and connection
@pytest.fixture(scope="module")
def own_app(tmp_path_factory):
    """The app on a database of its own (the three fixture units), with its inbox worker."""
    tmp_path = tmp_path_factory.mktemp("wall")
    db = tmp_path / "wall.duckdb"
    with Store(db, load_config(CONFIG), tmp_path / "archive") as store:
        for unit, date, tag in UNITS:
            assert store.ingest_bytes(
                xlsx({"T": standard_rows(unit, date, unit_tasks(tag))}), f"{tag}.xlsx"
            ).status == ("accepted")
    port = free_port()
    log = tmp_path / "streamlit.log"
    servers = [start_server(db, port, log)]
    yield {"url": f"http://127.0.0.1:{port}", "db": db, "port": port, "log": log, "servers": servers}
    for server in servers:
        stop_server(server)


@pytest.mark.parametrize("wall", WALLS)
def test_a_report_dropped_into_the_inbox_shows_on_the_wall_without_a_reload(browser, own_app, wall):
    from readiness.inbox import inbox_dir  # the project's own module: a failing import fails the test

    config = load_config(CONFIG)
    inbox = inbox_dir(config, own_app["db"])
    context, page = open_wall(browser, own_app["url"], (1280, 720), "?views=countdown", WALLS[wall])
    unit, tag = {"streamlit": ("Xã Yên Sơn", "YS"), "lean": ("Phòng Nội vụ", "NV")}[wall]
    try:
        reported = page.locator('.tile[data-key="units_reported"] .t-value')
        before = int(reported.inner_text().split("/")[0])
        expect(reported).to_have_text(re.compile(r"^\d+/16$"))
        updated = page.get_by_test_id("wallUpdated").inner_text()
        version = page.get_by_test_id("wallRoot").get_attribute("data-version")
        page.evaluate("window.__same_page = true")  # gone if the browser reloads the page

        inbox.mkdir(parents=True, exist_ok=True)
        part = inbox / ".ys.xlsx.part"
        part.write_bytes(xlsx({"T": standard_rows(unit, "30/09/2023", unit_tasks(tag))}))
        os.replace(part, inbox / f"{tag}.xlsx")
        deadline = time.monotonic() + 20
        while (inbox / f"{tag}.xlsx").exists():  # the worker takes the file, ingests it, removes it
            assert time.monotonic() < deadline, f"the inbox worker did not take the file:\n{own_app['log'].read_text()}"
            time.sleep(0.05)
        ingested = time.monotonic()

        expect(reported).to_have_text(f"{before + 1}/16", timeout=10_000)
        took = time.monotonic() - ingested
        assert took < 3, f"the wall showed the new report {took:.1f} s after it was stored (pushed, not polled)"
        assert page.evaluate("window.__same_page === true"), "the page was reloaded"
        assert page.get_by_test_id("wallRoot").get_attribute("data-version") != version
        # 'cập nhật lúc' is when this version was drawn: to the second, so it may equal the last one's
        assert page.get_by_test_id("wallUpdated").inner_text() >= updated
    finally:
        context.close()


@pytest.mark.parametrize("wall", WALLS)
def test_a_lost_connection_puts_up_a_banner_until_the_server_answers_again(browser, own_app, wall):
    """The server stops answering (frozen with SIGSTOP: the socket stays open, as when a network
    cable is pulled, so only the missing heartbeat tells) and then answers again (SIGCONT).
    Killing and restarting the server gives the same banner and recovery (Streamlit reconnects)."""
    server = own_app["servers"][-1]
    context, page = open_wall(browser, own_app["url"], (1280, 720), "?views=heatmap", WALLS[wall])
    try:
        banner = page.get_by_test_id("wallOffline")
        page.wait_for_timeout(5_000)  # at least one heartbeat (the push stream's ping)
        expect(banner).to_be_hidden()
        server.send_signal(signal.SIGSTOP)
        stopped = time.monotonic()
        try:
            expect(banner).to_be_visible(timeout=15_000)
            took = time.monotonic() - stopped
            assert took < 12, f"the banner came {took:.1f} s after the server stopped answering"
            expect(banner).to_contain_text("MẤT KẾT NỐI VỚI MÁY CHỦ")
            expect(page.get_by_test_id("wallRoot")).to_have_attribute("data-view", "heatmap")  # the figures stay
            assert not page.evaluate(FIT), "the banner pushes the wall off the screen"
        finally:
            server.send_signal(signal.SIGCONT)
        expect(banner).to_be_hidden(timeout=10_000)  # the heartbeat resumes
    finally:
        context.close()


# ------------------------------------------------------------------ the risk view pages
@pytest.fixture(scope="module")
def many_risks(tmp_path_factory):
    """The app on a database with 20 overdue tasks (three pages of the risk view), one at 100 %."""
    tmp_path = tmp_path_factory.mktemp("risks")
    db = tmp_path / "risks.duckdb"
    tasks = [
        [k, f"Việc trễ số {k:02d}", "An ninh", f"{k:02d}/09/2023", "Đang thực hiện", 40, f"Đ/c Số {k}", ""]
        for k in range(1, 21)
    ]
    tasks.append([21, "Việc đã xong nhưng ghi Đang thực hiện", "An ninh", "01/09/2023", "Đang thực hiện", 100, "", ""])
    with Store(db, load_config(CONFIG), tmp_path / "archive") as store:
        outcome = store.ingest_bytes(xlsx({"T": standard_rows("Xã Đông Sơn", "30/09/2023", tasks)}), "ds.xlsx")
        assert outcome.status == "accepted", outcome
    with serving(db, tmp_path / "streamlit.log") as url:
        yield url


def test_the_risk_view_pages_through_every_risk(browser, many_risks, screenshots):
    expect.set_options(timeout=20_000)
    context, page = open_wall(browser, many_risks, (1280, 720), "?views=risks&rotate=5")
    try:
        root, note = page.get_by_test_id("wallRoot"), page.locator(".w-note")
        rows = page.locator(".w-view.on .rk-page.on .rk-task")
        expect(root).to_have_attribute("data-page", "0")
        expect(note).to_have_text("1–8 trong 20 việc · 1/3")
        expect(rows).to_have_count(8)
        expect(rows.first).to_have_text("Việc trễ số 01")
        assert not page.evaluate(FIT)
        page.screenshot(path=str(screenshots / "display-risks-paged-1280x720.png"))
        # the rotation turns the page by itself (rotate=5), then → turns it by hand
        expect(root).to_have_attribute("data-page", "1", timeout=9_000)
        expect(note).to_have_text("9–16 trong 20 việc · 2/3")
        expect(rows.first).to_have_text("Việc trễ số 09")
        page.keyboard.press("ArrowRight")
        expect(root).to_have_attribute("data-page", "2")
        expect(note).to_have_text("17–20 trong 20 việc · 3/3")
        expect(rows).to_have_count(4)
        assert not page.evaluate(FIT)
        page.keyboard.press("ArrowRight")  # round again, from the first page
        expect(root).to_have_attribute("data-page", "0")
        # the task at 100 % is finished: never listed as late
        expect(page.locator(".rk-task").filter(has_text="đã xong")).to_have_count(0)
    finally:
        context.close()
