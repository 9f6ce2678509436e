"""Photo galleries in real Chromium: the lightbox opens on tap, swipes, shows caption and credit,
closes; pages stay light before scrolling; the QR code on the page decodes to the page's URL.

A scratch site with one branch of six photo-like 2400×1800 JPEGs (one shot in portrait and
stored sideways with EXIF orientation 6, one with a caption that looks like HTML) is built
and served with gzip, as a production server would.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw, ImageFilter

from conftest import BuiltSite, build_site, scratch_project, serving
from page_types import settle, swipe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "xiangce-shequ"
HOSTILE_CAPTION = '<img src=x onerror="window.__pwned=1">居民议事会现场'
CAPTIONS = [
    "党员志愿者为独居老人上门理发",
    "社区“红色议事厅”讨论加装电梯",
    HOSTILE_CAPTION,
    "网格员入户走访，收集居民诉求",
    "“一老一小”课堂上孩子们学剪纸",
    "夜间义务巡逻队在小区巡查",
]
SITE_URL = "https://dangjian.example.org/"
PHONE = {"width": 390, "height": 844}
BUDGET = 400 * 1024  # bytes a branch page may transfer before the reader scrolls


def photo_like(size: tuple[int, int], seed: int) -> Image.Image:
    """A picture with the detail of a real photo (gradients, shapes, sensor noise), so encoded
    sizes are realistic: flat test colours would compress to almost nothing."""
    w, h = size
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    tint = Image.new("RGB", size, ((seed * 70) % 200 + 40, (seed * 40) % 160 + 60, (seed * 90) % 180 + 50))
    img = Image.blend(img, tint, 0.6)
    draw = ImageDraw.Draw(img)
    for i in range(40):
        x, y = (i * 997 * (seed + 3)) % w, (i * 613 * (seed + 5)) % h
        draw.rectangle([x, y, x + w // 9, y + h // 7], fill=((i * 37) % 255, (i * 91) % 255, (i * 53) % 255))
    img = img.filter(ImageFilter.GaussianBlur(3))
    noise = Image.effect_noise(size, 28).convert("RGB")
    img = Image.blend(img, noise, 0.18)
    # Texture at a coarser scale survives downscaling, as the detail of real photos does:
    # a 1600-px WebP of this weighs about what one of a phone photo does (~180 KB).
    coarse = Image.effect_noise((w // 3, h // 3), 50).convert("RGB").resize(size, Image.Resampling.BICUBIC)
    return Image.blend(img, coarse, 0.2)


def _write_photos(folder: Path) -> None:
    (folder / "photos").mkdir(parents=True)
    for i in range(6):
        exif = Image.Exif()
        exif[0x010F] = "TestPhone"
        if i == 1:
            # Shot in portrait: stored sideways, EXIF orientation 6 says "turn 90° clockwise".
            img = photo_like((1800, 2400), i).transpose(Image.Transpose.ROTATE_90)
            exif[0x0112] = 6
        else:
            img = photo_like((2400, 1800), i)
        img.save(folder / "photos" / f"p{i + 1}.jpg", "JPEG", quality=88, exif=exif)


def make_gallery_project(root: Path) -> Path:
    """Write the scratch project; returns its mkdocs.yml."""
    config = scratch_project(root, site_name="相册测试站", site_url=SITE_URL)
    folder = root / "branches" / SLUG
    _write_photos(folder)
    photos = "\n".join(
        f"  - {{file: photos/p{i + 1}.jpg, caption: {json.dumps(c, ensure_ascii=False)}, credit: 本报记者 祁晓燕, date: 2024-09-0{i + 1}}}"
        for i, c in enumerate(CAPTIONS)
    )
    (folder / "profile.yml").write_text(
        f"""slug: {SLUG}
name: 回民区光明路街道相册社区党委
category: 社区
region: 呼和浩特市/回民区/光明路街道
brand: {{name: 光影相册, slogan: 用镜头记录身边的党员}}
summary: 相册社区党委用照片记录党员志愿服务，把居民身边的好人好事留在社区的相册里。
themes: [基层治理, 志愿服务]
figures:
  - {{label: 党员, value: 1400, qualifier: 余, unit: 名}}
  - {{label: 志愿服务先锋队, value: 48, unit: 支}}
  - {{label: 开展文体活动, value: 100, qualifier: 余, unit: 场}}
