"""One branch folder (profile.yml, case.md, photos, updates) checked and loaded as a `Branch`.

A branch with errors is not loaded, and its problems say why. One bad photo or update is
the exception: it is reported and left out, and the branch still publishes, so readers do
not lose a whole branch to one bad upload (it still fails `check` and a strict build).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from showcase import hints, urls
from showcase.content import (
    checks,
    consent,
    copies,
    files,
    partial,
    punctuation,
    recover,
    updates,
    yamlstrict,
)
from showcase.content.files import rel_path
from showcase.content.model import SLUG_RE, Photo, Profile
from showcase.content.taxonomy import Region, Taxonomy
from showcase.content.text import read_markdown
from showcase.content.updates import LoadedUpdate
from showcase.hints import did_you_mean
from showcase.media.images import SourceInfo
from showcase.media.renditions import SourceIndex
from showcase.problems import ContentError, Problem, Severity, errors_in

PROFILE = "profile.yml"
CASE = "case.md"
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

    def photo_refs(self) -> Iterator[tuple[Photo, yamlstrict.Document, yamlstrict.Loc]]:
        """Every photo the branch publishes, with the document (profile or update) and place
        that name it: the profile's, then its updates' (a file named twice is one photo)."""
        for photo, i in zip(self.profile.photos, consent.places(self.doc, self.profile.photos), strict=True):
            yield photo, self.doc, ("photos", i, "file")
        for update in self.updates:
            photos = update.meta.photos
            for photo, i in zip(photos, consent.places(update.doc, photos), strict=True):
                yield photo, update.doc, ("photos", i, "file")

    @property
    def profile_path(self) -> str:
        return f"{self.rel_dir}/{PROFILE}"

    @property
    def case_path(self) -> str:
        return f"{self.rel_dir}/{CASE}"

    def file(self, rel: str) -> Path:
        """Absolute path of a file the profile names (already checked to stay inside)."""
        return self.dir / rel


def load_branch(
    root: Path,
    folder: Path,
    taxonomy: Taxonomy,
    *,
    known: set[str] | None = None,
    now: dt.date | None = None,
    index: SourceIndex | None = None,
    texts: list[copies.Texts] | None = None,
) -> tuple[list[Problem], Branch | None]:
    """Load one branch folder. Returns its problems and the branch, or None if it has errors.

    Every problem that can be found is reported in one run: case.md is checked whatever the
    state of the profile, and a profile with syntax or schema errors is checked as far as it
    can be read (recover.py, partial.py). `known` is the set of site URLs internal links may
    point to (None: links not checked); `index` remembers photo inspections between runs; the
    texts that must be the branch's own are added to `texts` (compared across branches by
    the caller, see copies.py)."""
    rel_dir = rel_path(root, folder)
    today = now or checks.today()
    problems = _folder_name_problems(rel_dir, folder.name)
    own = copies.Texts(rel_dir)
    if texts is not None:
        texts.append(own)
    read = _read_profile(folder / PROFILE, f"{rel_dir}/{PROFILE}", taxonomy, folder.name, problems)
    raw_case, case_md = _read_case(
        folder / CASE, f"{rel_dir}/{CASE}", urls.branch(folder.name), known, problems
    )
    own.items.extend(copies.case_texts(f"{rel_dir}/{CASE}", case_md))
    if read is None:
        return problems, None
    raw_profile, doc, valid = read
    own.items.extend(copies.profile_texts(doc))
    profile = valid.profile
    if profile is None:
        return problems, None
    problems.extend(_profile_problems(doc, profile, taxonomy, folder.name, today))
    region = taxonomy.regions.get(profile.region.strip("/"))

    index = index or SourceIndex(None)
    refs = [ref for ref in files.profile_refs(profile) if ref[0][:2] not in valid.stand_ins]
    found = files.inspect_refs(folder, refs, doc, index, rel_dir)
    problems.extend(found.path_problems)
    # Updates (简讯): a broken one is reported and left out, like a broken photo.
    news = updates.load_folder(folder, rel_dir, now=today, known=known, index=index)
    digest = _digest(raw_profile, found.sources, raw_case, news.digest)
    found.sources.update(news.sources)
    problems.extend(_file_problems(folder, rel_dir, profile, news.photo_files))
    # A problem with one photo or update leaves just that out (see the module's docstring).
    fatal = errors_in(problems)
    problems += found.photo_problems + news.problems
    if fatal or region is None or not valid.complete:
        return problems, None
    published, withheld = consent.withhold(profile.photos, doc)
    problems += withheld
    if withheld:
        profile = profile.model_copy(update={"photos": published})
    return problems, Branch(
        profile=profile,
        dir=folder,
        rel_dir=rel_dir,
        region=region,
        case_md=case_md,
        doc=doc,
        digest=digest,
        sources=found.sources,
        updates=news.updates,
    )


def _digest(raw_profile: bytes, sources: dict[str, SourceInfo], raw_case: bytes | None, news: str) -> str:
    """What a branch's pages are made from: the profile, the files it names, case.md, updates."""
    source_hash = hashlib.sha256(raw_profile)
    for rel, info in sorted(sources.items()):
        source_hash.update(f"\0file\0{rel}\0{info.sha256}".encode())
    if raw_case is not None:
        source_hash.update(b"\0case\0" + raw_case)
    source_hash.update(f"\0updates\0{news}".encode())
    return source_hash.hexdigest()


