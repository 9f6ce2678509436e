"""The `showcase` command: check, build, schema and maintenance helpers.

User-facing output is Chinese; a problem in the data never produces a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from showcase.build.layout import Layout, read_layout
from showcase.content.load import Project, load_project
from showcase.media.tree import MEDIA_DIR
from showcase.problems import ContentError, Problem, Severity, errors_in
from showcase.safe_paths import tree_problems

# --- check ----------------------------------------------------------------------------------


_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _github_escape(text: str, *, prop: bool = False) -> str:
    """Workflow-command escaping as in actions/toolkit: %, CR, LF; in property values also , and :."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


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
    colour = fmt == "text" and _use_colour()
    for p in problems:
        if fmt == "github":
            kind = "error" if p.severity is Severity.ERROR else "warning"
            props = f"file={_github_escape(p.path, prop=True)},line={p.line},col={p.col},title={p.code}"
            print(f"::{kind} {props}::{_github_escape(p.message)}")
        else:
            tag = "错误" if p.severity is Severity.ERROR else "提示"
            line = f"{p.format()}（{tag}）"
            print(f"{_COLOURS[p.severity]}{line}\033[0m" if colour else line)


def _selected_dirs(root: Path, branches_dir: str, paths: list[str]) -> list[str] | None:
    """Branch folders (root-relative) that the given paths lie in; None means "everything".

    pre-commit passes changed files, CI passes changed folders; a change to taxonomy.yml
    concerns every branch."""
    if not paths:
        return None
    base = (root / branches_dir).resolve()
    selected: set[str] = set()
    for raw in paths:
        path = Path(raw).resolve()
        if path == base:
            return None
        if not path.is_relative_to(base):
            continue
        first = path.relative_to(base).parts[0]
        if first in ("taxonomy.yml", "profile.schema.json"):
            return None
        selected.add(f"{Path(branches_dir).as_posix()}/{first}")
    return sorted(selected)


def _summary_markdown(project: Project | None, problems: list[Problem], dirs: list[str] | None) -> str:
    errors = errors_in(problems)
    lines = ["## 党组织档案检查", ""]
    if project is not None:
        shown = (
            dirs
            if dirs is not None
            else [b.rel_dir for b in project.branches]
            + sorted(
                {"/".join(p.path.split("/")[:2]) for p in problems if p.path.count("/") >= 2}
                - {b.rel_dir for b in project.branches}
            )
        )
        lines += ["| 党组织文件夹 | 名称 | 结果 | 错误 | 提示 |", "|---|---|---|---|---|"]
        for d in sorted(set(shown)):
            mine = [p for p in problems if p.path == d or p.path.startswith(d + "/")]
            n_err = len(errors_in(mine))
            branch = project.branch(d.rsplit("/", 1)[-1])
            name = branch.profile.name if branch else "—"
            status = "❌ 需要修改" if n_err else ("✅ 通过" if branch else "（已删除）")
            lines.append(f"| `{d}` | {name} | {status} | {n_err} | {len(mine) - n_err} |")
        lines.append("")
    lines.append(f"共 {len(errors)} 个错误，{len(problems) - len(errors)} 个提示。")
    if problems:
        lines += ["", "| 位置 | 代码 | 说明 |", "|---|---|---|"]
        for p in problems:
            icon = "❌" if p.severity is Severity.ERROR else "⚠️"
            message = p.message.replace("|", "\\|")
            lines.append(f"| {icon} `{p.path}:{p.line}:{p.col}` | {p.code} | {message} |")
    return "\n".join(lines) + "\n\n"


def _layout(args: argparse.Namespace) -> Layout:
    return read_layout(args.config_file, args.branches_dir)


def _load(layout: Layout) -> Project:
    """The project as `check`, `report` and `print` see it: photo inspections cached, progress on stderr."""
    return load_project(
        layout.root,
        layout.branches_dir,
        os.path.relpath(layout.docs_dir, layout.root),
        cache_dir=layout.cache_dir,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )


def _all_problems(layout: Layout) -> tuple[Project, list[Problem]]:
    """Everything `check` reports: the branches, the print editions (docs_dir/editions/) and
    symlinks or outside paths among the pages and templates (content/, overrides/)."""
    from showcase.printing.editions import load_editions

    project = _load(layout)
    problems = project.problems + load_editions(project, layout.docs_dir)[1]
    problems += tree_problems(layout.root, layout.page_folders)
    return project, sorted(problems, key=Problem.sort_key)


