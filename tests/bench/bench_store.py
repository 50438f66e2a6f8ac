"""Benchmark: the ledger's store on the large demo ledger, beside TinyDB's default storage.

    uv run python tests/bench/bench_store.py [--edits 500] [--baseline-edits 15]

Prints open time (median of 5) and committed-edit p50/p95 for the journal
store, then the same for TinyDB's stock JSONStorage over the same data,
measured in the same run; then the safety net's costs: a read-only open, a
backup (written, read back and checked), listing 30 backups from their
headers, and a repair of the whole ledger.  Not a test: figures only.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere

import orjson  # noqa: E402
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from domain import snapshot
from domain.backups import list_backups, make_backup
from domain.demo import make_demo_ledger
from domain.repair import repair
from domain.store import Ledger


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def bench_journal(path: Path, edits: int) -> dict:
    opens = []
    for _ in range(5):
        t = time.perf_counter()
        ledger = Ledger.open(path)
        opens.append(time.perf_counter() - t)
        ledger.close()
    rng = random.Random(1)
    with Ledger.open(path) as ledger:
        ids = [r["id"] for r in ledger.records("member")]
        times = []
        for i in range(edits):
            rid = rng.choice(ids)
            t = time.perf_counter()
            ledger.edit("member", rid, {"notes": f"第{i}次修改"})
            times.append(time.perf_counter() - t)
    return {"open": statistics.median(opens), "p50": pct(times, 0.5), "p95": pct(times, 0.95)}


def bench_tinydb_default(path: Path, edits: int) -> dict:
    _, tables = snapshot.read(path)
    plain = path.with_name("tinydb-default.json")
    plain.write_bytes(orjson.dumps({k: v for k, v in tables.items() if not k.startswith("_")}))
    opens = []
    for _ in range(3):
        t = time.perf_counter()
        db = TinyDB(plain, storage=JSONStorage)
        db.table("member").all()
        opens.append(time.perf_counter() - t)
        db.close()
    db = TinyDB(plain, storage=JSONStorage)
    members = db.table("member")
    doc_ids = [d.doc_id for d in members.all()]
    rng = random.Random(1)
    times = []
    for i in range(edits):
        t = time.perf_counter()
        members.update({"notes": f"第{i}次修改"}, doc_ids=[rng.choice(doc_ids)])
        times.append(time.perf_counter() - t)
    db.close()
    return {"open": statistics.median(opens), "p50": pct(times, 0.5), "p95": pct(times, 0.95)}


def timed(action) -> tuple[float, object]:
    t = time.perf_counter()
    result = action()
    return time.perf_counter() - t, result


def bench_safety(path: Path) -> dict:
    figures = {}
    figures["read-only open"] = statistics.median(timed(lambda: Ledger.open(path, read_only=True).close())[0]
                                                  for _ in range(3))
    with Ledger.open(path) as ledger:
        figures["backup (write+check)"], made = timed(lambda: make_backup(ledger, "manual"))
        for _ in range(29):
            make_backup(ledger, "manual")
    figures["list 30 backups"] = timed(lambda: list_backups(path))[0]
    figures["repair (whole ledger)"] = timed(lambda: repair(path))[0]
    print(f"backup size {made.stat().st_size / 1e6:.1f} MB (ledger {path.stat().st_size / 1e6:.1f} MB)")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--baseline-edits", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.json"
        t = time.perf_counter()
        counts = make_demo_ledger(path, large=True)
        print(f"large demo ledger: {counts} made in {time.perf_counter() - t:.1f} s, "
              f"{path.stat().st_size / 1e6:.1f} MB")
        ours = bench_journal(path, args.edits)
        base = bench_tinydb_default(path, args.baseline_edits)
        safety = bench_safety(path)
    print(f"{'store':28} {'open (median)':>14} {'edit p50':>12} {'edit p95':>12}")
    print(f"{'journal (this project)':28} {ms(ours['open'])} {ms(ours['p50'])} {ms(ours['p95'])}")
    print(f"{'TinyDB JSONStorage':28} {ms(base['open'])} {ms(base['p50'])} {ms(base['p95'])}")
    print(f"edit p95 ratio (TinyDB default / journal): {base['p95'] / ours['p95']:.0f}x; "
          f"goals: edit p95 <= 16 ms, open <= 500 ms")
    for name, seconds in safety.items():
        print(f"{name:28} {ms(seconds)}")


if __name__ == "__main__":
    main()
