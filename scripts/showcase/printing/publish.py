"""The site build's print editions: prepared at once, their PDFs rendered beside the page
rendering (only those not in the cache), published into the built site."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from showcase.atomic import write_files
from showcase.background import BackgroundJob
from showcase.printing.editions import Edition
from showcase.printing.layout import Prepared, RenditionOf, prepare
from showcase.printing.pdf import cached_pdf, is_cached


def _render_all(prepared: list[Prepared], cache_dir: str) -> list[tuple[str, str, int]]:
    """Worker for the site build: every edition's PDF, one after the other (one spare core)."""
    out = []
    for item in prepared:
        pdf = cached_pdf(item, Path(cache_dir))
        out.append((item.edition.id, str(pdf.path), pdf.pages))
    return out


@dataclasses.dataclass(frozen=True)
class Published:
    edition: Edition
    url: str  # site-root relative: editions/<id>.pdf
    path: Path  # the cached PDF
    pages: int
    bytes: int


class PrintRun:
    """The site build's editions: prepared at once, rendered beside the page rendering (only
    those not in the cache), collected by `results()`."""

    def __init__(
        self,
        editions: list[Edition],
        *,
        rendition: RenditionOf,
        site_url: str,
        site_name: str,
        cache_dir: Path,
    ) -> None:
        self.prepared = [
            prepare(e, rendition=rendition, site_url=site_url, site_name=site_name) for e in editions
        ]
        self.key = hashlib.sha256("".join(p.key for p in self.prepared).encode()).hexdigest()
        self._cache_dir = cache_dir
        self.rendered = 0  # how many were not in the cache
        self._job: BackgroundJob[list[tuple[str, str, int]]] | None = None
        self._results: list[Published] | None = None
        todo = [p for p in self.prepared if not is_cached(p, cache_dir)]
        if todo:
            self.rendered = len(todo)
            self._job = BackgroundJob(_render_all, todo, str(cache_dir))

    def cancel(self) -> None:
        """The build failed before collecting the PDFs: stop the rendering."""
        if self._job is not None:
            self._job.cancel()

    def results(self) -> list[Published]:
        """Every edition's PDF, in the editions' order; waits for the rendering if need be."""
        if self._results is None:
            if self._job is not None:
                self._job.result()  # re-raises a rendering error
            out = []
            for item in self.prepared:
                pdf = cached_pdf(item, self._cache_dir)  # all cached by now: a lookup
                out.append(
                    Published(
                        item.edition, item.edition.pdf_url, pdf.path, pdf.pages, pdf.path.stat().st_size
                    )
                )
            self._results = out
        return self._results

    def write(self, site_dir: Path) -> set[Path]:
        """Put the PDFs into the built site; returns the files written."""
        return write_files(site_dir, {p.url: p.path.read_bytes() for p in self.results()})
