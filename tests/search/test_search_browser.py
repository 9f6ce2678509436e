"""Search in real Chromium: hit sets against the ground truth computed from branches/ sources
(tests/search_truth.py, independent of showcase.search), ranking, filters, the header box,
the empty state, and recall/precision over a synthetic site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml

from conftest import ROOT, build_site
from search_truth import hits, load_truth, make_queries
from showcase.tools.synth import synthesize

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE_QUERIES = [
    "党员包户",
    "网格化",
    "书香政协",
    "第一书记",
    "一老一小",
    "枫桥经验",
    "社区 党员",  # two words: both must occur
    "书",
    "五心阳光",
    "１４００",  # full-width digits fold to 1400
    "主要 举措",
    "量子纠缠",  # nowhere
]


def open_search(page, base: str, query: str, **filters: str) -> int:  # type: ignore[no-untyped-def]
    params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **filters}.items())
    page.goto(f"{base}search/?{params}")
    page.wait_for_selector("#search-status[data-total]", timeout=15000)
    return int(page.get_attribute("#search-status", "data-total"))


def all_result_slugs(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Click 显示更多 until every result is listed; the slugs of the links, in order."""
    while page.is_visible("#search-more"):
        before = page.locator("#search-results > li").count()
        page.click("#search-more")
        page.wait_for_function(f"document.querySelectorAll('#search-results > li').length > {before}")
    hrefs = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")
    return [urlsplit(h).path.rstrip("/").split("/")[-1] for h in hrefs]


@pytest.fixture(scope="module")
def truth() -> list:  # type: ignore[type-arg]
    return load_truth(ROOT)


@pytest.fixture
def page(browser, served_site: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    host = urlsplit(served_site).netloc
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in (host, "") else None)
    yield pg
    context.close()
    assert errors == [] and foreign == []


@pytest.mark.parametrize("query", SAMPLE_QUERIES)
def test_sample_hits_equal_ground_truth(page, served_site: str, truth, query: str) -> None:  # type: ignore[no-untyped-def]
    expected = hits(truth, query)
    total = open_search(page, served_site, query)
    assert total == len(expected)
    slugs = all_result_slugs(page)
    assert sorted(slugs) == sorted(expected)
    assert len(slugs) == len(set(slugs))


def test_ground_truth_is_not_trivial(truth) -> None:  # type: ignore[no-untyped-def]
    sizes = [len(hits(truth, q)) for q in SAMPLE_QUERIES]
    assert 0 in sizes and 1 in sizes and max(sizes) >= 10  # none, one, many


def test_name_and_brand_matches_come_first(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    open_search(page, served_site, "党员包户")
    # 钢铁路街道's brand is 党员包户; the others only mention it in their write-ups
    assert all_result_slugs(page)[0] == "gangtielu-jiedao"
    open_search(page, served_site, "书香政协")
    assert all_result_slugs(page)[0] == "shuxiang-zhengxie"


def test_snippet_marks_the_words(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    open_search(page, served_site, "枫桥经验")
    marks = page.eval_on_selector_all("#search-results mark", "els => els.map(e => e.textContent)")
    assert marks and set(marks) == {"枫桥经验"}
    assert page.locator("#search-results .sc-search__brand").first.inner_text().startswith("党建品牌：")


def _profile(slug: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "branches" / slug / "profile.yml").read_text("utf-8"))  # type: ignore[no-any-return]


def test_filters_narrow_and_count(page, served_site: str, truth) -> None:  # type: ignore[no-untyped-def]
    region = "呼和浩特市/回民区"
    everywhere = hits(truth, "社区")
    in_region = {s for s in everywhere if (_profile(s)["region"] + "/").startswith(region + "/")}
    assert 0 < len(in_region) < len(everywhere)
    assert open_search(page, served_site, "社区", region=region) == len(in_region)
    assert sorted(all_result_slugs(page)) == sorted(in_region)
    option = page.locator("#search-region option[value='呼和浩特市/回民区']").inner_text()
    assert option.endswith(f"（{len(in_region)}）")
    # choosing a category in the page updates the list and the address
    page.select_option("#search-category", "社区")
    page.wait_for_function("location.search.includes('category=')")
    expected = {s for s in in_region if _profile(s)["category"] == "社区"}
    page.wait_for_function(f"document.querySelector('#search-status').dataset.total === '{len(expected)}'")
    assert sorted(all_result_slugs(page)) == sorted(expected)


def test_empty_states(page, served_site: str) -> None:  # type: ignore[no-untyped-def]
    assert open_search(page, served_site, "量子纠缠") == 0
    assert "没有找到包含“量子纠缠”的党组织" in page.inner_text("#search-status")
    assert page.is_visible("#search-help") and page.locator("#search-results li").count() == 0
    page.goto(f"{served_site}search/")
    assert page.is_visible("#search-help")
    examples = page.eval_on_selector_all("#search-help a[href^='?q=']", "els => els.length")
    assert examples >= 3


def test_header_box_on_every_page_leads_to_results(browser, served_site: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.goto(f"{served_site}branches/yangguang-shequ/")
    pg.fill(".sc-header-search input[name=q]", "网格化")
    pg.press(".sc-header-search input[name=q]", "Enter")
    pg.wait_for_selector("#search-status[data-total]")
    assert urlsplit(pg.url).path == "/search/" and "q=" in pg.url
    assert pg.input_value("#search-input") == "网格化"
    assert int(pg.get_attribute("#search-status", "data-total")) > 0
    # typing refines the results and keeps the address shareable
    pg.fill("#search-input", "网格化 党员")
    pg.wait_for_function("new URLSearchParams(location.search).get('q') === '网格化 党员'")
    context.close()
    # on a phone the box shrinks to a button that opens the search page
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(served_site)
    assert not phone.is_visible(".sc-header-search input")
    box = phone.locator(".sc-header-search button").bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    phone.click(".sc-header-search button")
    phone.wait_for_url("**/search/**")
    assert phone.is_visible("#search-input")
    phone.context.close()


# --- a synthetic site: recall and precision over generated queries ------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    from showcase.tools.preview import serve_in_background

    root = tmp_path_factory.mktemp("synth-search") / "proj"
    synthesize(root, 150, photos=0, seed=11, progress=False)
    site = build_site(root / "mkdocs.yml", root / "site")
    server, base = serve_in_background(site.dir)
    yield root, base
    server.shutdown()
    server.server_close()


def test_recall_and_precision_on_a_synthetic_site(browser, synthetic) -> None:  # type: ignore[no-untyped-def]
    root, base = synthetic
    docs = load_truth(root)
    slugs = sorted(d.slug for d in docs)
    queries = make_queries(docs, 40, seed=3)
    assert len(queries) >= 30
    pg = browser.new_context().new_page()
    pg.goto(f"{base}search/")
    pg.wait_for_function("window.showcaseSearch !== undefined")
    true_pos = false_pos = false_neg = 0
    sizes = []
    for query in queries:
        q = query.text
        ids = pg.evaluate("q => window.showcaseSearch.query(q)", q)
        got = {slugs[i] for i in ids}
        want = hits(docs, q)
        sizes.append(len(want))
        true_pos += len(got & want)
        false_pos += len(got - want)
        false_neg += len(want - got)
        assert got == want, q
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert (precision, recall) == (1.0, 1.0)
    assert min(sizes) == 0 and max(sizes) > 50  # the queries span none to many hits
    pg.context.close()
