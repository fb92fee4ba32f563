"""Formula cells of an .xlsx that hold no cached value: a parser reads them as blank.

A workbook written by a program (openpyxl, a report generator) and never opened in a spreadsheet
carries its formulas without results (`<c r="F5"><f>E5/D5</f></c>` or `<v/>`); python-calamine
0.9 reads such a cell as '' and exposes no formulas, so the sheet's XML is scanned here. Regular
expressions only: no XML parser ever sees a hostile file's entities.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile

_ANY_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A formula cell: its start tag, the <f> that is its first child, then the <v> if there is one.
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>))?",
    re.S,
)
_ATTR = re.compile(rb"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: double or single for k, double, single in _ATTR.findall(tag)}


def sheet_part(z: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding a worksheet, found by its name through workbook.xml and its relationships."""
    try:
        book = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    rel_id = None
    for m in _SHEET.finditer(book):
        a = _attrs(m.group(0))
        if html.unescape(a.get(b"name", b"").decode("utf-8", "replace")) == sheet_name:
            rel_id = a.get(b"id")
            break
    if rel_id is None:
        return None
    for m in _REL.finditer(rels):
        a = _attrs(m.group(0))
        if a.get(b"Id") == rel_id:
            target = html.unescape(a.get(b"Target", b"").decode("utf-8", "replace"))
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


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
            parts = {name: sheet_part(z, name) for name in sheet_names}
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return {}  # the sheets were read already; a part this cannot read adds nothing
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
            cells.add((int(ref.group(2)) - 1, _col_index(ref.group(1))))
    return cells


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1
