"""spreadsheets.batchUpdate: each request mutates a working copy of the
spreadsheet; the copy is adopted only if every request succeeded (Google
applies a batchUpdate atomically). The requests live in ``batch_sheets``,
``batch_dimensions`` and ``batch_cells``."""

from __future__ import annotations

import functools
from typing import Any, Callable

from .batch_cells import HANDLERS as CELL_REQUESTS, add_protected_range
from .batch_dimensions import HANDLERS as DIMENSION_REQUESTS
from .batch_sheets import HANDLERS as SHEET_REQUESTS
from .model import ApiError, Spreadsheet, bad
from .spreadsheet_get import get_spreadsheet

HANDLERS: dict[str, Callable[[Spreadsheet, dict], dict]] = {**SHEET_REQUESTS, **DIMENSION_REQUESTS, **CELL_REQUESTS}


def _handler(kind: str, user_email: str) -> Callable[[Spreadsheet, dict], dict]:
    if kind == "addProtectedRange":
        return functools.partial(add_protected_range, editor=user_email)
    fn = HANDLERS.get(kind)
    if fn is None:
        raise ApiError(400, f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[0]': "
                       "Cannot find field.")
    return fn


def batch_update(user_email: str, ss: Spreadsheet, data: dict) -> dict:
    """Apply ``data["requests"]`` all or nothing; ``user_email`` is the
    caller (protected ranges list it as an editor)."""
    work = ss.clone()
    replies = []
    for i, req in enumerate(data.get("requests") or []):
        if not isinstance(req, dict) or len(req) != 1:
            raise bad(f"Invalid requests[{i}]: No request set.")
        (kind, body), = req.items()
        replies.append(_apply(i, kind, lambda: _handler(kind, user_email)(work, body or {})))
    ss.adopt(work)
    out: dict[str, Any] = {"spreadsheetId": ss.id, "replies": replies}
    if str(data.get("includeSpreadsheetInResponse", "false")).lower() == "true":
        out["updatedSpreadsheet"] = get_spreadsheet(ss, {})
    return out


def _apply(i: int, kind: str, run: Callable[[], dict]) -> dict:
    """Run request ``i``; its errors name it as Google's do."""
    try:
        return run()
    except ApiError as e:
        if e.message.startswith(("Invalid requests[", "Invalid JSON")) or e.code != 400:
            raise
        raise bad(f"Invalid requests[{i}].{kind}: {e.message}") from None
    except KeyError as e:
        raise bad(f"Invalid requests[{i}].{kind}: missing field {e}") from None
