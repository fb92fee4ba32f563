"""Ingest benchmark: our whole pipeline against the pandas/openpyxl read a typical script does.

Generates N realistic unit checklist workbooks (.xlsx: administrative header block, "Đơn vị: <unit>",
"Ngày báo cáo: dd/mm/yyyy", header row STT | Mã NV | Nội dung công việc | Tiểu ban | Thời hạn |
Trạng thái | Tỷ lệ (%) | Người phụ trách | Ghi chú, a signature block) with about T tasks each, for the
16 units of data/exercise.toml on successive report dates (all files have different bytes), into a
temporary directory. Every fourth file is the tick-column form instead (a two-row header, one column per
status under "Kết quả thực hiện" with a mark in one, each subcommittee merged down over its tasks). Then, in one run and on the same files, it measures per file:

  ours      a fresh readiness.store.Store and store.ingest_path(path, source="cli"): read the bytes,
            validate, archive (blob + receipt), store (one DuckDB transaction). Every outcome must be
            "accepted", else the benchmark stops with an error.
  baseline  pandas.read_excel(path, engine="openpyxl", sheet_name=None): read only.

A few extra files (not timed) warm up each side first. It prints files/second for each, the ratio
ours/baseline throughput and the median and p95 ms per file for ours, against the aims:

  ratio ours/baseline throughput >= 5x
  median < 30 ms per 40-task file (ours, end to end)

It is a benchmark, not a test: it prints OK / BELOW AIM per aim and always exits 0.

    python bench/ingest.py [--files 200] [--tasks 40]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import pandas as pd  # noqa: E402

from readiness.config import load_config  # noqa: E402
from readiness.demo import CODES, OWNERS, TASKS, write_standard, write_ticks  # noqa: E402
from readiness.store import Incoming, Store  # noqa: E402

CONFIG = ROOT / "data" / "exercise.toml"
WARMUP = 5
AIM_RATIO = 5.0
AIM_MEDIAN_MS = 30.0
NOTES = ["", "", "", "", "Chờ cấp kinh phí", "Thiếu nhân lực", "Chờ phê duyệt", "Đã báo cáo BCĐ"]


def make_rows(rng: random.Random, n_tasks: int, d_day: dt.date, progress: float) -> list[dict]:
    """n_tasks rows across the five subcommittees; texts repeat the demo pool with a round suffix."""
    subs = list(TASKS)
    rows = []
    counters = dict.fromkeys(subs, 0)
    for i in range(n_tasks):
        sub = subs[i % len(subs)]
        pool = TASKS[sub]
        k = counters[sub]
        counters[sub] += 1
        text = pool[k % len(pool)]
        if k >= len(pool):
            text = f"{text} (đợt {k // len(pool) + 1})"
        p = min(1.0, max(0.0, progress + rng.uniform(-0.35, 0.35)))
        if p >= 0.98:
            status, percent = "done", 100.0
        elif p < 0.05:
            status, percent = "not_started", None
        elif rng.random() < 0.06:
            status, percent = "blocked", float(round(p * 20) * 5)
        else:
            status, percent = "in_progress", float(round(p * 20) * 5)
        rows.append(
            dict(
                sub=sub,
                task=text,
                code=f"{CODES[sub]}{k + 1:02d}",
                deadline=d_day - dt.timedelta(days=rng.choice([4, 8, 12, 18, 25, 32, 40, 48])),
                owner=rng.choice(OWNERS),
                status=status,
                percent=percent,
                note=rng.choice(NOTES) if status != "blocked" else "Chờ phê duyệt",
            )
        )
    return rows


def generate(out: Path, count: int, n_tasks: int, config, seed: int, start: int = 0) -> list[Path]:
    """count workbooks, units cycled, each unit's successive files dated 3 days apart (all distinct)."""
    rng = random.Random(seed)
    units = [u.name for u in config.units]
    subs_full = {s.short: s.name for s in config.subcommittees}
    d_day = config.d_day.date()
    first_day = d_day - dt.timedelta(days=100)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        unit = units[i % len(units)]
        round_no = i // len(units)
        report_date = first_day + dt.timedelta(days=3 * round_no + i % 3)
        rows = make_rows(rng, n_tasks, d_day, progress=min(1.0, 0.05 + 0.03 * round_no))
        path = out / f"{i:04d} {report_date:%Y-%m-%d} {unit}.xlsx"
        writer = write_ticks if i % 4 == 3 else write_standard
        path.write_bytes(writer(unit, report_date, rows, subs_full))
        paths.append(path)
    return paths


