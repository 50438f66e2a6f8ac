"""The store against an in-memory reference: random operations, reopens and crashes."""

from __future__ import annotations

import os

import orjson
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain import store as store_mod
from domain.journal import CorruptLedger
from domain.store import Ledger, LedgerBusy, NotFound
from domain.validation import ValidationError

NAMES = st.sampled_from(["张三", "李四", "曾国藩", "单田芳", "区小红", "[b]王[/b]", "欧阳修"])
NOTES = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


def crash(ledger: Ledger) -> None:
    """Drop a ledger the way a killed process would: no compaction, no close."""
    ledger._files.close()
    ledger._lock.close()
    ledger._files = None


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        import tempfile
        from pathlib import Path

        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "l.json"
        self.reference: dict[str, dict] = {}  # id -> (name, notes)
        self.undo_stack: list[tuple[str, tuple | None]] = []

    @initialize(threshold=st.sampled_from([0, 200, 1 << 20]))
    def open_ledger(self, threshold):
        # A tiny compaction threshold makes compaction part of the run.
        store_mod.COMPACT_MIN_BYTES = threshold
        self.ledger = Ledger.open(self.path, school="莲峰小学")

    def teardown(self):
        store_mod.COMPACT_MIN_BYTES = 1 << 20
        if getattr(self, "ledger", None) and self.ledger._files:
            self.ledger.close()
        self.dir.cleanup()

    @rule(name=NAMES, notes=NOTES)
    def add(self, name, notes):
        rec = self.ledger.add("member", {"name": name, "notes": notes})
        self.reference[rec["id"]] = (name, notes.strip())
        self.undo_stack.append((rec["id"], None))

    @precondition(lambda self: self.reference)
    @rule(data=st.data(), notes=NOTES)
    def edit(self, data, notes):
        rid = data.draw(st.sampled_from(sorted(self.reference)))
        before = self.reference[rid]
        self.ledger.edit("member", rid, {"notes": notes})
        if before[1] != notes.strip():
            self.undo_stack.append((rid, before))
        self.reference[rid] = (before[0], notes.strip())

    @precondition(lambda self: self.reference)
    @rule(data=st.data())
    def delete(self, data):
        rid = data.draw(st.sampled_from(sorted(self.reference)))
        self.undo_stack.append((rid, self.reference.pop(rid)))
        self.ledger.delete("member", rid)

    @precondition(lambda self: self.undo_stack)
    @rule()
    def undo(self):
        rid, before = self.undo_stack.pop()
        self.ledger.undo()
        if before is None:
            self.reference.pop(rid, None)
        else:
            self.reference[rid] = before

    @rule()
    def reopen(self):
        self.ledger.close()
        self.ledger = Ledger.open(self.path)
        self.undo_stack.clear()  # undo is per session

    @rule()
    def crash_and_reopen(self):
        crash(self.ledger)
        self.ledger = Ledger.open(self.path)
        self.undo_stack.clear()

    @rule(garbage=st.binary(min_size=1, max_size=40).filter(lambda b: b"\n" not in b))
    def crash_mid_write(self, garbage):
        # A torn last line: the process died inside write(), before fsync returned.
        crash(self.ledger)
        with open(str(self.path) + ".journal", "ab") as fh:
            fh.write(garbage)
        self.ledger = Ledger.open(self.path)
        self.undo_stack.clear()

    @rule()
    def compact(self):
        self.ledger.compact()

    @invariant()
    def matches_reference(self):
        if not getattr(self, "ledger", None):
            return
        got = {r["id"]: (r["name"], r["notes"]) for r in self.ledger.records("member")}
        assert got == self.reference
        for rid in self.reference:
            assert self.ledger.get("member", rid)["id"] == rid


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)


def test_journal_line_corrupt_in_the_middle_stops_opening(ledger_path):
    with Ledger.open(ledger_path) as led:
        led.add("member", {"name": "张三"})
        led.add("member", {"name": "李四"})
    journal = ledger_path.with_name(ledger_path.name + ".journal")
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 2
    journal.write_bytes(lines[0].replace(b"\xe5\xbc\xa0", b"\xe7\x8e\x8b") + lines[1])
    with pytest.raises(CorruptLedger, match="第 1 行"):
        Ledger.open(ledger_path)


