"""长辈模式 (适老化 mode) on every page: its script in <head> and its toggle in the header.

Chinese public-sector sites are expected to offer a mode for elderly readers (工信部《互联网网站
适老化通用设计规范》): larger text, higher contrast, big tap targets. The styles are in
showcase.css (`html.sc-elder …`), the behaviour in assets/elder.js. The script goes into <head>
as an external file, so the stored choice applies before the first paint and the site's
Content-Security-Policy needs no hash for it.

Framework-free like the rest of the core; plugin.py calls this from MkDocs events.
"""

from __future__ import annotations

from markupsafe import escape

SCRIPT_URI = "assets/showcase/elder.js"

_HEADER = '<header class="md-header'
# Next to the theme's own options: before the palette toggle; else before the search box, the
# repository link, or at the end of the header bar.
_ANCHORS = (
    '<form class="md-header__option"',
    '<form class="sc-header-search"',
    '<div class="md-header__source">',
    "</nav>",
)
# A real <button> with aria-pressed: keyboard and screen readers get "长辈模式, toggle button,
# pressed/not pressed". Its name stays the same in both states, as toggle buttons' names should.
BUTTON = (
    '<button type="button" class="md-header__button sc-elder-toggle" data-sc-elder aria-pressed="false" '
    'title="放大字号、加强对比，方便老年人阅读">长辈模式</button>'
)


def elder_mode(html: str, script_src: str) -> str:
    """`html` with the mode's script at the end of <head> and its toggle in the header bar.
    A page without a <head> or without the theme's header is returned unchanged."""
    head_end = html.find("</head>")
    if head_end < 0:
        return html
    start = html.find(_HEADER, head_end)
    if start >= 0:
        for anchor in _ANCHORS:
            at = html.find(anchor, start)
            if at >= 0:
                html = html[:at] + BUTTON + html[at:]
                break
    script = f'<script src="{escape(script_src)}"></script>\n'
    return html[:head_end] + script + html[head_end:]
