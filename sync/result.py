"""What a sync tells its caller: the result and its one-line summary, and
the errors that stop a sync."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any

from domain.errors import UserError
from domain.i18n import register, tr

from .plan import BadCell, Conflict

register({
    "sync.summary": ("同步完成：{parts}（{requests} 次请求，{seconds:.1f} 秒）",
                     "Synced: {parts} ({requests} requests, {seconds:.1f} s)"),
    "sync.nothing": ("两边一致，无需改动", "both sides agree, nothing to do"),
    "sync.part.pulled": ("从表格取回 {n} 条", "{n} taken from the sheet"),
    "sync.part.added_local": ("新增到本地 {n} 条", "{n} new here"),
    "sync.part.pushed": ("写入表格 {n} 条", "{n} written to the sheet"),
    "sync.part.added_remote": ("新增到表格 {n} 条", "{n} rows added"),
    "sync.part.deleted_local": ("删除本地 {n} 条（可用 app.py undelete 恢复）",
                                "{n} deleted here (app.py undelete brings one back)"),
    "sync.part.deleted_remote": ("删除表格行 {n} 条", "{n} rows deleted"),
    "sync.part.restored": ("恢复 {n} 条（一边删除、另一边修改：修改优先）", "{n} restored (edited on one side, deleted on the other)"),
    "sync.part.ids_written": ("给表格里新加的行补上编号 {n} 条", "{n} rows added by hand got an id"),
    "sync.part.conflicts": ("冲突 {n} 处（app.py conflicts）", "{n} conflicts (app.py conflicts)"),
    "sync.part.problems": ("表格问题 {n} 个待处理（app.py problems）", "{n} sheet problems open (app.py problems)"),
    "sync.sep": ("，", ", "),
})

SUMMARY_ORDER = ("pulled", "added_local", "pushed", "added_remote", "deleted_local", "deleted_remote", "restored",
                 "ids_written", "conflicts", "problems")


class SyncError(UserError):
    """A sync that could not be done: one clear line for the user."""


class SyncStopped(SyncError):
    """The mass-delete guard stopped the sync before anything was written."""


@dataclass
class SyncResult:
    stats: dict[str, int]
    conflicts: list[Conflict]
    bad_cells: list[BadCell]
    duplicates: list[tuple[str, str, list[int]]]
    formulas: list[BadCell]
    requests: int
    seconds: float
    rounds: int = 1
    writes: int = 0
    open_conflicts: int = 0
    extra: dict[str, Any] = dc_field(default_factory=dict)
    problems: list = dc_field(default_factory=list)  # sync.problems.Problem, every one found

    def summary(self) -> str:
        """One line: only what happened, so the eye finds it; never "both
        sides agree" while a problem keeps something from syncing."""
        if "preview" in self.extra:
            from .preview import preview_summary

            return preview_summary(self.extra["preview"])
        counts = {**self.stats, "conflicts": len(self.conflicts),
                  "problems": len(self.problems) or len(self.bad_cells) + len(self.duplicates)}
        parts = [tr(f"sync.part.{name}", n=counts[name]) for name in SUMMARY_ORDER if counts.get(name)]
        return tr("sync.summary", parts=tr("sync.sep").join(parts) or tr("sync.nothing"),
                  requests=self.requests, seconds=self.seconds)

    def as_dict(self) -> dict:
        return {"stats": self.stats, "conflicts": [c.as_dict() for c in self.conflicts],
                "bad_cells": [b.as_dict() for b in self.bad_cells],
                "duplicates": [{"kind": k, "id": i, "rows": r} for k, i, r in self.duplicates],
                "formulas": [b.as_dict() for b in self.formulas], "requests": self.requests,
                "seconds": round(self.seconds, 3), "rounds": self.rounds, "writes": self.writes,
                "open_conflicts": self.open_conflicts, "problems": [p.as_dict() for p in self.problems],
                **self.extra}
