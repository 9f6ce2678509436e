"""A province's brand wall splits: above WALL_LIMIT cards, /brands/ lists the region groups with
their counts and each group has its own wall page (site/brandwall.py), so no page carries tens
of thousands of cards. Built for real from the sample project with the limit lowered."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, build_site
from showcase.site import brandwall


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(brandwall, "WALL_LIMIT", 10)  # the sample has 24 branches
        return build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("split-wall"))


def _html(site: BuiltSite, url: str) -> LexborHTMLParser:
    return LexborHTMLParser((site.dir / unquote(url) / "index.html").read_text("utf-8"))


def test_brands_page_lists_groups_and_every_branch_is_on_one_group_page(split_site: BuiltSite) -> None:
    index = _html(split_site, "brands/")
    assert index.css("li[data-name]") == []  # no cards on the index itself
    links = index.css("ul.sc-wall__index a")
    assert len(links) >= 3
    branches = sorted(p.name for p in (ROOT / "branches").iterdir() if (p / "profile.yml").is_file())
    seen: list[str] = []
    for a in links:
        href = str(a.attributes["href"])
        url = "brands/" + href.removesuffix("index.html")
        page = _html(split_site, url)
        count = int(a.parent.css_first("[data-sc-wall-n]").text()) if a.parent else -1
        cards = page.css("[data-sc-wall] li[data-name]")
        assert len(cards) == count, url
        # the group page has the filters and the script, and a way back to the index
        assert page.css_first("[data-sc-wall-controls]") is not None
        assert any("brandwall" in str(s.attributes.get("src")) for s in page.css("script[src]")), url
        assert page.css_first("p.sc-wall__back a") is not None
        seen += [str(li.css_first("a").attributes["href"]).split("/")[-2] for li in cards]
    assert sorted(seen) == branches


def test_group_pages_are_in_the_sitemap(split_site: BuiltSite) -> None:
    sitemap = (split_site.dir / "sitemap.xml").read_text("utf-8")
    group_pages = [
        p for p in (split_site.dir / "brands").rglob("index.html") if p.parent != split_site.dir / "brands"
    ]
    assert group_pages
    for page in group_pages:
        assert str(page.parent.relative_to(split_site.dir)) + "/" in unquote(sitemap), page


def test_a_small_site_keeps_one_wall() -> None:
    from showcase.content.catalog import Catalog
    from showcase.content.load import load_project

    catalog = Catalog(load_project(ROOT))
    pages = list(brandwall.walls(catalog))
    assert [(url, wall.split, wall.total) for url, _, wall in pages] == [
        ("brands/", False, len(catalog.branches))
    ]
    split = list(brandwall.walls(catalog, limit=5))
    assert split[0][2].split and sum(w.total for _, _, w in split[1:]) == len(catalog.branches)
