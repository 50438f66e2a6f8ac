"""A plan's remote changes as Sheets API requests: rows added and deleted
(one atomic batchUpdate), then cells written at the rows where the ids
stand now (one values:batchUpdate of blocks).  Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from domain.fields import KINDS

from .canonical import blank, cell_text
from .plan import Plan, RowPush, TabRows
from .sheet_layout import SCHOOL_FIELD, TABS, Layout

ID = "_id"
Block = tuple[str, int, int, list[list]]  # tab, 0-based row, 0-based column, values


def row_requests(plan: Plan, tabs: dict[str, TabRows], meta: dict[str, dict]) -> list[dict]:
    """New rows (inserted after the data, with id and school) and deleted
    rows (bottom up), for one atomic batchUpdate."""
    reqs: list[dict] = []
    for kind in KINDS:
        new = [p for p in plan.new_rows if p.kind == kind]
        if new:
            reqs += _insert_rows(new, tabs[kind], meta[kind]["sheet_id"])
    deletes = sorted(((meta[k]["sheet_id"], r) for k, _i, r in plan.row_deletes), key=lambda t: -t[1])
    for sid, r in deletes:
        reqs.append({"deleteDimension": {"range": {"sheetId": sid, "dimension": "ROWS", "startIndex": r,
                                                   "endIndex": r + 1}}})
    return reqs


def _insert_rows(new: list[RowPush], tab: TabRows, sid: int) -> list[dict]:
    at = len(tab.rows)
    reqs = [{"insertDimension": {"range": {"sheetId": sid, "dimension": "ROWS", "startIndex": at,
                                           "endIndex": at + len(new)},
                                 "inheritFromBefore": at > 1}}]
    for key, col in ((ID, tab.layout.id_col), (SCHOOL_FIELD, tab.layout.school_col)):
        if col is None:
            continue
        reqs.append({"updateCells": {
            "start": {"sheetId": sid, "rowIndex": at, "columnIndex": col},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": str(p.cells[key])}}]} for p in new],
            "fields": "userEnteredValue"}})
    return reqs


@dataclass
class _TabIndex:
    by_id: dict[str, list[int]]
    no_id: dict[tuple, list[int]]  # a row without id by its content


def _index(tab: TabRows) -> _TabIndex:
    index = _TabIndex({}, {})
    col = tab.layout.id_col
    for r in range(1, len(tab.rows)):
        row = tab.rows[r]
        rid = cell_text(row[col]) if col is not None and col < len(row) else ""
        if rid:
            index.by_id.setdefault(rid, []).append(r)
        elif not blank(row):
            index.no_id.setdefault(tuple(cell_text(c) for c in row), []).append(r)
    return index


def _row_now(push: RowPush, index: _TabIndex) -> int | None:
    """Where the push's row stands now (None: moved or changed meanwhile, or
    its id doubled: left to the next sync)."""
    if push.match is not None:
        rows = index.no_id.get(tuple(cell_text(c) for c in push.match))
        return rows.pop(0) if rows else None
    rows = index.by_id.get(push.id)
    return rows[0] if rows and len(rows) == 1 else None


def _columns(push: RowPush, layout: Layout) -> dict[int, object]:
    cols: dict[int, object] = {}
    for name, value in push.cells.items():
        col = layout.id_col if name == ID else layout.columns.get(name)
        if col is not None:
            cols[col] = value
    return cols


def cell_writes(plan: Plan, tabs: dict[str, TabRows]) -> tuple[list[Block], set[tuple[str, str]]]:
    """Blocks to write at the rows where the ids stand now (hand-added rows:
    where their content stands now): changed cells one run per row, new
    rows as 2-D blocks.  Returns the blocks and the (kind, id) placed."""
    blocks: list[Block] = []
    placed: set[tuple[str, str]] = set()
    index = {kind: _index(tab) for kind, tab in tabs.items()}
    new_rows: dict[str, list[tuple[int, dict[int, object]]]] = {}
    for p in plan.pushes:
        r = _row_now(p, index[p.kind])
        if r is None:
            continue
        cols = _columns(p, tabs[p.kind].layout)
        placed.add((p.kind, p.id))
        if p.row is None:
            new_rows.setdefault(p.kind, []).append((r, cols))
        else:
            blocks += _runs(TABS[p.kind], r, cols)
    for kind, items in new_rows.items():
        blocks += _new_row_blocks(TABS[kind], items)
    return blocks, placed


def _runs(title: str, r: int, cols: dict[int, object]) -> list[Block]:
    """One row's changed cells, one block per run of adjacent columns."""
    blocks: list[Block] = []
    run: list = []
    for c in sorted(cols):
        if run and c != run[0] + len(run[1]):
            blocks.append((title, r, run[0], [run[1]]))
            run = []
        if not run:
            run = [c, []]
        run[1].append(cols[c])
    if run:
        blocks.append((title, r, run[0], [run[1]]))
    return blocks


def _new_row_blocks(title: str, items: list[tuple[int, dict[int, object]]]) -> list[Block]:
    """Fresh rows as 2-D blocks of adjacent rows: our cells, and empty cells
    between them (nothing of anyone's is there)."""
    blocks: list[Block] = []
    items.sort(key=lambda t: t[0])
    width = max((max(c) + 1 for _, c in items if c), default=0)
    start, block = 0, []
    for r, cols in items:
        if block and r != start + len(block):
            blocks.append((title, start, 0, block))
            block = []
        if not block:
            start = r
        block.append([cols.get(c, "") for c in range(width)])
    if block:
        blocks.append((title, start, 0, block))
    return blocks
