"""The brand wall (/brands/): every brand on one page, grouped by region, ready to filter and sort.

The wall is one page, not numbered pages: a reader filters by category and theme and sorts by
name or date in the browser (assets/brandwall.js), which needs every card at hand. Each card
carries what the script reads as data-* attributes, so without JavaScript the page is still the
complete wall, grouped and readable. Framework-free: the site's page list renders
brands.html with a `BrandWall`.

Groups follow the region tree two levels deep, the way readers look for their own unit: the
top (a city, 市 / 盟) as a section, its second level (旗县区) as groups, each with its count.
Branches registered at the top region itself form a group of their own, listed first.
"""

from __future__ import annotations

import dataclasses

from showcase.content.branch import Branch
from showcase.content.catalog import Catalog
from showcase.content.taxonomy import Region

TOP_LEVEL = "本级"  # the group of branches registered at the top region itself: 呼和浩特市本级


@dataclasses.dataclass(frozen=True)
class Group:
    """One heading of the wall and the branches under it, in catalog order."""

    id: str  # the heading's HTML id (a link target: /brands/#区域-呼和浩特市-回民区)
    title: str
    branches: list[Branch]


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
    """What brands.html shows: the sections in taxonomy order and the filters' choices."""

    def __init__(self, catalog: Catalog) -> None:
        self.total = len(catalog.branches)
        self.sections = [s for s in (self._section(catalog, root) for root in catalog.taxonomy.roots) if s]
        # Only choices that match something: a filter that empties the wall is no use to a reader.
        self.categories = [link for link in catalog.category_links() if link.count]
        self.themes = [link for link in catalog.theme_links() if link.count]

    @staticmethod
    def _section(catalog: Catalog, root: Region) -> Section | None:
        members = catalog.in_region.get(root.key, [])
        if not members:
            return None
        groups = []
        own = [b for b in members if b.region.key == root.key]
        if own:
            groups.append(Group(anchor(root, "-" + TOP_LEVEL), root.name + TOP_LEVEL, own))
        for child in root.children:
            inside = catalog.in_region.get(child.key, [])
            if inside:
                groups.append(Group(anchor(child), child.name, inside))
        return Section(anchor(root), root.name, groups)

    def region_line(self, branch: Branch) -> str:
        """Where a branch is, below its group's heading: 光明路街道, or the group's own name."""
        below = branch.region.path[2:]
        return "·".join(below) if below else branch.region.name
