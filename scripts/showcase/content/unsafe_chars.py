"""Characters that must never reach a page: invisible, direction-changing or line-breaking.

Copying from web pages, WeChat and Word brings them in. A right-to-left override (U+202E)
lets a caption read differently from what reviewers saw in the pull request; a zero-width
space inside 社区 makes it a different word that looks the same in every error message;
YAML 1.1 treats NEL and U+2028 as line breaks, so the parser's complaint would land lines
away from the character. We refuse them with their exact position and name.
"""

from __future__ import annotations

import re

from showcase.problems import ContentError, Problem, line_col

_NAMES = {
    "\x85": "NEL 换行符",
    "\u2028": "行分隔符 U+2028",
    "\u2029": "段分隔符 U+2029",
    "\u200b": "零宽空格 U+200B",
    "\u200c": "零宽非连接符 U+200C",
    "\u200d": "零宽连接符 U+200D",
    "\u2060": "零宽不换行符 U+2060",
    "\ufeff": "字节顺序标记 U+FEFF",
    "\u00ad": "软连字符 U+00AD",
}
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_PATTERN = re.compile("[" + "".join(_NAMES) + _BIDI + r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f" + "]")


def describe(ch: str) -> str:
    if ch in _NAMES:
        return _NAMES[ch]
    if ch in _BIDI:
        return f"文字方向控制符 U+{ord(ch):04X}"
    return f"U+{ord(ch):04X}"


def find(text: str) -> list[tuple[int, str]]:
    """Offsets and characters of every unsafe character (tab, LF and CR are fine)."""
    return [(m.start(), m.group()) for m in _PATTERN.finditer(text)]


def message(ch: str) -> str:
    return f"这里有不可见的控制字符（{describe(ch)}），常见于从网页、微信或 Word 复制的文字：请删除后重新输入这几个字。"


def refuse(path: str, text: str, code: str) -> None:
    """Raise ContentError naming every unsafe character of the file `path` (the first 20)."""
    bad = find(text)
    if bad:
        raise ContentError([Problem(path, *line_col(text, at), code, message(ch)) for at, ch in bad[:20]])
