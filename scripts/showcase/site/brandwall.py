"""The brand wall (/brands/): every brand on one page, grouped by region, ready to filter and sort.

The wall is one page, not numbered pages: a reader filters by category and theme and sorts by
name or date in the browser (assets/brandwall.js), which needs every card at hand. Each card
carries what the script reads as data-* attributes, so without JavaScript the page is still the
complete wall, grouped and readable. Framework-free: the site's page list renders
brands.html with a `BrandWall`.

Groups follow the region tree two levels deep, the way readers look for their own unit: the
top (a city, 市 / 盟) as a section, its second level (旗县区) as groups, each with its count.
Branches registered at the top region itself form a group of their own, listed first.

A province has tens of thousands of branches: one page holding every card would weigh
megabytes on a phone. Above WALL_LIMIT cards the wall splits (`walls`): /brands/ keeps the
sections and lists their groups with counts, and each group gets its own wall page,
/brands/<市>/<旗县区>/ (the 本级 group at /brands/<市>/), filtered and sorted the same way.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterator

from showcase import urls
from showcase.content.branch import Branch
from showcase.content.catalog import Catalog
from showcase.content.taxonomy import Region

TOP_LEVEL = "本级"  # the group of branches registered at the top region itself: 呼和浩特市本级
WALL_LIMIT = 2000  # cards on one page (about 1.5 MB of HTML, 110 KB gzipped); above, one page per group


@dataclasses.dataclass(frozen=True)
class Group:
    """One heading of the wall and the branches under it, in catalog order."""

    id: str  # the heading's HTML id (a link target: /brands/#区域-呼和浩特市-回民区)
    title: str
    branches: list[Branch]
    url: str  # the group's own wall page, when the wall is split


@dataclasses.dataclass(frozen=True)
class Choice:
    """One option of a filter: a category or theme and how many cards on the page have it."""

    title: str
    count: int


@dataclasses.dataclass(frozen=True)
class Section:
    """A top region (市) with its groups (旗县区)."""

    id: str
    title: str
    groups: list[Group]

    @property
    def count(self) -> int:
        return sum(len(g.branches) for g in self.groups)


def anchor(region: Region, suffix: str = "") -> str:
    """A heading id from the region's path: unique (paths are), readable in a shared link."""
    return "区域-" + "-".join(region.path) + suffix


class BrandWall:
    """What brands.html shows: the sections in taxonomy order and the filters' choices. A
    `split` wall lists its groups as links instead of cards (see `walls`)."""

    def __init__(
        self, sections: list[Section], order: dict[str, int], *, split: bool = False, part: bool = False
    ) -> None:
        self.sections = sections
        self.order = order  # taxonomy order of the categories and themes
        self.split = split  # the groups as links to their own pages
        self.part = part  # one group's page of a split wall
        cards = [b for s in sections for g in s.groups for b in g.branches]
        self.total = len(cards)
        # Only choices that match something: a filter that empties the wall is no use to a reader.
        self.categories = self._choices(collections.Counter(b.profile.category for b in cards))
        self.themes = self._choices(collections.Counter(t for b in cards for t in b.profile.themes))

    @classmethod
    def of(cls, catalog: Catalog) -> BrandWall:
        """Every brand of the catalog on one wall."""
        terms = [*catalog.taxonomy.categories, *catalog.taxonomy.themes]
        sections = [s for s in (cls._section(catalog, root) for root in catalog.taxonomy.roots) if s]
        return cls(sections, {t.name: i for i, t in enumerate(terms)})

    def _choices(self, counts: collections.Counter[str]) -> list[Choice]:
        return sorted(
            (Choice(name, n) for name, n in counts.items()), key=lambda c: self.order.get(c.title, 0)
        )

    @staticmethod
    def _section(catalog: Catalog, root: Region) -> Section | None:
        members = catalog.in_region.get(root.key, [])
        if not members:
            return None
        groups = []
        own = [b for b in members if b.region.key == root.key]
        if own:
            groups.append(Group(anchor(root, "-" + TOP_LEVEL), root.name + TOP_LEVEL, own, wall_url(root)))
        for child in root.children:
            inside = catalog.in_region.get(child.key, [])
            if inside:
                groups.append(Group(anchor(child), child.name, inside, wall_url(child)))
        return Section(anchor(root), root.name, groups)

    def region_line(self, branch: Branch) -> str:
        """Where a branch is, below its group's heading: 光明路街道, or the group's own name."""
        below = branch.region.path[2:]
        return "·".join(below) if below else branch.region.name


def wall_url(region: Region) -> str:
    """The wall page of one group of a split wall: brands/呼和浩特市/回民区/."""
    return f"{urls.BRANDS}{region.key}/"


def walls(catalog: Catalog, limit: int | None = None) -> Iterator[tuple[str, str, BrandWall]]:
    """(url, title, wall) of every brand-wall page: one page up to `limit` (WALL_LIMIT) cards;
    above, the /brands/ page lists the groups and each group has a page of its own."""
    wall = BrandWall.of(catalog)
    if wall.total <= (WALL_LIMIT if limit is None else limit):
        yield urls.BRANDS, "品牌墙", wall
        return
    yield urls.BRANDS, "品牌墙", BrandWall(wall.sections, wall.order, split=True)
    for section in wall.sections:
        for group in section.groups:
            page = BrandWall([Section(section.id, section.title, [group])], wall.order, part=True)
            yield group.url, f"{group.title}的党建品牌", page
