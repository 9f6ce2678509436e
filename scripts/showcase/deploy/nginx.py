"""The nginx configuration for a built site folder (`showcase nginx-conf`).

Two `server` blocks: one on the HTTP port that only redirects to HTTPS, and the TLS one that
serves the folder — `site/` as `showcase build` leaves it, or a folder `showcase deploy DIR`
keeps up to date. The TLS server sends every file with the headers the object-storage deploy
stores on it (headers.py is the one source of both):

- `Content-Type` from a `types` block made from `headers.content_type`, never the machine's
  /etc/nginx/mime.types; `charset utf-8` for exactly the types headers.py gives a charset;
- `Cache-Control`: `immutable` for a year in a regex location made from
  `headers.CONTENT_ADDRESSED` (HTML pages and the feed excepted, as `headers.phase` does),
  `no-cache` everywhere else;
- the security headers (the Content-Security-Policy with the hashes of the site's inline
  scripts) by `include` of the `nginx-security-headers.conf` the build writes. nginx does not
  pass `add_header` from a server block down to a location that has its own, so the file is
  included in each such location as well;
- `.gz` files beside text files (a folder deploy writes them) through `gzip_static`, and
  on-the-fly gzip for text without one.

It also answers with the site's 404 page, lists no folder, and keeps what configures a server
rather than being part of the site (`.showcase/`, `_headers`, the nginx include) unreadable.

nginx reads included files when it (re)loads its configuration only: after every build or
deploy that changes the pages' inline scripts, `nginx -s reload` must follow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from showcase.deploy import headers
from showcase.site.security_headers import ADMIN_NGINX_FILE, ADMIN_PATH, NGINX_FILE

# Every file-name extension headers.py has a type for; each gets the same type in nginx.
EXTENSIONS = (
    *("html", "css", "js", "mjs", "json", "map", "webmanifest", "xml", "txt", "csv", "svg"),
    *("jpg", "jpeg", "png", "webp", "avif", "gif", "ico", "pdf", "woff", "woff2", "ttf", "otf"),
    *("xlsx", "zip", "gz", "bin"),
)
# Paths headers.py treats unlike their extension (the others follow from EXTENSIONS).
FEED = "feed.xml"
# Where the security headers are: a deploy folder keeps the live release's copy among its
# records (the file itself is not published); a built site/ has it at the top.
DEPLOY_META = ".showcase"
HEADER_FILES = (f"{DEPLOY_META}/{NGINX_FILE}", NGINX_FILE)
# What `headers.phase` calls a page, in a case-blind nginx regex: never content-addressed.
PAGE = r"\.html$"
# Below this many bytes gzip gains nothing (the folder deploy writes no .gz for them either).
GZIP_MIN_LENGTH = 256

_NAME = re.compile(r"[A-Za-z0-9_.*~^-]+|\[[0-9A-Fa-f:.]+\]")
_ADDRESS = re.compile(r"[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\]|\*")


class NginxConfError(Exception):
    """Options that make no valid configuration, with a message for the user (Chinese)."""


@dataclass(frozen=True)
class Server:
    root: Path  # absolute
    security_headers: Path  # absolute: the nginx-security-headers.conf to include
    server_name: str = "_"  # one or more names, separated by spaces
    listen: tuple[str, ...] = ("",)  # addresses; "" = every IPv4 address
    http_port: int = 80
    https_port: int = 443
    cert: str = ""
    key: str = ""
    hsts: bool = False


def find_security_headers(root: Path) -> Path | None:
    """The nginx-security-headers.conf for a site folder or a deploy folder, if there is one."""
    for name in HEADER_FILES:
        if (root / name).is_file():
            return root / name
    return None


def mime_types() -> dict[str, list[str]]:
    """MIME type → extensions, as `headers.content_type` gives them (without a charset)."""
    table: dict[str, list[str]] = {}
    for ext in EXTENSIONS:
        table.setdefault(_bare(headers.content_type(f"x.{ext}")), []).append(ext)
    return table


def charset_types() -> list[str]:
    """The types headers.py sends with `charset=utf-8`, for nginx's `charset_types`."""
    found = {_bare(t) for t in _all_types() if t.endswith("; charset=utf-8")}
    return sorted(found - {"text/html"})  # nginx always includes text/html (it warns if listed)


def gzip_types() -> list[str]:
    """The types of files `headers.compressible` says are worth compressing."""
    paths = [f"x.{ext}" for ext in EXTENSIONS] + [FEED]
    found = {_bare(headers.content_type(p)) for p in paths if headers.compressible(p)}
    return sorted(found - {"text/html"})  # always compressed by nginx (a duplicate warns)


def render(server: Server) -> str:
    """Both server blocks, as text for a file under /etc/nginx/conf.d/ or sites-enabled/."""
    _check(server)
    return "\n".join([*_preamble(server), *_redirect_block(server), "", *_tls_block(server)]) + "\n"


