"""Every word the interface shows, in Vietnamese and English, and the number and date formats."""

from __future__ import annotations

import datetime as dt
import math

from .values import STATUSES

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Bảng sẵn sàng diễn tập KVPT", "Defensive-area exercise readiness"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_subcommittee": ("Tiểu ban", "Subcommittee"),
    "page_unit": ("Đơn vị", "Unit"),
    "language": ("Ngôn ngữ", "Language"),
    "d_day": ("Ngày N", "D-day"),
    "days_left": ("Còn {days} ngày {hours:02d} giờ", "{days} days {hours:02d} hours left"),
    "after_d_day": ("Đã qua Ngày N {days} ngày", "D-day was {days} days ago"),
    "d_day_now": ("Hôm nay là Ngày N", "Today is D-day"),
    "phase": ("Giai đoạn", "Phase"),
    "today": ("Hôm nay", "Today"),
    "next_milestone": ("Tiếp theo", "Next"),
    "readiness": ("Sẵn sàng", "Readiness"),
    "units_reported": ("Đã báo cáo", "Reported"),
    "stale": ("Chậm báo cáo", "Stale"),
    "never_reported": ("Chưa báo cáo", "Never reported"),
    "overdue": ("Quá hạn", "Overdue"),
    "blocked": ("Vướng mắc", "Blocked"),
    "vs_last_week": ("so với tuần trước", "vs last week"),
    "heatmap_title": ("Mức sẵn sàng theo đơn vị và tiểu ban (%)", "Readiness by unit and subcommittee (%)"),
    "heatmap_help": (
        "Số trong ô là % sẵn sàng (đỏ đậm = thấp); số nhỏ ở góc = số việc quá hạn; hàng viền đỏ ⚠ = chậm hoặc "
        "chưa báo cáo. Bấm vào một ô để xem nhiệm vụ.",
        "Numbers are % ready (deep red = low); the small number in the corner = overdue tasks; rows outlined "
        "in red ⚠ = stale or no report. Click a cell to see its tasks.",
    ),
    "last_report_short": ("báo cáo cuối {date}", "last report {date}"),
    "no_report_yet": ("chưa báo cáo", "no report yet"),
    "subcommittee_title": ("Hoàn thành theo tiểu ban", "Completion by subcommittee"),
    "risks_title": ("Việc cần xử lý ngay: quá hạn và vướng mắc", "Top risks: overdue and blocked tasks"),
    "no_risks": ("Không có việc quá hạn hay vướng mắc.", "No overdue or blocked task."),
    "cell_tasks": ("Nhiệm vụ — {unit} · {subcommittee}", "Tasks — {unit} · {subcommittee}"),
    "no_data": (
        "Chưa có báo cáo nào. Các đơn vị gửi bảng tính tiến độ; thư ký nhận tệp bằng lệnh "
        "`python -m readiness ingest TỆP...` (hoặc thả vào thư mục data/inbox khi có). "
        "Bảng sẽ tự hiện số liệu khi có báo cáo đầu tiên.",
        "No report yet. Units send their checklist spreadsheets; the secretariat ingests them with "
        "`python -m readiness ingest FILE...`. The board fills in as soon as the first report lands.",
    ),
    "done": ("Hoàn thành", "Done"),
    "in_progress": ("Đang thực hiện", "In progress"),
    "not_started": ("Chưa thực hiện", "Not started"),
    "not_applicable": ("Không áp dụng", "Not applicable"),
    "tasks": ("Nhiệm vụ", "Tasks"),
    "task": ("Nội dung", "Task"),
    "status": ("Trạng thái", "Status"),
    "percent": ("Tỷ lệ", "Percent"),
    "deadline": ("Thời hạn", "Deadline"),
    "days_late": ("Trễ (ngày)", "Days late"),
    "owner": ("Phụ trách", "Owner"),
    "note": ("Ghi chú", "Note"),
    "weight": ("Trọng số", "Weight"),
    "last_report": ("Báo cáo cuối", "Last report"),
    "report_date": ("Ngày báo cáo", "Report date"),
    "unit": ("Đơn vị", "Unit"),
    "subcommittee": ("Tiểu ban", "Subcommittee"),
    "all": ("Tất cả", "All"),
    "aggregate": ("Toàn tiểu ban", "Whole subcommittee"),
    "pick_subcommittee": ("Chọn tiểu ban", "Choose a subcommittee"),
    "pick_unit": ("Chọn đơn vị", "Choose a unit"),
    "trend_title": ("Mức sẵn sàng theo thời gian và dự báo đến Ngày N", "Readiness over time, projected to D-day"),
    "projected_d_day": ("Dự báo Ngày N", "Projected on D-day"),
    "projection_short": (
        "⚠ Theo tốc độ {rate}/tuần của các báo cáo gần đây, đến Ngày N chỉ đạt {value} — chưa đủ 100%.",
        "⚠ At the recent pace of {rate}/week, readiness on D-day would be {value} — short of 100%.",
    ),
    "projection_ok": (
        "Theo tốc độ {rate}/tuần của các báo cáo gần đây, đạt 100% trước Ngày N.",
        "At the recent pace of {rate}/week, 100% is reached before D-day.",
    ),
    "per_week": ("{rate}%/tuần", "{rate}%/week"),
    "projection_none": ("Cần ít nhất hai lần báo cáo để dự báo.", "At least two reports are needed for a projection."),
    "overdue_only": ("Chỉ việc quá hạn", "Overdue only"),
    "search": ("Tìm nội dung, người phụ trách…", "Search task, owner…"),
    "show_units": ("Từng đơn vị", "Each unit"),
    "unit_latest": ("Nhiệm vụ trong báo cáo mới nhất ({date})", "Tasks of the latest report ({date})"),
    "unit_by_sub": ("Mức sẵn sàng theo tiểu ban", "Readiness by subcommittee"),
    "unit_history": ("Lịch sử gửi báo cáo", "Report history"),
    "unit_diff": ("Thay đổi giữa hai báo cáo", "What changed between two reports"),
    "unit_one_report": (
        "Đơn vị mới có một báo cáo; khi có báo cáo tiếp theo, phần này sẽ cho thấy việc nào đã chuyển trạng thái.",
        "The unit has one report so far; with the next one this shows which tasks moved.",
    ),
    "unit_none": (
        "Đơn vị này chưa gửi báo cáo nào được chấp nhận. Gửi bảng tính tiến độ của đơn vị để bắt đầu theo dõi.",
        "This unit has no accepted report yet. Send its checklist spreadsheet to start tracking.",
    ),
    "older": ("Báo cáo cũ", "Older report"),
    "newer": ("Báo cáo mới", "Newer report"),
    "no_changes": ("Không có thay đổi nào.", "No change."),
    "change": ("Thay đổi", "Change"),
    "changed": ("Chuyển trạng thái", "Moved"),
    "new": ("Mới", "New"),
    "gone": ("Không còn", "Gone"),
    "before": ("Trước", "Before"),
    "after": ("Sau", "After"),
    "received_at": ("Nhận lúc", "Received"),
    "answer": ("Kết quả", "Answer"),
    "accepted": ("Đã nhận", "Accepted"),
    "rejected": ("Bị từ chối", "Rejected"),
    "duplicate": ("Trùng", "Duplicate"),
    "source": ("Cách gửi", "How"),
    "file": ("Tệp", "File"),
    "errors": ("Lỗi", "Errors"),
    "warnings": ("Cảnh báo", "Warnings"),
    "current": ("Đang tính", "Counts"),
    "upload": ("Tải lên", "Upload"),
    "inbox": ("Thư mục nhận", "Inbox"),
    "cli": ("Dòng lệnh", "Command line"),
    "db_locked": (
        "Không mở được cơ sở dữ liệu {path}: một chương trình khác đang giữ nó (ví dụ một bảng khác đang chạy, "
        "hoặc lệnh nhận tệp). Đóng chương trình đó rồi tải lại trang. Chi tiết: {detail}",
        "Cannot open the database {path}: another program holds it (another board or an ingest command). "
        "Close it and reload the page. Detail: {detail}",
    ),
    "config_error": ("Cấu hình cuộc diễn tập có lỗi: {detail}", "The exercise config has an error: {detail}"),
    "page_upload": ("Gửi báo cáo", "Send a report"),
    "recent_arrivals": ("Vừa nhận", "Recent arrivals"),
    "page_accounts": ("Tài khoản", "Accounts"),
    "accounts_only_secretariat": ("Chỉ thư ký quản lý tài khoản.", "Only the secretariat manages accounts."),
    "accounts_add": ("Thêm tài khoản", "Add an account"),
    "accounts_role": ("Vai trò", "Role"),
    "accounts_units": ("Đơn vị được gửi báo cáo", "Units it may report for"),
    "accounts_added": ("Đã thêm tài khoản {user}.", "Account {user} added."),
    "accounts_reset": ("Đặt lại mật khẩu", "Reset the password"),
    "accounts_new_password": ("Mật khẩu mới", "New password"),
    "accounts_remove": ("Xóa tài khoản", "Remove the account"),
    "accounts_done": ("Đã cập nhật {user}.", "{user} updated."),
    "accounts_pick": ("Chọn tài khoản", "Choose an account"),
    "accounts_locked_until": ("Tạm khóa đăng nhập đến", "Logins held until"),
    "accounts_unlock": ("Mở khóa đăng nhập", "Unlock logins"),
    "accounts_unlocked": ("Đã mở khóa đăng nhập cho {user}.", "Logins unlocked for {user}."),
    "accounts_removed": ("Đã xóa tài khoản {user}.", "Account {user} removed."),
    "accounts_password_reset": (
        "Đã đặt mật khẩu mới cho {user}; các phiên đăng nhập cũ của tài khoản đã hết hiệu lực.",
        "New password set for {user}; the account's earlier sessions have ended.",
    ),
    "accounts_units_placeholder": (
        "Chọn đơn vị (bắt buộc với người gửi báo cáo)",
        "Choose units (required for a unit uploader)",
    ),
    "accounts_units_help": (
        "Người gửi báo cáo chỉ gửi được cho các đơn vị này. Thư ký và người xem không cần chọn.",
        "A unit uploader may send only for these units. The secretariat and viewers need none.",
    ),
    "accounts_remove_confirm_title": ("Xóa tài khoản?", "Remove the account?"),
    "accounts_remove_confirm": (
        "Xóa tài khoản này? Người dùng sẽ không đăng nhập được nữa; các phiên đang mở của họ kết thúc.",
        "Remove this account? Its user can no longer log in, and their open sessions end.",
    ),
    "tokens_title": ("Mã truy cập API", "API tokens"),
    "tokens_help": (
        "Hệ thống khác đọc số liệu qua API chỉ đọc /api/v1 (xem README). Khi bắt buộc đăng nhập, mỗi yêu cầu "
        "cần một mã truy cập: cấp một mã cho mỗi hệ thống hay cơ quan, thu hồi khi không dùng nữa.",
        "Other systems read the figures through the read-only API /api/v1 (see the README). When login is "
        "required, every request needs a token: issue one per system or office, revoke it when no longer used.",
    ),
    "tokens_name": ("Dùng cho (hệ thống, cơ quan)", "For (system, office)"),
    "tokens_issue": ("Cấp mã truy cập", "Issue a token"),
    "tokens_issued": (
        "Đã cấp mã #{id} cho {name}. Sao chép ngay: mã chỉ hiện một lần, hệ thống chỉ lưu bản băm của nó.",
        "Token #{id} issued for {name}. Copy it now: it is shown only once; only its hash is kept.",
    ),
    "tokens_copy": ("Sao chép mã", "Copy the token"),
    "tokens_none": ("Chưa cấp mã truy cập nào.", "No token issued yet."),
    "tokens_id": ("Mã số", "Id"),
    "tokens_created": ("Cấp lúc", "Issued"),
    "tokens_by": ("Người cấp", "Issued by"),
    "tokens_state": ("Tình trạng", "State"),
    "tokens_active": ("đang dùng", "active"),
    "tokens_revoked_at": ("thu hồi {at}", "revoked {at}"),
    "tokens_pick": ("Chọn mã", "Choose a token"),
    "tokens_revoke": ("Thu hồi mã", "Revoke the token"),
    "tokens_revoke_confirm_title": ("Thu hồi mã truy cập?", "Revoke the token?"),
    "tokens_revoke_confirm": (
        "Hệ thống dùng mã này sẽ không đọc được API nữa. Không thể hoàn tác.",
        "The system using this token can no longer read the API. This cannot be undone.",
    ),
    "tokens_revoked": ("Đã thu hồi mã #{id} ({name}).", "Token #{id} ({name}) revoked."),
    "confirm_cancel": ("Hủy", "Cancel"),
    "withdraw_reason_shown": ("Lý do: {reason}", "Reason: {reason}"),
    "session_expired": (
        "Phiên đăng nhập đã hết hạn hoặc mật khẩu đã đổi: hãy đăng nhập lại.",
        "Your session has ended (expired, or the password changed): please log in again.",
    ),
    "session_until": ("Phiên đăng nhập đến {time} {date}", "Logged in until {time} {date}"),
    "no_rows": ("Không có dòng nào khớp bộ lọc.", "No row matches the filters."),
    "health_worker": ("Bộ nhận tệp (thư mục {path})", "Inbox worker (folder {path})"),
    "health_running": ("đang chạy từ {since}", "running since {since}"),
    "health_stopped": ("không chạy", "not running"),
    "health_processed": ("Đã xử lý", "Processed"),
    "health_queued": ("Đang chờ", "Queued"),
    "health_failures": ("Sự cố", "Failures"),
    "health_version": ("Phiên bản dữ liệu", "Data version"),
    "health_last": ("Tệp cuối: {file} — {status} lúc {at}", "Last file: {file} — {status} at {at}"),
    "health_db": ("Cơ sở dữ liệu: {path}", "Database: {path}"),
    "page_display": ("Trình chiếu", "Wall display"),
    "page_health": ("Tình trạng hệ thống", "System health"),
    "page_history": ("Lịch sử gửi", "Submission history"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "logged_in_as": ("Đã đăng nhập: **{user}** ({role})", "Logged in: **{user}** ({role})"),
    "role_viewer": ("xem", "viewer"),
    "role_uploader": ("gửi báo cáo", "unit uploader"),
    "role_secretariat": ("thư ký", "secretariat"),
    "login_needed_upload": (
        "Đăng nhập để gửi báo cáo (ô Đăng nhập ở thanh bên). Chưa có tài khoản: liên hệ thư ký Ban Tổ chức.",
        "Log in to send a report (Log in, in the sidebar). No account yet: ask the committee's secretariat.",
    ),
    "login_required": ("Bảng này yêu cầu đăng nhập.", "This board requires a login."),
    "no_accounts": (
        "Chưa có tài khoản nào. Thư ký tạo tài khoản bằng lệnh: "
        '`python -m readiness user add TÊN --role secretariat` (hoặc `--role uploader --unit "Tên đơn vị"`).',
        "No account exists yet. The secretariat creates one with "
        '`python -m readiness user add NAME --role secretariat` (or `--role uploader --unit "Unit name"`).',
    ),
    "not_allowed_upload": ("Tài khoản này chỉ được xem bảng.", "This account may only view the board."),
    "template_title": ("1. Tải mẫu báo cáo của đơn vị", "1. Download your unit's template"),
    "template_help": (
        "Mẫu có sẵn tên đơn vị và ngày báo cáo. Khi có kế hoạch phân công, mẫu liệt kê các nhiệm vụ Ban Tổ chức giao "
        "cho đơn vị (mã NV, tiểu ban, thời hạn, trọng số); chưa có kế hoạch thì liệt kê các nhiệm vụ của báo cáo gần "
        "nhất. Chọn trạng thái trong danh sách, ghi tỷ lệ; trang “Tự đánh giá” để đơn vị ghi mức tự đánh giá.",
        "The template has the unit's name and the report date. With a task plan loaded it lists the tasks the "
        "committee assigned to the unit (code, subcommittee, deadline, weight); without one, the tasks of its "
        "latest report. Pick statuses from the list and write percents; its “Tự đánh giá” sheet takes the unit's "
        "own assessment.",
    ),
    "template_planned": (
        "Theo kế hoạch phân công đang áp dụng: mẫu liệt kê {n} nhiệm vụ Ban Tổ chức giao cho {unit}, kèm trang "
        "“Tự đánh giá”.",
        "From the task plan in force: the template lists the {n} tasks the committee assigned to {unit}, with a "
        "“Tự đánh giá” (own assessment) sheet.",
    ),
    "template_button": ("Tải mẫu .xlsx", "Download .xlsx template"),
    "upload_title": ("2. Gửi bảng tính", "2. Send the spreadsheet"),
    "upload_help": (
        "Chọn một hoặc nhiều tệp .xlsx, .xlsm, .xls, .ods, .csv",
        "Choose one or more .xlsx, .xlsm, .xls, .ods, .csv files",
    ),
    "batch_mode": ("Nhận ngay, không cần xác nhận (nhận hàng loạt)", "Accept at once, without confirming (batch load)"),
    "checking": ("Đang kiểm tra {file}…", "Checking {file}…"),
    "answer_ok": (
        "{file}: hợp lệ — {unit}, báo cáo ngày {date}, {tasks} nhiệm vụ",
        "{file}: valid — {unit}, report of {date}, {tasks} tasks",
    ),
    "answer_rejected": ("{file}: chưa nhận được — {n} lỗi cần sửa", "{file}: not taken — {n} errors to fix"),
    "answer_duplicate": (
        "{file}: trùng với tệp đã nhận (lần gửi #{id}); không có gì thay đổi",
        "{file}: same as a file already taken (#{id}); nothing changes",
    ),
    "answer_stored": (
        "{file}: ĐÃ NHẬN — {unit}, {tasks} nhiệm vụ. Bảng đã cập nhật.",
        "{file}: ACCEPTED — {unit}, {tasks} tasks. The board is updated.",
    ),
    "choose_unit": (
        "Tệp không ghi đơn vị: chọn đơn vị của báo cáo",
        "The file names no unit: choose the report's unit",
    ),
    "confirm": ("Xác nhận gửi báo cáo này", "Confirm and send this report"),
    "changes_title": ("So với báo cáo đang tính của đơn vị", "Against the unit's current report"),
    "first_report": ("Đây là báo cáo đầu tiên của đơn vị.", "This is the unit's first report."),
    "error_table": ("Lỗi cần sửa", "Errors to fix"),
    "warning_table": ("Cảnh báo (tệp vẫn được nhận)", "Warnings (the file is still taken)"),
    "download_errors": ("Tải báo cáo lỗi (.xlsx, đánh dấu ô)", "Download the error report (.xlsx, cells marked)"),
    # ---- upload answers, each named by what happens next
    "upload_limits": (
        "Tối đa {mb} MB mỗi tệp · nhận các loại {types} · kéo thả tệp vào ô trên hoặc bấm “Chọn tệp”.",
        "Up to {mb} MB per file · accepted types {types} · drop files on the box above or press “Choose files”.",
    ),
    "upload_button": ("Chọn tệp", "Choose files"),
    "upload_drop": ("Thả tệp vào đây", "Drop files here"),
    "head_sent": ("ĐÃ NHẬN", "SENT"),
    "head_waiting": ("CHỜ BẠN XÁC NHẬN — chưa gửi", "WAITING FOR YOUR CONFIRMATION — not sent yet"),
    "head_duplicate": ("TRÙNG LẦN GỬI #{id}", "DUPLICATE OF #{id}"),
    "head_rejected": ("BỊ TỪ CHỐI", "REJECTED"),
    "head_choose_unit": ("CẦN CHỌN ĐƠN VỊ", "CHOOSE THE UNIT"),
    "answer_waiting": (
        "Tệp chưa được gửi: bấm “Xác nhận gửi báo cáo này” để gửi. Thay đổi so với báo cáo đang tính ở bên dưới.",
        "The file is not sent yet: press “Confirm and send this report” to send it. "
        "What it changes against the current report is below.",
    ),
    "answer_sent": (
        "{file}: lần gửi #{id} — {unit}, báo cáo ngày {date}, {tasks} nhiệm vụ.",
        "{file}: submission #{id} — {unit}, report of {date}, {tasks} tasks.",
    ),
    "board_updated": ("Bảng đã cập nhật theo báo cáo này.", "The board is updated with this report."),
    "board_not_updated": (
        "Bảng không đổi: báo cáo ngày {date} của đơn vị (lần gửi #{id}, nhận lúc {at}) mới hơn nên vẫn được tính. "
        "Báo cáo này được lưu trong lịch sử.",
        "The board does not change: the unit's report dated {date} (submission #{id}, received {at}) is later "
        "and still counts. This report is kept in the history.",
    ),
    "board_no_current": (
        "Bảng không đổi: đơn vị hiện không có báo cáo nào được tính.",
        "The board does not change: the unit has no report that counts now.",
    ),
    "rejected_kept": (
        "Tệp và báo cáo lỗi được lưu trong Lịch sử gửi (lần gửi #{id}). Sửa các ô dưới đây rồi gửi lại.",
        "The file and its error report are kept in the submission history (#{id}). Fix the cells below and send it again.",
    ),
    "messages_title": ("Lỗi và cảnh báo, theo ô", "Errors and warnings, cell by cell"),
    "kind": ("Loại", "Kind"),
    "kind_error": ("Lỗi", "Error"),
    "kind_warning": ("Cảnh báo", "Warning"),
    "messages_login_needed": (
        "Chi tiết lỗi, tệp gốc và báo cáo lỗi chỉ dành cho thư ký và người gửi của đơn vị: hãy đăng nhập.",
        "The errors, the original file and its error report are for the secretariat and the unit's own senders: log in.",
    ),
    "sheet": ("Trang", "Sheet"),
    "row": ("Dòng", "Row"),
    "column": ("Cột", "Column"),
    "value_found": ("Giá trị", "Value found"),
    "expected": ("Cần sửa", "What to fix"),
    "filter_unit": ("Lọc theo đơn vị", "Filter by unit"),
    "filter_answer": ("Lọc theo kết quả", "Filter by answer"),
    "submitted_by": ("Người gửi", "Sent by"),
    "withdrawn": ("Đã rút", "Withdrawn"),
    "pick_submission": ("Chọn lần gửi", "Choose a submission"),
    "download_original": ("Tải tệp gốc", "Download the original file"),
    "original_not_kept": (
        "Tệp vượt giới hạn dung lượng nên không được lưu.",
        "The file was over the size limit and was not kept.",
    ),
    "files_login_needed": (
        "Tệp gốc và báo cáo lỗi chỉ dành cho thư ký và người gửi của đơn vị: hãy đăng nhập.",
        "The original file and its error report are for the secretariat and the unit's own senders: log in.",
    ),
    "withdraw_title": ("Rút báo cáo (thư ký)", "Withdraw a submission (secretariat)"),
    "withdraw_reason": ("Lý do rút", "Reason"),
    "withdraw_button": ("Rút báo cáo này", "Withdraw this submission"),
    "withdraw_done": (
        "Đã rút lần gửi #{id}; báo cáo trước đó của đơn vị được tính lại.",
        "Submission #{id} withdrawn; the unit's previous report counts again.",
    ),
    "withdraw_info": ("Đã rút lúc {at} bởi {by}: {reason}", "Withdrawn at {at} by {by}: {reason}"),
    "withdraw_confirm_title": ("Rút báo cáo?", "Withdraw the submission?"),
    "withdraw_confirm": (
        "Rút lần gửi **#{id}**? Báo cáo này sẽ không còn được tính; báo cáo trước đó của đơn vị được tính lại. "
        "Tệp vẫn được lưu trong lịch sử.",
        "Withdraw submission **#{id}**? It will no longer count; the unit's previous report counts again. "
        "The file stays in the history.",
    ),
    "withdraw_confirm_button": ("Xác nhận rút", "Yes, withdraw it"),
    "withdraw_done_counts": (
        "Đã rút lần gửi #{id}. {unit}: báo cáo ngày {date} (lần gửi #{current}) nay được tính.",
        "Submission #{id} withdrawn. {unit}: the report of {date} (#{current}) counts now.",
    ),
    "withdraw_done_none": (
        "Đã rút lần gửi #{id}. {unit} hiện không còn báo cáo nào được tính.",
        "Submission #{id} withdrawn. {unit} has no report that counts now.",
    ),
    "no_submissions": ("Chưa nhận tệp nào.", "No file received yet."),
    "sub_no_tasks": (
        "Tiểu ban này chưa có nhiệm vụ nào trong các báo cáo.",
        "No report has tasks for this subcommittee yet.",
    ),
    # ---- wall display (Trình chiếu)
    "wall_countdown_title": ("Đếm ngược đến Ngày N", "Countdown to D-day"),
    "wall_left": ("Còn {days} ngày {hms}", "{days} days {hms} left"),
    "wall_to_d_day": ("Còn đến Ngày N ({when})", "Left until D-day ({when})"),
    "wall_since_d_day": ("Đã qua Ngày N ({when})", "Since D-day ({when})"),
    "wall_days": ("ngày", "days"),
    "wall_hms": ("giờ : phút : giây", "hours : minutes : seconds"),
    "wall_phase": ("Giai đoạn: {phase}", "Phase: {phase}"),
    "wall_next": ("Tiếp theo: {name} {date}", "Next: {name} {date}"),
    "wall_updated": ("cập nhật lúc {time}", "updated at {time}"),
    "wall_delta_legend": (
        "▲▼ thay đổi so với tuần trước · xanh: tốt hơn · đỏ: xấu hơn",
        "▲▼ change since a week earlier · green: better · red: worse",
    ),
    "wall_heatmap_legend_overdue": ("số việc quá hạn", "overdue tasks"),
    "wall_heatmap_legend_not_reported": ("việc chưa báo cáo", "tasks not reported"),
    "wall_heatmap_legend_stale": ("chậm / chưa báo cáo", "stale / no report"),
    "wall_heatmap_legend_empty": ("không có nhiệm vụ", "no task"),
    "wall_units_all": ("{n} đơn vị", "{n} units"),
    "wall_units_worst": (
        "{shown} đơn vị sẵn sàng thấp nhất (trong {total})",
        "The {shown} least ready units (of {total})",
    ),
    "wall_units_never": ("{n} đơn vị chưa báo cáo", "{n} units never reported"),
    "wall_risks_count": ("{shown} trong {total} việc", "{shown} of {total} tasks"),
    "wall_risks_page": ("{first}–{last} trong {total} việc", "{first}–{last} of {total} tasks"),
    "sort_rows": ("Thứ tự", "Order"),
    "sort_config": ("Theo danh sách", "As listed"),
    "sort_worst": ("Kém nhất trước", "Worst first"),
    "lowest_cell": ("thấp nhất: {name} {pct}", "lowest: {name} {pct}"),
    "n_overdue": ("{n} quá hạn", "{n} overdue"),
    "risk_page": ("Trang", "Page"),
    "risks_all": (
        "{n} việc, sắp theo hạn; cuộn bảng để xem hết.",
        "{n} tasks, earliest deadline first; scroll the table for all.",
    ),
    "wall_days_late": ("Trễ {days} ngày", "{days} days late"),
    "wall_due": ("hạn {date}", "due {date}"),
    "wall_no_data": ("Chưa có báo cáo nào.", "No report yet."),
    "wall_stale_banner": (
        "⚠ SỐ LIỆU CŨ: báo cáo mới nhất ngày {date}, đã quá chu kỳ báo cáo {interval} ngày",
        "⚠ OLD DATA: the newest report is of {date}, older than the {interval}-day reporting interval",
    ),
    "wall_offline_banner": (
        "⚠ MẤT KẾT NỐI VỚI MÁY CHỦ từ {time} — số liệu trên màn hình có thể đã cũ",
        "⚠ CONNECTION TO THE SERVER LOST since {time} — the figures on screen may be out of date",
    ),
    # ---- the assigned task plan (kế hoạch phân công): not-reported and extra tasks, loading a plan
    "not_reported": ("Chưa báo cáo", "Not reported"),
    "cell_not_reported": ("{n} chưa BC", "{n} missing"),
    "hover_not_reported": ("{n} nhiệm vụ chưa báo cáo", "{n} tasks not reported"),
    "hover_extra": ("{n} ngoài kế hoạch", "{n} outside the plan"),
    "heatmap_help_plan": (
        "Tính theo kế hoạch phân công: số trong khung viền đỏ ở góc trái ô = số nhiệm vụ được giao mà báo cáo "
        "của đơn vị chưa có (mỗi việc tính 0%).",
        "Counted against the assigned plan: the number ringed in red in a cell's left corner = the assigned "
        "tasks the unit's report leaves out (each counts as 0%).",
    ),
    "n_not_reported": ("{n} chưa báo cáo", "{n} not reported"),
    "cell_extra": (
        "Thêm {n} nhiệm vụ ngoài kế hoạch (hiển thị, không tính): {tasks}",
        "Also {n} tasks outside the plan (shown, not counted): {tasks}",
    ),
    "unit_not_reported_title": ("Nhiệm vụ được giao nhưng chưa báo cáo ({n})", "Assigned tasks not reported ({n})"),
    "unit_not_reported_help": (
        "Kế hoạch phân công giao các nhiệm vụ này cho đơn vị nhưng báo cáo mới nhất không có. Mỗi việc được "
        "tính 0% cho đến khi đơn vị báo cáo nó, ghi đúng mã NV hoặc nội dung như trong kế hoạch.",
        "The assigned plan gives these tasks to the unit but its latest report leaves them out. Each counts "
        "as 0% until the unit reports it, with the plan's task code or the plan's wording.",
    ),
    "unit_never_reported_plan": (
        "Đơn vị chưa gửi báo cáo nào: mọi nhiệm vụ được giao đều tính là chưa báo cáo (0%).",
        "The unit has sent no report yet: every task assigned to it counts as not reported (0%).",
    ),
    "unit_all_reported": (
        "Báo cáo mới nhất có đủ {n} nhiệm vụ được giao theo kế hoạch.",
        "The latest report covers all {n} tasks the plan assigns.",
    ),
    "unit_extra_title": ("Nhiệm vụ ngoài kế hoạch ({n})", "Tasks outside the plan ({n})"),
    "unit_extra_help": (
        "Đơn vị báo cáo các việc này nhưng kế hoạch phân công không giao cho đơn vị: hiển thị để theo dõi, "
        "không tính vào mức sẵn sàng. Nếu đó là một nhiệm vụ trong kế hoạch, hãy ghi đúng mã NV hoặc nội dung "
        "như kế hoạch.",
        "The unit reports these but the assigned plan does not give them to it: shown to follow them, not "
        "counted in readiness. If one is a planned task, write the plan's task code or wording.",
    ),
    "plan_title": ("3. Kế hoạch phân công nhiệm vụ (thư ký)", "3. The assigned task plan (secretariat)"),
    "plan_in_force": (
        "Kế hoạch đang áp dụng: **{file}** — nạp lúc {at} bởi {by}; {tasks} nhiệm vụ cho {units} đơn vị.",
        "Plan in force: **{file}** — loaded at {at} by {by}; {tasks} tasks for {units} units.",
    ),
    "plan_none": (
        "Chưa có kế hoạch phân công: số liệu tính theo các nhiệm vụ đơn vị tự báo cáo.",
        "No task plan loaded: the figures count the tasks the units report.",
    ),
    "plan_explain": (
        "Tệp kế hoạch: mỗi dòng một nhiệm vụ với mã NV, nội dung, tiểu ban, đơn vị chủ trì (một hoặc nhiều), "
        "thời hạn, trọng số. Khi nạp, mỗi đơn vị được tính theo các nhiệm vụ được giao; việc báo cáo thiếu tính 0%.",
        "The plan file: a task a row with its code, text, subcommittee, lead unit (one or more), deadline "
        "and weight. Once loaded, each unit counts against the tasks it was given; a task its report leaves "
        "out counts as 0%.",
    ),
    "plan_upload_help": ("Chọn tệp kế hoạch phân công", "Choose the task plan file"),
    "plan_head_waiting": ("CHỜ XÁC NHẬN — chưa nạp", "WAITING FOR YOUR CONFIRMATION — not loaded yet"),
    "plan_ok": (
        "{file}: hợp lệ — {tasks} nhiệm vụ cho {units} đơn vị.",
        "{file}: valid — {tasks} tasks for {units} units.",
    ),
    "plan_waiting": (
        "Kế hoạch chưa được nạp: xem lại bên dưới rồi bấm “Xác nhận nạp kế hoạch này”. Khi nạp, nó thay kế hoạch "
        "đang áp dụng và mọi số liệu tính lại theo nó.",
        "The plan is not loaded yet: check it below, then press “Confirm and load this plan”. Once loaded it "
        "replaces the plan in force and every figure counts against it.",
    ),
    "plan_confirm": ("Xác nhận nạp kế hoạch này", "Confirm and load this plan"),
    "plan_per_unit": ("Nhiệm vụ được giao, theo đơn vị và tiểu ban", "Tasks assigned, by unit and subcommittee"),
    "plan_changes": ("So với kế hoạch đang áp dụng", "Against the plan in force"),
    "plan_changes_summary": (
        "{added} nhiệm vụ thêm · {removed} nhiệm vụ bỏ · {deadline} đổi thời hạn · {weight} đổi trọng số",
        "{added} tasks added · {removed} removed · {deadline} deadlines moved · {weight} weights changed",
    ),
    "plan_first": (
        "Chưa có kế hoạch đang áp dụng: mọi nhiệm vụ trong tệp đều mới.",
        "No plan is in force: every task in the file is new.",
    ),
    "plan_same": ("Không khác kế hoạch đang áp dụng.", "No difference from the plan in force."),
    "plan_added": ("Thêm", "Added"),
    "plan_removed": ("Bỏ", "Removed"),
    "plan_deadline": ("Đổi thời hạn", "Deadline moved"),
    "plan_weight": ("Đổi trọng số", "Weight changed"),
    "code": ("Mã NV", "Code"),
    "total": ("Tổng", "Total"),
    "plan_head_rejected": ("KẾ HOẠCH BỊ TỪ CHỐI — chưa nạp", "PLAN REJECTED — not loaded"),
    "plan_rejected": (
        "{file}: {n} lỗi cần sửa; kế hoạch đang áp dụng giữ nguyên. Sửa các ô dưới đây rồi tải tệp lên lại.",
        "{file}: {n} errors to fix; the plan in force stays. Fix the cells below and upload the file again.",
    ),
    "plan_head_loaded": ("ĐÃ NẠP KẾ HOẠCH", "PLAN LOADED"),
    "plan_loaded": (
        "{file}: {tasks} nhiệm vụ cho {units} đơn vị, áp dụng từ bây giờ ({at}). Bảng đã tính lại theo kế hoạch.",
        "{file}: {tasks} tasks for {units} units, in force from now ({at}). The board now counts against it.",
    ),
    "plan_head_duplicate": ("TRÙNG KẾ HOẠCH ĐANG ÁP DỤNG", "SAME AS THE PLAN IN FORCE"),
    "plan_duplicate": (
        "{file}: giống hệt kế hoạch đang áp dụng; không có gì thay đổi.",
        "{file}: the same file as the plan in force; nothing changes.",
    ),
    "plan_loads_title": ("Các lần nạp kế hoạch phân công", "Task plan loads"),
    "loaded_at": ("Nạp lúc", "Loaded"),
    "loaded_by": ("Người nạp", "Loaded by"),
    "plan_units": ("Số đơn vị", "Units"),
    "in_force": ("Đang áp dụng", "In force"),
    # ---- the unit's own assessment (tự đánh giá) beside the figures
    "rating_ready": ("Đạt", "Ready"),
    "rating_conditional": ("Đạt có điều kiện", "Ready with conditions"),
    "rating_not_ready": ("Chưa đạt", "Not ready"),
    "self_assessment": ("Tự đánh giá", "Own assessment"),
    "hover_assessment": ("Tự đánh giá: {rating}", "Own assessment: {rating}"),
    "hover_assessment_whole": ("Tự đánh giá (toàn đơn vị): {rating}", "Own assessment (whole unit): {rating}"),
    "ready_by_short": ("dự kiến {date}", "ready by {date}"),
    "far_mark": ("⚠ lệch số liệu", "⚠ far from the figures"),
    "far_label": ("lệch", "far off"),
    "far_badge": ("≠ tự đánh giá {rating}", "≠ rates itself {rating}"),
    "heatmap_help_assessment": (
        "“lệch” cạnh tên đơn vị: đơn vị tự đánh giá xa với số liệu (di chuột vào ô để xem).",
        "“far off” beside a unit: its own assessment is far from the figures (hover a cell to read it).",
    ),
    "assessment_title": ("Tự đánh giá của đơn vị", "The unit's own assessment"),
    "assessment_of": ("Theo báo cáo ngày {date}.", "From its report of {date}."),
    "assessment_none": (
        "Đơn vị không gửi tự đánh giá trong báo cáo đang tính (ngày {date}).",
        "The unit sent no assessment of its own with the report that counts (of {date}).",
    ),
    "assessment_scope": ("Phạm vi", "Scope"),
    "assessment_whole": ("Toàn đơn vị", "Whole unit"),
    "assessment_computed": ("Sẵn sàng theo số liệu", "Readiness from the figures"),
    "assessment_remark": ("Nhận xét", "Remark"),
    "assessment_ready_by": ("Dự kiến sẵn sàng", "Ready by"),
    "assessment_check": ("Đối chiếu số liệu", "Against the figures"),
    "assessment_far_title": ("Tự đánh giá lệch số liệu", "Own assessment far from the figures"),
    "far_ready": ("Đơn vị tự đánh giá Đạt nhưng {reasons}", "The unit rates itself Ready but {reasons}"),
    "far_ready_low": ("mức sẵn sàng {value} (dưới {threshold})", "its readiness is {value} (under {threshold})"),
    "far_ready_overdue": ("còn {n} việc quá hạn", "{n} tasks are overdue"),
    "far_and": (" và ", " and "),
    "far_not_ready": (
        "Đơn vị tự đánh giá Chưa đạt nhưng mức sẵn sàng đã {value}",
        "The unit rates itself Not ready but its readiness is already {value}",
    ),
    "assessment_units_title": ("Tự đánh giá của các đơn vị", "The units' own assessments"),
    "assessment_units_help": (
        "Mỗi đơn vị: mức tự đánh giá cho tiểu ban này (không có thì mức cho toàn đơn vị) bên cạnh mức sẵn sàng "
        "tính từ số liệu; các đơn vị lệch số liệu ở đầu.",
        "Each unit's rating for this subcommittee (else its rating of the whole unit) beside the readiness "
        "computed from its figures; those far from the figures first.",
    ),
    "assessment_units_none": (
        "Chưa đơn vị nào có việc ở tiểu ban này gửi tự đánh giá.",
        "No unit with tasks in this subcommittee has sent an assessment of its own.",
    ),
    "assessment_not_sent": ("Không gửi", "None sent"),
    # ---- the coordination meeting (họp giao ban): since the last meeting, forecast, chase list, brief
    "page_meeting": ("Họp giao ban", "Coordination meeting"),
    "meet_since": ("Từ ngày", "Since"),
    "meet_since_help": (
        "Ngày để so sánh: mặc định là cuộc họp giao ban gần nhất trước hôm nay.",
        "The day to compare with: by default the last coordination meeting before today.",
    ),
    "meet_quick": ("Chọn nhanh", "Quick choice"),
    "meet_week_ago": ("Một tuần trước", "A week ago"),
    "meet_compare": (
        "Số liệu hôm nay ({today}) so với ngày {since}{ref}.",
        "Today's figures ({today}) against {since}{ref}.",
    ),
    "meet_next": ("Cuộc họp tới: {name}, {time} ngày {date}.", "Next meeting: {name}, {time} on {date}."),
    "meet_vs_since": ("so với ngày {date}", "against {date}"),
    "meet_sent_nothing": ("Không gửi gì", "Sent nothing"),
    "meet_sent_nothing_help": (
        "Số đơn vị không gửi báo cáo nào ghi ngày sau {date}, trên tổng số đơn vị.",
        "Units that sent no report dated after {date}, out of all units.",
    ),
    "meet_misses": ("Không kịp Ngày N", "Short on D-day"),
    "meet_misses_help": (
        "Dự báo: số ô (đơn vị × tiểu ban) mà đường xu hướng chưa tới 100% vào Ngày N.",
        "Forecast: the cells (unit × subcommittee) whose trend line is short of 100% on D-day.",
    ),
    "meet_to_chase": ("Cần đôn đốc", "To chase"),
    "meet_to_chase_help": (
        "Số đơn vị chưa hoặc chậm báo cáo, có việc quá hạn hoặc việc được giao chưa báo cáo.",
        "Units never or late reporting, or with overdue or assigned tasks not reported.",
    ),
    "tab_since": ("Thay đổi", "Changes"),
    "tab_forecast": ("Dự báo đến Ngày N", "Forecast to D-day"),
    "tab_chase": ("Đôn đốc", "Chase"),
    "tab_brief": ("Báo cáo giao ban", "Meeting brief"),
    "meet_secretariat_only": (
        "Danh sách đôn đốc (người liên hệ, số điện thoại, tin nhắn) và báo cáo giao ban dành cho thư ký: "
        "hãy đăng nhập (ô Đăng nhập ở thanh bên).",
        "The chase list (contacts, phones, messages) and the meeting brief are for the secretariat: log in "
        "(Log in, in the sidebar).",
    ),
    "since_help": (
        "Mỗi đơn vị: mức sẵn sàng ngày {since} → hôm nay và thay đổi; số việc hoàn thành, mới quá hạn và bị giảm "
        "(trạng thái hoặc tỷ lệ thấp hơn trước) từ ngày đó. Kém nhất trước; bấm vào một đơn vị để xem từng tiểu ban.",
        "Each unit: its readiness on {since} → today and the change; the tasks completed, newly overdue and gone "
        "backwards (a lower status or percent than before) since then. Worst first; open a unit for its "
        "subcommittees.",
    ),
    "since_quiet": (
        "{n} đơn vị không gửi gì từ ngày {since}: {units}.",
        "{n} units sent nothing since {since}: {units}.",
    ),
    "since_all_sent": ("Mọi đơn vị đã gửi báo cáo mới từ ngày {since}.", "Every unit sent a new report since {since}."),
    "since_completed": ("{n} xong", "{n} done"),
    "since_became_overdue": ("{n} mới quá hạn", "{n} newly overdue"),
    "since_went_backwards": ("{n} giảm", "{n} went backwards"),
    "since_sent_nothing": ("không gửi gì", "sent nothing"),
    "since_never": ("chưa báo cáo lần nào", "never reported"),
    "since_no_tasks": ("Không có nhiệm vụ nào để so sánh.", "No task to compare."),
    "col_now": ("Hiện nay", "Now"),
    "col_completed": ("Xong", "Done"),
    "col_became_overdue": ("Mới quá hạn", "Newly overdue"),
    "col_went_backwards": ("Giảm", "Backwards"),
    "forecast_fit": (
        "Dự báo theo đường thẳng qua tối đa 4 báo cáo gần nhất của từng đơn vị và tiểu ban (bình phương tối thiểu), "
        "kéo dài đến Ngày N ({d_day}){milestone}. Đơn vị có dưới hai báo cáo không được dự báo.",
        "Forecast by a straight line through at most the last 4 reports of each unit and subcommittee (least "
        "squares), extended to D-day ({d_day}){milestone}. A unit with fewer than two reports gets no forecast.",
    ),
    "forecast_milestone": (" và mốc {name} ({date})", " and the {name} milestone ({date})"),
    "forecast_misses_title": (
        "Dự báo chưa đạt 100% vào Ngày N hoặc mốc tiếp theo ({n})",
        "Projected short of 100% on D-day or at the next milestone ({n})",
    ),
    "forecast_misses_help": (
        "Sắp theo mức còn thiếu vào Ngày N (rồi ở mốc tiếp theo), lớn nhất trước.",
        "By the gap on D-day (then at the next milestone), largest first.",
    ),
    "forecast_no_misses": (
        "Không có đơn vị, tiểu ban nào dự báo chưa đạt 100% vào Ngày N hay ở mốc tiếp theo.",
        "No unit or subcommittee is projected short of 100% on D-day or at the next milestone.",
    ),
    "forecast_all_title": ("Dự báo từng đơn vị và tiểu ban", "Forecast per unit and subcommittee"),
    "forecast_too_few": ("Chưa dự báo, {reason}: {cells}.", "No forecast, {reason}: {cells}."),
    "forecast_one_report": ("chưa đủ 2 báo cáo", "fewer than 2 reports"),
    "forecast_no_report": ("chưa có báo cáo", "no report"),
    "forecast_flat": ("không tăng", "not rising"),
    "forecast_complete": ("đã đạt ({date})", "reached ({date})"),
    "col_rate": ("Tốc độ/tuần", "Pace/week"),
    "col_d_day": ("Ngày N {date}", "D-day {date}"),
    "col_gap": ("Còn thiếu", "Gap"),
    "col_milestone": ("{name} {date}", "{name} {date}"),
    "col_completion": ("Dự kiến đạt 100%", "Projected 100%"),
    "col_reports": ("Số báo cáo", "Reports"),
    "chase_help": (
        "{n} đơn vị cần đôn đốc: chưa hoặc chậm báo cáo, có việc quá hạn hoặc việc được giao chưa báo cáo; "
        "nặng nhất trước. Mỗi đơn vị có tin nhắn soạn sẵn: bấm “Sao chép tin nhắn” rồi dán vào Zalo, tin nhắn "
        "hay thư.",
        "{n} units to chase: never or late reporting, with overdue tasks or assigned tasks not reported; worst "
        "first. Each has a ready message: press “Copy the message” and paste it into a chat, a text or a mail.",
    ),
    "chase_none": ("Không có đơn vị nào cần đôn đốc.", "No unit to chase."),
    "chase_csv": ("Tải danh sách đôn đốc (.csv)", "Download the chase list (.csv)"),
    "chase_file": ("Don doc {date}", "Chase list {date}"),
    "chase_no_contact": ("Cấu hình chưa ghi người liên hệ", "No contact in the config"),
    "chase_stale": ("chậm báo cáo · cuối {date}", "late · last {date}"),
    "copy": ("Sao chép tin nhắn", "Copy the message"),
    "copied": ("Đã sao chép", "Copied"),
    "copy_failed": (
        "Không sao chép được: chọn tin nhắn và sao chép bằng tay",
        "Could not copy: select the message and copy it by hand",
    ),
    "col_level": ("Cấp", "Level"),
    "level_city": ("Thành phố", "City"),
    "level_commune": ("Xã, phường", "Commune or ward"),
    "col_contact": ("Người liên hệ", "Contact"),
    "col_phone": ("Điện thoại", "Phone"),
    "col_days_since": ("Số ngày từ báo cáo cuối", "Days since the last report"),
    "col_report_due": ("Hạn báo cáo mới", "New report due"),
    "col_not_reported": ("Được giao chưa báo cáo", "Assigned, not reported"),
    "col_earliest_deadline": ("Hạn sớm nhất đã trễ", "Earliest deadline missed"),
    "col_most_days_late": ("Trễ nhiều nhất (ngày)", "Most days late"),
    "col_overdue_tasks": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    "col_not_reported_tasks": ("Nhiệm vụ được giao chưa báo cáo", "Assigned tasks not reported"),
    "col_message": ("Tin nhắn", "Message"),
    "yes": ("Có", "Yes"),
    "brief_help": (
        "Báo cáo phục vụ họp giao ban, so với ngày {since}: thể thức văn bản hành chính, đếm ngược, các chỉ số "
        "chính và thay đổi, bản đồ mức sẵn sàng, thay đổi, dự báo, rủi ro và danh sách đôn đốc. PDF để in, DOCX để "
        "sửa trước khi ký, XLSX để tra cứu (mỗi tiểu ban một trang). Tạo khi bấm nút; PDF và DOCX mất vài giây để "
        "vẽ biểu đồ.",
        "The coordination meeting's brief, against {since}: the administrative header, the countdown, the headline "
        "figures and their change, the readiness map, the changes, the forecast, the risks and the chase list. PDF "
        "to print, DOCX to edit before it is signed, XLSX to look things up (a sheet per subcommittee). Built when "
        "you press a button; the PDF and DOCX take a few seconds to draw the charts.",
    ),
    "brief_build": ("Tạo {fmt}", "Build the {fmt}"),
    "brief_download": ("Tải {fmt} ({size} KB)", "Download the {fmt} ({size} KB)"),
    "brief_step_queries": ("Đọc số liệu…", "Reading the figures…"),
    "brief_step_charts": ("Vẽ biểu đồ…", "Drawing the charts…"),
    "brief_step_pdf": ("Dựng tệp PDF…", "Laying out the PDF…"),
    "brief_step_docx": ("Dựng tệp DOCX…", "Writing the DOCX…"),
    "brief_step_xlsx": ("Dựng bảng tính…", "Writing the workbook…"),
    "brief_step_done": ("Xong", "Done"),
    "brief_failed": ("Không tạo được báo cáo: {detail}", "The brief could not be built: {detail}"),
    "brief_file": ("Bao cao giao ban {date}", "Meeting brief {date}"),
    "wall_since_title": ("Thay đổi từ lần giao ban trước", "Since the last meeting"),
    "wall_since_note": ("so với ngày {date}{ref}", "against {date}{ref}"),
    "wall_since_worst": ("Thay đổi kém nhất", "The worst changes"),
    "wall_units_word": ("đơn vị", "units"),
    "wall_since_legend": (
        "▲▼ mức sẵn sàng từ ngày {date} · xanh: tăng · đỏ: giảm",
        "▲▼ readiness since {date} · green: up · red: down",
    ),
    # Errors the core raises for a person to read (readiness.i18n.Problem): one text per language.
    "err_no_account": ("Không có tài khoản '{username}'", "no such account '{username}'"),
    "err_account_exists": ("Tài khoản '{username}' đã có", "account '{username}' already exists"),
    "err_may_not_manage": (
        "{username} ({role}) không được quản lý tài khoản",
        "{username} ({role}) may not manage accounts",
    ),
    "err_may_not_send": ("{username} ({role}) không được gửi báo cáo", "{username} ({role}) may not send reports"),
    "err_replica_read_only": (
        "Đây là bản sao chỉ đọc của bảng theo dõi: hãy rút báo cáo hoặc nạp kế hoạch trên máy chủ chính",
        "This is a read-only replica of the board: withdraw reports or load the plan on the main server",
    ),
    "err_replica_writer_away": (
        "Máy chủ chính chưa nhận tệp (bản sao này chuyển báo cáo cho máy chủ chính): thử lại sau ít phút; "
        "nếu vẫn không được, báo quản trị. Chi tiết: {detail}",
        "The main server did not take the file (this replica hands reports to it): try again in a few "
        "minutes; if it still fails, tell the administrator. Detail: {detail}",
    ),
    "err_replica_no_snapshot": (
        "Chưa có bản chụp dữ liệu nào trong {folder}: máy chủ chính đã bật READINESS_PUBLISH=1 chưa?",
        "No data snapshot in {folder} yet: does the main server run with READINESS_PUBLISH=1?",
    ),
    "err_may_not_plan": (
        "{username} ({role}) không được nạp kế hoạch phân công (chỉ Ban Thư ký)",
        "{username} ({role}) may not load the task plan (secretariat only)",
    ),
    "err_may_not_withdraw": (
        "{username} ({role}) không được rút báo cáo",
        "{username} ({role}) may not withdraw submissions",
    ),
    "err_username": (
        "Tên đăng nhập 3-64 ký tự: chữ không dấu, số, . _ - @",
        "username: 3-64 letters, digits, . _ - @",
    ),
    "err_role": ("Vai trò '{role}' không hợp lệ; chọn {roles}", "unknown role '{role}'; choose {roles}"),
    "err_uploader_units": ("Người gửi báo cáo cần ít nhất một đơn vị", "an uploader needs at least one unit"),
    "err_unknown_units": ("Đơn vị không có trong cấu hình: {units}", "unknown units (not in the config): {units}"),
    "err_wait": ("Đăng nhập sai nhiều lần; thử lại sau {wait} giây", "too many failures; try again in {wait} s"),
    "err_wrong_login": ("Sai tên đăng nhập hoặc mật khẩu", "wrong username or password"),
    "err_password_short": (
        "Mật khẩu cần ít nhất {n} ký tự",
        "the password needs at least {n} characters",
    ),
    "err_reason_needed": ("Cần ghi lý do rút báo cáo", "a reason is required"),
    "err_no_submission": ("Không có lần gửi #{id}", "no submission #{id}"),
    "err_not_counting": ("Lần gửi #{id} không đang được tính", "submission #{id} does not count"),
    "err_no_terminal": (
        "Không có bàn phím để gõ mật khẩu (stdin không phải terminal); chuyển mật khẩu vào với --password-stdin",
        "no terminal to type a password on: pipe it in with --password-stdin",
    ),
    "err_passwords_differ": ("Hai lần nhập không khớp", "the two entries differ"),
    "err_unknown_unit": ("Đơn vị '{unit}' không có; gần nhất: {closest}", "unknown unit '{unit}'; closest: {closest}"),
    # Named queries from outside (the command line's --param, the JSON API's URL)
    "err_unknown_query": (
        "Không có truy vấn '{name}'; có: {available}",
        "no such query '{name}'; available: {available}",
    ),
    "err_param_unknown": (
        "Truy vấn {query} không có tham số '{param}' (giá trị '{value}'); tham số của nó: {known}",
        "query {query} takes no parameter '{param}' (value '{value}'); its parameters: {known}",
    ),
    "err_param_missing": (
        "Truy vấn {query} cần tham số: {params} (để trống là tất cả)",
        "query {query} needs parameters: {params} (empty for all)",
    ),
    "err_param_twice": (
        "Tham số {param} được ghi hai lần (lần sau '{value}'); ghi một lần",
        "parameter {param} is given twice (again as '{value}'); give it once",
    ),
    "err_param_int": (
        "Tham số {param}: '{value}' không phải số nguyên",
        "parameter {param}: '{value}' is not a whole number",
    ),
    "err_param_date": (
        "Tham số {param}: '{value}' không phải ngày dạng YYYY-MM-DD",
        "parameter {param}: '{value}' is not a date as YYYY-MM-DD",
    ),
    # The JSON API and its tokens
    "err_api_token_needed": (
        "Cần mã truy cập: gửi tiêu đề 'Authorization: Bearer <mã>' (Ban Thư ký cấp mã)",
        "a token is needed: send 'Authorization: Bearer <token>' (the secretariat issues tokens)",
    ),
    "err_api_token_invalid": (
        "Mã truy cập không đúng hoặc đã bị thu hồi",
        "the token is wrong or has been revoked",
    ),
    "err_api_no_route": ("Không có địa chỉ này trong API", "no such API address"),
    "err_api_method": ("API chỉ cho đọc (GET)", "the API is read-only (GET)"),
    "err_api_db": ("Không mở được cơ sở dữ liệu: {detail}", "the database cannot be opened: {detail}"),
    "err_token_name": (
        "Tên mã truy cập cần 1-100 ký tự (vd. tên hệ thống hoặc cơ quan dùng nó)",
        "a token's name needs 1-100 characters (e.g. the system or office that uses it)",
    ),
    "err_no_token": ("Không có mã truy cập #{id}", "no token #{id}"),
    "err_token_revoked": ("Mã truy cập #{id} đã bị thu hồi", "token #{id} is already revoked"),
    "err_may_not_tokens": (
        "{username} ({role}) không được cấp hay thu hồi mã truy cập (chỉ Ban Thư ký)",
        "{username} ({role}) may not issue or revoke tokens (secretariat only)",
    ),
}

