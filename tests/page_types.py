"""Every page type of the public site, and the in-browser checks the page-type, accessibility and
适老模式 suites run on each of them (tests/site/test_page_types_browser.py, test_accessibility.py,
test_elder_mode_browser.py). The checks are plain JavaScript evaluated in the page, so they
measure what Chromium laid out, not what the templates say.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from conftest import ROOT
from showcase import urls

BRANCH = "yangguang-shequ"
NOT_FOUND = "404"
ARTIFACTS = ROOT / "tests" / "artifacts" / "page-types"  # screenshots (git-ignored)
NARROW = {"width": 360, "height": 780}  # the narrowest phones still sold
PAGE_TYPES: dict[str, str] = {
    "home": urls.HOME,
    "brands": urls.BRANDS,
    "branch": urls.branch(BRANCH),
    "region": urls.region("呼和浩特市"),
    "category": urls.category("社区"),
    "theme": urls.theme("一老一小"),
    "reports": urls.REPORTS,
    "search": urls.SEARCH + "?q=书香",
    "updates": urls.UPDATES,
    "editions": urls.EDITIONS,
    NOT_FOUND: "此页并不存在/",  # any unknown URL: the server answers with the site's 404.html
}


class Watch:
    """Requests to other hosts and script errors of one page, from the moment it is watched."""

    def __init__(self, page: Any, base: str) -> None:
        self.host = urlsplit(base).netloc
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def reset(self) -> None:
        self.requests.clear()
        self.errors.clear()

    def foreign(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != self.host
        ]

    def script_errors(self, not_found_url: str | None = None) -> list[str]:
        """Console errors, less Chromium's own line about the 404 status of `not_found_url` (the
        404 page is *meant* to answer 404; anything else it logs still counts)."""
        return [
            e
            for e in self.errors
            if not (
                not_found_url
                and e.startswith("Failed to load resource: the server responded with a status of 404")
                and e.endswith("@ " + not_found_url)
            )
        ]


def open_page(page: Any, base: str, name: str, wait: str = "load") -> Any:
    """Load a page type (until `wait`: "load", or "networkidle" to see every late request too);
    asserts the status a reader's browser gets. Returns the response."""
    url = base + PAGE_TYPES[name]
    response = page.goto(url, wait_until=wait)
    assert response is not None
    if name == NOT_FOUND:
        assert response.status == 404, f"{url}: status {response.status}"
        # Not the server's bare error text: the site's own 404 page, with header and search box.
        assert page.locator(".md-header").count() == 1, (
            "未知网址没有得到站点的 404.html（生产服务器的 error_page 404 /404.html 那样）"
        )
    else:
        assert response.status == 200, f"{url}: status {response.status}"
    if name == "search":
        page.wait_for_selector("#search-status[data-total]", timeout=15000)
    return response


# --- checks evaluated in the page -----------------------------------------------------------------

SIDEWAYS_JS = """() => {
  // How far the page is wider than the screen: material sets overflow-x: hidden on <html>,
  // so a too-wide element does not always give a scroll bar; it is cut off instead. Count both:
  // the document's scroll width and any visible element reaching past the right edge, unless it
  // sits in a box that scrolls sideways by design (tables, the photo strip).
  const width = document.documentElement.clientWidth;
  const over = [];
  const extra = document.documentElement.scrollWidth - width;
  if (extra > 0) over.push(`document ${extra}px`);
  const scrollsInside = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.getBoundingClientRect().right <= width + 1) return true;
      if (s.position === 'fixed' && p.getBoundingClientRect().right <= 0) return true;  // an off-canvas drawer
    }
    return false;
  };
  for (const el of document.querySelectorAll('.md-header *, .md-content *, .md-footer *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= width + 1) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (scrollsInside(el)) continue;
    const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    over.push(`${name} right=${Math.round(r.right)}`);
    if (over.length > 8) break;
  }
  return over;
}"""

IMAGES_WITHOUT_TEXT_JS = """() => {
  // Every <img> needs alt text. alt="" (decoration) is allowed only where the image says it is
  // decoration (aria-hidden="true" or role="presentation"/"none") and sits in a link whose own
  // text names the target, so a screen reader still has something to read for the link.
  const bad = [];
  for (const img of document.images) {
    const alt = img.getAttribute('alt');
    const label = img.src.split('/').pop() || img.outerHTML.slice(0, 80);
    if (alt === null) { bad.push(`${label}: no alt`); continue; }
    if (alt.trim() !== '') continue;
    const decorative = img.getAttribute('aria-hidden') === 'true' || ['presentation', 'none'].includes(img.getAttribute('role'));
    const link = img.closest('a[href]');
    const linkText = link ? link.textContent.trim() : '';
    if (!decorative) bad.push(`${label}: alt="" but not aria-hidden/role=presentation`);
    else if (!linkText) bad.push(`${label}: alt="" outside a link with text`);
  }
  return bad;
}"""

