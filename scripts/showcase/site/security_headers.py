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

The web editor at /admin/ (mkdocs_plugin/admin.py) gets its own, separate policy: Decap CMS
validates its configuration with ajv, which compiles validators with `new Function`, so the
editor needs 'unsafe-eval', and it talks to the repository host's API. The public pages keep
theirs unchanged. `_headers` has a `/admin/*` rule that first detaches the site's policy
(`! Content-Security-Policy`, Cloudflare Pages' syntax) and then sets the editor's; a third
file, `nginx-admin-headers.conf`, holds a `location ^~ /admin/` block with the editor's headers
for `include` in the nginx `server` block.

On other hosts these files are public, which is harmless: they hold nothing but the headers
every visitor receives with each page anyway.

Framework-free: `scan` and `write` take a folder.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from selectolax.lexbor import LexborHTMLParser

from showcase.atomic import atomic_write

HEADERS_FILE = "_headers"
NGINX_FILE = "nginx-security-headers.conf"
ADMIN_NGINX_FILE = "nginx-admin-headers.conf"
OUTPUTS = (HEADERS_FILE, NGINX_FILE, ADMIN_NGINX_FILE)
ADMIN_PATH = "/admin/"
# The API origins of the hosts Decap CMS' backends talk to when the configuration names none.
_BACKEND_HOSTS = {
    "github": ("https://api.github.com", "https://github.com"),
    "gitlab": ("https://gitlab.com",),
    "gitea": ("https://try.gitea.io",),
}

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


def script_hash(text: str) -> str:
    """The CSP source that allows an inline script with this text.

    Browsers hash the script text after the HTML parser has turned CR LF and lone CR into LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass
class _Page:
    """What one HTML document holds that the policy governs."""

    scripts: list[str]  # inline scripts a browser would run, in document order
    handlers: list[str]  # inline event-handler attributes (onclick…), in document order


def _read(html: str | bytes) -> _Page:
    # Lexbor is an HTML5 tokenizer and tree builder: script text is exactly what a browser
    # hashes (newlines normalised, the end at the first "</script" that a browser would end
    # it at, escaped "<!--<script>" text kept), and attributes are those of real elements,
    # never text in a comment, a value or a script. html.parser is neither exact (Python
    # 3.11 ends script text at "</script>" with optional spaces only, and its rules changed
    # in later patch releases) nor fast enough here (measured on the 1,304 pages of a
    # 1,000-branch site: 5 s against 1 s).
    # The content of a <template> is not in the tree (browsers too keep it inert until a
    # script clones it): its scripts get no hash and would be blocked, which fails safe.
    tree = LexborHTMLParser(html)
    page = _Page([], [])
    if tree.root is None:
        return page
    # One walk over every element of the site, so the cheap tests come first.
    for node in tree.root.traverse():
        attrs = node.attributes
        if node.tag == "script" and _runs(attrs):
            page.scripts.append(node.text(deep=True))
        for name in attrs:
            # The tokenizer has lower-cased the name; a handler is "on" + letters.
            if name[:2] == "on" and name[2:].isascii() and name[2:].isalpha():
                page.handlers.append(name)
    return page


def _runs(script_attrs: dict[str, str | None]) -> bool:
    """Whether a <script> with these attributes is an inline script a browser runs."""
    if "src" in script_attrs:
        return False  # an external script: 'self' allows it
    return (script_attrs.get("type") or "").strip().lower() in _JS_TYPES


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in `html` that a browser would run, as the browser's
    HTML parser gives it (so CR LF is already LF)."""
    return _read(html).scripts


def event_handlers(html: str) -> list[str]:
    """The names of inline event-handler attributes (onclick=…) of `html`'s elements."""
    return _read(html).handlers


def scan(site_dir: Path) -> Scan:
    hashes: set[str] = set()
    handlers: list[tuple[str, str]] = []
    pages = sorted(site_dir.rglob("*.html"))
    for path in pages:
        # Bytes: lexbor decodes them as a browser does (UTF-8, invalid bytes as U+FFFD).
        page = _read(path.read_bytes())
        hashes.update(script_hash(s) for s in page.scripts)
        rel = path.relative_to(site_dir).as_posix()
        handlers += [(rel, name) for name in page.handlers]
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


def admin_policy(hosts: tuple[str, ...] | list[str] = ()) -> str:
    """The Content-Security-Policy of /admin/: scripts from the site only, plus 'unsafe-eval'
    (ajv); connections to the repository host (`hosts`, origins) for login and saving."""
    directives = [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        # blob: for the drafts Decap keeps in the browser while an entry is being edited.
        "connect-src " + " ".join(["'self'", "blob:", *hosts]),
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def backend_hosts(config_text: str) -> list[str]:
    """The origins the editor's backend (admin/config.yml) connects to."""
    try:
        backend = (yaml.safe_load(config_text) or {}).get("backend") or {}
    except yaml.YAMLError:
        return []
    if not isinstance(backend, dict):
        return []
    found = list(_BACKEND_HOSTS.get(str(backend.get("name")), ()))
    for key in ("api_root", "base_url", "auth_endpoint"):
        value = backend.get(key)
        if isinstance(value, str) and value.startswith("https://"):
            found = [value[: value.find("/", 8)] if value.find("/", 8) > 0 else value, *found]
    return sorted(set(found))


def admin_headers(hosts: tuple[str, ...] | list[str] = ()) -> list[tuple[str, str]]:
    """The headers of /admin/: the site's, with the editor's policy."""
    return [("Content-Security-Policy", admin_policy(hosts)), *headers(())[1:]]


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


def admin_rule(pairs: list[tuple[str, str]]) -> str:
    """The `_headers` rule of /admin/: detach the site's policy, then set the editor's."""
    lines = [
        f"{ADMIN_PATH}*",
        "  ! Content-Security-Policy",
        *(f"  {name}: {value}" for name, value in pairs[:1]),
    ]
    return "\n".join(lines) + "\n"


def nginx_admin_file(pairs: list[tuple[str, str]]) -> str:
    lines = [
        f"# {_GENERATED}",
        "# 网页编辑（/admin/）的响应头：它的内容安全策略与公开页面不同（Decap CMS 需要 unsafe-eval）。",
        "# showcase nginx-conf 在 location ^~ /admin/ 中 include 它（手写配置时也这样用）。",
        *(f'add_header {name} "{value}" always;' for name, value in pairs),
    ]
    return "\n".join(lines) + "\n"


def write(site_dir: Path) -> Scan:
    """Scan the finished site and write the header files into it (atomically, so a file
    hard-linked from the published site by an incremental build is replaced, not changed)."""
    result = scan(site_dir)
    pairs = headers(result.script_hashes)
    netlify = netlify_file(pairs)
    config = site_dir / ADMIN_PATH.strip("/") / "config.yml"
    admin = (site_dir / ADMIN_PATH.strip("/") / "index.html").is_file() and config.is_file()
    if admin:
        admin_pairs = admin_headers(backend_hosts(config.read_text("utf-8")))
        netlify += admin_rule(admin_pairs)
        atomic_write(site_dir / ADMIN_NGINX_FILE, nginx_admin_file(admin_pairs).encode("utf-8"))
    else:
        (site_dir / ADMIN_NGINX_FILE).unlink(missing_ok=True)
    atomic_write(site_dir / HEADERS_FILE, netlify.encode("utf-8"))
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
        elif rules and line.strip().startswith("!"):  # detach a header set by an earlier rule
            rules[-1][1].append((line.strip(), ""))
        elif rules and ":" in line:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(path: str, rules: Rules) -> list[tuple[str, str]]:
    """The headers for a URL path: those of every matching rule, in order. A pattern is an
    exact path or ends in `*`, which matches any rest (what `_headers` files commonly use).
    `! Name` drops the values of Name that earlier rules gave (Cloudflare Pages' detach)."""
    out: list[tuple[str, str]] = []
    for pattern, pairs in rules:
        if path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern:
            for name, value in pairs:
                if name.startswith("!"):
                    dropped = name[1:].strip().lower()
                    out = [(n, v) for n, v in out if n.lower() != dropped]
                else:
                    out.append((name, value))
    return out
