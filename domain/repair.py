"""``app.py repair``: salvage every intact commit of a damaged ledger.

Every source is weighed (``domain.repair_sources``): the snapshot, each
backup, the snapshots and journals earlier repairs set aside, and every
journal line that passes its checksum, before and after the damage alike
(every line holds whole documents, so skipping a lost one leaves the others
right).  The plan starts from the whole state that, with the intact lines
after it, loses the fewest commits (a backup named with ``--backup`` when it
loses no more than the best), and replays those lines.  Lost is only a
commit no file holds: each is listed with the damaged line that held it
(time, kind and id as far as they read) or as a range no file holds.

Applying it copies the old files aside under a dated name (never deleting
them), writes the salvaged state as a new snapshot with an empty journal and
the repair's record (what it lacks, which files it set aside), and records
the new last commit in the lock file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from domain import snapshot
from domain.backup_policy import RESTORED_KEY
from domain.backups import BackupFailed
from domain.i18n import language, register, tr
from domain.journal import apply, journal_print
from domain.lockfile import acquire
from domain.privacy import create_private
from domain.repair_sources import RECORD_KEY, BadLine, Sources, State, gather, to_ranges

register({
    "repair.from.snapshot": ("以快照 {path} 为底", "started from the snapshot {path}"),
    "repair.from.backup": ("以备份 {path} 为底", "started from the backup {path}"),
    "repair.from.named": ("按要求以备份 {path} 为底", "started from the backup {path}, as asked"),
    "repair.from.aside": ("以先前修复时另存的快照 {path} 为底", "started from the snapshot {path} an earlier repair kept aside"),
    "repair.from.journal": ("台账从未压缩过，日志从第一次修改记起",
                            "the ledger was never compacted: the journal holds it from the first commit"),
    "repair.from.empty": ("从空台账开始", "started from an empty ledger"),
    "repair.base_after_problem": ("快照不可用（{problem}），{base}", "The snapshot could not be used ({problem}); {base}"),
    "repair.not_used": ("{what} 加上其后的日志会缺第 {seqs} 次修改（别的文件存有），所以没有用它",
                        "{what} plus the journal after it would lack commit {seqs}, which other files hold: not used"),
    "repair.what.snapshot": ("快照 {path}", "The snapshot {path}"),
    "repair.what.backup": ("备份 {path}", "The backup {path}"),
    "repair.problem.missing": ("不存在", "missing"),
    "repair.problem.checksum": ("校验不符", "checksum mismatch"),
    "repair.problem.truncated": ("被截断", "cut short"),
    "repair.problem.length": ("长度不符", "wrong length"),
    "repair.problem.header": ("文件头损坏", "damaged header"),
    "repair.problem.counts": ("记录数不符", "counts differ"),
    "repair.recovered": ("找回日志中完好的修改 {n} 次，台账现有 {members} 名会员、{events} 项活动、{visits} 次慰问",
                         "Recovered {n} intact commit(s) from the journal; the ledger now holds {members} members, "
                         "{events} events, {visits} visits"),
    "repair.aside": ("原文件已另存为 {path}（未删除）", "The old file is kept as {path} (not deleted)"),
    "repair.lost_none": ("没有丢失任何修改", "No commit was lost"),
    "repair.lost_line": ("无法恢复：日志第 {line} 行（{at}）{items}", "Not recovered: journal line {line} ({at}) {items}"),
    "repair.lost_copy_line": ("无法恢复：{file} 第 {line} 行（{at}）{items}", "Not recovered: line {line} of {file} ({at}) {items}"),
    "repair.lost_seqs": ("无法恢复：第 {seqs} 次修改，已没有文件存有它们的内容",
                         "Not recovered: commit {seqs}; no file holds it any more"),
    "repair.lost_line_seqs": ("，即第 {seqs} 次修改", ", commit {seqs}"),
    "repair.unreadable": ("内容无法读出", "nothing readable"),
    "repair.unknown_time": ("时间不明", "time unknown"),
    "repair.sync_asks": ("有修改没能恢复，台账可能比表格里的少：下次同步会先列出两边的改动，需确认后才写入。",
                         "Some commits were not recovered and the ledger may hold less than the sheet: the next sync "
                         "lists what it would change and waits for a yes."),
})

_KIND_WORDS = {"member": ("会员", "member"), "event": ("活动", "event"), "visit": ("慰问", "visit")}
_HISTORY = re.compile(rb'"kind":"(member|event|visit)","id":"([0-9A-Z]{10,40})","at":"([^"]{10,40})"')
KEEP_ASIDE, KEEP_REPAIRS = 40, 200  # names and commits a repair record keeps
_KIND_ORDER = {"snapshot": 0, "empty": 1, "aside": 2, "backup": 3}  # the ledger's own files first


@dataclass
class Lost:
    """A commit that could not be recovered, with what can still be read of it."""

    line: int | None
    seqs: tuple[int, int] | None = None
    at: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (kind, id)
    source: Path | None = None  # a journal copy set aside earlier; None: the ledger's journal


@dataclass
class Plan:
    path: Path
    base: str  # "snapshot", "backup", "aside" or "empty"
    base_path: Path | None
    tables: dict
    seq: int
    recovered: int = 0
    lost: list[Lost] = field(default_factory=list)
    lost_seqs: frozenset[int] = frozenset()
    snapshot_problem: str = ""
    named: bool = False  # the base is the backup the user named
    not_used: list[tuple[str, Path, frozenset]] = field(default_factory=list)  # (kind, path, it would lack)
    sources: Sources | None = None

    @property
    def journal_path(self) -> Path:
        return self.path.with_name(self.path.name + ".journal")

    @property
    def marks_sync(self) -> bool:
        """The next sync must ask first when the repaired state lacks commits (a
        state holding every one is the ledger as the user left it)."""
        return bool(self.lost)


def _lacking(state: State, src: Sources) -> frozenset[int]:
    """The commits a plan from ``state`` would not hold."""
    above = set(range(state.seq + 1, src.top + 1)) - src.lines.keys() - src.repairs
    return frozenset(state.lacks | above)


def plan_repair(path: Path, *, backup: Path | None = None, acknowledged: int = 0) -> Plan:
    """The best salvage of ``path``: from the state losing the fewest commits
    (``backup`` if named and no worse), plus every intact line after it."""
    src = gather(path, named=backup, acknowledged=acknowledged)
    candidates = [*src.states, State("empty", None, 0)]
    lacking = {id(s): _lacking(s, src) for s in candidates}

    def rank(state: State):
        named = backup is not None and state.path == backup
        return len(lacking[id(state)]), not named, _KIND_ORDER[state.kind], -state.seq

    for state in sorted(candidates, key=rank):
        try:
            tables = state.load()
        except (BackupFailed, OSError, snapshot.SnapshotDamaged):
            continue
        plan = Plan(path, state.kind, state.path, tables, src.top, lost_seqs=lacking[id(state)],
                    snapshot_problem=src.snapshot_problem, named=backup is not None and state.path == backup,
                    sources=src)
        _explain_others(plan, candidates, lacking, backup)
        _replay(plan, src, state.seq)
        plan.lost = _lost_entries(src, plan.lost_seqs)
        return plan
    raise AssertionError("the empty state always loads")


def _explain_others(plan: Plan, candidates: list[State], lacking: dict, backup: Path | None) -> None:
    """Why a whole snapshot, or the backup the user named, was not the base."""
    for state in candidates:
        wanted = state.kind == "snapshot" or (backup is not None and state.path == backup)
        if wanted and state.path != plan.base_path:
            extra = lacking[id(state)] - plan.lost_seqs
            if extra:
                plan.not_used.append((state.kind, state.path, extra))


def _replay(plan: Plan, src: Sources, base_seq: int) -> None:
    for seq in sorted(s for s in src.lines if s > base_seq):
        apply(plan.tables, src.lines[seq])
        plan.recovered += 1


def _readable(bad: BadLine, seqs: tuple[int, int] | None) -> Lost:
    found = _HISTORY.findall(bad.raw)
    lost = Lost(bad.number, seqs, at=found[0][2].decode(errors="replace") if found else "",
                source=None if bad.current else bad.source)
    lost.items = list(dict.fromkeys((k.decode(), i.decode()) for k, i, _ in found))
    return lost


def _lost_entries(src: Sources, lost_seqs: frozenset[int]) -> list[Lost]:
    """Each lost commit once: with the damaged line that held it, else as a range."""
    left = set(lost_seqs)
    entries = []
    for bad in src.bad:
        if bad.gap is None:
            if bad.current and lost_seqs:
                entries.append(_readable(bad, None))
            continue
        held = left.intersection(bad.gap)
        if held:
            left -= held
            entries.append(_readable(bad, (min(held), max(held))))
    entries += [Lost(None, run) for run in to_ranges(left)]
    return entries


def keep_aside(path: Path, now: dt.datetime) -> Path | None:
    """Copy a file to ``NAME.damaged-YYYYmmdd-HHMMSS`` (0600, on disk); never deletes.
    An empty file holds nothing to keep."""
    if not path.exists() or path.stat().st_size == 0:
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


def _record(plan: Plan, aside: list[Path], now: dt.datetime) -> dict:
    """What the repaired state lacks, which commits were repairs and which files
    were set aside (the newest only: the header it is mirrored in stays small)."""
    src = plan.sources
    names = sorted(src.aside, key=lambda n: n.split(".damaged-")[-1])[-(KEEP_ASIDE - len(aside)):]
    return {"at": now.astimezone().isoformat(timespec="seconds"),
            "lacks": [list(run) for run in to_ranges(plan.lost_seqs)],
            "repairs": sorted(src.repairs | {plan.seq})[-KEEP_REPAIRS:],
            "aside": sorted({*names, *(p.name for p in aside)})}


def repair(path: Path, *, backup: Path | None = None, now: dt.datetime | None = None,
           wait: float = 5.0) -> tuple[Plan, list[Path]]:
    """Salvage ``path`` under its lock; returns the plan applied and the copies kept.

    Each step is whole or absent: the old files are copied aside, the new
    snapshot replaces the old in one rename and names the journal it makes
    redundant (so a stop before the journal is emptied loses nothing), then
    an empty journal replaces the old."""
    now = now or dt.datetime.now()
    lock = acquire(path, program="app.py repair", wait=wait)
    try:
        plan = plan_repair(path, backup=backup, acknowledged=lock.acknowledged)
        plan.seq += 1  # the repaired state is a commit of its own, above every file's
        old_journal = plan.journal_path.read_bytes() if plan.journal_path.exists() else b""
        aside = [p for p in (keep_aside(path, now), keep_aside(plan.journal_path, now)) if p]
        meta = plan.tables.setdefault("_meta", {})
        meta[RECORD_KEY] = _record(plan, aside, now)
        if plan.marks_sync:
            meta[RESTORED_KEY] = {"at": now.astimezone().isoformat(timespec="seconds"), "from": str(plan.base_path)}
        extra = {"supersedes": journal_print(old_journal)}  # the record rides along (snapshot.encode)
        snapshot.write_atomically(path, snapshot.encode(plan.tables, plan.seq, extra=extra))
        snapshot.write_atomically(plan.journal_path, b"")
        lock.write(seq=plan.seq)
    finally:
        lock.close()
    return plan, aside


def _span(seqs: tuple[int, int]) -> str:
    return str(seqs[0]) if seqs[0] == seqs[1] else f"{seqs[0]}–{seqs[1]}"


def _spans(seqs) -> str:
    return "、".join(_span(run) for run in to_ranges(seqs))


def _item_text(kind: str, rid: str) -> str:
    return f"{_KIND_WORDS[kind][0 if language() == 'zh' else 1]} {rid}"


def _base_line(plan: Plan) -> str:
    if plan.base == "empty":
        base = tr("repair.from.empty" if plan.snapshot_problem else "repair.from.journal")
    else:
        base = tr("repair.from.named" if plan.named else f"repair.from.{plan.base}", path=plan.base_path)
    if plan.snapshot_problem:
        return tr("repair.base_after_problem", problem=tr(f"repair.problem.{plan.snapshot_problem}"), base=base)
    return base[:1].upper() + base[1:]


def _lost_line(lost: Lost) -> str:
    if lost.line is None:
        return tr("repair.lost_seqs", seqs=_span(lost.seqs))
    items = "、".join(_item_text(k, i) for k, i in lost.items) or tr("repair.unreadable")
    at = lost.at or tr("repair.unknown_time")
    if lost.source is None:
        text = tr("repair.lost_line", line=lost.line, at=at, items=items)
    else:
        text = tr("repair.lost_copy_line", file=lost.source, line=lost.line, at=at, items=items)
    return text + (tr("repair.lost_line_seqs", seqs=_span(lost.seqs)) if lost.seqs else "")


def describe(plan: Plan, aside: list[Path]) -> list[str]:
    """What the repair did and what it could not recover, one line each."""
    lines = [tr("repair.not_used", what=tr(f"repair.what.{kind}", path=path), seqs=_spans(extra))
             for kind, path, extra in plan.not_used]
    lines.append(_base_line(plan))
    counts = {k: len(plan.tables.get(k, {})) for k in ("member", "event", "visit")}
    lines.append(tr("repair.recovered", n=plan.recovered, members=counts["member"],
                    events=counts["event"], visits=counts["visit"]))
    lines += [tr("repair.aside", path=p) for p in aside]
    lines += [_lost_line(lost) for lost in plan.lost]
    if not plan.lost:
        lines.append(tr("repair.lost_none"))
    if plan.marks_sync:
        lines.append(tr("repair.sync_asks"))
    return lines
