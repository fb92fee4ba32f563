"""AppTest for the wall display (pages/wall.py, /trinh-chieu) against a fixture database built
from real spreadsheets: the figures it hands to the browser equal what the queries return, the URL
picks the views, the rotation and the language, and the old-data banner shows exactly when the
newest report is older than the reporting interval. Plus the Streamlit-free helpers of display.py.

The wall is one components-v2 element; what it shows is its `data` (the views as HTML, the
countdown, the banners), read here from the element's proto. The browser side (rotation, ticking,
no scrolling, the connection banner, live updates) is in tests/browser/test_display.py."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pandas as pd
import pytest
from conftest import APP_TODAY as TODAY
from conftest import open_page, plan_book, standard_rows, xlsx
from streamlit.testing.v1 import AppTest

from readiness import board, push
from readiness.store import Store
from ui import charts
from wall import view as display

PAGE = "pages/wall.py"


def run(**params) -> AppTest:
    return open_page(PAGE, query_params={display.STAY: "1", **params})


def test_without_stay_the_page_sends_the_screen_to_the_lean_wall_with_its_options(two_weeks):
    at = open_page(PAGE, query_params={"views": "heatmap,bogus", "rotate": "3", "lang": "en"})
    (go,) = [e for e in at.get("bidi_component") if e.proto.component_name == "readiness_go"]
    assert json.loads(go.proto.json) == {"url": "/live/wall?views=heatmap&rotate=5&lang=en&sort=worst"}
    assert not [e for e in at.get("bidi_component") if e.proto.component_name == "readiness_wall"]


def wall(at: AppTest) -> dict:
    """The data handed to the wall element (the views' HTML, the countdown, the banners)."""
    found = [e for e in at.get("bidi_component") if e.proto.component_name == "readiness_wall"]
    assert len(found) == 1, [e.proto.component_name for e in at.get("bidi_component")]
    return json.loads(found[0].proto.json)


def view(data: dict, name: str) -> str:
    return next(v for v in data["views"] if v["id"] == name)["html"]


def tiles(data: dict) -> dict[str, str]:
    """The headline tiles of the countdown view: key -> value as shown."""
    found = re.findall(r'data-key="(\w+)">.*?class="t-value"[^>]*>([^<]*)<', view(data, "countdown"))
    return {k: html.unescape(v) for k, v in found}


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


# ------------------------------------------------------------------ the page
def test_the_wall_shows_the_figures_the_queries_return(two_weeks, config):
    today = dt.date.fromisoformat(TODAY)
    with Store(two_weeks, config) as s:
        head = board.headline(s.query("headline", today=today), "vi")
        risks = s.query("risks", today=today)
        subs = s.query("subcommittees", today=today)
    at = run()
    data = wall(at)
    assert [v["id"] for v in data["views"]] == list(display.VIEWS)
    assert data["rotate"] == 20
    assert data["name"] == config.name

    expected = {h.key: h.value for h in head}
    shown = tiles(data)
    assert shown == {k: expected[k] for k in display.HEADLINE_KEYS}
    assert shown == {"readiness": "52,0%", "units_reported": "2/16", "stale": "1", "overdue": "2", "blocked": "1"}
    assert "▲ +8,0" in view(data, "countdown")  # readiness a week earlier: 44,0%

    # the countdown, as the browser starts ticking it: 08:00 01/10 -> 07:30 15/11
    clock = data["clock"]
    assert clock["countdown"] == "Còn 44 ngày 23:30:00"
    assert (clock["days"], clock["hms"]) == (44, "23:30:00")
    assert clock["d_day_ms"] - clock["now_ms"] == ((44 * 24 + 23) * 3600 + 30 * 60) * 1000
    assert clock["tz"] == "Asia/Ho_Chi_Minh"
    assert re.fullmatch(r"cập nhật lúc \d\d:\d\d:\d\d", data["updated"])

    # heatmap: Phường Yên Bình's row, numbers in the cells, the overdue count in its corner, '–' where
    # no task; worst first: never-reported units, then Công an (50), then Yên Bình (52)
    hm = view(data, "heatmap")
    row = re.search(
        r'<span class="hm-unit">Phường Yên Bình</span></div>((?:<div class="hm-cell[^>]*>.*?</div>){5})', hm
    )
    assert row, hm
    cells = [text(c).split() for c in re.findall(r"<div class=\"hm-cell[^>]*>(.*?)</div>", row.group(1))]
    assert cells == [["100"], ["80"], ["0", "1"], ["30"], ["–"]]
    assert '<span class="od">1</span>' in row.group(1) and row.group(1).count('class="od"') == 1
    stale = '<div class="hm-label stale flag"><span class="hm-unit">Công an thành phố</span>'
    assert stale + '<span class="hm-note">⚠ báo cáo cuối 10/09' in hm  # stale: a red badge, not faded
    assert '<span class="hm-unit">Hội Cựu chiến binh thành phố</span><span class="hm-note">⚠ chưa báo cáo' in hm
    units = re.findall(r'class="hm-unit">([^<]*)<', hm)
    assert units[-2:] == ["Công an thành phố", "Phường Yên Bình"]
    assert "muted" not in hm and "#2a2f38" not in hm  # nothing greyed out

    # subcommittees: each percent the query gives, worst first
    sb = view(data, "subcommittees")
    shown_subs = re.findall(r'class="sb-name">([^<]*)<.*?class="sb-pct">([^<]*)<', sb)
    rows = subs[subs["tasks"] > 0].sort_values("readiness")
    assert shown_subs == [(r.short, f"{r.readiness:.0f}%") for r in rows.itertuples()]

    # risks: the query's order, every one of them (a page of eight at a time)
    rk = view(data, "risks")
    assert re.findall(r'class="rk-task">([^<]*)<', rk) == [html.escape(t, quote=True) for t in risks["task"]]
    assert "Trễ 26 ngày" in rk  # Công an's drill, due 05/09
    assert data["banners"] == []  # the newest report (29/09) is within the 7-day interval


def test_the_wall_listens_for_pushed_versions_and_its_banner_waits_for_pings(two_weeks):
    """The page mounts the push listener with the version and day it drew (a newer one on the stream
    reruns it); the connection banner waits for more than two of the stream's pings."""
    at = run()
    listeners = [e for e in at.get("bidi_component") if e.proto.component_name == "readiness_push"]
    assert len(listeners) == 1
    data = json.loads(listeners[0].proto.json)
    assert data == {"url": push.EVENTS_PATH, "version": wall(at)["version"], "day": TODAY}
    assert 2 * push.PING_S < wall(at)["offline_after_s"] < 12  # the banner test allows 12 s


@pytest.mark.parametrize(
    ("params", "views", "rotate"),
    [
        ({}, list(display.VIEWS), 20),
        ({"views": "risks,heatmap", "rotate": "5"}, ["risks", "heatmap"], 5),
        ({"views": "Heatmap, bogus ,countdown,heatmap", "rotate": "45"}, ["heatmap", "countdown"], 45),
        ({"views": "bogus", "rotate": "1"}, list(display.VIEWS), 5),  # nothing known: all; clamped
        ({"rotate": "99999"}, list(display.VIEWS), 600),
        ({"rotate": "soon"}, list(display.VIEWS), 20),
    ],
)
def test_the_url_picks_the_views_and_the_rotation(two_weeks, params, views, rotate):
    data = wall(run(**params))
    assert [v["id"] for v in data["views"]] == views
    assert data["rotate"] == rotate


def test_english_with_lang_en(two_weeks, config):
    data = wall(run(lang="en"))
    assert data["lang"] == "en"
    assert tiles(data)["readiness"] == "52.0%"
    titles = [v["title"] for v in data["views"]]
    assert titles == [
        "Countdown to D-day",
        "Readiness by unit and subcommittee (%)",
        "Completion by subcommittee",
        "Top risks: overdue and blocked tasks",
    ]
    cd = view(data, "countdown")
    for label in ("Readiness", "Reported", "Stale", "Overdue", "Blocked", "Left until D-day"):
        assert label in cd
    assert 'Công an thành phố</span><span class="hm-note">⚠ last report 10/09' in view(data, "heatmap")
    assert "26 days late" in view(data, "risks")
    assert data["clock"]["countdown"] == "44 days 23:30:00 left"
    # every subcommittee and milestone by its English name: short forms in the narrow places
    assert "Phase: Documents complete · Next: Training 09/10" in text(cd)
    hm = view(data, "heatmap")
    assert re.findall(r'class="hm-col">([^<]*)<', hm) == [
        "Documents",
        "Security",
        "Publicity",
        "Logistics",
        "Live troops",
    ]
    sb = view(data, "subcommittees")
    assert re.findall(r'class="sb-name">([^<]*)<', sb) == ["Publicity", "Logistics", "Security", "Documents"]
    rk = view(data, "risks")
    assert re.findall(r'class="rk-meta">.*? · (\w+) · due', rk) == ["Security", "Publicity", "Logistics"]
    shown = text(" ".join(v["html"] + v["note"] + v["legend"] + v["title"] for v in data["views"]))
    for sub in config.subcommittees:
        assert sub.short not in shown and sub.name not in shown, sub.short
    assert not [m.name for m in config.milestones if m.name in text(cd)]
    assert data["updated"].startswith("updated at ")


@pytest.mark.parametrize(
    ("today", "banner"),
    [
        ("2023-10-01", False),
        ("2023-10-06", False),  # newest report 29/09: exactly 7 days old is not older than the interval
        ("2023-10-07", True),
        ("2023-11-20", True),
    ],
)
def test_the_old_data_banner_shows_when_the_newest_report_is_older_than_the_interval(
    two_weeks, monkeypatch, today, banner
):
    monkeypatch.setenv("READINESS_TODAY", today)
    data = wall(run())
    assert data["newest_report"] == "2023-09-29"
    if banner:
        assert [b["kind"] for b in data["banners"]] == ["stale"]
        assert data["banners"][0]["text"] == (
            "⚠ SỐ LIỆU CŨ: báo cáo mới nhất ngày 29/09/2023, đã quá chu kỳ báo cáo 7 ngày"
        )
    else:
        assert data["banners"] == []


def test_the_old_data_banner_in_english(two_weeks, monkeypatch):
    monkeypatch.setenv("READINESS_TODAY", "2023-10-20")
    data = wall(run(lang="en"))
    assert data["banners"][0]["text"].startswith("⚠ OLD DATA: the newest report is of 29/09/2023")


def test_an_empty_database_shows_the_countdown_and_says_no_report_yet(app_env):
    data = wall(run())
    assert tiles(data)["units_reported"] == "0/16"
    for name in ("heatmap", "subcommittees", "risks"):
        assert "Chưa có báo cáo nào." in view(data, name)
    assert data["banners"] == [] and data["newest_report"] is None


def test_a_new_report_changes_the_figures_on_the_next_run(two_weeks, config):
    at = run()
    before = wall(at)
    assert tiles(before)["units_reported"] == "2/16"
    # the app holds the database; a second connection in the same process writes through it
    extra = [[1, "Kế hoạch bảo đảm hậu cần", "Hậu cần", "30/10/2023", "Hoàn thành", 100, "", ""]]
    with Store(two_weeks, config) as s:
        assert s.ingest_bytes(xlsx({"S": standard_rows("Xã Yên Sơn", "30/09/2023", extra)}), "ys.xlsx").status == (
            "accepted"
        )
    at.run()
    assert not at.exception, at.exception
    after = wall(at)
    assert after["version"] != before["version"]
    assert tiles(after)["units_reported"] == "3/16"


# ------------------------------------------------------------------ helpers (no Streamlit)
def test_options_from_the_url():
    assert display.options({}) == display.Options(display.VIEWS, 20, "vi")
    assert display.options({"views": "countdown;risks", "rotate": "7.6", "lang": "EN"}) == display.Options(
        ("countdown", "risks"), 8, "en"
    )
    assert display.options({"rotate": "nan", "lang": "fr"}) == display.Options(display.VIEWS, 20, "vi")
    assert display.options({"rotate": ["30", "4"]}).rotate == 5  # the last value counts, like st.query_params
    assert display.options({}, default_lang="en").lang == "en"


def test_data_is_old_counts_like_a_stale_unit():
    d = dt.date
    assert not display.data_is_old(None, d(2023, 10, 1), 7)
    assert not display.data_is_old(d(2023, 9, 24), d(2023, 10, 1), 7)
    assert display.data_is_old(d(2023, 9, 23), d(2023, 10, 1), 7)


def test_newest_report_ignores_rejected_and_withdrawn_files():
    subs = pd.DataFrame(
        {
            "status": ["accepted", "rejected", "accepted", "accepted"],
            "report_date": pd.to_datetime(["2023-09-20", "2023-09-30", "2023-09-29", None]),
            "withdrawn_at": [None, None, pd.Timestamp("2023-09-30"), None],
        }
    )
    assert display.newest_report(subs) == dt.date(2023, 9, 20)
    assert display.newest_report(subs.iloc[0:0]) is None


def _grid(n: int, never: set[int] = frozenset()) -> board.Grid:
    units = [f"Đơn vị {i:03d}" for i in range(n)]
    readiness = [[None] * 3 if i in never else [float(i % 97), None, 50.0] for i in range(n)]
    return board.Grid(
        units=units,
        labels=[u + (" · chưa báo cáo" if i in never else "") for i, u in enumerate(units)],
        columns=["A", "B", "C"],
        subcommittees=["Tiểu ban A", "Tiểu ban B", "Tiểu ban C"],
        readiness=readiness,
        text=[["–"] * 3 for _ in units],
        hover=[[""] * 3 for _ in units],
        stale=[False] * n,
        never=[i in never for i in range(n)],
        overdue=[[1, 0, 0] for _ in units],
    )


def test_a_heatmap_with_many_units_shows_the_least_ready_with_a_note():
    g = _grid(120, never={5, 6, 7})
    rows, kind = display.pick_rows(g)
    assert kind == "units_worst" and len(rows) == display.MAX_ROWS
    scores = [board.unit_readiness(g, i) for i in rows]
    assert scores == sorted(scores)  # worst first
    assert not any(g.never[i] for i in rows)  # units that never reported are counted in the note instead
    body, note = display.heatmap_view(g, "vi")
    assert note == f"{display.MAX_ROWS} đơn vị sẵn sàng thấp nhất (trong 120) · 3 đơn vị chưa báo cáo"
    assert body.count('class="hm-label') == display.MAX_ROWS
    assert f"--rows:{display.MAX_ROWS}" in body


def test_a_small_heatmap_shows_every_unit_worst_first_or_as_listed():
    g = _grid(5, never={2})
    rows, kind = display.pick_rows(g)
    assert (rows, kind) == ([2, 0, 1, 3, 4], "units_all")  # never reported first, then the least ready
    body, note = display.heatmap_view(g, "en")
    assert note == "5 units · worst first"
    assert re.findall(r'class="hm-unit">([^<]*)<', body) == [g.units[i] for i in rows]
    assert body.count('<span class="od">1</span>') == 4  # the overdue count, in the cells that have one
    assert display.pick_rows(g, sort="config") == ([0, 1, 2, 3, 4], "units_all")
    _, note = display.heatmap_view(g, "en", sort="config")
    assert note == "5 units"
    assert display.options({"sort": "config"}).sort == "config"
    assert display.options({"sort": "bogus"}).sort == "worst"


def test_the_wall_scale_is_bright_and_warm_at_0_and_dark_and_calm_at_100():
    low, high = display.readiness_colour(0), display.readiness_colour(100)
    r, g, b = (int(low[i : i + 2], 16) for i in (1, 3, 5))
    assert r == 255 and r > 2 * b  # a strong red-orange
    hr, hg, hb = (int(high[i : i + 2], 16) for i in (1, 3, 5))
    assert hb > hr  # blue
    # on the dark wall the strong end is the bright one: lightness falls steadily from 0 % to 100 %
    lum = [charts.luminance(display.readiness_colour(v)) for v in range(0, 101, 10)]
    assert lum == sorted(lum, reverse=True)


def test_the_risk_view_pages_through_every_risk():
    risks = pd.DataFrame(
        [
            {
                "unit": "Xã Đông Sơn",
                "subcommittee_short": "An ninh",
                "task": f"Việc {k:02d}",
                "deadline": pd.Timestamp("2023-09-01"),
                "days_late": 30,
                "status": "in_progress",
                "percent": 20.0,
                "owner": "Đ/c Lan",
                "note": None,
                "overdue": True,
                "blocked": False,
            }
            for k in range(1, 20)
        ]
    )
    body, notes = display.risks_view(risks, "vi")
    assert body.count('class="rk-page') == 3 and body.count('class="rk-page on"') == 1
    assert notes == ["1–8 trong 19 việc · 1/3", "9–16 trong 19 việc · 2/3", "17–19 trong 19 việc · 3/3"]
    assert re.findall(r'class="rk-task">([^<]*)<', body) == [f"Việc {k:02d}" for k in range(1, 20)]
    # each row: its days late, the task, then its owner before the unit
    assert '<span class="rk-badge late">Trễ 30 ngày</span>' in body
    assert '<b class="rk-owner">Đ/c Lan</b> · Xã Đông Sơn' in body


def test_task_text_from_spreadsheets_is_escaped():
    risks = pd.DataFrame(
        [
            {
                "unit": "Xã <b>Đông</b> Sơn",
                "subcommittee_short": "An ninh",
                "task": "<script>alert(1)</script>",
                "deadline": pd.Timestamp("2023-09-01"),
                "days_late": 30,
                "status": "blocked",
                "percent": 20.0,
                "owner": "A & B",
                "note": None,
                "overdue": True,
                "blocked": True,
            }
        ]
    )
    body, notes = display.risks_view(risks, "vi")
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "Xã &lt;b&gt;Đông&lt;/b&gt; Sơn" in body and "A &amp; B" in body
    assert "Trễ 30 ngày" in body and "Vướng mắc" in body
    assert notes == ["1–1 trong 1 việc"]


# ------------------------------------------------------------------ with an assigned task plan in force


@pytest.fixture
def planned_wall(two_weeks, config):
    """two_weeks with a plan in force: Yên Bình's four reported tasks, and two documents tasks it has
    not reported."""
    yb = "Phường Yên Bình"
    rows = [
        [1, "", "Xây dựng văn kiện khối A", "Văn kiện", yb, "30/09/2023", 1],
        [2, "", "Phương án bảo đảm an ninh", "An ninh", yb, "10/10/2023", 1],
        [3, "", "Treo băng rôn, khẩu hiệu", "Khánh tiết", yb, "20/09/2023", 1],
        [4, "", "Chuẩn bị sở chỉ huy", "Hậu cần", yb, "20/10/2023", 1],
        [5, "VK-B", "Xây dựng văn kiện khối B", "Văn kiện", yb, "15/10/2023", 1],
        [6, "VK-C", "In ấn văn kiện", "Văn kiện", yb, "20/10/2023", 1],
    ]
    with Store(two_weeks, config) as s:
        plan = plan_book(rows, "KẾ HOẠCH PHÂN CÔNG")
        assert s.load_plan(plan, "ke_hoach.xlsx", by="thuky").status == "accepted"
    return two_weeks


def test_the_wall_counts_the_planned_tasks_not_reported_as_the_board_does(planned_wall, config):
    today = dt.date.fromisoformat(TODAY)
    with Store(planned_wall, config) as s:
        subs = s.query("subcommittees", today=today).set_index("short")
        cells = s.query("heatmap", today=today)
    assert subs.loc["Văn kiện", "not_reported"] == 2  # the fixture, as the board counts it
    data = wall(run())

    # the bars: a hatched 'Chưa báo cáo' segment with the query's count, in the counts and the key
    sb = view(data, "subcommittees")
    segments = re.findall(r'class="sb-seg not_reported"[^>]*>([^<]*)<', sb)
    assert len(segments) == int((subs["not_reported"] > 0).sum()) == 1
    row = re.search(r'class="sb-name">Văn kiện<.*?class="sb-pct"', sb).group(0)
    assert 'class="sb-seg not_reported"' in row and "2 chưa báo cáo" in text(row)
    assert "repeating-linear-gradient" in row  # hatched, as on the board
    legend = next(v["legend"] for v in data["views"] if v["id"] == "subcommittees")
    assert "Chưa báo cáo" in text(legend)

    # the heatmap: the count in a badge of its own in the cell's corner, and in the key
    hm = view(data, "heatmap")
    row = re.search(
        r'<span class="hm-unit">Phường Yên Bình</span></div>((?:<div class="hm-cell[^>]*>.*?</div>){5})', hm
    )
    counts = {int(n) for n in re.findall(r'<span class="nr">(\d+)</span>', row.group(1))}
    missing = cells[(cells.unit == "Phường Yên Bình") & (cells.not_reported > 0)]
    assert counts == set(missing["not_reported"]) == {2}
    assert hm.count('class="nr"') == int((cells.not_reported > 0).sum())
    hm_legend = next(v["legend"] for v in data["views"] if v["id"] == "heatmap")
    assert "việc chưa báo cáo" in text(hm_legend)


def test_without_a_plan_the_wall_has_no_not_reported_mark(two_weeks):
    data = wall(run())
    assert "not_reported" not in view(data, "subcommittees") and 'class="nr"' not in view(data, "heatmap")
    legends = {v["id"]: text(v["legend"]) for v in data["views"]}
    assert "Chưa báo cáo" not in legends["subcommittees"] and "việc chưa báo cáo" not in legends["heatmap"]
