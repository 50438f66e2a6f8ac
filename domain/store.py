"""The ledger: one school's records in one file, durable on every commit.

A real TinyDB (tables ``member``, ``event``, ``visit``, ``history``; use
``ledger.db`` for queries) over an in-memory image of the files kept by
``domain.journal``.  Writes do not go through TinyDB's own write path (it
rewrites the whole file, 0.4 s at 20 MB, and tears it when killed):
``Ledger.commit`` appends one checksummed journal line, fsyncs it, then
updates the image and clears TinyDB's query caches.

Tables whose name starts with ``_`` are key-value tables with free string
keys (the sync keeps its bases and conflicts there); they are not TinyDB
tables.  Documents handed out are the image's own: never mutate them.

One process per ledger: ``open`` takes an exclusive lock on ``PATH.lock``.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import Storage

from domain.backup_policy import backup_if_due
from domain.errors import UserError, user_message
from domain.config import Config, load_config
from domain.fields import KINDS
from domain.i18n import register, tr
from domain.journal import JournalFiles, Op, Tables, WriteFailed, apply
from domain.ledger_files import open_files
from domain.lockfile import WAIT_SECONDS, LedgerBusy  # noqa: F401 (LedgerBusy: re-exported)
from domain.transaction import HISTORY, Transaction, now_stamp  # noqa: F401 (now_stamp: re-exported)
from domain.validation import ValidationError, validate_record

register({
    "store.backup_failed": ("自动备份失败：{error}", "The automatic backup failed: {error}"),
    "store.not_found": ("没有编号为 {id} 的{kind}", "no {kind} with id {id}"),
    "store.no_member": ("会员编号 {id} 不存在", "no member with id {id}"),
    "store.nothing_to_undo": ("没有可撤销的操作", "nothing to undo"),
})

META = "_meta"
COMPACT_MIN_BYTES = 1 << 20
KIND_NAMES = {"member": ("会员", "member"), "event": ("活动", "event"), "visit": ("慰问", "visit")}

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id() -> str:
    """A ULID: 48 bits of milliseconds then 80 random bits, Crockford base32.

    Made on the device that creates the record, sortable by creation time,
    and never a row number."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


class NotFound(UserError, KeyError):
    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return self.args[0]


class _Image(Storage):
    """TinyDB storage over the in-memory tables; writes are refused."""

    def __init__(self, tables: Tables):
        self.tables = tables

    def read(self):
        return self.tables

    def write(self, data) -> None:
        raise RuntimeError("write through Ledger.commit, not TinyDB")


