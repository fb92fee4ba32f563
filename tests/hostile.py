"""A hostile corpus: files a unit (or anyone who can drop a file in the inbox) might send to stop the
board. Each kind is a function returning (filename, bytes), built here in code, fast.

The kinds are grouped by the guard they probe: absurd grids, bombs and XML tricks, damaged and
renamed files, absurd values, hostile text and names, sheer size. `write_corpus(folder)` writes
every kind once (each in its own sub-folder, as the same filename recurs) and reuses a folder
already written by the same version of this module.

    .venv/bin/python tests/hostile.py OUT_DIR     # write the corpus, print kind, size, path
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
from conftest import FIXTURES, HEADER, standard_rows, xlsx  # noqa: E402

from readiness.reader import col_letter  # noqa: E402

KINDS: dict[str, Callable[[], tuple[str, bytes]]] = {}

MB = 1024 * 1024
TASK_ROW = 6  # 0-based row of the first task in standard_rows() (5 header-block rows, the header)
COL = {name: i for i, name in enumerate(("seq", "task", "sub", "deadline", "status", "percent", "owner", "note"))}


def kind(fn: Callable[[], tuple[str, bytes]]) -> Callable[[], tuple[str, bytes]]:
    KINDS[fn.__name__] = fn
    return fn


# ---------------------------------------------------------------- building blocks


class Raw:
    """A cell written as given: ``inner`` XML inside ``<c>``, with an optional type attribute."""

    def __init__(self, inner: str, t: str | None = None):
        self.inner, self.t = inner, t


def report_rows(**cells) -> list[list]:
    """The standard valid report with some cells replaced: ``percent=(row, value)`` style, or a
    dict {(row, col): value}; row is 0-based from the first task."""
    rows = [list(r) for r in standard_rows()]
    for name, (r, value) in cells.items():
        row = rows[TASK_ROW + r]
        row.extend([""] * (COL[name] + 1 - len(row)))
        row[COL[name]] = value
    return rows


def cell_xml(ref: str | None, value) -> str:
    r = f' r="{ref}"' if ref else ""
    if isinstance(value, Raw):
        t = f' t="{value.t}"' if value.t else ""
        return f"<c{r}{t}>{value.inner}</c>"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f'<c{r} t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
    return f"<c{r}><v>{value!r}</v></c>"


def sheet_xml(rows: list[list], refs: bool = True, dimension: str | None = None, tail: str = "") -> str:
    """A worksheet part holding rows from A1 (blank cells left out), then ``tail`` XML rows."""
    out = []
    for r, row in enumerate(rows):
        cells = "".join(
            cell_xml(f"{col_letter(c)}{r + 1}" if refs else None, v)
            for c, v in enumerate(row)
            if v is not None and v != "" or not refs
        )
        out.append(f'<row r="{r + 1}">{cells}</row>' if refs else f"<row>{cells}</row>")
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"{dim}<sheetData>{''.join(out)}{tail}</sheetData></worksheet>"
    )


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def raw_xlsx(
    sheets: list[tuple[str, str | bytes]],
    shared_strings: str | None = None,
    workbook_prolog: str = "",
    extra: dict[str, bytes] | None = None,
    macro: bool = False,
    level: int = 6,
) -> bytes:
    """A minimal .xlsx written part by part, so that a test controls every byte of the XML.

    ``sheets`` is (name, worksheet XML); names are written as given, even those Excel forbids.
    """
    sheet_entries, rels, overrides = [], [], []
    for i, (name, _) in enumerate(sheets, 1):
        sheet_entries.append(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{_OFFICE_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>')
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
    if shared_strings is not None:
        rels.append(f'<Relationship Id="rIdS" Type="{_OFFICE_REL}/sharedStrings" Target="sharedStrings.xml"/>')
        overrides.append(
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    if macro:
        rels.append(
            '<Relationship Id="rIdV" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
            'Target="vbaProject.bin"/>'
        )
        overrides.append('<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>')
    book_type = (
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{book_type}"/>{"".join(overrides)}</Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_OFFICE_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{workbook_prolog}'
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE_REL}"><sheets>{"".join(sheet_entries)}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{''.join(rels)}</Relationships>"
        ),
    }
    for i, (_, xml) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    parts.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, content in parts.items():
            z.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return buf.getvalue()


def report_xlsx(rows: list[list] | None = None, name: str = "Tiến độ", **kw) -> bytes:
    """The standard report (or ``rows``) as a hand-built .xlsx."""
    return raw_xlsx([(name, sheet_xml(rows if rows is not None else standard_rows()))], **kw)


def _zip_raw(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from already-compressed entries (name, payload, method, crc, size claimed), so that the
    sizes it claims can be lies."""
    out, central = io.BytesIO(), []
    for name, payload, method, crc, size in entries:
        offset = out.tell()
        n = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(payload), size, len(n), 0))
        out.write(n + payload)
        fixed = struct.pack("<IHHHHHHIIIHH", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(payload), size, len(n), 0)
        central.append(fixed + struct.pack("<HHHII", 0, 0, 0, 0, offset) + n)
    start = out.tell()
    for c in central:
        out.write(c)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _deflate_stream(prefix: bytes, filler: bytes, count: int, suffix: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of prefix + filler*count + suffix: (payload, crc, size). Each filler is compressed
    after a full flush (history reset), so one compressed block serves for all of them."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(filler) + comp.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(suffix, crc)
    payload = head + block * count + comp.compress(suffix) + comp.flush()
    return payload, crc, len(prefix) + len(filler) * count + len(suffix)


def ods(table_xml: str, name: str = "Tiến độ") -> bytes:
    """A minimal .ods (mimetype stored first, as the format requires) holding one table's rows XML."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet><table:table table:name={quoteattr(name)}>{table_xml}"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def ods_rows(rows: list[list]) -> str:
    out = []
    for row in rows:
        cells = []
        for v in row:
            if v is None or v == "":
                cells.append("<table:table-cell/>")
            elif isinstance(v, (int, float)):
                cells.append(f'<table:table-cell office:value-type="float" office:value="{v}"/>')
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
                )
        out.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    return "".join(out)


def csv_text(rows: list[list], sep: str = ",") -> str:
    def field(v) -> str:
        s = "" if v is None else str(v)
        return f'"{s}"' if sep in s or '"' in s else s

    return "\r\n".join(sep.join(field(v) for v in row) for row in rows) + "\r\n"


def _ole(*stream_names: str, body: bytes = b"") -> bytes:
    """The start of an OLE2 compound file whose directory names the given streams: what the reader
    sniffs (a complete CFB is not needed to be told apart from a workbook)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    header = header.ljust(512, b"\x00")
    directory = b""
    for name in ("Root Entry", *stream_names):
        n = name.encode("utf-16-le") + b"\x00\x00"
        directory += (n.ljust(64, b"\x00") + struct.pack("<HBB", len(n), 2 if name != "Root Entry" else 5, 1)).ljust(
            128, b"\x00"
        )
    return header + directory.ljust(512, b"\x00") + body


# ---------------------------------------------------------------- absurd grids


@kind
def ok_report():
    """The control: a valid report, which must be accepted."""
    return "ok_report.xlsx", xlsx({"Tiến độ": standard_rows()})


@kind
def xlsx_a1_xfd1048576():
    rows = standard_rows()
    return "a1_xfd1048576.xlsx", raw_xlsx([("Tiến độ", sheet_xml(rows, tail=_far_row(1048576, "XFD")))])


@kind
def xlsx_a1_xfd20000():
    rows = standard_rows()
    return "a1_xfd20000.xlsx", raw_xlsx([("Tiến độ", sheet_xml(rows, tail=_far_row(20000, "XFD")))])


def _far_row(row: int, col: str) -> str:
    return f'<row r="{row}"><c r="{col}{row}" t="inlineStr"><is><t>x</t></is></c></row>'


@kind
def xlsx_far_cell_without_refs():
    """The far cell placed by position only: a row with no r= and 16,384 cells with no r=, after
    1,048,575 empty rows also without r=, so no cell reference names the far corner."""
    rows = standard_rows()
    filler = "<row/>" * (1048575 - len(rows))
    far = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 16384 + "</row>"
    return "far_cell_no_refs.xlsx", raw_xlsx([("Tiến độ", sheet_xml(rows, tail=filler + far))], level=9)


@kind
def xlsx_dimension_lie():
    """A small sheet whose <dimension> claims A1:XFD1048576 (a parser that trusts it preallocates)."""
    return "dimension_lie.xlsx", raw_xlsx([("Tiến độ", sheet_xml(standard_rows(), dimension="A1:XFD1048576"))])


def shared_string_task(text: str, prolog: str = "", count: str = "1") -> bytes:
    """The standard report whose first task's text is shared string 0, given as raw XML."""
    sst = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<sst xmlns="{_MAIN}" count="{count}" '
        f'uniqueCount="{count}"><si><t>{text}</t></si></sst>'
    )
    rows = report_rows(task=(0, Raw("<v>0</v>", "s")))
    return raw_xlsx([("Tiến độ", sheet_xml(rows))], shared_strings=sst)


