"""Roster order and search bookkeeping of the members table (no Textual needed)."""

from domain.queries import MemberFinder, sort_key


def test_roster_order_is_by_pinyin_syllable_by_syllable():
    names = ["林静", "刘洋", "李伟", "曾文", "张三", "单田芳", "李四"]
    assert sorted(names, key=sort_key) == ["李四", "李伟", "林静", "刘洋", "单田芳", "曾文", "张三"]


def test_finder_keeps_order_keys_and_hits_after_edits():
    finder = MemberFinder([{"id": "a", "name": "林静"}, {"id": "b", "name": "李伟"}])
    assert finder.search("lj") == {"a"}
    finder.update("a", {"id": "a", "name": "曾静"})
    assert finder.search("lj") == set() and finder.search("zj") == {"a"}
    assert finder.sort_keys["a"] > finder.sort_keys["b"]
    finder.update("b", None)
    assert finder.search("lw") == set() and "b" not in finder.sort_keys


def _ledger_with_people(ledger):
    ids = {}
    for values in ({"name": "张三", "union_group": "语文组", "phone": "13800138000"},
                   {"name": "李四", "union_group": "数学组", "status": "退会"},
                   {"name": "王困难", "union_group": "语文组", "hardship": "低保户"}):
        ids[values["name"]] = ledger.add("member", values)["id"]
    for mid, date, reason, amount, fund in (("张三", "2025-03-01", "生病住院", "500", "工会经费"),
                                             ("张三", "2024-12-01", "节日慰问", "200", "上级工会"),
                                             ("王困难", "2025-01-20", "经济困难", "1000", "工会经费")):
        ledger.add("visit", {"member_id": ids[mid], "date": date, "reason": reason, "amount": amount,
                             "fund_source": fund})
    return ids


def test_member_rows_filter_through_tinydb_and_the_pinyin_index(ledger):
    from domain.queries import MemberFilter, member_rows

    _ledger_with_people(ledger)
    names = lambda flt: [m["name"] for m in member_rows(ledger, flt)]  # noqa: E731
    assert names(MemberFilter()) == ["李四", "王困难", "张三"]
    assert names(MemberFilter(group="语文组")) == ["王困难", "张三"]
    assert names(MemberFilter(status="退会")) == ["李四"]
    assert names(MemberFilter(hardship=True)) == ["王困难"]
    assert names(MemberFilter(text="zs")) == ["张三"]
    assert names(MemberFilter(text="0013", group="数学组")) == []
    assert names(MemberFilter(sort="group")) == ["李四", "王困难", "张三"]


def test_visit_rows_filters_and_totals(ledger):
    from domain.queries import VisitFilter, visit_rows, visit_totals

    ids = _ledger_with_people(ledger)
    dates = lambda flt: [v["date"] for v in visit_rows(ledger, flt)]  # noqa: E731
    assert dates(VisitFilter()) == ["2025-03-01", "2025-01-20", "2024-12-01"]
    assert dates(VisitFilter(year="2025")) == ["2025-03-01", "2025-01-20"]
    assert dates(VisitFilter(fund="工会经费", reason="经济困难")) == ["2025-01-20"]
    assert dates(VisitFilter(member_id=ids["张三"])) == ["2025-03-01", "2024-12-01"]
    totals = visit_totals(visit_rows(ledger, VisitFilter(year="2025")))
    assert (totals.count, totals.amount_fen) == (2, 150000)


def test_ledger_queries_follow_each_commit(ledger):
    from domain.queries import LedgerQueries, MemberFilter, VisitFilter

    ids = _ledger_with_people(ledger)
    queries = LedgerQueries(ledger)
    assert len(queries.visits(VisitFilter(year="2025"))) == 2
    assert len(queries.visits_of(ids["张三"])) == 2
    ledger.add("visit", {"member_id": ids["张三"], "date": "2025-06-01", "reason": "生病住院"})
    assert len(queries.visits(VisitFilter(year="2025"))) == 3  # TinyDB's query cache was cleared
    assert len(queries.visits_of(ids["张三"])) == 3
    ledger.edit("member", ids["李四"], {"union_group": "语文组"})
    assert len(queries.members(MemberFilter(group="语文组"))) == 3
    assert queries.group_choices() == ("语文组",) and queries.visit_years() == ("2025", "2024")
