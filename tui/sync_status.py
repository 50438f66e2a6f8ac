"""The sync's status line: last sync, local changes waiting, sheet reachable.

Each part comes with a short label and a rank (tui.status_line): at 80 columns
the line shortens and drops the least important parts, never a count's number.
"""

from __future__ import annotations

from domain.i18n import keys, register, tr
from tui.status_line import SEP, Part

register({
    "syncst.never": ("尚未同步", "never synced"),
    "syncst.last": ("上次同步 {at}", "last sync {at}"),
    "syncst.failed": ("上次同步失败", "last sync failed"),
    "syncst.pending": ("待同步 {n} 条", "{n} changes waiting"),
    "syncst.reachable": ("表格可连接", "sheet reachable"),
    "syncst.unreachable": ("表格连不上", "sheet unreachable"),
    "syncst.conflicts": ("冲突 {n} 处", "{n} conflicts"),
    "syncst.problems": ("表格问题 {n} 处", "{n} sheet problems"),
    "syncst.running": ("同步中：{stage}", "syncing: {stage}"),
    # the labels of a narrow status line
    "syncst.never.short": ("未同步", "not synced"),
    "syncst.last.short": ("同步 {at}", "synced {at}"),
    "syncst.failed.short": ("同步失败", "sync failed"),
    "syncst.pending.short": ("待同步 {n}", "{n} waiting"),
    "syncst.unreachable.short": ("连不上", "offline"),
    "syncst.conflicts.short": ("冲突 {n}", "{n} conflicts"),
    "syncst.problems.short": ("问题 {n}", "{n} problems"),
    "syncst.running.short": ("同步中", "syncing"),
})
SHORT = {key.removesuffix(".short") for key in keys() if key.startswith("syncst.") and key.endswith(".short")}


def _part(key: str, rank: int, **values) -> Part:
    return Part(tr(key, **values), tr(f"{key}.short", **values) if key in SHORT else "", rank)


def status_parts(ledger, running_stage: str | None = None, pending: int | None = None) -> list[Part]:
    """The parts of the status bar's sync side.  Counting the changes waiting
    walks every record (~0.5 s on 32,000): an app passes ``pending``, kept up
    to date record by record."""
    from sync.engine import CONFLICTS, last_sync, pending_changes

    parts = []
    if running_stage is not None:
        parts.append(_part("syncst.running", 9, stage=running_stage))
    last = last_sync(ledger)
    if last is None:
        parts.append(_part("syncst.never", 5))
    else:
        at = str(last.get("at", ""))[11:16]
        parts.append(_part("syncst.last", 5, at=at) if last.get("ok") else _part("syncst.failed", 5))
        parts.append(_part("syncst.reachable", 1) if last.get("ok") else _part("syncst.unreachable", 4))
    parts.append(_part("syncst.pending", 6, n=pending_changes(ledger) if pending is None else pending))
    n = len(ledger.kv_all(CONFLICTS))
    if n:
        parts.append(_part("syncst.conflicts", 8, n=n))
    from sync.problems import count_open

    n = count_open(ledger)
    if n:
        parts.append(_part("syncst.problems", 7, n=n))
    return parts


def status_text(ledger, running_stage: str | None = None, pending: int | None = None) -> str:
    """The sync side in full, on one line."""
    return SEP.join(p.full for p in status_parts(ledger, running_stage, pending))
