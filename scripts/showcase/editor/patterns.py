"""The personal-data rules of `showcase check` as one JavaScript regex for the web editor.

Decap CMS checks a field against `pattern: [regex, message]` ("must match"), compiled in the
browser with `RegExp(regex)`. The Python detector (`content/personal_data.py`) folds
full-width digits, dashes and spaces before matching; a single JS regex cannot fold, so each
character class of the Python patterns is translated into the class of every BMP character
that folds into it. The translation is mechanical, from the Python patterns themselves:
change a rule there and the editor follows at the next `showcase schema`.

What one regex cannot do: the 身份证号 check digit (any 18-digit ID-shaped run is refused,
which is what `showcase check` does too — a wrong check digit is an error as well), landlines
(a warning, left to CI), and characters outside the BMP (e.g. mathematical digits).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from showcase.content import checks, personal_data

_TOKEN = re.compile(r"\[(?:\\.|[^\]\\])*\]|\\.|\(\?<?[!=:]|\{\d+(?:,\d*)?\}|[()?*+|]|.")
_STRUCTURE = re.compile(r"\(\?<?[!=:]|\{\d+(?:,\d*)?\}|[()?*+|]")


def _js_class(match: Callable[[str], object]) -> str:
    """A JS character class of the BMP characters whose folded form `match` accepts."""
    fold = personal_data._fold  # the detector's own folding
    codes = [c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and match(fold(chr(c)))]
    if not codes:
        raise ValueError("empty character class")
    ranges: list[tuple[int, int]] = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))

    def esc(c: int) -> str:
        ch = chr(c)
        return ch if ch.isascii() and ch.isalnum() else f"\\u{c:04X}"

    body = "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges)
    return f"[{body}]"


def to_js(pattern: str) -> str:
    """A Python pattern over folded text as a JS pattern over the original text. Groups
    become non-capturing; every character or class becomes the class of what folds into it."""
    out = []
    for token in _TOKEN.findall(pattern):
        if _STRUCTURE.fullmatch(token):
            out.append("(?:" if token == "(" else token)
        elif token in (".", "^", "$") or token in ("\\b", "\\B", "\\A", "\\Z"):
            raise ValueError(f"cannot translate {token!r} in {pattern!r}")
        else:
            out.append(_js_class(re.compile(token).fullmatch))
    return "".join(out)


@functools.cache
def personal_data_pattern() -> str:
    """Matches a text with no mobile number and no 18-digit ID-shaped number in it."""
    forbidden = "|".join(to_js(p.pattern) for p in (personal_data._MOBILE, personal_data._ID))
    return rf"^(?![\s\S]*(?:{forbidden}))[\s\S]*$"


def personal_data_message() -> str:
    """The messages `showcase check` gives for a mobile number and an 身份证号, without the
    masked number (the form cannot show it)."""
    texts = (checks.PERSONAL_DATA_MESSAGES[kind][2] for kind in ("mobile", "id"))
    return " ".join(t.replace(" {masked}", "") for t in texts)
