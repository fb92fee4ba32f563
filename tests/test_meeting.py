"""The coordination meeting (issue 11), on fixture data with known answers: what changed since a day
(the `since` query), the straight-line forecast per unit and subcommittee (`forecast`), who to chase
with their contact (`chase`) and the message each is sent (readiness.meeting)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import standard_rows, xlsx
from test_plan import CA, YB, plan_file
from test_plan import report as plan_report

from readiness import export, meeting

TODAY = dt.date(2023, 10, 1)
SINCE = dt.date(2023, 9, 15)
CONG_AN, NOI_VU = "Công an thành phố", "Phòng Nội vụ"


def report(unit: str, date: str, tasks: list[list]) -> bytes:
    """A unit's report: rows of [task, subcommittee, deadline, status, percent]."""
    rows = [
        [i + 1, task, sub, deadline, status, pct, "", ""] for i, (task, sub, deadline, status, pct) in enumerate(tasks)
    ]
    return xlsx({"Tiến độ": standard_rows(unit, date, rows)})


def ingest(store, unit: str, date: str, tasks: list[list]) -> None:
    got = store.ingest_bytes(report(unit, date, tasks), f"{unit}-{date.replace('/', '')}.xlsx")
    assert got.status == "accepted", [m.message for m in got.errors]


@pytest.fixture
def moved(store):
    """Công an on the meeting day (15/09) and again on 29/09: one task up, one newly late, one
    blocked lower than before, one finished since; Phòng Nội vụ once, on 10/09, and not since."""
    ingest(
        store,
        CONG_AN,
        "15/09/2023",
        [
            ["Phương án bảo vệ", "An ninh", "05/10/2023", "Đang thực hiện", 60],
            ["Luyện tập giải tán đám đông", "An ninh", "20/09/2023", "Đang thực hiện", 50],
            ["Diễn tập phòng cháy", "Hậu cần", "10/10/2023", "Đang thực hiện", 40],
            ["Bảo vệ mục tiêu", "An ninh", "10/09/2023", "Hoàn thành", 100],
        ],
    )
    ingest(
        store,
        CONG_AN,
        "29/09/2023",
        [
            ["Phương án bảo vệ", "An ninh", "05/10/2023", "Đang thực hiện", 80],
            ["Luyện tập giải tán đám đông", "An ninh", "20/09/2023", "Đang thực hiện", 50],
            ["Diễn tập phòng cháy", "Hậu cần", "10/10/2023", "Vướng mắc", 30],
            ["Bảo vệ mục tiêu", "An ninh", "10/09/2023", "Hoàn thành", 100],
            ["Phân luồng giao thông", "An ninh", "25/09/2023", "Hoàn thành", 100],
        ],
    )
    ingest(store, NOI_VU, "10/09/2023", [["Rà soát lực lượng", "Thực binh", "30/10/2023", "Đang thực hiện", 70]])
    return store


def test_since_compares_each_cell_with_the_day_given(moved):
    rows = moved.records("since", today=TODAY, since=SINCE)
    cell = {(r["unit"], r["subcommittee"]): r for r in rows}
    an = cell[(CONG_AN, "Tiểu ban an ninh, trật tự")]
    # then: 60, 50, 100 -> 70.0; now: 80, 50, 100, 100 -> 82.5
    assert (an["readiness_then"], an["readiness_now"], an["change"]) == (70.0, 82.5, 12.5)
    # finished since: the new task reported done; newly late: the drill due 20/09 (after the 15th)
    assert (an["completed"], an["became_overdue"], an["went_backwards"], an["overdue"]) == (1, 1, 0, 1)
    hc = cell[(CONG_AN, "Tiểu ban lễ tân, hậu cần, kỹ thuật và tài chính")]
    assert (hc["readiness_then"], hc["readiness_now"], hc["change"], hc["went_backwards"]) == (40.0, 30.0, -10.0, 1)
    whole = cell[(CONG_AN, None)]
    assert (whole["readiness_then"], whole["readiness_now"], whole["change"]) == (62.5, 72.0, 9.5)
    assert (whole["completed"], whole["became_overdue"], whole["went_backwards"]) == (1, 1, 1)
    assert (whole["reports_since"], whole["sent_nothing_since"]) == (1, False)
    assert whole["last_report"] == dt.date(2023, 9, 29) and whole["since"] == SINCE


