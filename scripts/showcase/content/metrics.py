"""What a metric of taxonomy.yml counts, and whether a branch's figure fits it.

A metric is a definition, not just a name: what is counted (口径), in which unit, whether
values of different branches may be added up, and which words a figure's label must use to
be that thing. The report sums only figures of one summable metric; the check refuses a
figure whose label says it counts something else (认领包户的在职党员 is not 党员人数).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from showcase.content import yamlstrict
from showcase.content.model import Metric, Profile
from showcase.problems import Problem

_YES_NO = {
    "true": True,
    "yes": True,
    "是": True,
    "可以": True,
    "false": False,
    "no": False,
    "否": False,
    "不可以": False,
}


def _to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    key = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if key in _YES_NO:
        return _YES_NO[key]
    raise PydanticCustomError(
        "summable_value",
        "只能写 true（各党组织的数可以相加）或 false（不能相加），现在是“{value}”",
        {"value": value},
    )


def _fold(text: str) -> str:
    """Labels and keywords compared after NFKC (全角/半角) and without spaces or quotes."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and c not in "“”‘’\"'")


Keyword = Annotated[str, Field(min_length=1, max_length=12)]


class MetricDefinition(Metric):
    """汇总指标的定义：统计口径、单位、能否跨党组织相加，以及哪些数字说明（label）符合它。"""

    counts: str = Field(
        min_length=4,
        max_length=120,
        title="统计口径",
        description="数的是什么，写清范围，如“本党组织（含所属支部）的党员总数”。",
    )
    summable: Annotated[bool, BeforeValidator(_to_bool)] = Field(
        title="可否相加",
        description="true：各党组织的数相加有意义（如各自的党员总数）；false：不相加（如同一批党员可能被派出单位和接收社区各报一次），数据报告只列各党组织的填报值。",
    )
    labels: list[Keyword] = Field(
        min_length=1,
        max_length=20,
        title="说明须含的词",
        description="数字的说明（label）至少要包含其中一个词，才算符合口径，如 [党员总数, 党员人数]。",
    )

    def fits(self, label: str) -> bool:
        """Whether a figure labelled `label` can be this metric: it names one of the keywords."""
        folded = _fold(label)
        return any(_fold(word) in folded for word in self.labels)


def label_problems(
    doc: yamlstrict.Document, profile: Profile, metrics: Sequence[MetricDefinition]
) -> list[Problem]:
    """Figures whose label does not say they count what their metric counts, at the metric line.
    Unknown metrics are reported by the vocabulary check; this one skips them."""
    by_name = {m.name: m for m in metrics}
    out: list[Problem] = []
    for i, figure in enumerate(profile.figures):
        metric = by_name.get(figure.metric) if figure.metric else None
        if metric is None or metric.fits(figure.label):
            continue
        out.append(
            doc.problem(("figures", i, "metric"), "METRIC_LABEL", fit_message(figure.label, metric, metrics))
        )
    return out


def fit_message(label: str, metric: MetricDefinition, metrics: Sequence[MetricDefinition]) -> str:
    words = "".join(f"“{w}”" for w in metric.labels)  # no 顿号 between quoted items
    message = (
        f"“{label}”与汇总指标“{metric.name}”的口径不符：{metric.name}统计的是{metric.counts.rstrip('。')}，"
        f"说明里应含有{words}之一。"
    )
    others = [m.name for m in metrics if m is not metric and m.fits(label)]
    if others:
        return (
            message
            + f"它更像是“{others[0]}”：请把 metric 改为 {others[0]}，或删去 metric（只展示、不汇总）。"
        )
    return message + "口径不同的数字相加会误导读者：请删去这一行的 metric（数字照常展示，只是不参与汇总）。"
