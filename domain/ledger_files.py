"""Opening a ledger's files: the lock, the checks, private modes.

A writer takes the lock (``domain.lockfile``), then loads the snapshot and
journal, comparing them with the lock file's record of the last
acknowledged commit.  A reader takes no lock: it reads the snapshot and the
complete journal lines, and reads again if a writer replaced the snapshot
meanwhile (compaction).  Either way an empty ledger beside non-empty backups
of it stops the open (``domain.damage``).
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from domain.i18n import register, tr
from domain.journal import JournalFiles, LedgerDamaged, Tables
from domain.lockfile import Lock, acquire, read_record
from domain.privacy import make_private_dir, tighten

register({
    "store.tightened": ("{path} 原来其他用户也能读取，已改为只有你能读写。",
                        "{path} was readable by other users; it is now private to you."),
})

READ_ATTEMPTS = 5


@dataclass
class Opened:
    files: JournalFiles
    tables: Tables
    lock: Lock | None
    notices: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.files.close()
        if self.lock is not None:
            self.lock.close()


@contextmanager
def collector_paused():
    """Loading makes about a million objects and no garbage; in a process that
    already holds many objects (the full-screen program) the cyclic collector
    walks them all again and again: 0.37 s to open the large ledger, 0.28 s
    with it paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def open_files(path: Path, *, read_only: bool, program: str | None, wait: float) -> Opened:
    from domain.damage import check_backups

    if read_only:
        files, tables = _load_consistent(path)
        opened = Opened(files, tables, None)
    else:
        make_private_dir(path.parent)
        lock = acquire(path, program=program, wait=wait)
        try:
            files = JournalFiles(path)
            with collector_paused():
                tables = files.load(lock.acknowledged)
        except BaseException:
            lock.close()
            raise
        lock.write(seq=files.seq)
        opened = Opened(files, tables, lock)
    try:
        check_backups(path, tables, files.seq)
        if not read_only:
            files.open_for_append()
    except BaseException:
        opened.close()
        raise
    opened.notices = tighten_files(path)
    return opened


def _file_stamp(path: Path):
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _load_consistent(path: Path) -> tuple[JournalFiles, Tables]:
    """Snapshot plus complete journal lines, read again if a compaction replaced
    the snapshot while they were being read."""
    for attempt in range(1, READ_ATTEMPTS + 1):
        before = _file_stamp(path)
        files = JournalFiles(path, read_only=True)
        try:
            with collector_paused():
                tables = files.load(read_record(path).get("seq", 0))
        except LedgerDamaged:
            if attempt == READ_ATTEMPTS or _file_stamp(path) == before:
                raise
            continue
        if _file_stamp(path) == before:
            break
        time.sleep(0.02)
    return files, tables


def tighten_files(path: Path) -> list[str]:
    """Ledger files readable by others become private, and so does the program's
    own data folder (not a folder ``--db`` merely points into); the user is told once."""
    names = [path, path.with_name(path.name + ".journal"), path.with_name(path.name + ".lock")]
    if _is_data_folder(path.parent):
        names.append(path.parent)
    return [tr("store.tightened", path=p) for p in names if _safe_tighten(p)]


def _is_data_folder(folder: Path) -> bool:
    from platformdirs import user_data_dir

    return folder.resolve() == Path(user_data_dir("union-ledger", appauthor=False)).resolve()


def _safe_tighten(path: Path) -> bool:
    try:
        return tighten(path)
    except OSError:
        return False  # not ours to change


def discard(path: Path) -> None:
    """Remove a ledger on purpose (remaking the demo): its files, the lock's
    record of its commits and its backups, so that what comes next is a new
    ledger, not a damaged one."""
    from domain.backups import list_backups

    for backup in list_backups(path):
        backup.path.unlink(missing_ok=True)
    for suffix in ("", ".journal", ".lock"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
