"""The inbox worker: files dropped (one, many, a bad one, one still being written), files waiting
before start, the unit from a sub-folder; and the command line handing files to a running app."""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, standard_rows, wait_for, xlsx

from readiness.inbox import InboxWorker
from readiness.store import Store


@pytest.fixture
def worker(store, tmp_path):
    w = InboxWorker(store, tmp_path / "inbox", settle_s=0.3, scan_s=0.5, incomplete_max_s=2.0)
    yield w
    w.stop()


def statuses(store):
    return (
        store.con.cursor().execute("SELECT original_name, status, unit, source FROM submissions ORDER BY id").fetchall()
    )


def drop(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, folder / name)  # as a copy tool finishes a file
    return folder / name


def test_files_waiting_before_start_are_taken_in_arrival_order(store, worker):
    inbox = worker.root
    first = drop(inbox, "b-yen-binh.xlsx", xlsx({"S": standard_rows("Phường Yên Bình")}))
    second = drop(inbox, "a-yen-son.xlsx", xlsx({"S": standard_rows("Xã Yên Sơn")}))
    os.utime(first, (time.time() - 60, time.time() - 60))  # arrived a minute earlier
    worker.start()
    assert wait_for(lambda: len(statuses(store)) == 2)
    assert [r[0] for r in statuses(store)] == ["b-yen-binh.xlsx", "a-yen-son.xlsx"]
    assert all(r[1] == "accepted" and r[3] == "inbox" for r in statuses(store))
    assert wait_for(lambda: not first.exists() and not second.exists())  # moved out; the archive has the bytes


def test_many_at_once_a_bad_one_and_the_worker_goes_on(store, worker):
    worker.start()
    inbox = worker.root
    rows = standard_rows("Xã Đông Sơn")
    rows[7][5] = 300
    drop(inbox, "bad.xlsx", xlsx({"S": rows}))
    drop(inbox, "garbage.xlsx", b"PK\x03\x04 not really a workbook")  # answered after incomplete_max_s
    for unit in ("Phòng Nội vụ", "Hội Liên hiệp Phụ nữ thành phố", "Xã Yên Sơn"):
        drop(inbox, f"{unit}.xlsx", xlsx({"S": standard_rows(unit)}))
    assert wait_for(lambda: len(statuses(store)) == 5)
    answers = {r[0]: r[1] for r in statuses(store)}
    assert answers["bad.xlsx"] == "rejected" and answers["garbage.xlsx"] == "rejected"
    assert [answers[f"{u}.xlsx"] for u in ("Phòng Nội vụ", "Hội Liên hiệp Phụ nữ thành phố", "Xã Yên Sơn")] == [
        "accepted"
    ] * 3
    digest = (
        store.con.cursor().execute("SELECT sha256 FROM submissions WHERE original_name = 'bad.xlsx'").fetchall()[0][0]
    )
    report = json.loads(store.archive.report_path(digest).read_text(encoding="utf-8"))
    assert report[0]["code"] == "percent_range"  # the error report beside the archived copy
    assert worker.state.processed == 5 and worker.state.running


def test_a_file_still_being_written_waits_until_it_stops_growing(store, worker):
    # Driven step by step (no thread): the half-copied workbook has held its size past the settle
    # time, but its zip directory is missing, so it must not be taken (and rejected as damaged).
    worker.root.mkdir(parents=True, exist_ok=True)
    data = xlsx({"S": standard_rows("Phường Yên Bình")})
    path = worker.root / "dang-chep.xlsx"
    with open(path, "wb") as f:
        f.write(data[:1000])
        f.flush()
        for _ in range(3):
            worker.step()
            time.sleep(worker.settle_s)
        assert statuses(store) == [] and path.exists()
        f.write(data[1000:])
    assert wait_for(lambda: worker.step() is not None and len(statuses(store)) == 1)
    assert statuses(store)[0][1] == "accepted"


def test_the_unit_comes_from_a_sub_folder_named_after_it(store, worker):
    worker.start()
    no_unit = xlsx({"S": [["STT", "Nội dung", "Tiểu ban", "Trạng thái"], [1, "Dự toán", "Hậu cần", "Xong"]]})
    drop(worker.root / "Phòng TC-KH", "tuan-3.xlsx", no_unit)
    assert wait_for(lambda: len(statuses(store)) == 1)
    assert statuses(store)[0][1:3] == ("accepted", "Phòng Tài chính - Kế hoạch")


