"""AppTest for every page against a fixture database: the figures shown equal what the queries
return, the heatmap's data has the right cells, the empty database gives the empty state, and the
English switch changes the labels."""

import base64
import datetime as dt
import json

import numpy as np
import pytest
from conftest import APP_TODAY as TODAY
from conftest import ROOT, open_page, week
from streamlit.testing.v1 import AppTest

from readiness.store import Store
from ui import charts

PAGES = ["pages/overview.py", "pages/subcommittee.py", "pages/unit.py"]


def run(page: str | None = None) -> AppTest:
    return open_page(page)


def metrics(at) -> dict:
    return {m.label: (m.value, m.delta) for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_empty_database_gives_a_helpful_page_on_every_page(app_env, page):
    at = run(page)
    texts = " ".join(i.value for i in at.info) + " ".join(c.value for c in at.caption)
    assert "Chưa có báo cáo" in texts or "chưa gửi báo cáo" in texts or "chưa có nhiệm vụ" in texts.lower()
    assert not at.get("plotly_chart")


def test_overview_figures_equal_the_queries_with_their_weekly_change(two_weeks, config):
    with Store(two_weeks, config) as s:
        head = s.query("headline", today=dt.date.fromisoformat(TODAY)).set_index("period")
    at = run()
    m = metrics(at)
    now, ago = head.loc["now"], head.loc["week_ago"]
    # yb: done 100 + in progress 80 + not started 0 + blocked 30, ca: 50 -> 260/5
    assert now.readiness == 52.0 and m["Sẵn sàng"] == ("52,0%", "+8,0")  # a week earlier: (100+40+0+30+50)/5 = 44
    assert ago.readiness == 44.0
    assert m["Đã báo cáo"][0] == "2/16"
    assert m["Chậm báo cáo"][0] == "1"  # Công an, last report 10/09
    # Overdue on 01/10: Công an's drill (due 05/09) and the banners (due 20/09); the documents due 30/09
    # are done. A week earlier (24/09) the same two were overdue.
    assert (now.overdue, ago.overdue) == (2, 2)
    assert m["Quá hạn"] == ("2", "0")
    assert m["Vướng mắc"][0] == "1"
    label, (value, nxt) = next((k, v) for k, v in m.items() if k.startswith("Ngày N"))
    assert label == "Ngày N: 07:30 15/11/2023"
    assert value == "Còn 44 ngày 23 giờ"  # from 08:00 on 01/10 (pinned) to 07:30 on 15/11
    assert nxt == "Tiếp theo: Luyện tập 09/10"


def _heatmap_spec(at) -> dict:
    charts = [c for c in at.get("plotly_chart") if c.proto.id and "heatmap" in c.proto.id]
    return json.loads((charts[0] if charts else at.get("plotly_chart")[0]).proto.spec)


def _cells_trace(at) -> dict:
    """The heatmap's cells (numbers, click data), merged over the per-text-colour marker traces."""
    spec = _heatmap_spec(at)
    merged = {"customdata": [], "text": [], "y": []}
    for tr in spec["data"]:
        if tr.get("name") == "cells":
            for k in merged:
                merged[k] += tr[k]
    return merged


def _overdue_badges(at) -> dict:
    """(column, row label) -> the overdue count written in that cell's corner."""
    spec = _heatmap_spec(at)
    layout = spec["layout"]
    cols, rows = layout["xaxis"]["tickvals"], layout["yaxis"]["tickvals"]
    return {
        (cols[round(a["x"])], rows[round(a["y"])]): int(a["text"])
        for a in layout.get("annotations", [])
        if a.get("name") == "overdue"
    }


def test_heatmap_has_the_right_cells(two_weeks):
    cells = _cells_trace(run())
    by = {(c[0], c[1]): text for c, text in zip(cells["customdata"], cells["text"], strict=True)}
    yb = "Phường Yên Bình"
    assert by[(yb, "Tiểu ban văn kiện")] == "100"
    assert by[(yb, "Tiểu ban an ninh, trật tự")] == "80"
    assert by[(yb, "Tiểu ban khánh tiết, thi đua và tuyên truyền")] == "0"
    assert by[(yb, "Tiểu ban lễ tân, hậu cần, kỹ thuật và tài chính")] == "30"
    assert by[(yb, "Tiểu ban lực lượng, thực binh")] == "–"  # no task: empty, not 0 and not "empty"
    assert by[("Công an thành phố", "Tiểu ban an ninh, trật tự")] == "50"
    # Overdue is a count in the cell's corner, only where a task is overdue (not a mark on every cell).
    ca = "Công an thành phố · báo cáo cuối 10/09"
    assert _overdue_badges(run()) == {("Khánh tiết", yb): 1, ("An ninh", ca): 1}
    labels = set(cells["y"])
    assert ca in labels
    assert "Hội Cựu chiến binh thành phố · chưa báo cáo" in labels
    # City units first, communes after, in the config's order.
    order = list(dict.fromkeys(cells["y"]))
    assert order.index(ca) < order.index(yb)


def test_stale_and_never_reported_rows_are_marked_not_faded(two_weeks):
    spec = _heatmap_spec(run())
    layout = spec["layout"]
    rows = layout["yaxis"]["tickvals"]
    outlined = {rows[round((sh["y0"] + sh["y1"]) / 2)] for sh in layout["shapes"] if sh.get("name") == "flagged"}
    assert "Công an thành phố · báo cáo cuối 10/09" in outlined
    assert "Hội Cựu chiến binh thành phố · chưa báo cáo" in outlined
    assert "Phường Yên Bình" not in outlined
    tick = dict(zip(rows, layout["yaxis"]["ticktext"], strict=True))
    assert "⚠ báo cáo cuối 10/09" in tick["Công an thành phố · báo cáo cuối 10/09"]
    # one heatmap trace for every row: a stale row keeps its colour (Công an's 50 is drawn)
    heat = next(tr for tr in spec["data"] if tr["type"] == "heatmap")
    assert heat["z"][rows.index("Công an thành phố · báo cáo cuối 10/09")][1] == 50.0


def test_heatmap_colour_scale_starts_at_the_strong_colour(two_weeks):
    spec = _heatmap_spec(run())
    heat = next(tr for tr in spec["data"] if tr["type"] == "heatmap")
    scale = heat["colorscale"]
    assert (scale[0][0], scale[-1][0]) == (0, 1)  # low readiness is the first colour
    low, high = scale[0][1], scale[-1][1]
    r, g, b = (int(low[i : i + 2], 16) for i in (1, 3, 5))
    assert r > 150 and r > 2 * g and r > 2 * b  # a strong red
    # ordered in lightness, darkest at 0 %: it reads in grey-scale on a light page
    lum = [charts.luminance(c) for _, c in scale]
    assert lum == sorted(lum) and charts.luminance(high) > 0.8


def test_heatmap_rows_sort_worst_first(two_weeks):
    at = run()
    listed = list(dict.fromkeys(_cells_trace(at)["y"]))
    assert listed[0] == "Ban Chỉ huy Quân sự thành phố · chưa báo cáo"  # config order by default
    at.segmented_control(key="heatmap_sort").set_value("worst").run()
    assert not at.exception, at.exception
    worst = list(dict.fromkeys(_cells_trace(at)["y"]))
    assert set(worst) == set(listed)
    # never reported first (in config order), then the least ready: Công an 50, Yên Bình 52 (260/5)
    reported = [label for label in worst if "chưa báo cáo" not in label]
    assert reported == ["Công an thành phố · báo cáo cuối 10/09", "Phường Yên Bình"]
    assert worst.index("Công an thành phố · báo cáo cuối 10/09") == len(worst) - 2
    assert all("chưa báo cáo" in label for label in worst[:-2])


def test_phone_unit_list_worst_first_with_its_lowest_subcommittee(two_weeks):
    at = run()
    labels = [e.label for e in at.expander if "·" in e.label and "%" in e.label]
    assert labels[0].startswith("**50%** · Công an thành phố · thấp nhất: An ninh 50%")
    assert ":red-badge[⚠ báo cáo cuối 10/09]" in labels[0]
    assert labels[1].startswith("**52%** · Phường Yên Bình · thấp nhất: Khánh tiết 0%")
    assert ":orange-badge[1 quá hạn]" in labels[1]


def test_risks_lead_with_task_days_late_and_owner_and_all_are_there(two_weeks):
    at = run()
    table = next(d.value for d in at.dataframe if "Trễ (ngày)" in d.value.columns)
    assert list(table.columns[:3]) == ["Nội dung", "Trễ (ngày)", "Phụ trách"]
    assert len(table) == 3  # every risk: 2 overdue, 1 blocked (no head(15))


def test_english_switch_changes_the_labels(two_weeks):
    at = run()
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    m = metrics(at)
    assert m["Readiness"] == ("52.0%", "+8.0")
    assert "Reported" in m and "Overdue" in m
    assert any(k.startswith("D-day") for k in m)
    assert any("Readiness by unit and subcommittee" in md.value for md in at.markdown)


SHORT_EN = ["Documents", "Security", "Publicity", "Logistics", "Live troops"]


def test_in_english_the_subcommittees_have_their_english_names(two_weeks, config):
    at = run()
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception, at.exception
    # heatmap: the columns by their short English form, the hover by the full English name; a click
    # still hands the Vietnamese name to the queries
    spec = _heatmap_spec(at)
    assert spec["layout"]["xaxis"]["tickvals"] == SHORT_EN == [s.short_en for s in config.subcommittees]
    # 'Documents' is wider than its column: the headings are set at an angle, one line each
    assert spec["layout"]["xaxis"]["ticktext"] == SHORT_EN and spec["layout"]["xaxis"]["tickangle"] == -35
    hover = {
        tuple(c): h
        for tr in spec["data"]
        if tr.get("name") == "cells"
        for c, h in zip(tr["customdata"], tr["hovertext"], strict=True)
    }
    yb = "Phường Yên Bình"
    assert hover[(yb, "Tiểu ban an ninh, trật tự")].startswith(f"<b>{yb}</b><br>Security and order<br>Readiness: 80.0%")
    assert hover[(yb, "Tiểu ban lực lượng, thực binh")] == f"<b>{yb}</b><br>Forces and live troops: –"
    assert _overdue_badges(at)[("Publicity", yb)] == 1
    # bars: short English names with their percent, the full name in the hover
    bars = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "subcommittees" in c.proto.id)
    assert bars["data"][0]["y"] == ["Publicity  0%", "Logistics  30%", "Security  65%", "Documents  100%"]
    assert "Decoration, emulation and propaganda" in bars["data"][0]["customdata"]
    # the risk table and the phone's unit list
    table = next(d.value for d in at.dataframe if "Days late" in d.value.columns)
    assert set(table["Subcommittee"]) == {"Security", "Publicity", "Logistics"}
    labels = [e.label for e in at.expander if "%" in e.label]
    assert labels[0].startswith("**50%** · Công an thành phố · lowest: Security 50%")
    # nothing the reader sees is in Vietnamese: labels, hovers, table cells, the unit list
    seen = [*spec["layout"]["xaxis"]["ticktext"], *hover.values(), *bars["data"][0]["y"]]
    seen += [*bars["data"][0]["customdata"], *table["Subcommittee"], *labels, *(m.value for m in at.markdown)]
    for sub in config.subcommittees:
        assert not [text for text in seen if sub.short in text or sub.name in text], sub.short


