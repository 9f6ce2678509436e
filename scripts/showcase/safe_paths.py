"""Names that become path segments, and writes that must stay inside the output folder.

A pull request can change any file, taxonomy.yml and content/ included: a region named
".." would otherwise make the build write outside site/. Names are checked where they are
read (with the file and line), and every write is checked again where it happens.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
from pathlib import Path

from showcase.problems import Problem

# Long enough for any real name; a folder name must stay under 255 bytes (3 per Chinese character).
MAX_SEGMENT_CHARS = 60
# Characters that change what a URL means (fragment, query, escape) or a path (separators).
_RESERVED = set('/\\#?%"<>|*:')


class UnsafePath(ValueError):
    """A write that would land outside its output folder."""


def segment_problem(name: str) -> str | None:
    """Why `name` cannot be one folder and URL segment (a region, category or theme), in
    Chinese, or None if it can."""
    if not name.strip():
        return "不能为空"
    if name != name.strip():
        return "开头或结尾不能有空格"
    if name.startswith("."):
        return "不能以“.”开头（“.”和“..”在网址和文件夹中有特殊含义）"
    reserved = sorted(set(name) & _RESERVED)
    if reserved:
        return f"不能含有“{'”“'.join(reserved)}”"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        return "不能含有控制字符或不可见字符"
    if len(name) > MAX_SEGMENT_CHARS:
        return f"不能超过 {MAX_SEGMENT_CHARS} 个字"
    return None


def inside(base: Path, rel: str) -> Path:
    """`base / rel`, proven to stay inside `base`: `rel` is relative, posix, with no ".."."""
    norm = posixpath.normpath(rel)
    if (
        not rel
        or rel.startswith("/")
        or "\\" in rel
        or "\0" in rel
        or norm == "."
        or norm == ".."
        or norm.startswith("../")
    ):
        raise UnsafePath(f"拒绝写出“{rel}”：位置超出了输出文件夹 {base}。")
    return base / norm


def check_inside(base: Path, path: str | Path) -> None:
    """Raise UnsafePath unless the absolute `path` lies inside `base` (lexically, after
    normalisation; the build folder itself holds no symlinks)."""
    root = os.path.normpath(os.path.abspath(base))
    target = os.path.normpath(os.path.abspath(path))
    if target == root or not target.startswith(root + os.sep):
        raise UnsafePath(f"拒绝写出“{path}”：位置超出了输出文件夹 {base}。")


def tree_problems(root: Path, folders: list[Path]) -> list[Problem]:
    """Symlinks anywhere under the project's page and template folders (content/, overrides/),
    and such a folder lying outside the project. MkDocs follows symlinks when it collects
    files: a link to /etc/passwd would be published, one to / walked whole."""
    root = root.resolve()
    problems: list[Problem] = []

    def rel(path: str | Path) -> str:
        try:
            return Path(os.path.abspath(path)).relative_to(root).as_posix()
        except ValueError:
            return str(path)

    for folder in folders:
        if folder.is_symlink():
            problems.append(Problem(rel(folder), 1, 1, "SYMLINK", _SYMLINK_MESSAGE))
            continue
        if not Path(os.path.abspath(folder)).is_relative_to(root):
            message = f"文件夹 {folder} 不在项目文件夹 {root} 之内：网页和模板只能放在项目里。"
            problems.append(Problem(str(folder), 1, 1, "OUTSIDE_PROJECT", message))
            continue
        for dirpath, dirnames, filenames in os.walk(folder):  # never follows symlinks
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    problems.append(Problem(rel(path), 1, 1, "SYMLINK", _SYMLINK_MESSAGE))
    return sorted(problems, key=Problem.sort_key)


_SYMLINK_MESSAGE = "不允许使用符号链接（它可能指向项目以外的文件）：请换成真实的文件或文件夹。"
