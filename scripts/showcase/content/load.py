"""Load a project's `branches/` folder into the site model — the one loader everyone uses.

`showcase check`, the MkDocs plugin and the print edition all call `load_project`, so a
pull request that passes `check` builds. A branch with errors is left out of the site and
its problems are reported; the other branches still load. A broken taxonomy is fatal
(every branch depends on it) and raises ContentError.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import os
import posixpath
import stat
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import ValidationError

from showcase import hints, urls
from showcase.content import checks, unsafe_chars, updates, yamlstrict
from showcase.content.model import SLUG_RE, Photo, Profile
from showcase.content.schema_errors import translate
from showcase.content.taxonomy import Region, Taxonomy, load_taxonomy
from showcase.content.updates import LoadedUpdate
from showcase.hints import did_you_mean
from showcase.media import images
from showcase.media.images import ImageError, SourceInfo
from showcase.media.renditions import SourceIndex
from showcase.problems import ContentError, Problem, Severity, errors_in

PROFILE = "profile.yml"
CASE = "case.md"
TAXONOMY = "taxonomy.yml"
MAX_CASE_BYTES = 200 * 1024


@dataclasses.dataclass(eq=False)
class Branch:
    """One loaded, valid branch folder."""

    profile: Profile
    dir: Path  # absolute
    rel_dir: str  # relative to the project root, posix, e.g. "branches/yangguang-shequ"
    region: Region
    case_md: str
    doc: yamlstrict.Document
    digest: str  # of the profile, case.md, updates and photo bytes: what this branch's pages are made from
    sources: dict[str, SourceInfo] = dataclasses.field(default_factory=dict)  # photo/logo path → inspection
    updates: list[LoadedUpdate] = dataclasses.field(default_factory=list)  # 简讯, newest first

    @property
    def slug(self) -> str:
        return self.profile.slug

    def photo_refs(self) -> Iterator[tuple[Photo, str, yamlstrict.Document, yamlstrict.Loc]]:
        """Every photo the branch publishes, with the file and place that name it: the
        profile's, then its updates' (a file named twice is one photo)."""
        for i, photo in enumerate(self.profile.photos):
            yield photo, self.profile_path, self.doc, ("photos", i, "file")
        for update in self.updates:
            for i, photo in enumerate(update.meta.photos):
                yield photo, update.path, update.doc, ("photos", i, "file")

    @property
    def profile_path(self) -> str:
        return f"{self.rel_dir}/{PROFILE}"

    @property
    def case_path(self) -> str:
        return f"{self.rel_dir}/{CASE}"

    def file(self, rel: str) -> Path:
        """Absolute path of a file the profile names (already checked to stay inside)."""
        return self.dir / rel


@dataclasses.dataclass
class Project:
    root: Path
    branches_dir: Path
    taxonomy: Taxonomy
    branches: list[Branch]
    problems: list[Problem]
    photo_files: int = 0  # photos and logos checked
    photo_seconds: float = 0.0  # spent checking them (paths, the inspection index)

    @property
    def errors(self) -> list[Problem]:
        return errors_in(self.problems)

    def branch(self, slug: str) -> Branch | None:
        return next((b for b in self.branches if b.slug == slug), None)


def rel_path(root: Path, path: Path) -> str:
    """`path` as problems name it: relative to the project root, posix."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_project(
    root: Path,
    branches_dir: str = "branches",
    docs_dir: str | None = "content",
    *,
    now: dt.date | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Project:
    """Load every branch folder under `branches_dir`. `docs_dir` holds the hand-written pages
    that case write-ups may link to; `now` is "today" for the future-date rule; photo
    inspections are remembered in `cache_dir` (None: this run only); `progress` hears about
    long runs."""
    root = root.resolve()
    base = root / branches_dir
    tax_path = base / TAXONOMY
    rel_tax = rel_path(root, tax_path)
    if tax_path.is_symlink():
        raise ContentError(
            [Problem(rel_tax, 1, 1, "SYMLINK", "taxonomy.yml 不能是符号链接：请放入真实的文件。")]
        )
    if not tax_path.is_file():
        raise ContentError(
            [
                Problem(
                    rel_tax,
                    1,
                    1,
                    "NO_TAXONOMY",
                    "找不到受控词表 taxonomy.yml：它定义区域、类别和主题，请先创建。",
                )
            ]
        )
    taxonomy = load_taxonomy(rel_tax, tax_path.read_bytes())
    problems: list[Problem] = []
    branches: list[Branch] = []
    if not base.is_dir():
        raise ContentError([Problem(rel_path(root, base), 1, 1, "NO_BRANCHES", "找不到 branches 文件夹。")])
    entries = sorted(os.scandir(base), key=lambda e: e.name)
    folders = [e for e in entries if not e.name.startswith((".", "_")) and e.is_dir(follow_symlinks=False)]
    pages = []
    if docs_dir and (root / docs_dir).is_dir():
        pages = [
            urls.page(p.relative_to(root / docs_dir).as_posix()) for p in (root / docs_dir).rglob("*.md")
        ]
    known = checks.known_urls(
        [f.name for f in folders], taxonomy.regions, taxonomy.category_names, taxonomy.theme_names, pages
    )
    by_folded: dict[str, list[str]] = {}
    for f in folders:
        by_folded.setdefault(unicodedata.normalize("NFC", f.name).casefold(), []).append(f.name)
    for names in by_folded.values():
        for name in names if len(names) > 1 else ():
            others = "、".join(n for n in names if n != name)
            problems.append(
                Problem(
                    f"{rel_path(root, base)}/{name}",
                    1,
                    1,
                    "SLUG_DUPLICATE",
                    f"文件夹名“{name}”与“{others}”只有大小写不同：在 Windows 和 macOS 上会冲突，网址也会混淆，请改名。",
                )
            )
    index = SourceIndex(cache_dir, progress)
    # Loading builds millions of small objects that all stay alive: the cyclic garbage
    # collector would walk them again and again for nothing (a quarter of the load time at
    # 1,000 branches). It runs once, afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for entry in entries:
            if entry.name.startswith((".", "_")) or not entry.is_dir(follow_symlinks=False):
                if entry.is_symlink():
                    problems.append(
                        Problem(
                            rel_path(root, Path(entry.path)),
                            1,
                            1,
                            "SYMLINK",
                            "不允许使用符号链接：请放入真实的文件夹。",
                        )
                    )
                continue
            found, branch = load_branch(root, Path(entry.path), taxonomy, known=known, now=now, index=index)
            problems.extend(found)
            if branch is not None:
                branches.append(branch)
    finally:
        if collecting:
            gc.enable()
    index.save()
    problems.sort(key=Problem.sort_key)
    return Project(
        root=root,
        branches_dir=base,
        taxonomy=taxonomy,
        branches=branches,
        problems=problems,
        photo_files=sum(len(b.sources) for b in branches),
        photo_seconds=index.seconds,
    )


