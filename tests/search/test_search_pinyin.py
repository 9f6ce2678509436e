"""Pinyin fields of the search index (showcase.search.pinyin): one code point per syllable and
per initial, readings in context first, other readings of polyphonic characters after.
search.js's reading of Latin queries is tested in Chromium (test_search_browser.py)."""

from __future__ import annotations

from showcase.search import pinyin
from showcase.search.collect import Doc, Kind
from showcase.search.index import build, indexed_fields


def codes(*syllables: str) -> str:
    table = pinyin.syllables()
    return "".join(chr(pinyin.SYLLABLE_BASE + table.index(s)) for s in syllables)


def initials(letters: str) -> str:
    return "".join(chr(pinyin.INITIAL_BASE + ord(c) - ord("a")) for c in letters)


def test_syllable_table() -> None:
    table = pinyin.syllables()
    assert list(table) == sorted(set(table))
    assert {"lv", "nv", "zhuang", "a", "er", "xian"} <= set(table)
    assert not {"m", "n", "ng", "hm", "hng"} & set(table)  # no vowel: interjections only
    assert 390 <= len(table) <= 430


def test_reading_in_context_comes_first() -> None:
    fields = pinyin.fields("重庆银行")
    assert fields[0] == codes("chong", "qing", "yin", "hang")
    assert fields[1] == initials("cqyh")
    # other readings of the polyphonic characters (重 zhong, 行 xing) are there too
    assert codes("zhong", "qing", "yin", "xing") in fields
    assert len(fields) == len(set(fields)) <= 2 * (1 + pinyin.ALTERNATIVES)


def test_other_characters_break_the_spelling() -> None:
    [full, first] = pinyin.fields("WiFi驿站")[:2]
    assert full == "\x1f" * 4 + codes("yi", "zhan")
    assert first == "\x1f" * 4 + initials("yz")
    assert pinyin.fields("") == [] and pinyin.fields("ABC") == []


def test_pinyin_is_indexed_for_the_names_only() -> None:
    branch = Doc(
        Kind.BRANCH, "branches/a/", "绿兰城社区党委", "党员包户", "", "", (), ("绿兰城社区党委", "党员包户"),
        ("绿兰城社区党委", "绿兰城", "党员包户"), ("社区推行党员包户",),
    )  # fmt: skip
    fields, title_fields = indexed_fields(branch)
    assert codes("lv", "lan", "cheng") in "\x1f".join(fields[:title_fields])
    assert initials("dybh") in fields[:title_fields]
    assert not any(chr(pinyin.SYLLABLE_BASE) <= c for f in fields[title_fields:] for c in f)
    page = Doc(Kind.PAGE, "about/", "关于本站", "", "", "", (), ("关于本站",), (), ("本站",))
    assert indexed_fields(page) == (["关于本站", "本站"], 1)
    meta = build([branch, page], [], [], []).files["search/meta.json"].decode()
    assert '"pinyin":"a ai an ang ao ba' in meta
