"""The coordination meeting page (Họp giao ban) on a fixture database with reports on several dates:
what it shows since the day picked, its forecast and its chase list are the `since`, `forecast` and
`chase` queries' figures; a cell with fewer than two reports says so; the chase messages and the
CSV are the core's; the brief is built on a click only and kept; the chase list and the brief are the
secretariat's."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from conftest import APP_TODAY, ROOT, open_page
from test_meeting import CONG_AN, NOI_VU, ingest

from readiness import brief, i18n, meeting
from readiness.auth import User
from readiness.config import load_config
from readiness.store import Store
from ui import meeting as view

PAGE = "pages/meeting.py"
SECRETARY = User("thuky", "secretariat")
TODAY = dt.date.fromisoformat(APP_TODAY)  # 01/10/2023
LAST_MEETING = dt.date(2023, 9, 18)  # Giao ban lần 1, the last before today
YB = "Phường Yên Bình"


@pytest.fixture
def meeting_db(app_env):
    """Công an on 15/09 and 29/09 (up, newly late, backwards, done since), Phòng Nội vụ on 10/09 only;
    Xã Đông Sơn 20, 40, 60 and Xã Yên Sơn 10, 12, 14 on 01, 08 and 15/09 (lines to forecast); Phường
    Yên Bình once, on 25/09 (no forecast from one report)."""
    with Store(app_env, load_config(ROOT / "data" / "exercise.toml")) as store:
        for day, values in [("15/09/2023", (60, 50, 40, "Đang thực hiện")), ("29/09/2023", (80, 50, 30, "Vướng mắc"))]:
            security, drill, fire, fire_status = values
            tasks = [
                ["Phương án bảo vệ", "An ninh", "05/10/2023", "Đang thực hiện", security],
                ["Luyện tập giải tán đám đông", "An ninh", "20/09/2023", "Đang thực hiện", drill],
                ["Diễn tập phòng cháy", "Hậu cần", "10/10/2023", fire_status, fire],
                ["Bảo vệ mục tiêu", "An ninh", "10/09/2023", "Hoàn thành", 100],
            ]
            if day.startswith("29"):
                tasks.append(["Phân luồng giao thông", "An ninh", "25/09/2023", "Hoàn thành", 100])
            ingest(store, CONG_AN, day, tasks)
        ingest(store, NOI_VU, "10/09/2023", [["Rà soát lực lượng", "Thực binh", "30/10/2023", "Đang thực hiện", 70]])
        for unit, values in [("Xã Đông Sơn", (20, 40, 60)), ("Xã Yên Sơn", (10, 12, 14))]:
            for day, value in zip(("01/09/2023", "08/09/2023", "15/09/2023"), values, strict=True):
                ingest(store, unit, day, [["Văn kiện khối A", "Văn kiện", "30/10/2023", "Đang thực hiện", value]])
        ingest(store, YB, "25/09/2023", [["Phương án bảo vệ", "An ninh", "30/10/2023", "Đang thực hiện", 30]])
    return app_env


def queried(db, name: str, **params):
    with Store(db, load_config(ROOT / "data" / "exercise.toml")) as s:
        return s.query(name, today=TODAY, **params)


def pct(value) -> str:
    return i18n.percent(value, "vi", 1)


def since_labels(at) -> list[str]:
    return [e.label for e in at.expander if (e.key or "").startswith("since_")]


def frame(at, key: str):
    """The forecast's tables: 'forecast_misses' (the cells projected short, first) or 'forecast_all'
    (every cell, last); AppTest gives a data frame no key to find it by."""
    frames = [d.value for d in at.dataframe]
    return frames[-1] if key == "forecast_all" else frames[0]


def whole(row: dict) -> bool:
    """A unit's own row of the since query (no subcommittee)."""
    return not isinstance(row["subcommittee"], str)


def components(at, name: str) -> list[dict]:
    return [json.loads(e.proto.json) for e in at.get("bidi_component") if e.proto.component_name == name]


# ---------------------------------------------------------------- since the last meeting


def test_the_page_compares_with_the_last_meeting_by_default(meeting_db):
    at = open_page(PAGE)
    assert at.date_input(key=view.SINCE).value == LAST_MEETING
    assert at.get("button_group")[0].proto.id  # the quick choices are drawn
    assert at.session_state[view.QUICK] == "m0"  # "Giao ban lần 1 · 18/09" lit
    captions = " ".join(c.value for c in at.caption)
    assert "so với ngày 18/09/2023 — Giao ban lần 1" in captions
    assert "Cuộc họp tới: Giao ban lần 2, 14:00 ngày 16/10/2023" in captions


