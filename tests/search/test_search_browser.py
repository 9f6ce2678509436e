"""Search in real Chromium: hit sets against the ground truth read from the built pages
(tests/search_truth.py, independent of showcase.search), grouped by kind (党组织, 动态, 其他页面),
pinyin, ranking, filters, the header box, the empty state, and recall/precision over a
synthetic site."""

from __future__ import annotations

import random
from collections.abc import Iterator
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml
from pypinyin import Style, lazy_pinyin

from conftest import ROOT, BuiltSite, build_site
from search_truth import TruthDoc, hits, load_site_truth, make_queries, url_hits
from showcase.tools.synth import synthesize

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Typed as readers would; what each must find comes from the built pages, never from here.
SAMPLE_QUERIES = [
    "党员包户",
    "网格化",
    "书香政协",
    "第一书记",
    "一老一小",  # a theme tag on some pages, words in the text of others
    "乡村振兴",
    "志愿服务",
    "枫桥经验",
    "社区 党员",  # two words: both must occur
    "书",
    "五心阳光",
    "１４００",  # full-width digits fold to 1400
    "主要 举措",
    "回民区",  # a region name (the breadcrumb and the tags)
    "门头沟区 社区",
    "机关",  # a category name
    "先进基层党组织",  # an honour
    "15家",  # a number with its unit, as the data card shows it
    "北京日报",  # a source
    "示意图",  # a photo credit
    "印刷版",  # the editions page
    "量子纠缠",  # nowhere
    # pinyin: full spelling with and without spaces, tone marks, initials, mixed
    "dangyuanbaohu",
    "dangyuan baohu",
    "dǎngyuán bāohù",
    "dybh",
    "党员 bh",
    "shuxiang",
    "sxzx",
    "wulan",
]


def open_search(page, base: str, query: str, **filters: str) -> int:  # type: ignore[no-untyped-def]
    params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **filters}.items())
    page.goto(f"{base}search/?{params}")
    page.wait_for_selector("#search-status[data-total]", timeout=15000)
    return int(page.get_attribute("#search-status", "data-total"))


def all_results(page, kind: int = 0) -> list[str]:  # type: ignore[no-untyped-def]
    """Click the group's 显示更多 until every result is listed; the result URLs (site-root
    relative, decoded), in order."""
    group = f"#search-results section[data-kind='{kind}']"
    more = f"{group} .sc-search__more"
    while page.is_visible(more):
        before = page.locator(f"{group} li").count()
        page.click(more)
        page.wait_for_function(f'document.querySelectorAll("{group} li").length > {before}')
    hrefs = page.eval_on_selector_all(f"{group} a.sc-search__title", "els => els.map(e => e.href)")
    return [
        unquote(urlsplit(h).path).lstrip("/") + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "")
        for h in hrefs
    ]


