"""A small ledger with what exports and reports must get right.

Members with 身份证号 (one ending in X), phones, a name that looks like a
formula, a retiree, a member in hardship; visits with amounts in fen that
add up to a known total; events once, yearly, monthly on the 31st, every two
weeks, lunar yearly (重阳), once a semester and one whose day is not known.
"""

from __future__ import annotations

import datetime as dt

from domain.idcard import make_idcard

ID_X = "11010519491231002X"  # the GB 11643 example: check character X
VISIT_AMOUNTS = ("500", "1200.50", "0.05", "300")
VISIT_TOTAL_FEN = 50000 + 120050 + 5 + 30000


def fill(ledger) -> dict[str, dict]:
    """Add the records; returns them by a short name."""
    add = ledger.add
    r = {}
    r["wang"] = add("member", {"name": "王芳", "id_number": make_idcard("410102", dt.date(1980, 3, 8), 12, "女"),
                               "phone": "13800138000", "union_group": "语文组", "joined_date": "2005-09-01",
                               "health": "住院", "family_income": "3200.50", "hardship": "低保户",
                               "hardship_opened": "2025-02-10"})
    r["old"] = add("member", {"name": "李老师", "id_number": ID_X, "union_group": "退休组",
                              "employment": "退休", "status": "保留会籍", "retired_date": "2009-12-31"})
    r["eq"] = add("member", {"name": "=HYPERLINK(\"x\")", "union_group": "数学组", "phone": "13900139000",
                             "birth_date": "2000-05-01",
                             "joined_date": "2025-09-01", "notes": "-5 不是数"})
    visits = []
    for i, (amount, reason) in enumerate(zip(VISIT_AMOUNTS, ("生病住院", "经济困难", "生病住院", "送温暖"))):
        who = r["wang"] if i < 3 else r["old"]
        visits.append(add("visit", {"member_id": who["id"], "date": f"2025-0{i + 1}-15", "reason": reason,
                                    "amount": amount, "fund_source": "工会经费" if i % 2 == 0 else "上级工会",
                                    "goods": "水果一篮" if i == 0 else ""}))
    r["visits"] = visits
    r["outside"] = add("visit", {"member_id": r["eq"]["id"], "date": "2024-12-30", "reason": "其他",
                                 "amount": "100", "fund_source": "工会经费"})
    events = {
        "congress": ("教职工代表大会", "2025-01-10", "不重复", {}),
        "march8": ("三八节活动", "2025-03-08", "每年公历", {}),
        "training": ("基本功训练", "2025-01-31", "每月", {}),
        "study": ("政治学习", "2025-02-05", "每两周", {}),
        "chongyang": ("重阳节慰问退休教师", "2025-10-29", "每年农历", {}),
        "semester": ("学期工作会", "2025-03-10", "每学期", {}),
        "tbd": ("春季趣味运动会", "2025-04-01", "不重复", {"date_tbd": "是"}),
    }
    for key, (title, date, rule, extra) in events.items():
        r[key] = add("event", {"title": title, "date": date, "recurrence": rule, "category": "会议",
                               "participants": ",".join([r["wang"]["id"], r["eq"]["id"]]) if key == "march8" else "",
                               **extra})
    return r
