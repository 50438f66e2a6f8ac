"""Durable files under the ledger: a snapshot plus an append-only journal.

A commit is one journal line, ``<crc32 hex8> {"seq": n, "at": ..., "ops": [...]}\\n``,
written and fsync'd before the caller is told it succeeded.  ``seq`` counts
commits over the ledger's life; the snapshot (``domain.snapshot``) records
the ``seq`` it holds.  Each line holds whole-document operations, so
replaying a line twice gives the same state: that makes compaction
crash-safe (lines at or below the snapshot's ``seq`` are skipped).

Opening reads the snapshot and replays the journal.  Only a torn last line
(no newline: the process died inside ``write``, it was never acknowledged)
is cut off, and only by a writer.  Anything else that does not add up (a
complete line failing its checksum, a gap in ``seq``, fewer commits than the
lock file's record of the last acknowledged one, a snapshot failing its
checksum) raises ``LedgerDamaged`` and leaves every file as it was.

A failed write (disk full, I/O error) puts the journal back to its last good
length before raising ``WriteFailed``: a commit the user was told failed
never reappears.
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import orjson

from domain import snapshot
from domain.damage import LedgerDamaged, check_loaded, damaged
from domain.errors import UserError, os_error_message
from domain.i18n import register, tr
from domain.privacy import open_private

register({
    "journal.write_failed": ("这次修改没有保存。{detail}", "This change was not saved. {detail}"),
    "journal.broken": ("台账 {path} 上次写入失败且无法复原，请关闭程序后重新打开。",
                       "A write to the ledger {path} failed and could not be undone; close the program and open it again."),
    "journal.compact_failed": ("整理台账文件失败，台账内容没有丢失。{detail}",
                               "Could not tidy the ledger files; nothing was lost. {detail}"),
    "journal.read_only": ("台账以只读方式打开，不能修改", "The ledger was opened read-only and cannot be changed"),
})

Tables = dict[str, dict[str, dict]]
# One operation: (table, key, document) to put, or (table, key, None) to drop.
Op = tuple[str, str, dict | None]


class WriteFailed(UserError, OSError):
    """A write the disk refused; nothing of it stays on disk or in memory."""


CorruptLedger = LedgerDamaged  # the older name


@dataclass
class Line:
    """One journal line as read: ``ops`` is None when it fails its checksum."""

    number: int
    offset: int
    raw: bytes
    seq: int | None
    ops: list[Op] | None
    at: str = ""

    @property
    def complete(self) -> bool:
        return self.raw.endswith(b"\n")


def now_stamp() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def encode_line(seq: int, ops: list[Op]) -> bytes:
    body = orjson.dumps({"seq": seq, "at": now_stamp(), "ops": [[t, k, d] for t, k, d in ops]})
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def decode_line(raw: bytes) -> tuple[int | None, list[Op], str] | None:
    """(seq, ops, at) of a good line; None if it fails its checksum or shape."""
    if len(raw) < 10 or raw[8:9] != b" " or not raw.endswith(b"\n"):
        return None
    body = raw[9:-1]
    try:
        if int(raw[:8], 16) != zlib.crc32(body):
            return None
        value = orjson.loads(body)
        if isinstance(value, list):  # written before sequence numbers
            return None, [(t, k, d) for t, k, d in value], ""
        return int(value["seq"]), [(t, k, d) for t, k, d in value["ops"]], str(value.get("at", ""))
    except (ValueError, KeyError, TypeError):
        return None


def split_lines(data: bytes) -> list[Line]:
    """Every line of a journal's bytes, good or not; the last may lack its newline."""
    lines, offset, number = [], 0, 0
    # Split on "\n" alone: bytes.splitlines would also cut at "\r" in a torn tail.
    for piece in data.split(b"\n"):
        number += 1
        raw = piece + b"\n" if offset + len(piece) < len(data) else piece
        if not raw:
            break
        decoded = decode_line(raw)
        seq, ops, at = decoded if decoded else (None, None, "")
        lines.append(Line(number, offset, raw, seq, ops, at))
        offset += len(raw)
    return lines


def journal_print(data: bytes) -> list[int]:
    """What identifies a journal's bytes: [length, crc32]."""
    return [len(data), zlib.crc32(data)]


