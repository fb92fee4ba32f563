"""Bytes to sheets: the file's real kind, CSV encodings, the zip and dimension guards, calamine, and the
formula cells an .xlsx holds without a cached value.

The .xlsx parts are read with regular expressions only: no XML parser ever sees a hostile file's
entities.
"""

from __future__ import annotations

import csv
import html
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath

import python_calamine as pc

from ..messages import Message
from ..text import clean
from .ods import ods_layout

MAX_ROWS = 20_000  # a checklist has hundreds of rows; more is a broken or hostile file
MAX_COLS = 200
MAX_UNZIPPED = 200 * 1024 * 1024  # a checklist unpacks to a few MB; more is a zip bomb
MAX_CELLS = 4_000_000  # a parser holds a sheet as a dense grid: A1 + XFD1048576 asks for 550 GB


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
    # (row, col) of formula cells with no cached value, when the loader knows them (.ods); None: not known
    uncached: frozenset[tuple[int, int]] | None = None

    @property
    def texts(self) -> list[list[str]]:
        """Each cell as clean text ('' for blank), computed once."""
        if self._texts is None:
            self._texts = [[cell_text(v) for v in row] for row in self.rows]
        return self._texts


def cell_text(value: object) -> str:
    """A cell as the clean text a person sees ('' for blank, 3.0 as '3')."""
    if value.__class__ is str:
        return clean(value) if value else ""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def col_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def too_many_rows(sheet: str, row: int) -> Message:
    """A sheet with data past the row limit: refused, never silently cut."""
    return Message("too_many_rows", sheet, row, None, None, {"max_rows": str(MAX_ROWS), "row": str(row)})


# ---------------------------------------------------------------- the whole file


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
    return kind, _workbook_sheets(data, kind)


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


def has_macros(data: bytes) -> bool:
    """An .xlsm/.xls with a VBA project (never run; the reader only says so)."""
    if data.startswith(b"PK"):
        return b"vbaProject.bin" in data[-65536:]  # the zip's central directory names every part
    return data.startswith(b"\xd0\xcf\x11\xe0") and "_VBA_PROJECT".encode("utf-16-le") in data


# ---------------------------------------------------------------- CSV


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
    """A CSV's rows, its delimiter (`;`, `,` or tab) guessed from the first 50 lines."""
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


# ---------------------------------------------------------------- workbooks, through calamine


def _workbook_sheets(data: bytes, kind: str) -> list[Sheet]:
    """The visible worksheets of an .xlsx/.xls/.ods; a file calamine cannot read is a ReadError.

    calamine gives no merged ranges and no formulas for an .ods: those come from its content.xml.
    """
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        layout = ods_layout(data) if kind == "ods" else {}
        sheets = []
        for meta in wb.sheets_metadata:
            if str(meta.visible) != str(pc.SheetVisibleEnum.Visible) or str(meta.typ) != str(
                pc.SheetTypeEnum.WorkSheet
            ):
                continue
            calamine_sheet = wb.get_sheet_by_name(meta.name)
            if kind == "ods":
                ods = layout.get(meta.name)
                merges = ods.merges if ods else []
                sheet = Sheet(meta.name, _sheet_rows(calamine_sheet, meta.name, merges))
                sheet.uncached = frozenset(ods.uncached) if ods else frozenset()
            else:
                sheet = Sheet(meta.name, _sheet_rows(calamine_sheet, meta.name, None))
            sheets.append(sheet)
    except ReadError:
        raise
    except pc.PasswordError as exc:
        raise ReadError(Message("encrypted")) from exc
    except Exception as exc:  # calamine raises several kinds for damaged files
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ReadError(Message("unreadable", params={"detail": detail})) from exc
    return sheets


def _sheet_rows(sheet, name: str, merges: list | None) -> list[list]:
    """A calamine sheet's rows from A1, within the limits, merged values filled down (``merges``: the
    sheet's merged ranges when calamine does not know them)."""
    rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
    if len(rows) > MAX_ROWS:
        if any(v not in ("", None) for v in rows[MAX_ROWS]):
            raise ReadError(too_many_rows(name, MAX_ROWS + 1))
        rows = rows[:MAX_ROWS]
    rows = [list(r[:MAX_COLS]) for r in rows]
    try:
        _fill_vertical_merges(rows, sheet.merged_cell_ranges if merges is None else merges)
    except Exception:  # merged ranges are a nicety; a workbook without them still reads
        pass
    return rows


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