@kind
def xlsx_shared_strings_count_lie():
    """sharedStrings.xml claims 4,294,967,295 strings (a parser that trusts it preallocates)."""
    return "sst_count_lie.xlsx", shared_string_task("Xây dựng văn kiện khối A", count="4294967295")


@kind
def ods_rows_repeated():
    """One value cell repeated over 200 columns and 1,000,000 rows: 200 million cells from 300 bytes."""
    huge = (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" '
        'office:value="1" table:number-columns-repeated="200"/></table:table-row>'
    )
    return "rows_repeated.ods", ods(ods_rows(standard_rows()) + huge)


@kind
def ods_columns_repeated():
    """One value cell repeated 1,000,000,000 times in a row, under a real table."""
    huge = (
        '<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="1000000000">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    return "columns_repeated.ods", ods(ods_rows(standard_rows()) + huge)


# ---------------------------------------------------------------- bombs and XML tricks


@kind
def zip_bomb():
    """An .xlsx with a part that unpacks to 300 MB (declared honestly in the zip directory)."""
    payload, crc, size = _deflate_stream(b"", b"\x00" * MB, 300, b"")
    book = zipfile.ZipFile(io.BytesIO(report_xlsx()))
    entries = [
        (i.filename, book.read(i.filename), 0, zlib.crc32(book.read(i.filename)), i.file_size) for i in book.infolist()
    ]
    entries.append(("xl/media/image1.png", payload, 8, crc, size))
    return "zip_bomb.xlsx", _zip_raw(entries)


@kind
def zip_bomb_lying_size():
    """The worksheet itself unpacks to 300 MB while the zip directory says 2 KB."""
    rows_xml = sheet_xml(standard_rows())
    head, tail = rows_xml.split("</sheetData>")
    payload, crc, _ = _deflate_stream(head.encode(), b" " * MB, 300, ("</sheetData>" + tail).encode())
    book = zipfile.ZipFile(io.BytesIO(report_xlsx()))
    entries = []
    for i in book.infolist():
        if i.filename == "xl/worksheets/sheet1.xml":
            entries.append((i.filename, payload, 8, crc, 2048))
        else:
            entries.append((i.filename, book.read(i.filename), 0, zlib.crc32(book.read(i.filename)), i.file_size))
    return "zip_bomb_lying.xlsx", _zip_raw(entries)


@kind
def zip_bomb_nested():
    """42.zip-style: zips of 16 zips, four deep, over a 10 MB zero file (~650 GB if all unpacked)."""
    payload, crc, size = _deflate_stream(b"", b"\x00" * MB, 10, b"")
    inner = _zip_raw([(f"{i:x}.bin", payload, 8, crc, size) for i in range(16)])
    for _ in range(3):  # each layer's copies are deflated: 16 identical zips compress to about one
        packed, crc, size = _deflate_stream(inner, b"", 0, b"")
        inner = _zip_raw([(f"{i:x}.zip", packed, 8, crc, size) for i in range(16)])
    return "42.xlsx", inner


def _laughs(depth: int = 9) -> str:
    ents = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    ents += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, depth + 1)]
    return f"<!DOCTYPE lolz [{''.join(ents)}]>"


