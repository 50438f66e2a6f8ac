"""The few Drive v3 calls gspread makes: create a spreadsheet file, list
files (optionally by name), get one, delete one."""

from __future__ import annotations

import urllib.parse
from typing import Any, Callable

from .masks import apply_mask, parse_mask
from .model import ApiError, Spreadsheet

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"


def drive(spreadsheets: dict[str, Spreadsheet], create: Callable[[str], Spreadsheet],
          request: tuple[str, str, dict[str, str], Any]) -> tuple[int, Any]:
    """``request`` is (method, path after /drive/v3/files, query, JSON body)."""
    method, rest, q, data = request
    rest = rest.strip("/")
    if rest == "" and method == "POST":
        ss = create(data.get("name") or "Untitled spreadsheet")
        return 200, {"kind": "drive#file", "id": ss.id, "name": ss.props["title"], "mimeType": SPREADSHEET_MIME}
    if rest == "" and method == "GET":
        return 200, _masked(_list_files(spreadsheets, q.get("q", "")), q)
    if rest:
        fid = urllib.parse.unquote(rest.split("/")[0])
        ss = spreadsheets.get(fid)
        if ss is None or ss.deleted:
            raise ApiError(404, f"File not found: {fid}.", "NOT_FOUND")
        if method == "DELETE":
            ss.deleted = True
            return 204, None
        if method == "GET" and "/" not in rest:
            return 200, _masked(_file(ss), q)
    raise ApiError(404, "Not Found", "NOT_FOUND")


def _masked(out: dict, q: dict[str, str]) -> dict:
    fields = q.get("fields")
    return apply_mask(out, parse_mask(fields)) if fields else out


def _list_files(spreadsheets: dict[str, Spreadsheet], query: str) -> dict:
    """files.list, newest first; understands only ``name = "..."``."""
    want_name = None
    if " name = " in query or "name =" in query:
        want_name = query.split("name", 1)[1].split("=", 1)[1].strip()
        if want_name.startswith('"') and want_name.endswith('"'):
            want_name = want_name[1:-1].replace('\\"', '"')
    files = [_file(ss) for ss in sorted(spreadsheets.values(), key=lambda s: s.modified, reverse=True)
             if not ss.deleted and (want_name is None or ss.props["title"] == want_name)]
    return {"kind": "drive#fileList", "files": files}


def _file(ss: Spreadsheet) -> dict:
    return {"kind": "drive#file", "id": ss.id, "name": ss.props["title"], "mimeType": SPREADSHEET_MIME,
            "createdTime": ss.created, "modifiedTime": ss.modified}
