"""Child process for the kill test: commits edits and acknowledges each one.

Prints ``add ID N`` or ``edit ID N`` after the ledger returned, i.e. after
the commit was durable; the parent kills it with SIGKILL at a random moment.
Compacts every few commits so that some kills land inside compaction.
"""

import random
import sys

from domain import store
from domain.store import Ledger

path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
store.COMPACT_MIN_BYTES = 0
with Ledger.open(path, school="莲峰小学") as ledger:
    ids = [r["id"] for r in ledger.records("member")]
    counter = max((int(r["notes"] or 0) for r in ledger.records("member")), default=0)
    print("ready", flush=True)
    while True:
        counter += 1
        if not ids or rng.random() < 0.2:
            rec = ledger.add("member", {"name": "曾" + str(counter), "notes": str(counter)})
            ids.append(rec["id"])
            print("add", rec["id"], counter, flush=True)
        else:
            rid = rng.choice(ids)
            ledger.edit("member", rid, {"notes": str(counter)})
            print("edit", rid, counter, flush=True)
        if counter % 15 == 0:
            ledger.compact()
