"""Import speed: a 10,000-row .xlsx roster into the large demo ledger.

    uv run python tests/bench/bench_import.py [--rows N]

Prints the time python-calamine alone takes to read the file, the dry run
(goal <= 2 s) and the commit with its backup (goal <= 5 s), on the large demo
ledger (10,000 members, 2,000 events, 20,000 visits).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from domain.demo import make_demo_ledger
from domain.importing import commit_import, plan_import
from domain.store import Ledger
from tests.import_helpers import person, roster_rows, roster_xlsx


class Timing(float):
    """Wall seconds, carrying the CPU seconds too (on a shared machine the wall time waits its turn)."""

    cpu = 0.0

    def __format__(self, spec: str) -> str:
        return f"{float(self):{spec}} s wall, {self.cpu:{spec}} s CPU"


def timed(action):
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    took = Timing(time.perf_counter() - start)
    took.cpu = time.process_time() - cpu
    return result, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "large.json"
        _, made = timed(lambda: make_demo_ledger(db, large=True))
        people = [person(100_000 + i, group=f"第{i % 40 + 1}组") for i in range(args.rows)]
        roster = roster_xlsx(folder / "roster.xlsx", roster_rows(people), numbers_as_ids=tuple(range(0, args.rows, 97)))

        def calamine_read():
            from python_calamine import CalamineWorkbook

            return CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python(skip_empty_area=False)

        _, read = timed(calamine_read)
        with Ledger.open(db) as ledger:
            plan, dry = timed(lambda: plan_import("member", ledger, roster))
            _, commit = timed(lambda: commit_import(ledger, plan))
            members = ledger.count("member")
        counts = plan.counts()
        size_kb = roster.stat().st_size // 1024
    print(f"large demo ledger made in {made:.1f}; roster {args.rows} rows ({size_kb} KB)")
    print(f"python-calamine read alone: {read:.2f}")
    print(f"dry run (read, map, validate, duplicates): {dry:.2f}   goal <= 2 s")
    print(f"commit (backup + one journal commit): {commit:.2f}   goal <= 5 s")
    print(f"outcomes {counts}; members now {members}")


if __name__ == "__main__":
    main()