def _folder_name_problems(rel_dir: str, name: str) -> list[Problem]:
    if unicodedata.normalize("NFC", name) == name and SLUG_RE.fullmatch(name):
        return []
    return [
        Problem(
            rel_dir,
            1,
            1,
            "FOLDER_NAME",
            f"文件夹名“{name}”不合规：只能用小写字母、数字和连字符（-），如 yangguang-shequ。",
        )
    ]


def _read_profile(
    file: Path, rel_profile: str, taxonomy: Taxonomy, folder_name: str, problems: list[Problem]
) -> tuple[bytes, yamlstrict.Document, partial.Validated] | None:
    """The profile's bytes, parsed document and (complete or partial) model; None if nothing
    of it can be read. Every problem found on the way is added to `problems`: those of the
    raw text (personal data, unconfirmed guesses), all syntax errors, placeholders, and every
    schema error."""
    if file.is_symlink() or not file.is_file():
        problems.append(files.not_a_file_problem(file, rel_profile) or _missing_profile(file, rel_profile))
        return None
    raw = file.read_bytes()
    try:
        read = recover.load(rel_profile, raw)
    except ContentError as e:  # too large, not UTF-8: nothing can be read
        problems.extend(e.problems)
        return None
    text = raw.decode("utf-8-sig")
    problems.extend(checks.personal_data_problems(rel_profile, text))
    problems.extend(checks.guess_problems(rel_profile, text))
    problems.extend(read.problems)
    doc = read.doc
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        if not read.problems:
            problems.append(Problem(rel_profile, 1, 1, "TYPE", "档案应为一组“键: 值”，请对照示例填写。"))
        return None
    problems.extend(checks.placeholder_problems(rel_profile, doc))
    valid = partial.validate(doc, taxonomy, folder_name, read.broken, read.broken_items)
    problems.extend(valid.problems)
    return raw, doc, valid


def _missing_profile(file: Path, rel_profile: str) -> Problem:
    """No profile.yml: name a misnamed one if there is one (a liaison who saved profile.yaml
    needs to rename it, not to start over); `showcase new` cannot help, the folder exists."""
    found = files.similar_names(file.parent, PROFILE)
    if not found:
        message = "缺少档案文件 profile.yml：请从其他党组织的文件夹复制一份 profile.yml 来改写（showcase new 只能新建文件夹）。"
        return Problem(rel_profile, 1, 1, "NO_PROFILE", message)
    name, others = found[0], "、".join(f"“{n}”" for n in found[1:])
    message = f"档案文件必须命名为 profile.yml，这里是“{name}”：请把它改名为 profile.yml。"
    if others:
        message += f"文件夹里还有 {others}，只保留一个档案文件。"
    return Problem(f"{rel_profile.rsplit('/', 1)[0]}/{name}", 1, 1, "PROFILE_NAME", message)


def _profile_problems(
    doc: yamlstrict.Document, profile: Profile, taxonomy: Taxonomy, folder_name: str, today: dt.date
) -> list[Problem]:
    """What the schema cannot judge: dates and counts, words against taxonomy.yml."""
    return [
        *checks.profile_value_problems(doc.path, doc, profile, today),
        *_vocabulary_problems(doc, profile, taxonomy, folder_name),
        *taxonomy.label_fit_problems(doc, profile),
    ]


def _vocabulary_problems(
    doc: yamlstrict.Document, profile: Profile, taxonomy: Taxonomy, folder_name: str
) -> list[Problem]:
    """The slug against the folder; category, themes, metrics and region against taxonomy.yml."""
    out: list[Problem] = []
    if profile.slug != folder_name:
        out.append(
            doc.problem(
                ("slug",), "SLUG_MISMATCH", f"slug“{profile.slug}”必须与文件夹名“{folder_name}”相同。"
            )
        )
    if profile.category not in taxonomy.category_names:
        message = _vocab_message("类别", profile.category, taxonomy.category_names)
        out.append(doc.problem(("category",), "UNKNOWN_CATEGORY", message))
    seen_themes: set[str] = set()
    for i, theme in enumerate(profile.themes):
        joined = punctuation.joined_items(theme) if theme not in taxonomy.theme_names else None
        if joined is not None:  # [乡村振兴，集体经济]: one item to YAML, two themes to the writer
            message = punctuation.joined_items_message("主题", theme, *joined)
            out.append(doc.problem(("themes", i), "THEMES_FULLWIDTH", message))
        elif theme not in taxonomy.theme_names:
            message = _vocab_message("主题", theme, taxonomy.theme_names)
            out.append(doc.problem(("themes", i), "UNKNOWN_THEME", message))
        elif theme in seen_themes:
            message = f"主题“{theme}”重复填写了。"
            out.append(doc.problem(("themes", i), "DUPLICATE_THEME", message, Severity.WARNING))
        seen_themes.add(theme)
    for i, figure in enumerate(profile.figures):
        if figure.metric is None:
            continue
        metric = taxonomy.metric(figure.metric)
        if metric is None:
            message = _vocab_message("汇总指标", figure.metric, taxonomy.metric_names)
            out.append(doc.problem(("figures", i, "metric"), "UNKNOWN_METRIC", message))
        elif figure.unit and figure.unit != metric.unit:
            message = f"指标“{metric.name}”按“{metric.unit}”汇总，这里的单位是“{figure.unit}”：请换算成{metric.unit}，或去掉 metric（只展示、不汇总）。"
            out.append(doc.problem(("figures", i, "unit"), "METRIC_UNIT", message))
    if profile.region.strip("/") not in taxonomy.regions:
        hint = taxonomy.region_hint(profile.region, otherwise="请从区域树中选择完整路径，用 / 分隔。")
        message = f"区域“{profile.region}”不在 taxonomy.yml 的区域树中：{hint}"
        out.append(doc.problem(("region",), "UNKNOWN_REGION", message))
    return out


