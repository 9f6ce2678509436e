"""Pinyin for the search index: a branch's name, short name and brand as syllable codes.

A reader on a phone often types 绿兰城 as `lvlancheng`, `lü lan cheng` or just `llc`. The
index answers these with the same exact n-gram machinery it uses for Chinese text: every
toneless syllable (ü written v, as pypinyin does) is one code point in Supplementary Private
Use Area-A, and every initial letter another, so the pinyin of 绿兰城 is a three-"character"
string whose 1-, 2- and 3-grams are indexed like any other text. search.js turns a Latin
query word into the same codes (every way of cutting it into syllables, and as initials) and
looks those up beside the literal word, so `app` still finds the text "APP".

Polyphonic characters: the reading in context comes from pypinyin's phrase dictionary (重庆
chong qing, 银行 yin hang); up to `ALTERNATIVES` further readings of the polyphonic characters
are added as extra fields, so a reader who guesses another reading still finds the name.
"""

from __future__ import annotations

import functools
import re
from typing import Any, cast

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

SYLLABLE_BASE = 0xF0000  # first syllable's code point (Supplementary Private Use Area-A)
INITIAL_BASE = 0xF0400  # + 0..25 for the initial letters a..z
ALTERNATIVES = 3  # extra readings per name, for polyphonic characters
_VOWEL = re.compile(r"[aeiouv]")
# pypinyin's `errors` may return a list (one reading per character), which its stubs omit:
# a character without a reading keeps its place, so readings stay aligned with characters.
_EMPTY = cast(Any, lambda s: [""] * len(s))
_NONE = cast(Any, lambda s: [[""]] * len(s))


@functools.cache
def syllables() -> tuple[str, ...]:
    """Every toneless syllable pypinyin knows that has a vowel (interjections such as hm, ng
    are left out: they would only multiply the ways a query can be cut), sorted."""
    found = {to_normal(r) for readings in pinyin_dict.values() for r in readings.split(",")}
    return tuple(sorted(s for s in found if re.fullmatch(r"[a-z]+", s) and _VOWEL.search(s)))


@functools.cache
def _codes() -> dict[str, str]:
    return {s: chr(SYLLABLE_BASE + i) for i, s in enumerate(syllables())}


def _encode(readings: list[str]) -> tuple[str, str]:
    """Syllable codes and initial codes of one reading per character ("" for a character
    without one, which becomes a field break)."""
    codes = _codes()
    full, initials = [], []
    for r in readings:
        code = codes.get(r)
        if code is None:
            full.append("\x1f")
            initials.append("\x1f")
        else:
            full.append(code)
            initials.append(chr(INITIAL_BASE + ord(r[0]) - ord("a")))
    return "".join(full), "".join(initials)


@functools.lru_cache(maxsize=8192)
def _readings(char: str) -> list[str]:
    """Every toneless reading of one character, most common first ([""] for none)."""
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors=_NONE)
    return list(dict.fromkeys(found[0])) if len(found) == 1 else [""]


def fields(text: str) -> list[str]:
    """The pinyin fields of one title field: syllables and initials in context, then those of
    up to ALTERNATIVES other readings of its polyphonic characters (duplicates dropped)."""
    if not text:
        return []
    context = lazy_pinyin(text, style=Style.NORMAL, errors=_EMPTY)
    if len(context) != len(text):  # not one reading per character: never seen, but stay exact
        return []
    every = [_readings(ch) for ch in text]  # character by character: phrases would pick one
    readings = [context]
    if any(len(options) > 1 for options in every):
        for k in range(ALTERNATIVES):
            variant = []
            for chosen, options in zip(context, every, strict=True):
                others = [o for o in options if o != chosen]
                variant.append(others[k] if k < len(others) else chosen)
            readings.append(variant)
    out: list[str] = []
    for reading in readings:
        for encoded in _encode(reading):
            if encoded.strip("\x1f") and encoded not in out:
                out.append(encoded)
    return out
