"""What to say before a record is saved, on every way in (command line, forms).

- A member whose valid 身份证号 another member already has is refused: one
  person, one record (the message names the existing one).
- The same name plus the same phone, or plus the same birth date, is a
  warning showing the existing record: namesakes are common, so the officer
  decides.
- A visit over its reason's cap (amount, or visits per member per year) is
  a warning: an approver may allow more.

``check_save`` validates without writing and returns the record as it would
be stored together with the warnings; a face shows them, asks, or (``--strict``)
refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tinydb import where

from domain.errors import UserError
from domain.i18n import register, tr
from domain.validation import validate_record

register({
    "dup.idcard": ("身份证号 {id_number} 已经登记在会员 {name}（编号 {rid}）名下：一人只建一条记录，请修改那条记录",
                   "ID number {id_number} already belongs to member {name} (id {rid}): one person, one record; "
                   "edit that record instead"),
    "dup.name_phone": ("已有同名同手机的会员：{name}，手机 {phone}（编号 {rid}）",
                       "A member with the same name and phone exists: {name}, {phone} (id {rid})"),
    "dup.name_birth": ("已有同名同出生日期的会员：{name}，{birth_date}（编号 {rid}）",
                       "A member with the same name and birth date exists: {name}, {birth_date} (id {rid})"),
})


class DuplicateMember(UserError, ValueError):
    pass


@dataclass
class SaveCheck:
    record: dict  # the record as it would be stored (without id and stamps for a new one)
    warnings: list[str] = field(default_factory=list)


def check_save(ledger, kind: str, values: Mapping, rid: str | None = None) -> SaveCheck:
    """Validate ``values`` (a new record, or an edit of ``rid``) without writing.
    Raises ValidationError, or DuplicateMember for a 身份证号 already on file."""
    before = ledger.require(kind, rid) if rid else None
    values = dict(values)
    if before is None:
        values.setdefault("school", ledger.school)
    record = {**(before or {}), **validate_record(kind, values, ledger.config, base=before)}
    if kind == "member":
        return SaveCheck(record, member_warnings(ledger, record, rid))
    if kind == "visit":
        from domain.caps import cap_warnings

        return SaveCheck(record, cap_warnings(ledger.config, {**record, "id": rid}, ledger.records("visit")))
    return SaveCheck(record)


def member_warnings(ledger, member: Mapping, rid: str | None = None) -> list[str]:
    """Raises DuplicateMember for a taken 身份证号; returns the near-duplicate warnings."""
    members = ledger.db.table("member")
    number = member.get("id_number")
    if number:
        for other in members.search(where("id_number") == number):
            if other["id"] != rid:
                raise DuplicateMember(tr("dup.idcard", id_number=number, name=other["name"], rid=other["id"]))
    warnings = []
    name = member.get("name")
    for other in members.search(where("name") == name) if name else ():
        if other["id"] == rid:
            continue
        if member.get("phone") and other.get("phone") == member.get("phone"):
            warnings.append(tr("dup.name_phone", name=name, phone=other["phone"], rid=other["id"]))
        elif member.get("birth_date") and other.get("birth_date") == member.get("birth_date"):
            warnings.append(tr("dup.name_birth", name=name, birth_date=other["birth_date"], rid=other["id"]))
    return warnings
