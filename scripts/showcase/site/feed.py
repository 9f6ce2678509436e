"""The Atom feed of updates (简讯) at /feed.xml, RFC 4287.

Built as an element tree with the standard library (`xml.etree`), never by pasting strings:
every title and body is text of an element, escaped by the serializer. Bodies travel as
`type="html"` content, the same nh3-cleaned HTML the branch page shows.

Deterministic: entries are ordered by date (newest first, then branch and file), times come
from the updates' own dates (a date without a time is midnight in Beijing), and the feed's
`updated` is its newest entry's — or, for a feed without entries, SOURCE_DATE_EPOCH (else the
epoch) — never the wall clock.

Identifiers are stable. With `site_url`, an entry's id is the absolute URL of the update on
its branch page (…/branches/<slug>/#update-<file>), the feed's the URL of /feed.xml. Without
it there is no absolute address to use, so ids are `urn:uuid:` names derived from the site
name, branch slug and file name, and links are relative to the feed (it sits at the root).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import uuid
import xml.etree.ElementTree as ET

import nh3

from showcase import urls
from showcase.content.model import PartialDate
from showcase.render.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES
from showcase.render.templates import credit_line
from showcase.site.timeline import Entry

ATOM = "http://www.w3.org/2005/Atom"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
FEED_URL = urls.FEED
MEDIA_TYPE = "application/atom+xml"
LIMIT = 50  # newest entries in the feed; the site keeps the rest on /updates/
CHINA = dt.timezone(dt.timedelta(hours=8))
# XML 1.0 cannot carry these at all (not even escaped): C0 controls but tab/LF/CR, surrogates, U+FFFE/F.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTENT_TAGS = ALLOWED_TAGS | {"figure", "figcaption", "img"}
_CONTENT_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "width", "height"}}


def timestamp(date: PartialDate) -> str:
    """RFC 3339 date-time of a partial date: 2024-10 is 2024-10-01T00:00:00+08:00."""
    parts = [int(p) for p in str(date).split("-")] + [1, 1]
    return dt.datetime(parts[0], parts[1], parts[2], tzinfo=CHINA).isoformat()


def _fallback_time() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat().replace("+00:00", "Z")


def _name_id(site_name: str, name: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"showcase:{site_name}:{name}"))


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrib.items()})
    if text is not None:
        element.text = _text(text)
    return element


def content_html(entry: Entry) -> str:
    """The update as HTML for feed readers: body and photos, links relative to the branch page
    (the content element's xml:base), cleaned again with the page's allowlist plus images."""
    page = urls.branch(entry.branch.slug)
    parts = [entry.html]
    for photo, img in entry.photos:
        caption = html.escape(f"{photo.caption} {credit_line(photo.credit)}")
        parts.append(
            f'<figure><img src="{html.escape(urls.relative(img.fallback, page))}"'
            f' alt="{html.escape(photo.alt or photo.caption)}" width="{img.width}" height="{img.height}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return nh3.clean(
        "".join(parts),
        tags=_CONTENT_TAGS,
        attributes=_CONTENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def atom(
    entries: list[Entry],
    *,
    site_name: str,
    site_url: str | None = None,
    site_description: str = "",
    limit: int = LIMIT,
) -> bytes:
    """The feed document (UTF-8) for `entries`, which come newest first (Timeline.all)."""
    base = (site_url or "").rstrip("/")

    def address(url: str) -> str:
        return urls.absolute(base, url) or url or "./"

    shown = entries[:limit]
    feed = ET.Element("feed", {"xmlns": ATOM})
    if base:
        feed.set(XML_BASE, base + "/")
    _sub(feed, "id", address(FEED_URL) if base else _name_id(site_name, "feed"))
    _sub(feed, "title", f"{site_name} · 动态" if site_name else "动态")
    if site_description:
        _sub(feed, "subtitle", site_description)
    _sub(feed, "updated", timestamp(shown[0].date) if shown else _fallback_time())
    _sub(feed, "link", rel="self", type=MEDIA_TYPE, href=address(FEED_URL))
    _sub(feed, "link", rel="alternate", type="text/html", href=address(urls.UPDATES))
    author = _sub(feed, "author")
    _sub(author, "name", site_name or "党建品牌展示站")
    _sub(feed, "generator", "showcase")
    for entry in shown:
        branch = entry.branch
        item = _sub(feed, "entry")
        _sub(
            item,
            "id",
            address(entry.url) if base else _name_id(site_name, f"{branch.slug}/{entry.update.stem}"),
        )
        _sub(item, "title", entry.title, type="text")
        when = timestamp(entry.date)
        _sub(item, "published", when)
        _sub(item, "updated", when)
        _sub(item, "link", rel="alternate", type="text/html", href=address(entry.url))
        item_author = _sub(item, "author")
        _sub(item_author, "name", branch.profile.name)
        _sub(item, "category", term=branch.profile.name, label=branch.profile.display_name)
        if entry.excerpt:
            _sub(item, "summary", entry.excerpt, type="text")
        content = _sub(item, "content", content_html(entry), type="html")
        content.set(XML_BASE, address(urls.branch(branch.slug)))
    ET.indent(feed)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def link_tag(href: str, site_name: str) -> str:
    """<link rel="alternate feed"> for a page's head, so browsers and readers find the feed.

    Not plain rel="alternate": mkdocs-material fetches sitemap.xml on every page view for each
    link[rel=alternate] (it takes them for language versions) — at 10,000 branches about 1 MB
    per view. "alternate feed" keeps both tokens that feed finders read, and the theme's
    exact-match selector leaves it alone."""
    title = f"{site_name} · 动态" if site_name else "动态"
    return (
        f'<link rel="alternate feed" type="{MEDIA_TYPE}" title="{html.escape(title)}" '
        f'href="{html.escape(href)}">'
    )