def default_ledger_path() -> Path:
    env = os.environ.get("LEDGER_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("union-ledger", appauthor=False)) / "ledger.json"


class Ledger:
    def __init__(self, path: Path, tables: Tables, files: JournalFiles, lock, config: Config,
                 school: str | None):
        self.path = path
        self.config = config
        self._tables = tables
        self._files = files
        self._lock = lock
        self._snapshot_bytes = path.stat().st_size if path.exists() else 0
        self.notices: list[str] = []
        self.backup_at_exit = False  # a long-running program's clean exit backs up whenever changed
        self.db = TinyDB(storage=_Image, tables=tables)
        self.revision = 0
        self._undo: list[tuple[str, str, dict | None]] = []
        self._index()
        meta = tables.get(META, {}).get("ledger", {})
        self.school = school or os.environ.get("LEDGER_SCHOOL") or meta.get("school") \
            or config.school or "本校"

    def _index(self) -> None:
        tables = self._tables
        for name in (*KINDS, HISTORY):
            tables.setdefault(name, {})
        self._keys = {k: {doc["id"]: key for key, doc in tables[k].items()} for k in KINDS}
        self._next = {t: max(map(int, tables[t]), default=0) + 1 for t in (*KINDS, HISTORY)}
        self._history_index: dict[tuple[str, str], list[str]] = {}
        for key, entry in tables[HISTORY].items():
            self._history_index.setdefault((entry["kind"], entry["id"]), []).append(key)

    # ----- opening and closing
    @classmethod
    def open(cls, path: Path | str | None = None, *, config: Config | None = None,
             school: str | None = None, read_only: bool = False, program: str | None = None,
             wait: float = WAIT_SECONDS) -> Ledger:
        """Open for writing (the lock, waiting up to ``wait`` s) or, with
        ``read_only``, read the committed state without the lock."""
        path = Path(path) if path else default_ledger_path()
        opened = open_files(path, read_only=read_only, program=program, wait=wait)
        try:
            ledger = cls(path, opened.tables, opened.files, opened.lock, config or load_config(), school)
            ledger.notices = opened.notices
            if not read_only:
                ledger._auto_backup("open")  # the state as found, before this run changes it
                ledger._remember_school(school or os.environ.get("LEDGER_SCHOOL"))
            return ledger
        except BaseException:
            opened.close()
            raise

    @property
    def read_only(self) -> bool:
        return self._lock is None

    @property
    def seq(self) -> int:
        """Commits this state holds, over the ledger's life."""
        return self._files.seq

    def state(self) -> Tables:
        """The committed tables (the image's own: never mutate)."""
        return self._tables

    def _remember_school(self, school: str | None) -> None:
        """The first school named for a ledger stays its school, so that later
        runs without --school don't take its records for another school's."""
        meta = self.meta()
        if school and not meta.get("school"):
            with self.transaction() as tx:
                tx.kv_put(META, "ledger", {**meta, "school": school})

    def _auto_backup(self, reason: str, *, interval: bool = True) -> None:
        """An automatic backup when due; failing it stops nothing (the user is told)."""
        try:
            backup_if_due(self, reason, interval=interval)
        except (OSError, UserError) as exc:
            self.notices.append(tr("store.backup_failed", error=user_message(exc)))

    def idle(self) -> None:
        """For a long-running program's quiet moments: compact, back up if due."""
        if not self.read_only:
            self.compact_if_needed()
            self._auto_backup("periodic")

    def close(self) -> None:
        """Close; a writer compacts first if the journal grew (nothing is lost if
        that fails) and backs up if due (always, with ``backup_at_exit``)."""
        if self._files is None:
            return
        try:
            if not self.read_only:
                if self.revision:
                    self._auto_backup("exit", interval=not self.backup_at_exit)
                self.compact_if_needed()
        except WriteFailed:
            pass  # the journal still holds every commit
        finally:
            self._files.close()
            self._files = None
            if self._lock is not None:
                self._lock.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _journal_too_big(self) -> bool:
        size = self._files.journal_bytes
        return size > COMPACT_MIN_BYTES and size > self._snapshot_bytes // 8

    def compact(self) -> None:
        """Fold the journal into the snapshot (writers only; never at open)."""
        if self.read_only:
            return
        self._files.compact(self._tables)
        self._snapshot_bytes = self.path.stat().st_size

    def compact_if_needed(self) -> bool:
        """For a writer's idle moments and close."""
        if self._files and not self.read_only and self._files.journal_bytes and self._journal_too_big():
            self.compact()
            return True
        return False

    def replace_state(self, tables: Tables) -> None:
        """Make ``tables`` the whole committed state in one durable step (a
        restore): a new snapshot one commit on, the journal emptied."""
        self._files.replace(tables)
        self._lock.write(seq=self._files.seq)
        self._snapshot_bytes = self.path.stat().st_size
        self._tables.clear()
        self._tables.update(tables)
        self._index()
        self._undo.clear()
        for name in self._keys:
            self.db.table(name).clear_cache()
        self.revision += 1

    # ----- the one write path
    def commit(self, ops: list[Op]) -> None:
        """Make ``ops`` durable, then visible.  Raises before anything changes."""
        if not ops:
            return
        self._files.append(ops)
        self._lock.write(seq=self._files.seq)
        for table, key, doc in ops:
            if table in self._keys:
                ids = self._keys[table]
                old = self._tables[table].get(key)
                if old is not None and (doc is None or old["id"] != doc["id"]):
                    ids.pop(old["id"], None)
                if doc is not None:
                    ids[doc["id"]] = key
            elif table == HISTORY and doc is not None:
                self._history_index.setdefault((doc["kind"], doc["id"]), []).append(key)
            apply(self._tables, [(table, key, doc)])
        for name in self._keys:
            self.db.table(name).clear_cache()
        self.revision += 1

    def _alloc(self, table: str) -> str:
        key = self._next[table]
        self._next[table] = key + 1
        return str(key)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Collect several changes and commit them as one journal line."""
        tx = Transaction(self)
        yield tx
        self.commit(tx.ops)

    # ----- reading
    def get(self, kind: str, rid: str) -> dict | None:
        key = self._keys[kind].get(rid)
        return None if key is None else self._tables[kind][key]

    def require(self, kind: str, rid: str) -> dict:
        record = self.get(kind, rid)
        if record is None:
            raise NotFound(tr("store.not_found", id=rid, kind=KIND_NAMES[kind][0]))
        return record

    def records(self, kind: str) -> list[dict]:
        return list(self._tables[kind].values())

    def count(self, kind: str) -> int:
        return len(self._tables[kind])

    def history(self, kind: str, rid: str) -> list[dict]:
        table = self._tables[HISTORY]
        return [table[k] for k in self._history_index.get((kind, rid), ())]

    def kv_get(self, table: str, key: str, default=None):
        return self._tables.get(table, {}).get(key, default)

    def kv_all(self, table: str) -> dict[str, dict]:
        return self._tables.get(table, {})

    def meta(self) -> dict:
        return self.kv_get(META, "ledger", {})

    # ----- changing records (validated)
    def add(self, kind: str, values: Mapping, *, source: str = "local", rid: str | None = None) -> dict:
        values = dict(values)
        values.setdefault("school", self.school)
        stored = validate_record(kind, values, self.config)
        self._check_refs(kind, stored)
        stamp = now_stamp()
        record = {"id": rid or new_id(), "school": stored.pop("school"),
                  "created": stamp, "updated": stamp, **stored}
        with self.transaction() as tx:
            tx.put_record(kind, record, source=source)
        if source == "local":
            self._undo.append((kind, record["id"], None))
        return record

    def edit(self, kind: str, rid: str, values: Mapping, *, source: str = "local") -> dict:
        before = self.require(kind, rid)
        stored = validate_record(kind, values, self.config, base=before)
        self._check_refs(kind, stored, before)
        record = {**before, **stored, "updated": now_stamp()}
        if all(record.get(k) == before.get(k) for k in stored):
            return before
        with self.transaction() as tx:
            tx.put_record(kind, record, source=source)
        if source == "local":
            self._undo.append((kind, rid, before))
        return record

    def delete(self, kind: str, rid: str, *, source: str = "local") -> dict:
        before = self.require(kind, rid)
        with self.transaction() as tx:
            tx.drop_record(kind, rid, source=source)
        if source == "local":
            self._undo.append((kind, rid, before))
        return before

    def can_undo(self) -> bool:
        return bool(self._undo)

    def next_undo(self) -> tuple[str, str] | None:
        """(kind, id) of the record the next undo puts back, or None."""
        return (self._undo[-1][0], self._undo[-1][1]) if self._undo else None

    def undo(self) -> tuple[str, str]:
        """Undo this session's last local change; returns (kind, id)."""
        if not self._undo:
            raise LookupError(tr("store.nothing_to_undo"))
        kind, rid, before = self._undo.pop()
        with self.transaction() as tx:
            if before is None:
                tx.drop_record(kind, rid, source="undo")
            else:
                tx.put_record(kind, {**before, "updated": now_stamp()}, source="undo")
        return kind, rid

    def _check_refs(self, kind: str, stored: dict, before: Mapping | None = None) -> None:
        """New references must name a member; ones the record already held may name
        a deleted member (a deleted member's visits and events stay editable)."""
        before = before or {}
        if kind == "visit":
            member = self.get("member", stored["member_id"])
            if member is None and stored["member_id"] == before.get("member_id"):
                return
            if member is None:
                raise ValidationError("visit", "member_id", tr("store.no_member", id=stored["member_id"]))
            if not stored.get("member_name"):
                stored["member_name"] = member["name"]
        elif kind == "event":
            kept = set(before.get("participants") or ())
            for mid in stored.get("participants") or ():
                if mid not in kept and self.get("member", mid) is None:
                    raise ValidationError("event", "participants", tr("store.no_member", id=mid))
