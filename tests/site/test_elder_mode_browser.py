"""长辈模式 (适老化 mode) in real Chromium: the header toggle works from the keyboard and for screen
readers (a button with aria-pressed), the choice is remembered across pages and applied before
the first paint, and with the mode on every page type at 360 px keeps its layout: no sideways
scrolling, an intact header, text of at least 18 px (工信部's 适老化 rules), tap targets of 44 px.

The mode scales the reading column 1.5 times; the layout is also checked at 2 times (200 %
text) by setting the scale the stylesheet reads, --sc-elder-zoom.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from conftest import ROOT, BuiltSite
from page_types import (
    ARTIFACTS,
    NARROW,
    PAGE_TYPES,
    Watch,
    header_problems,
    open_page,
    sideways,
    small_targets,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KEY = "showcase.elder"  # elder.js keeps the choice in localStorage under this key
SCALES = {"shipped": 1.5, "200%": 2.0}

SMALLEST_TEXT_JS = """() => {
  // The smallest text a reader sees in the reading column, in CSS pixels as rendered (font size
  // times the zoom the mode applies), with the element that has it.
  let smallest = [Infinity, ''];
  const walker = document.createTreeWalker(document.querySelector('.md-content'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) continue;  // visually hidden text for screen readers
    const size = parseFloat(getComputedStyle(el).fontSize) * (el.currentCSSZoom || 1);
    if (size < smallest[0]) smallest = [size, el.tagName.toLowerCase() + '.' + el.className + ' “' + n.textContent.trim().slice(0, 12) + '”'];
  }
  return smallest;
}"""

# Records every animation frame from the moment the document exists: a frame that shows page
# content while <html> lacks the mode's class would be a flash of the small page.
FRAMES_JS = """
window.__scFrames = {content: 0, flash: 0};
(function frame() {
  const body = document.body;
  if (body && body.children.length > 0) {
    window.__scFrames.content += 1;
    if (!document.documentElement.classList.contains('sc-elder')) window.__scFrames.flash += 1;
  }
  if (window.__scFrames.content < 5) requestAnimationFrame(frame);
})();
"""


@pytest.fixture(scope="module")
def elder_page(served_site: str, browser: Any) -> Iterator[tuple[Any, Watch]]:
    """A 360-px phone whose reader switched the mode on earlier."""
    context = browser.new_context(viewport=NARROW, has_touch=True)
    context.add_init_script(f"localStorage.setItem('{KEY}', '1')")
    page = context.new_page()
    yield page, Watch(page, served_site)
    context.close()


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_in_elder_mode_at_360px(
    elder_page: tuple[Any, Watch], served_site: str, sample_site: BuiltSite, name: str, scale: str
) -> None:
    page, watch = elder_page
    watch.reset()
    open_page(page, served_site, name)
    assert page.evaluate("document.documentElement.classList.contains('sc-elder')")
    zoom = SCALES[scale]
    if scale != "shipped":
        page.evaluate(f"document.documentElement.style.setProperty('--sc-elder-zoom', '{zoom}')")
    assert sideways(page) == []
    assert header_problems(page) == []
    assert small_targets(page) == []
    smallest, where = page.evaluate(SMALLEST_TEXT_JS)
    assert smallest >= 18 * zoom / 1.5 - 0.05, f"{smallest:.1f}px: {where}"
    assert watch.foreign() == []
    assert watch.script_errors(page.url if name == "404" else None) == []
    if scale == "shipped":
        page.screenshot(path=str(ARTIFACTS / f"{name}-elder-360x780.png"), full_page=False)


def _height(page: Any, selector: str) -> float:
    return float(page.eval_on_selector(selector, "el => el.getBoundingClientRect().height"))


def test_toggle_from_the_keyboard_remembered_on_every_page(served_site: str, browser: Any) -> None:
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    watch = Watch(page, served_site)
    try:
        open_page(page, served_site, "brands")
        # A screen reader meets one toggle button named 长辈模式, not pressed.
        toggle = page.get_by_role("button", name="长辈模式", exact=True)
        assert toggle.count() == 1 and toggle.is_visible()
        assert toggle.aria_snapshot() == '- button "长辈模式"'
        assert toggle.get_attribute("aria-pressed") == "false"
        assert not page.evaluate("document.documentElement.classList.contains('sc-elder')")
        small = _height(page, "article h1")

        # Reached with Tab alone, switched with Enter, switched back with Space.
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.hasAttribute('data-sc-elder')"):
                break
        else:
            pytest.fail("长辈模式按钮无法用 Tab 键到达")
        page.keyboard.press("Enter")
        assert toggle.aria_snapshot() == '- button "长辈模式" [pressed]'
        assert page.evaluate("document.documentElement.classList.contains('sc-elder')")
        assert _height(page, "article h1") >= 1.4 * small
        assert page.evaluate(f"localStorage.getItem('{KEY}')") == "1"
        page.keyboard.press("Space")
        assert toggle.get_attribute("aria-pressed") == "false"
        assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
        toggle.click()
        assert toggle.get_attribute("aria-pressed") == "true"

        # Every other page, the 404 page included, opens in the mode, before its first paint.
        page.add_init_script(FRAMES_JS)
        for name in ("branch", "search", "404"):
            open_page(page, served_site, name)
            assert page.get_attribute("[data-sc-elder]", "aria-pressed") == "true", name
            frames = page.evaluate("window.__scFrames")
            assert frames["content"] >= 1 and frames["flash"] == 0, (name, frames)
        assert watch.foreign() == []
    finally:
        context.close()


def test_the_flash_check_sees_a_late_switch(browser: Any) -> None:
    """The frame recorder is live: a page that sets the class only after a while is caught."""
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        page.add_init_script(FRAMES_JS)
        late = "<p>正文</p><script>setTimeout(() => document.documentElement.classList.add('sc-elder'), 300)</script>"
        page.goto("data:text/html;charset=utf-8," + quote(late))
        page.wait_for_timeout(400)
        assert page.evaluate("window.__scFrames.flash") >= 1
    finally:
        context.close()


def test_mode_script_is_external_and_blocking_in_head(sample_site: BuiltSite) -> None:
    """Applied before the first paint only as a plain <script src> in <head> (not async, defer or
    a module); external, so the Content-Security-Policy needs no hash for it."""
    for url in ("", "branches/yangguang-shequ/", "search/"):
        html = sample_site.page(url)
        head = html[: html.index("</head>")]
        depth = url.count("/")
        assert f'<script src="{"../" * depth}assets/showcase/elder.js"></script>' in head, url
        assert html.count("data-sc-elder") == 1
    not_found = (sample_site.dir / "404.html").read_text("utf-8")
    assert '<script src="/assets/showcase/elder.js"></script>' in not_found.split("</head>")[0]
    assert (sample_site.dir / "assets" / "showcase" / "elder.js").read_bytes() == (
        ROOT / "scripts" / "showcase" / "site" / "assets" / "elder.js"
    ).read_bytes()


def test_without_javascript_the_toggle_is_not_shown(served_site: str, browser: Any) -> None:
    context = browser.new_context(viewport=NARROW, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served_site, wait_until="load")
        assert not page.is_visible("[data-sc-elder]")
    finally:
        context.close()