def run_ours(store: Store, paths: list[Path], n_tasks: int | None) -> list[float]:
    times = []
    for path in paths:
        t0 = time.perf_counter()
        outcome = store.ingest_path(path, source="cli")
        times.append(time.perf_counter() - t0)
        if outcome.status != "accepted" or (n_tasks is not None and outcome.tasks != n_tasks):
            msgs = [m.to_dict() for m in outcome.errors[:5]]
            raise SystemExit(f"FAILED: {path.name}: {outcome.status}, {outcome.tasks} tasks, errors {msgs}")
    return times


def run_batch(store: Store, paths: list[Path], n_tasks: int) -> float:
    """The CLI's way (`ingest FILE...`): every file read from disk, archived, then one transaction."""
    t0 = time.perf_counter()
    outcomes = store.ingest_many([Incoming(p.read_bytes(), p.name, source="cli") for p in paths])
    wall = time.perf_counter() - t0
    bad = [o for o in outcomes if o.status != "accepted" or o.tasks != n_tasks]
    if bad:
        raise SystemExit(f"FAILED: {bad[0].file}: {bad[0].status}, {bad[0].tasks} tasks")
    return wall


def run_baseline(paths: list[Path]) -> list[float]:
    times = []
    for path in paths:
        t0 = time.perf_counter()
        sheets = pd.read_excel(path, engine="openpyxl", sheet_name=None)
        times.append(time.perf_counter() - t0)
        if not sheets:
            raise SystemExit(f"FAILED: baseline read nothing from {path.name}")
    return times


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200, help="files to time (default 200)")
    ap.add_argument("--tasks", type=int, default=40, help="tasks per file (default 40)")
    args = ap.parse_args(argv)
    config = load_config(CONFIG)

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmpdir = Path(tmp)
        t0 = time.perf_counter()
        warm = generate(tmpdir / "warmup", WARMUP, args.tasks, config, seed=1, start=args.files)
        files = generate(tmpdir / "files", args.files, args.tasks, config, seed=2023)
        gen_s = time.perf_counter() - t0
        size_kb = sum(p.stat().st_size for p in files) / len(files) / 1024
        print(
            f"generated {len(files)} files x {args.tasks} tasks (+{WARMUP} warm-up), "
            f"{size_kb:.1f} KB each, in {gen_s:.1f} s"
        )

        # Throughput: the whole batch as `python -m readiness ingest FILE...` stores it.
        t0 = time.perf_counter()
        store = Store(tmpdir / "batch.duckdb", config, tmpdir / "archive-batch")
        open_ms = (time.perf_counter() - t0) * 1000
        try:
            run_batch(store, warm, args.tasks)
            ours_wall = run_batch(store, files, args.tasks)
            stored = store.con.execute("SELECT count(*) FROM tasks").fetchone()[0]
        finally:
            store.close()
        expected = (len(warm) + len(files)) * args.tasks
        if stored != expected:
            raise SystemExit(f"FAILED: {stored} task rows stored, expected {expected}")

        # Latency: each file alone, end to end, its own transaction (an upload, an inbox drop).
        store = Store(tmpdir / "single.duckdb", config, tmpdir / "archive-single")
        try:
            run_ours(store, warm, args.tasks)
            t0 = time.perf_counter()
            ours = run_ours(store, files, args.tasks)
            single_wall = time.perf_counter() - t0
        finally:
            store.close()

        run_baseline(warm)
        t0 = time.perf_counter()
        base = run_baseline(files)
        base_wall = time.perf_counter() - t0

    ours_fps = len(files) / ours_wall
    single_fps = len(ours) / single_wall
    base_fps = len(base) / base_wall
    ratio = ours_fps / base_fps
    med = statistics.median(ours) * 1000
    p95 = pct(ours, 0.95) * 1000

    def verdict(ok: bool) -> str:
        return "OK" if ok else "BELOW AIM"

    print(f"store opened (schema + config) in {open_ms:.1f} ms (not timed per file)")
    print(f"ours     (ingest FILE...: read, validate, archive, store):     {ours_fps:8.1f} files/s")
    print(f"ours     (one file at a time, a transaction each):             {single_fps:8.1f} files/s")
    print(f"baseline (pandas.read_excel, engine=openpyxl, read only):     {base_fps:8.1f} files/s")
    print(
        f"ours per file: median {med:.1f} ms, p95 {p95:.1f} ms, max {max(ours) * 1000:.1f} ms; "
        f"baseline median {statistics.median(base) * 1000:.1f} ms"
    )
    print(f"aim: ours/baseline throughput >= {AIM_RATIO:g}x: {ratio:.2f}x  {verdict(ratio >= AIM_RATIO)}")
    print(
        f"aim: median < {AIM_MEDIAN_MS:g} ms per {args.tasks}-task file: {med:.1f} ms  {verdict(med < AIM_MEDIAN_MS)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
