"""``PATH.lock``: one writer per ledger, and the record of its last commit.

The writer holds an exclusive ``flock`` on the file and keeps in it, as one
fixed-width JSON line rewritten in place (never emptied, so a reader never
sees it blank), who holds it and the ``seq`` of the last acknowledged
commit.  That record outlives the process: the next open compares it with
what the snapshot and journal hold, which is how a journal cut at a line
boundary or deleted is found.  Readers read the record without locking.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import orjson

from domain.errors import UserError
from domain.i18n import register, tr
from domain.privacy import open_private

register({
    "store.locked": ("台账 {path} 正被另一个程序使用（{program}，进程 {pid}），等了 {wait} 秒仍未释放。请先关闭那个程序再试。",
                     "The ledger {path} is in use by another program ({program}, process {pid}); "
                     "waited {wait} s. Close it and try again."),
    "store.unknown_program": ("未知程序", "unknown program"),
    "store.unknown_pid": ("进程号未知", "pid unknown"),
})

WIDTH = 256
WAIT_SECONDS = 5.0


class LedgerBusy(UserError, RuntimeError):
    pass


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def read_record(path: Path) -> dict:
    """The lock file's record of ``path`` (empty if none or unreadable)."""
    try:
        raw = lock_path(path).read_bytes()[:WIDTH * 4]
    except OSError:
        return {}
    try:
        record = orjson.loads(raw.strip() or b"{}")
    except orjson.JSONDecodeError:
        digits = raw.strip()
        return {"pid": int(digits)} if digits.isdigit() else {}  # written before the record
    return record if isinstance(record, dict) else {}


def program_name() -> str:
    argv = sys.argv or ["python"]
    return " ".join([os.path.basename(argv[0]), *argv[1:]])[:60]


def _flock_holder(fd: int) -> int | None:
    """The pid holding a flock on ``fd``'s file, from /proc/locks (Linux)."""
    st = os.fstat(fd)
    want = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks") as fh:
            for row in fh:
                parts = row.split()
                if len(parts) > 5 and parts[1] == "FLOCK" and parts[5] == want:
                    return int(parts[4])
    except (OSError, ValueError):
        pass
    return None


class Lock:
    def __init__(self, path: Path, fd: int, record: dict):
        self.path, self.fd, self.record = path, fd, record

    @property
    def acknowledged(self) -> int:
        return int(self.record.get("seq", 0) or 0)

    def write(self, **changes) -> None:
        """Rewrite the record in place (best effort: it only ever under-reports)."""
        self.record = {**self.record, **changes}
        data = orjson.dumps(self.record).ljust(WIDTH - 1) + b"\n"
        try:
            os.pwrite(self.fd, data, 0)
            if os.fstat(self.fd).st_size > len(data):
                os.ftruncate(self.fd, len(data))
        except OSError:
            pass

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _try_lock(fd: int) -> bool:
    if os.name != "posix":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def acquire(path: Path, *, program: str | None = None, wait: float = WAIT_SECONDS) -> Lock:
    """Take the ledger's lock, waiting up to ``wait`` seconds for its holder."""
    fd = open_private(lock_path(path), os.O_RDWR)
    deadline = time.monotonic() + wait
    while not _try_lock(fd):
        if time.monotonic() >= deadline:
            holder = read_record(path)
            pid = _flock_holder(fd) or holder.get("pid") or tr("store.unknown_pid")
            os.close(fd)
            raise LedgerBusy(tr("store.locked", path=path, pid=pid, wait=f"{wait:g}",
                                program=holder.get("program") or tr("store.unknown_program")))
        time.sleep(0.05)
    lock = Lock(path, fd, read_record(path))
    lock.write(pid=os.getpid(), program=program or program_name())
    return lock
