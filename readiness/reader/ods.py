"""What python-calamine does not say about an .ods: its merged cells and its formulas without a result.

python-calamine 0.9 reads an .ods's values but gives no merged ranges for it (``merged_cell_ranges``
is None), and reads a formula cell that carries no computed value as ''. The contract holds for .ods
as for .xlsx: a value merged down over several task rows belongs to each of them, and a formula with
no cached value in a status/percent/deadline cell asks the clerk to open and save the file. So
``content.xml`` is scanned here, tag by tag in document order, with regular expressions: no XML
parser ever sees a hostile file's entities. Repeats are counted, never expanded: LibreOffice writes
``table:number-rows-repeated="1048000"`` for the blank rows under a sheet, and only positions within
the reader's limits are recorded.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

# The reader's limits (sheets.MAX_ROWS, MAX_COLS, MAX_UNZIPPED), repeated here because sheets.py imports
# this module; tests/test_ods.py checks that they agree.
MAX_ROWS = 20_000
MAX_COLS = 200
MAX_UNZIPPED = 200 * 1024 * 1024
# A formula repeated over a block of rows and columns is recorded cell by cell; past this many cells
# the sheet is broken beyond what one more error would tell.
MAX_UNCACHED = 250_000
MAX_MERGES = 250_000
# The tags one file's scan reads (row and cell starts and ends; the cells of a row with no merge and no
# formula are passed over unread; a cell whose attributes are read counts as four). A checklist needs
# thousands, 20,000 rows with a formula in each about 300,000; past this the rest is not read.
MAX_TAGS = 500_000

Merge = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class OdsSheet:
    """One table of an .ods: its merged ranges (0-based ((first_row, first_col), (last_row, last_col)),
    as calamine gives them for .xlsx/.xls) and the (row, col) of its formula cells without a value."""

    merges: list[Merge] = field(default_factory=list)
    uncached: set[tuple[int, int]] = field(default_factory=set)


# The attributes of a start tag. An attribute cannot hold '<' (nor a '/' outside quotes), and nothing
# backtracks, so no match runs past the next tag and a scan stays linear however the file is damaged.
_ATTRS = rb"((?:\s(?:[^<>/\"']++|\"[^<\"]*+\"|'[^<']*+')*+)?)(/?)>"
# The tokenizer: the ends of tables and rows (1), the starts of tables, rows and cells (2) with their
# attributes (3) and a '/' when empty (4). The row wrappers (table:table-header-rows, -row-group,
# -rows) need nothing: the rows inside them count like any other, as calamine counts them.
_TAG = re.compile(
    rb"<(?:/(table:table(?:-row)?)\s*>|(table:table(?:-row|-cell)?|table:covered-table-cell)" + _ATTRS + rb")"
)
# Inside a formula cell: its paragraphs, and the comments and drawn shapes whose paragraphs it does not show.
_SHOWN = re.compile(rb"<(/?)(text:[ph]|office:annotation|draw:[\w.-]+)" + _ATTRS)
_ATTR = re.compile(rb"([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")

# The attributes holding a cell's value besides office:string-value (ODF 1.2, 19.385-19.389).
_VALUES = (b"office:value", b"office:date-value", b"office:time-value", b"office:boolean-value")

_ROW_END = b"</table:table-row>"
_TABLE_END = b"</table:table>"


def ods_layout(data: bytes) -> dict[str, OdsSheet]:
    """Sheet name -> its merges and uncached formula cells, for every table of an .ods's content.xml.

    A formula cell is uncached when calamine finds no result in it: no office:string-value (an empty
    one is a result) nor a non-empty office:value, date-value, time-value or boolean-value, and, for
    a string or untyped cell, no paragraph showing text (LibreOffice writes ="" as an empty one).
    {} when the zip or content.xml cannot be read: the sheets were read already, this adds nothing.
    Only positions within MAX_ROWS x MAX_COLS are recorded; a merge reaching past them is cut at them,
    and a merge in a repeated row or cell is recorded once, at its first repeat. After MAX_TAGS tags
    (a file no checklist comes near) the rest is not read: what was found until then is returned.
    """
    xml = _content(data)
    if xml is None:
        return {}
    return _scan(xml)


def _content(data: bytes) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z, z.open("content.xml") as f:
            xml = f.read(MAX_UNZIPPED + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return None  # not a zip, no content.xml, an encrypted part...
    except (zlib.error, NotImplementedError):  # a damaged stream; a compression zipfile cannot undo
        return None
    return xml if len(xml) <= MAX_UNZIPPED else None


def _attrs(text: bytes) -> dict[bytes, bytes]:
    return {k: double or single for k, double, single in _ATTR.findall(text)}


def _count(a: dict[bytes, bytes], key: bytes) -> int:
    """A repeat or span attribute; 1 when absent or not a positive number."""
    value = a.get(key)
    if value is None:
        return 1
    value = value.strip()
    return max(int(value), 1) if value.isdigit() and len(value) <= 9 else 1


class _Table:
    """The scan's place within one table."""

    def __init__(self, sheet: OdsSheet):
        self.sheet = sheet
        self.row = 0  # the first row of the current table-row element
        self.rows = 1  # how many rows it stands for (number-rows-repeated)
        self.col = 0
        self.in_row = False

    def end_row(self) -> None:
        if self.in_row:
            self.row += self.rows
        self.in_row, self.rows, self.col = False, 1, 0

    def add_uncached(self, col: int, repeat: int) -> None:
        cells = self.sheet.uncached
        if self.rows == repeat == 1 and len(cells) < MAX_UNCACHED:
            cells.add((self.row, col))  # the usual case: one cell (its row and column are within the limits)
            return
        for r in range(self.row, min(self.row + self.rows, MAX_ROWS)):
            for c in range(col, min(col + repeat, MAX_COLS)):
                if len(cells) >= MAX_UNCACHED:
                    return
                cells.add((r, c))


