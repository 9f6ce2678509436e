"""The print edition's PDF: a prepared edition (layout.py) rendered by WeasyPrint, and cached.

The PDF is cached under the digest of everything it is made from (`Prepared.key`), so a
site build renders an edition again only when something printed in it changed.

Fonts: WeasyPrint embeds a subset of each font. Noto CJK faces hold 65,000 glyphs; subsetting
them with fontTools (WeasyPrint's fallback) takes seconds per face, HarfBuzz's subsetter
(libharfbuzz-subset, which WeasyPrint uses when it finds it) takes milliseconds. We check for
it and say what to install when it is missing (see `subsetter`, and scripts/bench_print.py).

Nothing is fetched from the network or from arbitrary files: the fetcher serves only the
photo files layout.py chose and data: URIs (QR codes).
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import mimetypes
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from showcase.atomic import atomic_write
from showcase.printing.layout import Prepared, Progress


def subsetter() -> str:
    """Which font subsetter WeasyPrint will use: "harfbuzz" or "fonttools" (slow with CJK)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    return "fonttools"


def _fetcher(assets: dict[str, str]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):  # type: ignore[misc]
        """Serves the chosen photos and data: URIs; refuses everything else (no network, no
        other files), and fails the rendering rather than print a page with a hole in it."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data", "asset"}, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("asset:"):
                name = url.removeprefix("asset:")
                path = assets.get(name)
                if path is None:
                    raise ValueError(f"unknown asset {name}")
                kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": kind})
            return super().fetch(url, headers)

    return AssetFetcher()


class _StepLog(logging.Handler):
    """WeasyPrint's progress steps as Chinese progress lines, at most one every few seconds."""

    STEPS = (
        ("Step 1", "读取版面"),
        ("Step 3", "应用样式"),
        ("Step 4", "生成版面结构"),
        ("Step 5", "排版"),
        ("Step 6", "写出 PDF（嵌入字体子集、图片）"),
    )

    def __init__(self, progress: Progress, what: str) -> None:
        super().__init__(logging.INFO)
        self.progress, self.what = progress, what
        self.last_step = ""
        self.last = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for prefix, text in self.STEPS:
            if not message.startswith(prefix):
                continue
            now = time.monotonic()
            page = re.search(r"Page (\d+)", message)
            if prefix != self.last_step:
                self.last_step, self.last = prefix, now
                self.progress(f"{self.what}：{text}……")
            elif page and now - self.last >= 3:
                self.last = now
                self.progress(f"{self.what}：排版到第 {page.group(1)} 页……")


@contextmanager
def _progress_from_weasyprint(progress: Progress | None, what: str) -> Iterator[None]:
    """WeasyPrint's steps go to `progress` (if given) and never to the build's log, where
    "Step 5 - Creating layout - Page 7" would drown the build's own lines."""
    logger = logging.getLogger("weasyprint.progress")
    main = logging.getLogger("weasyprint")  # its INFO lines are steps too; warnings stay
    handler = _StepLog(progress, what) if progress is not None else None
    old = logger.level, logger.propagate, main.level
    logger.propagate = False
    main.setLevel(logging.WARNING)
    if handler is not None:
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    try:
        yield
    finally:
        if handler is not None:
            logger.removeHandler(handler)
        logger.setLevel(old[0])
        logger.propagate = old[1]
        main.setLevel(old[2])


@dataclasses.dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    layout_seconds: float
    write_seconds: float


def render(prepared: Prepared, progress: Progress | None = None) -> Rendered:
    """The PDF of a prepared edition (no cache)."""
    with _progress_from_weasyprint(progress, prepared.edition.heading):
        import weasyprint  # inside: importing parses the default stylesheets, with log lines

        started = time.monotonic()
        document = weasyprint.HTML(
            string=prepared.html, base_url="asset:", url_fetcher=_fetcher(prepared.assets)
        ).render()
        laid_out = time.monotonic()
        out = io.BytesIO()
        # The photos are JPEGs sized for print already: embedded as they are, not re-encoded.
        document.write_pdf(out, uncompressed_pdf=False)
    return Rendered(out.getvalue(), len(document.pages), laid_out - started, time.monotonic() - laid_out)


@dataclasses.dataclass(frozen=True)
class CachedPdf:
    path: Path
    pages: int
    made: bool  # rendered by this call (False: taken from the cache)


def cached_pdf(prepared: Prepared, cache_dir: Path, progress: Progress | None = None) -> CachedPdf:
    """The PDF's file in the cache, rendered if missing."""
    path, meta = _cache_paths(prepared, cache_dir)
    try:
        pages = int(json.loads(meta.read_text("utf-8"))["pages"])
        if path.is_file():
            return CachedPdf(path, pages, False)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not cached yet, or damaged: render again
    rendered = render(prepared, progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, rendered.pdf)
    atomic_write(meta, json.dumps({"pages": rendered.pages}).encode())  # last: marks the entry complete
    return CachedPdf(path, rendered.pages, True)


def _cache_paths(prepared: Prepared, cache_dir: Path) -> tuple[Path, Path]:
    """The cached PDF and its meta file (page count; written last, so it marks a whole entry)."""
    path = cache_dir / "print" / f"{prepared.key[:32]}.pdf"
    return path, path.with_suffix(".json")


def is_cached(prepared: Prepared, cache_dir: Path) -> bool:
    """Whether the prepared edition's PDF is in the cache (a look, no rendering)."""
    return all(p.is_file() for p in _cache_paths(prepared, cache_dir))
