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
