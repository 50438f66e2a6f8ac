"""The district sheet's layout: one tab per kind, headers from field labels.

Tabs 会员, 活动 and 慰问; row 1 holds the headers; a column headed 编号 holds
the record id (column A in a tab we make), a column headed 学校 the owning
school, the other columns the synced fields' Chinese labels.  People may
reorder columns and add their own: every column is found by its header
(``Layout``), and columns we do not know are never written.

Pure: builds Sheets API request bodies, does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Mapping, Sequence

from domain import fields as ft
from domain.config import Config
from domain.fields import FIELDS, KINDS, Field
from domain.validation import choices_for

from .sheet_headers import HeaderProblem, check_headers, column_letter, missing_problems

TABS: dict[str, str] = {"member": "会员", "event": "活动", "visit": "慰问"}
KIND_OF_TAB = {v: k for k, v in TABS.items()}
ID_HEADER = "编号"
SCHOOL_FIELD = "school"
# sheetIds we give the tabs we make (stable, so one request can make a tab and fill it)
SHEET_IDS = {"member": 71001, "event": 71002, "visit": 71003}

# pixel widths by field type, for people reading the sheet
_WIDTHS = {ft.DATE: 100, ft.MONEY: 90, ft.IDCARD: 170, ft.MOBILE: 110, ft.CHOICE: 100,
           ft.INT: 70, ft.YEAR: 80, ft.MEMBER_REF: 200}
_WIDE_TEXT = {"notes": 240, "follow_up": 200, "title": 180, "hardship_secondary": 160}


def synced_fields(kind: str, config: Config | None) -> tuple[Field, ...]:
    """The fields of ``kind`` that go to the sheet, in field order.

    Fields with ``syncs=False`` (sensitive ones above all) stay local unless
    ``[sync] share_fields`` names them."""
    shared = set((config.sync.get("share_fields") or []) if config else [])
    return tuple(f for f in FIELDS[kind] if f.syncs or f.name in shared)


def headers(kind: str, config: Config | None) -> list[str]:
    return [ID_HEADER, *(f.label for f in synced_fields(kind, config))]


@dataclass
class Layout:
    """Where each of our columns stands in a tab, found by header name
    (``sheet_headers``: a header of ours renamed, cleared or duplicated
    leaves its field out of ``columns`` and in ``problems``)."""

    kind: str
    id_col: int | None
    columns: dict[str, int]  # field name -> 0-based column
    missing: list[Field]  # synced fields with no column: made by add_columns_requests
    width: int  # columns in use (header cells, or data further right)
    problems: list[HeaderProblem] = dc_field(default_factory=list)
    remember: dict[str, int] = dc_field(default_factory=dict)  # every header -> its column, the next sync's ``last``
    id_missing: bool = True  # no 编号 column at all (one may be made; not when it is renamed or doubled)
    gone: tuple[str, ...] = ()  # headers we wrote before whose column was deleted

    @property
    def school_col(self) -> int | None:
        return self.columns.get(SCHOOL_FIELD)


def read_layout(kind: str, header_row: list, config: Config | None, *, rows: Sequence[Sequence] | None = None,
                last: Mapping[str, int] | None = None) -> Layout:
    """Map our fields to columns by the header text people see.  ``rows``:
    the whole tab (to tell a cleared header from an empty column, and how
    wide the data is); ``last``: ``Layout.remember`` of the last sync."""
    data = rows[1:] if rows else []
    width = max((len(r) for r in data), default=0)

    def has_data(col: int) -> bool:
        return any(col < len(r) and r[col] is not None and str(r[col]).strip() != "" for r in data)

    check = check_headers(TABS[kind], headers(kind, config), header_row, width=width, last=last, has_data=has_data)
    fields = synced_fields(kind, config)
    texts = [("" if c is None else str(c)).strip() for c in header_row]
    remember = {**{t: i for i, t in reversed(list(enumerate(texts))) if t},
                **{p.expected: last[p.expected] for p in check.problems if last and p.expected in last},
                **check.found, **check.unusable}
    columns = {f.name: check.found[f.label] for f in fields if f.label in check.found}
    used = max(len(header_row), width, *(c + 1 for c in check.unusable.values()))
    gone = tuple(label for label in check.missing if last and label in last)
    return Layout(kind, check.found.get(ID_HEADER), columns, [f for f in fields if f.label in check.missing], used,
                  check.problems, remember, ID_HEADER in check.missing, gone)


# ----------------------------------------------------------------- requests
def _header_cells(labels: list[str]) -> dict:
    return {"values": [{"userEnteredValue": {"stringValue": t},
                        "userEnteredFormat": {"textFormat": {"bold": True},
                                              "backgroundColor": {"red": 0.93, "green": 0.93, "blue": 0.93}}}
                       for t in labels]}


def _col_range(sheet_id: int, col: int, rows: int | None = None) -> dict:
    rng = {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": col, "endColumnIndex": col + 1}
    if rows is not None:
        rng["endRowIndex"] = rows
    return rng


def _column_requests(kind: str, sheet_id: int, col: int, f: Field, config: Config, rows: int) -> list[dict]:
    """Width, number format and dropdown of one field's column."""
    reqs: list[dict] = [{"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col, "endIndex": col + 1},
        "properties": {"pixelSize": _WIDE_TEXT.get(f.name, _WIDTHS.get(f.type, 110))},
        "fields": "pixelSize"}}]
    fmt = None
    if f.type == ft.DATE:
        fmt = {"type": "DATE", "pattern": "yyyy-mm-dd"}
    elif f.type == ft.MONEY:
        fmt = {"type": "NUMBER", "pattern": "#,##0.00"}
    elif f.type in (ft.MOBILE, ft.IDCARD):
        fmt = {"type": "TEXT"}
    if fmt:
        reqs.append({"repeatCell": {"range": _col_range(sheet_id, col, rows),
                                    "cell": {"userEnteredFormat": {"numberFormat": fmt}},
                                    "fields": "userEnteredFormat.numberFormat"}})
    if f.type == ft.CHOICE:
        values = choices_for(f, config)
        if values:
            reqs.append({"setDataValidation": {"range": _col_range(sheet_id, col, rows), "rule": {
                "condition": {"type": "ONE_OF_LIST",
                              "values": [{"userEnteredValue": v} for v in values]},
                "inputMessage": f"{f.label}：请从列表中选择", "strict": False, "showCustomUi": True}}})
    return reqs