def apply(tables: Tables, ops: list[Op]) -> None:
    for table, key, doc in ops:
        if doc is None:
            tables.get(table, {}).pop(key, None)
        else:
            tables.setdefault(table, {})[key] = doc


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class JournalFiles:
    """The snapshot ``PATH`` and its journal ``PATH.journal``."""

    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.read_only = read_only
        self._fd: int | None = None
        self.journal_bytes = 0
        self.seq = 0
        self.snapshot_seq = 0
        self.broken = False
        self._size_read = 0

    def load(self, acknowledged: int = 0) -> Tables:
        """The state; ``acknowledged`` is the lock file's record of the last seq."""
        tables: Tables = {}
        header: dict = {}
        if self.path.exists():
            try:
                header, tables = snapshot.read(self.path)
            except snapshot.SnapshotDamaged as exc:
                raise damaged("snapshot_" + exc.what, self.path) from None
            self.snapshot_seq = self.seq = int(header.get("seq", 0))
        data = self.journal_path.read_bytes() if self.journal_path.exists() else b""
        # A repair stopped between its new snapshot and emptying the journal:
        # the old journal is already in the snapshot (a writer empties it).
        lines = [] if header.get("supersedes") == journal_print(data) else split_lines(data)
        good_end = self._replay(tables, lines)
        check_loaded(self, lines, good_end, acknowledged)
        self.journal_bytes = good_end
        self._size_read = len(data)
        return tables

    def _replay(self, tables: Tables, lines: list[Line]) -> int:
        """Apply the good lines; returns the end of the last one."""
        good_end = 0
        for line in lines:
            if line.ops is None:
                if line is lines[-1] and not line.complete:
                    break  # torn tail: never acknowledged
                raise damaged("journal_line", self.journal_path, line=line.number)
            seq = self.seq + 1 if line.seq is None else line.seq
            if seq > self.seq + 1:
                if line is lines[0] and not self.path.exists():
                    raise damaged("snapshot_missing", self.path)
                raise damaged("journal_gap", self.journal_path, line=line.number, first=self.seq + 1, last=seq - 1)
            if seq > self.seq:
                apply(tables, line.ops)
                self.seq = seq
            good_end = line.offset + len(line.raw)
        return good_end

    def open_for_append(self) -> None:
        """After ``load`` and its checks: cut a torn tail, and be ready to append."""
        created = not self.journal_path.exists()
        self._fd = open_private(self.journal_path, os.O_WRONLY | os.O_APPEND)
        if self.journal_bytes != self._size_read:  # the torn tail, and only it
            os.ftruncate(self._fd, self.journal_bytes)
            os.fsync(self._fd)
        if created:  # the new name must survive power loss too
            snapshot.fsync_dir(self.path.parent)

    def _failed(self, exc: OSError, key: str = "journal.write_failed") -> WriteFailed:
        named = OSError(exc.errno, exc.strerror, str(self.journal_path))
        return WriteFailed(tr(key, detail=os_error_message(named)))

    def append(self, ops: list[Op]) -> None:
        """Write one commit and return only once it is on disk."""
        if self.read_only or self._fd is None:
            raise WriteFailed(tr("journal.read_only"))
        if self.broken:
            raise WriteFailed(tr("journal.broken", path=self.path))
        line = encode_line(self.seq + 1, ops)
        try:
            _write_all(self._fd, line)
            os.fsync(self._fd)
        except OSError as exc:
            self._roll_back()
            raise self._failed(exc) from None
        self.journal_bytes += len(line)
        self.seq += 1

    def _roll_back(self) -> None:
        try:
            os.ftruncate(self._fd, self.journal_bytes)
            os.fsync(self._fd)
        except OSError:
            self.broken = True  # the next open cuts the torn line or finds the damage

    def compact(self, tables: Tables) -> None:
        """The state into the snapshot, then an empty journal; loses nothing on failure."""
        if self._fd is None or self.broken:
            return
        self._write_snapshot(tables, self.seq, "journal.compact_failed")

    def replace(self, tables: Tables) -> None:
        """A whole new state as one commit (a restore); the old stays on failure."""
        if self.read_only or self._fd is None:
            raise WriteFailed(tr("journal.read_only"))
        self._write_snapshot(tables, self.seq + 1, "journal.write_failed")

    def _write_snapshot(self, tables: Tables, seq: int, failure: str) -> None:
        try:
            snapshot.write_atomically(self.path, snapshot.encode(tables, seq))
        except OSError as exc:
            raise self._failed(exc, failure) from None
        # Lines left in the journal are at or below ``seq``: replayed, they are skipped.
        self.snapshot_seq = self.seq = seq
        try:  # if this fails, the old lines replay over the new snapshot: no change
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
        except OSError:
            return
        self.journal_bytes = 0

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
