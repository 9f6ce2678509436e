"""Inline scripts as the standard library's HTML parser reads them: a second opinion on the
security-header scanner (tests/site/test_trust.py) and the html.parser candidate of
scripts/bench_html_scan.py."""

from __future__ import annotations

import html.parser


class _Scripts(html.parser.HTMLParser):
    """Inline scripts by the standard library's HTML parser, a second opinion independent of the
    scanner's lexbor; right for the pages we build, whose scripts end in a plain "</script>"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and "src" not in a and (a.get("type") or "") in ("", "module", "text/javascript"):
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def stdlib_scripts(text: str) -> list[str]:
    p = _Scripts()
    p.feed(text)
    p.close()
    return p.scripts
