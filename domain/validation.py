"""Validation and normalisation of record fields: the one gate for every way in.

The command line, the forms, imports and the sync all hand raw text to
``validate_record``; it returns stored values or raises ``ValidationError``
naming the field and what is accepted.  Stored forms: text, ISO dates and
choices as ``str``; money as integer fen; counts and years as ``int``;
participant lists as ``list[str]``; an empty value is ``""``, ``None`` or
``[]``.  ``format_value`` turns a stored value back into text, so that
``validate(format(x)) == x``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from domain import fields as ft
from domain.clean_text import text_problem
from domain.errors import UserError
from domain.config import Config
from domain.dates import parse_date
from domain.fields import FIELDS, Field, field, has_field
from domain.i18n import language, register, tr
from domain.idcard import idcard_birth_date, idcard_sex, validate_idcard
from domain.money import format_yuan, parse_yuan
from domain.phone import validate_mobile

register({
    "v.unknown_field": ("没有字段 {name}；可用字段：{names}", "no field {name}; fields are: {names}"),
    "v.required": ("必填", "is required"),
    "v.choice": ("应为以下之一：{choices}", "must be one of: {choices}"),
    "v.int": ("应为非负整数，如 3", "must be a whole number such as 3"),
    "v.year": ("应为四位年份，如 2025", "must be a four-digit year such as 2025"),
    "v.multiline": ("不能包含换行", "must be on one line"),
    "v.id_birth": ("身份证号中的出生日期 {id_date} 与出生日期 {birth} 不一致",
                   "the birth date in the ID number ({id_date}) differs from the birth date {birth}"),
    "v.id_sex": ("身份证号显示性别为{id_sex}，与性别“{gender}”不一致",
                 "the ID number says {id_sex}, but gender is {gender}"),
    "v.member_list": ("应为以逗号分隔的会员编号", "must be member ids separated by commas"),
    "v.school_fixed": ("记录所属的学校不能修改；会员调往别校，请把会籍状态改为“转出”（记录留在本校台账）",
                       "a record's school cannot be changed; a member who moves to another school is recorded "
                       "with 会籍状态 转出 (the record stays in this ledger)"),
})


class ValidationError(UserError, ValueError):
    """A value refused: names the field (label and name) and what is accepted."""

    def __init__(self, kind: str, name: str, message: str):
        self.kind, self.field, self.reason = kind, name, message
        label = _label(kind, name)
        super().__init__(f"{label}({name}): {message}" if label != name else f"{name}: {message}")


def _label(kind: str, name: str) -> str:
    if not has_field(kind, name):
        return name
    f = field(kind, name)
    return f.label if language() == "zh" else f.label_en


def choices_for(f: Field, config: Config) -> tuple[str, ...]:
    if isinstance(f.choices, str):
        return config.choices(f.choices)
    return f.choices or ()


def empty_value(f: Field):
    if f.type in (ft.MONEY, ft.INT, ft.YEAR):
        return None
    if f.type == ft.MEMBER_LIST:
        return []
    if f.type == ft.OCCURRENCES:
        return {}
    return ""


def parse_value(kind: str, f: Field, raw, config: Config, today: dt.date | None = None):
    """One field's raw text (or an already stored value) to its stored form."""
    if isinstance(raw, dict) and f.type == ft.OCCURRENCES:
        from domain.occurrences import format_occurrences

        raw = format_occurrences(raw)
    if isinstance(raw, list) and f.type == ft.MEMBER_LIST:
        raw = ",".join(str(x) for x in raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and f.type in (ft.INT, ft.YEAR):
        raw = str(raw)
    raw_text = "" if raw is None else str(raw)
    # Checked before stripping: str.strip would drop some controls (U+001C..U+001F, U+0085) unseen.
    problem = text_problem(f.name, f.type, raw_text.strip(" \t\n\r"))
    if problem:  # control characters or too long: refused, never cut
        raise ValidationError(kind, f.name, problem)
    text = raw_text.strip()
    if not text:
        if f.required:
            raise ValidationError(kind, f.name, tr("v.required"))
        return empty_value(f)
    try:
        return _parse_nonempty(f, text, config, today)
    except ValidationError:
        raise
    except ValueError as exc:
        raise ValidationError(kind, f.name, str(exc)) from None


def _parse_nonempty(f: Field, text: str, config: Config, today):
    t = f.type
    if t == ft.DATE:
        return parse_date(text, today).isoformat()
    if t == ft.MONEY:
        return parse_yuan(text)
    if t == ft.IDCARD:
        return validate_idcard(text)
    if t == ft.MOBILE:
        return validate_mobile(text)
    if t == ft.INT:
        if not text.isascii() or not text.isdigit():
            raise ValueError(tr("v.int"))
        return int(text)
    if t == ft.YEAR:
        if not (text.isascii() and text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2200):
            raise ValueError(tr("v.year"))
        return int(text)
    if t == ft.CHOICE:
        allowed = choices_for(f, config)
        if text not in allowed:
            raise ValueError(tr("v.choice", choices="、".join(allowed)))
        return text
    if t == ft.TIME:
        from domain.occurrences import parse_time

        return parse_time(text)
    if t == ft.OCCURRENCES:
        from domain.occurrences import parse_occurrences

        return parse_occurrences(text)
    if t == ft.MEMBER_LIST:
        ids = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
        if any(not p.isascii() or " " in p for p in ids):
            raise ValueError(tr("v.member_list"))
        return list(dict.fromkeys(ids))
    # text and member references
    if "\n" in text or "\r" in text:
        if f.name not in ("notes", "health_notes", "follow_up"):
            raise ValueError(tr("v.multiline"))
    return text


def format_value(f: Field, value) -> str:
    """A stored value as the text a person reads and types back."""
    if value is None or value == "" or value == []:
        return ""
    if f.type == ft.MONEY:
        return format_yuan(value)
    if f.type == ft.MEMBER_LIST:
        return ",".join(value)
    if f.type == ft.OCCURRENCES:
        from domain.occurrences import format_occurrences

        return format_occurrences(value)
    return str(value)


def format_record(kind: str, record: Mapping) -> dict[str, str]:
    return {f.name: format_value(f, record.get(f.name)) for f in FIELDS[kind]}


def check_names(kind: str, names) -> None:
    for name in names:
        if not has_field(kind, name):
            all_names = ", ".join(f.name for f in FIELDS[kind])
            raise ValidationError(kind, name, tr("v.unknown_field", name=name, names=all_names))


def validate_record(kind: str, values: Mapping, config: Config, *, base: Mapping | None = None,
                    today: dt.date | None = None) -> dict:
    """Validate ``values`` (raw text by field name) over ``base`` (stored values).

    Returns every field's stored value.  Fields absent from ``values`` keep
    the base's stored value; checks across fields see the merged record.
    """
    check_names(kind, values)
    _check_school_kept(kind, values, base)
    out = {}
    for f in FIELDS[kind]:
        if f.name in values:
            out[f.name] = parse_value(kind, f, values[f.name], config, today)
        elif base is not None and f.name in base:
            # Stored values were valid when stored; a category later dropped from
            # the configuration must not make the record uneditable.
            out[f.name] = base[f.name]
        elif f.default:
            out[f.name] = parse_value(kind, f, f.default, config, today)
        else:
            out[f.name] = parse_value(kind, f, "", config, today)
    if kind == "member":
        _check_member(out, explicit=values)
    return out


def _check_school_kept(kind: str, values: Mapping, base: Mapping | None) -> None:
    """A record stays with its school: a transfer is recorded as 会籍状态 转出."""
    if base is None or "school" not in values or not base.get("school"):
        return
    if str(values["school"] or "").strip() != base["school"]:
        raise ValidationError(kind, "school", tr("v.school_fixed"))


def _check_member(rec: dict, explicit: Mapping) -> None:
    """身份证号 carries the birth date and sex: fill them in, or insist they agree."""
    idn = rec.get("id_number")
    if not idn:
        return
    id_date = idcard_birth_date(idn, checked=True).isoformat()  # parse_value made it valid and normal
    id_sex = idcard_sex(idn, checked=True)
    if not rec.get("birth_date"):
        rec["birth_date"] = id_date
    elif rec["birth_date"] != id_date:
        name = "birth_date" if "birth_date" in explicit else "id_number"
        raise ValidationError("member", name, tr("v.id_birth", id_date=id_date, birth=rec["birth_date"]))
    if not rec.get("gender"):
        rec["gender"] = id_sex
    elif rec["gender"] != id_sex:
        name = "gender" if "gender" in explicit else "id_number"
        raise ValidationError("member", name, tr("v.id_sex", id_sex=id_sex, gender=rec["gender"]))
