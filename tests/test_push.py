"""Push (readiness/push.py): a committed write wakes every open stream at once with the new version;
a quiet stream only pings; a closed stream is forgotten; a write that rolls back says nothing."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json
import threading

import pytest
from conftest import standard_rows, xlsx

from readiness import push
from readiness.store import Store

DAY = dt.date(2023, 10, 1)


def run(coro):
    """Run a coroutine on a loop of its own thread (the browser tests' Playwright keeps one running on
    this thread)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def messages(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        if "event" in lines:
            out.append((lines["event"], json.loads(lines["data"])))
    return out


async def take(stream, n: int, timeout: float = 5) -> list[tuple[str, dict]]:
    got: list[tuple[str, dict]] = []
    while len(got) < n:
        got += messages(await asyncio.wait_for(anext(stream), timeout))
    return got


def test_a_stream_starts_with_the_version_and_wakes_on_a_publish_from_another_thread(monkeypatch):
    monkeypatch.setattr(push, "PING_S", 30)  # no ping may stand in for the wake-up

    async def go():
        hub = push.Hub(7)
        streams = [hub.stream(lambda: DAY, lambda: 1) for _ in range(3)]
        assert await asyncio.wait_for(anext(streams[0]), 1) == f"retry: {push.RETRY_MS}\n\n"
        firsts = [await take(s, 1) for s in streams]
        assert all(f == [("version", {"version": 7, "day": "2023-10-01", "server_ms": 1})] for f in firsts)
        assert hub.listeners == 3
        loop = asyncio.get_running_loop()
        started = loop.time()
        threading.Thread(target=hub.publish, args=(8,)).start()  # as the inbox worker's commit does
        woken = [await take(s, 1) for s in streams]
        assert all(w[0][0] == "version" and w[0][1]["version"] == 8 for w in woken)
        assert loop.time() - started < 1  # not a ping's wait
        hub.publish(8)  # the same version again (a replica seeing its snapshot twice): no message
        hub.publish(5)  # nor an older one
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(anext(streams[1]), 0.3)
        for s in streams:
            await s.aclose()
        assert hub.listeners == 0  # a closed tab costs nothing afterwards

    run(go())


def test_a_quiet_stream_pings_and_says_when_the_day_turns(monkeypatch):
    monkeypatch.setattr(push, "PING_S", 0.05)
    day = [DAY]

    async def go():
        hub = push.Hub(3)
        stream = hub.stream(lambda: day[0], lambda: 42)
        got = await take(stream, 3)
        assert [g[0] for g in got] == ["version", "ping", "ping"]
        assert got[1][1] == {"server_ms": 42}  # the wall's clock offset and heartbeat
        day[0] = DAY + dt.timedelta(days=1)  # midnight: the countdown and overdue figures move
        (event, data), *_ = await take(stream, 1)
        assert (event, data["version"], data["day"]) == ("version", 3, "2023-10-02")
        await stream.aclose()

    run(go())


def test_a_committed_write_tells_the_listeners_its_new_version_and_a_failed_one_does_not(tmp_path, config):
    heard: list[int] = []
    with Store(tmp_path / "db.duckdb", config) as s:
        s.on_change.append(heard.append)
        s.on_change.insert(0, lambda v: 1 / 0)  # a broken listener neither fails the write nor stops others
        before = s.data_version()
        out = s.ingest_bytes(xlsx({"S": standard_rows("Phường Yên Bình", "28/09/2023")}), "yb.xlsx")
        assert out.status == "accepted"
        assert heard == [s.data_version()] and heard[0] != before
        with pytest.raises(RuntimeError), s._transaction() as con:
            s._bump_version(con)
            raise RuntimeError("rolled back")
        assert heard == [s.data_version()]  # nothing committed, nothing said


def test_the_server_stops_promptly_with_boards_open(tmp_path, config):
    """SIGTERM with a board's stream open: the server ends the stream and exits (it waits for open
    responses, and a stream never ends by itself)."""
    import signal
    import time
    import urllib.request

    from tests.browser.conftest import free_port, start_server

    db = tmp_path / "db.duckdb"
    Store(db, config).close()
    port = free_port()
    server = start_server(db, port, tmp_path / "streamlit.log")
    try:
        stream = urllib.request.urlopen(f"http://127.0.0.1:{port}{push.EVENTS_PATH}", timeout=10)
        assert stream.readline().startswith(b"retry:")
        server.send_signal(signal.SIGTERM)
        asked = time.monotonic()
        server.wait(timeout=15)
        assert time.monotonic() - asked < 8
        assert stream.read() is not None  # the stream ended (EOF), not cut mid-message
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
