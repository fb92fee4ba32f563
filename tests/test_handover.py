"""One writer and the inbox's door: commands hand their work to the running app (ingest, query,
rebuild, audit), requests and dropped files cannot reach outside their folder, a request nobody
took is withdrawn, and files that cannot be processed are set aside without stopping the worker."""

import json
import os

import pytest
from conftest import ROOT, standard_rows, wait_for, xlsx

from readiness import cli, handover
from readiness.inbox import QUARANTINE, InboxWorker
from readiness.store import Store

CONFIG = str(ROOT / "data" / "exercise.toml")


@pytest.fixture
def app(tmp_path, config):
    """A store held as the app holds it, with its inbox worker (and so its claim on the database)."""
    store = Store(tmp_path / "app.duckdb", config)
    worker = InboxWorker(store, tmp_path / "inbox", settle_s=0.05, scan_s=0.2).start()
    yield store, worker
    worker.stop()
    store.close()


def names(store):
    return [r[0] for r in store.con.cursor().execute("SELECT original_name FROM submissions ORDER BY id").fetchall()]


def archived(store) -> set[bytes]:
    root = store.archive.root / "files"
    return {p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.name.endswith(".json")}


def test_commands_hand_ingest_query_rebuild_and_audit_to_the_running_app(app, tmp_path, capsys):
    store, worker = app
    assert handover.app_running(store.path)
    report = tmp_path / "yen_binh.xlsx"
    report.write_bytes(xlsx({"Tiến độ": standard_rows()}))
    db = ["--db", str(store.path), "--config", CONFIG]

    assert cli.main([*db, "ingest", str(report), "--json", "--timeout", "20"]) == 0
    (answer,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert answer["status"] == "accepted" and answer["unit"] == "Phường Yên Bình"

    assert cli.main([*db, "--today", "2023-10-01", "query", "heatmap", "--format", "json"]) == 0
    handed = json.loads(capsys.readouterr().out)
    direct = store.query("heatmap", today=__import__("datetime").date(2023, 10, 1))
    assert [r["readiness"] for r in handed] == list(direct["readiness"])

    before = os.stat(store.path).st_ino
    assert cli.main([*db, "rebuild"]) == 0
    assert "1 nhận" in capsys.readouterr().out
    assert os.stat(store.path).st_ino == before  # the file under the app's connection was never replaced
    assert names(store) == ["yen_binh.xlsx"]  # and the app sees the rebuilt data through it

    actions = [r[0] for r in store.con.cursor().execute("SELECT action FROM audit").fetchall()]
    assert "ingest_cli" in actions and "rebuild" in actions
    # Nothing of the request is left behind.
    assert not [p for p in handover.requests_dir(store.path).iterdir()]


def test_requests_cannot_reach_files_outside_their_folder(app, tmp_path):
    store, worker = app
    secret = tmp_path / "users.json"
    secret.write_bytes(b'{"thuky": "argon2-hash"}')
    folder = handover.requests_dir(store.path)
    tries = {
        "dotdot": "../../users.json",
        "absolute": str(secret),
        "nested": "sub/0000.xlsx",
        "link": "0000.xlsx",
    }
    for name, stored_as in tries.items():
        req = folder / f"2026-{name}"
        req.mkdir(parents=True)
        if name == "link":
            os.symlink(secret, req / "0000.xlsx")
        body = {"kind": "ingest", "payload": {}, "files": [{"name": "x.xlsx", "path": "x", "stored_as": stored_as}]}
        (req / "request.json").write_text(json.dumps(body))
    # The running worker serves the folder too (it wakes on the change): whoever takes a request, each
    # is answered once, with an error.
    handover.serve(store.path, worker._request)
    assert wait_for(lambda: all((folder / f"2026-{n}.taken" / "answers.json").exists() for n in tries))
    for name in tries:
        answer = json.loads((folder / f"2026-{name}.taken" / "answers.json").read_text())
        assert "error" in answer, name
    assert names(store) == []
    assert secret.read_bytes() not in archived(store)


def test_an_unknown_request_kind_is_answered_not_run(app):
    store, worker = app
    req = handover.requests_dir(store.path) / "2026-odd"
    req.mkdir(parents=True)
    (req / "request.json").write_text(json.dumps({"kind": "shell", "payload": {"cmd": "rm -rf /"}}))
    handover.serve(store.path, worker._request)
    answer = json.loads((handover.requests_dir(store.path) / "2026-odd.taken" / "answers.json").read_text())
    assert "unknown request kind" in answer["error"]


def test_a_request_nobody_takes_is_withdrawn_and_never_carried_out_later(tmp_path, config):
    db = tmp_path / "app.duckdb"
    report = tmp_path / "r.xlsx"
    report.write_bytes(xlsx({"Tiến độ": standard_rows()}))
    with pytest.raises(handover.HandoverTimeout) as err:
        handover.hand_over(db, "ingest", {}, [report], timeout=0.3)
    assert err.value.withdrawn
    assert list(handover.requests_dir(db).iterdir()) == []
    with Store(db, config) as store:  # an app that starts later finds nothing to do
        worker = InboxWorker(store, tmp_path / "inbox", settle_s=0.05, scan_s=0.2)
        worker.step()
        assert names(store) == []


def test_links_pipes_and_linked_folders_in_the_inbox_are_set_aside_never_followed(app, tmp_path):
    store, worker = app
    inbox = worker.root
    secret = tmp_path / "users.json"
    secret.write_bytes(b'{"thuky": "argon2-hash"}')
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "report.xlsx").write_bytes(xlsx({"Tiến độ": standard_rows()}))
    os.symlink(secret, inbox / "bao-cao.xlsx")
    os.symlink(outside, inbox / "Phường Yên Bình")
    os.mkfifo(inbox / "pipe.xlsx")  # opening it would block the worker forever
    good = inbox / "good.xlsx"
    good.write_bytes(xlsx({"Tiến độ": standard_rows("Xã Đông Sơn")}))

    assert wait_for(lambda: names(store) == ["good.xlsx"])  # the worker went on to the real file
    quarantine = inbox / QUARANTINE
    assert wait_for(lambda: len(list(quarantine.glob("*.note.txt"))) == 3)
    notes = " ".join(p.read_text() for p in quarantine.glob("*.note.txt"))
    assert "không phải tệp thường" in notes and "liên kết thư mục" in notes
    assert secret.exists() and (outside / "report.xlsx").exists()  # the targets are untouched
    assert secret.read_bytes() not in archived(store)
    assert worker.state.quarantined == 3


