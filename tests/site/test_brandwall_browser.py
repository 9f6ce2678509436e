"""The brand wall (/brands/) in real Chromium: grouped by region with counts, filtered by category
and theme and sorted by name (pinyin) or date in place, without reloading; the choice kept in the
address so a shared or reloaded link shows the same; usable from the keyboard; complete without
JavaScript. The expected results come from the served HTML, read with an HTML parser.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import BuiltSite
from page_types import Watch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def desktop(served_site: str, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def goto(page: Any, base: str, url: str) -> None:
    response = page.goto(base + quote(url, safe="/?=&"), wait_until="load")
    assert response is not None and response.status == 200, url


VISIBLE_JS = """() => [...document.querySelectorAll('[data-sc-wall] li[data-name]')]
  .filter(li => li.checkVisibility())
  .map(li => ({name: li.dataset.name, category: li.dataset.category, themes: JSON.parse(li.dataset.themes),
               updated: li.dataset.updated, group: li.closest('section.sc-wall__group').querySelector('h3').id}))"""
PINYIN_JS = """names => names.slice().sort(new Intl.Collator('zh-CN', {ignorePunctuation: true}).compare)"""


def group_of(card: Any) -> str:
    """The id of the heading a card is listed under."""
    node = card.parent
    while node is not None and "sc-wall__group" not in (node.attributes.get("class") or ""):
        node = node.parent
    heading = node.css_first("h3") if node is not None else None
    return str(heading.attributes["id"]) if heading is not None else ""


def wall_cards(sample_site: BuiltSite) -> list[dict[str, Any]]:
    """The wall's cards as the HTML holds them (what the page shows without JavaScript)."""
    tree = LexborHTMLParser(sample_site.page("brands"))
    return [
        {
            "name": li.attributes["data-name"],
            "category": li.attributes["data-category"],
            "updated": li.attributes["data-updated"],
            "themes": json.loads(li.attributes["data-themes"] or "[]"),
            "group": group_of(li),
            "slug": (li.css_first("a.sc-card__link").attributes["href"] or "").rstrip("/").rsplit("/", 1)[-1],
        }
        for li in tree.css("li.sc-card")
    ]


def status(page: Any) -> str:
    return " ".join((page.text_content(".sc-wall__status") or "").split())


