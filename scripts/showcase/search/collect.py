"""What search finds: the visible text of the pages as the build rendered them.

Nothing here lists profile fields. A branch's document is the visible text of its page body
(the `<article class="sc-branch">` MkDocs puts in the page: name, brand, slogan, region,
category, tags, summary, data cards with numbers and units, case, honours, captions and
credits, sources, updates), read with the site's one visible-text function, one field per
line. So a field added to the page later is searchable without touching search.

Three kinds of document, numbered in this order (search.js groups its results by kind):
  - 党组织  one per branch page, in slug order (a branch's id is its position);
  - 动态    one per update, the `<article class="sc-update" id>` inside its branch's page,
            linked to that anchor; it takes its branch's region, category and themes;
  - 其他页面 the reports and editions pages and every hand-written page of docs_dir except
            the home page (listings only repeat what the branch pages say).

MkDocs renders only the pages whose inputs changed in an incremental build; the documents of
the others come from a cache keyed by the page's digest (`.cache/showcase/search-pages.json`), and
where the cache has none, from rendering the page's body again (generated pages only: hand-
written pages are always rendered, see SiteBuild.reuse).
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from showcase import urls
from showcase.atomic import atomic_write
from showcase.content.catalog import Catalog
from showcase.render.html_text import visible_text

CACHE_FILE = "search-pages.json"
_CACHE_VERSION = 2  # bump when what a page's documents hold changes


class Kind(enum.IntEnum):
    BRANCH = 0  # 党组织
    UPDATE = 1  # 动态
    PAGE = 2  # 其他页面


@dataclasses.dataclass(frozen=True)
class Doc:
    kind: Kind
    url: str  # site-root relative, with #anchor for an update
    title: str  # the result's heading
    subtitle: str  # brand (branch), branch name (update), "" (page)
    region: str  # region key ("" for pages)
    category: str
    themes: tuple[str, ...]
    titles: tuple[str, ...]  # title fields, ranked first; each is also part of a line
    spelled: tuple[str, ...]  # indexed as pinyin: a branch's name, short name and brand
    lines: tuple[str, ...]  # the visible text, one entry per line

    @property
    def fields(self) -> tuple[str, ...]:
        return self.titles + self.lines


def text_lines(fragment: str) -> tuple[str, ...]:
    """Visible text of an HTML fragment, one entry per line, blank lines dropped."""
    return tuple(s for s in (line.strip() for line in visible_text(fragment).split("\n")) if s)


def _updates(html: str) -> dict[str, str]:
    """The outer HTML of every update article in a branch page's body, by its id."""
    tree = LexborHTMLParser(html)
    out = {}
    for node in tree.css("article.sc-update[id]"):
        anchor = node.attributes.get("id")
        if anchor:
            out[anchor] = node.html or ""
    return out


class Collector:
    """The documents of one build, page by page as MkDocs renders them (or keeps them)."""

    def __init__(self, catalog: Catalog, update_titles: dict[str, str], cache_dir: Path | None) -> None:
        self._branches = {urls.branch(b.slug): b for b in catalog.branches}
        self._update_titles = update_titles  # update URL (branch URL#anchor) → title
        self._cache_path = cache_dir / CACHE_FILE if cache_dir is not None else None
        self._cached: dict[str, tuple[Doc, ...]] | None = None
        self._docs: dict[str, tuple[Doc, ...]] = {}  # by page URL
        self._keys: dict[str, str] = {}  # page URL → digest, for the cache
        self.site_key = ""  # set by the build: cached documents count only for the same code and config
        self.from_cache = 0  # kept pages whose documents the cache had
        self.rendered_again = 0  # kept pages it had not

    @staticmethod
    def wanted(url: str, generated: bool) -> bool:
        """Whether a page at `url` has documents: not the home page, not listings."""
        if url == urls.HOME:
            return False
        if generated:
            return url.startswith("branches/") or url in (urls.REPORTS, urls.EDITIONS)
        return True

    def rendered(self, url: str, key: str, title: str, html: str) -> None:
        """A page MkDocs rendered: its documents from its body HTML."""
        branch = self._branches.get(url)
        if branch is None:
            docs: tuple[Doc, ...] = (
                Doc(Kind.PAGE, url, title, "", "", "", (), (title,), (), text_lines(html)),
            )
        else:
            p = branch.profile
            themes = tuple(dict.fromkeys(p.themes))
            docs = (
                Doc(
                    Kind.BRANCH,
                    url,
                    p.name,
                    p.brand.name,
                    branch.region.key,
                    p.category,
                    themes,
                    (p.name, p.brand.name),
                    tuple(t for t in (p.name, p.short_name or "", p.brand.name) if t),
                    text_lines(html),
                ),
            )
            for anchor, fragment in _updates(html).items():
                link = f"{url}#{anchor}"
                name = self._update_titles.get(link, "")
                docs += (
                    Doc(
                        Kind.UPDATE,
                        link,
                        name,
                        p.name,
                        branch.region.key,
                        p.category,
                        themes,
                        (),
                        (),
                        text_lines(fragment),
                    ),
                )
        self._docs[url] = docs
        self._keys[url] = key

    def kept(self, url: str, key: str, title: str, render: Callable[[], str]) -> None:
        """A page kept from the previous build: its documents from the cache, or rendered again."""
        if self._cached is None:
            self._cached = self._load()
        docs = self._cached.get(f"{url}\n{key}")
        if docs is None:
            self.rendered_again += 1
            self.rendered(url, key, title, render())
        else:
            self.from_cache += 1
            self._docs[url] = docs
            self._keys[url] = key

    def documents(self) -> list[Doc]:
        """All documents, numbered by position: branches (slug order), updates, pages."""
        docs = [d for page in self._docs.values() for d in page]
        return sorted(docs, key=lambda d: (d.kind, d.url))

    def save(self) -> None:
        """Keep this build's documents for the next one (only the pages this build has)."""
        if self._cache_path is None:
            return
        entries = {
            f"{url}\n{self._keys[url]}": [dataclasses.astuple(d) for d in docs]
            for url, docs in self._docs.items()
        }
        self._cache_path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(
            {"version": _CACHE_VERSION, "site": self.site_key, "pages": entries}, ensure_ascii=False
        )
        atomic_write(self._cache_path, data.encode())

    def _load(self) -> dict[str, tuple[Doc, ...]]:
        if self._cache_path is None:
            return {}
        try:
            data = json.loads(self._cache_path.read_bytes())
            if data["version"] != _CACHE_VERSION or data["site"] != self.site_key or not self.site_key:
                return {}
            return {key: tuple(_doc(*fields) for fields in docs) for key, docs in data["pages"].items()}
        except Exception:  # missing, cut short, from another version: render instead
            return {}


def _doc(
    kind: int, url: str, title: str, subtitle: str, region: str, category: str, *lists: list[str]
) -> Doc:
    themes, titles, spelled, lines = (tuple(x) for x in lists)
    return Doc(Kind(kind), url, title, subtitle, region, category, themes, titles, spelled, lines)


def branch_order(docs: Sequence[Doc]) -> list[str]:
    """URLs of the branch documents in id order."""
    return [d.url for d in docs if d.kind is Kind.BRANCH]
