"""The unit's template from the plan in force: it lists exactly the tasks the committee gave the unit
(codes, subcommittees, deadlines, weights) with status and percent left to fill, carries the
self-assessment sheet, and once filled is accepted without a warning and counts against the plan with
nothing left unreported. Without a plan the template is as it was. The demo has a plan too."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from conftest import plan_book, standard_rows, xlsx

from readiness import template
from readiness.reader import read_report
from readiness.template import HEADER, build_template

TODAY = dt.date(2023, 10, 1)
YB, CA, YS = "Phường Yên Bình", "Công an thành phố", "Xã Yên Sơn"
PLAN_ROWS = [
    [1, "VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", YB, "30/09/2023", 1],
    [2, "VK02", "Văn kiện khối A", "Văn kiện", YB, "15/10/2023", 2],
    [3, "AN01", "Phương án bảo vệ mục tiêu", "An ninh", f"{YB}; {CA}", "20/10/2023", 1],
    [4, "", "Diễn tập phòng cháy", "Hậu cần", YB, "01/11/2023", 1.5],
]
# What the Yên Bình template must list, in the plan's order: code, task, subcommittee, deadline, weight.
YB_PLANNED = [
    ("VK01", "Xây dựng kế hoạch diễn tập", "Văn kiện", dt.datetime(2023, 9, 30), 1),
    ("VK02", "Văn kiện khối A", "Văn kiện", dt.datetime(2023, 10, 15), 2),
    ("AN01", "Phương án bảo vệ mục tiêu", "An ninh", dt.datetime(2023, 10, 20), 1),
    (None, "Diễn tập phòng cháy", "Hậu cần", dt.datetime(2023, 11, 1), 1.5),
]
FIRST = 8  # the table's first row (1-based): the header block, then the header on row 7


def plan_file() -> bytes:
    return plan_book(PLAN_ROWS)


@pytest.fixture
def planned(store):
    out = store.load_plan(plan_file(), "ke_hoach.xlsx")
    assert out.status == "accepted" and not out.warnings, [m.message for m in out.errors + out.warnings]
    return store


def open_inert(data: bytes) -> openpyxl.Workbook:
    """The workbook, after checking that no cell of any sheet holds a formula or a hyperlink."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None, (ws.title, cell.coordinate, cell.value)
    return wb


def header(ws) -> list[str]:
    return [c.value for c in ws[FIRST - 1] if c.value is not None]


def table(ws) -> list[dict]:
    """The filled task rows (a code or a task), as {heading: value}."""
    names = header(ws)
    out = []
    for row in ws.iter_rows(min_row=FIRST, max_col=len(names), values_only=True):
        rec = dict(zip(names, row, strict=True))
        if rec["Mã NV"] is None and rec["Nội dung công việc"] is None:
            continue
        out.append(rec)
    return out


