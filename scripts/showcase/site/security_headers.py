"""Security response headers for the built site, with a hash-based Content-Security-Policy.

The policy allows scripts from the site itself and, of inline scripts, exactly those the
build produced: after the build every HTML file of the site folder is read, every inline
script a browser would run is hashed (SHA-256, as CSP `'sha256-…'` sources), and the policy
lists those hashes. A script injected into a page later — by a compromised template, a
hostile branch submission that slipped past the sanitiser, or a middlebox — matches no hash
and is not run.

Every HTML file is read, not only the pages this build rendered: an incremental build carries
unchanged pages over from the previous site, and their scripts must stay allowed.

Two files are written into the site folder, so they are deployed together with the pages
whose hashes they hold:

- `_headers`: the format of Netlify and Cloudflare Pages (they read it and do not publish it);
  `showcase preview` sends these headers too;
- `nginx-security-headers.conf`: `add_header` lines for `include` in an nginx `server` block.

On other hosts both files are public, which is harmless: they hold nothing but the headers
every visitor receives with each page anyway.

Framework-free: `scan` and `write` take a folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from showcase.atomic import atomic_write

HEADERS_FILE = "_headers"
NGINX_FILE = "nginx-security-headers.conf"
OUTPUTS = (HEADERS_FILE, NGINX_FILE)

# A start tag whose attribute values may hold ">" inside quotes.
_TAG_BODY = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
# Script data ends at the first "</script" followed by whitespace, "/" or ">" (HTML tokeniser).
_SCRIPT = re.compile(rf"<script\b({_TAG_BODY})>(.*?)</script(?=[\s/>])", re.I | re.S)
_TAG = re.compile(rf"<[a-zA-Z][^\s/>]*{_TAG_BODY}>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_HANDLER = re.compile(r"[\s/](on[a-z]+)\s*=", re.I)

# Type values that make a <script> run (HTML: "JavaScript MIME type essence" or "module");
# any other type is a data block (e.g. material's `application/json` config), which no policy
# governs.
_JS_TYPES = frozenset(
    {
        "",
        "module",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)


@dataclass(frozen=True)
class Scan:
    """What the HTML files of a site need from the policy."""

    pages: int
    script_hashes: tuple[str, ...]
    """Every distinct inline script as a CSP source `'sha256-…'`, sorted."""
    handlers: tuple[tuple[str, str], ...]
    """(file relative to the site, attribute) of every inline event handler such as onclick=:
    the policy blocks them (it has no 'unsafe-hashes'), so our templates must not use any."""


def _attributes(tag_body: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for name, value in _ATTR.findall(tag_body):
        attrs.setdefault(name.lower(), value[1:-1] if value[:1] in "\"'" and value else value)
    return attrs


def script_hash(text: str) -> str:
    """The CSP source that allows an inline script with this text.

    Browsers hash the script text after the HTML parser has turned CR LF and lone CR into LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in `html` that a browser would run."""
    found = []
    for m in _SCRIPT.finditer(html):
        attrs = _attributes(m.group(1))
        if "src" in attrs:
            continue  # an external script: 'self' allows it
        if attrs.get("type", "").strip().lower() not in _JS_TYPES:
            continue
        found.append(m.group(2))
    return found


def event_handlers(html: str) -> list[str]:
    """The names of inline event-handler attributes (onclick=…) in `html`'s tags."""
    markup = _SCRIPT.sub("", _COMMENT.sub("", html))
    if not _HANDLER.search(markup):
        return []  # the usual case, settled without walking every tag
    names = []
    for tag in _TAG.findall(markup):
        # Values are blanked first, so text like alt="… onclick= …" is not taken for an attribute.
        names += [m.lower() for m in _HANDLER.findall(_QUOTED.sub('""', tag))]
    return names


def scan(site_dir: Path) -> Scan:
    hashes: set[str] = set()
    handlers: list[tuple[str, str]] = []
    pages = sorted(site_dir.rglob("*.html"))
    for path in pages:
        html = path.read_text("utf-8", errors="replace")
        hashes.update(script_hash(s) for s in inline_scripts(html))
        rel = path.relative_to(site_dir).as_posix()
        handlers += [(rel, name) for name in event_handlers(html)]
    return Scan(len(pages), tuple(sorted(hashes)), tuple(handlers))


def policy(script_hashes: tuple[str, ...] | list[str]) -> str:
    """The Content-Security-Policy for a site whose inline scripts have these hashes."""
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *script_hashes]),
        # Inline style *attributes* stay allowed: the photo placeholders are style="background-
        # image:url(data:…)" and material sets a few style attributes. An attribute styles only
        # its own element and, with img-src below, can fetch nothing from another host, so it
        # cannot read the page. <style> elements, which could (attribute selectors), are
        # limited to our files by style-src-elem. Browsers without style-src-elem (Safari
        # before 15.4) fall back to style-src and allow inline styles: the pages still work.
        "style-src 'self' 'unsafe-inline'",
        "style-src-elem 'self'",
        # data: for the photo placeholders and material's inline SVG icons.
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def headers(script_hashes: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """Every security header the site sends, in a fixed order."""
    return [
        ("Content-Security-Policy", policy(script_hashes)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        # For browsers that predate frame-ancestors.
        ("X-Frame-Options", "SAMEORIGIN"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ]


_GENERATED = "由 showcase build 根据本次生成的全部页面自动写出，请勿手工修改；每次构建都会重新生成。"


def netlify_file(pairs: list[tuple[str, str]]) -> str:
    lines = [
        f"# {_GENERATED}",
        "# Netlify / Cloudflare Pages 会读取本文件并按它发送响应头（本文件本身不会被公开）。",
        "/*",
        *(f"  {name}: {value}" for name, value in pairs),
    ]
    return "\n".join(lines) + "\n"


def nginx_file(pairs: list[tuple[str, str]]) -> str:
    lines = [
        f"# {_GENERATED}",
        "# 用法：在 nginx 的 server 块中写 include /站点目录/nginx-security-headers.conf;",
        "# 注意：某个 location 块若自己写了 add_header，它就不再继承 server 块的 add_header，",
        "# 需要在那个 location 块里再 include 一次。",
    ]
    # The values hold neither double quotes nor "$" (nginx variables), so quoting is enough.
    lines += [f'add_header {name} "{value}" always;' for name, value in pairs]
    return "\n".join(lines) + "\n"


def write(site_dir: Path) -> Scan:
    """Scan the finished site and write both header files into it (atomically, so a file
    hard-linked from the published site by an incremental build is replaced, not changed)."""
    result = scan(site_dir)
    pairs = headers(result.script_hashes)
    atomic_write(site_dir / HEADERS_FILE, netlify_file(pairs).encode("utf-8"))
    atomic_write(site_dir / NGINX_FILE, nginx_file(pairs).encode("utf-8"))
    return result


# --- reading `_headers` back (the preview server) ----------------------------------------------


Rules = list[tuple[str, list[tuple[str, str]]]]


def parse_headers_file(text: str) -> Rules:
    """The rules of a Netlify-style `_headers` file: (path pattern, [(name, value)…])."""
    rules: Rules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules and ":" in line:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(path: str, rules: Rules) -> list[tuple[str, str]]:
    """The headers for a URL path: those of every matching rule, in order. A pattern is an
    exact path or ends in `*`, which matches any rest (what `_headers` files commonly use)."""
    out: list[tuple[str, str]] = []
    for pattern, pairs in rules:
        if path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern:
            out += pairs
    return out
