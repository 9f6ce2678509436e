"""Text copied from another branch: brand name, slogan, summary, paragraphs of case.md.

A liaison who starts from another branch's folder and changes only the name publishes that
branch's brand and story under their own. Each branch's texts are folded (full-width to
half-width, whitespace dropped) and put in one hash map, so the whole project is compared in
one pass, O(total text); a text found in two branches is an error in both, each naming the
other place — which of the two is the copy cannot be told from the files, and the liaison of
the original is the one who can tell.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from showcase.content import yamlstrict
from showcase.problems import Problem, line_col

MIN_PARAGRAPH = 30  # characters (folded); shorter ones (“截至目前：”) may well coincide
PLACEHOLDER = "待填写"  # the template's text: its own error, not a copy

# (what it is, where in the profile)
_PROFILE_TEXTS: tuple[tuple[str, yamlstrict.Loc], ...] = (
    ("品牌名称", ("brand", "name")),
    ("品牌口号", ("brand", "slogan")),
    ("简介", ("summary",)),
)
_PARAGRAPH = "段落"
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_BLOCK_MARK = re.compile(r"^\s{0,3}(?:[>*+-]|\d+[.)])\s+")  # quote, list item: not part of the text


@dataclasses.dataclass(frozen=True, slots=True)
class Text:
    """One text that must be the branch's own, at its place."""

    kind: str  # 品牌名称 / 品牌口号 / 简介 / 段落
    folded: str
    shown: str  # as written (for the message)
    path: str
    line: int
    col: int


@dataclasses.dataclass
class Texts:
    """The texts of one branch folder (`rel_dir`, root-relative)."""

    rel_dir: str
    items: list[Text] = dataclasses.field(default_factory=list)


def fold(text: str) -> str:
    """Full-width and half-width alike, case and whitespace ignored."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def profile_texts(doc: yamlstrict.Document) -> list[Text]:
    """Brand name, slogan and summary of a profile (as read, valid or not)."""
    out = []
    for kind, loc in _PROFILE_TEXTS:
        value: Any = doc.data
        for key in loc:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and value.strip() and PLACEHOLDER not in value:
            pos = doc.pos(loc)
            out.append(Text(kind, fold(value), value.strip(), doc.path, pos.line, pos.col))
    return out


def case_texts(path: str, text: str) -> list[Text]:
    """The paragraphs of a case write-up long enough to matter (headings and code left out)."""
    scan = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    out = []
    for m in re.finditer(r"(?:^[ \t]*\S.*(?:\n|$))+", scan, re.M):
        lines = [line for line in m.group().splitlines() if not line.lstrip().startswith("#")]
        body = "".join(_BLOCK_MARK.sub("", line) for line in lines)
        folded = fold(body)
        if len(folded) < MIN_PARAGRAPH or PLACEHOLDER in folded:
            continue
        first = m.start() + len(m.group()) - len(m.group().lstrip())
        line, col = line_col(text, first)
        out.append(Text(_PARAGRAPH, folded, body.strip(), path, line, col))
    return out


def problems(branches: Iterable[Texts]) -> list[Problem]:
    """Every text found in more than one branch, as an error at each place."""
    seen: dict[tuple[str, str], list[tuple[str, Text]]] = {}
    for texts in branches:
        for item in texts.items:
            seen.setdefault((item.kind, item.folded), []).append((texts.rel_dir, item))
    out = []
    for places in seen.values():
        if len({rel_dir for rel_dir, _ in places}) < 2:
            continue
        places.sort(key=lambda p: (p[1].path, p[1].line, p[1].col))
        for rel_dir, item in places:
            others = [other for d, other in places if d != rel_dir]
            out.append(_problem(item, others))
    return out


def _problem(item: Text, others: list[Text]) -> Problem:
    other = others[0]
    where = f"{other.path} 第{other.line}行"
    more = f"（另有 {len(others) - 1} 处相同）" if len(others) > 1 else ""
    if item.kind == _PARAGRAPH:
        message = (
            f"这一段与 {where}的段落相同{more}：案例要写本党组织自己的做法和成效，"
            "请用自己的话重写这一段，或删去它。"
        )
    else:
        message = (
            f"{item.kind}“{item.shown}”与 {where}的{item.kind}相同{more}：看起来是从别的党组织复制来的，"
            f"请改成本党组织自己的{item.kind}。"
        )
    return Problem(item.path, item.line, item.col, "COPIED_TEXT", message)
