"""``app.py repair``: salvage every intact commit of a damaged ledger.

The plan starts from the snapshot when it is whole, else from the newest
backup that passes its check (or one named), and replays every journal line
that passes its checksum and comes after it, before and after the damage
alike (every line holds whole documents, so skipping a lost one leaves the
others right).  Two lines run together (their newline lost) are split again
where a checksum proves it.  What cannot be recovered is listed: each
damaged line with the time, kind and id it still shows, and each range of
commits no file holds any more.

Applying it copies the old files aside under a dated name (never deleting
them), writes the salvaged state as a new snapshot with an empty journal,
and records the new last commit in the lock file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from domain import snapshot
from domain.backups import BackupFailed, list_backups, read_backup
from domain.i18n import register, tr
from domain.backup_policy import RESTORED_KEY
from domain.journal import Line, apply, decode_line, journal_print, split_lines
from domain.lockfile import acquire
from domain.privacy import create_private

register({
    "repair.base.snapshot": ("以快照 {path} 为底", "Started from the snapshot {path}"),
    "repair.base.backup": ("快照不可用（{problem}），以备份 {path} 为底", "The snapshot could not be used ({problem}); started from the backup {path}"),
    "repair.base.journal": ("台账从未压缩过，日志从第一次修改记起", "The ledger was never compacted: the journal holds it from the first commit"),
    "repair.problem.missing": ("不存在", "missing"),
    "repair.problem.checksum": ("校验不符", "checksum mismatch"),
    "repair.problem.truncated": ("被截断", "cut short"),
    "repair.problem.length": ("长度不符", "wrong length"),
    "repair.problem.header": ("文件头损坏", "damaged header"),
    "repair.problem.counts": ("记录数不符", "counts differ"),
    "repair.base.empty": ("快照和备份都不可用，从空台账开始", "Neither snapshot nor backup could be used; started from an empty ledger"),
    "repair.recovered": ("找回日志中完好的修改 {n} 次，台账现有 {members} 名会员、{events} 项活动、{visits} 次慰问",
                         "Recovered {n} intact commit(s) from the journal; the ledger now holds {members} members, "
                         "{events} events, {visits} visits"),
    "repair.aside": ("原文件已另存为 {path}（未删除）", "The old file is kept as {path} (not deleted)"),
    "repair.lost_none": ("没有丢失任何修改", "No commit was lost"),
    "repair.lost_line": ("无法恢复：日志第 {line} 行（{at}）{items}", "Not recovered: journal line {line} ({at}) {items}"),
    "repair.lost_seqs": ("无法恢复：第 {seqs} 次修改，已没有文件存有它们的内容",
                         "Not recovered: commit {seqs}; no file holds it any more"),
    "repair.lost_line_seqs": ("，即第 {seqs} 次修改", ", commit {seqs}"),
    "repair.unreadable": ("内容无法读出", "nothing readable"),
    "repair.unknown_time": ("时间不明", "time unknown"),
    "repair.offer_backup": ("如要改用最新备份加其后的日志，请运行：app.py --db {db} repair --backup {backup}",
                            "To use the newest backup plus the journal after it instead, run: "
                            "app.py --db {db} repair --backup {backup}"),
    "repair.sync_asks": ("台账回到了备份时的状态：下次同步会先列出两边的改动，需确认后才写入。",
                         "The ledger went back to a backup: the next sync lists what it would change and waits for a yes."),
})

_KIND_WORDS = {"member": ("会员", "member"), "event": ("活动", "event"), "visit": ("慰问", "visit")}
_LINE_START = re.compile(rb'[0-9a-f]{8} \{"seq":')
_HISTORY = re.compile(rb'"kind":"(member|event|visit)","id":"([0-9A-Z]{10,40})","at":"([^"]{10,40})"')


@dataclass
class Lost:
    """A commit that could not be recovered, with what can still be read of it."""

    line: int | None
    seqs: tuple[int, int] | None = None
    at: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (kind, id)


@dataclass
class Plan:
    path: Path
    base: str  # "snapshot", "backup" or "empty"
    base_path: Path | None
    tables: dict
    seq: int
    recovered: int = 0
    held: int = 0  # the last commit the salvaged state really holds
    lost: list[Lost] = field(default_factory=list)
    snapshot_problem: str = ""

    @property
    def lost_count(self) -> int:
        """Commits lost: each range counted whole, a damaged line of unknown seq as one."""
        return sum(lost.seqs[1] - lost.seqs[0] + 1 if lost.seqs else 1 for lost in self.lost)

    @property
    def journal_path(self) -> Path:
        return self.path.with_name(self.path.name + ".journal")


def _readable(raw: bytes, number: int) -> Lost:
    found = _HISTORY.findall(raw)
    lost = Lost(number, at=found[0][2].decode(errors="replace") if found else "")
    lost.items = list(dict.fromkeys((k.decode(), i.decode()) for k, i, _ in found))
    return lost


def _rejoined(line: Line) -> list[tuple[int | None, list]]:
    """Commits inside a bad line that are whole save for a lost or changed newline."""
    starts = [m.start() for m in _LINE_START.finditer(line.raw)]
    if not starts or starts[0] != 0:
        return []
    found = []
    for begin, end in zip(starts, [*starts[1:], len(line.raw)]):
        piece = line.raw[begin:end]
        decoded = decode_line(piece) or decode_line(piece + b"\n") or decode_line(piece[:-1] + b"\n")
        if decoded is None:
            return []
        found.append(decoded[:2])
    return found


def _base(path: Path, backup: Path | None, lines: list[Line]) -> tuple[str, Path | None, dict, int, str]:
    problem = ""
    if backup is None and path.exists():
        try:
            header, tables = snapshot.read(path)
            return "snapshot", path, tables, int(header.get("seq", 0)), ""
        except snapshot.SnapshotDamaged as exc:
            problem = exc.what
    if backup is None and not path.exists() and lines and lines[0].ops is not None and (lines[0].seq or 1) == 1:
        return "empty", None, {}, 0, ""  # never compacted: the journal holds it all from the start
    candidates = [backup] if backup else [b.path for b in reversed(list_backups(path))]
    for candidate in candidates:
        try:
            header, tables = read_backup(candidate)
            return "backup", candidate, tables, int(header.get("seq", 0)), problem or "missing"
        except BackupFailed:
            if backup:
                raise
    return "empty", None, {}, 0, problem or "missing"


def plan_repair(path: Path, *, backup: Path | None = None, acknowledged: int = 0) -> Plan:
    """The best salvage: from ``backup`` if named, else from the snapshot (or the
    journal alone), or from the newest backup when that holds more commits."""
    journal = path.with_name(path.name + ".journal")
    lines = split_lines(journal.read_bytes()) if journal.exists() else []
    backups = list_backups(path)
    acknowledged = max([acknowledged, *(b.seq for b in backups)])
    plan = _plan(path, _base(path, backup, lines), lines, acknowledged)
    newest = max(backups, key=lambda b: b.seq, default=None)
    if backup is None and plan.base != "backup" and newest is not None and (plan.lost or newest.seq > plan.held):
        try:
            other = _plan(path, _base(path, newest.path, lines), lines, acknowledged)
        except BackupFailed:
            return plan
        if (other.lost_count, -other.held) < (plan.lost_count, -plan.held):
            return other
    return plan


def _plan(path: Path, base: tuple, lines: list[Line], acknowledged: int) -> Plan:
    kind, base_path, tables, seq, problem = base
    plan = Plan(path, kind, base_path, tables, seq, snapshot_problem=problem)
    for line in lines:
        commits = [(line.seq, line.ops)] if line.ops is not None else _rejoined(line)
        if not commits:
            if line is not lines[-1] or line.complete or acknowledged > plan.seq:
                plan.lost.append(_readable(line.raw, line.number))
            continue
        for line_seq, ops in commits:
            _replay(plan, line_seq, ops, line.number)
    plan.held = plan.seq
    if acknowledged > plan.seq:
        _missing(plan, (plan.seq + 1, acknowledged), lines[-1].number + 1 if lines else 1)
        plan.seq = acknowledged
    return plan


def _missing(plan: Plan, seqs: tuple[int, int], number: int) -> None:
    """Commits no file holds: those of the damaged line just before, or of none."""
    last = plan.lost[-1] if plan.lost else None
    if last is not None and last.line == number - 1 and last.seqs is None:
        last.seqs = seqs
    else:
        plan.lost.append(Lost(None, seqs))


def _replay(plan: Plan, line_seq: int | None, ops: list, number: int) -> None:
    if line_seq is not None and line_seq <= plan.seq + 1:
        _covered(plan, number)
    line_seq = plan.seq + 1 if line_seq is None else line_seq
    if line_seq <= plan.seq:
        return  # already in the base
    if line_seq > plan.seq + 1:
        _missing(plan, (plan.seq + 1, line_seq - 1), number)
    apply(plan.tables, ops)
    plan.seq = line_seq
    plan.recovered += 1


def _covered(plan: Plan, number: int) -> None:
    """A damaged line just before a line that follows the base without a gap
    held a commit the base already has (a backup made after it): not lost."""
    last = plan.lost[-1] if plan.lost else None
    if last is not None and last.line == number - 1 and last.seqs is None:
        plan.lost.pop()


def keep_aside(path: Path, now: dt.datetime) -> Path | None:
    """Copy a damaged file to ``NAME.damaged-YYYYmmdd-HHMMSS`` (0600, on disk); never deletes."""
    if not path.exists():
        return None
    target = path.with_name(f"{path.name}.damaged-{now:%Y%m%d-%H%M%S}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.name}.damaged-{now:%Y%m%d-%H%M%S}-{n}")
        n += 1
    with create_private(target) as fh:
        fh.write(path.read_bytes())
        fh.flush()
        os.fsync(fh.fileno())
    return target


def repair(path: Path, *, backup: Path | None = None, now: dt.datetime | None = None,
           wait: float = 5.0) -> tuple[Plan, list[Path]]:
    """Salvage ``path`` under its lock; returns the plan applied and the copies kept.

    Each step is whole or absent: the damaged files are copied aside, the new
    snapshot replaces the old in one rename and names the journal it makes
    redundant (so a stop before the journal is emptied loses nothing), then
    an empty journal replaces the old."""
    now = now or dt.datetime.now()
    lock = acquire(path, program="app.py repair", wait=wait)
    try:
        plan = plan_repair(path, backup=backup, acknowledged=lock.acknowledged)
        plan.seq += 1  # the repaired state is a commit of its own
        if backup is not None or plan.base == "backup":
            plan.tables.setdefault("_meta", {})[RESTORED_KEY] = {
                "at": now.astimezone().isoformat(timespec="seconds"), "from": str(plan.base_path)}
        old_journal = plan.journal_path.read_bytes() if plan.journal_path.exists() else b""
        aside = [p for p in (keep_aside(path, now), keep_aside(plan.journal_path, now)) if p]
        extra = {"supersedes": journal_print(old_journal)}
        snapshot.write_atomically(path, snapshot.encode(plan.tables, plan.seq, extra=extra))
        snapshot.write_atomically(plan.journal_path, b"")
        lock.write(seq=plan.seq)
    finally:
        lock.close()
    return plan, aside


def _span(seqs: tuple[int, int]) -> str:
    return str(seqs[0]) if seqs[0] == seqs[1] else f"{seqs[0]}–{seqs[1]}"


def _item_text(kind: str, rid: str) -> str:
    from domain.i18n import language

    return f"{_KIND_WORDS[kind][0 if language() == 'zh' else 1]} {rid}"


def describe(plan: Plan, aside: list[Path]) -> list[str]:
    """What the repair did and what it could not recover, one line each."""
    problem = tr(f"repair.problem.{plan.snapshot_problem or 'missing'}")
    key = "repair.base.journal" if plan.base == "empty" and not plan.snapshot_problem else f"repair.base.{plan.base}"
    lines = [tr(key, path=plan.base_path, problem=problem)]
    counts = {k: len(plan.tables.get(k, {})) for k in ("member", "event", "visit")}
    lines.append(tr("repair.recovered", n=plan.recovered, members=counts["member"],
                    events=counts["event"], visits=counts["visit"]))
    lines += [tr("repair.aside", path=p) for p in aside]
    for lost in plan.lost:
        if lost.line is None:
            lines.append(tr("repair.lost_seqs", seqs=_span(lost.seqs)))
        else:
            items = "、".join(_item_text(k, i) for k, i in lost.items) or tr("repair.unreadable")
            text = tr("repair.lost_line", line=lost.line, at=lost.at or tr("repair.unknown_time"), items=items)
            if lost.seqs:
                text += tr("repair.lost_line_seqs", seqs=_span(lost.seqs))
            lines.append(text)
    if not plan.lost:
        lines.append(tr("repair.lost_none"))
    backups = list_backups(plan.path)
    if plan.base != "backup" and plan.lost and backups:
        lines.append(tr("repair.offer_backup", db=plan.path, backup=backups[-1].path))
    if plan.base == "backup":
        lines.append(tr("repair.sync_asks"))
    return lines
