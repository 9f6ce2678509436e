"""Originals as today's phones make them: a real 200 MP JPEG (16320×12240, over 21 MB, EXIF
orientation 6 with GPS) passes `showcase check`, is published downsized by a real build, and
costs little memory; headers that claim more pixels than any phone are still refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import imagefiles as f
from conftest import build_site, scratch_project
from showcase.cli.main import main as showcase_main
from showcase.media import images
from showcase.media import renditions as photos
from showcase.media.images import ImageError

MB = 1024 * 1024
UPRIGHT = {name: name for name in f.MARKER_CENTRES}
SLUG = "ceshi-shequ"
WIDTH, HEIGHT = 16320, 12240  # a 200 MP phone sensor (Samsung HP2 / HP3), as displayed


@pytest.fixture(scope="module")
def phone_200mp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The upright marker picture on a noise background (so the JPEG is as large as a real
    one), stored sideways with orientation 6 as the phone writes it. Made at 1/8 scale and
    enlarged by whole pixels: about 2 s."""
    small = f.marker_picture(WIDTH // 8, HEIGHT // 8)
    pixels = np.array(small)
    background = (pixels == f.BACKGROUND).all(axis=-1)
    noise = np.random.default_rng(6).integers(0, 256, pixels.shape, dtype=np.uint8)
    pixels[background] = noise[background]
    stored = f.stored_form(Image.fromarray(pixels), 6)
    big = stored.resize((stored.width * 8, stored.height * 8), Image.Resampling.NEAREST)
    path = tmp_path_factory.mktemp("phone") / "200mp.jpg"
    path.write_bytes(f.camera_jpeg(big, 6, quality=80))
    return path


def test_the_fixture_is_a_real_200mp_phone_original(phone_200mp: Path) -> None:
    with Image.open(phone_200mp) as img:
        assert img.format == "JPEG" and img.size == (HEIGHT, WIDTH)  # stored sideways
        assert img.getexif()[f.ORIENTATION] == 6
    size = phone_200mp.stat().st_size
    assert WIDTH * HEIGHT >= 150_000_000 and 21 * MB <= size <= images.MAX_BYTES, size


def _project(root: Path, photo: Path) -> Path:
    config = scratch_project(root)
    folder = root / "branches" / SLUG
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "a.jpg").write_bytes(photo.read_bytes())
    (folder / "profile.yml").write_text(
        f"""slug: {SLUG}
name: 测试社区党委
category: 社区
region: 呼和浩特市/回民区
brand: {{name: 测试品牌}}
summary: 用于测试两亿像素手机原图的党组织。
themes: [基层治理]
figures:
  - {{label: 党员, value: 1400, qualifier: 余, unit: 名}}
photos:
  - {{file: photos/a.jpg, caption: 志愿者巡逻, credit: 本报记者 祁晓燕}}
updated: 2024-10-25
""",
        "utf-8",
    )
    (folder / "case.md").write_text(
        "## 主要举措\n\n" + "社区党委组织党员志愿者走进楼栋。" * 30 + "\n", "utf-8"
    )
    return config


def test_200mp_original_passes_check_and_is_downsized_at_build(
    tmp_path: Path, phone_200mp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, phone_200mp)
    assert showcase_main(["-f", str(config), "check"]) == 0
    captured = capsys.readouterr()
    assert "PHOTO_" not in captured.out + captured.err, captured.out

    site = build_site(config, tmp_path / "site")
    assert not [w for w in site.warnings if "PHOTO_" in w], site.warnings
    published = {p.name.split("-", 1)[1]: p for p in (site.dir / "media").rglob("*") if p.is_file()}
    assert sorted(published) == ["1600.jpg", "1600.webp", "480.jpg", "480.webp", "960.jpg", "960.webp"]
    for name in ("1600.jpg", "1600.webp"):
        data = published[name].read_bytes()
        f.assert_clean(data, name)
        img = f.open_image(data)
        assert img.size == (1600, 1200), (name, img.size)
        assert f.markers_found(img) == UPRIGHT, name


