"""The controlled vocabularies of branches/taxonomy.yml: region tree, categories, themes."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import Field

from showcase.content import yamlstrict
from showcase.content.metrics import MetricDefinition, label_problems
from showcase.content.model import Profile, TaxonomyFile, Term
from showcase.content.schema_errors import load_validated
from showcase.hints import closest, did_you_mean
from showcase.problems import ContentError, Problem
from showcase.safe_paths import segment_problem


@dataclasses.dataclass(eq=False)
class Region:
    name: str
    path: tuple[str, ...]
    children: list[Region] = dataclasses.field(default_factory=list)
    parent: Region | None = None

    @property
    def key(self) -> str:
        return "/".join(self.path)

    def walk(self) -> list[Region]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def ancestors(self) -> list[Region]:
        """From the top of the tree down to (and including) this region."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclasses.dataclass
class Taxonomy:
    roots: list[Region]
    categories: list[Term]
    themes: list[Term]
    metrics: list[MetricDefinition] = dataclasses.field(default_factory=list)
    regions: dict[str, Region] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        for root in self.roots:
            for region in root.walk():
                self.regions[region.key] = region

    @property
    def category_names(self) -> list[str]:
        return [t.name for t in self.categories]

    @property
    def theme_names(self) -> list[str]:
        return [t.name for t in self.themes]

    @property
    def metric_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def metric(self, name: str) -> MetricDefinition | None:
        return next((m for m in self.metrics if m.name == name), None)

    def label_fit_problems(self, doc: yamlstrict.Document, profile: Profile) -> list[Problem]:
        """Figures whose label does not fit the definition of the metric they name."""
        return label_problems(doc, profile, self.metrics)

    def suggest_region(self, value: str) -> str | None:
        keys = list(self.regions)
        value = value.strip("/")
        by_suffix = sorted(k for k in keys if k.endswith("/" + value))
        if by_suffix:
            return by_suffix[0]
        leaf = value.split("/")[-1]
        by_leaf = sorted(k for k in keys if k.split("/")[-1] == leaf)
        if by_leaf:
            return by_leaf[0]
        return closest(value, keys)

    def region_hint(self, value: str, *, otherwise: str) -> str:
        """“是否想写“X”？” for the region `value` probably means (`suggest_region`), else `otherwise`."""
        guess = self.suggest_region(value)
        # The guess is chosen above; hints.py only words it, like every other suggestion.
        return did_you_mean(guess, [guess], cutoff=0.0, otherwise=otherwise) if guess else otherwise


class _TaxonomyFile(TaxonomyFile):
    """taxonomy.yml with every metric a full definition (口径, 单位, 可否相加, 说明须含的词)."""

    # A narrower item type than the base's list[Metric]: every MetricDefinition is a Metric.
    metrics: list[MetricDefinition] = Field(  # type: ignore[assignment]
        default_factory=list,
        title="汇总指标",
        description="档案 figures 中 metric 可取的指标：名称、单位、统计口径、可否相加、说明须含的词。",
    )


def _build_regions(
    value: Any, parent: Region | None, doc: yamlstrict.Document, loc: yamlstrict.Loc
) -> list[Region]:
    out: list[Region] = []
    if value is None:
        return out
    if isinstance(value, list):
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                pos = doc.pos((*loc, i))
                raise ContentError(
                    [Problem(doc.path, pos.line, pos.col, "TAXONOMY", "区域列表里只能写区域名称。")]
                )
            items.append((item, None, (*loc, i)))
    elif isinstance(value, dict):
        items = [(k, v, (*loc, k)) for k, v in value.items()]
    else:
        pos = doc.pos(loc)
        raise ContentError([Problem(doc.path, pos.line, pos.col, "TAXONOMY", "下级区域应写成映射或列表。")])
    seen: set[str] = set()
    for name, children, item_loc in items:
        # A region name is a folder and URL segment of its page (regions/<a>/<b>/).
        why = segment_problem(name)
        if why or name in seen:
            pos = doc.key_pos(item_loc) if isinstance(value, dict) else doc.pos(item_loc)
            message = f"区域名“{name}”{why}。" if why else f"区域“{name}”在同一级里重复出现。"
            raise ContentError([Problem(doc.path, pos.line, pos.col, "TAXONOMY", message)])
        seen.add(name)
        path = (*parent.path, name) if parent else (name,)
        region = Region(name=name, path=path, parent=parent)
        region.children = _build_regions(children, region, doc, item_loc)
        out.append(region)
    return out


def load_taxonomy(path: str, raw: bytes) -> Taxonomy:
    doc, parsed = load_validated(path, raw, _TaxonomyFile)
    problems: list[Problem] = []
    for field in ("categories", "themes", "metrics"):
        seen: set[str] = set()
        for i, term in enumerate(getattr(parsed, field)):
            # Categories and themes are folder and URL segments (categories/<name>/); metrics are not.
            why = segment_problem(term.name) if field != "metrics" else None
            if why or term.name in seen:
                pos = doc.pos((field, i, "name"))
                message = f"“{term.name}”{why}。" if why else f"“{term.name}”重复了。"
                problems.append(Problem(path, pos.line, pos.col, "TAXONOMY", message))
            seen.add(term.name)
    if problems:
        raise ContentError(problems)
    roots = _build_regions(parsed.regions, None, doc, ("regions",))
    return Taxonomy(
        roots=roots,
        categories=list(parsed.categories),
        themes=list(parsed.themes),
        metrics=list(parsed.metrics),
    )