def test_each_unit_reads_as_the_since_query_worst_first(meeting_db):
    at = open_page(PAGE)
    rows = queried(meeting_db, "since", since=LAST_MEETING).to_dict("records")
    units = [r for r in rows if whole(r)]
    labels = since_labels(at)
    assert len(labels) == len(units) == 16
    for label, r in zip(labels, units, strict=True):
        assert label.startswith(f"**{r['unit']}**")  # the query's order: worst first
        if r["readiness_now"] == r["readiness_now"]:  # not NaN
            assert f"{pct(r['readiness_then'])} → {pct(r['readiness_now'])}" in label
        assert ("không gửi gì" in label) == bool(r["sent_nothing_since"])
    ca = next(label for label in labels if CONG_AN in label)
    r = next(r for r in units if r["unit"] == CONG_AN)
    # Công an: 62,5% on 15/09 (the report that counted on 18/09) → 72,0% now, +9,5
    assert (r["readiness_then"], r["readiness_now"], r["change"]) == (62.5, 72.0, 9.5)
    assert "62,5% → 72,0% :green[**▲ +9,5**]" in ca
    assert "1 xong" in ca and ":orange[1 mới quá hạn]" in ca and ":red[1 giảm]" in ca
    nv = next(label for label in labels if NOI_VU in label)
    assert ":red-badge[không gửi gì] :gray[báo cáo cuối 10/09/2023]" in nv
    never = next(label for label in labels if "Hội Cựu chiến binh" in label)
    assert "chưa báo cáo lần nào" in never
    assert any("không gửi gì từ ngày 18/09/2023" in m.value for m in at.markdown)


def test_a_unit_opens_to_its_subcommittees_as_the_query_counts_them(meeting_db):
    at = open_page(PAGE)
    cells = [
        r
        for r in queried(meeting_db, "since", since=LAST_MEETING).to_dict("records")
        if r["unit"] == CONG_AN and not whole(r)
    ]
    (ca,) = [e for e in at.expander if e.key == f"since_{CONG_AN}"]
    lines = ca.markdown[0].value.splitlines()
    assert len(lines) == len(cells) == 2
    for line, r in zip(lines, cells, strict=True):  # worst first, as the query
        assert line.startswith(
            f"- **{r['subcommittee_short']}** · {pct(r['readiness_then'])} → {pct(r['readiness_now'])}"
        )
    assert lines[0] == "- **Hậu cần** · 40,0% → 30,0% :red[**▼ -10,0**] · :red[1 giảm]"
    assert lines[1] == "- **An ninh** · 70,0% → 82,5% :green[**▲ +12,5**] · 1 xong · :orange[1 mới quá hạn]"


def test_another_day_picked_or_typed_changes_the_comparison(meeting_db):
    at = open_page(PAGE)
    at.button_group[0].set_value("week").run()  # a week ago: 24/09
    assert at.date_input(key=view.SINCE).value == dt.date(2023, 9, 24)
    units = [r for r in queried(meeting_db, "since", since=dt.date(2023, 9, 24)).to_dict("records") if whole(r)]
    assert [label.split("**")[1] for label in since_labels(at)] == [r["unit"] for r in units]
    at.date_input(key=view.SINCE).set_value(LAST_MEETING).run()
    assert at.session_state[view.QUICK] == "m0"  # the date typed is a meeting's: its choice lights up
    at.date_input(key=view.SINCE).set_value(dt.date(2023, 9, 1)).run()
    assert at.session_state[view.QUICK] is None
    assert "so với ngày 01/09/2023." in " ".join(c.value for c in at.caption)


def test_the_figures_at_the_top_count_what_the_lists_do(meeting_db):
    at = open_page(PAGE)
    metrics = {m.label: m for m in at.metric}
    since = queried(meeting_db, "since", since=LAST_MEETING)
    units = since[since["subcommittee"].isna()]
    assert metrics["Không gửi gì"].value == f"{int(units['sent_nothing_since'].sum())}/16"
    forecast = queried(meeting_db, "forecast")
    assert metrics["Không kịp Ngày N"].value == str(int(forecast["misses_d_day"].fillna(False).astype(bool).sum()))
    assert metrics["Cần đôn đốc"].value == str(len(queried(meeting_db, "chase")))
    now = queried(meeting_db, "headline").iloc[0]
    with Store(meeting_db, load_config(ROOT / "data" / "exercise.toml")) as s:
        then = s.query("headline", today=LAST_MEETING).iloc[0]
    assert metrics["Sẵn sàng"].value == pct(now["readiness"])
    assert metrics["Sẵn sàng"].delta == i18n.signed(now["readiness"] - then["readiness"], "vi", 1)


# ---------------------------------------------------------------- the forecast


