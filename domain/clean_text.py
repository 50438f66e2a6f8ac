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

_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


def text_limit(name: str, type_: str = "text") -> int | None:
    """The most characters field ``name`` may hold (None: no limit)."""
    if type_ in UNLIMITED_TYPES:
        return None
    if name in NAME_FIELDS:
        return NAME_MAX
    if name in MULTILINE_FIELDS:
        return SHEET_CELL_MAX
    return SHORT_MAX


def _refused(code: int, multiline: bool) -> bool:
    if code < 0x20:
        return not (multiline and code in (0x09, 0x0A, 0x0D))
    return 0x7F <= code <= 0x9F or code in _BIDI


def control_problem(text: str, multiline: bool) -> str | None:
    """Why ``text`` is refused for its control characters, or None."""
    for position, ch in enumerate(text, 1):
        if _refused(ord(ch), multiline):
            return tr("v.control", code=f"U+{ord(ch):04X}", position=position)
    return None


def length_problem(text: str, limit: int | None) -> str | None:
    if limit is not None and len(text) > limit:
        return tr("v.too_long", limit=f"{limit:,}", length=f"{len(text):,}")
    return None


def text_problem(name: str, type_: str, text: str) -> str | None:
    """The one reason a field's text is refused (control characters first), or None."""
    return control_problem(text, name in MULTILINE_FIELDS) or length_problem(text, text_limit(name, type_))
