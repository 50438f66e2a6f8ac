"""Rows the district staff add by hand (no 编号) that cannot be taken in,
against the emulator: reported as a row without id on every sync, the
same problem each time, the row left as typed, nothing cut; fixed, the row
gets its id and becomes a record."""

from __future__ import annotations

import pytest

from domain.store import Ledger
from sync.engine import sync
from sync.problems import open_problems
from tests.sync_support import emu, gw_for, sheet_rows, sid  # noqa: F401  (fixtures)

A = "东四尺小学"
LONG = "长" * 50_001


@pytest.fixture
def led(tmp_path):
    with Ledger.open(tmp_path / "a.json", school=A) as ledger:
        ledger.add("member", {"name": "会员甲"})
        yield ledger


def hand_row(emu, sid, led, cells: dict[str, str]) -> int:
    """Type a row without 编号 below the data; returns its sheet row."""
    header = emu.values(sid, "会员")[0]
    labels = {"school": "学校", "name": "姓名", "notes": "备注", "title": "职称"}
    row = [""] * len(header)
    for name, text in cells.items():
        row[header.index(labels[name])] = text
    n = len(emu.values(sid, "会员")) + 1
    emu.insert_row(sid, "会员", n, row)
    return n


def raw_row(emu, sid, n):
    return emu.values(sid, "会员", render="FORMULA")[n - 1]


@pytest.mark.parametrize("cells, header", [
    ({"school": A, "name": "王五", "title": "高级教师", "notes": LONG}, "备注"),  # a bad cell
    ({"school": A, "title": "高级教师"}, "姓名"),  # no name: invalid as a whole
])
def test_a_hand_row_not_taken_in_is_listed_every_sync_until_fixed(emu, sid, led, cells, header):
    sync(led, gw_for(emu, sid))
    n = hand_row(emu, sid, led, cells)
    before = raw_row(emu, sid, n)
    listed = []
    for _ in range(2):
        r = sync(led, gw_for(emu, sid))
        (p,) = open_problems(led)
        assert (p["problem"], p["id"], p["row"], p["header"]) == ("no_id_row", "", n, header)
        assert r.stats["ids_written"] == 0 and led.count("member") == 1
        listed.append(p)
    assert listed[0] == listed[1]  # the same problem each sync (no new id made up each time)
    assert raw_row(emu, sid, n) == before  # nothing in the row written, nothing cut
    col = next(p["column"] for p in listed)
    emu.set_cell(sid, "会员", f"{col}{n}", "已改正")
    r = sync(led, gw_for(emu, sid))
    assert open_problems(led) == [] and r.stats["ids_written"] == 1
    row = next(x for x in sheet_rows(emu, sid, "member", led.config) if x[0] == n)
    rec = led.get("member", row[1])
    assert rec["title"] == "高级教师" and rec[{"备注": "notes", "姓名": "name"}[header]] == "已改正"
    assert rec["name"] == cells.get("name", "已改正")  # what else the row held is kept
