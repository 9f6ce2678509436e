"""Totals and comparisons over branch profiles: what /reports/, the region pages and
`showcase report` show.

Only figures that name a `metric` from taxonomy.yml are summed, one value per branch and
metric (its latest by `as_of`), in the metric's unit. Qualifiers stay honest: a sum with a
lower bound in it (1400余 + 245) is a lower bound itself (1645余); one with an upper bound
(近) stays an upper bound; a mix, or any 约, is 约. Honours are counted by level (given,
or inferred from who awarded them) and by year.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from showcase.content.load import Branch
from showcase.content.model import QUALIFIERS_BEFORE, Figure, Honor, Metric

LOWER = ("余", "多", "超")  # the true number is higher
UPPER = ("近",)  # the true number is lower
HONOR_LEVELS = ("国家级", "省级", "市级", "县级", "乡镇级")
UNKNOWN_LEVEL = "未注明"


@dataclasses.dataclass(frozen=True)
class Amount:
    value: int | Decimal
    qualifier: str | None = None
    unit: str = ""

    def number(self) -> str:
        """The value without unit, as a newspaper prints it: 1645余, 近3000, 3.5."""
        text = format(self.value, "f") if isinstance(self.value, Decimal) else f"{self.value}"
        q = self.qualifier or ""
        return f"{q}{text}" if q in QUALIFIERS_BEFORE else f"{text}{q}"

    def display(self) -> str:
        return self.number() + self.unit


def add(amounts: Iterable[Amount], unit: str) -> Amount:
    """The honest sum of amounts in one unit."""
    items = list(amounts)
    total: int | Decimal = sum((a.value for a in items), start=0)
    if isinstance(total, Decimal) and total == total.to_integral_value():
        total = int(total)
    qualifiers = {a.qualifier for a in items if a.qualifier}
    if not qualifiers:
        qualifier = None
    elif "约" in qualifiers or (qualifiers & set(LOWER) and qualifiers & set(UPPER)):
        qualifier = "约"
    elif qualifiers <= set(UPPER):
        qualifier = "近"
    else:  # lower bounds only; 余 unless every one said the same thing
        qualifier = qualifiers.pop() if len(qualifiers) == 1 else "余"
    return Amount(total, qualifier, unit)


def latest(figures: Iterable[Figure]) -> Figure | None:
    """The most recent of a branch's figures for one metric (undated ones count as oldest,
    the later one in the profile winning a tie)."""
    best: Figure | None = None
    for figure in figures:
        if best is None or _as_of(figure) >= _as_of(best):
            best = figure
    return best


def _as_of(figure: Figure) -> str:
    return figure.as_of.sort_key if figure.as_of else ""


def honor_level(honor: Honor) -> str:
    """The honour's level as given, else inferred from who awarded it and its title."""
    if honor.level:
        return honor.level
    text = f"{honor.by or ''} {honor.title}"
    if re.search(r"全国|中共中央|国务院|中央|国家", text):
        return "国家级"
    if re.search(r"自治区|省委|省政府|^内蒙古|[^市县区旗]省", text):
        return "省级"
    if re.search(r"[区县旗]委|[区县旗]政府|[区县旗]级|(?:区|县|旗)(?:委员会|人民政府)", text):
        return "县级"
    if re.search(r"市委|市政府|市级|市", text):
        return "市级"
    if re.search(r"街道|[乡镇]党委|[乡镇]政府|乡|镇", text):
        return "乡镇级"
    return UNKNOWN_LEVEL


def honor_year(honor: Honor) -> str:
    return str(honor.date)[:4] if honor.date else ""


@dataclasses.dataclass(frozen=True)
class MetricTotal:
    metric: Metric
    total: Amount
    branches: int  # how many branches reported it


@dataclasses.dataclass(frozen=True)
class Aggregate:
    """Totals over one group of branches."""

    branches: int
    brands: int
    honors: int
    photos: int
    figures: int
    unsummed: int  # figures without a metric: shown on their pages, never added up
    metrics: tuple[MetricTotal, ...]  # vocabulary order, only metrics someone reported
    honors_by_level: tuple[tuple[str, int], ...]  # HONOR_LEVELS order, then 未注明; zeros left out
    honors_by_year: tuple[tuple[str, int], ...]  # oldest first; undated left out

    def metric(self, name: str) -> MetricTotal | None:
        return next((m for m in self.metrics if m.metric.name == name), None)


def aggregate(branches: Sequence[Branch], metrics: Sequence[Metric]) -> Aggregate:
    by_metric: dict[str, list[Figure]] = {m.name: [] for m in metrics}
    unsummed = 0
    for branch in branches:
        per_branch: dict[str, list[Figure]] = {}
        for figure in branch.profile.figures:
            if figure.metric in by_metric:
                per_branch.setdefault(figure.metric, []).append(figure)
            else:
                unsummed += 1
        for name, figures in per_branch.items():
            chosen = latest(figures)
            if chosen is not None:
                by_metric[name].append(chosen)
    totals = tuple(
        MetricTotal(
            m, add((Amount(f.value, f.qualifier) for f in by_metric[m.name]), m.unit), len(by_metric[m.name])
        )
        for m in metrics
        if by_metric[m.name]
    )
    honors = [h for b in branches for h in b.profile.honors]
    levels = Counter(honor_level(h) for h in honors)
    years = Counter(y for y in map(honor_year, honors) if y)
    return Aggregate(
        branches=len(branches),
        brands=len({b.profile.brand.name for b in branches}),
        honors=len(honors),
        photos=sum(len(b.profile.photos) for b in branches),
        figures=sum(len(b.profile.figures) for b in branches),
        unsummed=unsummed,
        metrics=totals,
        honors_by_level=tuple((lv, levels[lv]) for lv in (*HONOR_LEVELS, UNKNOWN_LEVEL) if levels[lv]),
        honors_by_year=tuple(sorted(years.items())),
    )


def trend(branches: Sequence[Branch], metric: Metric) -> list[tuple[str, Amount]]:
    """The metric's total at the end of each year in which some branch reported it: each
    branch counts with its latest value dated that year or earlier (undated figures are left
    out). Empty when fewer than two years are known: one point is not a trend."""
    series: list[tuple[str, Figure]] = []
    for branch in branches:
        for figure in branch.profile.figures:
            if figure.metric == metric.name and figure.as_of:
                series.append((branch.slug, figure))
    years = sorted({str(f.as_of)[:4] for _, f in series})
    if len(years) < 2:
        return []
    out = []
    for year in years:
        current: dict[str, list[Figure]] = {}
        for slug, figure in series:
            if str(figure.as_of)[:4] <= year:
                current.setdefault(slug, []).append(figure)
        chosen = [latest(figs) for figs in current.values()]
        out.append((year, add((Amount(f.value, f.qualifier) for f in chosen if f), metric.unit)))
    return out
