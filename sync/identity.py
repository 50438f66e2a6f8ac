"""Identity is never guessed away.

A row of this school whose 编号 this ledger never knew, while a known id
vanished from the same tab, is most likely that record with its 编号
mistyped: it is reported (with the likely original) instead of deleting
the record here and taking the row in as a new one.  The likely original
is the vanished id nearest by edit distance, or whose cells agree most.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.i18n import register, tr

from .canonical import cell_at, cell_text
from .problems import Problem
from .sheet_layout import column_letter

register({
    "sync.id_typo": ("编号“{found}”不是本台账认识的编号，而编号“{original}”的记录从这一页不见了（{agree}/{total} 项内容相同）："
                     "编号可能被改错。请把编号改回“{original}”；若这确是另一条记录，请清空它的编号（同步时会给它新编号）",
                     "the id {found!r} is not one this ledger knows, while the record {original!r} vanished from this "
                     "tab ({agree}/{total} cells alike): the id may have been mistyped. Change it back to "
                     "{original!r}; if it really is another record, clear its id (the sync then gives it a new one)"),
})

MAX_PAIRS = 20_000  # unknown x vanished ids compared at most (beyond: not looked for; nothing is lost either way)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` once it is sure to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


@dataclass
class Suspect:
    found: str  # the id in the row
    original: str  # the known id that vanished
    r: int  # 0-based row index
    agree: int
    total: int


def _agreement(tp, row: list, base: dict) -> tuple[int, int]:
    filled = [(n, c) for n, c in tp.colpairs if c is not None and base.get(n, "")]
    return sum(cell_text(cell_at(row, c)) == base[n] for n, c in filled), len(filled)


def _likely(tp, found: str, row: list, vanished: dict[str, dict]) -> Suspect | None:
    best = None
    for original, base in vanished.items():
        limit = max(2, len(original) // 6)
        d = edit_distance(found, original, limit)
        agree, total = _agreement(tp, row, base)
        if d > limit and not (agree >= 2 and agree * 5 >= total * 3):
            continue
        score = (min(d, limit + 1), -agree)
        if best is None or score < best[0]:
            best = (score, Suspect(found, original, 0, agree, total))
    return best[1] if best else None


def suspected_typos(tp, unknown: dict[str, int], bases: dict[str, dict], present: set[str]) -> list[Suspect]:
    """``unknown``: ids never known here -> their row; each matched to at most one vanished known id."""
    # a pending base's row may have been made (with its id) before a crash: it can vanish too
    vanished = {rid: b for rid, b in bases.items() if rid not in present}
    if not unknown or not vanished or len(unknown) * len(vanished) > MAX_PAIRS:
        return []
    out: list[Suspect] = []
    for found, r in sorted(unknown.items()):
        s = _likely(tp, found, tp.rows[r], vanished)
        if s is not None:
            s.r = r
            vanished.pop(s.original)
            out.append(s)
    return out


def typo_problem(tp, s: Suspect) -> Problem:
    col = tp.layout.id_col
    return Problem("id_typo", tp.kind, s.original, tp.title, s.r + 1, column_letter(col) if col is not None else "",
                   "编号", s.found, tr("sync.id_typo", found=s.found, original=s.original, agree=s.agree,
                                      total=s.total))