def _scan(xml: bytes) -> dict[str, OdsSheet]:
    sheets: dict[str, OdsSheet] = {}
    table: _Table | None = None
    nested = 0  # depth inside a table within a table (a sub-table), whose rows are not the sheet's
    pos = 0
    budget = MAX_TAGS
    while budget and (m := _TAG.search(xml, pos)):
        budget -= 1
        pos = m.end()
        end, start, attrs, empty = m.groups()
        if end == b"table:table":
            if nested:
                nested -= 1
            elif table is not None:
                table.end_row()
                table = None
        elif start == b"table:table":
            if empty:
                continue
            if table is not None or nested:
                nested += 1
                continue
            a = _attrs(attrs)
            if b"table:name" not in a:  # calamine reads no table without a name; its rows are no sheet's
                nested += 1
                continue
            # calamine keeps the last table of a name; so does this
            sheets[html.unescape(a[b"table:name"].decode("utf-8", "replace"))] = sheet = OdsSheet()
            table = _Table(sheet)
        elif table is None or nested:
            continue
        elif end:  # </table:table-row>
            table.end_row()
        elif start == b"table:table-row":
            table.end_row()  # a row left open by a damaged file ends where the next begins
            if table.row >= MAX_ROWS:  # nothing past the limit is recorded: on to the table's end
                found = xml.find(_TABLE_END, pos)
                pos = found if found >= 0 else len(xml)
                continue
            table.in_row = True
            table.rows = _count(_attrs(attrs), b"table:number-rows-repeated") if b"-repeated" in attrs else 1
            if empty:
                table.end_row()
                continue
            # Most rows hold no merge and no formula: their cells need no counting, on to the row's end.
            found = xml.find(_ROW_END, pos)
            if found >= 0 and xml.find(b"-spanned", pos, found) < 0 and xml.find(b"table:formula", pos, found) < 0:
                pos = found
        elif table.in_row:  # a cell or a covered cell
            if table.col >= MAX_COLS:  # nothing past the limit is recorded: on to the row's end
                found = xml.find(_ROW_END, pos)
                pos = found if found >= 0 else len(xml)
            elif b"-repeated" in attrs or b"-spanned" in attrs or b"table:formula" in attrs:
                pos = _cell(table, _attrs(attrs), xml, pos, None if empty else start)
                budget = max(budget - 3, 0)  # its attributes are read: a few tags' work
            else:
                table.col += 1
    return sheets


def _cell(table: _Table, a: dict[bytes, bytes], xml: bytes, pos: int, name: bytes | None) -> int:
    """Record a cell's merge and, for a formula without a result, its place; move past it. `name` is
    the cell's element when it has content, which ends at `pos`' next </name>."""
    repeat = _count(a, b"table:number-columns-repeated")
    row, col = table.row, table.col
    rows_spanned = _count(a, b"table:number-rows-spanned")
    cols_spanned = _count(a, b"table:number-columns-spanned")
    if (rows_spanned > 1 or cols_spanned > 1) and len(table.sheet.merges) < MAX_MERGES:
        # the first of a repeated cell in the first of a repeated row: spans are not repeated in practice
        last = (min(row + rows_spanned, MAX_ROWS) - 1, min(col + cols_spanned, MAX_COLS) - 1)
        table.sheet.merges.append(((row, col), last))
    if b"table:formula" in a and not _has_value(a):
        shown = False
        if name is not None and a.get(b"office:value-type", b"string").strip() == b"string":
            end = xml.find(b"</" + name + b">", pos)
            if end >= 0:
                shown, pos = _shows_text(xml, pos, end), end
        if not shown:  # nothing shown; or a number, date... whose value is missing (calamine reads '')
            table.add_uncached(col, repeat)
    table.col += repeat
    return pos


def _has_value(a: dict[bytes, bytes]) -> bool:
    """A result calamine reads from the cell's attributes: office:string-value, even empty, or a
    non-empty office:value, date-value, time-value or boolean-value."""
    if b"office:string-value" in a:
        return True
    for key in _VALUES:
        value = a.get(key)
        if value and value.strip():
            return True
    return False


def _shows_text(xml: bytes, start: int, end: int) -> bool:
    """A paragraph in the cell content xml[start:end], outside its comments and shapes."""
    hidden = 0
    for m in _SHOWN.finditer(xml, start, end):
        closing, name, empty = m.group(1), m.group(2), m.group(4)
        if name in (b"text:p", b"text:h"):
            if not closing and hidden == 0:
                return True
        elif not empty:
            hidden = max(hidden + (-1 if closing else 1), 0)
    return False
