"""Judging visit rows: which member was visited, and whether the visit is already recorded.

A member is found by 会员编号 or 身份证号, else by name narrowed by the
other columns given (phone, 工会小组); a name several members share is an
error listing them.  The same member, date and reason as a visit already in
the ledger, or above in the file, is a duplicate.
"""

from __future__ import annotations

from domain.caps import cap_warnings
from domain.fields import FIELDS
from domain.i18n import register, tr
from domain.importing.roster import ImportPlan, RowResult, RowValidator, row_texts

register({
    "imp.no_member_cols": ("找不到会员：该行没有会员编号、身份证号或姓名",
                           "no member: the row has no member id, ID number or name"),
    "imp.no_member_id": ("没有会员编号为 {value} 的会员", "no member with id {value}"),
    "imp.no_member_idn": ("台账中没有身份证号为 {value} 的会员", "no member in the ledger has ID number {value}"),
    "imp.no_member_name": ("台账中没有叫 {value} 的会员{extra}", "no member named {value}{extra}"),
    "imp.ambiguous": ("有 {n} 位会员叫 {name}：{candidates}；请加一列身份证号、手机或工会小组区分",
                      "{n} members are named {name}: {candidates}; add a column with the ID number, phone or union group"),
    "imp.candidate": ("{group}，手机{phone}，编号 {id}", "{group}, phone {phone}, id {id}"),
    "imp.with_extra": ("（且{label}为 {value}）", " (with {label} {value})"),
    "imp.same_visit": ("{date} 已有一条对 {name} 的“{reason}”慰问", "{name} already has a “{reason}” visit on {date}"),
    "imp.same_visit_row": ("与第 {row} 行是同一次慰问", "the same visit as row {row}"),
})

MEMBER_FIELDS = {f.name: f for f in FIELDS["member"]}
FIELD_MAP = {**{f.name: f for f in FIELDS["visit"]},
             **{n: MEMBER_FIELDS[n] for n in ("id_number", "phone", "union_group")}}
_NARROWING = ("phone", "union_group")


class _Members:
    def __init__(self, ledger):
        members = ledger.records("member")
        self.by_id_number = {m["id_number"]: m for m in members if m.get("id_number")}
        self.by_name: dict[str, list[dict]] = {}
        for m in members:
            self.by_name.setdefault(m["name"], []).append(m)
        self.visits = {(v["member_id"], v["date"], v["reason"]) for v in ledger.records("visit")}
        self.file_visits: dict[tuple, int] = {}
        self.by_member: dict[str, list[dict]] = {}  # the ledger's visits and the file's new ones
        for v in ledger.records("visit"):
            self.by_member.setdefault(v["member_id"], []).append(v)


def judge_visits(plan: ImportPlan, ledger) -> None:
    members = _Members(ledger)
    validator = RowValidator("visit", ledger.config)
    for result in plan.rows:
        given = row_texts(plan, result, FIELD_MAP)
        member = _find_member(result, given, members, ledger)
        values = {k: v for k, v in given.items() if k not in MEMBER_ONLY and k != "member_id"}
        values.setdefault("school", ledger.school)
        if member is not None:
            values.update(member_id=member["id"], member_name=member["name"])
        record = validator.record(result, values)
        if record is not None:
            _classify(result, record, member, members)
            if result.status == "new":  # caps warn, never refuse: an approver may allow more
                result.warnings.extend(cap_warnings(ledger.config, record, members.by_member.get(member["id"], ())))
                members.by_member.setdefault(member["id"], []).append({**record, "id": f"row {result.row}"})


MEMBER_ONLY = ("id_number", "phone", "union_group")


def _classify(result: RowResult, record: dict, member: dict, members: _Members) -> None:
    result.member_id = member["id"]
    key = (member["id"], record["date"], record["reason"])
    if key in members.visits:
        result.status = "duplicate"
        result.warnings.append(tr("imp.same_visit", date=record["date"], name=member["name"],
                                  reason=record["reason"]))
        return
    if key in members.file_visits:
        result.status = "duplicate"
        result.warnings.append(tr("imp.same_visit_row", row=members.file_visits[key]))
        return
    members.file_visits[key] = result.row
    result.status, result.record = "new", record
    result.fields = [k for k, v in record.items() if v not in ("", None, []) and k != "school"]


def _find_member(result: RowResult, given: dict, members: _Members, ledger) -> dict | None:
    if "member_id" in given:
        member = ledger.get("member", given["member_id"])
        if member is None:
            result.fail("member_id", given["member_id"], tr("imp.no_member_id", value=given["member_id"]))
        return member
    if "id_number" in given:
        return _by_id_number(result, given["id_number"], members)
    name = given.get("member_name")
    if not name:
        if result.status != "error":
            result.fail("member_name", "", tr("imp.no_member_cols"))
        return None
    candidates = members.by_name.get(name, [])
    extra = ""
    for other in _NARROWING:
        if other in given and candidates:
            wanted = _normal(other, given[other])
            candidates = [m for m in candidates if _normal(other, m.get(other) or "") == wanted]
            extra = tr("imp.with_extra", label=MEMBER_FIELDS[other].label, value=given[other])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        result.fail("member_name", name, tr("imp.no_member_name", value=name, extra=extra))
    else:
        listed = "；".join(tr("imp.candidate", group=m.get("union_group") or "-",
                              phone=m.get("phone") or "-", id=m["id"]) for m in candidates[:5])
        result.fail("member_name", name, tr("imp.ambiguous", n=len(candidates), name=name, candidates=listed))
    return None


def _by_id_number(result: RowResult, text: str, members: _Members) -> dict | None:
    from domain.idcard import validate_idcard

    try:
        number = validate_idcard(text)
    except ValueError as exc:
        result.fail("id_number", text, str(exc))
        return None
    member = members.by_id_number.get(number)
    if member is None:
        result.fail("id_number", text, tr("imp.no_member_idn", value=text))
    return member


def _normal(name: str, value: str) -> str:
    if name == "phone":
        from domain.phone import validate_mobile

        try:
            return validate_mobile(value)
        except ValueError:
            return value
    return value.strip()