SMALL_TARGETS_JS = """(minimum) => {
  // Tap targets (links, buttons, form controls, <label for> buttons of the theme) in the header
  // and the main content must be at least `minimum` CSS px wide and high (WCAG 2.5.5 asks 44).
  // Exempt, as WCAG 2.5.8 exempts "inline" targets: a plain link inside running text, i.e. an
  // <a> laid out display:inline whose nearest block holds letters or digits outside any link
  // (a sentence). A link alone in its paragraph, a breadcrumb trail (only separators between the
  // links) or a link styled as a block or button is a control and must be big enough.
  // Not counted: what is not rendered (display:none, visibility:hidden, opacity 0, zero size)
  // and the 1×1 px visually-hidden texts for screen readers.
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [role=button]';
  const blockOf = el => {
    let b = el.parentElement;
    while (b && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement;
    return b;
  };
  const textOutsideLinks = block => {
    let text = '';
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('a, button, [aria-hidden=true]')) continue;
      if (!n.parentElement.checkVisibility()) continue;
      text += n.textContent;
    }
    return text.replace(/[^\\p{L}\\p{N}]/gu, '');
  };
  const inRunningText = el => el.tagName === 'A' && getComputedStyle(el).display === 'inline'
    && textOutsideLinks(blockOf(el)).length > 0;
  const small = [];
  for (const scope of document.querySelectorAll('.md-header, .md-tabs, .md-content')) {
    for (const el of scope.querySelectorAll(SELECTOR)) {
      if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 2 || r.height <= 2) continue;  // a visually hidden label (1 px, scaled in 长辈模式)
      if (inRunningText(el)) continue;
      if (r.width < minimum - 0.5 || r.height < minimum - 0.5) {
        const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
        const text = (el.textContent || el.getAttribute('aria-label') || el.title || '').trim().slice(0, 16);
        small.push(`${name} “${text}” ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
  }
  return small;
}"""


def sideways(page: Any) -> list[str]:
    return list(page.evaluate(SIDEWAYS_JS))


def images_without_text(page: Any) -> list[str]:
    return list(page.evaluate(IMAGES_WITHOUT_TEXT_JS))


def small_targets(page: Any, minimum: int = 44) -> list[str]:
    return list(page.evaluate(SMALL_TARGETS_JS, minimum))


def wait_for(page: Any, condition: str, timeout: int = 15000) -> None:
    """Wait until `condition` (the text of a JavaScript function) returns true in the page.

    Playwright's wait_for_function compiles its argument with eval inside the page, which the
    site's Content-Security-Policy forbids; a function given to evaluate() is compiled by the
    DevTools protocol instead, so the condition is written into one."""
    page.evaluate(
        f"""(timeout) => new Promise((resolve, reject) => {{
          const test = {condition};
          const started = performance.now();
          const tick = () => {{
            if (test()) resolve(true);
            else if (performance.now() - started > timeout) reject(new Error('timed out: ' + test));
            else setTimeout(tick, 30);
          }};
          tick();
        }})""",
        timeout,
    )


HEADER_JS = """() => {
  // The header bar, as laid out: every visible item inside the bar and on the screen, no two
  // overlapping, no label cut off, and the title left room for more than its ellipsis.
  const bar = document.querySelector('.md-header__inner');
  if (!bar) return ['no header'];
  const b = bar.getBoundingClientRect();
  const screen = document.documentElement.clientWidth;
  const problems = [];
  const name = el => el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const items = [...bar.children].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  });
  const boxes = items.map(el => [el, el.getBoundingClientRect()]);
  for (const [el, r] of boxes) {
    if (r.left < Math.max(b.left, 0) - 0.5 || r.right > Math.min(b.right, screen) + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5)
      problems.push(`${name(el)} outside the bar: ${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)}`);
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [e1, r1] = boxes[i], [e2, r2] = boxes[j];
    const w = Math.min(r1.right, r2.right) - Math.max(r1.left, r2.left);
    const h = Math.min(r1.bottom, r2.bottom) - Math.max(r1.top, r2.top);
    if (w > 1 && h > 1) problems.push(`${name(e1)} overlaps ${name(e2)} by ${Math.round(w)}px`);
  }
  for (const el of bar.querySelectorAll('button, a, label')) {
    if (!el.checkVisibility() || !el.textContent.trim() || el.querySelector('.md-ellipsis')) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      problems.push(`${name(el)} “${el.textContent.trim()}” cut off`);
  }
  const title = bar.querySelector('.md-header__title');
  if (title && title.checkVisibility()) {
    const size = parseFloat(getComputedStyle(title).fontSize);
    const w = title.getBoundingClientRect().width;
    if (w < 3 * size) problems.push(`title ${Math.round(w)}px wide: not even two characters of ${size}px`);
  }
  return problems;
}"""


def header_problems(page: Any) -> list[str]:
    return list(page.evaluate(HEADER_JS))


# --- touch gestures (the lightbox tests) ---------------------------------------------------------


def swipe(page: Any, start: tuple[int, int], end: tuple[int, int], steps: int = 8) -> None:
    """A real touch gesture through the DevTools protocol (Playwright's tap has no drag)."""
    cdp = page.context.new_cdp_session(page)
    (x0, y0), (x1, y1) = start, end
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for k in range(1, steps + 1):
        x, y = x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_timeout(16)
    # Rest before lifting the finger: a lift at speed starts a browser fling, and the next tap
    # would only stop the fling (as on a real phone) instead of pressing a button.
    for _ in range(8):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x1, "y": y1}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


SETTLED = """() => new Promise(resolve => {
  // Resolves once the lightbox has stopped moving: the backdrop at full opacity and the slide
  // strip's position unchanged for five frames. PhotoSwipe ignores input while it animates,
  // as it would a reader's.
  let last = null, same = 0;
  const tick = () => {
    const bg = document.querySelector('.pswp__bg'), strip = document.querySelector('.pswp__container');
    const now = bg && strip ? getComputedStyle(bg).opacity + '|' + getComputedStyle(strip).transform : null;
    same = now !== null && now === last && now.startsWith('0.92|') ? same + 1 : 0;
    last = now;
    if (same >= 5) resolve(true); else requestAnimationFrame(tick);
  };
  tick();
})"""


def settle(page: Any) -> None:
    page.evaluate(SETTLED)
