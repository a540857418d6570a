"""The guide search: pinyin, initials, English and Chinese, typos and word order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.routers.guides import catalog
from kiosk.departments.guides.search import search
from kiosk.departments.guides.service import GuideCatalog

GUIDES = GuideCatalog.model_validate(catalog().model_dump()).guides


def top(query: str) -> str:
    found = search(GUIDES, query)
    return found[0].title_zh if found else ""


@pytest.mark.parametrize(("query", "title"), [
    ("shebao zhengming", "社保参保证明打印"),
    ("zhengming shebao", "社保参保证明打印"),  # word order
    ("shebso zhengming", "社保参保证明打印"),  # a typo
    ("sbcbzm", "社保参保证明打印"),  # syllable initials
    ("shebaozhengming", "社保参保证明打印"),  # no spaces
    ("gjj tiqu", "住房公积金提取（租房）"),
    ("gongjijn daikuan", "住房公积金贷款申请"),
    ("renew licnce", "机动车驾驶证换证"),
    ("jiashizeng", "机动车驾驶证换证"),
    ("weizhang", "交通违法处理与罚款缴纳"),
    ("canguan", "食品经营许可证核发"),
    ("提取 公积金", "住房公积金提取（租房）"),
    ("newborn", "新生儿出生登记"),
])
def test_finds_the_guide(query: str, title: str) -> None:
    assert top(query) == title


@pytest.mark.parametrize("query", ["xyzq", "qqqq wwww", "zhzhzh"])
def test_nonsense_finds_nothing(query: str) -> None:
    assert search(GUIDES, query) == []


def test_an_empty_query_lists_the_first_guides() -> None:
    assert len(search(GUIDES, "  ")) == 5


@settings(max_examples=60)
@given(st.sampled_from(GUIDES), st.randoms(use_true_random=False))
def test_any_word_order_of_a_guide_s_pinyin_finds_it(guide, rnd) -> None:
    words = [w.replace("'", "") for w in guide.pinyin.split()]
    rnd.shuffle(words)
    assert guide in search(GUIDES, " ".join(words), limit=3)


@settings(max_examples=60)
@given(st.sampled_from(GUIDES), st.integers(0, 100), st.sampled_from("aeiouxz"))
def test_one_typo_in_a_long_pinyin_word_still_finds_it(guide, at, letter) -> None:
    words = [w.replace("'", "") for w in guide.pinyin.split()]
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 6:
        return  # a typo in a short word may well be another word
    at %= len(word)
    words[longest] = word[:at] + letter + word[at + 1:]
    assert guide in search(GUIDES, " ".join(words), limit=3)
