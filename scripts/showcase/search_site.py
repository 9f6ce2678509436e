"""Putting the search index on the site: a background build, the files, the header box.

Framework-free like the rest of the core; plugin.py calls these from MkDocs events.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import escape

from .atomic import atomic_write
from .search import SearchFiles

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


class SearchJob:
    """Builds the index beside the MkDocs build; `result()` waits for it and re-raises its error.

    In a second process where the machine has a core to spare (measured at 1,000 branches: a
    thread still fought the page rendering for the GIL and added about 20 % to the build),
    otherwise on a thread."""

    def __init__(self, work: Callable[..., SearchFiles], *args: Any) -> None:
        self._future: concurrent.futures.Future[SearchFiles]
        self._pool: concurrent.futures.Executor
        if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context)
        else:
            self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")
        self._future = self._pool.submit(work, *args)

    def result(self) -> SearchFiles:
        try:
            return self._future.result()
        finally:
            self._pool.shutdown(wait=False, cancel_futures=True)


def write_files(site_dir: Path, files: dict[str, bytes]) -> set[Path]:
    """Write the index into the built site. Files are replaced, never written through: in an
    incremental build they may be hard links into the published site/."""
    written = set()
    for rel, data in files.items():
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            written.add(target)
            continue
        atomic_write(target, data)
        written.add(target)
    return written
