"""AppTest for sending reports and the submission history: the answers a clerk sees, the confirm
step, the template round trip, the secretariat's withdrawal."""

import io

import openpyxl
import pytest
from conftest import APP_TODAY, ROOT, open_page, standard_rows, xlsx
from streamlit.testing.v1 import AppTest

from readiness.auth import Accounts, User, users_path
from readiness.store import Store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLERK = User("yenbinh", "uploader", ("Phường Yên Bình",))
SECRETARY = User("thuky", "secretariat")


def page(name: str, user: User | None) -> AppTest:
    return open_page(name, user)


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="uploads").set_value([(n, d, XLSX) for n, d in files]).run()
    assert not at.exception, at.exception
    return at


def good(date="15/09/2023", progress=60):
    tasks = [
        [1, "Xây dựng văn kiện khối A", "Văn kiện", "30/09/2023", "Hoàn thành", 100, "Đ/c Hùng", ""],
        [2, "Phương án bảo đảm an ninh", "An ninh", "10/10/2023", "Đang thực hiện", progress, "Đ/c Lan", ""],
    ]
    return xlsx({"Tiến độ": standard_rows("Phường Yên Bình", date, tasks)})


def test_upload_needs_a_login(app_env):
    at = page("pages/upload.py", None)
    assert any("Đăng nhập để gửi báo cáo" in i.value for i in at.info)
    assert any("python -m readiness user add" in c.value for c in at.caption)  # no account exists yet
    assert not at.file_uploader


def test_accepted_file_is_shown_against_the_current_report_and_counts_only_once_confirmed(app_env, config):
    with Store(app_env, config) as s:
        s.ingest_bytes(good("08/09/2023", 20), "old.xlsx")
    at = upload(page("pages/upload.py", CLERK), ("tuan2.xlsx", good("15/09/2023", 60)))
    waiting = " ".join(w.value for w in at.warning)
    assert "CHỜ BẠN XÁC NHẬN — chưa gửi" in waiting  # never a green tick before it is sent
    assert "tuan2.xlsx: hợp lệ — Phường Yên Bình, báo cáo ngày 15/09/2023, 2 nhiệm vụ" in waiting
    assert not at.success and not at.expander  # the answer is open, not folded behind a status line
    assert [b.label for b in at.button if b.key.startswith("confirm_")] == ["Xác nhận gửi báo cáo này"]
    diff = at.dataframe[-1].value
    assert list(diff["Nội dung"]) == ["Phương án bảo đảm an ninh"]
    assert list(diff["Trước"]) == ["Đang thực hiện (20%)"] and list(diff["Sau"]) == ["Đang thực hiện (60%)"]
    with Store(app_env, config) as s:
        assert s.query("heatmap").set_index("subcommittee").loc["Tiểu ban an ninh, trật tự"].readiness == 20.0
    at.button(key=next(b.key for b in at.button if b.key.startswith("confirm_"))).click().run()
    assert not at.exception
    assert any("ĐÃ NHẬN" in s.value and "Bảng đã cập nhật" in s.value for s in at.success)
    assert not at.warning and not [b for b in at.button if b.key.startswith("confirm_")]
    with Store(app_env, config) as s:
        assert s.query("heatmap").set_index("subcommittee").loc["Tiểu ban an ninh, trật tự"].readiness == 60.0
        who = s.con.execute("SELECT submitted_by, source FROM submissions ORDER BY id DESC LIMIT 1").fetchall()
    assert who == [("yenbinh", "upload")]


def test_rejected_file_shows_each_error_with_its_cell_and_a_marked_report(app_env):
    rows = standard_rows()
    rows[7][5] = 150
    at = upload(page("pages/upload.py", CLERK), ("loi.xlsx", xlsx({"Tiến độ": rows})))
    assert any("BỊ TỪ CHỐI" in e.value and "loi.xlsx: chưa nhận được — 1 lỗi cần sửa" in e.value for e in at.error)
    table = at.table[0].value
    assert table.iloc[0].to_dict() == {
        "Loại": "Lỗi",
        "Trang": "Tiến độ",
        "Dòng": "8",
        "Cột": "F (Tỷ lệ (%))",
        "Giá trị": "150",
        "Cần sửa": "Tỷ lệ 150 nằm ngoài khoảng 0-100%.",
    }
    assert any(b.label.startswith("Tải báo cáo lỗi") for b in at.get("download_button"))


