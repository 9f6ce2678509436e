"""The print edition's HTML (印刷版): an edition laid out in the newspaper genre, with the photo
variants and QR codes it prints, ready for WeasyPrint (pdf.py).

Three layouts share one stylesheet (templates/print/print.css): the A3 newspaper page, where
articles follow one another in five columns; the A4 booklet, one article per page start in
two columns; and the A4 brand album, one page per branch after a contents page.

What a PDF is made from is all in its HTML: texts, the photo variants (named by content),
the QR codes and the stylesheet. `Prepared.key` digests it, with the fonts and WeasyPrint's
version, so the PDF cache (pdf.py) renders an edition again only when something printed in
it changed.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from collections.abc import Callable
from html import escape
from pathlib import Path

from showcase import urls
from showcase.content.model import PartialDate
from showcase.media import fonts
from showcase.media.images import ImageError
from showcase.media.renditions import PhotoStore, Rendition
from showcase.media.sharing import qr_svg
from showcase.printing.editions import Article, Edition
from showcase.render.html_edit import HtmlEdits
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


HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


class _PaperEdits(HtmlEdits):
    """What paper drops from a fragment: every link's tags (its text stays) and the headings' ids."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.replace_tag("")
        elif tag in HEADINGS and any(name == "id" for name, _ in attrs):
            kept = "".join(
                f" {name}" if value is None else f' {name}="{escape(value)}"'
                for name, value in attrs
                if name != "id"
            )
            self.replace_tag(f"<{tag}{kept}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # "<a/>" opens a link (HTML has no self-closing a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.replace_tag("", end_tag=True)


def _for_paper(html: str) -> str:
    """Paper has no links or anchors: keep the linked text, drop the anchor (no stray PDF link
    areas) and the headings' ids (every case has a 主要举措; ids must be unique per document)."""
    return _PaperEdits.apply(html)


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
