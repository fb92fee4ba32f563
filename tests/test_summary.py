"""The per-report summary (issue 12, item 4): report_summary, kept in step by every write, gives the
trend and history queries exactly what they gave when they read every task. The old SQL is kept here
as the reference, and every database below is asked both ways: plain reports, late and same-day
reports, a withdrawal, a plan in force with tasks left out and extra, a plan loaded after the reports,
a rebuild, and a database from before the table."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pandas as pd
from conftest import admin_block, plan_book, xlsx

from readiness import queries, sql
from readiness.rebuild import rebuild
from readiness.store import Store

TODAY = dt.date(2023, 10, 20)
YB, CA, QS = "Phường Yên Bình", "Công an thành phố", "Ban Chỉ huy Quân sự thành phố"
HEAD = ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Trạng thái", "Tỷ lệ (%)", "Trọng số"]

# The queries as they were before the summary, reading every task (counted_tasks): the reference.
OLD_TREND = """
WITH days AS (
    SELECT DISTINCT report_date AS day FROM accepted_reports WHERE report_date <= $today
),
latest AS (
    SELECT d.day, r.id, r.unit
    FROM days AS d
    JOIN dated_reports AS r ON counts_on(r.report_date, r.next_report_date, d.day)
),
counted AS (
    SELECT l.day, l.unit, t.weight, t.progress
    FROM latest AS l
    JOIN counted_tasks AS t ON t.submission_id = l.id
    WHERE t.subcommittee = $subcommittee AND t.status <> 'not_applicable'
    UNION ALL
    SELECT d.day, p.unit, p.weight, 0.0
    FROM days AS d
    JOIN plan_in_force AS p ON p.subcommittee = $subcommittee
    ANTI JOIN latest AS l ON l.day = d.day AND l.unit = p.unit
)
SELECT
    day,
    unit,
    readiness_of(weight, progress) AS readiness,
    count(*) AS tasks
FROM counted
GROUP BY GROUPING SETS ((day, unit), (day))
ORDER BY unit NULLS FIRST, day
"""

OLD_HISTORY = """
WITH counted AS (
    SELECT t.*
    FROM counted_tasks AS t
    JOIN dated_reports AS r ON r.id = t.submission_id
    WHERE t.status <> 'not_applicable'
)
SELECT
    unit,
    subcommittee,
    report_date,
    readiness_of(weight, progress) AS readiness,
    count(*) AS tasks,
    count(*) FILTER (WHERE status = 'done') AS done,
    count(*) FILTER (WHERE status = 'blocked') AS blocked