# ---------------------------------------------------------------- guards on a zipped workbook


_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"[^>]*?(/?)>")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _check_zip(data: bytes) -> None:
    """Refuse a workbook that unpacks to far more than a checklist could (before anything unpacks it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        return  # calamine reports the damage in its own words
    if total > MAX_UNZIPPED:
        raise ReadError(
            Message("zip_bomb", params={"size_mb": str(total // 1048576), "limit_mb": str(MAX_UNZIPPED // 1048576)})
        )


def check_dimensions(data: bytes) -> None:
    """Refuse an .xlsx whose sheet spans more cells than a checklist could, before any parser builds
    its grid: the cell references are scanned in the compressed stream, chunk by chunk."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    with z:
        try:
            names = {part: name for name, part in sheet_parts(z).items()}
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
                row, col = int(m.group(2)), _col_number(m.group(1))
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
        raise ReadError(_too_big(sheet, far, max_row, max_col))


def _too_big(sheet: str, far: bytes, rows: int, cols: int) -> Message:
    params = {
        "sheet": sheet,
        "cell": far.decode("ascii"),
        "rows": str(rows),
        "cols": str(cols),
        "max_rows": str(MAX_ROWS),
        "max_cols": str(MAX_COLS),
    }
    return Message("sheet_too_big", params=params)


def _col_number(letters: bytes) -> int:
    """b'A' -> 1, b'AB' -> 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: double or single for k, double, single in _ATTR.findall(tag)}


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its worksheet, through workbook.xml and its relationships."""
    try:
        book = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[bytes, str] = {}
    for m in _REL.finditer(rels):
        a = _attrs(m.group(0))
        target = html.unescape(a.get(b"Target", b"").decode("utf-8", "replace"))
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if b"Id" in a:
            targets.setdefault(a[b"Id"], part)
    parts: dict[str, str | None] = {}
    for m in _SHEET.finditer(book):  # the first sheet of a name holds it, found or not
        a = _attrs(m.group(0))
        name = html.unescape(a.get(b"name", b"").decode("utf-8", "replace"))
        parts.setdefault(name, targets.get(a[b"id"]) if b"id" in a else None)
    return {name: part for name, part in parts.items() if part is not None}


# ---------------------------------------------------------------- formulas without a cached value

# A workbook written by a program (openpyxl, a report generator) and never opened in a spreadsheet
# carries its formulas without results (`<c r="F5"><f>E5/D5</f></c>` or `<v/>`); python-calamine
# 0.9 reads such a cell as '' and exposes no formulas, so the sheet's XML is scanned here.

_ANY_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A formula cell: its start tag, the <f> that is its first child, then the <v> if there is one.
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>))?",
    re.S,
)
_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")


def uncached_formulas(data: bytes, sheet_names: list[str]) -> dict[str, set[tuple[int, int]]]:
    """Sheet name -> (row, col), 0-based, of its formula cells with no cached value; {} when unreadable.

    A formula whose cached result is the empty string (`t="str"` and an empty `<v>`) has a value. Cheap
    when there are no formulas (most checklists): the worksheets are unpacked and searched for a
    formula's closing tag, and nothing else is read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            worksheets = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}
            if not any(b"f>" in xml for xml in worksheets.values()):  # </f> or </x:f>
                return {}
            found = sheet_parts(z)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return {}  # the sheets were read already; a part this cannot read adds nothing
    parts = {name: found.get(name) for name in sheet_names}
    return {name: _uncached(worksheets[part]) for name, part in parts.items() if part in worksheets}


def _uncached(xml: bytes) -> set[tuple[int, int]]:
    if not _ANY_FORMULA.search(xml):
        return set()
    cells = set()
    for m in _FORMULA_CELL.finditer(xml):
        if m.group(3):
            continue  # a cached value
        a = _attrs(m.group(1))
        if m.group(2) and a.get(b"t") == b"str":
            continue  # a cached empty string
        if ref := _REF.fullmatch(a.get(b"r", b"")):
            cells.add((int(ref.group(2)) - 1, _col_number(ref.group(1)) - 1))
    return cells
