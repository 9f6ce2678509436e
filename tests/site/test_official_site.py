"""The public site reads as an official website, not a repository (issue 23, items 2 and 4).

Every built page of the sample site is read with an HTML parser: no repository link, edit
pencil, file path or field name anywhere; no link to a page that is not generated; no empty
listing in the sitemap and no count of zero. In real Chromium, on each page type: the footer
names who runs the site (主办单位, 承办单位, 联系方式, 纠错, copyright), <html lang="zh-CN">,
breadcrumbs from 首页, 动态 in the navigation, no documentation pager.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from mkdocs.config import load_config

from conftest import ROOT, BuiltSite
from page_types import NOT_FOUND, PAGE_TYPES
from showcase.render.html_text import visible_text
from showcase.site import identity

# What the repository looks like from outside: its scaffolding must not reach a reader.
REPOSITORY_WORDS = ("branches/", "profile.yml", "case.md", "编辑此页", "代码仓库", "查看本页的源代码")
LISTINGS = ("regions/", "categories/", "themes/")  # sections whose pages list branches
LINK_ATTRS = ("href", "src", "action", "srcset")
READABLE_ATTRS = ("title", "aria-label", "alt", "placeholder")


@pytest.fixture(scope="module")
def options() -> Any:
    """The sample mkdocs.yml as MkDocs reads it, before any plugin runs (repo_url still set)."""
    return load_config(str(ROOT / "mkdocs.yml"))


class _Page(HTMLParser):
    """Links and the words a reader meets outside the text: titles, labels, alt text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.labels: list[str] = []
        self.crumbs: list[str] = []  # hrefs of the breadcrumb trail, in order
        self.cards = 0
        self.counts: list[str] = []
        self._in: str | None = None  # the element whose text is being collected
        self._crumb_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        for name in LINK_ATTRS:
            if name in a:
                self.links += (
                    [part.strip().split(" ")[0] for part in a[name].split(",")]
                    if name == "srcset"
                    else [a[name]]
                )
        self.labels += [a[name] for name in READABLE_ATTRS if a.get(name)]
        if tag == "nav" and "sc-crumbs" in classes:
            self._crumb_depth = 1
        elif tag == "a" and self._crumb_depth:
            self.crumbs.append(a.get("href", ""))
        if "sc-card" in classes and tag == "li":
            self.cards += 1
        if "sc-count" in classes:
            self._in = "count"
            self.counts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._crumb_depth = 0
        if tag == "span":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "count":
            self.counts[-1] += data.strip()


def _read(path: Path) -> tuple[_Page, str]:
    html = path.read_text("utf-8")
    page = _Page()
    page.feed(html)
    page.close()
    return page, visible_text(html)


