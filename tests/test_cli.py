"""The command line, run as a user runs it: python -m readiness ... in a subprocess."""

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import ROOT, standard_rows, xlsx

from readiness.config import load_config


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "readiness", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "yen_binh.xlsx"
    good.write_bytes(xlsx({"Tiến độ": standard_rows()}))
    rows = standard_rows("Xã Yên Sơn")
    rows[7][5] = 150
    bad = tmp_path / "yen_son.xlsx"
    bad.write_bytes(xlsx({"Tiến độ": rows}))
    return good, bad


def test_ingest_json_one_object_a_line_and_exit_codes(tmp_path, files):
    good, bad = files
    db = tmp_path / "r.duckdb"
    ok = run("--db", db, "ingest", good, "--json")
    assert ok.returncode == 0, ok.stderr
    (line,) = ok.stdout.splitlines()
    answer = json.loads(line)
    assert {k: answer[k] for k in ("file", "status", "unit", "tasks", "errors", "warnings")} == {
        "file": str(good),
        "status": "accepted",
        "unit": "Phường Yên Bình",
        "tasks": 4,
        "errors": [],
        "warnings": [],
    }
    both = run("--db", db, "ingest", good, bad, "--json")
    assert both.returncode == 1
    dup, rej = (json.loads(x) for x in both.stdout.splitlines())
    assert dup["status"] == "duplicate"
    assert rej["status"] == "rejected" and rej["tasks"] == 0
    (err,) = rej["errors"]
    assert {k: err[k] for k in ("sheet", "row", "column", "value")} == {
        "sheet": "Tiến độ",
        "row": 8,
        "column": "F (Tỷ lệ (%))",
        "value": "150",
    }
    assert err["message"].startswith("Tỷ lệ 150") and "0-100" in err["message_en"]
    assert (tmp_path / "archive" / "receipts").is_dir()


def test_ingest_human_summary_in_vietnamese_and_english(tmp_path, files):
    good, bad = files
    db = tmp_path / "r.duckdb"
    out = run("--db", db, "ingest", good, bad)
    assert out.returncode == 1
    assert "ĐÃ NHẬN — Phường Yên Bình, báo cáo ngày 15/09/2023, 4 nhiệm vụ" in out.stdout
    assert "BỊ TỪ CHỐI — 1 lỗi" in out.stdout
    assert 'Trang "Tiến độ", dòng 8, cột "F (Tỷ lệ (%))": Tỷ lệ 150 nằm ngoài khoảng 0-100%.' in out.stdout
    en = run("--db", tmp_path / "e.duckdb", "--lang", "en", "ingest", bad)
    assert 'Sheet "Tiến độ", row 8, column "F (Tỷ lệ (%))": Percent 150 is outside 0-100%.' in en.stdout


def test_ingest_with_unit_for_a_file_that_names_none(tmp_path):
    f = tmp_path / "tckh.xlsx"
    f.write_bytes(xlsx({"S": [["STT", "Nội dung", "Tiểu ban", "Trạng thái"], [1, "Dự toán", "Hậu cần", "Xong"]]}))
    out = run("--db", tmp_path / "r.duckdb", "ingest", f, "--unit", "Phòng TC-KH", "--json")
    assert out.returncode == 0
    assert json.loads(out.stdout)["unit"] == "Phòng Tài chính - Kế hoạch"


def test_misuse_exits_2(tmp_path):
    assert run("--db", tmp_path / "r.duckdb", "ingest", tmp_path / "missing.xlsx").returncode == 2
    assert run("--db", tmp_path / "r.duckdb", "query", "no_such_query").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("--today", "15/11/2023", "queries").returncode == 2
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text('[exercise]\nname = "x"\nd_day = "soon"\n', encoding="utf-8")
    out = run("--config", bad_config, "--db", tmp_path / "r.duckdb", "queries", "--help")
    assert out.returncode == 0  # help is not misuse
    out = run("--config", bad_config, "--db", tmp_path / "r.duckdb", "query", "heatmap")
    assert out.returncode == 2 and "exercise.d_day" in out.stderr


def test_query_formats(tmp_path, files):
    good, _ = files
    db = tmp_path / "r.duckdb"
    run("--db", db, "ingest", good)
    js = run("--db", db, "--today", "2023-10-01", "query", "heatmap", "--format", "json")
    rows = json.loads(js.stdout)
    vk = next(r for r in rows if r["subcommittee"] == "Tiểu ban văn kiện")
    assert (vk["readiness"], vk["last_report"]) == (100.0, "2023-09-15")
    cs = run("--db", db, "--today", "2023-10-15", "query", "overdue", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(cs.stdout)))
    # due 30/09 but done; due 10/10 in progress: late; due 01/11 and 20/10: not yet
    assert [(r["task"], r["days_late"]) for r in table] == [("Phương án bảo đảm an ninh", "5")]
    tb = run("--db", db, "--today", "2023-10-01", "query", "stale")
    assert "Hội Cựu chiến binh thành phố" in tb.stdout


def test_demo_builds_all_16_units_through_the_reader(tmp_path):
    out = run("--today", "2026-11-29", "demo", "--out", tmp_path / "demo")
    assert out.returncode == 0, out.stderr
    config = load_config(tmp_path / "demo" / "exercise.toml")
    assert (config.d_day.date() - __import__("datetime").date(2026, 11, 29)).days == 23
    names = {p.suffix for p in (tmp_path / "demo" / "files").iterdir()}
    assert names == {".xlsx", ".csv"}
    stale = run(
        "--db",
        tmp_path / "demo" / "readiness.duckdb",
        "--config",
        tmp_path / "demo" / "exercise.toml",
        "--today",
        "2026-11-29",
        "query",
        "stale",
        "--format",
        "json",
    )
    rows = json.loads(stale.stdout)
    assert [r["unit"] for r in rows if r["never_reported"]] == ["Hội Cựu chiến binh thành phố"]
    assert any(not r["never_reported"] for r in rows)  # some units are late
    heat = run(
        "--db",
        tmp_path / "demo" / "readiness.duckdb",
        "--config",
        tmp_path / "demo" / "exercise.toml",
        "--today",
        "2026-11-29",
        "query",
        "heatmap",
        "--format",
        "json",
    )
    # All 16: the never-reported unit is on the board too, its planned tasks all not reported.
    assert len({r["unit"] for r in json.loads(heat.stdout)}) == 16
    subs = run(
        "--db",
        tmp_path / "demo" / "readiness.duckdb",
        "--config",
        tmp_path / "demo" / "exercise.toml",
        "query",
        "submissions",
        "--format",
        "json",
    )
    rejected = [r for r in json.loads(subs.stdout) if r["status"] == "rejected"]
    assert [r["unit"] for r in rejected] == ["Phòng Nội vụ"]  # the demo's one typo, fixed within the hour
    # Nothing arrives after the day it is built on, and its title names the year its dates are in.
    assert max(r["received_at"] for r in json.loads(subs.stdout)) < "2026-11-30"
    assert config.name.endswith("năm 2026")


def test_rebuild_command_recreates_the_same_figures(tmp_path, files):
    good, bad = files
    db = tmp_path / "r.duckdb"
    run("--db", db, "ingest", good, bad)
    before = run("--db", db, "--today", "2023-10-15", "query", "heatmap", "--format", "json").stdout
    db.unlink()
    out = run("--db", db, "rebuild")
    assert out.returncode == 0, out.stderr
    assert "2 tệp — 1 nhận, 1 từ chối, 0 trùng" in out.stdout
    assert run("--db", db, "--today", "2023-10-15", "query", "heatmap", "--format", "json").stdout == before
