"""The whole-state file format shared by the ledger's snapshot and its backups.

One header line of JSON, then the body (the tables as JSON, deflated in
backups)::

    {"format": "union-ledger-snapshot", "version": 2, "seq": 812,
     "crc": 305419896, "bytes": 20480, ...}\\n<body>

``seq`` is the number of commits the state holds; ``crc`` and ``bytes`` are
the body's as stored, so a changed byte or a cut is found before the body is
parsed.  Extra keys (a backup's reason, time and counts; the last repair's
record, mirrored from the ``_meta`` table) ride in the header: reading it
costs one short read.  A file without the header line is a
snapshot written before checksums: it is read as it is (seq 0).
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import orjson

from domain.privacy import create_private

FORMAT = "union-ledger-snapshot"
VERSION = 2
HEADER_MAX = 64 * 1024
REPAIR_RECORD = "repair"  # in the _meta table and mirrored here (domain.repair_sources)

Tables = dict[str, dict[str, dict]]


class SnapshotDamaged(ValueError):
    """The file is not a whole, unchanged state: ``what`` says how, for messages."""

    def __init__(self, path: Path, what: str):
        super().__init__(f"{path}: {what}")
        self.path, self.what = path, what


def encode(tables: Tables, seq: int, *, compress: bool = False, extra: dict | None = None) -> bytes:
    body = orjson.dumps(tables)
    if compress:
        body = zlib.compress(body, 1)
    header = {"format": FORMAT, "version": VERSION, "seq": seq, "crc": zlib.crc32(body),
              "bytes": len(body), "encoding": "zlib" if compress else "json", **(extra or {})}
    repaired = tables.get("_meta", {}).get(REPAIR_RECORD)
    if repaired:  # what the last repair lacks and kept aside, readable from the header alone
        header.setdefault(REPAIR_RECORD, repaired)
    return orjson.dumps(header) + b"\n" + body


def split(path: Path, data: bytes) -> tuple[dict | None, bytes]:
    if not data.startswith(b'{"format":'):
        return None, data  # written before checksums
    end = data.find(b"\n", 0, HEADER_MAX)
    if end < 0:
        raise SnapshotDamaged(path, "header")
    try:
        header = orjson.loads(data[:end])
    except orjson.JSONDecodeError:
        raise SnapshotDamaged(path, "header") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SnapshotDamaged(path, "header")
    return header, data[end + 1:]


def body_ok(header: dict, body: bytes) -> bool:
    """The body as stored has the header's length and checksum."""
    return len(body) == header.get("bytes") and zlib.crc32(body) == header.get("crc")


def decode(path: Path, data: bytes) -> tuple[dict, Tables]:
    """(header, tables) of a file's bytes; raises SnapshotDamaged."""
    header, body = split(path, data)
    if header is not None:
        if len(body) != header.get("bytes"):
            raise SnapshotDamaged(path, "truncated" if len(body) < header.get("bytes", 0) else "length")
        if not body_ok(header, body):
            raise SnapshotDamaged(path, "checksum")
        if header.get("encoding") == "zlib":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                raise SnapshotDamaged(path, "checksum") from None
    try:
        tables = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise SnapshotDamaged(path, "truncated" if header is None else "checksum") from None
    if not isinstance(tables, dict):
        raise SnapshotDamaged(path, "checksum")
    return header or {"format": FORMAT, "version": 1, "seq": 0}, tables


def read(path: Path) -> tuple[dict, Tables]:
    return decode(path, Path(path).read_bytes())


def read_header(path: Path) -> dict | None:
    """The header alone (None for an old snapshot or an unreadable head)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)  # a header is a few hundred bytes
        if b"\n" not in head:
            head += fh.read(HEADER_MAX - len(head))
    try:
        header, _ = split(Path(path), head)
    except SnapshotDamaged:
        return None
    return header


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (0600) so that it is whole or absent.

    A temporary file beside it, fsync'd, renamed over, then the folder
    fsync'd.  On any failure the temporary file is removed and ``path`` is as
    it was."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with create_private(tmp) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
