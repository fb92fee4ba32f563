"""The meeting brief (issue 11) on fixture data with known answers: the PDF's text (extracted with
pypdf) has the administrative header, the Vietnamese names and the figures, with its fonts embedded
and the two charts as images; the DOCX and XLSX say the same (python-docx, openpyxl); the command
line writes each format, itself or through the running app. Built once per format for the module:
the charts start Chromium once (readiness.brief caches what it rendered)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
from conftest import ROOT
from test_meeting import CONG_AN, NOI_VU, ingest

from readiness import brief, cli, i18n
from readiness.store import Store

TODAY = dt.date(2023, 10, 1)
SIGN = "- Treo băng rôn tại @trụ sở"  # text a spreadsheet would take for a formula: stays text


@pytest.fixture(scope="module")
def db(tmp_path_factory, config):
    """Công an on 15/09 and 29/09 (the last meeting was on 18/09), Phòng Nội vụ once on 10/09."""
    path = tmp_path_factory.mktemp("brief") / "board.duckdb"
    with Store(path, config) as store:
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
        ingest(store, NOI_VU, "10/09/2023", [[SIGN, "Khánh tiết", "30/10/2023", "Đang thực hiện", 70]])
    return path


@pytest.fixture(scope="module")
def built(db, config):
    """The three formats, built once."""
    with Store(db, config) as store:
        return {fmt: brief.build_brief(store, TODAY, fmt=fmt) for fmt in brief.FORMATS}


@pytest.fixture(scope="module")
def pdf_text(built) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(built["pdf"])).pages)


def test_the_pdf_has_the_administrative_header(pdf_text):
    for text in (
        "UBND THÀNH PHỐ TAM ĐIỆP",
        "BAN TỔ CHỨC DIỄN TẬP",
        "Số: /BC-BTC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tam Điệp, ngày 01 tháng 10 năm 2023",
        "BÁO CÁO",
        "(Phục vụ Giao ban lần 2, ngày 16/10/2023)",
        "so sánh với ngày 18/09/2023 (Giao ban lần 1)",
        "TM. BAN TỔ CHỨC",
    ):
        assert text in " ".join(pdf_text.split()), text


def test_the_pdf_has_the_countdown_figures_changes_forecast_risks_and_chase(pdf_text, db, config):
    flat = " ".join(pdf_text.split())
    # 08:00 on 01/10 to 07:30 on 15/11; the phase is the last milestone passed.
    assert "Còn 44 ngày 23 giờ đến Ngày N (07:30 15/11/2023)" in flat
    assert "Giai đoạn hiện nay: Hoàn thành văn kiện" in flat and "Mốc tiếp theo: Luyện tập, ngày 09/10/2023" in flat
    with Store(db, config) as store:
        now = store.query("headline", today=TODAY).set_index("period").loc["now"]
    assert f"Mức sẵn sàng {i18n.percent(now.readiness)}" in flat
    assert "Đơn vị đã báo cáo 2/16 2/16 0" in flat
    # Công an since 18/09 (its report of 15/09 counted then): 62,5% -> 72,0%, one task done, one late.
    assert "Công an thành phố 62,5% 72,0% +9,5 1 1 1 29/09/2023" in flat
    assert "Phòng Nội vụ 70,0% 70,0% 0,0 0 0 0 Chưa gửi" in flat  # nothing sent since the meeting
    assert "dưới hai báo cáo" in flat and "Dự báo theo đường thẳng bình phương tối thiểu" in flat
    assert "Luyện tập giải tán đám đông" in flat and "20/09/2023 11 Đang thực hiện" in flat
    assert "Đ/c Lê Minh Tuấn, Đội Tham mưu" in flat and "0913 246 802" in flat
    assert "báo cáo cuối 10/09/2023" in flat and "Hội Cựu chiến binh thành phố" in flat


def test_the_pdf_is_a4_with_its_fonts_embedded_and_both_charts(built):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(built["pdf"]))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    fonts = {}
    for p in reader.pages:
        for font in p["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"]] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), fonts
    assert any("DejaVuSerif" in name for name in fonts)
    assert sum(len(p.images) for p in reader.pages) == 2
    assert b"Kh\xc3\xb4ng d\xe1\xbb\xb1ng" not in built["pdf"]


def test_the_docx_says_the_same_and_can_be_edited(built):
    from docx import Document

    doc = Document(io.BytesIO(built["docx"]))
    header = doc.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "UBND THÀNH PHỐ TAM ĐIỆP" in left and "BAN TỔ CHỨC DIỄN TẬP" in left and "/BC-BTC" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Tam Điệp, ngày 01 tháng 10 năm 2023" in right
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Còn 44 ngày 23 giờ đến Ngày N" in text and "VII. ĐƠN VỊ CẦN ĐÔN ĐỐC" in text
    changes = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][4:5] == ["Xong"])
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in changes.rows}
    assert rows[CONG_AN][:4] == [CONG_AN, "62,5%", "72,0%", "+9,5"]
    chase = next(t for t in doc.tables if t.rows[0].cells[1].text == "Người liên hệ")
    assert [c.text for c in chase.rows[-1].cells][:3] == [CONG_AN, "Đ/c Lê Minh Tuấn, Đội Tham mưu", "0913 246 802"]
    assert len(doc.inline_shapes) == 2
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_xlsx_has_a_summary_a_sheet_per_subcommittee_and_the_chase_list(built, config):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(built["xlsx"]))
    assert wb.sheetnames == ["Tổng hợp", *[s.short for s in config.subcommittees], "Đôn đốc"]
    summary = [[c.value for c in row] for row in wb["Tổng hợp"].iter_rows()]
    assert summary[0][0] == config.name
    assert ["Đơn vị đã báo cáo", 2, 2, 0] in [r[:4] for r in summary]
    heat = next(r for r in summary if r[0] == CONG_AN)
    assert heat[1:6] == [None, 82.5, None, 30.0, None]  # An ninh (80+50+100+100)/4, Hậu cần 30, rest none

    an = wb["An ninh"]
    assert an.freeze_panes == "A2" and an.auto_filter.ref == "A1:K5"
    head = [c.value for c in an[1]]
    assert head[:5] == ["Đơn vị", "Mã NV", "Nhiệm vụ", "Thời hạn", "Trạng thái"]
    rows = [[c.value for c in r] for r in an.iter_rows(min_row=2)]
    drill = next(r for r in rows if r[2] == "Luyện tập giải tán đám đông")
    assert drill[0] == CONG_AN and drill[3] == dt.datetime(2023, 9, 20) and drill[4] == "Đang thực hiện"
    assert drill[7] == 11 and drill[10] == dt.datetime(2023, 9, 29)
    assert an.column_dimensions["C"].width > 40
    kt = wb["Khánh tiết"]
    sign = kt["C2"]
    assert (sign.value, sign.data_type) == (SIGN, "s")  # never a formula
    chase = wb["Đôn đốc"]
    assert chase.freeze_panes == "A2" and chase.auto_filter.ref.startswith("A1:I")
    messages = [r[8].value for r in chase.iter_rows(min_row=2)]
    assert any(m.startswith("Kính gửi Đ/c Lê Minh Tuấn") for m in messages)


def test_admin_dates_follow_the_decree():
    assert brief.admin_date("Tam Điệp", dt.date(2023, 10, 1)) == "Tam Điệp, ngày 01 tháng 10 năm 2023"
    assert brief.admin_date("Tam Điệp", dt.date(2023, 3, 5)) == "Tam Điệp, ngày 05 tháng 3 năm 2023"
    assert brief.admin_date("Tam Điệp", dt.date(2023, 2, 19)) == "Tam Điệp, ngày 19 tháng 02 năm 2023"
    assert brief.admin_date("", dt.date(2023, 11, 15)) == "Ngày 15 tháng 11 năm 2023"
    assert brief.admin_date("Tam Điệp", dt.date(2023, 11, 15), "en") == "Tam Điệp, 15 November 2023"


def test_a_brief_without_its_charts_still_comes_out_and_says_why(db, config, monkeypatch):
    from pypdf import PdfReader

    def no_browser(figures, scale=2.0):
        raise RuntimeError("Chromium không có")

    monkeypatch.setattr(brief, "render_png", no_browser)
    with Store(db, config) as store:
        data = brief.build_brief(store, TODAY, fmt="pdf", lang="en")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "The chart could not be drawn: RuntimeError: Chromium không có" in text
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text and "Tam Điệp, 1 October 2023" in text


def test_the_command_writes_each_format_from_the_extension(db, built, tmp_path, capsys):
    args = ["--db", str(db), "--config", str(ROOT / "data" / "exercise.toml"), "--today", "2023-10-01"]
    for fmt, magic in (("pdf", b"%PDF-"), ("docx", b"PK"), ("xlsx", b"PK")):
        out = tmp_path / f"giao-ban.{fmt}"
        assert cli.main([*args, "brief", "--out", str(out)]) == 0
        assert out.read_bytes().startswith(magic)
        assert f"({fmt}," in capsys.readouterr().out
    named = tmp_path / "bao-cao"
    assert cli.main([*args, "brief", "--out", str(named), "--format", "xlsx", "--since", "2023-09-20"]) == 0
    assert named.read_bytes().startswith(b"PK")
    assert cli.main([*args, "brief", "--out", str(tmp_path / "x.txt")]) == 2
    assert ".pdf, .docx" in capsys.readouterr().err


def test_the_brief_is_handed_to_the_running_app_and_comes_back_as_bytes(db, config, tmp_path, capsys):
    from readiness import handover
    from readiness.inbox import InboxWorker

    store = Store(db, config)
    worker = InboxWorker(store, tmp_path / "inbox", settle_s=0.05, scan_s=0.2).start()
    try:
        assert handover.app_running(store.path)
        out = tmp_path / "giao-ban.xlsx"
        args = ["--db", str(db), "--config", str(ROOT / "data" / "exercise.toml"), "--today", "2023-10-01"]
        assert cli.main([*args, "brief", "--out", str(out), "--timeout", "60"]) == 0
        assert out.read_bytes().startswith(b"PK") and "handing it the brief" in capsys.readouterr().err
        answer = handover.hand_over(store.path, "brief", {"today": "2023-10-01", "format": "xlsx"}, timeout=60)
        assert set(answer) == {"format", "data"} and base64.b64decode(answer["data"]).startswith(b"PK")
        assert not list(tmp_path.glob("inbox/*"))  # the app wrote nothing anywhere
        json.dumps(answer)
    finally:
        worker.stop()
        store.close()