photos:
{photos}
updated: 2024-10-25
""",
        "utf-8",
    )
    body = "社区党委组织党员志愿者走进楼栋，倾听居民的急难愁盼，逐项建立台账、限时办结。" * 6
    (folder / "case.md").write_text(f"## 主要举措\n\n{body}\n\n## 取得成效\n\n{body}\n", "utf-8")
    return config


@pytest.fixture(scope="module")
def gallery_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("gallery") / "org"
    return build_site(make_gallery_project(root), root / "site")


@pytest.fixture(scope="module")
def served_gallery(gallery_site: BuiltSite) -> Iterator[str]:
    with serving(gallery_site.dir) as base:
        yield base


def _watch(page: Any) -> tuple[list[str], list[str]]:
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return requests, errors


def _foreign(requests: list[str], base: str) -> list[str]:
    host = urlsplit(base).netloc
    return [u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != host]


def test_gallery_markup_is_responsive_and_accessible(gallery_site: BuiltSite) -> None:
    html = gallery_site.page(f"branches/{SLUG}/")
    assert html.count('class="sc-photo__link"') == 6
    media = r"\.\./\.\./media/[0-9a-f]{2}/[0-9a-f]{32}"
    sources = re.findall(r'<source type="image/webp" srcset="([^"]*)"', html)
    assert len(sources) == 6
    for srcset in sources:
        assert re.fullmatch(
            f"({media})-480\\.webp 480w, \\1-960\\.webp 960w, \\1-1600\\.webp 1600w", srcset
        ), srcset
    # The portrait photo is published upright: 1600 wide means 2133 tall, not 1200.
    assert 'data-pswp-width="1600" data-pswp-height="2133"' in html
    assert html.count('loading="lazy"') >= 6
    assert html.count("background-image:url(data:image/webp;base64,") >= 6
    assert "&lt;img src=x onerror=" in html  # the caption is text, escaped
    assert '<script type="module" src="../../assets/showcase/gallery.js"></script>' in html
    page_dir = gallery_site.dir / "branches" / SLUG
    portrait = sources[1].split(" ", 1)[0].replace("-480.webp", "-960.jpg")  # p2 is the portrait one
    with Image.open(page_dir / portrait) as img:
        assert (img.format, img.size) == ("JPEG", (960, 1280))


def test_lightbox_tap_swipe_caption_close_on_a_phone(browser: Any, served_gallery: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    page = context.new_page()
    requests, errors = _watch(page)
    try:
        page.goto(served_gallery + f"branches/{SLUG}/", wait_until="networkidle")
        # Nothing of PhotoSwipe's main code or stylesheet is fetched until a photo is opened.
        assert not [u for u in requests if "photoswipe.esm.min.js" in u or "photoswipe.css" in u]
        first = page.locator("a.sc-photo__link").first
        first.scroll_into_view_if_needed()
        first.tap()
        page.wait_for_selector(".pswp--open", timeout=10000)
        settle(page)
        page.wait_for_function("document.querySelector('.pswp__counter').textContent.trim() === '1 / 6'")
        caption = page.locator(".sc-lightbox-caption")
        assert CAPTIONS[0] in caption.inner_text()
        assert "■ 本报记者 祁晓燕 摄" in caption.inner_text()
        page.wait_for_function(
            "[...document.querySelectorAll('.pswp__img')].some(i => i.complete && i.naturalWidth > 0 && i.src.endsWith('.webp'))"
        )

        swipe(page, (340, 420), (40, 420))
        page.wait_for_function("document.querySelector('.pswp__counter').textContent.trim() === '2 / 6'")
        assert CAPTIONS[1] in caption.inner_text()
        settle(page)
        swipe(page, (340, 420), (40, 420))
        page.wait_for_function("document.querySelector('.pswp__counter').textContent.trim() === '3 / 6'")
        # A caption that looks like HTML is shown as text and runs nothing.
        assert HOSTILE_CAPTION in caption.inner_text()
        assert page.evaluate("window.__pwned") is None
        settle(page)
        swipe(page, (40, 420), (340, 420))  # and back
        page.wait_for_function("document.querySelector('.pswp__counter').textContent.trim() === '2 / 6'")
        settle(page)

        page.locator(".pswp__button--close").tap()
        page.wait_for_selector(".pswp", state="detached", timeout=10000)
        assert _foreign(requests, served_gallery) == []
        assert errors == []
    finally:
        context.close()


def test_lightbox_works_from_the_keyboard(browser: Any, served_gallery: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests, errors = _watch(page)
    try:
        page.goto(served_gallery + f"branches/{SLUG}/", wait_until="networkidle")
        link = page.locator("a.sc-photo__link").nth(1)
        assert link.get_attribute("aria-label") == f"查看大图：{CAPTIONS[1]}"
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".pswp--open", timeout=10000)
        settle(page)
        page.wait_for_function("document.querySelector('.pswp__counter').textContent.trim() === '2 / 6'")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('.pswp__counter').textContent.trim() === '3 / 6'")
        settle(page)
        assert page.locator(".pswp__button--close").get_attribute("title") == "关闭（Esc）"
        page.keyboard.press("Escape")
        page.wait_for_selector(".pswp", state="detached", timeout=10000)
        assert _foreign(requests, served_gallery) == []
        assert errors == []
    finally:
        context.close()


def transferred_before_scrolling(browser: Any, url: str) -> tuple[int, dict[str, int]]:
    """Bytes on the wire (headers included, gzip where the server compresses) for everything the
    page loads on a 390×844 phone at device pixel ratio 3 without scrolling."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on(
        "Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"]))
    )
    try:
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(500)  # late lazy-load decisions
        by_url = {urls.get(k, k): v for k, v in sizes.items()}
        return sum(by_url.values()), by_url
    finally:
        context.close()


