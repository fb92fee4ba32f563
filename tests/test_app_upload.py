"""AppTest for sending reports and the submission history: the answers a clerk sees, the confirm
step, the template round trip, the secretariat's withdrawal."""

import io

import openpyxl
import pytest
from conftest import APP_TODAY, ROOT, standard_rows, xlsx
from streamlit.testing.v1 import AppTest

from readiness.auth import Accounts, User, users_path
from readiness.store import Store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLERK = User("yenbinh", "uploader", ("Phường Yên Bình",))
SECRETARY = User("thuky", "secretariat")


def page(name: str, user: User | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=30)
    if user is not None:
        at.session_state["user"] = user
    at.run()
    at.switch_page(name).run()
    assert not at.exception, at.exception
    return at


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
    assert any(
        "tuan2.xlsx: hợp lệ — Phường Yên Bình, báo cáo ngày 15/09/2023, 2 nhiệm vụ" in s.value for s in at.success
    )
    diff = at.dataframe[-1].value
    assert list(diff["Nội dung"]) == ["Phương án bảo đảm an ninh"]
    assert list(diff["Trước"]) == ["Đang thực hiện (20%)"] and list(diff["Sau"]) == ["Đang thực hiện (60%)"]
    with Store(app_env, config) as s:
        assert s.query("heatmap").set_index("subcommittee").loc["Tiểu ban an ninh, trật tự"].readiness == 20.0
    at.button(key=next(b.key for b in at.button if b.key.startswith("confirm_"))).click().run()
    assert not at.exception
    assert any("ĐÃ NHẬN" in s.value for s in at.success)
    with Store(app_env, config) as s:
        assert s.query("heatmap").set_index("subcommittee").loc["Tiểu ban an ninh, trật tự"].readiness == 60.0
        who = s.con.execute("SELECT submitted_by, source FROM submissions ORDER BY id DESC LIMIT 1").fetchall()
    assert who == [("yenbinh", "upload")]


def test_rejected_file_shows_each_error_with_its_cell_and_a_marked_report(app_env):
    rows = standard_rows()
    rows[7][5] = 150
    at = upload(page("pages/upload.py", CLERK), ("loi.xlsx", xlsx({"Tiến độ": rows})))
    assert any("loi.xlsx: chưa nhận được — 1 lỗi cần sửa" in e.value for e in at.error)
    table = at.dataframe[0].value
    assert table.iloc[0].to_dict() == {
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
    assert any(f"trùng với tệp đã nhận (lần gửi #{first.submission_id})" in i.value for i in at.info)


def test_a_clerk_cannot_send_for_another_unit(app_env, config):
    other = xlsx({"S": standard_rows("Xã Yên Sơn")})
    at = upload(page("pages/upload.py", CLERK), ("ys.xlsx", other))
    assert any("chỉ được gửi báo cáo cho: Phường Yên Bình" in str(d.value.values) for d in at.dataframe)
    with Store(app_env, config) as s:
        assert s.query("heatmap").empty


def test_a_file_without_its_unit_asks_for_it(app_env, config):
    data = xlsx({"S": [["STT", "Nội dung", "Tiểu ban", "Trạng thái"], [1, "Dự toán", "Hậu cần", "Xong"]]})
    at = upload(page("pages/upload.py", SECRETARY), ("khong-ten.xlsx", data))
    chooser = next(s for s in at.selectbox if s.key and s.key.startswith("unit_"))
    chooser.set_value("Phòng Tài chính - Kế hoạch").run()
    assert any("hợp lệ — Phòng Tài chính - Kế hoạch" in s.value for s in at.success)


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
    assert any("hợp lệ" in s.value for s in at.success)
    assert not any("Cảnh báo" in m.value for m in at.markdown)


def test_withdrawal_by_the_secretariat_restores_the_previous_figures(app_env, config):
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
    with Store(app_env, config) as s:
        assert s.query("heatmap").set_index("subcommittee").loc["Tiểu ban an ninh, trật tự"].readiness == 20.0
        row = s.con.execute(
            "SELECT withdrawn_by, withdrawn_reason FROM submissions WHERE id = ?", [wrong.submission_id]
        ).fetchall()
    assert row == [("thuky", "Nhập nhầm số liệu tuần")]


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