@kind
def billion_laughs_shared_strings():
    return "laughs_sst.xlsx", shared_string_task("&lol9;", prolog=_laughs())


@kind
def billion_laughs_workbook():
    return "laughs_workbook.xlsx", raw_xlsx([("&lol9;", sheet_xml(standard_rows()))], workbook_prolog=_laughs())


@kind
def xxe_etc_passwd():
    """An external entity naming /etc/passwd in the shared strings, used as a task's text."""
    prolog = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return "xxe.xlsx", shared_string_task("&xxe;", prolog=prolog)


# ---------------------------------------------------------------- damaged, disguised, not a workbook


@kind
def xlsx_truncated():
    data = xlsx({"Tiến độ": standard_rows()})
    return "truncated.xlsx", data[: len(data) // 2]


@kind
def xls_truncated():
    data = (FIXTURES / "dong_son.xls").read_bytes()
    return "truncated.xls", data[: len(data) // 2]


@kind
def encrypted_workbook():
    """An OLE2 file with EncryptionInfo and EncryptedPackage streams: how Excel stores a password-protected .xlsx."""
    return "mat_khau.xlsx", _ole("EncryptionInfo", "EncryptedPackage", body=random.Random(1).randbytes(4096))


@kind
def vba_xlsm():
    """A macro-enabled workbook with a VBA project (Workbook_Open would run in Excel; never here)."""
    vba = _ole("_VBA_PROJECT", "dir", "ThisWorkbook", body=b'Sub Workbook_Open()\r\nShell "calc.exe"\r\nEnd Sub\r\n')
    return "bao_cao.xlsm", report_xlsx(macro=True, extra={"xl/vbaProject.bin": vba})


@kind
def pdf_renamed():
    pdf = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\nstream\n"
        + zlib.compress(b"\x00" * 4096)
        + b"\nendstream\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return "bao_cao.xlsx", pdf


@kind
def png_renamed():
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    return "bao_cao.xls", png


@kind
def elf_renamed():
    """A minimal x86-64 ELF executable header (exit(0) program) named .xlsx."""
    code = b"\x48\x31\xff\xb8\x3c\x00\x00\x00\x0f\x05"  # xor rdi, rdi; mov eax, 60; syscall
    ehdr = struct.pack(
        "<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + b"\x00" * 9, 2, 0x3E, 1, 0x400078, 64, 0, 0, 64, 56, 1, 0, 0, 0
    )
    phdr = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 120 + len(code), 120 + len(code), 0x1000)
    return "bao_cao.xlsx", ehdr + phdr + code


@kind
def zip_of_random_files():
    rnd = random.Random(2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(20):
            z.writestr(f"tep_{i}.bin", rnd.randbytes(rnd.randint(10, 5000)))
    return "bao_cao.xlsx", buf.getvalue()


@kind
def gzip_renamed():
    return "bao_cao.xlsx", gzip.compress(csv_text(standard_rows()).encode("utf-8"), mtime=0)


@kind
def empty_file():
    return "bao_cao.xlsx", b""


@kind
def one_byte():
    return "bao_cao.xlsx", b"P"


@kind
def random_bytes():
    return "bao_cao.xlsx", random.Random(3).randbytes(64 * 1024)


@kind
def html_as_xls():
    cells = "".join(f"<tr>{''.join(f'<td>{escape(str(v))}</td>' for v in row)}</tr>" for row in standard_rows())
    html = f'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head><body><table>{cells}</table></body></html>'
    return "bao_cao.xls", html.encode("utf-8")


# ---------------------------------------------------------------- CSV encodings and fields


@kind
def csv_field_200k():
    """One quoted field of 200,000 characters (past Python's csv field limit of 131,072)."""
    rows = standard_rows()
    rows[TASK_ROW][COL["note"]] = "x" * 200_000
    return "field_200k.csv", csv_text(rows).encode("utf-8")


@kind
def csv_utf16():
    """A valid report saved as Excel's 'Unicode Text' does: UTF-16 LE with a BOM, tab-separated."""
    return "utf16.csv", csv_text(standard_rows(), "\t").encode("utf-16")


@kind
def csv_utf32():
    return "utf32.csv", csv_text(standard_rows()).encode("utf-32")


@kind
def csv_nul_bytes():
    rows = report_rows(task=(0, "Xây dựng\x00 văn kiện\x00"), owner=(1, "\x00\x00\x00"))
    return "nul.csv", csv_text(rows).encode("utf-8")


@kind
def csv_million_rows():
    """A header and 1,000,000 short task rows (about 12 MB, under the upload limit)."""
    head = "Đơn vị: Phường Yên Bình\r\nNội dung,Trạng thái\r\nI. Tiểu ban văn kiện,\r\n".encode()
    body = "".join(f"{i:x},x\r\n" for i in range(1_000_000)).encode()
    return "million_rows.csv", head + body


# ---------------------------------------------------------------- absurd values


@kind
def percent_inf():
    return "percent_inf.xlsx", report_xlsx(report_rows(percent=(1, Raw("<v>inf</v>"))))


@kind
def percent_minus_inf():
    return "percent_minus_inf.xlsx", report_xlsx(report_rows(percent=(1, Raw("<v>-inf</v>"))))


@kind
def percent_nan():
    return "percent_nan.xlsx", report_xlsx(report_rows(percent=(1, Raw("<v>NaN</v>"))))


@kind
def percent_1e308():
    return "percent_1e308.xlsx", report_xlsx(report_rows(percent=(1, Raw("<v>1e308</v>"))))


def _weighted(weight) -> list[list]:
    rows = standard_rows()
    rows[TASK_ROW - 1] = [*HEADER, "Trọng số"]
    for r in range(TASK_ROW, len(rows)):
        rows[r] = [*rows[r], 1]
    rows[TASK_ROW + 1][-1] = weight
    return rows


@kind
def weight_inf():
    return "weight_inf.xlsx", report_xlsx(_weighted(Raw("<v>inf</v>")))


@kind
def weight_nan():
    return "weight_nan.xlsx", report_xlsx(_weighted(Raw("<v>NaN</v>")))


@kind
def weight_1e308():
    return "weight_1e308.xlsx", report_xlsx(_weighted(Raw("<v>1e308</v>")))


@kind
def deadline_serial_1e308():
    """A deadline cell holding the number 1e308 (as a date serial: far past year 9999)."""
    return "deadline_1e308.xlsx", report_xlsx(report_rows(deadline=(0, Raw("<v>1e308</v>"))))


def _dated(report_date: str) -> list[list]:
    rows = standard_rows()
    rows[3][4] = f"Ngày báo cáo: {report_date}"
    return rows


@kind
def report_date_9999():
    return "report_9999.xlsx", report_xlsx(_dated("31/12/9999"))


@kind
def report_date_0001():
    return "report_0001.xlsx", report_xlsx(_dated("01/01/0001"))


@kind
def deadline_year_9999():
    return "deadline_9999.xlsx", report_xlsx(report_rows(deadline=(1, "31/12/9999")))


@kind
def formulas_uncached():
    """Formulas with no cached value in status, percent and deadline (a file written by a program)."""
    rows = report_rows(
        status=(0, Raw('<f>IF(1,"Hoàn thành","")</f>', "str")),
        percent=(1, Raw("<f>50+10</f>")),
        deadline=(2, Raw("<f>DATE(2023,10,1)</f>")),
    )
    return "formulas.xlsx", report_xlsx(rows)


@kind
def duplicate_task_codes():
    rows = standard_rows()
    rows[TASK_ROW - 1] = ["Mã NV", *HEADER[1:]]
    for i, r in enumerate(range(TASK_ROW, len(rows))):
        rows[r][0] = "VK-01" if i < 2 else f"VK-0{i + 1}"
    return "duplicate_codes.xlsx", xlsx({"Tiến độ": rows})


# ---------------------------------------------------------------- hostile text and names


@kind
def control_characters():
    """C0 controls, an ANSI escape and NUL (as _x0000_) in task, owner, note and the sheet's name."""
    rows = report_rows(
        task=(0, "Xây dựng\x07 văn kiện \x1b[31mkhối A\x1b[0m_x0000_"),
        owner=(1, "Đ/c\x08\x08\x08Lan\x0b"),
        note=(3, "Chờ_x0000_ kinh\x1f phí\x7f"),
    )
    return "control.xlsx", report_xlsx(rows, name="Tiến\x01 độ_x0000_\x1b")


@kind
def bidi_override():
    """U+202E (right-to-left override) in the unit, a task, an owner and the file name itself."""
    rows = report_rows(task=(0, "Chuẩn bị \u202egnp.exe"), owner=(2, "\u202eĐ/c Minh"))
    rows[3][0] = "Đơn vị: Phường Yên Bình\u202e"
    return "bao_cao_\u202exslx.exe.xlsx", report_xlsx(rows)


@kind
def filename_path_lookalikes():
    """A name made of '..', look-alike slashes (U+2215, U+FF0F) and the NUL symbol (U+2400)."""
    return "..∕..∕..∕etc∕passwd／..␀%00.xlsx", xlsx({"Tiến độ": standard_rows()})


@kind
def dde_formula_text():
    """The CSV/DDE injection text as a task and an owner: stored as text, never evaluated."""
    rows = report_rows(task=(0, "=cmd|' /C calc'!A0"), owner=(1, '=HYPERLINK("http://x.invalid","ok")'))
    return "dde.xlsx", xlsx({"Tiến độ": rows})


@kind
def sheet_name_31_forbidden():
    """A 31-character sheet name with the characters Excel forbids in one: [ ] * ?"""
    name = "[Tiến*độ?]" + "?*[]" * 5 + "x"
    assert len(name) == 31
    return "sheet_name.xlsx", report_xlsx(name=name)


# ---------------------------------------------------------------- sheer size


@kind
def huge_cell_100k():
    rows = report_rows(task=(0, "Nhiệm vụ " * 11_112))
    return "huge_cell.xlsx", report_xlsx(rows)


@kind
def columns_10000():
    rows = standard_rows()
    rows[TASK_ROW - 1] = [*HEADER, *(f"Cột {i}" for i in range(len(HEADER), 10_000))]
    for r in range(TASK_ROW, len(rows)):
        rows[r] = [*rows[r], *([""] * (len(HEADER) - len(rows[r]))), *range(len(HEADER), 10_000)]
    return "cols_10000.xlsx", report_xlsx(rows)


@kind
def sheets_255():
    xml = sheet_xml(standard_rows())
    return "sheets_255.xlsx", raw_xlsx([(f"Trang {i}", xml) for i in range(255)])


@kind
def xlsx_million_rows():
    """A header and 1,000,000 task rows (shared strings; rows placed by position, as some generators
    write them), within the upload limit."""
    sst = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{_MAIN}"><si><t>Việc</t></si><si><t>Văn kiện</t></si></sst>'
    row = '<row><c/><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c/><c/><c><v>50</v></c></row>'
    xml = sheet_xml(standard_rows()[:TASK_ROW], tail=row * 1_000_000)
    return "million_rows.xlsx", raw_xlsx([("Tiến độ", xml)], shared_strings=sst, level=1)


@kind
def oversize_21mb():
    """21 MB: a valid report followed by padding, over the 20 MB default limit."""
    return "oversize.xlsx", xlsx({"Tiến độ": standard_rows()}) + b"\x00" * (21 * MB)


# ---------------------------------------------------------------- writing the corpus


def _version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def write_corpus(folder: Path) -> dict[str, Path]:
    """Every kind written under folder/<kind>/<filename>; a folder written by this same version is reused."""
    folder = Path(folder)
    manifest = folder / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        files = {k: folder / p for k, p in saved.get("files", {}).items()}
        if saved.get("version") == _version() and set(files) == set(KINDS) and all(p.exists() for p in files.values()):
            return files
    files = {}
    for name, build in KINDS.items():
        filename, data = build()
        path = folder / name / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[name] = path
    manifest.write_text(
        json.dumps({"version": _version(), "files": {k: str(p.relative_to(folder)) for k, p in files.items()}}),
        encoding="utf-8",
    )
    return files


if __name__ == "__main__":
    for name, path in write_corpus(Path(sys.argv[1])).items():
        print(f"{name}\t{path.stat().st_size}\t{path}")
