"""Print editions (印刷版): `content/editions/<id>.yml`, read, checked and resolved against the
loaded branches.

An edition names a column (栏目名), an issue number and date, the 编者按 (Markdown), the paper
(A3 newspaper page or A4 booklet) and its branches in order, each optionally with the lead
photo and the figures to print. `album: true` makes the organisation department's brand album
instead: one A4 page per branch, all branches unless some are listed.

Errors name `path:line:col` like every other check. An edition with an error is left out of
the site (the others and every branch page still publish) and `showcase print` refuses it.
Layout and PDF rendering live in `printing.py`; this module knows nothing of either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import Field

from showcase import hints
from showcase.content import yamlstrict
from showcase.content.load import Branch, Project, rel_path
from showcase.content.model import SLUG_RE, DateStr, Figure, Photo, _Model, _text
from showcase.content.schema_errors import load_validated
from showcase.hints import did_you_mean
from showcase.problems import ContentError, Problem

EDITIONS_DIR = "editions"  # inside docs_dir (content/)
MAX_EDITION_BYTES = 64 * 1024
LEAD_FIGURES = 4  # figures printed when an edition does not choose

_At = Callable[["yamlstrict.Loc", str, str], None]  # reports a problem at a place in the file


class EditionBranch(_Model):
    """One branch of an edition, with the editor's choices for it."""

    slug: str = Field(pattern=SLUG_RE.pattern, title="党组织网址名", description="branches/ 下的文件夹名。")
    photo: str | None = _text(
        120,
        title="题图",
        description="印在文章开头的照片：档案 photos 中某张的 file，如 photos/xunluo.jpg。不填用第一张。",
        optional=True,
    )
    figures: list[str] | None = Field(
        default=None,
        max_length=8,
        title="关键数字",
        description=f"印在数字框里的关键数字：档案 figures 中的 label，按此顺序。不填印前 {LEAD_FIGURES} 项。",
    )


class EditionFile(_Model):
    """一期印刷版（content/editions/<id>.yml）。"""

    title: str = _text(20, title="栏目名", description="如“党旗领航”。")
    number: int = Field(ge=1, le=100000, title="期号", description="第几期，如 1。")
    date: DateStr = Field(title="出版日期", description="如 2024-10-25。")
    paper: Literal["A3", "A4"] = Field(
        default="A4", title="纸张", description="A3：报纸整版，文章接排；A4：小册子，每篇另起一页。"
    )
    album: bool = Field(
        default=False,
        title="品牌画册",
        description="true：每个党组织一页的 A4 品牌画册；不列 branches 时收入全部党组织。",
    )
    publisher: str | None = _text(
        30, title="编印单位", description="印在报头，如“中共某某区委组织部”。不填用网站名称。", optional=True
    )
    editor_note: str | None = Field(
        default=None, max_length=2000, title="编者按", description="Markdown，印在报头下的方框里。"
    )
    branches: list[str | EditionBranch] = Field(
        default_factory=list,
        max_length=200,
        title="党组织",
        description="按刊登顺序列出网址名；需要指定题图或关键数字时写成 {slug: …, photo: …, figures: […]}。",
    )


@dataclasses.dataclass(frozen=True)
class Article:
    """A branch as this edition prints it."""

    branch: Branch
    photo: Photo | None
    figures: tuple[Figure, ...]


@dataclasses.dataclass(frozen=True)
class Edition:
    id: str  # file name without .yml; the PDF is /editions/<id>.pdf
    path: str  # relative to the project root
    file: EditionFile
    articles: tuple[Article, ...]

    @property
    def pdf_url(self) -> str:
        return pdf_url(self.id)

    @property
    def heading(self) -> str:
        """《党旗领航》第 3 期 — how the listing and the progress output name it."""
        kind = "品牌画册" if self.file.album else "专栏"
        return f"《{self.file.title}》第 {self.file.number} 期（{kind}）"


def pdf_url(edition_id: str) -> str:
    return f"{EDITIONS_DIR}/{edition_id}.pdf"


def edition_files(docs_dir: Path) -> list[Path]:
    folder = docs_dir / EDITIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and not p.name.startswith("."))


def load_editions(project: Project, docs_dir: Path) -> tuple[list[Edition], list[Problem]]:
    """Every edition under docs_dir/editions/, newest first; broken ones reported and left out."""
    editions: list[Edition] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in edition_files(docs_dir):
        if path.stem in seen:  # x.yml and x.yaml would both be /editions/x.pdf
            rel = rel_path(project.root, path)
            problems.append(
                Problem(rel, 1, 1, "EDITION_NAME", f"已有一期名为“{path.stem}”：请给这个文件换个名字。")
            )
            continue
        seen.add(path.stem)
        try:
            editions.append(load_edition(project, path))
        except ContentError as e:
            problems += e.problems
    editions.sort(key=lambda e: (e.file.date.sort_key, e.file.number, e.id), reverse=True)
    return editions, problems


