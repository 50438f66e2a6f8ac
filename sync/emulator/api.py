"""The Sheets API v4 / Drive v3 semantics, independent of HTTP.

``Backend.handle(method, path, query, body)`` returns ``(status, json)``.
Everything runs under ``Backend.lock``. The calls themselves live beside:
``spreadsheet_get`` (spreadsheets.get), ``values_read`` / ``values_write`` /
``append`` (the values collection), ``batch`` (spreadsheets.batchUpdate),
``drive`` (Drive files).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from typing import Any

from .append import values_append
from .batch import batch_update
from .drive import drive
from .model import SERVICE_ACCOUNT, ApiError, Sheet, Spreadsheet, new_id
from .spreadsheet_get import get_spreadsheet
from .values_read import value_range, values_batch_get
from .values_write import values_batch_clear, values_batch_update, values_clear, values_update

Query = dict[str, list[str]]
_NOT_FOUND = ApiError(404, "Not Found", "NOT_FOUND")


class Backend:
    def __init__(self, user_email: str = SERVICE_ACCOUNT):
        self.lock = threading.RLock()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.user_email = user_email

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

    def handle(self, method: str, path: str, query: Query, body: bytes) -> tuple[int, Any]:
        with self.lock:
            try:
                return self._route(method, path, query, body)
            except ApiError as e:
                return e.code, e.body()

    def _route(self, method: str, path: str, query: Query, body: bytes) -> tuple[int, Any]:
        q = {k: v[-1] for k, v in query.items()}
        if path.startswith("/v4/spreadsheets"):
            rest = path[len("/v4/spreadsheets"):]
            if rest in ("", "/") and method == "POST":
                return 200, self.sheets_create(_json(body))
            sid, values_path = _split_values(rest.lstrip("/"))
            if values_path is None:
                return self._route_spreadsheet(method, sid, query, body)
            return self._route_values(method, self.get_ss(sid), values_path, query, body)
        if path.startswith("/drive/v3/files"):
            data = _json(body) if method == "POST" else {}
            return drive(self.spreadsheets, self.create, (method, path[len("/drive/v3/files"):], q, data))
        raise ApiError(404, f"Method not found: {path}", "NOT_FOUND")

    def _route_spreadsheet(self, method: str, sid: str, query: Query, body: bytes) -> tuple[int, Any]:
        if sid.endswith(":batchUpdate") and method == "POST":
            ss = self.get_ss(urllib.parse.unquote(sid[: -len(":batchUpdate")]))
            return 200, batch_update(self.user_email, ss, _json(body))
        ss = self.get_ss(urllib.parse.unquote(sid))
        if method == "GET":
            return 200, get_spreadsheet(ss, query)
        raise _NOT_FOUND

    @staticmethod
    def _route_values(method: str, ss: Spreadsheet, vpath: str, query: Query, body: bytes) -> tuple[int, Any]:
        q = {k: v[-1] for k, v in query.items()}
        if vpath == ":batchGet" and method == "GET":
            return 200, values_batch_get(ss, query.get("ranges", []), q)
        if vpath == ":batchUpdate" and method == "POST":
            return 200, values_batch_update(ss, _json(body))
        if vpath == ":batchClear" and method == "POST":
            return 200, values_batch_clear(ss, _json(body))
        if not vpath.startswith("/"):
            raise _NOT_FOUND
        raw = vpath[1:]
        for suffix, fn in ((":append", values_append), (":clear", values_clear)):
            if raw.endswith(suffix) and method == "POST":
                return 200, fn(ss, urllib.parse.unquote(raw[: -len(suffix)]), q, _json(body))
        rng = urllib.parse.unquote(raw)
        if method == "GET":
            return 200, value_range(ss, rng, q)
        if method == "PUT":
            return 200, values_update(ss, rng, q, _json(body))
        raise _NOT_FOUND

    def sheets_create(self, data: dict) -> dict:
        """spreadsheets.create, with the tabs the body names (or Sheet1)."""
        ss = self.create((data.get("properties") or {}).get("title") or "Untitled spreadsheet")
        sheets = data.get("sheets") or []
        if sheets:
            ss.sheets = []
            for i, s in enumerate(sheets):
                p = s.get("properties") or {}
                gp = p.get("gridProperties") or {}
                ss.sheets.append(Sheet(p.get("sheetId", 0 if i == 0 else ss.new_sheet_id()),
                                       p.get("title") or f"Sheet{i + 1}",
                                       gp.get("rowCount", 1000), gp.get("columnCount", 26)))
            ss.reindex()
        return get_spreadsheet(ss, {})


def _json(body: bytes) -> Any:
    if not body:
        return {}
    try:
        return json.loads(body)
    except ValueError:
        raise ApiError(400, "Invalid JSON payload received.") from None


def _split_values(rest: str) -> tuple[str, str | None]:
    """``ID/values/...`` -> (ID, "/..."); ``ID`` or ``ID:batchUpdate`` -> (it, None)."""
    if "/values" in rest:
        sid, _, vpath = rest.partition("/values")
        return urllib.parse.unquote(sid), vpath
    return rest, None