FROM counted
GROUP BY unit, subcommittee, report_date
ORDER BY unit, subcommittee, report_date
"""

OLD = {"subcommittee_trend": OLD_TREND, "history": OLD_HISTORY}


def report(unit: str, date: str, tasks: list[list]) -> bytes:
    return xlsx({"Tiến độ": admin_block(unit, date) + [HEAD, *tasks]})


def yb_week(date: str, step: int, note: str = "") -> bytes:
    """Yên Bình's report: documents and security moving on with `step`, a task not applicable, one
    blocked, weights that are not all 1 and percents that do not divide evenly."""
    return report(
        YB,
        date,
        [
            [1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", "30/09/2023", "Đang thực hiện", 33 + step, 1],
            [2, "VK02", "Văn kiện khối A", "Văn kiện", "15/10/2023", "Đang thực hiện", 17 * step % 97, 2.5],
            [3, "", "Diễn tập phòng cháy", "Hậu cần", "01/11/2023", "Vướng mắc", 7 * step % 61, 3],
            [
                4,
                "AN01",
                "Phương án bảo vệ mục tiêu",
                "An ninh",
                "20/10/2023",
                "Hoàn thành" if step > 3 else "Chưa",
                "",
                1,
            ],
            [5, "KT01", "Treo băng rôn", "Khánh tiết", "", "Không áp dụng", "", 4],
            [6, "", f"Tổ chức hội nghị quán triệt{note}", "Văn kiện", "", "Đang thực hiện", "", 0.5],
        ],
    )


def ca_week(date: str, step: int) -> bytes:
    return report(
        CA,
        date,
        [
            [1, "AN01", "Phương án bảo vệ mục tiêu", "An ninh", "20/10/2023", "Đang thực hiện", 11 * step, 2],
            [
                2,
                "AN02",
                "Luyện tập giải tán đám đông",
                "An ninh",
                "05/10/2023",
                "Hoàn thành" if step > 2 else "Chưa",
                "",
                1,
            ],
            [3, "TB01", "Huấn luyện lực lượng", "Thực binh", "10/10/2023", "Đang thực hiện", 45.5, 1.5],
        ],
    )


def plan_file(rows=None) -> bytes:
    rows = rows or [
        [1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", YB, "30/09/2023", 1],
        [2, "VK02", "Văn kiện khối A", "Văn kiện", YB, "15/10/2023", 2],
        [3, "AN01", "Phương án bảo vệ mục tiêu", "An ninh", f"{YB}; {CA}", "20/10/2023", 1.5],
        [4, "", "Diễn tập phòng cháy", "Hậu cần", YB, "01/11/2023", 1],
        [5, "VK09", "Báo cáo kết quả", "Văn kiện", f"{YB}; {QS}", "30/10/2023", 3],
        [6, "TB02", "Diễn tập thực binh", "Thực binh", QS, "05/11/2023", 2],
    ]
    return plan_book(rows)


def at(date: str, hour: int = 9) -> dt.datetime:
    """When a report dated `date` (dd/mm/yyyy) arrives: that day at `hour`, or a later day given."""
    return dt.datetime.combine(dt.datetime.strptime(date, "%d/%m/%Y").date(), dt.time(hour))


def ingest(store: Store, data: bytes, name: str, received: dt.datetime) -> int:
    got = store.ingest_bytes(data, name, received_at=received)
    assert got.status == "accepted", [m.message for m in got.errors]
    return got.submission_id


def weeks(store: Store) -> dict[str, int]:
    """Five weeks of Yên Bình, five reports of Công an (one sent late, after the next; two of one
    day, the later counts); Quân sự sends nothing."""
    ids = {}
    for i, date in enumerate(("08/09/2023", "15/09/2023", "22/09/2023", "29/09/2023", "06/10/2023")):
        ids[f"yb{i}"] = ingest(store, yb_week(date, i), f"yb{i}.xlsx", at(date))
    ids["ca0"] = ingest(store, ca_week("10/09/2023", 0), "ca0.xlsx", at("10/09/2023"))
    ids["ca2"] = ingest(store, ca_week("24/09/2023", 2), "ca2.xlsx", at("24/09/2023"))
    ids["ca1"] = ingest(store, ca_week("17/09/2023", 1), "ca1.xlsx", at("25/09/2023"))  # late: after the next
    ids["ca3"] = ingest(store, ca_week("01/10/2023", 3), "ca3.xlsx", at("01/10/2023", 8))
    ids["ca3b"] = ingest(store, ca_week("01/10/2023", 4), "ca3b.xlsx", at("01/10/2023", 17))  # same day, later
    return ids


def old_and_new(store: Store, name: str, **params) -> tuple[pd.DataFrame, pd.DataFrame]:
    params = {"today": TODAY, **params}
    old = store.con.execute(OLD[name], sql.bind(OLD[name], params)).df()
    return old, store.query(name, **params)


def assert_same_as_before(store: Store) -> None:
    """Every summary-read query gives what its old SQL gives, to the row, value and type; and the
    summary kept write by write is the one a full refresh makes."""
    for sub in store.config.subcommittees:
        old, new = old_and_new(store, "subcommittee_trend", subcommittee=sub.name)
        pd.testing.assert_frame_equal(new, old)
        # the page's default: the aggregate rows alone, the same figures
        total = store.query("subcommittee_trend_total", today=TODAY, subcommittee=sub.name)
        expected = old[old["unit"].isna()].reset_index(drop=True)
        assert total["unit"].isna().all() and list(total.columns) == list(old.columns)
        pd.testing.assert_frame_equal(total.drop(columns="unit"), expected.drop(columns="unit"), check_dtype=False)
    old, new = old_and_new(store, "history")
    assert len(old)
    pd.testing.assert_frame_equal(new, old)
    kept = summary(store)
    with store._transaction() as con:
        store._refresh_summary(con, None)
    assert summary(store) == kept


def summary(store: Store) -> list[tuple]:
    """The summed rows that are read (a withdrawn report's stay in the table, unread)."""
    return store.con.execute("SELECT * FROM report_sums ORDER BY ALL").fetchall()


def load_plan(store: Store, data: bytes | None = None) -> None:
    out = store.load_plan(data or plan_file(), "ke_hoach.xlsx")
    assert out.status == "accepted", [m.message for m in out.errors]


def test_plain_late_and_same_day_reports(store):
    ids = weeks(store)
    assert_same_as_before(store)
    trend = store.query("subcommittee_trend", today=TODAY, subcommittee="Tiểu ban an ninh, trật tự")
    ca = trend[trend.unit == CA].set_index(trend[trend.unit == CA].day.dt.date)
    # The report of 17/09, sent after the one of 24/09, counts from 17/09 to 24/09.
    assert ca.loc[dt.date(2023, 9, 17), "readiness"] == round((11 * 2 + 0) / 3, 1)
    # Of the two reports of 01/10, the later one (step 4: 44%) counts.
    assert ca.loc[dt.date(2023, 10, 1), "readiness"] == round((44 * 2 + 100) / 3, 1)
    # Every accepted report is summed once, the earlier of 01/10 too; report_sums leaves it out.
    summed = store.con.execute("SELECT submission_id FROM report_summary GROUP BY ALL").fetchall()
    assert sorted(r[0] for r in summed) == sorted(ids.values())
    shown = {r[0] for r in store.con.execute("SELECT submission_id FROM report_sums").fetchall()}
    assert shown == set(ids.values()) - {ids["ca3"]}


def test_a_withdrawn_report_stops_counting(store):
    ids = weeks(store)
    store.withdraw(ids["ca3b"], None, "gửi nhầm")  # the earlier report of that day counts again
    store.withdraw(ids["yb2"], None, "sai số liệu")  # the week before counts until the week after
    assert_same_as_before(store)
    summed = {r[0] for r in store.con.execute("SELECT submission_id FROM report_sums").fetchall()}
    assert ids["ca3"] in summed and not summed & {ids["ca3b"], ids["yb2"]}


def test_a_plan_in_force_counts_missing_tasks_and_not_the_extras(store):
    load_plan(store)
    weeks(store)
    assert_same_as_before(store)
    trend = store.query("subcommittee_trend", today=TODAY, subcommittee="Tiểu ban văn kiện")
    # Quân sự never reports: its planned VK09 counts as not reported on every day.
    qs = trend[trend.unit == QS]
    assert len(qs) == trend.day.nunique() and set(qs.readiness) == {0.0} and set(qs.tasks) == {1}


def test_a_plan_loaded_after_the_reports_and_then_replaced(store):
    weeks(store)
    load_plan(store)
    assert_same_as_before(store)
    load_plan(store, plan_file([[1, "AN01", "Phương án bảo vệ mục tiêu", "An ninh", CA, "20/10/2023", 4]]))
    assert_same_as_before(store)
    ingest(store, ca_week("08/10/2023", 5), "ca5.xlsx", at("08/10/2023"))
    assert_same_as_before(store)


def test_a_rebuild_gives_the_same_figures(store):
    ids = weeks(store)
    load_plan(store)
    store.withdraw(ids["yb1"], None, "trùng")
    before = {n: store.query(n, today=TODAY, subcommittee="Tiểu ban văn kiện") for n in OLD}
    rebuild(store.path, store.config, store.archive.root, store=store)
    assert_same_as_before(store)
    for name, df in before.items():
        pd.testing.assert_frame_equal(store.query(name, today=TODAY, subcommittee="Tiểu ban văn kiện"), df)


def test_a_database_from_before_the_summary_gets_it_filled_when_it_opens(tmp_path, config):
    path = tmp_path / "old.duckdb"
    with Store(path, config, tmp_path / "archive") as store:
        weeks(store)
        load_plan(store)
        expected = {n: store.query(n, today=TODAY, subcommittee="Tiểu ban an ninh, trật tự") for n in OLD}
    with duckdb.connect(str(path)) as con:  # as the release before the summary left it
        con.execute("DROP TABLE report_summary")
    with Store(path, config, tmp_path / "archive") as store:
        assert summary(store)
        assert_same_as_before(store)
        for name, df in expected.items():
            pd.testing.assert_frame_equal(store.query(name, today=TODAY, subcommittee="Tiểu ban an ninh, trật tự"), df)


def test_queries_read_the_summary_through_staging():
    for name in queries.names():
        text = re.sub(r"--[^\n]*", "", queries.sql(name))
        assert not re.search(r"\b(?:FROM|JOIN)\s+report_summary\b", text, flags=re.IGNORECASE), name
