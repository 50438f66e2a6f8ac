"""Durable files under the ledger: a snapshot plus an append-only journal.

A commit is one journal line, ``<crc32 hex8> <json>\\n``, written and
fsync'd before the caller is told it succeeded: 0.3 ms instead of rewriting
a 20 MB file.  Each line holds whole-document operations (put a document,
drop a document), so replaying a line twice gives the same state; that is
what makes compaction crash-safe.

Opening reads the snapshot and replays the journal.  A torn last line (the
process died inside ``write``) was never acknowledged: it is cut off.  A bad
line with good lines after it is not a crash artefact, and opening stops
with ``CorruptLedger`` rather than guess.

Compaction writes the whole state to a temporary file, fsyncs it, renames
it over the snapshot, fsyncs the folder, and only then empties the journal.
A crash between the rename and the emptying replays the old journal over
the new snapshot, which changes nothing.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import orjson

from domain.errors import UserError
from domain.i18n import register, tr

register({
    "journal.corrupt": ("台账文件已损坏：{path} 第 {line} 行校验失败，后面还有有效记录。请勿删除此文件，联系技术支持。",
                        "The ledger is damaged: line {line} of {path} fails its checksum and valid lines follow. "
                        "Keep the file and ask for help."),
    "journal.bad_snapshot": ("台账快照 {path} 无法读取：{error}", "Cannot read the ledger snapshot {path}: {error}"),
})

Tables = dict[str, dict[str, dict]]
# One operation: (table, key, document) to put, or (table, key, None) to drop.
Op = tuple[str, str, dict | None]


class CorruptLedger(UserError, RuntimeError):
    pass


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _encode(ops: list[Op]) -> bytes:
    body = orjson.dumps([[t, k, d] for t, k, d in ops])
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def _decode(line: bytes) -> list[Op] | None:
    if len(line) < 10 or line[8:9] != b" " or not line.endswith(b"\n"):
        return None
    body = line[9:-1]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        return [(t, k, d) for t, k, d in orjson.loads(body)]
    except ValueError:
        return None


def apply(tables: Tables, ops: list[Op]) -> None:
    for table, key, doc in ops:
        if doc is None:
            tables.get(table, {}).pop(key, None)
        else:
            tables.setdefault(table, {})[key] = doc


class JournalFiles:
    """The snapshot ``PATH`` and its journal ``PATH.journal``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self._fh = None
        self.journal_bytes = 0

    def load(self) -> Tables:
        tables: Tables = {}
        if self.path.exists():
            try:
                tables = orjson.loads(self.path.read_bytes())
            except (OSError, orjson.JSONDecodeError) as exc:
                raise CorruptLedger(tr("journal.bad_snapshot", path=self.path, error=exc)) from exc
        good_end = 0
        if self.journal_path.exists():
            data = self.journal_path.read_bytes()
            # Split on "\n" alone: bytes.splitlines would also cut at "\r" in a torn tail.
            lines = [line + b"\n" for line in data.split(b"\n")]
            lines[-1] = lines[-1][:-1]
            if not lines[-1]:
                lines.pop()
            offset = 0
            for number, line in enumerate(lines, 1):
                ops = _decode(line)
                if ops is None:
                    if number < len(lines):
                        raise CorruptLedger(tr("journal.corrupt", path=self.journal_path, line=number))
                    break  # torn tail: never acknowledged
                apply(tables, ops)
                offset += len(line)
            good_end = offset
            if good_end != len(data):
                with open(self.journal_path, "r+b") as fh:
                    fh.truncate(good_end)
                    fh.flush()
                    os.fsync(fh.fileno())
        self.journal_bytes = good_end
        created = not self.journal_path.exists()
        self._fh = open(self.journal_path, "ab")
        if created:  # the new name must survive power loss too
            _fsync_dir(self.path.parent)
        return tables

    def append(self, ops: list[Op]) -> None:
        """Write one commit and return only once it is on disk."""
        line = _encode(ops)
        self._fh.write(line)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self.journal_bytes += len(line)

    def compact(self, tables: Tables) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(orjson.dumps(tables))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)
        self._fh.truncate(0)
        self._fh.seek(0)
        os.fsync(self._fh.fileno())
        self.journal_bytes = 0

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
