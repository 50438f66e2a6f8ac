"""The demo's district sheet: a local Sheets API emulator whose state file
sits beside the demo ledger, seeded on first use with the rows of the
district's two other demo schools (made by the same sync a school uses), so
a new user sees the whole round trip without a Google account.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path

DEMO_TITLE = "莲峰学区工会台账（演示）"


class DemoSheet:
    def __init__(self, ledger_path: Path | str, config=None):
        p = Path(ledger_path)
        self.state_path = p.with_name(p.stem + "-sheet.json")
        self.config = config
        self.emulator = None

    def start(self) -> dict:
        from sync.emulator import Emulator

        self.emulator = Emulator(state_path=self.state_path)
        url = self.emulator.start()
        live = [s for s in self.emulator.backend.spreadsheets.values() if not s.deleted]
        if live:
            sid = live[0].id
        else:
            sid = self.emulator.create_spreadsheet(DEMO_TITLE)
            seed_other_schools(url, sid, self.config)
        return {"spreadsheet": sid, "endpoint": url}

    def stop(self) -> None:
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator.save()
            self.emulator = None


def seed_other_schools(url: str, sid: str, config=None, *, members: int = 20, visits: int = 30,
                       seed: int = 7) -> None:
    """Sync a small ledger of each other demo school into the sheet."""
    from domain.config import load_config
    from domain.demo import SCHOOLS, _bulk_put, demo_events, demo_members, demo_visit
    from domain.store import Ledger
    from sync.engine import sync
    from sync.gateway import connect

    config = config or load_config()
    year = dt.date.today().year
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        for i, school in enumerate(SCHOOLS[1:], start=1):
            with Ledger.open(Path(tmp) / f"school{i}.json", config=config, school=school) as led:
                ms = _bulk_put(led, "member", demo_members(rng, school, members, year, seq_start=i * 1000),
                               config, year)
                _bulk_put(led, "event", demo_events(rng, school, year)[:12], config, year)
                vs = []
                for _ in range(visits):
                    m = rng.choice(ms)
                    v = demo_visit(rng, m, school, year)
                    v["member_name"] = m["name"]
                    vs.append(v)
                _bulk_put(led, "visit", vs, config, year)
                sync(led, connect(sid, endpoint=url))
