"""Strict YAML: a safe subset of YAML for files written by hand by non-programmers.

Only PyYAML's scanner, parser and composer run; no constructor ever turns text into
Python objects. So every scalar stays a string until the pydantic model converts it
(no Norway problem, no surprise dates or octal numbers), and we keep the line and
column of every key and value to point errors at.

Refused with a Chinese message naming line and column: bytes that are not UTF-8 (checked
by `text.py`, like every hand-written file), files over the size cap, more than one
document, anchors and aliases (alias bombs), explicit tags, duplicate keys, non-scalar keys
and nesting deeper than the cap.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from showcase.content import unsafe_chars
from showcase.content.text import decode_utf8
from showcase.problems import ContentError, Problem, Severity, line_col

MAX_BYTES = 256 * 1024
MAX_DEPTH = 16

# A path into the data: keys and list indexes, e.g. ("figures", 2, "value").
Loc = tuple[str | int, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Pos:
    line: int  # 1-based
    col: int  # 1-based


@dataclasses.dataclass(slots=True)
class Document:
    """Plain data (dict / list / str / None) plus where each key and value stands in the file."""

    path: str
    data: Any
    values: dict[Loc, Pos]
    keys: dict[Loc, Pos]

    def pos(self, loc: Loc) -> Pos:
        """Position of the value at `loc`, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), Pos(1, 1))

    def key_pos(self, loc: Loc) -> Pos:
        """Position of the key of `loc` (for unknown-key errors), else of its value."""
        return self.keys.get(tuple(loc)) or self.pos(loc)

    def problem(self, loc: Loc, code: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
        """A problem with the value at `loc`, at its line and column in this file."""
        pos = self.pos(loc)
        return Problem(self.path, pos.line, pos.col, code, message, severity)


class _StrictError(Exception):
    def __init__(self, line: int, col: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.code, self.message = line, col, code, message

    @classmethod
    def at(cls, mark: Any, code: str, message: str) -> _StrictError:
        """At a PyYAML mark (0-based line and column)."""
        return cls(mark.line + 1, mark.column + 1, code, message)


try:  # libyaml's parser when PyYAML was built with it: same events and marks, ~10x faster
    from yaml._yaml import CParser as _Parser

    _FAST = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _FAST = False


class _PyParser(Reader, Scanner, Parser):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


if not _FAST:  # pragma: no cover
    _Parser = _PyParser  # type: ignore[assignment,misc]


class _Frame:
    """An open mapping or sequence while events stream in."""

    __slots__ = ("container", "key", "loc")

    def __init__(self, container: dict[str, Any] | list[Any], loc: Loc) -> None:
        self.container = container
        self.loc = loc
        self.key: str | None = None  # a mapping's key waiting for its value


def _build(parser: Any, doc: Document) -> Any:
    """Plain data from the parser's events, in one pass, refusing what strict YAML forbids.

    No node graph and no constructor: anchors, aliases and tags are refused as soon as
    their event arrives, so an alias bomb is never expanded.
    """
    stack: list[_Frame] = []
    root: Any = None
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is DocumentEndEvent:
            return root
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            closed = stack.pop()  # already attached to its parent when it opened
            if not stack:
                root = closed.container
            continue
        _refuse_references(event, kind)
        mark = event.start_mark
        pos = Pos(mark.line + 1, mark.column + 1)
        parent = stack[-1] if stack else None
        if parent is None:
            loc: Loc = ()
        elif isinstance(parent.container, list):
            loc = (*parent.loc, len(parent.container))
        elif parent.key is None:  # this event is a mapping key
            _take_key(event, kind, parent, pos, doc.keys)
            continue
        else:
            loc = (*parent.loc, parent.key)
        doc.values[loc] = pos
        if kind is ScalarEvent:
            value = _scalar(event)
            if parent is None:
                root = value
            else:
                _attach(parent, value)
        else:
            if len(stack) >= MAX_DEPTH:
                raise _StrictError.at(
                    mark, "YAML_DEPTH", f"嵌套层级超过 {MAX_DEPTH} 层：档案不需要这么深的结构，请检查缩进。"
                )
            frame = _Frame({} if kind is MappingStartEvent else [], loc)
            if parent is not None:
                _attach(parent, frame.container)
            stack.append(frame)


def _refuse_references(event: Any, kind: type) -> None:
    """Aliases, anchors and tags: what would make text mean more than it says."""
    mark = event.start_mark
    if kind is AliasEvent:
        raise _StrictError.at(
            mark,
            "YAML_ALIAS",
            f"不支持 YAML 别名 *{event.anchor}：请把内容直接写出来，不要用 & 和 * 引用。",
        )
    if event.anchor is not None:
        raise _StrictError.at(
            mark, "YAML_ANCHOR", f"不支持 YAML 锚点 &{event.anchor}：请删除 & 标记，把内容直接写出来。"
        )
    if event.tag is not None and not (kind is ScalarEvent and event.tag == "!"):
        shown = str(event.tag).replace("tag:yaml.org,2002:", "!!")
        raise _StrictError.at(
            mark, "YAML_TAG", f"不支持 YAML 类型标签 {shown}：请删除以 ! 开头的标记，值一律按文字填写。"
        )


def _take_key(event: Any, kind: type, parent: _Frame, pos: Pos, keys: dict[Loc, Pos]) -> None:
    """A mapping's key: plain text, said once."""
    if kind is not ScalarEvent:
        raise _StrictError.at(event.start_mark, "YAML_KEY", "键必须是简单的文字，不能是列表或映射。")
    key = event.value
    if key in parent.container:
        first = keys[(*parent.loc, key)]
        raise _StrictError.at(
            event.start_mark,
            "YAML_DUPLICATE_KEY",
            f"键“{key}”重复出现（第一次在第 {first.line} 行）：请合并为一处，否则前面的内容会丢失。",
        )
    keys[(*parent.loc, key)] = pos
    parent.key = key


def _scalar(event: Any) -> str | None:
    """A scalar's text. An empty plain value (`key:`) means "not given"; so do `~` and `null`,
    which must not be published as text; everything else is text.
    (libyaml reports the plain style as "", PyYAML as None.)"""
    value: str | None = event.value
    if value in ("", "~", "null", "Null", "NULL") and not event.style:
        return None
    if value and unsafe_chars.find(value):
        # Written as escapes ("\x1b", "\u202e") the raw-text check cannot see them.
        raise _StrictError.at(
            event.start_mark, "YAML_CHAR", unsafe_chars.message(unsafe_chars.find(value)[0][1])
        )
    return value


def _attach(parent: _Frame, value: Any) -> None:
    if isinstance(parent.container, list):
        parent.container.append(value)
    else:
        assert parent.key is not None
        parent.container[parent.key] = value
        parent.key = None


# PyYAML's problems, in Chinese, with what to do about them.
_PROBLEMS: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"found character '\\t'|found a tab character"),
        "YAML_TAB",
        "不能用制表符（Tab）缩进或分隔：请改用空格。",
    ),
    (
        re.compile(r"mapping values are not allowed"),
        "YAML_COLON",
        "此处不能出现冒号“: ”：如果值里本身含有冒号，请把整个值用引号括起来；否则请检查缩进。",
    ),
    (
        re.compile(r"could not find expected ':'"),
        "YAML_SYNTAX",
        "找不到应有的冒号“:”：每一行应写成“键: 值”，冒号后要有空格。",
    ),
    (
        re.compile(r"expected <block end>|did not find expected key|expected <block mapping end>"),
        "YAML_INDENT",
        "缩进不对齐：同一层的键必须左对齐，列表项“- ”要对齐，请检查这一行和上一行的空格数。",
    ),
    (
        re.compile(r"did not find expected '-' indicator"),
        "YAML_INDENT",
        "列表缩进不对齐：每个列表项都应以同样缩进的“- ”开头。",
    ),
    (
        re.compile(r"found unexpected end of stream|found unexpected document separator"),
        "YAML_QUOTE",
        "引号没有闭合：请检查这一行开始的引号是否成对。",
    ),
    (
        re.compile(r"did not find expected ',' or '[\]}]'"),
        "YAML_FLOW",
        "方括号或花括号没有闭合，或项之间缺少英文逗号“,”。",
    ),
    (
        re.compile(r"found character (?:'[@`%]' )?that cannot start any token"),
        "YAML_RESERVED",
        "值不能以 @、` 或 % 开头：请把整个值用引号括起来。",
    ),
    (
        re.compile(r"found undefined (alias|tag handle)"),
        "YAML_ALIAS",
        "不支持 YAML 别名或标签：请删除以 * 或 ! 开头的标记。",
    ),
]


