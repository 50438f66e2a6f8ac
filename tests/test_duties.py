import datetime as dt

import pytest

from domain.duties import month_duties, targets
from domain.store import Ledger

TODAY = dt.date(2025, 9, 20)  # 重阳 2025 is 10-29, within 45 days


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / "l.json", school="莲峰小学") as led:
        yield led


def add(ledger, kind, **values):
    return ledger.add(kind, values)


def test_duties_and_targets(ledger):
    poor = add(ledger, "member", name="王困难", hardship="低保户", hardship_opened="2025-01-05")
    poor2 = add(ledger, "member", name="李困难", hardship="低保边缘户")
    add(ledger, "member", name="赵脱困", hardship="低保户", hardship_closed="2025-06-01")
    ill = add(ledger, "member", name="钱生病", health="住院")
    retiree = add(ledger, "member", name="孙退休", employment="退休", status="保留会籍")
    birthday = add(ledger, "member", name="周生日", birth_date="1980-09-25", dues_paid_year="2025")
    lunar_bd = add(ledger, "member", name="吴农历", birth_date="1980-10-01", birthday_calendar="农历")
    add(ledger, "member", name="郑转出", hardship="低保户", status="转出")
    add(ledger, "visit", member_id=poor2["id"], date="2025-03-01", reason="经济困难")
    event = add(ledger, "event", title="教师节庆祝", date="2024-09-10", recurrence="每年公历",
                participants=birthday["id"])
    add(ledger, "event", title="中秋联欢", date="2024-09-17", recurrence="每年农历")

    duties = month_duties(ledger, TODAY)
    by_kind = {}
    for d in duties:
        by_kind.setdefault(d.kind, []).append(d)
    assert [d.title for d in by_kind["event"]] == ["中秋联欢"]  # 教师节 2025-09-10 is past
    assert by_kind["event"][0].date == dt.date(2025, 10, 6)
    assert "中秋" in [d.title for d in by_kind["holiday"]] and "国庆节" in [d.title for d in by_kind["holiday"]]
    assert [(d.member_id, d.reason) for d in by_kind["hardship"]] == [(poor["id"], "经济困难")]
    assert [(d.member_id, d.reason) for d in by_kind["ill"]] == [(ill["id"], "生病住院")]
    assert [(d.member_id, d.date) for d in by_kind["retiree"]] == [(retiree["id"], dt.date(2025, 10, 29))]
    # 1980-10-01 is 八月廿三 lunar; in 2025 that is 10-14
    assert [(d.member_id, d.date) for d in by_kind["birthday"]] == \
        [(birthday["id"], dt.date(2025, 9, 25)), (lunar_bd["id"], dt.date(2025, 10, 14))]
    assert duties.index(by_kind["holiday"][0]) < duties.index(by_kind["hardship"][0])

    # a visit after the illness was recorded (today, by the history) clears the duty
    add(ledger, "visit", member_id=ill["id"], date=dt.date.today().isoformat(), reason="生病住院")
    add(ledger, "visit", member_id=retiree["id"], date="2025-09-15", reason="节日慰问")
    kinds = {d.kind for d in month_duties(ledger, TODAY)}
    assert "ill" not in kinds and "retiree" not in kinds

    t = {x.key: (x.done, x.total) for x in targets(ledger, 2025)}
    assert t["files"] == (1, 3)      # 王 has a file; 李 none; 赵 was in hardship part of the year
    assert t["helped"] == (1, 3)
    assert t["dues"] == (1, 6)       # serving members in 在会: all but 孙 (retired) and 郑 (转出)
    # attendance kept for the whole series (before per-occurrence attendance) is the
    # first occurrence's: 2024's, not 2025's
    assert t["activity"] == (0, 6)
    assert {x.key: x.done for x in targets(ledger, 2024)}["activity"] == 1
    assert event["participants"] == [birthday["id"]]
    from domain.occurrences import attend

    attend(ledger, event["id"], dt.date(2025, 9, 10), [poor["id"]])
    assert {x.key: x.done for x in targets(ledger, 2025)}["activity"] == 1
    assert {x.key: x.done for x in targets(ledger, 2024)}["activity"] == 1  # 2024's people kept
    # held up to today only: an occurrence later this year does not count yet
    attend(ledger, event["id"], dt.date(2026, 9, 10), [birthday["id"]])
    assert {x.key: x.done for x in targets(ledger, 2026, today=dt.date(2026, 9, 1))}["activity"] == 0
    assert {x.key: x.done for x in targets(ledger, 2026, today=dt.date(2026, 9, 10))}["activity"] == 1
    assert targets(ledger, 2025)[0].label == "建档率"
