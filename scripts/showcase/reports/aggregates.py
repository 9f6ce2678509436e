"""Totals and comparisons over branch profiles: what /reports/, the region pages and
`showcase report` show.

Only figures that name a `metric` from taxonomy.yml count, one value per branch and metric
(its latest by `as_of`), in the metric's unit; they are added up only when the metric's
definition allows it (`summable`), otherwise listed branch by branch. Qualifiers stay honest: a sum with a
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

from showcase import urls
from showcase.content.load import Branch
from showcase.content.metrics import MetricDefinition
from showcase.content.model import QUALIFIERS_BEFORE, Figure, Honor, PartialDate

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
class Reported:
    """One branch's value of one metric (its latest figure)."""

    slug: str
    name: str
    amount: Amount
    as_of: str  # as written (2024-10), "" when undated

    @property
    def url(self) -> str:
        return urls.branch(self.slug)

    def when(self) -> str:
        """统计时间 as a reader reads it: 2024年10月."""
        return PartialDate(self.as_of).display() if self.as_of else ""


@dataclasses.dataclass(frozen=True)
class MetricTotal:
    metric: MetricDefinition
    total: Amount | None  # None for a metric whose values must not be added up
    reported: tuple[Reported, ...]  # every reporting branch's value, by slug

    @property
    def branches(self) -> int:
        """How many branches reported it."""
        return len(self.reported)


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

    @property
    def summed(self) -> tuple[MetricTotal, ...]:
        return tuple(m for m in self.metrics if m.total is not None)

    @property
    def listed(self) -> tuple[MetricTotal, ...]:
        """Metrics reported here that are never added up: shown branch by branch."""
        return tuple(m for m in self.metrics if m.total is None)


Entry = tuple[str, str, Sequence[Figure]]  # slug, display name, the branch's figures


def entries(branches: Iterable[Branch]) -> list[Entry]:
    return [(b.slug, b.profile.short_name or b.profile.name, b.profile.figures) for b in branches]


def metric_totals(items: Sequence[Entry], metrics: Sequence[MetricDefinition]) -> tuple[MetricTotal, ...]:
    """Each metric someone reported: every branch's latest value, and their sum only when the
    metric's definition says sums make sense (`summable`)."""
    out = []
    for metric in metrics:
        reported = []
        for slug, name, figures in sorted(items, key=lambda e: e[0]):
            chosen = latest(f for f in figures if f.metric == metric.name)
            if chosen is not None:
                amount = Amount(chosen.value, chosen.qualifier, metric.unit)
                reported.append(Reported(slug, name, amount, str(chosen.as_of or "")))
        if reported:
            total = add((r.amount for r in reported), metric.unit) if metric.summable else None
            out.append(MetricTotal(metric, total, tuple(reported)))
    return tuple(out)


def aggregate(branches: Sequence[Branch], metrics: Sequence[MetricDefinition]) -> Aggregate:
    names = {m.name for m in metrics}
    honors = [h for b in branches for h in b.profile.honors]
    levels = Counter(honor_level(h) for h in honors)
    years = Counter(y for y in map(honor_year, honors) if y)
    return Aggregate(
        branches=len(branches),
        brands=len({b.profile.brand.name for b in branches}),
        honors=len(honors),
        photos=sum(len(b.profile.photos) for b in branches),
        figures=sum(len(b.profile.figures) for b in branches),
        unsummed=sum(1 for b in branches for f in b.profile.figures if f.metric not in names),
        metrics=metric_totals(entries(branches), metrics),
        honors_by_level=tuple((lv, levels[lv]) for lv in (*HONOR_LEVELS, UNKNOWN_LEVEL) if levels[lv]),
        honors_by_year=tuple(sorted(years.items())),
    )
