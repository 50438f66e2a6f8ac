"""Benchmark: first sync of the large demo ledger (10,000 members, 2,000
events, 20,000 visits) against the local emulator, then a sync with nothing
to do, then a typical sync; requests beside what a row-by-row approach needs.

    uv run python tests/bench/bench_sync.py        # budget: first <= 10 s, no-op <= 2 s
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from domain.demo import make_demo_ledger  # noqa: E402
from domain.store import Ledger  # noqa: E402
from sync.emulator import Emulator  # noqa: E402
from sync.engine import sync  # noqa: E402
from sync.gateway import connect  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.json"
        t = time.perf_counter()
        counts = make_demo_ledger(path, large=True)
        print(f"demo ledger: {counts} made in {time.perf_counter() - t:.1f} s")
        emu = Emulator()
        emu.start()
        sid = emu.create_spreadsheet("学区台账")
        n = sum(counts.values())
        with Ledger.open(path) as led:
            t = time.perf_counter()
            first = sync(led, connect(sid, endpoint=emu.url))
            t_first = time.perf_counter() - t
            t = time.perf_counter()
            noop = sync(led, connect(sid, endpoint=emu.url))
            t_noop = time.perf_counter() - t
            members = led.records("member")[:50]
            for m in members:
                led.edit("member", m["id"], {"notes": "体检已完成"})
            emu.set_cell(sid, "活动", "F2", "操场")
            t = time.perf_counter()
            typical = sync(led, connect(sid, endpoint=emu.url))
            t_typ = time.perf_counter() - t
        emu.stop()
    ok = t_first <= 10 and t_noop <= 2 and noop.requests <= 2 and max(first.requests, typical.requests) <= 5
    print(f"{'sync':<34}{'seconds':>9}{'requests':>10}{'row-by-row requests':>22}")
    print(f"{'first sync, ' + str(n) + ' records':<34}{t_first:>9.2f}{first.requests:>10}{n + 4:>22}")
    print(f"{'nothing to do':<34}{t_noop:>9.2f}{noop.requests:>10}{4:>22}")
    print(f"{'50 local edits + 1 sheet edit':<34}{t_typ:>9.2f}{typical.requests:>10}{4 + 51:>22}")
    print("row by row: one read per tab plus one write per changed record (one values.update or append each);"
          f" at 60 writes a minute the first sync alone would take {n / 60 / 60:.1f} hours of quota")
    print("budget met" if ok else "BUDGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