def load_edition(project: Project, path: Path) -> Edition:
    """One edition, resolved against the project's valid branches; ContentError lists every problem."""
    rel = rel_path(project.root, path)
    edition_id = path.stem
    if not SLUG_RE.match(edition_id):
        raise ContentError(
            [
                Problem(
                    rel,
                    1,
                    1,
                    "EDITION_NAME",
                    f"文件名“{path.name}”不合规：印刷版的网址是 /editions/<文件名>.pdf，文件名只能用小写字母、数字和连字符，如 dangqi-linghang-3.yml。",
                )
            ]
        )
    if path.is_symlink() or not path.is_file():
        raise ContentError([Problem(rel, 1, 1, "SYMLINK", "印刷版文件必须是普通文件，不能是符号链接。")])
    raw = path.read_bytes()
    if len(raw) > MAX_EDITION_BYTES:
        raise ContentError(
            [Problem(rel, 1, 1, "TOO_LARGE", "印刷版文件超过 64 KB：一期只需列出栏目、编者按和党组织。")]
        )
    doc, file = load_validated(rel, raw, EditionFile)
    problems: list[Problem] = []
    articles: list[Article] = []
    seen: set[str] = set()

    def at(loc: yamlstrict.Loc, code: str, message: str) -> None:
        pos = doc.pos(loc)
        problems.append(Problem(rel, pos.line, pos.col, code, message))

    for i, item in enumerate(file.branches):
        choice = item if isinstance(item, EditionBranch) else EditionBranch(slug=item)
        loc: yamlstrict.Loc = ("branches", i) if isinstance(item, str) else ("branches", i, "slug")
        branch = project.branch(choice.slug)
        if choice.slug in seen:
            at(loc, "EDITION_DUPLICATE", f"党组织“{choice.slug}”在本期列了两次：请删去一处。")
            continue
        seen.add(choice.slug)
        if branch is None:
            at(loc, "EDITION_BRANCH", _missing_branch(project, choice.slug))
            continue
        articles.append(_article(branch, choice, ("branches", i), at))
    if not file.album and not file.branches:
        at((), "EDITION_EMPTY", "本期没有列出党组织：请在 branches 下按刊登顺序写上网址名。")
    if file.album and not file.branches:
        # All branches, by region then name: the organisation department's order of business.
        for branch in sorted(project.branches, key=lambda b: (b.profile.region, b.profile.name)):
            articles.append(_article(branch, EditionBranch(slug=branch.slug), None, at))
    if problems:
        raise ContentError(problems)
    return Edition(edition_id, rel, file, tuple(articles))


def _article(branch: Branch, choice: EditionBranch, loc: yamlstrict.Loc | None, at: _At) -> Article:
    profile = branch.profile
    photos = {p.file: p for p in profile.photos}
    photo: Photo | None = profile.photos[0] if profile.photos else None
    if choice.photo is not None:
        photo = photos.get(choice.photo)
        if photo is None and loc is not None:
            options = "、".join(photos) or "（档案里没有照片）"
            at(
                (*loc, "photo"),
                "EDITION_PHOTO",
                f"{branch.slug} 的档案里没有照片“{choice.photo}”：可选 {options}。",
            )
    if photo is not None and photo.file not in branch.sources:
        photo = None  # the loader already reported the file; the article prints without it
    if choice.figures is None:
        figures = tuple(profile.figures[:LEAD_FIGURES])
    else:
        by_label = {f.label: f for f in profile.figures}
        chosen = []
        for j, label in enumerate(choice.figures):
            figure = by_label.get(label)
            if figure is None:
                if loc is not None:
                    choices = "、".join(by_label) or "（档案里没有关键数字）"
                    hint = did_you_mean(label, by_label, cutoff=hints.LOOSE, otherwise=f"可选：{choices}。")
                    at(
                        (*loc, "figures", j),
                        "EDITION_FIGURE",
                        f"{branch.slug} 的档案里没有关键数字“{label}”：{hint}",
                    )
                continue
            chosen.append(figure)
        figures = tuple(chosen)
    return Article(branch, photo, figures)


def _missing_branch(project: Project, slug: str) -> str:
    if (project.branches_dir / slug / "profile.yml").is_file():
        return f"党组织“{slug}”的档案有错误，暂时不能印刷：先运行 showcase check {project.branches_dir.name}/{slug} 改正。"
    hint = did_you_mean(slug, (b.slug for b in project.branches), otherwise="请核对 branches/ 下的文件夹名。")
    return f"没有网址名为“{slug}”的党组织：{hint}"
