"""The print edition (印刷版): an edition's HTML in the newspaper genre, rendered to PDF by
WeasyPrint.

Three layouts share one stylesheet (templates/print/print.css): the A3 newspaper page, where
articles follow one another in five columns; the A4 booklet, one article per page start in
two columns; and the A4 brand album, one page per branch after a contents page.

What a PDF is made from is all in its HTML: texts, the photo variants (named by content),
the QR codes and the stylesheet. The PDF is cached under that HTML's digest, so a site build
renders an edition again only when something printed in it changed.

Fonts: WeasyPrint embeds a subset of each font. Noto CJK faces hold 65,000 glyphs; subsetting
them with fontTools (WeasyPrint's fallback) takes seconds per face, HarfBuzz's subsetter
(libharfbuzz-subset, which WeasyPrint uses when it finds it) takes milliseconds. We check for
it and say what to install when it is missing (see `subsetter`, and scripts/bench_print.py).

Nothing is fetched from the network or from arbitrary files: the fetcher serves only the
photo files this module chose and data: URIs (QR codes).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import logging
import mimetypes
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from showcase import urls
from showcase.atomic import atomic_write, write_files
from showcase.background import BackgroundJob
from showcase.content.model import PartialDate
from showcase.media import fonts
from showcase.media.images import ImageError
from showcase.media.renditions import PhotoStore, Rendition
from showcase.media.sharing import qr_svg
from showcase.printing.editions import Article, Edition
from showcase.render.markdown import SafeMarkdown
from showcase.render.templates import credit_line, environment

Progress = Callable[[str], None]
RenditionOf = Callable[[str, str], Rendition | None]  # (slug, photo file) → its variants

TEMPLATES = Path(__file__).parent / "templates"
# Bump when the rendering changes in a way the HTML does not show (e.g. WeasyPrint options).
PRINT_VERSION = "1"
MIN_DPI = 200  # the issue's floor for photos at printed size
TARGET_DPI = 300  # the variant chosen is the smallest that reaches this, else the largest
MM_PER_INCH = 25.4
FONT_STYLES = ("serif", "serif-bold", "sans", "sans-bold")  # what print.css names


@dataclasses.dataclass(frozen=True)
class Paper:
    """Where photos go on a paper, in millimetres (print.css holds the same numbers)."""

    lead_photo_width: float  # the lead photo's box
    lead_photo_max_height: float


PAPERS = {
    "A3": Paper(lead_photo_width=150, lead_photo_max_height=110),
    "A4": Paper(lead_photo_width=110, lead_photo_max_height=85),
    "album": Paper(lead_photo_width=150, lead_photo_max_height=105),
}


@dataclasses.dataclass(frozen=True)
class PrintPhoto:
    src: str  # asset: URL the fetcher serves
    width_mm: float
    height_mm: float
    caption: str
    credit: str


@dataclasses.dataclass(frozen=True)
class PrintedArticle:
    article: Article
    url: str  # absolute URL of the branch page ("" without a site_url)
    qr: str  # data: URI of the QR code's SVG ("" without a site_url)
    photo: PrintPhoto | None
    body: str  # the case write-up as clean HTML


@dataclasses.dataclass(frozen=True)
class Prepared:
    """An edition ready for WeasyPrint: its HTML and the files its asset: URLs name."""

    edition: Edition
    html: str
    assets: dict[str, str]  # asset name → file path
    key: str  # digest of everything the PDF is made from


class PrintError(Exception):
    """Printing cannot go on; the message is Chinese and says what to do."""


# --- preparing the HTML -----------------------------------------------------------------------


def choose_photo(rendition: Rendition, paper: Paper) -> tuple[int, float, float, int]:
    """(variant index, width mm, height mm, dpi): the printed size fits the paper's box and
    never falls below MIN_DPI (a small photo prints smaller, not blurred); the variant is the
    smallest that reaches TARGET_DPI at that size, so the PDF carries no pixels nobody sees."""
    largest = rendition.largest
    ratio = largest.height / largest.width
    width = min(paper.lead_photo_width, paper.lead_photo_max_height / ratio)
    width = min(width, largest.width / MIN_DPI * MM_PER_INCH)
    needed = width / MM_PER_INCH * TARGET_DPI
    index = next(
        (i for i, v in enumerate(rendition.variants) if v.width >= needed), len(rendition.variants) - 1
    )
    dpi = int(rendition.variants[index].width / (width / MM_PER_INCH))
    return index, round(width, 2), round(width * ratio, 2), dpi


def _qr_data_uri(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url)).decode("ascii")


def prepare(edition: Edition, *, rendition: RenditionOf, site_url: str, site_name: str) -> Prepared:
    """The edition's HTML. `rendition` gives a photo's variants (the build's, or the CLI's store)."""
    markdown = SafeMarkdown()
    paper = PAPERS["album" if edition.file.album else edition.file.paper]
    assets: dict[str, str] = {}
    printed = []
    for article in edition.articles:
        branch = article.branch
        photo = None
        made = rendition(branch.slug, article.photo.file) if article.photo else None
        if article.photo is not None and made is not None:
            index, width, height, _ = choose_photo(made, paper)
            path = made.variants[index].file("jpg")
            name = f"{Path(path).stem}.jpg"  # content-addressed: the key of the photo and its width
            assets[name] = path
            photo = PrintPhoto(
                f"asset:{name}",
                width,
                height,
                article.photo.caption,
                credit_line(article.photo.credit),
            )
        url = urls.absolute(site_url, urls.branch(branch.slug)) or ""
        body = markdown.render(branch.case_md).html if branch.case_md.strip() else ""
        printed.append(
            PrintedArticle(article, url, _qr_data_uri(url) if url else "", photo, _for_paper(body))
        )
    note = markdown.render(edition.file.editor_note).html if edition.file.editor_note else ""
    env = environment(None, TEMPLATES)
    template = "album.html" if edition.file.album else "edition.html"
    html = env.get_template(template).render(
        edition=edition,
        file=edition.file,
        paper="A4" if edition.file.album else edition.file.paper,
        articles=printed,
        note=note,
        publisher=edition.file.publisher or site_name,
        site_name=site_name,
        site_url=site_url.rstrip("/"),
        css=(TEMPLATES / "print.css").read_text("utf-8"),
        issue_date=PartialDate(str(edition.file.date)).display(),
    )
    key = hashlib.sha256(
        "\0".join([PRINT_VERSION, _weasyprint_version(), *_font_ids(), html]).encode()
    ).hexdigest()
    return Prepared(edition, html, assets, key)


_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
_HEADING_ID = re.compile(r"(<h[2-6]) id=\"[^\"]*\"")


def _for_paper(html: str) -> str:
    """Paper has no links or anchors: keep the linked text, drop the anchor (no stray PDF link
    areas) and the headings' ids (every case has a 主要举措; ids must be unique per document)."""
    return _HEADING_ID.sub(r"\1", _LINK.sub(r"\1", html))


