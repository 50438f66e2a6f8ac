"""The work plan's month schedule: the five seed plans item by item, other heading
styles, a .docx, festival dates, and the import into the ledger."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from domain.config import load_config
from domain.importing.planfile import commit_plan, propose_events, read_plan_text
from domain.importing.workplan import find_schedules, parse_months, split_items
from domain.store import Ledger

PLANS = Path(__file__).parent / "fixtures" / "import" / "plans"
EXPECTED = json.loads((PLANS / "expected.json").read_text(encoding="utf-8"))
SEEDS = sorted(k for k in EXPECTED if k.startswith("seed_"))


def items_of(text: str) -> list[tuple[list[int], str]]:
    return [(i.months, i.title) for i in find_schedules(text.splitlines())]


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_plan_schedule_item_by_item(seed):
    got = items_of((PLANS / seed).read_text(encoding="utf-8"))
    expected = [(months, title) for months, title in EXPECTED[seed]]
    for i, (want, have) in enumerate(zip(expected, got)):
        assert have == want, f"{seed} item {i + 1}"
    assert len(got) == len(expected), f"{seed}: {len(got)} items, expected {len(expected)}"


def test_seed_counts_as_reported():
    counts = {seed: len(EXPECTED[seed]) for seed in SEEDS}
    assert counts == {"seed_000.txt": 22, "seed_001.txt": 0, "seed_002.txt": 0,
                      "seed_003.txt": 29, "seed_004.txt": 0}


@pytest.mark.parametrize("text, months", [
    ("一月份", [1]), ("1月", [1]), ("十二月", [12]), ("十一", [11]), ("七、八", [7, 8]), ("1-2", [1, 2]),
    ("9—10", [9, 10]), ("7月8", [7, 8]), ("3至5", [3, 4, 5]),
])
def test_month_headings(text, months):
    assert parse_months(text) == months


OTHER_STYLES = """\
东风小学2026年工会工作计划
一、指导思想
1、坚持以人为本，全面履行工会的各项职能，为教职工办实事、做好事、解难事，推进学校民主管理。
二、月份工作安排
一月份：慰问退休教师；教代会
1-2月：
（1）会费收缴。
（2）整理会员资料；
三月：
① 三八妇女节活动
② 女教职工健康讲座
4月 春季运动会
5月份
1. 五一劳动节联欢
七、八月份：暑期培训。
9—10月：
1，教师节表彰
2，国庆文艺汇演
十一月：重阳节走访退休教师
十二月：工作总结
七、备注
1、本计划如有变动，以学校通知为准。
2、各工会小组要按时完成各月工作，认真记录，年终评比时作为依据，并及时上报校工会。
"""


def test_other_heading_styles_and_the_end_of_the_schedule():
    assert items_of(OTHER_STYLES) == [
        ([1], "慰问退休教师"), ([1], "教代会"),
        ([1, 2], "会费收缴"), ([1, 2], "整理会员资料"),
        ([3], "三八妇女节活动"), ([3], "女教职工健康讲座"),
        ([4], "春季运动会"),
        ([5], "五一劳动节联欢"),
        ([7, 8], "暑期培训"),
        ([9, 10], "教师节表彰"), ([9, 10], "国庆文艺汇演"),
        ([11], "重阳节走访退休教师"),
        ([12], "工作总结"),
    ]


def test_numbered_prose_after_the_schedule_is_not_an_item():
    text = ("三月：三八节活动\n四月：植树\n"
            "1、维护教职工合法权益是新《工会法》强调突出的工会职能，是教育工会服从和服务于教育改革和发展的基本职能，工会要从根本意义上做好维权工作。\n"
            "2、短句\n")
    assert items_of(text) == [([3], "三八节活动"), ([4], "植树")]


def test_one_heading_alone_in_prose_is_no_schedule():
    assert items_of("工作要求：\n3月 开展读书活动\n今年要认真做好各项工作。\n") == []


def test_split_items_drops_markers_and_trailing_punctuation():
    assert split_items("1、会费收缴。 2、整理资料；") == ["会费收缴", "整理资料"]
    assert split_items("（1）体检;") == ["体检"]
    assert split_items("组织1.5公里健步走") == ["组织1.5公里健步走"]


def test_festivals_on_their_real_days_else_day_not_known():
    text = "三月：三八节活动\n五月：庆五一联谊\n九月：教师节庆祝\n十月：庆祝国庆；中秋节慰问\n十月：重阳节关心退休老教师\n" \
           "六月：端午包粽子\n一月：春节送温暖\n四月：植树活动\n"
    year, events = propose_events(text, load_config(), 2025)
    dates = {e.title: (e.date.isoformat(), e.date_known) for e in events}
    assert year == 2025
    assert dates["三八节活动"] == ("2025-03-08", True)
    assert dates["庆五一联谊"] == ("2025-05-01", True)
    assert dates["教师节庆祝"] == ("2025-09-10", True)
    assert dates["庆祝国庆"] == ("2025-10-01", True)
    assert dates["中秋节慰问"] == ("2025-10-06", True)      # 八月十五, 2025
    assert dates["重阳节关心退休老教师"] == ("2025-10-29", True)  # 九月初九, 2025
    assert dates["端午包粽子"] == ("2025-05-31", True)
    assert dates["春节送温暖"] == ("2025-01-29", True)
    assert dates["植树活动"] == ("2025-04-01", False)


def test_categories_come_from_the_configuration():
    config = load_config()
    _, events = propose_events("三月：三八红旗手评选\n七月：义务献血\n八月：教职工体检\n十月：乒乓球比赛\n十二月：召开教代会\n",
                               config, 2025)
    assert [e.category for e in events] == ["评比", "献血", "体检", "文体比赛", "会议"]
    assert all(e.category in config.choices("event_categories") for e in events)


def test_year_taken_from_the_plan_and_json_shape():
    year, events = propose_events((PLANS / "seed_000.txt").read_text(encoding="utf-8"), load_config())
    assert year == 2025
    item = events[0].as_json()
    assert set(item) == {"months", "title", "category", "date", "date_known"}
    assert item == {"months": [2], "title": "重新整理会员资料", "category": "", "date": "2025-02",
                    "date_known": False}


def test_docx_paragraphs_and_table(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("红星中学2026年工会工作计划")
    document.add_paragraph("一、指导思想")
    document.add_paragraph("以服务教职工为中心。")
    document.add_paragraph("二、主要活动安排")
    document.add_paragraph("三月：")
    document.add_paragraph("1、三八节登山活动")
    document.add_paragraph("2、女教职工座谈会")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "四月"
    table.cell(0, 1).text = "春季运动会\n清明踏青"
    table.cell(1, 0).text = "九月"
    table.cell(1, 1).text = "教师节表彰"
    document.add_paragraph("三、备注")
    path = tmp_path / "plan.docx"
    document.save(path)
    year, events = propose_events(read_plan_text(path), load_config())
    assert year == 2026
    assert [(e.months, e.title) for e in events] == [
        ([3], "三八节登山活动"), ([3], "女教职工座谈会"), ([4], "春季运动会"), ([4], "清明踏青"),
        ([9], "教师节表彰")]


def test_gb18030_text_and_stdin(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(OTHER_STYLES.encode("gb18030"))
    assert len(find_schedules(read_plan_text(path).splitlines())) == 13

    class Stdin:
        buffer = io.BytesIO(OTHER_STYLES.encode("utf-8"))

    assert read_plan_text("-", Stdin()) == OTHER_STYLES


def test_commit_adds_events_with_days_not_known_once(tmp_path):
    path = tmp_path / "ledger.json"
    with Ledger.open(path, school="东风小学") as ledger:
        _, events = propose_events(OTHER_STYLES, ledger.config)
        assert commit_plan(ledger, events) == (13, 0)
        assert commit_plan(ledger, events) == (0, 13)  # a second import adds nothing
        by_title = {e["title"]: e for e in ledger.records("event")}
    assert by_title["春季运动会"]["date"] == "2026-04-01"
    assert by_title["春季运动会"]["date_tbd"] == "是"
    assert by_title["教师节表彰"]["date"] == "2026-09-10"
    assert by_title["教师节表彰"]["date_tbd"] == ""
    assert (tmp_path / "backups").is_dir()
    with Ledger.open(path) as again:  # what was committed survives a reopen
        assert again.count("event") == 13


def test_a_day_not_known_can_be_fixed_later(tmp_path):
    with Ledger.open(tmp_path / "l.json", school="东风小学") as ledger:
        _, events = propose_events("三月：读书活动\n四月：植树\n", ledger.config, 2026)
        commit_plan(ledger, events, backup=False)
        event = next(e for e in ledger.records("event") if e["title"] == "读书活动")
        fixed = ledger.edit("event", event["id"], {"date": "2026-03-18", "date_tbd": ""})
    assert (fixed["date"], fixed["date_tbd"]) == ("2026-03-18", "")


def test_bad_year_refused():
    from domain.errors import UserError

    with pytest.raises(UserError, match="--year"):
        propose_events("三月：a\n四月：b\n", load_config(), 3000)
    assert dt.date.today().year >= 2025


def test_an_autumn_term_schedule_runs_on_into_the_next_year():
    text = ("九月份：\n1、庆祝教师节\n2、工会小组长会议\n十月份：重阳节慰问退休教师\n十二月份：迎新年联欢\n"
            "一月份：\n1、春节慰问困难教职工\n2、学期工作总结\n")
    _, events = propose_events(text, load_config(), 2026)
    dates = {e.title: (e.date.isoformat()[:7], e.date_known) for e in events}
    assert dates["庆祝教师节"] == ("2026-09", True)
    assert dates["迎新年联欢"] == ("2026-12", False)
    assert dates["春节慰问困难教职工"] == ("2027-02", True)  # 2027's 春节 is on 2-6
    assert dates["学期工作总结"] == ("2027-01", False)


def test_a_calendar_year_schedule_ending_in_the_next_january_rolls_over():
    text = "二月份：开学工会小组长会议\n三月份：三八节活动\n十二月份：迎新年联欢\n一月份：慰问退休教师\n"
    _, events = propose_events(text, load_config(), 2026)
    assert [(e.title, e.date.year) for e in events] == \
        [("开学工会小组长会议", 2026), ("三八节活动", 2026), ("迎新年联欢", 2026), ("慰问退休教师", 2027)]
