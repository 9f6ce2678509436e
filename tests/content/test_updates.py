"""Updates (简讯): branches/<slug>/updates/*.md — loading and checks at file:line:col, the
timeline on branch pages, 最新动态 on the home page, /updates/ and the Atom feed /feed.xml.

Expected positions are computed here from the text each test writes; expected orders and
titles of the sample site from the sample files themselves (read with PyYAML, not our loader).
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from branch_samples import SLUG, add_branch, jpeg
from conftest import ROOT, BuiltSite, build_site, scratch_project
from showcase.cli.main import main
from showcase.content.catalog import Catalog
from showcase.content.load import Project, load_project
from showcase.media.publish import Media
from showcase.problems import Severity
from showcase.site.feed import atom
from showcase.site.pages import SitePages

A = "{http://www.w3.org/2005/Atom}"
UPDATES = f"branches/{SLUG}/updates"
NOW = dt.date(2025, 1, 1)
GOOD = """\
---
date: 2024-10-18
title: 花园社区调解中心挂牌
---
社区成立“一站式”矛盾纠纷调解中心，设调解室和心理咨询室。
"""


def pos_of(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first `needle` in `text` (written here, not imported)."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before.split("\n")[-1]) + 1


def write_update(root: Path, name: str, text: str | bytes, folder: str = SLUG) -> Path:
    path = root / "branches" / folder / "updates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def codes_at(project: Project, path: str) -> list[tuple[int, int, str, Severity]]:
    return [(p.line, p.col, p.code, p.severity) for p in project.problems if p.path == path]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "branches").mkdir()
    shutil.copy(ROOT / "branches" / "taxonomy.yml", tmp_path / "branches" / "taxonomy.yml")
    add_branch(tmp_path)
    return tmp_path


# --- loading and checks -------------------------------------------------------------------------


def test_valid_update_loads(root: Path) -> None:
    write_update(root, "2024-10-18-tiaojie.md", GOOD)
    project = load_project(root, now=NOW)
    assert project.problems == []
    (branch,) = project.branches
    (update,) = branch.updates
    assert update.stem == "2024-10-18-tiaojie"
    assert update.anchor == "update-2024-10-18-tiaojie"
    assert update.path == f"{UPDATES}/2024-10-18-tiaojie.md"
    assert str(update.meta.date) == "2024-10-18"
    assert update.meta.title == "花园社区调解中心挂牌"
    assert update.body == "社区成立“一站式”矛盾纠纷调解中心，设调解室和心理咨询室。\n"


def test_missing_date_is_reported_at_the_front_matter(root: Path) -> None:
    text = "---\ntitle: 只有标题\n---\n正文。\n"
    write_update(root, "a.md", text)
    project = load_project(root, now=NOW)
    (problem,) = project.problems
    assert (problem.path, problem.line, problem.col, problem.code) == (f"{UPDATES}/a.md", 2, 1, "MISSING")
    assert "date" in problem.message and "日期" in problem.message
    assert problem.severity is Severity.ERROR


def test_bad_date_points_at_the_value(root: Path) -> None:
    text = "---\ntitle: 日期写错了\ndate: 2024-02-30\n---\n正文。\n"
    write_update(root, "a.md", text)
    project = load_project(root, now=NOW)
    line, col = pos_of(text, "2024-02-30")
    assert codes_at(project, f"{UPDATES}/a.md") == [(line, col, "DATE", Severity.ERROR)]
    assert "不存在" in project.problems[0].message


def test_unknown_key_suggests_the_right_one(root: Path) -> None:
    text = "---\ndate: 2024-10-18\ntitel: 拼错的键\n---\n"
    write_update(root, "a.md", text)
    project = load_project(root, now=NOW)
    line, col = pos_of(text, "titel")
    found = [p for p in project.problems if p.code == "UNKNOWN_KEY"]
    assert [(p.line, p.col) for p in found] == [(line, col)]
    assert "title" in found[0].message


def test_phone_number_in_body_is_an_error_at_its_position(root: Path) -> None:
    text = GOOD + "\n报名请联系 138 0013 8000。\n"
    write_update(root, "a.md", text)
    project = load_project(root, now=NOW)
    line, col = pos_of(text, "138 0013")
    assert codes_at(project, f"{UPDATES}/a.md") == [(line, col, "PHONE_NUMBER", Severity.ERROR)]
    assert "13800138000" not in project.problems[0].message  # masked in the message too


def test_phone_number_in_front_matter_is_an_error(root: Path) -> None:
    text = GOOD.replace("调解中心挂牌", "调解中心挂牌 电话13800138000")
    write_update(root, "a.md", text)
    project = load_project(root, now=NOW)
    assert codes_at(project, f"{UPDATES}/a.md") == [
        (*pos_of(text, "13800138000"), "PHONE_NUMBER", Severity.ERROR)
    ]


def test_future_date_is_an_error(root: Path) -> None:
    write_update(root, "a.md", GOOD)
    project = load_project(root, now=dt.date(2024, 10, 17))
    assert codes_at(project, f"{UPDATES}/a.md") == [
        (*pos_of(GOOD, "2024-10-18"), "DATE_IN_FUTURE", Severity.ERROR)
    ]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("date: 2024-10-18\ntitle: 没有分隔线\n", "FRONT_MATTER", 1),
        ("---\ndate: 2024-10-18\ntitle: 没有结束\n正文。\n", "FRONT_MATTER", 1),
        ("---\n---\n正文。\n", "MISSING", 1),
        ("---\ndate: 2024-10-18\ntitle: 标题: 带冒号\n---\n", "YAML_COLON", 3),
        ("---\ndate: 2024-10-18\ntitle: &a 锚点\n---\n", "YAML_ANCHOR", 3),
        ("---\n- date\n---\n", "TYPE", 2),
    ],
    ids=["no-front-matter", "unclosed", "empty", "yaml-syntax", "yaml-anchor", "not-a-mapping"],
)
def test_broken_front_matter(root: Path, text: str, code: str, line: int) -> None:
    write_update(root, "a.md", text)
    project = load_project(root, now=NOW)
    problems = [p for p in project.problems if p.path == f"{UPDATES}/a.md"]
    assert [(p.code, p.line) for p in problems] == [(code, line)], [p.format() for p in problems]


def test_encoding_size_characters_and_file_name(root: Path) -> None:
    write_update(root, "gbk.md", GOOD.encode("gbk"))
    write_update(root, "big.md", GOOD + "长" * 40_000)
    bidi = GOOD.replace("挂牌", "挂\u202e牌")
    write_update(root, "bidi.md", bidi)
    write_update(root, "Bad_Name.md", GOOD)
    project = load_project(root, now=NOW)
    assert codes_at(project, f"{UPDATES}/gbk.md")[0][2] == "ENCODING"
    assert codes_at(project, f"{UPDATES}/big.md") == [(1, 1, "FILE_TOO_LARGE", Severity.ERROR)]
    assert codes_at(project, f"{UPDATES}/bidi.md") == [(*pos_of(bidi, "\u202e"), "TEXT_CHAR", Severity.ERROR)]
    assert codes_at(project, f"{UPDATES}/Bad_Name.md") == [(1, 1, "UPDATE_FILE_NAME", Severity.ERROR)]
    assert project.branches[0].updates == []


def test_unsafe_and_broken_links_in_the_body(root: Path) -> None:
    text = GOOD + "\n[点这里](javascript:alert(1)) 和 [不存在](/branches/no-such-branch/)\n"
    write_update(root, "a.md", text)
    project = load_project(root, now=NOW)
    assert codes_at(project, f"{UPDATES}/a.md") == [
        (*pos_of(text, "javascript:"), "UNSAFE_LINK", Severity.ERROR),
        (*pos_of(text, "/branches/no-such"), "BROKEN_LINK", Severity.ERROR),
    ]


def test_a_broken_update_does_not_take_down_the_branch(root: Path) -> None:
    write_update(root, "2024-10-18-good.md", GOOD)
    write_update(root, "2024-10-19-bad.md", "---\ntitle: 缺日期\n---\n")
    project = load_project(root, now=NOW)
    assert [p.code for p in project.errors] == ["MISSING"]
    assert project.errors[0].path == f"{UPDATES}/2024-10-19-bad.md"
    (branch,) = project.branches
    assert [u.stem for u in branch.updates] == ["2024-10-18-good"]


def test_updates_are_newest_first(root: Path) -> None:
    for name, date in [("b.md", "2023"), ("c.md", "2024-03-01"), ("a.md", "2024-03-01"), ("d.md", "2024-10")]:
        write_update(root, name, f"---\ndate: {date}\ntitle: 第{name}条\n---\n")
    project = load_project(root, now=NOW)
    assert project.problems == []
    assert [u.stem for u in project.branches[0].updates] == ["d", "a", "c", "b"]


def test_update_photos_share_the_photo_checks(root: Path) -> None:
    jpeg(root / "branches" / SLUG / "updates" / "guapai.jpg")
    jpeg(root / "branches" / SLUG / "photos" / "extra.jpg")  # in photos/, named only by the update
    jpeg(root / "branches" / SLUG / "updates" / "stray.jpg")  # named by nobody
    text = (
        "---\ndate: 2024-10-18\ntitle: 有照片\nphotos:\n"
        "  - {file: updates/guapai.jpg, caption: 调解中心挂牌, credit: 示意图}\n"
        "  - {file: photos/extra.jpg, caption: 居民排队咨询, credit: 示意图}\n"
        "  - {file: updates/missing.jpg, caption: 没有这个文件, credit: 示意图}\n"
        "---\n正文。\n"
    )
    write_update(root, "a.md", text)
    project = load_project(root, now=NOW)
    assert codes_at(project, f"{UPDATES}/a.md") == [
        (*pos_of(text, "updates/missing.jpg"), "PHOTO_MISSING", Severity.ERROR)
    ]
    assert [(p.path, p.code, p.severity) for p in project.problems if p.path != f"{UPDATES}/a.md"] == [
        (f"{UPDATES}/stray.jpg", "UPDATE_FILE_UNUSED", Severity.WARNING)
    ]
    (branch,) = project.branches
    assert [u.stem for u in branch.updates] == ["a"]  # only the photo is left out
    assert {"updates/guapai.jpg", "photos/extra.jpg"} <= set(branch.sources)
    assert "updates/missing.jpg" not in branch.sources


def test_photo_path_leaving_the_folder_drops_the_update(root: Path) -> None:
    text = "---\ndate: 2024-10-18\ntitle: 路径越界\nphotos:\n  - {file: ../../x.jpg, caption: 说明, credit: 示意图}\n---\n"
    write_update(root, "a.md", text)
    write_update(root, "b.md", GOOD)
    project = load_project(root, now=NOW)
    assert codes_at(project, f"{UPDATES}/a.md") == [
        (*pos_of(text, "../../x.jpg"), "BAD_PATH", Severity.ERROR)
    ]
    assert [u.stem for u in project.branches[0].updates] == ["b"]


def test_symlinked_update_is_refused(root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text(GOOD, "utf-8")
    (root / "branches" / SLUG / "updates").mkdir()
    (root / "branches" / SLUG / "updates" / "link.md").symlink_to(outside)
    project = load_project(root, now=NOW)
    assert codes_at(project, f"{UPDATES}/link.md") == [(1, 1, "SYMLINK", Severity.ERROR)]
    assert project.branches[0].updates == []


def test_update_bytes_are_in_the_branch_digest_and_the_site_digest(root: Path) -> None:
    def digests() -> tuple[str, str, str]:
        project = load_project(root, now=NOW)
        pages = SitePages(Catalog(project), Media())
        branch_spec = pages.branch_page(project.branches[0])
        return project.branches[0].digest, pages.site_digest, branch_spec.key

    before = digests()
    write_update(root, "a.md", GOOD)
    added = digests()
    write_update(root, "a.md", GOOD.replace("心理咨询室", "法律咨询室"))
    edited = digests()
    for a, b, c in zip(before, added, edited, strict=True):
        assert len({a, b, c}) == 3
    assert digests() == edited  # and stable when nothing changed


def test_check_command_reports_update_errors(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "mkdocs.yml").write_text("site_name: 测试\n", "utf-8")
    text = "---\ntitle: 缺日期\n---\n"
    write_update(root, "a.md", text)
    code = main(["-f", str(root / "mkdocs.yml"), "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0].startswith(f"{UPDATES}/a.md:2:1: MISSING ")


# --- the sample site ------------------------------------------------------------------------------


def sample_updates() -> list[dict[str, str]]:
    """Every sample update, from the files (front matter read with PyYAML's BaseLoader)."""
    out = []
    for path in sorted(ROOT.glob("branches/*/updates/*.md")):
        front = path.read_text("utf-8").split("---\n")[1]
        meta = yaml.load(front, Loader=yaml.BaseLoader)  # every scalar a string, like our loader
        out.append(
            {"slug": path.parent.parent.name, "stem": path.stem, "date": meta["date"], "title": meta["title"]}
        )
    return out


def test_sample_has_updates_in_several_branches() -> None:
    updates = sample_updates()
    assert len(updates) >= 8
    assert len({u["slug"] for u in updates}) >= 6


def anchors_in_order(page: str) -> list[str]:
    return re.findall(r'<article id="(update-[^"]+)"', page)


def newest_first_dates(dates: list[str]) -> bool:
    return dates == sorted(dates, reverse=True)


def test_branch_pages_show_their_timeline(sample_site: BuiltSite) -> None:
    updates = sample_updates()
    for slug in sorted({u["slug"] for u in updates}):
        mine = [u for u in updates if u["slug"] == slug]
        page = sample_site.page(f"branches/{slug}")
        assert 'id="sc-updates"' in page
        anchors = anchors_in_order(page)
        assert sorted(anchors) == sorted(f"update-{u['stem']}" for u in mine)
        by_anchor = {f"update-{u['stem']}": u for u in mine}
        assert newest_first_dates([by_anchor[a]["date"] for a in anchors])
        for u in mine:
            assert html.escape(u["title"], quote=False) in page
    # A branch without updates has no empty timeline.
    quiet = next(
        p.name
        for p in sorted((ROOT / "branches").iterdir())
        if (p / "profile.yml").is_file() and not (p / "updates").is_dir()
    )
    assert 'id="sc-updates"' not in sample_site.page(f"branches/{quiet}")


def linked_updates(page: str) -> list[str]:
    return re.findall(r'class="sc-update-entry__title"><a href="[^"]*#(update-[^"]+)"', page)


def test_home_page_lists_the_latest_updates(sample_site: BuiltSite) -> None:
    updates = sample_updates()
    home = sample_site.page("")
    assert "最新动态" in home
    linked = linked_updates(home)
    assert len(linked) == min(6, len(updates))
    date_of = {f"update-{u['stem']}": u["date"] for u in updates}
    shown = [date_of[a] for a in linked]
    assert newest_first_dates(shown)
    assert sorted(shown, reverse=True) == sorted((u["date"] for u in updates), reverse=True)[: len(shown)]
    assert 'href="updates/"' in home and 'href="feed.xml"' in home


def test_updates_page_lists_every_update_newest_first(sample_site: BuiltSite) -> None:
    updates = sample_updates()
    page = sample_site.page("updates")
    linked = linked_updates(page)
    assert sorted(linked) == sorted(f"update-{u['stem']}" for u in updates)
    date_of = {f"update-{u['stem']}": u["date"] for u in updates}
    assert newest_first_dates([date_of[a] for a in linked])
    # every list entry names and links its branch
    for u in updates:
        assert f'href="../branches/{u["slug"]}/#update-{u["stem"]}"' in page


def test_every_page_announces_the_feed(sample_site: BuiltSite) -> None:
    for url in ["", "updates", "brands", f"branches/{sample_updates()[0]['slug']}"]:
        tags = re.findall(
            r'<link rel="alternate feed" type="application/atom\+xml"[^>]*>', sample_site.page(url)
        )
        assert len(tags) == 1
        # Relative to the page, so a preview never asks the production host.
        expected = posixpath.relpath("/feed.xml", "/" + url) if url else "feed.xml"
        assert f'href="{expected}"' in tags[0]


def parse_feed(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{A}feed"
    return root


def check_atom(feed: ET.Element) -> None:
    """The RFC 4287 requirements this feed relies on."""
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{tag}")) == 1, tag
        assert (feed.findtext(f"{A}{tag}") or "").strip(), tag
    assert [link.get("rel") for link in feed.findall(f"{A}link")].count("self") == 1
    assert feed.find(f"{A}author/{A}name") is not None
    ids = []
    for entry in feed.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{tag}")) == 1, tag
        dt.datetime.fromisoformat(entry.findtext(f"{A}updated") or "")  # RFC 3339
        assert urlsplit(entry.findtext(f"{A}id") or "").scheme  # an absolute IRI
        alternate = [
            link for link in entry.findall(f"{A}link") if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternate) == 1
        content = entry.find(f"{A}content")
        assert content is not None and content.get("type") == "html"
        assert entry.find(f"{A}category") is not None
        ids.append(entry.findtext(f"{A}id"))
    assert len(ids) == len(set(ids))


def test_feed_is_valid_atom_in_date_order(sample_site: BuiltSite) -> None:
    feed = parse_feed(sample_site.dir / "feed.xml")
    check_atom(feed)
    entries = feed.findall(f"{A}entry")
    updates = sample_updates()
    assert len(entries) == min(50, len(updates))
    times = [dt.datetime.fromisoformat(e.findtext(f"{A}updated") or "") for e in entries]
    assert times == sorted(times, reverse=True)
    assert dt.datetime.fromisoformat(feed.findtext(f"{A}updated") or "") == max(times)
    names = {u["title"]: u for u in updates}
    for entry in entries:
        u = names[entry.findtext(f"{A}title") or ""]
        assert (entry.findtext(f"{A}updated") or "").startswith(u["date"])
        profile = yaml.safe_load((ROOT / "branches" / u["slug"] / "profile.yml").read_text("utf-8"))
        assert entry.find(f"{A}category").get("term") == profile["name"]  # type: ignore[union-attr]


def test_feed_links_resolve_to_pages_and_anchors(sample_site: BuiltSite) -> None:
    feed = parse_feed(sample_site.dir / "feed.xml")
    site_url = urlsplit(feed.findtext(f"{A}id") or "")
    hrefs = [link.get("href") or "" for link in feed.iter(f"{A}link")]
    assert len(hrefs) == 2 + len(feed.findall(f"{A}entry"))
    for href in hrefs:
        parts = urlsplit(href)
        assert (parts.scheme, parts.netloc) == (site_url.scheme, site_url.netloc)
        target = sample_site.dir / unquote(parts.path).lstrip("/")
        target = target / "index.html" if parts.path.endswith("/") else target
        assert target.is_file(), href
        if parts.fragment:
            assert f'id="{parts.fragment}"' in target.read_text("utf-8"), href


# --- scratch sites: hostile text, no site_url --------------------------------------------------


HOSTILE = '<script>alert("x")</script> & ]]> “引号”'


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def elements(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(fragment)
    return parser.tags


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("hostile")
    config = scratch_project(root)  # no site_url
    add_branch(root)
    write_update(
        root,
        "2024-10-18-hostile.md",
        f"---\ndate: 2024-10-18\ntitle: '{HOSTILE}'\n---\n"
        '<img src=x onerror=alert(1)> **加粗** [链接](https://example.org/ "t")\n\n'
        "<script>alert(2)</script>\n",
    )
    write_update(root, "2024-10-19-broken.md", "---\ntitle: 缺日期\n---\n")
    return build_site(config, root / "site", strict=False)


def test_broken_update_is_reported_and_the_branch_still_builds(hostile_site: BuiltSite) -> None:
    assert any(f"{UPDATES}/2024-10-19-broken.md:2:1: MISSING" in w for w in hostile_site.warnings)
    page = hostile_site.page(f"branches/{SLUG}")
    assert anchors_in_order(page) == ["update-2024-10-18-hostile"]


def test_hostile_title_is_escaped_in_html(hostile_site: BuiltSite) -> None:
    for url in (f"branches/{SLUG}", "", "updates"):
        page = hostile_site.page(url)
        assert '<script>alert("x")' not in page and "<script>alert(2)" not in page, url
        assert HOSTILE in html.unescape(page), url  # shown as text
        assert not [t for t, attrs in elements(page) if any(k == "onerror" for k, _ in attrs)], url


def test_hostile_text_in_the_feed_is_escaped_and_sanitised(hostile_site: BuiltSite) -> None:
    feed = parse_feed(hostile_site.dir / "feed.xml")
    check_atom(feed)
    (entry,) = feed.findall(f"{A}entry")
    assert entry.findtext(f"{A}title") == HOSTILE  # text survives the round trip exactly
    content = entry.findtext(f"{A}content") or ""
    tags = elements(content)
    assert "script" not in [t for t, _ in tags] and "img" not in [t for t, _ in tags]
    assert not [attrs for _, attrs in tags if any(k.startswith("on") for k, _ in attrs)]
    assert "<strong>加粗</strong>" in content
    assert "&lt;script&gt;alert(2)" in content  # raw HTML stays text


def test_feed_without_site_url_is_valid_and_relative(hostile_site: BuiltSite) -> None:
    feed = parse_feed(hostile_site.dir / "feed.xml")
    assert (feed.findtext(f"{A}id") or "").startswith("urn:uuid:")
    base = "http://localhost/"  # wherever the site is served, the feed sits at its root
    (entry,) = feed.findall(f"{A}entry")
    (link,) = entry.findall(f"{A}link")
    parts = urlsplit(urljoin(base + "feed.xml", link.get("href") or ""))
    page = hostile_site.dir / parts.path.lstrip("/") / "index.html"
    assert page.is_file()
    assert f'id="{parts.fragment}"' in page.read_text("utf-8")
    head_links = re.findall(
        r'<link rel="alternate feed" type="application/atom\+xml"[^>]*>', hostile_site.page("updates")
    )
    assert len(head_links) == 1 and 'href="../feed.xml"' in head_links[0]


def test_empty_feed_uses_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    feed = ET.fromstring(atom([], site_name="测试站"))
    check_atom(feed)
    when = dt.datetime.fromisoformat((feed.findtext(f"{A}updated") or "").replace("Z", "+00:00"))
    assert when == dt.datetime.fromtimestamp(1700000000, dt.UTC)
    assert atom([], site_name="测试站") == atom([], site_name="测试站")


def test_incremental_build_picks_up_an_edited_update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729814400")
    root = tmp_path / "proj"
    config = scratch_project(root, site_url="https://example.org/")
    add_branch(root)
    add_branch(root, "other-shequ")
    update = write_update(root, "2024-10-18-tiaojie.md", GOOD)

    def build(*extra: str) -> int:
        return main(["-f", str(config), "build", "--strict", *extra])

    def files(site: Path) -> dict[str, bytes]:
        return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}

    assert build() == 0
    site = root / "site"
    other = site / "branches" / "other-shequ" / "index.html"
    mtime = other.stat().st_mtime_ns
    update.write_text(GOOD.replace("调解中心挂牌", "调解中心正式启用"), "utf-8")
    assert build() == 0  # incremental
    for url in (f"branches/{SLUG}/index.html", "index.html", "updates/index.html", "feed.xml"):
        text = (site / url).read_text("utf-8")
        assert "调解中心正式启用" in text and "调解中心挂牌" not in text, url
    assert other.stat().st_mtime_ns == mtime  # a branch without changes is not rendered again
    incremental = files(site)
    assert build("--full") == 0
    assert files(site) == incremental
