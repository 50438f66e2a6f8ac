"""HTTP controls under ``/_emulator/``, for an emulator run as its own
process: counts, faults, quota, and the staff's direct edits."""

from __future__ import annotations

from typing import Any

from .model import ApiError

CONTROL_PREFIX = "/_emulator"


def _error(code: int, message: str, status: str) -> dict:
    return {"error": {"code": code, "message": message, "status": status}}


def control(emu: Any, method: str, path: str, data: dict) -> tuple[int, Any]:
    """Answer one control request as (status, JSON)."""
    op = path[len(CONTROL_PREFIX):].strip("/")
    try:
        return _run(emu, method, op, data)
    except ApiError as e:
        return e.code, e.body()
    except (KeyError, IndexError, ValueError, TypeError) as e:
        return 400, _error(400, f"bad control request: {e}", "INVALID_ARGUMENT")


def _run(emu: Any, method: str, op: str, data: dict) -> tuple[int, Any]:
    if op == "counts" and method == "GET":
        return 200, emu.counts
    if op == "counts/reset":
        emu.reset_counts()
        return 200, emu.counts
    if op == "faults" and method == "DELETE":
        emu.clear_faults()
        return 200, {}
    if op == "faults":
        emu.inject(data["kind"], data.get("count", 1), status=data.get("status"), delay=data.get("delay", 0.0),
                   methods=data.get("methods", "any"))
        return 200, {}
    if op == "quota":
        emu.quota = bool(data.get("enabled", True))
        return 200, {"enabled": emu.quota}
    if op == "spreadsheets":
        return 200, {"id": emu.create_spreadsheet(data.get("title", "Untitled spreadsheet"), data.get("tabs"))}
    return _staff(emu, op, data.get("spreadsheetId"), data.get("tab"), data)


def _staff(emu: Any, op: str, sid: str, tab: str, data: dict) -> tuple[int, Any]:
    if op == "set_cell":
        emu.set_cell(sid, tab, data["cell"], data["value"])
    elif op == "insert_row":
        emu.insert_row(sid, tab, data["row"], data.get("values"))
    elif op == "delete_row":
        emu.delete_row(sid, tab, data["row"])
    elif op == "sort":
        emu.sort_tab(sid, tab, data["column"], data.get("ascending", True), data.get("header_rows", 1))
    elif op == "add_column":
        return 200, {"column": emu.add_column(sid, tab, data["header"])}
    elif op == "paste_row_copy":
        return 200, {"row": emu.paste_row_copy(sid, tab, data["row"])}
    elif op == "values":
        return 200, {"values": emu.values(sid, tab)}
    else:
        return 404, _error(404, f"unknown control {op}", "NOT_FOUND")
    return 200, {}
