"""工会台账: the full-screen ledger by default, and scriptable subcommands.

    app.py [--db PATH] add KIND FIELD=VALUE ...    prints the new id alone on its last line
    app.py [--db PATH] edit KIND ID FIELD=VALUE ...
    app.py [--db PATH] delete KIND ID
    app.py [--db PATH] show KIND ID [--json]
    app.py [--db PATH] list KIND [--json]
    app.py fields KIND [--json]

The command line is a contract other tools drive: keep its names.  Heavy
imports (Textual, gspread) happen inside the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from pathlib import Path

from domain.fields import FIELDS, KINDS
from domain.i18n import register, set_language, tr

register({
    "cli.description": ("工会台账：学校工会的会员、活动、慰问台账，可与学区共享表格双向同步。",
                        "Union ledger: a school union's members, events and visits, synced with the district's sheet."),
    "cli.added": ("已添加{kind}：{name}", "Added {kind}: {name}"),
    "cli.edited": ("已修改{kind}：{name}", "Changed {kind}: {name}"),
    "cli.unchanged": ("没有变化：{name}", "Nothing changed: {name}"),
    "cli.deleted": ("已删除{kind}：{name}", "Deleted {kind}: {name}"),
    "cli.bad_pair": ("参数 {arg} 应写成 字段=值，如 name=张三", "argument {arg} must be FIELD=VALUE, e.g. name=Zhang San"),
    "cli.error": ("错误：{message}", "error: {message}"),
    "cli.demo_made": ("已生成演示台账：{path}（{members} 名会员，{events} 项活动，{visits} 次慰问）",
                      "Made the demo ledger {path} ({members} members, {events} events, {visits} visits)"),
    "cli.count": ("共 {n} 条", "{n} records"),
    "cli.warning": ("注意：{message}", "warning: {message}"),
})

KIND_LABEL = {"member": ("会员", "member"), "event": ("活动", "event"), "visit": ("慰问", "visit")}
SUMMARY_FIELDS = {"member": ("name", "gender", "union_group", "employment", "status", "phone"),
                  "event": ("date", "title", "category", "recurrence"),
                  "visit": ("date", "member_name", "reason", "amount", "fund_source")}


def _kind_label(kind: str) -> str:
    from domain.i18n import language

    return KIND_LABEL[kind][0 if language() == "zh" else 1]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def print_table(rows: list[list[str]]) -> None:
    if not rows:
        return
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip())


def _pairs(kind: str, items: list[str]) -> dict[str, str]:
    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(tr("cli.bad_pair", arg=item))
        values[name.strip()] = value
    return values


def _record_json(kind: str, record: dict) -> dict:
    from domain.validation import format_record

    return {"id": record["id"], **format_record(kind, record), "school": record["school"],
            "created": record["created"], "updated": record["updated"]}


def _field_label(f) -> str:
    from domain.i18n import language

    return f.label if language() == "zh" else f.label_en


# ----- commands
def cmd_fields(args, _ledger) -> int:
    from domain.config import load_config
    from domain.validation import choices_for

    config = load_config(args.config)
    specs = [f.as_dict(choices_for(f, config)) for f in FIELDS[args.kind]]
    if args.json:
        print(json.dumps(specs, ensure_ascii=False, indent=2))
    else:
        print_table([[s["name"], _field_label(f), s["type"], "sync" if s["syncs"] else "local",
                      "/".join(s["choices"])] for s, f in zip(specs, FIELDS[args.kind])])
    return 0


def _warn_caps(kind: str, record: dict, ledger) -> None:
    """Allowance caps warn, never refuse: an approver may allow more."""
    if kind == "visit":
        from domain.caps import cap_warnings

        for message in cap_warnings(ledger.config, record, ledger.records("visit")):
            print(tr("cli.warning", message=message), file=sys.stderr)


def cmd_add(args, ledger) -> int:
    record = ledger.add(args.kind, _pairs(args.kind, args.values))
    _warn_caps(args.kind, record, ledger)
    print(tr("cli.added", kind=_kind_label(args.kind), name=_title(args.kind, record)))
    print(record["id"])
    return 0


def cmd_edit(args, ledger) -> int:
    before = ledger.require(args.kind, args.id)
    record = ledger.edit(args.kind, args.id, _pairs(args.kind, args.values))
    key = "cli.unchanged" if record is before else "cli.edited"
    if record is not before:
        _warn_caps(args.kind, record, ledger)
    print(tr(key, kind=_kind_label(args.kind), name=_title(args.kind, record)))
    return 0


def cmd_delete(args, ledger) -> int:
    record = ledger.delete(args.kind, args.id)
    print(tr("cli.deleted", kind=_kind_label(args.kind), name=_title(args.kind, record)))
    return 0


def cmd_show(args, ledger) -> int:
    record = _record_json(args.kind, ledger.require(args.kind, args.id))
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return 0
    labels = {f.name: _field_label(f) for f in FIELDS[args.kind]}
    print_table([[labels.get(k, k), v] for k, v in record.items() if v])
    return 0


def cmd_list(args, ledger) -> int:
    records = [_record_json(args.kind, r) for r in ledger.records(args.kind)]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    cols = SUMMARY_FIELDS[args.kind]
    labels = {f.name: _field_label(f) for f in FIELDS[args.kind]}
    print_table([["id", *(labels[c] for c in cols)]] + [[r["id"], *(r[c] for c in cols)] for r in records])
    print(tr("cli.count", n=len(records)))
    return 0


def cmd_history(args, ledger) -> int:
    entries = ledger.history(args.kind, args.id)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        print_table([[e["at"], e["field"], e["old"][:40], e["new"][:40], e["source"]] for e in entries])
    return 0


def cmd_make_demo(args, _ledger) -> int:
    from domain.demo import make_demo_ledger

    path = Path(args.db) if args.db else demo_path(large=args.large)
    counts = make_demo_ledger(path, large=args.large, seed=args.seed)
    print(tr("cli.demo_made", path=path, **counts))
    return 0


def _title(kind: str, record: dict) -> str:
    return record.get("name") or record.get("title") or \
        f"{record.get('member_name', '')} {record.get('date', '')}".strip()


def demo_path(large: bool = False) -> Path:
    from platformdirs import user_data_dir

    name = "demo-large.json" if large else "demo.json"
    return Path(user_data_dir("union-ledger", appauthor=False)) / name


def resolve_db(args) -> Path | None:
    if args.db:
        return Path(args.db)
    if args.demo:
        path = demo_path()
        if not path.exists():
            from domain.demo import make_demo_ledger

            make_demo_ledger(path)
        return path
    return None


def _global_options(p: argparse.ArgumentParser, default) -> None:
    """The options every command takes, before or after the command's name."""
    p.add_argument("--db", metavar="PATH", default=default,
                   help="ledger file (default: LEDGER_DB or the user data folder)")
    p.add_argument("--demo", action="store_true", default=default or False,
                   help="use the demo ledger, made on first use")
    p.add_argument("--lang", choices=("zh", "en"), default=default,
                   help="language of the interface (default zh)")
    p.add_argument("--config", type=Path, metavar="FILE", default=default,
                   help="configuration file (default: LEDGER_CONFIG)")
    p.add_argument("--school", metavar="NAME", default=default,
                   help="this ledger's school (default: LEDGER_SCHOOL)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="app.py", description=tr("cli.description"))
    _global_options(p, None)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    _add_parser = sub.add_parser
    sub.add_parser = lambda *a, **kw: _add_parser(*a, parents=[common], **kw)

    def kind_cmd(name, func, help_text, *, rid=False, values=False, json_flag=False):
        c = sub.add_parser(name, help=help_text, description=help_text)
        c.add_argument("kind", choices=KINDS, metavar="KIND", help="member, event or visit")
        if rid:
            c.add_argument("id", metavar="ID", help="the record's id (编号)")
        if values:
            c.add_argument("values", nargs="*", metavar="FIELD=VALUE",
                           help="fields to set; `app.py fields KIND` lists them")
        if json_flag:
            c.add_argument("--json", action="store_true", help="print JSON")
        c.set_defaults(func=func)
        return c

    kind_cmd("add", cmd_add, "add a record; prints the new id alone on its last line", values=True)
    kind_cmd("edit", cmd_edit, "change fields of a record", rid=True, values=True)
    kind_cmd("delete", cmd_delete, "delete a record (kept in the change history)", rid=True)
    kind_cmd("show", cmd_show, "show one record", rid=True, json_flag=True)
    kind_cmd("list", cmd_list, "list records; --json: an array of objects with id and the fields",
             json_flag=True)
    kind_cmd("history", cmd_history, "a record's change history (when, field, old, new)", rid=True,
             json_flag=True)
    f = kind_cmd("fields", cmd_fields, "each field's name, Chinese label, type, whether it syncs",
                 json_flag=True)
    f.set_defaults(needs_ledger=False)
    d = sub.add_parser("make-demo", help="make a demo ledger (--large: 10,000 members for benchmarks)")
    d.add_argument("--large", action="store_true")
    d.add_argument("--seed", type=int, default=2025)
    d.set_defaults(func=cmd_make_demo, needs_ledger=False)
    try:
        from sync.cli import add_sync_commands
    except ImportError:
        pass
    else:
        add_sync_commands(sub)
    return p


def _language(argv: list[str]) -> str:
    """--lang, else LEDGER_LANG, else the configuration's setting, else Chinese.

    Decided before parsing, so that --help speaks it too."""
    if "--lang" in argv[:-1] and argv[argv.index("--lang") + 1] in ("zh", "en"):
        return argv[argv.index("--lang") + 1]
    env = os.environ.get("LEDGER_LANG", "")
    if env in ("zh", "en"):
        return env
    try:
        from domain.config import load_config

        config_arg = argv[argv.index("--config") + 1] if "--config" in argv[:-1] else None
        lang = load_config(Path(config_arg) if config_arg else None).language
    except (ValueError, OSError):
        return "zh"  # a broken config is reported by the command itself
    return lang if lang in ("zh", "en") else "zh"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_language(_language(argv))
    args = build_parser().parse_args(argv)
    from domain.config import ConfigError, load_config
    from domain.journal import CorruptLedger
    from domain.store import Ledger, LedgerBusy, NotFound

    try:
        if args.command is None:
            return run_tui(args)
        if not getattr(args, "needs_ledger", True):
            return args.func(args, None)
        with Ledger.open(resolve_db(args), config=load_config(args.config), school=args.school) as ledger:
            return args.func(args, ledger)
    except (ValueError, NotFound, LedgerBusy, CorruptLedger, ConfigError, LookupError) as exc:
        print(tr("cli.error", message=exc), file=sys.stderr)
        return 1


def run_tui(args) -> int:
    from tui.app import run  # Textual is imported only here

    return run(db=resolve_db(args), config_path=args.config, school=args.school)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `app.py list member | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