def test_since_lists_units_that_sent_nothing_worst_first(moved):
    rows = moved.records("since", today=TODAY, since=SINCE)
    nv = next(r for r in rows if r["unit"] == NOI_VU and r["subcommittee"] is None)
    assert (nv["readiness_then"], nv["readiness_now"], nv["change"], nv["sent_nothing_since"]) == (
        70.0,
        70.0,
        0.0,
        True,
    )
    # Every unit of the config has its unit row, those with nothing to count too.
    units = [r for r in rows if r["subcommittee"] is None]
    assert len(units) == 16
    never = next(r for r in units if r["unit"] == "Hội Cựu chiến binh thành phố")
    assert (never["readiness_now"], never["change"], never["sent_nothing_since"]) == (None, None, True)
    # Worst first: the cell that lost ground leads.
    assert (rows[0]["unit"], rows[0]["subcommittee_short"], rows[0]["change"]) == (CONG_AN, "Hậu cần", -10.0)
    assert rows[-1]["change"] is None


def test_since_a_status_lower_than_before_is_backwards_even_at_the_same_percent(store):
    ingest(store, CONG_AN, "15/09/2023", [["Phương án bảo vệ", "An ninh", "30/10/2023", "Hoàn thành", ""]])
    ingest(store, CONG_AN, "25/09/2023", [["Phương án bảo vệ", "An ninh", "30/10/2023", "Đang thực hiện", 100]])
    an = next(
        r for r in store.records("since", today=TODAY, since=SINCE) if r["subcommittee"] == "Tiểu ban an ninh, trật tự"
    )
    assert (an["change"], an["went_backwards"], an["completed"]) == (0.0, 1, 0)


def test_since_with_a_plan_counts_planned_tasks_left_out(store):
    assert store.load_plan(plan_file(), "ke_hoach.xlsx").status == "accepted"
    rows = store.records("since", today=TODAY, since=dt.date(2023, 9, 20))
    ca = next(r for r in rows if r["unit"] == CA and r["subcommittee"] is None)
    # No report yet: its one planned task counts as not reported (0%) on both days.
    assert (ca["readiness_then"], ca["readiness_now"], ca["tasks"], ca["sent_nothing_since"]) == (0.0, 0.0, 1, True)


# ---------------------------------------------------------------- forecast


@pytest.fixture
def trends(store):
    """Weekly reports with known lines: Xã Đông Sơn 20, 40, 60 (reaches 100% two weeks after the
    last); Xã Yên Sơn 10, 12, 14 (2 points a week: far short on D-day); Thành đoàn flat at 50;
    Phòng Nội vụ 80 then 100 (complete); Phường Yên Bình one report."""
    days = ["01/09/2023", "08/09/2023", "15/09/2023"]
    for unit, values in [("Xã Đông Sơn", [20, 40, 60]), ("Xã Yên Sơn", [10, 12, 14])]:
        for day, value in zip(days, values, strict=True):
            ingest(store, unit, day, [["Văn kiện khối A", "Văn kiện", "30/10/2023", "Đang thực hiện", value]])
    for day in days[1:]:
        ingest(store, "Thành đoàn Tam Điệp", day, [["Treo băng rôn", "Khánh tiết", "30/10/2023", "Đang thực hiện", 50]])
    ingest(store, NOI_VU, days[1], [["Rà soát lực lượng", "Thực binh", "30/10/2023", "Đang thực hiện", 80]])
    ingest(store, NOI_VU, days[2], [["Rà soát lực lượng", "Thực binh", "30/10/2023", "Hoàn thành", 100]])
    ingest(store, YB, days[2], [["Phương án bảo vệ", "An ninh", "30/10/2023", "Đang thực hiện", 30]])
    return store


def forecast(store, today=dt.date(2023, 9, 15)) -> dict:
    return {r["unit"]: r for r in store.records("forecast", today=today)}


