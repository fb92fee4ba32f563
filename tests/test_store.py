"""The store: archive first, one transaction per file, history kept, duplicates, rebuild."""

import datetime as dt
import json

import pytest
from conftest import HEADER, standard_rows, xlsx

from readiness.archive import sha256
from readiness.rebuild import rebuild
from readiness.store import Store

TODAY = dt.date(2023, 10, 1)


def report(unit="Phường Yên Bình", date="15/09/2023", progress=60, status="Đang thực hiện"):
    tasks = [
        [1, "Xây dựng văn kiện khối A", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "", ""],
        [2, "Phương án bảo đảm an ninh", "An ninh", "10/10/2023", status, progress, "", ""],
    ]
    return xlsx({"Tiến độ": standard_rows(unit, date, tasks)})


def cell(store, unit, sub):
    df = store.query("heatmap", today=TODAY)
    row = df[(df.unit == unit) & (df.subcommittee == sub)]
    return None if row.empty else row.iloc[0].to_dict()


def test_accepted_file_is_archived_then_stored(store):
    data = report()
    out = store.ingest_bytes(data, "yb.xlsx", source="upload", submitted_by="clerk")
    assert (out.status, out.unit, out.tasks, out.report_date) == (
        "accepted",
        "Phường Yên Bình",
        2,
        dt.date(2023, 9, 15),
    )
    assert store.archive.get(sha256(data)) == data
    (receipt,) = store.archive.receipts()
    assert (receipt.original_name, receipt.source, receipt.submitted_by) == ("yb.xlsx", "upload", "clerk")
    sub = store.con.execute("SELECT unit, status, n_tasks, source, sha256 FROM submissions").fetchall()
    assert sub == [("Phường Yên Bình", "accepted", 2, "upload", sha256(data))]
    assert store.con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 2


def test_rejected_file_is_kept_byte_for_byte_with_its_error_report_and_changes_no_figure(store):
    store.ingest_bytes(report(progress=60), "good.xlsx")
    before = store.query("heatmap", today=TODAY)
    bad = report(date="22/09/2023", progress=160)
    out = store.ingest_bytes(bad, "bad.xlsx")
    assert out.status == "rejected"
    assert store.archive.get(sha256(bad)) == bad
    errors = json.loads(store.archive.report_path(sha256(bad)).read_text(encoding="utf-8"))
    assert errors[0]["code"] == "percent_range" and errors[0]["row"] == 8
    assert store.query("heatmap", today=TODAY).equals(before)
    status = store.con.execute("SELECT status FROM submissions ORDER BY id").fetchall()
    assert status == [("accepted",), ("rejected",)]


def test_same_bytes_again_is_a_duplicate_and_changes_nothing(store):
    data = report()
    first = store.ingest_bytes(data, "a.xlsx")
    tasks_before = store.con.execute("SELECT count(*) FROM tasks").fetchone()[0]
    again = store.ingest_bytes(data, "a (1).xlsx")
    assert (again.status, again.duplicate_of, again.unit) == ("duplicate", first.submission_id, "Phường Yên Bình")
    assert store.con.execute("SELECT count(*) FROM tasks").fetchone()[0] == tasks_before
    assert len(store.archive.receipts()) == 2  # every arrival is recorded


def test_newer_report_supersedes_and_history_is_kept(store):
    store.ingest_bytes(report(date="15/09/2023", progress=40), "w1.xlsx")
    store.ingest_bytes(report(date="22/09/2023", progress=80), "w2.xlsx")
    assert cell(store, "Phường Yên Bình", "Tiểu ban an ninh, trật tự")["readiness"] == 80
    history = store.query("history", today=TODAY)
    an_ninh = history[history.subcommittee == "Tiểu ban an ninh, trật tự"]
    assert list(an_ninh.readiness) == [40, 80]
    assert store.con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 4


def test_late_arrival_dated_earlier_does_not_replace_a_newer_report(store):
    store.ingest_bytes(report(date="22/09/2023", progress=80), "w2.xlsx")
    store.ingest_bytes(report(date="15/09/2023", progress=40), "w1-late.xlsx")
    assert cell(store, "Phường Yên Bình", "Tiểu ban an ninh, trật tự")["readiness"] == 80


def test_between_equal_report_dates_the_later_arrival_counts(store):
    store.ingest_bytes(report(progress=40), "morning.xlsx", received_at=dt.datetime(2023, 9, 15, 8))
    store.ingest_bytes(report(progress=70), "evening.xlsx", received_at=dt.datetime(2023, 9, 15, 17))
    assert cell(store, "Phường Yên Bình", "Tiểu ban an ninh, trật tự")["readiness"] == 70


