"""The search box in the header of every page (the index itself is built by index.py).

Framework-free like the rest of the core; site/chrome.py puts it into every page.
"""

from __future__ import annotations

from markupsafe import escape

# Material's header has no search box when its search plugin is off; ours goes where that
# box would be: before the repository link, or at the end of the header bar.
_HEADER = '<header class="md-header'
_ANCHORS = ('<div class="md-header__source">', "</nav>")
_ICON = (
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 '
    "4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 "
    '9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5z"/></svg>'
)


def header_search_box(html: str, search_url: str) -> str:
    """`html` with a search form (GET to the search page, so it works without JavaScript)."""
    start = html.find(_HEADER)
    if start < 0:
        return html
    for anchor in _ANCHORS:
        at = html.find(anchor, start)
        if at >= 0:
            break
    else:
        return html
    form = (
        f'<form class="sc-header-search" role="search" action="{escape(search_url)}" method="get">'
        '<input type="search" name="q" placeholder="搜索" aria-label="搜索党组织、品牌和案例" enterkeyhint="search">'
        f'<button type="submit" aria-label="搜索">{_ICON}</button></form>'
    )
    return html[:at] + form + html[at:]
