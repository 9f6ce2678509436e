"""Trends that compare like for like.

A total over “every branch that has reported so far” grows whenever one more branch reports
(73 → 1718余 → 3591余 was mostly new branches, not more members). So a trend here is a list
of steps: between two years, only the branches that reported the metric in *both* years, and
the step says how many they are. Each branch's consecutive reporting years make one step; steps
with the same pair of years are one comparison over all the branches that share it.
Only metrics whose values may be added up (`summable`) have trends.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from showcase.content.metrics import MetricDefinition
from showcase.content.model import Figure
from showcase.reports.aggregates import Amount, Entry, add, latest


@dataclasses.dataclass(frozen=True)
class Step:
    """The same branches' total in an earlier and a later year."""

    before: str  # year, "2023"
    after: str
    slugs: tuple[str, ...]  # the branches that reported in both years, sorted
    start: Amount
    end: Amount

    @property
    def branches(self) -> int:
        return len(self.slugs)

    def caption(self) -> str:
        return f"{self.branches} 个党组织均有填报"


def _by_year(figures: Sequence[Figure], metric: str) -> dict[str, Figure]:
    """A branch's latest dated figure of `metric` within each year it reported."""
    years: dict[str, list[Figure]] = {}
    for figure in figures:
        if figure.metric == metric and figure.as_of:
            years.setdefault(str(figure.as_of)[:4], []).append(figure)
    out = {}
    for year, found in years.items():
        chosen = latest(found)
        if chosen is not None:
            out[year] = chosen
    return out


def like_for_like(items: Sequence[Entry], metric: MetricDefinition) -> list[Step]:
    """The metric's steps, oldest first (by later year, then earlier year); empty when no branch
    reported it in two different years, or when its values must not be added up."""
    if not metric.summable:
        return []
    pairs: dict[tuple[str, str], list[tuple[str, Figure, Figure]]] = {}
    for slug, _name, figures in items:
        years = _by_year(figures, metric.name)
        for before, after in itertools.pairwise(sorted(years)):
            pairs.setdefault((before, after), []).append((slug, years[before], years[after]))
    steps = []
    for (before, after), rows in sorted(pairs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        rows.sort(key=lambda r: r[0])
        steps.append(
            Step(
                before,
                after,
                tuple(slug for slug, _, _ in rows),
                add((Amount(a.value, a.qualifier) for _, a, _ in rows), metric.unit),
                add((Amount(b.value, b.qualifier) for _, _, b in rows), metric.unit),
            )
        )
    return steps
