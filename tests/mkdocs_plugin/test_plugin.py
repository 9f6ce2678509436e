"""The MkDocs plugin: the event chain without a full build, and scratch sites in tmp_path."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import InclusionLevel, get_files
from mkdocs.structure.nav import get_navigation
from PIL import Image

from conftest import ROOT, build_site


@pytest.fixture
def event_chain() -> Iterator[MkDocsConfig]:
    """The configuration after on_config. The chain stops before rendering, so the build is
    ended the way MkDocs ends a failed one: background work stopped, project lock released."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    try:
        yield config
    finally:
        config.plugins.on_build_error(error=RuntimeError("the event-chain test stops here"))


def test_event_chain_config_files_nav(event_chain: MkDocsConfig) -> None:
    config = event_chain
    files = get_files(config)
    files = config.plugins.on_files(files, config=config)
    nav = get_navigation(files, config)

    assert [item.title for item in nav.items] == [
        "首页",
        "品牌",
        "区域",
        "类别",
        "主题",
        "动态",
        "数据报告",
        "印刷版",
        "搜索",
        "关于",
    ]
    assert all(not (page.url or "").startswith("branches/") for page in nav.pages)

    slugs = sorted(p.parent.name for p in (ROOT / "branches").glob("*/profile.yml"))
    for slug in slugs:
        page = files.get_file_from_path(f"branches/{slug}/index.md")
        assert page is not None, slug
        assert page.generated_by == "showcase"
        assert page.inclusion is InclusionLevel.NOT_IN_NAV
        assert page.edit_uri == f"../branches/{slug}/profile.yml"
        assert page.url == f"branches/{slug}/"
    photos = [f for f in files if f.src_uri.startswith("branches/") and f.src_uri.endswith(".jpg")]
    assert photos and all(Path(f.abs_src_path).is_file() for f in photos)
    assert files.get_file_from_path("assets/showcase/showcase.css") is not None
    assert "assets/showcase/showcase.css" in config.extra_css
    assert files.get_file_from_path("assets/showcase/search.js") is not None
    assert files.get_file_from_path("search/index.md") is not None


MKDOCS_YML = """
site_name: 测试站
theme: {name: material, language: zh, font: false}
docs_dir: docs
plugins: [showcase]
"""

PROFILE = """
slug: {slug}
name: {name}
category: 社区
region: 呼和浩特市/回民区
brand: {{name: {brand}}}
summary: {name}组织党员开展便民服务，这是它的简介。
themes: [基层治理]
figures:
  - {{label: 党员, value: 1400, qualifier: 余, unit: 名}}
photos:
  - {{file: photos/a.jpg, caption: 测试图片说明, credit: 示意图}}
updated: 2024-10-25
"""


def scratch_project(root: Path) -> Path:
    """A second organisation's site: its own mkdocs.yml, docs and branches, nothing from this repo."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# 首页\n", "utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    (root / "branches").mkdir()
    shutil.copy(ROOT / "branches" / "taxonomy.yml", root / "branches" / "taxonomy.yml")
    for slug, name, brand in [("good-one", "甲社区党委", "甲品牌"), ("broken-one", "乙社区党委", "乙品牌")]:
        folder = root / "branches" / slug
        (folder / "photos").mkdir(parents=True)
        (folder / "profile.yml").write_text(PROFILE.format(slug=slug, name=name, brand=brand), "utf-8")
        (folder / "case.md").write_text("## 主要举措\n\n做法。\n\n## 取得成效\n\n成效。\n", "utf-8")
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        Image.new("RGB", (1200, 900), (200, 60, 60)).save(folder / "photos" / "a.jpg", exif=exif)
    return root


def test_broken_branch_is_reported_and_the_others_still_build(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "org")
    broken = project / "branches" / "broken-one" / "profile.yml"
    broken.write_text(broken.read_text("utf-8").replace("value: 1400,", "value: 1400余,"), "utf-8")

    site = build_site(project / "mkdocs.yml", tmp_path / "site", strict=False)

    assert (tmp_path / "site" / "branches" / "good-one" / "index.html").is_file()
    assert not (tmp_path / "site" / "branches" / "broken-one").exists()
    assert site.warnings == [
        "showcase: branches/broken-one/profile.yml:10:24: NUMBER figures[0].value（数值）："
        "数值只写数字：“1400余”里的“余”请写到 qualifier 字段（qualifier: 余）。"
    ]
    wall = (tmp_path / "site" / "brands" / "index.html").read_text("utf-8")
    assert "甲品牌" in wall and "乙品牌" not in wall


def test_strict_build_fails_on_a_broken_branch(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "org")
    (project / "branches" / "broken-one" / "profile.yml").write_text("slug: broken-one\nslug: x\n", "utf-8")
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml", tmp_path / "site", strict=True)


class _Attrs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name) for name, _ in attrs if name.startswith("on")]


def event_handler_attributes(body: str) -> list[tuple[str, str]]:
    """Real on* attributes of parsed elements (not text that merely looks like one)."""
    parser = _Attrs()
    parser.feed(body)
    return parser.found


def test_profile_strings_are_escaped_everywhere(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "org")
    profile = project / "branches" / "good-one" / "profile.yml"
    hostile = '"<script>alert(1)</script><img src=x onerror=alert(2)>"'
    text = profile.read_text("utf-8").replace(
        "summary: 甲社区党委组织党员开展便民服务，这是它的简介。", f"summary: {hostile}"
    )
    text = text.replace("{name: 甲品牌}", '{name: "甲<b>品牌</b>", slogan: "\\"><svg onload=alert(3)>"}')
    profile.write_text(text, "utf-8")
    (project / "branches" / "good-one" / "case.md").write_text(
        textwrap.dedent(
            """\
            ## 主要举措

            <script>alert(4)</script>

            [点我](https://ok.example/ "t\\" onclick=\\"alert(5)") ![x](https://evil.example/x.png)
            """
        ),
        "utf-8",
    )
    build_site(project / "mkdocs.yml", tmp_path / "site", strict=True)
    for page in (tmp_path / "site").rglob("*.html"):
        body = page.read_text("utf-8")
        assert "<script>alert" not in body, page
        assert event_handler_attributes(body) == [], page
        assert "<svg onload" not in body and "<b>品牌</b>" not in body, page
        assert "javascript:alert" not in body and "evil.example" not in body, page
    branch = (tmp_path / "site" / "branches" / "good-one" / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in branch
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in branch
    assert "甲&lt;b&gt;品牌&lt;/b&gt;" in branch
    # page.meta values reach <title> and <meta> through Material's unescaped templates
    assert '<meta name="description" content="&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x' in branch
    assert "<title>甲&lt;b&gt;品牌&lt;/b&gt; · 甲社区党委 - 测试站</title>" in branch