def load_branch(
    root: Path,
    folder: Path,
    taxonomy: Taxonomy,
    *,
    known: set[str] | None = None,
    now: dt.date | None = None,
    index: SourceIndex | None = None,
) -> tuple[list[Problem], Branch | None]:
    """Load one branch folder. Returns its problems and the branch, or None if it has errors.

    `known` is the set of site URLs internal links may point to (None: links not checked);
    `index` remembers photo inspections between runs."""
    rel_dir = rel_path(root, folder)
    problems: list[Problem] = []
    name = folder.name
    if unicodedata.normalize("NFC", name) != name or not SLUG_RE.fullmatch(name):
        problems.append(
            Problem(
                rel_dir,
                1,
                1,
                "FOLDER_NAME",
                f"文件夹名“{name}”不合规：只能用小写字母、数字和连字符（-），如 yangguang-shequ。",
            )
        )
    profile_file = folder / PROFILE
    rel_profile = f"{rel_dir}/{PROFILE}"
    if profile_file.is_symlink() or not profile_file.is_file():
        problems.append(
            Problem(rel_profile, 1, 1, "NO_PROFILE", "缺少档案文件 profile.yml：可用 showcase new 生成。")
        )
        return problems, None
    profile_bytes = profile_file.read_bytes()
    source_hash = hashlib.sha256(profile_bytes)
    try:
        doc = yamlstrict.load(rel_profile, profile_bytes)
    except ContentError as e:
        return problems + e.problems, None
    problems.extend(checks.personal_data_problems(rel_profile, profile_bytes.decode("utf-8-sig")))
    if not isinstance(doc.data, dict):
        return [*problems, Problem(rel_profile, 1, 1, "TYPE", "档案应为一组“键: 值”，请对照示例填写。")], None
    try:
        profile = Profile.model_validate(doc.data)
    except ValidationError as e:
        return problems + translate(e, doc, Profile), None

    def at(loc: yamlstrict.Loc, code: str, message: str, severity: Severity = Severity.ERROR) -> None:
        pos = doc.pos(loc)
        problems.append(Problem(rel_profile, pos.line, pos.col, code, message, severity))

    problems.extend(checks.profile_value_problems(rel_profile, doc, profile, now or checks.today()))
    problems.extend(checks.placeholder_problems(rel_profile, doc))
    if profile.slug != name:
        at(("slug",), "SLUG_MISMATCH", f"slug“{profile.slug}”必须与文件夹名“{name}”相同。")
    if profile.category not in taxonomy.category_names:
        at(
            ("category",),
            "UNKNOWN_CATEGORY",
            _vocab_message("类别", profile.category, taxonomy.category_names),
        )
    seen_themes: set[str] = set()
    for i, theme in enumerate(profile.themes):
        if theme not in taxonomy.theme_names:
            at(("themes", i), "UNKNOWN_THEME", _vocab_message("主题", theme, taxonomy.theme_names))
        elif theme in seen_themes:
            at(("themes", i), "DUPLICATE_THEME", f"主题“{theme}”重复填写了。", Severity.WARNING)
        seen_themes.add(theme)
    for i, figure in enumerate(profile.figures):
        if figure.metric is None:
            continue
        metric = taxonomy.metric(figure.metric)
        if metric is None:
            at(
                ("figures", i, "metric"),
                "UNKNOWN_METRIC",
                _vocab_message("汇总指标", figure.metric, taxonomy.metric_names),
            )
        elif figure.unit and figure.unit != metric.unit:
            at(
                ("figures", i, "unit"),
                "METRIC_UNIT",
                f"指标“{metric.name}”按“{metric.unit}”汇总，这里的单位是“{figure.unit}”：请换算成{metric.unit}，或去掉 metric（只展示、不汇总）。",
            )
    region = taxonomy.regions.get(profile.region.strip("/"))
    if region is None:
        guess = taxonomy.suggest_region(profile.region)
        hint = f"是否想写“{guess}”？" if guess else "请从区域树中选择完整路径，用 / 分隔。"
        at(("region",), "UNKNOWN_REGION", f"区域“{profile.region}”不在 taxonomy.yml 的区域树中：{hint}")

    index = index or SourceIndex(None)
    started = time.perf_counter()
    sources, path_problems, photo_problems = _inspect_files(folder, profile, doc, rel_profile, index)
    index.seconds += time.perf_counter() - started
    problems.extend(path_problems)
    for rel, info in sorted(sources.items()):
        source_hash.update(f"\0file\0{rel}\0{info.sha256}".encode())

    case_md = ""
    case_file = folder / CASE
    rel_case = f"{rel_dir}/{CASE}"
    if case_file.is_symlink():
        problems.append(Problem(rel_case, 1, 1, "SYMLINK", "不允许使用符号链接：请放入真实的 case.md 文件。"))
    elif not case_file.is_file():
        problems.append(
            Problem(rel_case, 1, 1, "NO_CASE", "缺少案例文件 case.md：页面将没有案例正文。", Severity.WARNING)
        )
    else:
        raw = case_file.read_bytes()
        source_hash.update(b"\0case\0" + raw)
        try:
            case_md = _decode_markdown(rel_case, raw)
        except ContentError as e:
            problems.extend(e.problems)
        else:
            problems.extend(checks.case_problems(rel_case, case_md, urls.branch(name), known))

    # Updates (简讯): a broken one is reported and left out, like a broken photo.
    def inspect_update_photos(
        doc: yamlstrict.Document, path: str, refs: list[tuple[yamlstrict.Loc, str, bool]]
    ) -> tuple[dict[str, SourceInfo], list[Problem], list[Problem]]:
        started = time.perf_counter()
        try:
            return _inspect_refs(folder, refs, doc, path, index)
        finally:
            index.seconds += time.perf_counter() - started

    news = updates.load_folder(
        folder, rel_dir, now=now or checks.today(), known=known, inspect=inspect_update_photos
    )
    source_hash.update(f"\0updates\0{news.digest}".encode())
    sources.update(news.sources)
    named = {f"{rel_dir}/{f}" for f in news.photo_files}  # listed by an update, not unlisted
    problems.extend(
        p
        for p in checks.file_problems(folder, rel_dir, profile)
        if not (p.code == "PHOTO_UNLISTED" and p.path in named)
    )

    # A problem with one photo leaves that photo out but keeps the page: it still fails
    # `check` and a strict build, but readers do not lose a whole branch to a bad upload.
    if errors_in(problems) or region is None:
        return problems + photo_problems + news.problems, None
    return problems + photo_problems + news.problems, Branch(
        profile=profile,
        dir=folder,
        rel_dir=rel_dir,
        region=region,
        case_md=case_md,
        doc=doc,
        digest=source_hash.hexdigest(),
        sources=sources,
        updates=news.updates,
    )


