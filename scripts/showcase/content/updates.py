"""Updates (简讯): dated short news in `branches/<slug>/updates/*.md`.

Each file is YAML front matter between two `---` lines (date, title, optional photos, the
`model.Update` schema) followed by a Markdown body. The front matter is parsed by the strict
YAML loader and validated by pydantic like a profile; the whole file gets the same checks as
case.md (UTF-8, unsafe characters, size cap, personal data, placeholders, links). Errors point
at `path:line:col` of the Markdown file itself.

One broken update is reported and left out; the branch and its other updates still publish.
This module reads and checks, inspecting photos the way a profile's are (`files.py`); the
branch loader (`branch.py`) folds the folder's digest into the branch's, and
`site/timeline.py` turns loaded updates into what the pages and the feed show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
import stat
from pathlib import Path

from showcase import urls
from showcase.content import checks, consent, files, yamlstrict
from showcase.content.model import Update
from showcase.content.schema_errors import validated
from showcase.content.text import read_markdown
from showcase.media.images import SourceInfo
from showcase.media.renditions import SourceIndex
from showcase.problems import ContentError, Problem, Severity, errors_in

UPDATES_DIR = "updates"
MAX_UPDATE_BYTES = 64 * 1024  # a short news item; a long report belongs in case.md
MAX_UPDATES = 500  # per branch: beyond this the folder is an archive, not news
# The file name (without .md) becomes the anchor #update-<stem> on the branch page: keep it
# to what is safe in a URL fragment and stable when files move between systems.
STEM_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
_FENCE_LINE = re.compile(r"^---[ \t]*$")
_END_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_LINK_CODES = ("UNSAFE_LINK", "BROKEN_LINK")


@dataclasses.dataclass(eq=False)
class LoadedUpdate:
    """One valid update of a branch."""

    stem: str  # file name without .md; the anchor on the branch page is update-<stem>
    path: str  # relative to the project root, e.g. branches/youhao-cun/updates/2024-10-18-baolei.md
    meta: Update
    body: str  # Markdown, front matter removed
    doc: yamlstrict.Document  # the front matter; positions are lines of the whole file

    @property
    def anchor(self) -> str:
        return anchor(self.stem)


def anchor(stem: str) -> str:
    return f"update-{stem}"


@dataclasses.dataclass
class FolderResult:
    """What `load_folder` found in one branch's updates/ folder."""

    updates: list[LoadedUpdate] = dataclasses.field(default_factory=list)  # newest first
    problems: list[Problem] = dataclasses.field(default_factory=list)
    sources: dict[str, SourceInfo] = dataclasses.field(default_factory=dict)  # photo path → inspection
    photo_files: set[str] = dataclasses.field(default_factory=set)  # every photo path an update names
    digest: str = ""  # of every file in updates/ (valid or not) and the photos updates name


def newest_first(updates: list[LoadedUpdate]) -> list[LoadedUpdate]:
    """Date descending; on the same date, by file name (deterministic, not filesystem order)."""
    return sorted(sorted(updates, key=lambda u: u.stem), key=lambda u: u.meta.date.sort_key, reverse=True)


def load_folder(
    folder: Path,
    rel_dir: str,
    *,
    now: dt.date,
    known: set[str] | None,
    index: SourceIndex,
) -> FolderResult:
    """Load `folder/updates/*.md` of the branch at `rel_dir` (relative to the project root);
    the photos they name are inspected through `index`."""
    return _FolderReader(folder, rel_dir, now, known, index).read()


