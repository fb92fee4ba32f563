"""Untrusted bytes are parsed where a crash cannot hurt: reader processes with limits.

A spreadsheet is a program for a parser. One 5 KB workbook can ask for 550 GB, a damaged one can
make a native library abort, a slow one can spin. So `read_report` never runs in the process that
holds the database: each file goes to a reader process that caps its own address space
(RLIMIT_AS) and CPU time (RLIMIT_CPU, renewed per file), and the caller waits at most a wall time.
A reader that dies, overruns or answers garbage is replaced, and its file gets a rejection that
says it could not be read safely; the caller never sees an exception.

Readers are kept and reused (a process start with the reader's imports costs ~150 ms; a file
takes ~1 ms), and a batch is spread over up to ``workers`` of them.

The worker side of this module runs as ``python -m readiness.sandbox``: it reads length-prefixed
pickles on stdin and answers on stdout. Only this project's own code writes those pickles.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .messages import Message

log = logging.getLogger(__name__)

MEMORY_MB = 440  # address space a reader may add to what its imports take (a checklist needs < 50 MB)
CPU_S = 8  # CPU seconds per file
WALL_S = 10.0  # wall seconds per file, the caller's own clock
STARTUP_S = 30.0  # a new reader must be ready within this (imports on a loaded machine)
WORKERS = min(2, os.cpu_count() or 1)
_HEADER = struct.Struct("!Q")
_MAX_FRAME = 64 * 1024 * 1024  # an answer bigger than this is not a report


@dataclass
class Job:
    """One file to read: the arguments of `reader.read_report` besides config and names."""

    data: bytes
    filename: str
    unit_hint: str | None = None
    received_at: dt.datetime | None = None


class _Dead(Exception):
    """The reader process died, overran or broke the protocol."""


def _unsafe(filename: str, detail: str):
    from .reader import Report

    report = Report(filename)
    report.errors.append(Message("unsafe_file", params={"detail": detail}))
    return report


# ---------------------------------------------------------------- the caller's side


class _Reader:
    """One reader process and the pipes to it."""

    def __init__(self, config: Config, memory_mb: int, cpu_s: int):
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "readiness.sandbox", str(memory_mb), str(cpu_s)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # a reader's own complaints go to the app's log
            env=env,
            close_fds=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None  # both are PIPE
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        self.jobs = 0
        self._send(("config", config))
        kind, _ = self._receive(STARTUP_S)
        if kind != "ready":
            raise _Dead("no ready signal")

    def _send(self, obj) -> None:
        body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.stdin.write(_HEADER.pack(len(body)) + body)
            self.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise _Dead(f"write: {exc}") from exc

    def _read_exact(self, n: int, deadline: float) -> bytes:
        chunks, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Dead("timeout")
            try:
                fd = self.stdout.fileno()
                ready, _, _ = select.select([fd], [], [], left)
                if not ready:
                    raise _Dead("timeout")
                chunk = os.read(fd, min(n - got, 1 << 20))
            except (OSError, ValueError) as exc:  # the pipe is gone
                raise _Dead(f"read: {exc}") from exc
            if not chunk:
                raise _Dead("exited")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _receive(self, wall_s: float):
        deadline = time.monotonic() + wall_s
        (size,) = _HEADER.unpack(self._read_exact(_HEADER.size, deadline))
        if size > _MAX_FRAME:
            raise _Dead("answer too large")
        try:
            return pickle.loads(self._read_exact(size, deadline))
        except _Dead:
            raise
        except Exception as exc:
            raise _Dead(f"garbled answer: {exc}") from exc

    def call(self, verb: str, job, wall_s: float):
        """("ok", value) or ("error", traceback text); _Dead when the reader died or overran."""
        self.jobs += 1
        self._send((verb, job))
        kind, value = self._receive(wall_s)
        if kind == "fatal":  # the reader is ending itself (its heap may be in a poor state)
            self.kill()
            return "error", value
        if kind not in ("ok", "error"):
            raise _Dead(f"unexpected answer {kind!r}")
        return kind, value

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.stdin, self.stdout):
            try:
                f.close()
            except OSError:
                pass

    def close(self) -> None:
        try:
            self.stdin.close()  # the reader ends at EOF
            self.proc.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


def _death_detail(reader: _Reader, err: _Dead) -> str:
    if str(err) == "timeout":
        return "quá thời gian đọc / took too long"
    try:
        code = reader.proc.wait(1)  # a pipe closes a moment before its process is reaped
    except subprocess.TimeoutExpired:
        code = None
    if code is not None and code < 0:
        import signal

        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        if name in ("SIGXCPU",):
            return "quá thời gian xử lý / used too much CPU time"
        if name in ("SIGABRT", "SIGSEGV", "SIGKILL", "SIGBUS"):
            return f"trình đọc dừng đột ngột ({name}), thường do tệp đòi quá nhiều bộ nhớ / the reader stopped ({name}), usually a file asking for too much memory"
        return f"trình đọc dừng ({name}) / the reader stopped ({name})"
    return f"trình đọc dừng ({err}) / the reader stopped ({err})"


class Sandbox:
    """A pool of reader processes for one exercise config. Thread-safe; readers start on first use."""

    def __init__(
        self,
        config: Config,
        workers: int = WORKERS,
        memory_mb: int = MEMORY_MB,
        cpu_s: int = CPU_S,
        wall_s: float = WALL_S,
    ):
        self.config = config
        self.workers = max(1, workers)
        self.memory_mb = memory_mb
        self.cpu_s = cpu_s
        self.wall_s = wall_s
        self._idle: list[_Reader] = []
        self._lock = threading.Lock()
        self.replaced = 0  # readers that died or overran (counted for the tests and the log)
        self._closed = False

    def _take(self) -> _Reader:
        with self._lock:
            while self._idle:
                reader = self._idle.pop()
                if reader.alive():
                    return reader
                reader.kill()
        return _Reader(self.config, self.memory_mb, self.cpu_s)

    def _give_back(self, reader: _Reader) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self.workers:
                self._idle.append(reader)
                return
        reader.close()

    def _call(self, verb: str, job, filename: str):
        """Run one piece of work on untrusted bytes in a reader: ("ok", value), or ("failed", why)."""
        for attempt in (1, 2):
            try:
                reader = self._take()
            except (_Dead, OSError) as exc:  # could not even start a reader: try once more, then say so
                log.error("reader start failed: %s", exc)
                if attempt == 2:
                    return "failed", f"không khởi động được trình đọc / could not start a reader: {exc}"
                continue
            reused = reader.jobs > 0
            try:
                kind, value = reader.call(verb, job, self.wall_s)
            except _Dead as err:
                detail = _death_detail(reader, err)
                reader.kill()
                self.replaced += 1
                log.warning("reader replaced after %r: %s", filename, detail)
                if reused and attempt == 1 and str(err) != "timeout":
                    continue  # it may have died of an earlier file: this one gets a fresh reader
                return "failed", detail
            if reader.alive():
                self._give_back(reader)
            if kind == "error":  # an exception inside the reader: the trace for us, a short word for them
                log.error("reader failed on %r:\n%s", filename, value)
                return "failed", value.strip().splitlines()[-1][:200] if value.strip() else "?"
            return "ok", value
        raise AssertionError("unreachable")

    def read(self, job: Job):
        """Read one file in a reader process: its Report, or a rejection saying why it could not be."""
        kind, value = self._call("read", job, job.filename)
        return value if kind == "ok" else _unsafe(job.filename, value)

    def read_plan(self, data: bytes, filename: str):
        """Read a plan file (readiness.reader.plan) in a reader process: its Plan, or a rejection
        saying why it could not be read safely."""
        from .reader.plan import Plan

        kind, value = self._call("read_plan", (data, filename), filename)
        return value if kind == "ok" else Plan(filename, errors=_unsafe(filename, value).errors)

    def error_report(self, data: bytes, filename: str, errors: list, warnings: list, lang: str) -> bytes | None:
        """The marked-up error report of a file (readiness.error_report), built in a reader; None when
        the file cannot be opened safely even for that."""
        kind, value = self._call("error_report", (data, filename, errors, warnings, lang), filename)
        return value if kind == "ok" and isinstance(value, bytes) else None

    def read_many(self, jobs: list[Job]) -> list:
        """Read files in order of the list, spread over the readers."""
        if len(jobs) <= 1 or self.workers == 1:
            return [self.read(j) for j in jobs]
        with ThreadPoolExecutor(max_workers=min(self.workers, len(jobs))) as pool:
            return list(pool.map(self.read, jobs))

    _shared: dict[Config, Sandbox] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def shared(cls, config: Config) -> Sandbox:
        """The process's pool for this config: every Store of one exercise shares its readers."""
        with cls._shared_lock:
            box = cls._shared.get(config)
            if box is None or box._closed:
                box = cls._shared[config] = cls(config)
                if len(cls._shared) == 1:
                    import atexit

                    atexit.register(cls.close_all)
            return box

    @classmethod
    def close_all(cls) -> None:
        with cls._shared_lock:
            boxes, cls._shared = list(cls._shared.values()), {}
        for box in boxes:
            box.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.close()


