"""Applying an import plan: a backup first, then every valid row in one journal commit.

One journal line holds all the new records, the updates and the remembered
mappings: a commit killed midway leaves the ledger as it was, or with every
valid row.  Rows in error are left out; ``write_errors`` saves them to an
.xlsx the officer can fix and import again (original columns plus 错误原因).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from domain.fields import field
from domain.i18n import language, register, tr
from domain.importing.cells import shown
from domain.importing.roster import MAPPINGS_TABLE, ImportPlan
from domain.store import new_id, now_stamp

register({
    "imp.error_reason": ("错误原因", "Error"),
    "imp.reason_line": ("{label}“{value}”：{why}", "{label} “{value}”: {why}"),
    "imp.nothing_written": ("没有需要写入的行，台账没有改动", "no rows to write; the ledger is unchanged"),
})

SOURCE = "import"


def commit_import(ledger, plan: ImportPlan, *, backup: bool = True, progress=None) -> Path | None:
    """Write the plan's new and updated rows; returns the backup's path.

    ``progress(done, total)`` is called while the changes are gathered (the
    write itself is one step)."""
    todo = [r for r in plan.rows if r.status in ("new", "update")]
    if not has_changes(plan):
        return None  # nothing to write, nothing to back up
    backup_path = None
    if backup:
        from domain.backup_policy import backup_now

        backup_path = backup_now(ledger, "before-import")  # checked, then the old ones thinned
    stamp = now_stamp()
    with ledger.transaction() as tx:
        for done, result in enumerate(todo, 1):
            if result.status == "new":
                stored = dict(result.record)
                rid = new_id()
                tx.put_record(plan.kind, {"id": rid, "school": stored.pop("school"), "created": stamp,
                                          "updated": stamp, **stored}, source=SOURCE)
                result.member_id = rid if plan.kind == "member" else result.member_id
            else:
                before = ledger.require(plan.kind, result.member_id)
                tx.put_record(plan.kind, {**before, **result.record, "updated": stamp}, source=SOURCE)
            if progress and done % 500 == 0:
                progress(done, len(todo))
        for header, name in plan.remember.items():
            tx.kv_put(MAPPINGS_TABLE, f"{plan.kind}:{header}", {"field": name})
    if progress:
        progress(len(todo), len(todo))
    return backup_path


def has_changes(plan: ImportPlan) -> bool:
    """Whether a commit would write anything: a new or updated row, or a remembered mapping."""
    return bool(plan.remember) or any(r.status in ("new", "update") for r in plan.rows)


def error_reason(kind: str, errors: list[dict]) -> str:
    parts = []
    for e in errors:
        label = field_label(kind, e["field"])
        parts.append(tr("imp.reason_line", label=label, value=e["value"], why=e["why"]))
    return "；".join(parts)


def field_label(kind: str, name: str) -> str:
    """A field's label; a visit list's 身份证号/手机 columns are the member's fields."""
    from domain.fields import has_field

    if has_field(kind, name):
        f = field(kind, name)
    elif has_field("member", name):
        f = field("member", name)
    else:
        return name
    return f.label if language() == "zh" else f.label_en


def field_text(kind: str, name: str | None) -> str:
    """姓名(name): the label the officer knows, and the name --map takes."""
    return f"{field_label(kind, name)}({name})" if name else ""


def write_errors(plan: ImportPlan, path: Path | str) -> int:
    """The rows in error with their original cells, plus 错误原因; returns how many."""
    import xlsxwriter

    header = list(plan.table.rows[plan.header_row - 1])
    bad = [r for r in plan.rows if r.status == "error"]
    buffer = io.BytesIO()  # written whole, then to a file only the user can read (it holds 身份证号)
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    try:
        sheet = book.add_worksheet(_sheet_name(plan.table.sheet))
        text = book.add_format({"num_format": "@"})  # a re-typed 身份证号 stays text
        bold = book.add_format({"bold": True})
        width = max(len(header), *(len(r.cells) for r in bad)) if bad else len(header)
        sheet.set_column(0, width, 20, text)
        formats = {"number": book.add_format({"num_format": "General"}),  # a destroyed 身份证号 as Excel showed it
                   "date": book.add_format({"num_format": "yyyy-mm-dd"}),
                   "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
        for col, cell in enumerate(header):
            sheet.write_string(0, col, shown(cell), bold)
        sheet.write_string(0, width, tr("imp.error_reason"), bold)
        for i, result in enumerate(bad, 1):
            for col, cell in enumerate(result.cells):
                _write_cell(sheet, i, col, cell, formats)
            sheet.write_string(i, width, error_reason(plan.kind, result.errors))
        sheet.set_column(width, width, 60)
    finally:
        book.close()
    from domain.privacy import create_private

    with create_private(Path(path)) as out:
        out.write(buffer.getvalue())
    return len(bad)


def _sheet_name(name: str | None) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\ (an .ods may allow them)."""
    cleaned = "".join(c for c in (name or "") if c not in "[]:*?/\\").strip("'")[:31]
    return cleaned or "Sheet1"


def _write_cell(sheet, row: int, col: int, cell, formats: dict) -> None:
    """The cell as it came: a number stays a number, a date a date, TRUE stays TRUE (never the text "True")."""
    if cell is None or cell == "":
        return
    if isinstance(cell, bool):
        sheet.write_boolean(row, col, cell)
    elif isinstance(cell, (int, float)):
        sheet.write_number(row, col, cell, formats["number"])
    elif isinstance(cell, dt.datetime):
        sheet.write_datetime(row, col, cell, formats["date" if cell.time() == dt.time() else "datetime"])
    elif isinstance(cell, dt.date):
        sheet.write_datetime(row, col, cell, formats["date"])
    else:
        sheet.write_string(row, col, shown(cell))
