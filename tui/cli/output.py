"""Plain-text and JSON output of the command line."""

from __future__ import annotations

import json
import sys

from domain.fields import FIELDS
from domain.i18n import language, register, tr
from domain.printable import clip, display_width, printable  # noqa: F401  (clip: the list commands take it from here)
from domain.validation import format_record

register({
    "cli.kind.member": ("会员", "member"),
    "cli.kind.event": ("活动", "event"),
    "cli.kind.visit": ("慰问", "visit"),
    "cli.error": ("错误：{message}", "error: {message}"),
    "cli.warning": ("注意：{message}", "warning: {message}"),
})


def kind_label(kind: str) -> str:
    return tr(f"cli.kind.{kind}")


def field_label(f) -> str:
    return f.label if language() == "zh" else f.label_en


def field_labels(kind: str) -> dict[str, str]:
    return {f.name: field_label(f) for f in FIELDS[kind]}


def title(record: dict) -> str:
    return record.get("name") or record.get("title") or \
        f"{record.get('member_name', '')} {record.get('date', '')}".strip()


def record_json(kind: str, record: dict) -> dict:
    return {"id": record["id"], **format_record(kind, record), "school": record["school"],
            "created": record["created"], "updated": record["updated"]}


def say(text: str, *, err: bool = False) -> None:
    """One line of plain text; control characters never reach the terminal raw."""
    print(printable(str(text)), file=sys.stderr if err else sys.stdout)


def error(message: str) -> None:
    say(tr("cli.error", message=message), err=True)


def warn(message: str) -> None:
    say(tr("cli.warning", message=message), err=True)


def print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def print_listing(items: list, as_json: bool, none_key: str, head_key: str, row) -> None:
    """A list command's output: the items as JSON, a line saying there are none,
    or a table with the catalog's ``a|b|c`` head and ``row(item)`` per item."""
    if as_json:
        print_json(items)
    elif not items:
        say(tr(none_key))
    else:
        print_table([tr(head_key).split("|"), *(row(item) for item in items)])


def print_table(rows: list[list[str]]) -> None:
    rows = [[printable(str(c)) for c in row] for row in rows]
    if not rows:
        return
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip())
