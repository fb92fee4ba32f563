"""Everything at once on one database: uploads from threads, the inbox worker, readers running every
named query, and command-line ingests started together. Nothing is lost or stored twice, no reader
fails, and the board shows what a serial run of the same files shows."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from batches import TODAY, contract_breaches, differing, figures, pool, record_entry
from conftest import ROOT

from readiness import queries
from readiness.auth import User
from readiness.handover import requests_dir
from readiness.inbox import InboxWorker
from readiness.store import Incoming, Store

SEED = 7
UPLOADS = INBOX = 20
RESENT = 4  # uploads whose bytes also arrive in the inbox under another name, at the same moment
READERS = 3
CLI_PROCESSES = 12
WAIT_S = 60.0
CONFIG = ROOT / "data" / "exercise.toml"


def query_params(config) -> dict:
    """A value for every $parameter any named query takes."""
    return {
        "today": TODAY,
        "limit": 20,
        "unit": config.units[0].name,
        "subcommittee": config.subcommittees[1].name,
        "old": 1,
        "new": 2,
        "id": 3,
        "since": TODAY - dt.timedelta(days=7),
    }


def stored_names(store: Store) -> dict[str, int]:
    rows = store.con.execute("SELECT original_name, count(*) FROM submissions GROUP BY 1").fetchall()
    return dict(rows)


def test_uploads_inbox_and_readers_at_once_lose_nothing_and_show_the_serial_figures(tmp_path, config):
    files = pool(tmp_path / "files", [u.name for u in config.units], UPLOADS + INBOX, SEED)
    uploads, dropped = files[0::2], files[1::2]
    # Arrival order must not decide what counts: send in a shuffled order, not in date order.
    random.Random(SEED).shuffle(uploads)
    random.Random(SEED + 1).shuffle(dropped)
    valid = [(p, u) for p, u in uploads if p.suffix == ".xlsx" and not p.stem.endswith(("-bad", "-cut", "-empty"))]
    for path, unit in valid[:RESENT]:
        copy = path.with_name("gui-lai-" + path.name)  # "sent again"
        copy.write_bytes(path.read_bytes())
        dropped.insert(0, (copy, unit))
        files.append((copy, unit))
    db, inbox = tmp_path / "board.duckdb", tmp_path / "inbox"
    params = query_params(config)
    names = queries.names()
    start = threading.Barrier(UPLOADS + READERS + 2)
    stop = threading.Event()
    errors: list[str] = []
    runs = [0] * READERS
    went_back: list[str] = []  # a reader that saw the data version go down

    def upload(i: int, path: Path, unit: str) -> None:
        # Half the senders are the unit's own clerk, half the secretariat, as on the upload page.
        user = User(f"clerk{i}", "uploader", (unit,)) if i % 2 else User("thuky", "secretariat")
        start.wait()
        try:
            store.ingest_many([Incoming(path.read_bytes(), path.name, source="upload")], user=user)
        except Exception as exc:
            errors.append(f"upload {path.name}: {type(exc).__name__}: {exc}")

    def drop() -> None:
        start.wait()
        rng = random.Random(SEED)
        for i, (path, unit) in enumerate(dropped):
            folder = inbox / unit if i % 3 == 0 else inbox  # some in the unit's own sub-folder
            folder.mkdir(parents=True, exist_ok=True)
            part = folder / (path.name + ".part")  # a copy in progress is not taken
            part.write_bytes(path.read_bytes())
            os.replace(part, folder / path.name)
            time.sleep(rng.uniform(0, 0.05))

    def read(k: int) -> None:
        start.wait()
        version = -1
        while not stop.is_set():
            try:
                for name in names:
                    store.query(name, **params)
                now = store.data_version()
            except Exception as exc:
                errors.append(f"reader {k}: {type(exc).__name__}: {exc}")
                return
            if now < version:
                went_back.append(f"reader {k}: {version} -> {now}")
            version = now
            runs[k] += 1

    with Store(db, config) as store:
        worker = InboxWorker(store, inbox, settle_s=0.05, scan_s=0.2).start()
        threads = [threading.Thread(target=upload, args=(i, p, u)) for i, (p, u) in enumerate(uploads)]
        threads += [threading.Thread(target=read, args=(k,)) for k in range(READERS)]
        threads.append(threading.Thread(target=drop))
        for t in threads:
            t.start()
        began = time.monotonic()
        start.wait()
        deadline = began + WAIT_S
        # Until every dropped file is answered, or set aside after failing (quarantined).
        while worker.state.processed + worker.state.quarantined < len(dropped) and time.monotonic() < deadline:
            time.sleep(0.05)
        for t in threads[:UPLOADS]:
            t.join(max(0, deadline - time.monotonic()))
        seconds = time.monotonic() - began
        stop.set()
        for t in threads:
            t.join(WAIT_S)
        worker.stop()

        counts = stored_names(store)
        accepted_twice = store.con.execute(
            "SELECT sha256 FROM submissions WHERE status = 'accepted' GROUP BY 1 HAVING count(*) > 1"
        ).fetchall()
        breaches = contract_breaches(store)
        live = figures(store)
        by_date = dict(store.con.execute("SELECT original_name, report_date FROM submissions").fetchall())

    # The same files one by one into a fresh database, oldest report first.
    with Store(tmp_path / "serial.duckdb", config, tmp_path / "serial-archive") as serial:
        for path, _ in sorted(files, key=lambda f: (by_date.get(f[0].name) is None, by_date.get(f[0].name), f[0].name)):
            serial.ingest_many([Incoming(path.read_bytes(), path.name)])
        differs = differing(live, figures(serial))

    names_sent = [p.name for p, _ in files]
    lost = [n for n in names_sent if n not in counts]
    twice = {n: c for n, c in counts.items() if c != 1}
    record_entry(
        "concurrency",
        {
            "test": "threads",
            "uploads": UPLOADS,
            "inbox": len(dropped),
            "readers": READERS,
            "reader_rounds": runs,
            "seconds": round(seconds, 2),
            "submissions": sum(counts.values()),
            "lost": len(lost),
            "stored_twice": len(twice) + len(accepted_twice),
            "figures_differ": differs,
            "errors": errors[:10],
        },
    )
    assert errors == []
    assert worker.state.failures == 0, worker.state.last_error
    assert lost == [] and twice == {} and accepted_twice == []
    assert set(counts) == set(names_sent)
    assert {k: v for k, v in breaches.items() if v} == {}
    assert went_back == []
    assert all(runs), runs  # every reader ran every query at least once while the writers wrote
    assert differs == []


def test_command_line_ingests_started_together_without_the_app_all_store_their_file(tmp_path, config):
    files = [p for p, _ in pool(tmp_path / "files", [u.name for u in config.units], CLI_PROCESSES, SEED, 0)]
    db = tmp_path / "board.duckdb"
    requests = requests_dir(db)  # where a command hands its work to a running app
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("READINESS_DB", None)
    began = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "readiness", "--db", str(db), "--config", str(CONFIG), "ingest", "--json", str(p)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        for p in files
    ]
    ended: dict[int, float] = {}
    handed_over = 0
    while len(ended) < len(procs) and time.monotonic() - began < WAIT_S:
        for i, proc in enumerate(procs):
            if i not in ended and proc.poll() is not None:
                ended[i] = time.monotonic() - began
        # No app runs here: a process that handed its file over waits for an answer that never comes.
        handed_over = len(list(requests.iterdir())) if requests.exists() else 0
        if handed_over and len(ended) + handed_over >= len(procs):
            break
        time.sleep(0.1)
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    outputs = [proc.communicate(timeout=30) for proc in procs]
    codes = [proc.returncode for proc in procs]

    with Store(db, config) as store:
        counts = stored_names(store)
        accepted = store.con.execute("SELECT count(*) FROM submissions WHERE status = 'accepted'").fetchall()[0][0]
        breaches = contract_breaches(store)
    record_entry(
        "concurrency",
        {
            "test": "cli",
            "processes": len(procs),
            "exit_codes": codes,
            "seconds_to_exit": sorted(round(s, 2) for s in ended.values()),
            "handed_over": handed_over,
            "stored": sum(counts.values()),
            "accepted": accepted,
        },
    )
    stderr = "\n".join(err.decode(errors="replace")[-500:] for _, err in outputs if err)
    assert handed_over == 0, stderr
    assert codes == [0] * len(procs), stderr
    assert max(ended.values()) < WAIT_S
    assert sorted(counts) == sorted(p.name for p in files) and set(counts.values()) == {1}
    assert accepted == len(files)
    assert {k: v for k, v in breaches.items() if v} == {}
