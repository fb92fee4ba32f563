"""The real app in a real browser: a fixture database built from spreadsheets, `streamlit run app.py`
on a free port, and headless Chromium (Debian's, /usr/bin/chromium) driven by Playwright.

Nothing here is skipped: without Chromium or Playwright the browser tests fail and say what to
install (`.ci/run` installs both)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT, standard_rows, xlsx  # tests/conftest.py (this folder is a package)

from readiness.config import load_config
from readiness.store import Store

CONFIG = ROOT / "data" / "exercise.toml"
TODAY = "2023-10-01"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60

# (unit, report date, tasks): every task name carries the unit's tag so a table shows whose it is.
UNITS = [
    ("Phường Yên Bình", "25/09/2023", "YB"),
    ("Xã Đông Sơn", "28/09/2023", "ĐS"),
    ("Công an thành phố", "20/09/2023", "CA"),
]


def unit_tasks(tag: str) -> list[list]:
    return [
        [1, f"Xây dựng văn kiện khối A ({tag})", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "Đ/c Hùng", ""],
        [2, f"Phương án bảo đảm an ninh ({tag})", "An ninh", "10/10/2023", "Đang thực hiện", 60, "Đ/c Lan", ""],
        [3, f"Treo băng rôn, khẩu hiệu ({tag})", "Khánh tiết", "01/11/2023", "Chưa thực hiện", "", "Đ/c Minh", ""],
        [4, f"Chuẩn bị sở chỉ huy ({tag})", "Hậu cần", "20/09/2023", "Vướng mắc", 30, "Đ/c Thảo", "Chờ kinh phí"],
    ]


def chromium_path() -> str | None:
    """$CHROMIUM if set, else Debian's /usr/bin/chromium, else `chromium` on PATH."""
    candidates = (
        [os.environ["CHROMIUM"]] if os.environ.get("CHROMIUM") else ["/usr/bin/chromium", shutil.which("chromium")]
    )
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


# Công an's own assessment, in a 'Tự đánh giá' sheet as the template has it: 'Đạt' for the whole unit
# at 47,5% with its command post overdue since 20/09, so the board flags it as far from the figures.
ASSESSMENT = [
    ["TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG"],
    ["STT", "Tiểu ban", "Tự đánh giá", "Nhận xét", "Dự kiến sẵn sàng"],
    [1, "Chung", "Đạt", "Còn chờ kinh phí", "10/10/2023"],
]


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("board")
    db = folder / "board.duckdb"
    with Store(db, load_config(CONFIG), folder / "archive") as store:
        for unit, date, tag in UNITS:
            sheets = {"Tiến độ": standard_rows(unit, date, unit_tasks(tag))}
            if tag == "CA":
                sheets["Tự đánh giá"] = ASSESSMENT
            outcome = store.ingest_bytes(xlsx(sheets), f"{tag}.xlsx")
            assert outcome.status == "accepted", outcome
    return db  # closed: the server is the only process that opens it


def start_server(
    db: Path, port: int, log: Path, today: str = TODAY, extra_env: dict[str, str] | None = None
) -> subprocess.Popen:
    """`streamlit run app.py` on a database (today pinned), once it answers its health check."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("READINESS_", "STREAMLIT_"))}
    env.update(READINESS_DB=str(db), READINESS_CONFIG=str(CONFIG), READINESS_TODAY=today, **(extra_env or {}))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while not healthy(url):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"streamlit did not answer {url}/_stcore/health:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)
    return server


@contextmanager
def serving(db: Path, log: Path, **kw) -> Iterator[str]:
    """`streamlit run app.py` on a database (start_server's options) for the block: its URL."""
    port = free_port()
    server = start_server(db, port, log, **kw)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(server)


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def app_url(fixture_db, tmp_path_factory):
    """`streamlit run app.py` on the fixture database, today pinned; stopped after the session."""
    with serving(fixture_db, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright for Python is not installed: pip install -r requirements-dev.txt (never `playwright install`)"
        )
    path = chromium_path()
    if path is None:
        pytest.fail(
            "Chromium not found at $CHROMIUM, /usr/bin/chromium or on PATH: apt-get install -y chromium "
            "(.ci/run does it; never `playwright install`)"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser context (so a fresh Streamlit session) on the board's root URL."""
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    context = browser.new_context(viewport={"width": 1440, "height": 1200}, locale="vi-VN")
    context.set_default_timeout(20_000)
    pg = context.new_page()
    pg.goto(app_url)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
