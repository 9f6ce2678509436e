"""The site's URL scheme (DESIGN §5), in one place. URLs are relative to the site root,
directory style, without a leading slash: "branches/yangguang-shequ/"."""

from __future__ import annotations

import posixpath
from urllib.parse import quote


def branch(slug: str) -> str:
    return f"branches/{slug}/"


def branch_file(slug: str, name: str) -> str:
    return f"branches/{slug}/{name}"


def region(key: str) -> str:
    return f"regions/{key}/" if key else "regions/"


def category(name: str) -> str:
    return f"categories/{name}/"


def theme(name: str) -> str:
    return f"themes/{name}/"


BRANDS = "brands/"
REGIONS = "regions/"
CATEGORIES = "categories/"
THEMES = "themes/"
HOME = ""
SEARCH = "search/"
REPORTS = "reports/"
EDITIONS = "editions/"
UPDATES = "updates/"
FEED = "feed.xml"  # Atom feed of the updates (feed.py)
# Section pages and published files every site has (DESIGN §5); case write-ups may link to them.
SECTIONS = (HOME, BRANDS, REGIONS, CATEGORIES, THEMES, SEARCH, REPORTS, EDITIONS, UPDATES)
FILES = ("data/branches.json", "data/branches.csv", "data/branches.xlsx", "feed.xml")


def page(src_path: str) -> str:
    """URL of a hand-written page in docs_dir: about.md → about/, a/index.md → a/."""
    stem = src_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def paged(base: str, page: int) -> str:
    """Page 1 of a listing lives at its base URL, page n at base + "n/"."""
    return base if page <= 1 else f"{base}{page}/"


def src_uri(url: str) -> str:
    """The virtual Markdown file MkDocs renders at `url` (use_directory_urls: true)."""
    return f"{url}index.md" if url else "index.md"


def relative(target: str, current: str) -> str:
    """Link from the page at `current` to `target` (both site-root relative), percent-encoded."""
    base = posixpath.dirname(current.rstrip("/")) if not current.endswith("/") else current.rstrip("/")
    rel = posixpath.relpath("/" + target, "/" + base) if base else target
    if rel in (".", ""):
        rel = "./"
    elif (target == "" or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return quote(rel, safe="/#?=&.-_~")


def absolute(site_url: str | None, url: str) -> str | None:
    """`url` (site-root relative) as a full address under `site_url`; None without a site_url
    (callers choose their own fallback: no QR code, a relative link, a tag left out)."""
    base = (site_url or "").rstrip("/")
    return f"{base}/{url}" if base else None


def page_count(items: int, size: int) -> int:
    """How many pages a listing of `items` needs at `size` a page (an empty listing has one)."""
    return max(1, -(-items // size))
