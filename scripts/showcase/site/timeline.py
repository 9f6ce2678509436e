"""What the site shows of updates (简讯): timeline entries for the branch pages, the home
page's 最新动态, the /updates/ listing and the Atom feed.

Bodies are rendered once per build with the safe Markdown renderer (nh3-cleaned). Headings in
a short news item become bold paragraphs: on a branch page the update's title is the heading,
and a body's own heading ids would clash with the case write-up's.
"""

from __future__ import annotations

import dataclasses
import re

from showcase import urls
from showcase.content.branch import Branch
from showcase.content.model import PartialDate, Photo
from showcase.content.updates import LoadedUpdate
from showcase.media.publish import Media, PublishedPhoto
from showcase.render.html_edit import HtmlEdits
from showcase.render.html_text import visible_text
from showcase.render.markdown import SafeMarkdown

HOME_COUNT = 6  # entries in the home page's 最新动态
PAGE_SIZE = 30  # entries per page of /updates/
EXCERPT_CHARS = 90  # of the short text in lists
# Between two Chinese characters or marks a line break is no space (Chinese has none).
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


@dataclasses.dataclass(frozen=True, eq=False)
class Entry:
    branch: Branch
    update: LoadedUpdate
    html: str  # the body, clean HTML
    excerpt: str  # the body as plain text, shortened (escape it where it lands)
    photos: tuple[tuple[Photo, PublishedPhoto], ...]

    @property
    def date(self) -> PartialDate:
        return self.update.meta.date

    @property
    def title(self) -> str:
        return self.update.meta.title

    @property
    def anchor(self) -> str:
        return self.update.anchor

    @property
    def url(self) -> str:
        """Site-root relative link to the update on its branch page."""
        return f"{urls.branch(self.branch.slug)}#{self.anchor}"


class _HeadingsAsBold(HtmlEdits):
    """A short news item's own headings become bold paragraphs (see the module docstring)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HEADINGS:
            self.replace_tag("<p><strong>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADINGS:
            self.replace_tag("</strong></p>", end_tag=True)


_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment on one line: white space collapsed, none between
    Chinese characters."""
    return _CJK_GAP.sub("", re.sub(r"\s+", " ", visible_text(fragment))).strip()


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "……"


class Timeline:
    """Every published update of a build, rendered once, in newest-first orders."""

    def __init__(self, branches: list[Branch], media: Media) -> None:
        markdown = SafeMarkdown()
        self._of: dict[str, list[Entry]] = {}
        everything: list[Entry] = []
        for branch in sorted(branches, key=lambda b: b.slug):
            entries = []
            for update in branch.updates:  # newest first already (updates.newest_first)
                body = markdown.render(update.body).html if update.body.strip() else ""
                body = _HeadingsAsBold.apply(body)
                photos = tuple(
                    (p, img)
                    for p in update.meta.photos
                    if (img := media.photos.get((branch.slug, p.file))) is not None
                )
                entries.append(Entry(branch, update, body, excerpt(plain_text(body)), photos))
            self._of[branch.slug] = entries
            everything += entries
        # Newest first across the site; on the same date by branch, then file (stable sorts).
        self.all = sorted(everything, key=lambda e: e.date.sort_key, reverse=True)

    def of(self, branch: Branch) -> list[Entry]:
        return self._of.get(branch.slug, [])

    def latest(self, count: int = HOME_COUNT) -> list[Entry]:
        return self.all[:count]
