"""Which image files the site publishes for each branch, at which URLs, made from which cache files.

Photos get responsive WebP + JPEG variants (`renditions.PhotoStore`), published by content
under /media/ (`tree.py`); logos one PNG or JPEG, share cards and QR codes in the branch's folder.
A photo that cannot be made is reported at its line in profile.yml and left out; the branch
and every other photo are still published.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path

from showcase import urls
from showcase.content.branch import Branch
from showcase.media import sharing
from showcase.media import tree as media_tree
from showcase.media.images import ImageError
from showcase.media.renditions import PhotoStore, Rendition
from showcase.media.tree import MediaTree
from showcase.media.workers import Progress, parallel_map
from showcase.problems import Problem


@dataclasses.dataclass(frozen=True)
class PublishedImage:
    url: str  # site-root relative
    width: int
    height: int


@dataclasses.dataclass(frozen=True)
class PublishedPhoto:
    """A photo's variants as the templates need them: URLs and widths, smallest first."""

    width: int  # of the largest variant
    height: int
    webp: tuple[tuple[str, int], ...]
    jpg: tuple[tuple[str, int], ...]
    placeholder: str  # data: URI of a tiny preview

    @property
    def url(self) -> str:
        """The largest variant: what the lightbox shows and share cards use."""
        return self.webp[-1][0]

    @property
    def fallback(self) -> str:
        """The JPEG for browsers that read neither srcset nor WebP: the middle size."""
        return self.jpg[len(self.jpg) // 2][0] if len(self.jpg) > 1 else self.jpg[0][0]


@dataclasses.dataclass
class Media:
    photos: dict[tuple[str, str], PublishedPhoto] = dataclasses.field(default_factory=dict)
    logos: dict[tuple[str, str], PublishedImage] = dataclasses.field(default_factory=dict)
    renditions: dict[tuple[str, str], Rendition] = dataclasses.field(default_factory=dict)
    # slug → share card (the site's own under ""), slug → QR code SVG
    cards: dict[str, PublishedImage] = dataclasses.field(default_factory=dict)
    qr_codes: dict[str, PublishedImage] = dataclasses.field(default_factory=dict)
    files: list[tuple[str, Path]] = dataclasses.field(default_factory=list)  # (site URL, cache file)
    tree: MediaTree = dataclasses.field(default_factory=MediaTree)  # photo variants, under media/
    problems: list[Problem] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)  # things worth one info line


def publish(branches: Iterable[Branch], store: PhotoStore, progress: Progress | None = None) -> Media:
    branches = list(branches)
    wanted = [
        (os.path.join(branch.dir, p.file), branch.sources[p.file].sha256)  # strings: 4,000 in a warm build
        for branch in branches
        for p, *_ in branch.photo_refs()  # the profile's photos and its updates'
        if p.file in branch.sources
    ]
    made = store.photos(wanted, progress=progress)
    media = Media()
    for branch in branches:
        for photo, doc, loc in branch.photo_refs():
            info = branch.sources.get(photo.file)
            if info is None or (branch.slug, photo.file) in media.photos:
                continue
            result = made[info.sha256]
            if isinstance(result, ImageError):
                media.problems.append(doc.problem(loc, result.code, result.message))
                continue
            webp: list[tuple[str, int]] = []
            jpg: list[tuple[str, int]] = []
            for v in result.variants:
                for ext, out in (("webp", webp), ("jpg", jpg)):
                    path = v.file(ext)
                    url = media_tree.url(path)
                    media.tree.files[url] = path
                    out.append((url, v.width))
            largest = result.largest
            media.photos[(branch.slug, photo.file)] = PublishedPhoto(
                largest.width, largest.height, tuple(webp), tuple(jpg), result.placeholder
            )
            media.renditions[(branch.slug, photo.file)] = result
        logo = branch.profile.brand.logo
        if logo and logo in branch.sources:
            try:
                made_logo = store.logo(branch.file(logo), branch.sources[logo].sha256)
            except ImageError as e:
                media.problems.append(branch.doc.problem(("brand", "logo"), e.code, e.message))
                continue
            url = urls.branch_file(branch.slug, f"logo.{made_logo.ext}")
            media.files.append((url, made_logo.path))
            media.logos[(branch.slug, logo)] = PublishedImage(url, made_logo.width, made_logo.height)
    return media