def fill(data: bytes, status="Hoàn thành", percent=100, rating: str | None = None) -> bytes:
    """The template as a clerk fills it: a status and a percent on every listed task (and a rating for
    the whole unit)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Báo cáo"]
    names = header(ws)
    st_col, pc_col = names.index("Trạng thái") + 1, names.index("Tỷ lệ (%)") + 1
    for r in range(FIRST, FIRST + len(table(ws))):
        ws.cell(r, st_col).value, ws.cell(r, pc_col).value = status, percent
    if rating is not None:
        sheet = wb[template.ASSESSMENT_SHEET]
        (row,) = [r for r in sheet.iter_rows() if r[0].value == "Chung"]
        row[1].value, row[2].value = rating, "Tự nhận xét của đơn vị"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- with a plan in force


def test_the_template_lists_exactly_the_units_planned_tasks_with_empty_status(planned, config):
    data = template.for_unit(planned, YB, TODAY)
    ws = open_inert(data)["Báo cáo"]
    names = header(ws)
    assert names == HEADER[:5] + ["Trọng số"] + HEADER[5:]  # a weight is not 1: the column is there
    rows = table(ws)
    got = [(r["Mã NV"], r["Nội dung công việc"], r["Tiểu ban"], r["Thời hạn"], r["Trọng số"]) for r in rows]
    assert got == YB_PLANNED
    assert all(r["Trạng thái"] is None and r["Tỷ lệ (%)"] is None for r in rows)
    assert ws["A5"].value == f"Đơn vị: {YB}"
    # Công an has one task of weight 1: no weight column, and only its task.
    ca = open_inert(template.for_unit(planned, CA, TODAY))["Báo cáo"]
    assert header(ca) == HEADER
    assert [(r["Mã NV"], r["Tiểu ban"]) for r in table(ca)] == [("AN01", "An ninh")]


def test_the_plan_wins_over_the_latest_report_and_leaves_its_statuses_to_the_unit(planned, config):
    """Yên Bình reported one planned task and one extra: its template lists the four planned tasks and
    neither the extra nor last week's status."""
    tasks = [
        [1, "Xây dựng kế hoạch diễn tập", "Văn kiện", "30/09/2023", "Đang thực hiện", 60, "Đ/c Hùng", ""],
        [2, "Tổ chức hội nghị quán triệt", "Văn kiện", "", "Hoàn thành", 100, "Đ/c Lan", ""],
    ]
    assert planned.ingest_bytes(xlsx({"Tiến độ": standard_rows(YB, "25/09/2023", tasks)}), "yb.xlsx").status == (
        "accepted"
    )
    rows = table(open_inert(template.for_unit(planned, YB, TODAY))["Báo cáo"])
    assert [r["Nội dung công việc"] for r in rows] == [t[1] for t in YB_PLANNED]
    assert all(r["Trạng thái"] is None and r["Tỷ lệ (%)"] is None for r in rows)
    # The same through the core function's parameters, as the page may call it.
    direct = build_template(config, YB, planned.query("tasks", unit=YB, subcommittee=None), TODAY, plan=planned.plan())
    assert table(open_inert(direct)["Báo cáo"]) == rows


def test_the_filled_template_is_accepted_without_a_warning_and_counts_against_the_plan(planned, config):
    filled = fill(template.for_unit(planned, YB, TODAY), "Đang thực hiện", 50)
    report = read_report(filled, "mau.xlsx", config)
    assert (report.errors, report.warnings) == ([], [])
    assert report.unit == YB and report.report_date == TODAY and len(report.tasks) == 4
    outcome = planned.ingest_bytes(filled, "mau.xlsx")
    assert outcome.status == "accepted" and outcome.warnings == []
    heat = planned.query("heatmap", today=TODAY)
    yb = heat[heat.unit == YB]
    assert yb.not_reported.sum() == 0 and yb.extra.sum() == 0
    assert set(yb.readiness) == {50.0}
    tasks = planned.query("tasks", today=TODAY, unit=YB, subcommittee=None)
    assert set(tasks.plan_state) == {"planned"} and len(tasks) == 4
    assert planned.query("extra_tasks", today=TODAY, unit=YB, subcommittee=None).empty


def test_the_template_carries_the_self_assessment_sheet(planned, config):
    wb = open_inert(template.for_unit(planned, YB, TODAY))
    assert wb.sheetnames == ["Báo cáo", template.ASSESSMENT_SHEET, "Hướng dẫn"]
    ws = wb[template.ASSESSMENT_SHEET]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    (at,) = [i for i, r in enumerate(rows) if r[:4] == ["Tiểu ban", "Tự đánh giá", "Nhận xét", "Dự kiến sẵn sàng"]]
    below = [r[0] for r in rows[at + 1 :] if r[0]]
    assert below == ["Chung", "Văn kiện", "An ninh", "Hậu cần"]  # the whole unit, then its subcommittees
    assert all(r[1] is None for r in rows[at + 1 :])  # every rating left blank
    (ratings,) = [v for v in ws.data_validations.dataValidation if v.sqref and "B" in str(v.sqref)]
    assert ratings.type == "list" and ratings.formula1 == '"Đạt,Đạt có điều kiện,Chưa đạt"'
    assert f"B{at + 2}" in ratings.sqref


