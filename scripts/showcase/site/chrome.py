"""What every rendered page gets around its content: share tags, feed link, lightbox, 长辈模式, search box.

Framework-free: the MkDocs adapter hands over each page's finished HTML (and the 404
template's) and publishes the static assets listed here.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urlsplit

from showcase import urls
from showcase.media.sharing import meta_tags
from showcase.search.box import header_search_box
from showcase.site.elder_mode import SCRIPT_URI as ELDER_JS_URI
from showcase.site.elder_mode import elder_mode
from showcase.site.feed import FEED_URL, link_tag

ASSETS = Path(__file__).parent / "assets"
CSS_URI = "assets/showcase/showcase.css"
GALLERY_JS_URI = "assets/showcase/gallery.js"
WALL_JS_URI = "assets/showcase/brandwall.js"  # the brand wall's filters and sorting
_GALLERY_FILES = (
    "gallery.js",
    "vendor/photoswipe/photoswipe-lightbox.esm.min.js",
    "vendor/photoswipe/photoswipe.esm.min.js",
    "vendor/photoswipe/photoswipe.css",
    "vendor/photoswipe/LICENSE",
)


def assets() -> list[tuple[str, Path]]:
    """The site's static files: (site URL, packaged source)."""
    files = [(f"assets/showcase/{name}", ASSETS / name) for name in _GALLERY_FILES]
    files.append((ELDER_JS_URI, ASSETS / "elder.js"))
    files.append((WALL_JS_URI, ASSETS / "brandwall.js"))
    files.append((CSS_URI, ASSETS / "showcase.css"))
    return files


@dataclasses.dataclass(frozen=True)
class Site:
    """What the chrome needs to know about the whole site."""

    name: str
    url: str  # site_url, may be empty
    description: str
    search: bool  # whether the search page exists (and so the header box)
    share_image: str | None  # the site's own share card, site-root relative


@dataclasses.dataclass(frozen=True)
class Share:
    """How a page presents itself when a link to it is shared (WeChat card, Open Graph)."""

    title: str
    description: str
    image: str | None = None  # site-root relative
    kind: str = "website"


def decorate(html: str, page_url: str, share: Share, site: Site) -> str:
    """A rendered page with its share tags, feed link, lightbox script, 长辈模式 and search box."""
    html = _share_tags(html, page_url, share, site)
    if '<meta itemprop="image"' in html:
        # The share image's itemprop (for WeChat) must belong to an item to be valid HTML:
        # the page is that item.
        html = html.replace("<html ", '<html itemscope itemtype="https://schema.org/WebPage" ', 1)
    # Feed autodiscovery on every page, relative so a preview never calls production
    # (rel="alternate feed": see feed.link_tag for why not plain "alternate").
    href = urls.relative(FEED_URL, page_url)
    html = html.replace("</head>", link_tag(href, site.name) + "\n</head>", 1)
    if "data-sc-gallery" in html:
        # Only pages with photos load the lightbox; the script stays out of the page body,
        # which holds nothing but markup made from branch data.
        src = urls.relative(GALLERY_JS_URI, page_url)
        html = html.replace("</body>", f'<script type="module" src="{src}"></script>\n</body>', 1)
    if "data-sc-wall" in html:
        # A classic script at the end of the body: it sorts the wall before the first paint.
        src = urls.relative(WALL_JS_URI, page_url)
        html = html.replace("</body>", f'<script src="{src}"></script>\n</body>', 1)
    # 长辈模式 (适老化): its script in <head>, applied before the first paint; its toggle in the header.
    html = elder_mode(html, urls.relative(ELDER_JS_URI, page_url))
    if not site.search:
        return html
    return header_search_box(html, urls.relative(urls.SEARCH, page_url))


def decorate_not_found(html: str, site: Site) -> str:
    """The 404 page: a theme template served at any depth, so its addresses start at the
    site root, as the theme's own do."""
    root = urlsplit(site.url or "/").path
    html = elder_mode(html, root + ELDER_JS_URI)
    if site.search and 'class="sc-header-search"' not in html:
        html = header_search_box(html, root + urls.SEARCH)
    return html


def _share_tags(html: str, page_url: str, share: Share, site: Site) -> str:
    """Open Graph tags, so a link shared in WeChat shows a card with title, summary and image."""
    image = share.image or site.share_image
    absolute_image = urls.absolute(site.url, image) if image else None
    tags = meta_tags(
        title=share.title,
        description=share.description,
        url=urls.absolute(site.url, page_url),
        site_name=site.name,
        image=absolute_image,
        kind=share.kind,
    )
    return html.replace("</head>", tags + "\n</head>", 1)
