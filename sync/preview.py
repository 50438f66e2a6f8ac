"""``sync --dry-run``: what a sync would change on each side, from its plan,
with nothing written anywhere."""

from __future__ import annotations

from domain.fields import FIELDS
from domain.i18n import register, tr

from .plan import Plan
from .sheet_layout import TABS

register({
    "sync.preview": ("试运行（什么都没有写）：本地将更新 {l_upd} 条、新增 {l_add} 条、删除 {l_del} 条；"
                     "表格将新增 {r_add} 行、改写 {r_upd} 行、删除 {r_del} 行、补编号 {r_ids} 行；冲突 {conflicts} 处，表格问题 {problems} 个",
                     "Dry run (nothing written): here {l_upd} updated, {l_add} added, {l_del} deleted; in the sheet "
                     "{r_add} rows added, {r_upd} rewritten, {r_del} deleted, {r_ids} given an id; {conflicts} "
                     "conflicts, {problems} sheet problems"),
    "sync.preview.guard": ("真正同步时会被防误删保护停下：{guard}", "a real sync would be stopped by the mass-delete guard: {guard}"),
    "sync.preview.local_update": ("本地 更新 {kind} {id}：{fields}", "here: update {kind} {id}: {fields}"),
    "sync.preview.local_add": ("本地 新增 {kind} {id}", "here: add {kind} {id}"),
    "sync.preview.local_delete": ("本地 删除 {kind} {id}", "here: delete {kind} {id}"),
    "sync.preview.row_add": ("表格 “{tab}”新增一行 {id}", "sheet: add a row {id} to {tab}"),
    "sync.preview.row_update": ("表格 “{tab}”第 {row} 行（{id}）改写：{fields}", "sheet: rewrite row {row} ({id}) of {tab}: {fields}"),
    "sync.preview.row_id": ("表格 “{tab}”第 {row} 行补上编号 {id}", "sheet: row {row} of {tab} gets id {id}"),
    "sync.preview.row_delete": ("表格 “{tab}”删除第 {row} 行（{id}）", "sheet: delete row {row} ({id}) of {tab}"),
})

FIRST = 10  # changes listed per side


def _labels(kind: str, names) -> str:
    by_name = {f.name: f.label for f in FIELDS[kind]}
    return "、".join(by_name.get(n, n) for n in names if not n.startswith("_") and n != "school")


def _local_lines(plan: Plan) -> list[str]:
    lines = []
    for kind, rec, before in plan.local_puts:
        if before is None:
            lines.append(tr("sync.preview.local_add", kind=kind, id=rec["id"]))
        else:
            changed = [k for k in rec if k != "updated" and rec.get(k) != before.get(k)]
            lines.append(tr("sync.preview.local_update", kind=kind, id=rec["id"], fields=_labels(kind, changed)))
    lines += [tr("sync.preview.local_add", kind=k, id=rec["id"]) for k, rec in plan.locals_after]
    lines += [tr("sync.preview.local_delete", kind=k, id=rid) for k, rid, _ in plan.local_drops]
    return lines


def _remote_lines(plan: Plan) -> list[str]:
    lines = []
    for p in plan.pushes:
        tab = TABS[p.kind]
        if p.row is None:
            lines.append(tr("sync.preview.row_add", tab=tab, id=p.id))
        elif p.match is not None:
            lines.append(tr("sync.preview.row_id", tab=tab, row=p.row + 1, id=p.id))
        else:
            lines.append(tr("sync.preview.row_update", tab=tab, row=p.row + 1, id=p.id,
                            fields=_labels(p.kind, p.cells)))
    lines += [tr("sync.preview.row_delete", tab=TABS[k], row=r + 1, id=rid) for k, rid, r in plan.row_deletes]
    return lines


def preview(plan: Plan, problems: int) -> dict:
    """Counts per side and the first changes of each, as text lines."""
    counts = {
        "l_upd": sum(1 for _k, _r, before in plan.local_puts if before is not None),
        "l_add": sum(1 for _k, _r, before in plan.local_puts if before is None) + len(plan.locals_after),
        "l_del": len(plan.local_drops),
        "r_add": len(plan.new_rows),
        "r_upd": sum(1 for p in plan.pushes if p.row is not None and p.match is None),
        "r_ids": sum(1 for p in plan.pushes if p.match is not None),
        "r_del": len(plan.row_deletes),
        "conflicts": len(plan.conflicts), "problems": problems,
    }
    return {"counts": counts, "local": _local_lines(plan)[:FIRST], "sheet": _remote_lines(plan)[:FIRST],
            "guard": plan.guard}


def preview_summary(pre: dict) -> str:
    text = tr("sync.preview", **pre["counts"])
    if pre.get("guard"):
        text += tr("sync.sep") + tr("sync.preview.guard", guard=pre["guard"])
    return text
