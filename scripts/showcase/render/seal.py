"""The two characters of a brand's seal (印章), shown where a branch has no logo of its own.

A seal is cut from Chinese characters only: the opening quotation mark of “三治融合”, the 、 of
学习、改变、担当, a digit or a Latin letter would make a seal no engraver would cut. The seal
takes the brand's first two Chinese characters, and the organisation's name when the brand
has fewer than two (a brand called “1+N” or “e 站”).
"""

from __future__ import annotations

import unicodedata

SIZE = 2  # characters on a seal


def is_hanzi(char: str) -> bool:
    """A CJK ideograph (any block: unified, extensions, compatibility), not a CJK punctuation
    mark, full-width letter or digit, which share the East Asian blocks."""
    return unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def seal_text(brand: str, organisation: str = "") -> str:
    """The first two Chinese characters of the brand name, else of the organisation's name.
    Falls back to whatever letters the brand has when neither holds two (never empty for a
    non-empty brand, so a card never shows a blank seal)."""
    for name in (brand, organisation):
        hanzi = [c for c in name if is_hanzi(c)]
        if len(hanzi) >= SIZE:
            return "".join(hanzi[:SIZE])
    letters = [c for c in brand if c.isalnum()]
    return "".join(letters[:SIZE]) or brand[:SIZE]
