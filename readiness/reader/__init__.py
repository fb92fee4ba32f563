"""Read a unit's checklist spreadsheet into tasks, or exact errors. Pure: bytes in, a Report out.

The contract is ../shared/docs/checklist-format.md: the header row anywhere in the first 30 rows,
administrative header blocks, merged titles, two-row headers, section headings that set the
subcommittee, totals and signature blocks skipped; tolerant names and values; day-first dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath

import python_calamine as pc
from rapidfuzz import fuzz, process

from ..config import Config
from ..messages import Message
from ..text import clean, fold, fold_words, strip_controls
from ..values import (
    DONE,
    IN_PROGRESS,
    MAX_WEIGHT,
    NOT_STARTED,
    BadValue,
    find_long_date,
    parse_date,
    parse_percent,
    parse_status,
    parse_weight,
    shown,
)
from .formulas import uncached_formulas

HEADER_SCAN_ROWS = 30
MAX_ROWS = 20_000  # a checklist has hundreds of rows; more is a broken or hostile file
MAX_COLS = 200
MAX_UNZIPPED = 200 * 1024 * 1024  # a checklist unpacks to a few MB; more is a zip bomb

# Column meaning -> accepted header names (folded when used).
COLUMNS: dict[str, list[str]] = {
    "code": ["Mã", "Mã nhiệm vụ", "Mã NV", "Mã công việc", "Mã số", "Code", "ID", "Task ID"],
    "task": [
        "Nội dung",
        "Nội dung công việc",
        "Nhiệm vụ",
        "Công việc",
        "Task",
        "Nội dung nhiệm vụ",
        "Tên nhiệm vụ",
        "Tên công việc",
        "Nội dung thực hiện",
        "Tasks",
    ],
    "subcommittee": ["Tiểu ban", "Tiểu ban phụ trách", "Subcommittee", "Thuộc tiểu ban", "Tiểu ban chủ trì"],
    "deadline": [
        "Thời hạn",
        "Hạn hoàn thành",
        "Thời gian hoàn thành",
        "Deadline",
        "Hạn",
        "Thời hạn hoàn thành",
        "Due",
        "Due date",
        "Ngày hoàn thành",
    ],
    "status": ["Trạng thái", "Tình trạng", "Kết quả thực hiện", "Status", "Kết quả", "Tình trạng thực hiện"],
    "percent": [
        "Tỷ lệ",
        "Tỷ lệ hoàn thành",
        "% hoàn thành",
        "Tiến độ (%)",
        "Tiến độ",
        "Percent",
        "%",
        "Tỉ lệ",
        "Tỉ lệ hoàn thành",
        "Percent complete",
        "% complete",
        "Mức độ hoàn thành",
    ],
    "owner": [
        "Người phụ trách",
        "Cán bộ phụ trách",
        "Phụ trách",
        "Owner",
        "Người thực hiện",
        "Cán bộ thực hiện",
        "Người chịu trách nhiệm",
    ],
    "weight": ["Trọng số", "Weight"],
    "note": ["Ghi chú", "Vướng mắc", "Note", "Notes", "Khó khăn, vướng mắc", "Khó khăn vướng mắc"],
    "unit": ["Đơn vị", "Unit", "Đơn vị thực hiện", "Đơn vị báo cáo"],
    "seq": ["STT", "TT", "Số TT", "Số thứ tự", "No", "#"],
}
_EXACT = {fold(name): meaning for meaning, names in COLUMNS.items() for name in names if fold(name)}
_PREFIXES = sorted(((k, m) for k, m in _EXACT.items() if len(k) >= 5), key=lambda km: -len(km[0]))
_NOT_COLUMNS = {"donvitinh"}  # "Đơn vị tính" is a unit of measure, not the reporting unit

SIGNATURE_MARKS = (
    "nguoilapbieu",
    "nguoilap",
    "thutruongdonvi",
    "thutruongcoquan",
    "tmubnd",
    "tmuybannhandan",
    "tmbanchihuy",
    "tmdanguy",
    "xacnhancua",
    "kytenvadongdau",
    "kyghirohoten",
    "nguoibaocao",
    "noinhan",
)
TOTAL_MARKS = ("tongcong", "tongso", "cong", "total", "tong")
ISSUER_MARKS = ("ubnd", "uybannhandan", "thanhuy", "danguy", "huyenuy", "banchidao", "bantochuc")
_ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_HEADING_PREFIX = re.compile(r"^\s*(?:[IVXLC]+|[A-Ea-e])\s*[.\-/)]\s*|^\s*(?:PHẦN|Phần|MỤC|Mục)\s+\S+\s*[.:\-]?\s*")
_NUMBERING_CELL = re.compile(r"^\(?\d{1,2}\)?$")


class ReadError(Exception):
    """The file as a whole cannot be read."""

    def __init__(self, message: Message):
        super().__init__(message.message)
        self.msg = message


@dataclass
class Sheet:
    name: str
    rows: list[list]
    _texts: list[list[str]] | None = field(default=None, repr=False)

    @property
    def texts(self) -> list[list[str]]:
        """Each cell as clean text ('' for blank), computed once."""
        if self._texts is None:
            self._texts = [[_cell_text(v) for v in row] for row in self.rows]
        return self._texts


@dataclass
class Task:
    sheet: str
    row: int
    code: str | None
    task: str
    task_key: str
    subcommittee: str
    deadline: dt.date | None
    status: str
    percent: float | None
    owner: str | None
    weight: float
    note: str | None
    extra: dict = field(default_factory=dict)


@dataclass
class Report:
    """What the reader makes of one file."""

    filename: str
    kind: str = ""
    unit: str | None = None
    report_date: dt.date | None = None
    tasks: list[Task] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def status(self) -> str:
        return "accepted" if self.accepted else "rejected"


# ---------------------------------------------------------------- loading sheets


def col_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sniff_kind(data: bytes, filename: str) -> str:
    """The file's real kind from its first bytes: xlsx/ods (zip), xls (OLE2), html, csv or unknown."""
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        return "ods" if b"opendocument" in data[:200] else "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        return "xls"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in stripped[:512]:
        return "html"
    ext = PurePath(filename).suffix.lower()
    if ext in (".csv", ".txt", "") or b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    return "unknown"


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM or not); else Windows-1258 when its tone marks compose into Vietnamese letters or it
    has letters only Vietnamese uses (ă, đ, ơ, ư); else Windows-1252. Returned in NFC."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return unicodedata.normalize("NFC", data.decode("utf-32", errors="replace"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" and some exports are UTF-16
        return unicodedata.normalize("NFC", data.decode("utf-16", errors="replace"))
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    vietnamese = data.decode("cp1258", errors="replace")
    composed = unicodedata.normalize("NFC", vietnamese)
    if len(composed) < len(vietnamese) or any(c in composed for c in "ăđơưĂĐƠƯ"):
        return composed
    return unicodedata.normalize("NFC", data.decode("cp1252", errors="replace"))


