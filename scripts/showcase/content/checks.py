"""Content rules beyond the schema, run by the loader for `showcase check` and the build alike.

The schema (model.py) says what a profile may look like; these rules look at what it says
and at the files around it: personal data in anything published, dates in the future,
negative counts, file names, photos nobody listed, internal links that lead nowhere, and the
shape of the case write-up. Each rule returns Problems with path:line:col.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from showcase import urls
from showcase.content import files, personal_data, yamlstrict
from showcase.content.model import PartialDate, Profile
from showcase.problems import Problem, Severity, line_col

CHINA = dt.timezone(dt.timedelta(hours=8))
CASE_MIN_CHARS = 300  # shorter than this, a case page says too little to be worth a visit
CASE_SECTIONS = ("主要举措", "取得成效")
PHOTO_DIR = "photos"


def today() -> dt.date:
    """Today where the branches are: a date written in Beijing is not in the future."""
    return dt.datetime.now(CHINA).date()


# --- personal data ------------------------------------------------------------------------------

_PD_MESSAGES = {
    "mobile": (
        "PHONE_NUMBER",
        Severity.ERROR,
        "发现手机号 {masked}：公开的网站和报纸不能登载个人手机号，请删除，或改用单位办公电话。",
    ),
    "id": (
        "ID_NUMBER",
        Severity.ERROR,
        "发现身份证号 {masked}：个人身份证号绝不能公开，请删除。",
    ),
    "id_checksum": (
        "ID_NUMBER_LIKE",
        Severity.ERROR,
        "发现一串形如身份证号的 18 位数字 {masked}：校验位虽然不符，也可能是抄错一位的真实号码，"
        "公开的内容里不能有：请删除；如果是别的编号，只保留前后几位（如 {masked}）。",
    ),
    "landline": (
        "LANDLINE",
        Severity.WARNING,
        "发现固定电话 {masked}：如果是个人住宅电话请删除；单位公开的办公电话可以保留。",
    ),
}


PERSONAL_DATA_MESSAGES = _PD_MESSAGES  # also the web editor's pattern messages (showcase.editor)


def personal_data_problems(path: str, text: str) -> list[Problem]:
    """Personal data anywhere in a file that is published (or sits in the public repository:
    a number in a YAML comment is public too, so raw text is scanned, comments included)."""
    out = []
    for f in personal_data.find(text):
        code, severity, message = _PD_MESSAGES[f.kind]
        line, col = line_col(text, f.start)
        out.append(Problem(path, line, col, code, message.format(masked=f.masked), severity))
    return out


# --- placeholders left by `showcase new` ------------------------------------------------------

PLACEHOLDER = "待填写"


def _strings(value: object, loc: yamlstrict.Loc) -> Iterable[tuple[yamlstrict.Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*loc, i))


def placeholder_problems(
    path: str, doc: yamlstrict.Document | None, text: str | None = None
) -> list[Problem]:
    """Text still reading 待填写: in profile values (via `doc`) or anywhere in a Markdown `text`."""
    spots: list[tuple[int, int]] = []
    if doc is not None:
        spots = [
            (p.line, p.col) for loc, v in _strings(doc.data, ()) if PLACEHOLDER in v for p in [doc.pos(loc)]
        ]
    if text is not None:
        spots = [line_col(text, m.start()) for m in re.finditer(PLACEHOLDER, text)]
    message = "这里还是模板里的“待填写”内容，不能发布：请换成本党组织真实的内容后再提交。"
    return [Problem(path, line, col, "PLACEHOLDER", message) for line, col in spots]


# --- values `showcase new` guessed ------------------------------------------------------------

GUESS_MARK = "# 推测："
GUESS_COMMENT = f"{GUESS_MARK}请核对后删掉这条注释"
_GUESSED = re.compile(rf"^[ ]*([A-Za-z_]+)[ ]*:.*?({re.escape(GUESS_MARK)}.*)$", re.M)
_FIELD_TITLES = {"category": "组织类别", "region": "所属区域", "themes": "工作主题"}


def guess_problems(path: str, text: str) -> list[Problem]:
    """Lines `showcase new` marked as guessed from the organisation's name (GUESS_COMMENT):
    a guess nobody confirmed must not be published. Found in the raw text (the mark is a
    comment), so it is reported even when the YAML cannot be read."""
    out = []
    for m in _GUESSED.finditer(text):
        key = m.group(1)
        title = _FIELD_TITLES.get(key, key)
        line, col = line_col(text, m.start(2))
        message = (
            f"{title}（{key}）是 showcase new 根据党组织名称推测的，还没有人核对：请确认这一行填得对"
            f"（不对就改正），然后删掉行尾的注释“{m.group(2).strip()}”。"
        )
        out.append(Problem(path, line, col, "GUESS_UNCONFIRMED", message))
    return out


# --- profile values -------------------------------------------------------------------------


def _dates(profile: Profile) -> Iterable[tuple[yamlstrict.Loc, PartialDate]]:
    yield ("updated",), profile.updated
    for i, fig in enumerate(profile.figures):
        if fig.as_of:
            yield ("figures", i, "as_of"), fig.as_of
    for i, honor in enumerate(profile.honors):
        if honor.date:
            yield ("honors", i, "date"), honor.date
    for i, photo in enumerate(profile.photos):
        if photo.date:
            yield ("photos", i, "date"), photo.date
    for i, source in enumerate(profile.sources):
        if source.date:
            yield ("sources", i, "date"), source.date


def future_date_problems(
    path: str, doc: yamlstrict.Document, dates: Iterable[tuple[yamlstrict.Loc, PartialDate]], now: dt.date
) -> list[Problem]:
    """Dates that have not come yet (a typed 2042 for 2024), at their line."""
    out = []
    for loc, date in dates:
        if date.sort_key > now.isoformat()[: len(date)]:
            pos = doc.pos(loc)
            out.append(
                Problem(
                    path,
                    pos.line,
                    pos.col,
                    "DATE_IN_FUTURE",
                    f"日期“{date}”还没有到（今天是 {now.isoformat()}）：请核对年份和月份。",
                )
            )
    return out


def profile_value_problems(
    path: str, doc: yamlstrict.Document, profile: Profile, now: dt.date
) -> list[Problem]:
    out = future_date_problems(path, doc, _dates(profile), now)
    for i, fig in enumerate(profile.figures):
        if fig.value < 0:
            pos = doc.pos(("figures", i, "value"))
            out.append(
                Problem(
                    path,
                    pos.line,
                    pos.col,
                    "NEGATIVE_VALUE",
                    f"数值 {fig.value} 是负数：人数、场次、件数等不会小于 0，请核对。",
                )
            )
    return out


# --- files in the branch folder --------------------------------------------------------------


def file_problems(folder: Path, rel_dir: str, profile: Profile) -> list[Problem]:
    """NFC file names, and photos on disk that the profile does not list."""
    out: list[Problem] = []
    listed = {files.normalized(rel) for _loc, rel, _is_photo in files.profile_refs(profile)}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_parent = Path(dirpath).relative_to(folder).as_posix()
        for name in sorted(dirnames + filenames):
            rel = name if rel_parent == "." else f"{rel_parent}/{name}"
            if unicodedata.normalize("NFC", name) != name:
                out.append(
                    Problem(
                        f"{rel_dir}/{rel}",
                        1,
                        1,
                        "FILE_NAME_NFC",
                        "文件名的编码方式（Unicode 分解形式，常见于 macOS）会导致网址失效：请重新输入文件名。",
                    )
                )
        if rel_parent.split("/")[0] != PHOTO_DIR:
            continue
        for name in sorted(filenames):
            rel = f"{rel_parent}/{name}"
            if name.startswith(".") or rel in listed:
                continue
            out.append(
                Problem(
                    f"{rel_dir}/{rel}",
                    1,
                    1,
                    "PHOTO_UNLISTED",
                    "这张照片没有写进 profile.yml 的 photos 列表，不会发布：请补上说明和摄影者，或删除文件。",
                    Severity.WARNING,
                )
            )
    return out


# --- case.md ----------------------------------------------------------------------------------

_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_HEADING = re.compile(r"^#{1,3}\s+(.+?)\s*#*\s*$", re.M)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def known_urls(
    branch_slugs: Iterable[str],
    region_keys: Iterable[str],
    categories: Iterable[str],
    themes: Iterable[str],
    pages: Iterable[str],
) -> set[str]:
    """Every site URL a case write-up may link to (site-root relative, like urls.py)."""
    known = set(urls.SECTIONS) | set(urls.FILES) | set(pages)
    known.update(urls.branch(s) for s in branch_slugs)
    known.update(urls.region(k) for k in region_keys)
    known.update(urls.category(c) for c in categories)
    known.update(urls.theme(t) for t in themes)
    return known


def _resolve(target: str, page_url: str) -> str:
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return page_url
    joined = path if path.startswith("/") else posixpath.join("/" + page_url, path)
    norm = posixpath.normpath(joined).lstrip("/")
    if norm in ("", "."):
        return ""
    if norm.endswith("index.html"):
        norm = norm[: -len("index.html")]
    elif norm.endswith(".md"):
        norm = norm[:-3] + "/"
        norm = "" if norm == "index/" else norm.removesuffix("index/")
    elif "." not in norm.rsplit("/", 1)[-1]:
        norm += "/"
    # Page n of a listing: brands/2/ is fine if brands/ is.
    return re.sub(r"(^|/)\d+/$", r"\1", norm) if re.search(r"(^|/)\d+/$", norm) else norm


def case_problems(path: str, text: str, page_url: str, known: set[str] | None) -> list[Problem]:
    """The shape of a case write-up, its links (if `known` site URLs are given; relative ones
    resolved from `page_url`), personal data and placeholders."""
    # Code blocks may quote anything (a Markdown example); blank them but keep offsets.
    scan = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    out = _shape_problems(path, scan)
    if known is not None:
        out.extend(_link_problems(path, text, scan, page_url, known))
    out.extend(personal_data_problems(path, text))
    out.extend(placeholder_problems(path, None, text))
    return sorted(out, key=Problem.sort_key)


def _shape_problems(path: str, scan: str) -> list[Problem]:
    """The two recommended sections, and enough text to be worth a page."""
    out: list[Problem] = []
    headings = {unicodedata.normalize("NFKC", h).strip() for h in _HEADING.findall(scan)}
    for section in CASE_SECTIONS:
        if not any(section in h for h in headings):
            out.append(
                Problem(
                    path,
                    1,
                    1,
                    "CASE_SECTION_MISSING",
                    f"建议加上小标题“## {section}”：读者和印刷版都按“主要举措 / 取得成效”来读案例。",
                    Severity.WARNING,
                )
            )
    visible = len(re.sub(r"\s", "", scan))
    if visible < CASE_MIN_CHARS:
        out.append(
            Problem(
                path,
                1,
                1,
                "CASE_TOO_SHORT",
                f"案例正文只有 {visible} 个字：建议至少写 {CASE_MIN_CHARS} 字，讲清做法和成效。",
                Severity.WARNING,
            )
        )
    return out


def _link_problems(path: str, text: str, scan: str, page_url: str, known: set[str]) -> list[Problem]:
    """Links to anything but web pages, and internal links to pages that do not exist."""
    out: list[Problem] = []
    for m in [*_INLINE_LINK.finditer(scan), *_REF_DEF.finditer(scan)]:
        target = m.group(1)
        line, col = line_col(text, m.start(1))
        # Browsers ignore tabs and entities inside a scheme: java&#x09;script: is javascript:.
        scheme = _SCHEME.match(re.sub(r"[\s\x00-\x1f]", "", html.unescape(target)).lower())
        if scheme and scheme.group() not in ("http:", "https:", "mailto:"):
            out.append(
                Problem(
                    path,
                    line,
                    col,
                    "UNSAFE_LINK",
                    f"链接“{target}”不是网页地址：只能链接 http://、https:// 或 mailto: 开头的地址，以及站内页面。",
                )
            )
        elif not (scheme or target.startswith(("//", "#"))) and _resolve(target, page_url) not in known:
            out.append(
                Problem(
                    path,
                    line,
                    col,
                    "BROKEN_LINK",
                    f"链接“{target}”指向的页面不存在：站内链接请写成 /branches/<文件夹名>/ 这样的网址。",
                )
            )
    return out


def unbuilt_page_problems(path: str, text: str, page_url: str, unbuilt: set[str]) -> list[Problem]:
    """Internal links to a region, category or theme page that is not built because no
    published branch belongs there (empty listings are left out of the site)."""
    if not unbuilt:
        return []
    scan = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    out: list[Problem] = []
    for m in [*_INLINE_LINK.finditer(scan), *_REF_DEF.finditer(scan)]:
        target = m.group(1)
        if _SCHEME.match(target) or target.startswith(("//", "#")):
            continue
        if _resolve(target, page_url) in unbuilt:
            line, col = line_col(text, m.start(1))
            message = (
                f"链接“{target}”指向的分类页面还没有党组织，所以网站上没有这一页：请改为链接到有内容的页面。"
            )
            out.append(Problem(path, line, col, "EMPTY_PAGE_LINK", message))
    return out
