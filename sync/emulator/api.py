"""The Sheets API v4 / Drive v3 semantics, independent of HTTP.

``Backend.handle(method, path, query, body)`` returns ``(status, json)``.
Everything runs under ``Backend.lock``.
"""

from __future__ import annotations

import copy
import json
import threading
import urllib.parse
from typing import Any

from .a1 import Box, RangeError, format_range, split_sheet
from .model import SERVICE_ACCOUNT, ApiError, Sheet, Spreadsheet, bad, new_id, now_rfc3339
from .values import Cell, raw_cell, render, user_entered_cell

DEFAULT_FORMAT = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {"foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10, "bold": False,
                   "italic": False, "strikethrough": False, "underline": False,
                   "foregroundColorStyle": {"rgbColor": {}}},
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
THEME = {"primaryFontFamily": "Arial", "themeColors": [
    {"colorType": "TEXT", "color": {"rgbColor": {}}},
    {"colorType": "BACKGROUND", "color": {"rgbColor": {"red": 1, "green": 1, "blue": 1}}},
    {"colorType": "ACCENT1", "color": {"rgbColor": {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}}},
    {"colorType": "ACCENT2", "color": {"rgbColor": {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}}},
    {"colorType": "ACCENT3", "color": {"rgbColor": {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}}},
    {"colorType": "ACCENT4", "color": {"rgbColor": {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}}},
    {"colorType": "ACCENT5", "color": {"rgbColor": {"red": 1, "green": 0.42745098, "blue": 0.003921569}}},
    {"colorType": "ACCENT6", "color": {"rgbColor": {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}}},
    {"colorType": "LINK", "color": {"rgbColor": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}}},
]}

VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")


# ------------------------------------------------------------------ field masks

def parse_mask(text: str) -> dict:
    """`a.b,c/d,e(f,g)` -> nested dict; an empty dict means "whole value"."""
    tree: dict = {}
    i = 0

    def parse_list(node: dict, end: str | None) -> None:
        nonlocal i
        while i < len(text):
            # one path
            start = i
            while i < len(text) and text[i] not in ",()":
                i += 1
            path = text[start:i].strip()
            parts = [p for p in path.replace("/", ".").split(".") if p]
            cur = node
            for p in parts:
                cur = cur.setdefault(p, {})
            if i < len(text) and text[i] == "(":
                i += 1
                parse_list(cur, ")")
                i += 1  # ')'
            if i < len(text) and text[i] == ",":
                i += 1
                continue
            if i < len(text) and text[i] == ")" and end == ")":
                return
    parse_list(tree, None)
    return tree


