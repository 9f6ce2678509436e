"""Photos, logos, share cards and QR codes as the built site publishes them, and the photo
rules of `showcase check` — real builds, real files, read back independently."""

from __future__ import annotations

import html.parser
import io
import re
from pathlib import Path

import pytest
from PIL import Image

import showcase.media.images
import showcase.media.sharing
from conftest import ROOT, BuiltSite, build_site, scratch_project
from imagefiles import assert_clean, camera_jpeg, marker_picture, markers_found, noise_picture, stored_form
from showcase.cli.main import main as showcase_main

SITE_URL = "https://dangjian.example.org/"
SLUG = "ceshi-shequ"


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(markup: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


def og(markup: str) -> dict[str, str]:
    return {a["property"]: a["content"] for t, a in tags(markup) if t == "meta" and "property" in a}


# --- the sample site ------------------------------------------------------------------------


def test_every_published_image_is_free_of_metadata(sample_site: BuiltSite) -> None:
    files = [
        p
        for p in sample_site.dir.rglob("*")
        if p.suffix in (".jpg", ".webp", ".png")
        and p.parts[len(sample_site.dir.parts)] in ("branches", "media")
    ]
    files.append(sample_site.dir / "assets" / "showcase" / "share.jpg")
    assert len(files) > 24 * 3
    for path in files:
        assert_clean(path.read_bytes(), str(path.relative_to(sample_site.dir)))


def test_published_files_are_readable_by_the_web_server(sample_site: BuiltSite) -> None:
    """Files written atomically (search index, renditions) must not keep mkstemp's 0600."""
    unreadable = [
        str(p.relative_to(sample_site.dir))
        for p in sample_site.dir.rglob("*")
        if p.is_file() and not p.stat().st_mode & 0o004
    ]
    assert unreadable == []


def test_srcset_entries_exist_at_their_stated_widths(sample_site: BuiltSite) -> None:
    page_dir = sample_site.dir / "branches" / "yangguang-shequ"
    markup = (page_dir / "index.html").read_text("utf-8")
    sets = [a["srcset"] for t, a in tags(markup) if t in ("source", "img") and "srcset" in a]
    assert len(sets) == 2 * 3  # WebP and JPEG for each of the three photos
    for srcset in sets:
        for entry in srcset.split(", "):
            url, width = entry.rsplit(" ", 1)
            with Image.open(page_dir / url) as img:
                assert f"{img.width}w" == width, (url, img.size)
                assert img.format == ("WEBP" if url.endswith(".webp") else "JPEG")


def test_branch_page_share_tags_point_to_a_real_card(sample_site: BuiltSite) -> None:
    markup = sample_site.page("branches/yangguang-shequ/")
    tags_ = og(markup)
    assert tags_["og:type"] == "article"
    assert tags_["og:title"] == "五心阳光 · 阳光社区党委"
    assert tags_["og:url"] == f"{SITE_URL}branches/yangguang-shequ/"
    assert tags_["og:description"].startswith("阳光社区党委打造“五心阳光”党建品牌")
    assert tags_["og:image"] == f"{SITE_URL}branches/yangguang-shequ/share.jpg"
    assert (tags_["og:image:width"], tags_["og:image:height"]) == ("1200", "630")
    assert '<meta name="twitter:card" content="summary_large_image">' in markup
    card = sample_site.dir / "branches" / "yangguang-shequ" / "share.jpg"
    with Image.open(card) as img:
        assert (img.format, img.size) == ("JPEG", (1200, 630))
    home = og(sample_site.page(""))
    assert home["og:title"] == "党建品牌展示站"
    assert home["og:image"] == f"{SITE_URL}assets/showcase/share.jpg"


def test_every_branch_has_a_qr_code_svg(sample_site: BuiltSite) -> None:
    branches = sorted(p.name for p in (ROOT / "branches").iterdir() if (p / "profile.yml").is_file())
    for slug in branches:
        svg = (sample_site.dir / "branches" / slug / "qr.svg").read_text("utf-8")
        assert svg.startswith("<svg") and 'class="segno"' in svg
        assert 'src="qr.svg"' in sample_site.page(f"branches/{slug}/")


def test_credit_line_and_alt_text(sample_site: BuiltSite) -> None:
    markup = sample_site.page("branches/yangguang-shequ/")
    imgs = [a for t, a in tags(markup) if t == "img" and a.get("src", "").startswith("../../media/")]
    assert [a["alt"] for a in imgs] == [
        "义务巡逻队在幼儿园周边护学（示意图）",
        "志愿者为社区老人和孩子开展书法绘画活动（示意图）",
        "居民在社区党群服务中心参加剪纸活动（示意图）",
    ]
    assert markup.count('<span class="sc-credit">■ 示意图</span>') == 3  # 示意图 is not 摄


def test_meta_tags_escape_their_values() -> None:
    hostile = '"><script>alert(1)</script>'
    markup = showcase.media.sharing.meta_tags(
        title=hostile, description=hostile, url=None, site_name="站", image="https://x.example/a.jpg"
    )
    found = og(markup)
    assert found["og:title"] == hostile and found["og:description"] == hostile
    assert "og:url" not in found
    assert "<script>" not in markup


# --- scratch projects ---------------------------------------------------------------------


def _project(root: Path, photos: list[tuple[str, str]], *, site_url: str | None = SITE_URL) -> Path:
    """A one-branch project; `photos` are (profile line fragment, file name) pairs."""
    config = scratch_project(root, site_url=site_url)
    folder = root / "branches" / SLUG
    (folder / "photos").mkdir(parents=True)
    lines = "\n".join(f"  - {fragment}" for fragment, _ in photos)
    (folder / "profile.yml").write_text(
        f"""slug: {SLUG}
name: 测试社区党委
category: 社区
region: 呼和浩特市/回民区
brand: {{name: 测试品牌}}
summary: 用于测试照片流水线的党组织。
themes: [基层治理]
figures:
  - {{label: 党员, value: 1400, qualifier: 余, unit: 名}}
photos:
{lines}
updated: 2024-10-25
""",
        "utf-8",
    )
    (folder / "case.md").write_text(
        "## 主要举措\n\n" + "社区党委组织党员志愿者走进楼栋。" * 30 + "\n", "utf-8"
    )
    return config


def test_phone_photo_is_published_upright_and_clean(tmp_path: Path) -> None:
    """A sideways phone JPEG with EXIF+GPS, XMP, IPTC and a comment holding a phone number."""
    config = _project(tmp_path, [("{file: photos/a.jpg, caption: 巡逻, credit: 本报记者 祁晓燕}", "a.jpg")])
    upright = marker_picture(1200, 800)
    (tmp_path / "branches" / SLUG / "photos" / "a.jpg").write_bytes(camera_jpeg(stored_form(upright, 6), 6))
    site = build_site(config, tmp_path / "site")
    published = sorted(p for p in (site.dir / "media").rglob("*") if p.is_file())
    assert sorted(p.name.split("-", 1)[1] for p in published) == [
        "1200.jpg",
        "1200.webp",
        "480.jpg",
        "480.webp",
        "960.jpg",
        "960.webp",
    ]
    assert len({p.name.split("-", 1)[0] for p in published}) == 1  # one photo, one content key
    for path in published:
        data = path.read_bytes()
        assert_clean(data, path.name)
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            assert img.width * 2 == img.height * 3  # landscape again: upright
            assert markers_found(img.convert("RGB")) == markers_found(upright)


def test_warm_rebuild_reprocesses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _project(tmp_path, [("{file: photos/a.jpg, caption: 巡逻, credit: 本报记者 祁晓燕}", "a.jpg")])
    noise_picture(1600, 1200).save(tmp_path / "branches" / SLUG / "photos" / "a.jpg", "JPEG")
    first = build_site(config, tmp_path / "site1")

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a warm rebuild decoded an image")

    monkeypatch.setattr(showcase.media.images, "photo_renditions", refuse)
    monkeypatch.setattr(showcase.media.images, "inspect", refuse)
    monkeypatch.setattr(showcase.media.sharing, "draw_card", refuse)
    second = build_site(config, tmp_path / "site2")
    assert second.warnings == []
    names = sorted(
        p.relative_to(second.dir) for p in second.dir.rglob("*") if p.suffix in (".jpg", ".webp", ".svg")
    )
    assert names and names == sorted(
        p.relative_to(first.dir) for p in first.dir.rglob("*") if p.suffix in (".jpg", ".webp", ".svg")
    )
    for rel in names:
        assert (first.dir / rel).read_bytes() == (second.dir / rel).read_bytes(), rel


def test_check_reports_each_photo_problem_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photos = [
        ("{file: photos/good.jpg, caption: 好照片, credit: 本报记者 祁晓燕}", "good.jpg"),
        ("{file: photos/missing.jpg, caption: 不存在, credit: 某某}", ""),
        ("{file: photos/cut.jpg, caption: 传了一半, credit: 某某}", "cut.jpg"),
        ("{file: photos/tiff.jpg, caption: 其实是TIFF, credit: 某某}", "tiff.jpg"),
        ("{file: photos/small.jpg, caption: 太小, credit: 某某}", "small.jpg"),
        ("{file: photos/huge.jpg, caption: 太大, credit: 某某}", "huge.jpg"),
        ("{file: photos/bomb.png, caption: 像素炸弹, credit: 某某}", "bomb.png"),
    ]
    config = _project(tmp_path, photos)
    folder = tmp_path / "branches" / SLUG / "photos"
    noise_picture(1200, 900).save(folder / "good.jpg", "JPEG")
    buf = io.BytesIO()
    noise_picture(1200, 900, seed=2).save(buf, "JPEG")
    (folder / "cut.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    noise_picture(900, 600).save(folder / "tiff.jpg", "TIFF")
    noise_picture(700, 500).save(folder / "small.jpg", "JPEG")
    (folder / "huge.jpg").write_bytes(buf.getvalue() + b"\0" * (31 * 1024 * 1024))
    from imagefiles import png_header_only

    (folder / "bomb.png").write_bytes(png_header_only(100_000, 100_000))
    noise_picture(900, 600).save(folder / "stray.jpg", "JPEG")

    code = showcase_main(["-f", str(config), "check"])
    out = capsys.readouterr().out
    profile = f"branches/{SLUG}/profile.yml"
    found = re.findall(rf"^{re.escape(profile)}:(\d+):\d+: (PHOTO_\w+)", out, re.M)
    assert found == [
        ("12", "PHOTO_MISSING"),
        ("13", "PHOTO_BROKEN"),
        ("14", "PHOTO_FORMAT"),
        ("15", "PHOTO_TOO_SMALL"),
        ("16", "PHOTO_TOO_LARGE"),
        ("17", "PHOTO_PIXELS"),
    ], out
    assert f"branches/{SLUG}/photos/stray.jpg:1:1: PHOTO_UNLISTED" in out
    assert "请从手机或相机重新导出原图" in out and "超过 30 MB 上限" in out and "TIFF" in out
    assert code == 1

    # The build publishes the page with the photos that are fine, and says what it left out.
    site = build_site(config, tmp_path / "site", strict=False)
    shown = [a["alt"] for t, a in tags(site.page(f"branches/{SLUG}/")) if t == "img" and "srcset" in a]
    assert shown == ["好照片", "太小"]
    published = {p.name.split("-", 1)[0] for p in (site.dir / "media").rglob("*") if p.is_file()}
    assert len(published) == 2
    assert sum("PHOTO_" in w for w in site.warnings) == 5, site.warnings


def test_missing_caption_or_credit_is_a_schema_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, [("{file: photos/a.jpg, caption: 只有说明}", "a.jpg")])
    noise_picture(900, 600).save(tmp_path / "branches" / SLUG / "photos" / "a.jpg", "JPEG")
    assert showcase_main(["-f", str(config), "check"]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"branches/{SLUG}/profile.yml:11:\d+: \w+ .*credit", out), out


def test_without_site_url_there_are_no_qr_codes_but_the_site_builds(tmp_path: Path) -> None:
    config = _project(
        tmp_path, [("{file: photos/a.jpg, caption: 巡逻, credit: 本报记者 祁晓燕}", "a.jpg")], site_url=None
    )
    noise_picture(900, 600).save(tmp_path / "branches" / SLUG / "photos" / "a.jpg", "JPEG")
    site = build_site(config, tmp_path / "site")
    assert not (site.dir / "branches" / SLUG / "qr.svg").exists()
    tags_ = og(site.page(f"branches/{SLUG}/"))
    assert "og:url" not in tags_ and "og:image" not in tags_
    assert tags_["og:title"] == "测试品牌 · 测试社区党委"
