"""The sync capability, as both faces call it: run, conflicts, resolve, status.

The settings (spreadsheet, endpoint, credentials, language) come from the
one ``Settings`` of the run.  The demo ledger with no sheet configured syncs
against a local emulator whose state sits beside the ledger.  Failures are
recorded as the last sync's status and raised as ``UserError``s (the
engine's ``SyncError``/``SyncStopped``, the gateway's ``GatewayError``, or
``SyncSetupError`` here), so a face shows ``str(exc)``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from domain.errors import UserError
from domain.fields import FIELDS, has_field
from domain.i18n import register, tr
from domain.settings import Settings

register({
    "sync.cli.no_spreadsheet": ("没有设置要同步的表格：请用 --spreadsheet 指定表格 ID，或在配置文件 [sync] 中填写 spreadsheet",
                                "no spreadsheet to sync with: give --spreadsheet ID or set spreadsheet in [sync] of the configuration"),
    "sync.cli.no_credentials": ("没有设置凭据：请用 --credentials 指定服务账号密钥文件（或 OAuth 客户端文件），或在配置文件 [sync] 中填写 credentials",
                                "no credentials: give --credentials FILE (a service-account key or an OAuth client file) or set credentials in [sync]"),
    "sync.cli.no_such_conflict": ("没有这处冲突：{kind} {id} {field}；运行 app.py conflicts 查看",
                                  "no such conflict: {kind} {id} {field}; see app.py conflicts"),
})


class SyncSetupError(UserError):
    """The sync cannot start: no spreadsheet, no credentials."""


class NoSuchConflict(UserError, LookupError):
    pass


def is_demo(ledger, settings: Settings) -> bool:
    return bool(ledger.meta().get("demo")) and not settings.spreadsheet and not settings.endpoint


def open_gateway(settings: Settings, *, spreadsheet: str | None = None, endpoint: str | None = None):
    """Connect to the sheet the settings name (imports gspread: call it off the UI thread)."""
    from sync.gateway import connect

    spreadsheet = spreadsheet or settings.spreadsheet
    endpoint = endpoint or settings.endpoint
    if not spreadsheet:
        raise SyncSetupError(tr("sync.cli.no_spreadsheet"))
    if endpoint:
        return connect(spreadsheet, endpoint=endpoint)
    if not settings.credentials:
        raise SyncSetupError(tr("sync.cli.no_credentials"))
    path = Path(os.path.expanduser(settings.credentials))
    if _is_oauth_client(path):
        return connect(spreadsheet, credentials="oauth", oauth_client_file=path)
    return connect(spreadsheet, credentials=str(path))


def _is_oauth_client(path: Path) -> bool:
    try:
        head = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return False
    return isinstance(head, dict) and ("installed" in head or "web" in head)


HELD = "held_after_restore"  # in a result's extra: the sync ran as a dry run, waiting for a yes


def run_sync(ledger, settings: Settings, *, mode: str = "sync", confirm_restore: bool = False, **options):
    """The sync (see ``_run`` for the options).  After a restore the ledger may
    hold less than the sheet: the first sync then only previews (a dry run,
    its result's ``extra[HELD]`` set) until it is run with ``confirm_restore``."""
    from domain.backup_policy import clear_restored_marker, restored_marker

    restored = restored_marker(ledger)
    if restored is not None and mode != "dry-run" and not confirm_restore:
        result = _run(ledger, settings, mode="dry-run", **options)
        result.extra[HELD] = restored
        return result
    result = _run(ledger, settings, mode=mode, **options)
    if restored is not None and mode != "dry-run":
        (options.get("run_local") or (lambda fn: fn()))(lambda: clear_restored_marker(ledger))
    return result


def _run(ledger, settings: Settings, *, allow_deletes: bool = False,
         progress: Callable[[str, float], None] | None = None, run_local=None, on_demo=None, mode: str = "sync",
         in_child: bool = False):
    """The whole sync, the demo sheet included.  Records a failure as the last
    sync's status, then raises it.  ``on_demo(path)`` is told when the demo
    sheet stands in for the district's.  ``mode``: "sync", "dry-run" or
    "restore-sheet" (sync.engine).  ``in_child``: the work runs in a child
    process (sync.child_sync), the ledger's commits come back through
    ``run_local``: for a screen that must stay responsive."""
    from sync.engine import record_failure, sync

    demo = None
    run_local = run_local or (lambda fn: fn())
    try:
        if in_child:
            from sync.child_sync import run_in_child

            hooks = {"progress": progress, "run_local": run_local, "on_demo": on_demo, "open_gateway": open_gateway}
            return run_in_child(ledger, settings, mode=mode, allow_deletes=allow_deletes,
                                demo=is_demo(ledger, settings), hooks={k: v for k, v in hooks.items() if v})
        target = {}
        if is_demo(ledger, settings):
            from sync.demo_sheet import DemoSheet

            demo = DemoSheet(ledger.path, ledger.config)
            target = demo.start()
            if on_demo is not None:
                on_demo(demo.state_path)
        gw = open_gateway(settings, **target)
        return sync(ledger, gw, allow_deletes=allow_deletes, progress=progress, run_local=run_local, mode=mode)
    except UserError as exc:
        run_local(lambda: record_failure(ledger, str(exc)))
        raise
    finally:
        if demo is not None:
            demo.stop()


def open_conflicts(ledger) -> list[dict]:
    from sync.engine import CONFLICTS

    return sorted(ledger.kv_all(CONFLICTS).values(), key=lambda c: (c["kind"], c["id"], c["field"]))


def field_name(kind: str, text: str) -> str:
    """A field given by its name or its Chinese label."""
    if has_field(kind, text):
        return text
    return next((f.name for f in FIELDS[kind] if f.label == text), text)


def resolve_conflict(ledger, kind: str, rid: str, field: str, *, mine: bool = False, theirs: bool = False,
                     value: str | None = None) -> str:
    """Settle one conflict; returns the value now held.  Raises NoSuchConflict."""
    from sync.engine import CONFLICTS

    field = field_name(kind, field)
    key = f"{kind}:{rid}:{field}"
    c = ledger.kv_get(CONFLICTS, key)
    if c is None:
        raise NoSuchConflict(tr("sync.cli.no_such_conflict", kind=kind, id=rid, field=field))
    chosen = c["mine"] if mine else c["theirs"] if theirs else value
    if not mine and ledger.get(kind, rid) is not None:
        ledger.edit(kind, rid, {field: chosen})  # a local change: the next sync writes it to the sheet
    with ledger.transaction() as tx:
        tx.kv_drop(CONFLICTS, key)
    return chosen


def sync_status(ledger) -> dict:
    """The last sync's outcome, open conflicts and changes waiting."""
    from sync.engine import CONFLICTS, last_sync, pending_changes

    return {"last": last_sync(ledger), "conflicts": len(ledger.kv_all(CONFLICTS)),
            "pending": pending_changes(ledger)}


def open_problems(ledger) -> list[dict]:
    """The sheet's problems the last sync found, kept until a sync finds them settled."""
    from sync.problems import open_problems as stored

    return stored(ledger)


def deleted_records(ledger, limit: int = 500) -> list[dict]:
    """Records deleted here or by a sync that are still gone, newest first:
    kind, id, the record as it was (local-only fields included), when, by what."""
    import orjson
    from tinydb import where

    gone = ledger.db.table("history").search((where("field") == "*") & (where("new") == "deleted"))
    seen, out = set(), []
    for entry in sorted(gone, key=lambda e: e["at"], reverse=True):
        key = (entry["kind"], entry["id"])
        if key in seen or ledger.get(*key) is not None or not entry.get("old"):
            continue
        seen.add(key)
        out.append({"kind": entry["kind"], "id": entry["id"], "at": entry["at"], "source": entry["source"],
                    "record": orjson.loads(entry["old"])})
        if len(out) >= limit:
            break
    return out


def undelete(ledger, kind: str, rid: str) -> dict:
    from sync.recovery import undelete as bring_back

    return bring_back(ledger, kind, rid)
