"""The two characters of a brand seal (render/seal.py): Chinese characters only."""

from __future__ import annotations

import pytest

from showcase.render.seal import is_hanzi, seal_text


@pytest.mark.parametrize(
    ("brand", "organisation", "seal"),
    [
        ("五心阳光", "阳光社区党委", "五心"),
        ("“三联”工作法", "", "三联"),  # the opening quotation mark is not cut into a seal
        ("学习、改变、担当", "", "学习"),
        ("党建·家", "", "党建"),
        ("党建+共治", "", "党建"),
        ("1+N红色联盟", "", "红色"),  # digits and Latin letters are skipped
        ("e家亲", "", "家亲"),
        ("《红色课堂》", "", "红色"),
        ("𠀋𠀌工作室", "", "𠀋𠀌"),  # CJK Extension B is Chinese too
        ("1+N", "新华西路社区党委", "新华"),  # too few Chinese characters: the organisation's
        ("e站", "和林格尔县委组织部", "和林"),
        ("ABC", "", "AB"),  # nothing Chinese anywhere: letters rather than a blank seal
    ],
)
def test_seal_text(brand: str, organisation: str, seal: str) -> None:
    assert seal_text(brand, organisation) == seal


@pytest.mark.parametrize("char", ["“", "”", "、", "，", "·", "《", "》", "１", "Ａ", "〇", "a", "1", " "])
def test_punctuation_digits_and_letters_are_not_hanzi(char: str) -> None:
    assert not is_hanzi(char)


@pytest.mark.parametrize("char", ["党", "建", "𠀋", "豈"])
def test_ideographs_are_hanzi(char: str) -> None:
    assert is_hanzi(char)
