"""The district summary tab 汇总, owned by the program: one row per school.

Each school writes only its own row (found by 学校), as values (RAW: cells
given as numbers and strings, never parsed), and only when its figures
changed: a sync with nothing to do writes nothing.  Columns are found by
header, so people may reorder them, add their own and write anywhere else
in the tab: only our cells of our row are written.  The tab is made with
Chinese headers, widths, percent formats and a warning-only protection.

The figures (``school_figures``) come from the records as they will be
after this sync, and the four targets from ``domain.duties.targets``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.duties import targets
from domain.occurrences import held_dates

from .canonical import cell_at, cell_text
from .sheet_layout import column_letter  # noqa: F401  (A1 letters in messages elsewhere)

SUMMARY_TAB = "汇总"
SUMMARY_SHEET_ID = 71010
SCHOOL_HEADER = "学校"
STAMP_HEADER = "更新时间"
TARGET_HEADERS = {"files": "建档率", "helped": "帮困率", "dues": "会费收缴率", "activity": "活动参与率"}
PERCENT = "percent"


def headers(config) -> list[tuple[str, str]]:
    """(header, type) of every column, in the order a new tab shows them."""
    cols = [(SCHOOL_HEADER, "text"), ("会员数（在会）", "int"), ("会员数（保留会籍）", "int"), ("困难建档数", "int"),
            ("本年帮扶人数", "int"), ("本年慰问人次", "int")]
    cols += [(f"本年慰问金（{src}）", "money") for src in config.choices("fund_sources")]
    cols += [("本年活动次数", "int"), *((h, PERCENT) for h in TARGET_HEADERS.values()), (STAMP_HEADER, "text")]
    return cols


class _School:
    """A ledger-like view of one school's records (for domain.duties)."""

    def __init__(self, records: dict[str, list[dict]], school: str):
        self._records = {k: [r for r in rs if r.get("school") == school] for k, rs in records.items()}

    def records(self, kind: str) -> list[dict]:
        return self._records.get(kind, [])


def _yuan(fen: int) -> int | float:
    whole, frac = divmod(fen, 100)
    return whole if not frac else fen / 100


def school_figures(records: dict[str, list[dict]], school: str, config, today: dt.date) -> dict[str, object]:
    """Header -> value (numbers as numbers; a rate with nothing to count is empty)."""
    view = _School(records, school)
    members, visits = view.records("member"), view.records("visit")
    year, start, end = today.year, dt.date(today.year, 1, 1), today
    this_year = [v for v in visits if (v.get("date") or "")[:4] == str(year)]
    rates = {t.key: t for t in targets(view, year, today)}
    out: dict[str, object] = {
        SCHOOL_HEADER: school,
        "会员数（在会）": sum(1 for m in members if (m.get("status") or "在会") == "在会"),
        "会员数（保留会籍）": sum(1 for m in members if m.get("status") == "保留会籍"),
        "困难建档数": rates["files"].done,
        "本年帮扶人数": rates["helped"].done,
        "本年慰问人次": len(this_year),
    }
    for src in config.choices("fund_sources"):
        out[f"本年慰问金（{src}）"] = _yuan(sum(v.get("amount") or 0 for v in this_year if v.get("fund_source") == src))
    out["本年活动次数"] = sum(len(held_dates(e, start, end)) for e in view.records("event"))
    for key, header in TARGET_HEADERS.items():
        t = rates[key]
        out[header] = round(t.done / t.total, 4) if t.total else ""
    return out


def records_after(local: dict[str, list[dict]], plan) -> dict[str, list[dict]]:
    """The records as they will be once the plan is carried out."""
    by_kind = {k: {r["id"]: r for r in rs} for k, rs in local.items()}
    for kind, rec, _expected in plan.local_puts:
        by_kind.setdefault(kind, {})[rec["id"]] = rec
    for kind, rid, _expected in plan.local_drops:
        by_kind.get(kind, {}).pop(rid, None)
    for kind, rec in plan.locals_after:
        by_kind.setdefault(kind, {})[rec["id"]] = rec
    return {k: list(v.values()) for k, v in by_kind.items()}


@dataclass
class SummaryTab:
    """The 汇总 tab as read (None: no such tab)."""

    sheet_id: int | None
    rows: list[list]
    column_count: int = 0


