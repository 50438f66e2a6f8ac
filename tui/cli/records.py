"""add, edit, delete, show, list, history, fields: one record at a time.

    app.py add KIND FIELD=VALUE ...    prints the new id alone on its last line
    app.py edit KIND ID FIELD=VALUE ...
    app.py delete KIND ID
    app.py show KIND ID [--json]
    app.py list KIND [--json]
    app.py history KIND ID [--json]
    app.py fields KIND [--json]
"""

from __future__ import annotations

from domain.errors import UserError
from domain.fields import FIELDS, KINDS
from domain.i18n import keys, register, tr
from tui.cli.output import (field_label, field_labels, kind_label, print_json, print_table, record_json, say,
                            title, warn)

register({
    "cli.added": ("已添加{kind}：{name}", "Added {kind}: {name}"),
    "cli.edited": ("已修改{kind}：{name}", "Changed {kind}: {name}"),
    "cli.unchanged": ("没有变化：{name}", "Nothing changed: {name}"),
    "cli.deleted": ("已删除{kind}：{name}", "Deleted {kind}: {name}"),
    "cli.bad_pair": ("参数 {arg} 应写成 字段=值，如 name=张三", "argument {arg} must be FIELD=VALUE, e.g. name=Zhang San"),
    "cli.count": ("共 {n} 条", "{n} records"),
    "cli.label.id": ("编号", "id"),
    "cli.label.school": ("学校", "school"),
    "cli.label.created": ("建立时间", "created"),
    "cli.label.updated": ("修改时间", "updated"),
    "cli.strict_refused": ("因 --strict 未保存：请先处理上面的注意事项，或去掉 --strict 后再保存",
                           "not saved because of --strict: settle the warnings above, or save without --strict"),
    "cli.help.strict": ("有注意事项（超过上限、疑似重复）时不保存，退出码 3",
                        "refuse to save when there is a warning (over a cap, a likely duplicate): exit status 3"),
    "cli.help.json_saved": ("输出 JSON：编号、记录和注意事项", "print JSON: the id, the record and the warnings"),
    "cli.help.add": ("添加一条记录；最后一行单独打印新编号", "add a record; prints the new id alone on its last line"),
    "cli.help.edit": ("修改一条记录的字段", "change fields of a record"),
    "cli.help.delete": ("删除一条记录（变更历史中仍可查）", "delete a record (kept in the change history)"),
    "cli.help.show": ("显示一条记录", "show one record"),
    "cli.help.list": ("列出记录；--json 输出对象数组（编号和各字段）",
                      "list records; --json: an array of objects with id and the fields"),
    "cli.help.history": ("一条记录的变更历史（时间、字段、原值、新值）",
                         "a record's change history (when, field, old, new)"),
    "cli.help.fields": ("每个字段的名称、中文标签、类型、是否同步",
                        "each field's name, Chinese label, type, whether it syncs"),
    "cli.help.kind": ("member（会员）、event（活动）或 visit（慰问）", "member, event or visit"),
    "cli.help.id": ("记录的编号", "the record's id (编号)"),
    "cli.help.values": ("要设置的字段；app.py fields KIND 列出全部字段", "fields to set; `app.py fields KIND` lists them"),
    "cli.help.json": ("输出 JSON", "print JSON"),
    "cli.sync": ("同步", "sync"),
    "cli.history.head": ("时间|字段|原值|新值|来源", "when|field|old|new|source"),
    "cli.history.created": ("建立", "created"),
    "cli.history.deleted": ("删除", "deleted"),
    "cli.history.whole": ("整条记录", "whole record"),
    "cli.source.local": ("本机", "here"),
    "cli.source.sync": ("表格同步", "sheet sync"),
    "cli.source.undo": ("撤销", "undo"),
    "cli.source.import": ("导入", "import"),
    "cli.source.demo": ("演示数据", "demo data"),
    "cli.local": ("本地", "local"),
})

SUMMARY_FIELDS = {"member": ("name", "gender", "union_group", "employment", "status", "phone"),
                  "event": ("date", "title", "category", "recurrence"),
                  "visit": ("date", "member_name", "reason", "amount", "fund_source")}


class BadArgument(UserError, ValueError):
    pass


def pairs(items: list[str]) -> dict[str, str]:
    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise BadArgument(tr("cli.bad_pair", arg=item))
        values[name.strip()] = value
    return values


STRICT_REFUSED = 3  # exit status: --strict and a warning (over a cap, a likely duplicate); nothing written


def _checked(args, ctx, rid: str | None = None):
    """The checks before the save; prints the warnings.  None: --strict refused."""
    from domain.checks import check_save  # one implementation for both faces (the form uses it too)

    check = check_save(ctx.ledger, args.kind, pairs(args.values), rid)
    for message in check.warnings:
        warn(message)
    if check.warnings and args.strict:
        say(tr("cli.strict_refused"), err=True)
        return None
    return check


