"""`showcase photos shrink`: real phone-like files (EXIF orientation, GPS, XMP, IPTC, comment)
rewritten in place, read back with Pillow and with the independent parsers of imagefiles."""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

import pytest
from PIL import Image

import imagefiles as f
from showcase.cli.main import main as showcase_main
from showcase.media import images, shrink
from showcase.media.images import ImageError

MB = 1024 * 1024
UPRIGHT = {name: name for name in f.MARKER_CENTRES}
# What the date taken may leave in a shrunk file; everything else private must be gone.
PRIVATE = [n for n in f.FORBIDDEN_BYTES if n not in (b"Exif\x00\x00", f.TAKEN.encode(), b"ICC_PROFILE")]


def sideways_jpeg(width: int, height: int, *, quality: int = 90) -> bytes:
    """A camera JPEG (EXIF with GPS and orientation 6, XMP, IPTC, comment) of the upright
    `width`×`height` marker picture, stored sideways as phones do."""
    return f.camera_jpeg(f.stored_form(f.marker_picture(width, height), 6), 6, quality=quality)


@functools.cache
def big_sideways() -> bytes:
    return sideways_jpeg(6000, 4000)


def exif_of(data: bytes) -> tuple[dict[int, object], dict[int, object], dict[int, object]]:
    """(main IFD, Exif IFD, GPS IFD) as Pillow reads them."""
    with Image.open(io.BytesIO(data)) as img:
        exif = img.getexif()
        return dict(exif), dict(exif.get_ifd(f.EXIF_IFD)), dict(exif.get_ifd(f.GPS_IFD))


def assert_private_data_gone(data: bytes) -> None:
    main, sub, gps = exif_of(data)
    assert gps == {} and f.GPS_IFD not in main, (main, gps)
    assert f.ORIENTATION not in main and 0x010F not in main and 0x0110 not in main, main
    assert sub == {f.DATETIME_ORIGINAL: f.TAKEN}, sub
    found = [needle for needle in PRIVATE if needle in data]
    assert found == [], found
    markers = {m for m, _ in f.jpeg_segments(data)} if data[:2] == b"\xff\xd8" else set()
    assert not markers & {f.APP13, f.COM}, markers


# --- the function ---------------------------------------------------------------------------------


def test_sideways_phone_jpeg_is_shrunk_upright_without_private_data() -> None:
    raw = big_sideways()
    assert shrink.upright_size(raw) == (6000, 4000)
    result = shrink.shrink(raw)
    assert (result.format, result.before, result.after) == ("JPEG", (6000, 4000), (4096, 2731))
    img = f.open_image(result.data)
    assert result.data[:2] == b"\xff\xd8" and img.size == (4096, 2731)
    assert f.markers_found(img) == UPRIGHT  # upright for viewers that ignore EXIF, too
    assert_private_data_gone(result.data)
    # The build turns nothing twice: it sees the shrunk file as upright already.
    info = images.inspect(result.data)
    assert (info.width, info.height) == (4096, 2731)
    assert f.markers_found(images.decode(result.data)) == UPRIGHT


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(orientation: int) -> None:
    raw = f.camera_jpeg(f.stored_form(f.marker_picture(4400, 1800), orientation), orientation)
    result = shrink.shrink(raw)
    assert result.after == (4096, 1676)
    assert f.markers_found(f.open_image(result.data)) == UPRIGHT, orientation


def test_colour_profile_is_kept() -> None:
    """Phones shoot in Display P3: dropping the profile would shift every colour."""
    icc = f.linear_rgb_icc()
    raw = f.encode(f.marker_picture(5000, 3000), "JPEG", quality=90, icc_profile=icc)
    result = shrink.shrink(raw)
    with Image.open(io.BytesIO(result.data)) as img:
        assert img.info.get("icc_profile") == icc


def test_max_pixels_instead_of_long_edge() -> None:
    result = shrink.shrink(big_sideways(), shrink.Target(long_edge=None, max_pixels=6_000_000))
    w, h = result.after
    assert w * h <= 6_000_000 and w * h > 5_900_000 and abs(w / h - 1.5) < 0.01, result.after
    assert f.markers_found(f.open_image(result.data)) == UPRIGHT


@pytest.mark.parametrize(
    ("size", "upright", "exceeded"),
    [
        pytest.param(3 * MB, (4032, 3024), False, id="12MP-phone-photo"),
        pytest.param(3 * MB, (4096, 3072), False, id="at-the-limit"),
        pytest.param(3 * MB, (3024, 4097), True, id="one-pixel-over"),
        pytest.param(9 * MB, (4000, 3000), True, id="9MB"),
    ],
)
def test_which_files_need_shrinking(size: int, upright: tuple[int, int], exceeded: bool) -> None:
    assert shrink.Target().exceeded(size, upright) is exceeded


def test_heic_stays_heic_and_upright() -> None:
    stored = f.stored_form(f.marker_picture(4200, 800), 6)
    raw = f.encode(stored, "HEIF", quality=80, exif=f.camera_exif(6).tobytes(), xmp=f.xmp_packet())
    result = shrink.shrink(raw)
    assert (result.format, result.before, result.after) == ("HEIF", (4200, 800), (4096, 780))
    with Image.open(io.BytesIO(result.data)) as img:
        assert img.format == "HEIF" and img.size == (4096, 780)
        assert "xmp" not in img.info or not img.info["xmp"]
    assert f.markers_found(f.open_image(result.data)) == UPRIGHT
    main, sub, gps = exif_of(result.data)
    assert gps == {} and sub == {f.DATETIME_ORIGINAL: f.TAKEN}, (main, sub, gps)