def test_a_failed_transaction_stores_nothing_but_the_bytes_are_kept(store, monkeypatch):
    data = report()

    def broken(con, units=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_bump_version", broken)
    with pytest.raises(RuntimeError):
        store.ingest_bytes(data, "yb.xlsx")
    assert store.con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
    assert store.con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
    assert store.archive.get(sha256(data)) == data


def test_data_version_moves_with_every_file(store):
    v0 = store.data_version()
    store.ingest_bytes(report(), "a.xlsx")
    v1 = store.data_version()
    store.ingest_bytes(b"", "empty.xlsx")
    assert v0 < v1 < store.data_version()


def test_file_over_the_size_limit_is_rejected(tmp_path, config):
    from dataclasses import replace

    small = replace(config, max_upload_mb=1)
    with Store(tmp_path / "s.duckdb", small, tmp_path / "a") as s:
        out = s.ingest_bytes(b"x" * (1024 * 1024 + 1), "huge.csv")
    assert [m.code for m in out.errors] == ["too_large"]


def test_rebuild_from_the_archive_alone_yields_the_same_figures(tmp_path, config):
    db = tmp_path / "r.duckdb"
    with Store(db, config, tmp_path / "archive") as s:
        s.ingest_bytes(report(date="15/09/2023", progress=40), "w1.xlsx", received_at=dt.datetime(2023, 9, 15, 9))
        w2 = report(date="22/09/2023", progress=80)
        s.ingest_bytes(w2, "w2.xlsx", received_at=dt.datetime(2023, 9, 22, 9))
        s.ingest_bytes(w2, "w2-again.xlsx", received_at=dt.datetime(2023, 9, 22, 10))
        s.ingest_bytes(report("Xã Yên Sơn", "20/09/2023", 300), "ys-bad.xlsx", received_at=dt.datetime(2023, 9, 20, 9))
        s.ingest_bytes(
            xlsx({"S": [["STT", "Nội dung", "Tiểu ban", "Trạng thái"], [1, "Dự toán", "Hậu cần", "Xong"]]}),
            "tckh.xlsx",
            unit_hint="Phòng TC-KH",
            received_at=dt.datetime(2023, 9, 21, 9),
        )
        before = {q: s.query(q, today=TODAY) for q in ("heatmap", "subcommittees", "overdue", "stale", "history")}
        subs_before = s.con.execute(
            "SELECT sha256, original_name, received_at, source, unit, status, report_date, n_tasks FROM submissions ORDER BY id"
        ).fetchall()
    outcomes = rebuild(db, config, tmp_path / "archive")
    assert [o.status for o in outcomes] == ["accepted", "rejected", "accepted", "accepted", "duplicate"]
    with Store(db, config, tmp_path / "archive") as s:
        for name, df in before.items():
            assert s.query(name, today=TODAY).equals(df), name
        assert s.con.execute(
            "SELECT sha256, original_name, received_at, source, unit, status, report_date, n_tasks FROM submissions ORDER BY id"
        ).fetchall() == sorted(subs_before, key=lambda r: r[2])


def test_header_only_rows_with_unit_column_mixed_units_are_rejected(store):
    rows = [
        ["Đơn vị", *HEADER],
        ["CATP", 1, "Việc A", "An ninh", "", "Xong"],
        ["TTYT", 2, "Việc B", "Hậu cần", "", "Xong"],
    ]
    out = store.ingest_bytes(xlsx({"S": rows}), "mixed.xlsx")
    assert [m.code for m in out.errors] == ["unit_mixed"]
    assert out.errors[0].row == 3


def test_preview_diffs_like_the_stored_report_and_leaves_nothing_behind(store):
    first = store.ingest_bytes(report(date="15/09/2023", progress=40), "w1.xlsx")
    data = report(date="22/09/2023", progress=80)
    version, n_tasks = store.data_version(), store.con.execute("SELECT count(*) FROM tasks").fetchone()[0]
    rep, duplicate_of, diff = store.preview(data, "w2.xlsx")
    assert rep.accepted and duplicate_of is None
    assert list(diff.change) == ["changed"] and (diff.old_percent[0], diff.new_percent[0]) == (40, 80)
    assert store.data_version() == version
    assert store.con.execute("SELECT count(*) FROM tasks").fetchone()[0] == n_tasks
    second = store.ingest_bytes(data, "w2.xlsx")
    assert diff.equals(store.query("report_diff", old=first.submission_id, new=second.submission_id))
    assert store.preview(data, "again.xlsx")[1] == second.submission_id  # a duplicate: no read, no diff
    other = store.preview(report(unit="Xã Yên Sơn"), "ys.xlsx")[2]
    assert list(other.change) == ["new", "new"]  # a unit with no report yet: every task is new


def test_every_write_is_one_transaction_rolled_back_whole(store, monkeypatch):
    out = store.ingest_bytes(report(), "a.xlsx")

    def broken(con, units=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_bump_version", broken)
    with pytest.raises(RuntimeError):
        store.withdraw(out.submission_id, None, "nhầm")
    assert store.con.execute("SELECT count(*) FROM submissions WHERE withdrawn_at IS NOT NULL").fetchone()[0] == 0
    assert store.con.execute("SELECT count(*) FROM audit WHERE action = 'withdraw'").fetchone()[0] == 0
    assert not store.archive.pending()  # the withdrawal's pending record was set aside, not left
    monkeypatch.undo()
    store.withdraw(out.submission_id, None, "nhầm")
    with pytest.raises(ValueError):  # withdrawn already: refused inside the transaction too
        store.withdraw(out.submission_id, None, "nhầm")


def test_store_statements_load_by_name_and_fail_loudly():
    from readiness import sql

    assert sql.statements("recompute_current")[0].lstrip().startswith("--")
    for bad in ("no_such_statement", "../tables", ""):
        with pytest.raises(sql.UnknownStatement):
            sql.statements(bad)
