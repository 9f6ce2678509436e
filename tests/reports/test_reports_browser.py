"""The /reports/ page in real Chromium: charts take the column's width on a desktop and keep
legible type on a 360-px phone; the page never scrolls sideways, the wide table scrolls in its
own box and says so; the reader sees Chinese words, not profile.yml's field names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from page_types import NARROW, sideways

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1366, "height": 800}

# Per table box: can it scroll sideways, is its hint shown.
BOXES_JS = """() => [...document.querySelectorAll('.sc-report .sc-table-wrap')].map(box => {
  const hint = box.querySelector('.sc-scroll-hint');
  return {
    label: box.getAttribute('aria-label'),
    overflows: box.scrollWidth > box.clientWidth + 1,
    hint: !!hint && hint.checkVisibility() && hint.getBoundingClientRect().height > 0,
  };
})"""

# Every chart's width on screen and the height its label type is drawn at.
CHARTS_JS = """() => [...document.querySelectorAll('.sc-report svg.sc-chart')].map(svg => ({
  width: svg.getBoundingClientRect().width,
  column: svg.closest('.md-content__inner, .md-content').getBoundingClientRect().width,
  text: Math.max(...[...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height)),
  smallest: Math.min(...[...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height)),
}))"""


@pytest.fixture(scope="module")
def page(served_site: str, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    yield tab
    context.close()


def _open(page: Any, base: str, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    response = page.goto(base + "/reports/", wait_until="load")
    assert response is not None and response.status == 200


def test_charts_use_the_desktop_column(page: Any, served_site: str) -> None:
    _open(page, served_site, DESKTOP)
    charts = page.evaluate(CHARTS_JS)
    assert len(charts) >= 8
    for chart in charts:
        assert chart["width"] > 600, chart  # was 300 px: the figure shrank to the SVG's default size
        # the whole column, up to a measure where bars still compare at a glance (42rem)
        assert chart["width"] >= min(chart["column"] - 2, 800), chart
        assert chart["text"] < 26, chart  # type is not blown up to fill the width
    boxes = page.evaluate(BOXES_JS)
    assert boxes and all(b["hint"] == b["overflows"] for b in boxes), boxes


def test_phone_page_does_not_scroll_sideways_but_the_wide_table_does(page: Any, served_site: str) -> None:
    _open(page, served_site, NARROW)
    assert sideways(page) == []
    assert page.evaluate("document.body.scrollWidth <= document.documentElement.clientWidth")
    for chart in page.evaluate(CHARTS_JS):
        assert chart["width"] <= NARROW["width"], chart
        assert chart["smallest"] >= 12, chart  # 12–13 px labels, as drawn
    boxes = page.evaluate(BOXES_JS)
    # Each box says “左右滑动查看更多” exactly when it has more to show.
    assert all(b["hint"] == b["overflows"] for b in boxes), boxes
    regions = next(b for b in boxes if b["label"] == "各级区域")
    assert regions["overflows"] and regions["hint"], boxes
    box = page.locator('.sc-report .sc-table-wrap[aria-label="各级区域"]')
    hint = box.locator(".sc-scroll-hint")
    assert hint.inner_text().strip().endswith("左右滑动查看更多")
    box.evaluate("el => { el.scrollLeft = 120; }")
    assert box.evaluate("el => el.scrollLeft") > 0
    assert page.evaluate("window.scrollX") == 0
    # The hint stays in view while the table moves under it.
    left = hint.evaluate(
        "el => el.getBoundingClientRect().left - el.parentElement.getBoundingClientRect().left"
    )
    assert abs(left) < 2
    shadow = box.evaluate("el => getComputedStyle(el).backgroundImage")
    assert shadow.count("gradient") == 4  # the scrolling edges are shaded


def test_visible_text_has_no_field_names(page: Any, served_site: str) -> None:
    _open(page, served_site, DESKTOP)
    text = page.evaluate("document.body.innerText")
    assert "统计时间" in text and "汇总指标" in text
    assert "metric" not in text and "as_of" not in text
