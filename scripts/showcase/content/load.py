"""Load a project's `branches/` folder into the site model — the one loader everyone uses.

`showcase check`, the MkDocs plugin and the print edition all call `load_project`, so a
pull request that passes `check` builds. A branch with errors is left out of the site and
its problems are reported; the other branches still load (one folder: `branch.py`). A
broken taxonomy is fatal (every branch depends on it) and raises ContentError.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from showcase import urls
from showcase.content import checks, copies, files
from showcase.content.branch import Branch, load_branch
from showcase.content.files import rel_path
from showcase.content.taxonomy import Taxonomy, load_taxonomy
from showcase.media.renditions import SourceIndex
from showcase.problems import ContentError, Problem, errors_in

# Branch, load_branch and rel_path are listed only for a while: modules outside content/ still
# import them from here rather than from showcase.content.branch and showcase.content.files.
__all__ = ["TAXONOMY", "Branch", "Project", "load_branch", "load_project", "rel_path"]

TAXONOMY = "taxonomy.yml"


@dataclasses.dataclass
class Project:
    """A loaded project: its taxonomy, the branches that can be published and every problem."""

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


def load_project(
    root: Path,
    branches_dir: str = "branches",
    docs_dir: str | None = "content",
    *,
    now: dt.date | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    fresh: bool = False,
) -> Project:
    """Load every branch folder under `branches_dir`. `docs_dir` holds the hand-written pages
    that case write-ups may link to; `now` is "today" for the future-date rule; photo
    inspections are remembered in `cache_dir` (None: this run only), and with `fresh` (a
    full build) every photo is read and inspected again, whatever `cache_dir` remembers;
    `progress` hears about long runs."""
    root = root.resolve()
    base = root / branches_dir
    taxonomy = _read_taxonomy(root, base / TAXONOMY)
    if not base.is_dir():
        raise ContentError([Problem(rel_path(root, base), 1, 1, "NO_BRANCHES", "找不到 branches 文件夹。")])
    entries = sorted(os.scandir(base), key=lambda e: e.name)
    folders = [e for e in entries if _is_branch_folder(e)]
    known = checks.known_urls(
        [f.name for f in folders],
        taxonomy.regions,
        taxonomy.category_names,
        taxonomy.theme_names,
        _page_urls(root, docs_dir),
    )
    problems = _case_clashes(rel_path(root, base), [f.name for f in folders])
    branches: list[Branch] = []
    texts: list[copies.Texts] = []
    index = SourceIndex(cache_dir, progress, fresh=fresh)
    with _no_cyclic_gc():
        for entry in entries:
            if not _is_branch_folder(entry):
                if entry.is_symlink():
                    problems.append(files.symlink_problem(rel_path(root, Path(entry.path)), "文件夹"))
                continue
            found, branch = load_branch(
                root, Path(entry.path), taxonomy, known=known, now=now, index=index, texts=texts
            )
            problems.extend(found)
            if branch is not None:
                branches.append(branch)
    index.save()
    # Across branches: texts copied from another branch. Every branch is loaded on every run
    # (only pages are kept from build to build), so a change in one branch that makes another
    # a copy is seen by both, in incremental builds as in full ones.
    copied = copies.problems(texts)
    problems.extend(copied)
    unpublished = {p.path.rsplit("/", 1)[0] for p in copied}
    branches = [b for b in branches if b.rel_dir not in unpublished]
    # Regions, categories and themes without a published branch get no page: a case that
    # links to one would point nowhere (repeated, as leaving a branch out may empty a page).
    while True:
        unbuilt = _unbuilt_term_pages(taxonomy, branches)
        dead = [
            p
            for b in branches
            for p in checks.unbuilt_page_problems(b.case_path, b.case_md, urls.branch(b.slug), unbuilt)
        ]
        if not dead:
            break
        problems.extend(dead)
        unpublished = {p.path.rsplit("/", 1)[0] for p in dead}
        branches = [b for b in branches if b.rel_dir not in unpublished]
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


def _unbuilt_term_pages(taxonomy: Taxonomy, branches: list[Branch]) -> set[str]:
    """URLs of the region, category and theme pages that no published branch fills."""
    every = {urls.region(k) for k in taxonomy.regions}
    every.update(urls.category(c) for c in taxonomy.category_names)
    every.update(urls.theme(t) for t in taxonomy.theme_names)
    used: set[str] = set()
    for b in branches:
        path = b.region.path
        used.update(urls.region("/".join(path[:n])) for n in range(1, len(path) + 1))
        used.add(urls.category(b.profile.category))
        used.update(urls.theme(t) for t in b.profile.themes)
    return every - used


def _read_taxonomy(root: Path, path: Path) -> Taxonomy:
    rel = rel_path(root, path)
    if path.is_symlink():
        raise ContentError([Problem(rel, 1, 1, "SYMLINK", "taxonomy.yml 不能是符号链接：请放入真实的文件。")])
    if not path.is_file():
        raise ContentError(
            [
                Problem(
                    rel,
                    1,
                    1,
                    "NO_TAXONOMY",
                    "找不到受控词表 taxonomy.yml：它定义区域、类别和主题，请先创建。",
                )
            ]
        )
    return load_taxonomy(rel, path.read_bytes())


def _is_branch_folder(entry: os.DirEntry[str]) -> bool:
    """Folders starting with "." or "_" are not branches (.git, _drafts); neither is a symlink."""
    return not entry.name.startswith((".", "_")) and entry.is_dir(follow_symlinks=False)


def _page_urls(root: Path, docs_dir: str | None) -> list[str]:
    """URLs of the hand-written pages in `docs_dir`."""
    if not docs_dir or not (root / docs_dir).is_dir():
        return []
    return [urls.page(p.relative_to(root / docs_dir).as_posix()) for p in (root / docs_dir).rglob("*.md")]


def _case_clashes(rel_base: str, names: list[str]) -> list[Problem]:
    """Folder names that differ only in case: one folder on Windows and macOS, and confusable URLs."""
    by_folded: dict[str, list[str]] = {}
    for name in names:
        by_folded.setdefault(unicodedata.normalize("NFC", name).casefold(), []).append(name)
    problems = []
    for same in by_folded.values():
        for name in same if len(same) > 1 else ():
            others = "、".join(n for n in same if n != name)
            problems.append(
                Problem(
                    f"{rel_base}/{name}",
                    1,
                    1,
                    "SLUG_DUPLICATE",
                    f"文件夹名“{name}”与“{others}”只有大小写不同：在 Windows 和 macOS 上会冲突，网址也会混淆，请改名。",
                )
            )
    return problems


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Loading builds millions of small objects that all stay alive: the cyclic garbage
    collector would walk them again and again for nothing (a quarter of the load time at
    1,000 branches). It runs once, afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
