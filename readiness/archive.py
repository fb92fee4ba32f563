"""The archive: every file received, byte for byte, under its SHA-256, with a receipt per arrival.

Files are written atomically (temporary file, fsync, rename) before the database transaction, so
a crash can never leave a stored submission whose bytes are missing. The receipts let `rebuild`
recreate the database from the archive alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes so that the path holds either nothing or the whole content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Receipt:
    """One arrival of a file: what came, when, how, and for which unit it was sent."""

    sha256: str
    original_name: str
    received_at: str  # ISO local time
    source: str
    unit_hint: str | None = None
    submitted_by: str | None = None

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
        if not path.exists():
            write_atomic(path, data)
        return digest

    def get(self, digest: str) -> bytes:
        return self.blob_path(digest).read_bytes()

    def record(self, receipt: Receipt) -> Path:
        """Write the receipt of one arrival; names sort in arrival order."""
        stamp = receipt.received.strftime("%Y%m%dT%H%M%S%f")
        path = self.root / "receipts" / f"{stamp}-{receipt.sha256[:16]}.json"
        n = 1
        while path.exists():  # the same file twice in one microsecond
            path = path.with_name(f"{stamp}-{receipt.sha256[:16]}-{n}.json")
            n += 1
        write_atomic(path, json.dumps(asdict(receipt), ensure_ascii=False).encode("utf-8"))
        return path

    def write_error_report(self, digest: str, messages: list[dict]) -> None:
        """Keep a rejected file's errors beside its bytes."""
        write_atomic(self.report_path(digest), json.dumps(messages, ensure_ascii=False, indent=1).encode("utf-8"))

    def receipts(self) -> list[Receipt]:
        """Every arrival, oldest first."""
        folder = self.root / "receipts"
        if not folder.exists():
            return []
        out = []
        for path in sorted(folder.glob("*.json")):
            out.append(Receipt(**json.loads(path.read_text(encoding="utf-8"))))
        return out