def _bare(content_type: str) -> str:
    return content_type.split(";")[0].strip()


def _all_types() -> list[str]:
    return [headers.content_type(f"x.{ext}") for ext in EXTENSIONS] + [headers.content_type(FEED)]


def _check(server: Server) -> None:
    for name in server.server_name.split():
        if not _NAME.fullmatch(name):
            raise NginxConfError(
                f"服务器名 {name!r} 不合法：只能含字母、数字、点、连字符（或写 _ 表示任意）。"
            )
    if not server.server_name.split():
        raise NginxConfError("服务器名不能为空（不限域名请写 _）。")
    for address in server.listen:
        if address and not _ADDRESS.fullmatch(address):
            raise NginxConfError(f"监听地址 {address!r} 不合法：应为 IP 地址，如 127.0.0.1 或 [::]。")
    for port in (server.http_port, server.https_port):
        if not 0 < port < 65536:
            raise NginxConfError(f"端口 {port} 不合法：应在 1–65535 之间。")
    if server.http_port == server.https_port:
        raise NginxConfError("HTTP 端口和 HTTPS 端口不能相同。")
    for label, value in (
        ("站点文件夹", str(server.root)),
        ("安全响应头文件", str(server.security_headers)),
        ("证书", server.cert),
        ("私钥", server.key),
    ):
        if not value or "$" in value or any(ord(c) < 32 for c in value):
            raise NginxConfError(f"{label}路径 {value!r} 不能为空，也不能含 $ 或控制字符。")


