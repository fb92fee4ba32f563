"""Fixtures in code: the Tam Điệp config, spreadsheets built in the test that uses them, a fresh store."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import settings

from readiness import service
from readiness.config import load_config
from readiness.reader import read_report
from readiness.store import Store

# No per-example deadline: CI machines are shared and slow at times; the properties are what count.
settings.register_profile("ci", deadline=None)
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

HEADER = ["STT", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Trạng thái", "Tỷ lệ (%)", "Người phụ trách", "Ghi chú"]


@pytest.fixture(scope="session")
def config():
    return load_config(ROOT / "data" / "exercise.toml")


def xlsx(sheets: dict[str, list[list]], *, merges: dict[str, list[str]] | None = None, formats=None) -> bytes:
    """An .xlsx whose sheets hold the given rows from A1.

    A cell given as ("pct", 0.8) is written as a number formatted as percent; ("date", date) as a
    date cell; ("formula", "=...", cached) as a formula with its cached value.
    """
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    pct = wb.add_format({"num_format": "0%"})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, tuple):
                    kind = value[0]
                    if kind == "pct":
                        ws.write_number(r, c, value[1], pct)
                    elif kind == "date":
                        ws.write_datetime(r, c, dt.datetime.combine(value[1], dt.time()), date)
                    elif kind == "formula":
                        ws.write_formula(r, c, value[1], None, value[2])
                    elif kind == "hidden_col":
                        ws.write(r, c, value[1])
                        ws.set_column(c, c, None, None, {"hidden": True})
                elif value is None or value == "":
                    continue
                else:
                    ws.write(r, c, value)
        for rng in (merges or {}).get(name, []):
            first = rows_value(rows, rng)
            ws.merge_range(rng, first if first is not None else "")
    wb.close()
    return buf.getvalue()


PLAN_HEADER = [
    "STT",
    "Mã NV",
    "Nội dung công việc",
    "Tiểu ban",
    "Đơn vị chủ trì",
    "Thời hạn",
    "Trọng số",
]  # the assigned plan's header row


def plan_book(rows: list[list], title: str = "BAN CHỈ ĐẠO DIỄN TẬP") -> bytes:
    """An assigned plan as the committee saves it: a title, a blank row, the header, the rows."""
    return xlsx({"Kế hoạch": [[title], [], PLAN_HEADER, *rows]})


def rows_value(rows: list[list], rng: str):
    from xlsxwriter.utility import xl_cell_to_rowcol

    r, c = xl_cell_to_rowcol(rng.split(":")[0])
    try:
        return rows[r][c]
    except IndexError:
        return None


def admin_block(unit: str = "Phường Yên Bình", report_date: str = "15/09/2023") -> list[list]:
    """The header block of a Vietnamese administrative spreadsheet."""
    return [
        ["UBND THÀNH PHỐ TAM ĐIỆP", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [unit.upper(), "", "", "", "Độc lập - Tự do - Hạnh phúc"],
        ["BẢNG TỔNG HỢP TIẾN ĐỘ CHUẨN BỊ DIỄN TẬP KVPT NĂM 2023"],
        [f"Đơn vị: {unit}", "", "", "", f"Ngày báo cáo: {report_date}"],
        [],
    ]


def standard_rows(unit: str = "Phường Yên Bình", report_date: str = "15/09/2023", tasks=None) -> list[list]:
    tasks = tasks or [
        [1, "Xây dựng văn kiện khối A", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "Đ/c Hùng", ""],
        [2, "Phương án bảo đảm an ninh", "An ninh", "10/10/2023", "Đang thực hiện", 60, "Đ/c Lan", ""],
        [3, "Treo băng rôn, khẩu hiệu", "Khánh tiết", "01/11/2023", "Chưa thực hiện", "", "Đ/c Minh", ""],
        [4, "Chuẩn bị sở chỉ huy", "Hậu cần", "20/10/2023", "Vướng mắc", 30, "Đ/c Thảo", "Chờ kinh phí"],
    ]
    return admin_block(unit, report_date) + [HEADER] + tasks


@pytest.fixture
def read(config):
    """read(data, filename='t.xlsx', **kw) -> Report, with the Tam Điệp config."""

    def _read(data: bytes, filename: str = "t.xlsx", **kw):
        return read_report(data, filename, config, **kw)

    return _read


@pytest.fixture
def store(tmp_path, config):
    s = Store(tmp_path / "t.duckdb", config, tmp_path / "archive")
    yield s
    s.close()


def codes(messages) -> list[str]:
    return [m.code for m in messages]


# ---------------------------------------------------------------- AppTest: the app on a fixture database

APP_TODAY = "2023-10-01"  # pinned: 08:00 on 01/10/2023; D-day is 07:30 on 15/11/2023


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """The app's database path for AppTest: env set, today pinned, no inbox worker thread."""
    db = tmp_path / "board.duckdb"
    monkeypatch.setenv("READINESS_DB", str(db))
    monkeypatch.setenv("READINESS_CONFIG", str(ROOT / "data" / "exercise.toml"))
    monkeypatch.setenv("READINESS_TODAY", APP_TODAY)
    monkeypatch.setenv("READINESS_INBOX", "0")
    monkeypatch.delenv("READINESS_DEMO", raising=False)
    yield db
    service.stop(readers=False)  # the app's store of this test's database is closed with it


