"""SIGKILL at random points of batch ingests: an acknowledged file is stored, nothing is half-stored,
and the archive alone rebuilds the board the live database shows.

Each trial is a process ingesting batches (valid and rejected files, varied units and dates) into one
database shared by every trial, as a real board lives through crash after crash, killed after a
seeded random delay. The process prints where it is (opening, archiving, reading, transaction), so a
kill is attributed to a phase, and an acknowledgement after each batch returns: through the store
as the app and the inbox do, or through the command line (`ingest --json`) every fourth trial.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from pathlib import Path

import pytest
from batches import contract_breaches, differing, figures, pool, record
from conftest import ROOT

from readiness.archive import Archive, Receipt
from readiness.rebuild import rebuild
from readiness.store import Store

KILLS = int(os.environ.get("KILLS", 50))  # fewer for a quick look while changing the store
MAX_TRIALS = 80  # a kill that comes after the process finished is no kill: try again
SEED = 15112023
BATCHES, BATCH_SIZE = 4, 5
CRASH_FIGURES = ("headline", "heatmap", "subcommittees")

# Runs the ingest in its own process. It imports, starts its readers, says "imported", waits for "go"
# on stdin (the kill delay counts from there, so the next process can start while a trial is checked),
# then reports each phase as it starts and acknowledges each batch once ingest_many has returned.
DRIVER = r"""
import json, sys
from pathlib import Path

def say(**kw):
    sys.stdout.write(json.dumps(kw, ensure_ascii=False) + "\n")
    sys.stdout.flush()

from readiness import cli, store as store_module
from readiness.config import load_config
from readiness.store import Incoming, Store

def marked(name, fn, after=None):
    def wrapper(*args, **kwargs):
        say(phase=name)
        result = fn(*args, **kwargs)
        if after:
            say(phase=after)
        return result
    return wrapper

Store.__init__ = marked("open", Store.__init__, after="ready")
Store._archive = marked("archive", Store._archive)
store_module.read_many = marked("read", store_module.read_many)
Store._store_locked = marked("transaction", Store._store_locked, after="answers")
mode, db, config_path, batches = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
# Readers start before "go", as in the app where they are kept: the kills then spread over the
# batches instead of landing mostly in one reader start-up.
from readiness.sandbox import Job, Sandbox
Sandbox.shared(load_config(config_path)).read_many([Job(b"STT\n", "warm.csv")] * 2)
say(phase="imported")
sys.stdin.readline()
if mode == "cli":
    files = [p for batch in batches for p in batch]
    code = cli.main(["--db", db, "--config", config_path, "ingest", "--json", "--timeout", "5", *files])
else:
    code = 0
    with Store(db, load_config(config_path)) as store:
        for batch in batches:
            outcomes = store.ingest_many([Incoming(Path(p).read_bytes(), Path(p).name) for p in batch])
            say(ack=[o.to_json() for o in outcomes])