# --- share cards and QR codes -------------------------------------------------------------------

SITE_CARD = "assets/showcase/share.jpg"


def share(
    media: Media,
    branches: Iterable[Branch],
    cache_dir: Path,
    *,
    base_url: str,
    site_name: str,
    site_description: str = "",
    workers: int = 1,
    progress: Progress | None = None,
) -> None:
    """Add a share card per branch and for the site, and (with a base URL) a QR code per branch.

    Needs an installed CJK font for the cards; without one the site still builds, with a note."""
    branches = list(branches)
    cards = sharing.CardStore(cache_dir)
    try:
        planned = _make_cards(
            media, branches, cards, base_url, site_name, site_description, workers, progress
        )
    except LookupError as e:
        media.notes.append(f"不生成分享图片：{e}")
    else:
        for slug, url, path in planned:
            media.cards[slug] = PublishedImage(url, *sharing.CARD_SIZE)
            media.files.append((url, path))
    if not base_url:
        media.notes.append("mkdocs.yml 没有设置 site_url：二维码需要完整网址，本次不生成。")
        return
    for branch in branches:
        page = urls.absolute(base_url, urls.branch(branch.slug)) or ""
        qr_file, size = cards.qr(page, f"{branch.profile.display_name} 网页二维码")
        url = urls.branch_file(branch.slug, "qr.svg")
        media.qr_codes[branch.slug] = PublishedImage(url, size, size)
        media.files.append((url, qr_file))


def _make_cards(
    media: Media,
    branches: list[Branch],
    cards: sharing.CardStore,
    base_url: str,
    site_name: str,
    site_description: str,
    workers: int,
    progress: Progress | None,
) -> list[tuple[str, str, Path]]:
    """Draw the share cards not in the cache yet; (slug, site URL, cache file) of every card,
    the site's own under the slug "". Raises LookupError when no CJK font is installed."""
    jobs: list[tuple[sharing.Card, str | None, str]] = []
    planned: list[tuple[str, str, Path]] = []
    for branch in branches:
        card, lead = _branch_card(media, branch, site_name)
        photo = lead.variants[len(lead.variants) // 2].jpg if lead else None
        path = cards.path(card, lead.variants[-1].jpg.name if lead else None)
        planned.append((branch.slug, urls.branch_file(branch.slug, "share.jpg"), path))
        if not path.is_file():
            jobs.append((card, str(photo) if photo else None, str(path)))
    site_card = sharing.Card(
        site_name, site_description, kicker="党建品牌展示", footer=base_url.split("//")[-1].rstrip("/")
    )
    path = cards.path(site_card, None)
    planned.append(("", SITE_CARD, path))
    if not path.is_file():
        jobs.append((site_card, None, str(path)))
    for _job, _result in parallel_map(
        sharing.make_card, jobs, workers=workers, progress=progress, what="分享图片"
    ):
        pass
    return planned


def _branch_card(media: Media, branch: Branch, site_name: str) -> tuple[sharing.Card, Rendition | None]:
    """A branch's share card: brand, name and first figure, over its first publishable photo."""
    p = branch.profile
    figure = (p.figures[0].display_number(), p.figures[0].label) if p.figures else None
    card = sharing.Card(p.brand.name, p.name, figure=figure, footer=site_name)
    lead = next(
        (
            media.renditions[(branch.slug, ph.file)]
            for ph in p.photos
            if (branch.slug, ph.file) in media.renditions
        ),
        None,
    )
    return card, lead
