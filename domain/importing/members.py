"""Judging roster rows: valid or not, and new, the same member, or a possible duplicate.

The same valid 身份证号 is the same member (``on_duplicate``: skip, fill only
empty fields, or update; a blank cell never overwrites).  The same phone is
a duplicate candidate, left out for the officer to decide.  The same name
alone is only a warning: namesakes are common.  The ledger and the rows
above in the same file are both looked at.
"""

from __future__ import annotations

from domain.fields import FIELDS
from domain.i18n import register, tr
from domain.idcard import idcard_birth_date, validate_idcard
from domain.importing.cells import MONTH_ONLY_FIELDS, month_only
from domain.importing.roster import ImportPlan, RowResult, RowValidator, row_texts
from domain.validation import ValidationError, validate_record

register({
    "imp.month_first": ("{label}只写到月份，按 {date} 记入", "{label} gives only a month; recorded as {date}"),
    "imp.month_vs_id": ("出生年月 {month} 与身份证号中的出生日期 {birth} 不一致",
                        "the birth month {month} differs from the birth date in the ID number ({birth})"),
    "imp.same_id_row": ("与第 {row} 行身份证号相同，是同一人，本行不导入",
                        "same ID number as row {row}: the same person; this row is not imported"),
    "imp.same_phone": ("手机号与会员 {name}（编号 {id}）相同，可能是同一人", "same phone as member {name} (id {id})"),
    "imp.same_phone_row": ("手机号与第 {row} 行相同，可能是同一人", "same phone as row {row}"),
    "imp.same_name": ("已有同名会员 {name}（{n} 位），按新会员导入", "{n} member(s) already named {name}; imported as new"),
    "imp.same_name_row": ("与第 {row} 行同名，按新会员导入", "same name as row {row}; imported as new"),
})

FIELD_MAP = {f.name: f for f in FIELDS["member"]}
_EMPTY = ("", None, [])
_FROM_IDCARD = ("gender", "birth_date")


class _Index:
    """Members by 身份证号, phone and name: the ledger's, then the file's rows."""

    def __init__(self, members: list[dict]):
        self.by_id = {m["id_number"]: m for m in members if m.get("id_number")}
        self.by_phone = {m["phone"]: m for m in members if m.get("phone")}
        self.by_name: dict[str, list[dict]] = {}
        for m in members:
            self.by_name.setdefault(m.get("name", ""), []).append(m)
        self.file_id: dict[str, tuple[int, str | None]] = {}  # the first row, its ledger member
        self.file_phone: dict[str, int] = {}
        self.file_name: dict[str, int] = {}


def judge_members(plan: ImportPlan, ledger) -> None:
    index = _Index(ledger.records("member"))
    validator = RowValidator("member", ledger.config)
    for result in plan.rows:
        given = row_texts(plan, result, FIELD_MAP)
        _month_only_dates(result, given)
        record = validator.record(result, {"school": ledger.school, **given})
        if record is None:
            continue
        explicit = {k: record[k] for k in given if k in FIELD_MAP}
        _classify(plan, result, record, explicit, index, ledger)


def _month_only_dates(result: RowResult, given: dict[str, str]) -> None:
    """1980.3 in a month-only column: checked against the 身份证号, else the 1st."""
    for name in MONTH_ONLY_FIELDS:
        ym = month_only(given.get(name, ""))
        if ym is None:
            continue
        year, month = ym
        if name == "birth_date" and given.get("id_number"):
            try:
                birth = idcard_birth_date(validate_idcard(given["id_number"]))
            except ValueError:
                del given[name]  # the 身份证号's own error is reported
                continue
            if (birth.year, birth.month) != ym:
                result.fail(name, given[name], tr("imp.month_vs_id", month=f"{year}-{month:02d}",
                                                  birth=birth.isoformat()))
            del given[name]  # the day comes from the 身份证号
            continue
        given[name] = f"{year:04d}-{month:02d}-01"
        result.warnings.append(tr("imp.month_first", label=FIELD_MAP[name].label, date=given[name]))


def _classify(plan: ImportPlan, result: RowResult, record: dict, explicit: dict, index: _Index,
              ledger) -> None:
    """The row's outcome; a person the file already gave above is a duplicate whatever --on-duplicate."""
    id_number, phone = record.get("id_number"), record.get("phone")
    if id_number and id_number in index.file_id:
        first_row, first_member = index.file_id[id_number]
        result.status, result.member_id = "duplicate", first_member
        result.warnings.append(tr("imp.same_id_row", row=first_row))
        return
    _judge(plan, result, record, explicit, index, ledger)
    if result.status == "error":
        return
    if id_number:
        index.file_id[id_number] = (result.row, result.member_id)
    if phone:
        index.file_phone.setdefault(phone, result.row)


def _judge(plan: ImportPlan, result: RowResult, record: dict, explicit: dict, index: _Index,
           ledger) -> None:
    id_number, phone, name = record.get("id_number"), record.get("phone"), record.get("name")
    if id_number and id_number in index.by_id:
        _same_member(plan, result, index.by_id[id_number], explicit, ledger)
        return
    if phone and phone in index.by_phone:
        other = index.by_phone[phone]
        result.status, result.member_id = "duplicate", other["id"]
        result.warnings.append(tr("imp.same_phone", name=other["name"], id=other["id"]))
        return
    if phone and phone in index.file_phone:
        result.status = "duplicate"
        result.warnings.append(tr("imp.same_phone_row", row=index.file_phone[phone]))
        return
    if name in index.by_name:
        result.warnings.append(tr("imp.same_name", name=name, n=len(index.by_name[name])))
    elif name in index.file_name:
        result.warnings.append(tr("imp.same_name_row", row=index.file_name[name]))
    result.status, result.record = "new", record
    result.fields = [k for k, v in record.items()
                     if v not in _EMPTY and (k in explicit or k in _FROM_IDCARD and id_number)]
    if name:
        index.file_name.setdefault(name, result.row)


def _same_member(plan: ImportPlan, result: RowResult, member: dict, explicit: dict, ledger) -> None:
    """The row is a member already in the ledger: skip, fill empty fields, or update."""
    result.member_id = member["id"]
    if plan.on_duplicate == "skip":
        result.status = "skip"
        return
    if plan.on_duplicate == "fill":
        changes = {k: v for k, v in explicit.items() if member.get(k) in _EMPTY}
    else:
        changes = {k: v for k, v in explicit.items() if member.get(k) != v}
    if not changes:
        result.status = "skip"
        return
    try:
        validate_record("member", changes, ledger.config, base=member)
    except ValidationError as exc:
        result.fail(exc.field, changes.get(exc.field, ""), exc.reason)
        return
    result.status, result.record, result.fields = "update", changes, sorted(changes)