def _inspect_files(
    folder: Path, profile: Profile, doc: yamlstrict.Document, rel_profile: str, index: SourceIndex
) -> tuple[dict[str, SourceInfo], list[Problem], list[Problem]]:
    """Inspect the photos and logo a profile names. Returns what was learned, the problems of
    the branch (paths that leave the folder, symlinks) and the problems of single images
    (missing, broken, unsupported, too small), which leave out just that image."""
    referenced: list[tuple[yamlstrict.Loc, str, bool]] = [
        (("photos", i, "file"), p.file, True) for i, p in enumerate(profile.photos)
    ]
    if profile.brand.logo:
        referenced.append((("brand", "logo"), profile.brand.logo, False))
    return _inspect_refs(folder, referenced, doc, rel_profile, index)


def _inspect_refs(
    folder: Path,
    referenced: list[tuple[yamlstrict.Loc, str, bool]],
    doc: yamlstrict.Document,
    rel_profile: str,
    index: SourceIndex,
) -> tuple[dict[str, SourceInfo], list[Problem], list[Problem]]:
    """Inspect the files named at `referenced` (loc in `doc`, path, is a photo) of the file
    `rel_profile`: a profile's photos and logo, or an update's photos."""
    sources: dict[str, SourceInfo] = {}
    branch_problems: list[Problem] = []
    problems: list[Problem] = []

    def at(loc: yamlstrict.Loc, code: str, message: str, severity: Severity = Severity.ERROR) -> None:
        pos = doc.pos(loc)
        out = branch_problems if code == "BAD_PATH" else problems
        out.append(Problem(rel_profile, pos.line, pos.col, code, message, severity))

    safe_dirs: set[str] = set()  # folders already known to be real, not symlinks
    for loc, rel, is_photo in referenced:
        found = _check_inside(folder, rel, safe_dirs)
        if not isinstance(found, os.stat_result):  # (stat_result is a tuple too)
            at(loc, *found)
            continue
        try:
            info = index.inspect(folder / posixpath.normpath(rel), found)
        except ImageError as e:
            at(loc, e.code, e.message)
            continue
        except OSError as e:
            at(loc, "PHOTO_BROKEN", f"无法读取文件“{rel}”：{e.strerror or e}")
            continue
        sources[rel] = info
        if is_photo and info.width < images.MIN_PHOTO_WIDTH:
            at(
                loc,
                "PHOTO_TOO_SMALL",
                f"照片只有 {info.width}×{info.height} 像素，宽度不足 {images.MIN_PHOTO_WIDTH}：网页上会模糊，也不能印刷，请提交原图。",
                Severity.WARNING,
            )
    return sources, branch_problems, problems


