"""The emulator's state as a JSON file: written atomically (temp file,
fsync, rename) after each write, loaded on start."""

from __future__ import annotations

import json
import os
import tempfile

from .model import Sheet, Spreadsheet
from .values import Cell

VERSION = 1


def save_state(spreadsheets: dict[str, Spreadsheet], path: str) -> None:
    data = state_json(spreadsheets)
    fd, tmp = tempfile.mkstemp(prefix=".emulator-", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def state_json(spreadsheets: dict[str, Spreadsheet]) -> dict:
    out = []
    for ss in spreadsheets.values():
        out.append({
            "id": ss.id, "props": ss.props, "named_ranges": ss.named_ranges, "created": ss.created,
            "modified": ss.modified, "deleted": ss.deleted,
            "sheets": [{
                "props": sh.props, "protected": sh.protected, "validations": sh.validations,
                "formats": sh.formats, "row_sizes": sh.row_sizes, "col_sizes": sh.col_sizes, "extra": sh.extra,
                "rows": [[list(c) if c is not None else None for c in row] for row in sh.rows],
            } for sh in ss.sheets],
        })
    return {"version": VERSION, "spreadsheets": out}


def load_state(path: str) -> dict[str, Spreadsheet]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = {}
    for sd in data.get("spreadsheets", []):
        ss = Spreadsheet.__new__(Spreadsheet)
        ss.id = sd["id"]
        ss.props = sd["props"]
        ss.named_ranges = sd.get("named_ranges", [])
        ss.created = sd.get("created")
        ss.modified = sd.get("modified")
        ss.deleted = sd.get("deleted", False)
        ss.sheets = [_load_sheet(shd) for shd in sd["sheets"]]
        out[ss.id] = ss
    return out


def _load_sheet(shd: dict) -> Sheet:
    sh = Sheet.__new__(Sheet)
    sh.props = shd["props"]
    sh.protected = shd.get("protected", [])
    sh.validations = shd.get("validations", [])
    sh.formats = shd.get("formats", [])
    sh.row_sizes = {int(k): v for k, v in shd.get("row_sizes", {}).items()}
    sh.col_sizes = {int(k): v for k, v in shd.get("col_sizes", {}).items()}
    sh.extra = shd.get("extra", {})
    sh.rows = [[Cell(*c) if c is not None else None for c in row] for row in shd.get("rows", [])]
    return sh
