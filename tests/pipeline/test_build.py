"""A full strict build of the sample site, checked against the sources in branches/."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from PIL import Image

from conftest import ROOT, BuiltSite, build_site

pytestmark = pytest.mark.slow

BRANCH_DIRS = sorted(p.parent for p in (ROOT / "branches").glob("*/profile.yml"))


def source(folder: Path) -> dict:
    """The profile as plain strings, read independently of the package's loader."""
    return yaml.load((folder / "profile.yml").read_text("utf-8"), Loader=yaml.BaseLoader)


def newspaper_number(figure: dict) -> str:
    q, unit = figure.get("qualifier", ""), figure.get("unit", "")
    if q in ("近", "约", "超"):
        return f"{q}{figure['value']}{unit}"
    return f"{figure['value']}{q}{unit}"


def text_of(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def listed_slugs(site: BuiltSite, base: str) -> list[str]:
    """Branch slugs linked from a listing and all its further pages."""
    slugs: list[str] = []
    n = 1
    while True:
        path = site.dir / base / ("" if n == 1 else f"{n}/") / "index.html"
        if not path.is_file():
            return slugs
        body = path.read_text("utf-8").split('<article class="md-content__inner', 1)[-1]
        slugs += re.findall(r'class="sc-card__link" href="[^"]*branches/([a-z0-9-]+)/"', body)
        n += 1


def test_sample_has_enough_branches() -> None:
    assert len(BRANCH_DIRS) >= 24


def test_strict_build_is_clean(sample_site: BuiltSite) -> None:
    assert sample_site.warnings == []


@pytest.mark.parametrize("folder", BRANCH_DIRS, ids=lambda p: p.name)
def test_branch_page_shows_its_profile(sample_site: BuiltSite, folder: Path) -> None:
    data = source(folder)
    page = sample_site.page(f"branches/{folder.name}")
    text = text_of(page)
    assert data["name"] in text
    assert data["brand"]["name"] in text
    assert data["summary"] in text
    for figure in data.get("figures", []):
        assert figure["label"] in text
        assert newspaper_number(figure) in text, figure
    for honor in data.get("honors", []):
        assert honor["title"] in text
    photos = data.get("photos", [])
    assert 2 <= len(photos) <= 4
    srcs = re.findall(r'<img src="([^"]+)"[^>]*alt="([^"]*)"', page)
    for photo in photos:
        assert photo["caption"] in text
        assert any(html.unescape(alt) == photo["caption"] for _, alt in srcs), photo["caption"]
    for src, _ in srcs:
        assert (sample_site.dir / "branches" / folder.name / unquote(src)).resolve().is_file(), src
    # case write-up rendered with Chinese heading ids; no link into the repository on a public page
    assert 'id="主要举措"' in page and 'id="取得成效"' in page
    assert "edit/main/" not in page and "profile.yml" not in page


def test_branch_pages_are_not_in_the_nav(sample_site: BuiltSite) -> None:
    home = (sample_site.dir / "index.html").read_text("utf-8")
    nav = home.split('<nav class="md-nav md-nav--primary', 1)[1].split(
        '<nav class="md-nav md-nav--secondary', 1
    )[0]
    assert "branches/" not in nav
    for section in ("品牌", "区域", "类别", "主题"):
        assert section in nav


def test_brand_wall_lists_every_branch(sample_site: BuiltSite) -> None:
    assert sorted(listed_slugs(sample_site, "brands")) == sorted(p.name for p in BRANCH_DIRS)


def test_category_theme_and_region_listings_are_complete(sample_site: BuiltSite) -> None:
    taxonomy = yaml.load((ROOT / "branches/taxonomy.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    profiles = {p.name: source(p) for p in BRANCH_DIRS}
    for term in taxonomy["categories"]:
        want = sorted(s for s, d in profiles.items() if d["category"] == term["name"])
        assert sorted(listed_slugs(sample_site, f"categories/{term['name']}")) == want, term["name"]
    for term in taxonomy["themes"]:
        want = sorted(s for s, d in profiles.items() if term["name"] in d.get("themes", []))
        assert sorted(listed_slugs(sample_site, f"themes/{term['name']}")) == want, term["name"]
    # every level of the region tree: a region lists every branch at or below it
    regions = {d["region"] for d in profiles.values()}
    prefixes = {"/".join(r.split("/")[:i]) for r in regions for i in range(1, r.count("/") + 2)}
    for prefix in prefixes:
        want = sorted(s for s, d in profiles.items() if (d["region"] + "/").startswith(prefix + "/"))
        assert sorted(listed_slugs(sample_site, f"regions/{prefix}")) == want, prefix


def test_home_page_has_site_figures_and_entry_points(sample_site: BuiltSite) -> None:
    home = text_of((sample_site.dir / "index.html").read_text("utf-8"))
    assert f"{len(BRANCH_DIRS)}个党组织" in home.replace("\n", "").replace(" ", "")
    for entry in ("品牌墙", "区域", "组织类别", "工作主题"):
        assert entry in home


URL_ATTR = re.compile(r'(?:src|href|srcset|poster|data)\s*=\s*"([^"]*)"', re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")


def test_no_page_loads_from_another_host(sample_site: BuiltSite) -> None:
    offenders = []
    for page in sample_site.dir.rglob("*.html"):
        body = page.read_text("utf-8")
        # resources the browser fetches by itself: scripts, styles, images, frames, preloads
        for tag in re.findall(
            r"<(?:script|img|link|iframe|source|video|audio|embed|object)\b[^>]*>", body, re.I
        ):
            if tag.lower().startswith("<link") and not re.search(
                r'rel="(?:stylesheet|preload|icon|modulepreload|manifest)', tag
            ):
                continue
            for url in URL_ATTR.findall(tag):
                for part in url.split(","):
                    host = urlsplit(part.strip().split(" ")[0]).netloc
                    if host or part.strip().startswith("//"):
                        offenders.append((page.relative_to(sample_site.dir), part))
    for css in sample_site.dir.rglob("*.css"):
        for url, imported in CSS_URL.findall(css.read_text("utf-8")):
            target = url or imported
            if urlsplit(target).netloc or target.startswith("//"):
                offenders.append((css.relative_to(sample_site.dir), target))
    assert offenders == []


def test_published_photos_carry_no_metadata(sample_site: BuiltSite) -> None:
    photos = list((sample_site.dir / "media").glob("*/*.jpg"))
    assert len(photos) >= 48
    for path in photos:
        with Image.open(path) as img:
            assert not img.getexif(), path
            assert not {"exif", "icc_profile", "xmp", "comment"} & set(img.info), (path, set(img.info))
            assert img.width <= 1600


def test_nothing_written_into_docs_dir(tmp_path: Path) -> None:
    def snapshot() -> dict[str, bytes]:
        return {
            str(p.relative_to(ROOT)): p.read_bytes()
            for p in sorted((ROOT / "content").rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    assert snapshot() == before