STATUS_KEYS = STATUSES  # the one list of statuses (readiness.values), each a catalog key here


class Problem(Exception):
    """An error a person must read, as a catalog key and its values: the UI shows it in the page's
    language (``text(lang)``); ``str()`` gives both, for the command line and the log."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(f"{t(key, 'vi', **params)} / {t(key, 'en', **params)}")

    def text(self, lang: str = "vi") -> str:
        return t(self.key, lang, **self.params)


def error_text(exc: BaseException, lang: str = "vi") -> str:
    """What to show a person for an error: its catalog text when it has one."""
    return exc.text(lang) if isinstance(exc, Problem) else str(exc)


def t(key: str, lang: str = "vi", **kw) -> str:
    """The text for key in the language, with placeholders filled."""
    vi, en = STRINGS[key]
    return (en if lang == "en" else vi).format(**kw)


def number(x: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' in Vietnamese, '1,234.5' in English; None -> '–'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def percent(x: float | None, lang: str = "vi", decimals: int = 1) -> str:
    """85.5 -> '85,5%'."""
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else number(x, lang, decimals) + "%"


def date(d: dt.date | None) -> str:
    """dd/mm/yyyy, in both languages (the committee's convention)."""
    return d.strftime("%d/%m/%Y") if d else "–"


def date_short(d: dt.date | None) -> str:
    """dd/mm (for tight labels)."""
    return d.strftime("%d/%m") if d else "–"


def signed(x: float | None, lang: str = "vi", decimals: int = 1) -> str:
    """+5,2 / -1 with the sign always shown."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return ("+" if x > 0 else "") + number(x, lang, decimals)


def _subcommittee(name: str, config):
    return next((s for s in config.subcommittees if name in (s.name, s.short)), None)


def sub_name(name: str, lang: str, config) -> str:
    """A subcommittee's name in the language: in English its config `name_en`, found by its full or
    short name; in Vietnamese (or with no `name_en`) the name as given."""
    if lang != "en" or not isinstance(name, str):
        return name
    s = _subcommittee(name, config)
    return (s.name_en or name) if s else name


def sub_short(name: str, lang: str, config) -> str:
    """A subcommittee's short name (for narrow columns), found by its full or short name: in English
    its config `short_en`, else its `short`; in Vietnamese its `short`."""
    s = _subcommittee(name, config) if isinstance(name, str) else None
    if s is None:
        return name
    return (s.short_en or s.short) if lang == "en" else s.short


def milestone_name(milestone, lang: str) -> str:
    """A milestone's (or phase's) name in the language: its `name_en` in English when the config has one."""
    return milestone.name_en if lang == "en" and milestone.name_en else milestone.name
