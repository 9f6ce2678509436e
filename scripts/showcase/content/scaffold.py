"""`showcase new`: a new branch folder from the packaged templates (templates/new/).

The folder it writes is well-formed YAML and Markdown but not publishable as it stands:
待填写 placeholders stand where a person has to write, and category, region and theme, when
not given, are guessed from the organisation's full name (回民区光明路街道阳光社区党委 → 社区,
呼和浩特市/回民区/光明路街道) and marked with a trailing comment (GUESS_COMMENT) that the
person removes once they have checked the value. `showcase check` reports both as errors
until then, so nothing unfinished is published.
"""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources
from pathlib import Path

from showcase.content.checks import GUESS_COMMENT, today
from showcase.content.model import SLUG_RE
from showcase.content.taxonomy import Taxonomy
from showcase.problems import ContentError, Problem

TEMPLATE_FILES = ("profile.yml", "case.md")

# Words that name a kind of unit; the one named last in the full name wins (see guess_category).
_CATEGORY_HINTS = (
    ("街道", "街道"),
    ("社区", "社区"),
    ("村", "村"),
    ("乡", "乡镇"),
    ("镇", "乡镇"),
    ("园区", "园区"),
    ("开发区", "园区"),
    ("公司", "企事业单位"),
    ("集团", "企事业单位"),
    ("医院", "企事业单位"),
    ("学校", "企事业单位"),
    ("机关", "机关"),
    ("局", "机关"),
    ("政协", "机关"),
    ("委员会", "机关"),
)


@dataclasses.dataclass(frozen=True)
class NewBranch:
    folder: Path
    category: str
    region: str
    theme: str
    guessed: list[str]  # which of category / region / theme were guessed


def guess_category(name: str, taxonomy: Taxonomy) -> str | None:
    # The unit's own kind is named last: 光明路街道阳光社区党委 is a 社区.
    best: tuple[int, str] | None = None
    for word, category in _CATEGORY_HINTS:
        at = name.rfind(word)
        if at >= 0 and category in taxonomy.category_names and (best is None or at > best[0]):
            best = (at, category)
    return best[1] if best else None


def guess_region(name: str, taxonomy: Taxonomy) -> str | None:
    """The deepest region whose every level that the name mentions matches."""
    scored = []
    for key, region in taxonomy.regions.items():
        mentioned = [r.name for r in region.ancestors() if r.name in name]
        if region.name in name:
            scored.append((len(mentioned), len(region.path), key))
    if not scored:
        return None
    return sorted(scored, key=lambda t: (-t[0], -t[1], t[2]))[0][2]


def _yaml_scalar(value: str) -> str:
    """A plain YAML scalar when safe (most Chinese names), else a double-quoted one."""
    if re.fullmatch(r"[\w/·（）()、\-]+", value) and not re.fullmatch(
        r"(?i)(y|n|yes|no|on|off|true|false|null|~|[-+.\d].*)", value
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def render(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{\{ (\w+) \}\}", lambda m: values[m.group(1)], template)


def create(
    branches_dir: Path,
    taxonomy: Taxonomy,
    slug: str,
    name: str,
    *,
    category: str | None = None,
    region: str | None = None,
    theme: str | None = None,
) -> NewBranch:
    """Write the folder `branches_dir/slug` for the organisation `name`; what is not given
    is guessed from the name. Raises ContentError if an argument cannot be used."""
    name = name.strip()
    problems = _argument_problems(branches_dir, taxonomy, slug, name, category, region, theme)
    if problems:
        raise ContentError(problems)
    guessed = []
    if category is None:
        category = guess_category(name, taxonomy) or taxonomy.category_names[0]
        guessed.append("category")
    if region is None:
        region = guess_region(name, taxonomy) or taxonomy.roots[0].key
        guessed.append("region")
    if theme is None:
        theme = taxonomy.theme_names[0]
        guessed.append("themes")
    values = {
        "slug": slug,
        "name": _yaml_scalar(name),
        "category": _yaml_scalar(category),
        "region": _yaml_scalar(region.strip("/")),
        "theme": _yaml_scalar(theme),
        "today": today().isoformat(),
    }
    for field in ("category", "region", "themes"):  # a guess must be confirmed: see checks.guess_problems
        values[f"{field}_guess"] = f"  {GUESS_COMMENT}" if field in guessed else ""
    folder = branches_dir / slug
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / ".gitkeep").write_text("", "utf-8")  # git keeps no empty folders
    source = resources.files("showcase.content") / "templates" / "new"
    for file in TEMPLATE_FILES:
        (folder / file).write_text(render((source / file).read_text("utf-8"), values), "utf-8")
    return NewBranch(folder, category, region.strip("/"), theme, guessed)


def _argument_problems(
    branches_dir: Path,
    taxonomy: Taxonomy,
    slug: str,
    name: str,
    category: str | None,
    region: str | None,
    theme: str | None,
) -> list[Problem]:
    """What is wrong with the arguments of `showcase new`, all at once."""
    rel = f"{branches_dir.name}/{slug}"
    problems = []
    if not SLUG_RE.fullmatch(slug):
        problems.append(
            Problem(
                rel,
                1,
                1,
                "FOLDER_NAME",
                f"网址名“{slug}”不合规：只能用小写字母、数字和连字符（-），如 yangguang-shequ。",
            )
        )
    elif (branches_dir / slug).exists():
        problems.append(
            Problem(rel, 1, 1, "EXISTS", f"文件夹 {rel} 已经存在：请换一个网址名，或直接编辑它。")
        )
    if not name or len(name) > 60:
        problems.append(
            Problem(
                rel, 1, 1, "NAME", "--name 请写党组织全称（1–60 个字），如“回民区光明路街道阳光社区党委”。"
            )
        )
    if category is not None and category not in taxonomy.category_names:
        options = "、".join(taxonomy.category_names)
        problems.append(
            Problem(rel, 1, 1, "UNKNOWN_CATEGORY", f"类别“{category}”不在词表中：可选 {options}。")
        )
    if region is not None and region.strip("/") not in taxonomy.regions:
        hint = taxonomy.region_hint(region, otherwise="请写区域树中的完整路径。")
        problems.append(Problem(rel, 1, 1, "UNKNOWN_REGION", f"区域“{region}”不在区域树中：{hint}"))
    if theme is not None and theme not in taxonomy.theme_names:
        options = "、".join(taxonomy.theme_names)
        problems.append(Problem(rel, 1, 1, "UNKNOWN_THEME", f"主题“{theme}”不在词表中：可选 {options}。"))
    return problems
