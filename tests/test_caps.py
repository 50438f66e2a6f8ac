from domain.caps import cap_warnings
from domain.config import load_config

CONFIG = load_config()


def visit(**kw):
    base = {"id": "new", "member_id": "m1", "member_name": "张三", "date": "2025-05-01",
            "reason": "生病住院", "amount": 50000}
    return {**base, **kw}


def test_no_cap_no_warning():
    assert cap_warnings(CONFIG, visit(reason="其他", amount=10**9)) == []


def test_amount_over_cap():
    (w,) = cap_warnings(CONFIG, visit(amount=120000))
    assert "1200" in w and "1000" in w and "生病住院" in w
    assert cap_warnings(CONFIG, visit(amount=100000)) == []  # the cap itself is allowed


def test_per_year_count_skips_same_record_and_other_years():
    others = [visit(id="a"), visit(id="b", date="2024-05-01"), visit(id="c", member_id="m2")]
    assert cap_warnings(CONFIG, visit(), others) == []
    others.append(visit(id="d", date="2025-07-01"))
    (w,) = cap_warnings(CONFIG, visit(), others)
    assert "2 次" in w and "张三" in w
    # editing one of the counted visits does not count it twice
    assert cap_warnings(CONFIG, visit(id="d"), others) == []
