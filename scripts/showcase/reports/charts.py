"""Static SVG charts with Chinese labels, drawn at build time: no JavaScript, printable, and
their text stays text (selectable, searchable, read by screen readers through <title>/<desc>).

They take the column's whole width at any size: `width="100%"` and every horizontal position
in percent of it, heights in pixels. No viewBox scaling: a chart drawn for a phone and scaled
up to a desktop column would set its labels in 30 px type, one drawn for a desktop would shrink
them to 7 px on a phone; here text is 13 px everywhere and only the bars stretch.

Three shapes are all the reports need: horizontal bars to compare groups, columns over
years, and pairs of columns for like-for-like comparisons (the same branches in two years).
Written here rather than with a charting library: pygal embeds scripts and a remote
tooltip library by default, matplotlib draws text as paths (no Chinese font lookup in the
browser, no copy-paste) and takes ~100 ms a chart; these are a few dozen lines of markup.
"""

from __future__ import annotations

import hashlib
from html import escape

BAR = "#c8102e"  # the site's red
INK = "currentColor"  # the page's text colour: readable in the light and the dark palette
GRID = "#dddddd"
PALE = "#e8a0aa"  # the earlier year of a comparison


def _text(
    x: str, y: float, body: str, *, anchor: str = "start", size: int = 13, weight: str = "", fill: str = INK
) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}>'
        f"{escape(body)}</text>"
    )


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def _frame(height: int, title: str, desc: str, body: list[str]) -> str:
    # Ids from the content, not a counter: a page rendered alone (incremental build) must
    # come out byte-identical to the same page in a full build.
    n = hashlib.sha256(f"{title}\0{desc}".encode()).hexdigest()[:10]
    return (
        f'<svg class="sc-chart" xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
        # No font-family of its own: inline SVG text inherits the page's CJK font stack.
        f'role="img" aria-labelledby="sc-chart-{n}-t sc-chart-{n}-d">'
        f'<title id="sc-chart-{n}-t">{escape(title)}</title><desc id="sc-chart-{n}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def caption(title: str, unit: str = "") -> str:
    """The chart's visible title, as HTML above it (it wraps on a narrow screen; SVG text does not)."""
    return f'<figcaption class="sc-chart__title">{escape(title)}{escape(f"（{unit}）") if unit else ""}</figcaption>'


def bars(title: str, rows: list[tuple[str, float, str]], *, unit: str = "") -> str:
    """Horizontal bars: (label, value, value as printed) per row, in the order given. Each row is
    its label on a line of its own, then the bar: nothing depends on how wide the column is."""
    bar_max, row_h, top = 80.0, 44, 4
    height = top + row_h * max(1, len(rows))
    peak = max((v for _, v, _ in rows), default=0) or 1
    body = []
    for i, (label, value, shown) in enumerate(rows):
        y = top + i * row_h
        body.append(_text("0", y + 14, label if len(label) <= 14 else label[:13] + "…"))
        w = max(0.5, bar_max * value / peak) if value > 0 else 0.0
        body.append(f'<rect x="0" y="{y + 21}" width="{_pct(w)}" height="16" fill="{BAR}"/>')
        # The value follows a short bar; a long one carries it inside its end, in white.
        if w > bar_max / 2:
            body.append(_text(_pct(w - 1), y + 34, shown, anchor="end", size=12, fill="#ffffff"))
        else:
            body.append(_text(_pct(w + 1), y + 34, shown, size=12))
    desc = "；".join(f"{label} {shown}" for label, _, shown in rows)
    return _frame(height, title, desc, body)


def columns(title: str, rows: list[tuple[str, float, str]], *, unit: str = "") -> str:
    """Vertical columns over time: (period, value, value as printed), oldest first."""
    n = max(1, len(rows))
    chart_h, top = 160, 22
    slot = 100 / n
    col_w = min(slot * 0.6, 18.0)
    height = top + chart_h + 30
    peak = max((v for _, v, _ in rows), default=0) or 1
    base = top + chart_h
    body = [f'<line x1="0" y1="{base}" x2="100%" y2="{base}" stroke="{GRID}"/>']
    for i, (period, value, shown) in enumerate(rows):
        mid = slot * (i + 0.5)
        h = max(2.0, chart_h * value / peak) if value > 0 else 0
        body.append(
            f'<rect x="{_pct(mid - col_w / 2)}" y="{base - h:.1f}" width="{_pct(col_w)}" height="{h:.1f}" fill="{BAR}"/>'
        )
        body.append(_text(_pct(mid), base - h - 6, shown, anchor="middle", size=12))
        body.append(_text(_pct(mid), base + 20, period, anchor="middle"))
    desc = "；".join(f"{period} {shown}" for period, _, shown in rows)
    return _frame(height, title, desc, body)


Column = tuple[str, float, str]  # period, value, value as printed


def pairs(title: str, groups: list[tuple[str, Column, Column]], *, unit: str = "") -> str:
    """Like-for-like comparisons: per group a short caption (“3个党组织”) and two columns, before
    and after; the earlier one drawn lighter. `desc` says in full who is compared."""
    n = max(1, len(groups))
    chart_h, top = 150, 22
    slot = 100 / n
    col_w = min(slot * 0.28, 12.0)
    height = top + chart_h + 50
    peak = max((v for _, a, b in groups for v in (a[1], b[1])), default=0) or 1
    base = top + chart_h
    body = [f'<line x1="0" y1="{base}" x2="100%" y2="{base}" stroke="{GRID}"/>']
    for i, (label, before, after) in enumerate(groups):
        mid = slot * (i + 0.5)
        for side, (period, value, shown) in ((-1, before), (1, after)):
            x = mid + side * (col_w / 2 + 1)
            h = max(2.0, chart_h * value / peak) if value > 0 else 0
            fill = BAR if side > 0 else PALE
            body.append(
                f'<rect x="{_pct(x - col_w / 2)}" y="{base - h:.1f}" width="{_pct(col_w)}" height="{h:.1f}" fill="{fill}"/>'
            )
            body.append(_text(_pct(x), base - h - 6, shown, anchor="middle", size=12))
            body.append(_text(_pct(x), base + 18, period, anchor="middle", size=12))
        body.append(_text(_pct(mid), base + 40, label, anchor="middle", size=12))
    desc = "；".join(f"{c}均有填报：{a[0]}年 {a[2]}，{b[0]}年 {b[2]}" for c, a, b in groups)
    return _frame(height, title, desc, body)