# ---------------------------------------------------------------- the reader's side


def _limit(memory_mb: int) -> None:
    import resource

    vm = 0
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    vm = int(line.split()[1]) * 1024
    except OSError:
        pass
    cap = vm + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a killed reader leaves no core file


def _renew_cpu(cpu_s: int) -> None:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_s, resource.RLIM_INFINITY))


def _frame(stream) -> tuple | None:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    return pickle.loads(stream.read(size))


def _answer(stream, obj) -> None:
    try:
        body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        body = pickle.dumps(("error", traceback.format_exc()), protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def worker_main(argv: list[str]) -> int:
    memory_mb, cpu_s = int(argv[0]), int(argv[1])
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing the reader prints may corrupt the answers
    from .reader import Names, read_report

    first = _frame(stdin)
    if not first or first[0] != "config":
        return 2
    config = first[1]
    names = Names(config)
    _limit(memory_mb)
    _answer(stdout, ("ready", None))
    while True:
        msg = _frame(stdin)
        if msg is None:
            return 0
        verb, job = msg
        _renew_cpu(cpu_s)
        answer: tuple[str, object]
        try:
            if verb == "read":
                answer = ("ok", read_report(job.data, job.filename, config, job.unit_hint, job.received_at, names))
            elif verb == "read_plan":
                from .reader.plan import read_plan

                answer = ("ok", read_plan(job[0], job[1], config, names))
            elif verb == "error_report":
                from .error_report import build_error_report

                answer = ("ok", build_error_report(*job))
            else:
                answer = ("error", f"unknown verb {verb!r}")
        except MemoryError:
            _answer(stdout, ("fatal", "MemoryError: the file needs more memory than a checklist may use"))
            return 3  # the heap may be in a poor state: the caller starts a fresh reader
        except Exception:
            answer = ("error", traceback.format_exc())
        _answer(stdout, answer)


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1:]))
