"""What text a field may hold: no control characters, a documented length.

Refused everywhere a value comes in (command line, forms, sheet cells,
imports), with the field, the limit and the length; never cut:

- control characters: C0 (U+0000–U+001F) except TAB, LF and CR in the
  fields that may hold several lines, DEL (U+007F), C1 (U+0080–U+009F, ESC
  sequences' other form), and the bidi overrides U+202A–U+202E and
  U+2066–U+2069 (they reorder what a terminal or the sheet shows);
- length, in characters: names (姓名, 会员姓名, 受慰问人, 负责人, 签领人,
  审批人, 建档人, 审核人) 50; the multi-line fields (备注, 病情说明, 后续跟进)
  50,000, the most a Google Sheets cell holds; every other field 200.
  Participant lists and per-occurrence records stay local: no limit.
"""

from __future__ import annotations

import re

from domain.i18n import register, tr

register({
    "v.control": ("含有控制字符 {code}（第 {position} 个字符）；请删去后再输入",
                  "holds the control character {code} (character {position}); remove it and try again"),
    "v.too_long": ("最多 {limit} 个字符，这里有 {length} 个（不会截断，请缩短）",
                   "is at most {limit} characters; this is {length} (it is never cut: shorten it)"),
})

SHEET_CELL_MAX = 50_000
NAME_MAX = 50
SHORT_MAX = 200
MULTILINE_FIELDS = frozenset({"notes", "health_notes", "follow_up"})
NAME_FIELDS = frozenset({"name", "member_name", "recipient", "organizer", "signed_by", "approver",
                         "hardship_opened_by", "hardship_checked_by"})
# Local-only structured values (ids, per-occurrence records): no length limit.
UNLIMITED_TYPES = frozenset({"occurrences", "member_list"})

# One pattern each: a search runs in C, not character by character (import of 10,000 rows).
CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL_MULTILINE = re.compile(f"[{CONTROL_CHARS}]")  # TAB, LF and CR allowed
CONTROL = re.compile(f"[{CONTROL_CHARS}\t\n\r]")


def text_limit(name: str, type_: str = "text") -> int | None:
    """The most characters field ``name`` may hold (None: no limit)."""
    if type_ in UNLIMITED_TYPES:
        return None
    if name in NAME_FIELDS:
        return NAME_MAX
    if name in MULTILINE_FIELDS:
        return SHEET_CELL_MAX
    return SHORT_MAX


def control_problem(text: str, multiline: bool) -> str | None:
    """Why ``text`` is refused for its control characters, or None."""
    found = (CONTROL_MULTILINE if multiline else CONTROL).search(text)
    if found is None:
        return None
    return tr("v.control", code=f"U+{ord(found[0]):04X}", position=found.start() + 1)


def length_problem(text: str, limit: int | None) -> str | None:
    if limit is not None and len(text) > limit:
        return tr("v.too_long", limit=f"{limit:,}", length=f"{len(text):,}")
    return None


def text_problem(name: str, type_: str, text: str) -> str | None:
    """The one reason a field's text is refused (control characters first), or None."""
    return control_problem(text, name in MULTILINE_FIELDS) or length_problem(text, text_limit(name, type_))