def cmd_check(args: argparse.Namespace) -> int:
    project: Project | None
    try:
        layout = _layout(args)
    except ContentError as e:
        _print_problems(e.problems, args.format)
        return 1
    dirs = _selected_dirs(layout.root, layout.branches_dir, args.paths)
    try:
        project, problems = _all_problems(layout)
    except ContentError as e:
        project, problems = None, e.problems
    if dirs is not None:
        problems = [p for p in problems if any(p.path == d or p.path.startswith(d + "/") for d in dirs)]
    _print_problems(problems, args.format)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as out:
            out.write(_summary_markdown(project, problems, dirs))
    errors = len(errors_in(problems))
    warnings = len(problems) - errors
    if args.format != "json":
        if project is None:
            summary = f"检查未完成：共同的词表有误，{errors} 个错误。"
        elif dirs is None:
            summary = (
                f"检查完成：{len(project.branches)} 个党组织可以发布，{errors} 个错误，{warnings} 个提示。"
            )
        else:
            ok = sum(1 for b in project.branches if b.rel_dir in dirs)
            summary = (
                f"检查了 {len(dirs)} 个党组织文件夹：{ok} 个可以发布，{errors} 个错误，{warnings} 个提示。"
            )
        print(summary, file=sys.stderr)
    return 1 if errors else 0


# --- report -------------------------------------------------------------------------------


def cmd_report(args: argparse.Namespace) -> int:
    """The aggregates of /reports/ in the terminal: Markdown to read, CSV for a spreadsheet."""
    from showcase.content.catalog import Catalog
    from showcase.reports.report import Report

    try:
        project = _load(_layout(args))
    except ContentError as e:
        _print_problems(e.problems, "text")
        return 1
    errors = errors_in(project.problems)
    if errors:
        print(
            f"注意：{len(errors)} 个错误，有问题的党组织未计入汇总（运行 showcase check 查看）。",
            file=sys.stderr,
        )
    report = Report(Catalog(project))
    sys.stdout.write(report.as_csv() if args.format == "csv" else report.as_markdown())
    return 0


# --- new ----------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from showcase.content.load import TAXONOMY, load_branch
    from showcase.content.scaffold import create
    from showcase.content.taxonomy import load_taxonomy

    layout = _layout(args)
    root = layout.root
    branches = root / layout.branches_dir
    tax_path = branches / TAXONOMY
    taxonomy = load_taxonomy(f"{layout.branches_dir}/{TAXONOMY}", tax_path.read_bytes())
    new = create(
        branches, taxonomy, args.slug, args.name, category=args.category, region=args.region, theme=args.theme
    )
    rel = new.folder.relative_to(root).as_posix()
    print(f"已创建 {rel}/：profile.yml、case.md 和 photos/")
    labels = {
        "category": f"类别“{new.category}”",
        "region": f"区域“{new.region}”",
        "themes": f"主题“{new.theme}”",
    }
    if new.guessed:
        guessed = "、".join(labels[g] for g in new.guessed)
        print(f"根据名称推测了{guessed}，请打开 profile.yml 核对。")
    problems, _ = load_branch(root, new.folder, taxonomy)
    errors = errors_in(problems)
    if errors:  # the templates are tested; this would be a bug, but say so plainly
        _print_problems(errors, "text")
        return 1
    print("下一步：")
    print(f"  1. 填写 {rel}/profile.yml（把“待填写”换成真实内容）")
    print(f"  2. 在 {rel}/case.md 中写案例，保留“## 主要举措”和“## 取得成效”两个小标题")
    print(f"  3. 把照片放进 {rel}/photos/，并在 profile.yml 的 photos 中逐张写说明和摄影者")
    print(f"  4. 运行 showcase check {rel} 检查，通过后提交")
    return 0


# --- schema ---------------------------------------------------------------------------------


