"""What a repair can salvage from: every whole state and every intact journal line.

States are the snapshot, each backup, and the snapshots an earlier repair set
aside; each holds the commits up to its ``seq`` but those its repair record
says it lacks.  Lines are the journal's and those of the journals an earlier
repair set aside (only the copies a repair record names: a copy of another
ledger's history lying beside this one is never mixed in).  A damaged line is
placed between the intact lines around it: the commits it held are the ones
they skip.

A repair writes its record into the ``_meta`` table (so that it travels into
every backup) and into the snapshot's and each backup's header (so that
listing reads headers alone): ``lacks`` (the commits it could not recover, as
ranges), ``repairs`` (the commits that were repairs: they changed no record)
and ``aside`` (the names of the files it and earlier repairs set aside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from domain import snapshot
from domain.backups import BackupFailed, list_backups, read_backup
from domain.journal import Line, decode_line, split_lines

RECORD_KEY = snapshot.REPAIR_RECORD
_LINE_START = re.compile(rb'[0-9a-f]{8} \{"seq":')


@dataclass
class State:
    """A whole state one repair could start from; ``tables`` loaded on demand."""

    kind: str  # "snapshot", "backup", "aside" or "empty"
    path: Path | None
    seq: int
    lacks: frozenset[int] = frozenset()
    tables: dict | None = None

    def load(self) -> dict:
        """The tables (each call a fresh copy for a backup); raises BackupFailed."""
        if self.tables is not None:
            tables, self.tables = self.tables, None
            return tables
        if self.kind == "empty":
            return {}
        return read_backup(self.path)[1] if self.kind == "backup" else snapshot.read(self.path)[1]


@dataclass
class BadLine:
    """A journal line failing its checksum; ``gap`` the commits it may have held."""

    source: Path
    number: int
    raw: bytes
    gap: range | None
    current: bool  # in the ledger's own journal (not a copy set aside)


@dataclass
class Sources:
    path: Path
    states: list[State] = field(default_factory=list)
    lines: dict[int, list] = field(default_factory=dict)  # seq -> ops, from every journal
    bad: list[BadLine] = field(default_factory=list)
    repairs: set[int] = field(default_factory=set)
    aside: set[str] = field(default_factory=set)
    top: int = 0  # the last commit the lock or any file knows of
    snapshot_problem: str = ""


def to_ranges(seqs) -> list[tuple[int, int]]:
    """Sorted seqs as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for seq in sorted(seqs):
        if runs and runs[-1][1] == seq - 1:
            runs[-1] = (runs[-1][0], seq)
        else:
            runs.append((seq, seq))
    return runs


def from_ranges(runs) -> frozenset[int]:
    return frozenset(s for first, last in runs or () for s in range(int(first), int(last) + 1))


def record_of(tables: dict | None, header: dict | None = None) -> dict:
    found = (header or {}).get(RECORD_KEY) or (tables or {}).get("_meta", {}).get(RECORD_KEY)
    return found if isinstance(found, dict) else {}


def gather(path: Path, *, named: Path | None = None, acknowledged: int = 0) -> Sources:
    """Every source of ``path``'s commits (a named backup that fails its check raises)."""
    src = Sources(path)
    _snapshot_state(src)
    for info in list_backups(path):
        if named is None or info.path.resolve() != named.resolve():
            _add(src, State("backup", info.path, info.seq), _header(info.path))
    if named is not None:
        header, tables = read_backup(named)
        _add(src, State("backup", named, int(header.get("seq", 0)), tables=tables), header)
    _aside_states(src)
    journal = path.with_name(path.name + ".journal")
    start = _start_seq(path)
    journals = [(journal, True, start)] + [(path.with_name(n), False, None) for n in sorted(src.aside)
                                            if n.startswith(journal.name + ".")]
    parsed = [(j, current, first, _lines(j)) for j, current, first in journals if j.exists()]
    for journal_path, current, first, lines in parsed:
        _collect_good(src, lines, first or 0)
    src.top = max([acknowledged, *src.repairs, *src.lines, *(s.seq for s in src.states)])
    for journal_path, current, first, lines in parsed:
        _collect_bad(src, journal_path, lines, first, current)
    if not path.exists() and src.top and 1 not in src.lines and not any(
            b.current and b.gap is not None and 1 in b.gap for b in src.bad):
        src.snapshot_problem = "missing"  # compacted once: its first commits were in the snapshot
    return src


