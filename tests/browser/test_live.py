"""Live: a report dropped into the inbox of the running app shows on an open board within seconds,
without a reload; and `python -m readiness ingest` hands its file to the running app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

# Playwright is a test requirement: missing, the import fails loudly, never a silent None.
from playwright.sync_api import expect

from readiness.config import load_config
from readiness.store import Store
from tests.conftest import ROOT, standard_rows, xlsx

from .conftest import CONFIG, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app on its own database (one unit reported), with its inbox worker."""
    folder = tmp_path_factory.mktemp("live")
    db = folder / "live.duckdb"
    with Store(db, load_config(CONFIG)) as s:
        s.ingest_bytes(xlsx({"Tiến độ": standard_rows("Phường Yên Bình", "28/09/2023")}), "yb.xlsx")
    with serving(db, folder / "streamlit.log") as url:
        yield url, db, folder / "inbox"


@pytest.fixture
def live_page(browser, live_app):
    url, _, _ = live_app
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(20_000)
    pg = context.new_page()
    pg.goto(url)
    yield pg
    context.close()


def reported(page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="Đã báo cáo")
    return metric.get_by_test_id("stMetricValue").inner_text()


def test_a_file_dropped_into_the_inbox_shows_on_the_open_board_without_a_reload(live_page, live_app):
    _, _, inbox = live_app
    page = live_page
    expect(page.get_by_test_id("stMetric").filter(has_text="Đã báo cáo")).to_contain_text("1/16")
    page.evaluate("window.__same_page = true")  # gone if the browser reloads the page
    (inbox / "Xã Yên Sơn").mkdir(parents=True, exist_ok=True)
    tmp = inbox / "Xã Yên Sơn" / ".tuan.xlsx.tmp"
    tmp.write_bytes(xlsx({"Tiến độ": standard_rows("Xã Yên Sơn", "30/09/2023")}))
    dropped = time.monotonic()
    os.replace(tmp, inbox / "Xã Yên Sơn" / "tuan.xlsx")
    expect(page.get_by_test_id("stMetric").filter(has_text="Đã báo cáo")).to_contain_text("2/16", timeout=15_000)
    took = time.monotonic() - dropped
    assert page.evaluate("window.__same_page === true")
    assert took < 10, f"the new report took {took:.1f} s to show"
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Xã Yên Sơn")  # recent arrivals


def test_the_command_line_hands_its_file_to_the_running_app(live_page, live_app, tmp_path):
    _, db, _ = live_app
    f = tmp_path / "ttyt.xlsx"
    f.write_bytes(xlsx({"Tiến độ": standard_rows("Trung tâm Y tế thành phố", "29/09/2023")}))
    out = subprocess.run(
        [sys.executable, "-m", "readiness", "--db", str(db), "ingest", str(f), "--json", "--timeout", "30"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert (answer["status"], answer["unit"], answer["tasks"]) == ("accepted", "Trung tâm Y tế thành phố", 4)
    expect(live_page.get_by_test_id("stSidebar")).to_contain_text("Trung tâm Y tế thành phố", timeout=15_000)


def test_the_health_page_reports_the_worker(live_page, live_app):
    url, _, inbox = live_app
    live_page.goto(f"{url}/tinh-trang")
    expect(live_page.get_by_test_id("stMain")).to_contain_text("đang chạy từ")
    expect(live_page.get_by_test_id("stMain")).to_contain_text(str(inbox))


def test_an_idle_board_costs_the_server_no_script_run(browser, live_app):
    """Nothing changes for 8 s: the board's Streamlit connection stays silent (no rerun, no check every
    few seconds as the polling board made), and only the push stream's pings arrive."""
    url, _, _ = live_app
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    try:
        page = context.new_page()
        frames: list[float] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda _f: frames.append(time.monotonic())))
        page.goto(url)
        expect(page.get_by_test_id("stMetric").filter(has_text="Đã báo cáo")).to_be_visible(timeout=20_000)
        page.wait_for_function("document.documentElement.dataset.liveVersion !== undefined")
        page.evaluate(
            """() => { window.__beats = 0;
                       window.addEventListener('readiness-wall-beat', () => { window.__beats += 1; }); }"""
        )
        page.wait_for_timeout(1_500)  # the first run's last messages
        quiet_from = time.monotonic()
        page.wait_for_timeout(8_000)
        assert [f for f in frames if f > quiet_from] == [], "the idle board still talks to the server"
        assert page.evaluate("window.__beats") >= 1  # the stream is open: its pings come
    finally:
        context.close()
