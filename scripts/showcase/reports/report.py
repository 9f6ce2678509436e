"""The data report: aggregates for the whole site and for every region (each level of the
tree), category and theme, with their charts. Framework-free; `pages.py` renders it into
/reports/ and the region pages, `cli.py` prints it for `showcase report`."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterator

from showcase import urls
from showcase.content.catalog import Catalog
from showcase.content.load import Branch
from showcase.content.model import Metric, Term
from showcase.content.taxonomy import Region
from showcase.reports import charts
from showcase.reports.aggregates import Aggregate, Amount, aggregate, trend


@dataclasses.dataclass(frozen=True)
class Group:
    kind: str  # 全站 / 区域 / 类别 / 主题
    name: str  # for regions the full path, 呼和浩特市/回民区
    url: str
    depth: int  # regions: 0 for the top of the tree
    totals: Aggregate


def _value(amount: Amount) -> float:
    return float(amount.value)


class Report:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.metrics: list[Metric] = list(catalog.taxonomy.metrics)
        self.site = aggregate(catalog.branches, self.metrics)
        self.regions: list[Group] = []
        self._by_region: dict[str, Aggregate] = {}
        for root in catalog.taxonomy.roots:
            for region in root.walk():
                members = catalog.in_region.get(region.key, [])
                totals = self._by_region[region.key] = aggregate(members, self.metrics)
                if members:
                    self.regions.append(
                        Group("区域", region.key, urls.region(region.key), len(region.path) - 1, totals)
                    )
        self.categories = self._terms("类别", catalog.taxonomy.categories, catalog.in_category, urls.category)
        self.themes = self._terms("主题", catalog.taxonomy.themes, catalog.in_theme, urls.theme)
        self.trends = [(m, s) for m in self.metrics if (s := trend(catalog.branches, m))]

    def _terms(
        self, kind: str, terms: list[Term], members: dict[str, list[Branch]], url: Callable[[str], str]
    ) -> list[Group]:
        return [
            Group(kind, t.name, url(t.name), 0, aggregate(members.get(t.name, []), self.metrics))
            for t in terms
        ]

    def region(self, region: Region) -> Aggregate:
        return self._by_region[region.key]

    def groups(self) -> Iterator[Group]:
        """Every row `showcase report` prints: the site, regions in tree order, categories, themes."""
        yield Group("全站", "全站", urls.REPORTS, 0, self.site)
        yield from self.regions
        yield from self.categories
        yield from self.themes

    # -- charts ------------------------------------------------------------------------

    def chart_counts(self, kind: str) -> str:
        groups = self.categories if kind == "类别" else self.themes
        rows = [
            (g.name, float(g.totals.branches), f"{g.totals.branches}") for g in groups if g.totals.branches
        ]
        return charts.bars(f"各{kind}的党组织数", rows, unit="个")

    def chart_regions(self) -> str:
        """Branches per region one level below the top (旗县区), where most comparisons are made."""
        rows = [
            (g.name.split("/")[-1], float(g.totals.branches), f"{g.totals.branches}")
            for g in self.regions
            if g.depth == 1
        ]
        return charts.bars("各旗县区的党组织数", rows, unit="个")

    def chart_metric(self, metric: Metric) -> str:
        rows = []
        for g in self.regions:
            found = g.totals.metric(metric.name) if g.depth == 1 else None
            if found is not None:
                rows.append((g.name.split("/")[-1], _value(found.total), found.total.number()))
        return charts.bars(f"{metric.name}：各旗县区合计", rows, unit=metric.unit)

    def chart_honors(self) -> str:
        rows = [(level, float(n), f"{n}") for level, n in self.site.honors_by_level]
        return charts.bars("荣誉：按级别", rows, unit="项")

    def chart_honor_years(self) -> str:
        rows = [(year, float(n), f"{n}") for year, n in self.site.honors_by_year]
        return charts.columns("荣誉：按年份", rows, unit="项")

    def chart_trend(self, metric: Metric, series: list[tuple[str, Amount]]) -> str:
        rows = [(year, _value(a), a.number()) for year, a in series]
        return charts.columns(f"{metric.name}：截至各年的填报合计", rows, unit=metric.unit)

    # -- text forms (showcase report) --------------------------------------------------

    def columns(self) -> list[str]:
        return [
            "范围",
            "名称",
            "党组织",
            "党建品牌",
            *(f"{m.name}（{m.unit}）" for m in self.metrics),
            "荣誉",
            "未汇总的数字",
        ]

    def rows(self) -> Iterator[list[str]]:
        for g in self.groups():
            t = g.totals
            cells = [g.kind, g.name, str(t.branches), str(t.brands)]
            for m in self.metrics:
                found = t.metric(m.name)
                cells.append(found.total.number() if found else "")
            cells += [str(t.honors), str(t.unsummed)]
            yield cells

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns())
        writer.writerows(self.rows())
        return out.getvalue()

    def as_markdown(self) -> str:
        def line(cells: list[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        s = self.site
        out = [
            "# 数据报告",
            "",
            f"全站 {s.branches} 个党组织、{s.brands} 个党建品牌、{s.honors} 项荣誉、{s.photos} 张照片。",
            "",
            "## 汇总指标",
            "",
            line(["指标", "合计", "填报的党组织"]),
            line(["---", "---:", "---:"]),
            *(line([m.metric.name, m.total.display(), str(m.branches)]) for m in s.metrics),
            "",
            f"另有 {s.unsummed} 个数字没有标注汇总指标，只在各自页面展示，不参与相加。",
            "",
            "## 分组",
            "",
            line(self.columns()),
            line(["---", "---", *["---:"] * (len(self.columns()) - 2)]),
            *(line(r) for r in self.rows()),
        ]
        if self.trends:
            out += ["", "## 趋势（截至各年的填报合计）", ""]
            for metric, series in self.trends:
                out.append(f"- {metric.name}：" + "，".join(f"{y}年 {a.display()}" for y, a in series))
        return "\n".join(out) + "\n"
