"""Demo ledgers: realistic, deterministic from a seed.

Three schools of one district (莲峰学区); Chinese names including surnames
pinyin tools misread (曾 单 区 仇 翟 解 查) and same-name pairs; retirees,
members in hardship with files, members in hospital; the events of the work
plans' monthly schedules (三八, 重阳 and 春节 on their lunar dates, 政治学习
every two weeks, ...); visits of every category with amounts.  Every record
goes through the same validation as typed input.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from domain.config import Config, load_config
from domain.idcard import make_idcard
from domain.lunar import holiday_date
from domain.store import Ledger, new_id, now_stamp
from domain.validation import validate_record

DISTRICT = "莲峰学区"
SCHOOLS = ("莲峰小学", "大刘中心校", "东四尺小学")
TRICKY_SURNAMES = ("曾", "单", "区", "仇", "翟", "解", "查")
SURNAMES = ("张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱",
            "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
            "邓", "曹", "彭", "田", "董", "潘", "袁", "蔡", "蒋", "余", "杜", "叶", "程", "魏",
            "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "廖",
            "覃", "朴", "乐", "欧阳", "司马") + TRICKY_SURNAMES
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "志强",
         "海燕", "小红", "晓东", "春梅", "长江", "子涵", "雨轩", "国庆", "淑珍", "德明", "乐乐")
GROUPS = ("语文组", "数学组", "英语组", "综合组", "行政后勤组")
TITLES = ("三级教师", "二级教师", "一级教师", "高级教师", "正高级教师")
EDUCATION = ("大专", "本科", "硕士研究生")
AREAS = ("410102", "410105", "410122")

# (month, day, title, category, recurrence) from the work plans' schedules.
SCHEDULE = (
    (1, 10, "教职工代表大会", "会议", "每年公历"),
    (1, 15, "了解特困教职工情况并建档", "慰问活动", "每年公历"),
    (2, 20, "整理会员资料", "会议", "每年公历"),
    (2, 25, "会费收缴", "会议", "每年公历"),
    (3, 8, "三八节活动", "节日活动", "每年公历"),
    (3, 12, "三八红旗手评选", "评比", "每年公历"),
    (3, 20, "女职工踢毽、跳绳比赛", "文体比赛", "不重复"),
    (4, 3, "清明踏青", "节日活动", "每年公历"),
    (4, 18, "春季教工趣味运动会", "文体比赛", "每年公历"),
    (4, 30, "庆五一联谊", "节日活动", "每年公历"),
    (5, 20, "读书活动", "培训学习", "不重复"),
    (6, 12, "教代会民主评议", "会议", "每年公历"),
    (6, 26, "资料归档", "会议", "每年公历"),
    (7, 10, "暑期培训", "培训学习", "每年公历"),
    (7, 20, "义务献血", "献血", "每年公历"),
    (8, 15, "教职工体检", "体检", "每年公历"),
    (9, 10, "教师节庆祝", "节日活动", "每年公历"),
    (9, 20, "我为教育创新献一计", "评比", "不重复"),
    (9, 28, "国庆文艺汇演", "节日活动", "每年公历"),
    (10, 22, "乒乓球比赛", "文体比赛", "不重复"),
    (11, 12, "特困教师调研", "慰问活动", "每年公历"),
    (11, 20, "教代会优秀提案评比", "评比", "不重复"),
    (12, 10, "教工健身月气排球比赛", "文体比赛", "不重复"),
    (12, 25, "工会工作总结与先进评比", "会议", "每年公历"),
    (12, 28, "账务核查", "会议", "每年公历"),
)
# Recurring events on lunar dates and on fixed rhythms.
LUNAR_EVENTS = (("春节", "春节走访慰问退休教师", "慰问活动"), ("中秋", "中秋节联欢", "节日活动"),
                ("重阳", "重阳节关心退休老教师", "慰问活动"))
RHYTHMS = ((1, 7, "政治学习", "培训学习", "每两周"), (1, 14, "基本功训练", "培训学习", "每月"),
           (3, 5, "退休教师座谈会", "会议", "每学期"), (2, 26, "工会委员会议", "会议", "每月"))
VISITS = (  # reason, amount range (yuan), fund source
    ("生病住院", (300, 1000), "工会经费"), ("经济困难", (500, 2000), "爱心互助基金"),
    ("遇丧事", (500, 2000), "工会经费"), ("特殊灾害", (500, 3000), "上级工会"),
    ("结婚生育", (200, 600), "工会经费"), ("退休", (200, 500), "工会经费"),
    ("节日慰问", (100, 300), "工会经费"), ("送温暖", (300, 1000), "上级工会"),
    ("大病救助", (2000, 10000), "爱心互助基金"), ("其他", (100, 500), "工会经费"),
)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def demo_members(rng: random.Random, school: str, count: int, year: int, seq_start: int = 0) -> list[dict]:
    """Raw field values (text, as a person would type them)."""
    out = []
    for i in range(count):
        retired = rng.random() < 0.15
        age = rng.randint(61, 85) if retired else rng.randint(23, 59)
        birth = dt.date(year - age, rng.randint(1, 12), rng.randint(1, 28))
        gender = rng.choice(("男", "女"))
        name = TRICKY_SURNAMES[i] + rng.choice(GIVEN) if i < len(TRICKY_SURNAMES) else _name(rng)
        if i in (10, 11):  # 同名同姓: two 张伟 told apart by 身份证号 and phone
            name = "张伟"
        m = {
            "name": name, "school": school, "gender": gender,
            "id_number": make_idcard(rng.choice(AREAS), birth, (seq_start + i) % 499 + 1, gender),
            "phone": "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9)),
            "ethnicity": "汉族" if rng.random() < 0.9 else rng.choice(("回族", "满族", "壮族")),
            "political_status": rng.choice(("中共党员", "群众", "群众", "共青团员", "民主党派")),
            "education": rng.choice(EDUCATION), "title": rng.choice(TITLES),
            "position": rng.choice(("教师", "教师", "教师", "班主任", "教研组长", "后勤")),
            "union_group": rng.choice(GROUPS), "card_number": f"GH{year % 100:02d}{seq_start + i:05d}",
            "joined_date": dt.date(min(year - 1, birth.year + rng.randint(22, 30)), 9, 1).isoformat(),
            "birthday_calendar": "农历" if rng.random() < 0.3 else "公历",
            "dues_paid_year": str(year if rng.random() < 0.85 else year - 1),
        }
        if retired:
            m.update(employment="退休", status="保留会籍",
                     retired_date=dt.date(birth.year + 60, birth.month, 1).isoformat(), dues_paid_year="")
        if rng.random() < 0.06:
            m.update(hardship=rng.choice(("低保户", "低保边缘户", "意外致困户")),
                     hardship_opened=f"{year}-01-15", hardship_reason=rng.choice(("患重特大疾病", "子女上学", "遭受意外事故")),
                     family_size=str(rng.randint(2, 6)), family_income=str(rng.randint(800, 3000)),
                     hardship_opened_by="工会主席", hardship_checked_by="学区工会")
        if rng.random() < 0.04:
            m.update(health=rng.choice(("患病", "住院")), health_notes="需定期复查")
        out.append(m)
    if count > 12:
        out[12]["name"] = "[b]王小明[/b]"  # typed markup must show as typed
    return out


def demo_events(rng: random.Random, school: str, year: int, count: int | None = None) -> list[dict]:
    events = [{"title": t, "date": f"{year}-{m:02d}-{d:02d}", "category": c, "recurrence": r,
               "school": school, "location": rng.choice(("学校礼堂", "操场", "会议室", "多功能厅"))}
              for m, d, t, c, r in SCHEDULE]
    for holiday, title, category in LUNAR_EVENTS:
        events.append({"title": title, "date": holiday_date(holiday, year).isoformat(), "category": category,
                       "recurrence": "每年农历", "school": school})
    for m, d, title, category, rule in RHYTHMS:
        events.append({"title": title, "date": f"{year}-{m:02d}-{d:02d}", "category": category,
                       "recurrence": rule, "school": school})
    while count is not None and len(events) < count:
        m, d, t, c, _ = rng.choice(SCHEDULE)
        y = rng.randint(year - 5, year)
        events.append({"title": f"{t}（{y}）", "date": f"{y}-{m:02d}-{d:02d}", "category": c,
                       "recurrence": "不重复", "school": school})
    return events


def demo_visit(rng: random.Random, member: dict, school: str, year: int, reason=None) -> dict:
    reason_spec = next(v for v in VISITS if v[0] == reason) if reason else rng.choice(VISITS)
    reason, (low, high), fund = reason_spec
    amount = rng.randint(low // 50, high // 50) * 50
    return {"member_id": member["id"], "date": dt.date(year, rng.randint(1, 11), rng.randint(1, 28)).isoformat(),
            "reason": reason, "amount": str(amount), "fund_source": fund, "school": school,
            "visitors": "工会主席、" + rng.choice(GROUPS) + "组长", "signed_by": member["name"],
            "form": "慰问金", "approver": "校长"}


def _bulk_put(ledger: Ledger, kind: str, raw_records: list[dict], config: Config, year: int) -> list[dict]:
    """Validate every record, then commit them all in one journal line."""
    out = []
    today = dt.date(year, 11, 1)
    stamp = now_stamp()
    with ledger.transaction() as tx:
        for raw in raw_records:
            stored = validate_record(kind, raw, config, today=today)
            record = {"id": new_id(), "school": stored.pop("school"), "created": stamp, "updated": stamp, **stored}
            tx.put_record(kind, record, source="demo")
            out.append(record)
    return out


def _mark_attendance(rng: random.Random, events: list[dict], members: list[dict], today: dt.date,
                     most: int) -> None:
    """Who took part in each occurrence held up to ``today`` (活动参与率 counts these), by its date in
    the ``occurrences`` field; ``participants`` is their union, as domain.occurrences keeps it.
    Some occurrences have no attendance taken (a new user sees both), a month's turnout varies."""
    from domain.occurrences import event_occurrence_list

    serving = [m["id"] for m in members if m["employment"] == "在职"]
    for event in events:
        first = dt.date.fromisoformat(event["date"])
        entries = {}
        for occurrence in event_occurrence_list(event, first, today):
            if occurrence.cancelled or rng.random() < 0.2:
                continue
            share = rng.uniform(0.3, 0.8)
            entries[occurrence.series_date.isoformat()] = {
                "attendees": rng.sample(serving, min(most, int(len(serving) * share)))}
        if entries:
            event["occurrences"] = entries
            event["participants"] = ",".join(dict.fromkeys(i for day in sorted(entries)
                                                           for i in entries[day]["attendees"]))


