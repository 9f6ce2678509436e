"""The `showcase` command: its sub-commands and their options, and the one error handler.

User-facing output is Chinese; a problem in the data never produces a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from showcase.cli import deploy as deploy_cli
from showcase.cli import edit as edit_cli
from showcase.cli import nginx_conf
from showcase.cli import photos as photos_cli
from showcase.cli.authoring import cmd_new, cmd_sample_photos, cmd_schema
from showcase.cli.check import cmd_check, cmd_report
from showcase.cli.edition import cmd_print
from showcase.cli.output import print_problems
from showcase.cli.site import cmd_build, cmd_preview, cmd_synth
from showcase.problems import ContentError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="showcase", description="党建品牌展示站：检查数据、构建站点。")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="站点配置文件（默认 mkdocs.yml）")
    parser.add_argument(
        "--branches-dir", help="党组织数据文件夹（默认取 mkdocs.yml 中插件的 branches_dir，即 branches）"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    _data_commands(sub)
    _site_commands(sub)
    return parser


def _data_commands(sub: Any) -> None:
    """Commands about the branches' data: check, report, new, schema."""
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
    p.add_argument(
        "--comment",
        metavar="文件",
        help="把写给联络员的合并请求留言（结果、怎么改、问题表）写入该文件，供 CI 发到合并请求下",
    )
    p.set_defaults(func=cmd_check)
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
    p = sub.add_parser("schema", help="重新生成 branches/profile.schema.json 和网页编辑配置 admin/config.yml")
    p.add_argument("--check", action="store_true", help="只检查这两个文件是否过期（CI 用），过期则返回 1")
    p.set_defaults(func=cmd_schema)


def _site_commands(sub: Any) -> None:
    """Commands that make or show the site and the print edition."""
    p = sub.add_parser("build", help="构建站点到临时目录，成功后再替换 site/")
    p.add_argument("--strict", action="store_true", help="有任何警告即视为失败")
    p.add_argument("--full", action="store_true", help="完整重建，不沿用上次的结果")
    p.add_argument(
        "--allow-mass-delete",
        action="store_true",
        help="允许一次让大部分已发布的党组织下线（默认超过一半即拒绝构建）",
    )
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("print", help="把一期印刷版（content/editions/<名称>.yml）排成可付印的 PDF")
    p.add_argument("edition", help="印刷版文件，如 content/editions/dangqi-linghang-1.yml")
    p.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
    p.add_argument(
        "--site-url",
        help="二维码指向的网站地址（默认取 mkdocs.yml 的 site_url），如 https://dangjian.example.org/",
    )
    p.set_defaults(func=cmd_print)
    p = sub.add_parser("preview", help="在本机浏览已生成的 site/（像正式服务器一样压缩文本）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--site-dir", default="site", help="站点文件夹（默认 site）")
    p.set_defaults(func=cmd_preview)
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
    deploy_cli.add_parser(sub)
    edit_cli.add_parser(sub)
    nginx_conf.add_parser(sub)
    photos_cli.add_parser(sub)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ContentError as e:
        print_problems(e.problems, getattr(args, "format", "text"))
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
