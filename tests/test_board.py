"""The board's pure parts: countdown, projection, task filters."""

import datetime as dt

import pandas as pd

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
