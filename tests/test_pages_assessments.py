"""The unit's own assessment on the pages: the unit page sets each rating beside the readiness the
board computes and says why a rating is far from the figures, the heatmap's hover carries the rating,
the subcommittee page lists every unit's rating (flagged ones first), all in English on the switch;
and the upload page's template lists the plan's tasks for the unit. Every number shown is the
`assessments` (or `heatmap`) query's."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from conftest import APP_TODAY, ROOT, open_page, plan_book, standard_rows, xlsx

from readiness import i18n, template
from readiness.auth import User
from readiness.config import load_config
from readiness.store import Store

TODAY = dt.date.fromisoformat(APP_TODAY)
YB, CA, DS = "Phường Yên Bình", "Công an thành phố", "Xã Đông Sơn"
VK, AN = "Tiểu ban văn kiện", "Tiểu ban an ninh, trật tự"
KT = "Tiểu ban khánh tiết, thi đua và tuyên truyền"
SECRETARY = User("thuky", "secretariat")


def assessment_sheet(*rows) -> list[list]:
    return [
        ["TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG"],
        [],
        ["STT", "Tiểu ban", "Tự đánh giá", "Nhận xét", "Dự kiến sẵn sàng"],
        *rows,
    ]


@pytest.fixture
def assessed(app_env):
    """Three reports of 29/09 (none stale on 01/10):
    - Yên Bình, the standard tasks (documents done 100%, security 60%, banners 0%, command post
      blocked at 30%: the whole unit 47,5%, nothing overdue), rating itself 'Đạt' as a whole (far:
      under 80%), 'Chưa đạt' in documents (far: at 100%), 'Đạt có điều kiện' in security;
    - Công an, one security task at 95% overdue since 20/09, 'Đạt' in its header block (far: overdue);
    - Đông Sơn, the standard tasks and no assessment."""
    config = load_config(ROOT / "data" / "exercise.toml")
    yb = assessment_sheet(
        [1, "Chung", "Đạt", "Đủ điều kiện <b>diễn tập</b>", "15/10/2023"],
        [2, "Văn kiện", "Chưa đạt", "", ""],
        [3, "An ninh", "Đạt có điều kiện", "Chờ lực lượng", ""],
    )
    ca_rows = standard_rows(
        CA, "29/09/2023", [[1, "Luyện tập giải tán đám đông", "An ninh", "20/09/2023", "", 95, "", ""]]
    )
    ca_rows.insert(4, ["Tự đánh giá: Đạt"])
    with Store(app_env, config) as s:
        for data, name in (
            (xlsx({"Tiến độ": standard_rows(YB, "29/09/2023"), "Tự đánh giá": yb}), "yb.xlsx"),
            (xlsx({"Tiến độ": ca_rows}), "ca.xlsx"),
            (xlsx({"Tiến độ": standard_rows(DS, "29/09/2023")}), "ds.xlsx"),
        ):
            got = s.ingest_bytes(data, name)
            assert got.status == "accepted", got.errors
    return app_env


def queried(db, name: str, **params):
    with Store(db, load_config(ROOT / "data" / "exercise.toml")) as s:
        return s.query(name, today=TODAY, **params)


def assessment(db, unit: str, subcommittee: str | None) -> dict:
    rows = queried(db, "assessments", unit=unit)
    return next(
        r
        for r in rows.to_dict("records")
        if (r["subcommittee"] if isinstance(r["subcommittee"], str) else None) == subcommittee
    )


def table(at, column: str):
    """The first static table shown with this column."""
    return next(t.value for t in at.table if column in t.value.columns)


def spec(at, key: str) -> dict:
    return next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if key in c.proto.id)


def hovers(at) -> dict[tuple[str, str], str]:
    out = {}
    for tr in spec(at, "heatmap")["data"]:
        if tr.get("name") == "cells":
            for (unit, sub), hover in zip(tr["customdata"], tr["hovertext"], strict=True):
                out[(unit, sub)] = hover
    return out


def unit_page(unit: str, lang: str | None = None):
    at = open_page("pages/unit.py", lang=lang)
    at.selectbox(key="unit").set_value(unit).run()
    assert not at.exception, at.exception
    return at


# ---------------------------------------------------------------- the unit page


def test_the_unit_page_sets_each_rating_beside_the_figures_and_explains_the_flags(assessed):
    at = unit_page(YB)
    assert "#### Tự đánh giá của đơn vị" in [m.value for m in at.markdown]
    whole, docs, security = (assessment(assessed, YB, s) for s in (None, VK, AN))
    assert (whole["readiness"], whole["overdue"], docs["readiness"]) == (47.5, 0, 100.0)  # the fixture, as queried
    shown = table(at, "Tự đánh giá").set_index("Phạm vi")
    assert list(shown.index) == ["Toàn đơn vị", "Văn kiện", "An ninh"]
    assert list(shown["Tự đánh giá"]) == ["Đạt ⚠", "Chưa đạt ⚠", "Đạt có điều kiện"]
    assert list(shown["Sẵn sàng theo số liệu"]) == [
        i18n.percent(r["readiness"], "vi", 0) for r in (whole, docs, security)
    ]
    assert shown.loc["Toàn đơn vị", "Nhận xét"] == r"Đủ điều kiện \<b\>diễn tập\</b\>"  # shown as typed, not bold
    assert shown.loc["Toàn đơn vị", "Dự kiến sẵn sàng"] == "15/10/2023"
    assert "Quá hạn" not in shown.columns  # nothing overdue anywhere: no empty column
    (warning,) = at.warning
    assert "Tự đánh giá lệch số liệu" in warning.value
    assert "**Toàn đơn vị**: Đơn vị tự đánh giá Đạt nhưng mức sẵn sàng 48% (dưới 80%)." in warning.value
    assert "**Văn kiện**: Đơn vị tự đánh giá Chưa đạt nhưng mức sẵn sàng đã 100%." in warning.value
    assert "An ninh" not in warning.value  # 'Đạt có điều kiện' at 60% is not far off
    assert any("Theo báo cáo ngày 29/09/2023" in c.value for c in at.caption)


def test_a_ready_rating_with_overdue_tasks_is_explained_with_their_number(assessed):
    at = unit_page(CA)
    whole = assessment(assessed, CA, None)
    assert (whole["rating"], whole["readiness"], whole["overdue"], whole["far_from_figures"]) == ("ready", 95, 1, True)
    (warning,) = at.warning
    assert "**Toàn đơn vị**: Đơn vị tự đánh giá Đạt nhưng còn 1 việc quá hạn." in warning.value
    shown = table(at, "Tự đánh giá")
    assert list(shown["Quá hạn"]) == ["1"] and list(shown["Sẵn sàng theo số liệu"]) == ["95%"]


def test_a_unit_that_sent_no_assessment_is_said_so(assessed):
    at = unit_page(DS)
    assert "#### Tự đánh giá của đơn vị" in [m.value for m in at.markdown]
    assert any(c.value == "Đơn vị không gửi tự đánh giá trong báo cáo đang tính (ngày 29/09/2023)." for c in at.caption)
    assert not any("Tự đánh giá" in t.value.columns for t in at.table)


def test_a_unit_that_never_reported_shows_no_assessment_block(assessed):
    at = unit_page("Xã Yên Sơn")
    assert not any("Tự đánh giá" in m.value for m in at.markdown)


def test_in_english_the_ratings_and_the_flags_read_in_english(assessed):
    at = unit_page(YB, lang="en")
    shown = table(at, "Own assessment").set_index("Scope")
    assert list(shown.index) == ["Whole unit", "Documents", "Security"]
    assert list(shown["Own assessment"]) == ["Ready ⚠", "Not ready ⚠", "Ready with conditions"]
    assert list(shown["Readiness from the figures"]) == ["48%", "100%", "60%"]
    (warning,) = at.warning
    assert "**Whole unit**: The unit rates itself Ready but its readiness is 48% (under 80%)." in warning.value
    assert "**Documents**: The unit rates itself Not ready but its readiness is already 100%." in warning.value


# ---------------------------------------------------------------- the overview's heatmap


def test_the_heatmap_hover_carries_the_rating_of_the_cell_else_of_the_whole_unit(assessed):
    at = open_page()
    shown = hovers(at)
    docs = shown[(YB, VK)]
    assert "Tự đánh giá: <b>Chưa đạt</b>" in docs and "⚠ lệch số liệu" in docs
    security = shown[(YB, AN)]
    assert "Tự đánh giá: <b>Đạt có điều kiện</b> — “Chờ lực lượng”" in security and "lệch" not in security
    # No rating of its own for banners: the whole unit's, said so, with its remark (escaped) and date.
    banners = shown[(YB, KT)]
    assert (
        "Tự đánh giá (toàn đơn vị): <b>Đạt</b> — “Đủ điều kiện &lt;b&gt;diễn tập&lt;/b&gt;” — dự kiến 15/10" in banners
    )
    assert "⚠ lệch số liệu" in banners
    assert "Tự đánh giá" not in shown[(DS, VK)]  # sent none
    assert shown[(YB, "Tiểu ban lực lượng, thực binh")].count("Tự đánh giá") == 0  # no task there: '–'
    labels = spec(at, "heatmap")["layout"]["yaxis"]["ticktext"]
    marked = {u for u in (YB, CA, DS) for label in labels if label.startswith(u) and "≠ lệch" in label}
    assert marked == {YB, CA}  # both rate the whole unit 'Đạt' far from their figures
    assert any("“lệch” cạnh tên đơn vị" in c.value for c in at.caption)
    phone = [e.label for e in at.expander if YB in e.label]
    assert ":gray-badge[≠ tự đánh giá Đạt]" in phone[0]


def test_the_heatmap_hover_in_english(assessed):
    at = open_page(lang="en")
    banners = hovers(at)[(YB, KT)]
    assert "Own assessment (whole unit): <b>Ready</b>" in banners and "ready by 15/10" in banners
    assert "⚠ far from the figures" in banners


# ---------------------------------------------------------------- the subcommittee page


def test_the_subcommittee_page_lists_each_units_rating_flagged_first(assessed):
    at = open_page("pages/subcommittee.py")
    at.selectbox(key="subcommittee").set_value(AN).run()
    assert not at.exception
    assert "#### Tự đánh giá của các đơn vị" in [m.value for m in at.markdown]
    shown = table(at, "Tự đánh giá")
    assert list(shown["Đơn vị"]) == [CA, YB, DS]  # far off first, then the other that rated, then none
    assert list(shown["Tự đánh giá"]) == ["Đạt ⚠ (toàn đơn vị)", "Đạt có điều kiện", "Không gửi"]
    cells = queried(assessed, "heatmap")
    readiness = cells[cells.subcommittee == AN].set_index("unit")["readiness"]
    assert list(shown["Sẵn sàng"]) == [i18n.percent(readiness[u], "vi", 0) for u in (CA, YB, DS)]
    assert shown["Đối chiếu số liệu"].iloc[0] == "Toàn đơn vị: Đơn vị tự đánh giá Đạt nhưng còn 1 việc quá hạn"
    assert list(shown["Đối chiếu số liệu"].iloc[1:]) == ["", ""]


def test_the_subcommittee_page_in_english(assessed):
    at = open_page("pages/subcommittee.py", lang="en")
    at.selectbox(key="subcommittee").set_value(VK).run()
    shown = table(at, "Own assessment")
    assert list(shown["Unit"]) == [YB, DS]
    assert list(shown["Own assessment"]) == ["Not ready ⚠", "None sent"]
    assert shown["Against the figures"].iloc[0] == "The unit rates itself Not ready but its readiness is already 100%"


# ---------------------------------------------------------------- the upload page's template


def test_the_upload_pages_template_lists_the_planned_tasks(assessed):
    plan = plan_book(
        [
            [1, "VK01", "Xây dựng văn kiện khối A", "Văn kiện", YB, "30/09/2023", 2],
            [2, "AN09", "Diễn tập phương án chống bạo loạn", "An ninh", YB, "20/10/2023", 1],
        ],
        "KẾ HOẠCH PHÂN CÔNG",
    )
    with Store(assessed, load_config(ROOT / "data" / "exercise.toml")) as s:
        assert s.load_plan(plan, "ke_hoach.xlsx", by="thuky").status == "accepted"
    at = open_page("pages/upload.py", SECRETARY)
    at.selectbox(key="template_unit").set_value(YB).run()
    assert not at.exception
    assert any("mẫu liệt kê 2 nhiệm vụ Ban Tổ chức giao cho Phường Yên Bình" in c.value for c in at.caption)
    assert [b.label for b in at.get("download_button")] == ["Tải mẫu .xlsx"]
    # The button's bytes are made on click (AppTest has no runtime to run it): the function it calls.
    with Store(assessed, load_config(ROOT / "data" / "exercise.toml")) as s:
        data = template.for_unit(s, YB, TODAY)
        other = template.for_unit(s, DS, TODAY)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Báo cáo"]
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[1] in ("VK01", "AN09")]
    assert [(r[1], r[2], r[3], r[5]) for r in rows] == [
        ("VK01", "Xây dựng văn kiện khối A", "Văn kiện", 2),
        ("AN09", "Diễn tập phương án chống bạo loạn", "An ninh", 1),
    ]
    assert "Tự đánh giá" in wb.sheetnames
    # Without a plan for the unit: its latest report's tasks, and no line about a plan.
    at.selectbox(key="template_unit").set_value(DS).run()
    assert not any("mẫu liệt kê" in c.value for c in at.caption)
    cells = {v for r in openpyxl.load_workbook(io.BytesIO(other))["Báo cáo"].iter_rows(values_only=True) for v in r}
    assert "Phương án bảo đảm an ninh" in cells and "VK01" not in cells