def test_a_line_that_rises_projects_the_day_it_reaches_100(trends):
    ds = forecast(trends)["Xã Đông Sơn"]
    assert ds["reports"] == 3 and ds["rate_per_week"] == 20.0
    # 60% on 15/09 at 20 points a week: 100% on 29/09, exactly where the line gets there.
    assert ds["projected_completion"] == dt.date(2023, 9, 29)
    assert (ds["projected_on_d_day"], ds["misses_d_day"], ds["gap"], ds["reason"]) == (100.0, False, 0.0, None)
    assert ds["d_day"] == dt.date(2023, 11, 15)
    # The next milestone after 15/09 is "Hoàn thành văn kiện" on 30/09: reached the day before.
    assert (ds["next_milestone"], ds["next_milestone_date"]) == ("Hoàn thành văn kiện", dt.date(2023, 9, 30))
    assert (ds["projected_at_milestone"], ds["misses_milestone"]) == (100.0, False)
    # Seen a week later, from the same three reports, the same day.
    assert forecast(trends, dt.date(2023, 9, 22))["Xã Đông Sơn"]["projected_completion"] == dt.date(2023, 9, 29)


def test_a_slow_line_misses_d_day_by_its_gap_and_leads_the_list(trends):
    rows = trends.records("forecast", today=dt.date(2023, 9, 15))
    ys = rows[0]
    assert ys["unit"] == "Xã Yên Sơn"
    # 14% on 15/09 plus 2/7 a day for the 61 days to 15/11: 31.4%
    assert (ys["projected_on_d_day"], ys["misses_d_day"], ys["gap"]) == (31.4, True, 68.6)
    assert ys["projected_completion"] == dt.date(2023, 9, 15) + dt.timedelta(days=301)  # 86 / (2/7)
    assert ys["projected_at_milestone"] == round(14 + 2 / 7 * 15, 1) and ys["misses_milestone"]
    gaps = [r["gap"] for r in rows if r["gap"] is not None]
    assert gaps == sorted(gaps, reverse=True)


def test_no_guess_from_one_report_a_flat_line_and_a_finished_cell(trends):
    f = forecast(trends)
    yb = f[YB]
    assert (yb["reports"], yb["reason"], yb["projected_on_d_day"], yb["misses_d_day"]) == (1, "one_report", None, None)
    flat = f["Thành đoàn Tam Điệp"]
    assert (flat["reason"], flat["projected_on_d_day"], flat["projected_completion"], flat["misses_d_day"]) == (
        "flat",
        50.0,
        None,
        True,
    )
    done = f[NOI_VU]
    assert (done["reason"], done["projected_on_d_day"], done["projected_completion"], done["misses_d_day"]) == (
        "complete",
        100.0,
        dt.date(2023, 9, 15),
        False,
    )
    assert list(trends.records("forecast", today=TODAY))[-1]["gap"] is None  # no forecast: last


def test_the_line_takes_the_last_four_reports(store):
    # 0, 0, 0 long ago, then 10, 20, 30, 40 weekly: the old zeros no longer weigh on the pace.
    days = [dt.date(2023, 7, 1) + dt.timedelta(days=7 * i) for i in range(7)]
    for day, value in zip(days, [0, 0, 0, 10, 20, 30, 40], strict=True):
        ingest(store, "Xã Đông Sơn", day.strftime("%d/%m/%Y"), [["Văn kiện", "Văn kiện", "", "Đang thực hiện", value]])
    ds = forecast(store, days[-1])["Xã Đông Sơn"]
    assert (ds["reports"], ds["first_used"], ds["rate_per_week"]) == (4, days[3], 10.0)
    assert ds["projected_completion"] == days[-1] + dt.timedelta(days=42)


def test_a_planned_unit_with_no_report_has_no_forecast(store):
    assert store.load_plan(plan_file(), "ke_hoach.xlsx").status == "accepted"
    ca = forecast(store, TODAY)[CA]
    assert (ca["reports"], ca["reason"], ca["readiness"], ca["projected_on_d_day"]) == (0, "no_report", 0.0, None)


# ---------------------------------------------------------------- chase