def test_a_file_that_keeps_failing_is_quarantined_and_the_next_one_gets_in(app, monkeypatch):
    store, worker = app
    real = store.ingest_many

    def flaky(items, *a, **kw):
        if items[0].filename == "bad.xlsx":
            raise OSError("disk full")
        return real(items, *a, **kw)

    monkeypatch.setattr(store, "ingest_many", flaky)
    (worker.root / "bad.xlsx").write_bytes(xlsx({"Tiến độ": standard_rows()}))
    assert wait_for(lambda: (worker.root / QUARANTINE).exists() and not (worker.root / "bad.xlsx").exists())
    note = next((worker.root / QUARANTINE).glob("*.note.txt")).read_text()
    assert "3" in note and "disk full" in note
    (worker.root / "next.xlsx").write_bytes(xlsx({"Tiến độ": standard_rows("Xã Đông Sơn")}))
    assert wait_for(lambda: names(store) == ["next.xlsx"])


def test_an_oversize_inbox_file_is_refused_without_being_kept(app, config):
    store, worker = app
    big = worker.root / "huge.csv"
    with open(big, "wb") as f:
        f.truncate((config.max_upload_mb + 1) * 1024 * 1024)  # sparse: no time spent writing it
    assert wait_for(lambda: names(store) == ["huge.csv"])
    status, errors = store.con.cursor().execute("SELECT status, errors FROM submissions").fetchone()
    assert status == "rejected" and json.loads(errors)[0]["code"] == "too_large"
    assert archived(store) == set()
    assert not big.exists()


def test_query_without_its_parameters_says_which_and_exits_2(tmp_path, capsys):
    db = ["--db", str(tmp_path / "q.duckdb"), "--config", CONFIG]
    assert cli.main([*db, "query", "tasks"]) == 2
    err = capsys.readouterr().err
    assert "--param subcommittee=" in err and "--param unit=" in err
    assert cli.main([*db, "query", "tasks", "--param", "unit=", "--param", "subcommittee="]) == 0


def test_the_inbox_works_with_no_browser_open(tmp_path):
    """`streamlit run app.py` starts the worker at server start: a file waiting in the inbox is stored
    without any page being opened."""
    import subprocess
    import sys

    from conftest import ROOT as root

    db = tmp_path / "srv.duckdb"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "waiting.xlsx").write_bytes(xlsx({"Tiến độ": standard_rows()}))
    env = dict(os.environ, READINESS_DB=str(db), READINESS_CONFIG=CONFIG)  # the inbox: beside the database
    port = 8000 + os.getpid() % 1000
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port)],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: not (inbox / "waiting.xlsx").exists(), timeout=60)
    finally:
        proc.terminate()
        proc.wait(20)
    with Store(db, __import__("readiness.config", fromlist=["x"]).load_config(CONFIG)) as store:
        assert names(store) == ["waiting.xlsx"]