class _FolderReader:
    """One pass over a branch's updates/ folder, filling one FolderResult."""

    def __init__(
        self, folder: Path, rel_dir: str, now: dt.date, known: set[str] | None, index: SourceIndex
    ) -> None:
        self.folder, self.now, self.known, self.index = folder, now, known, index
        self.rel_dir = rel_dir
        self.base = folder / UPDATES_DIR
        self.rel_base = f"{rel_dir}/{UPDATES_DIR}"
        self.out = FolderResult()
        self.hash = hashlib.sha256()

    def read(self) -> FolderResult:
        out = self.out
        if self.base.is_symlink():
            out.problems.append(files.symlink_problem(self.rel_base, " updates 文件夹"))
            return out
        if not self.base.is_dir():
            return out
        markdown, others = self._scan()
        found = [u for name, rel, st in markdown if (u := self._update(name, rel, st)) is not None]
        self._unused(others)
        out.updates = newest_first(found)
        out.digest = self.hash.hexdigest()
        out.problems.sort(key=Problem.sort_key)
        return out

    def _scan(self) -> tuple[list[tuple[str, str, os.stat_result]], list[str]]:
        """The Markdown files (name, path, stat), at most MAX_UPDATES, and the other files' names."""
        markdown = []
        others: list[str] = []
        for entry in sorted(os.scandir(self.base), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            rel = f"{self.rel_base}/{entry.name}"
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                self.out.problems.append(files.symlink_problem(rel, "文件"))
            elif stat.S_ISREG(st.st_mode) and entry.name.endswith(".md"):
                markdown.append((entry.name, rel, st))
            elif stat.S_ISREG(st.st_mode):
                others.append(entry.name)
        if len(markdown) > MAX_UPDATES:
            self.out.problems.append(
                Problem(
                    self.rel_base,
                    1,
                    1,
                    "TOO_MANY_UPDATES",
                    f"updates 文件夹里有 {len(markdown)} 条动态，超过上限 {MAX_UPDATES} 条：只发布最新的 {MAX_UPDATES} 条，请把旧动态移出仓库存档。",
                    Severity.WARNING,
                )
            )
            # File names start with the date by convention; keep the newest names.
            markdown = markdown[-MAX_UPDATES:]
        return markdown, others

    def _update(self, name: str, rel: str, st: os.stat_result) -> LoadedUpdate | None:
        """One update file, or None if it is left out (its problems say why)."""
        if st.st_size > MAX_UPDATE_BYTES:
            self.hash.update(f"\0{name}\0size\0{st.st_size}".encode())  # left out whatever it says
            self.out.problems.append(_too_large(rel))
            return None
        raw = (self.base / name).read_bytes()
        self.hash.update(f"\0{name}\0".encode() + hashlib.sha256(raw).digest())
        problems, update = parse(
            rel,
            name.removesuffix(".md"),
            raw,
            now=self.now,
            page_url=urls.branch(self.folder.name),
            known=self.known,
        )
        if update is not None and update.meta.photos:
            update = self._photos(update, problems)
        self.out.problems.extend(problems)
        return update

    def _photos(self, update: LoadedUpdate, problems: list[Problem]) -> LoadedUpdate | None:
        """Inspect the photos `update` names, like a profile's; None if one leaves the folder."""
        self.out.photo_files.update(files.normalized(p.file) for p in update.meta.photos)
        found = files.inspect_refs(
            self.folder, files.photo_refs(update.meta.photos), update.doc, self.index, self.rel_dir
        )
        problems += found.path_problems
        if errors_in(found.path_problems):  # a path leaving the folder, a symlink: the update is left out
            return None
        problems += found.photo_problems  # a missing or broken photo: just that photo is left out
        self.out.sources.update(found.sources)
        for file, info in sorted(found.sources.items()):
            self.hash.update(f"\0photo\0{file}\0{info.sha256}".encode())
        published, withheld = consent.withhold(update.meta.photos, update.doc)
        if not withheld:
            return update
        problems += withheld
        return dataclasses.replace(update, meta=update.meta.model_copy(update={"photos": published}))

    def _unused(self, others: list[str]) -> None:
        """Files in updates/ that are neither an update nor a photo an update names."""
        referenced = {f.split("/", 1)[1] for f in self.out.photo_files if f.startswith(UPDATES_DIR + "/")}
        for name in others:
            if name in referenced:
                continue
            is_image = name.lower().endswith(IMAGE_SUFFIXES)
            self.out.problems.append(
                Problem(
                    f"{self.rel_base}/{name}",
                    1,
                    1,
                    "UPDATE_FILE_UNUSED",
                    "这张照片没有写进任何一条动态的 photos，不会发布：请在动态的文件头里登记，或删除文件。"
                    if is_image
                    else "updates 文件夹里只放动态（.md 文件）和动态的照片：这个文件不会发布。",
                    Severity.WARNING,
                )
            )


def _too_large(path: str) -> Problem:
    return Problem(
        path,
        1,
        1,
        "FILE_TOO_LARGE",
        f"动态文件超过 {MAX_UPDATE_BYTES // 1024} KB：简讯只写几段话，长文请写进 case.md。",
    )


def parse(
    path: str,
    stem: str,
    raw: bytes,
    *,
    now: dt.date,
    page_url: str,
    known: set[str] | None,
) -> tuple[list[Problem], LoadedUpdate | None]:
    """Check one update file. Returns its problems and the update, or None if it has errors."""
    problems: list[Problem] = []
    if not STEM_RE.fullmatch(stem):
        problems.append(
            Problem(
                path,
                1,
                1,
                "UPDATE_FILE_NAME",
                f"文件名“{stem}.md”不合规：只能用小写字母、数字和连字符（-），建议以日期开头，如 2024-10-18-huojiang.md。",
            )
        )
    if len(raw) > MAX_UPDATE_BYTES:
        return [*problems, _too_large(path)], None
    try:
        text = read_markdown(path, raw)
    except ContentError as e:
        return problems + e.problems, None
    split = _split(path, text)
    if isinstance(split, Problem):
        return [*problems, split], None
    front, body_start = split
    # Personal data and placeholders anywhere in the file, front matter and comments included.
    problems.extend(checks.personal_data_problems(path, text))
    problems.extend(checks.placeholder_problems(path, None, text))
    try:
        # A leading empty line stands for the opening `---`: YAML lines are the file's lines.
        doc = yamlstrict.load(path, ("\n" + front).encode())
    except ContentError as e:
        return problems + e.problems, None
    if not isinstance(doc.data, dict):
        return [
            *problems,
            Problem(path, 2, 1, "TYPE", "文件头应为几行“键: 值”，如 date: 2024-10-18 和 title: 标题。"),
        ], None
    try:
        meta = validated(doc, Update)
    except ContentError as e:
        return problems + e.problems, None
    dates = [(("date",), meta.date)] + [
        (("photos", i, "date"), p.date) for i, p in enumerate(meta.photos) if p.date
    ]
    problems.extend(checks.future_date_problems(path, doc, dates, now))
    # Links are checked in the body only; the front matter is blanked, offsets kept.
    blanked = re.sub(r"[^\n]", " ", text[:body_start]) + text[body_start:]
    problems.extend(p for p in checks.case_problems(path, blanked, page_url, known) if p.code in _LINK_CODES)
    problems.sort(key=Problem.sort_key)
    if errors_in(problems):
        return problems, None
    return problems, LoadedUpdate(stem=stem, path=path, meta=meta, body=text[body_start:], doc=doc)


def read_front_matter(path: str, raw: bytes) -> yamlstrict.Document:
    """Just the front matter of an update file, strictly parsed (for tools such as
    `showcase sample-photos`); raises ContentError if there is none or it is not YAML."""
    split = _split(path, read_markdown(path, raw))
    if isinstance(split, Problem):
        raise ContentError([split])
    return yamlstrict.load(path, ("\n" + split[0]).encode())


def _split(path: str, text: str) -> tuple[str, int] | Problem:
    """The front matter's text and the offset where the body starts, or why there is none."""
    lines = text.split("\n")
    if not lines or not _FENCE_LINE.match(lines[0]):
        return Problem(
            path,
            1,
            1,
            "FRONT_MATTER",
            "动态文件要以一行“---”开头，接着写 date（日期）和 title（标题），再用一行“---”结束，然后是正文。",
        )
    for i in range(1, len(lines)):
        if _END_LINE.match(lines[i]):
            front = "\n".join(lines[1:i]) + "\n"
            if not front.strip():
                return Problem(
                    path,
                    1,
                    1,
                    "MISSING",
                    "文件头是空的：请在两行“---”之间写上 date（日期）和 title（标题）。",
                )
            body_start = sum(len(line) + 1 for line in lines[: i + 1])
            return front, min(body_start, len(text))
    return Problem(
        path,
        1,
        1,
        "FRONT_MATTER",
        "文件头没有结束：请在 date、title 等各项之后加一行“---”，再写正文。",
    )
