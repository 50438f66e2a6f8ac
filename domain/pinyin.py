"""Pinyin keys for search-as-you-type over member names.

``张三`` is found by ``张``, ``zs``, ``zhangsan``, ``zhangs``, ``zsan`` or
``zhs``: a query matches if it is a substring of the name, of the initials
(``zs``) or of the full pinyin (``zhangsan``), or if it spells consecutive
syllables by a prefix of each (``zsan``, ``zhs``).

pypinyin reads surnames as ordinary words (曾 ceng, 单 dan, 解 jie ...), so
the surname (the first one or two characters) is read from a table, and
pypinyin (``Style.NORMAL``, no heteronyms) reads the given name.  In given
names 长 is read ``chang`` (长江, 长春, 长青), not pypinyin's standalone
``zhang``.  ü is written ``v`` (吕 lv), as on pinyin keyboards.

:class:`SearchIndex` precomputes one haystack string per member so that a
keystroke over 10,000 members is a couple of ``in`` tests each (run this
module to time it).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Hashable, Iterable
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

#: Two-character surnames, checked before single ones.
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "上官": ("shang", "guan"),
    "诸葛": ("zhu", "ge"),
    "东方": ("dong", "fang"),
    "皇甫": ("huang", "fu"),
    "令狐": ("ling", "hu"),
    "长孙": ("zhang", "sun"),
    "宇文": ("yu", "wen"),
    "澹台": ("tan", "tai"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "司徒": ("si", "tu"),
    "司空": ("si", "kong"),
    "夏侯": ("xia", "hou"),
    "轩辕": ("xuan", "yuan"),
    "呼延": ("hu", "yan"),
    "端木": ("duan", "mu"),
    "南宫": ("nan", "gong"),
    "西门": ("xi", "men"),
    "独孤": ("du", "gu"),
    "钟离": ("zhong", "li"),
    "申屠": ("shen", "tu"),
    "闻人": ("wen", "ren"),
    "赫连": ("he", "lian"),
    "拓跋": ("tuo", "ba"),
}

#: Single-character surnames whose surname reading pypinyin gets wrong.
SURNAMES: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "区": "ou",
    "仇": "qiu",
    "翟": "zhai",
    "解": "xie",
    "查": "zha",
    "朴": "piao",
    "覃": "qin",
    "阚": "kan",
    "缪": "miao",
    "盖": "ge",
    "乐": "yue",
    "秘": "bi",
    "种": "chong",
    "召": "shao",
    "繁": "po",
    "员": "yun",
    "折": "she",
    "句": "gou",
    "能": "nai",
    "薄": "bo",
    "隗": "wei",
    "祭": "zhai",
    "都": "du",
    "重": "chong",
    "宓": "fu",
    "卜": "bu",
    "长": "chang",
    "朝": "chao",
    "藏": "zang",
    "尉": "wei",
    "沈": "shen",
    "柏": "bai",
    "任": "ren",
    "华": "hua",
}

#: Given-name characters read one way regardless of pypinyin's context.
GIVEN_NAME_READINGS: dict[str, str] = {"长": "chang"}

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[0-9a-z]+")
_QUERY_DROP = re.compile(r"[\s\-'·・.]+")
_EXTRA_TOKEN = re.compile(r"[0-9x]+")
_SYLLABLE_QUERY = re.compile(r"[a-z]+")


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


@lru_cache(maxsize=65536)
def _read(chars: str) -> tuple[str, ...]:
    """Syllables for a run of text: pypinyin for Han, lower-case tokens for the rest."""
    if not chars:
        return ()
    out: list[str] = []
    items = lazy_pinyin(chars, style=Style.NORMAL)
    # pypinyin returns one item per Han character and a whole run for
    # anything else ("Tom", "·"); map Han items back to their characters
    pos = 0
    for item in items:
        if pos < len(chars) and _HAN.match(chars[pos]):
            out.append(GIVEN_NAME_READINGS.get(chars[pos], item))
            pos += 1
        else:
            out.extend(_TOKEN.findall(item.lower()))
            pos += len(item)
    return tuple(out)


@lru_cache(maxsize=65536)
def syllables(name: str) -> tuple[str, ...]:
    """The pinyin syllables of a name, surname first (``张三`` -> ``("zhang", "san")``)."""
    s = _clean(name)
    if s[:2] in COMPOUND_SURNAMES:
        return COMPOUND_SURNAMES[s[:2]] + _read(s[2:])
    if s[:1] in SURNAMES:
        return (SURNAMES[s[:1]],) + _read(s[1:])
    if s[:1] and _HAN.match(s[0]):  # read the surname alone, without word context
        return (_surname_reading(s[0]),) + _read(s[1:])
    return _read(s)


@lru_cache(maxsize=4096)
def _surname_reading(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL)[0]


@lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, str]:
    """``(initials, full)`` in lower case: ``张三`` -> ``("zs", "zhangsan")``."""
    sy = syllables(name)
    return "".join(x[0] for x in sy), "".join(sy)


def _normalise_query(query: str) -> str:
    return _QUERY_DROP.sub("", unicodedata.normalize("NFKC", query or "").lower())


@lru_cache(maxsize=256)
def _syllable_pattern(query: str) -> re.Pattern[str]:
    """Each letter continues the current syllable or begins the next one.

    Matched against ``'zhang'san``: ``zsan``, ``zhangs`` and ``zhs`` all match.
    """
    return re.compile("'" + "(?:[a-z0-9]*')?".join(re.escape(c) for c in query))


def _haystack(name: str, extra: str = "") -> tuple[str, str]:
    initials, full = name_keys(name)
    digits = "\0".join(_EXTRA_TOKEN.findall(_clean_extra(extra)))
    plain = f"{_clean(name)}\0{initials}\0{full}\0{digits}"
    spelled = "'" + "'".join(syllables(name))
    return plain, spelled


def _clean_extra(extra: str) -> str:
    # dashes inside a number (138-0013-8000) join it; spaces and commas separate fields
    return unicodedata.normalize("NFKC", extra or "").lower().replace("-", "")


def matches(query: str, name: str) -> bool:
    """Does ``query`` find ``name``?  (Case-insensitive; see the module docstring.)"""
    q = _normalise_query(query)
    if not q:
        return True
    plain, spelled = _haystack(name)
    if q in plain:
        return True
    return bool(_SYLLABLE_QUERY.fullmatch(q)) and _syllable_pattern(q).search(spelled) is not None


class SearchIndex:
    """Search-as-you-type over many members.

    Built from ``(key, name, extra_text)``, where ``extra_text`` holds the
    member's phone and 身份证号 (separated by spaces or commas); digits in a
    query match substrings of those.  ``search`` returns keys in input order.

    Substring tests run per member on one precomputed string; the
    syllable-prefix pattern (``zsan``) runs once over all members' spelled
    names joined by newlines, so it costs one C-level scan, not 10,000 calls.
    """

    def __init__(self, entries: Iterable[tuple[Hashable, str, str]]):
        self._keys: list[Hashable] = []
        self._plain: list[str] = []
        spelled_names: list[str] = []
        for key, name, extra in entries:
            plain, spelled = _haystack(name, extra)
            self._keys.append(key)
            self._plain.append(plain)
            spelled_names.append(spelled)
        self._spelled = "\n".join(spelled_names)
        self._spelled_names = spelled_names
        self._position = {key: i for i, key in enumerate(self._keys)}
        self._starts: list[int] = []  # offset of each member's line in _spelled
        offset = 0
        for spelled in spelled_names:
            self._starts.append(offset)
            offset += len(spelled) + 1

    def __len__(self) -> int:
        return len(self._keys)

    def search(self, query: str) -> list[Hashable]:
        q = _normalise_query(query)
        if not q:
            return list(self._keys)
        if not _SYLLABLE_QUERY.fullmatch(q):
            return [key for key, plain in zip(self._keys, self._plain) if q in plain]
        hit = bytearray(len(self._keys))
        starts = self._starts
        for m in _syllable_pattern(q).finditer(self._spelled):
            hit[bisect_right(starts, m.start()) - 1] = 1
        return [
            key
            for key, plain, by_syllable in zip(self._keys, self._plain, hit)
            if by_syllable or q in plain
        ]

    def refine(self, query: str, keys: Iterable[Hashable]) -> set[Hashable]:
        """Those of ``keys`` that ``query`` finds.

        Typing narrows: a member found by a query is found by every prefix of
        it (substrings and syllable-prefix patterns both shrink with a
        shorter query), so the hits of the query one letter shorter are the
        only candidates; checking them one by one beats a scan of everyone."""
        q = _normalise_query(query)
        position = self._position
        if not q:
            return {k for k in keys if k in position}
        by_syllable = _syllable_pattern(q).search if _SYLLABLE_QUERY.fullmatch(q) else None
        plain, spelled = self._plain, self._spelled_names
        out = set()
        for key in keys:
            i = position.get(key)
            if i is not None and (q in plain[i] or (by_syllable and by_syllable(spelled[i]))):
                out.add(key)
        return out


if __name__ == "__main__":
    import random
    import time

    rng = random.Random(1)
    surnames = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐曾单区仇翟解查覃缪乐") + ["欧阳", "尉迟", "诸葛"]
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华长江海燕建国志红玉梅晓东三思松书淑顺"
    entries = []
    for i in range(10_000):
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        phone = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        entries.append((i, name, f"{phone} 11010519491231002X"))
    t0 = time.perf_counter()
    index = SearchIndex(entries)
    t1 = time.perf_counter()
    print(f"build 10,000 names: {(t1 - t0) * 1000:.0f} ms")
    for query in ("z", "zs", "s", "zsan", "zhang", "zhangs", "zhs", "wangjianguo", "张", "138", "0013", "q"):
        runs = []
        for _ in range(20):
            t = time.perf_counter()
            hits = index.search(query)
            runs.append(time.perf_counter() - t)
        print(f"search {query!r:16} {len(hits):5d} hits  median {sorted(runs)[10] * 1000:5.2f} ms  worst {max(runs) * 1000:5.2f} ms")