def read_csv(data: bytes, sheet_name: str = "csv") -> list[list]:
    text = decode_csv(data)
    sample = "\n".join(text.splitlines()[:50])
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    rows = []
    try:
        for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
            if i >= MAX_ROWS:
                if any(cell.strip() for cell in row):  # trailing empty rows are harmless; more data is not
                    raise ReadError(too_many_rows(sheet_name, i + 1))
                continue
            rows.append(row[:MAX_COLS])
    except csv.Error as exc:  # e.g. one field past the limit: an unclosed quote swallowing the file
        raise ReadError(Message("unreadable", params={"detail": f"CSV, dòng/line {len(rows) + 1}: {exc}"})) from exc
    return rows


def too_many_rows(sheet: str, row: int) -> Message:
    """A sheet with data past the row limit: refused, never silently cut."""
    return Message("too_many_rows", sheet, row, None, None, {"max_rows": str(MAX_ROWS), "row": str(row)})


def _fill_vertical_merges(rows: list[list], merges) -> None:
    # A clerk merges the "Tiểu ban" cell over the tasks under it; each row needs the value.
    for (r0, c0), (r1, _c1) in merges or ():
        if r1 <= r0 or r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if c0 < len(row) and row[c0] == "":
                row[c0] = value


def _check_zip(data: bytes) -> None:
    """Refuse a workbook that unpacks to far more than a checklist could (before anything unpacks it)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        return  # calamine reports the damage in its own words
    if total > MAX_UNZIPPED:
        raise ReadError(
            Message("zip_bomb", params={"size_mb": str(total // 1048576), "limit_mb": str(MAX_UNZIPPED // 1048576)})
        )


MAX_CELLS = 4_000_000  # a parser holds a sheet as a dense grid: A1 + XFD1048576 asks for 550 GB
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"[^>]*?(/?)>")
_SHEET_DEF = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?>")
_ATTR = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*?>")


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_members(z) -> dict[str, str]:
    """Worksheet part -> sheet name, from workbook.xml and its relationships (regex: no XML parser
    ever sees a hostile file's entities)."""
    try:
        book = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for m in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(m.group(0)))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[attrs.get(b"Id", b"")] = target if target.startswith("xl/") else "xl/" + target
    out = {}
    for m in _SHEET_DEF.finditer(book):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(m.group(0))}
        if b"id" in attrs and attrs[b"id"] in targets:
            out[targets[attrs[b"id"]]] = attrs.get(b"name", b"?").decode("utf-8", "replace")
    return out


