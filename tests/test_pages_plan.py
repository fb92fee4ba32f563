"""The pages with an assigned task plan in force: not-reported and extra tasks shown where
statuses and cells are, the secretariat's plan section on the upload page, plan loads in the
history. Figures shown are the queries' figures."""

from __future__ import annotations

import datetime as dt
import functools
import json

import pytest
from conftest import APP_TODAY, ROOT, admin_block, open_page, plan_book, xlsx

from readiness.auth import User
from readiness.config import load_config
from readiness.store import Store

SECRETARY = User("thuky", "secretariat")
YB, CA = "Phường Yên Bình", "Công an thành phố"


def plan_file(rows=None) -> bytes:
    rows = rows or [
        [1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", YB, "30/09/2023", 1],
        [2, "VK02", "Văn kiện khối A", "Văn kiện", YB, "15/09/2023", 2],
        [3, "AN01", "Phương án bảo vệ mục tiêu", "An ninh", f"{YB}; {CA}", "20/10/2023", 1],
        [4, "", "Diễn tập phòng cháy", "Hậu cần", YB, "01/11/2023", 1],
    ]
    return plan_book(rows)


@functools.cache
def plan_in_force() -> bytes:
    """The fixture's plan, byte for byte (an .xlsx written twice differs in its timestamp)."""
    return plan_file()


def report(unit: str, date: str, tasks: list[list]) -> bytes:
    header = ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Thời hạn", "Trạng thái", "Tỷ lệ (%)"]
    return xlsx({"Tiến độ": admin_block(unit, date) + [header, *tasks]})


@pytest.fixture
def planned(app_env):
    """The plan in force: Yên Bình reports two of its four planned tasks and one extra; Công an has
    one planned task and no report."""
    with Store(app_env, load_config(ROOT / "data" / "exercise.toml")) as s:
        assert s.load_plan(plan_in_force(), "ke_hoach.xlsx", by="thuky").status == "accepted"
        got = s.ingest_bytes(
            report(
                YB,
                "25/09/2023",
                [
                    [1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", "30/09/2023", "Hoàn thành", 100],
                    [2, "", "Diễn tập phòng cháy", "Hậu cần", "01/11/2023", "Đang thực hiện", 40],
                    [3, "", "Tổ chức hội nghị quán triệt", "Văn kiện", "", "Hoàn thành", 100],
                ],
            ),
            "yb.xlsx",
        )
        assert got.status == "accepted", got.errors
    return app_env


TODAY = dt.date.fromisoformat(APP_TODAY)
VK, AN = "Tiểu ban văn kiện", "Tiểu ban an ninh, trật tự"
HC = "Tiểu ban lễ tân, hậu cần, kỹ thuật và tài chính"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def queried(db, name: str, **params):
    with Store(db, load_config(ROOT / "data" / "exercise.toml")) as s:
        return s.query(name, today=TODAY, **params)


def spec(at, key: str) -> dict:
    return next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if key in c.proto.id)


def cells(at) -> dict[tuple[str, str], tuple[str, str]]:
    """(unit, subcommittee) -> (text, hover) of every heatmap cell."""
    out = {}
    for tr in spec(at, "heatmap")["data"]:
        if tr.get("name") == "cells":
            for (unit, sub), text, hover in zip(tr["customdata"], tr["text"], tr["hovertext"], strict=True):
                out[(unit, sub)] = (text, hover)
    return out


def frame(at, column: str):
    """The first data frame shown with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


# ---------------------------------------------------------------- the overview


def not_reported_badges(at) -> dict[tuple[str, str], tuple[str, str]]:
    """(unit, subcommittee) -> (text, hover) of the heatmap's not-reported badges, found by the cell
    whose top left corner each sits in."""
    fig = spec(at, "heatmap")
    columns, rows = fig["layout"]["xaxis"]["tickvals"], fig["layout"]["yaxis"]["categoryarray"]
    unit_of, subs = {}, {}
    for tr in fig["data"]:
        if tr.get("name") == "cells":
            for x, y, (unit, sub) in zip(tr["x"], tr["y"], tr["customdata"], strict=True):
                unit_of[y], subs[x] = unit, sub
    out = {}
    for a in fig["layout"]["annotations"]:
        if a.get("name") == "not_reported":
            assert (a["xanchor"], a["yanchor"]) == ("left", "top")  # the corner across from the overdue badge
            j, i = round(a["x"] + 0.47), round(a["y"] + 0.43)
            out[(unit_of[rows[i]], subs[columns[j]])] = (a["text"], a["hovertext"])
    return out


def test_heatmap_cells_count_the_tasks_not_reported_and_equal_the_query(planned):
    at = open_page()
    shown = cells(at)
    badges = not_reported_badges(at)
    text, hover = shown[(YB, VK)]
    assert text == "33" and badges[(YB, VK)] == ("1", "1 nhiệm vụ chưa báo cáo")  # (100·1 + 0·2) / 3
    assert "1 nhiệm vụ chưa báo cáo, 1 ngoài kế hoạch" in hover
    assert shown[(YB, AN)][0] == "0" and badges[(YB, AN)][0] == "1"
    assert shown[(YB, HC)][0] == "40" and (YB, HC) not in badges  # every planned task there is reported
    # Công an has a planned task and never reported: a row reading 0 with its count, flagged.
    assert shown[(CA, AN)][0] == "0" and badges[(CA, AN)][0] == "1"
    labels = spec(at, "heatmap")["layout"]["yaxis"]["ticktext"]
    assert any(CA in label and "⚠ chưa báo cáo" in label for label in labels)
    heat = queried(planned, "heatmap")
    for r in heat.itertuples():
        # The number alone in the cell: a count under it ran into the next column at laptop width.
        assert shown[(r.unit, r.subcommittee)][0] == f"{r.readiness:.0f}"
        assert badges.get((r.unit, r.subcommittee), ("0",))[0] == str(r.not_reported)
    assert len(badges) == int((heat["not_reported"] > 0).sum())
    assert any("khung viền đỏ ở góc trái" in c.value for c in at.caption)  # the help says what the count means


def test_subcommittee_bars_have_a_not_reported_segment_equal_to_the_query(planned):
    at = open_page()
    bars = spec(at, "subcommittees")
    (missing,) = [tr for tr in bars["data"] if tr["name"] == "Chưa báo cáo"]
    subs = queried(planned, "subcommittees").set_index("short")
    by_label = {y.split("  ")[0]: x for y, x in zip(missing["y"], missing["x"], strict=True)}
    assert by_label == {s: int(subs.loc[s, "not_reported"]) for s in by_label}
    assert by_label["An ninh"] == 2 and by_label["Văn kiện"] == 1
    assert missing["marker"]["pattern"]["shape"] == "/"  # hatched: apart from 'blocked' in grey-scale


def test_risks_name_an_overdue_task_nobody_reported(planned):
    at = open_page()
    risks = frame(at, "Trễ (ngày)")
    row = risks[risks["Nội dung"] == "Văn kiện khối A"].iloc[0]
    assert (row["Trạng thái"], row["Đơn vị"], row["Trễ (ngày)"]) == ("Chưa báo cáo", YB, "16")
    cards = " ".join(m.value for m in at.markdown)
    assert ":violet-badge[Chưa báo cáo] **Văn kiện khối A**" in cards  # the phone's risk cards


def test_phone_unit_list_counts_the_tasks_not_reported(planned):
    at = open_page()
    labels = [e.label for e in at.expander if "%" in e.label]
    yb = next(label for label in labels if YB in label)
    assert ":violet-badge[2 chưa báo cáo]" in yb


def test_in_english_the_counts_and_status_read_in_english(planned):
    at = open_page(lang="en")
    text, hover = cells(at)[(YB, VK)]
    assert text == "33" and "1 tasks not reported, 1 outside the plan" in hover
    assert not_reported_badges(at)[(YB, VK)] == ("1", "1 tasks not reported")
    assert any("ringed in red" in c.value for c in at.caption)
    assert "Not reported" in set(frame(at, "Days late")["Status"])
    assert any(tr["name"] == "Not reported" for tr in spec(at, "subcommittees")["data"])


# ---------------------------------------------------------------- the unit page


def test_unit_page_lists_the_tasks_not_reported_and_the_extras_apart(planned):
    at = open_page("pages/unit.py")
    at.selectbox(key="unit").set_value(YB).run()
    assert not at.exception
    heads = [m.value for m in at.markdown]
    assert "#### Nhiệm vụ được giao nhưng chưa báo cáo (2)" in heads
    assert "#### Nhiệm vụ ngoài kế hoạch (1)" in heads
    latest, missing, extra = (d.value for d in at.dataframe[:3])
    assert set(latest["Nội dung"]) == {"Xây dựng kế hoạch diễn tập", "Diễn tập phòng cháy"}
    assert set(missing["Nội dung"]) == {"Văn kiện khối A", "Phương án bảo vệ mục tiêu"}
    assert list(missing.columns[:2]) == ["Nội dung", "Mã NV"]  # led by the task, with the plan's code
    assert list(extra["Nội dung"]) == ["Tổ chức hội nghị quán triệt"]
    assert "Mã NV" not in extra.columns  # no code to show
    captions = " ".join(c.value for c in at.caption)
    assert "tính 0%" in captions and "không tính vào mức sẵn sàng" in captions
    # the figures shown are the queries'
    tasks = queried(planned, "tasks", unit=YB, subcommittee=None)
    assert set(missing["Nội dung"]) == set(tasks[tasks.status == "not_reported"].task)
    m = {x.label: x.value for x in at.metric}
    assert m["Văn kiện"] == "33%" and m["An ninh"] == "0%" and m["Hậu cần"] == "40%"


def test_unit_page_of_a_planned_unit_that_never_reported(planned):
    at = open_page("pages/unit.py")
    at.selectbox(key="unit").set_value(CA).run()
    assert not at.exception
    assert any("chưa gửi báo cáo nào" in w.value for w in at.warning)
    assert not any("unit_none" in i.value or "chưa gửi báo cáo nào được chấp nhận" in i.value for i in at.info)
    (missing,) = [d.value for d in at.dataframe if "Trọng số" in d.value.columns]
    assert list(missing["Nội dung"]) == ["Phương án bảo vệ mục tiêu"]


def test_unit_page_shows_nothing_of_a_plan_without_one(two_weeks):
    at = open_page("pages/unit.py")
    at.selectbox(key="unit").set_value(YB).run()
    heads = " ".join(m.value for m in at.markdown)
    assert "chưa báo cáo (" not in heads and "ngoài kế hoạch" not in heads


def test_subcommittee_filter_offers_not_reported_with_a_plan(planned):
    at = open_page("pages/subcommittee.py")
    at.selectbox(key="subcommittee").set_value(AN).run()
    assert at.multiselect(key="sub_status").options[-1] == "Chưa báo cáo"
    at.multiselect(key="sub_status").select("not_reported").run()
    assert set(at.dataframe[0].value["Đơn vị"]) == {YB, CA}
    assert set(at.dataframe[0].value["Trạng thái"]) == {"Chưa báo cáo"}


# ---------------------------------------------------------------- the upload page: the plan section


def plan_upload(at, name: str, data: bytes):
    at.file_uploader(key="plan_upload").set_value((name, data, XLSX)).run()
    assert not at.exception, at.exception
    return at


def test_the_plan_section_is_the_secretariats(planned):
    clerk = open_page("pages/upload.py", User("yenbinh", "uploader", (YB,)))
    assert [u.key for u in clerk.file_uploader] == ["uploads"]
    assert not any("Kế hoạch phân công" in m.value for m in clerk.markdown)
    at = open_page("pages/upload.py", SECRETARY)
    assert "plan_upload" in [u.key for u in at.file_uploader]
    shown = " ".join(m.value for m in at.markdown)
    assert "Kế hoạch đang áp dụng: **ke\\_hoach.xlsx**" in shown and "bởi thuky; 5 nhiệm vụ cho 2 đơn vị" in shown


def test_a_new_plan_is_previewed_and_stored_only_on_confirm(planned):
    smaller = plan_file(
        [
            [1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", YB, "05/10/2023", 1],
            [2, "AN01", "Phương án bảo vệ mục tiêu", "An ninh", YB, "20/10/2023", 1],
            [3, "TB01", "Huấn luyện dân quân", "Thực binh", YB, "01/11/2023", 2],
        ]
    )
    at = plan_upload(open_page("pages/upload.py", SECRETARY), "ke_hoach_moi.xlsx", smaller)
    waiting = " ".join(w.value for w in at.warning)
    assert "CHỜ XÁC NHẬN — chưa nạp" in waiting and "3 nhiệm vụ cho 1 đơn vị" in waiting
    assigned = frame(at, "Tổng")
    row = assigned.set_index("Đơn vị").loc[YB]
    assert (row["Văn kiện"], row["An ninh"], row["Thực binh"], row["Tổng"]) == ("1", "1", "1", "3")
    assert "Hậu cần" not in assigned.columns  # the plan gives no logistics task
    changes = frame(at, "Thay đổi")
    kinds = dict(zip(changes["Nội dung"] + " | " + changes["Đơn vị"], changes["Thay đổi"], strict=True))
    assert kinds == {
        f"Huấn luyện dân quân | {YB}": "Thêm",
        f"Văn kiện khối A | {YB}": "Bỏ",
        f"Diễn tập phòng cháy | {YB}": "Bỏ",
        f"Phương án bảo vệ mục tiêu | {CA}": "Bỏ",
        f"Xây dựng kế hoạch diễn tập | {YB}": "Đổi thời hạn",
    }
    assert any("1 nhiệm vụ thêm · 3 nhiệm vụ bỏ · 1 đổi thời hạn · 0 đổi trọng số" in c.value for c in at.caption)
    moved = changes[changes["Thay đổi"] == "Đổi thời hạn"].iloc[0]
    assert (moved["Thời hạn"], moved["Trọng số"]) == ("30/09/2023 → 05/10/2023", "1")
    assert len(queried(planned, "plans")) == 1  # a preview stores nothing
    at.button(key="plan_confirm").click().run()
    assert not at.exception
    done = " ".join(s.value for s in at.success)
    assert "ĐÃ NẠP KẾ HOẠCH" in done and "3 nhiệm vụ cho 1 đơn vị, áp dụng từ bây giờ" in done
    assert not at.warning and not [b for b in at.button if b.key == "plan_confirm"]
    plans = queried(planned, "plans")
    assert list(plans.status) == ["accepted", "accepted"] and list(plans.in_force) == [True, False]
    assert (plans.source[0], plans.loaded_by[0], plans.original_name[0]) == ("upload", "thuky", "ke_hoach_moi.xlsx")
    heat = queried(planned, "heatmap")
    assert CA not in set(heat.unit)  # no longer planned, never reported: off the board
    at.run()  # a rerun shows the answer again and loads nothing twice
    assert len(queried(planned, "plans")) == 2 and any("ĐÃ NẠP" in s.value for s in at.success)


def test_a_plan_with_errors_shows_each_cell_and_stores_nothing(planned):
    bad = plan_file([[1, "X1", "Việc lạ", "Tiểu ban lạ", "Phường Không Có", "30/09/2023", 1]])
    at = plan_upload(open_page("pages/upload.py", SECRETARY), "ke_hoach_loi.xlsx", bad)
    (error,) = at.error
    assert "KẾ HOẠCH BỊ TỪ CHỐI — chưa nạp" in error.value and "kế hoạch đang áp dụng giữ nguyên" in error.value
    table = at.table[0].value
    assert set(table["Giá trị"]) >= {"Tiểu ban lạ", "Phường Không Có"}
    assert set(table["Dòng"]) == {"4"} and set(table["Trang"]) == {"Kế hoạch"}
    assert not [b for b in at.button if b.key == "plan_confirm"]
    assert len(queried(planned, "plans")) == 1
    assert len(queried(planned, "tasks", unit=CA, subcommittee=None)) == 1  # the plan in force stays


def test_the_plan_in_force_again_is_a_duplicate(planned):
    at = plan_upload(open_page("pages/upload.py", SECRETARY), "lai.xlsx", plan_in_force())
    assert any("TRÙNG KẾ HOẠCH ĐANG ÁP DỤNG" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "plan_confirm"]


def test_the_plan_section_speaks_english(planned):
    at = open_page("pages/upload.py", SECRETARY, lang="en")
    at = plan_upload(at, "new.xlsx", plan_file([[1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", YB, "", 1]]))
    shown = " ".join([*(m.value for m in at.markdown), *(w.value for w in at.warning), *(b.label for b in at.button)])
    for text in ("The assigned task plan", "Plan in force", "WAITING FOR YOUR CONFIRMATION", "Confirm and load"):
        assert text in shown, text
    assert "Change" in frame(at, "Change").columns and "Removed" in set(frame(at, "Change")["Change"])


# ---------------------------------------------------------------- the history page


def test_history_lists_the_plan_loads(planned):
    at = open_page("pages/history.py")
    assert any(m.value == "#### Các lần nạp kế hoạch phân công" for m in at.markdown)
    loads = frame(at, "Nạp lúc")
    assert list(loads["Tệp"]) == ["ke_hoach.xlsx"] and list(loads["Đang áp dụng"]) == ["✔"]
    assert list(loads["Nhiệm vụ"]) == [5] and list(loads["Người nạp"]) == ["thuky"]


def test_history_without_a_plan_has_no_plan_section(two_weeks):
    at = open_page("pages/history.py")
    assert not any("kế hoạch phân công" in m.value for m in at.markdown)