def in_groups(cards: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for card in cards:
        groups.setdefault(card["group"], []).append(card)
    return groups


def test_wall_is_grouped_by_region_with_counts(sample_site: BuiltSite) -> None:
    tree = LexborHTMLParser(sample_site.page("brands"))
    sections = tree.css("section.sc-wall__section")
    assert [s.css_first("h2").text().split()[0] for s in sections] == ["呼和浩特市", "北京市"]
    total = 0
    assert len(tree.css("section.sc-wall__group")) >= 6
    for section in sections:
        for group in section.css("section.sc-wall__group"):
            assert int(group.css_first("h3 [data-sc-wall-n]").text()) == len(group.css("li.sc-card"))
        count = int(section.css_first("h2 [data-sc-wall-n]").text())
        assert count == len(section.css("li.sc-card"))
        total += count
    slugs = sorted(c["slug"] for c in wall_cards(sample_site))
    assert total == len(slugs) == len(set(slugs))
    assert tree.css_first("[data-sc-wall-total]").text() == str(total)


def test_wall_filters_and_sorts_in_place_and_keeps_the_choice_in_the_address(
    desktop: Any, served_site: str, sample_site: BuiltSite
) -> None:
    page = desktop
    watch = Watch(page, served_site)
    cards = wall_cards(sample_site)
    goto(page, served_site, "brands/")
    page.evaluate("window.__samePage = true")
    assert status(page) == f"{len(cards)} 个党组织"
    assert not page.is_visible(".sc-wall__reset")

    # A category: only its cards, the count follows, empty groups go, the address says it.
    page.get_by_label("类别", exact=True).select_option("社区")
    shown = page.evaluate(VISIBLE_JS)
    want = [c for c in cards if c["category"] == "社区"]
    assert 0 < len(shown) == len(want) < len(cards)
    assert {c["category"] for c in shown} == {"社区"}
    assert status(page) == f"{len(want)} 个党组织"
    hidden_groups = {c["group"] for c in cards} - {c["group"] for c in want}
    assert hidden_groups and all(not page.is_visible(f"[id='{g}']") for g in hidden_groups)
    assert parse_qs(urlsplit(page.url).query) == {"category": ["社区"]}
    for group, members in in_groups(shown).items():  # each heading counts what it shows
        assert page.text_content(f"[id='{group}'] [data-sc-wall-n]") == str(len(members))

    # And a theme on top of it.
    theme = shown[0]["themes"][0]
    page.get_by_label("主题", exact=True).select_option(theme)
    both = page.evaluate(VISIBLE_JS)
    assert both and all(c["category"] == "社区" and theme in c["themes"] for c in both)
    assert status(page) == f"{len(both)} 个党组织"

    # A combination nothing matches says so, with a way back.
    category, theme = next(
        (c["category"], t)
        for c in cards
        for t in {t for card in cards for t in card["themes"]}
        if not any(d["category"] == c["category"] and t in d["themes"] for d in cards)
    )
    page.get_by_label("类别", exact=True).select_option(category)
    page.get_by_label("主题", exact=True).select_option(theme)
    assert page.evaluate(VISIBLE_JS) == [] and status(page) == "0 个党组织"
    assert page.is_visible("[data-sc-wall-empty]")
    page.click("[data-sc-wall-empty] a")
    assert len(page.evaluate(VISIBLE_JS)) == len(cards) and not page.is_visible("[data-sc-wall-empty]")

    # Sorting: by date, newest first within each group; by name, pinyin order within each group.
    page.get_by_label("类别", exact=True).select_option("")
    page.get_by_label("主题", exact=True).select_option("")
    page.get_by_label("排序", exact=True).select_option("updated")
    for group in in_groups(page.evaluate(VISIBLE_JS)).values():
        dates = [c["updated"] for c in group]
        assert dates == sorted(dates, reverse=True)
    page.get_by_label("排序", exact=True).select_option("name")
    by_name = in_groups(page.evaluate(VISIBLE_JS))
    for group in by_name.values():
        names = [c["name"] for c in group]
        assert names == page.evaluate(PINYIN_JS, names)
    # The script really moved cards: the page's own order (by region and folder name) differs.
    served = in_groups(cards)
    assert any([c["name"] for c in by_name[g]] != [c["name"] for c in served[g]] for g in served)

    # The address holds the state; a reload (or a shared link) restores it.
    page.get_by_label("类别", exact=True).select_option("社区")
    page.get_by_label("排序", exact=True).select_option("updated")
    assert parse_qs(urlsplit(page.url).query) == {"category": ["社区"], "sort": ["updated"]}
    assert page.evaluate("window.__samePage") is True  # all of it without reloading
    before = page.evaluate(VISIBLE_JS)
    page.reload(wait_until="load")
    assert page.evaluate("window.__samePage") is None
    assert page.get_by_label("类别", exact=True).input_value() == "社区"
    assert page.get_by_label("排序", exact=True).input_value() == "updated"
    assert page.evaluate(VISIBLE_JS) == before

    # “清除筛选” shows every card again, and clears the address, still without reloading.
    page.evaluate("window.__samePage = true")
    page.click(".sc-wall__reset")
    assert len(page.evaluate(VISIBLE_JS)) == len(cards)
    assert urlsplit(page.url).query == ""
    assert page.evaluate("window.__samePage") is True and status(page) == f"{len(cards)} 个党组织"
    assert watch.foreign() == [] and watch.errors == []


def test_wall_controls_work_from_the_keyboard(desktop: Any, served_site: str, sample_site: BuiltSite) -> None:
    goto(desktop, served_site, "brands/")
    select = desktop.get_by_label("类别", exact=True)
    assert select.evaluate("s => s.tagName") == "SELECT"
    select.focus()
    desktop.keyboard.press("ArrowDown")  # the first category, chosen without a pointer
    chosen = select.input_value()
    assert chosen
    assert {c["category"] for c in desktop.evaluate(VISIBLE_JS)} == {chosen}
    assert parse_qs(urlsplit(desktop.url).query) == {"category": [chosen]}
    # A stale or forged address names no choice on offer: ignored, the whole wall is shown.
    goto(desktop, served_site, "brands/?category=没有这个类别&theme=<b>&sort=x")
    assert len(desktop.evaluate(VISIBLE_JS)) == len(wall_cards(sample_site))


def test_wall_without_javascript_shows_every_card(
    served_site: str, browser: Any, sample_site: BuiltSite
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        goto(page, served_site, "brands/?category=社区")  # a shared link, read without scripts
        visible = page.eval_on_selector_all(
            "li.sc-card", "els => els.filter(e => e.checkVisibility()).length"
        )
        assert visible == len(wall_cards(sample_site))
        assert not page.is_visible(".sc-wall__controls")
        assert page.locator("section.sc-wall__group h3").count() >= 4
        assert all(page.is_visible(f"[id='{g}']") for g in in_groups(wall_cards(sample_site)))
    finally:
        context.close()
