"""Every page type of the sample site in real Chromium, as a reader on a cheap phone meets it:
no request to another host, no script error, no sideways scrolling at 360 px, alt text on every
image, tap targets of at least 44 px, the header search box working, the lightbox opening and
swiping; screenshots at 390×844 and 1280×800 in tests/artifacts/page-types/ (git-ignored).

The checks themselves (tests/page_types.py) are shown to catch broken pages at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageStat

from conftest import BuiltSite
from page_types import (
    ARTIFACTS,
    NARROW,
    NOT_FOUND,
    PAGE_TYPES,
    Watch,
    images_without_text,
    open_page,
    settle,
    sideways,
    small_targets,
    swipe,
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def narrow(served_site: str, browser: Any) -> Iterator[tuple[Any, Watch]]:
    """One touch phone page reused by every page type (a fresh page per type costs more than the checks).

    `served_site` comes before `browser` in these suites' fixtures: the sample build forks worker
    processes, which should not inherit the pipes of an already running browser driver."""
    context = browser.new_context(viewport=NARROW, has_touch=True)
    page = context.new_page()
    yield page, Watch(page, served_site)
    context.close()


@pytest.fixture(scope="module")
def desktop(served_site: str, browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport=SHOTS["desktop"])
    page = context.new_page()
    yield page, Watch(page, served_site)
    context.close()


def _load_all_images(page: Any) -> None:
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    wait_for(page, "() => [...document.images].every(i => i.complete)")


def _screenshot(page: Any, name: str) -> None:
    """A full-page screenshot for people to look at, at the page's current viewport."""
    size = page.viewport_size
    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(shot), full_page=True)
    with Image.open(shot) as img:
        assert img.width == size["width"] and img.height >= size["height"]
        # A blank or unstyled page has almost no variation; a real page has plenty.
        assert max(ImageStat.Stat(img.convert("L")).stddev) > 20


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_on_a_phone(
    narrow: tuple[Any, Watch], served_site: str, sample_site: BuiltSite, name: str
) -> None:
    """At 360 px, the narrowest phones still sold: the checks; then the 390×844 screenshot."""
    page, watch = narrow
    page.set_viewport_size(NARROW)
    watch.reset()
    response = open_page(page, served_site, name, wait="networkidle")
    _load_all_images(page)
    broken = page.evaluate("[...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)")
    assert broken == []
    assert sideways(page) == []
    assert images_without_text(page) == []
    assert small_targets(page) == []
    assert watch.foreign() == []
    assert watch.script_errors(response.url if name == NOT_FOUND else None) == []
    page.set_viewport_size(SHOTS["phone"])
    _screenshot(page, name)


def _search_results(page: Any, query: str) -> list[str]:
    wait_for(page, f"() => new URLSearchParams(location.search).get('q') === '{query}'")
    page.wait_for_selector("#search-status[data-total]", timeout=15000)
    assert urlsplit(page.url).path == "/search/"
    assert int(page.get_attribute("#search-status", "data-total") or 0) > 0
    hits: list[str] = page.eval_on_selector_all("#search-results a[href]", "els => els.map(e => e.href)")
    # branch pages first, then updates (on their branch page) and other pages of this site
    assert hits and urlsplit(hits[0]).path.startswith("/branches/")
    assert all(urlsplit(h).netloc == urlsplit(page.url).netloc for h in hits)
    return hits


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_on_a_desktop_and_its_header_search(
    desktop: tuple[Any, Watch], served_site: str, sample_site: BuiltSite, name: str
) -> None:
    """The 1280×800 screenshot; then, from this page, the reader types into the header search
    box, submits, and the results appear."""
    page, watch = desktop
    watch.reset()
    response = open_page(page, served_site, name)
    _load_all_images(page)
    _screenshot(page, name)
    assert small_targets(page) == []
    assert page.locator(".sc-header-search").count() == 1, "页眉没有搜索框"
    page.fill(".sc-header-search input[name=q]", "书香")
    page.press(".sc-header-search input[name=q]", "Enter")
    _search_results(page, "书香")
    assert watch.foreign() == []
    assert watch.script_errors(response.url if name == NOT_FOUND else None) == []


