"""Decoding, checking and re-encoding one image: what may be published, made from pixels only.

Formats are recognised by content, never by file name, and limited to an allowlist (JPEG,
MPO frame 0, PNG, WebP, HEIC/HEIF). Size and pixel limits are checked before any pixel is
decoded. Every output is upright (EXIF orientation applied once; libheif has already applied
it for HEIC), converted to sRGB and encoded from a fresh image that holds nothing but pixels,
so no EXIF/GPS, XMP, IPTC, ICC profile, JPEG comment or PNG text chunk can reach the site.

This module is pure: bytes in, bytes out. Caching lives in `renditions.py`, parallelism in
`workers.py`.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import warnings

import numpy as np
import pillow_heif
from PIL import Image, ImageCms, UnidentifiedImageError

pillow_heif.register_heif_opener()

ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}
# A 200 MP phone photo is a 20–30 MB JPEG; `showcase photos shrink` makes larger files fit.
MAX_BYTES = 30 * 1024 * 1024
# 200 MP phone sensors store 16320×12240 (199.8 MP) or 16384×12288 (201.3 MP) pixels: a header
# claiming more is a bomb. JPEGs are decoded at reduced scale, so this costs little memory.
MAX_PIXELS = 210_000_000
# Pillow refuses on its own above twice its MAX_IMAGE_PIXELS (89.5 MP by default): that would
# refuse 200 MP photos before our check. Ours decides; Pillow's stays a backstop at twice ours.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Formats that cannot be decoded at reduced scale (PNG, WebP, HEIC) are shrunk by an integer
# factor straight after decoding when larger than this, so only one full-size copy is ever in
# memory. Below it (all that the 50 MP limit of pipeline version 4 let in) nothing changes.
REDUCE_ABOVE_PIXELS = 50_000_000
MIN_PHOTO_WIDTH = 800  # narrower photos look blurred on the site and in print

# Responsive widths for photos on the site; the largest also serves the lightbox.
PHOTO_WIDTHS = (480, 960, 1600)
WEBP_QUALITY = 75
JPEG_QUALITY = 80
PLACEHOLDER_WIDTH = 16
# Bump when the output of any function below changes: it is part of every cache key.
PIPELINE_VERSION = "4"
# What inspection decides also depends on the limits: the version of remembered inspections.
INSPECTION_VERSION = f"{PIPELINE_VERSION}/{MAX_BYTES}/{MAX_PIXELS}"

_ORIENTATION = 0x0112
_SWAPS_AXES = {5, 6, 7, 8}
# What turns a picture stored with EXIF orientation n upright (as ImageOps.exif_transpose does).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class ImageError(Exception):
    """An image that cannot be published. `message` is Chinese, user-facing, and names no file
    (the caller knows which file and line to report)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclasses.dataclass(frozen=True)
class SourceInfo:
    """What inspection learned about a source file. Width and height are as displayed (upright)."""

    sha256: str
    format: str
    width: int
    height: int
    size: int


@dataclasses.dataclass(frozen=True)
class Encoded:
    width: int
    height: int
    ext: str  # "webp", "jpg" or "png"
    data: bytes


# --- inspection -------------------------------------------------------------------------


