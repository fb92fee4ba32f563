"""Errors and warnings the reader gives a unit, each naming sheet, row, column and value, in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass, field

# code -> (Vietnamese, English). Placeholders are filled from Message.params.
CATALOG: dict[str, tuple[str, str]] = {
    "empty_file": (
        "Tệp rỗng (0 byte). Hãy gửi lại tệp bảng tính đã lưu.",
        "The file is empty (0 bytes). Send the saved spreadsheet again.",
    ),
    "too_large": (
        "Tệp {size_mb} MB vượt giới hạn {limit_mb} MB.",
        "The file is {size_mb} MB, over the {limit_mb} MB limit.",
    ),
    "html_as_xls": (
        "Tệp này là trang web (HTML) được đặt tên .xls, không phải bảng tính Excel. Mở bằng Excel rồi 'Lưu thành' (Save As) Excel Workbook (.xlsx) và gửi lại.",
        "This file is a web page (HTML) named .xls, not an Excel workbook. Open it in Excel, 'Save As' Excel Workbook (.xlsx) and send it again.",
    ),
    "encrypted": (
        "Tệp có đặt mật khẩu nên không đọc được. Hãy bỏ mật khẩu (File > Info > Protect Workbook) và gửi lại.",
        "The file is password-protected and cannot be read. Remove the password and send it again.",
    ),
    "unreadable": (
        "Không đọc được tệp ({detail}). Tệp có thể bị hỏng hoặc gửi thiếu; chấp nhận .xlsx, .xlsm, .xls, .ods, .csv.",
        "The file cannot be read ({detail}). It may be damaged or truncated; accepted: .xlsx, .xlsm, .xls, .ods, .csv.",
    ),
    "unsafe_file": (
        "Không đọc được tệp một cách an toàn: {detail}. Hãy mở tệp bằng Excel hoặc LibreOffice, xóa các ô thừa "
        "ở xa bảng, lưu lại (.xlsx) và gửi lại.",
        "The file could not be read safely: {detail}. Open it in Excel or LibreOffice, delete stray cells far from "
        "the table, save it (.xlsx) and send it again.",
    ),
    "too_many_rows": (
        "Trang có dữ liệu ở dòng {row}, quá {max_rows} dòng của một bảng tiến độ: hệ thống không cắt bớt. "
        "Hãy xóa các dòng thừa (hoặc tách thành nhiều tệp) rồi gửi lại.",
        "The sheet has data on row {row}, past the {max_rows} rows of a checklist; nothing is cut silently. "
        "Delete the extra rows (or split the file) and send it again.",
    ),
    "sheet_too_big": (
        "Trang '{sheet}' trải tới ô {cell} ({rows} dòng × {cols} cột), vượt xa một bảng tiến độ (tối đa {max_rows} "
        "dòng × {max_cols} cột). Hãy xóa các ô thừa ở xa bảng, lưu lại và gửi lại.",
        "Sheet '{sheet}' reaches cell {cell} ({rows} rows × {cols} columns), far beyond a checklist (at most "
        "{max_rows} rows × {max_cols} columns). Delete the stray cells far from the table, save and send again.",
    ),
    "zip_bomb": (
        "Tệp giải nén ra {size_mb} MB (quá {limit_mb} MB): không phải một bảng tiến độ bình thường. Hãy lưu lại "
        "bảng tính chỉ với các trang cần thiết rồi gửi lại.",
        "The file unpacks to {size_mb} MB (over {limit_mb} MB): not an ordinary checklist. Save the workbook with "
        "only the sheets needed and send it again.",
    ),
    "macros_ignored": (
        "Tệp có macro (VBA); macro không bao giờ được chạy, chỉ đọc số liệu trong các ô.",
        "The file carries macros (VBA); they are never run, only the cell values are read.",
    ),
    "unsupported": (
        "Định dạng tệp '{ext}' không được hỗ trợ; chấp nhận .xlsx, .xlsm, .xls, .ods, .csv.",
        "File type '{ext}' is not supported; accepted: .xlsx, .xlsm, .xls, .ods, .csv.",
    ),
    "no_table": (
        "Không tìm thấy bảng nhiệm vụ: trong 30 dòng đầu của mỗi trang không có dòng tiêu đề có cột 'Nội dung công việc' và cột 'Trạng thái' hoặc 'Tỷ lệ (%)'.",
        "No task table found: no sheet has, in its first 30 rows, a header row with a 'Nội dung công việc' (task) column and a 'Trạng thái' (status) or 'Tỷ lệ (%)' (percent) column.",
    ),
    "header_no_progress": (
        "Dòng tiêu đề có cột nội dung nhưng thiếu cột 'Trạng thái' hoặc 'Tỷ lệ (%)'.",
        "The header row has a task column but neither a 'Trạng thái' (status) nor a 'Tỷ lệ (%)' (percent) column.",
    ),
    "no_tasks": (
        "Bảng nhiệm vụ không có dòng công việc nào (mẫu trống). Hãy điền nhiệm vụ rồi gửi lại.",
        "The task table has no task rows (a blank template). Fill in the tasks and send it again.",
    ),
    "unit_unknown": (
        "Đơn vị '{value}' không có trong danh sách đơn vị của cuộc diễn tập. Gần nhất: {suggestions}.",
        "Unit '{value}' is not one of the exercise's units. Closest: {suggestions}.",
    ),
    "unit_missing": (
        "Không xác định được đơn vị: không có cột 'Đơn vị', không có ô 'Đơn vị: ...' ở phần đầu, và chưa chọn đơn vị khi gửi.",
        "The unit is not known: no 'Đơn vị' column, no 'Đơn vị: ...' cell in the header block, and none chosen when sending.",
    ),
    "unit_conflict": (
        "Tệp ghi đơn vị '{value}' nhưng được gửi cho đơn vị '{chosen}'. Một tệp là báo cáo của một đơn vị.",
        "The file names unit '{value}' but was sent for '{chosen}'. One file is one unit's report.",
    ),
    "unit_mixed": (
        "Đơn vị '{value}' khác với đơn vị '{first}' ở các dòng trên. Một tệp là báo cáo của một đơn vị.",
        "Unit '{value}' differs from '{first}' in the rows above. One file is one unit's report.",
    ),
    "not_your_unit": (
        "Tài khoản {user} chỉ được gửi báo cáo cho: {units}. Tệp này là báo cáo của '{value}'.",
        "Account {user} may send reports only for: {units}. This file is the report of '{value}'.",
    ),
    "subcommittee_unknown": (
        "Tiểu ban '{value}' không có trong danh sách. Gần nhất: {suggestions}. Danh sách: {accepted}.",
        "Subcommittee '{value}' is unknown. Closest: {suggestions}. All: {accepted}.",
    ),
    "subcommittee_missing": (
        "Nhiệm vụ chưa có tiểu ban: thêm cột 'Tiểu ban', đặt tên trang theo tiểu ban, hoặc thêm dòng tiêu đề mục (vd. 'I. Tiểu ban văn kiện').",
        "The task has no subcommittee: add a 'Tiểu ban' column, name the sheet after the subcommittee, or add a section heading (e.g. 'I. Tiểu ban văn kiện').",
    ),
    "status_unknown": (
        "Trạng thái '{value}' không hiểu được. Chấp nhận: Hoàn thành, Đang thực hiện, Chưa thực hiện, Vướng mắc, Không áp dụng (hoặc để trống và ghi tỷ lệ %).",
        "Status '{value}' is not understood. Accepted: Hoàn thành (done), Đang thực hiện (in progress), Chưa thực hiện (not started), Vướng mắc (blocked), Không áp dụng (n/a), or blank with a percent.",
    ),
    "status_ticks_conflict": (
        "Dòng này đánh dấu hai trạng thái: ô này ('{value}') và ô {other}. Chỉ đánh dấu một cột trạng thái.",
        "This row marks two statuses: this cell ('{value}') and cell {other}. Mark one status column only.",
    ),
    # The unit's own assessment
    "assessment_rating_unknown": (
        "Mức tự đánh giá '{value}' không hiểu được. Chấp nhận: Đạt (hoặc Sẵn sàng), Đạt có điều kiện (hoặc Cơ bản "
        "sẵn sàng, Cơ bản đạt), Chưa đạt (hoặc Chưa sẵn sàng).",
        "Self-assessment rating '{value}' is not understood. Accepted: Đạt or Sẵn sàng (ready), Đạt có điều kiện, "
        "Cơ bản sẵn sàng or Cơ bản đạt (ready with conditions), Chưa đạt or Chưa sẵn sàng (not ready).",
    ),
    "assessment_subcommittee_unknown": (
        "Tiểu ban '{value}' trong phần tự đánh giá không có trong danh sách. Gần nhất: {suggestions}. Danh sách: "
        "{accepted}; ghi 'Chung' cho cả đơn vị.",
        "Subcommittee '{value}' in the self-assessment is unknown. Closest: {suggestions}. All: {accepted}; write "
        "'Chung' for the whole unit.",
    ),
    "assessment_ready_by_invalid": (
        "Thời gian dự kiến sẵn sàng '{value}' không phải ngày (ghi dd/mm/yyyy, ví dụ 30/10/2023): bỏ trống ngày này.",
        "Ready-by date '{value}' is not a date (write dd/mm/yyyy, e.g. 30/10/2023): it is left empty.",
    ),
    "assessment_repeated": (
        "'{value}' đã được tự đánh giá ở trang \"{first_sheet}\", dòng {first_row}: giữ đánh giá đó, bỏ qua đánh "
        "giá ở dòng này.",
        "'{value}' is already self-assessed on sheet \"{first_sheet}\", row {first_row}: that assessment is kept, "
        "the one on this row is ignored.",
    ),
    "percent_invalid": (
        "Tỷ lệ '{value}' không phải số. Ghi số từ 0 đến 100, ví dụ 80 hoặc 80% hoặc 80,5.",
        "Percent '{value}' is not a number. Write a number from 0 to 100, e.g. 80, 80% or 80,5.",
    ),
    "percent_range": (
        "Tỷ lệ {value} nằm ngoài khoảng 0-100%.",
        "Percent {value} is outside 0-100%.",
    ),
    "done_not_100": (
        "Trạng thái 'Hoàn thành' nhưng tỷ lệ {value}%: tính là hoàn thành (theo trạng thái).",
        "Status 'done' but percent {value}%: counted as done (the status wins).",
    ),
    "100_not_started": (
        "Tỷ lệ 100% nhưng trạng thái 'Chưa thực hiện': tính là chưa thực hiện (theo trạng thái).",
        "Percent 100% but status 'not started': counted as not started (the status wins).",
    ),
    "deadline_invalid": (
        "Thời hạn '{value}' không phải ngày (ghi dd/mm/yyyy, ví dụ 15/09/2023): bỏ trống thời hạn của dòng này.",
        "Deadline '{value}' is not a date (write dd/mm/yyyy, e.g. 15/09/2023): the row's deadline is left empty.",
    ),
    "weight_invalid": (
        "Trọng số '{value}' không hợp lệ (cần số dương): dùng trọng số 1.",
        "Weight '{value}' is not valid (a positive number is needed): weight 1 is used.",
    ),
    "number_not_finite": (
        "Ô ghi '{value}': không phải một số dùng được (NaN hoặc vô cực, thường do công thức lỗi hay số quá lớn). "
        "Hãy ghi một số bình thường: tỷ lệ từ 0 đến 100, trọng số lớn hơn 0 và không quá 1000, ngày dạng dd/mm/yyyy.",
        "The cell holds '{value}': not a usable number (NaN or infinity, usually a broken formula or a number too "
        "large). Write an ordinary number: a percent from 0 to 100, a weight above 0 and at most 1000, a date as "
        "dd/mm/yyyy.",
    ),
    "weight_range": (
        "Trọng số {value} quá lớn: chấp nhận số lớn hơn 0 và không quá {max}.",
        "Weight {value} is too large: a number above 0 and at most {max} is accepted.",
    ),
    "deadline_out_of_range": (
        "Thời hạn '{value}' quá xa thời gian diễn tập: chấp nhận ngày từ {first} đến {last}, ghi dd/mm/yyyy "
        "(ví dụ 15/09/2023).",
        "Deadline '{value}' is too far from the exercise: a date from {first} to {last} is accepted, written "
        "dd/mm/yyyy (e.g. 15/09/2023).",
    ),
    "report_date_out_of_range": (
        "Ngày báo cáo '{value}' không hợp lệ: chấp nhận ngày từ {first} đến {last} (không sau ngày nhận tệp "
        "{arrived}, không cách ngày diễn tập quá hai năm). Hãy ghi ngày lập báo cáo, dạng dd/mm/yyyy.",
        "Report date '{value}' is not valid: a date from {first} to {last} is accepted (not after the file arrived on "
        "{arrived}, not more than two years from the exercise). Write the day the report was made, as dd/mm/yyyy.",
    ),
    "formula_uncached": (
        "Ô có công thức nhưng chưa có kết quả tính (tệp do phần mềm tạo và chưa từng được mở bằng bảng tính). "
        "Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại.",
        "The cell holds a formula with no computed value (the file was written by a program and never opened in a "
        "spreadsheet). Open the file in Excel or LibreOffice, save it and send it again.",
    ),
    "task_code_duplicate": (
        "Mã nhiệm vụ '{value}' đã dùng ở trang \"{first_sheet}\", dòng {first_row}: hai dòng được tính là hai "
        "nhiệm vụ. Mỗi nhiệm vụ cần một mã riêng; nếu là một việc, hãy xóa dòng lặp.",
        "Task code '{value}' is already used on sheet \"{first_sheet}\", row {first_row}: the two rows count as two "
        "tasks. Give each task its own code; if they are one task, delete the repeated row.",
    ),
    "plan_deadline_moved": (
        "Thời hạn '{value}' khác thời hạn trong kế hoạch phân công ({planned}): bảng theo dõi tính theo "
        "thời hạn của kế hoạch.",
        "Deadline '{value}' differs from the task plan's ({planned}): the board counts the plan's deadline.",
    ),
    "report_date_invalid": (
        "Ngày báo cáo '{value}' không đọc được: dùng ngày nhận tệp.",
        "Report date '{value}' cannot be read: the day the file arrived is used.",
    ),
    # The assigned task plan
    "plan_no_table": (
        "Không tìm thấy bảng phân công nhiệm vụ: trong 30 dòng đầu của mỗi trang không có dòng tiêu đề có cột "
        "'Nội dung công việc' (nhiệm vụ) và cột 'Đơn vị chủ trì' (đơn vị được giao). Hãy thêm hai cột này rồi "
        "tải lại kế hoạch.",
        "No task plan table found: no sheet has, in its first 30 rows, a header row with a 'Nội dung công việc' "
        "(task) column and an 'Đơn vị chủ trì' (assigned unit) column. Add these two columns and load the plan "
        "again.",
    ),
    "plan_unit_column_missing": (
        "Dòng tiêu đề có cột nhiệm vụ nhưng thiếu cột đơn vị được giao. Hãy thêm cột 'Đơn vị chủ trì' (hoặc "
        "'Đơn vị thực hiện', 'Đơn vị') ghi đơn vị nhận từng nhiệm vụ rồi tải lại kế hoạch.",
        "The header row has a task column but no column for the assigned unit. Add an 'Đơn vị chủ trì' (or "
        "'Đơn vị thực hiện', 'Đơn vị') column naming the unit given each task and load the plan again.",
    ),
    "plan_no_tasks": (
        "Kế hoạch không có dòng nhiệm vụ nào (mẫu trống). Hãy điền nhiệm vụ và đơn vị được giao rồi tải lại.",
        "The plan has no task rows (a blank template). Fill in the tasks and their units and load it again.",
    ),
    "plan_unit_missing": (
        "Nhiệm vụ '{task}' chưa ghi đơn vị được giao. Ghi tên đơn vị vào ô này; nhiều đơn vị thì cách nhau bởi "
        "dấu phẩy, dấu chấm phẩy hoặc xuống dòng.",
        "Task '{task}' names no unit. Write the unit's name in this cell; separate several units with a comma, "
        "a semicolon or a line break.",
    ),
    "plan_unit_unknown": (
        "Đơn vị '{value}' không có trong danh sách đơn vị của cuộc diễn tập. Gần nhất: {suggestions}. Hãy ghi "
        "đúng tên đơn vị; nhiều đơn vị thì cách nhau bởi dấu phẩy, dấu chấm phẩy hoặc xuống dòng.",
        "Unit '{value}' is not one of the exercise's units. Closest: {suggestions}. Write the unit's name as "
        "listed; separate several units with a comma, a semicolon or a line break.",
    ),
    "plan_task_code_duplicate": (
        "Mã nhiệm vụ '{value}' đã giao cho đơn vị '{unit}' ở trang \"{first_sheet}\", dòng {first_row}: kế "
        "hoạch phải rõ ràng, mỗi mã chỉ giao một lần cho một đơn vị. Xóa dòng lặp hoặc đặt mã khác cho nhiệm vụ "
        "này.",
        "Task code '{value}' is already given to unit '{unit}' on sheet \"{first_sheet}\", row {first_row}: the "
        "plan must be unambiguous, each code given to a unit once. Delete the repeated row or give this task "
        "another code.",
    ),
    "plan_task_duplicate": (
        "Nhiệm vụ '{value}' (không có mã) đã giao cho đơn vị '{unit}' trong cùng tiểu ban ở trang "
        '"{first_sheet}", dòng {first_row}: báo cáo không phân biệt được hai dòng. Ghi mã nhiệm vụ (cột '
        "'Mã NV') cho mỗi dòng, sửa nội dung cho khác nhau, hoặc xóa dòng lặp.",
        "Task '{value}' (no code) is already given to unit '{unit}' in the same subcommittee on sheet "
        '"{first_sheet}", row {first_row}: a report cannot tell the two rows apart. Give each row a task code '
        "('Mã NV' column), word them differently, or delete the repeated row.",
    ),
    "plan_code_text_differs": (
        "Mã '{task_code}' ở trang \"{first_sheet}\", dòng {first_row} là nhiệm vụ '{first_task}', ở đây là "
        "'{value}'. Một mã nên chỉ một nhiệm vụ: kiểm tra lại mã hoặc nội dung.",
        "Code '{task_code}' on sheet \"{first_sheet}\", row {first_row} is task '{first_task}', here it is "
        "'{value}'. One code should name one task: check the code or the text.",
    ),
}


@dataclass
class Message:
    """One error or warning at a place in a file; row is 1-based as the spreadsheet shows it."""

    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "vi") -> str:
        vi, en = CATALOG[self.code]
        template = en if lang == "en" else vi
        return template.format(value="" if self.value is None else self.value, **self.params)

    @property
    def message(self) -> str:
        return self.text("vi")

    @property
    def message_en(self) -> str:
        return self.text("en")

    def where(self, lang: str = "vi") -> str:
        """'Trang "X", dòng 7, cột "Tỷ lệ"' - the place, as a clerk finds it."""
        parts = []
        if self.sheet:
            parts.append(("Trang" if lang == "vi" else "Sheet") + f' "{self.sheet}"')
        if self.row:
            parts.append(("dòng" if lang == "vi" else "row") + f" {self.row}")
        if self.column:
            parts.append(("cột" if lang == "vi" else "column") + f' "{self.column}"')
        return ", ".join(parts)

    def to_dict(self) -> dict:
        value = self.value
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
            "message_en": self.message_en,
            "code": self.code,
            "params": self.params,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Message:
        return cls(d["code"], d.get("sheet"), d.get("row"), d.get("column"), d.get("value"), d.get("params", {}))