say(phase="done")
sys.exit(0 if code in (0, 1) else code)
"""


class Run:
    """One driver process, its output lines read as they come (with the time they came)."""

    def __init__(self, mode: str, db: Path, config_path: Path, batches: list[list[str]], stderr):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.mode = mode
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER, mode, str(db), str(config_path), json.dumps(batches)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its reader processes die with it
        )
        self.lines: list[dict] = []
        self.imported = threading.Event()
        self.ready = threading.Event()  # the store is open: the batches begin
        self.opened_at = self.done_at = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for raw in self.proc.stdout:
            try:
                line = json.loads(raw)
            except ValueError:  # a line cut by the kill
                continue
            self.lines.append(line)
            if line.get("phase") == "imported":
                self.imported.set()
            elif line.get("phase") == "ready":
                self.opened_at = time.monotonic()
                self.ready.set()
            elif line.get("phase") == "done":
                self.done_at = time.monotonic()
        self.imported.set()
        self.ready.set()

    def go(self) -> float:
        w = time.monotonic()
        assert self.imported.wait(60), "the driver did not start"
        self.waited = time.monotonic() - w
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()
        return time.monotonic()

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def finish(self, timeout: float = 60) -> int:
        code = self.proc.wait(timeout)
        self._thread.join(timeout)
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        return code

    @property
    def phase(self) -> str:
        phases = [line["phase"] for line in self.lines if "phase" in line]
        return phases[-1] if phases else "launch"

    @property
    def acknowledged(self) -> list[dict]:
        out = []
        for line in self.lines:
            if "ack" in line:
                out += line["ack"]
            elif "status" in line:  # the command line's answer, one line a file
                out.append(line)
        return out


def acknowledged_missing(store: Store, acks: list[dict]) -> list[dict]:
    """The acknowledged answers the database does not hold as answered."""
    rows = {
        sid: (digest, name, status)
        for sid, digest, name, status in store.con.execute(
            "SELECT id, sha256, original_name, status FROM submissions"
        ).fetchall()
    }
    return [a for a in acks if rows.get(a["submission_id"]) != (a["sha256"], Path(a["file"]).name, a["status"])]


@pytest.fixture
def scratch(tmp_path):
    """A folder for throwaway databases, on tmpfs when there is one: spares each trial's rebuild its fsyncs."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_sigkill_at_random_points_loses_nothing_acknowledged_and_half_stores_nothing(tmp_path, scratch, config):
    rng = random.Random(SEED)
    files = [path for path, _ in pool(tmp_path / "files", [u.name for u in config.units], 160, SEED)]
    db, archive = tmp_path / "board.duckdb", tmp_path / "archive"
    config_path = ROOT / "data" / "exercise.toml"
    stderr_path = tmp_path / "driver.err"

    def start(trial: int) -> Run:
        mode = "cli" if trial % 4 == 3 else "store"
        chosen = [str(p) for p in rng.sample(files, BATCHES * BATCH_SIZE)]
        batches = [chosen[i : i + BATCH_SIZE] for i in range(0, len(chosen), BATCH_SIZE)]
        with open(stderr_path, "ab") as err:
            return Run(mode, db, config_path, batches, err)

    trials: list[dict] = []
    began = time.monotonic()
    # Two processes wait imported ahead of the one killed, so imports overlap the checks.
    ahead = deque(start(i) for i in range(2))
    # Trial 0 is not killed: it measures the opening and the batches here, the range of kill delays.
    # A quarter of the kills fall while the store opens, the rest while the batches run.
    opening = work = None
    trial = 0
    while sum(t["killed"] for t in trials) < KILLS and trial < MAX_TRIALS:
        done = ahead.popleft()
        ahead.append(start(trial + 2))
        t0 = done.go()
        if work is None:
            kill_after = killed = None
            code = done.finish()
            assert code == 0, stderr_path.read_text(errors="replace")[-3000:]
            opening = done.opened_at - t0
            work = done.done_at - done.opened_at  # to the last answer: what comes after is only the exit
        else:
            if rng.random() < 0.25:
                time.sleep(rng.uniform(0, opening))
            else:
                done.ready.wait(30)
                time.sleep(rng.uniform(0, work))
            kill_after = time.monotonic() - t0
            killed = done.proc.poll() is None
            done.kill()
            done.finish()

        row = {
            "trial": trial,
            "mode": done.mode,
            "kill_after_s": None if kill_after is None else round(kill_after, 3),
            "killed": bool(killed),
            "phase": done.phase if killed else "completed",
            "acknowledged": len(done.acknowledged),
        }
        row["wait_s"] = round(done.waited, 3)
        c0 = time.monotonic()
        try:
            with Store(db, config) as store:
                row["stored"] = len(done.acknowledged) - len(acknowledged_missing(store, done.acknowledged))
                breaches = contract_breaches(store)
                row["consistent"] = not any(breaches.values())
                row["breaches"] = {k: v[:5] for k, v in breaches.items() if v}
                row["submissions"] = store.con.execute("SELECT count(*) FROM submissions").fetchall()[0][0]
                live = figures(store, CRASH_FIGURES)
                archived = len(store.archive.receipts())
            row["archived_not_stored"] = archived - row["submissions"]
            checked = time.monotonic()
            row["check_s"] = round(checked - c0, 3)
            rebuilt_db = scratch / "rebuilt.duckdb"
            rebuild(rebuilt_db, config, archive)
            with Store(rebuilt_db, config, archive) as rebuilt:
                row["rebuild_differs"] = differing(live, figures(rebuilt, CRASH_FIGURES))
            row["rebuild_equal"] = not row["rebuild_differs"]
            row["rebuild_s"] = round(time.monotonic() - checked, 3)
        except Exception as exc:  # recorded, then fails the test below with the others
            row["error"] = f"{type(exc).__name__}: {exc}"
        trials.append(row)
        trial += 1
    for run in ahead:
        run.kill()
        run.finish()

    elapsed = time.monotonic() - began
    killed = [t for t in trials if t["killed"]]
    summary = {
        "summary": True,
        "trials": len(trials),
        "kills": len(killed),
        "kills_by_phase": dict(Counter(t["phase"] for t in killed)),
        "seconds": round(elapsed, 1),
    }
    record("sigkill", [*trials, summary])
    print(json.dumps(summary, ensure_ascii=False))

    assert len(killed) >= KILLS, summary
    assert [t for t in trials if "error" in t] == []
    assert [t for t in trials if t["stored"] != t["acknowledged"]] == []
    assert [t for t in trials if not t["consistent"]] == []
    unequal = [t for t in trials if not t["rebuild_equal"]]
    assert not unequal, (
        f"{len(unequal)} of {len(trials)} trials: the rebuild from the archive shows other figures than the live "
        f"database (first: trial {unequal[0]['trial']}, {unequal[0]['archived_not_stored']} arrivals archived, not stored)"
    )
    # Kills must have landed inside the work, not only before it.
    assert {"archive", "read", "transaction"} & set(summary["kills_by_phase"]), summary


# Writes one receipt and is killed half-way through writing it (before the fsync and the rename).
CUT_RECEIPT = r"""
import os, signal, sys
from readiness import archive

real_write = os.write

def write_half_then_die(fd, data):
    real_write(fd, bytes(data[: len(data) // 2]))
    os.kill(os.getpid(), signal.SIGKILL)

archive.os.write = write_half_then_die
archive.Archive(sys.argv[1]).record([archive.Receipt("cd" * 32, "b.xlsx", "2023-09-02T08:00:00", "inbox")])
"""


def test_a_receipt_cut_by_a_kill_is_not_read_as_an_arrival(tmp_path):
    root = tmp_path / "archive"
    first = Archive(root)
    first.commit(first.record([Receipt("ab" * 32, "a.xlsx", "2023-09-01T08:00:00", "cli")]))  # stored: it counts
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", CUT_RECEIPT, str(root)], env=env, cwd=ROOT, timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert [r.original_name for r in Archive(root).receipts()] == ["a.xlsx"]