def check_dimensions(data: bytes) -> None:
    """Refuse an .xlsx whose sheet spans more cells than a checklist could, before any parser builds
    its grid: the cell references are scanned in the compressed stream, chunk by chunk."""
    import zipfile

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    with z:
        try:
            names = _sheet_members(z)
            for info in z.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _check_sheet_part(z, info, clean(names.get(info.filename, info.filename)))
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a part longer than the zip says, or cut short
            raise ReadError(Message("unreadable", params={"detail": f"zip: {str(exc)[:120]}"})) from exc


def _check_sheet_part(z, info, sheet: str) -> None:
    """Scan one worksheet part, a chunk at a time, for the far corner of its cells (a row past the
    limit holding a value is refused too). The last bytes of a chunk are scanned with the next."""
    max_row = max_col = 0
    far = b""
    with z.open(info) as f:
        buf = f.read(1 << 20)
        while buf:
            more = f.read(1 << 20)
            cut = len(buf) - 512 if more else len(buf)
            for m in _CELL_REF.finditer(buf, 0, len(buf)):
                if m.start() >= cut:
                    break
                if m.group(3):  # <c r="XFD1" s="1"/>: formatted but empty, no parser keeps it
                    continue
                row, col = int(m.group(2)), _col_index(m.group(1))
                if row > max_row or col > max_col:
                    max_row, max_col = max(row, max_row), max(col, max_col)
                    if max_row * max_col > MAX_CELLS or col > 16384 or row > 1048576:
                        far = m.group(1) + m.group(2)
                        break
            if far:
                break
            if max_row > MAX_ROWS:
                raise ReadError(too_many_rows(sheet, max_row))
            buf = buf[cut:] + more if more else b""
    if far:
        params = {
            "sheet": sheet,
            "cell": far.decode("ascii"),
            "rows": str(max_row),
            "cols": str(max_col),
            "max_rows": str(MAX_ROWS),
            "max_cols": str(MAX_COLS),
        }
        raise ReadError(Message("sheet_too_big", params=params))


def has_macros(data: bytes) -> bool:
    """An .xlsm/.xls with a VBA project (never run; the reader only says so)."""
    if data.startswith(b"PK"):
        return b"vbaProject.bin" in data[-65536:]  # the zip's central directory names every part
    return data.startswith(b"\xd0\xcf\x11\xe0") and "_VBA_PROJECT".encode("utf-16-le") in data


def load_sheets(data: bytes, filename: str) -> tuple[str, list[Sheet]]:
    """The visible sheets of a workbook (or the one of a CSV) as lists of rows from A1."""
    if not data:
        raise ReadError(Message("empty_file"))
    kind = sniff_kind(data, filename)
    if kind == "html":
        raise ReadError(Message("html_as_xls"))
    if kind == "encrypted":
        raise ReadError(Message("encrypted"))
    if kind == "csv":
        name = PurePath(filename).stem or "csv"
        return kind, [Sheet(name, read_csv(data, name))]
    if kind == "unknown":
        raise ReadError(Message("unsupported", params={"ext": PurePath(filename).suffix or "?"}))
    if kind in ("xlsx", "ods"):
        _check_zip(data)
    if kind == "xlsx":
        check_dimensions(data)
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in wb.sheets_metadata:
            if str(meta.visible) != str(pc.SheetVisibleEnum.Visible) or str(meta.typ) != str(
                pc.SheetTypeEnum.WorkSheet
            ):
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
            if len(rows) > MAX_ROWS:
                if any(v not in ("", None) for v in rows[MAX_ROWS]):
                    raise ReadError(too_many_rows(meta.name, MAX_ROWS + 1))
                rows = rows[:MAX_ROWS]
            rows = [list(r[:MAX_COLS]) for r in rows]
            try:
                _fill_vertical_merges(rows, sheet.merged_cell_ranges)
            except Exception:  # merged ranges are a nicety; a workbook without them still reads
                pass
            sheets.append(Sheet(meta.name, rows))
    except ReadError:
        raise
    except pc.PasswordError as exc:
        raise ReadError(Message("encrypted")) from exc
    except Exception as exc:  # calamine raises several kinds for damaged files
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ReadError(Message("unreadable", params={"detail": detail})) from exc
    return kind, sheets


# ---------------------------------------------------------------- matching names


def column_meaning(header: object) -> str | None:
    """What a header cell names ('Tỷ lệ hoàn thành (%)' -> 'percent'), or None."""
    return _meaning_of(fold(header))


