"""What the app writes for a person to open is inert: no text a unit sent becomes a formula, a link or a
number in Excel or LibreOffice, and every sheet name is one Excel accepts."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable

import pandas as pd
import xlsxwriter

# A spreadsheet evaluates a cell that starts with one of these (OWASP, "CSV Injection").
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# xlsxwriter turns '=...' into a formula, 'http://' or 'file://' into a link and '1e3' into a number
# unless told not to.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
SHEET_NAME_MAX = 31
# Excel refuses 'History' as a sheet name: it keeps it for the shared workbook's change log.
RESERVED_SHEET_NAMES = ("History",)
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def inert(value):
    """The value for a CSV cell: text a spreadsheet would evaluate gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def workbook(target) -> xlsxwriter.Workbook:
    """An in-memory xlsxwriter Workbook that writes every string as text, never as a formula, link or number."""
    return xlsxwriter.Workbook(target, {"in_memory": True, **WORKBOOK_OPTIONS})


def write_cell(ws, row: int, col: int, value, fmt=None) -> None:
    """Write a value; text always as a string cell, whatever it starts with ('' and None as a blank)."""
    if value is None or (isinstance(value, str) and not value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    else:
        ws.write(row, col, value, fmt)


def csv_text(df: pd.DataFrame) -> str:
    """The frame as CSV with every text cell (and header) inert; numbers, negative ones too, stay numbers."""
    out = df.rename(columns=inert)
    for col in out.select_dtypes(include=["object", "string"]).columns:
        out[col] = out[col].map(inert)
    # Every text field in quotes (OWASP): a carriage return inside one (left bare by the minimal quoting,
    # whose line ends are '\n') or a ';' where Excel's list separator is ';' cannot start a new cell.
    return out.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)


def sheet_name(name: str, taken: Iterable[str] = (), fallback: str = "Sheet") -> str:
    """`name` as a valid Excel sheet name: without []:*?/\\ or control characters, no apostrophe at either
    end, 1-31 characters, and different, ignoring case, from every name in `taken` and from the names
    Excel reserves; a clash gets ' (2)', ' (3)'... The caller adds the answer to `taken`."""
    used = {t.lower() for t in taken} | {r.lower() for r in RESERVED_SHEET_NAMES}
    base = _fit(_NOT_IN_SHEET_NAME.sub("", name).strip().strip("'"), SHEET_NAME_MAX).strip("'") or fallback
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        suffix = f" ({n})"
        candidate = _fit(base, SHEET_NAME_MAX - len(suffix)).rstrip("'") + suffix
    return candidate


def _fit(text: str, limit: int) -> str:
    """The longest prefix of text within `limit` UTF-16 units, as Excel counts a sheet name's length."""
    size = 0
    for i, ch in enumerate(text):
        size += 2 if ord(ch) > 0xFFFF else 1
        if size > limit:
            return text[:i]
    return text
