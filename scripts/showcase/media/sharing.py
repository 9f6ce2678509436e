"""What a shared link shows, and the way back from paper: share cards and QR codes.

- A 1200×630 share card per branch (Open Graph image): brand name, branch name, one key
  figure, over the lead photo, drawn with an installed Noto CJK font (`fonts.py`).
- An SVG QR code per branch page (segno), for the print edition's “扫码看更多”.
- The <meta> tags that make WeChat, Weibo and others show a card rather than a bare link.

Images are cached by a hash of everything drawn on them, like the photos.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
from pathlib import Path

import segno
from markupsafe import escape
from PIL import Image, ImageDraw, ImageFont, ImageOps

from showcase.atomic import atomic_write
from showcase.media import fonts
from showcase.media.renditions import remove_leftovers

CARD_SIZE = (1200, 630)
CARD_VERSION = "2"
RED_DEEP = (142, 14, 14)
RED = (183, 28, 28)
GOLD = (255, 214, 122)
CREAM = (255, 236, 200)


@dataclasses.dataclass(frozen=True)
class Card:
    """The text of a share card. `figure` is e.g. ("1400余名", "党员")."""

    title: str
    subtitle: str
    kicker: str = "党建品牌"
    figure: tuple[str, str] | None = None
    footer: str = ""


# --- share cards ------------------------------------------------------------------------


def card_key(card: Card, photo_sha: str | None) -> str:
    font = fonts.find("sans-bold")
    return hashlib.sha256(
        json.dumps([CARD_VERSION, dataclasses.astuple(card), photo_sha, font]).encode()
    ).hexdigest()[:32]


def draw_card(card: Card, photo: Path | None) -> bytes:
    """The card as a JPEG. Raises LookupError when no CJK font is installed."""
    w, h = CARD_SIZE
    img = Image.new("RGB", CARD_SIZE, RED_DEEP)
    text_w = 700
    if photo is not None:
        with Image.open(photo) as src:
            pic = ImageOps.fit(src.convert("RGB"), (w - text_w + 120, h), Image.Resampling.LANCZOS)
        img.paste(pic, (text_w - 120, 0))
    else:
        # No photo: the brand's first character, large and faint, fills the right side.
        glyph = Image.new("L", CARD_SIZE, 0)
        ImageDraw.Draw(glyph).text(
            (w - 250, h // 2), card.title[:1], font=fonts.truetype(460, "sans-bold"), fill=46, anchor="mm"
        )
        img.paste(Image.new("RGB", CARD_SIZE, GOLD), (0, 0), glyph)
    # A gradient from solid red to clear over the photo's left edge keeps the text legible.
    shade = Image.new("L", (w, 1))
    shade.putdata(
        [255 if x < text_w - 120 else max(0, 255 - (x - text_w + 120) * 255 // 260) for x in range(w)]
    )
    img.paste(Image.new("RGB", CARD_SIZE, RED_DEEP), (0, 0), shade.resize(CARD_SIZE))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 14, h], fill=GOLD)
    x, y = 64, 56
    kicker = fonts.truetype(30, "sans-bold")
    draw.text((x, y), card.kicker, font=kicker, fill=GOLD)
    y += 58
    title_font, lines = _fit(draw, card.title, text_w - x - 20, sizes=(104, 92, 80, 68, 58), max_lines=2)
    for line in lines:
        draw.text((x, y), line, font=title_font, fill=(255, 255, 255))
        y += int(title_font.size * 1.18)
    y += 8
    sub_font, sub_lines = _fit(draw, card.subtitle, text_w - x - 20, sizes=(38, 34, 30), max_lines=2)
    for line in sub_lines:
        draw.text((x, y), line, font=sub_font, fill=CREAM)
        y += int(sub_font.size * 1.35)
    if card.figure:
        number, label = card.figure
        y = max(y + 24, h - 210)
        num_font = fonts.truetype(72, "sans-bold")
        draw.text((x, y), number, font=num_font, fill=GOLD)
        nx = x + draw.textlength(number, font=num_font) + 18
        label_font, label_lines = _fit(
            draw, label, max(120, text_w - int(nx) - 20), sizes=(30, 26), max_lines=2
        )
        for i, line in enumerate(label_lines):
            draw.text((nx, y + 18 + i * 34), line, font=label_font, fill=(255, 255, 255))
    if card.footer:
        draw.text((x, h - 64), card.footer, font=fonts.truetype(26, "sans"), fill=CREAM)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def _fit(
    draw: ImageDraw.ImageDraw, text: str, width: int, *, sizes: tuple[int, ...], max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which `text` fits in `max_lines` lines; else the smallest, cut with “…”."""
    for size in sizes:
        font = fonts.truetype(size, "sans-bold")
        lines = fonts.wrap(draw, text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    while lines[-1] and draw.textlength(lines[-1] + "…", font=font) > width:
        lines[-1] = lines[-1][:-1]
    lines[-1] += "…"
    return font, lines


class CardStore:
    """Share cards and QR codes cached under `cache_dir/share/` by everything drawn on them."""

    def __init__(self, cache_dir: Path) -> None:
        self.dir = cache_dir / "share"
        remove_leftovers(self.dir)  # temporary files of a killed build

    def path(self, card: Card, photo_id: str | None) -> Path:
        """Where the card lives; `photo_id` names the photo's content (its cache file name)."""
        return self.dir / f"{card_key(card, photo_id)}.jpg"

    def qr(self, url: str, title: str) -> tuple[Path, int]:
        """The QR code's SVG file and its width in CSS pixels (it scales without loss).

        Encoding costs ~5 ms, 5 s a build at 1,000 branches: a cached code is not encoded
        again, its size is read back from its viewBox."""
        parts = [CARD_VERSION, url, title, segno.__version__]
        key = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]
        path = self.dir / f"qr-{key}.svg"
        try:
            with path.open("rb") as f:
                found = _VIEWBOX.search(f.read(200))
            if found:
                return path, int(found.group(1))
        except OSError:
            pass  # not cached yet
        data = qr_svg(url, title)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        found = _VIEWBOX.search(data)
        assert found is not None  # segno writes a viewBox with omitsize=True
        return path, int(found.group(1))


