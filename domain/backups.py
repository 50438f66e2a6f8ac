"""Backups of a ledger, in ``backups/`` beside it.

A backup is the ledger's whole state at one commit, in the snapshot format
(``domain.snapshot``: checksum, deflated body), with its reason, time and
records per kind in the header so that listing reads only headers.  It is
written 0600 into a 0700 folder, to a temporary name first, then read back
and checked (checksum, parse, counts) before it gets its real name: a backup
that fails its check is removed and never listed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from domain import snapshot
from domain.errors import UserError
from domain.fields import KINDS
from domain.i18n import register, tr
from domain.privacy import make_private_dir, tighten

register({
    "backup.check_failed": ("备份 {path} 写入后读回校验失败，已删除这份坏备份：{what}",
                            "The backup {path} failed its check after writing and was removed: {what}"),
    "backup.not_backup": ("{path} 不是本程序的备份文件", "{path} is not a backup made by this program"),
})

FOLDER = "backups"
SUFFIX = ".backup"
_REASON = re.compile(r"[^0-9A-Za-z_-]+")


class BackupFailed(UserError):
    pass


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made: dt.datetime
    reason: str
    counts: dict[str, int]
    seq: int
    size: int

    def as_json(self) -> dict:
        return {"path": str(self.path), "made": self.made.isoformat(timespec="seconds"),
                "reason": self.reason, "counts": self.counts, "seq": self.seq, "size": self.size}


def backup_folder(ledger_path: Path) -> Path:
    return Path(ledger_path).parent / FOLDER


def _counts(tables: dict) -> dict[str, int]:
    return {kind: len(tables.get(kind, {})) for kind in KINDS}


def make_backup(ledger, reason: str, *, now: dt.datetime | None = None) -> Path:
    """Write a checked copy of ``ledger``'s committed state; returns its path."""
    return write_backup(ledger.path, ledger.state(), ledger.seq, reason, now=now)


def write_backup(ledger_path: Path, tables: dict, seq: int, reason: str, *,
                 now: dt.datetime | None = None) -> Path:
    folder = backup_folder(ledger_path)
    make_private_dir(folder)
    tighten(folder)
    made = (now or dt.datetime.now()).astimezone()
    slug = _REASON.sub("-", reason).strip("-") or "manual"
    name = f"{Path(ledger_path).name}-{made:%Y%m%d-%H%M%S}-{slug}"
    path = folder / (name + SUFFIX)
    for n in range(2, 1000):  # two in one second: keep both
        if not path.exists():
            break
        path = folder / f"{name}-{n}{SUFFIX}"
    extra = {"ledger": Path(ledger_path).name, "made": made.isoformat(timespec="seconds"),
             "reason": reason, "counts": _counts(tables)}
    snapshot.write_atomically(path, snapshot.encode(tables, seq, compress=True, extra=extra))
    check_backup(path, extra["counts"])
    return path


def check_backup(path: Path, counts: dict[str, int] | None = None) -> dict:
    """Read a backup back whole; removes it and raises BackupFailed if it is bad."""
    try:
        header, tables = snapshot.read(path)
        if counts is not None and _counts(tables) != counts:
            raise snapshot.SnapshotDamaged(path, "counts")
    except (OSError, snapshot.SnapshotDamaged) as exc:
        path.unlink(missing_ok=True)
        raise BackupFailed(tr("backup.check_failed", path=path, what=exc)) from exc
    return tables


def read_backup(path: Path) -> tuple[dict, dict]:
    """(header, tables) of a backup, checked; raises BackupFailed."""
    try:
        header, tables = snapshot.read(path)
    except (OSError, snapshot.SnapshotDamaged) as exc:
        raise BackupFailed(tr("backup.not_backup", path=path) + f" ({exc})") from exc
    if "made" not in header:
        raise BackupFailed(tr("backup.not_backup", path=path))
    return header, tables


def _info(path: Path, ledger_name: str) -> BackupInfo | None:
    try:
        header = snapshot.read_header(path)
        size = path.stat().st_size
    except OSError:
        return None
    if not header or "made" not in header or header.get("ledger") != ledger_name:
        return None
    try:
        made = dt.datetime.fromisoformat(header["made"])
    except (TypeError, ValueError):
        return None
    return BackupInfo(path, made, str(header.get("reason", "")), dict(header.get("counts", {})),
                      int(header.get("seq", 0)), size)


def list_backups(ledger_path: Path) -> list[BackupInfo]:
    """The ledger's backups, oldest first, from their headers alone."""
    folder = backup_folder(ledger_path)
    if not folder.is_dir():
        return []
    prefix = Path(ledger_path).name + "-"
    found = []
    for path in folder.glob("*" + SUFFIX):
        if path.name.startswith(prefix):
            info = _info(path, Path(ledger_path).name)
            if info is not None:
                found.append(info)
    return sorted(found, key=lambda b: (b.made, b.seq, b.path.name))