def _vocab_message(kind: str, value: str, options: list[str]) -> str:
    if not options:
        return (
            f"{kind}“{value}”不在 taxonomy.yml 的词表中：词表里还没有任何{kind}，请先在 taxonomy.yml 中添加。"
        )
    hint = did_you_mean(value, options, cutoff=hints.LOOSE, otherwise=f"可选：{'、'.join(options)}。")
    return f"{kind}“{value}”不在 taxonomy.yml 的词表中：{hint}"


def _check_inside(folder: Path, rel: str, safe_dirs: set[str]) -> tuple[str, str] | os.stat_result:
    """Why `rel` may not be used as a file of this branch (code, message), or, if it is fine,
    the file's lstat. One lstat per path component, folders checked once per branch
    (`safe_dirs`): a warm build at 1,000 branches × 4 photos does this 4,000 times."""
    norm = posixpath.normpath(rel.replace("\\", "/"))
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


def _decode_markdown(path: str, raw: bytes) -> str:
    if len(raw) > MAX_CASE_BYTES:
        raise ContentError(
            [Problem(path, 1, 1, "FILE_TOO_LARGE", f"case.md 超过 {MAX_CASE_BYTES // 1024} KB：请精简内容。")]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        raise ContentError(
            [Problem(path, line, 1, "ENCODING", "文件不是 UTF-8 编码（可能是 GBK）：请以“UTF-8”编码另存。")]
        ) from None
    unsafe_chars.refuse(path, text, "TEXT_CHAR")
    return text