def make_card(job: tuple[Card, str | None, str]) -> None:
    """Worker: draw one card into its cache file."""
    card, photo, out = job
    data = draw_card(card, Path(photo) if photo else None)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    atomic_write(Path(out), data)


# --- QR codes -------------------------------------------------------------------------------


_VIEWBOX = re.compile(rb'viewBox="0 0 (\d+) \d+"')
QR_SCALE = 4  # px per module in the SVG's own coordinates
QR_BORDER = 2  # quiet zone in modules; the page and print add their own white around it


def _qr(url: str) -> segno.QRCode:
    # Error correction M survives newsprint smudges; a fixed level keeps the code's size stable.
    return segno.make(url, error="m", micro=False, boost_error=False)


def qr_svg(url: str, title: str = "") -> bytes:
    """An SVG QR code for `url`, with a viewBox so it scales to any printed or displayed size."""
    out = io.BytesIO()
    _qr(url).save(
        out,
        kind="svg",
        scale=QR_SCALE,
        border=QR_BORDER,
        xmldecl=False,
        title=title or None,
        nl=False,
        omitsize=True,
    )
    return out.getvalue()


# --- meta tags ------------------------------------------------------------------------------


def meta_tags(
    *,
    title: str,
    description: str,
    url: str | None,
    site_name: str,
    image: str | None,
    image_size: tuple[int, int] = CARD_SIZE,
    kind: str = "website",
) -> str:
    """Open Graph and Twitter card tags; every value escaped (the text comes from branches)."""
    tags = [
        ("og:type", kind),
        ("og:site_name", site_name),
        ("og:locale", "zh_CN"),
        ("og:title", title),
        ("og:description", description),
    ]
    if url:  # Open Graph wants absolute URLs: without a site_url there are none to give
        tags.append(("og:url", url))
    if image:
        tags += [
            ("og:image", image),
            ("og:image:width", str(image_size[0])),
            ("og:image:height", str(image_size[1])),
            ("og:image:alt", title),
        ]
    out = [f'<meta property="{k}" content="{escape(v)}">' for k, v in tags]
    out.append(f'<meta name="twitter:card" content="{"summary_large_image" if image else "summary"}">')
    if image:
        # Some in-app browsers (WeChat among them) look for an image_src link or itemprop.
        out.append(f'<meta itemprop="image" content="{escape(image)}">')
    return "\n".join(out)
