"""`showcase nginx-conf`: the nginx server blocks for serving site/ or a deploy folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from showcase.atomic import atomic_write
from showcase.deploy.nginx import NginxConfError, render, server_for
from showcase.pipeline.layout import read_layout


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "nginx-conf",
        help="生成用 nginx 提供站点的完整配置：HTTPS、安全响应头、缓存、预压缩文件、404 页",
    )
    p.add_argument(
        "--root",
        default="site",
        help="nginx 提供的站点文件夹：showcase build 生成的 site/，或 showcase deploy 的目标文件夹（默认 site）",
    )
    p.add_argument(
        "--server-name",
        help="网站域名，多个用空格分隔（默认取 mkdocs.yml 中 site_url 的域名；没有则为 _，即任意域名）",
    )
    p.add_argument(
        "--listen",
        action="append",
        default=[],
        metavar="地址",
        help="只在这个 IP 地址上监听，如 127.0.0.1；可重复，如再加 --listen [::] 监听 IPv6（默认所有 IPv4 地址）",
    )
    p.add_argument("--http-port", type=int, default=80, help="HTTP 端口，只用于跳转到 HTTPS（默认 80）")
    p.add_argument("--https-port", type=int, default=443, help="HTTPS 端口（默认 443）")
    p.add_argument("--cert", help="TLS 证书文件（含证书链），默认 /etc/ssl/certs/<域名>.pem")
    p.add_argument("--key", help="TLS 私钥文件，默认 /etc/ssl/private/<域名>.key")
    p.add_argument(
        "--hsts",
        action="store_true",
        help="加上 Strict-Transport-Security 头（一年内浏览器只用 HTTPS 访问本域名；确认 HTTPS 正常后再开）",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="文件",
        help="写入该文件，如 /etc/nginx/conf.d/dangjian.conf（默认输出到屏幕）",
    )
    p.set_defaults(func=cmd_nginx_conf)


def cmd_nginx_conf(args: argparse.Namespace) -> int:
    server_name: str | None = args.server_name
    if server_name is None:
        site_url = read_layout(args.config_file, None).site_url
        parts = urlsplit(site_url)
        server_name = parts.hostname or "_"
        if parts.path.strip("/"):
            print(
                f"注意：site_url（{site_url}）带有路径 {parts.path}，而本配置把站点放在网站根目录 / 下；"
                "如需放在子路径下，请手工调整生成的配置。",
                file=sys.stderr,
            )
    try:
        server = server_for(
            Path(args.root),
            server_name=server_name,
            listen=args.listen,
            http_port=args.http_port,
            https_port=args.https_port,
            cert=args.cert,
            key=args.key,
            hsts=args.hsts,
        )
        text = render(server)
    except NginxConfError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    if not args.output:
        sys.stdout.write(text)
        return 0
    output = Path(args.output)
    atomic_write(output, text.encode("utf-8"))
    print(f"已写出 nginx 配置：{output}（站点文件夹 {server.root}，域名 {server.server_name}）")
    print("检查并生效：nginx -t && nginx -s reload")
    print(
        f"注意：每次 showcase build 或 showcase deploy 之后都要执行 nginx -s reload："
        f"配置中 include 的 {server.security_headers} 含有页面内联脚本的哈希（内容安全策略），"
        "可能随每次构建变化，而 nginx 只在加载配置时读取它。"
    )
    return 0
