"""Shrinking a phone original before it is committed: bytes in, smaller bytes out.

The build publishes at most 1600 px wide, and the print edition needs about 2700 px for a
photo across a whole broadsheet page at 200 ppi. So an original above `LONG_EDGE` (4096 px on
its longer side, 12.6 MP at 4:3) or `MAX_BYTES` (8 MB: a 12 MP phone JPEG is 3–6 MB, so more
means far more pixels or an over-generous quality) only makes the repository heavier: every
version of every photo stays in git's history for good.

The result keeps its format (JPEG stays JPEG, HEIC stays HEIC, PNG stays lossless), so the file
name in `profile.yml` stays true; an MPO (dual camera) keeps its first frame as a plain JPEG.
It is stored upright with no orientation tag (a viewer that ignores EXIF shows it right too),
keeps its colour profile (phones shoot in Display P3) and the date taken, and nothing else of
the metadata: no GPS, make, model, XMP, IPTC or comment.
"""

from __future__ import annotations

import dataclasses
import io
import math
import warnings

from PIL import Image

from showcase.media import images
from showcase.media.images import ImageError

LONG_EDGE = 4096
MAX_BYTES = 8 * 1024 * 1024
QUALITY = 90
# Larger inputs than the site accepts are the point of shrinking; this only keeps a mistaken
# video or disk image out of memory.
MAX_INPUT_BYTES = 256 * 1024 * 1024

_EXIF_IFD = 0x8769
_KEPT_EXIF = (0x9003, 0x9011)  # DateTimeOriginal, OffsetTimeOriginal
# The format to write for each format read, and the file extensions the walk considers.
_OUTPUT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "HEIF"}
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")


@dataclasses.dataclass(frozen=True)
class Shrunk:
    """A shrunk photo. Sizes are as displayed (upright)."""

    data: bytes
    format: str
    before: tuple[int, int]
    after: tuple[int, int]


def upright_size(raw: bytes) -> tuple[int, int]:
    """The size as displayed, from the header only (raises ImageError)."""
    img = images.open_header(raw)
    w, h = img.size
    return (h, w) if images.exif_orientation(img) in (5, 6, 7, 8) else (w, h)


@dataclasses.dataclass(frozen=True)
class Target:
    """How large a photo may stay: its longer side or its pixel count (one of them), and a
    file size above which it is re-encoded even if its pixels are within bounds."""

    long_edge: int | None = LONG_EDGE
    max_pixels: int | None = None
    max_bytes: int = MAX_BYTES

    def fit(self, upright: tuple[int, int]) -> tuple[int, int]:
        """`upright` brought within bounds, keeping its aspect ratio (never enlarged)."""
        w, h = upright
        if self.max_pixels is not None:
            if w * h <= self.max_pixels:
                return upright
            scale = math.sqrt(self.max_pixels / (w * h))
            return max(1, math.floor(w * scale)), max(1, math.floor(h * scale))
        edge = self.long_edge or LONG_EDGE
        if max(w, h) <= edge:
            return upright
        if w >= h:
            return edge, max(1, round(h * edge / w))
        return max(1, round(w * edge / h)), edge

    def exceeded(self, size: int, upright: tuple[int, int]) -> bool:
        return self.fit(upright) != upright or size > self.max_bytes


def shrink(raw: bytes, target: Target = Target(), *, quality: int = QUALITY) -> Shrunk:
    """Re-encode `raw` upright within `target`'s bounds (raises ImageError).

    A JPEG is decoded at the smallest DCT scale still at least as large as the result, so a
    200 MP original costs a quarter of the memory of a full decode, or less."""
    if len(raw) > MAX_INPUT_BYTES:
        raise ImageError("PHOTO_TOO_LARGE", f"文件有 {len(raw) / 1024 / 1024:.0f} MB，不像是一张照片。")
    img = images.open_header(raw)
    if getattr(img, "n_frames", 1) > 1 and img.format != "MPO":
        raise ImageError("PHOTO_FORMAT", "这是动图（多帧），不做缩小：网站只显示第一帧，请另存为 JPEG。")
    fmt = str(img.format)
    orientation = images.exif_orientation(img)
    swaps = orientation in (5, 6, 7, 8)
    before = (img.height, img.width) if swaps else img.size
    after = target.fit(before)
    icc = img.info.get("icc_profile")
    exif = _kept_exif(img)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            if fmt in ("JPEG", "MPO") and after != before:
                img.draft(img.mode, (after[1], after[0]) if swaps else after)
            img.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as e:
        raise images.broken(e) from None
    # Resized while still stored sideways, then turned: the turn copies the small image only.
    stored_after = (after[1], after[0]) if swaps else after
    if img.size != stored_after:
        img = _resizable(img).resize(stored_after, Image.Resampling.LANCZOS)
    img = _upright(img, orientation)
    return Shrunk(_save(img, _OUTPUT[fmt], quality, icc, exif), fmt, before, img.size)


def _kept_exif(img: Image.Image) -> bytes | None:
    """EXIF holding only the date taken, or None if there is none."""
    try:
        source = img.getexif().get_ifd(_EXIF_IFD)
        kept = {tag: source[tag] for tag in _KEPT_EXIF if isinstance(source.get(tag), str)}
    except Exception:  # a broken EXIF block: keep nothing rather than stop
        return None
    if not kept:
        return None
    exif = Image.Exif()
    exif.get_ifd(_EXIF_IFD).update(kept)
    return exif.tobytes()


def _upright(img: Image.Image, orientation: int) -> Image.Image:
    method = images.UPRIGHT.get(orientation)
    return img.transpose(method) if method is not None else img


def _resizable(img: Image.Image) -> Image.Image:
    """Palette and bilevel images would be resized by nearest neighbour: make them RGB(A)."""
    if img.mode in ("P", "PA", "1"):
        alpha = img.mode == "PA" or "transparency" in img.info
        return img.convert("RGBA" if alpha else "RGB")
    return img


def _save(img: Image.Image, fmt: str, quality: int, icc: bytes | None, exif: bytes | None) -> bytes:
    # Resized and turned images inherit the source's info (EXIF, XMP…), which some writers
    # (pillow-heif, PNG for ICC) fall back on: only what is passed below may be written.
    img.info = {}
    out = io.BytesIO()
    params: dict[str, object] = {}
    if icc:
        params["icc_profile"] = icc
    if exif:
        params["exif"] = exif
    if fmt == "JPEG":
        if img.mode not in ("RGB", "L", "CMYK"):
            img = img.convert("RGB")
        img.save(out, "JPEG", quality=quality, optimize=True, **params)
    elif fmt == "PNG":
        img.save(out, "PNG", optimize=True, **params)
    elif fmt == "WEBP":
        img.save(out, "WEBP", quality=quality, method=4, **params)
    else:
        img.save(out, "HEIF", quality=quality, **params)
    return out.getvalue()
