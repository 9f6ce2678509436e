"""`showcase photos shrink`: phone originals made small enough to commit, in place.

Every version of a photo stays in git's history for good, and the site never shows more than
1600 px; so originals above a size are rewritten before they are committed (see
`media/shrink.py` for what is kept). Each file is replaced atomically, and only after the new
bytes have passed the same inspection the build applies: an error leaves the original as it
was.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from showcase.atomic import atomic_write
from showcase.cli.project import layout_of
from showcase.media import images, shrink
from showcase.media.images import ImageError

MB = 1024 * 1024


def add_parser(sub: Any) -> None:
    p = sub.add_parser("photos", help="照片工具：提交前把手机原图缩小到合适大小")
    tools = p.add_subparsers(dest="photos_command", required=True, metavar="操作")
    s = tools.add_parser(
        "shrink",
        help=f"把长边超过 {shrink.LONG_EDGE} 像素或大于 {shrink.MAX_BYTES // MB} MB 的照片就地缩小",
    )
    s.add_argument("paths", nargs="*", help="照片文件或文件夹（默认 branches/ 下的全部照片）")
    size = s.add_mutually_exclusive_group()
    size.add_argument(
        "--long-edge",
        type=_at_least(1600, "像素"),
        metavar="PX",
        help=f"长边的上限（默认 {shrink.LONG_EDGE}，至少 1600）",
    )
    size.add_argument(
        "--max-pixels",
        type=_at_least(2_000_000, "像素"),
        metavar="N",
        help="总像素数的上限（代替长边，至少 2000000）",
    )
    s.add_argument(
        "--quality",
        type=_quality,
        default=shrink.QUALITY,
        metavar="Q",
        help="JPEG、WebP、HEIC 的压缩质量（默认 90）",
    )
    s.add_argument("--dry-run", action="store_true", help="只列出会缩小哪些照片、缩小到多少，不改动文件")
    s.set_defaults(func=cmd_shrink)


def _at_least(low: int, unit: str) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"应为整数：{text}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"至少 {low} {unit}，否则网站和印刷版的照片会模糊：{text}")
        return value

    return parse


def _quality(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 50 到 100 之间的整数：{text}") from None
    if not 50 <= value <= 100:
        raise argparse.ArgumentTypeError(f"应为 50 到 100 之间的整数：{text}")
    return value


@dataclasses.dataclass
class _Tally:
    shrunk: int = 0
    before: int = 0
    after: int = 0
    small: int = 0
    kept: int = 0
    failed: int = 0


def cmd_shrink(args: argparse.Namespace) -> int:
    if args.paths:
        root, paths = Path.cwd(), [Path(p) for p in args.paths]
    else:
        layout = layout_of(args)
        root, paths = layout.root, [layout.root / layout.branches_dir]
    target = shrink.Target(long_edge=args.long_edge, max_pixels=args.max_pixels)
    tally = _Tally()
    for path, problem in _photos(paths):
        shown = _shown(path, root)
        if problem:
            print(f"{shown}：未改动，{problem}")
            tally.failed += 1
            continue
        line = _shrink_one(path, target, args.quality, args.dry_run, tally)
        if line:
            print(f"{shown}：{line}")
    print(_summary(tally, args.dry_run))
    return 1 if tally.failed else 0


def _photos(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """(file, problem) for the given files and the photos in the given folders, in name order.
    Symbolic links are never followed: the project refuses them anyway."""
    for path in paths:
        if path.is_symlink():
            yield path, "这是符号链接，不处理。"
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    file = Path(folder) / name
                    if name.lower().endswith(shrink.SUFFIXES) and not name.startswith("."):
                        yield file, "这是符号链接，不处理。" if file.is_symlink() else ""
        elif path.is_file():
            yield path, ""
        else:
            yield path, "文件不存在。"


def _shrink_one(path: Path, target: shrink.Target, quality: int, dry_run: bool, tally: _Tally) -> str:
    """Shrink one file unless it is small enough; the line to print about it, if any."""
    try:
        st = path.stat()
        if st.st_size > shrink.MAX_INPUT_BYTES:
            raise ImageError("PHOTO_TOO_LARGE", f"文件有 {st.st_size / MB:.0f} MB，不像是一张照片。")
        raw = path.read_bytes()
        upright = shrink.upright_size(raw)
        if not target.exceeded(len(raw), upright):
            tally.small += 1
            return ""
        result = shrink.shrink(raw, target, quality=quality)
        if len(result.data) >= len(raw) and result.after == upright:
            tally.kept += 1
            return f"未改动，重新压缩不会更小（{_mb(len(raw))}，{_dims(upright)}）"
        images.inspect(result.data)  # what the build will accept; never replace with less
        if not dry_run:
            if _stamp(path.stat()) != _stamp(st):
                raise ImageError("PHOTO_CHANGED", "读取后文件被改动了，请稍后重试。")
            atomic_write(path, result.data)
    except ImageError as e:
        tally.failed += 1
        return f"未改动，{e.message}"
    except OSError as e:
        tally.failed += 1
        return f"未改动，无法读写文件：{e.strerror or e}"
    tally.shrunk += 1
    tally.before += len(raw)
    tally.after += len(result.data)
    return f"{_mb(len(raw))} → {_mb(len(result.data))}，{_dims(result.before)} → {_dims(result.after)}"


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    return st.st_size, st.st_mtime_ns, st.st_ino


def _summary(t: _Tally, dry_run: bool) -> str:
    verb = "可缩小" if dry_run else "缩小了"
    parts = [f"{verb} {t.shrunk} 张照片"]
    if t.shrunk:
        parts[0] += (
            f"：{_mb(t.before)} → {_mb(t.after)}（{'可' if dry_run else ''}节省 {_mb(t.before - t.after)}）"
        )
    if t.small:
        parts.append(f"{t.small} 张已经足够小")
    if t.kept:
        parts.append(f"{t.kept} 张重新压缩不会更小")
    if t.failed:
        parts.append(f"{t.failed} 张出错，未改动")
    text = "；".join(parts) + "。"
    return f"试运行：{text}没有改动任何文件。" if dry_run else f"共{text}"


def _shown(path: Path, root: Path) -> str:
    """The path as the user knows it: relative to the project (or the current folder) if inside."""
    absolute = path.absolute()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(path)


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def _dims(size: tuple[int, int]) -> str:
    return f"{size[0]}×{size[1]}"