@lru_cache(maxsize=16384)
def _meaning_of(key: str) -> str | None:
    if not key or key in _NOT_COLUMNS or len(key) > 60:  # header names are short; task texts are not
        return None
    if key in _EXACT:
        return _EXACT[key]
    if "%" in key and (bare := key.replace("%", "")) in _EXACT:  # "Tỷ lệ (%)" names the percent column
        return _EXACT[bare]
    for prefix, meaning in _PREFIXES:
        if key.startswith(prefix):
            return meaning
    return None


_WORD_FORMS = {"p": "phuong", "x": "xa", "tp": "thanh pho", "tt": "thi tran", "q": "quan", "h": "huyen"}


def canon_unit(text: object) -> str:
    """A unit's name reduced for matching: 'UBND P. Yên Bình' and 'phuong yen binh' agree."""
    words = fold_words(text).split()
    words = [_WORD_FORMS.get(w, w) for w in words]
    s = " ".join(words)
    for prefix in ("ubnd ", "uy ban nhan dan "):
        if s.startswith(prefix) and len(s) > len(prefix):
            s = s[len(prefix) :]
    return s.replace(" ", "")


class Names:
    """Known units and subcommittees of an exercise, matched tolerantly."""

    def __init__(self, config: Config):
        self.config = config
        self.units: dict[str, str] = {}
        for u in config.units:
            for n in (u.name, *u.aliases):
                self.units[canon_unit(n)] = u.name
        self.subs: dict[str, str] = {}
        self._sub_cache: dict[str, str | None] = {}
        for s in config.subcommittees:
            for n in (s.name, s.short, *s.aliases):
                self.subs[fold(n)] = s.name
                self.subs[self._sub_key(n)] = s.name

    @staticmethod
    def _sub_key(text: object) -> str:
        key = fold(_HEADING_PREFIX.sub("", clean(str(text))))
        for prefix in ("tieuban", "tb"):
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                return key[len(prefix) :]
        return key

    def unit(self, text: object) -> str | None:
        return self.units.get(canon_unit(text)) if text else None

    def unit_suggestions(self, text: object, limit: int = 3) -> list[str]:
        choices = {u.name: canon_unit(u.name) for u in self.config.units}
        found = process.extract(canon_unit(text), choices, scorer=fuzz.WRatio, limit=limit)
        return [name for _, _, name in found]

    def subcommittee(self, text: object) -> str | None:
        if not text:
            return None
        key = fold(text)
        if key not in self._sub_cache:
            self._sub_cache[key] = self.subs.get(key) or self.subs.get(self._sub_key(text))
        return self._sub_cache[key]


# ---------------------------------------------------------------- finding the table


@dataclass
class Header:
    row: int  # 0-based index of the (last) header row
    columns: dict[str, int]  # meaning -> column index
    names: dict[int, str]  # column index -> header text as written
    extras: dict[int, str]  # unrecognized columns kept as notes

    @property
    def has_progress(self) -> bool:
        return "status" in self.columns or "percent" in self.columns


def _cell_text(value: object) -> str:
    if value.__class__ is str:
        return clean(value) if value else ""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _header_from(cells: list[str], meanings: list[str | None]) -> tuple[dict[str, int], dict[int, str]]:
    columns: dict[str, int] = {}
    names: dict[int, str] = {}
    for i, text in enumerate(cells):
        meaning = meanings[i]
        if meaning and meaning not in columns:
            columns[meaning] = i
        if text:
            names[i] = text
    return columns, names


def find_header(sheet: Sheet) -> Header | None:
    """The task table's header row in the first 30 rows (a two-row header is merged into one).

    The first row that names a task column and a status or percent column wins (merged with the
    row under it when that names more columns); scanning stops there.
    """
    limit = min(len(sheet.rows), HEADER_SCAN_ROWS + 1)
    texts = sheet.texts
    meanings = [[column_meaning(t) if t else None for t in texts[r]] for r in range(min(2, limit))]
    best: Header | None = None
    best_score = 0
    for r in range(min(limit, HEADER_SCAN_ROWS)):
        if r + 1 < limit and len(meanings) <= r + 1:
            meanings.append([column_meaning(t) if t else None for t in texts[r + 1]])
        if best is not None and best.has_progress and r > best.row:
            break
        if not any(meanings[r]):
            continue
        columns, names = _header_from(texts[r], meanings[r])
        candidates = [(r, columns, names)]
        if r + 1 < limit and any(meanings[r + 1]):
            top, sub = texts[r], texts[r + 1]
            width = max(len(top), len(sub))
            merged, merged_meanings = [], []
            for c in range(width):
                s = sub[c] if c < len(sub) else ""
                t = top[c] if c < len(top) else ""
                sm = meanings[r + 1][c] if c < len(sub) else None
                tm = meanings[r][c] if c < len(top) else None
                merged.append(s if sm else (t or s))
                merged_meanings.append(sm if sm else (tm if t else None))
            m_columns, m_names = _header_from(merged, merged_meanings)
            if len(m_columns) > len(columns):
                candidates.append((r + 1, m_columns, m_names))
        for last, cols, nms in candidates:
            if "task" not in cols:
                continue
            score = len(cols) + (2 if "status" in cols or "percent" in cols else 0)
            if score > best_score:
                used = set(cols.values())
                extras = {c: n for c, n in nms.items() if c not in used and column_meaning(n) is None}
                best, best_score = Header(last, cols, nms, extras), score
    return best