def make_demo_ledger(path: Path, *, large: bool = False, seed: int = 2025, year: int | None = None,
                     config: Config | None = None, today: dt.date | None = None) -> dict:
    """Make (or remake) a demo ledger at ``path``; returns the counts.  ``today``: the day
    attendance is recorded up to (and the year's default)."""
    today = today or dt.date.today()
    year = year or today.year
    rng = random.Random(seed)
    config = config or load_config()
    path = Path(path)
    from domain.ledger_files import discard

    discard(path)  # a remade demo is a new ledger, not a damaged one
    school = DISTRICT if large else SCHOOLS[0]
    n_members, n_events, n_visits = (10_000, 2_000, 20_000) if large else (60, None, 90)
    with Ledger.open(path, config=config, school=school) as ledger:
        with ledger.transaction() as tx:
            tx.kv_put("_meta", "ledger", {"school": school, "district": DISTRICT, "demo": True})
        members = _bulk_put(ledger, "member", demo_members(rng, school, n_members, year), config, year)
        events = demo_events(rng, school, year, n_events)
        _mark_attendance(rng, events, members, today, most=80 if large else len(members))
        _bulk_put(ledger, "event", events, config, year)
        visits = []
        hardship = [m for m in members if m["hardship"]]
        for m in hardship[: len(hardship) // 2]:  # half helped so far: 帮困率 is not yet 100%
            visits.append(demo_visit(rng, m, school, year, "经济困难"))
        while len(visits) < n_visits:
            visits.append(demo_visit(rng, rng.choice(members), school, year))
        names = {m["id"]: m["name"] for m in members}
        for v in visits:
            v["member_name"] = names[v["member_id"]]
        _bulk_put(ledger, "visit", visits, config, year)
        ledger.compact()
        return {"members": ledger.count("member"), "events": ledger.count("event"), "visits": ledger.count("visit")}