def test_the_recent_arrivals_mark_a_withdrawn_file(two_weeks, config):
    with Store(two_weeks, config) as s:
        latest = int(s.query("recent", limit=1)["id"][0])
        s.withdraw(latest, None, "nhầm tệp")
    for lang, withdrawn, accepted in (("vi", "Đã rút", "Đã nhận"), ("en", "Withdrawn", "Accepted")):
        at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=30)
        at.session_state["lang"] = lang  # set before the run: AppTest drops the sidebar on a rerun
        at.run()
        recent = at.sidebar.caption[0].value.split("\n")
        assert recent[0].endswith(f"Công an thành phố · :orange[{withdrawn}]  ")  # the newest, withdrawn
        assert [line.rsplit("·", 1)[1].strip() for line in recent[1:]] == [f":green[{accepted}]"] * 2


def test_subcommittee_page_trend_projection_and_filters(two_weeks, config):
    at = run("pages/subcommittee.py")
    at.selectbox(key="subcommittee").set_value("Tiểu ban an ninh, trật tự").run()
    assert not at.exception
    m = metrics(at)
    # 10/09: ca 50; 22/09: yb 40 and ca 50 -> 45; 29/09: yb 80 and ca 50 -> 65. The line through
    # these three points rises 4,6 a week and reaches 96 on 15/11: short of 100, flagged.
    assert m["Sẵn sàng"][0] == "65,0%"
    assert m["Dự báo Ngày N"] == ("96,0%", "+4,6%/tuần")
    assert any("chưa đủ 100%" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert set(table["Đơn vị"]) == {"Phường Yên Bình", "Công an thành phố"}
    at.checkbox(key="sub_overdue").check().run()
    assert list(at.dataframe[0].value["Nội dung"]) == ["Luyện tập giải tán đám đông"]
    at.checkbox(key="sub_overdue").uncheck().run()
    at.text_input(key="sub_search").input("phuong an").run()  # without diacritics
    assert list(at.dataframe[0].value["Nội dung"]) == ["Phương án bảo đảm an ninh"]


def test_the_trend_shows_each_units_line_only_when_asked(two_weeks):
    at = run("pages/subcommittee.py")
    at.selectbox(key="subcommittee").set_value("Tiểu ban an ninh, trật tự").run()

    def values(y) -> list[float]:  # a numeric column goes to the browser as typed bytes
        if isinstance(y, dict):
            return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
        return list(y)

    def lines() -> dict[str, list]:
        spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "trend" in c.proto.id)
        return {t["name"]: values(t["y"]) for t in spec["data"] if "→" not in t["name"]}

    assert list(lines()) == ["Toàn tiểu ban"]  # the aggregate (10/09, 22/09, 29/09) and the projection
    assert [round(y, 1) for y in lines()["Toàn tiểu ban"]] == [50.0, 45.0, 65.0]
    at.toggle(key="show_units").set_value(True).run()
    shown = lines()
    assert set(shown) == {"Toàn tiểu ban", "Phường Yên Bình", "Công an thành phố"}
    assert [round(y, 1) for y in shown["Phường Yên Bình"]] == [40.0, 80.0]
    assert [round(y, 1) for y in shown["Công an thành phố"]] == [50.0, 50.0, 50.0]


