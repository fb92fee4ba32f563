"""The board's pure parts: countdown, projection, task filters, the heatmap's row order, risks."""

import datetime as dt

import pandas as pd

from readiness import board
from readiness.board import countdown, filter_tasks, projection


def test_countdown_phase_and_next_milestone(config):
    cd = countdown(config, dt.datetime(2023, 10, 20, 9, 0))
    assert (cd.days, cd.hours, cd.passed) == (25, 22, False)
    assert (cd.phase.name, cd.next.name) == ("Luyện tập", "Hợp luyện")
    after = countdown(config, dt.datetime(2023, 11, 17, 7, 30))
    assert (after.days, after.passed, after.next) == (2, True, None)


def test_projection_is_a_straight_line_to_d_day():
    days = [dt.date(2023, 9, 1), dt.date(2023, 9, 8), dt.date(2023, 9, 15)]
    p = projection(days, [10.0, 20.0, 30.0], dt.date(2023, 10, 13))
    assert round(p.rate_per_week, 6) == 10.0
    assert p.on_d_day == 70.0 and p.short
    fast = projection(days, [40.0, 60.0, 80.0], dt.date(2023, 10, 13))
    assert fast.on_d_day == 100.0 and not fast.short  # capped at 100
    assert projection(days[:1], [10.0], dt.date(2023, 10, 13)).on_d_day is None


def test_filters_search_without_diacritics():
    df = pd.DataFrame(
        {
            "unit": ["A", "B", "A"],
            "status": ["done", "blocked", "in_progress"],
            "overdue": [False, True, False],
            "task": ["Phương án bảo vệ", "Treo băng rôn", "Huấn luyện"],
            "owner": ["Đ/c Hùng", None, "Đ/c Lan"],
            "note": [None, "Chờ kinh phí", None],
        }
    )
    assert list(filter_tasks(df, units=["A"]).task) == ["Phương án bảo vệ", "Huấn luyện"]
    assert list(filter_tasks(df, overdue_only=True).task) == ["Treo băng rôn"]
    assert list(filter_tasks(df, search="hung").task) == ["Phương án bảo vệ"]
    assert list(filter_tasks(df, search="KINH PHI").task) == ["Treo băng rôn"]
    assert list(filter_tasks(df, statuses=["in_progress"]).task) == ["Huấn luyện"]


def _grid(rows: list[list[float | None]], tasks: list[list[int]], never=(), stale=()) -> board.Grid:
    n = len(rows)
    units = [f"U{i}" for i in range(n)]
    return board.Grid(
        units=units,
        labels=units,
        columns=["A", "B"],
        subcommittees=["Tiểu ban A", "Tiểu ban B"],
        readiness=rows,
        text=[["" for _ in r] for r in rows],
        hover=[["" for _ in r] for r in rows],
        stale=[i in stale for i in range(n)],
        never=[i in never for i in range(n)],
        overdue=[[0, 0] for _ in rows],
        tasks=tasks,
        notes=["" for _ in rows],
    )


def test_worst_first_puts_units_with_no_report_first_then_the_least_ready():
    g = _grid(
        [[90.0, 10.0], [60.0, None], [None, None], [80.0, 40.0], [60.0, 60.0]],
        [[1, 3], [2, 0], [0, 0], [1, 1], [1, 1]],
        never={2},
        stale={1},
    )
    assert board.unit_readiness(g, 0) == 30.0  # weighted by tasks: (90 + 3 * 10) / 4
    assert board.unit_readiness(g, 2) is None
    assert board.worst_cell(g, 0) == 1 and board.worst_cell(g, 2) is None
    # U2 never reported; U0 30; U3 60 and U4 60 (ties keep the config order), stale U1 60 too
    assert board.worst_first(g) == [2, 0, 1, 3, 4]
    picked = board.take_rows(g, [3, 0])
    assert picked.units == ["U3", "U0"] and picked.readiness == [[80.0, 40.0], [90.0, 10.0]]
    assert picked.tasks == [[1, 1], [1, 3]] and picked.columns == g.columns


def test_finished_tasks_are_never_late():
    risks = pd.DataFrame(
        {
            "task": ["a", "b", "c", "d"],
            "status": ["in_progress", "in_progress", "blocked", "done"],
            "percent": [100.0, 40.0, 100.0, 100.0],
            "days_late": [3, 3, 3, None],
            "overdue": [True, True, True, False],
        }
    )
    left = board.open_risks(risks)
    assert list(left["task"]) == ["b", "c"]  # a (100%) and d (done) go; c stays as blocked
    assert not left.loc[1, "overdue"] and pd.isna(left.loc[1, "days_late"])
