"""Damage found at open, said in one message naming the file and what to run.

Every case leaves the files as they are; ``app.py repair`` salvages them.
"""

from __future__ import annotations

from pathlib import Path

from domain.errors import UserError
from domain.i18n import register, tr

register({
    "damage.journal_line": ("台账日志 {path} 第 {line} 行已损坏（校验不符）",
                            "line {line} of the ledger journal {path} is damaged (checksum mismatch)"),
    "damage.journal_gap": ("台账日志 {path} 缺少第 {first}–{last} 次修改（在第 {line} 行之前）",
                           "the ledger journal {path} lacks commits {first}–{last} (before line {line})"),
    "damage.journal_truncated": ("台账日志 {path} 不完整：已确认保存过 {expected} 次修改，这里只有 {found} 次",
                                 "the ledger journal {path} is cut short: {expected} commits were acknowledged, "
                                 "only {found} are here"),
    "damage.journal_missing": ("台账日志 {path} 不见了：已确认保存过 {expected} 次修改，快照里只有 {found} 次",
                               "the ledger journal {path} is missing: {expected} commits were acknowledged, "
                               "the snapshot holds {found}"),
    "damage.snapshot_missing": ("台账快照 {path} 不见了，日志里没有它之前的修改",
                                "the ledger snapshot {path} is missing and the journal does not hold what was in it"),
    "damage.ledger_missing": ("台账文件 {path} 不见了：已确认保存过 {expected} 次修改",
                              "the ledger file {path} is missing: {expected} commits were acknowledged"),
    "damage.snapshot_checksum": ("台账快照 {path} 已损坏（校验不符）", "the ledger snapshot {path} is damaged (checksum mismatch)"),
    "damage.snapshot_truncated": ("台账快照 {path} 不完整（文件被截断）", "the ledger snapshot {path} is cut short"),
    "damage.snapshot_length": ("台账快照 {path} 长度不符（多出内容）", "the ledger snapshot {path} has the wrong length"),
    "damage.snapshot_header": ("台账快照 {path} 的文件头已损坏", "the header of the ledger snapshot {path} is damaged"),
    "damage.snapshot_counts": ("台账快照 {path} 的记录数不符", "the record counts of the ledger snapshot {path} differ"),
    "damage.empty_beside_backups": (
        "台账 {path} 是空的，但 {folder} 里有它的备份（最新一份 {made}，{records} 条记录）",
        "the ledger {path} is empty, but {folder} holds backups of it (newest {made}, {records} records)"),
    "damage.behind_backups": ("台账 {path} 只有 {found} 次修改，比它的备份 {backup}（{expected} 次）还少：文件被截断或换成了旧的",
                              "the ledger {path} holds {found} commits, fewer than its backup {backup} ({expected}): "
                              "a file was cut or replaced by an older one"),
    "damage.advice": ("。台账没有打开，文件未作任何改动。请运行：app.py --db {db} repair（原文件会另存，不会删除）",
                      ". The ledger was not opened and no file was changed. Run: app.py --db {db} repair "
                      "(the files are kept aside, never deleted)"),
    "damage.advice_restore": ("。台账没有打开。要从备份恢复请运行：app.py --db {db} restore {backup}；"
                              "确实要从空台账开始，请先把 {folder} 移走",
                              ". The ledger was not opened. To restore the backup run: app.py --db {db} restore {backup}; "
                              "to start empty on purpose, move {folder} away first"),
})


class LedgerDamaged(UserError, RuntimeError):
    """The files do not hold every acknowledged commit; ``case`` names how."""

    def __init__(self, message: str, case: str, path: Path):
        super().__init__(message)
        self.case, self.path = case, path


def ledger_of(path: Path) -> Path:
    """The ledger (snapshot) path for any of its files."""
    name = path.name
    for suffix in (".journal", ".lock"):
        if name.endswith(suffix):
            return path.with_name(name[: -len(suffix)])
    return path


def damaged(case: str, path: Path, **details) -> LedgerDamaged:
    message = tr("damage." + case, path=path, **details)
    if case == "empty_beside_backups":
        message += tr("damage.advice_restore", db=ledger_of(path), **details)
    else:
        message += tr("damage.advice", db=ledger_of(path))
    return LedgerDamaged(message, case, path)


def check_loaded(files, lines, good_end: int, acknowledged: int) -> None:
    """Raise if the files hold fewer commits than were acknowledged."""
    if acknowledged <= files.seq:
        return
    details = {"expected": acknowledged, "found": files.seq}
    has_lines = any(line.ops is not None for line in lines)
    if not files.path.exists() and not has_lines:
        case = "snapshot_missing" if files.journal_path.exists() else "ledger_missing"
        raise damaged(case, files.path, **details)
    if not files.journal_path.exists():
        raise damaged("journal_missing", files.journal_path, **details)
    raise damaged("journal_truncated", files.journal_path, **details)


def check_backups(path: Path, tables: dict, seq: int) -> None:
    """The ledger's backups are a second record of its commits (``seq`` never goes
    back, a restore included): an empty ledger beside non-empty backups is a lost
    ledger, and one holding fewer commits than a backup lost some."""
    from domain.backups import backup_folder, list_backups

    backups = list_backups(path)
    if not backups:
        return
    empty = not seq and not any(tables.get(k) for k in ("member", "event", "visit", "history"))
    found = [b for b in backups if sum(b.counts.values())]
    if empty and found:
        newest = found[-1]
        raise damaged("empty_beside_backups", path, folder=backup_folder(path),
                      made=newest.made.strftime("%Y-%m-%d %H:%M"), records=sum(newest.counts.values()),
                      backup=newest.path)
    ahead = max(backups, key=lambda b: b.seq)
    if ahead.seq > seq:
        raise damaged("behind_backups", path, found=seq, expected=ahead.seq, backup=ahead.path)