def test_the_forecast_says_how_it_is_made_and_equals_the_query(meeting_db):
    at = open_page(PAGE)
    assert any("đường thẳng qua tối đa 4 báo cáo gần nhất" in c.value for c in at.caption)
    rows = queried(meeting_db, "forecast").to_dict("records")
    shown = frame(at, "forecast_all")
    assert len(shown) == len(rows)
    by_cell = {(r["Đơn vị"], r["Tiểu ban"]): r for r in shown.to_dict("records")}
    for r in rows:
        got = by_cell[(r["unit"], r["subcommittee_short"])]
        assert got["Hiện nay"] == pct(r["readiness"]) and got["Số báo cáo"] == str(r["reports"])
        if r["reports"] >= 2:
            assert got["Ngày N 15/11"] == pct(r["projected_on_d_day"])
    ds = by_cell[("Xã Đông Sơn", "Văn kiện")]
    # 20, 40, 60 a week apart: 20 points a week; the line reached 100% on 29/09, so today at the earliest
    assert (ds["Tốc độ/tuần"], ds["Dự kiến đạt 100%"]) == ("+20,0", "01/10/2023")


def test_fewer_than_two_reports_says_so_instead_of_a_number(meeting_db):
    at = open_page(PAGE)
    yb = next(r for r in frame(at, "forecast_all").to_dict("records") if r["Đơn vị"] == YB)
    assert yb["Ngày N 15/11"] == "chưa đủ 2 báo cáo" and yb["Dự kiến đạt 100%"] == ""
    few = next(c.value for c in at.caption if c.value.startswith("Chưa dự báo, chưa đủ 2 báo cáo: "))
    assert "Phường Yên Bình · An ninh" in few and "Phòng Nội vụ · Thực binh" in few
    en = open_page(PAGE, lang="en")
    yb = next(r for r in frame(en, "forecast_all").to_dict("records") if r["Unit"] == YB)
    assert yb["D-day 15/11"] == "fewer than 2 reports"


def test_the_misses_are_the_cells_short_on_d_day_or_at_the_milestone_by_the_gap(meeting_db):
    at = open_page(PAGE)
    rows = queried(meeting_db, "forecast")
    short = rows[rows["misses_d_day"].fillna(False).astype(bool) | rows["misses_milestone"].fillna(False).astype(bool)]
    shown = frame(at, "forecast_misses")
    assert len(shown) == len(short) > 0
    gaps = [float(g.replace(",", ".")) if g else 0.0 for g in shown["Còn thiếu"]]
    assert gaps == sorted(gaps, reverse=True)
    first = short.sort_values("gap", ascending=False).iloc[0]
    assert (shown.iloc[0]["Đơn vị"], shown.iloc[0]["Tiểu ban"]) == (first["unit"], first["subcommittee_short"])
    # Công an's command post fell from 40% to 30%: a line that does not rise, 0% on D-day
    assert (first["unit"], first["gap"], first["reason"]) == (CONG_AN, 100.0, "flat")
    assert shown.iloc[0]["Dự kiến đạt 100%"] == "không tăng"
    heads = [m.value for m in at.markdown]
    assert f"#### Dự báo chưa đạt 100% vào Ngày N hoặc mốc tiếp theo ({len(short)})" in heads


# ---------------------------------------------------------------- who to chase


def test_the_chase_list_and_the_brief_are_the_secretariats(meeting_db):
    at = open_page(PAGE)
    infos = [i.value for i in at.info]
    assert infos.count(i18n.t("meet_secretariat_only", "vi")) == 2
    assert not components(at, "readiness_copy") and not at.get("download_button")
    assert not any("0913 246 802" in m.value for m in at.markdown)  # no phone numbers for a viewer


def test_each_unit_to_chase_has_its_contact_and_message_to_copy(meeting_db, config):
    at = open_page(PAGE, SECRETARY)
    chase = queried(meeting_db, "chase")
    rows = meeting.with_messages(chase, config, TODAY, "vi", meeting.Where())
    texts = [e.value for e in at.text]
    assert texts == [r["message"] for r in rows]  # worst first, as the query
    assert [c["text"] for c in components(at, "readiness_copy")] == texts
    assert components(at, "readiness_copy")[0]["label"] == "Sao chép tin nhắn"
    ca = next(r["message"] for r in rows if r["unit"] == CONG_AN)
    assert ca.startswith("Kính gửi Đ/c Lê Minh Tuấn, Đội Tham mưu (Công an thành phố).")
    markdown = " ".join(m.value for m in at.markdown)
    assert "☎ [0913 246 802](tel:0913246802)" in markdown
    assert ":orange-badge[chậm báo cáo · cuối 10/09/2023]" in markdown  # Phòng Nội vụ


