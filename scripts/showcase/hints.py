"""“是否想写……？”: the one way a message suggests the value the writer probably meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# How alike two values must be (difflib's ratio) to be offered: short Chinese vocabulary words
# differ in one character of two or three, so vocabularies accept a looser match than slugs.
LOOSE = 0.3
KEYS = 0.5
STRICT = 0.6


def closest(value: str, options: Iterable[str], cutoff: float = STRICT) -> str | None:
    """The option most like `value`, if any is alike enough."""
    found = difflib.get_close_matches(value, list(options), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(value: str, options: Iterable[str], *, cutoff: float = STRICT, otherwise: str = "") -> str:
    """“是否想写“X”？” for the closest option, else `otherwise` (e.g. the list of choices)."""
    guess = closest(value, options, cutoff)
    return f"是否想写“{guess}”？" if guess else otherwise
