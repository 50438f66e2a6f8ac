import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.pinyin import SearchIndex, matches, name_keys, syllables


@pytest.mark.parametrize(
    "name, initials, full",
    [
        ("张三", "zs", "zhangsan"),
        ("李四", "ls", "lisi"),
        ("曾国藩", "zgf", "zengguofan"),
        ("单田芳", "stf", "shantianfang"),
        ("区志伟", "ozw", "ouzhiwei"),
        ("仇英", "qy", "qiuying"),
        ("翟天临", "ztl", "zhaitianlin"),
        ("解缙", "xj", "xiejin"),
        ("查良镛", "zly", "zhaliangyong"),
        ("朴树", "ps", "piaoshu"),
        ("覃海", "qh", "qinhai"),
        ("阚丽", "kl", "kanli"),
        ("缪杰", "mj", "miaojie"),
        ("盖伟", "gw", "gewei"),
        ("乐嘉", "yj", "yuejia"),
        ("尉迟恭", "ycg", "yuchigong"),
        ("万俟卨", "mqx", "moqixie"),
        ("欧阳娜娜", "oynn", "ouyangnana"),
        ("诸葛亮", "zgl", "zhugeliang"),
        ("吕布", "lb", "lvbu"),
        ("Tom李", "tl", "tomli"),
        ("李 四", "ls", "lisi"),
        ("ＬＩ明", "lm", "liming"),
    ],
)
def test_name_keys(name, initials, full):
    assert name_keys(name) == (initials, full)


@pytest.mark.parametrize(
    "name, full",
    [("张长江", "zhangchangjiang"), ("王长", "wangchang"), ("李长青", "lichangqing"), ("长孙无忌", "zhangsunwuji")],
)
def test_chang_in_given_names(name, full):
    assert name_keys(name)[1] == full


def test_surname_only_applies_to_the_first_character():
    # 曾 is "zeng" as a surname but pypinyin's reading elsewhere is kept
    assert syllables("曾曾")[0] == "zeng"
    assert syllables("王乐乐") == ("wang", "le", "le")  # 乐 reads le in a given name
    assert syllables("王单") == ("wang", "dan")


def test_minority_name_with_separator_dot():
    initials, full = name_keys("阿不都·热合曼")
    assert "·" not in full and initials.startswith("ab") and full.startswith("abu")


def test_keys_are_cached():
    name_keys.cache_clear()
    name_keys("张三")
    name_keys("张三")
    assert name_keys.cache_info().hits == 1


@pytest.mark.parametrize(
    "query",
    ["张", "张三", "三", "zs", "z", "s", "zhangs", "zhangsan", "ZhangSan", "ZS", "hangsan", "zsan", "zhs", "zhang san", "ｚｓ"],
)
def test_finds_zhangsan(query):
    assert matches(query, "张三")


@pytest.mark.parametrize("query", ["李", "sz", "zhangsanfeng", "zz", "ls", "zhangx", "zsx", "张s", "hs"])
def test_does_not_find_zhangsan(query):
    assert not matches(query, "张三")


def test_empty_query_matches_everything():
    assert matches("", "张三") and matches("  ", "李四")


def test_surname_table_drives_search():
    assert matches("zeng", "曾国藩") and not matches("ceng", "曾国藩")
    assert matches("sh", "单田芳") and not matches("dan", "单田芳")


ENTRIES = [
    (1, "张三", "13800138000 11010519491231002X"),
    (2, "李四", "13912345678"),
    (3, "张三", "13700000001"),  # same name, another person
    (4, "曾国藩", "186-0000-1111, 440106198506010014"),
    (5, "欧阳娜娜", ""),
]


def test_search_index_keeps_input_order_and_same_names():
    index = SearchIndex(ENTRIES)
    assert len(index) == 5
    assert index.search("zs") == [1, 3]
    assert index.search("张") == [1, 3]
    assert index.search("z") == [1, 3, 4]
    assert index.search("") == [1, 2, 3, 4, 5]
    assert index.search("oy") == [5]
    assert index.search("ouyn") == [5]


def test_search_index_digits():
    index = SearchIndex(ENTRIES)
    assert index.search("138") == [1]
    assert index.search("1380013") == [1]
    assert index.search("138 0013 8000") == [1]
    assert index.search("1860000") == [4]  # dashes inside the stored phone are ignored
    assert index.search("19491231") == [1]
    assert index.search("002x") == [1]
    assert index.search("002X") == [1]
    assert index.search("0000") == [3, 4]
    assert index.search("99999") == []
    # digits do not leak across fields
    assert index.search("80001101") == []


# ------------------------------------------------------------ properties

HAN = "张王李赵刘陈杨黄周吴曾单区乐长明华国建平三四江海燕思松书"
names = st.text(alphabet=HAN, min_size=1, max_size=4)


def reference_syllable_match(query: str, sylls: tuple[str, ...]) -> bool:
    """Query = nonempty prefixes of consecutive syllables, starting anywhere."""

    def from_syllable(q: str, i: int) -> bool:
        if not q:
            return True
        if i >= len(sylls):
            return False
        return any(
            sylls[i][:k] == q[:k] and from_syllable(q[k:], i + 1)
            for k in range(1, min(len(q), len(sylls[i])) + 1)
        )

    return any(from_syllable(query, i) for i in range(len(sylls)))


def reference_matches(query: str, name: str) -> bool:
    q = "".join(query.split()).lower()
    initials, full = name_keys(name)
    return (
        q in name
        or q in initials
        or q in full
        or reference_syllable_match(q, syllables(name))
    )


@given(names, st.data())
def test_every_syllable_prefix_spelling_matches(name, data):
    sylls = syllables(name)
    start = data.draw(st.integers(0, len(sylls) - 1))
    stop = data.draw(st.integers(start + 1, len(sylls)))
    query = "".join(s[: data.draw(st.integers(1, len(s)))] for s in sylls[start:stop])
    assert matches(query, name)
    assert matches(query.upper(), name)


@given(names, st.text(alphabet="abceghilnoqsuwxyz", min_size=1, max_size=6))
def test_matches_agrees_with_a_brute_force_reference(name, query):
    assert matches(query, name) == reference_matches(query, name)


@given(
    st.lists(names, min_size=1, max_size=30),
    st.one_of(st.text(alphabet="aghinosuwyz", min_size=1, max_size=5), st.sampled_from(list(HAN))),
)
def test_index_agrees_with_matches(name_list, query):
    index = SearchIndex((i, name, "") for i, name in enumerate(name_list))
    expected = [i for i, name in enumerate(name_list) if matches(query, name)]
    assert index.search(query) == expected


@given(st.lists(st.text(alphabet="0123456789", min_size=11, max_size=11), min_size=1, max_size=20), st.text(alphabet="0123456789", min_size=1, max_size=5))
def test_index_digit_search_is_substring_search(phones, query):
    index = SearchIndex((i, "张三", phone) for i, phone in enumerate(phones))
    assert index.search(query) == [i for i, phone in enumerate(phones) if query in phone]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["张三", "曾国藩", "单田芳", "欧阳娜娜", "区小红", "查理", "王芳", "解放"]),
                min_size=1, max_size=8),
       st.text(alphabet="zhangsqioueyf1380", min_size=1, max_size=6))
def test_refining_the_last_hits_equals_a_fresh_search(names, query):
    index = SearchIndex((i, n, f"1380013800{i}") for i, n in enumerate(names))
    for cut in range(1, len(query)):
        shorter = set(index.search(query[:cut]))
        assert index.refine(query[: cut + 1], shorter) == set(index.search(query[: cut + 1]))
