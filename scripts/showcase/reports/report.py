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
from showcase.content.metrics import MetricDefinition
from showcase.content.model import Term
from showcase.content.taxonomy import Region
from showcase.reports import charts
from showcase.reports.aggregates import Aggregate, Amount, MetricTotal, aggregate, entries
from showcase.reports.trends import Step, like_for_like


@dataclasses.dataclass(frozen=True)
class Group:
    kind: str  # 全站 / 区域 / 类别 / 主题
    name: str  # for regions the full path, 呼和浩特市/回民区
    url: str
    depth: int  # regions: 0 for the top of the tree
    totals: Aggregate


def _figure(title: str, unit: str, draw: Callable[..., str], rows: list[tuple[str, float, str]]) -> str:
    """What goes inside a chart's <figure>: its caption (HTML, so it wraps), then the chart."""
    return charts.caption(title, unit) + draw(title, rows, unit=unit)


def _value(amount: Amount) -> float:
    return float(amount.value)


class Report:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.metrics: list[MetricDefinition] = list(catalog.taxonomy.metrics)
        # Columns of the group tables: a sum for the metrics that allow one, and for the others
        # only how many branches reported (their values are listed branch by branch).
        self.site = aggregate(catalog.branches, self.metrics)
        reported = [m.metric for m in self.site.metrics]
        self.summable = [m for m in reported if m.summable]
        self.unsummable = [m for m in reported if not m.summable]
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
        items = entries(catalog.branches)
        self.trends: list[tuple[MetricDefinition, list[Step]]] = [
            (m, steps) for m in self.summable if (steps := like_for_like(items, m))
        ]

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
        return _figure(f"各{kind}的党组织数", "个", charts.bars, rows)

    def chart_regions(self) -> str:
        """Branches per region one level below the top (旗县区), where most comparisons are made."""
        rows = [
            (g.name.split("/")[-1], float(g.totals.branches), f"{g.totals.branches}")
            for g in self.regions
            if g.depth == 1
        ]
        return _figure("各旗县区的党组织数", "个", charts.bars, rows)

    def chart_metric(self, metric: MetricDefinition) -> str:
        """A summable metric's totals per 旗县区."""
        rows = []
        for g in self.regions:
            found = g.totals.metric(metric.name) if g.depth == 1 else None
            if found is not None and found.total is not None:
                rows.append((g.name.split("/")[-1], _value(found.total), found.total.number()))
        return _figure(f"{metric.name}：各旗县区合计", metric.unit, charts.bars, rows)

    def chart_listed(self, found: MetricTotal) -> str:
        """A metric that is never added up: each branch's own value."""
        rows = [(r.name, _value(r.amount), r.amount.number()) for r in found.reported]
        return _figure(f"{found.metric.name}：各党组织填报值（不相加）", found.metric.unit, charts.bars, rows)

    def chart_honors(self) -> str:
        rows = [(level, float(n), f"{n}") for level, n in self.site.honors_by_level]
        return _figure("荣誉：按级别", "项", charts.bars, rows)

    def chart_honor_years(self) -> str:
        rows = [(year, float(n), f"{n}") for year, n in self.site.honors_by_year]
        return _figure("荣誉：按年份", "项", charts.columns, rows)

    def chart_trend(self, metric: MetricDefinition, steps: list[Step]) -> str:
        groups = [
            (
                f"{step.branches}个党组织",
                (step.before, _value(step.start), step.start.number()),
                (step.after, _value(step.end), step.end.number()),
            )
            for step in steps
        ]
        title = f"{metric.name}：同一批党组织前后对比"
        return charts.caption(title, metric.unit) + charts.pairs(title, groups, unit=metric.unit)

    # -- text forms (showcase report) --------------------------------------------------

    def columns(self) -> list[str]:
        return [
            "范围",
            "名称",
            "党组织",
            "党建品牌",
            *(f"{m.name}（{m.unit}）" for m in self.summable),
            *(f"{m.name}：填报的党组织（不相加）" for m in self.unsummable),
            "荣誉",
            "未汇总的数字",
        ]

    def rows(self) -> Iterator[list[str]]:
        for g in self.groups():
            t = g.totals
            cells = [g.kind, g.name, str(t.branches), str(t.brands)]
            for m in self.summable:
                found = t.metric(m.name)
                cells.append(found.total.number() if found and found.total else "")
            for m in self.unsummable:
                found = t.metric(m.name)
                cells.append(str(found.branches) if found else "")
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
            line(["指标", "统计口径", "合计", "填报的党组织"]),
            line(["---", "---", "---:", "---:"]),
            *(
                line(
                    [
                        m.metric.name,
                        m.metric.counts,
                        m.total.display() if m.total else "不相加",
                        str(m.branches),
                    ]
                )
                for m in s.metrics
            ),
            "",
            f"另有 {s.unsummed} 个数字没有标注汇总指标，只在各自页面展示，不参与相加。",
        ]
        for m in s.listed:
            values = "、".join(
                f"{r.name} {r.amount.display()}" + (f"（{r.as_of}）" if r.as_of else "") for r in m.reported
            )
            out += [
                "",
                f"{m.metric.name}不相加（{(m.metric.description or '口径可能重叠').rstrip('。')}）：{values}。",
            ]
        out += [
            "",
            "## 分组",
            "",
            line(self.columns()),
            line(["---", "---", *["---:"] * (len(self.columns()) - 2)]),
            *(line(r) for r in self.rows()),
            "",
            "## 趋势（同一批党组织前后对比）",
            "",
        ]
        for metric, steps in self.trends:
            parts = [
                f"{st.before}年→{st.after}年 {st.caption()}，{st.start.display()} → {st.end.display()}"
                for st in steps
            ]
            out.append(f"- {metric.name}：" + "；".join(parts))
        if not self.trends:
            out.append("暂无可比的趋势：同一个党组织在两个年份填报同一指标后，才能前后对比。")
        return "\n".join(out) + "\n"
