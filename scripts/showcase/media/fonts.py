"""Installed CJK fonts (Debian `fonts-noto-cjk`), found locally and never downloaded.

Share images and illustrations draw Chinese text with Pillow (lines broken by `wrap`); the
print edition embeds the same families. The Debian paths are tried first, then Fontconfig is
asked.
"""

from __future__ import annotations

import subprocess
from functools import cache, lru_cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
# Fontconfig pattern and the Debian file for each style we use. The .ttc files hold JP, KR,
# SC, TC, HK faces; index 2 is Simplified Chinese (the glyph shapes readers here expect).
STYLES = {
    "sans-bold": ("Noto Sans CJK SC:style=Bold", NOTO_DIR / "NotoSansCJK-Bold.ttc", 2),
    "sans": ("Noto Sans CJK SC:style=Regular", NOTO_DIR / "NotoSansCJK-Regular.ttc", 2),
    "serif": ("Noto Serif CJK SC:style=Regular", NOTO_DIR / "NotoSerifCJK-Regular.ttc", 2),
    "serif-bold": ("Noto Serif CJK SC:style=Bold", NOTO_DIR / "NotoSerifCJK-Bold.ttc", 2),
}
INSTALL_HINT = "请安装中文字体：apt-get install fonts-noto-cjk"


@cache
def find(style: str = "sans-bold") -> tuple[str, int] | None:
    """(file, face index) of an installed font for `style`, or None if there is none."""
    pattern, debian_path, debian_index = STYLES[style]
    if debian_path.is_file():
        return str(debian_path), debian_index
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}\t%{lang}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\t")
    if len(parts) == 3 and parts[0] and "zh-cn" in parts[2] and Path(parts[0]).is_file():
        return parts[0], int(parts[1] or 0)
    return None


@lru_cache(maxsize=64)
def truetype(size: int, style: str = "sans-bold") -> ImageFont.FreeTypeFont:
    """A loaded font; raises LookupError (with the install hint) if no CJK font is installed."""
    found = find(style)
    if found is None:
        raise LookupError(f"没有找到中文字体（{STYLES[style][0]}）：{INSTALL_HINT}")
    return ImageFont.truetype(found[0], size, index=found[1])


def wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int
) -> list[str]:
    """`text` in lines no wider than `width` pixels. Chinese has no spaces to break at: a line
    may end after any character (a character wider than `width` gets a line of its own)."""
    lines, line = [], ""
    for ch in text:
        if line and draw.textlength(line + ch, font=font) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines
