"""The site model: all branches grouped the ways readers browse them, plus site-wide totals."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from showcase import urls
from showcase.content.branch import Branch
from showcase.content.load import Project
from showcase.content.taxonomy import Region


@dataclasses.dataclass(frozen=True)
class Link:
    title: str
    url: str
    count: int = 0


@dataclasses.dataclass
class Totals:
    branches: int
    brands: int
    regions: int
    honors: int
    photos: int
    figures: int


def branch_sort_key(branch: Branch) -> tuple[str, str]:
    return (branch.region.key, branch.slug)


class Catalog:
    """Built once per build from a loaded project; every listing is sorted by explicit keys."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.taxonomy = project.taxonomy
        self.branches = sorted(project.branches, key=branch_sort_key)
        self.in_region: dict[str, list[Branch]] = defaultdict(list)
        self.in_category: dict[str, list[Branch]] = defaultdict(list)
        self.in_theme: dict[str, list[Branch]] = defaultdict(list)
        for b in self.branches:
            for r in b.region.ancestors():
                self.in_region[r.key].append(b)
            self.in_category[b.profile.category].append(b)
            for t in dict.fromkeys(b.profile.themes):
                self.in_theme[t].append(b)

    def totals(self) -> Totals:
        return Totals(
            branches=len(self.branches),
            brands=len({b.profile.brand.name for b in self.branches}),
            regions=len({b.region.key for b in self.branches}),
            honors=sum(len(b.profile.honors) for b in self.branches),
            photos=sum(len(b.profile.photos) for b in self.branches),
            figures=sum(len(b.profile.figures) for b in self.branches),
        )

    def region_links(self, regions: list[Region]) -> list[Link]:
        return [Link(r.name, urls.region(r.key), len(self.in_region.get(r.key, []))) for r in regions]

    def category_links(self) -> list[Link]:
        return [
            Link(t.name, urls.category(t.name), len(self.in_category.get(t.name, [])))
            for t in self.taxonomy.categories
        ]

    def theme_links(self) -> list[Link]:
        return [
            Link(t.name, urls.theme(t.name), len(self.in_theme.get(t.name, []))) for t in self.taxonomy.themes
        ]

    def featured(self, slugs: list[str], count: int) -> list[Branch]:
        """Branches chosen in the config first, then the most recently updated ones."""
        by_slug = {b.slug: b for b in self.branches}
        chosen = [by_slug[s] for s in slugs if s in by_slug]
        rest = sorted(
            (b for b in self.branches if b not in chosen),
            key=lambda b: (b.profile.updated.sort_key, b.slug),
            reverse=True,
        )
        return (chosen + rest)[:count]
