"""What the lists show: roster order and filters, visit filters and totals,
the agenda, duties and targets, as functions over a ledger.

Both faces and the exports call these (an export of "what the list shows"
passes the same filter the screen holds).  One filter dataclass per list:

    rows = member_rows(ledger, MemberFilter(text="zs", status="在会"))
    rows = visit_rows(ledger, VisitFilter(reason="生病住院", year="2025"))
    totals = visit_totals(rows)

The filters that are not typed (status, group, hardship; reason, year,
fund, member) are TinyDB queries on the ledger's tables: TinyDB caches
each query's hits until the next commit, so cycling a filter back costs
~0.1 ms.  Typed search stays on the pinyin index (``MemberFinder``): a
TinyDB scan of 10,000 members is ~50-75 ms a keystroke, the index ~1-3 ms.

``LedgerQueries`` keeps the sorted lists per ledger revision, for a screen
that asks again after every keystroke.  Pure: no Textual, no I/O; pypinyin
is imported when a finder is made (the full-screen program's first frame
does not wait for it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import compress

from tinydb import Query

MEMBER_SORTS = ("name", "group", "joined", "added")


@dataclass(frozen=True)
class MemberFilter:
    """The roster as the Members list shows it (empty strings: no filter)."""
    text: str = ""  # name, pinyin initials or full, phone or 身份证号
    status: str = ""  # 会籍状态
    group: str = ""  # 工会小组
    hardship: bool = False  # members with a 困难类别 only
    sort: str = "name"  # one of MEMBER_SORTS

    def condition(self):
        """The TinyDB query for the fields filtered, or None."""
        q, parts = Query(), []
        if self.status:
            parts.append(q.status == self.status)
        if self.group:
            parts.append(q.union_group == self.group)
        if self.hardship:
            parts.append(q.hardship.test(bool))
        return _all_of(parts)


@dataclass(frozen=True)
class VisitFilter:
    """The visits as the Visits list shows them: newest first."""
    reason: str = ""  # 慰问类别
    year: str = ""  # four digits
    fund: str = ""  # 经费来源
    member_id: str = ""

    def condition(self):
        q, parts = Query(), []
        if self.reason:
            parts.append(q.reason == self.reason)
        if self.year:
            parts.append(q.date.matches(f"{self.year}-"))
        if self.fund:
            parts.append(q.fund_source == self.fund)
        if self.member_id:
            parts.append(q.member_id == self.member_id)
        return _all_of(parts)


@dataclass(frozen=True)
class VisitTotals:
    count: int
    amount_fen: int


def _all_of(parts):
    if not parts:
        return None
    cond = parts[0]
    for part in parts[1:]:
        cond = cond & part
    return cond


def _ids(ledger, kind: str, cond) -> set[str]:
    return {doc["id"] for doc in ledger.db.table(kind).search(cond)}


# ----------------------------------------------------------------- name search
def _entry(m: dict) -> tuple[str, str, str]:
    return m["id"], m.get("name", ""), f"{m.get('phone') or ''} {m.get('id_number') or ''}"


def sort_key(name: str) -> str:
    """Roster order: by pinyin syllable by syllable, then by the characters, as a
    Chinese roster is read (李伟 li-wei before 林静 lin-jing; a plain string
    compare of "liwei" and "linjing" puts 林 first)."""
    from domain.pinyin import syllables

    return _roster_key(syllables, name)


def _roster_key(syllables, name: str) -> str:
    return "\x01".join(syllables(name)) + "\x00" + name


class MemberFinder:
    """Search-as-you-type that stays cheap after edits: the index built at load
    (~0.2 s over 10,000 members, too long to redo after every save) plus a small
    index of the members changed since; a search asks both and drops stale hits."""

    def __init__(self, members: list[dict]):
        from domain.pinyin import SearchIndex, syllables  # pypinyin: ~0.3 s to import, not before the first frame

        self._base = SearchIndex(_entry(m) for m in members)
        self._changed: dict[str, dict | None] = {}
        self._delta = SearchIndex(())
        self.sort_keys: dict[str, str] = {m["id"]: _roster_key(syllables, m.get("name", "")) for m in members}
        self._recent: dict[str, set[str]] = {}  # backspacing returns to queries just typed

    def update(self, rid: str, record: dict | None) -> None:
        self._recent.clear()
        self._changed[rid] = record
        self._delta = type(self._base)(_entry(m) for m in self._changed.values() if m is not None)
        if record is None:
            self.sort_keys.pop(rid, None)
        else:
            self.sort_keys[rid] = sort_key(record.get("name", ""))

    def search(self, query: str) -> set[str]:
        found = self._recent.get(query)
        if found is None:
            shorter = self._recent.get(query[:-1]) if len(query) > 1 else None
            found = self._refine(query, shorter) if shorter is not None else self._search(query)
            self._recent[query] = found
            if len(self._recent) > 64:
                del self._recent[next(iter(self._recent))]
        return found

    def _refine(self, query: str, candidates: set[str]) -> set[str]:
        """One more letter typed: only the last query's hits can match."""
        changed = self._changed
        old = self._base.refine(query, (k for k in candidates if k not in changed))
        return old | self._delta.refine(query, (k for k in candidates if k in changed))

    def _search(self, query: str) -> set[str]:
        changed = self._changed
        hits = {k for k in self._base.search(query) if k not in changed} if changed \
            else set(self._base.search(query))
        hits.update(self._delta.search(query))
        return hits


