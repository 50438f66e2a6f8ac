"""The sync's subcommands: ``sync``, ``conflicts``, ``resolve``.

    app.py sync [--spreadsheet ID] [--endpoint URL] [--credentials FILE] [--allow-deletes] [--json]
    app.py conflicts [--json]
    app.py resolve KIND ID FIELD (--mine | --theirs | --value V)

Settings come from the options, else the environment (LEDGER_SPREADSHEET,
LEDGER_SHEETS_ENDPOINT; LEDGER_SCHOOL and --school name this ledger's
school), else the ``[sync]`` table of the configuration.  The demo ledger
with nothing configured syncs against a local emulator whose state file
sits beside the ledger, seeded with the district's two other schools.

Exit status of ``sync``: 0 when the sync completed (conflicts or not), 1
when it could not (the message says why), 2 when the mass-delete guard
stopped it before anything was written.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from domain.fields import FIELDS, KINDS, has_field
from domain.i18n import register, tr

register({
    "sync.cli.no_spreadsheet": ("没有设置要同步的表格：请用 --spreadsheet 指定表格 ID，或在配置文件 [sync] 中填写 spreadsheet",
                                "no spreadsheet to sync with: give --spreadsheet ID or set spreadsheet in [sync] of the configuration"),
    "sync.cli.no_credentials": ("没有设置凭据：请用 --credentials 指定服务账号密钥文件（或 OAuth 客户端文件），或在配置文件 [sync] 中填写 credentials",
                                "no credentials: give --credentials FILE (a service-account key or an OAuth client file) or set credentials in [sync]"),
    "sync.cli.demo": ("演示：与本机模拟的学区共享表格同步（{path}），无需 Google 账号",
                      "Demo: syncing with a local stand-in for the district sheet ({path}); no Google account needed"),
    "sync.cli.conflicts_hint": ("有 {n} 处冲突待处理：运行 app.py conflicts 查看，app.py resolve 处理",
                                "{n} open conflicts: see them with app.py conflicts, settle them with app.py resolve"),
    "sync.cli.no_conflicts": ("没有待处理的冲突", "no open conflicts"),
    "sync.cli.no_such_conflict": ("没有这处冲突：{kind} {id} {field}；运行 app.py conflicts 查看",
                                  "no such conflict: {kind} {id} {field}; see app.py conflicts"),
    "sync.cli.resolved": ("已处理冲突：{label} 取“{value}”（下次同步写入表格）",
                          "Conflict settled: {label} is now {value!r} (written to the sheet at the next sync)"),
    "sync.cli.bad": ("问题单元格：{message}", "bad cell: {message}"),
    "sync.cli.dup": ("重复编号：{tab} 表第 {rows} 行的编号都是 {id}；请删去多余的行，或清空复制行的编号（清空后会得到新编号）",
                     "duplicate id: rows {rows} of {tab} all have id {id}; delete the extra rows or clear the id of the copy (it then gets a new id)"),
    "sync.cli.formula": ("保留了公式：{message}", "formula kept: {message}"),
})


class SyncCommandError(Exception):
    pass


def add_sync_commands(sub) -> None:
    s = sub.add_parser("sync", help="sync with the district's shared Google Sheet",
                       description="sync with the district's shared Google Sheet (two-way)")
    s.add_argument("--spreadsheet", metavar="ID", help="the spreadsheet id (default: LEDGER_SPREADSHEET or [sync] spreadsheet)")
    s.add_argument("--endpoint", metavar="URL", help="a Sheets API emulator instead of Google (LEDGER_SHEETS_ENDPOINT)")
    s.add_argument("--credentials", metavar="FILE", help="service-account key or OAuth client file")
    s.add_argument("--allow-deletes", action="store_true",
                   help="go on although most synced records are missing from the sheet (they are deleted here)")
    s.add_argument("--json", action="store_true", help="print the result as JSON")
    s.set_defaults(func=cmd_sync)
    c = sub.add_parser("conflicts", help="list open sync conflicts (kind, id, field, mine, theirs, base)")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(func=cmd_conflicts)
    r = sub.add_parser("resolve", help="settle one conflict: keep mine, take theirs, or set a value")
    r.add_argument("kind", choices=KINDS, metavar="KIND")
    r.add_argument("id", metavar="ID")
    r.add_argument("field", metavar="FIELD", help="field name or its Chinese label")
    g = r.add_mutually_exclusive_group(required=True)
    g.add_argument("--mine", action="store_true", help="keep this ledger's value")
    g.add_argument("--theirs", action="store_true", help="take the sheet's value")
    g.add_argument("--value", metavar="V", help="set another value")
    r.set_defaults(func=cmd_resolve)


# ----------------------------------------------------------------- settings
def sync_settings(args, ledger) -> dict:
    cfg = ledger.config.sync or {}

    def pick(opt, env, key):
        value = getattr(args, opt, None) or os.environ.get(env) or cfg.get(key) or ""
        return str(value).strip()

    return {"spreadsheet": pick("spreadsheet", "LEDGER_SPREADSHEET", "spreadsheet"),
            "endpoint": pick("endpoint", "LEDGER_SHEETS_ENDPOINT", "endpoint"),
            "credentials": pick("credentials", "LEDGER_SHEETS_CREDENTIALS", "credentials")}


def open_gateway(settings: dict, lang: str = "zh"):
    from sync.gateway import connect

    if not settings["spreadsheet"]:
        raise SyncCommandError(tr("sync.cli.no_spreadsheet"))
    if settings["endpoint"]:
        return connect(settings["spreadsheet"], endpoint=settings["endpoint"], lang=lang)
    cred = settings["credentials"]
    if not cred:
        raise SyncCommandError(tr("sync.cli.no_credentials"))
    path = Path(os.path.expanduser(cred))
    try:
        head = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        head = {}
    if isinstance(head, dict) and ("installed" in head or "web" in head):
        return connect(settings["spreadsheet"], credentials="oauth", oauth_client_file=path, lang=lang)
    return connect(settings["spreadsheet"], credentials=str(path), lang=lang)


def is_demo(ledger, settings: dict) -> bool:
    return bool(ledger.meta().get("demo")) and not settings["spreadsheet"] and not settings["endpoint"]


# ----------------------------------------------------------------- commands
def _lang(args) -> str:
    from domain.i18n import language

    return language()


def cmd_sync(args, ledger) -> int:
    from sync.engine import SyncError, SyncStopped, record_failure, sync

    from sync.gateway import GatewayError

    settings = sync_settings(args, ledger)
    demo = None
    try:
        if is_demo(ledger, settings):
            from sync.demo_sheet import DemoSheet

            demo = DemoSheet(ledger.path, ledger.config)
            settings = {**settings, **demo.start()}
            print(tr("sync.cli.demo", path=demo.state_path), file=sys.stderr)
        gw = open_gateway(settings, _lang(args))
        result = sync(ledger, gw, allow_deletes=args.allow_deletes)
    except SyncStopped as exc:
        record_failure(ledger, str(exc))
        print(tr("cli.error", message=exc), file=sys.stderr)
        return 2
    except (SyncError, SyncCommandError, GatewayError) as exc:
        record_failure(ledger, str(exc))
        print(tr("cli.error", message=exc), file=sys.stderr)
        return 1
    finally:
        if demo is not None:
            demo.stop()
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(result.summary())
    for b in result.bad_cells:
        print(tr("sync.cli.bad", message=b.message()), file=sys.stderr)
    from sync.sheet_layout import TABS

    for kind, rid, rows in result.duplicates:
        print(tr("sync.cli.dup", tab=TABS[kind], rows="、".join(map(str, rows)), id=rid), file=sys.stderr)
    for f in result.formulas:
        print(tr("sync.cli.formula", message=f.message()), file=sys.stderr)
    if result.open_conflicts:
        print(tr("sync.cli.conflicts_hint", n=result.open_conflicts), file=sys.stderr)
    return 0


def open_conflicts(ledger) -> list[dict]:
    from sync.engine import CONFLICTS

    return sorted(ledger.kv_all(CONFLICTS).values(), key=lambda c: (c["kind"], c["id"], c["field"]))


def cmd_conflicts(args, ledger) -> int:
    items = open_conflicts(ledger)
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    if not items:
        print(tr("sync.cli.no_conflicts"))
        return 0
    from app import print_table

    rows = [["kind", "id", "field", "mine", "theirs", "base"]]
    for c in items:
        rows.append([c["kind"], c["id"], f"{c['label']}({c['field']})", c["mine"], c["theirs"],
                     "" if c["base"] is None else c["base"]])
    print_table(rows)
    return 0


def _field_name(kind: str, text: str) -> str:
    if has_field(kind, text):
        return text
    for f in FIELDS[kind]:
        if f.label == text:
            return f.name
    return text


def resolve_conflict(ledger, kind: str, rid: str, field: str, *, mine: bool = False, theirs: bool = False,
                     value: str | None = None) -> str:
    """Settle one conflict; returns the value now held.  Raises LookupError."""
    from sync.engine import CONFLICTS

    field = _field_name(kind, field)
    key = f"{kind}:{rid}:{field}"
    c = ledger.kv_get(CONFLICTS, key)
    if c is None:
        raise LookupError(tr("sync.cli.no_such_conflict", kind=kind, id=rid, field=field))
    chosen = c["mine"] if mine else c["theirs"] if theirs else value
    if not mine and ledger.get(kind, rid) is not None:
        ledger.edit(kind, rid, {field: chosen})  # a local change: the next sync writes it to the sheet
    with ledger.transaction() as tx:
        tx.kv_drop(CONFLICTS, key)
    return chosen


def cmd_resolve(args, ledger) -> int:
    chosen = resolve_conflict(ledger, args.kind, args.id, args.field, mine=args.mine, theirs=args.theirs,
                              value=args.value)
    field = _field_name(args.kind, args.field)
    label = next((f.label for f in FIELDS[args.kind] if f.name == field), field)
    print(tr("sync.cli.resolved", label=label, value=chosen))
    return 0