def test_a_rating_in_the_template_is_read_as_the_units_own_assessment(planned, config):
    pytest.importorskip("readiness.reader.assessment")
    report = read_report(fill(template.for_unit(planned, YB, TODAY), rating="Đạt có điều kiện"), "m.xlsx", config)
    assert (report.errors, report.warnings) == ([], [])
    (one,) = report.assessments
    assert (one.subcommittee, one.rating, one.remark) == (None, "conditional", "Tự nhận xét của đơn vị")


def test_a_unit_the_plan_does_not_name_gets_its_latest_reports_tasks(planned, config):
    assert planned.ingest_bytes(xlsx({"Tiến độ": standard_rows(YS)}), "ys.xlsx").status == "accepted"
    ws = open_inert(template.for_unit(planned, YS, TODAY))["Báo cáo"]
    assert header(ws) == HEADER
    rows = table(ws)
    assert [r["Trạng thái"] for r in rows] == ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Vướng mắc"]


# ---------------------------------------------------------------- without a plan


def test_without_a_plan_the_template_is_as_before(store, config):
    assert store.ingest_bytes(xlsx({"Tiến độ": standard_rows(YB)}), "yb.xlsx").status == "accepted"
    tasks = store.query("tasks", unit=YB, subcommittee=None)
    for data in (
        build_template(config, YB, tasks, TODAY),
        build_template(config, YB, tasks, TODAY, plan=store.plan()),  # the store's plan: empty
        template.for_unit(store, YB, TODAY),
    ):
        ws = open_inert(data)["Báo cáo"]
        assert header(ws) == HEADER
        rows = table(ws)
        assert [r["Nội dung công việc"] for r in rows] == [
            "Xây dựng văn kiện khối A",
            "Phương án bảo đảm an ninh",
            "Treo băng rôn, khẩu hiệu",
            "Chuẩn bị sở chỉ huy",
        ]
        assert [r["Tỷ lệ (%)"] for r in rows] == [100, 60, None, 30]
        assert ws["F5"].value == "Ngày báo cáo:" and ws["G5"].value == dt.datetime(2023, 10, 1)
    # A blank template (a unit that never reported): empty rows, 'Chung' the only assessment row named.
    wb = open_inert(build_template(config, CA, None, TODAY))
    assert table(wb["Báo cáo"]) == []
    names = [r[0].value for r in wb[template.ASSESSMENT_SHEET].iter_rows(min_row=6) if r[0].value]
    assert names == ["Chung"]


def test_the_filled_template_without_a_plan_is_accepted_without_a_warning(store, config):
    assert store.ingest_bytes(xlsx({"Tiến độ": standard_rows(YB)}), "yb.xlsx").status == "accepted"
    filled = fill(template.for_unit(store, YB, TODAY))
    report = read_report(filled, "mau.xlsx", config)
    assert (report.errors, report.warnings) == ([], []) and len(report.tasks) == 4


# ---------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo exercise, built once, as `python -m readiness demo` builds it."""
    from readiness.config import load_config
    from readiness.demo import build_demo
    from readiness.store import Store

    out = tmp_path_factory.mktemp("demo")
    summary = build_demo(out, today=DEMO_DAY)
    store = Store(out / "readiness.duckdb", load_config(out / "exercise.toml"), out / "archive")
    yield out, summary, store
    store.close()


DEMO_DAY = dt.date(2026, 11, 29)


