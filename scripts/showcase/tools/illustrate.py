"""Honest illustrative pictures (示意图) for sample and synthetic branches.

No real photos exist for the sample content, so we draw a simple scene — sky, buildings,
a red banner, rows of figures — and print “示意图” and the caption on it, so no reader can
take it for a photograph. Deterministic for the same text and seed.
"""

from __future__ import annotations

import hashlib
import random

from PIL import Image, ImageDraw, ImageFont

from showcase.media import fonts


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return fonts.truetype(size, "sans-bold")
    except LookupError:  # no CJK font: the picture still says 示意图, in the default font
        return ImageFont.load_default(size)


def illustration(caption: str, *, seed: str = "", size: tuple[int, int] = (1600, 1200)) -> Image.Image:
    w, h = size
    rng = random.Random(hashlib.sha256(f"{seed}|{caption}".encode()).digest())
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    # Sky: a vertical gradient in a calm hue.
    top = (rng.randint(120, 170), rng.randint(170, 210), rng.randint(215, 245))
    bottom = (250, 240, 225)
    for y in range(h):
        t = y / h
        draw.line(
            [(0, y), (w, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    # Buildings along a horizon.
    horizon = int(h * 0.62)
    x = 0
    while x < w:
        bw = rng.randint(w // 14, w // 7)
        bh = rng.randint(h // 8, h // 3)
        shade = rng.randint(150, 205)
        draw.rectangle([x, horizon - bh, x + bw, horizon], fill=(shade, shade - 10, shade - 25))
        for wy in range(horizon - bh + 20, horizon - 20, 46):
            for wx in range(x + 14, x + bw - 20, 38):
                draw.rectangle([wx, wy, wx + 16, wy + 22], fill=(235, 225, 190))
        x += bw + rng.randint(4, 24)
    # Ground and a red banner.
    draw.rectangle([0, horizon, w, h], fill=(196, 186, 170))
    bx0, by0 = int(w * 0.12), int(h * 0.16)
    draw.rectangle([bx0, by0, w - bx0, by0 + h // 10], fill=(183, 28, 28))
    # Rows of simple figures (heads and shoulders), in varied clothes.
    for row in range(2):
        y = horizon + 40 + row * (h // 8)
        for i in range(9):
            cx = int(w * (0.08 + i * 0.105)) + rng.randint(-12, 12)
            r = h // 40 + row * 4
            coat = rng.choice([(183, 28, 28), (60, 70, 90), (230, 230, 235), (120, 90, 60), (40, 110, 160)])
            draw.ellipse([cx - r, y - r, cx + r, y + r], fill=(60, 45, 40))
            draw.rounded_rectangle([cx - 2 * r, y + r, cx + 2 * r, y + 5 * r], radius=r, fill=coat)
    # The words that make it honest.
    banner_font = _font(h // 16)
    draw.text((w // 2, by0 + h // 20), "示  意  图", font=banner_font, fill=(255, 236, 179), anchor="mm")
    cap_font = _font(h // 26)
    lines = fonts.wrap(draw, caption, cap_font, int(w * 0.86))[:3]
    pad = h // 40
    box_h = len(lines) * (h // 22) + 2 * pad
    draw.rectangle([0, h - box_h, w, h], fill=(0, 0, 0))
    for i, line in enumerate(lines):
        draw.text(
            (w // 2, h - box_h + pad + i * (h // 22) + h // 44),
            line,
            font=cap_font,
            fill=(255, 255, 255),
            anchor="mm",
        )
    return img
