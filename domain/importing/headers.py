"""Which row is the header, and which column holds which field.

Each field's label plus its synonyms live in one table (``SYNONYMS``); headers
are compared after ``normalise_label`` (spaces, full-width forms, ``*``,
``（必填）``, a trailing colon, traditional characters), then by a fuzzy ratio
above ``FUZZY_THRESHOLD``.  One column per field, best match first.  The
traditional table covers only the characters of the labels and synonyms
below (a full converter is not needed to read a header).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

from domain.fields import FIELDS
from domain.importing.cells import shown

FUZZY_THRESHOLD = 0.75
HEADER_SCAN_ROWS = 10
MAX_HEADER_CHARS = 16

# The traditional forms of the characters in the labels and synonyms.
_TRADITIONAL = str.maketrans(
    "別證號機學歷職稱崗務會組時間狀態曆費繳況說難類檔審脫備註聯繫電話碼門級問經來簽領憑後續進關係編員親屬額黨團種資齡貌處",
    "别证号机学历职称岗务会组时间状态历费缴况说难类档审脱备注联系电话码门级问经来签领凭后续进关系编员亲属额党团种资龄貌处",
)
_REQUIRED_MARK = re.compile(r"[(\[]?(必填|必须填写|必填项|选填)[)\]]?")
_NOISE = re.compile(r"[\s*＊:：]+")

# Visit imports also read these columns to find the member visited.
LOOKUP_FIELDS = {"id_number": "身份证号", "phone": "手机", "union_group": "工会小组"}

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "member": {
        "name": ("姓名", "名字", "职工姓名", "教师姓名", "会员姓名", "教职工姓名"),
        "gender": ("性别",),
        "birth_date": ("出生日期", "出生年月", "生日", "出生年月日"),
        "ethnicity": ("民族",),
        "political_status": ("政治面貌",),
        "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"),
        "phone": ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话"),
        "education": ("学历", "最高学历"),
        "title": ("职称", "专业技术职称", "专业技术职务"),
        "position": ("岗位职务", "岗位", "职务", "岗位/职务"),
        "school": ("学校", "单位", "所在学校"),
        "union_group": ("工会小组", "部门", "科室", "教研组", "年级组", "所在部门"),
        "card_number": ("会员证号", "会员证编号"),
        "joined_date": ("入会时间", "入会日期", "入会年月"),
        "status": ("会籍状态", "会籍"),
        "employment": ("在职退休", "在职/退休", "人员状态", "是否退休"),
        "retired_date": ("退休日期", "退休时间"),
        "notes": ("备注", "说明"),
    },
    "visit": {
        "member_id": ("会员编号",),
        "member_name": ("会员姓名", "姓名", "慰问对象", "被慰问会员"),
        "date": ("日期", "慰问日期", "慰问时间", "走访日期", "时间"),
        "reason": ("慰问类别", "慰问原因", "慰问事由", "事由", "类别"),
        "recipient": ("受慰问人",),
        "relation": ("关系", "与会员关系"),
        "form": ("慰问形式", "形式"),
        "amount": ("慰问金", "金额", "慰问金额", "慰问金(元)", "金额(元)"),
        "goods": ("慰问品", "物品"),
        "fund_source": ("经费来源", "资金来源", "经费渠道"),
        "visitors": ("慰问人", "走访人", "慰问人员"),
        "signed_by": ("签领人", "领取人"),
        "approver": ("审批人",),
        "notes": ("备注", "说明"),
        "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
        "phone": ("手机", "手机号", "手机号码", "联系电话", "电话"),
        "union_group": ("工会小组", "部门", "科室", "教研组", "年级组"),
    },
}


def normalise_label(text) -> str:
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = _REQUIRED_MARK.sub("", s)
    s = _NOISE.sub("", s).translate(_TRADITIONAL)
    return s.lower()


@functools.lru_cache(maxsize=4)
def _labels(kind: str) -> dict[str, tuple[str, ...]]:
    """Every field's normalised label and synonyms (field labels count too)."""
    out = {name: tuple(normalise_label(s) for s in syns) for name, syns in SYNONYMS[kind].items()}
    for f in FIELDS[kind]:
        label = normalise_label(f.label)
        out[f.name] = tuple(dict.fromkeys((*out.get(f.name, ()), label)))
    return out


def field_score(kind: str, header) -> tuple[str | None, float]:
    """The best field for one header and how sure (1.0 exact, else a fuzzy ratio)."""
    return _field_score(kind, shown(header))


@functools.lru_cache(maxsize=4096)
def _field_score(kind: str, header: str) -> tuple[str | None, float]:
    h = normalise_label(header)
    if not h or len(h) > MAX_HEADER_CHARS:  # a title or a data cell, not a header
        return None, 0.0
    best, score = None, 0.0
    for name, labels in _labels(kind).items():
        if h in labels:
            return name, 1.0
        for label in labels:
            ratio = difflib.SequenceMatcher(None, h, label).ratio()
            if len(label) >= 2 and label in h and len(h) <= len(label) + 3:
                ratio = max(ratio, 0.8)  # 会员手机, 手机(必填项)
            if ratio > score:
                best, score = name, ratio
    return (best, score) if score >= FUZZY_THRESHOLD else (None, score)


def detect_header_row(kind: str, rows: list[list]) -> int | None:
    """The index of the row whose cells best match known labels (None if no row does)."""
    best, best_score = None, 0.0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        matched = [field_score(kind, c) for c in row if str(c or "").strip()]
        fields = {name for name, _ in matched if name}
        score = sum(s for name, s in matched if name)
        if len(fields) >= 2 and score > best_score:
            best, best_score = i, score
    return best


@dataclass
class Column:
    index: int
    header: str
    field: str | None
    how: str  # exact, fuzzy, remembered, --map, or why it is ignored: unknown, taken, ignored

    @property
    def letter(self) -> str:
        return column_letter(self.index)


def column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def map_columns(kind: str, header: list, overrides: dict[str, str | None],
                remembered: dict[str, str | None]) -> list[Column]:
    """Each column's field: --map first, then a remembered choice, then the best match."""
    proposals = []
    for i, cell in enumerate(header):
        text = shown(cell).strip()
        key = normalise_label(text)
        for source, how in ((overrides, "--map"), (remembered, "remembered")):
            hit = _lookup(source, text, key, column_letter(i))
            if hit is not _MISSING:
                proposals.append((2.0 if how == "--map" else 1.5, i, text, hit, how if hit else "ignored"))
                break
        else:
            name, score = field_score(kind, text)
            proposals.append((score, i, text, name, "exact" if score == 1.0 else "fuzzy" if name else "unknown"))
    taken: set[str] = set()
    columns: dict[int, Column] = {}
    for score, i, text, name, how in sorted(proposals, key=lambda p: (-p[0], p[1])):
        if name and name in taken:
            columns[i] = Column(i, text, None, "taken")
            continue
        if name:
            taken.add(name)
        columns[i] = Column(i, text, name, how)
    return [columns[i] for i in sorted(columns)]


_MISSING = object()


def _lookup(source: dict, text: str, key: str, letter: str):
    for k in (text, key, letter):
        if k and k in source:
            return source[k]
    return _MISSING
