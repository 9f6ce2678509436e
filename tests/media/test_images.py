"""images.py and photos.py on real files built with Pillow (see imagefiles.py); nothing downloaded.

Every case is checked on the output bytes: the files are parsed by independent walkers (JPEG
markers, WebP chunks, PNG chunks), scanned for private data planted in the inputs, and decoded
by Pillow to check size, orientation (colour markers in the corners) and colour.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
import random
import resource
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image, ImageDraw

import imagefiles as f
from showcase.media import images
from showcase.media import renditions as photos
from showcase.media.images import Encoded, ImageError

pillow_heif.register_heif_opener()

UPRIGHT = {"red": "red", "blue": "blue", "green": "green"}
MAGIC = {"webp": b"RIFF", "jpg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}
MB = 1024 * 1024


# --- inputs (built once per session) -------------------------------------------------------------


@functools.cache
def oriented_jpeg(orientation: int, width: int = 1200, height: int = 800) -> bytes:
    """A camera JPEG (EXIF+GPS, XMP, IPTC, comment) of the upright marker picture, stored
    in the form that EXIF `orientation` turns upright."""
    return f.camera_jpeg(f.stored_form(f.marker_picture(width, height), orientation), orientation)


@functools.cache
def comment_jpeg() -> bytes:
    return f.encode(
        f.marker_picture(900, 600), "JPEG", quality=90, comment=f"请联系 {f.PHONE} 取原图".encode()
    )


@functools.cache
def mpo() -> bytes:
    frame1 = Image.new("RGB", (640, 480), f.MARKER_COLOURS["blue"])
    return f.encode(
        f.marker_picture(640, 480), "MPO", save_all=True, append_images=[frame1], exif=f.camera_exif()
    )


@functools.cache
def heic_orientation_6() -> bytes:
    stored = f.stored_form(f.marker_picture(1200, 800), 6)
    # EXIF as bytes: pillow-heif then moves orientation 6 into an irot transform, as phones write it
    # (given an Image.Exif it keeps only the EXIF tag, which HEIF readers ignore).
    return f.encode(stored, "HEIF", quality=90, exif=f.camera_exif(6).tobytes(), xmp=f.xmp_packet())


@functools.cache
def webp_with_metadata() -> bytes:
    return f.encode(
        f.marker_picture(900, 600),
        "WEBP",
        quality=90,
        exif=f.camera_exif(),
        xmp=f.xmp_packet(),
        icc_profile=f.linear_rgb_icc(gamma=2.2),
    )


@functools.cache
def png_with_exif_orientation_6() -> bytes:
    stored = f.stored_form(f.marker_picture(900, 600), 6)
    return f.png_with_text(stored, exif=f.camera_exif(6), icc_profile=f.linear_rgb_icc(gamma=2.2))


@functools.cache
def png_alpha_text() -> bytes:
    """900×600 RGBA: transparent everywhere (hiding green under alpha 0), an opaque red block
    top left, a half-transparent black block in the middle; with tEXt/zTXt/iTXt chunks."""
    img = Image.new("RGBA", (900, 600), (0, 255, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 179, 179), fill=(*f.MARKER_COLOURS["red"], 255))
    draw.rectangle((350, 200, 549, 399), fill=(0, 0, 0, 128))
    return f.png_with_text(img)


@functools.cache
def cmyk_jpeg() -> bytes:
    """A CMYK JPEG (as print shops send): left half pure red ink (M+Y), right half blue (C+M)."""
    img = Image.new("CMYK", (900, 600), (0, 255, 255, 0))
    ImageDraw.Draw(img).rectangle((450, 0, 899, 599), fill=(255, 255, 0, 0))
    return f.encode(img, "JPEG", quality=90, exif=f.camera_exif(), comment=f.PHONE.encode())


LINEAR_ORANGE = (255, 64, 32)


def linear_tagged(container: str, tagged: bool = True) -> bytes:
    """600×400: grey 128 on the left, orange on the right, tagged as linear light."""
    img = Image.new("RGB", (600, 400), (128, 128, 128))
    ImageDraw.Draw(img).rectangle((300, 0, 599, 399), fill=LINEAR_ORANGE)
    params: dict[str, object] = {"icc_profile": f.linear_rgb_icc()} if tagged else {}
    if container == "JPEG":
        params.update(quality=95, subsampling=0)
    elif container == "WEBP":
        params["lossless"] = True
    return f.encode(img, container, **params)


@functools.cache
def truncated_jpeg(progressive: bool) -> bytes:
    raw = f.encode(
        f.noise_picture(640, 480), "JPEG", quality=90, progressive=progressive, exif=f.camera_exif()
    )
    return raw[: len(raw) // 2]


@functools.cache
def tiff() -> bytes:
    return f.encode(f.marker_picture(300, 200), "TIFF")


@functools.cache
def gif() -> bytes:
    return f.encode(f.marker_picture(300, 200).convert("P"), "GIF")


@functools.cache
def random_bytes() -> bytes:
    return random.Random(20240701).randbytes(64 * 1024)


@functools.cache
def oversize() -> bytes:
    """A real JPEG followed by junk, 31 MB in all."""
    raw = oriented_jpeg(1)
    return raw + b"\x00" * (31 * MB - len(raw))


# --- helpers ------------------------------------------------------------------------------------


def check_output(enc: Encoded, what: str) -> Image.Image:
    """The decoded output, after checking it is what `enc` says and holds nothing but pixels."""
    assert enc.data.startswith(MAGIC[enc.ext]), f"{what}: ext {enc.ext!r} but data starts {enc.data[:12]!r}"
    f.assert_clean(enc.data, what)
    img = f.open_image(enc.data)
    assert img.size == (enc.width, enc.height), (
        f"{what}: decodes to {img.size}, says {enc.width}×{enc.height}"
    )
    return img


def check_decoded(img: Image.Image, what: str) -> None:
    """decode() returns a bare RGB/RGBA image: no EXIF, ICC, XMP or text left in it."""
    assert img.mode in ("RGB", "RGBA"), f"{what}: mode {img.mode}"
    assert img.info == {}, f"{what}: info still has {sorted(img.info)}"
    assert len(img.getexif()) == 0, f"{what}: EXIF still attached"


def rgb_at(img: Image.Image, fx: float, fy: float) -> tuple[int, int, int]:
    pixel = img.convert("RGB").getpixel((int(img.width * fx), int(img.height * fy)))
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def all_outputs(raw: bytes, what: str) -> Iterator[tuple[str, Image.Image]]:
    """Every published output of `raw` as a photo and as a logo, checked clean, decoded."""
    renditions, placeholder = images.photo_renditions(raw)
    assert renditions, f"{what}: no renditions"
    for enc in renditions:
        label = f"{what} → photo {enc.ext} {enc.width}w"
        yield label, check_output(enc, label)
    yield f"{what} → placeholder", check_placeholder(placeholder, what)
    logo = images.logo_rendition(raw)
    label = f"{what} → logo {logo.ext}"
    yield label, check_output(logo, label)


def check_placeholder(uri: str, what: str) -> Image.Image:
    prefix = "data:image/webp;base64,"
    assert uri.startswith(prefix), f"{what}: placeholder is {uri[:40]!r}…"
    assert len(uri) < 400, f"{what}: placeholder URI has {len(uri)} bytes"
    data = base64.b64decode(uri[len(prefix) :], validate=True)
    f.assert_clean(data, f"{what} placeholder")
    img = f.open_image(data)
    assert img.width == images.PLACEHOLDER_WIDTH, f"{what}: placeholder is {img.size}"
    return img


def refused(fn: Callable[[bytes], object], raw: bytes, code: str) -> ImageError:
    """The ImageError `fn(raw)` raises, after checking its code."""
    try:
        result = fn(raw)
    except ImageError as e:
        assert e.code == code, f"{fn.__name__}() raised {e.code} ({e.message}), expected {code}"
        assert e.message == str(e)
        return e
    raise AssertionError(
        f"{fn.__name__}() accepted the input (returned {type(result).__name__}), expected {code}"
    )


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def fail_if_called(what: str) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"{what} was called")

    return fail


# --- the inputs really carry what must be dropped (so the checks below are not vacuous) ---------


def test_camera_jpeg_carries_exif_gps_xmp_iptc_and_comment() -> None:
    raw = oriented_jpeg(6)
    markers = [(m, p[:4]) for m, p in f.jpeg_segments(raw)]
    assert (f.APP1, b"Exif") in markers
    assert (f.APP1, b"http") in markers
    assert (f.APP13, b"Phot") in markers
    assert f.COM in [m for m, _ in markers]
    with Image.open(io.BytesIO(raw)) as img:
        exif = img.getexif()
        assert exif[f.ORIENTATION] == 6
        assert exif[0x010F] == f.MAKE
        assert exif.get_ifd(f.GPS_IFD)[1] == "N"
        assert exif.get_ifd(f.EXIF_IFD)[f.DATETIME_ORIGINAL] == f.TAKEN
        assert f.XMP_LATITUDE in img.info["xmp"].decode()
        assert f.PHONE.encode() in img.info["comment"]
        assert "photoshop" in img.info
    assert len(f.metadata_problems(raw)) > 10


def test_other_sources_carry_their_metadata() -> None:
    assert {b"EXIF", b"XMP ", b"ICCP"} <= {c for c, _ in f.webp_chunks(webp_with_metadata())}
    png_kinds = {k for k, _ in f.png_chunks(png_with_exif_orientation_6())}
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} <= png_kinds
    assert {b"tEXt", b"zTXt", b"iTXt"} <= {k for k, _ in f.png_chunks(png_alpha_text())}
    assert b"irot" in heic_orientation_6()
    with Image.open(io.BytesIO(heic_orientation_6())) as img:
        assert img.format == "HEIF"
        assert img.getexif().get_ifd(f.GPS_IFD)[3] == "E"
        assert f.XMP_LATITUDE.encode() in img.info["xmp"]
    with Image.open(io.BytesIO(mpo())) as img:
        assert (img.format, getattr(img, "n_frames", 1)) == ("MPO", 2)
        assert img.getexif().get_ifd(f.GPS_IFD)
    with Image.open(io.BytesIO(linear_tagged("JPEG"))) as img:
        assert img.info["icc_profile"] == f.linear_rgb_icc()
    assert f.metadata_problems(cmyk_jpeg())


def test_walkers_accept_a_clean_pillow_file_of_each_kind() -> None:
    img = f.marker_picture(64, 48)
    for fmt in ("JPEG", "WEBP", "PNG"):
        assert f.metadata_problems(f.encode(img, fmt)) == [], fmt
    progressive = f.encode(img, "JPEG", progressive=True, optimize=True)
    assert [m for m, _ in f.jpeg_segments(progressive)].count(0xDA) > 1, "walker stopped at the first scan"


# --- orientation ------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_once(orientation: int) -> None:
    raw = oriented_jpeg(orientation)
    info = images.inspect(raw)
    assert (info.format, info.width, info.height) == ("JPEG", 1200, 800), "inspect() size is not upright"
    assert (info.sha256, info.size) == (sha256(raw), len(raw))

    img = images.decode(raw)
    check_decoded(img, "decode()")
    assert img.size == (1200, 800)
    assert f.markers_found(img) == UPRIGHT, f"decode() of orientation {orientation}"

    for label, out in all_outputs(raw, f"orientation {orientation}"):
        assert out.width > out.height, f"{label}: portrait {out.size}"
        if "placeholder" not in label:
            assert f.markers_found(out) == UPRIGHT, label


@pytest.mark.parametrize("orientation", [6, 8])
def test_orientation_with_dct_scaled_decoding(orientation: int) -> None:
    """A 12 MP phone photo stored sideways: decoded at reduced DCT scale, then turned upright."""
    raw = oriented_jpeg(orientation, 4032, 3024)
    assert images.inspect(raw).width == 4032
    renditions, _ = images.photo_renditions(raw)
    assert [(e.width, e.height) for e in renditions[::2]] == [(1600, 1200), (960, 720), (480, 360)]
    for enc in renditions:
        out = check_output(enc, f"{enc.ext} {enc.width}w")
        assert f.markers_found(out) == UPRIGHT, f"{enc.ext} {enc.width}w"


def test_png_exif_orientation_and_chunks() -> None:
    raw = png_with_exif_orientation_6()
    info = images.inspect(raw)
    assert (info.format, info.width, info.height) == ("PNG", 900, 600)
    for label, out in all_outputs(raw, "PNG with eXIf orientation 6"):
        assert out.width > out.height, label
        if "placeholder" not in label:
            assert f.markers_found(out) == UPRIGHT, label


def test_heic_orientation_is_applied_exactly_once() -> None:
    """pillow-heif writes EXIF orientation 6 as an irot transform; libheif applies it on decode
    and reports orientation 1, so applying the EXIF value again would turn the photo twice."""
    raw = heic_orientation_6()
    info = images.inspect(raw)
    assert (info.format, info.width, info.height) == ("HEIF", 1200, 800)
    img = images.decode(raw)
    check_decoded(img, "decode(HEIC)")
    assert img.size == (1200, 800)
    assert f.markers_found(img) == UPRIGHT
    for label, out in all_outputs(raw, "HEIC orientation 6"):
        assert out.width > out.height, f"{label}: {out.size}"
        if "placeholder" not in label:
            assert f.markers_found(out) == UPRIGHT, label


# --- metadata and colour ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(lambda: oriented_jpeg(1), id="jpeg-exif-gps-xmp-iptc-comment"),
        pytest.param(comment_jpeg, id="jpeg-comment-phone"),
        pytest.param(webp_with_metadata, id="webp-exif-xmp-icc"),
        pytest.param(mpo, id="mpo-exif-gps"),
    ],
)
def test_metadata_never_reaches_an_output(source: Callable[[], bytes]) -> None:
    raw = source()
    info = images.inspect(raw)
    img = images.decode(raw)
    check_decoded(img, "decode()")
    assert img.size == (info.width, info.height)
    for label, out in all_outputs(raw, info.format):
        if "placeholder" not in label:
            assert f.markers_found(out) == UPRIGHT, label


def test_mpo_uses_frame_0() -> None:
    raw = mpo()
    assert images.inspect(raw).format == "MPO"
    for label, out in all_outputs(raw, "MPO"):
        assert close(rgb_at(out, 0.5, 0.5), f.BACKGROUND, 12), f"{label}: centre is {rgb_at(out, 0.5, 0.5)}"
        if "placeholder" not in label:
            assert f.markers_found(out) == UPRIGHT, label


def test_cmyk_jpeg_colours_come_out_right() -> None:
    raw = cmyk_jpeg()
    assert images.inspect(raw).format == "JPEG"
    img = images.decode(raw)
    check_decoded(img, "decode(CMYK)")
    assert img.mode == "RGB"
    for label, out in [("decode()", img), *all_outputs(raw, "CMYK JPEG")]:
        red, blue = rgb_at(out, 0.25, 0.5), rgb_at(out, 0.75, 0.5)
        assert red[0] > 200 and red[1] < 60 and red[2] < 60, f"{label}: red ink came out as {red}"
        assert blue[2] > 200 and blue[0] < 60 and blue[1] < 60, f"{label}: blue ink came out as {blue}"


@pytest.mark.parametrize("container", ["JPEG", "PNG", "WEBP"])
def test_icc_profile_is_converted_to_srgb(container: str) -> None:
    """Grey 128 in linear light is 188 in sRGB: only a real conversion moves it there."""
    grey = (f.srgb_from_linear(128),) * 3
    orange = tuple(f.srgb_from_linear(v) for v in LINEAR_ORANGE)
    assert grey == (188, 188, 188)
    raw = linear_tagged(container)
    img = images.decode(raw)
    check_decoded(img, "decode()")
    for label, out in [("decode()", img), *all_outputs(raw, f"linear-tagged {container}")]:
        tol = 10 if "placeholder" in label else 4
        assert close(rgb_at(out, 0.25, 0.5), grey, tol), (
            f"{label}: grey 128 came out {rgb_at(out, 0.25, 0.5)}"
        )
        assert close(rgb_at(out, 0.75, 0.5), orange, tol), (
            f"{label}: linear {LINEAR_ORANGE} came out {rgb_at(out, 0.75, 0.5)}"
        )


def test_untagged_pixels_are_left_as_srgb() -> None:
    """The control for the test above: the same pixels without a profile stay 128."""
    for label, out in all_outputs(linear_tagged("JPEG", tagged=False), "untagged"):
        assert close(rgb_at(out, 0.25, 0.5), (128, 128, 128), 6), f"{label}: {rgb_at(out, 0.25, 0.5)}"


def test_png_alpha_flattened_for_photos_kept_for_logos_and_text_dropped() -> None:
    raw = png_alpha_text()
    renditions, placeholder = images.photo_renditions(raw)
    for enc in renditions:
        label = f"photo {enc.ext} {enc.width}w"
        out = check_output(enc, label)
        assert out.mode == "RGB", f"{label}: mode {out.mode}"
        assert close(rgb_at(out, 0.9, 0.9), (255, 255, 255), 3), (
            f"{label}: transparent area is {rgb_at(out, 0.9, 0.9)}"
        )
        assert close(rgb_at(out, 0.05, 0.1), f.MARKER_COLOURS["red"], 12), (
            f"{label}: opaque red {rgb_at(out, 0.05, 0.1)}"
        )
        assert close(rgb_at(out, 0.5, 0.5), (127, 127, 127), 8), (
            f"{label}: half-transparent black {rgb_at(out, 0.5, 0.5)}"
        )
    assert close(rgb_at(check_placeholder(placeholder, "PNG"), 0.9, 0.9), (255, 255, 255), 10)

    logo = images.logo_rendition(raw)
    out = check_output(logo, "logo")
    assert (logo.ext, logo.width, logo.height, out.mode) == ("png", 480, 320, "RGBA")
    transparent = out.getpixel((440, 300))
    opaque = out.getpixel((20, 20))
    assert isinstance(transparent, tuple) and isinstance(opaque, tuple)
    assert transparent[3] == 0, f"logo lost its transparency: {transparent}"
    assert opaque[3] == 255 and close(opaque[:3], f.MARKER_COLOURS["red"], 3), f"logo red block is {opaque}"
    kinds = [k for k, _ in f.png_chunks(logo.data)]
    assert not {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} & set(kinds), kinds


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(lambda: f.encode(f.marker_picture(900, 600), "PNG"), id="plain-rgb"),
        pytest.param(png_alpha_text, id="rgba-with-text"),
        pytest.param(png_with_exif_orientation_6, id="with-exif-chunk"),
    ],
)
def test_inspect_accepts_a_valid_png(source: Callable[[], bytes]) -> None:
    raw = source()
    try:
        info = images.inspect(raw)
    except ImageError as e:
        raise AssertionError(f"inspect() refused a valid 900×600 PNG: {e.code} {e.message}") from e
    except Exception as e:
        raise AssertionError(
            f"inspect() crashed on a valid 900×600 PNG with {type(e).__name__}: {e}; expected "
            "SourceInfo(format='PNG', width=900, height=600) (PngImageFile.getexif() in exif_orientation() "
            "loads the pixels when there is no eXIf chunk, so the later img.verify() is refused)"
        ) from e
    assert (info.format, info.width, info.height, info.size) == ("PNG", 900, 600, len(raw))


# --- renditions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "widths"),
    [
        # The examples in the docstring of images.photo_widths(), largest first.
        pytest.param((4032, 3024), [1600, 960, 480], id="4032w"),
        pytest.param((1200, 900), [1200, 960, 480], id="1200w"),
        pytest.param((1000, 750), [1000, 480], id="1000w"),
        pytest.param((500, 375), [500], id="500w"),
    ],
)
def test_rendition_widths(size: tuple[int, int], widths: list[int]) -> None:
    raw = oriented_jpeg(1, *size)
    renditions, placeholder = images.photo_renditions(raw)
    assert [(e.ext, e.width) for e in renditions] == [(ext, w) for w in widths for ext in ("webp", "jpg")]
    for enc in renditions:
        out = check_output(enc, f"{enc.ext} {enc.width}w")
        expected_h = size[1] * enc.width / size[0]
        assert abs(out.height - expected_h) <= 1, f"{enc.ext} {enc.width}w is {out.size}, aspect lost"
        assert f.markers_found(out) == UPRIGHT, f"{enc.ext} {enc.width}w"
    tiny = check_placeholder(placeholder, f"{size}")
    assert abs(tiny.height - size[1] * 16 / size[0]) <= 1, f"placeholder is {tiny.size}"


# --- refusals ---------------------------------------------------------------------------------

REFUSALS = [
    pytest.param(oversize, "PHOTO_TOO_LARGE", "31.0 MB，超过 30 MB 上限", id="31MB"),
    pytest.param(tiff, "PHOTO_FORMAT", "文件内容是 TIFF 格式", id="tiff"),
    pytest.param(gif, "PHOTO_FORMAT", "文件内容是 GIF 格式", id="gif"),
    pytest.param(random_bytes, "PHOTO_FORMAT", "无法识别的文件内容", id="random-bytes"),
    pytest.param(
        lambda: f.png_header_only(100_000, 100_000), "PHOTO_PIXELS", "超过 2.1 亿像素上限", id="png-bomb"
    ),
    pytest.param(lambda: f.png_header_only(16384, 13000), "PHOTO_PIXELS", "（16384×13000）", id="png-213MP"),
    pytest.param(lambda: truncated_jpeg(False), "PHOTO_BROKEN", "已损坏或不完整", id="truncated-baseline"),
    pytest.param(lambda: truncated_jpeg(True), "PHOTO_BROKEN", "已损坏或不完整", id="truncated-progressive"),
]


@pytest.mark.parametrize(("source", "code", "fragment"), REFUSALS)
def test_inspect_refuses(source: Callable[[], bytes], code: str, fragment: str) -> None:
    error = refused(images.inspect, source(), code)
    assert fragment in error.message, error.message


@pytest.mark.parametrize(("source", "code", "fragment"), [p for p in REFUSALS if p.id != "31MB"])
@pytest.mark.parametrize("fn", [images.photo_renditions, images.logo_rendition, images.decode])
def test_renditions_refuse_too(
    fn: Callable[[bytes], object], source: Callable[[], bytes], code: str, fragment: str
) -> None:
    error = refused(fn, source(), code)
    assert fragment in error.message, error.message


def test_pixel_bomb_is_refused_without_decoding() -> None:
    raw = f.png_header_only(100_000, 100_000)  # 30 GB of RGB if it were decoded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    for fn in (images.inspect, images.decode, images.photo_renditions, images.logo_rendition):
        refused(fn, raw, "PHOTO_PIXELS")
    assert time.perf_counter() - start < 1.0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50, f"peak memory grew by {grown_mb:.0f} MB"


# --- SourceIndex --------------------------------------------------------------------------------


def test_source_index_reads_an_unchanged_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The file is written a moment before it is read: such stamps are kept for one run only
    # (SETTLE_NS, tested in test_cache_honesty.py); this test is about settled files.
    monkeypatch.setattr(photos, "SETTLE_NS", 0)
    raw = oriented_jpeg(6)
    photo = tmp_path / "branch" / "photo.jpg"
    photo.parent.mkdir()
    photo.write_bytes(raw)
    cache = tmp_path / "cache"
    index = photos.SourceIndex(cache)
    info = index.inspect(photo)
    assert info == images.SourceInfo(sha256(raw), "JPEG", 1200, 800, len(raw))
    index.save()
    assert (cache / "photos" / "index.json").is_file()

    monkeypatch.setattr(Path, "read_bytes", fail_if_called("Path.read_bytes"))
    monkeypatch.setattr(images, "inspect", fail_if_called("images.inspect"))
    assert index.inspect(photo) == info, "same index, second time"
    assert photos.SourceIndex(cache).inspect(photo) == info, "fresh index loaded from index.json"


def test_source_index_reinspects_a_changed_file(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    first = oriented_jpeg(1)
    photo.write_bytes(first)
    cache = tmp_path / "cache"
    index = photos.SourceIndex(cache)
    assert index.inspect(photo).sha256 == sha256(first)
    index.save()
    mtime = photo.stat().st_mtime_ns

    second = oriented_jpeg(1, 600, 400)
    photo.write_bytes(second)
    os.utime(photo, ns=(mtime + 2_000_000_000, mtime + 2_000_000_000))
    expected = images.SourceInfo(sha256(second), "JPEG", 600, 400, len(second))
    assert index.inspect(photo) == expected, "same index"
    assert photos.SourceIndex(cache).inspect(photo) == expected, "fresh index with the stale entry on disk"


def test_source_index_same_size_and_new_mtime_is_reread(tmp_path: Path) -> None:
    """Same length, different bytes (a one-byte edit in the comment): the hash must change."""
    photo = tmp_path / "photo.jpg"
    first = f.encode(f.marker_picture(900, 600), "JPEG", comment=b"version A")
    second = first.replace(b"version A", b"version B")
    assert len(first) == len(second) and first != second
    photo.write_bytes(first)
    index = photos.SourceIndex(tmp_path / "cache")
    assert index.inspect(photo).sha256 == sha256(first)
    mtime = photo.stat().st_mtime_ns
    photo.write_bytes(second)
    os.utime(photo, ns=(mtime + 1_000_000, mtime + 1_000_000))
    assert index.inspect(photo).sha256 == sha256(second)


def test_source_index_remembers_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photos, "SETTLE_NS", 0)  # a settled file, as above
    photo = tmp_path / "broken.jpg"
    photo.write_bytes(truncated_jpeg(False))
    cache = tmp_path / "cache"
    index = photos.SourceIndex(cache)
    with pytest.raises(ImageError) as first:
        index.inspect(photo)
    assert first.value.code == "PHOTO_BROKEN"
    assert "已损坏或不完整" in first.value.message
    index.save()

    monkeypatch.setattr(Path, "read_bytes", fail_if_called("Path.read_bytes"))
    monkeypatch.setattr(images, "inspect", fail_if_called("images.inspect"))
    for label, again in [("same index", index), ("fresh index", photos.SourceIndex(cache))]:
        with pytest.raises(ImageError) as second:
            again.inspect(photo)
        assert (second.value.code, second.value.message) == (first.value.code, first.value.message), label


def test_source_index_inspects_identical_content_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = comment_jpeg()
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpeg"
    a.write_bytes(raw)
    b.write_bytes(raw)
    calls: list[int] = []
    real = images.inspect

    def counting(data: bytes) -> images.SourceInfo:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(images, "inspect", counting)
    index = photos.SourceIndex(None)
    assert index.inspect(a) == index.inspect(b)
    assert calls == [len(raw)]


def test_source_index_refuses_an_oversize_file_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = tmp_path / "huge.jpg"
    photo.write_bytes(oversize())
    monkeypatch.setattr(Path, "read_bytes", fail_if_called("Path.read_bytes"))
    with pytest.raises(ImageError) as e:
        photos.SourceIndex(None).inspect(photo)
    assert e.value.code == "PHOTO_TOO_LARGE"
    assert "超过 30 MB 上限" in e.value.message


def test_source_index_judges_content_not_extension(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(tiff())
    with pytest.raises(ImageError) as e:
        photos.SourceIndex(None).inspect(photo)
    assert e.value.code == "PHOTO_FORMAT"
    assert "TIFF" in e.value.message


# --- PhotoStore ---------------------------------------------------------------------------------


def write_sources(folder: Path, raws: list[bytes]) -> list[tuple[Path, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, raw in enumerate(raws):
        path = folder / f"photo-{i}.jpg"
        path.write_bytes(raw)
        out.append((path, sha256(raw)))
    return out


def rendition_files(r: photos.Rendition, root: Path) -> dict[str, bytes]:
    files = {}
    for v in r.variants:
        for path in (v.webp, v.jpg):
            files[str(path.relative_to(root))] = path.read_bytes()
    return files


def test_photo_store_cold_then_warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [(path, sha)] = write_sources(tmp_path / "src", [oriented_jpeg(8, 1200, 900)])
    cache = tmp_path / "cache"
    cold = photos.PhotoStore(cache, workers=1).photos([(path, sha)])
    assert list(cold) == [sha]
    rendition = cold[sha]
    assert isinstance(rendition, photos.Rendition), rendition
    assert [(v.width, v.height) for v in rendition.variants] == [(480, 360), (960, 720), (1200, 900)], (
        "smallest first"
    )
    assert rendition.largest.width == 1200
    for v in rendition.variants:
        for path_out, ext in ((v.webp, "webp"), (v.jpg, "jpg")):
            assert path_out.is_file() and cache in path_out.parents, path_out
            out = check_output(Encoded(v.width, v.height, ext, path_out.read_bytes()), str(path_out.name))
            assert f.markers_found(out) == UPRIGHT, path_out.name
    check_placeholder(rendition.placeholder, "PhotoStore")
    files = rendition_files(rendition, cache)

    monkeypatch.setattr(images, "photo_renditions", fail_if_called("images.photo_renditions"))
    warm = photos.PhotoStore(cache, workers=1).photos([(path, sha)])
    assert warm == cold
    assert isinstance(warm[sha], photos.Rendition)
    assert rendition_files(rendition, cache) == files


def test_photo_store_makes_identical_sources_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = oriented_jpeg(1, 600, 400)
    sources = write_sources(tmp_path / "a", [raw]) + write_sources(tmp_path / "b", [raw])
    calls: list[int] = []
    real = images.photo_renditions

    def counting(data: bytes) -> tuple[list[Encoded], str]:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(images, "photo_renditions", counting)
    results = photos.PhotoStore(tmp_path / "cache", workers=2).photos(sources)
    assert list(results) == [sha256(raw)]
    assert isinstance(results[sha256(raw)], photos.Rendition)
    assert calls == [len(raw)]


def test_photo_store_parallel_equals_serial(tmp_path: Path) -> None:
    raws = [oriented_jpeg(1, 1000, 750), oriented_jpeg(6, 700, 500), comment_jpeg()]
    sources = write_sources(tmp_path / "src", raws)
    serial = photos.PhotoStore(tmp_path / "serial", workers=1).photos(sources)
    parallel = photos.PhotoStore(tmp_path / "parallel", workers=2).photos(sources)
    assert sorted(serial) == sorted(parallel) == sorted(sha for _p, sha in sources)
    for _path, sha in sources:
        s, p = serial[sha], parallel[sha]
        assert isinstance(s, photos.Rendition) and isinstance(p, photos.Rendition)
        assert [(v.width, v.height) for v in s.variants] == [(v.width, v.height) for v in p.variants]
        assert s.placeholder == p.placeholder
        assert rendition_files(s, tmp_path / "serial") == rendition_files(p, tmp_path / "parallel"), sha


def test_photo_store_returns_errors(tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "src", [truncated_jpeg(True), oriented_jpeg(1, 600, 400)])
    for workers in (1, 2):
        results = photos.PhotoStore(tmp_path / f"cache{workers}", workers=workers).photos(sources)
        broken, good = results[sources[0][1]], results[sources[1][1]]
        assert isinstance(broken, ImageError), broken
        assert broken.code == "PHOTO_BROKEN" and "已损坏或不完整" in broken.message
        assert isinstance(good, photos.Rendition), good
        assert (good.largest.width, good.largest.height) == (600, 400)