def _built_pages(site: BuiltSite) -> Iterator[tuple[str, _Page, str]]:
    pages = sorted(site.dir.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        page, text = _read(path)
        yield path.relative_to(site.dir).as_posix(), page, text


def test_no_page_shows_the_repository(sample_site: BuiltSite, options: Any) -> None:
    repo = options.repo_url
    assert repo and options.edit_uri, "the sample keeps repo_url and edit_uri for maintainer_links"
    found = []
    for rel, page, text in _built_pages(sample_site):
        words = "\n".join([text, *page.labels])
        found += [f"{rel}: “{w}”" for w in REPOSITORY_WORDS if w in words]
        found += [f"{rel}: 链接 {link}" for link in page.links if link.startswith(repo.rstrip("/"))]
        found += [f"{rel}: 链接 {link}" for link in page.links if "/edit/" in link]
    assert found == []


def test_the_scan_finds_a_repository_trace(tmp_path: Path) -> None:
    """The page reader above does see what the public pages must not show."""
    path = tmp_path / "x.html"
    path.write_text(
        '<a href="https://example.org/repo/edit/main/x.md" title="编辑此页"><svg></svg></a>'
        "<p>档案 <code>branches/x/</code></p>",
        "utf-8",
    )
    page, text = _read(path)
    assert "branches/" in text and "编辑此页" in page.labels
    assert page.links == ["https://example.org/repo/edit/main/x.md"]


def _site_path(site: BuiltSite, url: str) -> Path:
    path = unquote(urlsplit(url).path).lstrip("/")
    return site.dir / path / "index.html" if path.endswith("/") or not path else site.dir / path


def test_sitemap_lists_no_empty_listing(sample_site: BuiltSite, options: Any) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.parse(sample_site.dir / "sitemap.xml").getroot()
    locs = [e.text or "" for e in root.findall("s:url/s:loc", ns)]
    listings = 0
    for loc in locs:
        rel = loc.removeprefix(options.site_url)
        page, _ = _read(_site_path(sample_site, rel))
        if unquote(rel).startswith(LISTINGS) and unquote(rel) not in LISTINGS:
            listings += 1
            assert page.cards >= 1, f"{unquote(rel)} 没有列出任何党组织"
        assert "0" not in page.counts, f"{unquote(rel)} 显示了数量 0"
    assert listings >= 10


def test_unused_terms_get_no_page_and_no_link(sample_site: BuiltSite) -> None:
    """The sample taxonomy has regions and a category no branch uses (企事业单位): no page is
    made for them, and every link into the listings, on every page, reaches a page."""
    from showcase.content.load import load_project

    project = load_project(ROOT)
    b = project.branches
    used = {x.profile.category for x in b} | {t for x in b for t in x.profile.themes}
    unused = [t.name for t in project.taxonomy.categories + project.taxonomy.themes if t.name not in used]
    empty_regions = [
        r.key
        for root in project.taxonomy.roots
        for r in root.walk()
        if not any(x.region.key == r.key or x.region.key.startswith(r.key + "/") for x in b)
    ]
    assert unused and empty_regions, "the sample taxonomy should hold terms and regions no branch uses"
    for name in unused:
        assert not (sample_site.dir / "categories" / name).exists()
        assert not (sample_site.dir / "themes" / name).exists()
    for key in empty_regions:
        assert not (sample_site.dir / "regions" / key / "index.html").exists(), key
    for rel, page, _ in _built_pages(sample_site):
        base = "/" + rel
        for link in page.links:
            target = unquote(urljoin(base, urlsplit(link).path)) if not urlsplit(link).scheme else ""
            if target.lstrip("/").startswith(LISTINGS):
                assert _site_path(sample_site, target).is_file(), f"{rel} 链接到不存在的页面 {target}"


def test_home_page_advertises_no_zero(sample_site: BuiltSite) -> None:
    page, _ = _read(sample_site.dir / "index.html")
    assert page.counts and "0" not in page.counts
    # a category of the sample taxonomy no branch belongs to: not offered as a chip
    assert not [link for link in page.links if "企事业单位" in unquote(link)]


def test_subscribing_is_explained_in_words(sample_site: BuiltSite, options: Any) -> None:
    for url in ("", "updates/"):
        _, text = _read(sample_site.dir / url / "index.html")
        assert "订阅（Atom）" not in text
        assert "订阅本站动态：把这个地址添加到 RSS 阅读器" in text
        assert options.site_url + "feed.xml" in text  # the address itself, to copy


# --- identity options -------------------------------------------------------------------------


def test_identity_parsers_explain_mistakes_in_chinese() -> None:
    assert identity.feedback("dangjian@example.org") == identity.Feedback("dangjian@example.org")
    assert identity.feedback("mailto:a@b.cn") == identity.Feedback("a@b.cn")
    assert identity.feedback("https://example.org/form") == identity.Feedback("https://example.org/form")
    assert identity.feedback("") is None
    with pytest.raises(ValueError) as e:
        identity.feedback("http://example.org/form")
    assert str(e.value) == (
        "纠错 / 意见反馈地址“http://example.org/form”不能用：应填写电子邮箱（如 dangjian@example.org）"
        "或以 https:// 开头的网上表单地址。"
    )
    with pytest.raises(ValueError) as e:
        identity.contact({"phone": "一二三"})
    assert str(e.value).startswith("联系电话“一二三”格式不对：只写号码")
    with pytest.raises(ValueError) as e:
        identity.contact({"fax": "1"})
    assert (
        str(e.value)
        == "联系方式里没有“fax”这一项：可以填写 address（地址）、phone（电话）、email（电子邮箱）。"
    )
    with pytest.raises(ValueError) as e:
        identity.line("甲\n乙", "主办单位")
    assert str(e.value) == "主办单位“甲\n乙”只能写一行：不能含有换行或不可见字符。"
    phone = identity.contact({"phone": "0471-1234567 转 8"}).items()
    assert phone == [("电话", "0471-1234567 转 8", "tel:04711234567")]


def test_feedback_mail_names_the_page() -> None:
    href = identity.Feedback("a@b.cn").href("五心阳光 · 阳光社区党委", "https://x.cn/branches/y/")
    parts = urlsplit(href)
    assert (parts.scheme, parts.path) == ("mailto", "a@b.cn")
    assert parse_qs(parts.query)["subject"] == ["纠错：五心阳光 · 阳光社区党委（https://x.cn/branches/y/）"]
    assert identity.Feedback("https://x.cn/form").href("甲", "b") == "https://x.cn/form"


def test_copyright_and_seal() -> None:
    assert identity.copyright_line("", "某某市委组织部", 2026) == "© 2026 某某市委组织部 版权所有"
    assert identity.copyright_line("© 某单位", "甲", 2026) == "© 某单位"
    assert identity.seal_text("“三零”工作法") == "三零"
    assert identity.seal_text("党建品牌展示站") == "党建"
    svg = identity.seal_svg("<党建>")
    assert "党建" in svg and "<党建>" not in svg


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("feedback: 请发邮件", "option 'feedback': 纠错 / 意见反馈地址“请发邮件”不能用"),
        ("contact: {phone: 一二三}", "option 'contact': 联系电话“一二三”格式不对"),
        ("logo: logo.png", "option 'logo': 网站标识“logo.png”应是 SVG 文件（.svg）"),
        ("host: [甲, 乙]", "option 'host': 主办单位应填写一行文字，或者删掉这一项。"),
    ],
)
def test_wrong_identity_option_stops_the_build_with_a_chinese_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, option: str, message: str
) -> None:
    from mkdocs.exceptions import Abort

    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: 测试站\ndocs_dir: content\ntheme: {name: material, language: zh}\n"
        f"plugins:\n  - showcase:\n      {option}\n",
        "utf-8",
    )
    with pytest.raises(Abort):
        load_config(str(tmp_path / "mkdocs.yml"))
    assert message in caplog.text


