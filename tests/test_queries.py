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
    params = {
        "unit": "Phường Yên Bình",
        "subcommittee": "Tiểu ban văn kiện",
        "old": ids[0],
        "new": ids[1],
        "limit": 5,
        "id": ids[0],
        "since": dt.date(2023, 9, 24),
    }
    for name in queries.names():
        df = db.query(name, today=TODAY, **{k: params[k] for k in queries.params_of(name) if k in params})
        # These need a plan or an assessment: tests/test_plan.py, tests/test_assessments.py
        assert len(df) > 0 or name in ("extra_tasks", "plans", "assessments"), name


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


def test_a_task_at_100_percent_is_never_late_in_any_figure(store):
    """'Đang thực hiện' with 100 beside it is finished: not overdue, not a risk, not counted late."""
    store.ingest_bytes(
        file(
            "Xã Đông Sơn",
            "28/09/2023",
            [
                [1, "A", "Xong nhưng chưa sửa trạng thái", "Văn kiện", "20/09/2023", "Đang thực hiện", 100, 1, ""],
                [2, "B", "Thật sự trễ", "Văn kiện", "20/09/2023", "Đang thực hiện", 40, 1, ""],
            ],
        ),
        "ds.xlsx",
    )
    assert list(store.query("overdue", today=TODAY).task) == ["Thật sự trễ"]
    assert list(store.query("risks", today=TODAY).task) == ["Thật sự trễ"]
    tasks = store.query("tasks", today=TODAY, unit="Xã Đông Sơn", subcommittee=None).set_index("task")
    assert not tasks.loc["Xong nhưng chưa sửa trạng thái"].overdue and tasks.loc["Thật sự trễ"].days_late == 11
    assert store.query("heatmap", today=TODAY).set_index("unit").loc["Xã Đông Sơn"].overdue == 1
    now = store.query("headline", today=TODAY).set_index("period").loc["now"]
    assert now.overdue == 1


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


def test_more_data_contracts(db):
    """jaffle-shop style: unique, within range, and counts that add up across the named queries."""
    con = db.con

    def zero(sql):
        return con.execute(sql).fetchone()[0] == 0

    # One current report per unit that has an accepted report, and it is the one dated last.
    assert zero("SELECT count(*) - count(DISTINCT unit) FROM current_reports")
    assert zero("SELECT count(*) FROM (SELECT unit FROM accepted_reports EXCEPT SELECT unit FROM current_reports)")
    assert zero(
        "SELECT count(*) FROM current_reports AS c JOIN dated_reports AS d ON d.id = c.id "
        "WHERE d.next_report_date IS NOT NULL"
    )
    # Readiness within 0-100 wherever it is shown.
    for name, params in [
        ("heatmap", {}),
        ("subcommittees", {}),
        ("headline", {}),
        ("history", {}),
        ("subcommittee_trend", {"subcommittee": "Tiểu ban an ninh, trật tự"}),
    ]:
        readiness = db.query(name, today=TODAY, **params).readiness.dropna()
        assert len(readiness) and readiness.between(0, 100).all(), name
    # Counts that add up: every current task is counted once per subcommittee, overdue and blocked
    # agree between the heatmap, the subcommittees, the overdue list and the headline.
    subs = db.query("subcommittees", today=TODAY)
    heat = db.query("heatmap", today=TODAY)
    now = db.query("headline", today=TODAY).set_index("period").loc["now"]
    n_current = con.execute("SELECT count(*) FROM current_tasks").fetchone()[0]
    assert (subs.tasks + subs.not_applicable).sum() == n_current
    assert subs.overdue.sum() == heat.overdue.sum() == len(db.query("overdue", today=TODAY)) == now.overdue
    assert subs.blocked.sum() == heat.blocked.sum() == now.blocked
    assert now.reported + now.never_reported == now.units == con.execute("SELECT count(*) FROM units").fetchone()[0]
    stale = db.query("stale", today=TODAY)
    assert (~stale.never_reported).sum() == now.stale and stale.never_reported.sum() == now.never_reported
    risks = db.query("risks", today=TODAY)
    assert risks.overdue.sum() == now.overdue and risks.blocked.sum() == now.blocked


def test_headline_as_of_a_day_counts_each_units_report_of_that_day(db):
    # A week before TODAY (24/09) Yên Bình's report of 20/09 counts: one task, not started.
    ago = db.query("headline", today=TODAY).set_index("period").loc["week_ago"]
    assert (ago.reported, ago.readiness) == (2, round((0 + 50) / 2, 1))
    trend = db.query("subcommittee_trend", today=TODAY, subcommittee="Tiểu ban văn kiện")
    yb = trend[trend.unit == "Phường Yên Bình"]
    assert list(zip(yb.day.dt.date, yb.readiness, strict=True)) == [
        (dt.date(2023, 9, 20), 0.0),
        (dt.date(2023, 9, 28), 70.0),
    ]


RAW_TABLES = ("submissions", "tasks", "current_reports", "audit", "data_version")


@pytest.mark.parametrize("name", queries.names())
def test_named_queries_read_only_the_staging_views_and_macros(name):
    """The rules live in readiness/sql (macros, staging); a named query never reads what the store
    writes (the config's copy, exercise/units/subcommittees/milestones, it may)."""
    import re

    text = re.sub(r"--[^\n]*", "", queries.sql(name))
    read = set(re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)", text, flags=re.IGNORECASE))
    assert not read & set(RAW_TABLES), name
    assert not re.search(r"deadline\s*<", text), f"{name}: overdue is the is_overdue macro's"
    assert not re.search(r"sum\([^)]*weight", text), f"{name}: readiness is the readiness_of macro's"
    assert "row_number()" not in text, f"{name}: which report counts is staging's (dated_reports, current_tasks)"
