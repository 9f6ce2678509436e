"""Every generated page of the site, as HTML fragments rendered from Jinja templates.

Framework-free: the MkDocs plugin asks for `PageSpec`s, registers them as generated
files and calls `render()` when MkDocs renders the page. Rendering is lazy, so a site of
10,000 branches never holds all page bodies in memory at once. Templates autoescape:
every profile string is escaped wherever it lands.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from showcase import urls
from showcase.content.branch import Branch
from showcase.content.catalog import Catalog, Link
from showcase.content.model import Photo, Term
from showcase.content.taxonomy import Region
from showcase.media import images
from showcase.media.publish import Media, PublishedImage, PublishedPhoto
from showcase.render.markdown import Rendered, SafeMarkdown
from showcase.render.templates import environment
from showcase.reports.aggregates import Aggregate
from showcase.reports.report import Report
from showcase.site.brandwall import walls
from showcase.site.pagination import Page, paginate
from showcase.site.timeline import PAGE_SIZE as UPDATES_PAGE_SIZE
from showcase.site.timeline import Entry, Timeline

TEMPLATES = Path(__file__).parent / "templates"  # the site's page fragments
PAGE_SIZE = 48


@dataclasses.dataclass
class PageSpec:
    url: str
    title: str
    description: str
    render: Callable[[str | None], Rendered]  # called with the page's edit URL, if any
    key: str  # digest of everything the page body is made from (incremental builds)
    edit_path: str | None = None  # source file relative to the project root
    image: str | None = None  # site-root relative URL of the share card (Open Graph image)
    kind: str = "website"  # og:type


def digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


class SitePages:
    def __init__(
        self,
        catalog: Catalog,
        media: Media,
        *,
        featured: list[str] | None = None,
        site_name: str = "",
        site_url: str = "",
        cache_dir: Path | None = None,
        search_examples: list[str] | None = None,
        editions: Callable[[], Sequence[Any]] | None = None,
        editions_key: str = "",
    ) -> None:
        self.catalog = catalog
        self.media = media
        self.featured_slugs = featured or []
        self.site_name = site_name
        # The feed's full address, shown where the site explains how to subscribe.
        self.feed_address = urls.absolute(site_url, urls.FEED)
        self.env = environment(cache_dir, TEMPLATES)
        self.markdown = SafeMarkdown(shift_headings=1)
        self.search_examples = search_examples
        # The print editions' published PDFs (printing.publish.Published), asked for only when the
        # listing is rendered: they may still be rendering in the background until then.
        self.editions = editions or (lambda: [])
        self.editions_key = editions_key
        self.report = Report(catalog)
        self.timeline = Timeline(catalog.branches, media)  # updates (简讯), rendered once
        self._cases: dict[str, Rendered] = {}
        # Pages that summarise the whole site change whenever any branch or image does.
        self._branch_keys: dict[str, str] = {}
        self.site_digest = digest([self._branch_key(b) for b in catalog.branches])

    # -- helpers -----------------------------------------------------------------------

    def _render(self, template: str, current: str, **context: Any) -> str:
        def url(target: str) -> str:
            return urls.relative(target, current)

        return self.env.get_template(template).render(
            url=url,
            urls=urls,
            image=self._image,
            current=current,
            site_name=self.site_name,
            feed_address=self.feed_address,
            **context,
        )

    def _image(self, branch: Branch, file: str | None) -> PublishedImage | None:
        """A branch's published logo."""
        if not file:
            return None
        return self.media.logos.get((branch.slug, file))

    def _branch_key(self, branch: Branch) -> str:
        """A branch's sources plus the images published for it, computed once per build (every
        listing that shows the branch needs it). Photo contents are in `branch.digest` already;
        the URLs and sizes stand for how they were rendered."""
        key = self._branch_keys.get(branch.slug)
        if key is None:
            logo = self._image(branch, branch.profile.brand.logo)
            key = self._branch_keys[branch.slug] = digest(
                branch.digest,
                images.PIPELINE_VERSION,
                [(p.url, p.width, p.height) for _, p in self._photos(branch)],
                (logo.url, logo.width, logo.height) if logo else None,
            )
        return key

    def case(self, branch: Branch) -> Rendered:
        """The case write-up as clean HTML, rendered once per build (the page and the search
        index both need it)."""
        if branch.slug not in self._cases:
            md = branch.case_md
            self._cases[branch.slug] = self.markdown.render(md) if md.strip() else Rendered("", [])
        return self._cases[branch.slug]

    def _photos(self, branch: Branch) -> list[tuple[Photo, PublishedPhoto]]:
        out = []
        for photo in branch.profile.photos:
            img = self.media.photos.get((branch.slug, photo.file))
            if img is not None:
                out.append((photo, img))
        return out

    def recent_photos(self, limit: int = 8) -> list[tuple[Branch, Photo, PublishedPhoto]]:
        """The newest photo of each branch, newest branches first (by photo date, then the
        profile's `updated`), for the home page's photo strip."""
        picks = []
        for branch in self.catalog.branches:
            photos = self._photos(branch)
            if photos:
                photo, img = max(photos, key=lambda pair: str(pair[0].date or ""))
                picks.append((str(photo.date or branch.profile.updated), branch.slug, branch, photo, img))
        picks.sort(key=lambda t: (t[0], t[1]), reverse=True)
        return [(b, p, i) for _, _, b, p, i in picks[:limit]]

    # -- pages ---------------------------------------------------------------------------

    def specs(self) -> Iterator[PageSpec]:
        for branch in self.catalog.branches:
            yield self.branch_page(branch)
        for url, title, wall in walls(self.catalog):
            yield self._simple(url, title, "各级党组织的党建品牌一览。", "brands.html", wall=wall)
        yield self._simple(
            urls.REGIONS,
            "区域",
            "按行政区域浏览党组织。",
            "regions_index.html",
            tree=self.catalog.taxonomy.roots,
            region_links=self._region_links,
        )
        for root in self.catalog.taxonomy.roots:
            for region in root.walk():
                if self.catalog.in_region.get(region.key):  # no page for a region without branches
                    yield from self._region(region)
        c = self.catalog
        yield from self._vocabulary(
            urls.CATEGORIES,
            "组织类别",
            c.category_links(),
            c.taxonomy.categories,
            c.in_category,
            urls.category,
        )
        yield from self._vocabulary(
            urls.THEMES, "工作主题", c.theme_links(), c.taxonomy.themes, c.in_theme, urls.theme
        )
        yield self._reports()
        yield from self._updates_pages()
        yield self._editions()
        if self.search_examples is not None:
            yield self._simple(
                urls.SEARCH,
                "搜索",
                "在全部党组织的名称、品牌、案例和图片说明中查找。",
                "search.html",
                count=len(self.catalog.branches),
                examples=self.search_examples or self.catalog.taxonomy.theme_names[:4],
            )

    def _simple(self, url: str, title: str, description: str, template: str, **context: Any) -> PageSpec:
        def render(edit_url: str | None = None) -> Rendered:
            return Rendered(self._render(template, url, title=title, description=description, **context), [])

        return PageSpec(
            url=url, title=title, description=description, render=render, key=digest(url, self.site_digest)
        )

    def _vocabulary(
        self,
        index_url: str,
        title: str,
        links: list[Link],
        terms: list[Term],
        members: dict[str, list[Branch]],
        url_of: Callable[[str], str],
    ) -> Iterator[PageSpec]:
        """A vocabulary's index page (categories, themes) and one listing per term."""
        description = f"按{title}浏览党组织。"
        # A term no branch uses yet gets no page: it is left out of the index, so no link and
        # no sitemap entry leads to an empty listing.
        items = [(link, term) for link, term in zip(links, terms, strict=True) if link.count]
        yield self._simple(index_url, title, description, "terms_index.html", items=items)
        for _, term in items:
            yield from self._listing(
                url_of(term.name),
                term.name,
                term.description or "",
                members[term.name],
                crumbs=[Link(title, index_url)],
            )

    def _region(self, region: Region) -> Iterator[PageSpec]:
        crumbs = [Link("区域", urls.REGIONS)] + [
            Link(r.name, urls.region(r.key)) for r in region.ancestors()[:-1]
        ]
        children = self._region_links(region.children)
        members = self.catalog.in_region.get(region.key, [])
        title = region.name
        description = f"{'·'.join(region.path)}：{len(members)} 个党组织"
        totals = self.report.region(region)
        yield from self._listing(
            urls.region(region.key),
            title,
            description,
            members,
            crumbs=crumbs,
            children=children,
            report=totals if members else None,
        )

    def _region_links(self, regions: list[Region]) -> list[Link]:
        """Links to the regions that have branches (the others get no page)."""
        return [link for link in self.catalog.region_links(regions) if link.count]

    def _reports(self) -> PageSpec:
        return self._simple(
            urls.REPORTS,
            "数据报告",
            "全站党组织、党建品牌、关键数字和荣誉的汇总与对比，附开放数据下载。",
            "reports.html",
            report=self.report,
        )

    def _editions(self) -> PageSpec:
        url, title = urls.EDITIONS, "印刷版"
        description = "报纸专栏版面和党建品牌画册的 PDF，可直接付印。"

        def render(edit_url: str | None = None) -> Rendered:
            markdown = SafeMarkdown()
            items = [
                (e, markdown.render(e.edition.file.editor_note).html if e.edition.file.editor_note else "")
                for e in self.editions()
            ]
            html = self._render("editions.html", url, title=title, description=description, items=items)
            return Rendered(html, [])

        return PageSpec(
            url=url,
            title=title,
            description=description,
            render=render,
            key=digest(url, self.editions_key, self.site_digest),
        )

    def _listing(
        self,
        base: str,
        title: str,
        description: str,
        members: list[Branch],
        *,
        crumbs: list[Link] | None = None,
        children: list[Link] | None = None,
        template: str = "listing.html",
        report: Aggregate | None = None,
    ) -> Iterator[PageSpec]:
        for page in paginate(base, members, PAGE_SIZE):

            def render(edit_url: str | None = None, page: Page[Branch] = page) -> Rendered:
                html = self._render(
                    template,
                    page.url,
                    title=title,
                    description=description,
                    branches=page.items,
                    total=len(members),
                    crumbs=crumbs or [],
                    children=children or [],
                    page=page.number,
                    pages=page.count,
                    page_url=page.url_of,
                    report=report if page.number == 1 else None,
                )
                return Rendered(html, [])

            key = digest(
                page.url,
                page.title(title),
                description,
                len(members),
                page.count,
                [self._branch_key(b) for b in page.items],
                [dataclasses.astuple(link) for link in (crumbs or []) + (children or [])],
                repr(report) if page.number == 1 else None,
            )
            yield PageSpec(page.url, page.title(title), description, render=render, key=key)

    def branch_page(self, branch: Branch) -> PageSpec:
        p = branch.profile
        url = urls.branch(branch.slug)

        def render(edit_url: str | None = None) -> Rendered:
            case = self.case(branch)
            html = self._render(
                "branch.html",
                url,
                b=branch,
                p=p,
                case_html=case.html,
                photos=self._photos(branch),
                edit_url=edit_url,
                logo=self._image(branch, p.brand.logo),
                qr=self.media.qr_codes.get(branch.slug),
                crumbs=[Link("区域", urls.REGIONS)]
                + [Link(r.name, urls.region(r.key)) for r in branch.region.ancestors()],
                updates=self.timeline.of(branch),
            )
            return Rendered(html, case.toc)

        card = self.media.cards.get(branch.slug)
        return PageSpec(
            url=url,
            title=f"{p.brand.name} · {p.display_name}",
            description=p.summary,
            render=render,
            key=digest(url, self._branch_key(branch), self.media.qr_codes.get(branch.slug)),
            edit_path=branch.profile_path,
            image=card.url if card else None,
            kind="article",
        )

    def home_sections(self) -> str:
        """The generated part of the home page, appended under content/index.md's text."""
        c = self.catalog
        return self._render(
            "home.html",
            urls.HOME,
            totals=c.totals(),
            featured=c.featured(self.featured_slugs, 8),
            regions=self._region_links(c.taxonomy.roots),
            categories=[link for link in c.category_links() if link.count],
            themes=[link for link in c.theme_links() if link.count],
            recent_photos=self.recent_photos(),
            latest_updates=self.timeline.latest(),
        )

    def _updates_pages(self) -> Iterator[PageSpec]:
        """/updates/: every branch's updates, newest first, paginated like the listings."""
        entries = self.timeline.all
        title, description = "动态", "各党组织的简讯，按日期从新到旧排列。"
        for page in paginate(urls.UPDATES, entries, UPDATES_PAGE_SIZE):

            def render(edit_url: str | None = None, page: Page[Entry] = page) -> Rendered:
                html = self._render(
                    "updates.html",
                    page.url,
                    title=title,
                    description=description,
                    entries=page.items,
                    total=len(entries),
                    page=page.number,
                    pages=page.count,
                    page_url=page.url_of,
                )
                return Rendered(html, [])

            key = digest(page.url, page.count, self.site_digest)
            yield PageSpec(page.url, page.title(title), description, render=render, key=key)
