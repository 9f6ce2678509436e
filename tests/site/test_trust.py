"""Trust and sharing: 备案号 in the footer, canonical URLs, Open Graph, sitemap, the Chinese 404
page, and the hash-based Content-Security-Policy (security_headers.py) — computed from the
built pages, sent by `showcase preview`, and enforced in real Chromium."""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import pytest

from conftest import ROOT, BuiltSite, scratch_project, showcase_build
from showcase.site import beian, security_headers
from showcase.site.security_headers import (
    event_handlers,
    headers_for,
    inline_scripts,
    netlify_file,
    nginx_file,
    parse_headers_file,
    policy,
    script_hash,
)
from showcase.tools import preview
from showcase.tools.preview import serve_in_background
from stdlib_scripts import stdlib_scripts

SITE_URL = "https://dangjian.example.org/"
BRANCH = "yangguang-shequ"


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _directives(csp: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in csp.split(";"):
        name, *values = part.split()
        assert name not in out, f"{name} twice"
        out[name] = values
    return out


# --- security_headers: unit ---------------------------------------------------------------------


def test_inline_scripts_that_run_are_hashed_data_blocks_and_external_ones_not() -> None:
    page = (
        "<!doctype html><html><head>"
        "<script>var a = 1 < 2;</script>\n"
        '<script type="module">import "./x.js"</script>'
        '<script type="text/javascript">b()</script>'
        '<script id="__config" type="application/json">{"a": 1}</script>'
        '<script src="assets/x.js"></script>'
        '<script data-x="a>b" src="y.js"></script>'
        "<SCRIPT>upper()</SCRIPT >"
        "<script>if (a) {}\r\nb()</script>"
        "</head><body></body></html>"
    )
    scripts = inline_scripts(page)
    # As the browser's parser gives the text: CR LF already LF.
    assert scripts == ["var a = 1 < 2;", 'import "./x.js"', "b()", "upper()", "if (a) {}\nb()"]
    # Browsers hash the text after the parser turned CR LF into LF.
    assert script_hash("if (a) {}\r\nb()") == _sha("if (a) {}\nb()")
    assert script_hash("var a = 1 < 2;") == _sha("var a = 1 < 2;")
    assert script_hash("中文") == _sha("中文")


def test_script_text_ends_where_a_browser_ends_it() -> None:
    """The HTML tokenizer's rules, where simpler readings (a regex, Python 3.11's html.parser)
    get another text and so a hash the browser never computes."""
    page = (
        "<script>a()</script\n  data-x>"  # "</script" + white space ends it, attributes and all
        "<script>b()</script/>"  # … and so does "/"
        "<script/>c()</script>"  # no self-closing script in HTML: the text follows
        "<script>d('<!--<script>x</script>-->')</script>"  # escaped: the inner end does not count
        "<script>&amp; e()</script>"  # script text is raw: no character references
        '<script type="text/&#106;avascript">f()</script>'  # attribute values are decoded: it runs
        "<script>g()</ script>h()</script>"  # "</ script" is text
    )
    assert inline_scripts(page) == [
        "a()",
        "b()",
        "c()",
        "d('<!--<script>x</script>-->')",
        "&amp; e()",
        "f()",
        "g()</ script>h()",
    ]


def test_event_handlers_are_found_in_tags_only() -> None:
    page = (
        '<button type="button" onclick="go()">去</button>'
        "<svg/onload=alert(1)>"
        '<img alt="图 onclick= 说明" src="a.png">'  # in a value: text, not an attribute
        "<p>文字 onclick=x 不是属性</p>"
        "<script>if (a<b) el.onclick = f;</script>"
        "<!-- <a onmouseover=x> -->"
        "<a href='x' ONFOCUS = 'y'>"
    )
    assert event_handlers(page) == ["onclick", "onload", "onfocus"]


def test_policy_allows_own_files_and_listed_hashes_only() -> None:
    d = _directives(policy(["'sha256-AAA='", "'sha256-BBB='"]))
    assert d["default-src"] == ["'self'"]
    assert d["script-src"] == ["'self'", "'sha256-AAA='", "'sha256-BBB='"]
    assert "'unsafe-inline'" not in d["script-src"] and "'unsafe-eval'" not in d["script-src"]
    assert d["style-src"] == ["'self'", "'unsafe-inline'"]
    assert d["style-src-elem"] == ["'self'"]
    assert d["img-src"] == ["'self'", "data:"]
    assert d["object-src"] == ["'none'"]
    assert d["base-uri"] == ["'self'"]
    assert d["frame-ancestors"] == ["'self'"]
    assert d["form-action"] == ["'self'"]


def test_headers_file_reads_back_and_nginx_file_quotes_every_header() -> None:
    pairs = security_headers.headers(["'sha256-AAA='"])
    rules = parse_headers_file(netlify_file(pairs))
    assert headers_for("/", rules) == pairs
    assert headers_for("/branches/x/", rules) == pairs
    more = parse_headers_file("/*\n  A: 1\n# note\n/data/*\n  B: 2\n/feed.xml\n  C: 3\n")
    assert headers_for("/data/branches.json", more) == [("A", "1"), ("B", "2")]
    assert headers_for("/feed.xml", more) == [("A", "1"), ("C", "3")]
    assert headers_for("/feed.xml2", more) == [("A", "1")]
    lines = [line for line in nginx_file(pairs).splitlines() if not line.startswith("#")]
    assert lines == [f'add_header {n} "{v}" always;' for n, v in pairs]
    assert all('"' not in v and "$" not in v for _, v in pairs)


# --- 备案号 ---------------------------------------------------------------------------------------


def test_filing_numbers_parse_to_their_links() -> None:
    assert beian.icp("京ICP备12345678号-1") == beian.Record(
        "京ICP备12345678号-1", "https://beian.miit.gov.cn/"
    )
    assert beian.icp(" 蒙ICP备2021001234号 ").text == "蒙ICP备2021001234号"
    record = beian.police("京公网安备11010502030143号")
    assert record.url == "https://beian.mps.gov.cn/#/query/webSearch?code=11010502030143"
    with pytest.raises(
        ValueError,
        match="ICP 备案号“京ICP备XXXX号”格式不对：应写成备案系统里显示的样子，如 京ICP备12345678号",
    ):
        beian.icp("京ICP备XXXX号")
    with pytest.raises(ValueError, match="公安备案号“11010502030143”格式不对"):
        beian.police("11010502030143")
    with pytest.raises(ValueError):
        beian.icp('京ICP备12345678号"><script>')


def test_malformed_filing_number_in_mkdocs_yml_is_a_configuration_error_in_chinese(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    config = scratch_project(tmp_path)
    plugin = "plugins:\n  - showcase:\n      icp: 京ICP备123号\n      police_beian: 京公网安备110105号\n"
    config.write_text(config.read_text("utf-8").replace("plugins: [showcase]", plugin), "utf-8")
    caplog.set_level(logging.ERROR)
    with pytest.raises(Abort):
        load_config(str(config))
    assert "option 'icp': ICP 备案号“京ICP备123号”格式不对" in caplog.text
    config.write_text(config.read_text("utf-8").replace("京ICP备123号", "京ICP备12345678号"), "utf-8")
    caplog.clear()
    with pytest.raises(Abort):
        load_config(str(config))
    assert "option 'police_beian': 公安备案号“京公网安备110105号”格式不对" in caplog.text
    config.write_text(config.read_text("utf-8").replace("京公网安备110105号", "''"), "utf-8")
    options = load_config(str(config)).plugins["showcase"].config
    assert options.icp == beian.Record("京ICP备12345678号", beian.ICP_URL)
    assert options.police_beian is None  # left empty: no link


# --- the built sample site -----------------------------------------------------------------------


def test_every_page_footer_shows_both_filing_numbers(sample_site: BuiltSite) -> None:
    # The sample values in mkdocs.yml (its !!python/name tag keeps yaml.safe_load out).
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    icp = re.search(r"^      icp: (.+)$", text, re.M).group(1)  # type: ignore[union-attr]
    police = re.search(r"^      police_beian: (.+)$", text, re.M).group(1)  # type: ignore[union-attr]
    code = re.sub(r"\D", "", police)
    assert beian.police(police).url.endswith("code=" + code) and len(code) == 14
    icp_link = f'<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">{icp}</a>'
    police_link = f'<a href="https://beian.mps.gov.cn/#/query/webSearch?code={code}" rel="noopener noreferrer">{police}</a>'
    pages = sorted(p for p in sample_site.dir.rglob("*.html") if "admin" not in p.parts[-3:-1])
    assert len(pages) > 50
    for path in pages:
        text = path.read_text("utf-8")
        footer = text[text.index('<footer class="md-footer">') :]
        assert icp_link in footer and police_link in footer, path
    # Links, not images: nothing is loaded from the filing systems' hosts.
    assert "beian.mps.gov.cn/img" not in (sample_site.dir / "index.html").read_text("utf-8")


def _head_links(text: str) -> tuple[str | None, str | None]:
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', text)
    og_url = re.search(r'<meta property="og:url" content="([^"]+)">', text)
    return (canonical.group(1) if canonical else None, og_url.group(1) if og_url else None)


def test_canonical_and_open_graph_urls_are_absolute_and_agree(sample_site: BuiltSite) -> None:
    site = sample_site.dir
    branches = sorted(p.parent.name for p in (site / "branches").glob("*/index.html"))
    assert BRANCH in branches and len(branches) >= 20
    for url in ["", "brands/", "reports/", "search/", "updates/", "regions/呼和浩特市/"] + [
        f"branches/{slug}/" for slug in branches
    ]:
        text = sample_site.page(url)
        absolute = SITE_URL + quote(url)  # percent-encoded, as in the sitemap
        assert _head_links(text) == (absolute, absolute), url
    branch = sample_site.page(f"branches/{BRANCH}/")
    assert '<meta property="og:type" content="article">' in branch
    assert '<meta property="og:title" content="五心阳光' in branch
    image = re.search(r'<meta property="og:image" content="([^"]+)">', branch)
    assert image and image.group(1).startswith(SITE_URL + f"branches/{BRANCH}/")
    assert (site / image.group(1).removeprefix(SITE_URL)).is_file()
    # The 404 page is served at every unknown address: no canonical URL of its own.
    assert _head_links((site / "404.html").read_text("utf-8")) == (None, None)


def test_sitemap_lists_every_branch_page_with_its_absolute_url(sample_site: BuiltSite) -> None:
    site = sample_site.dir
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert all(loc and loc.startswith(SITE_URL) for loc in locs)
    branch_pages = {SITE_URL + f"branches/{p.parent.name}/" for p in (site / "branches").glob("*/index.html")}
    assert len(branch_pages) >= 20
    assert branch_pages <= set(locs)
    assert len(locs) == len(set(locs))
    with gzip.open(site / "sitemap.xml.gz") as f:
        assert f.read() == (site / "sitemap.xml").read_bytes()


def test_branch_page_names_its_source_and_update_date(sample_site: BuiltSite) -> None:
    meta = sample_site.page(f"branches/{BRANCH}/").split('<footer class="sc-meta">')[1].split("</footer>")[0]
    assert re.search(r'<span class="sc-meta__label">来源</span>\s*呼和浩特日报 2024年\s*</p>', meta)
    assert '<span class="sc-meta__label">更新</span><time datetime="2024">2024年</time>' in meta


def test_404_page_is_chinese_and_independent_of_its_address(sample_site: BuiltSite) -> None:
    text = (sample_site.dir / "404.html").read_text("utf-8")
    assert "<title>页面未找到 - 党建品牌展示站</title>" in text
    assert "<h1>没有找到这个页面</h1>" in text
    assert "Not found" not in text
    assert '<a href="/">返回首页</a>' in text
    assert (
        '<form class="sc-search__form sc-notfound__search" role="search" method="get" action="/search/">'
        in text
    )
    # The header search box of every page, added after the build (404.html is no MkDocs page).
    assert text.count('<form class="sc-header-search" role="search" action="/search/" method="get">') == 1
    # Served for /any/depth/: every link and asset must be absolute from the site root.
    refs = re.findall(r'(?:href|src|action)="([^"]*)"', text)
    assert len(refs) > 20
    relative = [r for r in refs if not r.startswith(("/", "https://", "http://", "#", "mailto:", "tel:"))]
    assert relative == []
    assert '__md_scope=new URL("/",location)' in text
    assert '"base": "/"' in text


def test_headers_files_allow_exactly_the_inline_scripts_of_all_pages(sample_site: BuiltSite) -> None:
    site = sample_site.dir
    wanted = set()
    for path in site.rglob("*.html"):
        wanted |= {_sha(s.replace("\r\n", "\n")) for s in stdlib_scripts(path.read_text("utf-8"))}
    assert len(wanted) >= 5  # material's scripts, one variant per page depth
    rules = parse_headers_file((site / "_headers").read_text("utf-8"))
    sent = dict(headers_for("/branches/x/", rules))
    csp = _directives(sent["Content-Security-Policy"])
    assert set(csp["script-src"]) == {"'self'"} | wanted
    assert sent["X-Content-Type-Options"] == "nosniff"
    nginx = (site / "nginx-security-headers.conf").read_text("utf-8")
    assert f'add_header Content-Security-Policy "{sent["Content-Security-Policy"]}" always;' in nginx
    assert not any("内联事件属性" in w for w in sample_site.warnings)


@pytest.mark.slow
def test_incremental_build_hashes_the_pages_it_carried_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An incremental build renders a few pages again and carries the others over from the
    previous site; the policy covers the scripts of all of them."""
    from showcase.tools.synth import synthesize

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729814400")
    project = tmp_path / "proj"
    site = project / "site"
    synthesize(project, 6, photos=0, seed=3, progress=False)
    assert showcase_build(project) == 0
    full = (site / "_headers").read_text("utf-8")
    cases = sorted((project / "branches").glob("*/case.md"))

    def edit_case_and_rebuild(line: str) -> list[Path]:
        """The HTML files the incremental build wrote anew."""
        before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
        cases[0].write_text(cases[0].read_text("utf-8") + f"\n{line}\n", "utf-8")
        caplog.clear()
        assert showcase_build(project) == 0
        assert any("个页面未变" in r.getMessage() for r in caplog.records)
        # The header files are this build's own output, not stale files of the previous one.
        assert any("清除 0 个过期文件" in r.getMessage() for r in caplog.records)
        return [p for p in site.rglob("*.html") if before.get(p) != p.stat().st_mtime_ns]

    caplog.set_level(logging.INFO)
    rendered = edit_case_and_rebuild("增量构建后的一句话。")
    assert 0 < len(rendered) < len(list(site.rglob("*.html")))
    assert (site / "_headers").read_text("utf-8") == full

    # A page the next build carries over, with a script the build would never write: the
    # policy can only allow it if the carried-over pages are read too.
    kept = next(p for p in sorted(site.rglob("*.html")) if p not in rendered and p.parent.parent != site)
    marker = "/* carried over */"
    kept_text = kept.read_text("utf-8").replace("</body>", f"<script>{marker}</script></body>", 1)
    kept.write_text(kept_text, "utf-8")
    rendered = edit_case_and_rebuild("又一句话。")
    assert kept not in rendered and marker in kept.read_text("utf-8")
    script_src = _directives(
        dict(headers_for("/", parse_headers_file((site / "_headers").read_text("utf-8"))))[
            "Content-Security-Policy"
        ]
    )["script-src"]
    assert script_hash(marker) in script_src


# --- the preview server ----------------------------------------------------------------------------


@pytest.fixture
def tiny_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<!doctype html><title>a</title><p>页面 a</p>", "utf-8")
    (site / "404.html").write_text("<!doctype html><title>404</title><h1>没有找到这个页面</h1>", "utf-8")
    (site / "_headers").write_text("/*\n  X-Test: all\n/a/*\n  X-Only-A: 1\n", "utf-8")
    # As `showcase preview` makes it (cli.cmd_preview): preview.server with its defaults.
    srv = preview.server(site)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}/"
    try:
        yield site, base
    finally:
        srv.shutdown()
        srv.server_close()


def _get(url: str, *, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


def test_preview_sends_the_headers_file_and_the_404_page(tiny_site: tuple[Path, str]) -> None:
    site, base = tiny_site
    status, headers, body = _get(base + "a/")
    assert status == 200 and "页面 a" in body.decode()
    assert headers["X-Test"] == "all" and headers["X-Only-A"] == "1"
    status, headers, body = _get(base + quote("深/层/不存在/"), gzip_ok=True)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip"
    assert "没有找到这个页面" in gzip.decompress(body).decode()
    assert headers["X-Test"] == "all" and "X-Only-A" not in headers
    # Read at each request: a rebuild that changes the policy is served at once.
    (site / "_headers").write_text("/*\n  X-Test: changed\n", "utf-8")
    assert _get(base + "a/")[1]["X-Test"] == "changed"
    (site / "_headers").unlink()
    assert "X-Test" not in _get(base + "a/")[1]


def test_test_server_sends_no_headers_by_default(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>x</p>", "utf-8")
    (tmp_path / "_headers").write_text("/*\n  X-Test: all\n", "utf-8")
    srv, base = serve_in_background(tmp_path)  # the test helper's default
    try:
        status, headers, _ = _get(base)
        assert status == 200 and "X-Test" not in headers
        assert _get(base + "missing/")[0] == 404
    finally:
        srv.shutdown()
        srv.server_close()


# --- in Chromium, under the policy ------------------------------------------------------------------

# Recorded in the page by an init script (Playwright runs it outside the page's policy).
_RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  {directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, line: e.lineNumber}));
"""


class _Watched:
    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.add_init_script(_RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _console(self, m: Any) -> None:
        if m.type == "error":
            self.errors.append(f"{m.text} @ {m.location.get('url', '')}")

    def violations(self) -> list[dict[str, Any]]:
        return list(self.page.evaluate("window.__violations"))


@pytest.fixture(scope="module")
def csp_site(sample_site: BuiltSite) -> Iterator[str]:
    """The sample site served the way `showcase preview` serves it: with the headers of _headers."""
    srv, base = serve_in_background(sample_site.dir, send_headers=True)
    try:
        yield base
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def watched(browser: Any) -> Iterator[_Watched]:
    w = _Watched(browser)
    yield w
    w.context.close()


def _policy_of(site: BuiltSite) -> str:
    return dict(headers_for("/", parse_headers_file((site.dir / "_headers").read_text("utf-8"))))[
        "Content-Security-Policy"
    ]


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    ["", f"branches/{BRANCH}/", "search/?q=网格化", "reports/", "updates/", "regions/呼和浩特市/"],
)
def test_pages_work_under_the_policy(
    watched: _Watched, csp_site: str, sample_site: BuiltSite, path: str
) -> None:
    page = watched.page
    response = page.goto(csp_site + path, wait_until="networkidle")
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == _policy_of(sample_site)
    # Material's inline scripts ran (they define __md_get and set the palette on <body>).
    assert page.evaluate("typeof __md_get") == "function"
    assert page.evaluate("document.body.hasAttribute('data-md-color-scheme')")
    if path.startswith("search/"):
        page.wait_for_selector("#search-results a[href]")
        assert page.locator("#search-results a[href]").count() >= 1
    if path.startswith("branches/"):
        # The lightbox (an ES module plus PhotoSwipe's styles) opens under the policy too.
        page.locator("a.sc-photo__link").first.click()
        page.wait_for_selector(".pswp--open", timeout=10000)
        page.keyboard.press("Escape")
    assert watched.violations() == []
    assert watched.errors == []


@pytest.mark.browser
def test_an_injected_inline_script_is_blocked(
    watched: _Watched, csp_site: str, sample_site: BuiltSite
) -> None:
    """What the policy is for: markup that got into a page after the build does not run —
    unless its hash is in the policy, which shows the check can tell the two apart."""
    injected = "window.__injected = true;"
    handler = '<img src="/no-such-image.png" alt="" onerror="window.__handler = true">'

    def inject(extra_hash: str | None) -> Any:
        def handle(route: Any) -> None:
            response = route.fetch()
            headers = dict(response.headers)
            if extra_hash:
                headers["content-security-policy"] = headers["content-security-policy"].replace(
                    "script-src 'self'", f"script-src 'self' {extra_hash}"
                )
            body = response.text().replace("</body>", f"<script>{injected}</script>{handler}</body>", 1)
            headers.pop("content-encoding", None)
            headers.pop("content-length", None)
            route.fulfill(status=response.status, headers=headers, body=body)

        return handle

    page = watched.page
    url = csp_site + f"branches/{BRANCH}/"
    page.route(url, inject(None))
    page.goto(url, wait_until="networkidle")
    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__handler") is None
    directives = sorted(v["directive"] for v in watched.violations())
    assert directives == ["script-src-attr", "script-src-elem"]
    assert any("Content Security Policy" in e for e in watched.errors)
    assert page.evaluate("typeof __md_get") == "function"  # the page's own scripts still ran

    page.unroute(url)
    page.route(url, inject(script_hash(injected)))
    page.goto(url, wait_until="networkidle")
    assert page.evaluate("window.__injected") is True
    assert [v["directive"] for v in watched.violations()] == ["script-src-attr"]  # the handler still is not


@pytest.mark.browser
def test_404_page_at_a_deep_unknown_address(watched: _Watched, csp_site: str, sample_site: BuiltSite) -> None:
    page = watched.page
    url = csp_site + quote("regions/不存在的地区/某街道/某社区/此页并不存在/")
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 404
    assert response.headers["content-security-policy"] == _policy_of(sample_site)
    assert page.title() == "页面未找到 - 党建品牌展示站"
    assert page.locator("article h1").inner_text() == "没有找到这个页面"
    # Styled: material's stylesheet (header colour, layout) and ours (the search button)
    # loaded from the root although the address is five folders deep.
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    button = page.evaluate("getComputedStyle(document.querySelector('.sc-search__go')).backgroundColor")
    assert header not in ("rgba(0, 0, 0, 0)", "transparent") and header == button
    assert page.evaluate("document.querySelector('.md-header').getBoundingClientRect().height") < 100
    assert page.evaluate("typeof __md_get") == "function"
    assert watched.violations() == []
    # The only console error is the document's own 404 status.
    own = f"Failed to load resource: the server responded with a status of 404 (Not Found) @ {url}"
    assert [e for e in watched.errors if e != own] == []
    # Its links and search box lead back into the site.
    assert page.locator("a", has_text="返回首页").get_attribute("href") == "/"
    page.fill("#sc-notfound-q", "网格化")
    page.press("#sc-notfound-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert urlsplit(page.url).path == "/search/"
    page.wait_for_selector("#search-results a[href]")
    assert watched.violations() == []
    # So does the header search box every page has.
    page.goto(url)
    page.fill(".sc-header-search input[name=q]", "书香")
    page.press(".sc-header-search input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector("#search-results a[href]")
    assert watched.violations() == []
