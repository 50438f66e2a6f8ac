"""Readers while a writer holds the ledger; writers waiting their turn."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from domain.store import Ledger, LedgerBusy

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

WRITER = """
import sys
from domain import store
from domain.store import Ledger
store.COMPACT_MIN_BYTES = 0
with Ledger.open(sys.argv[1], school="莲峰小学", program="工会台账 全屏程序") as led:
    print("ready", flush=True)
    for i in range(int(sys.argv[2])):
        led.add("member", {"name": "曾" + str(i)})
        if i % 7 == 0:
            led.compact()
    print("done", flush=True)
    sys.stdin.readline()
"""

ADDER = """
import sys
from domain.store import Ledger
with Ledger.open(sys.argv[1], school="莲峰小学") as led:
    led.add("member", {"name": sys.argv[2]})
"""


def test_a_reader_sees_the_committed_state_while_a_writer_holds_the_lock(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as writer:
        writer.add("member", {"name": "曾小红"})
        with Ledger.open(ledger_path, read_only=True) as reader:
            assert [r["name"] for r in reader.records("member")] == ["曾小红"]
            with pytest.raises(Exception, match="只读"):
                reader.add("member", {"name": "李伟"})
        writer.add("member", {"name": "李伟"})
    with Ledger.open(ledger_path) as again:
        assert again.count("member") == 2


def test_readers_during_commits_and_compactions_always_see_a_whole_state(ledger_path):
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(ledger_path), "300"], cwd=ROOT, env=ENV,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        counts = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Ledger.open(ledger_path, read_only=True) as reader:
                names = {r["name"] for r in reader.records("member")}
            assert names == {"曾" + str(i) for i in range(len(names))}  # a prefix of the commits
            counts.append(len(names))
            if len(names) == 300:
                break
        assert counts == sorted(counts) and counts[-1] == 300 and len(counts) > 3
    finally:
        child.stdin.close()
        child.wait(10)


def test_ten_adds_at_once_all_wait_their_turn(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学"):
        pass
    adders = [subprocess.Popen([sys.executable, "-c", ADDER, str(ledger_path), f"会员{i}"], cwd=ROOT, env=ENV,
                               stderr=subprocess.PIPE, text=True) for i in range(10)]
    errors = [p.communicate(timeout=60)[1] for p in adders]
    assert [p.returncode for p in adders] == [0] * 10, errors
    with Ledger.open(ledger_path, read_only=True) as reader:
        assert sorted(r["name"] for r in reader.records("member")) == sorted(f"会员{i}" for i in range(10))


def test_a_writer_refused_after_waiting_names_the_program_and_its_process(ledger_path):
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(ledger_path), "1"], cwd=ROOT, env=ENV,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        assert child.stdout.readline().strip() == "done"
        started = time.monotonic()
        with pytest.raises(LedgerBusy) as caught:
            Ledger.open(ledger_path, wait=0.5)
        assert time.monotonic() - started >= 0.5
        assert f"工会台账 全屏程序，进程 {child.pid}" in str(caught.value)
        assert "?" not in str(caught.value)
    finally:
        child.stdin.close()
        child.wait(10)


def test_a_holder_whose_record_is_unreadable_is_still_named_by_its_process(ledger_path):
    lock = ledger_path.with_name(ledger_path.name + ".lock")
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(ledger_path), "1"], cwd=ROOT, env=ENV,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        child.stdout.readline()
        with open(lock, "r+b") as fh:  # what an older version left: nothing readable
            fh.write(b"\0" * 16)
        with pytest.raises(LedgerBusy, match=f"进程 {child.pid}"):
            Ledger.open(ledger_path, wait=0.1)
    finally:
        child.stdin.close()
        child.wait(10)