def _report(args, key: str, record: dict, warnings: list[str]) -> None:
    if args.json:
        print_json({"id": record["id"], "record": record_json(args.kind, record), "warnings": warnings})
        return
    say(tr(key, kind=kind_label(args.kind), name=title(record)))


def cmd_add(args, ctx) -> int:
    check = _checked(args, ctx)
    if check is None:
        return STRICT_REFUSED
    record = ctx.ledger.add(args.kind, pairs(args.values))
    _report(args, "cli.added", record, check.warnings)
    if not args.json:
        say(record["id"])
    return 0


def cmd_edit(args, ctx) -> int:
    before = ctx.ledger.require(args.kind, args.id)
    check = _checked(args, ctx, args.id)
    if check is None:
        return STRICT_REFUSED
    record = ctx.ledger.edit(args.kind, args.id, pairs(args.values))
    _report(args, "cli.unchanged" if record is before else "cli.edited", record, check.warnings)
    return 0


def cmd_delete(args, ctx) -> int:
    record = ctx.ledger.delete(args.kind, args.id)
    say(tr("cli.deleted", kind=kind_label(args.kind), name=title(record)))
    return 0


def cmd_show(args, ctx) -> int:
    record = record_json(args.kind, ctx.ledger.require(args.kind, args.id))
    if args.json:
        print_json(record)
        return 0
    labels = {**field_labels(args.kind), "id": tr("cli.label.id"), "school": tr("cli.label.school"),
              "created": tr("cli.label.created"), "updated": tr("cli.label.updated")}
    print_table([[labels.get(k, k), v] for k, v in record.items() if v])
    return 0


def cmd_list(args, ctx) -> int:
    records = [record_json(args.kind, r) for r in ctx.ledger.records(args.kind)]
    if args.json:
        print_json(records)
        return 0
    cols = SUMMARY_FIELDS[args.kind]
    labels = field_labels(args.kind)
    print_table([["id", *(labels[c] for c in cols)]] + [[r["id"], *(r[c] for c in cols)] for r in records])
    say(tr("cli.count", n=len(records)))
    return 0


def cmd_history(args, ctx) -> int:
    entries = ctx.ledger.history(args.kind, args.id)
    if args.json:
        print_json(entries)
        return 0
    labels = field_labels(args.kind)
    print_table([tr("cli.history.head").split("|"),
                 *[[e["at"], labels.get(e["field"], tr("cli.history.whole") if e["field"] == "*" else e["field"]),
                    _history_value(e["old"]), _history_value(e["new"]), _source_label(e["source"])]
                   for e in entries]])
    return 0


def _history_value(text: str) -> str:
    if text in ("created", "deleted"):
        return tr(f"cli.history.{text}")
    return text if len(text) <= 40 else text[:39] + "…"  # a whole deleted record: `--json` has it all


def _source_label(source: str) -> str:
    key = f"cli.source.{source}"
    return tr(key) if key in keys() else source


def cmd_fields(args, ctx) -> int:
    from domain.validation import choices_for

    specs = [f.as_dict(choices_for(f, ctx.settings.config)) for f in FIELDS[args.kind]]
    if args.json:
        print_json(specs)
    else:
        print_table([[s["name"], field_label(f), s["type"], tr("cli.sync") if s["syncs"] else tr("cli.local"),
                      "/".join(s["choices"])] for s, f in zip(specs, FIELDS[args.kind])])
    return 0


def register(sub) -> None:
    def kind_cmd(name, func, *, rid=False, values=False, json_flag=False, read_only=False):
        c = sub.add_parser(name, help=tr(f"cli.help.{name}"), description=tr(f"cli.help.{name}"))
        c.add_argument("kind", choices=KINDS, metavar="KIND", help=tr("cli.help.kind"))
        if rid:
            c.add_argument("id", metavar="ID", help=tr("cli.help.id"))
        if values:
            c.add_argument("values", nargs="*", metavar="FIELD=VALUE", help=tr("cli.help.values"))
        if json_flag:
            c.add_argument("--json", action="store_true", help=tr("cli.help.json"))
        c.set_defaults(func=func, read_only=read_only)
        return c

    for saving in (kind_cmd("add", cmd_add, values=True), kind_cmd("edit", cmd_edit, rid=True, values=True)):
        saving.add_argument("--strict", action="store_true", help=tr("cli.help.strict"))
        saving.add_argument("--json", action="store_true", help=tr("cli.help.json_saved"))
    kind_cmd("delete", cmd_delete, rid=True)
    kind_cmd("show", cmd_show, rid=True, json_flag=True, read_only=True)
    kind_cmd("list", cmd_list, json_flag=True, read_only=True)
    kind_cmd("history", cmd_history, rid=True, json_flag=True, read_only=True)
    kind_cmd("fields", cmd_fields, json_flag=True).set_defaults(needs_ledger=False)