def test_subcommittee_page_flags_a_projection_short_of_100(app_env, config):
    with Store(app_env, config) as s:
        s.ingest_bytes(week("15/09/2023", 10), "w1.xlsx")
        s.ingest_bytes(week("29/09/2023", 12), "w2.xlsx")
    at = run("pages/subcommittee.py")
    at.selectbox(key="subcommittee").set_value("Tiểu ban an ninh, trật tự").run()
    assert any("chưa đủ 100%" in w.value for w in at.warning)


def test_unit_page_tasks_history_and_what_changed(two_weeks):
    at = run("pages/unit.py")
    at.selectbox(key="unit").set_value("Phường Yên Bình").run()
    assert not at.exception
    m = metrics(at)
    assert m["Văn kiện"][0] == "100%" and m["An ninh"][0] == "80%"
    tasks, history, diff = (d.value for d in at.dataframe)
    assert len(tasks) == 4
    assert list(history["Kết quả"]) == ["Đã nhận", "Đã nhận"]
    assert list(diff["Nội dung"]) == ["Phương án bảo đảm an ninh"]
    assert list(diff["Trước"]) == ["Đang thực hiện (40%)"] and list(diff["Sau"]) == ["Đang thực hiện (80%)"]


def test_unit_page_with_one_report_explains_what_comes_next(two_weeks):
    at = run("pages/unit.py")
    at.selectbox(key="unit").set_value("Công an thành phố").run()
    assert any("mới có một báo cáo" in c.value for c in at.caption)
