"""Read what can still be read of a profile with YAML syntax errors.

The strict loader stops at the first error, so a liaison used to see one problem, fix it,
and meet the next ones in the following run. Here a syntax error is reported and the
top-level block it sits in (a key and its indented lines) is blanked — lines kept, so line
numbers stay true — and the rest parsed again, as often as it takes: every syntax error and
every problem of the readable keys comes in one run. The blanked keys are `broken`, so the
schema does not also call them missing. A file with any of these errors is never published.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from typing import Any

from showcase.content import punctuation, yamlstrict
from showcase.problems import ContentError, Problem

MAX_ROUNDS = 20  # more syntax errors than this in one profile: the rest after the fix
_KEY = re.compile(r"""^(["']?)([^:：；"'\s][^:：；"']*?)\1\s*[:：；]""")
# Errors that tell the reader about the line's punctuation, when it has full-width marks.
_SYNTAX = {"YAML_SYNTAX", "YAML_FLOW", "YAML_COLON", "YAML_INDENT"}


# A list item written on one line, `  - {label: 党员； value: 3}`: only that item is set aside.
_ONE_LINE_ITEM = re.compile(r"^([ ]*-[ ]+)[{\[].*$")
UNREADABLE = "（无法读取）"  # stands in for such an item, so the items after it keep their index


@dataclasses.dataclass
class Recovered:
    doc: yamlstrict.Document | None  # None: nothing usable could be read
    problems: list[Problem]
    broken: set[str]  # top-level keys whose block could not be read (blanked)
    broken_items: set[yamlstrict.Loc] = dataclasses.field(default_factory=set)  # ("figures", 2)


def _block_starts(lines: list[str]) -> list[int]:
    """0-based lines that open a top-level block: a key at column 1 (not a comment, not a
    list item, which may sit at column 1 under its key, not a document marker)."""
    return [
        i
        for i, line in enumerate(lines)
        if line and line[0] not in " \t#-." and not line.startswith(("---", "..."))
    ]


def _block_of(starts: list[int], index: int) -> int | None:
    """The start of the block holding 0-based line `index`, None before the first block."""
    at = bisect.bisect_right(starts, index) - 1
    return starts[at] if at >= 0 else None


def load(path: str, raw: bytes) -> Recovered:
    """`raw` parsed strictly; on syntax errors, reported all and the readable rest parsed.
    Raises ContentError only when nothing of the file can be read (size, encoding)."""
    text = yamlstrict.decode(path, raw)
    lines = text.split("\n")
    starts = _block_starts(lines)
    problems = punctuation.key_separator_problems(path, text)
    blanked = {b for p in problems if (b := _block_of(starts, p.line - 1)) is not None}
    items: dict[int, str] = {}  # 0-based line of a one-line list item → its stand-in line
    doc: yamlstrict.Document | None = None
    for _ in range(MAX_ROUNDS):
        work = "\n".join(
            "" if _block_of(starts, i) in blanked else items.get(i, line) for i, line in enumerate(lines)
        )
        try:
            doc = yamlstrict.parse(path, work)
            break
        except ContentError as e:
            problem = e.problems[0]
        if problem.code == "YAML_EMPTY" and blanked:
            break  # every block was broken
        problems.append(_with_hint(problem, lines))
        index = problem.line - 1
        item = _ONE_LINE_ITEM.match(lines[index]) if 0 <= index < len(lines) else None
        if item and index not in items and index not in starts:
            items[index] = f'{item.group(1)}"{UNREADABLE}"'
            continue
        more = _blocks_to_blank(starts, problem)
        if not more or more <= blanked:
            break  # no block to blank (an error outside any key): nothing more to read
        blanked |= more
    keys = {m.group(2).strip() for b in blanked if (m := _KEY.match(lines[b]))}
    broken_items: set[yamlstrict.Loc] = set()
    if doc is not None and isinstance(doc.data, dict):
        keys -= set(doc.data)
        broken_items = {
            loc
            for loc, pos in doc.values.items()
            if pos.line - 1 in items and loc and isinstance(loc[-1], int) and _at(doc.data, loc) == UNREADABLE
        }
    return Recovered(doc, problems, keys, broken_items)


def _blocks_to_blank(starts: list[int], problem: Problem) -> set[int]:
    """The block of the problem's line; and the block before it, if the problem is at the
    very start of a block (the parser says "no ':' found" at the line after the broken one)."""
    index = problem.line - 1
    block = _block_of(starts, index)
    if block is None:
        return set()
    out = {block}
    if block == index and problem.col == 1 and block != starts[0]:
        before = _block_of(starts, index - 1)
        if before is not None:
            out.add(before)
    return out


def _with_hint(problem: Problem, lines: list[str]) -> Problem:
    if problem.code not in _SYNTAX or not 0 < problem.line <= len(lines):
        return problem
    hint = punctuation.line_hint(lines[problem.line - 1])
    if not hint:
        return problem
    return dataclasses.replace(problem, message=f"{problem.message}{hint}")


def _at(data: Any, loc: yamlstrict.Loc) -> Any:
    for part in loc:
        data = data[part]
    return data
