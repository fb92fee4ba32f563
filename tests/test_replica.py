"""Beyond one machine (readiness/replica.py): the writer publishes a snapshot after each write, never
rewriting one a reader has open; replicas answer from the newest, hand uploads to the writer and refuse
what they cannot hand over. One writer and two replicas run as separate `streamlit run` processes."""

from __future__ import annotations

import contextlib
import json
import os
import time
import urllib.request

import pytest
from conftest import plan_book, standard_rows, xlsx

from readiness import handover, replica
from readiness.config import load_config
from readiness.store import Store
from tests.browser.conftest import CONFIG, serving


def report(unit: str, date: str = "28/09/2023") -> bytes:
    return xlsx({"Tiến độ": standard_rows(unit, date)})


def test_a_snapshot_is_a_new_file_each_time_and_old_ones_go(tmp_path, config, monkeypatch):
    monkeypatch.setattr(replica, "KEEP", 2)
    with Store(tmp_path / "w.duckdb", config) as s:
        pub = replica.Publisher(s)
        first = pub.publish()
        with Store(first, config, read_only=True) as reader:  # a replica holds the first one open
            seen = reader.data_version()
            published = [first]
            for unit in ("Phường Yên Bình", "Xã Đông Sơn", "Công an thành phố"):
                assert s.ingest_bytes(report(unit), f"{unit}.xlsx").status == "accepted"
                published.append(pub.publish())
            assert len(set(published)) == 4  # never the same file twice
            assert reader.data_version() == seen  # the open one was not rewritten under its reader
            assert reader.query("headline", today=None).shape[0] >= 1
        assert replica.newest(s.path) == published[-1]
        left = sorted(p.name for p in replica.snapshot_dir(s.path).glob("*.duckdb"))
        assert left == sorted(p.name for p in published[-3:])  # the newest and KEEP before it
        with Store(published[-1], config, read_only=True) as newest:
            assert newest.data_version() == s.data_version()
            assert len(newest.query("unit_current_report", unit="Xã Đông Sơn")) == 1  # the last write is in


def test_a_replica_whose_writer_does_not_answer_refuses_the_upload_and_withdraws_it(tmp_path, config, monkeypatch):
    monkeypatch.setattr(replica, "HANDOVER_TIMEOUT_S", 0.5)
    db = tmp_path / "w.duckdb"
    with Store(db, config) as s:
        replica.Publisher(s).publish()  # then the writer stops
    follower = replica.Follower(db, config, on_switch=lambda s: s.close())
    with follower.open_newest() as on_replica:
        with pytest.raises(replica.ReplicaReadOnly) as refused:
            on_replica.ingest_bytes(report("Xã Đông Sơn"), "ds.xlsx", source="upload")
    assert "Máy chủ chính chưa nhận tệp" in str(refused.value)
    assert [p.name for p in handover.requests_dir(db).iterdir()] == []  # withdrawn: never carried out later


def test_a_snapshot_that_fails_is_tried_again_without_another_write(tmp_path, config, monkeypatch):
    """A full disk or a busy file: the replicas must not lag until the next report comes."""
    real_copy = replica.shutil.copyfile
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real_copy(src, dst)

    monkeypatch.setattr(replica.shutil, "copyfile", flaky)
    monkeypatch.setattr(replica, "MIN_INTERVAL_S", 0.05)
    with Store(tmp_path / "w.duckdb", config) as s:
        pub = replica.Publisher(s).start()
        try:
            assert wait_for(lambda: replica.newest(s.path) is not None, timeout=10, what="the retried snapshot")
            assert len(calls) == 2 and pub.failures == 0
            assert not list(replica.snapshot_dir(s.path).glob(".part-*"))  # the failed copy left nothing
        finally:
            pub.stop()


def wall_tiles(url: str) -> tuple[int, str]:
    """The data version and the countdown view's HTML (the headline tiles) a board server answers."""
    with urllib.request.urlopen(f"{url}/live/wall/data?views=countdown", timeout=10) as r:
        data = json.loads(r.read())
    return data["version"], data["views"][0]["html"]


def wait_for(check, timeout: float = 60, what: str = ""):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except OSError as exc:  # a server still starting
            last = exc
        time.sleep(0.1)
    pytest.fail(f"{what}: not within {timeout} s (last: {last!r})")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    db = folder / "board.duckdb"
    with Store(db, load_config(CONFIG)) as s:
        s.ingest_bytes(report("Phường Yên Bình"), "yb.xlsx")
    with contextlib.ExitStack() as servers:
        writer = servers.enter_context(serving(db, folder / "writer.log", extra_env={"READINESS_PUBLISH": "1"}))
        wait_for(lambda: replica.newest(db), what="the writer's first snapshot")
        replicas = [
            servers.enter_context(serving(db, folder / f"replica{i}.log", extra_env={"READINESS_REPLICA": "1"}))
            for i in (1, 2)
        ]
        yield db, [writer, *replicas]


def test_a_report_dropped_at_the_writer_shows_on_both_replicas(cluster):
    db, (writer, *replicas) = cluster
    for url in (writer, *replicas):
        assert "1/16" in wall_tiles(url)[1]
    inbox = db.parent / "inbox"
    inbox.mkdir(exist_ok=True)
    tmp = inbox / ".ds.xlsx.tmp"
    tmp.write_bytes(report("Xã Đông Sơn", "29/09/2023"))
    os.replace(tmp, inbox / "ds.xlsx")

    def shows(url: str, figure: str):
        version, tiles = wall_tiles(url)
        return version if figure in tiles else None

    version = wait_for(lambda: shows(writer, "2/16"), what="the writer")
    for url in replicas:
        assert wait_for(lambda url=url: shows(url, "2/16"), what=url) == version  # the writer's figures
    # the replicas' pages answer too (the board itself, not only its JSON)
    for url in replicas:
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200


def test_an_upload_and_a_plan_on_a_replica_are_stored_by_the_writer_and_a_withdrawal_is_refused(cluster):
    db, (writer, *replicas) = cluster
    config = load_config(CONFIG)
    follower = replica.Follower(db, config, on_switch=lambda s: s.close())
    on_replica = follower.open_newest()
    try:
        out = on_replica.ingest_bytes(report("Công an thành phố", "30/09/2023"), "ca.xlsx", source="upload")
        assert (out.status, out.unit) == ("accepted", "Công an thành phố")
        for url in (writer, *replicas):
            wait_for(lambda url=url: "3/16" in wall_tiles(url)[1], what=f"the handed-over upload on {url}")
        row = [1, "AN01", "Luyện tập phương án", "An ninh", "Công an thành phố", "20/10/2023", 1]
        loaded = on_replica.load_plan(plan_book([row]), "ke-hoach.xlsx", source="upload")
        assert (loaded.status, loaded.tasks) == ("accepted", 1), loaded.errors

        def plan_published() -> bool:
            with Store(replica.newest(db), config, read_only=True) as published:
                return len(published.plan()) == 1

        wait_for(plan_published, what="the plan handed from a replica, in the newest snapshot")
        with pytest.raises(replica.ReplicaReadOnly) as refused:
            on_replica.withdraw(out.submission_id, None, "sai")
        assert "máy chủ chính" in str(refused.value)
    finally:
        on_replica.close()
    assert len(list(replica.snapshot_dir(db).glob("*.duckdb"))) <= replica.KEEP + 1
