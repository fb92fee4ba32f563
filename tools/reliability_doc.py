"""Write docs/reliability.md from the reliability records of the last test run (stdlib only).

Every JSON file under test-output/reliability/ is a list of dicts (one row a case: a hostile file, a
killed process, a concurrent writer...). Each becomes a table with the dicts' keys as columns, and a
summary line: how many rows, the count of each status, the largest memory and time figures.

    python tools/reliability_doc.py            # or, from code: reliability_doc.write()
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "test-output" / "reliability"
DOC = ROOT / "docs" / "reliability.md"

# Known record files first, in this order, with a heading and a sentence; any other file follows.
KNOWN = {
    "hostile": (
        "Hostile files",
        "Each kind of hostile file from tests/hostile.py, sent through the command line "
        "(`python -m readiness ingest --json`). Peak memory is the largest resident set of the command "
        "and of the reader processes it waited for (wait4); a file run in a batch shares the batch's figures, "
        "which bound its own.",
    ),
    "hostile_inbox": (
        "Hostile files through the inbox",
        "The whole corpus dropped at once into the inbox of a running worker, then a valid report: how long the "
        "corpus took, whether the worker lived, how soon the valid report was stored.",
    ),
    "sigkill": ("Killed mid-write", "Processes killed with SIGKILL while writing, and what the next start found."),
    "concurrency": ("Concurrent writers", "Several writers at once, and what each got."),
}
_MEMORY = re.compile(r"mem|rss", re.I)
_TIME = re.compile(r"second|(^|_)s$|time|latency", re.I)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:g}" if abs(value) >= 1e6 else f"{value:.2f}".rstrip("0").rstrip(".")
    text = str(value)
    # A table cell shows no control or bidi-override characters and cannot end the row.
    text = "".join(
        c if c.isprintable() and c not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" else "�"
        for c in text
    )
    return text.replace("|", "\\|")


def table(rows: list[dict]) -> str:
    """A Markdown table of a list of dicts: the union of their keys, in first-seen order, as columns."""
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def _numbers(rows: list[dict], key: str) -> list[float]:
    return [r[key] for r in rows if isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)]


def summary(rows: list[dict]) -> str:
    """'55 rows; status: accepted 20, rejected 35; max peak_memory_mb 120.5; max seconds 9.8'."""
    parts = [f"{len(rows)} rows"]
    keys = list(dict.fromkeys(k for r in rows for k in r))
    for key in keys:
        values = [r.get(key) for r in rows]
        if key in ("status", "outcome", "result") and all(isinstance(v, (str, type(None))) for v in values):
            counts: dict[str, int] = {}
            for v in values:
                counts[str(v)] = counts.get(str(v), 0) + 1
            parts.append(f"{key}: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])))
    for pattern in (_MEMORY, _TIME):
        for key in keys:
            if pattern.search(key) and (numbers := _numbers(rows, key)):
                parts.append(f"max {key} {_cell(float(max(numbers)))}")
    return "; ".join(parts)


def _load(path: Path) -> list[dict] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict):  # tolerate {"rows": [...]} or one record
        data = data.get("rows", [data])
    if not isinstance(data, list):
        return None
    return [r for r in data if isinstance(r, dict)]


def render(records: Path = RECORDS) -> str:
    """The document's text from every JSON file under ``records``."""
    files = sorted(records.glob("*.json")) if records.exists() else []
    files.sort(key=lambda p: (list(KNOWN).index(p.stem) if p.stem in KNOWN else len(KNOWN), p.name))
    when = max((p.stat().st_mtime for p in files), default=None)
    stamp = dt.datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M") if when else "(no test run recorded)"
    out = [
        "# Độ tin cậy: không tệp nào làm ngừng bảng theo dõi / Reliability",
        "",
        f"_Written by tools/reliability_doc.py from the test run of {stamp}; do not edit by hand._",
        "",
        "What the board withstood in its reliability tests: files built to break a reader, processes killed "
        "mid-write, writers racing. Regenerate with `python tools/reliability_doc.py` after `pytest`.",
    ]
    for path in files:
        rows = _load(path)
        title, about = KNOWN.get(path.stem, (path.stem.replace("_", " ").capitalize(), ""))
        out += [
            "",
            f"## {title}",
            "",
            f"Source: `test-output/reliability/{path.name}`." + (f" {about}" if about else ""),
        ]
        if rows is None:
            out += ["", "(not a list of records: left out)"]
            continue
        out += ["", f"**Summary:** {summary(rows)}.", ""]
        if rows:
            out.append(table(rows))
    return "\n".join(out) + "\n"


def write(records: Path = RECORDS, doc: Path = DOC) -> Path:
    """Regenerate the document (the hook the reliability tests call when they end)."""
    doc.parent.mkdir(parents=True, exist_ok=True)
    text = render(records)
    tmp = doc.with_name(doc.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(doc)
    return doc


if __name__ == "__main__":
    print(write(*(Path(a) for a in sys.argv[1:3])))
