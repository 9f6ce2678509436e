"""axe-core (Deque's accessibility engine, bundled by the axe-playwright-python package, so it
runs offline) on every page type, in the light and the dark palette, each also in 长辈模式: no
serious or critical violation of any rule axe runs by default (WCAG 2.x A/AA, best practices).

The dark palette is chosen the way mkdocs-material remembers a reader's choice: a JSON record
in localStorage under "<site root path>.__palette", read by the theme's inline script before
the body is painted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import BuiltSite
from page_types import PAGE_TYPES, Watch, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")
# What material stores when the reader picks the second palette of mkdocs.yml (slate).
DARK = {
    "index": 1,
    "color": {
        "media": "(prefers-color-scheme: dark)",
        "scheme": "slate",
        "primary": "custom",
        "accent": "custom",
    },
}
# name: (material's colour scheme, 长辈模式 on)
PALETTES = {
    "light": ("default", False),
    "dark": ("slate", False),
    "elder-light": ("default", True),
    "elder-dark": ("slate", True),
}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(scope="module")
def palette_pages(served_site: str, browser: Any) -> Iterator[dict[str, tuple[Any, Watch]]]:
    pages = {}
    contexts = []
    for name, (scheme, elder) in PALETTES.items():
        context = browser.new_context(viewport=PHONE, color_scheme="dark" if scheme == "slate" else "light")
        if scheme == "slate":
            # The site lives at the server root, so material's scope is "/".
            context.add_init_script(f"localStorage.setItem('/.__palette', {json.dumps(json.dumps(DARK))})")
        if elder:
            context.add_init_script("localStorage.setItem('showcase.elder', '1')")
        page = context.new_page()
        pages[name] = (page, Watch(page, served_site))
        contexts.append(context)
    yield pages
    for context in contexts:
        context.close()


def serious(results: dict[str, Any]) -> list[str]:
    """One line per serious or critical violation: rule, impact, and the elements it names."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            " ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
            for n in v["nodes"][:6]
        )
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_serious_accessibility_violations(
    palette_pages: dict[str, tuple[Any, Watch]],
    served_site: str,
    sample_site: BuiltSite,
    axe: Axe,
    name: str,
    palette: str,
) -> None:
    page, _ = palette_pages[palette]
    open_page(page, served_site, name)
    scheme, elder = PALETTES[palette]
    assert page.get_attribute("body", "data-md-color-scheme") == scheme
    assert page.evaluate("document.documentElement.classList.contains('sc-elder')") == elder
    results = axe.run(page).response
    assert serious(results) == []


def test_axe_reports_what_it_should(
    palette_pages: dict[str, tuple[Any, Watch]], served_site: str, axe: Axe
) -> None:
    """The check is live: the same run on a page with an unlabelled image, faint text and a nameless
    button reports exactly those, as serious or critical."""
    page, _ = palette_pages["light"]
    open_page(page, served_site, "brands")
    page.evaluate(
        """() => document.querySelector('article').insertAdjacentHTML('afterbegin', `
          <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
          <p style="color:#ccc;background:#fff">看不清的浅灰色文字</p>
          <button type="button"></button>`)"""
    )
    found = {line.split(" ", 1)[0] for line in serious(axe.run(page).response)}
    assert found == {"image-alt", "color-contrast", "button-name"}
