"""Finding a guide from what a citizen types on the letter keypad: pinyin (whole words
or syllable initials), English, or Chinese, forgiving typos and word order.

A guide's score is the best of: each query word matched to its closest word of the
guide (edit distance, so a typo costs a little; averaged, so order does not
matter), the query as the run of syllable initials ("gjj" in 公积金), the query
typed without spaces against the whole pinyin, and Chinese text against the title.
"""

from __future__ import annotations

from statistics import mean

from rapidfuzz import fuzz

from kiosk.departments.guides.service import Guide

MIN_SCORE = 75
INITIALS_SCORE = 90  # an exact run of syllable initials is a strong hint


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _fields(guide: Guide) -> tuple[list[str], str, str]:
    """(words, pinyin without spaces, syllable initials)."""
    pinyin_words = guide.pinyin.lower().split()
    words = [w.replace("'", "") for w in pinyin_words]
    words += guide.title_en.lower().split() + guide.keywords.lower().split()
    initials = "".join(s[0] for w in pinyin_words for s in w.split("'") if s)
    return words, "".join(w.replace("'", "") for w in pinyin_words), initials


def score(query: str, guide: Guide) -> float:
    tokens = query.lower().split()
    if not tokens:
        return 0.0
    if _is_cjk(query):
        text = guide.title_zh + " " + guide.keywords
        return max(fuzz.partial_ratio("".join(tokens), text), fuzz.token_set_ratio(query, text))
    words, joined, initials = _fields(guide)
    best = mean(max(fuzz.ratio(t, w) for w in words) for t in tokens)
    typed = "".join(tokens)
    if len(typed) >= 2 and typed in initials:
        best = max(best, INITIALS_SCORE)
    if len(typed) >= 6:
        best = max(best, fuzz.ratio(typed, joined), fuzz.partial_ratio(typed, joined) - 5)
    return best


def search(guides: tuple[Guide, ...] | list[Guide], query: str, limit: int = 5) -> list[Guide]:
    """The best guides for ``query``, best first; the first few for an empty query."""
    if not query.strip():
        return list(guides)[:limit]
    scored = [(score(query, g), n, g) for n, g in enumerate(guides)]
    ranked = sorted((s for s in scored if s[0] >= MIN_SCORE), key=lambda s: (-s[0], s[1]))
    return [g for _s, _n, g in ranked[:limit]]