def _same(current: object, new: object) -> bool:
    return cell_text(current) == cell_text(new)


def summary_requests(tab: SummaryTab, figures: dict[str, object], config, stamp: str) -> list[dict]:
    """The batchUpdate requests that put this school's row right; [] when
    its figures are as they stand (更新时间 aside)."""
    cols = headers(config)
    if tab.sheet_id is None:
        return _new_tab(cols, {**figures, STAMP_HEADER: stamp})
    header_row = [cell_text(c) for c in (tab.rows[0] if tab.rows else [])]
    where = {h: i for i, h in reversed(list(enumerate(header_row))) if h}
    reqs: list[dict] = []
    missing = [(h, t) for h, t in cols if h not in where]
    if missing:
        start = len(header_row)
        if start + len(missing) > tab.column_count:
            reqs.append({"appendDimension": {"sheetId": tab.sheet_id, "dimension": "COLUMNS",
                                             "length": start + len(missing) - tab.column_count}})
        reqs.append(_cells(tab.sheet_id, 0, start, [h for h, _ in missing], header=True))
        reqs += _formats(tab.sheet_id, [(start + i, t) for i, (_, t) in enumerate(missing)])
        where.update({h: start + i for i, (h, _) in enumerate(missing)})
    r = next((i for i, row in enumerate(tab.rows) if i and cell_text(cell_at(row, where[SCHOOL_HEADER]))
              == figures[SCHOOL_HEADER]), None)
    row = tab.rows[r] if r is not None else []
    if not missing and r is not None and all(_same(cell_at(row, where[h]), v) for h, v in figures.items()):
        return []
    if r is None:
        r = len(tab.rows) or 1
        reqs.append({"insertDimension": {"range": {"sheetId": tab.sheet_id, "dimension": "ROWS", "startIndex": r,
                                                   "endIndex": r + 1}, "inheritFromBefore": r > 1}})
    for h, v in {**figures, STAMP_HEADER: stamp}.items():
        reqs.append(_cells(tab.sheet_id, r, where[h], [v]))
    return reqs


def _value(v: object) -> dict:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return {"numberValue": v}
    return {"stringValue": str(v)}


def _cells(sheet_id: int, row: int, col: int, values: list, header: bool = False) -> dict:
    cells = []
    for v in values:
        cell: dict = {"userEnteredValue": _value(v)}
        if header:
            cell["userEnteredFormat"] = {"textFormat": {"bold": True}}
        cells.append(cell)
    fields = "userEnteredValue,userEnteredFormat.textFormat" if header else "userEnteredValue"
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
                            "rows": [{"values": cells}], "fields": fields}}


def _formats(sheet_id: int, cols: list[tuple[int, str]]) -> list[dict]:
    reqs = []
    for col, kind in cols:
        width = 140 if kind == "text" else 110
        reqs.append({"updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col, "endIndex": col + 1},
            "properties": {"pixelSize": width}, "fields": "pixelSize"}})
        pattern = {PERCENT: ("PERCENT", "0.0%"), "money": ("NUMBER", "#,##0.00")}.get(kind)
        if pattern:
            reqs.append({"repeatCell": {
                "range": {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": col, "endColumnIndex": col + 1},
                "cell": {"userEnteredFormat": {"numberFormat": {"type": pattern[0], "pattern": pattern[1]}}},
                "fields": "userEnteredFormat.numberFormat"}})
    return reqs


def _new_tab(cols: list[tuple[str, str]], values: dict[str, object]) -> list[dict]:
    sid = SUMMARY_SHEET_ID
    reqs: list[dict] = [
        {"addSheet": {"properties": {"sheetId": sid, "title": SUMMARY_TAB,
                                     "gridProperties": {"rowCount": 100, "columnCount": max(len(cols), 26),
                                                        "frozenRowCount": 1, "frozenColumnCount": 1}}}},
        _cells(sid, 0, 0, [h for h, _ in cols], header=True),
        _cells(sid, 1, 0, [values[h] for h, _ in cols]),
        {"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": sid, "startRowIndex": 0, "endRowIndex": 100, "startColumnIndex": 0,
                      "endColumnIndex": len(cols)},
            "description": "汇总由各校的工会台账程序在同步时填写（每校一行），请勿手改", "warningOnly": True}}},
    ]
    return reqs + _formats(sid, list(enumerate(t for _, t in cols)))
