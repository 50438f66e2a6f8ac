"""Sheet problems kept until settled.

Each sync replaces the ledger's list of problems it found in the sheet:
duplicate ids, bad cells, formulas in our columns, header problems,
suspected id typos and rows without an id
that could not be taken in.  Each names its kind, the record's id if any,
tab, row, column, header, the value found and why.  Stored in the ledger's
key-value table ``_sync_problems`` (one entry per problem, keyed by where
it is, so an unchanged list writes nothing).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from domain.i18n import register, tr
from domain.printable import clip

from .sheet_layout import TABS

register({
    "sync.problem.duplicate": ("编号重复：第 {rows} 行的编号都是 {id}；请删去多余的行，或清空复制行的编号（清空后会得到新编号）",
                               "duplicate id: rows {rows} all have id {id}; delete the extra rows or clear the id of the "
                               "copy (it then gets a new id)"),
    "sync.problem.kind.duplicate_id": ("重复编号", "duplicate id"),
    "sync.problem.kind.bad_cell": ("问题单元格", "bad cell"),
    "sync.problem.kind.formula": ("公式", "formula"),
    "sync.problem.kind.header": ("表头", "header"),
    "sync.problem.kind.id_typo": ("编号可能被改错", "id may have been mistyped"),
    "sync.problem.kind.no_id_row": ("无法收录的无编号行", "row without id not taken in"),
})

PROBLEMS = "_sync_problems"
PROBLEM_KINDS = ("duplicate_id", "bad_cell", "formula", "header", "id_typo", "no_id_row")


@dataclass
class Problem:
    problem: str  # one of PROBLEM_KINDS
    kind: str  # member / event / visit ("" for a problem of the tab)
    id: str  # the record's id, if any
    tab: str
    row: int | None  # 1-based sheet row
    column: str  # A1 letters
    header: str
    value: str
    why: str

    @property
    def key(self) -> str:
        return f"{self.problem}|{self.tab}|{self.row}|{self.column}|{self.id}"

    def label(self) -> str:
        return problem_label(self.problem)

    def message(self) -> str:
        where = f"{self.tab}!{self.column}{self.row or ''}"
        return f"{self.label()}：{where}（{self.header}）“{clip(self.value)}”：{self.why}"

    def as_dict(self) -> dict:
        return asdict(self)


def problem_label(problem: str) -> str:
    return tr(f"sync.problem.kind.{problem}")


def from_bad_cell(bad, problem: str | None = None) -> Problem:
    """A BadCell as a Problem (a bad cell of a row without id: a row not taken in)."""
    problem = problem or ("bad_cell" if bad.id else "no_id_row")
    return Problem(problem, bad.kind, bad.id, bad.tab, bad.row, bad.column, bad.header, bad.value, bad.why)


def problems_of(plan) -> list[Problem]:
    """Every problem a plan found, in a stable order."""
    out = [from_bad_cell(b) for b in plan.bad_cells]
    out += [from_bad_cell(f, "formula") for f in plan.formulas]
    for kind, rid, rows in plan.duplicates:
        out.append(Problem("duplicate_id", kind, rid, TABS[kind], rows[0], "", "编号", rid,
                           tr("sync.problem.duplicate", rows="、".join(map(str, rows)), id=rid)))
    out += plan.problems
    return out


def store_problems(tx, ledger, problems: list[Problem]) -> None:
    """Replace the ledger's list: put what is new or changed, drop what is gone."""
    old = ledger.kv_all(PROBLEMS)
    new = {p.key: p.as_dict() for p in problems}
    for key in [k for k in old if k not in new]:
        tx.kv_drop(PROBLEMS, key)
    for key, entry in new.items():
        if old.get(key) != entry:
            tx.kv_put(PROBLEMS, key, entry)


def open_problems(ledger) -> list[dict]:
    """The problems the last sync found, by tab, row and column."""
    order = {k: i for i, k in enumerate(PROBLEM_KINDS)}
    return sorted(ledger.kv_all(PROBLEMS).values(),
                  key=lambda p: (p["tab"], p["row"] or 0, p["column"], order.get(p["problem"], 99)))


def count_open(ledger) -> int:
    return len(ledger.kv_all(PROBLEMS))