def _header(path: Path) -> dict | None:
    try:
        return snapshot.read_header(path)
    except (OSError, ValueError):
        return None


def _add(src: Sources, state: State, header: dict | None) -> None:
    record = record_of(state.tables, header)
    state.lacks = from_ranges(record.get("lacks"))
    src.repairs |= {int(s) for s in record.get("repairs", ())}
    src.aside |= {str(n) for n in record.get("aside", ()) if "/" not in str(n)}
    src.states.append(state)


def _snapshot_state(src: Sources) -> None:
    if not src.path.exists():
        return
    try:
        header, tables = snapshot.read(src.path)
    except snapshot.SnapshotDamaged as exc:
        src.snapshot_problem = exc.what
        return
    _add(src, State("snapshot", src.path, int(header.get("seq", 0)), tables=tables), header)


def _aside_states(src: Sources) -> None:
    """The snapshots earlier repairs set aside, as their records name them (headers
    only: one is read whole only if it is the base)."""
    seen: set[str] = set()
    prefix = src.path.name + ".damaged-"
    while todo := sorted(n for n in src.aside - seen if n.startswith(prefix)):
        for name in todo:
            seen.add(name)
            header = _header(src.path.with_name(name))
            if header is not None:
                _add(src, State("aside", src.path.with_name(name), int(header.get("seq", 0))), header)


def _start_seq(path: Path) -> int | None:
    """The commit the ledger's journal follows: its snapshot's, if its header reads."""
    if not path.exists():
        return None
    header = _header(path)
    return int(header.get("seq", 0)) if header else None


def _lines(journal: Path) -> list[tuple[Line, list]]:
    """Each line with the commits it holds: one, none (damaged) or several
    (lines run together, split where a checksum proves it)."""
    return [(line, [(line.seq, line.ops)] if line.ops is not None else _rejoined(line))
            for line in split_lines(journal.read_bytes())]


def _rejoined(line: Line) -> list[tuple[int | None, list]]:
    """Commits inside a bad line that are whole save for a lost or changed newline."""
    starts = [m.start() for m in _LINE_START.finditer(line.raw)]
    if not starts or starts[0] != 0:
        return []
    found = []
    for begin, end in zip(starts, [*starts[1:], len(line.raw)]):
        piece = line.raw[begin:end]
        decoded = decode_line(piece) or decode_line(piece + b"\n") or decode_line(piece[:-1] + b"\n")
        if decoded is None:
            return []
        found.append(decoded[:2])
    return found


def _collect_good(src: Sources, lines: list[tuple[Line, list]], seq: int) -> None:
    """Every intact commit by seq (lines written before sequence numbers count on)."""
    for _, commits in lines:
        for line_seq, ops in commits:
            seq = seq + 1 if line_seq is None else line_seq
            src.lines.setdefault(seq, ops)


def _collect_bad(src: Sources, journal: Path, lines, first: int | None, current: bool) -> None:
    """Each damaged line, with the commits between the intact lines around it."""
    seqs: list[int | None] = []
    last = first
    for _, commits in lines:
        for line_seq, _ in commits:
            last = (last or 0) + 1 if line_seq is None else line_seq
        seqs.append(last if commits else None)
    for i, (line, commits) in enumerate(lines):
        if commits:
            continue
        before = next((s for s in reversed(seqs[:i]) if s is not None), first)
        after = next((s for s in seqs[i + 1:] if s is not None), None)
        src.bad.append(BadLine(journal, line.number, line.raw, _gap(src, before, after, current), current))


def _gap(src: Sources, before: int | None, after: int | None, current: bool) -> range | None:
    if before is not None and after is not None:
        return range(before + 1, after)
    if before is not None:  # the last lines: in the ledger's journal, up to the last commit known
        return range(before + 1, src.top + 1 if current else before + 2)
    if after is not None:
        return range(after - 1, after) if after > 1 else range(0)
    return None

