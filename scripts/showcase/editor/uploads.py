"""What the web form lets a liaison upload as a photo: the build's own rules (media/images.py),
checked in the browser before Decap CMS stores the file (assets/uploads.js), so a PDF, a Word
file or an over-large original is refused at once with a clear message, not at the pull request.

The browser can only look at the name and size; the build still checks the content (a renamed
TIFF is caught by `showcase check` on the pull request, as before).
"""

from __future__ import annotations

from showcase.media.images import MAX_BYTES

# File name endings of the formats the build publishes (images.ALLOWED_FORMATS; an MPO is a .jpg).
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")

MAX_MB = MAX_BYTES // 1024 // 1024
# {name} is the chosen file's name, {mb} its size in MB (filled in by uploads.js).
WRONG_TYPE = (
    "“{name}”不能作为照片上传：只能上传 JPEG、PNG、WebP 或 HEIC 格式的照片"
    "（文件名以 " + " ".join(SUFFIXES) + " 结尾）。请在手机或电脑上另存为 JPEG 后再上传。"
)
TOO_LARGE = (
    f"“{{name}}”有 {{mb}} MB，超过 {MAX_MB} MB 上限，没有上传。"
    "请先把照片缩小（如在手机相册里导出较小尺寸）后再上传。"
)


def attributes() -> dict[str, str]:
    """The data-* attributes of uploads.js' script tag."""
    return {
        "data-suffixes": " ".join(SUFFIXES),
        "data-max-bytes": str(MAX_BYTES),
        "data-wrong-type": WRONG_TYPE,
        "data-too-large": TOO_LARGE,
    }