def test_same_file_again_is_a_duplicate(app_env, config):
    data = good()
    with Store(app_env, config) as s:
        first = s.ingest_bytes(data, "a.xlsx")
    at = upload(page("pages/upload.py", CLERK), ("a lan 2.xlsx", data))
    assert any(
        f"TRÙNG LẦN GỬI #{first.submission_id}" in i.value
        and f"trùng với tệp đã nhận (lần gửi #{first.submission_id})" in i.value
        for i in at.info
    )
    assert not at.success


def test_a_clerk_cannot_send_for_another_unit(app_env, config):
    other = xlsx({"S": standard_rows("Xã Yên Sơn")})
    at = upload(page("pages/upload.py", CLERK), ("ys.xlsx", other))
    assert any("chỉ được gửi báo cáo cho: Phường Yên Bình" in str(d.value.values) for d in at.table)
    with Store(app_env, config) as s:
        assert s.query("heatmap").empty


def test_a_file_without_its_unit_asks_for_it(app_env, config):
    data = xlsx({"S": [["STT", "Nội dung", "Tiểu ban", "Trạng thái"], [1, "Dự toán", "Hậu cần", "Xong"]]})
    at = upload(page("pages/upload.py", SECRETARY), ("khong-ten.xlsx", data))
    assert any("CẦN CHỌN ĐƠN VỊ" in w.value for w in at.warning)
    chooser = next(s for s in at.selectbox if s.key and s.key.startswith("unit_"))
    chooser.set_value("Phòng Tài chính - Kế hoạch").run()
    assert any("hợp lệ — Phòng Tài chính - Kế hoạch" in w.value for w in at.warning)


def three_mistakes() -> bytes:
    """One error (a percent of 150) and two warnings (done at 60%, the date 31/02/2023)."""
    rows = standard_rows()
    rows[6][5] = 150
    rows[7][4], rows[7][5] = "Hoàn thành", 60
    rows[8][3] = "31/02/2023"
    return xlsx({"Tiến độ": rows})


def test_a_rejected_file_shows_errors_and_warnings_together_and_is_kept_once(app_env, config):
    data = three_mistakes()
    at = upload(page("pages/upload.py", CLERK), ("ba-loi.xlsx", data))
    (answer,) = at.error
    assert "BỊ TỪ CHỐI" in answer.value and "ba-loi.xlsx: chưa nhận được — 1 lỗi cần sửa" in answer.value
    table = at.table[0].value
    assert list(table["Loại"]) == ["Lỗi", "Cảnh báo", "Cảnh báo"]
    assert list(table["Dòng"]) == ["7", "8", "9"]
    assert list(table["Giá trị"]) == ["150", "60", "31/02/2023"]
    # The whole fix text, never cut: the table wraps (a static table, not a grid of fixed cells).
    assert table["Cần sửa"].iloc[2].startswith("Thời hạn '31/02/2023' không phải ngày (ghi dd/mm/yyyy")
    assert any(b.label.startswith("Tải báo cáo lỗi") for b in at.get("download_button"))
    at.run()  # a rerun (the live check, a click elsewhere) shows the answer again and stores nothing more
    at.run()
    assert any("BỊ TỪ CHỐI" in e.value for e in at.error)
    with Store(app_env, config) as s:
        rows = s.con.execute("SELECT id, status, submitted_by, original_name FROM submissions").fetchall()
        assert s.original(s.submission(rows[0][0])["sha256"]) == data  # byte for byte
    assert [r[1:] for r in rows] == [("rejected", "yenbinh", "ba-loi.xlsx")]
    assert f"(lần gửi #{rows[0][0]})" in answer.value


def test_a_value_from_the_file_is_shown_as_typed_not_as_markdown(app_env):
    rows = standard_rows()
    rows[7][4] = "**Xong** [xem](http://x.vn) :red[gấp] $x$"
    at = upload(page("pages/upload.py", CLERK), ("md.xlsx", xlsx({"Tiến độ": rows})))
    value = at.table[0].value["Giá trị"].iloc[0]
    assert value == r"\*\*Xong\*\* \[xem\](http\://x.vn) \:red\[gấp\] \$x\$"


