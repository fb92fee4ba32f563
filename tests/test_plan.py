"""Readiness against the assigned plan (issue 10), on fixture data with known answers: no unit can look
ready by leaving planned tasks out; extras are shown, not counted; the plan's deadlines and weights
win; plans are archived, versioned and replayed by rebuild."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from conftest import admin_block, plan_book, xlsx

from readiness import queries
from readiness.rebuild import rebuild

TODAY = dt.date(2023, 10, 1)
YB, CA = "Phường Yên Bình", "Công an thành phố"


@functools.cache
def the_plan() -> bytes:
    """The plan of these tests, built once: xlsxwriter stamps the time into a workbook, so two builds a
    second apart are different bytes (and a reload would not be the duplicate it is)."""
    return plan_file()


def plan_file(rows=None) -> bytes:
    rows = rows or [
        [1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", YB, "30/09/2023", 1],
        [2, "VK02", "Văn kiện khối A", "Văn kiện", YB, "15/10/2023", 2],
        [3, "AN01", "Phương án bảo vệ mục tiêu", "An ninh", f"{YB}; {CA}", "20/10/2023", 1],
        [4, "", "Diễn tập phòng cháy", "Hậu cần", YB, "01/11/2023", 1],
    ]
    return plan_book(rows)


def report(unit: str, date: str, tasks: list[list]) -> bytes:
    header = ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Trạng thái", "Tỷ lệ (%)"]
    return xlsx({"Tiến độ": admin_block(unit, date) + [header, *tasks]})


@pytest.fixture
def planned(store):
    """Yên Bình reports two of its four planned tasks (one coded, one by text) and one extra;
    Công an has a planned task and no report."""
    out = store.load_plan(the_plan(), "ke_hoach.xlsx")
    assert out.status == "accepted", [m.message for m in out.errors]
    assert (out.tasks, out.units) == (5, 2)
    got = store.ingest_bytes(
        report(
            YB,
            "25/09/2023",
            [
                [1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", "30/09/2023", "Hoàn thành", 100],
                [2, "", "Diễn tập phòng cháy", "Hậu cần", "05/11/2023", "Đang thực hiện", 40],
                [3, "", "Tổ chức hội nghị quán triệt", "Văn kiện", "", "Hoàn thành", 100],
            ],
        ),
        "yb.xlsx",
    )
    assert got.status == "accepted", got.errors
    return store, got


def test_planned_tasks_left_out_count_as_not_reported(planned):
    store, _ = planned
    heat = store.query("heatmap", today=TODAY)
    cell = heat[(heat.unit == YB) & (heat.subcommittee == "Tiểu ban văn kiện")].iloc[0]
    # VK01 done (weight 1), VK02 not reported (weight 2): (100*1 + 0*2) / 3; the extra does not count.
    assert (cell.readiness, cell.tasks, cell.not_reported, cell.extra) == (33.3, 2, 1, 1)
    hc = heat[(heat.unit == YB) & (heat.subcommittee.str.contains("hậu cần"))].iloc[0]
    assert (hc.readiness, hc.not_reported) == (40.0, 0)
    an = heat[(heat.unit == YB) & (heat.subcommittee.str.contains("an ninh"))].iloc[0]
    assert (an.readiness, an.not_reported) == (0.0, 1)


def test_a_planned_unit_with_no_report_shows_every_planned_task_as_not_reported(planned):
    store, _ = planned
    tasks = store.query("tasks", today=TODAY, unit=CA, subcommittee=None)
    assert list(tasks.status) == ["not_reported"] and list(tasks.plan_state) == ["not_reported"]
    heat = store.query("heatmap", today=TODAY)
    ca = heat[heat.unit == CA].iloc[0]
    assert (ca.readiness, ca.not_reported) == (0.0, 1)


def test_extras_are_listed_apart_and_the_plan_deadline_wins_with_a_warning(planned):
    store, outcome = planned
    extras = store.query("extra_tasks", today=TODAY, unit=YB, subcommittee=None)
    assert list(extras.task) == ["Tổ chức hội nghị quán triệt"]
    tasks = store.query("tasks", today=TODAY, unit=YB, subcommittee=None)
    fire = tasks[tasks.task == "Diễn tập phòng cháy"].iloc[0]
    assert fire.deadline.date() == dt.date(2023, 11, 1)  # the plan's, not the report's 05/11
    (w,) = [m for m in outcome.warnings if m.code == "plan_deadline_moved"]
    assert (w.sheet, w.row, w.value) == ("Tiến độ", 8, "05/11/2023") and "01/11/2023" in w.message


def test_overdue_planned_tasks_nobody_reported_are_risks(planned):
    store, _ = planned
    risks = store.query("risks", today=dt.date(2023, 10, 16))
    late = risks[risks.status == "not_reported"]
    assert ("Văn kiện khối A", YB) in set(zip(late.task, late.unit, strict=True))


def test_headline_and_subcommittees_count_the_same_way(planned):
    store, _ = planned
    subs = store.query("subcommittees", today=TODAY).set_index("short")
    assert subs.loc["Văn kiện", "not_reported"] == 1 and subs.loc["An ninh", "not_reported"] == 2
    tasks = store.query("tasks", today=TODAY, unit=None, subcommittee=None)
    head = store.query("headline", today=TODAY).set_index("period")
    weights = tasks.weight * tasks.progress
    assert head.loc["now", "readiness"] == round(weights.sum() / tasks.weight.sum(), 1)


def test_every_named_query_runs_with_a_plan(planned):
    store, _ = planned
    ids = [r[0] for r in store.con.execute("SELECT id FROM submissions ORDER BY id").fetchall()]
    params = {"unit": YB, "subcommittee": "Tiểu ban văn kiện", "old": ids[0], "new": ids[0], "limit": 5, "id": ids[0]}
    params["since"] = TODAY - dt.timedelta(days=7)
    for name in queries.names():
        store.query(name, today=TODAY, **{k: params[k] for k in queries.params_of(name) if k in params})


def test_a_rejected_plan_keeps_the_one_in_force(planned):
    store, _ = planned
    bad = plan_file([[1, "X1", "Việc lạ", "Văn kiện", "Phường Không Có", "30/09/2023", 1]])
    out = store.load_plan(bad, "ke_hoach_loi.xlsx")
    assert out.status == "rejected" and out.errors
    assert len(store.plan()) == 5
    assert store.query("heatmap", today=TODAY).not_reported.sum() == 3


def test_the_same_plan_again_is_a_duplicate_and_a_new_one_replaces_it(planned):
    store, _ = planned
    assert store.load_plan(the_plan(), "ke_hoach.xlsx").status == "duplicate"
    smaller = plan_file([[1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", YB, "30/09/2023", 1]])
    plan, diff = store.preview_plan(smaller, "ke_hoach_2.xlsx")
    assert plan.status == "accepted"
    assert sorted(diff.change) == ["removed"] * 4
    assert len(store.plan()) == 5  # a preview stores nothing
    assert store.load_plan(smaller, "ke_hoach_2.xlsx").status == "accepted"
    assert len(store.plan()) == 1
    heat = store.query("heatmap", today=TODAY)
    assert CA not in set(heat.unit)  # no longer planned, never reported: not on the board


def test_rebuild_replays_plans_in_order_with_the_reports(planned, tmp_path, config):
    store, _ = planned
    store.load_plan(plan_file([[1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", YB, "30/09/2023", 1]]), "v2.xlsx")
    store.ingest_bytes(report(CA, "28/09/2023", [[1, "AN01", "Phương án", "An ninh", "", "Đang làm", 50]]), "ca.xlsx")
    before = store.query("heatmap", today=TODAY)
    rebuild(store.path, config, store.archive.root, store=store)
    after = store.query("heatmap", today=TODAY)
    assert before.equals(after)
    assert len(store.plan()) == 1


def test_only_the_secretariat_loads_a_plan(store):
    from readiness.auth import Forbidden, User

    with pytest.raises(Forbidden):
        store.load_plan(the_plan(), "k.xlsx", source="upload", user=User("yenbinh", "uploader", (YB,)))
    assert store.load_plan(the_plan(), "k.xlsx", source="upload", user=User("thuky", "secretariat")).status == (
        "accepted"
    )


# ---------------------------------------------------------------- the command line


def _cli_args(db) -> list[str]:
    from conftest import ROOT

    return ["--db", str(db), "--config", str(ROOT / "data" / "exercise.toml")]


def test_plan_load_and_show_from_the_command_line(tmp_path, capsys):
    import json

    from readiness import cli

    good, bad = tmp_path / "ke_hoach.xlsx", tmp_path / "loi.xlsx"
    good.write_bytes(the_plan())
    bad.write_bytes(plan_file([[1, "X1", "Việc lạ", "Tiểu ban lạ", YB, "30/09/2023", 1]]))
    db = _cli_args(tmp_path / "b.duckdb")
    assert cli.main([*db, "plan", "load", str(good), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["status"], answer["tasks"], answer["units"]) == ("accepted", 5, 2)
    assert cli.main([*db, "plan", "load", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "BỊ TỪ CHỐI" in out and "Tiểu ban lạ" in out and "giữ nguyên" in out
    assert cli.main([*db, "plan", "show", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted({r["unit"] for r in rows}) == sorted([YB, CA]) and len(rows) == 5
    assert cli.main([*db, "--lang", "en", "plan", "load", str(good)]) == 0
    assert "DUPLICATE" in capsys.readouterr().out


def test_plan_load_is_handed_to_the_running_app(tmp_path, config, capsys):
    import json

    from readiness import cli, handover
    from readiness.inbox import InboxWorker
    from readiness.store import Store

    store = Store(tmp_path / "app.duckdb", config)
    worker = InboxWorker(store, tmp_path / "inbox", settle_s=0.05, scan_s=0.2).start()
    try:
        assert handover.app_running(store.path)
        good = tmp_path / "ke_hoach.xlsx"
        good.write_bytes(the_plan())
        db = _cli_args(store.path)
        assert cli.main([*db, "plan", "load", str(good), "--json", "--timeout", "20"]) == 0
        answer = json.loads(capsys.readouterr().out.splitlines()[-1])
        assert answer["status"] == "accepted"
        assert len(store.plan()) == 5  # the app stored it, through its own connection
        assert cli.main([*db, "plan", "show", "--format", "csv"]) == 0
        assert "Văn kiện khối A" in capsys.readouterr().out
    finally:
        worker.stop()
        store.close()


def test_a_report_with_codes_matches_a_plan_without_them_by_text(store):
    uncoded = plan_file([[1, "", "Văn kiện khối A", "Văn kiện", YB, "15/10/2023", 1]])
    assert store.load_plan(uncoded, "k.xlsx").status == "accepted"
    store.ingest_bytes(
        report(YB, "25/09/2023", [[1, "VK-A", "Văn kiện khối A", "Văn kiện", "", "Đang thực hiện", 70]]), "r.xlsx"
    )
    (row,) = store.query("tasks", today=TODAY, unit=YB, subcommittee=None).to_dict("records")
    assert (row["plan_state"], row["percent"]) == ("planned", 70)


def test_a_late_report_dated_earlier_with_a_plan_in_force(planned):
    # Stored in the same transaction as the figures are refreshed (a DuckDB optimizer trap once).
    store, _ = planned
    late = report(YB, "20/09/2023", [[1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", "", "Chưa thực hiện", ""]])
    assert store.ingest_bytes(late, "late.xlsx").status == "accepted"
    heat = store.query("heatmap", today=TODAY)
    cell = heat[(heat.unit == YB) & (heat.subcommittee == "Tiểu ban văn kiện")].iloc[0]
    assert cell.readiness == 33.3  # the report dated 25/09 still counts
