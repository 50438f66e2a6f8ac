"""Search-as-you-type over members that stays cheap after edits.

``domain.pinyin.SearchIndex`` takes ~0.2 s to build over 10,000 members, too
long to redo after every save.  ``MemberFinder`` keeps the index built at
load time plus a small index of the members changed since; a search asks
both, and drops stale hits from the big one.
"""

from __future__ import annotations

from domain.pinyin import SearchIndex, syllables


def _entry(m: dict) -> tuple[str, str, str]:
    return m["id"], m.get("name", ""), f"{m.get('phone') or ''} {m.get('id_number') or ''}"


def sort_key(name: str) -> str:
    """Roster order: by pinyin syllable by syllable, then by the characters, as a
    Chinese roster is read (李伟 li-wei before 林静 lin-jing; a plain string
    compare of "liwei" and "linjing" puts 林 first)."""
    return "\x01".join(syllables(name)) + "\x00" + name


class MemberFinder:
    def __init__(self, members: list[dict]):
        self._base = SearchIndex(_entry(m) for m in members)
        self._changed: dict[str, dict | None] = {}
        self._delta = SearchIndex(())
        self.sort_keys: dict[str, str] = {m["id"]: sort_key(m.get("name", "")) for m in members}
        self._recent: dict[str, set[str]] = {}  # backspacing returns to queries just typed

    def update(self, rid: str, record: dict | None) -> None:
        self._recent.clear()
        self._changed[rid] = record
        self._delta = SearchIndex(_entry(m) for m in self._changed.values() if m is not None)
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
        hits = {k for k in self._base.search(query) if k not in changed} if changed else set(self._base.search(query))
        hits.update(self._delta.search(query))
        return hits
