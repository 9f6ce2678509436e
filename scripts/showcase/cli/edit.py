"""`showcase edit`: the web editor (/admin/) on this machine with decap-server (editor/serve.py)."""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from showcase.cli.project import layout_of
from showcase.mkdocs_plugin import admin


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "edit", help="在本机用网页编辑档案（启动 decap-server 和 /admin/ 页面，只监听 127.0.0.1）"
    )
    p.add_argument("--port", type=int, default=8080, help="编辑页面的端口（默认 8080）")
    p.add_argument("--api-port", type=int, help="decap-server 的端口（默认为编辑页面端口加 1）")
    p.add_argument(
        "--drafts",
        action="store_true",
        help="像线上一样走审核流程：每次保存成为本仓库里的草稿分支（cms/…），点“发布”才合并（需要 git 仓库、没有未提交的修改）",
    )
    p.set_defaults(func=cmd_edit)


def cmd_edit(args: argparse.Namespace) -> int:
    from showcase.editor import serve

    layout = layout_of(args)
    config = layout.docs_dir / admin.CONFIG_URI
    node = shutil.which("node")
    modules = admin.node_modules(layout.root)
    error = None
    target = ""  # the branch --drafts publishes to
    if not config.is_file():
        error = f"找不到网页编辑配置 {config}，请先运行 showcase schema。"
    elif node is None:
        error = "找不到 node（Node.js），请先安装：make system-deps。"
    elif modules is None or not (modules / "decap-server" / "dist" / "index.js").is_file():
        error = f"未安装 decap-server，请先运行 {admin.MAKE_TARGET}。"
    elif args.drafts:
        target = _publish_branch(config)
        error = serve.draft_problem(layout.root, target)
    if error is not None or node is None or modules is None:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    editor = serve.Editor(
        root=layout.root,
        config=config,
        site_dir=layout.root / "site",
        modules=modules,
        site_name=layout.site_name,
        css=tuple(_stylesheets(layout.root / "site")),
        drafts=args.drafts,
    )
    api_port = args.api_port or args.port + 1
    try:
        with serve.running(editor, node, args.port, api_port) as server:
            if args.drafts:
                where = f"保存的修改是 {layout.root} 仓库里的草稿分支（cms/…），点“发布”才合并进 {target}"
            else:
                where = f"保存后文件直接写入 {layout.root}"
            print(f"在浏览器中打开 http://{serve.HOST}:{args.port}/admin/ 编辑档案，{where}。")
            print(f"decap-server 在 http://{serve.HOST}:{api_port}/ 运行；按 Ctrl+C 结束。", flush=True)
            if not (layout.root / "site" / "index.html").is_file():
                print("提示：还没有生成站点（make site），预览窗格暂时没有网站的样式。", flush=True)
            serve.serve_until_signal(server, lambda: print("\n正在停止……", flush=True))
    except serve.EditError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    print("已停止。", flush=True)
    return 0


def _publish_branch(config: Path) -> str:
    """The branch the editor publishes to (backend.branch in the generated config)."""
    data = yaml.safe_load(config.read_text("utf-8")) or {}
    return str((data.get("backend") or {}).get("branch") or "main")


def _stylesheets(site_dir: Path) -> list[str]:
    """The built home page's style sheets, relative to /admin/."""
    index = site_dir / "index.html"
    if not index.is_file():
        return []
    hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', index.read_text("utf-8"))
    return ["../" + h for h in hrefs if "://" not in h and not h.startswith("/")]
