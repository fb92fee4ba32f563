"""AppTest: the overview page against a fixture database; figures equal what the queries return."""

import datetime as dt

import pytest
from conftest import ROOT, standard_rows, xlsx
from streamlit.testing.v1 import AppTest

from readiness.store import Store

TODAY = "2023-10-01"


@pytest.fixture
def app_env(tmp_path, monkeypatch, config):
    db = tmp_path / "board.duckdb"
    monkeypatch.setenv("READINESS_DB", str(db))
    monkeypatch.setenv("READINESS_CONFIG", str(ROOT / "data" / "exercise.toml"))
    monkeypatch.setenv("READINESS_TODAY", TODAY)
    monkeypatch.delenv("READINESS_DEMO", raising=False)
    return db


def run_app():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def test_empty_database_shows_what_to_do(app_env):
    at = run_app()
    assert any("Chưa có báo cáo nào" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_overview_figures_equal_the_queries(app_env, config):
    with Store(app_env, config) as s:
        s.ingest_bytes(xlsx({"S": standard_rows()}), "yb.xlsx")
        subs = s.query("subcommittees", today=dt.date.fromisoformat(TODAY))
    at = run_app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Đơn vị đã báo cáo"] == "1/16"
    assert metrics["Quá hạn"] == str(int(subs.overdue.sum()))
    assert metrics["Vướng mắc"] == "1"
    # done 100, in progress 60, not started 0, blocked 30 over four equal weights
    assert metrics["Sẵn sàng"] == "47,5%"
    d_day = next(v for k, v in metrics.items() if k.startswith("Ngày N"))
    assert d_day == "Còn 44 ngày 23 giờ"  # from 08:00 on 01/10 (pinned) to 07:30 on 15/11
    (chart,) = at.get("plotly_chart")
    assert "Phường Yên Bình" in chart.proto.spec


def test_english_switch_changes_the_labels(app_env, config):
    with Store(app_env, config) as s:
        s.ingest_bytes(xlsx({"S": standard_rows()}), "yb.xlsx")
    at = run_app()
    at.sidebar.radio[0].set_value("en").run()
    labels = [m.label for m in at.metric]
    assert "Readiness" in labels and "Units reported" in labels
    assert {m.label: m.value for m in at.metric}["Readiness"] == "47.5%"
