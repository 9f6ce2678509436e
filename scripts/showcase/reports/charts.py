"""Static SVG charts with Chinese labels, drawn at build time: no JavaScript, legible on a
phone (they scale to the column width), printable, and their text stays text (selectable,
searchable, read by screen readers through <title>/<desc>).

Two shapes are all the reports need: horizontal bars to compare groups, columns over years.
Written here rather than with a charting library: pygal embeds scripts and a remote
tooltip library by default, matplotlib draws text as paths (no Chinese font lookup in the
browser, no copy-paste) and takes ~100 ms a chart; these are a few dozen lines of markup.
"""

from __future__ import annotations

import hashlib
from html import escape

BAR = "#c8102e"  # the site's red
INK = "#333333"
GRID = "#dddddd"


def _text(x: float, y: float, body: str, *, anchor: str = "start", size: int = 13, weight: str = "") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" fill="{INK}"{bold}>'
        f"{escape(body)}</text>"
    )


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    # Ids from the content, not a counter: a page rendered alone (incremental build) must
    # come out byte-identical to the same page in a full build.
    n = hashlib.sha256(f"{title}\0{desc}".encode()).hexdigest()[:10]
    return (
        f'<svg class="sc-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="sc-chart-{n}-t sc-chart-{n}-d" '
        f'font-family="Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif">'
        f'<title id="sc-chart-{n}-t">{escape(title)}</title><desc id="sc-chart-{n}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def bars(title: str, rows: list[tuple[str, float, str]], *, unit: str = "") -> str:
    """Horizontal bars: (label, value, value as printed) per row, in the order given."""
    # Drawn at about a phone's width, so 13-unit text is 13 px there and nothing is shrunk.
    label_w, bar_w, value_w, row_h, top = 100, 170, 80, 28, 30
    width = label_w + bar_w + value_w
    height = top + row_h * max(1, len(rows)) + 8
    peak = max((v for _, v, _ in rows), default=0) or 1
    body = [_text(0, 18, title + (f"（{unit}）" if unit else ""), size=14, weight="bold")]
    for i, (label, value, shown) in enumerate(rows):
        y = top + i * row_h
        shown_label = label if len(label) <= 7 else label[:6] + "…"
        body.append(_text(label_w - 8, y + 19, shown_label, anchor="end"))
        w = max(2.0, bar_w * value / peak) if value > 0 else 0
        body.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" fill="{BAR}"/>')
        body.append(_text(label_w + w + 6, y + 19, shown))
    desc = "；".join(f"{label} {shown}" for label, _, shown in rows)
    return _frame(width, height, title, desc, body)


def columns(title: str, rows: list[tuple[str, float, str]], *, unit: str = "") -> str:
    """Vertical columns over time: (period, value, value as printed), oldest first."""
    n = max(1, len(rows))
    col_w, gap, chart_h, top, left = 56, 24, 160, 44, 8
    width = max(360, left * 2 + n * (col_w + gap))
    height = top + chart_h + 30
    peak = max((v for _, v, _ in rows), default=0) or 1
    body = [_text(0, 18, title + (f"（{unit}）" if unit else ""), size=14, weight="bold")]
    base = top + chart_h
    body.append(f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{GRID}"/>')
    for i, (period, value, shown) in enumerate(rows):
        x = left + i * (col_w + gap)
        h = max(2.0, chart_h * value / peak) if value > 0 else 0
        body.append(f'<rect x="{x}" y="{base - h:.1f}" width="{col_w}" height="{h:.1f}" fill="{BAR}"/>')
        body.append(_text(x + col_w / 2, base - h - 6, shown, anchor="middle", size=12))
        body.append(_text(x + col_w / 2, base + 20, period, anchor="middle"))
    desc = "；".join(f"{period} {shown}" for period, _, shown in rows)
    return _frame(width, height, title, desc, body)