def test_png_stays_lossless_with_its_transparency() -> None:
    img = f.marker_picture(5000, 3000).convert("RGBA")
    img.putpixel((0, 0), (0, 0, 0, 0))
    result = shrink.shrink(f.encode(img, "PNG"))
    out = f.open_image(result.data)
    assert result.data[:8] == b"\x89PNG\r\n\x1a\n" and (out.mode, out.size) == ("RGBA", (4096, 2458))
    assert out.getchannel("A").getextrema()[0] < 255


def test_a_corrupt_file_is_refused() -> None:
    raw = big_sideways()
    with pytest.raises(ImageError) as e:
        shrink.shrink(raw[: len(raw) // 2])
    assert e.value.code == "PHOTO_BROKEN"


# --- the command ----------------------------------------------------------------------------------


def _project(root: Path) -> Path:
    """A project with one branch folder holding photos of every kind; returns its photo folder."""
    (root / "mkdocs.yml").write_text(
        "site_name: 测试站\ndocs_dir: content\ntheme: {name: material, language: zh}\nplugins: [showcase]\n",
        "utf-8",
    )
    folder = root / "branches" / "ceshi" / "photos"
    folder.mkdir(parents=True)
    (root / "branches" / "ceshi" / "profile.yml").write_text("slug: ceshi\n", "utf-8")
    (folder / "big.jpg").write_bytes(big_sideways())
    (folder / "small.jpg").write_bytes(sideways_jpeg(1600, 1200))
    raw = big_sideways()
    (folder / "cut.jpg").write_bytes(raw[: len(raw) // 2])
    return folder


def _contents(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_shrink_rewrites_large_originals_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _project(tmp_path)
    before = _contents(folder)
    monkeypatch.chdir(tmp_path)
    code = showcase_main(["photos", "shrink"])
    lines = capsys.readouterr().out.splitlines()
    after = _contents(folder)

    big_mb = len(before["big.jpg"][0]) / MB
    new_mb = len(after["big.jpg"][0]) / MB
    assert (
        lines[0] == f"branches/ceshi/photos/big.jpg：{big_mb:.1f} MB → {new_mb:.1f} MB，6000×4000 → 4096×2731"
    )
    assert lines[1].startswith("branches/ceshi/photos/cut.jpg：未改动，图片文件已损坏或不完整")
    assert lines[2] == (
        f"共缩小了 1 张照片：{big_mb:.1f} MB → {new_mb:.1f} MB（节省 {big_mb - new_mb:.1f} MB）；"
        "1 张已经足够小；1 张出错，未改动。"
    )
    assert len(lines) == 3 and code == 1  # the broken file makes the run fail

    # The small one and the broken one are untouched; the big one is upright and clean.
    assert after["small.jpg"] == before["small.jpg"] and after["cut.jpg"] == before["cut.jpg"]
    img = f.open_image(after["big.jpg"][0])
    assert img.size == (4096, 2731) and f.markers_found(img) == UPRIGHT
    assert_private_data_gone(after["big.jpg"][0])
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary left

    # A second run finds nothing more to do.
    assert showcase_main(["photos", "shrink", "branches/ceshi/photos/big.jpg"]) == 0
    assert capsys.readouterr().out.splitlines() == ["共缩小了 0 张照片；1 张已经足够小。"]
    assert _contents(folder)["big.jpg"] == after["big.jpg"]


def test_dry_run_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _project(tmp_path)
    before = _contents(folder)
    monkeypatch.chdir(tmp_path)
    code = showcase_main(["photos", "shrink", "--dry-run", "branches/ceshi"])
    out = capsys.readouterr().out
    assert _contents(folder) == before
    assert "branches/ceshi/photos/big.jpg：" in out and "6000×4000 → 4096×2731" in out, out
    assert out.splitlines()[-1].startswith("试运行：可缩小 1 张照片：") and "没有改动任何文件。" in out
    assert code == 1


def test_options_choose_the_size_and_refuse_nonsense(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _project(tmp_path)
    (folder / "cut.jpg").unlink()
    monkeypatch.chdir(tmp_path)
    assert showcase_main(["photos", "shrink", "--long-edge", "2000", "--quality", "80", "branches"]) == 0
    out = capsys.readouterr().out
    assert "6000×4000 → 2000×1333" in out and "1600×1200" not in out, out
    with Image.open(folder / "big.jpg") as img:
        assert img.size == (2000, 1333)
    for bad in (
        ["--long-edge", "800"],
        ["--quality", "30"],
        ["--long-edge", "2000", "--max-pixels", "9000000"],
    ):
        with pytest.raises(SystemExit) as e:
            showcase_main(["photos", "shrink", *bad])
        assert e.value.code == 2
    assert "至少 1600 像素" in capsys.readouterr().err


def test_symlinks_and_missing_files_are_reported_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(big_sideways())
    folder = tmp_path / "photos"
    folder.mkdir()
    os.symlink(outside, folder / "link.jpg")
    monkeypatch.chdir(tmp_path)
    assert showcase_main(["photos", "shrink", "photos", "nowhere.jpg"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "photos/link.jpg：未改动，这是符号链接，不处理。",
        "nowhere.jpg：未改动，文件不存在。",
        "共缩小了 0 张照片；2 张出错，未改动。",
    ]
    assert outside.read_bytes() == big_sideways()