def schema_text() -> str:
    from showcase.content.model import profile_json_schema

    return json.dumps(profile_json_schema(), ensure_ascii=False, indent=2) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    layout = _layout(args)
    target = layout.root / layout.branches_dir / "profile.schema.json"
    target.write_text(schema_text(), "utf-8")
    print(f"已生成 {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
    return 0


# --- build ----------------------------------------------------------------------------------


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns that dirty builds may leave stale navigation. Ours cannot: every page's
    inputs, navigation included, are in its digest (see incremental.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


def _config_error(error: Exception) -> str:
    """MkDocs logs an option's own complaint, then aborts with an English line: point up."""
    from mkdocs.exceptions import Abort

    return "见上面的说明。" if isinstance(error, Abort) else str(error)


def _missing_pages(site: Path, plugin: Any) -> list[str]:
    """Check the result before it replaces site/: the home page and every loaded branch's page."""
    from showcase import urls

    expected = ["index.html"]
    project = getattr(plugin, "project", None)
    if project is not None:
        expected += [urls.branch(b.slug) + "index.html" for b in project.branches]
    return [e for e in expected if not (site / e).is_file()]


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
    except (Abort, ConfigurationError) as e:
        print(f"配置文件有误：{_config_error(e)}", file=sys.stderr)
        return 1
    site_dir = Path(config.site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    incremental = not args.full and (site_dir / "index.html").is_file()
    try:
        if incremental:
            # Hard links: cheap at any size. The plugin unlinks every output it is about to
            # write (see ShowcasePlugin._detach_outputs), so the previous site/ never changes.
            _link_tree(site_dir, tmp, skip=MEDIA_DIR)
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
        print(f"构建失败：{_config_error(e)}\n原有的 {site_dir.name}/ 未被改动。", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    missing = _missing_pages(tmp, plugin)
    if missing:
        shutil.rmtree(tmp, ignore_errors=True)
        shown = "、".join(missing[:5]) + ("……" if len(missing) > 5 else "")
        print(f"构建结果缺少页面 {shown}，已放弃。原有的 {site_dir.name}/ 未被改动。", file=sys.stderr)
        return 1
    media = plugin.media.tree if plugin is not None else None
    media_started = time.monotonic()
    if media is not None:
        media.finish(tmp, site_dir)  # the published media/ moves over: one rename
    media_seconds = time.monotonic() - media_started
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    if media is not None:
        media_started = time.monotonic()
        stale = media.prune(site_dir)
        media_seconds += time.monotonic() - media_started
        print(f"照片目录：删除不再使用的文件 {stale} 个，用时 {media_seconds:.2f} 秒。", file=sys.stderr)
    print(f"站点已生成：{site_dir}（用时 {time.monotonic() - started:.1f} 秒）", file=sys.stderr)
    return 0


def _link_tree(src: Path, dst: Path, *, skip: str) -> None:
    """Copy a tree as hard links, leaving out the top-level entry `skip` (media/, which is
    carried over whole at the swap). GNU `cp -al` does it about twice as fast as
    shutil.copytree; elsewhere, or if it fails, copytree."""
    entries = sorted(str(p) for p in src.iterdir() if p.name != skip)
    if not entries:
        return
    if shutil.which("cp") and sys.platform.startswith("linux"):
        done = subprocess.run(["cp", "-al", *entries, str(dst)], capture_output=True, check=False)
        if done.returncode == 0:
            return
        shutil.rmtree(dst)  # start the fallback from an empty folder
        dst.mkdir()
    for entry in map(Path, entries):
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, dst / entry.name, symlinks=True, copy_function=os.link)
        else:
            os.link(entry, dst / entry.name, follow_symlinks=False)


# --- preview ----------------------------------------------------------------------------------


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


# --- sample photos ----------------------------------------------------------------------------


def cmd_sample_photos(args: argparse.Namespace) -> int:
    """Draw an illustrative JPEG (示意图) for every listed photo whose file is missing."""
    from showcase.content import yamlstrict
    from showcase.content.updates import read_front_matter
    from showcase.tools.illustrate import illustration

    layout = _layout(args)
    base = layout.root / layout.branches_dir
    made = 0
    # Profiles and updates (简讯) list photos the same way, relative to the branch folder.
    listed = [(p.parent, yamlstrict.load(str(p), p.read_bytes())) for p in sorted(base.glob("*/profile.yml"))]
    listed += [
        (p.parent.parent, read_front_matter(str(p), p.read_bytes()))
        for p in sorted(base.glob("*/updates/*.md"))
    ]
    drawn: set[Path] = set()  # a file a profile and an update both name is drawn once
    for folder, doc in listed:
        for photo in (doc.data or {}).get("photos") or []:
            target = folder / photo["file"]
            if (target.exists() and not args.force) or target in drawn:
                continue
            drawn.add(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            img = illustration(photo["caption"], seed=folder.name, size=(1200, 900))
            img.save(target, "JPEG", quality=80, optimize=True, progressive=True)
            made += 1
            print(f"已生成示意图 {target.relative_to(base.parent)}")
    print(f"共生成 {made} 张示意图。", file=sys.stderr)
    return 0


# --- synth ----------------------------------------------------------------------------------


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


# --- print ----------------------------------------------------------------------------------


def cmd_print(args: argparse.Namespace) -> int:
    """One edition (content/editions/<id>.yml) to a print-ready PDF."""
    from showcase.atomic import atomic_write
    from showcase.media.renditions import PhotoStore
    from showcase.printing.editions import load_edition
    from showcase.printing.layout import PrintError, cached_pdf, prepare, store_renditions, subsetter

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.monotonic()
    layout = _layout(args)  # a broken mkdocs.yml is reported by main() as a problem
    cache_dir = layout.cache_dir
    site_url = args.site_url if args.site_url is not None else layout.site_url
    edition_path = Path(args.edition)
    if not edition_path.is_file():
        say(f"找不到印刷版文件 {edition_path}：印刷版放在 content/editions/<名称>.yml。")
        return 1
    project = _load(layout)
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


# --- entry point ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="showcase", description="党建品牌展示站：检查数据、构建站点。")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="站点配置文件（默认 mkdocs.yml）")
    parser.add_argument(
        "--branches-dir", help="党组织数据文件夹（默认取 mkdocs.yml 中插件的 branches_dir，即 branches）"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("check", help="检查 branches/ 中的档案，逐条列出问题（文件:行:列）")
    p.add_argument("paths", nargs="*", help="只报告这些文件或文件夹所在党组织的问题（默认全部）")
    p.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        help="输出格式：text 供人阅读，github 生成 GitHub Actions 注释，json 供工具读取",
    )
    p.add_argument(
        "--summary", metavar="文件", help="把 Markdown 格式的检查报告追加到该文件（如 $GITHUB_STEP_SUMMARY）"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="构建站点到临时目录，成功后再替换 site/")
    p.add_argument("--strict", action="store_true", help="有任何警告即视为失败")
    p.add_argument("--full", action="store_true", help="完整重建，不沿用上次的结果")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("report", help="打印数据报告：全站、各级区域、类别、主题的汇总")
    p.add_argument(
        "--format",
        choices=["md", "csv"],
        default="md",
        help="md 为 Markdown 表格（默认），csv 可用 Excel 打开",
    )
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("new", help="新建一个党组织文件夹（档案、案例模板和 photos/）")
    p.add_argument("slug", help="网址名，即文件夹名：小写字母、数字和连字符，如 yangguang-shequ")
    p.add_argument("--name", required=True, help="党组织全称，如“回民区光明路街道阳光社区党委”")
    p.add_argument("--category", help="组织类别（默认根据名称推测）")
    p.add_argument("--region", help="所属区域路径，如“呼和浩特市/回民区/光明路街道”（默认根据名称推测）")
    p.add_argument("--theme", help="一个工作主题（默认取词表第一项，之后可在档案中增加）")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("print", help="把一期印刷版（content/editions/<名称>.yml）排成可付印的 PDF")
    p.add_argument("edition", help="印刷版文件，如 content/editions/dangqi-linghang-1.yml")
    p.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
    p.add_argument(
        "--site-url",
        help="二维码指向的网站地址（默认取 mkdocs.yml 的 site_url），如 https://dangjian.example.org/",
    )
    p.set_defaults(func=cmd_print)

    p = sub.add_parser("schema", help="重新生成 branches/profile.schema.json")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("synth", help="生成含 N 个合成党组织的完整项目（用于性能测试）")
    p.add_argument("--branches", type=int, required=True, help="党组织数量")
    p.add_argument("--photos", type=int, default=0, help="每个党组织的图片数（4032×3024 JPEG，含 EXIF）")
    p.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同内容")
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--force", action="store_true", help="允许写入非空文件夹")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("preview", help="在本机浏览已生成的 site/（像正式服务器一样压缩文本）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--site-dir", default="site", help="站点文件夹（默认 site）")
    p.set_defaults(func=cmd_preview)

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
    except OSError as e:
        print(f"无法读写文件：{e.filename or ''} {e.strerror or e}", file=sys.stderr)
        return 1
    except Exception as e:
        # A bug of ours, not the user's data. Keep the screen readable; SHOWCASE_DEBUG=1 shows the traceback.
        if os.environ.get("SHOWCASE_DEBUG"):
            raise
        print(
            f"内部错误：{type(e).__name__}: {e}\n这不是您数据的问题。请把这条信息发给网站维护者；"
            "设置环境变量 SHOWCASE_DEBUG=1 可看到详细的出错位置。",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
