"""Readiness in SQL: every named query against a fixture database, the contract's rules, and data
contracts (one current report per unit, readiness within 0-100, counts that add up)."""

import datetime as dt

import pytest
from conftest import admin_block, xlsx

from readiness import queries

TODAY = dt.date(2023, 10, 1)
HEAD = [
    "STT",
    "Mã NV",
    "Nội dung công việc",
    "Tiểu ban",
    "Thời hạn",
    "Trạng thái",
    "Tỷ lệ (%)",
    "Trọng số",
    "Người phụ trách",
]


def file(unit, date, tasks):
    return xlsx({"S": admin_block(unit, date) + [HEAD] + tasks})


@pytest.fixture
def db(store):
    # Phường Yên Bình, two reports; the second counts.
    store.ingest_bytes(
        file("Phường Yên Bình", "20/09/2023", [[1, "VK1", "Văn kiện khối A", "Văn kiện", "", "Chưa", "", 1, ""]]),
        "yb1.xlsx",
    )
    store.ingest_bytes(
        file(
            "Phường Yên Bình",
            "28/09/2023",
            [
                [1, "VK1", "Văn kiện khối A", "Văn kiện", "25/09/2023", "Hoàn thành", 100, 1, "Đ/c Hùng"],
                [2, "VK2", "Văn kiện khối B", "Văn kiện", "30/09/2023", "Đang thực hiện", 60, 3, "Đ/c Lan"],
                [3, "VK3", "Bản đồ", "Văn kiện", "30/09/2023", "Không áp dụng", "", 5, ""],
                [4, "AN1", "Phương án bảo vệ", "An ninh", "15/09/2023", "Vướng mắc", 20, 2, "Đ/c Minh"],
                [5, "AN2", "Phân luồng", "An ninh", "20/10/2023", "Đang thực hiện", "", 1, ""],
            ],
        ),
        "yb2.xlsx",
    )
    # Công an: one old report (stale on TODAY).
    store.ingest_bytes(
        file(
            "Công an thành phố",
            "10/09/2023",
            [[1, "", "Luyện tập giải tán đám đông", "An ninh", "05/09/2023", "Đang làm", 50, "", ""]],
        ),
        "ca.xlsx",
    )
    return store


def test_every_named_query_runs_on_the_fixture_database(db):
    assert set(queries.names()) >= {"heatmap", "subcommittees", "overdue", "stale", "history", "submissions"}
    ids = [
        r[0] for r in db.con.execute("SELECT id FROM submissions WHERE unit = 'Phường Yên Bình' ORDER BY id").fetchall()
    ]
    params = {"unit": "Phường Yên Bình", "subcommittee": "Tiểu ban văn kiện", "old": ids[0], "new": ids[1], "limit": 5, "id": ids[0]}
    for name in queries.names():
        df = db.query(name, today=TODAY, **{k: params[k] for k in queries.params_of(name) if k in params})
        assert len(df) > 0, name


def test_report_diff_pairs_tasks_by_code(db):
    ids = [
        r[0] for r in db.con.execute("SELECT id FROM submissions WHERE unit = 'Phường Yên Bình' ORDER BY id").fetchall()
    ]
    diff = db.query("report_diff", old=ids[0], new=ids[1]).set_index("task")
    assert diff.loc["Văn kiện khối A"].change == "changed"  # VK1: not started -> done
    assert (diff.loc["Văn kiện khối A"].old_status, diff.loc["Văn kiện khối A"].new_status) == ("not_started", "done")
    assert set(diff[diff.change == "new"].index) == {"Văn kiện khối B", "Bản đồ", "Phương án bảo vệ", "Phân luồng"}


def test_unknown_query_fails_loudly():
    with pytest.raises(queries.UnknownQuery):
        queries.sql("drop_everything")
    with pytest.raises(queries.UnknownQuery):
        queries.sql("../secrets")


def test_heatmap_cells_follow_the_readiness_rules(db):
    df = db.query("heatmap", today=TODAY).set_index(["unit", "subcommittee"])
    vk = df.loc[("Phường Yên Bình", "Tiểu ban văn kiện")]
    # done 100 (w1) + in progress 60 (w3); not applicable excluded: (100 + 180) / 4
    assert vk.readiness == 70.0
    assert (vk.tasks, vk.done, vk.overdue, vk.blocked) == (2, 1, 1, 0)  # VK2 was due 30/09
    an = df.loc[("Phường Yên Bình", "Tiểu ban an ninh, trật tự")]
    # blocked 20 (w2) + in progress without percent = 50 (w1): (40 + 50) / 3
    assert an.readiness == 30.0
    assert (an.tasks, an.overdue, an.blocked) == (2, 1, 1)
    assert an.last_report == dt.datetime(2023, 9, 28)
    assert not an.stale
    ca = df.loc[("Công an thành phố", "Tiểu ban an ninh, trật tự")]
    assert (ca.readiness, ca.overdue, bool(ca.stale)) == (50.0, 1, True)
    assert list(df.reset_index().unit.unique()) == ["Công an thành phố", "Phường Yên Bình"]  # city first


def test_subcommittees_count_by_status(db):
    df = db.query("subcommittees", today=TODAY).set_index("short")
    an = df.loc["An ninh"]
    assert (an.tasks, an.done, an.in_progress, an.not_started, an.blocked, an.overdue, an.units) == (
        3,
        0,
        2,
        0,
        1,
        2,
        2,
    )
    assert an.readiness == round((40 + 50 + 50) / 4, 1)
    vk = df.loc["Văn kiện"]
    assert (vk.tasks, vk.not_applicable) == (2, 1)
    assert df.loc["Hậu cần"].tasks == 0


def test_overdue_lists_tasks_past_deadline_and_not_done(db):
    df = db.query("overdue", today=TODAY)
    assert list(df.task) == ["Luyện tập giải tán đám đông", "Phương án bảo vệ", "Văn kiện khối B"]
    assert list(df.days_late) == [26, 16, 1]
    assert db.query("overdue", today=dt.date(2023, 9, 1)).empty


def test_stale_and_never_reported(db):
    df = db.query("stale", today=TODAY)
    never = df[df.never_reported]
    assert len(never) == 14
    late = df[~df.never_reported]
    assert list(late.unit) == ["Công an thành phố"] and list(late.days_since) == [21]


def test_history_has_one_point_per_report_date(db):
    df = db.query("history", today=TODAY)
    vk = df[(df.unit == "Phường Yên Bình") & (df.subcommittee == "Tiểu ban văn kiện")]
    assert list(vk.readiness) == [0.0, 70.0]


def test_data_contracts(db):
    con = db.con
    assert con.execute("SELECT count(*) - count(DISTINCT unit) FROM latest_reports").fetchone()[0] == 0
    heat = db.query("heatmap", today=TODAY)
    assert heat.readiness.between(0, 100).all()
    subs = db.query("subcommittees", today=TODAY)
    assert (subs.done + subs.in_progress + subs.not_started + subs.blocked == subs.tasks).all()
    assert heat.tasks.sum() == subs.tasks.sum()
