"""The archive: every file received, byte for byte, under its SHA-256, with a receipt per arrival.

Files are written atomically (temporary file, fsync, rename) before the database transaction, so
a crash can never leave a stored submission whose bytes are missing. A batch's receipts are written
pending before the transaction and committed after it; a pending entry found later is reconciled
with the database (committed if its batch was stored, set aside if not). The committed receipts let
`rebuild` recreate the database from the archive alone, with the same figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PENDING = ".pending"  # a receipt written before its batch's transaction; ".jsonl" once committed


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes, mode: int = 0o644, sync_folder: bool = False) -> None:
    """Write bytes so that the path holds either nothing or the whole content (temp file, fsync, rename).
    ``mode`` holds from the temp file's creation (0o600: never readable by others for an instant);
    ``sync_folder`` also makes the rename itself survive a power cut."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".tmp-{os.getpid()}-{threading.get_ident()}-{os.path.basename(path)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    if sync_folder:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@dataclass
class Receipt:
    """One arrival of a file: what came, when, how, and for which unit it was sent."""

    sha256: str
    original_name: str
    received_at: str  # ISO local time
    source: str
    unit_hint: str | None = None
    submitted_by: str | None = None
    allowed_units: list[str] | None = None  # an uploader's units at the time: None means any

    @property
    def received(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.received_at)


class Archive:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def blob_path(self, digest: str) -> Path:
        return self.root / "files" / digest[:2] / digest

    def report_path(self, digest: str) -> Path:
        return self.root / "files" / digest[:2] / f"{digest}.errors.json"

    def put(self, data: bytes, digest: str | None = None) -> str:
        """Store the bytes (once per content); return their SHA-256."""
        digest = digest or sha256(data)
        path = self.blob_path(digest)
        if not os.path.exists(path):
            write_atomic(path, data)
        return digest

    def put_many(self, blobs: list[tuple[bytes, str]]) -> None:
        """Store several files' bytes; the fsyncs run in parallel threads, which lets the file system
        commit them together (measured: 0.85 ms a file one by one, 0.25 ms with 8 threads)."""
        if len(blobs) < 4:
            for data, digest in blobs:
                self.put(data, digest)
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda b: self.put(*b), blobs))

    def get(self, digest: str) -> bytes:
        return self.blob_path(digest).read_bytes()

    def _new_entry(self, stem: str) -> Path:
        folder = self.root / "receipts"
        path, n = folder / f"{stem}{PENDING}", 1
        while path.exists() or path.with_suffix(".jsonl").exists():  # the same file twice in one microsecond
            path = folder / f"{stem}-{n}{PENDING}"
            n += 1
        return path

    def record(self, receipts: list[Receipt]) -> Path:
        """Write the receipts of a batch of arrivals as one pending file (one fsync); names sort by
        arrival. It counts for `rebuild` only once `commit` says the database stored the batch."""
        first = receipts[0]
        path = self._new_entry(f"{first.received.strftime('%Y%m%dT%H%M%S%f')}-{first.sha256[:16]}")
        lines = "".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in receipts)
        write_atomic(path, lines.encode("utf-8"))
        return path

    def commit(self, pending: Path) -> None:
        """The database stored what a pending entry records: from now on rebuild replays it."""
        os.replace(pending, pending.with_suffix(".jsonl"))

    def set_aside(self, pending: Path) -> None:
        """A pending entry whose batch the database never stored (a crash or a failed transaction in
        between): kept for the record, never replayed, so rebuild matches the live figures."""
        os.replace(pending, pending.with_suffix(".unstored"))

    def pending(self) -> list[Path]:
        folder = self.root / "receipts"
        return sorted(p for p in folder.glob(f"*{PENDING}") if not p.name.startswith(".")) if folder.exists() else []

    @staticmethod
    def read_entry(path: Path) -> list[Receipt | dict]:
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                out.append(data if "kind" in data else Receipt(**data))
        return out

    def write_error_report(self, digest: str, messages: list[dict]) -> None:
        """Keep a rejected file's errors beside its bytes."""
        write_atomic(self.report_path(digest), json.dumps(messages, ensure_ascii=False, indent=1).encode("utf-8"))

    def record_event(self, kind: str, at: dt.datetime, **fields) -> Path:
        """Write an event that changes what counts (a withdrawal), pending like a batch's receipts."""
        body = {"kind": kind, "at": at.isoformat(), **fields}
        path = self._new_entry(f"{at:%Y%m%dT%H%M%S%f}-{kind}")
        write_atomic(path, (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8"))
        return path

    def events(self) -> list[Receipt | dict]:
        """Every committed arrival (a Receipt) and other event (a dict with 'kind'), oldest first.
        Temporary files of an interrupted write are not entries; a damaged entry is skipped, logged."""
        folder = self.root / "receipts"
        if not folder.exists():
            return []
        out: list[tuple[dt.datetime, Receipt | dict]] = []
        for path in sorted(folder.glob("*.jsonl")):
            if path.name.startswith("."):
                continue
            try:
                entries = self.read_entry(path)
            except (ValueError, TypeError) as exc:
                log.error("archive: unreadable receipt %s: %s", path.name, exc)
                continue
            for e in entries:
                out.append((dt.datetime.fromisoformat(e["at"]), e) if isinstance(e, dict) else (e.received, e))
        out.sort(key=lambda e: e[0])  # stable: a batch keeps its own order
        return [e for _, e in out]

    def receipts(self) -> list[Receipt]:
        """Every arrival, oldest first."""
        return [e for e in self.events() if isinstance(e, Receipt)]