def week(date: str, progress: int, status: str = "Đang thực hiện") -> bytes:
    """Phường Yên Bình's report of a week: documents done, security at `progress`, banners not
    started (due 20/09), the command post blocked at 30%."""
    tasks = [
        [1, "Xây dựng văn kiện khối A", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "Đ/c Hùng", ""],
        [2, "Phương án bảo đảm an ninh", "An ninh", "10/10/2023", status, progress, "Đ/c Lan", ""],
        [3, "Treo băng rôn, khẩu hiệu", "Khánh tiết", "20/09/2023", "Chưa thực hiện", "", "Đ/c Minh", ""],
        [4, "Chuẩn bị sở chỉ huy", "Hậu cần", "20/10/2023", "Vướng mắc", 30, "Đ/c Thảo", "Chờ kinh phí"],
    ]
    return xlsx({"Tiến độ": standard_rows("Phường Yên Bình", date, tasks)})


@pytest.fixture
def two_weeks(app_env, config):
    """Phường Yên Bình reported on 22/09 and 29/09; Công an on 10/09 (stale by 01/10)."""
    with Store(app_env, config) as s:
        assert s.ingest_bytes(week("22/09/2023", 40), "w1.xlsx").status == "accepted"
        assert s.ingest_bytes(week("29/09/2023", 80), "w2.xlsx").status == "accepted"
        ca = [[1, "Luyện tập giải tán đám đông", "An ninh", "05/09/2023", "Đang làm", 50, "", ""]]
        assert s.ingest_bytes(xlsx({"S": standard_rows("Công an thành phố", "10/09/2023", ca)}), "ca.xlsx").status == (
            "accepted"
        )
    return app_env


def open_page(page: str | None = None, user=None, lang: str | None = None, query_params: dict | None = None):
    """The app in AppTest (main.py, the router), optionally logged in as ``user``, with the URL's
    ``query_params``, in ``lang``, switched to ``page``; fails on any exception the page raised.
    The one AppTest runner of the suite."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=30)
    if user is not None:
        at.session_state["user"] = user
    if query_params:
        at.query_params.update(query_params)
    at.run()
    if page and page != "pages/overview.py":  # the overview is where the app opens
        at.switch_page(page).run()
    if lang is not None:  # after the switch: a page switch starts from the default language
        at.radio(key="lang").set_value(lang).run()
    assert not at.exception, at.exception
    return at


def wait_for(predicate, timeout=15.0, step=0.05) -> bool:
    """Poll ``predicate`` until it holds (True) or ``timeout`` seconds pass (False)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
