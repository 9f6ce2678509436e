"""The `showcase` command: check, build, schema and maintenance helpers.

User-facing output is Chinese; a problem in the data never produces a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .problems import ContentError, Problem, Severity


def _project_root(config_file: str) -> Path:
    return Path(config_file).resolve().parent


# --- check ----------------------------------------------------------------------------------


def _print_problems(problems: list[Problem], fmt: str) -> None:
    if fmt == "json":
        print(
            json.dumps(
                [
                    {
                        "path": p.path,
                        "line": p.line,
                        "col": p.col,
                        "code": p.code,
                        "severity": str(p.severity),
                        "message": p.message,
                    }
                    for p in problems
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for p in problems:
        if fmt == "github":
            kind = "error" if p.severity is Severity.ERROR else "warning"
            print(f"::{kind} file={p.path},line={p.line},col={p.col},title={p.code}::{p.message}")
        else:
            tag = "错误" if p.severity is Severity.ERROR else "提示"
            print(f"{p.format()}（{tag}）")


def cmd_check(args: argparse.Namespace) -> int:
    from .load import load_project

    root = _project_root(args.config_file)
    try:
        project = load_project(root, args.branches_dir)
        problems = project.problems
        count = len(project.branches)
    except ContentError as e:
        problems, count = e.problems, 0
    _print_problems(problems, args.format)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if args.format != "json":
        summary = f"检查完成：{count} 个党组织可以发布，{errors} 个错误，{warnings} 个提示。"
        print(summary, file=sys.stderr)
    return 1 if errors else 0


# --- schema ---------------------------------------------------------------------------------


def schema_text() -> str:
    from .model import profile_json_schema

    return json.dumps(profile_json_schema(), ensure_ascii=False, indent=2) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    target = _project_root(args.config_file) / args.branches_dir / "profile.schema.json"
    target.write_text(schema_text(), "utf-8")
    print(f"已生成 {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
    return 0


# --- build ----------------------------------------------------------------------------------


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns that dirty builds may leave stale navigation. Ours cannot: every page's
    inputs, navigation included, are in its digest (see incremental.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a temporary folder next to site/, then swap it in; a failure keeps the old site.

    Unless --full is given, the temporary folder starts as a copy of the previous site/ and
    only pages whose inputs changed are rendered again.
    """
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    config_path = Path(args.config_file).resolve()
    started = time.monotonic()
    try:
        config = load_config(str(config_path), strict=args.strict or None)
    except ConfigurationError as e:
        print(f"配置文件有误：{e}", file=sys.stderr)
        return 1
    site_dir = Path(config.site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    incremental = not args.full and (site_dir / "index.html").is_file()
    try:
        if incremental:
            # Hard links: cheap at any size. The plugin unlinks every output it is about to
            # write (see ShowcasePlugin._detach_outputs), so the previous site/ never changes.
            shutil.copytree(site_dir, tmp, dirs_exist_ok=True, symlinks=True, copy_function=os.link)
        config.site_dir = str(tmp)
        plugin = config.plugins.get("showcase")
        if plugin is not None:
            plugin.final_site_dir = site_dir
            plugin.incremental = incremental
        mode = "增量" if incremental else "完整"
        print(f"正在{mode}构建站点（{config_path.name}）……", file=sys.stderr)
        mkdocs_build.build(config, dirty=incremental)
    except (Abort, ConfigurationError, PluginError) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"构建失败：{e}\n原有的 {site_dir.name}/ 未被改动。", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not (tmp / "index.html").is_file():
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"构建结果缺少首页 index.html，已放弃。原有的 {site_dir.name}/ 未被改动。", file=sys.stderr)
        return 1
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"站点已生成：{site_dir}（用时 {time.monotonic() - started:.1f} 秒）", file=sys.stderr)
    return 0


# --- sample photos ----------------------------------------------------------------------------


def cmd_sample_photos(args: argparse.Namespace) -> int:
    """Draw an illustrative JPEG (示意图) for every listed photo whose file is missing."""
    from . import yamlstrict
    from .illustrate import illustration

    base = _project_root(args.config_file) / args.branches_dir
    made = 0
    for profile in sorted(base.glob("*/profile.yml")):
        doc = yamlstrict.load(str(profile), profile.read_bytes())
        for photo in (doc.data or {}).get("photos") or []:
            target = profile.parent / photo["file"]
            if target.exists() and not args.force:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            img = illustration(photo["caption"], seed=profile.parent.name, size=(1200, 900))
            img.save(target, "JPEG", quality=80, optimize=True, progressive=True)
            made += 1
            print(f"已生成示意图 {target.relative_to(base.parent)}")
    print(f"共生成 {made} 张示意图。", file=sys.stderr)
    return 0


# --- synth ----------------------------------------------------------------------------------


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import synthesize

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


# --- entry point ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="showcase", description="党建品牌展示站：检查数据、构建站点。")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="站点配置文件（默认 mkdocs.yml）")
    parser.add_argument("--branches-dir", default="branches", help="党组织数据文件夹（默认 branches）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("check", help="检查 branches/ 中的档案，逐条列出问题（文件:行:列）")
    p.add_argument("paths", nargs="*", help="（保留）只检查这些文件夹")
    p.add_argument("--format", choices=["text", "github", "json"], default="text", help="输出格式")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="构建站点到临时目录，成功后再替换 site/")
    p.add_argument("--strict", action="store_true", help="有任何警告即视为失败")
    p.add_argument("--full", action="store_true", help="完整重建，不沿用上次的结果")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("schema", help="重新生成 branches/profile.schema.json")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("synth", help="生成含 N 个合成党组织的完整项目（用于性能测试）")
    p.add_argument("--branches", type=int, required=True, help="党组织数量")
    p.add_argument("--photos", type=int, default=0, help="每个党组织的图片数（4032×3024 JPEG，含 EXIF）")
    p.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同内容")
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--force", action="store_true", help="允许写入非空文件夹")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("sample-photos", help="为缺少图片文件的档案生成示意图")
    p.add_argument("--force", action="store_true", help="覆盖已有的图片")
    p.set_defaults(func=cmd_sample_photos)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ContentError as e:
        _print_problems(e.problems, getattr(args, "format", "text"))
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
