"""The problems screen: the sheet's open problems, and deleted records brought back with `u`."""

from __future__ import annotations

from screen_host import drive

from domain.store import Ledger
from sync.problems import Problem, store_problems
from tui.problems_screen import ProblemsScreen


def _drive(ledger, *keys):
    app, _screen, shown = drive(lambda: ProblemsScreen(ledger), *keys)
    return app, shown


def test_open_problems_are_listed_with_where_and_why(tmp_path):
    with Ledger.open(tmp_path / "l.json") as ledger:
        typo = Problem("id_typo", "member", "", "会员", 7, "A", "编号", "01J8X9ZZ", "编号可能被改错：原来是 01J8X9ZY")
        with ledger.transaction() as tx:
            store_problems(tx, ledger, [typo])
        _, shown = _drive(ledger)
        [row] = shown["problems-table"]
        assert row[1] == "会员!A7" and row[3] == "01J8X9ZZ" and "原来是" in row[4]


def test_u_brings_a_deleted_record_back_with_its_local_only_fields(tmp_path):
    with Ledger.open(tmp_path / "l.json") as ledger:
        rid = ledger.add("member", {"name": "张三", "health_notes": "高血压"})["id"]
        ledger.delete("member", rid)
        app, shown = _drive(ledger, "tab", "u")
        assert shown["deleted-table"] == []  # the list after the undelete
        assert ledger.get("member", rid)["health_notes"] == "高血压"
        assert app.result == 1
