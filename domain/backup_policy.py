"""When backups are made, which are kept, and restoring one.

Made at open when the ledger changed since the newest backup and that one is
older than ``interval_minutes`` (so that a burst of commands does not copy the
ledger each time), at the same pace while a long-running program keeps
changing it, at its clean exit, and forced before destructive steps (import
commit, bulk delete, restore, repair, a sync that deletes local records).

Thinned as Anki does (rslib/src/collection/backup.rs): newest first, every
backup of today and yesterday stays; then the newest of each day for
``daily`` days, of each ISO week for ``weekly`` weeks, of each month for
``monthly`` months.  A backup failing its checksum is never the one kept
for its slot (it is removed), and the newest good backup always stays.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from domain import snapshot
from domain.backups import SUFFIX, BackupInfo, backup_folder, list_backups, make_backup, read_backup
from domain.i18n import register, tr

register({
    "backup.restored": ("已从备份 {path} 恢复（{made}）；恢复前的台账已另存为 {before}。下次同步会先列出两边的改动，需确认后才写入。",
                        "Restored from {path} ({made}); the ledger as it was is kept as {before}. "
                        "The next sync lists what it would change on both sides and waits for a yes."),
})

RESTORED_KEY = "restored"  # in the _meta table: the next sync needs an explicit yes


@dataclass(frozen=True)
class Keep:
    interval_minutes: int = 30
    daily: int = 12
    weekly: int = 10
    monthly: int = 9

    @classmethod
    def from_config(cls, config) -> Keep:
        values = getattr(config, "backups", None) or {}
        return cls(**{k: int(values[k]) for k in ("interval_minutes", "daily", "weekly", "monthly")
                      if k in values})


def intact(info: BackupInfo) -> bool:
    """Checksum and length of the body as stored (no parse: cheap on every backup)."""
    try:
        data = info.path.read_bytes()
        header, body = snapshot.split(info.path, data)
        return header is not None and snapshot.body_ok(header, body)
    except (OSError, snapshot.SnapshotDamaged):
        return False


def to_thin(backups: list[BackupInfo], today: dt.date, keep: Keep, good=intact) -> list[BackupInfo]:
    """The backups thinning removes (the rest are kept)."""
    newest_first = sorted(backups, key=lambda b: (b.made, b.seq), reverse=True)
    newest_good = next((b for b in newest_first if good(b)), None)
    covered: dict[str, set] = {"day": set(), "week": set(), "month": set()}  # by any backup kept
    counts = {"day": 0, "week": 0, "month": 0}
    limits = {"day": keep.daily, "week": keep.weekly, "month": keep.monthly}
    removed = []
    for backup in newest_first:
        slots = _slots(backup.made.date())
        recent = (today - backup.made.date()).days <= 1
        if recent and backup is not newest_good and good(backup):
            _cover(covered, slots)
            continue
        tier = None if recent else next((name for name in counts if counts[name] < limits[name]), None)
        if backup is not newest_good and (tier is None or slots[tier] in covered[tier] or not good(backup)):
            removed.append(backup)
            continue
        if tier is not None:
            counts[tier] += 1
        _cover(covered, slots)
    return removed


def _slots(day: dt.date) -> dict:
    return {"day": day, "week": day.isocalendar()[:2], "month": (day.year, day.month)}


def _cover(covered: dict[str, set], slots: dict) -> None:
    for name, slot in slots.items():
        covered[name].add(slot)


def thin(ledger_path: Path, keep: Keep, *, today: dt.date | None = None) -> list[Path]:
    """Remove the backups thinning drops, and temporary files a killed backup left."""
    gone = []
    folder = backup_folder(ledger_path)
    for stale in folder.glob(Path(ledger_path).name + "-*" + SUFFIX + ".tmp"):
        if time.time() - stale.stat().st_mtime > 3600:
            stale.unlink(missing_ok=True)
            gone.append(stale)
    for backup in to_thin(list_backups(ledger_path), today or dt.date.today(), keep):
        backup.path.unlink(missing_ok=True)
        gone.append(backup.path)
    return gone


def backup_now(ledger, reason: str, *, now: dt.datetime | None = None) -> Path:
    """A backup (forced before destructive steps, or asked for), then thinning."""
    path = make_backup(ledger, reason, now=now)
    thin(ledger.path, Keep.from_config(ledger.config), today=(now or dt.datetime.now()).date())
    return path


def backup_if_due(ledger, reason: str, *, now: dt.datetime | None = None, interval: bool = True) -> Path | None:
    """Back up if the ledger changed since the newest backup (and, with
    ``interval``, that one is old enough)."""
    if ledger.read_only or ledger.seq == 0:
        return None
    backups = list_backups(ledger.path)
    newest = backups[-1] if backups else None
    if newest is not None and newest.seq == ledger.seq:
        return None
    now = now or dt.datetime.now().astimezone()
    minutes = Keep.from_config(ledger.config).interval_minutes
    if interval and newest is not None and now.astimezone() - newest.made < dt.timedelta(minutes=minutes):
        return None
    return backup_now(ledger, reason, now=now)


def restore(ledger, backup: Path) -> str:
    """Replace the ledger's state by a checked backup's, backing up the current
    state first; marks the ledger so that the next sync asks before writing."""
    header, tables = read_backup(Path(backup))
    before = backup_now(ledger, "before-restore")
    meta = dict(tables.get("_meta", {}))
    meta[RESTORED_KEY] = {"at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                          "from": str(backup)}
    ledger.replace_state({**tables, "_meta": meta})
    return tr("backup.restored", path=backup, made=header.get("made", ""), before=before)


def restored_marker(ledger) -> dict | None:
    """Set after a restore or a repair from a backup: the next sync must ask first."""
    return ledger.kv_get("_meta", RESTORED_KEY)


def clear_restored_marker(ledger) -> None:
    """The user said yes to the first sync after a restore."""
    if restored_marker(ledger) is not None:
        with ledger.transaction() as tx:
            tx.kv_drop("_meta", RESTORED_KEY)