def _problem_text(problem: str) -> tuple[str, str]:
    for pattern, code, message in _PROBLEMS:
        if pattern.search(problem):
            return code, message
    return "YAML_SYNTAX", f"YAML 语法错误（{problem}）：请对照示例检查这一行的写法。"


def _decode(path: str, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ContentError(
            [
                Problem(
                    path,
                    1,
                    1,
                    "FILE_TOO_LARGE",
                    f"文件有 {-(-len(raw) // 1024)} KB，超过上限 {MAX_BYTES // 1024} KB：档案只放结构化信息，长文请写进 case.md。",
                )
            ]
        )
    text = decode_utf8(path, raw)
    if "\x00" in text:
        line, col = line_col(text, text.index("\x00"))
        raise ContentError([Problem(path, line, col, "ENCODING", "文件含有空字符（\\0），不是文本文件。")])
    unsafe_chars.refuse(path, text, "YAML_CHAR")
    return text


def load(path: str, raw: bytes) -> Document:
    """Parse `raw` (the bytes of the file at `path`, relative to the project) strictly."""
    return parse(path, decode(path, raw))


def decode(path: str, raw: bytes) -> str:
    """The text of `raw`; ContentError if it is too large, not UTF-8 or holds unsafe characters
    (nothing of such a file can be read)."""
    return _decode(path, raw)


def parse(path: str, text: str) -> Document:
    """Parse `text` (already decoded by `decode`) strictly; ContentError names the first problem."""
    doc = Document(path=path, data=None, values={}, keys={})
    try:
        parser: Any = _Parser(text)
        parser.get_event()  # StreamStart
        if isinstance(parser.peek_event(), StreamEndEvent):
            raise _StrictError(1, 1, "YAML_EMPTY", "文件是空的：请按示例填写档案内容。")
        parser.get_event()  # DocumentStart
        doc.data = _build(parser, doc)
        following: Any = parser.peek_event()
        if not isinstance(following, StreamEndEvent):
            mark = following.start_mark
            raise _StrictError.at(
                mark,
                "YAML_MULTIDOC",
                "一个文件只能有一份文档：请删除“---”分隔线及其后的第二份内容。",
            )
    except _StrictError as e:
        raise ContentError([Problem(path, e.line, e.col, e.code, e.message)]) from None
    except yaml.MarkedYAMLError as e:
        code, message = _problem_text(e.problem or str(e))
        mark = e.problem_mark or e.context_mark
        if code == "YAML_QUOTE" and e.context_mark is not None:
            mark = e.context_mark  # where the unclosed quote opens, not where the parser gave up
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            code, message = _problem_text("found character '\\t'")
        raise ContentError([Problem(path, line, col, code, message)]) from None
    except yaml.YAMLError as e:  # reader errors: control characters and the like
        offset = getattr(e, "position", 0) or 0
        if _FAST:  # libyaml counts UTF-8 bytes, the pure-Python reader characters
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        line, col = line_col(text, offset)
        raise ContentError(
            [
                Problem(
                    path,
                    line,
                    col,
                    "YAML_CHAR",
                    "这里有不可见的控制字符：请删除它（常见于从网页或 Word 复制的文字）。",
                )
            ]
        ) from None
    return doc


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""
