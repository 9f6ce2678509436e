"""`showcase deploy`: publish site/ to object storage or a folder; list, roll back."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

from showcase.deploy.manifest import Encoding
from showcase.deploy.run import DEFAULT_KEEP, Summary, deploy, list_releases, rollback
from showcase.deploy.targets import DeployError, FolderTarget, S3Target, Target
from showcase.pipeline.layout import read_layout
from showcase.pipeline.lock import ProjectLock


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "deploy",
        help="把 site/ 发布到对象存储（s3://存储桶/前缀）或 nginx 的站点文件夹：只传有变化的文件，可回滚",
    )
    p.add_argument("target", help="发布到哪里：s3://存储桶[/前缀]，或一个文件夹（如 /srv/www/dangjian）")
    p.add_argument("--endpoint", help="S3 兼容存储的地址，如 https://oss-cn-beijing.aliyuncs.com")
    p.add_argument("--region", help="存储的地域，如 cn-beijing、ap-guangzhou（默认取环境变量 AWS_REGION）")
    p.add_argument("--site-dir", default="site", help="要发布的站点文件夹（默认 site）")
    p.add_argument("--release", help="这次发布的名字（默认：时间-提交号，如 20261203-101500-3052ab9）")
    p.add_argument("--commit", help="记录在发布里的提交号（默认取 git 的 HEAD）")
    p.add_argument(
        "--keep",
        type=int,
        default=DEFAULT_KEEP,
        help=f"除当前发布外再保留几个之前的发布，供回滚和读者手中的旧页面使用（默认 {DEFAULT_KEEP}）",
    )
    p.add_argument("--jobs", type=int, default=8, help="同时上传的文件数（默认 8）")
    p.add_argument(
        "--gzip",
        action="store_true",
        help="对象存储：文本文件压缩后存放（Content-Encoding: gzip），省流量；文件夹目标总会写 .gz 供 nginx 使用",
    )
    p.add_argument("--dry-run", action="store_true", help="只列出将要上传和删除的文件，不改动目标")
    p.add_argument("--list", action="store_true", help="列出目标中保留的发布（时间、提交号、文件数）")
    p.add_argument(
        "--rollback",
        nargs="?",
        const="",
        metavar="发布名",
        help="让之前的一个发布重新上线（默认上一个），不重新构建、不上传",
    )
    p.add_argument(
        "--adopt",
        action="store_true",
        help="目标里已有别的文件、第一次发布时：确认由本站接管（不属于站点的文件会被删除）",
    )
    p.add_argument(
        "--format", choices=["text", "json"], default="text", help="json：最后一行输出供脚本读取的结果"
    )
    p.set_defaults(func=cmd_deploy)


def _target(args: argparse.Namespace) -> Target:
    where: str = args.target
    if where.startswith("s3://"):
        bucket, _, prefix = where[len("s3://") :].partition("/")
        if not bucket:
            raise DeployError(f"{where} 里缺少存储桶名，应写作 s3://存储桶[/前缀]。")
        return S3Target(
            bucket, prefix, endpoint=args.endpoint or None, region=args.region or None, workers=args.jobs
        )
    if "://" in where:
        raise DeployError(
            f"不支持的发布目标 {where}：请写 s3://存储桶[/前缀]（各家对象存储都用这种写法）或一个文件夹。"
        )
    if args.endpoint or args.region:
        raise DeployError("--endpoint 和 --region 只用于 s3:// 目标。")
    return FolderTarget(Path(where).resolve())


def _commit(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


class _Bar:
    """One line of progress on a terminal (stderr); silent when stderr is a file or pipe."""

    NAMES: ClassVar[dict[str, str]] = {
        "scan": "计算摘要",
        "asset": "上传资源",
        "page": "上传页面",
        "index": "上传索引",
    }

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, what: str, done: int, total: int, moved: int) -> None:
        now = time.monotonic()
        if not self.on or (done < total and now - self.last < 0.1):
            return
        self.last = now
        width = 30
        filled = width * done // max(total, 1)
        size = f"  {moved / 1e6:.1f} MB" if moved else ""
        name = self.NAMES.get(what, what)
        print(
            f"\r{name} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{size}", end="", file=sys.stderr
        )
        if done == total:
            print(file=sys.stderr)


def cmd_deploy(args: argparse.Namespace) -> int:
    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    as_json = args.format == "json"
    try:
        target = _target(args)
        if args.list:
            return _list(target, as_json)
        if args.rollback is not None:
            summary = rollback(
                target,
                args.rollback or None,
                keep=args.keep,
                workers=args.jobs,
                dry_run=args.dry_run,
                say=say,
                progress=_Bar(),
            )
        else:
            layout = read_layout(args.config_file, args.branches_dir)
            site = (layout.root / args.site_dir).resolve()
            encoding = (
                Encoding.SIDECAR
                if isinstance(target, FolderTarget)
                else (Encoding.GZIP if args.gzip else Encoding.PLAIN)
            )
            say(f"发布 {site} → {target.describe()}")
            # No build may replace site/ while its files are read.
            with ProjectLock(layout.cache_dir).held(say):
                summary = deploy(
                    site,
                    target,
                    release=args.release,
                    commit=args.commit if args.commit is not None else _commit(layout.root),
                    encoding=encoding,
                    keep=args.keep,
                    workers=args.jobs,
                    dry_run=args.dry_run,
                    adopt=args.adopt,
                    say=say,
                    progress=_Bar(),
                )
    except DeployError as e:
        say(f"发布失败：{e}")
        return 1
    except Exception as e:
        message = _store_error(e, args)
        if message is None:
            raise
        say(f"发布失败：{message}")
        return 1
    _report(summary, as_json, say)
    return 0


def _report(summary: Summary, as_json: bool, say: Any) -> None:
    for note in summary.notes:
        say(note)
    if not summary.dry_run:
        say(
            f"✔ 发布 {summary.release} 已上线：写入 {summary.uploaded} 个文件（{summary.bytes_uploaded / 1e6:.1f} MB），"
            f"{summary.unchanged} 个未变，删除 {summary.deleted} 个，为之前的发布保留 {summary.kept} 个。"
        )
    if as_json:
        print(json.dumps(summary.to_json(), ensure_ascii=False))


def _list(target: Target, as_json: bool) -> int:
    state, releases = list_releases(target)
    if as_json:
        print(
            json.dumps({"live": state.live, "releases": [r.to_json() for r in releases]}, ensure_ascii=False)
        )
        return 0
    print(f"{target.describe()} 中保留的发布（新的在前）：")
    for r in releases:
        mark = "● 当前" if r.release == state.live else "      "
        commit = r.commit[:10] or "—"
        print(
            f"{mark} {r.release}  {r.created}  提交 {commit}  {r.files} 个文件  {r.bytes / 1e6:.1f} MB  上传 {r.uploaded} 个"
        )
    if state.pending:
        print(f"未完成的发布：{state.pending}（再运行一次 showcase deploy 即可完成）")
    return 0


def _store_error(e: Exception, args: argparse.Namespace) -> str | None:
    """A Chinese explanation of a storage error (credentials, bucket, network), or None for a bug."""
    try:
        from botocore.exceptions import (
            ClientError,
            EndpointConnectionError,
            NoCredentialsError,
            PartialCredentialsError,
        )
    except ImportError:  # pragma: no cover - boto3 is a dependency
        return None
    if isinstance(e, NoCredentialsError | PartialCredentialsError):
        return "没有找到访问密钥：请设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（或 AWS_PROFILE），不要写进仓库。"
    if isinstance(e, EndpointConnectionError):
        return f"连接不上存储服务 {args.endpoint or '（默认地址）'}：请检查 --endpoint 和网络。"
    if isinstance(e, ClientError):
        code = str(e.response.get("Error", {}).get("Code", ""))
        bucket = args.target[len("s3://") :].split("/")[0]
        if code == "NoSuchBucket":
            return (
                f"存储桶 {bucket} 不存在：请先在控制台创建，或检查名字和 --endpoint、--region。目标未被改动。"
            )
        if code in {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"}:
            return (
                f"访问密钥不对（{code}）：请检查 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY。目标未被改动。"
            )
        if code in {"AccessDenied", "403", "Forbidden"}:
            return f"没有权限访问存储桶 {bucket}（{code}）：请给这对密钥读、写、列出和删除对象的权限。"
        return f"存储服务返回错误 {code}：{e}"
    return None
