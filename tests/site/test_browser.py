"""Real Chromium (Debian's /usr/bin/chromium via Playwright) against the built sample site.

Screenshots land in tests/artifacts/ for people to look at; the assertions here are what a
reader on a phone would notice: broken images, sideways scrolling, requests to other hosts,
script errors, missing headings.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageStat

from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "tests" / "artifacts"
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
BRANCH = "yangguang-shequ"
PAGES = {
    "home": ("", "党建品牌展示站"),
    "brands": ("brands/", "品牌墙"),
    "branch": (f"branches/{BRANCH}/", "五心阳光"),
    "region": ("regions/呼和浩特市/", "呼和浩特市"),
    "search": ("search/?q=网格化", "搜索"),
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_in_chromium(browser, served_site: str, name: str, viewport: str) -> None:  # type: ignore[no-untyped-def]
    path, heading = PAGES[name]
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        response = page.goto(served_site + path, wait_until="networkidle")
        assert response is not None and response.status == 200

        h1 = page.locator("article h1").first
        assert h1.is_visible()
        assert heading in h1.inner_text()

        # Load every lazy image, then check none is broken.
        page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        page.wait_for_function(
            "[...document.querySelectorAll('article img')].every(i => i.complete)", timeout=15000
        )
        broken = page.evaluate(
            "[...document.querySelectorAll('article img')]"
            ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == []
        if name == "branch":
            assert page.locator("article figure.sc-photo img").count() >= 2
            assert page.locator(".sc-figure__number").first.inner_text().strip() != ""

        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"

        own_host = urlsplit(served_site).netloc
        foreign = [
            u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != own_host
        ]
        assert foreign == []
        assert errors == []

        page.evaluate("window.scrollTo(0, 0)")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{name}-{width}x{height}.png"
        page.screenshot(path=str(shot), full_page=True)
        with Image.open(shot) as img:
            assert img.width == width
            # A blank or unstyled page has almost no variation; a real page has plenty.
            assert max(ImageStat.Stat(img.convert("L")).stddev) > 20
    finally:
        context.close()


def test_header_tab_leads_to_the_brand_wall(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(served_site, wait_until="networkidle")
        page.locator(".md-tabs a", has_text="品牌").first.click()
        page.wait_for_url("**/brands/")
        assert page.locator(".sc-card").count() >= 24
        page.locator(".sc-card__link").first.click()
        page.wait_for_url("**/branches/*/")
        assert page.locator(".sc-hero__brand").is_visible()
    finally:
        context.close()