def test_header_search_button_on_a_phone(narrow: tuple[Any, Watch], served_site: str) -> None:
    """On a phone the box is a 44-px button that opens the search page, where the reader types."""
    page, watch = narrow
    page.set_viewport_size(NARROW)
    watch.reset()
    open_page(page, served_site, "branch")
    assert not page.is_visible(".sc-header-search input")
    page.click(".sc-header-search button")
    page.wait_for_url("**/search/**")
    page.fill("#search-input", "书香")
    page.press("#search-input", "Enter")
    _search_results(page, "书香")
    assert watch.foreign() == [] and watch.script_errors() == []


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_lightbox_opens_and_swipes_on_the_sample_branch(served_site: str, browser: Any, elder: bool) -> None:
    """tests/media/test_gallery_browser.py covers the lightbox in depth on a scratch site; this is the
    same gesture on the real sample branch page, with its real photos, also in 长辈模式 (whose
    scaled column the photos sit in)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    if elder:
        context.add_init_script("localStorage.setItem('showcase.elder', '1')")
    page = context.new_page()
    watch = Watch(page, served_site)
    try:
        open_page(page, served_site, "branch")
        links = page.locator("a.sc-photo__link")
        total = links.count()
        assert total >= 2
        links.first.scroll_into_view_if_needed()
        links.first.tap()
        page.wait_for_selector(".pswp--open", timeout=10000)
        settle(page)
        wait_for(page, f"() => document.querySelector('.pswp__counter').textContent.trim() === '1 / {total}'")
        swipe(page, (340, 420), (40, 420))
        wait_for(page, f"() => document.querySelector('.pswp__counter').textContent.trim() === '2 / {total}'")
        settle(page)
        page.locator(".pswp__button--close").tap()
        page.wait_for_selector(".pswp", state="detached", timeout=10000)
        assert watch.foreign() == []
        assert watch.script_errors() == []
    finally:
        context.close()


# --- the checks catch what they are meant to catch --------------------------------------------


def test_checks_catch_broken_pages(narrow: tuple[Any, Watch], served_site: str) -> None:
    """Deliberately broken markup on a real page of the site (with the theme's CSS, which hides
    overflow on <html>): each check reports exactly the broken element, and passes the fine ones."""
    page, _ = narrow
    page.set_viewport_size(NARROW)
    open_page(page, served_site, "brands")
    assert sideways(page) == [] and small_targets(page) == [] and images_without_text(page) == []
    page.evaluate(
        """() => {
      const article = document.querySelector('article');
      article.insertAdjacentHTML('beforeend', `
        <p id="t-alone"><a href="#x">孤立的小链接</a></p>
        <p id="t-inline">在一句话里，<a href="#y">行内链接</a>可以和文字一样高。</p>
        <nav id="t-crumbs"><a href="#a">首页</a> › <a href="#b">区域</a></nav>
        <p><button id="t-button" style="height:30px">按钮</button></p>
        <a href="#ok" style="display:inline-block;min-width:44px;min-height:44px">够大</a>
        <img id="t-noalt" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <img id="t-emptyalt" alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <a href="#p"><img alt="" aria-hidden="true" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">有文字的链接</a>
        <a href="#q"><img alt="" role="presentation" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></a>
      `);
    }"""
    )
    small = small_targets(page)
    assert len(small) == 4, small
    assert any("孤立的小链接" in s for s in small)
    assert sum("“首页”" in s or "“区域”" in s for s in small) == 2  # a breadcrumb trail is not a sentence
    assert any(s.startswith("button") for s in small)
    assert not any("行内链接" in s or "够大" in s for s in small)
    bad_images = images_without_text(page)
    assert len(bad_images) == 3, bad_images
    assert sum("no alt" in b for b in bad_images) == 1
    assert sum("not aria-hidden" in b for b in bad_images) == 1
    assert sum("outside a link with text" in b for b in bad_images) == 1
    assert sideways(page) == []
    page.evaluate(
        "document.querySelector('article').insertAdjacentHTML('beforeend', '<div id=\"t-wide\" style=\"width:600px;height:10px\"></div>')"
    )
    assert any("div" in s for s in sideways(page)), sideways(page)
    page.evaluate("document.querySelector('#t-wide').style.cssText = 'display:flex;white-space:nowrap'")
    page.evaluate("document.querySelector('#t-wide').textContent = '一行很长很长的不会换行的文字'.repeat(8)")
    assert sideways(page) != []
    # Content in a box that scrolls sideways by design (a wide table, the photo strip) is fine.
    page.evaluate(
        "document.querySelector('#t-wide').outerHTML = '<div style=\"overflow-x:auto\"><div style=\"width:900px;height:10px\"></div></div>'"
    )
    assert sideways(page) == []