def inspect(raw: bytes) -> SourceInfo:
    """Check that `raw` is a complete image we may publish, decoding as little as possible.

    JPEGs are decoded at 1/8 scale (DCT scaling reads all the data, so a truncated file is
    still caught, at a few milliseconds for 12 MP); PNGs are verified chunk by chunk."""
    if len(raw) > MAX_BYTES:
        raise too_large(len(raw))
    img = open_header(raw)
    width, height = img.size
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            if img.format == "PNG":
                img.verify()  # must come straight after open; reading EXIF may decode the image
                img = open_header(raw)
                orientation = exif_orientation(img)
            else:
                orientation = exif_orientation(img)
                if img.format in ("JPEG", "MPO"):
                    img.draft(img.mode, (max(1, width // 8), max(1, height // 8)))
                img.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as e:
        raise broken(e) from None
    if orientation in _SWAPS_AXES:
        width, height = height, width
    return SourceInfo(hashlib.sha256(raw).hexdigest(), str(img.format), width, height, len(raw))


def open_header(raw: bytes) -> Image.Image:
    """Open the header only, and refuse what we do not publish before decoding pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(raw))
    except Image.DecompressionBombError:
        raise _too_many_pixels(None) from None
    except UnidentifiedImageError:
        raise ImageError(
            "PHOTO_FORMAT",
            "无法识别的文件内容，不是 JPEG、PNG、WebP 或 HEIC 图片（只改扩展名不能转换格式）：请用相机或手机原图，或另存为 JPEG。",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise broken(e) from None
    if img.format not in ALLOWED_FORMATS:
        raise ImageError(
            "PHOTO_FORMAT",
            f"文件内容是 {img.format} 格式，不在允许之列：请另存为 JPEG（照片）或 PNG（截图、标识）后再提交。",
        )
    if img.width * img.height > MAX_PIXELS:
        raise _too_many_pixels(img.size)
    return img


def too_large(size: int) -> ImageError:
    return ImageError(
        "PHOTO_TOO_LARGE",
        f"文件有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 上限："
        "请先运行 showcase photos shrink 缩小这张照片，再提交。",
    )


def _too_many_pixels(size: tuple[int, int] | None) -> ImageError:
    dims = f"（{size[0]}×{size[1]}）" if size else ""
    return ImageError(
        "PHOTO_PIXELS",
        f"图片像素过多{dims}，超过 {MAX_PIXELS / 100_000_000:g} 亿像素上限，可能是异常文件：请缩小到 4096 像素宽以内后再提交。",
    )


def broken(e: BaseException) -> ImageError:
    detail = str(e).split("\n")[0][:80]
    return ImageError(
        "PHOTO_BROKEN",
        f"图片文件已损坏或不完整（{detail}），可能上传或拷贝时中断：请从手机或相机重新导出原图。",
    )


def exif_orientation(img: Image.Image) -> int:
    """EXIF orientation still to apply. pillow-heif has already applied HEIC's own and reset it to 1."""
    try:
        value = img.getexif().get(_ORIENTATION, 1)
    except Exception:  # a broken EXIF block must not stop the photo: treat it as upright
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


# --- decoding to clean pixels ---------------------------------------------------------------


def decode(raw: bytes, *, max_width: int | None = None) -> Image.Image:
    """Decode to an upright sRGB image of mode RGB or RGBA holding nothing but pixels.

    With `max_width`, a JPEG is decoded at the smallest DCT scale that is still at least that
    wide once upright, which is most of the speed-up over a plain open-and-resize; other formats
    above REDUCE_ABOVE_PIXELS are box-reduced to at least that width right after decoding."""
    img = open_header(raw)
    orientation = exif_orientation(img)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            if max_width and img.format in ("JPEG", "MPO"):
                upright_w = img.height if orientation in _SWAPS_AXES else img.width
                if upright_w > max_width:
                    scale = max_width / upright_w
                    img.draft(img.mode, (int(img.width * scale) + 1, int(img.height * scale) + 1))
            img.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as e:
        raise broken(e) from None
    icc = img.info.get("icc_profile")
    if max_width and img.width * img.height > REDUCE_ABOVE_PIXELS:
        factor = (img.height if orientation in _SWAPS_AXES else img.width) // max_width
        if factor >= 2:
            img = _reduce(img, factor)
    img = img.transpose(UPRIGHT[orientation]) if orientation in UPRIGHT else img
    img = _to_srgb(img, icc)
    alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    mode = "RGBA" if alpha else "RGB"
    img = img if img.mode == mode else img.convert(mode)
    # A fresh image holding the pixels only: nothing from img.info (EXIF, XMP, ICC, text)
    # survives. Pasted rather than rebuilt from tobytes(): one copy in memory instead of two.
    clean = Image.new(mode, img.size)
    clean.paste(img)
    return clean


def _reduce(img: Image.Image, factor: int) -> Image.Image:
    """Box-average by `factor` (to at least the width asked for, like a JPEG's DCT scaling), so
    the full-size decode can be freed before the copies that colour conversion makes."""
    if img.mode in ("P", "PA", "1"):  # averaging palette indices would mean nothing
        alpha = img.mode == "PA" or "transparency" in img.info
        img = img.convert("RGBA" if alpha else "RGB")
    if img.mode not in ("L", "LA", "RGB", "RGBA", "CMYK", "I", "F"):
        return img  # 16-bit greyscale and the like: rare, left at full size
    return img.reduce(factor)


def _to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    if img.mode.startswith("I;16") or img.mode in ("I", "F"):
        # 16-bit greyscale (some scanners, PNG): scale to 8 bits rather than clip to white.
        arr = np.asarray(img, dtype=np.float64)
        peak = 65535.0 if img.mode.startswith("I") else max(1.0, float(arr.max()))
        img = Image.fromarray(np.clip(arr * (255.0 / peak), 0, 255).astype(np.uint8), "L")
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            dst = ImageCms.createProfile("sRGB")
            has_alpha = img.mode in ("RGBA", "LA", "PA")
            base = (
                img
                if img.mode in ("RGB", "RGBA", "CMYK", "L")
                else img.convert("RGBA" if has_alpha else "RGB")
            )
            out_mode = "RGBA" if base.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(
                base, src, dst, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode=out_mode
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or mismatched profile: fall back to reading the pixels as sRGB
    if img.mode == "CMYK":
        return img.convert("RGB")
    return img


def _flatten(img: Image.Image) -> Image.Image:
    """Photos are shown on paper-coloured cards and printed: transparency becomes white."""
    if img.mode != "RGBA":
        return img
    white = Image.new("RGB", img.size, (255, 255, 255))
    white.paste(img, mask=img.getchannel("A"))
    return white


def _resize(img: Image.Image, width: int) -> Image.Image:
    if img.width <= width:
        return img
    return img.resize((width, max(1, round(img.height * width / img.width))), Image.Resampling.LANCZOS)


def _encode(img: Image.Image, ext: str) -> Encoded:
    out = io.BytesIO()
    if ext == "webp":
        img.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    elif ext == "jpg":
        img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        img.save(out, "PNG", optimize=True)
    return Encoded(img.width, img.height, ext, out.getvalue())


# --- what the site publishes -----------------------------------------------------------------


def photo_widths(source_width: int) -> list[int]:
    """The responsive widths for a photo, smallest first: the standard widths clearly below its
    own, then its own width capped at the largest standard one (photos are never enlarged).
    4032 → 480, 960, 1600; 1200 → 480, 960, 1200; 1000 → 480, 1000; 500 → 500."""
    top = min(source_width, PHOTO_WIDTHS[-1])
    return [w for w in PHOTO_WIDTHS if w < top * 0.9] + [top]


def photo_renditions(raw: bytes) -> tuple[list[Encoded], str]:
    """WebP and JPEG at every responsive width (largest first), and a tiny WebP placeholder
    as a data: URI shown while the real image loads."""
    img = _flatten(decode(raw, max_width=PHOTO_WIDTHS[-1]))
    out: list[Encoded] = []
    # Largest first, each step resized from the one before: far cheaper than from full size,
    # and LANCZOS over a 1.7× step loses nothing visible.
    for width in sorted(photo_widths(img.width), reverse=True):
        img = _resize(img, width)
        out.append(_encode(img, "webp"))
        out.append(_encode(img, "jpg"))
    tiny = _resize(img, PLACEHOLDER_WIDTH)
    buf = io.BytesIO()
    tiny.save(buf, "WEBP", quality=30, method=6)
    placeholder = "data:image/webp;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return out, placeholder


def logo_rendition(raw: bytes, max_width: int = 480) -> Encoded:
    """A logo keeps its transparency (PNG); an opaque one becomes a JPEG."""
    img = _resize(decode(raw, max_width=max_width), max_width)
    lowest_alpha = img.getchannel("A").getextrema()[0] if img.mode == "RGBA" else 255
    if isinstance(lowest_alpha, int) and lowest_alpha < 255:
        return _encode(img, "png")
    return _encode(img.convert("RGB"), "jpg")
