"""backup, backups, restore, repair: the ledger's safety net on the command line.

    app.py backup                 makes one now; its path alone on the last line
    app.py backups [--json]       path, time, why, records per kind, size
    app.py restore PATH           backs up the current state first
    app.py repair [--backup PATH] salvages a damaged ledger
"""

from __future__ import annotations

from pathlib import Path

from domain.backup_policy import backup_now, restore
from domain.backups import list_backups
from domain.backup_reasons import reason_label
from domain.i18n import register, tr
from domain.journal import LedgerDamaged
from tui.cli.output import print_json, print_table, say

register({
    "cli.help.backup": ("立即备份台账；最后一行单独打印备份文件路径", "back up the ledger now; prints the backup's path alone on its last line"),
    "cli.help.backups": ("列出备份：路径、时间、原因、各类记录数、大小", "list the backups: path, time, why, records per kind, size"),
    "cli.help.restore": ("从备份恢复台账（先备份当前状态）", "restore the ledger from a backup (the current state is backed up first)"),
    "cli.help.restore_path": ("备份文件（app.py backups 列出）", "a backup file (as `app.py backups` lists)"),
    "cli.help.repair": ("修复损坏的台账：找回所有完好的修改，原文件另存不删除",
                        "repair a damaged ledger: recover every intact commit, keeping the old files aside"),
    "cli.help.repair_backup": ("以这份备份为底，除非它会缺别处存有的修改（默认：在快照、各备份和先前修复另存的文件中取丢失最少的）",
                               "start from this backup unless it would lack commits other files hold (default: whichever "
                               "of the snapshot, the backups and the files earlier repairs kept aside loses the fewest)"),
    "cli.backup.made": ("已备份：{members} 名会员、{events} 项活动、{visits} 次慰问",
                        "Backed up: {members} members, {events} events, {visits} visits"),
    "cli.backups.none": ("还没有备份（{folder}）", "No backups yet ({folder})"),
    "cli.backups.header": ("时间|原因|会员|活动|慰问|大小|路径", "time|why|members|events|visits|size|path"),
    "cli.repair.healthy": ("台账完好，无需修复：{path}", "The ledger is whole; nothing to repair: {path}"),
    "cli.repair.backup_made": ("修复后的台账已备份：{path}", "The repaired ledger is backed up: {path}"),
})


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1 << 20 else f"{n / (1 << 20):.1f} MiB"


def cmd_backup(args, ctx) -> int:
    path = backup_now(ctx.ledger, "manual")
    led = ctx.ledger
    say(tr("cli.backup.made", members=led.count("member"), events=led.count("event"), visits=led.count("visit")))
    say(path)
    return 0


def cmd_backups(args, ctx) -> int:
    found = list_backups(ctx.settings.db)
    if args.json:
        print_json([b.as_json() for b in found])
        return 0
    if not found:
        say(tr("cli.backups.none", folder=Path(ctx.settings.db).parent / "backups"))
        return 0
    rows = [tr("cli.backups.header").split("|")]
    for b in reversed(found):
        rows.append([b.made.strftime("%Y-%m-%d %H:%M"), reason_label(b.reason), str(b.counts.get("member", 0)),
                     str(b.counts.get("event", 0)), str(b.counts.get("visit", 0)), _size(b.size), str(b.path)])
    print_table(rows)
    return 0


def cmd_restore(args, ctx) -> int:
    from domain.session import open_ledger

    try:
        ledger = open_ledger(ctx.settings)
    except LedgerDamaged:  # a ledger that cannot open is restored by a repair from the backup
        return _repair(ctx.settings.db, Path(args.path))
    with ledger:
        say(restore(ledger, Path(args.path)))
    return 0


def cmd_repair(args, ctx) -> int:
    from domain.store import Ledger

    if args.backup is None:
        try:
            Ledger.open(ctx.settings.db, read_only=True).close()
            say(tr("cli.repair.healthy", path=ctx.settings.db))
            return 0
        except LedgerDamaged:
            pass
    return _repair(ctx.settings.db, Path(args.backup) if args.backup else None)


def _repair(db: Path, backup: Path | None) -> int:
    from domain.repair import describe, repair
    from domain.store import Ledger

    plan, aside = repair(Path(db), backup=backup)
    for line in describe(plan, aside):
        say(line)
    with Ledger.open(db) as ledger:
        say(tr("cli.repair.backup_made", path=backup_now(ledger, "after-repair")))
    return 0


def register(sub) -> None:
    b = sub.add_parser("backup", help=tr("cli.help.backup"), description=tr("cli.help.backup"))
    b.set_defaults(func=cmd_backup)
    ls = sub.add_parser("backups", help=tr("cli.help.backups"), description=tr("cli.help.backups"))
    ls.add_argument("--json", action="store_true", help=tr("cli.help.json"))
    ls.set_defaults(func=cmd_backups, needs_ledger=False)
    r = sub.add_parser("restore", help=tr("cli.help.restore"), description=tr("cli.help.restore"))
    r.add_argument("path", metavar="PATH", help=tr("cli.help.restore_path"))
    r.set_defaults(func=cmd_restore, needs_ledger=False)
    fix = sub.add_parser("repair", help=tr("cli.help.repair"), description=tr("cli.help.repair"))
    fix.add_argument("--backup", metavar="PATH", help=tr("cli.help.repair_backup"))
    fix.set_defaults(func=cmd_repair, needs_ledger=False)