def test_chase_lists_who_to_call_with_their_contact_worst_first(moved, config):
    ingest(
        moved, "Thành đoàn Tam Điệp", "28/09/2023", [["Treo băng rôn", "Khánh tiết", "30/10/2023", "Hoàn thành", 100]]
    )
    rows = moved.records("chase", today=TODAY)
    by_unit = {r["unit"]: r for r in rows}
    assert "Thành đoàn Tam Điệp" not in by_unit  # reported this week, nothing late
    assert len(rows) == 15  # 13 never reported, Phòng Nội vụ stale, Công an late
    assert all(r["never_reported"] for r in rows[:13])
    assert [r["unit"] for r in rows[13:]] == [NOI_VU, CONG_AN]
    ca = by_unit[CONG_AN]
    assert (ca["contact"], ca["phone"]) == ("Đ/c Lê Minh Tuấn, Đội Tham mưu", "0913 246 802")
    assert (ca["stale"], ca["never_reported"], ca["overdue"], ca["blocked"]) == (False, False, 1, 1)
    assert (ca["earliest_deadline"], ca["most_days_late"]) == (dt.date(2023, 9, 20), 11)
    assert ca["overdue_tasks"] == [
        {"task": "Luyện tập giải tán đám đông", "deadline": dt.date(2023, 9, 20), "days_late": 11, "reported": True}
    ]
    nv = by_unit[NOI_VU]
    assert (nv["stale"], nv["days_since"], nv["last_report"], nv["report_due"], nv["overdue"]) == (
        True,
        21,
        dt.date(2023, 9, 10),
        dt.date(2023, 9, 17),
        0,
    )