# ----------------------------------------------------------------- the lists
class LedgerQueries:
    """The lists of one ledger, sorted lists kept per ledger revision."""

    def __init__(self, ledger, finder: MemberFinder | None = None):
        self.ledger = ledger
        self._finder = finder
        self._cache: dict[tuple, object] = {}

    @property
    def finder(self) -> MemberFinder:
        if self._finder is None:
            self._finder = MemberFinder(self.ledger.records("member"))
        return self._finder

    @finder.setter
    def finder(self, finder: MemberFinder) -> None:
        self._finder = finder
        self._cache.clear()

    def _cached(self, key: tuple, make):
        full = (*key, self.ledger.revision)
        if full not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[-1] == self.ledger.revision}
            self._cache[full] = make()
        return self._cache[full]

    def member_order(self, sort: str = "name") -> list[dict]:
        if sort not in MEMBER_SORTS:
            raise ValueError(f"sort must be one of {', '.join(MEMBER_SORTS)}, not {sort!r}")
        return self._cached(("members", sort), lambda: _sorted_members(self.ledger, self.finder, sort))

    def members(self, flt: MemberFilter = MemberFilter()) -> list[dict]:
        order = self.member_order(flt.sort)
        keep = None
        if flt.text.strip():
            keep = self.finder.search(flt.text)
        cond = flt.condition()
        if cond is not None:
            hits = _ids(self.ledger, "member", cond)
            keep = hits if keep is None else keep & hits
        if keep is None:
            return list(order)
        ids = self._cached(("member_ids", flt.sort), lambda: [m["id"] for m in order])
        return list(compress(order, map(keep.__contains__, ids)))

    def visits(self, flt: VisitFilter = VisitFilter()) -> list[dict]:
        newest = self._cached(("visits",), lambda: sorted(
            self.ledger.records("visit"), key=lambda v: v.get("date", ""), reverse=True))
        cond = flt.condition()
        if cond is None:
            return list(newest)
        hits = _ids(self.ledger, "visit", cond)
        return [v for v in newest if v["id"] in hits]

    def visits_of(self, member_id: str) -> list[dict]:
        """A member's visits, newest first (the detail pane asks on every cursor move:
        one dictionary per revision, not a query per member)."""
        def make():
            by: dict[str, list[dict]] = {}
            for v in self.visits():
                by.setdefault(v.get("member_id", ""), []).append(v)
            return by
        return self._cached(("by_member",), make).get(member_id, [])

    def over_cap(self) -> set[str]:
        """Ids of the visits over a cap or a yearly limit (``domain.caps.over_cap_ids``)."""
        from domain.caps import over_cap_ids

        return self._cached(("over",), lambda: over_cap_ids(self.ledger.config, self.ledger.records("visit")))

    def group_choices(self) -> tuple[str, ...]:
        return self._cached(("groups",), lambda: tuple(sorted(
            {m.get("union_group") or "" for m in self.ledger.records("member")} - {""})))

    def visit_years(self) -> tuple[str, ...]:
        return self._cached(("years",), lambda: tuple(sorted(
            {(v.get("date") or "")[:4] for v in self.ledger.records("visit")} - {""}, reverse=True)))


def _sorted_members(ledger, finder: MemberFinder, sort: str) -> list[dict]:
    members = ledger.records("member")
    keys = finder.sort_keys
    if sort == "name":
        return sorted(members, key=lambda m: (keys.get(m["id"], ""), m.get("phone") or "", m["id"]))
    if sort == "group":
        return sorted(members, key=lambda m: (m.get("union_group") or "\uffff", keys.get(m["id"], "")))
    if sort == "joined":
        return sorted(members, key=lambda m: m.get("joined_date") or "9999")
    return members


# ----------------------------------------------------------------- one-shot forms
def member_rows(ledger, flt: MemberFilter = MemberFilter()) -> list[dict]:
    """The members ``flt`` selects, in its order (builds the pinyin index when text is given)."""
    return LedgerQueries(ledger).members(flt)


def visit_rows(ledger, flt: VisitFilter = VisitFilter()) -> list[dict]:
    """The visits ``flt`` selects, newest first."""
    return LedgerQueries(ledger).visits(flt)


def visit_totals(rows: list[dict]) -> VisitTotals:
    return VisitTotals(len(rows), sum(v.get("amount") or 0 for v in rows))


def agenda(ledger, start: dt.date, end: dt.date) -> list[tuple]:
    """(occurrence, event) for every occurrence held or cancelled in ``[start, end]``,
    by date, time of day, then title (``domain.occurrences.Occurrence``)."""
    from domain.occurrences import event_occurrence_list

    out = [(o, e) for e in ledger.records("event") for o in event_occurrence_list(e, start, end)]
    out.sort(key=lambda pair: (pair[0].date, pair[0].start_time, pair[1].get("title", "")))
    return out


def day_counts(items: list[tuple]) -> dict[dt.date, int]:
    """How many occurrences are held on each day (cancelled ones not counted)."""
    counts: dict[dt.date, int] = {}
    for occurrence, _ in items:
        if not occurrence.cancelled:
            counts[occurrence.date] = counts.get(occurrence.date, 0) + 1
    return counts


def duties(ledger, today: dt.date):
    """What is due in the 30 days from ``today`` (``domain.duties.Duty`` rows)."""
    from domain.duties import month_duties

    return month_duties(ledger, today)


def targets(ledger, year: int, today: dt.date | None = None):
    """The plan's yearly targets (``domain.duties.Target``); attendance counts up to ``today``."""
    from domain.duties import targets as yearly

    return yearly(ledger, year, today)