def test_200mp_original_is_rendered_in_little_memory(phone_200mp: Path) -> None:
    """Decoding it at full size takes 600 MB for the pixels alone (a plain Pillow open, turn
    and resize peaks at about 1.5 GB); at reduced DCT scale the whole job stays far below."""
    # VmHWM, the peak resident size of this process image: unlike ru_maxrss it does not carry
    # over the peak of the pytest process that forked it.
    script = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from showcase.media import images\n"
        "def peak():\n"
        "    return int(re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text())[1])\n"
        "raw = Path(sys.argv[1]).read_bytes()\n"
        "before = peak()\n"
        "images.inspect(raw)\n"
        "out, _ = images.photo_renditions(raw)\n"
        "assert max(e.width for e in out) == 1600\n"
        "print(before, peak())\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(phone_200mp)], capture_output=True, text=True, check=True
    )
    before_kb, peak_kb = (int(v) for v in run.stdout.split())
    used = (peak_kb - before_kb) / 1024
    assert before_kb > 20 * 1024 and used < 200, f"{used:.0f} MB above the start (peak {peak_kb // 1024} MB)"


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF0) claims `width`×`height`."""
    raw = bytearray(f.encode(f.marker_picture(64, 48), "JPEG", quality=90))
    at = raw.index(b"\xff\xc0")
    raw[at + 5 : at + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(raw)


@pytest.mark.parametrize(
    ("width", "height", "fragment"),
    [
        pytest.param(16384, 13000, "（16384×13000）", id="213MP"),
        pytest.param(65500, 65500, "超过 2.1 亿像素上限", id="4.3-gigapixel"),
    ],
)
@pytest.mark.parametrize("fn", [images.inspect, images.decode, images.photo_renditions])
def test_jpeg_bombs_are_refused_by_pixel_count(fn: object, width: int, height: int, fragment: str) -> None:
    assert callable(fn)
    with pytest.raises(ImageError) as e:
        fn(_jpeg_claiming(width, height))
    assert e.value.code == "PHOTO_PIXELS" and fragment in e.value.message, e.value.message
    assert "可能是异常文件" in e.value.message


def test_the_largest_phone_sensor_passes_the_pixel_check() -> None:
    """16384×12288 (201.3 MP) is a real sensor's size: only its (fake) data may fail."""
    img = images.open_header(_jpeg_claiming(16384, 12288))
    assert img.size == (16384, 12288)


def test_a_photo_refused_under_the_old_limits_is_judged_again(tmp_path: Path, phone_200mp: Path) -> None:
    """index.json remembers inspections by content: one made under the 50 MP limit must not
    keep refusing the photo now that it is allowed."""
    index = tmp_path / "photos" / "index.json"
    index.parent.mkdir()
    sha = photos.SourceIndex(None).inspect(phone_200mp).sha256
    stale = ["error", "PHOTO_PIXELS", "图片像素过多（12240×16320），超过 50 百万像素上限"]
    old = {"version": images.PIPELINE_VERSION, "files": {}, "sources": {sha: stale}}
    index.write_text(json.dumps(old), "utf-8")
    info = photos.SourceIndex(tmp_path).inspect(phone_200mp)
    assert (info.format, info.width, info.height) == ("JPEG", WIDTH, HEIGHT)


@pytest.mark.parametrize("mode", ["RGB", "P"])
def test_large_png_beyond_the_old_limit_is_reduced_upright(mode: str) -> None:
    """60 MP: PNG has no reduced-scale decoding, so the decode is box-reduced before anything
    else; a palette image is made RGB first (averaging palette indices would mean nothing)."""
    stored = f.stored_form(f.marker_picture(10000, 6000), 6).convert(mode)
    raw = f.encode(stored, "PNG", exif=f.camera_exif(6))
    assert stored.width * stored.height > images.REDUCE_ABOVE_PIXELS
    out, _ = images.photo_renditions(raw)
    largest = f.open_image(out[1].data)  # largest first: WebP, then JPEG
    assert (out[1].ext, largest.size) == ("jpg", (1600, 960))
    assert f.markers_found(largest) == UPRIGHT