def _weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def _font_ids() -> list[str]:
    """Which font files the PDF embeds: a new font package means new glyphs, so a new PDF."""
    out = []
    for style in FONT_STYLES:
        found = fonts.find(style)
        if found is None:
            raise PrintError(
                f"没有找到印刷版所需的中文字体（{fonts.STYLES[style][0]}）：{fonts.INSTALL_HINT}"
            )
        st = Path(found[0]).stat()
        out.append(f"{found[0]}:{found[1]}:{st.st_size}:{int(st.st_mtime)}")
    return out


# --- rendering ----------------------------------------------------------------------------------


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


def store_renditions(edition: Edition, store: PhotoStore, progress: Progress | None = None) -> RenditionOf:
    """The lead photos' variants from the photo cache, made now if missing (the CLI has no
    site build to take them from)."""
    wanted = {
        (a.branch.slug, a.photo.file): (
            str(a.branch.file(a.photo.file)),
            a.branch.sources[a.photo.file].sha256,
        )
        for a in edition.articles
        if a.photo is not None
    }
    made = store.photos(wanted.values(), progress=progress)

    def rendition(slug: str, file: str) -> Rendition | None:
        found = wanted.get((slug, file))
        result = made.get(found[1]) if found else None
        if isinstance(result, ImageError) and progress is not None:
            progress(f"注意：{slug} 的照片 {file} 无法使用（{result.message}），这一篇不印题图。")
        return result if isinstance(result, Rendition) else None

    return rendition


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
        todo = [p for p in self.prepared if not _is_cached(p, cache_dir)]
        if todo:
            self.rendered = len(todo)
            self._job = BackgroundJob(_render_all, todo, str(cache_dir))

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


def _cache_paths(prepared: Prepared, cache_dir: Path) -> tuple[Path, Path]:
    """The cached PDF and its meta file (page count; written last, so it marks a whole entry)."""
    path = cache_dir / "print" / f"{prepared.key[:32]}.pdf"
    return path, path.with_suffix(".json")


def _is_cached(prepared: Prepared, cache_dir: Path) -> bool:
    return all(p.is_file() for p in _cache_paths(prepared, cache_dir))