def _vocab_message(kind: str, value: str, options: list[str]) -> str:
    if not options:
        return (
            f"{kind}“{value}”不在 taxonomy.yml 的词表中：词表里还没有任何{kind}，请先在 taxonomy.yml 中添加。"
        )
    hint = did_you_mean(value, options, cutoff=hints.LOOSE, otherwise=f"可选：{'、'.join(options)}。")
    return f"{kind}“{value}”不在 taxonomy.yml 的词表中：{hint}"


def _read_case(
    file: Path, rel_case: str, page_url: str, known: set[str] | None, problems: list[Problem]
) -> tuple[bytes | None, str]:
    """case.md's bytes (None if there is no file to read) and text ("" if it cannot be used);
    what is wrong with it goes to `problems`. Links are resolved from the branch's `page_url`."""
    unusable = files.not_a_file_problem(file, rel_case)
    if unusable is not None:
        problems.append(unusable)
        return None, ""
    if not file.is_file():
        problems.append(
            Problem(rel_case, 1, 1, "NO_CASE", "缺少案例文件 case.md：页面将没有案例正文。", Severity.WARNING)
        )
        return None, ""
    raw = file.read_bytes()
    if len(raw) > MAX_CASE_BYTES:
        message = f"case.md 超过 {MAX_CASE_BYTES // 1024} KB：请精简内容。"
        problems.append(Problem(rel_case, 1, 1, "FILE_TOO_LARGE", message))
        return raw, ""
    try:
        text = read_markdown(rel_case, raw)
    except ContentError as e:
        problems.extend(e.problems)
        return raw, ""
    text = _without_front_matter(rel_case, text, file.parent.name, problems)
    problems.extend(checks.case_problems(rel_case, text, page_url, known))
    return raw, text


def _without_front_matter(rel_case: str, text: str, folder_name: str, problems: list[Problem]) -> str:
    """case.md with its front matter, if any, blanked (lines kept, so every later problem
    points at the right line). The web editor needs one to create a case: only
    `slug: <folder name>` may stand between the two `---` lines; anything else goes to
    `problems`. A first `---` with no second one is Markdown (a rule), as before."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        return text
    blanked = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    # A leading empty line stands for the opening `---`: YAML lines are the file's lines.
    front = "\n" + "\n".join(lines[1:end]) + "\n"
    try:
        doc = yamlstrict.load(rel_case, front.encode()) if front.strip() else None
    except ContentError as e:
        problems.extend(e.problems)
        return blanked
    if doc is None or not isinstance(doc.data, dict) or "slug" not in doc.data:
        message = (
            f"case.md 开头两行“---”之间只能写一行 slug: {folder_name}（网页编辑用）；"
            "如果第一行的“---”是分隔线，请删掉它。"
        )
        problems.append(Problem(rel_case, 1, 1, "CASE_FRONT_MATTER", message))
        return blanked
    for key in doc.data:
        if key != "slug":
            pos = doc.key_pos((key,))
            message = f"case.md 开头的文件头只能写 slug（网址名），不能写“{key}”：其他内容请写进正文。"
            problems.append(Problem(rel_case, pos.line, pos.col, "CASE_FRONT_MATTER", message))
    if doc.data["slug"] != folder_name:
        message = f"slug“{doc.data['slug']}”必须与文件夹名“{folder_name}”相同。"
        problems.append(doc.problem(("slug",), "SLUG_MISMATCH", message))
    return blanked


def _file_problems(folder: Path, rel_dir: str, profile: Profile, update_photos: set[str]) -> list[Problem]:
    """File names and unlisted photos; a photo an update lists (`update_photos`) is not unlisted."""
    named = {f"{rel_dir}/{f}" for f in update_photos}
    return [
        p
        for p in checks.file_problems(folder, rel_dir, profile)
        if not (p.code == "PHOTO_UNLISTED" and p.path in named)
    ]
