"""Helpers for the sync tests: the emulator fixtures, a gateway that "dies"
between requests, and the sheet's and a ledger's contents in canonical form."""

from __future__ import annotations

import pytest

from domain.fields import KINDS
from domain.validation import ValidationError, parse_value
from sync.reconcile import canon, cell_text
from sync.gateway import RetryPolicy, connect
from sync.sheet_layout import TABS, read_layout, synced_fields
from tests.emulator_fixtures import running_emulator

FAST = RetryPolicy(attempts=5, base_seconds=0.001, max_seconds=0.01, total_seconds=5)


@pytest.fixture(scope="module")
def emu():
    with running_emulator() as e:
        yield e


@pytest.fixture
def sid(emu):
    return emu.create_spreadsheet("学区台账")


def gw_for(emu, sid):
    return connect(sid, endpoint=emu.url, retry=FAST)


class Killed(BaseException):
    """The process died (BaseException: nothing in the sync may catch it)."""


class KillingGateway:
    """Forwards to a gateway; raises Killed instead of sending request ``kill_at`` (1-based)."""

    def __init__(self, gw, kill_at: int | None = None):
        self.gw = gw
        self.kill_at = kill_at
        self.calls = 0

    @property
    def request_count(self):
        return self.gw.request_count

    def _tick(self):
        self.calls += 1
        if self.kill_at is not None and self.calls == self.kill_at:
            raise Killed()

    def metadata(self):
        self._tick()
        return self.gw.metadata()

    def read_tabs(self, *a, **kw):
        self._tick()
        return self.gw.read_tabs(*a, **kw)

    def structural(self, *a, **kw):
        self._tick()
        return self.gw.structural(*a, **kw)

    def write_blocks(self, *a, **kw):
        self._tick()
        return self.gw.write_blocks(*a, **kw)


def fields_of(kind, config):
    return [f for f in synced_fields(kind, config) if f.name != "school"]


def sheet_rows(emu, sid, kind, config):
    """[(sheet row number, id, school, {field: canonical or ('BAD', text)}, raw row)] of a tab."""
    if TABS[kind] not in emu.tabs(sid):
        return []
    rows = emu.values(sid, TABS[kind], render="FORMULA")
    if not rows:
        return []
    layout = read_layout(kind, rows[0], config)
    out = []
    for r, row in enumerate(rows[1:], start=2):
        if all(c in ("", None) for c in row):
            continue

        def get(c):
            return cell_text(row[c]) if c is not None and c < len(row) else ""

        values = {}
        for f in fields_of(kind, config):
            text = get(layout.columns.get(f.name))
            if text.startswith("="):
                values[f.name] = ("FORMULA", text)
                continue
            try:
                values[f.name] = canon(f, parse_value(kind, f, text, config))
            except ValidationError:
                values[f.name] = ("BAD", text)
        out.append((r, get(layout.id_col), get(layout.school_col), values, row))
    return out


def ledger_state(ledger, kind):
    fs = fields_of(kind, ledger.config)
    return {r["id"]: {f.name: canon(f, r.get(f.name)) for f in fs} for r in ledger.records(kind)}


def all_kinds():
    return KINDS