def test_the_chase_csv_has_a_row_a_unit_with_vietnamese_headers(meeting_db, config):
    at = open_page(PAGE, SECRETARY)
    (button,) = [b for b in at.get("download_button") if "chase_csv" in b.proto.id]
    assert button.proto.label == "Tải danh sách đôn đốc (.csv)"
    chase = queried(meeting_db, "chase")
    data = view.chase_csv(chase, config, TODAY, "vi", meeting.Where())
    assert data.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["Đơn vị"] for r in table] == chase["unit"].tolist()
    assert list(table[0])[:4] == ["Đơn vị", "Cấp", "Người liên hệ", "Điện thoại"]
    assert list(table[0])[-1] == "Tin nhắn"
    nv = next(r for r in table if r["Đơn vị"] == NOI_VU)
    assert (nv["Chậm báo cáo"], nv["Số ngày từ báo cáo cuối"], nv["Cấp"]) == ("Có", "21", "Thành phố")
    messages = meeting.with_messages(chase, config, TODAY, "vi", meeting.Where())
    assert [r["Tin nhắn"] for r in table] == [m["message"] for m in messages]
    english = list(
        csv.DictReader(io.StringIO(view.chase_csv(chase, config, TODAY, "en", meeting.Where()).decode("utf-8-sig")))
    )
    assert list(english[0])[:2] == ["Unit", "Level"] and english[0]["Message"].startswith("To ")


# ---------------------------------------------------------------- the brief


def test_the_brief_is_built_on_a_click_only_and_kept(meeting_db, monkeypatch):
    built = []
    real = brief.build_brief

    def counting(*args, **kw):
        built.append(args[3] if len(args) > 3 else kw.get("fmt"))
        return real(*args, **kw)

    monkeypatch.setattr(brief, "build_brief", counting)
    at = open_page(PAGE, SECRETARY)
    assert [b.label for b in at.button if b.key and b.key.startswith("brief_")] == ["Tạo PDF", "Tạo DOCX", "Tạo XLSX"]
    assert built == [] and not [b for b in at.get("download_button") if "brief" in b.proto.id]
    at.button(key="brief_xlsx").click().run()
    assert not at.exception
    assert built == ["xlsx"]
    (download,) = [b for b in at.get("download_button") if "brief" in b.proto.id]
    assert download.proto.label.startswith("Tải XLSX (") and download.proto.label.endswith(" KB)")
    at.run()  # another run (a tab switch, the live check): nothing is built again, the file stays
    assert built == ["xlsx"]
    assert [b for b in at.get("download_button") if "brief" in b.proto.id]
    at.date_input(key=view.SINCE).set_value(dt.date(2023, 9, 24)).run()  # another comparison: built anew
    assert not [b for b in at.get("download_button") if "brief" in b.proto.id]


def test_an_empty_database_says_so(app_env):
    at = open_page(PAGE)
    assert i18n.t("no_data", "vi")[:25] in " ".join(i.value for i in at.info)


# ---------------------------------------------------------------- the wall's since view


def wall_since(at) -> dict:
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == "readiness_wall"]
    data = json.loads(element.proto.json)
    return next(v for v in data["views"] if v["id"] == "since")


def test_the_wall_shows_the_worst_changes_and_the_chase_count_with_views_since(meeting_db):
    import html
    import re

    from wall import view as display

    at = open_page("pages/wall.py", query_params={"views": "since", "stay": "1"})
    shown = wall_since(at)
    assert shown["title"] == "Thay đổi từ lần giao ban trước"
    assert shown["note"] == "so với ngày 18/09/2023 (Giao ban lần 1)"
    body = shown["html"]
    tiles = {k: html.unescape(v) for k, v in re.findall(r'data-key="(\w+)">.*?class="t-value"[^>]*>([^<]*)<', body)}
    since = queried(meeting_db, "since", since=LAST_MEETING)
    units = since[since["subcommittee"].isna()]
    assert tiles["chase"] == str(len(queried(meeting_db, "chase")))
    assert tiles["sent_nothing"] == f"{int(units['sent_nothing_since'].sum())}/16"
    assert tiles["readiness"] == i18n.percent(queried(meeting_db, "headline").iloc[0]["readiness"], "vi")
    names = [html.unescape(n) for n in re.findall(r'class="sn-unit">([^<]*)<', body)]
    assert names == units["unit"].tolist()[: display.SINCE_ROWS]  # the worst changes, the query's order
    # Not in the default rotation: only when the URL names it.
    default = json.loads(
        next(e for e in at.get("bidi_component") if e.proto.component_name == "readiness_wall").proto.json
    )
    assert [v["id"] for v in default["views"]] == ["since"]
    assert "since" not in display.options({}).views and display.options({"views": "since,risks"}).views == (
        "since",
        "risks",
    )
    english = wall_since(open_page("pages/wall.py", query_params={"views": "since", "lang": "en", "stay": "1"}))
    assert english["title"] == "Since the last meeting" and "sent nothing" in english["html"]
