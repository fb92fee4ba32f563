"""The app process's long-lived parts: one Store per database and one inbox worker, started when the
server starts (so a file dropped while no browser is open is stored) and stopped when it stops.

Every session of the app and the worker share the one Store (and so one DuckDB connection and one
write lock): two Stores on one file in one process would race on the data version.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .config import load_config
from .store import Store

if TYPE_CHECKING:
    from .inbox import InboxWorker
    from .push import Hub
    from .replica import Follower, Publisher

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "readiness.duckdb"
DEFAULT_CONFIG = ROOT / "data" / "exercise.toml"
DEMO_DIR = ROOT / "data" / "demo"

_lock = threading.RLock()
_stores: dict[str, Store] = {}
_workers: dict[str, InboxWorker] = {}
_hubs: dict[str, Hub] = {}
_followers: dict[str, Follower] = {}
_publishers: dict[str, Publisher] = {}
CLOSE_OLD_AFTER_S = 60  # a replica closes a snapshot it left this long after (its last queries end)


def default_paths() -> tuple[Path, Path]:
    """The database and config the app and CLI use unless told otherwise (env READINESS_DB/CONFIG)."""
    return (
        Path(os.environ.get("READINESS_DB", DEFAULT_DB)),
        Path(os.environ.get("READINESS_CONFIG", DEFAULT_CONFIG)),
    )


def demo_mode() -> bool:
    return "--demo" in sys.argv[1:] or os.environ.get("READINESS_DEMO") == "1"


def app_paths() -> tuple[Path, Path]:
    """The database and config of the app: `streamlit run app.py -- --demo` uses data/demo (built on
    first start)."""
    if demo_mode():
        return DEMO_DIR / "readiness.duckdb", DEMO_DIR / "exercise.toml"
    return default_paths()


def store(db: str | Path | None = None, config: str | Path | None = None) -> Store:
    """The one Store of this process for a database (the demo is built first when it is missing)."""
    if db is None or config is None:
        db, config = app_paths()
    key = str(Path(db).resolve())
    with _lock:
        if key not in _stores:
            if demo_mode() and not Path(db).exists():
                from .demo import build_demo

                log.warning("building the demo exercise in %s", Path(db).parent)
                build_demo(Path(db).parent)
            from .push import Hub

            s: Store
            if replica_mode():
                from .replica import Follower

                follower = Follower(Path(db), load_config(config), lambda new: _switch(key, new))
                s = follower.open_newest()
                _followers[key] = follower.start()
            else:
                s = Store(db, load_config(config))
                if os.environ.get("READINESS_PUBLISH") == "1":
                    from .replica import Publisher

                    _publishers[key] = Publisher(s).start()
            _hubs[key] = Hub(s.data_version())
            s.on_change.append(_hubs[key].publish)
            _stores[key] = s
        return _stores[key]


def replica_mode() -> bool:
    """A read-only board replica (readiness.replica): READINESS_REPLICA=1 or `-- --replica`."""
    return "--replica" in sys.argv[1:] or os.environ.get("READINESS_REPLICA") == "1"


def _switch(key: str, new: Store) -> None:
    """A replica's newer snapshot: the pages use it from now on, the open boards are told."""
    with _lock:
        old = _stores.get(key)
        if key not in _hubs:  # stopped meanwhile
            new.close()
            return
        _stores[key] = new
        hub = _hubs[key]
    hub.publish(new.data_version())
    if old is not None:  # queries running on it finish first
        timer = threading.Timer(CLOSE_OLD_AFTER_S, old.close)
        timer.daemon = True
        timer.start()


def hub(db: str | Path | None = None, config: str | Path | None = None) -> Hub:
    """The push hub of this process's database (readiness.push): its version and open streams."""
    if db is None or config is None:
        db, config = app_paths()
    store(db, config)  # opens it (and its hub) if need be
    with _lock:
        return _hubs[str(Path(db).resolve())]


def today(config) -> dt.date:
    """The board's today in the exercise's time zone; READINESS_TODAY pins it (tests, rehearsals)."""
    return now(config).date()


def now(config) -> dt.datetime:
    """The board's now: 08:00 of the pinned day when READINESS_TODAY pins it, else the local time."""
    pinned = os.environ.get("READINESS_TODAY")
    if pinned:
        return dt.datetime.combine(dt.date.fromisoformat(pinned), dt.time(8, 0))
    from .store import local_now

    return local_now(config)


def worker(db: str | Path | None = None, config: str | Path | None = None) -> InboxWorker | None:
    """The one inbox worker of this process for a database, started on first call; None when
    READINESS_INBOX=0 (tests that drive the store themselves)."""
    if os.environ.get("READINESS_INBOX", "1") == "0" or replica_mode():  # a replica's writer reads the inbox
        return None
    from .inbox import InboxWorker, inbox_dir

    s = store(db, config)
    key = str(s.path.resolve())
    with _lock:
        if key not in _workers:
            _workers[key] = InboxWorker(s, inbox_dir(s.config, s.path)).start()
        return _workers[key]


def start() -> None:
    """Server start: open the database and start the inbox worker."""
    try:
        worker()
    except Exception:  # a bad config or a held database: the pages say what to do
        log.exception("start-up")


def stop(readers: bool = True) -> None:
    """Server stop: stop the workers, close the stores and (``readers``) the reader processes."""
    from .sandbox import Sandbox

    with _lock:
        workers, stores = list(_workers.values()), list(_stores.values())
        followers, publishers = list(_followers.values()), list(_publishers.values())
        _workers.clear()
        _stores.clear()
        _hubs.clear()
        _followers.clear()
        _publishers.clear()
    for f in followers:
        f.stop()
    for p in publishers:
        p.stop()
    for w in workers:
        w.stop()
    for s in stores:
        s.close()
    if readers:
        Sandbox.close_all()
