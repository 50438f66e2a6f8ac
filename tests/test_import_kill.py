"""kill -9 during an import's commit: the ledger is as before, or holds every valid row."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from domain.store import Ledger
from tests.import_helpers import person, roster_rows, roster_xlsx

ROOT = Path(__file__).resolve().parents[1]
ROWS = 3000
KILLS = 12
CHILD = """
import sys, time
from domain.importing import commit_import, plan_import
from domain.store import Ledger
with Ledger.open(sys.argv[1]) as ledger:
    plan = plan_import("member", ledger, sys.argv[2])
    print("planned", flush=True)
    start = time.perf_counter()
    commit_import(ledger, plan, backup=False)
    print("done", time.perf_counter() - start, flush=True)
"""


def start_child(db: Path, roster: Path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(roster)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "planned"
    return child


def copy_ledger(src: Path, dst: Path) -> None:
    for p in src.parent.glob(src.name + "*"):
        if p.is_file() and not p.name.endswith(".lock"):
            shutil.copy(p, dst.parent / p.name.replace(src.name, dst.name, 1))


def test_commit_killed_midway_is_all_rows_or_none(tmp_path):
    original = tmp_path / "original.json"
    with Ledger.open(original, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "王芳", "phone": "13800138000"})
    people = [person(i) for i in range(1, ROWS + 1)]
    roster = roster_xlsx(tmp_path / "r.xlsx", roster_rows(people), numbers_as_ids=(5, 50, 500))
    valid = ROWS - 3

    # One run to the end: how long the commit takes here.
    db = tmp_path / "measure.json"
    copy_ledger(original, db)
    child = start_child(db, roster)
    took = float(child.stdout.readline().split()[1])
    child.wait()
    with Ledger.open(db, read_only=True) as ledger:
        assert ledger.count("member") == 1 + valid

    rng = random.Random(11)
    outcomes = []
    for i in range(KILLS):
        db = tmp_path / f"kill{i}.json"
        copy_ledger(original, db)
        child = start_child(db, roster)
        time.sleep(rng.uniform(0, took * 1.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        with Ledger.open(db) as ledger:  # it must load, whatever the moment
            count = ledger.count("member")
        assert count in (1, 1 + valid), f"kill {i}: {count} members, a partial import"
        outcomes.append(count)
    print(f"commit {took * 1000:.0f} ms; {KILLS} kills: {outcomes.count(1)} before, "
          f"{outcomes.count(1 + valid)} after")
