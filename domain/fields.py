"""The fields of each kind of record: one table every way in reads.

Names are English snake_case (the command line's contract); labels are what
people see, and the Chinese label heads the district sheet's column.
``syncs`` says whether the field goes to the shared sheet; sensitive fields
(PIPL: 身份证号, illness details, family income) stay local unless the
configuration opts them in.  ``choices`` names a configuration list (a
string) or gives fixed values (a tuple).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.clean_text import text_limit

KINDS = ("member", "event", "visit")

# Field types, each with one parser in domain/validation.py.
TEXT, DATE, MONEY, CHOICE, IDCARD, MOBILE, INT, YEAR, MEMBER_REF, MEMBER_LIST = (
    "text", "date", "money", "choice", "idcard", "mobile", "int", "year",
    "member_ref", "member_list",
)
TIME, OCCURRENCES = "time", "occurrences"  # HH:MM; per-occurrence records (JSON text)


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # Chinese: the sheet header
    label_en: str
    type: str = TEXT
    syncs: bool = True
    sensitive: bool = False
    required: bool = False
    choices: tuple[str, ...] | str | None = None
    default: str = ""

    def as_dict(self, choice_values: tuple[str, ...] = ()) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "label_en": self.label_en,
            "type": self.type,
            "syncs": self.syncs,
            "sensitive": self.sensitive,
            "required": self.required,
            "choices": list(choice_values),
            "max_length": text_limit(self.name, self.type),  # characters; longer is refused, never cut
        }


F = Field
GENDERS = ("男", "女")
POLITICAL = ("中共党员", "中共预备党员", "共青团员", "民主党派", "群众")
MEMBERSHIP = ("在会", "保留会籍", "转出", "退会")
EMPLOYMENT = ("在职", "退休")
BIRTHDAY_CALENDARS = ("公历", "农历")
HEALTH = ("良好", "患病", "住院", "大病")
HARDSHIP = ("低保户", "低保边缘户", "意外致困户")
HARDSHIP_REASONS = (
    "无劳动能力", "有劳动能力而未就业", "下岗失业", "未参加社会保险",
    "社会保险待遇落实不到位", "患重特大疾病", "遭受自然灾害", "遭受意外事故",
    "子女上学", "其他",
)
RECURRENCE = ("不重复", "每年公历", "每年农历", "每月", "每周", "每两周", "每学期")
VISIT_FORMS = ("慰问金", "慰问品", "纪念品")
RELATIONS = ("本人", "配偶", "父母", "子女")
DATE_TBD = ("是",)

MEMBER_FIELDS = (
    F("name", "姓名", "Name", required=True),
    F("gender", "性别", "Gender", CHOICE, choices=GENDERS),
    F("birth_date", "出生日期", "Birth date", DATE),
    F("ethnicity", "民族", "Ethnicity"),
    F("political_status", "政治面貌", "Political status", CHOICE, choices=POLITICAL),
    F("id_number", "身份证号", "ID number", IDCARD, syncs=False, sensitive=True),
    F("phone", "手机", "Mobile", MOBILE),
    F("education", "学历", "Education"),
    F("title", "职称", "Professional title"),
    F("position", "岗位职务", "Position"),
    F("school", "学校", "School", required=True),
    F("union_group", "工会小组", "Union group"),
    F("card_number", "会员证号", "Card number"),
    F("joined_date", "入会时间", "Joined", DATE),
    F("status", "会籍状态", "Membership", CHOICE, choices=MEMBERSHIP, default="在会"),
    F("employment", "在职退休", "Employment", CHOICE, choices=EMPLOYMENT, default="在职"),
    F("retired_date", "退休日期", "Retired on", DATE),
    F("birthday_calendar", "生日历法", "Birthday calendar", CHOICE,
      choices=BIRTHDAY_CALENDARS, default="公历"),
    F("dues_paid_year", "会费缴至年度", "Dues paid for year", YEAR),
    F("health", "健康状况", "Health", CHOICE, choices=HEALTH, syncs=False, sensitive=True),
    F("health_notes", "病情说明", "Illness details", syncs=False, sensitive=True),
    F("hardship", "困难类别", "Hardship category", CHOICE, choices=HARDSHIP),
    F("hardship_opened", "建档日期", "Hardship file opened", DATE),
    F("hardship_reason", "主要致困原因", "Main cause of hardship", CHOICE,
      choices=HARDSHIP_REASONS),
    F("hardship_secondary", "次要致困原因", "Secondary causes"),
    F("family_size", "家庭人口", "Family size", INT, syncs=False, sensitive=True),
    F("family_income", "家庭月收入", "Family monthly income", MONEY, syncs=False,
      sensitive=True),
    F("hardship_opened_by", "建档人", "File opened by"),
    F("hardship_checked_by", "审核人", "File checked by"),
    F("hardship_closed", "脱困日期", "Out of hardship on", DATE),
    F("notes", "备注", "Notes"),
)

EVENT_FIELDS = (
    F("title", "活动名称", "Title", required=True),
    F("date", "日期", "Date", DATE, required=True),
    # "是": only the month of ``date`` is known (a work plan's "日期待定"); the
    # date is then that month's 1st, shown as 3月（待定）.
    F("date_tbd", "日期待定", "Day not yet fixed", CHOICE, choices=DATE_TBD, syncs=False),
    F("school", "学校", "School", required=True),
    F("category", "活动类别", "Category", CHOICE, choices="event_categories"),
    F("recurrence", "重复", "Recurrence", CHOICE, choices=RECURRENCE, default="不重复"),
    F("location", "地点", "Location"),
    F("organizer", "负责人", "Organizer"),
    F("participants", "参加人", "Participants", MEMBER_LIST, syncs=False),
    F("notes", "备注", "Notes"),
    # optional time of day, the series' end (a date, or after N times), and per
    # occurrence (by its series date) attendance, a cancellation or a move: domain/occurrences.py
    F("start_time", "开始时间", "Starts at", TIME, syncs=False),
    F("end_time", "结束时间", "Ends at", TIME, syncs=False),
    F("until", "重复截止", "Repeats until", DATE, syncs=False),
    F("count", "重复次数", "Number of times", INT, syncs=False),
    F("occurrences", "各次记录", "Per occurrence", OCCURRENCES, syncs=False),
)

VISIT_FIELDS = (
    F("member_id", "会员编号", "Member id", MEMBER_REF, required=True),
    F("member_name", "会员姓名", "Member name"),
    F("date", "日期", "Date", DATE, required=True),
    F("reason", "慰问类别", "Reason", CHOICE, choices="visit_reasons", required=True),
    F("recipient", "受慰问人", "Visited person"),
    F("relation", "关系", "Relation", CHOICE, choices=RELATIONS, default="本人"),
    F("form", "慰问形式", "Form", CHOICE, choices=VISIT_FORMS, default="慰问金"),
    F("amount", "慰问金", "Amount (yuan)", MONEY),
    F("goods", "慰问品", "Goods"),
    F("fund_source", "经费来源", "Fund source", CHOICE, choices="fund_sources"),
    F("visitors", "慰问人", "Visitors"),
    F("signed_by", "签领人", "Signed for by"),
    F("voucher", "凭证", "Voucher"),
    F("approver", "审批人", "Approver"),
    F("school", "学校", "School", required=True),
    F("follow_up", "后续跟进", "Follow-up"),
    F("notes", "备注", "Notes"),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "member": MEMBER_FIELDS,
    "event": EVENT_FIELDS,
    "visit": VISIT_FIELDS,
}
_BY_NAME = {kind: {f.name: f for f in fields} for kind, fields in FIELDS.items()}

KIND_LABELS = {"member": ("会员", "Members"), "event": ("活动", "Events"), "visit": ("慰问", "Visits")}


def field(kind: str, name: str) -> Field:
    return _BY_NAME[kind][name]


def field_names(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS[kind])


def has_field(kind: str, name: str) -> bool:
    return name in _BY_NAME[kind]
