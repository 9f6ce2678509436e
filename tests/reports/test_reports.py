"""Aggregates, the /reports/ page, region reports, charts and `showcase report`."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, BuiltSite, scratch_project
from showcase.cli.main import main as showcase_main
from showcase.content.catalog import Catalog
from showcase.content.load import load_project
from showcase.content.model import Figure, Honor
from showcase.render.html_text import visible_text
from showcase.reports import charts
from showcase.reports.aggregates import Amount, add, honor_level, latest
from showcase.reports.report import Report

SVG = "{http://www.w3.org/2000/svg}"


# --- honest sums ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([(1400, "余"), (245, None)], "1645余名"),  # the example
        ([(73, None), (245, None)], "318名"),
        ([(50, "多"), (208, None)], "258多名"),
        ([(50, "多"), (20, "多")], "70多名"),
        ([(50, "多"), (20, "余")], "70余名"),  # two lower bounds: still a lower bound
        ([(3000, "近"), (100, None)], "近3100名"),  # an upper bound stays one
        ([(3000, "近"), (100, "余")], "约3100名"),  # bounds on both sides: only 约 is honest
        ([(3000, "约"), (100, None)], "约3100名"),
        ([(3000, "超"), (100, None)], "超3100名"),
    ],
)
def test_sums_keep_their_qualifiers_honest(parts: list[tuple[int, str | None]], expected: str) -> None:
    assert add((Amount(v, q) for v, q in parts), "名").display() == expected


def test_decimal_sums_print_like_a_newspaper() -> None:
    assert add([Amount(Decimal("3.5")), Amount(Decimal("1.5"))], "万元").display() == "5万元"
    assert add([Amount(Decimal("1.38")), Amount(2)], "亿元").display() == "3.38亿元"
    assert add([], "名").display() == "0名"


def test_a_branch_counts_with_its_latest_figure() -> None:
    figures = [
        Figure.model_validate({"label": "党员", "value": "100", "as_of": "2024-06", "metric": "党员人数"}),
        Figure.model_validate({"label": "党员", "value": "120", "as_of": "2024-10", "metric": "党员人数"}),
        Figure.model_validate({"label": "党员", "value": "90", "metric": "党员人数"}),
    ]
    chosen = latest(figures)
    assert chosen is not None and chosen.value == 120


@pytest.mark.parametrize(
    ("title", "by", "level"),
    [
        ("全国先进基层党组织", None, "国家级"),
        ("内蒙古自治区文明村镇", None, "省级"),
        ("呼和浩特市坚强堡垒示范支部", None, "市级"),
        ("先进基层党组织", "中共呼和浩特市委", "市级"),
        ("先进基层党组织", "中共回民区委", "县级"),
        ("优秀党支部", "攸攸板镇党委", "乡镇级"),
        ("十星党组织", None, "未注明"),
    ],
)
def test_honor_levels_are_inferred_from_who_awarded_them(title: str, by: str | None, level: str) -> None:
    assert honor_level(Honor(title=title, by=by)) == level


def test_a_given_level_wins() -> None:
    assert honor_level(Honor(title="全区首批嘎查村集体经济典型样板村", level="省级")) == "省级"


# --- the sample data, summed by hand ----------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> Report:
    return Report(Catalog(load_project(ROOT)))


def test_site_totals_equal_the_hand_computed_sums(report: Report) -> None:
    """Worked out by hand from branches/*/profile.yml (figures with a metric):
    志愿服务队 daxue-donglu-jiedao 60 + huimin-jiguan-gongwei 48 + yangguang-shequ 3 = 111 (3)
    解决问题件数 helingeer-zuzhibu 208 + yanchi-zhen 50多 = 258多 (2)
    志愿服务人次 dongxinfang-jiedao 2300多 (1);  村集体收入 youhao-cun 100多 (1)
    下沉服务党员 (summable: false) dongyangtuo-cun 73, gangtielu-jiedao 245, helingeer-zuzhibu
    1873, huimin-jiguan-gongwei 1400余: listed, never added up (the issue's “3591余名”).
    """
    got = {m.metric.name: (m.total.display() if m.total else None, m.branches) for m in report.site.metrics}
    assert got == {
        "下沉服务党员": (None, 4),
        "志愿服务队": ("111支", 3),
        "解决问题件数": ("258多件", 2),
        "志愿服务人次": ("2300多人次", 1),
        "村集体收入": ("100多万元", 1),
    }
    sent = report.site.metric("下沉服务党员")
    assert sent is not None
    assert [(r.slug, r.amount.display()) for r in sent.reported] == [
        ("dongyangtuo-cun", "73名"),
        ("gangtielu-jiedao", "245名"),
        ("helingeer-zuzhibu", "1873名"),
        ("huimin-jiguan-gongwei", "1400余名"),
    ]
    assert (report.site.branches, report.site.brands, report.site.honors) == (24, 24, 5)
    # youhao-cun: 呼和浩特市坚强堡垒示范支部 (市级), 内蒙古自治区文明村镇 (省级),
    # 全区首批嘎查村… (level: 省级), 先进基层党组织 and 十星党组织 (no awarding body given)
    assert dict(report.site.honors_by_level) == {"省级": 2, "市级": 1, "未注明": 2}
    assert dict(report.site.honors_by_year) == {"2024": 1}


def test_region_totals_at_every_level(report: Report) -> None:
    by_name = {g.name: g.totals for g in report.regions}
    # 回民区: huimin-jiguan-gongwei 48 + yangguang-shequ 3 志愿服务队
    teams = by_name["呼和浩特市/回民区"].metric("志愿服务队")
    assert teams is not None and teams.total is not None and teams.total.display() == "51支"
    # ... and two branches' 下沉服务党员, listed but not added up
    sent = by_name["呼和浩特市/回民区"].metric("下沉服务党员")
    assert sent is not None and sent.total is None and sent.branches == 2
    # every branch sits under exactly one top-level region
    tops = [g.totals for g in report.regions if g.depth == 0]
    assert sum(t.branches for t in tops) == report.site.branches
    assert sum(g.totals.branches for g in report.categories) == report.site.branches


def test_the_sample_has_no_like_for_like_trend(report: Report) -> None:
    """Every sample branch reported each metric in one year only: no branch can be compared with
    itself, so there is no trend (the old 73 → 1718余 → 3591余 only counted new branches)."""
    assert report.trends == []
    assert "暂无可比的趋势" in report.as_markdown()


# --- charts --------------------------------------------------------------------------------------


def test_charts_parse_and_keep_their_labels_as_text() -> None:
    svg = charts.bars("各类别", [("社区", 5.0, "5"), ('<i>"村"', 3.0, "3")], unit="个")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert '<i>"村"' in texts and "5" in texts
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "各类别" and root.get("role") == "img"
    assert charts.caption("各类别", "个") == '<figcaption class="sc-chart__title">各类别（个）</figcaption>'
    # Horizontal sizes are shares of the column's width, so the chart fills any width.
    assert root.get("width") == "100%" and root.get("viewBox") is None
    widths = [r.get("width", "") for r in root.iter(f"{SVG}rect")]
    assert all(w.endswith("%") for w in widths)
    assert float(widths[0][:-1]) == pytest.approx(float(widths[1][:-1]) * 5 / 3)  # 5 is drawn longer than 3
    cols = ET.fromstring(charts.columns("趋势", [("2023", 1.0, "1"), ("2024", 2.0, "2")]))
    heights = [float(r.get("height", "0")) for r in cols.iter(f"{SVG}rect")]
    assert heights[1] == pytest.approx(2 * heights[0])


def test_pair_charts_label_how_many_branches_reported() -> None:
    svg = charts.pairs(
        "党员人数：同一批党组织前后对比", [("2 个党组织均有填报", ("2023", 10.0, "10"), ("2024", 20.0, "20"))]
    )
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2 个党组织均有填报" in texts and "2023" in texts and "2024" in texts
    heights = [float(r.get("height", "0")) for r in root.iter(f"{SVG}rect")]
    assert heights[1] == pytest.approx(2 * heights[0])


def test_same_chart_same_markup() -> None:
    """Incremental builds re-render single pages: a chart must not depend on render order."""
    rows = [("社区", 5.0, "5")]
    assert charts.bars("甲", rows) == charts.bars("甲", rows)
    assert charts.bars("甲", rows) != charts.bars("乙", rows)


# --- built pages ---------------------------------------------------------------------------------


def _svgs(markup: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg class=\"sc-chart\".*?</svg>", markup, re.S)]


def test_reports_page(sample_site: BuiltSite) -> None:
    markup = sample_site.page("reports/")
    svgs = _svgs(markup)
    assert len(svgs) >= 8
    labels = {t.text for svg in svgs for t in svg.iter(f"{SVG}text")}
    assert {"回民区", "社区", "51", "1873", "1400余"} <= labels, labels
    assert '<td class="sc-num">111支</td>' in markup
    text = visible_text(markup.split('<div class="sc-report">', 1)[1].split("</article>", 1)[0])
    # 下沉服务党员 is never summed: no 3591 anywhere, its rows say so and list the branches
    assert "3591" not in markup and "不相加" in text
    assert "回民区区直机关工委 1400余名（统计时间 2023年）" in text
    assert "暂无可比的趋势" in text
    for target in ("data/branches.xlsx", "data/branches.csv", "data/branches.json"):
        assert f'href="../{target}"' in markup
    assert "<script" not in markup.split('<div class="sc-report">', 1)[1].split("</article>", 1)[0]
    nav = markup.split('<nav class="md-tabs"', 1)[1].split("</nav>", 1)[0]
    assert "数据报告" in nav


def test_reports_page_shows_no_field_names(sample_site: BuiltSite) -> None:
    markup = sample_site.page("reports/")
    text = visible_text(markup)
    assert "统计时间" in text and "指标" in text
    assert "metric" not in text and "as_of" not in text
    report = visible_text(markup.split('<div class="sc-report">', 1)[1].split("</article>", 1)[0])
    for field in ("summable", "level", "label", "counts", "profile.yml", "taxonomy.yml"):
        assert field not in report, field


def test_region_page_has_a_report_section(sample_site: BuiltSite) -> None:
    markup = sample_site.page("regions/呼和浩特市/回民区/")
    section = markup.split('class="sc-region-report"', 1)[1].split("</section>", 1)[0]
    text = visible_text(section)
    assert "51支" in text and "6个" in text
    assert "1645余名" not in text and "不相加" in text and "钢铁路街道党工委 245名" in text


# --- check and CLI ---------------------------------------------------------------------------------


def _branch(root: Path, figures: str) -> None:
    folder = root / "branches" / "ceshi-shequ"
    folder.mkdir(parents=True)
    (folder / "profile.yml").write_text(
        f"""slug: ceshi-shequ
name: 测试社区党委
category: 社区
region: 呼和浩特市/回民区
brand: {{name: 测试品牌}}
summary: 用于测试汇总指标的党组织。
themes: [基层治理]
figures:
{figures}
updated: 2024-10-25
""",
        "utf-8",
    )
    (folder / "case.md").write_text("## 主要举措\n\n" + "党员走进楼栋。" * 40 + "\n", "utf-8")


def test_check_reports_unknown_metric_and_wrong_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = scratch_project(tmp_path)
    _branch(
        tmp_path,
        "  - {label: 党员, value: 12, unit: 名, metric: 党员数}\n"
        "  - {label: 收入, value: 120000, unit: 元, metric: 村集体收入}\n",
    )
    code = showcase_main(["-f", str(config), "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(
        r"^branches/ceshi-shequ/profile\.yml:9:\d+: UNKNOWN_METRIC .*是否想写“党员人数”", out, re.M
    ), out
    assert re.search(r"^branches/ceshi-shequ/profile\.yml:10:\d+: METRIC_UNIT .*按“万元”汇总", out, re.M), out


def test_report_command_prints_markdown_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert showcase_main(["-f", str(ROOT / "mkdocs.yml"), "report"]) == 0
    md = capsys.readouterr().out
    assert re.search(r"^\| 志愿服务队 \| [^|]+ \| 111支 \| 3 \|$", md, re.M), md
    assert re.search(r"^\| 下沉服务党员 \| [^|]+ \| 不相加 \| 4 \|$", md, re.M), md
    assert "3591" not in md and "和林格尔县委组织部 1873名（2024）" in md
    assert showcase_main(["-f", str(ROOT / "mkdocs.yml"), "report", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header, site = rows[0], rows[1]
    assert header[:4] == ["范围", "名称", "党组织", "党建品牌"]
    cells = dict(zip(header, site, strict=True))
    assert cells["志愿服务队（支）"] == "111"
    assert cells["下沉服务党员：填报的党组织（不相加）"] == "4"
    assert not any(h.startswith("下沉服务党员（") for h in header)  # no sum column for it
    assert {r[0] for r in rows[1:]} == {"全站", "区域", "类别", "主题"}