# ---------------------------------------------------------------- the header block


_LABEL = re.compile(r"^\s*([^:：]{2,40})[:：]\s*(.*)$")
UNIT_LABELS = {"donvi", "donvibaocao", "donvithuchien", "unit", "tendonvi", "coquan", "coquandonvi"}
DATE_LABELS = {
    "ngaybaocao",
    "baocaongay",
    "tinhdenngay",
    "reportdate",
    "ngaylap",
    "thoidiembaocao",
    "solieutinhdenngay",
}


def _labelled(rows: list[list], upto: int, labels: set[str]) -> tuple[object, int, int] | None:
    """The value of a 'Label: value' cell (or of the cell after 'Label:') above the table."""
    for r in range(min(upto, len(rows))):
        row = rows[r]
        for c, value in enumerate(row):
            if not isinstance(value, str) or ":" not in value and "：" not in value:
                continue
            m = _LABEL.match(clean(value))
            if not m or fold(m.group(1)) not in labels:
                continue
            rest = m.group(2).strip()
            if rest:
                return rest, r, c
            for c2 in range(c + 1, len(row)):
                if row[c2] not in ("", None):
                    return row[c2], r, c2
    return None


def find_unit_in_block(rows: list[list], upto: int, names: Names) -> tuple[str | None, str | None, int, int]:
    """(known unit, text as written, row, col) named above the table, or Nones."""
    found = _labelled(rows, upto, UNIT_LABELS)
    if found:
        text, r, c = found
        text = _cell_text(text)
        return names.unit(text), text, r, c
    for r in range(min(upto, len(rows))):
        for c, value in enumerate(rows[r]):
            if isinstance(value, str) and value.strip() and (unit := names.unit(value)):
                return unit, clean(value), r, c
    # The unit's name under the issuing body's name ("UBND THÀNH PHỐ TAM ĐIỆP" / "PHÒNG NỘI VỤ").
    for r in range(min(upto, len(rows)) - 1):
        for c, value in enumerate(rows[r]):
            if isinstance(value, str) and fold(value).startswith(ISSUER_MARKS):
                below = rows[r + 1][c] if c < len(rows[r + 1]) else ""
                text = _cell_text(below)
                if text and not fold(text).startswith(("doclap", "conghoa")):
                    return names.unit(text), text, r + 1, c
    return None, None, -1, -1


def find_report_date(
    rows: list[list], upto: int, year: int
) -> tuple[dt.date | None, object, int, int, BadValue | None]:
    """(date, text, row, col, why it is no date) of 'Ngày báo cáo: ...' above the table, else of
    'ngày .. tháng .. năm' anywhere."""
    found = _labelled(rows, upto, DATE_LABELS)
    if found:
        value, r, c = found
        try:
            return parse_date(value, year), value, r, c, None
        except BadValue as bad:
            return None, value, r, c, bad
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and "th" in value and (d := find_long_date(value)):
                return d, value, r, c, None
    return None, None, -1, -1, None


# ---------------------------------------------------------------- the rows


def _is_heading_marker(seq: str) -> bool:
    s = seq.strip().rstrip(".-)/ ")
    return bool(s) and (bool(_ROMAN.match(s)) or (len(s) == 1 and s in "ABCDE"))


def _numbering_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return len(filled) >= 3 and all(_NUMBERING_CELL.match(c) for c in filled)


def _starts_with(text: str, marks: tuple[str, ...]) -> bool:
    return _key_starts_with(fold(text), marks)


@lru_cache(maxsize=65536)
def _key_starts_with(key: str, marks: tuple[str, ...]) -> bool:
    return any(key == m or (key.startswith(m) and len(m) > 4) for m in marks)


@lru_cache(maxsize=65536)
def _is_signature(text: str) -> bool:
    """A signature-block cell: 'Người lập biểu', 'TM. UBND', or '…, ngày 15 tháng 9 năm 2023'."""
    return _starts_with(text, SIGNATURE_MARKS) or find_long_date(text) is not None