def all_result_slugs(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [url.rstrip("/").split("/")[-1] for url in all_results(page, 0)]


@pytest.fixture(scope="module")
def truth(sample_site: BuiltSite) -> list[TruthDoc]:
    return load_site_truth(ROOT, sample_site.dir)


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
    expected = url_hits(truth, query)
    total = open_search(page, served_site, query)
    branches = {d.url for d in truth if d.kind == "branch" and d.url in expected}
    assert total == len(branches) == len(hits(truth, query))
    found = [u for k in (0, 1, 2) for u in all_results(page, k)]
    assert len(found) == len(set(found))
    assert set(found) == expected
    status = page.locator("#search-status")
    counts = [int(status.get_attribute(a) or -1) for a in ("data-total", "data-updates", "data-pages")]
    assert counts == [
        sum(1 for d in truth if d.url in expected and d.kind == k) for k in ("branch", "update", "page")
    ]


def test_ground_truth_is_not_trivial(truth) -> None:  # type: ignore[no-untyped-def]
    sizes = [len(hits(truth, q)) for q in SAMPLE_QUERIES]
    assert 0 in sizes and 1 in sizes and max(sizes) >= 10  # none, one, many
    kinds = {d.kind for q in SAMPLE_QUERIES for d in truth if d.url in url_hits(truth, q)}
    assert kinds == {"branch", "update", "page"}
    # what the old field list missed: the tag 一老一小 on pages whose text never says it
    tagged = {d.slug for d in truth if d.kind == "branch" and "#一老一小" in d.fields}
    assert tagged and tagged <= hits(truth, "一老一小")
    for q in ("dybh", "dangyuan baohu", "dǎngyuán bāohù", "sxzx"):  # pinyin finds what it spells
        assert hits(truth, q), q


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
    # a pinyin hit has no literal match: the first sentence of the page stands in
    open_search(page, served_site, "dybh")
    assert page.locator("#search-results .sc-search__snippet").first.inner_text()
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
    # updates follow their branch's region; pages have none, so a filter hides them
    updates = {
        d.url
        for d in truth
        if d.kind == "update"
        and d.url in url_hits(truth, "社区")
        and (_profile(d.slug)["region"] + "/").startswith(region + "/")
    }
    assert set(all_results(page, 1)) == updates and all_results(page, 2) == []
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
    assert "没有找到包含“量子纠缠”的党组织或页面" in page.inner_text("#search-status")
    assert page.is_visible("#search-help") and page.locator("#search-results li").count() == 0
    assert not page.is_visible("#search-results section")
    page.goto(f"{served_site}search/")
    assert page.is_visible("#search-help")
    examples = page.eval_on_selector_all("#search-help a[href^='?q=']", "els => els.length")
    assert examples >= 3


def test_results_are_grouped_by_kind(page, served_site: str, truth) -> None:  # type: ignore[no-untyped-def]
    # an update's title: found as 动态 (linked to its place on the branch page) and in its branch
    update = next(d for d in truth if d.kind == "update")
    title = update.fields[1]  # date, then title
    open_search(page, served_site, title)
    headings = page.eval_on_selector_all(
        "#search-results section:not([hidden]) .sc-search__heading",
        "els => els.map(e => e.textContent.trim())",
    )
    assert [h.split()[0] for h in headings][:2] == ["党组织", "动态"]
    assert update.url in all_results(page, 1)
    assert f"branches/{update.slug}/" in all_results(page, 0)
    status = page.inner_text("#search-status")
    assert "个党组织" in status and "条动态" in status
    page.click(f"#search-results section[data-kind='1'] a[href$='#{update.url.split('#')[1]}']")
    page.wait_for_url(f"**/branches/{update.slug}/#*")
    assert page.locator(f"[id='{update.url.split('#')[1]}']").is_visible()
    # a word only the hand-written about page has
    about = next(d for d in truth if d.url == "about/")
    word = next(
        line
        for line in about.fields
        if len(line) >= 8 and not url_hits([d for d in truth if d is not about], line[:8])
    )
    open_search(page, served_site, word[:8])
    assert all_results(page, 2) == ["about/"] and all_results(page, 0) == []


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
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[TruthDoc], str]]:
    from showcase.tools.preview import serve_in_background

    root = tmp_path_factory.mktemp("synth-search") / "proj"
    synthesize(root, 150, photos=0, seed=11, progress=False)
    site = build_site(root / "mkdocs.yml", root / "site")
    docs = load_site_truth(root, site.dir)
    server, base = serve_in_background(site.dir)
    yield docs, base
    server.shutdown()
    server.server_close()


def reader_queries(docs: list[TruthDoc], seed: int) -> list[str]:
    """What readers type besides substrings: theme, region and category names, honour titles,
    numbers with units, all as the pages show them, and names in pinyin (full and initials)."""
    rng = random.Random(seed)
    branches = [d for d in docs if d.kind == "branch"]
    lines = sorted({line for d in branches for line in d.fields})
    themes = [line[1:] for line in lines if line.startswith("#")]
    crumbs = sorted({part.strip() for line in lines if "›" in line for part in line.split("›")[2:]})
    numbers = [line for line in lines if line[:1].isdigit() and len(line) <= 8 and not line.isdigit()]
    honours = [line for line in lines if line.endswith(("先进基层党组织", "党支部", "示范点", "品牌"))]
    out = [rng.choice(themes), rng.choice(themes), rng.choice(crumbs), rng.choice(crumbs), "社区", "机关"]
    out += rng.sample(numbers, 2) + honours[:2]
    for d in rng.sample(branches, 4):
        brand = d.names[-1]
        out.append("".join(lazy_pinyin(brand[:4], style=Style.NORMAL)))
        out.append("".join(s[0] for s in lazy_pinyin(d.names[0][:5], style=Style.NORMAL)))
    return out


def test_recall_and_precision_on_a_synthetic_site(browser, synthetic) -> None:  # type: ignore[no-untyped-def]
    docs, base = synthetic
    branches = [d for d in docs if d.kind == "branch"]
    slugs = sorted(d.slug for d in branches)
    queries = [q.text for q in make_queries(branches, 40, seed=3)] + reader_queries(docs, seed=5)
    assert len(queries) >= 50
    pg = browser.new_context().new_page()
    pg.goto(f"{base}search/")
    pg.wait_for_function("window.showcaseSearch !== undefined")
    order = (
        slugs
        + sorted(d.url for d in docs if d.kind == "update")
        + sorted(d.url for d in docs if d.kind == "page")
    )
    true_pos = false_pos = false_neg = 0
    sizes = []
    for q in queries:
        ids = pg.evaluate("q => window.showcaseSearch.query(q)", q)
        got = {slugs[i] for i in ids}
        want = hits(docs, q)
        sizes.append(len(want))
        true_pos += len(got & want)
        false_pos += len(got - want)
        false_neg += len(want - got)
        assert got == want, q
        every = pg.evaluate("q => window.showcaseSearch.queryAll(q)", q)
        assert {order[i] if k else f"branches/{order[i]}/" for k, i in every} == url_hits(docs, q), q
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert (precision, recall) == (1.0, 1.0)
    assert min(sizes) == 0 and max(sizes) > 50  # the queries span none to many hits
    pg.context.close()