@pytest.mark.parametrize(
    ("newer", "later_arrival", "counts"),
    [
        ("22/09/2023", False, "báo cáo ngày 22/09/2023"),  # a later report date counts
        ("15/09/2023", True, "báo cáo ngày 15/09/2023"),  # same date, stamped later (issue 13: 01:07 tomorrow)
    ],
)
def test_board_updated_only_when_the_confirmed_file_became_current(app_env, config, newer, later_arrival, counts):
    import datetime as dt

    from readiness.store import Incoming, local_now

    when = local_now(config).replace(hour=1, minute=7, second=0, microsecond=0) + dt.timedelta(days=1)
    with Store(app_env, config) as s:
        (kept,) = s.ingest_many([Incoming(good(newer, 90), "moi.xlsx", received_at=when if later_arrival else None)])
    at = upload(page("pages/upload.py", CLERK), ("cu.xlsx", good("15/09/2023", 40)))
    at.button(key=next(b.key for b in at.button if b.key.startswith("confirm_"))).click().run()
    assert not at.exception
    (sent,) = at.success
    assert "ĐÃ NHẬN" in sent.value and "Bảng đã cập nhật" not in sent.value
    (why,) = at.warning
    assert "Bảng không đổi" in why.value and counts in why.value and f"lần gửi #{kept.submission_id}" in why.value
    if later_arrival:
        assert f"nhận lúc 01:07 {when:%d/%m/%Y}" in why.value
    with Store(app_env, config) as s:
        assert s.query("heatmap").set_index("subcommittee").loc["Tiểu ban an ninh, trật tự"].readiness == 90.0


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "vi",
            [
                "Chọn một hoặc nhiều tệp",
                "Tối đa 20 MB mỗi tệp · nhận các loại .xlsx, .xlsm, .xls, .ods, .csv",
                "CHỜ BẠN XÁC NHẬN — chưa gửi",
                "Xác nhận gửi báo cáo này",
                "BỊ TỪ CHỐI",
                "Lỗi và cảnh báo, theo ô",
                "“Chọn tệp”",
            ],
        ),
        (
            "en",
            [
                "Choose one or more",
                "Up to 20 MB per file · accepted types .xlsx, .xlsm, .xls, .ods, .csv",
                "WAITING FOR YOUR CONFIRMATION — not sent yet",
                "Confirm and send this report",
                "REJECTED",
                "Errors and warnings, cell by cell",
                "“Choose files”",
            ],
        ),
    ],
)
def test_the_uploader_and_its_answers_speak_the_page_language(app_env, lang, texts):
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=30)
    at.session_state["user"] = CLERK
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/upload.py").run()
    uploader = at.file_uploader(key="uploads")
    assert uploader.proto.max_upload_size_mb == 20  # the exercise's max_upload_mb, not Streamlit's 200
    upload(at, ("tot.xlsx", good()), ("loi.xlsx", three_mistakes()))
    shown = " ".join(
        [uploader.label]
        + [e.value for kind in (at.caption, at.warning, at.error, at.markdown) for e in kind]
        + [b.label for b in at.button]
    )
    shown += " ".join(str(h.value) for h in at.get("html"))
    for text in texts:
        assert text in shown, text
    assert list(at.table[0].value.columns)[0] == {"vi": "Loại", "en": "Kind"}[lang]
    if lang == "en":
        assert "Tải" not in shown and "Lỗi" not in shown


def test_a_rejected_upload_is_in_the_history_for_its_sender_and_not_for_a_visitor(app_env, config):
    upload(page("pages/upload.py", CLERK), ("ba-loi.xlsx", three_mistakes()))
    mine = page("pages/history.py", CLERK)
    assert mine.dataframe[0].value.iloc[0]["Kết quả"] == "Bị từ chối"
    assert [b.proto.label for b in mine.get("download_button")] == [
        "Tải tệp gốc",
        "Tải báo cáo lỗi (.xlsx, đánh dấu ô)",
    ]
    assert list(mine.table[0].value["Loại"]) == ["Lỗi", "Cảnh báo", "Cảnh báo"]
    visitor = page("pages/history.py", None)
    assert visitor.dataframe[0].value.iloc[0]["Kết quả"] == "Bị từ chối"  # that a file came is public
    assert not visitor.get("download_button") and not visitor.table  # what was in it is not
    assert any("hãy đăng nhập" in c.value for c in visitor.caption)
    other = page("pages/history.py", User("dongson", "uploader", ("Xã Đông Sơn",)))
    assert not other.get("download_button") and not other.table


def test_secretariat_batch_load_without_confirming(app_env, config):
    at = page("pages/upload.py", SECRETARY)
    at.toggle(key="batch_mode").set_value(True).run()
    upload(at, ("yb.xlsx", good()), ("ys.xlsx", xlsx({"S": standard_rows("Xã Yên Sơn")})))
    assert sum("ĐÃ NHẬN" in s.value for s in at.success) == 2
    with Store(app_env, config) as s:
        assert set(s.query("heatmap").unit) == {"Phường Yên Bình", "Xã Yên Sơn"}