def test_second_open_is_refused_and_first_keeps_working(ledger_path):
    with Ledger.open(ledger_path) as first:
        with pytest.raises(LedgerBusy, match=rf"另一个程序使用（.*进程 {os.getpid()}）"):
            Ledger.open(ledger_path, wait=0.2)
        first.add("member", {"name": "张三"})
    with Ledger.open(ledger_path) as again:
        assert [r["name"] for r in again.records("member")] == ["张三"]


def test_invalid_input_writes_nothing(ledger, ledger_path):
    ledger.add("member", {"name": "张三"})
    journal = ledger_path.with_name(ledger_path.name + ".journal")
    size = journal.stat().st_size
    with pytest.raises(ValidationError, match="出生日期"):
        ledger.add("member", {"name": "李四", "birth_date": "昨天"})
    with pytest.raises(ValidationError, match="手机"):
        ledger.edit("member", ledger.records("member")[0]["id"], {"phone": "12345"})
    assert journal.stat().st_size == size
    assert [r["name"] for r in ledger.records("member")] == ["张三"]


def test_history_records_each_changed_field(ledger):
    rec = ledger.add("member", {"name": "张三", "phone": "13800138000"})
    ledger.edit("member", rec["id"], {"phone": "139 0013 9000", "notes": "调入"})
    ledger.delete("member", rec["id"])
    entries = ledger.history("member", rec["id"])
    changes = [(e["field"], e["old"], e["new"]) for e in entries]
    assert changes[0] == ("*", "", "created")
    assert ("phone", "13800138000", "13900139000") in changes
    assert ("notes", "", "调入") in changes
    assert changes[-1][0] == "*" and changes[-1][2] == "deleted"
    assert orjson.loads(changes[-1][1])["name"] == "张三"  # the deleted record stays readable


def test_visit_needs_an_existing_member_and_takes_its_name(ledger):
    with pytest.raises(ValidationError, match="会员编号"):
        ledger.add("visit", {"member_id": "NOPE", "date": "2025-03-08", "reason": "生病住院"})
    m = ledger.add("member", {"name": "曾小红"})
    v = ledger.add("visit", {"member_id": m["id"], "date": "2025年3月8日", "reason": "生病住院", "amount": "500"})
    assert v["member_name"] == "曾小红" and v["amount"] == 50000 and v["date"] == "2025-03-08"


def test_idcard_fills_birth_and_sex_and_must_agree(ledger):
    from domain.idcard import make_idcard
    import datetime as dt

    idn = make_idcard("410102", dt.date(1980, 3, 8), 12, "女")
    rec = ledger.add("member", {"name": "王芳", "id_number": idn})
    assert rec["birth_date"] == "1980-03-08" and rec["gender"] == "女"
    with pytest.raises(ValidationError, match="性别"):
        ledger.add("member", {"name": "王芳", "id_number": idn, "gender": "男"})


def test_missing_record_is_reported(ledger):
    with pytest.raises(NotFound, match="没有编号为 X1 的会员"):
        ledger.edit("member", "X1", {"notes": "a"})


def test_a_category_dropped_from_the_configuration_keeps_old_records_editable(ledger):
    m = ledger.add("member", {"name": "仇英"})
    v = ledger.add("visit", {"member_id": m["id"], "date": "2025-01-05", "reason": "送温暖"})
    ledger.config.lists["visit_reasons"] = tuple(r for r in ledger.config.choices("visit_reasons") if r != "送温暖")
    ledger.edit("visit", v["id"], {"notes": "已回访"})
    assert ledger.get("visit", v["id"])["reason"] == "送温暖"
    with pytest.raises(ValidationError, match="慰问类别"):
        ledger.edit("visit", v["id"], {"reason": "送温暖"})  # but it can't be chosen anew


def test_the_first_school_named_stays_the_ledgers_school(ledger_path):
    with Ledger.open(ledger_path, school="大刘中心校") as led:
        assert led.add("member", {"name": "查理"})["school"] == "大刘中心校"
    with Ledger.open(ledger_path) as led:
        assert led.school == "大刘中心校"
    with Ledger.open(ledger_path, school="东四尺小学") as led:  # a one-run override
        assert led.school == "东四尺小学"
    with Ledger.open(ledger_path) as led:
        assert led.school == "大刘中心校"
