"""Metric definitions in taxonomy.yml, the summing rules, like-for-like trends and the check
that a figure's label fits its metric."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, build_site, scratch_project
from reports.test_reports import _branch  # one scratch branch with given figures, for both suites
from showcase.cli.main import main as showcase_main
from showcase.content.metrics import MetricDefinition, fit_message
from showcase.content.model import Figure
from showcase.content.taxonomy import load_taxonomy
from showcase.problems import ContentError
from showcase.render.html_text import visible_text
from showcase.reports.aggregates import Entry, metric_totals
from showcase.reports.trends import like_for_like

HEAD = "regions: {甲市: []}\ncategories: [{name: 社区}]\nthemes: [{name: 基层治理}]\nmetrics:\n"


def _metric(name: str, unit: str, summable: bool, labels: list[str], counts: str = "") -> MetricDefinition:
    return MetricDefinition.model_validate(
        {
            "name": name,
            "unit": unit,
            "counts": counts or f"{name}的口径说明",
            "summable": summable,
            "labels": labels,
        }
    )


MEMBERS = _metric("党员人数", "名", True, ["党员总数", "党员人数"], "本党组织（含所属支部）的党员总数")
SENT = _metric("下沉服务党员", "名", False, ["在职党员", "包联", "网格"])
TEAMS = _metric("志愿服务队", "支", True, ["服务队", "小分队"])


def _fig(
    label: str, value: str, metric: str, as_of: str | None = None, qualifier: str | None = None
) -> Figure:
    data = {"label": label, "value": value, "metric": metric, "as_of": as_of, "qualifier": qualifier}
    return Figure.model_validate({k: v for k, v in data.items() if v})


# --- the definition in taxonomy.yml -------------------------------------------------------------


def _problems(metrics_yaml: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ContentError) as caught:
        load_taxonomy("branches/taxonomy.yml", (HEAD + metrics_yaml).encode())
    return [(p.line, p.code, p.message) for p in caught.value.problems]


def test_the_sample_taxonomy_defines_every_metric() -> None:
    taxonomy = load_taxonomy("branches/taxonomy.yml", (ROOT / "branches" / "taxonomy.yml").read_bytes())
    assert taxonomy.metrics, "taxonomy.yml 里没有汇总指标"
    for m in taxonomy.metrics:
        assert m.counts and m.unit and m.labels
    by_name = {m.name: m for m in taxonomy.metrics}
    # The four figures are not party membership: they count members sent to grids, a
    # number that the sending and the receiving organisations both report, so never summed.
    assert by_name["党员人数"].summable and not by_name["党员人数"].fits("认领包户的在职党员")
    assert not by_name["下沉服务党员"].summable


def test_a_metric_without_definition_is_refused_in_chinese() -> None:
    problems = _problems("  - {name: 党员人数, unit: 名}\n")
    assert problems == [
        (5, "MISSING", "缺少必填项 metrics[0].counts（统计口径）：请在“metrics[0]”下补上这一项。"),
        (5, "MISSING", "缺少必填项 metrics[0].summable（可否相加）：请在“metrics[0]”下补上这一项。"),
        (5, "MISSING", "缺少必填项 metrics[0].labels（说明须含的词）：请在“metrics[0]”下补上这一项。"),
    ]


def test_summable_must_say_yes_or_no() -> None:
    problems = _problems(
        "  - name: 党员人数\n    unit: 名\n    counts: 本党组织的党员总数\n    summable: 也许\n    labels: []\n"
    )
    assert problems == [
        (
            8,
            "SCHEMA",
            "metrics[0].summable（可否相加） 的值有误（只能写 true（各党组织的数可以相加）或 false（不能相加），现在是“也许”）。",
        ),
        (9, "TOO_SHORT", "metrics[0].labels（说明须含的词） 至少要有 1 项。"),
    ]


def test_summable_reads_true_false_and_chinese() -> None:
    for written, meant in (("true", True), ("false", False), ("是", True), ("否", False)):
        m = MetricDefinition.model_validate(
            {"name": "甲", "unit": "名", "counts": "数的是甲", "summable": written, "labels": ["甲"]}
        )
        assert m.summable is meant


def test_labels_fit_by_keyword_after_width_folding() -> None:
    assert MEMBERS.fits("全村党员总数")
    assert MEMBERS.fits("党员 人数")  # spaces do not matter
    assert TEAMS.fits("“一老一小”志愿服务队")
    assert _metric("甲", "个", True, ["ABC"]).fits("ａｂｃ的数量".upper())  # full-width letters
    assert not MEMBERS.fits("认领包户的在职党员")


def test_the_label_fit_message_names_the_definition_and_a_better_metric() -> None:
    metrics = [MEMBERS, SENT, TEAMS]
    assert fit_message("认领包户的在职党员", MEMBERS, metrics) == (
        "“认领包户的在职党员”与汇总指标“党员人数”的口径不符：党员人数统计的是本党组织（含所属支部）的党员总数，"
        "说明里应含有“党员总数”“党员人数”之一。"
        "它更像是“下沉服务党员”：请把 metric 改为 下沉服务党员，或删去 metric（只展示、不汇总）。"
    )
    assert fit_message("开展文体活动", MEMBERS, metrics).endswith(
        "口径不同的数字相加会误导读者：请删去这一行的 metric（数字照常展示，只是不参与汇总）。"
    )


# --- summing rules ------------------------------------------------------------------------------


def test_only_summable_metrics_get_a_total() -> None:
    items: list[Entry] = [
        (
            "b",
            "乙",
            [_fig("认领包户的在职党员", "245", "下沉服务党员", "2023"), _fig("服务队", "3", "志愿服务队")],
        ),
        ("a", "甲", [_fig("到包联社区网格的在职党员", "1873", "下沉服务党员", "2024")]),
        ("c", "丙", [_fig("暖心服务小分队", "60", "志愿服务队", "2023"), _fig("没有指标", "9", "")]),
    ]
    totals = {t.metric.name: t for t in metric_totals(items, [MEMBERS, SENT, TEAMS])}
    assert "党员人数" not in totals  # nobody reported it: no row, not a zero
    sent = totals["下沉服务党员"]
    assert sent.total is None and sent.branches == 2
    assert [(r.slug, r.amount.display(), r.as_of) for r in sent.reported] == [
        ("a", "1873名", "2024"),
        ("b", "245名", "2023"),
    ]
    teams = totals["志愿服务队"]
    assert teams.total is not None and teams.total.display() == "63支" and teams.branches == 2


def test_a_branch_counts_once_per_metric_with_its_latest_value() -> None:
    items: list[Entry] = [
        (
            "a",
            "甲",
            [_fig("党员总数", "100", "党员人数", "2023"), _fig("党员总数", "120", "党员人数", "2024")],
        ),
        ("b", "乙", [_fig("党员总数", "1400", "党员人数", "2024", "余")]),
    ]
    (members,) = metric_totals(items, [MEMBERS])
    assert members.total is not None and members.total.display() == "1520余名" and members.branches == 2


# --- like-for-like trends -------------------------------------------------------------------------


def test_trends_compare_only_branches_that_reported_in_both_years() -> None:
    items: list[Entry] = [
        ("a", "甲", [_fig("党员总数", "73", "党员人数", "2017"), _fig("党员总数", "80", "党员人数", "2023")]),
        (
            "b",
            "乙",
            [_fig("党员总数", "245", "党员人数", "2023"), _fig("党员总数", "260", "党员人数", "2024-06")],
        ),
        # reported once only: a newcomer must not make a later year look bigger
        ("c", "丙", [_fig("党员总数", "1873", "党员人数", "2024")]),
        (
            "d",
            "丁",
            [
                _fig("党员总数", "1400", "党员人数", "2023", "余"),
                _fig("党员总数", "1500", "党员人数", "2024"),
            ],
        ),
        ("e", "戊", [_fig("党员总数", "50", "党员人数", "2017"), _fig("党员总数", "40", "党员人数", "2024")]),
    ]
    steps = [
        (s.before, s.after, s.slugs, s.start.display(), s.end.display(), s.caption())
        for s in like_for_like(items, MEMBERS)
    ]
    assert steps == [
        ("2017", "2023", ("a",), "73名", "80名", "1 个党组织均有填报"),
        ("2017", "2024", ("e",), "50名", "40名", "1 个党组织均有填报"),
        ("2023", "2024", ("b", "d"), "1645余名", "1760名", "2 个党组织均有填报"),
    ]


def test_no_trend_for_a_metric_that_is_never_summed_or_reported_once() -> None:
    sent = [
        (
            "a",
            "甲",
            [_fig("在职党员", "1", "下沉服务党员", "2023"), _fig("在职党员", "2", "下沉服务党员", "2024")],
        )
    ]
    assert like_for_like(sent, SENT) == []
    once: list[Entry] = [
        ("a", "甲", [_fig("党员总数", "1", "党员人数", "2023")]),
        ("b", "乙", [_fig("党员总数", "2", "党员人数", "2024")]),
    ]
    assert like_for_like(once, MEMBERS) == []


# --- the check ---------------------------------------------------------------------------------


def test_check_flags_a_label_that_does_not_fit_its_metric(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = scratch_project(tmp_path)
    _branch(
        tmp_path,
        "  - {label: 认领包户的在职党员, value: 245, unit: 名, metric: 党员人数}\n"
        "  - {label: 现有党员总数, value: 120, unit: 名, metric: 党员人数}\n",
    )
    code = showcase_main(["-f", str(config), "check"])
    out = capsys.readouterr().out
    assert code == 1
    found = re.findall(r"^branches/ceshi-shequ/profile\.yml:(\d+):\d+: METRIC_LABEL (.*)$", out, re.M)
    assert [line for line, _ in found] == ["9"], out  # the fitting figure on line 10 passes
    assert found[0][1].startswith("“认领包户的在职党员”与汇总指标“党员人数”的口径不符："), out
    assert "它更像是“下沉服务党员”" in found[0][1]


def test_the_sample_branches_pass_the_label_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert showcase_main(["-f", str(ROOT / "mkdocs.yml"), "check"]) == 0
    assert "METRIC_LABEL" not in capsys.readouterr().out


# --- a built site with a comparable trend ----------------------------------------------------------


def _trend_branch(root: Path, slug: str, name: str, region: str, figures: list[tuple[int, str]]) -> None:
    folder = root / "branches" / slug
    folder.mkdir(parents=True)
    lines = "".join(
        f"  - {{label: 志愿服务小分队, value: {v}, unit: 支, metric: 志愿服务队, as_of: '{y}'}}\n"
        for v, y in figures
    )
    (folder / "profile.yml").write_text(
        f"slug: {slug}\nname: {name}\ncategory: 社区\nregion: {region}\nbrand: {{name: {name[:4]}之家}}\n"
        f"summary: {name}组建志愿服务小分队，常年服务居民。\nthemes: [志愿服务]\nfigures:\n{lines}updated: 2024-10-25\n",
        "utf-8",
    )
    steps = "".join(f"{name}第{i}支小分队第{i + 1}次入户走访。" for i in range(30))
    results = "".join(f"{name}居民第{i}次点赞小分队。" for i in range(30))
    (folder / "case.md").write_text(f"## 主要举措\n\n{steps}\n\n## 取得成效\n\n{results}\n", "utf-8")


def test_a_built_trend_counts_only_branches_that_reported_in_both_years(tmp_path: Path) -> None:
    config = scratch_project(tmp_path)
    _trend_branch(
        tmp_path,
        "guangming-shequ",
        "光明社区党委",
        "呼和浩特市/回民区/光明路街道",
        [(10, "2023"), (12, "2024")],
    )
    _trend_branch(
        tmp_path, "gangtie-shequ", "钢铁社区党委", "呼和浩特市/回民区/钢铁路街道", [(5, "2023"), (8, "2024")]
    )
    # a newcomer in 2024: in the 2024 total of all branches, but not in the comparison
    _trend_branch(tmp_path, "dongfeng-shequ", "东风社区党委", "呼和浩特市/新城区/东风路街道", [(40, "2024")])
    site = build_site(config, tmp_path / "site")
    markup = (site.dir / "reports" / "index.html").read_text("utf-8")
    section = markup.split('id="sc-report-trends"', 1)[1].split("</section>", 1)[0]
    text = visible_text(section)
    assert "2023年→2024年\n2 个党组织均有填报\n15支\n20支" in text, text
    assert "60支" not in text and "暂无可比的趋势" not in text
    assert "志愿服务队：同一批党组织前后对比（支）" in text  # the chart's caption
    assert "2个党组织均有填报：2023年 15，2024年 20" in section  # the chart's description