def _percent_fractions(rows: list[list], start: int, col: int | None) -> bool:
    """True when the percent column holds percent-formatted cells (every number within 0..1)."""
    if col is None:
        return False
    numbers = [
        r[col]
        for r in rows[start:]
        if col < len(r) and isinstance(r[col], (int, float)) and not isinstance(r[col], bool)
    ]
    return bool(numbers) and all(0 <= n <= 1 for n in numbers) and any(n > 0 for n in numbers)


def _window(anchor: dt.date, span: dt.timedelta, last: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Days from anchor - span to anchor + span (or ``last``, if earlier), clamped to what a date can hold."""
    first = anchor - span if anchor > dt.date.min + span else dt.date.min
    end = anchor + span if anchor < dt.date.max - span else dt.date.max
    return first, min(end, last) if last else end


class _SheetReader:
    def __init__(
        self,
        sheet: Sheet,
        header: Header,
        names: Names,
        report: Report,
        year: int,
        deadlines: tuple[dt.date, dt.date] = (dt.date.min, dt.date.max),
        uncached: set[tuple[int, int]] | frozenset = frozenset(),
        codes: dict[str, tuple[str, int]] | None = None,
    ):
        """``deadlines``: the first and last deadline accepted; ``uncached``: (row, col) of formula cells
        with no cached value; ``codes``: task key -> (sheet, row) of the report's codes seen so far."""
        self.sheet, self.header, self.names, self.report, self.year = sheet, header, names, report, year
        self.deadlines, self.uncached = deadlines, uncached
        self.codes = {} if codes is None else codes
        self.default_sub = names.subcommittee(sheet.name)
        self.unit_seen: tuple[str, int] | None = None

    def msg(self, code: str, row: int, meaning: str | None, value: object, **params) -> Message:
        col = self.header.columns.get(meaning) if meaning else None
        column = None
        if col is not None:
            column = f"{col_letter(col)} ({self.header.names.get(col, meaning)})"
        return Message(code, self.sheet.name, row + 1, column, value, {k: str(v) for k, v in params.items()})

    def text(self, texts: list[str], meaning: str) -> str:
        c = self.header.columns.get(meaning)
        return texts[c] if c is not None and c < len(texts) else ""

    def read(self) -> tuple[list[Task], bool]:
        rows, h = self.sheet.rows, self.header
        current_sub = self.default_sub
        tasks: list[Task] = []
        fractions = _percent_fractions(rows, h.row + 1, h.columns.get("percent"))
        data_cols = [
            h.columns[m] for m in ("status", "percent", "deadline", "owner", "code", "weight") if m in h.columns
        ]
        progress_cols = [h.columns[m] for m in ("status", "percent", "deadline") if m in h.columns]
        all_texts = self.sheet.texts
        for r in range(h.row + 1, len(rows)):
            cells = rows[r]
            texts = all_texts[r]
            if not any(texts):
                continue
            if r == h.row + 1 and _numbering_row(texts):
                continue
            has_data = any(c < len(texts) and texts[c] for c in data_cols)
            has_progress = any(c < len(texts) and texts[c] for c in progress_cols)
            if self.uncached and not has_progress and any((r, c) in self.uncached for c in progress_cols):
                has_data = has_progress = True  # a formula with no value is still the row's data
            task_text = self.text(texts, "task")
            # The signature block ends the table; its words may sit in any column.
            if (not has_progress or not task_text or _starts_with(task_text, SIGNATURE_MARKS)) and any(
                _is_signature(t) for t in texts if t
            ):
                break
            seq = self.text(texts, "seq")
            first_text = next((t for t in texts if t and not _NUMBERING_CELL.match(t)), "")
            if task_text:
                is_total = _starts_with(task_text, TOTAL_MARKS)
            else:
                is_total = any(_starts_with(t, TOTAL_MARKS) for t in (seq, first_text) if t)
            if is_total:
                continue
            label = task_text or first_text
            heading = (
                _is_heading_marker(seq)
                or bool(_HEADING_PREFIX.match(label) and not seq and not has_data)
                or (not has_data and not task_text)
                or (not has_data and "seq" in h.columns and not seq)
                or (not has_data and self.names.subcommittee(label) is not None)
            )
            if heading:
                if (sub := self.names.subcommittee(label)) is not None:
                    current_sub = sub
                continue
            if not task_text:
                continue
            task = self.task(r, cells, texts, task_text, current_sub, fractions)
            if task:
                tasks.append(task)
        return tasks, True

    def task(
        self, r: int, cells: list, texts: list[str], text: str, current_sub: str | None, fractions: bool
    ) -> Task | None:
        rep = self.report
        ok = True
        cols = self.header.columns
        width = len(cells)

        def raw(meaning: str):
            c = cols.get(meaning)
            if c is None or c >= width:
                return None
            v = cells[c]
            return (texts[c] or None) if v.__class__ is str else v

        def txt(meaning: str) -> str | None:
            c = cols.get(meaning)
            return (texts[c] or None) if c is not None and c < width else None

        # unit column
        unit_raw = txt("unit")
        if unit_raw:
            unit = self.names.unit(unit_raw)
            if unit is None:
                rep.errors.append(
                    self.msg(
                        "unit_unknown",
                        r,
                        "unit",
                        _cell_text(unit_raw),
                        suggestions=", ".join(self.names.unit_suggestions(unit_raw)),
                    )
                )
                ok = False
            elif self.unit_seen is None:
                self.unit_seen = (unit, r)
            elif unit != self.unit_seen[0]:
                rep.errors.append(self.msg("unit_mixed", r, "unit", _cell_text(unit_raw), first=self.unit_seen[0]))
                ok = False
        # subcommittee
        sub_raw = txt("subcommittee")
        sub = current_sub
        if sub_raw:
            sub = self.names.subcommittee(sub_raw)
            if sub is None:
                accepted = ", ".join(s.short for s in self.names.config.subcommittees)
                rep.errors.append(
                    self.msg("subcommittee_unknown", r, "subcommittee", _cell_text(sub_raw), accepted=accepted)
                )
                ok = False
        elif sub is None:
            rep.errors.append(self.msg("subcommittee_missing", r, "task", text))
            ok = False
        for meaning in ("status", "percent", "deadline"):
            if self.uncached and (r, cols.get(meaning)) in self.uncached:
                rep.errors.append(self.msg("formula_uncached", r, meaning, None))
                ok = False
        # status and percent
        status_raw = raw("status")
        status = parse_status(status_raw)
        if status is None:
            rep.errors.append(self.msg("status_unknown", r, "status", _cell_text(status_raw)))
            ok = False
        percent = None
        try:
            percent = parse_percent(raw("percent"), fractions)
        except BadValue as bad:
            rep.errors.append(self.msg(bad.code, r, "percent", bad.value))
            ok = False
        if status == "":
            if percent is None or percent <= 0:
                status = NOT_STARTED
            elif percent >= 100:
                status = DONE
            else:
                status = IN_PROGRESS
        elif status == DONE and percent is not None and percent < 100:
            rep.warnings.append(self.msg("done_not_100", r, "percent", _fmt(percent)))
        elif status == NOT_STARTED and percent is not None and percent >= 100:
            rep.warnings.append(self.msg("100_not_started", r, "status", _cell_text(status_raw)))
        # deadline
        deadline = None
        deadline_raw = raw("deadline")
        first, last = self.deadlines
        try:
            deadline = parse_date(deadline_raw, self.year)
            if deadline is not None and not first <= deadline <= last:
                raise BadValue("date_out_of_range", deadline)
        except BadValue as bad:
            if bad.code == "deadline_invalid":
                rep.warnings.append(self.msg("deadline_invalid", r, "deadline", bad.value))
            else:
                code = "deadline_out_of_range" if bad.code == "date_out_of_range" else bad.code
                value = _cell_text(shown(bad.value))
                rep.errors.append(self.msg(code, r, "deadline", value, first=shown(first), last=shown(last)))
                ok = False
        # weight
        weight = 1.0
        try:
            weight = parse_weight(raw("weight")) or 1.0
        except BadValue as bad:
            if bad.code == "weight_invalid":
                rep.warnings.append(self.msg("weight_invalid", r, "weight", _cell_text(bad.value)))
            else:
                rep.errors.append(self.msg(bad.code, r, "weight", bad.value, max=_fmt(MAX_WEIGHT)))
                ok = False
        code = txt("code")
        if code:
            key = fold(code) or code
            if (seen := self.codes.get(key)) is not None:
                rep.warnings.append(
                    self.msg("task_code_duplicate", r, "code", code, first_sheet=seen[0], first_row=seen[1])
                )
            else:
                self.codes[key] = (self.sheet.name, r + 1)
        if not ok:
            return None
        extra = {}
        for c, name in self.header.extras.items():
            if c < width and (v := texts[c]):
                extra[name] = v
        note = txt("note")
        return Task(
            sheet=self.sheet.name,
            row=r + 1,
            code=code,
            task=text,
            task_key=fold(code) if code else fold(text),
            subcommittee=sub,
            deadline=deadline,
            status=status,
            percent=percent,
            owner=txt("owner"),
            weight=weight,
            note=note,
            extra=extra,
        )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(round(x, 2)).replace(".", ",")


# ---------------------------------------------------------------- the whole file


REPORT_DATE_SPAN = dt.timedelta(days=2 * 366)  # a report is dated within two years of D-day
DEADLINE_SPAN = dt.timedelta(days=3 * 366)  # a deadline within three years of it
CLOCK_SKEW = dt.timedelta(days=1)  # a report dated a day after it arrived: a clock or a time zone off


def read_report(
    data: bytes,
    filename: str,
    config: Config,
    unit_hint: str | None = None,
    received_at: dt.datetime | None = None,
    names: Names | None = None,
) -> Report:
    """Read one unit's file into a Report: accepted (tasks, warnings) or rejected (errors).

    ``received_at`` is when the file arrived (default now): a report cannot be dated after it.
    """
    report = Report(filename)
    names = names or Names(config)
    try:
        report.kind, sheets = load_sheets(data, filename)
    except ReadError as err:
        report.errors.append(err.msg)
        return report

    headers = [(s, find_header(s)) for s in sheets]
    tables = [(s, h) for s, h in headers if h and h.has_progress]
    written = [s.name for s, _ in tables]  # as the workbook names them, to find their XML below
    for s in sheets:
        s.name = strip_controls(s.name)  # it is shown in every message and stored with every task
    if has_macros(data):
        report.warnings.append(Message("macros_ignored"))
    if not tables:
        partial = [(s, h) for s, h in headers if h]
        if partial:
            s, h = partial[0]
            report.errors.append(Message("header_no_progress", s.name, h.row + 1, None, None))
        else:
            report.errors.append(Message("no_table"))
        return report

    # Unit and report date from the first sheet with a table, as the contract orders them.
    first, head = tables[0]
    file_unit, unit_text, ur, uc = find_unit_in_block(first.rows, head.row, names)
    unit_cell = (first.name, ur + 1, col_letter(uc) if uc >= 0 else None)
    report_date, date_value, dr, dc, bad = find_report_date(first.rows, head.row, config.year)
    arrived = (received_at or dt.datetime.now()).date()
    date_cell = (first.name, dr + 1, col_letter(dc) if dc >= 0 else None)
    if bad is not None and bad.code == "deadline_invalid":
        report.warnings.append(Message("report_date_invalid", *date_cell, _cell_text(date_value)))
    elif bad is not None and bad.code == "number_not_finite":
        report.errors.append(Message(bad.code, *date_cell, bad.value))
    else:
        # A report dated years away, or after it arrived, would stay the unit's latest for good.
        earliest, latest = _window(config.d_day.date(), REPORT_DATE_SPAN, arrived + CLOCK_SKEW)
        if bad is not None or (report_date is not None and not earliest <= report_date <= latest):
            span = {"first": shown(earliest), "last": shown(latest), "arrived": shown(arrived)}
            report.errors.append(Message("report_date_out_of_range", *date_cell, _cell_text(shown(date_value)), span))
            report_date = None
    report.report_date = report_date or arrived

    # A formula with no cached value reads as blank; only the sheet's XML tells it from an empty cell.
    formulas = uncached_formulas(data, written) if report.kind == "xlsx" else {}
    year = config.year
    deadlines = _window(config.d_day.date(), DEADLINE_SPAN)
    codes: dict[str, tuple[str, int]] = {}
    for (sheet, header), name in zip(tables, written, strict=True):
        pending = formulas.get(name, frozenset())
        reader = _SheetReader(sheet, header, names, report, year, deadlines, pending, codes)
        tasks, _ = reader.read()
        report.tasks.extend(tasks)
        if reader.unit_seen and file_unit is None and unit_text is None:
            file_unit, unit_text = reader.unit_seen[0], reader.unit_seen[0]
        elif reader.unit_seen and file_unit and reader.unit_seen[0] != file_unit:
            report.errors.append(
                Message(
                    "unit_mixed", sheet.name, reader.unit_seen[1] + 1, None, reader.unit_seen[0], {"first": file_unit}
                )
            )

    if unit_text and file_unit is None:
        report.errors.append(
            Message(
                "unit_unknown", *unit_cell, unit_text, {"suggestions": ", ".join(names.unit_suggestions(unit_text))}
            )
        )
    hint_unit = None
    if unit_hint:
        hint_unit = names.unit(unit_hint)
        if hint_unit is None:
            report.errors.append(
                Message(
                    "unit_unknown",
                    None,
                    None,
                    None,
                    clean(unit_hint),
                    {"suggestions": ", ".join(names.unit_suggestions(unit_hint))},
                )
            )
    if file_unit and hint_unit and file_unit != hint_unit:
        report.errors.append(Message("unit_conflict", *unit_cell, file_unit, {"chosen": hint_unit}))
    report.unit = file_unit or hint_unit
    if report.unit is None and not report.errors:
        report.errors.append(Message("unit_missing"))

    if not report.tasks and not report.errors:
        s, h = tables[0]
        report.errors.append(Message("no_tasks", s.name, h.row + 1, None, None))
    if report.errors:
        report.tasks = []
    return report
