"""Render untrusted Markdown (case write-ups, updates) to clean HTML.

Defence in depth: Python-Markdown runs with its raw-HTML handling removed, so `<script>`
in the source comes out as text; no extension that reads files or evaluates anything is
loaded (no snippets, no attr_list, no md_in_html); the result is then cleaned by nh3
under a tight allowlist, with links limited to http/https/mailto and relative URLs.
Headings get stable ids from their own text, Chinese kept (not `_1`, `_2`).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def slugify(value: str, separator: str = "-") -> str:
    """Heading id from heading text: keeps CJK and letters, lowercases, joins words with '-'."""
    value = unicodedata.normalize("NFKC", value).strip().lower()
    value = re.sub(r"[^\w\s-]", "", value)
    return re.sub(r"[\s_-]+", separator, value).strip(separator) or "section"


_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[^\n]*$", re.M | re.S)
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)


def strip_comments(source: str) -> str:
    """Drop HTML comments outside fenced code: writers use them for notes to reviewers and
    expect them hidden, and raw HTML being text would otherwise publish them."""
    out, last = [], 0
    for m in _FENCE.finditer(source):
        out += [_COMMENT.sub("", source[last : m.start()]), m.group()]
        last = m.end()
    out.append(_COMMENT.sub("", source[last:]))
    return "".join(out)


@dataclasses.dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, Any]]  # Python-Markdown toc_tokens: level, id, name, children


class SafeMarkdown:
    """One reusable converter (building a Markdown instance costs more than a short page)."""

    def __init__(self, *, shift_headings: int = 0) -> None:
        self._md = markdown.Markdown(
            extensions=["toc", "tables", "sane_lists", "smarty"],
            extension_configs={
                "toc": {"slugify": slugify, "permalink": False, "toc_depth": "2-3"},
                "smarty": {"smart_quotes": False},
            },
            output_format="html",
        )
        # Raw HTML is never rendered: drop the block and inline HTML handlers so it stays text.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._shift = shift_headings

    def render(self, source: str) -> Rendered:
        self._md.reset()
        if self._shift:
            # Writers start at `##`; a lone `#` would compete with the page title.
            source = re.sub(r"^#(?!#)", "##", source, flags=re.M)
        html = self._md.convert(strip_comments(source))
        toc = list(getattr(self._md, "toc_tokens", []))
        clean = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
        return Rendered(html=clean, toc=toc)
