"""Updates (简讯) in real Chromium on a phone: the /updates/ list and a branch timeline load
their photos, do not scroll sideways, and a list entry's link lands on its update."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


def _branch_with_update_photos() -> str:
    for path in sorted(ROOT.glob("branches/*/updates/*.md")):
        if "\nphotos:" in path.read_text("utf-8").split("\n---\n")[0]:
            return path.parent.parent.name
    pytest.fail("no sample update has photos")


@pytest.mark.parametrize("path", ["updates/", f"branches/{_branch_with_update_photos()}/"])
def test_update_pages_on_a_phone(browser: Any, served_site: str, path: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    requested: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requested.append(r.url))
    try:
        response = page.goto(served_site + path, wait_until="networkidle")
        # The feed link must not make the theme fetch the sitemap on every page view.
        assert not [u for u in requested if u.endswith("sitemap.xml")], requested
        assert response is not None and response.status == 200
        page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
        page.wait_for_function(
            "[...document.querySelectorAll('article img')].every(i => i.complete)", timeout=15000
        )
        broken = page.evaluate(
            "[...document.querySelectorAll('article img')]"
            ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == []
        images = ".sc-update-entry img" if path == "updates/" else ".sc-update img"
        assert page.locator(images).count() >= 1
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        assert errors == []
    finally:
        context.close()


def test_entry_link_lands_on_the_update(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(served_site + "updates/", wait_until="networkidle")
        link = page.locator(".sc-update-entry__title a").first
        title = link.inner_text()
        anchor = (link.get_attribute("href") or "").split("#", 1)[1]
        link.click()
        page.wait_for_load_state("networkidle")
        target = page.locator(f"article#{anchor}")
        assert target.count() == 1
        assert target.locator("h3").inner_text() == title
        assert page.evaluate("location.hash") == f"#{anchor}"
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < PHONE["height"]  # scrolled into view
    finally:
        context.close()