def _quote(value: str) -> str:
    """A string nginx reads back unchanged (paths may hold spaces, ';' or '{')."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _listen(server: Server, port: int, ssl: bool) -> list[str]:
    suffix = " ssl" if ssl else ""
    return [f"    listen {f'{a}:{port}' if a else port}{suffix};" for a in server.listen]


def _preamble(server: Server) -> list[str]:
    return [
        "# 由 showcase nginx-conf 生成：党建品牌展示站的 nginx 配置（HTTP 跳转到 HTTPS，以及 HTTPS 站点）。",
        f"# 站点文件夹：{server.root}",
        f"# 安全响应头（内容安全策略中的脚本哈希）来自 {server.security_headers}，",
        "# 每次 showcase build / showcase deploy 之后它都可能变化，nginx 只在加载配置时读取它：",
        "# 请在每次构建或发布之后执行 nginx -t && nginx -s reload。",
        "# 放在 http 块中使用（如 /etc/nginx/conf.d/ 或 sites-enabled/ 下）；本配置自带 types，",
        "# 不依赖 /etc/nginx/mime.types。",
        "",
    ]


def _redirect_block(server: Server) -> list[str]:
    port = "" if server.https_port == 443 else f":{server.https_port}"
    return [
        "server {",
        *_listen(server, server.http_port, ssl=False),
        f"    server_name {server.server_name};",
        "    server_tokens off;",
        f"    return 301 https://$host{port}$request_uri;",
        "}",
    ]


def _location_headers(server: Server, cache_control: str, always: bool) -> list[str]:
    """What a location that sets its own header must repeat from the server block."""
    lines = [f"        include {_quote(str(server.security_headers))};"]
    if server.hsts:
        lines.append('        add_header Strict-Transport-Security "max-age=31536000" always;')
    lines.append(f"        add_header Cache-Control {_quote(cache_control)}{' always' if always else ''};")
    return lines


def _admin_location(server: Server) -> list[str]:
    """/admin/ (the web editor, when the build has one): its own security headers, which
    allow what Decap CMS needs ('unsafe-eval', the repository host), and no-cache."""
    admin = server.security_headers.with_name(ADMIN_NGINX_FILE)
    if not admin.is_file():
        return []
    return [
        "    # 网页编辑（/admin/）：另一份内容安全策略（Decap CMS 需要 unsafe-eval）。",
        f"    location ^~ /{ADMIN_PATH.strip('/')}/ {{",
        f"        include {_quote(str(admin))};",
        *(['        add_header Strict-Transport-Security "max-age=31536000" always;'] if server.hsts else []),
        f"        add_header Cache-Control {_quote(headers.REVALIDATE)} always;",
        "        try_files $uri $uri/ =404;",
        "        # 按内容命名的分块（如 dd5d52671a5763720504.wasm）：与全站同样永久缓存。",
        f"        location ~ {_quote(headers.CONTENT_ADDRESSED.pattern)} {{",
        f"            include {_quote(str(admin))};",
        *(
            ['            add_header Strict-Transport-Security "max-age=31536000" always;']
            if server.hsts
            else []
        ),
        f"            add_header Cache-Control {_quote(headers.IMMUTABLE)};",
        "        }",
        "    }",
        "",
    ]


def _tls_block(server: Server) -> list[str]:
    width = max(len(t) for t in mime_types())
    types = [f"        {t.ljust(width)} {' '.join(exts)};" for t, exts in mime_types().items()]
    # `always` on no-cache: an error page (404) must not be cached either, as the path may
    # exist in the next release. Never on immutable: a 404 must not be kept for a year.
    revalidate = _location_headers(server, headers.REVALIDATE, always=True)
    immutable = _location_headers(server, headers.IMMUTABLE, always=False)
    try_files = "        try_files $uri $uri/ =404;"
    lines = [
        "server {",
        *_listen(server, server.https_port, ssl=True),
        f"    server_name {server.server_name};",
        f"    ssl_certificate {_quote(server.cert)};",
        f"    ssl_certificate_key {_quote(server.key)};",
        "    ssl_protocols TLSv1.2 TLSv1.3;",
        "    ssl_session_cache shared:showcase_tls:10m;",
        "    ssl_session_timeout 1d;",
        "    server_tokens off;",
        "",
        f"    root {_quote(str(server.root))};",
        "    index index.html;",
        "    autoindex off;",
        "    # Location 头只写路径（/branches/x → /branches/x/），不带可能不对的主机名和端口。",
        "    absolute_redirect off;",
        "    error_page 404 /404.html;",
        "    # 没有 index.html 的文件夹（如 /assets/）与不存在的网址一样，显示站点的 404 页。",
        "    error_page 403 =404 /404.html;",
        "",
        "    # 各类文件的 Content-Type，与对象存储发布时写在每个文件上的一致（showcase/deploy/headers.py）。",
        "    types {",
        *types,
        "    }",
        "    default_type application/octet-stream;",
        "    charset utf-8;",
        f"    charset_types {' '.join(charset_types())};",
        "",
        "    # 发布到文件夹时每个文本文件旁有压缩好的 .gz：直接发送它；没有 .gz 的文本当场压缩。",
        "    gzip_static on;",
        "    gzip on;",
        "    gzip_vary on;",
        "    gzip_proxied any;",
        "    gzip_comp_level 6;",
        f"    gzip_min_length {GZIP_MIN_LENGTH};",
        f"    gzip_types {' '.join(gzip_types())};",
        "",
        "    # 安全响应头。下面每个自己写了 add_header 的 location 都要再 include 一次（nginx 不继承）。",
        f"    include {_quote(str(server.security_headers))};",
    ]
    if server.hsts:
        lines.append('    add_header Strict-Transport-Security "max-age=31536000" always;')
    lines += [
        "",
        "    # 网址不变、内容可能随发布而变的文件：浏览器每次先向服务器确认（多为 304）。",
        "    location / {",
        *revalidate,
        try_files,
        "    }",
        "",
        *_admin_location(server),
        "    # 页面即使文件名里有一串十六进制字符，也不是按内容命名的（须排在下一个 location 之前）。",
        f"    location ~* {_quote(PAGE)} {{",
        *revalidate,
        try_files,
        "    }",
        "",
        "    # 按内容命名的文件（图片、主题脚本等，文件名含摘要）：内容变了网址就变，缓存一年。",
        # headers.py's pattern as it is: nginx matches "/" + the site path, and the "/" in
        # front stands in for the "^" the pattern allows there (a "/" is no hex digit).
        f"    location ~ {_quote(headers.CONTENT_ADDRESSED.pattern)} {{",
        *immutable,
        try_files,
        "    }",
        "",
        f"    location = /{FEED} {{",
        "        types { }",
        f"        default_type {_bare(headers.content_type(FEED))};",
        *revalidate,
        try_files,
        "    }",
        "",
        "    # 发布记录和给服务器看的配置文件不属于站点，不对外提供。",
        f"    location ^~ /{DEPLOY_META}/ {{",
        "        return 404;",
        "    }",
    ]
    for name in sorted(headers.NOT_PUBLISHED):
        lines += [f"    location = /{name} {{", "        return 404;", "    }"]
    lines.append("}")
    return lines


def server_for(
    root: Path,
    *,
    server_name: str,
    listen: Sequence[str],
    http_port: int,
    https_port: int,
    cert: str | None,
    key: str | None,
    hsts: bool = False,
) -> Server:
    """The server for a site or deploy folder; certificate paths default to Debian's places."""
    root = root.resolve()
    if not root.is_dir():
        raise NginxConfError(f"找不到站点文件夹 {root}：请先运行 showcase build，或用 --root 指定。")
    found = find_security_headers(root)
    if found is None:
        raise NginxConfError(
            f"{root} 里没有 {NGINX_FILE}：请先运行 showcase build"
            f"（发布文件夹则应在 {DEPLOY_META}/ 下，由 showcase deploy 写出）。"
        )
    name = server_name.split()[0] if server_name.split() else "_"
    return Server(
        root=root,
        security_headers=found,
        server_name=server_name,
        listen=tuple(listen) or ("",),
        http_port=http_port,
        https_port=https_port,
        cert=cert or f"/etc/ssl/certs/{name}.pem",
        key=key or f"/etc/ssl/private/{name}.key",
        hsts=hsts,
    )
