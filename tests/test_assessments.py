"""Each unit's own assessment beside the figures (issue 10): stored with its report, listed by the
`assessments` query with the readiness the board computes for the same scope, and flagged when the two
are far apart (the contract: "Đạt" under the threshold or with overdue tasks; "Chưa đạt" at 100%)."""

from __future__ import annotations

import datetime as dt

from conftest import standard_rows, xlsx

from readiness.rebuild import rebuild

TODAY = dt.date(2023, 10, 1)
YB = "Phường Yên Bình"


def sheet(*rows) -> list[list]:
    return [
        ["TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG"],
        [],
        ["STT", "Tiểu ban", "Tự đánh giá", "Nhận xét", "Dự kiến sẵn sàng"],
        *rows,
    ]


def test_assessments_are_stored_and_shown_beside_the_figures_with_their_flags(store):
    # The standard report: văn kiện done (100%), an ninh 60%, khánh tiết 0%, hậu cần blocked at 30%;
    # whole unit (100 + 60 + 0 + 30) / 4 = 47.5. Văn kiện's deadline 30/09 is past on 01/10, but done.
    rows = sheet(
        [1, "Chung", "Đạt", "Đủ điều kiện", "15/10/2023"],
        [2, "Văn kiện", "Chưa đạt", "", ""],
        [3, "An ninh", "Đạt có điều kiện", "Chờ lực lượng", ""],
    )
    out = store.ingest_bytes(xlsx({"Tiến độ": standard_rows(), "Tự đánh giá": rows}), "yb.xlsx")
    assert out.status == "accepted", out.errors
    got = store.query("assessments", today=TODAY, unit=None)
    assert list(got.subcommittee_short.fillna("—")) == ["—", "Văn kiện", "An ninh"]
    whole, docs, security = got.to_dict("records")
    assert (whole["rating"], whole["readiness"], whole["far_from_figures"]) == ("ready", 47.5, True)
    assert whole["remark"] == "Đủ điều kiện" and whole["ready_by"].date() == dt.date(2023, 10, 15)
    assert (docs["rating"], docs["readiness"], docs["far_from_figures"]) == ("not_ready", 100.0, True)
    assert (security["rating"], security["readiness"], security["far_from_figures"]) == ("conditional", 60.0, False)


def test_ready_with_overdue_tasks_is_flagged_even_above_the_threshold(store):
    tasks = [
        [1, "Văn kiện khối A", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "", ""],
        [2, "Văn kiện khối B", "Văn kiện", "20/09/2023", "Đang thực hiện", 95, "", ""],
    ]
    rows = sheet([1, "Văn kiện", "Đạt", "", ""])
    store.ingest_bytes(xlsx({"Tiến độ": standard_rows(tasks=tasks), "Tự đánh giá": rows}), "yb.xlsx")
    (row,) = store.query("assessments", today=TODAY, unit=YB).to_dict("records")
    assert (row["readiness"], row["overdue"], row["far_from_figures"]) == (97.5, 1, True)


def test_a_newer_report_without_an_assessment_has_none_and_rebuild_keeps_them(store, config):
    store.ingest_bytes(
        xlsx({"Tiến độ": standard_rows(report_date="15/09/2023"), "Tự đánh giá": sheet([1, "Chung", "Đạt", "", ""])}),
        "a.xlsx",
    )
    assert len(store.query("assessments", today=TODAY, unit=YB)) == 1
    rebuild(store.path, config, store.archive.root, store=store)
    assert len(store.query("assessments", today=TODAY, unit=YB)) == 1
    store.ingest_bytes(xlsx({"Tiến độ": standard_rows(report_date="22/09/2023")}), "b.xlsx")
    assert store.query("assessments", today=TODAY, unit=YB).empty
