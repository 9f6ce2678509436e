"""Find personal data in text that would be published: mobile numbers and 身份证号.

Liaisons paste from WeChat and Word, so numbers come in every spelling: `138 0013 8000`,
`138-0013-8000`, full-width `１３８００１３８０００`, `+86 13800138000`. We scan the text with
full-width characters folded one by one (so offsets still point into the original text) and
report each hit with its offset and a masked form — a message must never repeat the number.

- mainland mobile number (1[3-9] + 9 digits, optional +86/0086) → error
- 18-digit 身份证号 with a valid GB 11643-1999 check digit → error
- an 18-digit run shaped like a 身份证号 whose check digit is wrong → error as well: a
  mistyped 身份证号 is still most of one
- landline with area code (0471-6961234, (010)12345678) → warning: often a public office
  line, but someone should look
- masked forms (138****8000) contain no run of digits long enough and pass
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

_SEP = r"[ \-]"  # after folding: spaces (incl. U+3000) and dashes (incl. full-width)
_MOBILE = re.compile(rf"(?<![\d+])(?:(?:\+|00)86{_SEP}?)?(1{_SEP}?[3-9](?:{_SEP}?\d){{9}})(?!\d)")
_ID = re.compile(rf"(?<!\d)(\d{{6}}{_SEP}?\d{{8}}{_SEP}?\d{{3}}[\dXx])(?![\dXx])")
_LANDLINE = re.compile(
    rf"(?<![\d])(?:\(0[1-9]\d{{1,2}}\) ?|0[1-9]\d{{1,2}}{_SEP}?)[2-9]\d{{2,3}}{_SEP}?\d{{4}}(?!\d)"
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclasses.dataclass(frozen=True)
class Finding:
    kind: str  # "mobile" | "id" | "id_checksum" | "landline"
    start: int  # offset into the original text
    end: int
    masked: str

    @property
    def is_error(self) -> bool:
        return self.kind in ("mobile", "id", "id_checksum")


class _FoldTable(dict[int, str]):
    """str.translate table, filled in as characters are met: each character's NFKC form when
    that is one character (full-width digits, plus, parentheses, U+3000…), dashes to "-"."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "－—–‐‑":
            folded = "-"
        else:
            folded = unicodedata.normalize("NFKC", ch) if code > 0x7F else ch
            if len(folded) != 1:
                folded = ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold(text: str) -> str:
    """Full-width digits, plus, dashes, parentheses and spaces to ASCII, one char for one char.
    (A translate over a memo of each character: the scan runs over every published text.)"""
    return text.translate(_FOLD)


def id_checksum_ok(digits: str) -> bool:
    """GB 11643-1999: the 18th character is determined by the first 17 digits."""
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17].upper()


def _digits(s: str) -> str:
    return re.sub(r"[^\dXx]", "", s)


def mask(digits: str) -> str:
    """Keep the first 3 and last 4 characters (mobile) or first 6 and last 4 (ID)."""
    keep_head = 6 if len(digits) >= 15 else 3
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]


def find(text: str) -> list[Finding]:
    folded = _fold(text)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _ID.finditer(folded):
        digits = _digits(m.group(1))
        kind = "id" if id_checksum_ok(digits) else "id_checksum"
        found.append(Finding(kind, m.start(1), m.end(1), mask(digits)))
        taken.append(m.span(1))
    for m in _MOBILE.finditer(folded):
        if free(*m.span(1)):
            found.append(Finding("mobile", m.start(), m.end(), mask(_digits(m.group(1)))))
            taken.append(m.span())
    for m in _LANDLINE.finditer(folded):
        if free(*m.span()):
            digits = _digits(m.group())
            found.append(Finding("landline", m.start(), m.end(), mask(digits)))
            taken.append(m.span())
    found.sort(key=lambda f: f.start)
    return found
