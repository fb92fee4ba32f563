"""Push: every open board learns of a new data version the moment a write commits, over one
Server-Sent Events stream per browser tab (GET /live/events, mounted by app.py).

A board costs nothing while nothing changes: its stream is an idle coroutine waiting on an event,
woken by the write (Store.on_change, from whichever thread committed) or by its ping timer. The ping
(every PING_S seconds, a few bytes) is the heartbeat the wall display's connection banner listens
for, and keeps proxies from closing a quiet connection; it runs no script and no query. The stream
also says when the board's day turns (midnight in the exercise's time zone, or the pinned day), so
the countdown and overdue figures move without a write.

Only the data version, the day and the server's clock go out: nothing a viewer without a login could
not infer from the page's "cập nhật lúc", so the stream needs no login (the page it serves does).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable

PING_S = 4.0  # the heartbeat; the wall's banner shows after OFFLINE_AFTER_S (wall/view.py) without one
RETRY_MS = 1000  # the browser reconnects this soon after a lost stream (EventSource's `retry`)
EVENTS_PATH = "/live/events"


class Hub:
    """The data version of one database and the streams waiting for its next change."""

    def __init__(self, version: int | None = None):
        self._lock = threading.Lock()
        self._waiting: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self.version = version
        self.closing = False
        _hubs.add(self)

    def close(self) -> None:
        """End every stream (the server is stopping: it waits for open responses before it stops)."""
        self.closing = True
        self._wake()

    def _wake(self) -> None:
        with self._lock:
            waiting = list(self._waiting)
        for loop, event in waiting:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop has closed (server stopping)
                pass

    def publish(self, version: int) -> None:
        """A write committed (any thread): wake every waiting stream."""
        with self._lock:
            if self.version is not None and version <= self.version:
                return  # an older snapshot, or the same version twice: nothing new to say
            self.version = version
        self._wake()

    @property
    def listeners(self) -> int:
        """How many streams are open."""
        with self._lock:
            return len(self._waiting)

    def _add(self, entry) -> None:
        with self._lock:
            self._waiting.add(entry)

    def _discard(self, entry) -> None:
        with self._lock:
            self._waiting.discard(entry)

    async def stream(self, today: Callable[[], dt.date], now_ms: Callable[[], int]) -> AsyncIterator[str]:
        """The text of one board's event stream: `version` at once and after each change or turn of
        the day, `ping` after PING_S seconds of quiet. Ends when the client goes (the task is
        cancelled)."""
        event = asyncio.Event()
        entry = (asyncio.get_running_loop(), event)
        self._add(entry)
        try:
            yield f"retry: {RETRY_MS}\n\n"
            sent: tuple | None = None
            while not self.closing:
                event.clear()  # before reading the state: a publish from here on wakes the wait below
                state = (self.version, today().isoformat())
                if state != sent:
                    sent = state
                    yield _event("version", {"version": state[0], "day": state[1], "server_ms": now_ms()})
                else:
                    yield _event("ping", {"server_ms": now_ms()})
                try:
                    await asyncio.wait_for(event.wait(), timeout=PING_S)
                except TimeoutError:
                    pass
        finally:
            self._discard(entry)


_hubs: weakref.WeakSet[Hub] = weakref.WeakSet()


def end_streams_on_exit() -> None:
    """Make the server's SIGINT and SIGTERM also end every open stream: the server waits for open
    responses before it stops, and a stream never ends by itself. Call from the main thread once the
    server has installed its own handlers (the app's lifespan start)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(sig)
        if not callable(previous) or getattr(previous, "_ends_streams", False):
            continue

        def handler(signum, frame, previous=previous):
            for hub in list(_hubs):
                hub.close()
            previous(signum, frame)

        handler._ends_streams = True  # type: ignore[attr-defined]
        signal.signal(sig, handler)


def _event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def routes() -> list:
    """The push stream's route (app.py)."""
    from starlette.routing import Route

    return [Route(EVENTS_PATH, events)]


async def events(request):
    """GET /live/events: this process's database's version stream."""
    from starlette.responses import PlainTextResponse, StreamingResponse

    from . import service

    try:
        hub, store = await asyncio.to_thread(lambda: (service.hub(), service.store()))
    except Exception as exc:  # a held database or a bad config: the page says what to do
        return PlainTextResponse(str(exc).splitlines()[0] if str(exc) else "unavailable", status_code=503)
    config = store.config
    return StreamingResponse(
        hub.stream(lambda: service.today(config), lambda: int(time.time() * 1000)),
        media_type="text/event-stream",
        # no-transform / X-Accel-Buffering: a proxy in front must not buffer or compress the stream
        headers={"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"},
    )