# --- in Chromium, every page type ---------------------------------------------------------------


@pytest.fixture(scope="module")
def reader(served_site: str, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_type_reads_as_an_official_site(reader: Any, served_site: str, options: Any, kind: str) -> None:
    url = served_site + PAGE_TYPES[kind]
    reader.goto(url)
    assert reader.evaluate("document.documentElement.lang") == "zh-CN"
    # The footer says who runs the site, on every page, and is on screen once scrolled to.
    footer = reader.locator("footer.md-footer")
    footer.scroll_into_view_if_needed()
    assert footer.is_visible()
    text = footer.inner_text()
    showcase = options.plugins["showcase"].config
    contact = showcase.contact
    for part in (
        f"主办单位：{showcase.host}",
        f"承办单位：{showcase.organizer}",
        f"地址：{contact.address}",
        f"电话：{contact.phone}",
        f"电子邮箱：{contact.email}",
        identity.copyright_line(showcase.copyright, showcase.host, identity.build_year()),
    ):
        assert part in text, (kind, part)
    feedback = footer.get_by_role("link", name="纠错 / 意见反馈").get_attribute("href")
    parts = urlsplit(feedback)
    assert (parts.scheme, parts.path) == ("mailto", showcase.feedback.address)
    subject = parse_qs(parts.query)["subject"][0]
    assert subject.startswith("纠错：")
    if kind != NOT_FOUND:  # the mail names the page it was sent from, by its public address
        path = unquote(urlsplit(reader.evaluate("location.href")).path)
        assert options.site_url + path.lstrip("/") in unquote(subject)
    # No documentation pager under the content, and no repository link in header or drawer.
    assert reader.locator(".md-footer__link, .md-source, .md-content__button").count() == 0
    # 动态 is a section of the top navigation (the drawer on a phone).
    updates = reader.locator(".md-nav--primary .md-nav__link", has_text="动态").first
    assert urljoin(url, updates.get_attribute("href")) == served_site + "updates/"
    # Breadcrumbs, where a page has them, start at 首页.
    crumbs = reader.locator(".sc-crumbs a")
    if crumbs.count():
        assert crumbs.first.inner_text() == "首页"
        assert urljoin(url, crumbs.first.get_attribute("href")) == served_site
    # The header logo is the site's own seal (not Material's book icon), drawn at its size
    # (the header shows it from tablet width up; the phone drawer has the same).
    seal = reader.locator(".md-header .md-logo svg text")
    assert seal.text_content() == identity.seal_text(options.site_name)
    reader.set_viewport_size({"width": 1280, "height": 800})
    try:
        assert (
            reader.evaluate(
                "document.querySelector('.md-header .md-logo svg').getBoundingClientRect().height"
            )
            > 16
        )
    finally:
        reader.set_viewport_size({"width": 390, "height": 844})


def test_breadcrumbs_on_branch_and_listing_pages(sample_site: BuiltSite) -> None:
    for url in ("branches/yangguang-shequ/", "regions/呼和浩特市/回民区/", "themes/一老一小/"):
        page, _ = _read(sample_site.dir / url / "index.html")
        assert len(page.crumbs) >= 2, url
        assert urljoin("/" + url, page.crumbs[0]) == "/", url