def test_branch_page_with_six_photos_stays_under_400_kb_before_scrolling(
    browser: Any, served_gallery: str
) -> None:
    total, by_url = transferred_before_scrolling(browser, served_gallery + f"branches/{SLUG}/")
    photos = [u for u in by_url if "/photos/" in u]
    assert total <= BUDGET, f"{total / 1024:.0f} KB: " + ", ".join(
        f"{u.rsplit('/', 1)[-1]} {n}" for u, n in by_url.items()
    )
    assert total > 50 * 1024, by_url  # the measurement saw the page's CSS and JS at all
    assert len(photos) < 6, photos  # photos below the fold wait for the reader


def test_qr_code_on_the_page_decodes_to_its_url(browser: Any, served_gallery: str) -> None:
    import zxingcpp

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(served_gallery + f"branches/{SLUG}/", wait_until="networkidle")
        qr = page.locator(".sc-qr img")
        qr.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('.sc-qr img').complete")
        shot = Image.open(io.BytesIO(qr.screenshot()))
        found = zxingcpp.read_barcodes(shot)
        assert [r.text for r in found] == [f"{SITE_URL}branches/{SLUG}/"]
    finally:
        context.close()


def test_home_page_shows_a_strip_of_recent_photos(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    requests, errors = _watch(page)
    try:
        page.goto(served_site, wait_until="networkidle")
        items = page.locator("ul.sc-strip > li")
        assert 1 <= items.count() <= 8
        hrefs = [items.nth(i).locator("a").get_attribute("href") for i in range(items.count())]
        assert all(h and h.startswith("branches/") and h.endswith("/#sc-photos") for h in hrefs), hrefs
        assert len({h.split("/")[1] for h in hrefs if h}) == len(hrefs)  # one photo per branch
        strip = page.locator("ul.sc-strip")
        strip.scroll_into_view_if_needed()
        page.evaluate("document.querySelectorAll('.sc-strip img').forEach(i => i.loading = 'eager')")
        page.wait_for_function(
            "[...document.querySelectorAll('.sc-strip img')].every(i => i.complete && i.naturalWidth > 0)"
        )
        alts = page.eval_on_selector_all(".sc-strip img", "els => els.map(e => e.alt)")
        assert all(alts), alts
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0  # the strip scrolls inside itself, not the page
        assert _foreign(requests, served_site) == []
        assert errors == []
    finally:
        context.close()