def new_tab_requests(kind: str, config: Config, index: int = 0, rows: int = 1000) -> list[dict]:
    """Make the tab with its headers, frozen header row, widths, formats,
    dropdowns and the 编号 column protected with a warning."""
    sheet_id = SHEET_IDS[kind]
    labels = headers(kind, config)
    cols = max(len(labels), 26)
    reqs: list[dict] = [
        {"addSheet": {"properties": {"sheetId": sheet_id, "title": TABS[kind], "index": index,
                                     "gridProperties": {"rowCount": rows, "columnCount": cols,
                                                        "frozenRowCount": 1, "frozenColumnCount": 1}}}},
        {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                         "rows": [_header_cells(labels)],
                         "fields": "userEnteredValue,userEnteredFormat(textFormat,backgroundColor)"}},
        {"updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
            "properties": {"pixelSize": 220}, "fields": "pixelSize"}},
        {"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": sheet_id, "startColumnIndex": 0, "endColumnIndex": 1},
            "description": "编号由工会台账程序生成，请勿修改（修改会让同步认错记录）",
            "warningOnly": True}}},
    ]
    for col, f in enumerate(synced_fields(kind, config), start=1):
        reqs += _column_requests(kind, sheet_id, col, f, config, rows)
    return reqs


def header_fill_requests(kind: str, sheet_id: int, config: Config, rows: int, cols: int) -> list[dict]:
    """Headers for a tab that exists but is empty (someone made it by hand)."""
    labels = headers(kind, config)
    reqs: list[dict] = []
    if cols < len(labels):
        reqs.append({"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                         "length": len(labels) - cols}})
    reqs.append({"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                                 "rows": [_header_cells(labels)],
                                 "fields": "userEnteredValue,userEnteredFormat(textFormat,backgroundColor)"}})
    reqs.append({"updateSheetProperties": {"properties": {"sheetId": sheet_id,
                                                          "gridProperties": {"frozenRowCount": 1}},
                                           "fields": "gridProperties.frozenRowCount"}})
    for col, f in enumerate(synced_fields(kind, config), start=1):
        reqs += _column_requests(kind, sheet_id, col, f, config, max(rows, 2))
    return reqs


def add_columns_requests(layout: Layout, sheet_id: int, config: Config, rows: int,
                         cols: int) -> tuple[list[dict], Layout]:
    """Columns for synced fields the tab lacks (a field newly opted in, or a
    column someone deleted), added after the last used column.  Returns the
    requests and the layout as it will be once they are applied."""
    needed: list[tuple[str, Field | None]] = [(ID_HEADER, None)] if layout.id_col is None and layout.id_missing else []
    needed += [(f.label, f) for f in layout.missing]
    if not needed:
        return [], layout
    start = layout.width
    reqs: list[dict] = []
    if start + len(needed) > cols:
        reqs.append({"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                         "length": start + len(needed) - cols}})
    reqs.append({"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": start},
                                 "rows": [_header_cells([label for label, _ in needed])],
                                 "fields": "userEnteredValue,userEnteredFormat(textFormat,backgroundColor)"}})
    columns = dict(layout.columns)
    id_col = layout.id_col
    made = {label: start + i for i, (label, _f) in enumerate(needed)}
    for label, f in needed:
        if f is None:
            id_col = made[label]
        else:
            columns[f.name] = made[label]
            reqs += _column_requests(layout.kind, sheet_id, made[label], f, config, max(rows, 2))
    gone = missing_problems(TABS[layout.kind], list(layout.gone), made)
    return reqs, Layout(layout.kind, id_col, columns, [], start + len(needed), layout.problems + gone,
                        {**layout.remember, **made}, False)


__all__ = ["TABS", "KIND_OF_TAB", "ID_HEADER", "SHEET_IDS", "KINDS", "Layout", "HeaderProblem", "synced_fields",
           "headers", "read_layout", "new_tab_requests", "header_fill_requests", "add_columns_requests", "column_letter"]
