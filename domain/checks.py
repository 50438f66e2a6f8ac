"""What both faces check before a save: duplicates and allowance caps.

``check_save(ledger, kind, values, rid)`` validates the raw values as the
save would, then:

- refuses a member whose valid 身份证号 another member already holds (one
  person, one record), naming that member (``DuplicateMember``);
- warns of a member with the same name and phone, or name and birth date
  (同名同姓 are common: the officer decides, the record is shown);
- warns of a visit over its category's cap or yearly limit; such a save
  needs an approver (审批人) (``needs_approver``).

Nothing is written.  The duplicate lookups are TinyDB queries on the
members table (a save, not a keystroke: ~50 ms on 10,000 members the first
time, cached by TinyDB until the next commit).  Pure: no Textual, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tinydb import Query

from domain.i18n import register, tr
from domain.validation import ValidationError, validate_record

register({
    "dup.same_id": ("身份证号与已有会员“{name}”（{group}，编号 {id}）相同：一人只建一条记录，请编辑那一条",
                    "this ID number is already {name}'s ({group}, id {id}): one person, one record; edit that one"),
    "dup.similar_phone": ("已有同名同手机的会员“{name}”（{group}，编号 {id}）",
                          "a member with the same name and mobile exists: {name} ({group}, id {id})"),
    "dup.similar_birth": ("已有同名同出生日期的会员“{name}”（{group}，编号 {id}）",
                          "a member with the same name and birth date exists: {name} ({group}, id {id})"),
    "dup.no_group": ("未分组", "no group"),
    "caps.need_approver": ("超过上限的慰问须填写审批人", "a visit over a cap needs an approver"),
})


class DuplicateMember(ValidationError):
    """A second record for one person (the same 身份证号)."""

    def __init__(self, existing: Mapping):
        super().__init__("member", "id_number", tr("dup.same_id", **_who(existing)))
        self.existing = existing


@dataclass
class SaveCheck:
    stored: dict  # the values as they would be stored
    warnings: list[str] = field(default_factory=list)
    needs_approver: bool = False  # over a cap: the approver (审批人) must be named
    similar: list[dict] = field(default_factory=list)  # members this one may repeat


def _who(member: Mapping) -> dict:
    return {"name": member.get("name", ""), "group": member.get("union_group") or tr("dup.no_group"),
            "id": member.get("id", "")}


def check_save(ledger, kind: str, values: Mapping, rid: str | None = None) -> SaveCheck:
    """Raises ValidationError (DuplicateMember included) for what is refused."""
    base = ledger.require(kind, rid) if rid else None
    if base is None:
        values = {"school": ledger.school, **values}  # as Ledger.add does
    stored = validate_record(kind, values, ledger.config, base=base)
    check = SaveCheck(stored)
    if kind == "member":
        _check_member(ledger, stored, rid, check)
    elif kind == "visit":
        _check_visit(ledger, stored, rid, check)
    return check


def _check_member(ledger, stored: dict, rid: str | None, check: SaveCheck) -> None:
    q, members = Query(), ledger.db.table("member")
    if stored.get("id_number"):
        same = [m for m in members.search(q.id_number == stored["id_number"]) if m["id"] != rid]
        if same:
            raise DuplicateMember(same[0])
    name = stored.get("name")
    for key, message in (("phone", "dup.similar_phone"), ("birth_date", "dup.similar_birth")):
        if name and stored.get(key):
            for m in members.search((q.name == name) & (q[key] == stored[key])):
                if m["id"] != rid and m not in check.similar:
                    check.similar.append(m)
                    check.warnings.append(tr(message, **_who(m)))


def _check_visit(ledger, stored: dict, rid: str | None, check: SaveCheck) -> None:
    from domain.caps import cap_warnings

    candidate = {**stored, "id": rid or ""}
    if not candidate.get("member_name"):
        member = ledger.get("member", stored.get("member_id", "")) or {}
        candidate["member_name"] = member.get("name", "")
    check.warnings.extend(cap_warnings(ledger.config, candidate, ledger.records("visit")))
    check.needs_approver = bool(check.warnings)


def approver_problem(check: SaveCheck) -> str:
    """Why the save must wait for an approver, or ""."""
    if check.needs_approver and not (check.stored.get("approver") or "").strip():
        return tr("caps.need_approver")
    return ""