def apply_mask(value: Any, mask: dict) -> Any:
    if not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [apply_mask(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: apply_mask(v, mask[k]) for k, v in value.items() if k in mask}
    return value


def set_by_mask(target: dict, source: dict, fields: str) -> None:
    """Copy the fields named in an update mask from source to target."""
    mask = parse_mask(fields)

    def go(t: dict, s: dict, m: dict) -> None:
        if "*" in m:
            for k in list(t.keys()):
                if k not in s and k not in ("sheetId",):
                    t.pop(k, None)
            for k, v in s.items():
                t[k] = copy.deepcopy(v)
            return
        for k, sub in m.items():
            if not sub:
                if k in s:
                    t[k] = copy.deepcopy(s[k])
                else:
                    t.pop(k, None)
            else:
                t.setdefault(k, {})
                if not isinstance(t[k], dict):
                    t[k] = {}
                go(t[k], s.get(k) or {}, sub)
    go(target, source, mask)


# ------------------------------------------------------------------ backend

def split_sheet_safe(rng: str):
    try:
        return split_sheet(rng)
    except RangeError:
        return None, None


class Backend:
    def __init__(self, user_email: str = SERVICE_ACCOUNT):
        self.lock = threading.RLock()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.user_email = user_email

    # -- lookup
    def get_ss(self, sid: str) -> Spreadsheet:
        ss = self.spreadsheets.get(sid)
        if ss is None:
            raise ApiError(404, "Requested entity was not found.")
        if ss.deleted:
            raise ApiError(403, "The caller does not have permission")
        return ss

    def create(self, title: str, sid: str | None = None) -> Spreadsheet:
        ss = Spreadsheet(sid or new_id(), title)
        self.spreadsheets[ss.id] = ss
        return ss

    # -- dispatch
    def handle(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        with self.lock:
            try:
                return self._route(method, path, query, body)
            except ApiError as e:
                return e.code, e.body()

    @staticmethod
    def _json(body: bytes) -> Any:
        if not body:
            return {}
        try:
            return json.loads(body)
        except ValueError:
            raise ApiError(400, "Invalid JSON payload received.") from None

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        q = {k: v[-1] for k, v in query.items()}
        if path.startswith("/v4/spreadsheets"):
            rest = path[len("/v4/spreadsheets"):]
            if rest in ("", "/") and method == "POST":
                return 200, self.sheets_create(self._json(body))
            rest = rest.lstrip("/")
            if "/values" in rest:
                sid, _, vpath = rest.partition("/values")
            else:
                sid, vpath = rest, None
            if vpath is None:
                if sid.endswith(":batchUpdate") and method == "POST":
                    ss = self.get_ss(urllib.parse.unquote(sid[: -len(":batchUpdate")]))
                    return 200, self.batch_update(ss, self._json(body))
                ss = self.get_ss(urllib.parse.unquote(sid))
                if method == "GET":
                    return 200, self.get_spreadsheet(ss, query)
                raise ApiError(404, "Not Found", "NOT_FOUND")
            ss = self.get_ss(urllib.parse.unquote(sid))
            if vpath == ":batchGet" and method == "GET":
                return 200, self.values_batch_get(ss, query.get("ranges", []), q)
            if vpath == ":batchUpdate" and method == "POST":
                return 200, self.values_batch_update(ss, self._json(body))
            if vpath == ":batchClear" and method == "POST":
                return 200, self.values_batch_clear(ss, self._json(body))
            if not vpath.startswith("/"):
                raise ApiError(404, "Not Found", "NOT_FOUND")
            raw = vpath[1:]
            for suffix, fn in ((":append", self.values_append), (":clear", self.values_clear)):
                if raw.endswith(suffix) and method == "POST":
                    rng = urllib.parse.unquote(raw[: -len(suffix)])
                    return 200, fn(ss, rng, q, self._json(body))
            rng = urllib.parse.unquote(raw)
            if method == "GET":
                return 200, self.values_get(ss, rng, q)
            if method == "PUT":
                return 200, self.values_update(ss, rng, q, self._json(body))
            raise ApiError(404, "Not Found", "NOT_FOUND")
        if path.startswith("/drive/v3/files"):
            return self.drive(method, path[len("/drive/v3/files"):], q, body)
        raise ApiError(404, f"Method not found: {path}", "NOT_FOUND")

    # ------------------------------------------------------------- Drive
    def drive(self, method: str, rest: str, q: dict[str, str], body: bytes) -> tuple[int, Any]:
        rest = rest.strip("/")
        if rest == "":
            if method == "POST":
                data = self._json(body)
                ss = self.create(data.get("name") or "Untitled spreadsheet")
                return 200, {"kind": "drive#file", "id": ss.id, "name": ss.props["title"],
                             "mimeType": "application/vnd.google-apps.spreadsheet"}
            if method == "GET":
                files = []
                query = q.get("q", "")
                want_name = None
                if " name = " in query or "name =" in query:
                    want_name = query.split("name", 1)[1].split("=", 1)[1].strip()
                    if want_name.startswith('"') and want_name.endswith('"'):
                        want_name = want_name[1:-1].replace('\\"', '"')
                for ss in sorted(self.spreadsheets.values(), key=lambda s: s.modified, reverse=True):
                    if ss.deleted or (want_name is not None and ss.props["title"] != want_name):
                        continue
                    files.append(self._file(ss))
                out: dict[str, Any] = {"kind": "drive#fileList", "files": files}
                fields = q.get("fields")
                if fields:
                    out = apply_mask(out, parse_mask(fields))
                return 200, out
        else:
            fid = urllib.parse.unquote(rest.split("/")[0])
            ss = self.spreadsheets.get(fid)
            if ss is None or ss.deleted:
                raise ApiError(404, f"File not found: {fid}.", "NOT_FOUND")
            if method == "DELETE":
                ss.deleted = True
                return 204, None
            if method == "GET" and "/" not in rest:
                f = self._file(ss)
                fields = q.get("fields")
                if fields:
                    f = apply_mask(f, parse_mask(fields))
                return 200, f
        raise ApiError(404, "Not Found", "NOT_FOUND")

    @staticmethod
    def _file(ss: Spreadsheet) -> dict:
        return {"kind": "drive#file", "id": ss.id, "name": ss.props["title"],
                "mimeType": "application/vnd.google-apps.spreadsheet",
                "createdTime": ss.created, "modifiedTime": ss.modified}

    def touch(self, ss: Spreadsheet) -> None:
        ss.modified = now_rfc3339()

    # ------------------------------------------------------------- spreadsheets
    def sheets_create(self, data: dict) -> dict:
        props = data.get("properties") or {}
        ss = self.create(props.get("title") or "Untitled spreadsheet")
        sheets = data.get("sheets") or []
        if sheets:
            ss.sheets = []
            for i, s in enumerate(sheets):
                p = s.get("properties") or {}
                gp = p.get("gridProperties") or {}
                sh = Sheet(p.get("sheetId", 0 if i == 0 else ss.new_sheet_id()), p.get("title") or f"Sheet{i + 1}",
                           gp.get("rowCount", 1000), gp.get("columnCount", 26))
                ss.sheets.append(sh)
            ss.reindex()
        return self.get_spreadsheet(ss, {})

    def sheet_json(self, ss: Spreadsheet, sh: Sheet) -> dict:
        d: dict[str, Any] = {"properties": copy.deepcopy(sh.props)}
        if sh.protected:
            d["protectedRanges"] = copy.deepcopy(sh.protected)
        for k, v in sh.extra.items():
            d[k] = copy.deepcopy(v)
        return d

    def get_spreadsheet(self, ss: Spreadsheet, query: dict[str, list[str]]) -> dict:
        fields = (query.get("fields") or [None])[-1]
        include = (query.get("includeGridData") or ["false"])[-1].lower() == "true"
        ranges = query.get("ranges") or []
        mask = parse_mask(fields) if fields else None
        want_data = include if mask is None else ("data" in (mask.get("sheets") or {}) or "*" in mask)
        out: dict[str, Any] = {
            "spreadsheetId": ss.id,
            "properties": {**copy.deepcopy(ss.props), "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
                           "spreadsheetTheme": copy.deepcopy(THEME)},
            "sheets": [],
        }
        if ranges:
            wanted: list[tuple[Sheet, Box | None]] = [ss.resolve(r) for r in ranges]
        else:
            wanted = [(sh, None) for sh in ss.sheets]
        seen: dict[int, dict] = {}
        for sh, box in wanted:
            if sh.sheet_id not in seen:
                sj = self.sheet_json(ss, sh)
                seen[sh.sheet_id] = sj
                out["sheets"].append(sj)
            if want_data:
                seen[sh.sheet_id].setdefault("data", []).append(self.grid_data(ss, sh, box))
        if ss.named_ranges:
            out["namedRanges"] = copy.deepcopy(ss.named_ranges)
        out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{ss.id}/edit"
        if mask is not None:
            out = apply_mask(out, mask)
        return out

    def grid_data(self, ss: Spreadsheet, sh: Sheet, box: Box | None) -> dict:
        r1, c1, r2, c2 = ss.clamp(sh, box)
        memo: dict = {}
        rows = []
        for r in range(r1, min(r2, len(sh.rows))):
            vals = []
            for c in range(c1, c2):
                cell = sh.get(r, c)
                vals.append(self.cell_data(ss, sh, r, c, cell, memo) if cell is not None else {})
            while vals and not vals[-1]:
                vals.pop()
            rows.append({"values": vals} if vals else {})
        while rows and not rows[-1]:
            rows.pop()
        d: dict[str, Any] = {}
        if r1:
            d["startRow"] = r1
        if c1:
            d["startColumn"] = c1
        if rows:
            d["rowData"] = rows
        d["rowMetadata"] = [{"pixelSize": sh.row_sizes.get(r, 21)} for r in range(r1, r2)]
        d["columnMetadata"] = [{"pixelSize": sh.col_sizes.get(c, 100)} for c in range(c1, c2)]
        return d

    def cell_data(self, ss: Spreadsheet, sh: Sheet, r: int, c: int, cell: Cell, memo: dict) -> dict:
        d: dict[str, Any] = {}
        if cell.kind == "f":
            d["userEnteredValue"] = {"formulaValue": cell.formula}
        elif cell.kind == "s":
            d["userEnteredValue"] = {"stringValue": cell.value}
        elif cell.kind == "b":
            d["userEnteredValue"] = {"boolValue": cell.value}
        elif cell.kind in ("n", "d"):
            d["userEnteredValue"] = {"numberValue": cell.value}
        if cell.kind is not None and (cell.kind != "s" or cell.value is not None) and cell.kind != "":
            v = ss.effective(sh, r, c, memo, set())
            if isinstance(v, bool):
                d["effectiveValue"] = {"boolValue": v}
            elif isinstance(v, (int, float)):
                d["effectiveValue"] = {"numberValue": v}
            elif v is not None:
                d["effectiveValue"] = {"stringValue": str(v)}
            fv = render(v, cell, "FORMATTED_VALUE", "FORMATTED_STRING")
            if fv != "":
                d["formattedValue"] = fv
        if cell.kind == "":
            d.pop("userEnteredValue", None)
        if cell.note:
            d["note"] = cell.note
        return d

    # ------------------------------------------------------------- values
    def _values_out(self, ss: Spreadsheet, sh: Sheet, r1: int, c1: int, r2: int, c2: int,
                    vr: str, dr: str, major: str) -> list[list[Any]]:
        memo: dict = {}
        r_end = min(r2, len(sh.rows))
        grid: list[list[Any]] = []
        for r in range(r1, r_end):
            row = sh.rows[r]
            out = []
            for c in range(c1, min(c2, len(row))):
                cell = row[c]
                if cell is None or cell.kind == "":
                    out.append("")
                else:
                    v = ss.effective(sh, r, c, memo, set()) if cell.kind == "f" else cell.value
                    out.append(render(v, cell, vr, dr))
            grid.append(out)
        if major == "COLUMNS":
            width = max((len(r) for r in grid), default=0)
            grid = [[row[c] if c < len(row) else "" for row in grid] for c in range(width)]
        for row in grid:
            while row and row[-1] == "":
                row.pop()
        while grid and not grid[-1]:
            grid.pop()
        return grid

    def _opts(self, q: dict[str, str]) -> tuple[str, str, str]:
        vr = q.get("valueRenderOption", "FORMATTED_VALUE")
        dr = q.get("dateTimeRenderOption", "SERIAL_NUMBER")
        major = q.get("majorDimension", "ROWS")
        if vr not in VALUE_RENDER:
            raise bad(f"Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), \"{vr}\"")
        if dr not in DATE_RENDER:
            raise bad(f"Invalid value at 'date_time_render_option' (type.googleapis.com/google.apps.sheets.v4.DateTimeRenderOption), \"{dr}\"")
        if major not in ("ROWS", "COLUMNS"):
            raise bad(f"Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), \"{major}\"")
        return vr, dr, major

    def value_range(self, ss: Spreadsheet, rng: str, q: dict[str, str]) -> dict:
        vr, dr, major = self._opts(q)
        sh, box = ss.resolve(rng)
        r1, c1, r2, c2 = ss.clamp(sh, box)
        out: dict[str, Any] = {"range": format_range(sh.title, r1, c1, r2, c2), "majorDimension": major}
        vals = self._values_out(ss, sh, r1, c1, r2, c2, vr, dr, major)
        if vals:
            out["values"] = vals
        return out

    def values_get(self, ss: Spreadsheet, rng: str, q: dict[str, str]) -> dict:
        return self.value_range(ss, rng, q)

    def values_batch_get(self, ss: Spreadsheet, ranges: list[str], q: dict[str, str]) -> dict:
        out: dict[str, Any] = {"spreadsheetId": ss.id}
        if ranges:
            out["valueRanges"] = [self.value_range(ss, r, q) for r in ranges]
        return out

    @staticmethod
    def _check_values(values: Any) -> list[list[Any]]:
        if values is None:
            return []
        if not isinstance(values, list):
            msg = f"Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), {json.dumps(values, ensure_ascii=False)}"
            raise ApiError(400, msg, details=[{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                               "fieldViolations": [{"field": "data.values", "description": msg}]}])
        out = []
        for i, row in enumerate(values):
            if not isinstance(row, list):
                msg = (f"Invalid value at 'data.values[{i}]' (type.googleapis.com/google.protobuf.ListValue), "
                       f"{json.dumps(row, ensure_ascii=False)}")
                raise ApiError(400, msg, details=[{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                                   "fieldViolations": [{"field": f"data.values[{i}]", "description": msg}]}])
            out.append(row)
        return out

    @staticmethod
    def _input_option(opt: str | None) -> str:
        if not opt:
            raise bad("'valueInputOption' is required but not specified")
        if opt not in ("RAW", "USER_ENTERED"):
            raise bad(f"Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), \"{opt}\"")
        return opt

    def _write(self, ss: Spreadsheet, rng: str, values: Any, major: str | None, opt: str,
               grow: bool = False, at: tuple[int, int] | None = None) -> dict:
        """Write a block; returns the UpdateValuesResponse (without id)."""
        sh, box = ss.resolve(rng)
        values = self._check_values(values)
        if major == "COLUMNS":
            width = max((len(r) for r in values), default=0)
            values = [[col[i] if i < len(col) else None for col in values] for i in range(width)]
        if at is not None:
            r1, c1 = at
        else:
            r1, c1 = (0, 0) if box is None else (box.r1, box.c1)
        n = len(values)
        m = max((len(r) for r in values), default=0)
        _, cells_text = split_sheet_safe(rng)
        bounded = cells_text is not None and ":" in cells_text  # a single cell is only an anchor
        if box is not None and at is None and n and m and bounded:
            if box.r2 is not None and r1 + n > box.r2:
                raise bad(f"Requested writing within range [{rng}], but tried writing to row [{r1 + n}]")
            if box.c2 is not None and c1 + m > box.c2:
                from .a1 import col_to_letters
                raise bad(f"Requested writing within range [{rng}], but tried writing to column [{col_to_letters(c1 + m - 1)}]")
        if n == 0 or m == 0:
            return {"updatedRange": format_range(sh.title, r1, c1, r1 + 1, c1 + 1)}
        if r1 + n > sh.row_count or c1 + m > sh.col_count:
            if grow:
                sh.set_size(max(sh.row_count, r1 + n), max(sh.col_count, c1 + m))
                ss.check_cells()
            else:
                raise bad(f"Range ({format_range(sh.title, r1, c1, r1 + n, c1 + m)}) exceeds grid limits. "
                          f"Max rows: {sh.row_count}, max columns: {sh.col_count}")
        parse = raw_cell if opt == "RAW" else user_entered_cell
        cells = 0
        touched_r: set[int] = set()
        touched_c: set[int] = set()
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if v is None:
                    continue
                touched_r.add(i)
                touched_c.add(j)
                if isinstance(v, (dict, list)):
                    raise bad(f"Invalid values[{i}][{j}]: {json.dumps(v)}")
                old = sh.get(r1 + i, c1 + j)
                cell = parse(v)
                if old is not None and old.note:
                    cell = (cell or Cell("", None))._replace(note=old.note)
                sh.put(r1 + i, c1 + j, cell)
                cells += 1
        sh.trim()
        return {"updatedRange": format_range(sh.title, r1, c1, r1 + n, c1 + m),
                "updatedRows": len(touched_r), "updatedColumns": len(touched_c), "updatedCells": cells,
                "_sheet": sh.sheet_id, "_rows": range(r1, r1 + n), "_cols": range(c1, c1 + m)}

    @staticmethod
    def _public(resp: dict, sid: str) -> dict:
        return {"spreadsheetId": sid, **{k: v for k, v in resp.items() if not k.startswith("_")}}

    def _with_values(self, ss: Spreadsheet, resp: dict, q: dict) -> dict:
        if str(q.get("includeValuesInResponse", "false")).lower() == "true":
            vr = q.get("responseValueRenderOption", "FORMATTED_VALUE")
            dr = q.get("responseDateTimeRenderOption", "SERIAL_NUMBER")
            resp["updatedData"] = self.value_range(ss, resp["updatedRange"], {"valueRenderOption": vr, "dateTimeRenderOption": dr})
        return resp

    def values_update(self, ss: Spreadsheet, rng: str, q: dict[str, str], data: dict) -> dict:
        opt = self._input_option(q.get("valueInputOption"))
        work = ss.clone()
        resp = self._write(work, rng, data.get("values"), data.get("majorDimension"), opt)
        self._commit(ss, work)
        return self._with_values(ss, self._public(resp, ss.id), q)

    def values_batch_update(self, ss: Spreadsheet, data: dict) -> dict:
        opt = self._input_option(data.get("valueInputOption"))
        work = ss.clone()
        responses = []
        rows, cols, sheets = set(), set(), set()
        for item in data.get("data") or []:
            resp = self._write(work, item.get("range", ""), item.get("values"), item.get("majorDimension"), opt)
            if "_sheet" in resp:
                sheets.add(resp["_sheet"])
                rows.update((resp["_sheet"], r) for r in resp["_rows"])
                cols.update((resp["_sheet"], c) for c in resp["_cols"])
            responses.append(resp)
        self._commit(ss, work)
        out: dict[str, Any] = {"spreadsheetId": ss.id}
        total = sum(r.get("updatedCells", 0) for r in responses)
        if responses:
            out.update({"totalUpdatedRows": len(rows), "totalUpdatedColumns": len(cols), "totalUpdatedCells": total,
                        "totalUpdatedSheets": len(sheets)})
            if not total:
                for k in ("totalUpdatedRows", "totalUpdatedColumns", "totalUpdatedCells", "totalUpdatedSheets"):
                    out.pop(k)
            out["responses"] = [self._with_values(ss, self._public(r, ss.id), data) for r in responses]
        return out

    def values_clear(self, ss: Spreadsheet, rng: str, q: dict, data: dict) -> dict:
        sh, box = ss.resolve(rng)
        r1, c1, r2, c2 = ss.clamp(sh, box)
        self._clear(sh, r1, c1, r2, c2)
        self.touch(ss)
        return {"spreadsheetId": ss.id, "clearedRange": format_range(sh.title, r1, c1, r2, c2)}

    @staticmethod
    def _clear(sh: Sheet, r1: int, c1: int, r2: int, c2: int) -> None:
        for r in range(r1, min(r2, len(sh.rows))):
            row = sh.rows[r]
            for c in range(c1, min(c2, len(row))):
                cell = row[c]
                if cell is not None:
                    row[c] = Cell("", None, note=cell.note) if cell.note else None
        sh.trim()

    def values_batch_clear(self, ss: Spreadsheet, data: dict) -> dict:
        resolved = [(ss.resolve(r)) for r in data.get("ranges") or []]
        cleared = []
        for sh, box in resolved:
            r1, c1, r2, c2 = ss.clamp(sh, box)
            self._clear(sh, r1, c1, r2, c2)
            cleared.append(format_range(sh.title, r1, c1, r2, c2))
        self.touch(ss)
        out: dict[str, Any] = {"spreadsheetId": ss.id}
        if cleared:
            out["clearedRanges"] = cleared
        return out

    def find_table(self, sh: Sheet, box: Box | None) -> tuple[int, int, int, int] | None:
        """Google's table detection for values:append (see the module doc of
        the conformance test: a whole-sheet range picks the table holding the
        last value; a range picks the table at its top-left cell)."""
        r1, c1, r2, c2 = Spreadsheet.clamp(sh, box)

        def filled(r: int, c: int) -> bool:
            cell = sh.get(r, c)
            return cell is not None and cell.kind != ""

        single = box is not None and box.r2 is not None and box.c2 is not None and box.r2 - box.r1 == 1 and box.c2 - box.c1 == 1
        if single:
            if not filled(r1, c1):
                return None
            seed = (r1, c1)
            lim = (0, 0, sh.row_count, sh.col_count)
        else:
            seed = None
            for r in range(min(r2, len(sh.rows)) - 1, r1 - 1, -1):
                row = sh.rows[r]
                for c in range(min(c2, len(row)) - 1, c1 - 1, -1):
                    if filled(r, c):
                        seed = (r, c)
                        break
                if seed:
                    break
            if seed is None:
                return None
            # the table found in the range may extend past it (gspread's
            # table_range="A1:C1" idiom appends below the whole table)
            lim = (0, 0, sh.row_count, sh.col_count)
        # grow the bounding box of the contiguous (8-connected) block
        top, left, bottom, right = seed[0], seed[1], seed[0] + 1, seed[1] + 1
        changed = True
        while changed:
            changed = False
            if top > lim[0] and any(filled(top - 1, c) for c in range(max(left - 1, lim[1]), min(right + 1, lim[3]))):
                top -= 1
                changed = True
            if bottom < lim[2] and any(filled(bottom, c) for c in range(max(left - 1, lim[1]), min(right + 1, lim[3]))):
                bottom += 1
                changed = True
            if left > lim[1] and any(filled(r, left - 1) for r in range(max(top - 1, lim[0]), min(bottom + 1, lim[2]))):
                left -= 1
                changed = True
            if right < lim[3] and any(filled(r, right) for r in range(max(top - 1, lim[0]), min(bottom + 1, lim[2]))):
                right += 1
                changed = True
        return top, left, bottom, right

    def values_append(self, ss: Spreadsheet, rng: str, q: dict[str, str], data: dict) -> dict:
        opt = self._input_option(q.get("valueInputOption"))
        insert = q.get("insertDataOption", "OVERWRITE")
        if insert not in ("OVERWRITE", "INSERT_ROWS"):
            raise bad(f"Invalid value at 'insert_data_option' (type.googleapis.com/google.apps.sheets.v4.ValueRangeInsertDataOption), \"{insert}\"")
        work = ss.clone()
        sh, box = work.resolve(rng)
        table = self.find_table(sh, box)
        if table is None:
            r0, c0 = (0, 0) if box is None else (box.r1, box.c1)
        else:
            r0, c0 = table[2], table[1]
        values = self._check_values(data.get("values"))
        n = len(values) if data.get("majorDimension") != "COLUMNS" else max((len(c) for c in values), default=0)
        if insert == "INSERT_ROWS" and n:
            sh.insert_rows(min(r0, sh.row_count), n)
            work.check_cells()
        resp = self._write(work, rng, values, data.get("majorDimension"), opt, grow=True, at=(r0, c0))
        self._commit(ss, work)
        out: dict[str, Any] = {"spreadsheetId": ss.id}
        if table is not None:
            out["tableRange"] = format_range(sh.title, *table)
        out["updates"] = self._with_values(ss, self._public(resp, ss.id), q)
        return out

    def _commit(self, ss: Spreadsheet, work: Spreadsheet) -> None:
        ss.__dict__.update(work.__dict__)
        ss.id = work.id
        self.touch(ss)

    # ------------------------------------------------------------- batchUpdate
    def batch_update(self, ss: Spreadsheet, data: dict) -> dict:
        from .batch import apply_request  # local: keeps import graph simple
        work = ss.clone()
        replies = []
        for i, req in enumerate(data.get("requests") or []):
            if not isinstance(req, dict) or len(req) != 1:
                raise bad(f"Invalid requests[{i}]: No request set.")
            (kind, body), = req.items()
            try:
                replies.append(apply_request(self, work, kind, body or {}))
            except ApiError as e:
                if e.message.startswith("Invalid requests[") or e.code != 400 or e.message.startswith("Invalid JSON"):
                    raise
                raise bad(f"Invalid requests[{i}].{kind}: {e.message}") from None
            except KeyError as e:
                raise bad(f"Invalid requests[{i}].{kind}: missing field {e}") from None
        self._commit(ss, work)
        out: dict[str, Any] = {"spreadsheetId": ss.id, "replies": replies}
        if str(data.get("includeSpreadsheetInResponse", "false")).lower() == "true":
            out["updatedSpreadsheet"] = self.get_spreadsheet(ss, {})
        return out
