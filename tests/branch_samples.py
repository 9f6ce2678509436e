"""A small valid branch for scratch projects: its profile, its case write-up, a real JPEG.

Tests of loading, checks, the CLI and updates build their projects from these, so only the
thing under test is wrong.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from conftest import ROOT

SLUG = "huayuan-shequ"
PROFILE_PATH = f"branches/{SLUG}/profile.yml"

# Line numbers used below: 3 category, 4 region, 6 brand.name, 8 themes, 10 photos[0].file, 13 updated.
PROFILE = """\
slug: {slug}
name: 清水河县城关镇花园社区党总支
category: 社区
region: 呼和浩特市/清水河县/城关镇
brand:
  name: 党建·家
summary: 花园社区党总支把“党建·家”理念融入社区治理。
themes: [基层治理, 网格化管理]
photos:
  - file: photos/tiaojie.jpg
    caption: 社区调解中心里，工作人员倾听居民诉求
    credit: 示意图
updated: 2024-10-25
"""
CASE = (
    "## 主要举措\n\n"
    + "社区党总支牵头组建联合大党委，把驻区单位、物业和居民代表请到一张桌子上商量事。" * 5
    + "\n\n## 取得成效\n\n"
    + "居民反映的停车难、加装电梯等问题逐一得到回应，调解中心化解了多起邻里纠纷。" * 5
    + "\n"
)


def jpeg(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (800, 600), (180, 30, 30)).save(path, "JPEG")
    return path


def add_branch(
    root: Path,
    folder: str = SLUG,
    profile: str | None = None,
    *,
    slug: str | None = None,
    case: str | bytes | None = CASE,
    photo: bool = True,
) -> Path:
    """A branch folder with profile.yml, case.md and photos/tiaojie.jpg (the last two optional).
    A folder other than SLUG gets its own brand and case paragraphs (the sample's, with the
    folder's name woven in): text copied from another branch is an error (copies.py)."""
    d = root / "branches" / folder
    (d / "photos").mkdir(parents=True)
    text = profile if profile is not None else PROFILE.format(slug=slug or folder)
    if folder != SLUG:
        text = text.replace("党建·家", f"党建·家·{folder[:16]}")
        if isinstance(case, str):
            case = case.replace("社区党总支牵头", f"{folder}社区党总支牵头", 1).replace(
                "居民反映", f"{folder}居民反映", 1
            )
    (d / "profile.yml").write_text(text, "utf-8")
    if isinstance(case, str):
        (d / "case.md").write_text(case, "utf-8")
    elif isinstance(case, bytes):
        (d / "case.md").write_bytes(case)
    if photo:
        jpeg(d / "photos" / "tiaojie.jpg")
    return d


def profile_with(old: str, new: str, slug: str = SLUG) -> str:
    text = PROFILE.format(slug=slug)
    assert text.count(old) == 1, old
    return text.replace(old, new)


__all__ = [
    "CASE",
    "PROFILE",
    "PROFILE_PATH",
    "ROOT",
    "SLUG",
    "add_branch",
    "empty_project",
    "jpeg",
    "profile_with",
]


def empty_project(tmp_path: Path) -> Path:
    """A project folder with the sample's taxonomy.yml and no branch yet."""
    (tmp_path / "branches").mkdir()
    (tmp_path / "branches" / "taxonomy.yml").write_bytes((ROOT / "branches" / "taxonomy.yml").read_bytes())
    return tmp_path
