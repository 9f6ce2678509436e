"""Bytes of a hand-written file as text: the one UTF-8 decoder for profiles, case.md and updates.

Liaisons write on Windows, where Word and Notepad still save GBK. Every file the loader
reads goes through `decode_utf8`, so a wrong encoding is reported the same way wherever it
happens: at the line and column (in characters, like every other problem) of the first byte
that is not UTF-8, with the same advice.
"""

from __future__ import annotations

from showcase.content import unsafe_chars
from showcase.problems import ContentError, Problem

BOM = b"\xef\xbb\xbf"
ENCODING_MESSAGE = "文件不是 UTF-8 编码（可能是 GBK/GB2312）：请在编辑器里以“UTF-8”编码另存此文件。"


def decode_utf8(path: str, raw: bytes) -> str:
    """UTF-8 text without a BOM; anything else (GBK from Word on Windows…) is an ENCODING
    error at the first bad byte's line and column."""
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]  # valid UTF-8 up to the bad byte
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8")) + 1
        raise ContentError([Problem(path, line, col, "ENCODING", ENCODING_MESSAGE)]) from None


def read_markdown(path: str, raw: bytes) -> str:
    """A Markdown file (case.md, an update) as text: UTF-8, "\\n" line ends, no invisible or
    direction-changing characters (refused as TEXT_CHAR at their place)."""
    text = decode_utf8(path, raw).replace("\r\n", "\n")
    unsafe_chars.refuse(path, text, "TEXT_CHAR")
    return text
