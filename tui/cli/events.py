"""attend, occurrences: an event's occurrences one by one.

    app.py attend EVENT_ID DATE MEMBER_ID ... [--remove]
    app.py occurrences EVENT_ID [--from D] [--to D] [--json]   # date, cancelled, moved_to, attendees

DATE names the occurrence by its series date (a moved occurrence keeps it).
"""

from __future__ import annotations

import datetime as dt

from domain.dates import parse_date
from domain.errors import UserError
from domain.i18n import register, tr
from tui.cli.output import print_json, print_table, say

register({
    "cli.help.attend": ("记录某次活动的参加人（DATE 为这一次的日期）", "record who attended one occurrence (DATE names it)"),
    "cli.help.occurrences": ("列出活动的各次：日期、是否取消、改到哪天、参加人",
                             "list an event's occurrences: date, cancelled, moved_to, attendees"),
    "cli.help.event_id": ("活动的编号", "the event's id"),
    "cli.help.occ_date": ("这一次的日期，如 2025-10-29", "the occurrence's date, e.g. 2025-10-29"),
    "cli.help.member_ids": ("会员编号", "member ids"),
    "cli.help.remove": ("从这一次的参加人中去掉这些会员", "remove these members from the occurrence"),
    "cli.help.from": ("从这一天起（默认：活动开始日）", "from this day (default: the event's first date)"),
    "cli.help.to": ("到这一天止（默认：今天起一年后）", "up to this day (default: a year from today)"),
    "cli.attended": ("“{title}” {date} 参加人：{n} 人", "“{title}” on {date}: {n} attended"),
    "cli.occ.head": ("日期|已取消|改到|时间|地点|参加人数", "date|cancelled|moved to|time|place|attendees"),
    "cli.occ.yes": ("是", "yes"),
    "cli.bad_date": ("{option}：{error}", "{option}: {error}"),
})


class BadDate(UserError, ValueError):
    pass


def _date(text: str, option: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise BadDate(tr("cli.bad_date", option=option, error=exc)) from None


def cmd_attend(args, ctx) -> int:
    from domain.occurrences import attend, attendees_of

    day = _date(args.date, "DATE")
    saved = attend(ctx.ledger, args.event_id, day, args.member_ids, remove=args.remove)
    say(tr("cli.attended", title=saved.get("title", ""), date=day.isoformat(), n=len(attendees_of(saved, day))))
    return 0


def cmd_occurrences(args, ctx) -> int:
    from domain.occurrences import event_occurrence_list

    event = ctx.ledger.require("event", args.event_id)
    start = _date(args.start, "--from") if args.start else dt.date.fromisoformat(event["date"])
    end = _date(args.end, "--to") if args.end else dt.date.today() + dt.timedelta(days=366)
    found = event_occurrence_list(event, start, end)
    if args.json:
        print_json([o.as_dict() for o in found])
        return 0
    rows = [tr("cli.occ.head").split("|")]
    for o in found:
        time = "-".join(t for t in (o.start_time, o.end_time) if t)
        rows.append([o.series_date.isoformat(), tr("cli.occ.yes") if o.cancelled else "",
                     o.date.isoformat() if o.moved else "", time, o.location, str(len(o.attendees))])
    print_table(rows)
    return 0


def register(sub) -> None:
    c = sub.add_parser("attend", help=tr("cli.help.attend"), description=tr("cli.help.attend"))
    c.add_argument("event_id", metavar="EVENT_ID", help=tr("cli.help.event_id"))
    c.add_argument("date", metavar="DATE", help=tr("cli.help.occ_date"))
    c.add_argument("member_ids", nargs="+", metavar="MEMBER_ID", help=tr("cli.help.member_ids"))
    c.add_argument("--remove", action="store_true", help=tr("cli.help.remove"))
    c.set_defaults(func=cmd_attend, read_only=False)

    c = sub.add_parser("occurrences", help=tr("cli.help.occurrences"), description=tr("cli.help.occurrences"))
    c.add_argument("event_id", metavar="EVENT_ID", help=tr("cli.help.event_id"))
    c.add_argument("--from", dest="start", metavar="D", help=tr("cli.help.from"))
    c.add_argument("--to", dest="end", metavar="D", help=tr("cli.help.to"))
    c.add_argument("--json", action="store_true", help=tr("cli.help.json"))
    c.set_defaults(func=cmd_occurrences, read_only=True)
