"""Publishable copies of branch photos and logos, made from pixels, with no metadata left.

Decoding is limited to an allowlist of formats checked by content, the image is turned
upright from its EXIF orientation, converted to sRGB, scaled down and re-encoded, so no
EXIF/GPS, XMP, ICC or comment ever reaches the site. Results are cached under
`.cache/showcase/images/` by a hash of the source bytes and the parameters, so a warm
rebuild decodes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
MAX_PIXELS = 50_000_000
MAX_BYTES = 20 * 1024 * 1024
PIPELINE_VERSION = "1"


class ImageError(Exception):
    """A photo that cannot be published; the message is Chinese and user-facing."""


@dataclasses.dataclass(frozen=True)
class Derivative:
    path: Path
    width: int
    height: int
    ext: str  # "jpg" or "png"


def _to_srgb(img: Image.Image) -> Image.Image:
    icc = img.info.get("icc_profile")
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            dst = ImageCms.createProfile("sRGB")
            mode = "RGBA" if img.mode in ("RGBA", "LA", "PA") else "RGB"
            converted = ImageCms.profileToProfile(img, src, dst, outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to treating the pixels as sRGB
    if img.mode == "CMYK":
        return img.convert("RGB")
    return img


def _open(src: Path, label: str) -> Image.Image:
    size = src.stat().st_size
    if size > MAX_BYTES:
        raise ImageError(f"{label}：文件有 {size / 1024 / 1024:.1f} MB，超过 20 MB 上限，请压缩后再提交。")
    try:
        img = Image.open(src)
        fmt = img.format
        if fmt not in ALLOWED_FORMATS:
            raise ImageError(f"{label}：不支持的图片格式 {fmt}，请提交 JPEG、PNG 或 WebP。")
        if img.width * img.height > MAX_PIXELS:
            raise ImageError(f"{label}：图片像素过多（{img.width}×{img.height}），请缩小后再提交。")
        img.load()
    except ImageError:
        raise
    except Image.DecompressionBombError:
        raise ImageError(f"{label}：图片像素过多，可能是恶意文件，已拒绝。") from None
    except (OSError, SyntaxError, ValueError) as e:
        raise ImageError(f"{label}：图片文件已损坏或不完整，无法读取（{type(e).__name__}）。") from None
    return img


def _process(src: Path, label: str, max_width: int, keep_alpha: bool) -> tuple[bytes, int, int, str]:
    img = _open(src, label)
    img = ImageOps.exif_transpose(img)
    img = _to_srgb(img)
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    if img.width > max_width:
        img = img.resize((max_width, round(img.height * max_width / img.width)), Image.Resampling.LANCZOS)
    # Re-encode from a fresh image holding only pixels: nothing from img.info is carried over.
    out = io.BytesIO()
    if keep_alpha and has_alpha:
        clean = Image.frombytes("RGBA", img.size, img.convert("RGBA").tobytes())
        clean.save(out, "PNG", optimize=True)
        ext = "png"
    else:
        rgb = img.convert("RGB")
        clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())
        clean.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        ext = "jpg"
    return out.getvalue(), clean.width, clean.height, ext


class ImageCache:
    def __init__(self, cache_dir: Path) -> None:
        self.dir = cache_dir / "images"

    def derivative(
        self, src: Path, label: str, *, max_width: int = 1600, keep_alpha: bool = False
    ) -> Derivative:
        raw = src.read_bytes()
        key = hashlib.sha256(
            raw + json.dumps([PIPELINE_VERSION, max_width, keep_alpha]).encode()
        ).hexdigest()[:32]
        meta_path = self.dir / f"{key}.json"
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            path = self.dir / f"{key}.{meta['ext']}"
            if path.is_file():
                return Derivative(path, int(meta["width"]), int(meta["height"]), str(meta["ext"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged cache entry: recompute
        data, width, height, ext = _process(src, label, max_width, keep_alpha)
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self.dir / f"{key}.{ext}"
        _atomic_write(path, data)
        _atomic_write(meta_path, json.dumps({"width": width, "height": height, "ext": ext}).encode())
        return Derivative(path, width, height, ext)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