def test_the_demo_loads_its_plan_first_and_counts_against_it(demo):
    from readiness import demo as demo_module

    out, summary, store = demo
    assert summary["plan"] == "accepted" and (out / "files" / demo_module.PLAN_FILE).is_file()
    plan = store.plan()
    assert len(plan) and plan.unit.nunique() == 16
    (loaded,) = store.con.execute("SELECT loaded_at, warnings FROM plans").fetchall()
    first = store.con.execute("SELECT min(received_at) FROM submissions").fetchall()[0][0]
    assert loaded[0] < first and loaded[1] == "[]"  # the plan came first, and read cleanly
    # The reports carry the plan's deadlines: no report is warned that it moved one.
    warned = store.con.execute("SELECT count(*) FROM submissions WHERE json_array_length(warnings) > 0").fetchall()
    assert warned == [(0,)]
    heat = store.query("heatmap", today=DEMO_DAY).groupby("unit")[["not_reported", "extra"]].sum()
    assert heat.loc[demo_module.LEAVES_OUT, "not_reported"] > 0
    (extra_unit,) = demo_module.EXTRA_TASKS
    assert heat.loc[extra_unit, "extra"] == len(demo_module.EXTRA_TASKS[extra_unit])
    never = "Hội Cựu chiến binh thành phố"
    assert heat.loc[never, "not_reported"] == (plan.unit == never).sum()
    # Nobody else strays from the plan.
    others = heat.drop([demo_module.LEAVES_OUT, extra_unit, never])
    assert others.not_reported.sum() == 0 and others.extra.sum() == 0


def test_the_demo_plan_file_is_a_plan_the_reader_takes(demo):
    from readiness import demo as demo_module
    from readiness.config import load_config
    from readiness.reader.plan import read_plan

    out, _, store = demo
    plan = read_plan((out / "files" / demo_module.PLAN_FILE).read_bytes(), "k.xlsx", load_config(out / "exercise.toml"))
    assert plan.status == "accepted" and plan.warnings == []
    assert len(plan.tasks) == len(store.plan())
    # One row a task, several units in its cell: fewer rows than (task, unit) pairs.
    assert len({(t.sheet, t.row) for t in plan.tasks}) < len(plan.tasks)
    # A demo unit's template lists its planned tasks.
    rows = table(open_inert(template.for_unit(store, demo_module.LEAVES_OUT, DEMO_DAY))["Báo cáo"])
    planned = store.plan()
    assert [r["Mã NV"] for r in rows] == list(planned[planned.unit == demo_module.LEAVES_OUT].code)


def test_the_demo_units_assess_themselves_some_in_line_with_their_figures_one_not(demo):
    from readiness import demo as demo_module
    from readiness.config import load_config

    out, _, store = demo
    config = load_config(out / "exercise.toml")
    for unit in demo_module.ASSESSING:
        latest = max(p for p in (out / "files").glob(f"* {unit}.*") if "(lỗi)" not in p.name)
        report = read_report(latest.read_bytes(), latest.name, config)
        assert (report.errors, report.warnings) == ([], []), unit
        assert report.assessments, unit
    # The board sets each rating beside its own figures and flags those far from them: only the
    # optimistic unit's.
    board = store.query("assessments", today=DEMO_DAY, unit=None)
    assert set(board.unit) == set(demo_module.ASSESSING)
    assert set(board.rating) == {"ready", "conditional", "not_ready"}
    optimistic = {u for u, mood in demo_module.ASSESSING.items() if mood == "optimistic"}
    assert set(board[board.far_from_figures].unit) == optimistic
    whole = board[board.subcommittee.isna()].set_index("unit")
    assert all(whole.loc[u, "far_from_figures"] for u in optimistic)


def test_a_demo_built_across_new_year_reads_every_deadline_as_the_plan_has_it(tmp_path):
    """Built on 5 January, D-day falls in January and many deadlines in December: a form that writes
    'dd/mm' writes the year for those, so no report moves a planned deadline."""
    from readiness.config import load_config
    from readiness.demo import build_demo
    from readiness.store import Store

    summary = build_demo(tmp_path, today=dt.date(2027, 1, 5))
    assert summary["plan"] == "accepted" and summary["rejected"] == 1
    with Store(tmp_path / "readiness.duckdb", load_config(tmp_path / "exercise.toml"), tmp_path / "archive") as s:
        warned = s.con.execute("SELECT count(*) FROM submissions WHERE json_array_length(warnings) > 0").fetchall()
        assert warned == [(0,)]
        assert s.con.execute("SELECT min(deadline) < DATE '2027-01-01' FROM plan_in_force").fetchall() == [(True,)]
