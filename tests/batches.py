"""Shared by the reliability tests (crash, concurrency): a pool of varied report files, the board's
figures of a database without its ids, and the data contracts a database must keep whatever happened."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pandas as pd
from conftest import ROOT, standard_rows, xlsx

from readiness.archive import Archive

TODAY = dt.date(2023, 10, 20)
RESULTS = ROOT / "test-output" / "reliability"
# What the board shows; every query here reads only from the reports that count, so two databases
# holding the same accepted reports show the same figures whatever the arrival order or the ids.
FIGURES = ("headline", "heatmap", "subcommittees", "stale", "risks", "overdue", "history")
TASK_ROWS = [
    ("Xây dựng văn kiện khối {n}", "Văn kiện", "30/09/2023"),
    ("Phương án bảo đảm an ninh {n}", "An ninh", "10/10/2023"),
    ("Treo băng rôn, khẩu hiệu {n}", "Khánh tiết", "01/11/2023"),
    ("Chuẩn bị sở chỉ huy {n}", "Hậu cần", "20/10/2023"),
]
STATUSES = ("Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Vướng mắc")


def report(rng: random.Random, unit: str, date: dt.date, bad: bool = False) -> bytes:
    """A report of 2-4 tasks with random statuses and progress; `bad`: one percent out of range."""
    rows = []
    for n, (task, sub, deadline) in enumerate(rng.sample(TASK_ROWS, rng.randint(2, 4)), start=1):
        status = rng.choice(STATUSES)
        percent = {"Hoàn thành": 100, "Chưa thực hiện": ""}.get(status, rng.randrange(0, 100, 5))
        rows.append([n, task.format(n=n), sub, deadline, status, percent, "", ""])
    if bad:
        rows[0][4:6] = ["Đang thực hiện", 160]
    return xlsx({"Tiến độ": standard_rows(unit, date.strftime("%d/%m/%Y"), rows)})


def pool(folder: Path, units: list[str], n: int, seed: int, invalid_every: int = 5) -> list[tuple[Path, str]]:
    """N files (path, unit), one (unit, report date) each, every `invalid_every`-th one rejected for
    a different reason (a percent out of range, an empty file, a damaged workbook, a table-less CSV)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        unit = units[i % len(units)]
        date = dt.date(2023, 9, 1) + dt.timedelta(days=i // len(units))
        name = f"{i:03d}-{unit.split()[-1].lower()}-{date:%d%m}"
        if invalid_every and i % invalid_every == invalid_every - 1:
            kind = (i // invalid_every) % 4
            if kind == 0:
                path, data = folder / f"{name}-bad.xlsx", report(rng, unit, date, bad=True)
            elif kind == 1:
                path, data = folder / f"{name}-empty.xlsx", b""
            elif kind == 2:
                path, data = folder / f"{name}-cut.xlsx", report(rng, unit, date)[:700]
            else:
                path, data = folder / f"{name}.csv", f"xin chào,{i}\n".encode()
        else:
            path, data = folder / f"{name}.xlsx", report(rng, unit, date)
        path.write_bytes(data)
        paths.append((path, unit))
    return paths


def figures(store, names=FIGURES) -> dict[str, pd.DataFrame]:
    """The board's figures on TODAY, without ids and arrival times (they depend on when and in which
    order the files came, not on what they say)."""
    out = {}
    for name in names:
        df = store.query(name, today=TODAY)
        dropped = [c for c in df.columns if c == "id" or c.endswith("_id") or "received" in c]
        out[name] = df.drop(columns=dropped).reset_index(drop=True)
    return out


def differing(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> list[str]:
    """The names of the figures that differ between two databases."""
    return [name for name in a if not a[name].equals(b[name])]


# Accepted submissions whose task rows do not number n_tasks, tasks of a submission that is not
# accepted or not there, current reports that are not each unit's latest accepted report.
HALF_STORED = """
SELECT s.id, s.n_tasks, count(t.submission_id) AS rows
FROM submissions AS s LEFT JOIN tasks AS t ON t.submission_id = s.id
GROUP BY s.id, s.n_tasks, s.status
HAVING count(t.submission_id) <> CASE WHEN s.status = 'accepted' THEN s.n_tasks ELSE 0 END
UNION ALL
SELECT t.submission_id, NULL, count(*) FROM tasks AS t
WHERE t.submission_id NOT IN (SELECT id FROM submissions) GROUP BY 1
"""
CURRENT_WRONG = """
WITH expected AS (
    SELECT unit, id FROM accepted_reports
    QUALIFY row_number() OVER (PARTITION BY unit ORDER BY report_date DESC, received_at DESC, id DESC) = 1
)
(SELECT * FROM expected EXCEPT SELECT * FROM current_reports)
UNION ALL
(SELECT * FROM current_reports EXCEPT SELECT * FROM expected)
"""


def contract_breaches(store) -> dict[str, list]:
    """What no crash or race may leave behind: half-stored submissions, a wrong current report, a
    stored submission whose bytes or receipt are not in the archive."""
    con = store.con.cursor()
    archive = Archive(store.archive.root)
    receipts = {(r.sha256, r.original_name, r.received) for r in archive.receipts()}
    stored = con.execute(
        "SELECT id, sha256, original_name, received_at FROM submissions WHERE sha256 <> '' ORDER BY id"
    ).fetchall()
    return {
        "half_stored": con.execute(HALF_STORED).fetchall(),
        "current_wrong": con.execute(CURRENT_WRONG).fetchall(),
        "bytes_missing": [sid for sid, digest, _, _ in stored if not archive.blob_path(digest).exists()],
        "receipt_missing": [sid for sid, digest, name, at in stored if (digest, name, at) not in receipts],
    }


def record(name: str, rows: list[dict]) -> Path:
    """Write test-output/reliability/NAME.json (a list of dicts) for docs/ and the report."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def record_entry(name: str, entry: dict, key: str = "test") -> Path:
    """Put one entry in test-output/reliability/NAME.json, replacing the one with the same `key`."""
    path = RESULTS / f"{name}.json"
    rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    return record(name, [r for r in rows if r.get(key) != entry[key]] + [entry])
