"""The decision table of the reconciliation, as code.

Per record of this school, with L = the local record, B = the base (the
last state both sides agreed on) and R = the sheet's row, each given as
canonical values by field name (R without the fields it cannot speak for:
a person's formula, a missing column), ``decide`` picks one outcome:

====  ====  ====  ==========================================================
L     B     R     outcome
====  ====  ====  ==========================================================
yes   any   yes   MERGE per field (``merge_field``)
yes   yes   no    L unchanged since B: DELETE_LOCAL (the row was deleted in
                  the sheet); L edited: RESTORE_ROW (edit beats delete);
                  B pending (the row was never made): ADD_ROW
yes   no    no    ADD_ROW (a new local record)
no    yes   yes   R unchanged since B: DELETE_ROW; R typed into a row we
                  made but never filled: FILL_HALF_MADE; R edited:
                  RESTORE_LOCAL (edit beats delete)
no    yes   no    FORGET_BASE (deleted on both sides)
no    no    yes   TAKE_IN (a row of this school with an id we never saw)
====  ====  ====  ==========================================================

Per field, with mine, base and theirs: mine == theirs AGREE; mine == base
TAKE_THEIRS; theirs == base KEEP_MINE; else CONFLICT (mine kept
provisionally on both sides, theirs kept in the conflict).  No base: equal
fields agree, differing ones are conflicts (never deletes).

A *pending* base (``{"_pending": True, "_fill": ...}``) stands for "a row
with only its id": made, maybe not yet filled.  Pure: no I/O.
"""

from __future__ import annotations

from enum import Enum
from typing import Mapping

Values = Mapping[str, str]


class Decision(Enum):
    MERGE = "merge field by field"
    DELETE_LOCAL = "delete the local record (its row was deleted in the sheet)"
    RESTORE_ROW = "write the row again (edited here, deleted in the sheet)"
    ADD_ROW = "add a row for the local record"
    DELETE_ROW = "delete the row (deleted here, unchanged in the sheet)"
    FILL_HALF_MADE = "take back a half-made row someone typed in, and fill it"
    RESTORE_LOCAL = "bring the record back (deleted here, edited in the sheet)"
    FORGET_BASE = "forget the base (deleted on both sides)"
    TAKE_IN = "take the row in as a new local record"
    NOTHING = "nothing to do"


class FieldMerge(Enum):
    AGREE = "both sides hold the same value"
    TAKE_THEIRS = "changed in the sheet only"
    KEEP_MINE = "changed here only"
    CONFLICT = "changed differently on both sides"


def is_pending(base: Values | None) -> bool:
    return base is not None and bool(base.get("_pending"))


def unchanged(values: Values, base: Values) -> bool:
    """Every value equals the base's (a field the base lacks counts as empty)."""
    return all(v == base.get(name, "") for name, v in values.items())


def decide(local: Values | None, base: Values | None, row: Values | None) -> Decision:
    """The table above, one ``case`` per row."""
    pending = is_pending(base)
    match (local is not None, base is not None, row is not None):
        case (True, _, True):
            return Decision.MERGE
        case (True, True, False):
            if pending:
                return Decision.ADD_ROW
            return Decision.DELETE_LOCAL if unchanged(local, base) else Decision.RESTORE_ROW
        case (True, False, False):
            return Decision.ADD_ROW
        case (False, True, True):
            if unchanged(row, {} if pending else base):
                return Decision.DELETE_ROW
            if pending and isinstance(base.get("_fill"), dict):
                return Decision.FILL_HALF_MADE
            return Decision.RESTORE_LOCAL
        case (False, True, False):
            return Decision.FORGET_BASE
        case (False, False, True):
            return Decision.TAKE_IN
    return Decision.NOTHING


def field_base(base: Values | None, name: str, mine: str, theirs: str) -> str | None:
    """The agreed value of one field (None: no agreed value).  In a pending
    base every field is empty; a field the base lacks was newly synced, so
    an empty side there is no change."""
    if base is None:
        return None
    if is_pending(base):
        return ""
    value = base.get(name)
    if value is None:
        return "" if (mine == "" or theirs == "") else None
    return value


def merge_field(mine: str, base: str | None, theirs: str) -> FieldMerge:
    if mine == theirs:
        return FieldMerge.AGREE
    if mine == base:
        return FieldMerge.TAKE_THEIRS
    if theirs == base:
        return FieldMerge.KEEP_MINE
    return FieldMerge.CONFLICT