def test_partial_downloads_and_office_lock_files_are_left_alone(store, worker):
    worker.start()
    drop(worker.root, "~$bao-cao.xlsx", b"lock")
    drop(worker.root, "bao-cao.xlsx.crdownload", b"partial")
    drop(worker.root, "real.xlsx", xlsx({"S": standard_rows()}))
    assert wait_for(lambda: len(statuses(store)) == 1)
    time.sleep(0.6)
    assert [r[0] for r in statuses(store)] == ["real.xlsx"]
    assert (worker.root / "~$bao-cao.xlsx").exists()


APP = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from readiness.config import load_config
    from readiness.store import Store
    from readiness.inbox import InboxWorker
    store = Store({db!r}, load_config({config!r}))
    worker = InboxWorker(store, {inbox!r}, settle_s=0.2, scan_s=0.3).start()
    print("ready", flush=True)
    time.sleep(60)
""")


def test_cli_hands_its_files_to_the_running_app_and_prints_the_same_answers(tmp_path):
    db = tmp_path / "app.duckdb"
    config = ROOT / "data" / "exercise.toml"
    good = tmp_path / "yen_binh.xlsx"
    good.write_bytes(xlsx({"Tiến độ": standard_rows()}))
    rows = standard_rows("Xã Yên Sơn")
    rows[7][5] = 150
    bad = tmp_path / "yen_son.xlsx"
    bad.write_bytes(xlsx({"Tiến độ": rows}))

    # The same files stored directly, for comparison.
    direct = subprocess.run(
        [
            sys.executable,
            "-m",
            "readiness",
            "--db",
            str(tmp_path / "direct.duckdb"),
            "ingest",
            str(good),
            str(bad),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )

    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            APP.format(root=str(ROOT), db=str(db), config=str(config), inbox=str(tmp_path / "inbox")),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.stdout.readline().strip() == "ready"
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "readiness",
                "--db",
                str(db),
                "ingest",
                str(good),
                str(bad),
                "--json",
                "--timeout",
                "30",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    finally:
        app.kill()
        app.wait()
    assert out.returncode == 1 == direct.returncode
    assert "ứng dụng giữ" in out.stderr  # it said what it did
    handed = [json.loads(line) for line in out.stdout.splitlines()]
    stored = [json.loads(line) for line in direct.stdout.splitlines()]

    def comparable(a):
        return {k: a[k] for k in ("file", "status", "unit", "tasks", "report_date", "errors", "warnings")}

    assert [comparable(a) for a in handed] == [comparable(a) for a in stored]
    assert [a["status"] for a in handed] == ["accepted", "rejected"]
    with Store(db, __import__("readiness.config", fromlist=["c"]).load_config(config)) as s:
        assert s.con.execute("SELECT source FROM submissions").fetchall() == [("cli",), ("cli",)]


def test_a_file_renamed_into_place_is_taken_at_once_without_the_settle_wait(store, tmp_path):
    """A copy tool writes a hidden temporary name and renames it: the name appears only once the bytes
    are whole, so the worker need not watch its size for the settle time (here 5 s)."""
    w = InboxWorker(store, tmp_path / "inbox", settle_s=5, scan_s=5).start()
    try:
        if w._observer is None:  # the worker then scans (every scan_s) and says so in its log
            pytest.skip("no inotify instance left for change events (fs.inotify.max_user_instances)")
        time.sleep(0.3)  # the change events are being watched
        dropped = time.monotonic()
        drop(w.root, "yb.xlsx", xlsx({"S": standard_rows("Phường Yên Bình")}))
        assert wait_for(lambda: len(statuses(store)) == 1, timeout=4.5)
        assert time.monotonic() - dropped < 4.5  # well before the 5 s settle time
        assert statuses(store)[0][1] == "accepted"
        # a file written in place (no rename) still waits until its size holds
        (w.root / "ds.xlsx").write_bytes(xlsx({"S": standard_rows("Xã Đông Sơn")}))
        time.sleep(2)
        assert len(statuses(store)) == 1
    finally:
        w.stop()