def test_chase_with_a_plan_names_the_planned_tasks_left_out(store):
    assert store.load_plan(plan_file(), "ke_hoach.xlsx").status == "accepted"
    got = store.ingest_bytes(
        plan_report(
            YB, "25/09/2023", [[1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", "30/09/2023", "Hoàn thành", 100]]
        ),
        "yb.xlsx",
    )
    assert got.status == "accepted"
    rows = {r["unit"]: r for r in store.records("chase", today=TODAY)}
    yb = rows[YB]
    assert (yb["not_reported"], yb["overdue"]) == (3, 0)
    assert [t["task"] for t in yb["not_reported_tasks"]] == [
        "Văn kiện khối A",
        "Phương án bảo vệ mục tiêu",
        "Diễn tập phòng cháy",
    ]
    assert (rows[CA]["never_reported"], rows[CA]["not_reported"]) == (True, 1)


def test_messages_say_what_is_missing_the_deadline_and_where_to_send(moved, config):
    rows = {r["unit"]: r for r in meeting.with_messages(moved.query("chase", today=TODAY), config, TODAY)}
    ca = rows[CONG_AN]["message"]
    assert ca.startswith("Kính gửi Đ/c Lê Minh Tuấn, Đội Tham mưu (Công an thành phố).")
    assert "Ban Tổ chức diễn tập đề nghị đơn vị:" in ca
    assert '1 nhiệm vụ quá hạn (hạn sớm nhất 20/09/2023, đã trễ 11 ngày): "Luyện tập giải tán đám đông".' in ca
    # The next meeting is on 16/10: the answer is wanted the day before, on the upload page.
    assert 'trước 17h00 ngày 15/10/2023 qua trang "Gửi báo cáo" của Bảng sẵn sàng (/gui-bao-cao).' in ca
    nv = rows[NOI_VU]["message"]
    assert "báo cáo gần nhất ngày 10/09/2023 (đã 21 ngày; hạn gửi báo cáo mới 17/09/2023)" in nv
    assert "quá hạn" not in nv
    never = rows["Hội Cựu chiến binh thành phố"]["message"]
    assert "chưa gửi báo cáo nào" in never and "Đ/c Lưu Văn Sơn" in never
    english = meeting.chase_message(
        moved.records("chase", today=TODAY)[-1],
        config,
        TODAY,
        "en",
        meeting.Where("https://board/gui-bao-cao", "\\\\sv\\in"),
    )
    assert "Finish 1 overdue tasks" in english and "by 17:00 on 15/10/2023" in english
    assert "https://board/gui-bao-cao" in english and "\\\\sv\\in" in english


def test_a_message_names_three_tasks_and_counts_the_rest(store, config):
    tasks = [[f"Nhiệm vụ {i}", "Văn kiện", f"0{i}/09/2023", "Chưa thực hiện", ""] for i in range(1, 6)]
    ingest(store, CONG_AN, "28/09/2023", tasks)
    row = next(r for r in store.records("chase", today=TODAY) if r["unit"] == CONG_AN)
    text = meeting.chase_message(row, config, TODAY)
    assert '"Nhiệm vụ 1", "Nhiệm vụ 2", "Nhiệm vụ 3" và 2 nhiệm vụ khác.' in text
    assert "hạn sớm nhất 01/09/2023, đã trễ 30 ngày" in text


def test_planned_tasks_left_out_are_asked_for_once(store, config):
    assert store.load_plan(plan_file(), "ke_hoach.xlsx").status == "accepted"
    row = next(r for r in store.records("chase", today=dt.date(2023, 10, 25)) if r["unit"] == CA)
    text = meeting.chase_message(row, config, dt.date(2023, 10, 25))
    assert (
        'Báo cáo 1 nhiệm vụ được giao chưa có trong báo cáo của đơn vị: "Phương án bảo vệ mục tiêu" (trong đó 1' in text
    )
    assert "Khẩn trương" not in text


def test_the_chase_csv_is_flat_and_inert(moved, config):
    frame = meeting.chase_frame(moved.query("chase", today=TODAY), config, TODAY)
    ca = frame.set_index("unit").loc[CONG_AN]
    assert ca.overdue_tasks == "Luyện tập giải tán đám đông (20/09/2023)"
    assert ca.earliest_deadline == dt.date(2023, 9, 20)
    text = export.csv_text(frame)
    assert "Đ/c Lê Minh Tuấn" in text and text.splitlines()[0].endswith('"message"')


def test_last_and_next_meeting(config):
    assert meeting.last_meeting(config, TODAY) == dt.date(2023, 9, 18)
    assert meeting.last_meeting(config, dt.date(2023, 10, 17)) == dt.date(2023, 10, 16)
    # A meeting today is the one being prepared: the one before it is the reference.
    assert meeting.last_meeting(config, dt.date(2023, 10, 16)) == dt.date(2023, 9, 18)
    # None before: a week earlier.
    assert meeting.last_meeting(config, dt.date(2023, 9, 18)) == dt.date(2023, 9, 11)
    assert meeting.previous_meeting(config, dt.date(2023, 9, 1)) is None
    assert meeting.next_meeting(config, TODAY).name == "Giao ban lần 2"
    assert meeting.reply_by(config, dt.date(2023, 10, 16)) == dt.date(2023, 10, 16)  # the meeting is today
    assert meeting.reply_by(config, dt.date(2023, 11, 1)) == dt.date(2023, 11, 3)  # none ahead: two days


def test_a_database_from_before_contacts_gets_them_when_it_opens(tmp_path, config):
    import duckdb

    from readiness.store import Store

    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:  # the units table as the first release made it
        con.execute("CREATE TABLE units (name VARCHAR PRIMARY KEY, level VARCHAR, position INTEGER)")
        con.execute("INSERT INTO units VALUES ('Công an thành phố', 'city', 0)")
    with Store(path, config) as store:
        rows = {r["unit"]: r for r in store.records("chase", today=TODAY)}
    assert len(rows) == 16 and rows[CONG_AN]["phone"] == "0913 246 802"


def test_query_since_takes_the_since_shorthand(tmp_path, capsys):
    from conftest import ROOT

    from readiness import cli

    db = ["--db", str(tmp_path / "b.duckdb"), "--config", str(ROOT / "data" / "exercise.toml")]
    assert cli.main([*db, "--today", "2023-10-01", "query", "since", "--since", "2023-09-18", "--format", "json"]) == 0
    rows = __import__("json").loads(capsys.readouterr().out)
    assert rows and {r["since"][:10] for r in rows} == {"2023-09-18"}
