"""`showcase print`: one print edition to a PDF."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from showcase.cli.project import layout_of, load
from showcase.pipeline.layout import Layout
from showcase.pipeline.lock import ProjectLock


def cmd_print(args: argparse.Namespace) -> int:
    """One edition (content/editions/<id>.yml) to a print-ready PDF."""

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.monotonic()
    layout = layout_of(args)  # a broken mkdocs.yml is reported by main() as a problem
    cache_dir = layout.cache_dir
    site_url = args.site_url if args.site_url is not None else layout.site_url
    edition_path = Path(args.edition)
    if not edition_path.is_file():
        say(f"找不到印刷版文件 {edition_path}：印刷版放在 content/editions/<名称>.yml。")
        return 1
    # The cache (photo renditions, PDFs) is shared with the site build: one at a time.
    with ProjectLock(cache_dir).held(say):
        return _print(args, layout, edition_path, site_url, say, started)


def _print(
    args: argparse.Namespace,
    layout: Layout,
    edition_path: Path,
    site_url: str,
    say: Callable[[str], None],
    started: float,
) -> int:
    from showcase.atomic import atomic_write
    from showcase.media.renditions import PhotoStore
    from showcase.printing.editions import load_edition
    from showcase.printing.layout import PrintError, prepare, store_renditions
    from showcase.printing.pdf import cached_pdf, subsetter

    cache_dir = layout.cache_dir
    project = load(layout)
    edition = load_edition(project, edition_path.resolve())
    say(
        f"{edition.heading}：{len(edition.articles)} 篇，{edition.file.paper if not edition.file.album else 'A4'} 纸。"
    )
    if not site_url:
        say("注意：mkdocs.yml 没有设置 site_url，也没有给出 --site-url：本期不印二维码。")
    if subsetter() != "harfbuzz":
        say(
            "注意：没有找到 HarfBuzz 字体子集库，嵌入中文字体会慢很多。请安装：apt-get install libharfbuzz-subset0"
        )
    rendition = store_renditions(edition, PhotoStore(cache_dir), progress=say)
    try:
        prepared = prepare(edition, rendition=rendition, site_url=site_url, site_name=layout.site_name)
        pdf = cached_pdf(prepared, cache_dir, progress=say)
    except PrintError as e:
        say(f"无法印刷：{e}")
        return 1
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = pdf.path.read_bytes()
    atomic_write(out, data)
    how = "" if pdf.made else "（内容未变，沿用上次排好的版面）"
    say(
        f"已生成 {out}：{pdf.pages} 页，{len(data) / 1e6:.1f} MB，用时 {time.monotonic() - started:.1f} 秒{how}。"
    )
    return 0
