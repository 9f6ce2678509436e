"""`showcase build`, `preview` and `synth`: the site, looked at locally, and synthetic projects."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from showcase.pipeline import build as pipeline_build
from showcase.pipeline.settings import BuildError


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a new folder next to site/, then swap it in; a failure keeps the old site.

    Unless --full is given, the new folder starts as a copy of the previous site/ and only
    pages whose inputs changed are rendered again."""
    from showcase.mkdocs_plugin.engine import MkDocsEngine

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        engine = MkDocsEngine(Path(args.config_file).resolve(), strict=args.strict)
    except BuildError as e:
        say(str(e))
        return 1
    try:
        pipeline_build.build(engine, full=args.full, allow_mass_delete=args.allow_mass_delete, say=say)
    except BuildError as e:
        say(f"{e}\n原有的 {engine.site_dir.name}/ 未被改动。")
        return 1
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    from showcase.tools.preview import server

    site = Path(args.site_dir)
    if not (site / "index.html").is_file():
        print(f"错误：{site}/ 里还没有生成的站点，请先运行 make site 或 showcase build。", file=sys.stderr)
        return 1
    srv = server(site, port=args.port)
    print(f"正在 http://127.0.0.1:{args.port}/ 提供 {site}/（Ctrl+C 结束）")
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        print("\n已停止。")
    finally:
        srv.server_close()
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from showcase.tools.synth import synthesize

    out = Path(args.out)
    if out.exists() and any(out.iterdir()) and not args.force:
        print(f"目标文件夹 {out} 不是空的：请换一个文件夹，或加 --force 覆盖。", file=sys.stderr)
        return 1
    started = time.monotonic()
    synthesize(out, args.branches, photos=args.photos, seed=args.seed)
    print(
        f"已在 {out} 生成 {args.branches} 个合成党组织（每个 {args.photos} 张图片），用时 {time.monotonic() - started:.1f} 秒。"
    )
    print(f"构建：mkdocs build -f {out / 'mkdocs.yml'}")
    return 0
