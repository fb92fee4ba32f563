"""The demo exercise: Tam Điệp's config moved so D-day is a few weeks away, the committee's assigned task
plan loaded at the start, and weekly checklist spreadsheets from all 16 units in the layouts real offices
use, ingested through the same reader.

Three units stray from the plan, as units do: one leaves planned tasks out of its reports (they count as
not reported), one reports tasks it was not given (extra: shown, not counted), and one never reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import shutil
from pathlib import Path

from .auth import Accounts, users_path
from .config import load_config
from .export import workbook
from .store import Incoming, Store, local_now
from .template import HEADER
from .text import to_cp1258

ROOT = Path(__file__).resolve().parent.parent
TAM_DIEP = ROOT / "data" / "exercise.toml"

TASKS = {
    "Văn kiện": [
        "Xây dựng kế hoạch diễn tập khu vực phòng thủ",
        "Xây dựng văn kiện khối A (quyết tâm, kế hoạch tác chiến)",
        "Xây dựng văn kiện khối B (văn kiện chỉ đạo, điều hành)",
        "Hoàn thiện hệ thống bản đồ, sơ đồ diễn tập",
        "Rà soát, thẩm định văn kiện cấp xã, phường",
        "In ấn, đóng quyển và phát hành văn kiện",
        "Báo cáo Bộ CHQS tỉnh phê duyệt văn kiện",
    ],
    "An ninh": [
        "Xây dựng phương án bảo đảm an ninh, trật tự trước, trong và sau diễn tập",
        "Phương án phòng cháy, chữa cháy khu vực diễn tập",
        "Phân luồng, bảo đảm an toàn giao thông",
        "Luyện tập tình huống giải tán đám đông gây rối, bạo loạn",
        "Bảo đảm an toàn vũ khí, trang bị, khí tài",
        "Nắm tình hình, bảo vệ mục tiêu trọng điểm",
    ],
    "Khánh tiết": [
        "Treo băng rôn, khẩu hiệu tuyên truyền",
        "Tuyên truyền trên hệ thống truyền thanh cơ sở",
        "Trang trí hội trường, khu vực khai mạc",
        "Xây dựng phóng sự truyền hình về diễn tập",
        "Phát động thi đua, đề xuất khen thưởng",
    ],
    "Hậu cần": [
        "Dự toán, cấp phát kinh phí diễn tập",
        "Chuẩn bị sở chỉ huy cơ bản",
        "Bảo đảm ăn, nghỉ cho lực lượng tham gia",
        "Bảo đảm thông tin liên lạc, âm thanh, ánh sáng",
        "Bảo đảm quân y, cấp cứu tại thao trường",
        "Đón tiếp đại biểu, đoàn kiểm tra",
    ],
    "Thực binh": [
        "Điều động lực lượng dự bị động viên",
        "Huấn luyện lực lượng dân quân tự vệ",
        "Chuẩn bị thao trường thực binh",
        "Luyện tập từng phần các tình huống thực binh",
        "Hợp luyện các lực lượng tham gia thực binh",
        "Kiểm tra quân số, vũ khí, trang bị",
    ],
}

# unit -> (layout, subcommittees it works on, pace: progress per week, weeks it last reported before today or None)
PLAN = {
    "Ban Chỉ huy Quân sự thành phố": (
        "sections",
        ["Văn kiện", "An ninh", "Khánh tiết", "Hậu cần", "Thực binh"],
        0.11,
        0,
    ),
    "Công an thành phố": ("standard", ["An ninh", "Thực binh"], 0.10, 0),
    "Văn phòng HĐND và UBND thành phố": ("ticks", ["Văn kiện", "Hậu cần"], 0.09, 0),
    "Phòng Tài chính - Kế hoạch": ("csv", ["Hậu cần"], 0.07, 0),
    "Phòng Văn hóa và Thông tin": ("per_sheet", ["Khánh tiết"], 0.10, 0),
    "Trung tâm Y tế thành phố": ("standard", ["Hậu cần", "An ninh"], 0.08, 2),
    "Phòng Quản lý đô thị": ("csv", ["An ninh", "Khánh tiết"], 0.06, 0),
    "Phòng Nội vụ": ("ticks", ["Khánh tiết"], 0.09, 0),
    "Phòng Giáo dục và Đào tạo": ("per_sheet", ["Khánh tiết", "Hậu cần"], 0.05, 3),
    "Ủy ban MTTQ Việt Nam thành phố": ("sections", ["Khánh tiết"], 0.08, 0),
    "Thành đoàn Tam Điệp": ("standard", ["Khánh tiết", "Thực binh"], 0.12, 0),
    "Hội Liên hiệp Phụ nữ thành phố": ("csv", ["Khánh tiết", "Hậu cần"], 0.07, 0),
    "Hội Cựu chiến binh thành phố": ("standard", ["Khánh tiết"], 0.08, None),
    "Phường Yên Bình": ("sections", ["Văn kiện", "An ninh", "Khánh tiết", "Hậu cần", "Thực binh"], 0.10, 0),
    "Xã Đông Sơn": ("per_sheet", ["Văn kiện", "An ninh", "Hậu cần", "Thực binh"], 0.08, 1),
    "Xã Yên Sơn": ("sections", ["Văn kiện", "An ninh", "Khánh tiết", "Thực binh"], 0.06, 0),
}
WEEKS = 8
REJECTED_ONCE = "Phòng Nội vụ"
# How units stray from the plan: one leaves the last planned task of each of its subcommittees out of
# every report; one reports tasks it was not given (subcommittee, code, task); 'Hội Cựu chiến binh thành
# phố' (reporting weeks None above) never reports.
LEAVES_OUT = "Phòng Quản lý đô thị"
EXTRA_TASKS = {
    "Thành đoàn Tam Điệp": [
        ("Khánh tiết", "TĐ01", "Tổ chức hội thi tìm hiểu về diễn tập khu vực phòng thủ trong đoàn viên, thanh niên"),
        ("Thực binh", "TĐ02", "Thành lập đội thanh niên tình nguyện phục vụ diễn tập"),
    ],
}
PLAN_FILE = "ke_hoach_phan_cong.xlsx"
# Units that rate their own readiness in their latest report (docs/checklist-format.md, "The unit's own
# assessment"): 'honest' from their own figures (Đạt at 80% or more with nothing overdue, Chưa đạt under
# 50%, else Đạt có điều kiện), so the board finds it agrees; 'optimistic' says Đạt whatever its figures
# say, so the board flags it. Each layout writes it its own way: standard a 'Tự đánh giá' sheet, sections
# a table under the tasks, per_sheet a 'Tự đánh giá: …' cell above each subcommittee's table.
ASSESSING = {
    "Thành đoàn Tam Điệp": "honest",
    "Phường Yên Bình": "honest",
    "Phòng Giáo dục và Đào tạo": "honest",
    "Trung tâm Y tế thành phố": "optimistic",
}
READY_AT = 80.0
RATING_TEXT = {"ready": "Đạt", "conditional": "Đạt có điều kiện", "not_ready": "Chưa đạt"}
ASSESSMENT_HEADER = ["Tiểu ban", "Tự đánh giá", "Nhận xét", "Dự kiến sẵn sàng"]
PLAN_HEADER = ["STT", "Mã NV", "Nội dung công việc", "Tiểu ban", "Đơn vị chủ trì", "Thời hạn", "Trọng số"]
CODES = {"Văn kiện": "VK", "An ninh": "AN", "Khánh tiết": "KT", "Hậu cần": "HC", "Thực binh": "TB"}
OWNERS = ["Đ/c Hùng", "Đ/c Lan", "Đ/c Minh", "Đ/c Thảo", "Đ/c Tuấn", "Đ/c Hà", "Đ/c Nam"]
STATUS_TEXT = {
    "done": "Hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "blocked": "Vướng mắc",
}


def demo_config_text(d_day: dt.datetime) -> str:
    """The Tam Điệp config with every date moved by the same amount so D-day falls on d_day."""
    text = TAM_DIEP.read_text(encoding="utf-8")
    original = load_config(TAM_DIEP).d_day
    delta = d_day - original

    def shift(m: re.Match) -> str:
        return (dt.datetime.fromisoformat(m.group(0)) + delta).isoformat(timespec="seconds")

    text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", shift, text)
    # The exercise's name says its year: the one its dates now fall in.
    return text.replace(f"năm {original.year}", f"năm {d_day.year}", 1)


def task_code(sub: str, text: str) -> str:
    """A pool task's code, the same in the plan and in every unit's report: VK01 is always the plan."""
    return f"{CODES[sub]}{TASKS[sub].index(text) + 1:02d}"


def plan_terms(d_day: dt.date) -> dict[tuple[str, str], tuple[dt.date, float]]:
    """(subcommittee, task) -> (deadline, weight) as the committee sets them: one for every unit given
    the task."""
    rng = random.Random(20230802)  # the committee's meeting, 2 August 2023
    return {
        (sub, text): (
            d_day - dt.timedelta(days=rng.choice([4, 8, 12, 18, 25, 32, 40, 48])),
            float(rng.choice([1, 1, 1, 2, 3])),
        )
        for sub, pool in TASKS.items()
        for text in pool
    }


def _tasks_for(unit: str, subs: list[str], rng: random.Random, terms: dict) -> list[dict]:
    """The tasks the plan gives a unit (all of a subcommittee's when it works on two or fewer, else some),
    each with its own pace."""
    tasks = []
    for sub in subs:
        pool = TASKS[sub]
        count = len(pool) if len(subs) <= 2 else rng.randint(3, len(pool))
        for text in rng.sample(pool, count):
            due, weight = terms[(sub, text)]
            tasks.append(_task(sub, task_code(sub, text), text, due, weight, rng))
    return tasks


def _task(sub: str, code: str, text: str, due: dt.date, weight: float, rng: random.Random) -> dict:
    return dict(
        sub=sub,
        task=text,
        deadline=due,
        owner=rng.choice(OWNERS),
        weight=weight,
        start=rng.uniform(0, 0.3),
        speed=rng.uniform(0.7, 1.4),
        code=code,
    )


def _reported(unit: str, planned: list[dict], rng: random.Random, d_day: dt.date) -> list[dict]:
    """What a unit puts in its reports: its planned tasks, less those it leaves out, plus its extras."""
    tasks = list(planned)
    if unit == LEAVES_OUT:
        last = {t["sub"]: t["code"] for t in tasks}  # the last planned task of each subcommittee
        tasks = [t for t in tasks if last[t["sub"]] != t["code"]]
    for sub, code, text in EXTRA_TASKS.get(unit, []):
        tasks.append(_task(sub, code, text, d_day - dt.timedelta(days=10), 1.0, rng))
    return tasks


def assess(
    rows: list[dict], planned: set[str], subs: list[str], today: dt.date, d_day: dt.date, mood: str
) -> list[dict]:
    """A unit's own assessment of its latest report's ``rows``: for the whole unit (sub None) and each of
    its subcommittees, a rating, a remark and a ready-by date. Only the ``planned`` codes count."""
    out = []
    for sub in [None, *subs]:
        mine = [t for t in rows if t["code"] in planned and (sub is None or t["sub"] == sub)]
        weight = sum(t["weight"] for t in mine) or 1.0
        readiness = sum(t["weight"] * (100.0 if t["status"] == "done" else t["percent"] or 0.0) for t in mine) / weight
        late = sum(1 for t in mine if t["deadline"] < today and t["status"] != "done")
        if mood == "optimistic":
            rating, remark = "ready", "Đơn vị đã cơ bản hoàn thành công tác chuẩn bị."
        elif readiness >= READY_AT and not late:
            rating, remark = "ready", "Hoàn thành các nhiệm vụ được giao đúng thời hạn."
        elif readiness < 50:
            rating, remark = "not_ready", "Chậm tiến độ; đề nghị Ban Tổ chức hỗ trợ kinh phí, nhân lực."
        else:
            rating, remark = "conditional", f"Còn {late} nhiệm vụ quá hạn, đang khẩn trương hoàn thành."
        ready_by = None if rating == "ready" else d_day - dt.timedelta(days=5)
        out.append(dict(sub=sub, rating=rating, remark=remark, ready_by=ready_by))
    return out


def _assessment_rows(assessment: list[dict]) -> list[tuple[str, str, str, dt.date | None]]:
    return [
        ("Chung" if a["sub"] is None else a["sub"], RATING_TEXT[a["rating"]], a["remark"], a["ready_by"])
        for a in assessment
    ]


def _write_assessment_table(ws, r: int, c: int, assessment: list[dict], subs_full: dict, fmt) -> int:
    """The assessment as a table from row r, column c: its header, then a row per scope; the last row."""
    ws.write_row(r, c, ASSESSMENT_HEADER, fmt["head"])
    for sub, rating, remark, ready_by in _assessment_rows(assessment):
        r += 1
        ws.write_row(r, c, [sub, rating, remark])
        if ready_by is not None:
            ws.write_datetime(r, c + 3, dt.datetime.combine(ready_by, dt.time()), fmt["date"])
    return r


def _state(task: dict, week: int, pace: float, rng: random.Random) -> tuple[str, float | None, str]:
    progress = min(1.0, task["start"] + pace * task["speed"] * week)
    if progress >= 0.999 or rng.random() < 0.03 * week and progress > 0.8:
        return "done", 100.0, ""
    if progress < 0.05:
        return "not_started", None, ""
    if rng.random() < 0.06:
        return (
            "blocked",
            round(progress * 100 / 5) * 5,
            rng.choice(["Chờ cấp kinh phí", "Thiếu nhân lực", "Chờ phê duyệt"]),
        )
    return "in_progress", round(progress * 100 / 5) * 5, ""


def _header_block(ws, fmt, unit: str, report_date: dt.date, width: int) -> int:
    ws.write(0, 0, "UBND THÀNH PHỐ TAM ĐIỆP", fmt["bold"])
    ws.write(0, max(3, width - 4), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fmt["bold"])
    ws.write(1, 0, unit.upper(), fmt["bold"])
    ws.write(1, max(3, width - 4), "Độc lập - Tự do - Hạnh phúc", fmt["bold"])
    ws.merge_range(
        3, 0, 3, width - 1, f"BẢNG TỔNG HỢP TIẾN ĐỘ CHUẨN BỊ DIỄN TẬP KVPT NĂM {report_date.year}", fmt["title"]
    )
    ws.write(4, 0, f"Đơn vị: {unit}")
    ws.write(4, max(3, width - 3), f"Ngày báo cáo: {report_date:%d/%m/%Y}")
    return 6


def _signature(ws, fmt, row: int, report_date: dt.date, width: int) -> None:
    ws.write(
        row + 1, max(3, width - 3), f"Tam Điệp, ngày {report_date.day} tháng {report_date.month} năm {report_date.year}"
    )
    ws.write(row + 2, 1, "NGƯỜI LẬP BIỂU", fmt["bold"])
    ws.write(row + 2, max(3, width - 3), "THỦ TRƯỞNG ĐƠN VỊ", fmt["bold"])


def write_standard(
    unit: str, report_date: dt.date, rows: list[dict], subs_full: dict, assessment: list[dict] | None = None
) -> bytes:
    """One sheet, header block, a 'Tiểu ban' column, status and percent, deadline as date cells; the
    unit's own assessment, if any, on a 'Tự đánh giá' sheet as the template has it."""
    buf = io.BytesIO()
    wb = workbook(buf)
    fmt = {
        "bold": wb.add_format({"bold": True}),
        "title": wb.add_format({"bold": True, "align": "center"}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "head": wb.add_format({"bold": True, "border": 1}),
    }
    ws = wb.add_worksheet("Tiến độ")
    cols = HEADER  # the template's own header: demo files look like filled templates
    r = _header_block(ws, fmt, unit, report_date, len(cols))
    ws.write_row(r, 0, cols, fmt["head"])
    for i, t in enumerate(rows, 1):
        r += 1
        ws.write_row(r, 0, [i, t["code"], t["task"], subs_full[t["sub"]]])
        ws.write_datetime(r, 4, dt.datetime.combine(t["deadline"], dt.time()), fmt["date"])
        ws.write(r, 5, STATUS_TEXT[t["status"]])
        if t["percent"] is not None:
            ws.write_number(r, 6, t["percent"])
        ws.write_row(r, 7, [t["owner"], t["note"]])
    _signature(ws, fmt, r + 1, report_date, len(cols))
    ws.set_column(2, 2, 50)
    if assessment:
        sheet = wb.add_worksheet("Tự đánh giá")
        sheet.write(0, 0, "ĐƠN VỊ TỰ ĐÁNH GIÁ MỨC ĐỘ SẴN SÀNG", fmt["bold"])
        sheet.write(1, 0, f"Đơn vị: {unit}")
        _write_assessment_table(sheet, 3, 0, assessment, subs_full, fmt)
        sheet.set_column(2, 2, 60)
    wb.close()
    return buf.getvalue()


def write_sections(
    unit: str, report_date: dt.date, rows: list[dict], subs_full: dict, assessment: list[dict] | None = None
) -> bytes:
    """Roman-numeral section headings set the subcommittee; a two-row header; percent-formatted cells; the
    unit's own assessment, if any, as a second table under the tasks."""
    buf = io.BytesIO()
    wb = workbook(buf)
    fmt = {
        "bold": wb.add_format({"bold": True}),
        "title": wb.add_format({"bold": True, "align": "center"}),
        "pct": wb.add_format({"num_format": "0%"}),
        "head": wb.add_format({"bold": True, "border": 1, "align": "center"}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
    }
    ws = wb.add_worksheet("Báo cáo")
    r = _header_block(ws, fmt, unit, report_date, 7)
    ws.merge_range(r, 0, r + 1, 0, "TT", fmt["head"])
    ws.merge_range(r, 1, r + 1, 1, "Nhiệm vụ", fmt["head"])
    ws.merge_range(r, 2, r + 1, 2, "Hạn hoàn thành", fmt["head"])
    ws.merge_range(r, 3, r, 4, "Kết quả thực hiện", fmt["head"])
    ws.write(r + 1, 3, "Tình trạng", fmt["head"])
    ws.write(r + 1, 4, "% hoàn thành", fmt["head"])
    ws.merge_range(r, 5, r + 1, 5, "Cán bộ phụ trách", fmt["head"])
    ws.merge_range(r, 6, r + 1, 6, "Ghi chú", fmt["head"])
    r += 1
    roman = ["I", "II", "III", "IV", "V"]
    for si, sub in enumerate(dict.fromkeys(t["sub"] for t in rows)):
        r += 1
        ws.write(r, 0, roman[si], fmt["bold"])
        ws.write(r, 1, subs_full[sub].upper(), fmt["bold"])
        for i, t in enumerate((t for t in rows if t["sub"] == sub), 1):
            r += 1
            ws.write_row(
                r, 0, [i, t["task"], f"{t['deadline']:%d/%m/%Y}", "" if t["percent"] else STATUS_TEXT[t["status"]]]
            )
            if t["status"] == "blocked":
                ws.write(r, 3, "Vướng mắc")
            if t["percent"] is not None:
                ws.write_number(r, 4, t["percent"] / 100, fmt["pct"])
            ws.write_row(r, 5, [t["owner"], t["note"]])
    r += 1
    ws.write(r, 1, "Tổng cộng", fmt["bold"])
    if assessment:
        ws.write(r + 2, 1, "ĐƠN VỊ TỰ ĐÁNH GIÁ", fmt["bold"])
        r = _write_assessment_table(ws, r + 3, 1, assessment, subs_full, fmt)
    _signature(ws, fmt, r + 1, report_date, 7)
    ws.set_column(1, 1, 55)
    wb.close()
    return buf.getvalue()


def write_per_sheet(
    unit: str,
    report_date: dt.date,
    rows: list[dict],
    subs_full: dict,
    assessment: list[dict] | None = None,
    year: int | None = None,
) -> bytes:
    """A cover sheet, then one sheet per subcommittee named after it; no unit cell, the unit under the issuer;
    deadlines as 'dd/mm' text, with the year only outside ``year`` (the exercise's, which the reader gives a
    date written without one); the unit's own assessment of a subcommittee, if any, in labelled cells above
    its table."""
    own = {a["sub"]: a for a in assessment or [] if a["sub"] is not None}
    buf = io.BytesIO()
    wb = workbook(buf)
    bold = wb.add_format({"bold": True})
    cover = wb.add_worksheet("Bìa")
    cover.write(0, 0, "UBND THÀNH PHỐ TAM ĐIỆP", bold)
    cover.write(1, 0, unit.upper(), bold)
    cover.write(3, 0, "BÁO CÁO TIẾN ĐỘ CHUẨN BỊ DIỄN TẬP KVPT", bold)
    for sub in dict.fromkeys(t["sub"] for t in rows):
        ws = wb.add_worksheet(sub)
        ws.write(0, 0, "UBND THÀNH PHỐ TAM ĐIỆP", bold)
        ws.write(1, 0, unit.upper(), bold)
        ws.write(2, 0, f"Ngày báo cáo: {report_date:%d/%m/%Y}")
        if (a := own.get(sub)) is not None:
            ws.write(3, 0, f"Tự đánh giá: {RATING_TEXT[a['rating']]}", bold)
            ws.write(3, 3, f"Nhận xét: {a['remark']}")
            if a["ready_by"] is not None:
                ws.write(2, 3, f"Dự kiến sẵn sàng: {a['ready_by']:%d/%m/%Y}")
        ws.write_row(
            4,
            0,
            ["STT", "Công việc", "Thời gian hoàn thành", "Tình trạng", "Tiến độ (%)", "Phụ trách", "Vướng mắc"],
            bold,
        )
        r = 4
        for i, t in enumerate((t for t in rows if t["sub"] == sub), 1):
            r += 1
            pct = "" if t["percent"] is None else f"{t['percent']:g}%"
            ws.write_row(
                r,
                0,
                [i, t["task"], _day_month(t["deadline"], year), STATUS_TEXT[t["status"]], pct, t["owner"], t["note"]],
            )
        ws.set_column(1, 1, 50)
    wb.close()
    return buf.getvalue()


def _day_month(day: dt.date, year: int | None) -> str:
    return f"{day:%d/%m}" if year is None or day.year == year else f"{day:%d/%m/%Y}"


TICKS = ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Vướng mắc", "Không áp dụng"]
TICK_OF = {"done": 0, "in_progress": 1, "not_started": 2, "blocked": 3, "not_applicable": 4}


def write_ticks(unit: str, report_date: dt.date, rows: list[dict], subs_full: dict) -> bytes:
    """A form with one column per status under 'Kết quả thực hiện' (a mark in one), a two-row header,
    and each subcommittee's name merged down over its tasks."""
    buf = io.BytesIO()
    wb = workbook(buf)
    fmt = {
        "bold": wb.add_format({"bold": True}),
        "title": wb.add_format({"bold": True, "align": "center"}),
        "head": wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter"}),
        "merged": wb.add_format({"valign": "vcenter"}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
    }
    ws = wb.add_worksheet("Tiến độ")
    width = 6 + len(TICKS)
    r = _header_block(ws, fmt, unit, report_date, width)
    for c, name in enumerate(["STT", "Nội dung công việc", "Tiểu ban", "Thời hạn"]):
        ws.merge_range(r, c, r + 1, c, name, fmt["head"])
    ws.merge_range(r, 4, r, 3 + len(TICKS), "Kết quả thực hiện", fmt["head"])
    ws.write_row(r + 1, 4, TICKS, fmt["head"])
    for c, name in enumerate(["Tỷ lệ (%)", "Ghi chú"], 4 + len(TICKS)):
        ws.merge_range(r, c, r + 1, c, name, fmt["head"])
    r += 1
    i = 0
    for sub in dict.fromkeys(t["sub"] for t in rows):
        group = [t for t in rows if t["sub"] == sub]
        if len(group) > 1:
            ws.merge_range(r + 1, 2, r + len(group), 2, subs_full[sub], fmt["merged"])
        else:
            ws.write(r + 1, 2, subs_full[sub])
        for t in group:
            r += 1
            i += 1
            ws.write_row(r, 0, [i, t["task"]])
            ws.write_datetime(r, 3, dt.datetime.combine(t["deadline"], dt.time()), fmt["date"])
            ws.write(r, 4 + TICK_OF[t["status"]], "x")
            if t["percent"] is not None:
                ws.write_number(r, 4 + len(TICKS), t["percent"])
            ws.write(r, 5 + len(TICKS), t["note"])
    _signature(ws, fmt, r + 1, report_date, width)
    ws.set_column(1, 1, 50)
    wb.close()
    return buf.getvalue()


def write_plan(year: int, assigned: dict[str, list[dict]], subs_full: dict, units: list[str]) -> bytes:
    """The committee's plan as the secretariat keeps it: the header block, a section a subcommittee, a
    row a task naming every unit given it ('A; B'), its deadline (a date cell) and weight, a signature."""
    by_task: dict[tuple[str, str], dict] = {}
    for unit in units:
        for t in assigned.get(unit, []):
            row = by_task.setdefault((t["sub"], t["task"]), dict(t, units=[]))
            row["units"].append(unit)
    buf = io.BytesIO()
    wb = workbook(buf)
    bold = wb.add_format({"bold": True})
    centre = wb.add_format({"bold": True, "align": "center"})
    italic = wb.add_format({"italic": True, "align": "center"})
    head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    date = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    ws = wb.add_worksheet("Kế hoạch")
    last = len(PLAN_HEADER) - 1
    ws.merge_range(0, 0, 0, 2, "UBND THÀNH PHỐ TAM ĐIỆP", centre)
    ws.merge_range(0, 3, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", centre)
    ws.merge_range(1, 0, 1, 2, "BAN CHỈ ĐẠO DIỄN TẬP KVPT", centre)
    ws.merge_range(1, 3, 1, last, "Độc lập - Tự do - Hạnh phúc", centre)
    ws.merge_range(3, 0, 3, last, f"KẾ HOẠCH PHÂN CÔNG NHIỆM VỤ CHUẨN BỊ DIỄN TẬP KHU VỰC PHÒNG THỦ NĂM {year}", centre)
    ws.merge_range(4, 0, 4, last, "(Kèm theo Kế hoạch số 125/KH-BCĐ của Ban Chỉ đạo diễn tập)", italic)
    r = 6
    ws.write_row(r, 0, PLAN_HEADER, head)
    roman = ["I", "II", "III", "IV", "V"]
    n = 0
    for si, sub in enumerate(s for s in TASKS if any(k[0] == s for k in by_task)):
        r += 1
        ws.write(r, 0, roman[si], bold)
        ws.write(r, 2, subs_full[sub].upper(), bold)
        for text in TASKS[sub]:
            task = by_task.get((sub, text))
            if task is None:
                continue
            r += 1
            n += 1
            ws.write_row(r, 0, [n, task["code"], task["task"], sub, "; ".join(task["units"])], wrap)
            ws.write_datetime(r, 5, dt.datetime.combine(task["deadline"], dt.time()), date)
            ws.write_number(r, 6, task["weight"])
    ws.write(r + 2, 4, "TM. BAN CHỈ ĐẠO", bold)
    ws.write(r + 3, 4, "TRƯỞNG BAN", bold)
    ws.set_column(2, 2, 55)
    ws.set_column(4, 4, 45)
    ws.set_column(5, 5, 12)
    wb.close()
    return buf.getvalue()


def write_csv(unit: str, report_date: dt.date, rows: list[dict], subs_full: dict) -> bytes:
    """A CSV as Excel on Vietnamese Windows saves it: ';' separated, Windows-1258, a 'Đơn vị' column."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow([f"Ngày báo cáo: {report_date:%d/%m/%Y}"])
    w.writerow(
        ["Đơn vị", "STT", "Nội dung", "Tiểu ban", "Hạn hoàn thành", "Trạng thái", "Tỷ lệ", "Người phụ trách", "Ghi chú"]
    )
    for i, t in enumerate(rows, 1):
        pct = "" if t["percent"] is None else f"{t['percent']:g}".replace(".", ",")
        w.writerow(
            [
                unit,
                i,
                t["task"],
                t["sub"],
                f"{t['deadline']:%d/%m/%Y}",
                STATUS_TEXT[t["status"]],
                pct,
                t["owner"],
                t["note"],
            ]
        )
    return to_cp1258(out.getvalue())


# Demo accounts (documented in the README); a real deployment creates its own with `user add`.
DEMO_ACCOUNTS = [
    ("thuky", "thuky-demo-2023", "secretariat", []),
    ("yenbinh", "yenbinh-demo-2023", "uploader", ["Phường Yên Bình"]),
]

WRITERS = {
    "standard": (write_standard, ".xlsx"),
    "sections": (write_sections, ".xlsx"),
    "per_sheet": (write_per_sheet, ".xlsx"),
    "ticks": (write_ticks, ".xlsx"),
    "csv": (write_csv, ".csv"),
}


def build_demo(out: str | Path, today: dt.date | None = None, progress=None) -> dict:
    """Write data/demo/ afresh (config, spreadsheets, database, archive) and ingest every file."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "files").mkdir(parents=True)
    base = load_config(TAM_DIEP)
    now = local_now(base)
    if today is not None and today != now.date():  # a pinned day: its arrivals end with that day
        now = dt.datetime.combine(today, dt.time(23, 0))
    today = now.date()
    d_day = dt.datetime.combine(today + dt.timedelta(days=23), base.d_day.time())
    (out / "exercise.toml").write_text(demo_config_text(d_day), encoding="utf-8")
    config = load_config(out / "exercise.toml")
    subs_full = {s.short: s.name for s in config.subcommittees}
    rng = random.Random(2023)
    terms = plan_terms(d_day.date())

    assigned = {unit: _tasks_for(unit, subs, rng, terms) for unit, (_, subs, _, _) in PLAN.items()}
    plan_data = write_plan(d_day.year, assigned, subs_full, [u.name for u in config.units])
    (out / "files" / PLAN_FILE).write_bytes(plan_data)
    # The plan comes first: loaded by the secretariat a week before the first reports.
    plan_at = dt.datetime.combine(today - dt.timedelta(days=7 * WEEKS), dt.time(9, 0))

    jobs = []
    for unit, (layout, subs, pace, last_weeks_ago) in PLAN.items():
        tasks = _reported(unit, assigned[unit], rng, d_day.date())
        if last_weeks_ago is None:
            continue  # never reported
        for week in range(WEEKS):
            weeks_ago = WEEKS - 1 - week
            if weeks_ago < last_weeks_ago:
                break
            report_date = today - dt.timedelta(days=7 * weeks_ago + rng.randint(0, 2))
            rows = []
            for t in tasks:
                status, percent, note = _state(t, week, pace, rng)
                rows.append({**t, "status": status, "percent": percent, "note": note})
            writer, ext = WRITERS[layout]
            extra: dict = {"year": d_day.year} if layout == "per_sheet" else {}
            if unit in ASSESSING and weeks_ago == last_weeks_ago:  # its latest report rates its readiness
                codes = {t["code"] for t in assigned[unit]}
                extra["assessment"] = assess(rows, codes, subs, today, d_day.date(), ASSESSING[unit])
            name = f"{report_date:%Y-%m-%d} {unit}{ext}"
            received = dt.datetime.combine(report_date, dt.time(16, 0)) + dt.timedelta(minutes=rng.randint(60, 600))
            if unit == REJECTED_ONCE and weeks_ago == 1:
                # Sent first with a percent over 100, rejected, then fixed within the hour: the
                # history shows what a rejection looks like.
                typo = [dict(r, percent=120.0, status="in_progress") if i == 1 else r for i, r in enumerate(rows)]
                jobs.append(
                    (
                        received - dt.timedelta(minutes=50),
                        name.replace(ext, f" (lỗi){ext}"),
                        writer(unit, report_date, typo, subs_full),
                    )
                )
            jobs.append((received, name, writer(unit, report_date, rows, subs_full, **extra)))
    # Nothing arrives after now: this morning's report of a unit that sends in the afternoon is
    # stamped a few minutes ago instead (distinct minutes keep the order).
    jobs = [(min(r, now - dt.timedelta(minutes=5 + i)), n, d) for i, (r, n, d) in enumerate(jobs)]
    jobs.sort(key=lambda j: (j[0], j[1]))
    summary: dict = {"files": len(jobs), "accepted": 0, "rejected": 0, "db": str(out / "readiness.duckdb")}
    items = []
    for received, name, data in jobs:
        (out / "files" / name).write_bytes(data)
        items.append(Incoming(data, name, source="inbox", received_at=received))

    def step(i: int, n: int, outcome) -> None:
        summary[outcome.status] = summary.get(outcome.status, 0) + 1
        if progress:
            progress(i, n, f"{outcome.file}: {outcome.status}")

    with Store(out / "readiness.duckdb", config, out / "archive") as store:
        plan = store.load_plan(plan_data, PLAN_FILE, source="cli", by=DEMO_ACCOUNTS[0][0], at=plan_at)
        summary["plan"] = plan.status
        store.ingest_many(items, progress=step)
        store.con.execute("CHECKPOINT")
    accounts = Accounts(users_path(out / "readiness.duckdb"), [u.name for u in config.units])
    for name, password, role, units in DEMO_ACCOUNTS:
        accounts.add(name, password, role, units)
    return summary
