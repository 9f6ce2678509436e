"""What each published file is sent with, decided from its path alone, in one place.

The object-storage deploy stores these headers on each object; `showcase nginx-conf` writes
the same rules as nginx locations, so a site looks the same to browsers from either host.

- Content-addressed files (a hex digest in the name: photos under media/, the theme's
  bundle.<hash>.min.js) never change at their URL: cached for a year, `immutable`.
- Everything else may change at its URL from one release to the next: `no-cache`, so a
  browser revalidates (a cheap 304) and never mixes a new page with an old stylesheet.
- Text types carry `charset=utf-8`.
"""

from __future__ import annotations

import re
from enum import IntEnum

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

# Written by the build for other hosts (Netlify/Cloudflare `_headers`, the nginx include);
# they configure a server and are never published as files.
NOT_PUBLISHED = frozenset({"_headers", "nginx-security-headers.conf", "nginx-admin-headers.conf"})

# A path segment holding a hex digest of 8+ characters between separators, as in
# media/77/772829d0…cd8-1200.jpg and assets/javascripts/bundle.a5f9d56c.min.js.
CONTENT_ADDRESSED = re.compile(r"(?:^|[/.-])[0-9a-f]{8,}(?:[.-][^/]*)?$")

_TYPES = {
    "html": "text/html",
    "css": "text/css",
    "js": "text/javascript",
    "mjs": "text/javascript",
    "json": "application/json",
    "map": "application/json",
    "webmanifest": "application/manifest+json",
    "xml": "application/xml",
    "txt": "text/plain",
    "csv": "text/csv",
    "svg": "image/svg+xml",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "avif": "image/avif",
    "gif": "image/gif",
    "ico": "image/x-icon",
    "pdf": "application/pdf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "gz": "application/gzip",
    "bin": "application/octet-stream",
}
TEXT_TYPES = frozenset(
    {"text/html", "text/css", "text/javascript", "text/plain", "text/csv"}
    | {"application/json", "application/manifest+json", "application/xml", "image/svg+xml"}
)
# Worth sending compressed (gzip_static beside them, or Content-Encoding on the object).
COMPRESSIBLE = TEXT_TYPES


class Phase(IntEnum):
    """The order a release goes up in: what pages refer to first, the pages after, and the
    files that list pages (feed, sitemap, search manifest) last, so that whatever a reader
    can reach at any moment refers only to files already there."""

    ASSET = 0
    PAGE = 1
    INDEX = 2


_INDEXES = frozenset({"feed.xml", "sitemap.xml", "sitemap.xml.gz", "search/meta.json"})


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type(path: str) -> str:
    """`Content-Type` of a published path (a fixed table, not the machine's /etc/mime.types)."""
    if path == "feed.xml":
        kind = "application/atom+xml"
    elif path.endswith(".xml.gz"):
        kind = "application/gzip"
    else:
        kind = _TYPES.get(extension(path), "application/octet-stream")
    return f"{kind}; charset=utf-8" if kind in TEXT_TYPES or kind == "application/atom+xml" else kind


def cache_control(path: str) -> str:
    if phase(path) is Phase.ASSET and CONTENT_ADDRESSED.search(path):
        return IMMUTABLE
    return REVALIDATE


def compressible(path: str) -> bool:
    return content_type(path).split(";")[0] in COMPRESSIBLE or path == "feed.xml"


def phase(path: str) -> Phase:
    if path in _INDEXES:
        return Phase.INDEX
    if extension(path) == "html":
        return Phase.PAGE
    return Phase.ASSET