def test_template_round_trip_is_accepted_without_a_warning(app_env, config):
    with Store(app_env, config) as s:
        s.ingest_bytes(good("08/09/2023", 20), "old.xlsx")
    at = page("pages/upload.py", CLERK)
    button = at.get("download_button")[0]
    assert button.proto.label == "Tải mẫu .xlsx"
    from readiness.template import build_template

    with Store(app_env, config) as s:
        template = build_template(  # dated the pinned today, as the page dates it (ui.today())
            config,
            "Phường Yên Bình",
            s.query("tasks", unit="Phường Yên Bình", subcommittee=None),
            report_date=__import__("datetime").date.fromisoformat(APP_TODAY),
        )
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb["Báo cáo"]
    assert ws["A5"].value == "Đơn vị: Phường Yên Bình"
    assert ws["C8"].value == "Xây dựng văn kiện khối A" and ws["D8"].value == "Văn kiện"
    ws["F9"], ws["G9"] = "Hoàn thành", 100  # the clerk fills in progress
    out = io.BytesIO()
    wb.save(out)
    upload(at, ("mau-da-dien.xlsx", out.getvalue()))
    assert any("hợp lệ" in w.value for w in at.warning)
    assert not at.table  # no error, no warning


def test_withdrawal_is_the_secretariats_and_asks_first(app_env, config):
    """The confirmed withdrawal (a dialog, which reruns alone in a browser) and the figures it
    restores are tested in tests/browser/test_secretariat.py."""
    with Store(app_env, config) as s:
        s.ingest_bytes(good("08/09/2023", 20), "w1.xlsx")
        wrong = s.ingest_bytes(good("15/09/2023", 90), "w2.xlsx")
    clerk_view = page("pages/history.py", CLERK)
    assert not [b for b in clerk_view.button if b.key == "withdraw"]  # only the secretariat may withdraw
    at = page("pages/history.py", SECRETARY)
    history = at.dataframe[0].value
    assert list(history["#"]) == [wrong.submission_id, wrong.submission_id - 1]
    at.selectbox(key="hist_pick").set_value(wrong.submission_id).run()
    at.text_input(key="withdraw_reason").input("Nhập nhầm số liệu tuần").run()
    at.button(key="withdraw").click().run()
    assert not at.exception
    assert at.button(key="withdraw_confirm").label == "Xác nhận rút"
    with Store(app_env, config) as s:  # nothing withdrawn before the answer
        assert s.query("heatmap").set_index("subcommittee").loc["Tiểu ban an ninh, trật tự"].readiness == 90.0


def test_login_form_logs_in_and_refuses_a_wrong_password(app_env, config):
    Accounts(users_path(app_env), [u.name for u in config.units]).add("thuky", "mat-khau-thu-ky", "secretariat")
    at = page("pages/upload.py", None)
    at.text_input(key="login_name").input("thuky")
    at.text_input(key="login_password").input("sai-mat-khau")
    form_button = next(b for b in at.sidebar.button if "Đăng nhập" in (b.label or ""))
    form_button.click().run()
    assert any("Sai tên đăng nhập" in e.value for e in at.sidebar.error)
    at.text_input(key="login_password").input("mat-khau-thu-ky")
    next(b for b in at.sidebar.button if "Đăng nhập" in (b.label or "")).click().run()
    assert at.session_state["user"].username == "thuky"
    assert at.file_uploader  # the upload page opens


def test_the_secretariat_manages_accounts_and_a_clerk_cannot(app_env, config):
    clerk_view = page("pages/accounts.py", CLERK)
    assert any("Chỉ thư ký" in i.value for i in clerk_view.info)
    at = page("pages/accounts.py", SECRETARY)
    at.text_input(key="new_name").input("dongson")
    at.selectbox(key="new_role").set_value("uploader")
    at.multiselect(key="new_units").set_value(["Xã Đông Sơn"])
    at.text_input(key="new_password").input("mat-khau-dong-son")
    next(b for b in at.button if "Thêm tài khoản" in (b.label or "")).click().run()
    assert not at.exception
    assert any("Đã thêm tài khoản dongson" in s.value for s in at.success)
    accounts = Accounts(users_path(app_env), [u.name for u in config.units])
    assert accounts.login("dongson", "mat-khau-dong-son").units == ("Xã Đông Sơn",)
    with pytest.raises(Exception, match="không được quản lý"):
        accounts.add("x-user", "long-enough-1", "viewer", actor=CLERK)  # enforced in the core too
    with Store(app_env, config) as s:
        audit = s.con.execute("SELECT actor, action, target FROM audit").fetchall()
    assert ("thuky", "user_add", "dongson") in audit
