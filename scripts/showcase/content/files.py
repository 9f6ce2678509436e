"""The files a branch's YAML names (photos, logo): kept inside the branch folder, then inspected.

A profile and its updates name files by relative path. Each one is proven to stay inside
the branch folder, with no symlink on the way, before a byte of it is read; then the photo
index (`media.renditions.SourceIndex`) says what kind of image it is, usually from its cache
without reading the file at all. Also here: how problems quote a path, how a path as
written (photos\\a.jpg, photos/./a.jpg) becomes the one name of the file it means, and what
to say when a file every branch holds (profile.yml, case.md) is a symlink, a folder or
misnamed.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import stat
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from showcase.content import yamlstrict
from showcase.content.model import Photo, Profile
from showcase.media import images
from showcase.media.images import ImageError, SourceInfo
from showcase.media.renditions import SourceIndex
from showcase.problems import Problem, Severity

# A file named in YAML: where (in the document), the path as written, and whether it is a
# photo (held to the minimum width) rather than a logo.
Ref = tuple[yamlstrict.Loc, str, bool]


@dataclasses.dataclass
class Inspected:
    """What inspecting the files named in one YAML document found."""

    sources: dict[str, SourceInfo]  # path as written → inspection, for the files that can be used
    # A path leaving the folder or a symlink: the document naming it cannot be trusted.
    path_problems: list[Problem]
    # Missing, broken, unsupported or too small: just that image is left out.
    photo_problems: list[Problem]


def rel_path(root: Path, path: Path) -> str:
    """`path` as problems name it: relative to the project root, posix."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def normalized(rel: str) -> str:
    """The one name of the file a path written in YAML means (Windows separators allowed)."""
    return posixpath.normpath(rel.replace("\\", "/"))


def symlink_problem(path: str, what: str) -> Problem:
    """A symlink where a real file or folder must be: it could lead out of the project. `what`
    is read after “真实的”: "文件夹", or " case.md 文件" (a Latin name with its space)."""
    return Problem(path, 1, 1, "SYMLINK", f"不允许使用符号链接：请放入真实的{what}。")


def not_a_file_problem(path: Path, rel: str) -> Problem | None:
    """Why the file a branch must hold at `path` (profile.yml, case.md) cannot be read as one:
    a symlink, a folder or a special file (a FIFO would hang the build); None if it is a
    regular file or missing. Checked without following links."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    name = path.name
    if stat.S_ISLNK(mode):
        return symlink_problem(rel, f" {name} 文件")
    if stat.S_ISDIR(mode):
        message = f"{name} 是文件夹而不是文件：请把这个文件夹改名或删除，在这里放入名为 {name} 的文件。"
    elif stat.S_ISREG(mode):
        return None
    else:
        message = f"{name} 不是普通文件：请删除它，在这里放入真实的 {name} 文件。"
    return Problem(rel, 1, 1, "NOT_A_FILE", message)


def similar_names(folder: Path, wanted: str) -> list[str]:
    """Names in `folder` that look like a misspelt `wanted` (profile.yml): another case
    (Profile.yml), another extension (profile.yaml), an extension added by the editor or the
    system (profile.yml.txt), full-width letters or stray spaces. Sorted."""
    stem = _loose(wanted).rsplit(".", 1)[0]
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n != wanted and (_loose(n) == stem or _loose(n).startswith(f"{stem}.")))


def _loose(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def photo_refs(photos: Iterable[Photo]) -> list[Ref]:
    """The files of a `photos:` list."""
    return [(("photos", i, "file"), p.file, True) for i, p in enumerate(photos)]


def profile_refs(profile: Profile) -> list[Ref]:
    """The files a profile names: its photos, then its logo."""
    refs = photo_refs(profile.photos)
    if profile.brand.logo:
        refs.append((("brand", "logo"), profile.brand.logo, False))
    return refs


def inspect_refs(
    folder: Path, refs: list[Ref], doc: yamlstrict.Document, index: SourceIndex, rel_dir: str
) -> Inspected:
    """Check and inspect the files `doc` (a profile or an update of the branch in `folder`,
    at `rel_dir` from the project root) names at `refs`. A problem stands at the line that
    names the file and names the file itself (branches/x/photos/a.jpg): the liaison has to
    find that file to fix it. The time it takes is added to `index.seconds`."""
    started = time.perf_counter()
    found = Inspected({}, [], [])
    safe_dirs: set[str] = set()  # folders already known to be real, not symlinks
    for loc, rel, is_photo in refs:
        inside = _check_inside(folder, rel, safe_dirs)
        shown = f"{'照片' if is_photo else '图片'} {rel_dir}/{normalized(rel)}"
        if not isinstance(inside, os.stat_result):  # (stat_result is a tuple too)
            code, message = inside
            out = found.path_problems if code == "BAD_PATH" else found.photo_problems
            if code != "BAD_PATH":
                message = f"{shown}：{message}"
            out.append(doc.problem(loc, code, message))
            continue
        try:
            info = index.inspect(folder / posixpath.normpath(rel), inside)
        except ImageError as e:
            found.photo_problems.append(doc.problem(loc, e.code, f"{shown}：{e.message}"))
            continue
        except OSError as e:
            found.photo_problems.append(
                doc.problem(loc, "PHOTO_BROKEN", f"{shown}：无法读取文件“{rel}”：{e.strerror or e}")
            )
            continue
        found.sources[rel] = info
        if is_photo and info.width < images.MIN_PHOTO_WIDTH:
            message = f"{shown} 只有 {info.width}×{info.height} 像素，宽度不足 {images.MIN_PHOTO_WIDTH}：网页上会模糊，也不能印刷，请提交原图。"
            found.photo_problems.append(doc.problem(loc, "PHOTO_TOO_SMALL", message, Severity.WARNING))
    index.seconds += time.perf_counter() - started
    return found


def _check_inside(folder: Path, rel: str, safe_dirs: set[str]) -> tuple[str, str] | os.stat_result:
    """Why `rel` may not be used as a file of this branch (code, message), or, if it is fine,
    the file's lstat. One lstat per path component, folders checked once per branch
    (`safe_dirs`): a warm build at 1,000 branches × 4 photos does this 4,000 times."""
    norm = normalized(rel)
    if rel.startswith(("/", "\\")) or ":" in rel or norm.startswith("..") or norm == ".":
        return "BAD_PATH", f"路径“{rel}”必须是本文件夹内的相对路径，如 photos/xunluo.jpg。"
    missing = "PHOTO_MISSING", f"找不到文件“{rel}”：请确认文件已放入文件夹，且文件名大小写一致。"
    parts = norm.split("/")
    base = str(folder)
    for i in range(1, len(parts) + 1):
        sub = "/".join(parts[:i])
        if i < len(parts) and sub in safe_dirs:
            continue
        try:
            st = os.lstat(os.path.join(base, sub))
        except OSError:
            return missing
        if stat.S_ISLNK(st.st_mode):
            return "BAD_PATH", f"“{rel}”是符号链接，不允许使用：请放入真实文件。"
        if i < len(parts):
            if not stat.S_ISDIR(st.st_mode):
                return missing
            safe_dirs.add(sub)
    if not stat.S_ISREG(st.st_mode):
        return missing
    return st
