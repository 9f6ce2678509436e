"""Text copied from another branch (issue 23): brand name, slogan, summary and case.md
paragraphs the same as another branch's are errors at both places, each naming the other."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from branch_samples import CASE, PROFILE, PROFILE_PATH, SLUG, add_branch
from showcase.content import copies
from showcase.content.load import load_project

TODAY = dt.date(2026, 11, 21)
OTHER = "other-shequ"
OTHER_PROFILE = f"branches/{OTHER}/profile.yml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    from branch_samples import empty_project

    return empty_project(tmp_path)


def write_other(root: Path, profile: str, case: str) -> None:
    """A second branch whose files are written as given (add_branch would make them its own)."""
    folder = add_branch(root, OTHER, photo=False, case=None)
    (folder / "profile.yml").write_text(profile.replace(f"slug: {SLUG}", f"slug: {OTHER}"), "utf-8")
    (folder / "case.md").write_text(case, "utf-8")
    (folder / "photos").rmdir()


OWN_CASE = (
    "## 主要举措\n\n"
    + "另一个社区的党支部组织在职党员到社区报到，认领服务岗位，参与小区的环境整治。" * 5
    + "\n\n## 取得成效\n\n"
    + "小区的环境明显改善，居民参与社区事务的积极性越来越高，邻里关系更加和睦。" * 5
    + "\n"
)
OWN_PROFILE = f"""\
slug: {SLUG}
name: 清水河县城关镇另一社区党支部
category: 社区
region: 呼和浩特市/清水河县/城关镇
brand:
  name: 邻里同心
summary: 另一个社区以“邻里同心”带动居民共建家园。
themes: [基层治理]
updated: 2024-10-25
"""


def test_own_texts_pass(root: Path) -> None:
    add_branch(root)
    write_other(root, OWN_PROFILE, OWN_CASE)
    project = load_project(root, now=TODAY)
    assert [p.format() for p in project.problems] == []
    assert [b.slug for b in project.branches] == [SLUG, OTHER]


def test_copied_brand_is_an_error_at_both_places(root: Path) -> None:
    add_branch(root)
    write_other(root, OWN_PROFILE.replace("name: 邻里同心", "name: 党建 · 家"), OWN_CASE)  # spaces folded
    project = load_project(root, now=TODAY)
    assert [p.format() for p in project.problems] == [
        f"{PROFILE_PATH}:6:9: COPIED_TEXT 品牌名称“党建·家”与 {OTHER_PROFILE} 第6行的品牌名称相同："
        "看起来是从别的党组织复制来的，请改成本党组织自己的品牌名称。",
        f"{OTHER_PROFILE}:6:9: COPIED_TEXT 品牌名称“党建 · 家”与 {PROFILE_PATH} 第6行的品牌名称相同："
        "看起来是从别的党组织复制来的，请改成本党组织自己的品牌名称。",
    ]
    assert project.branches == []  # neither is published until one of them is changed


def test_copied_summary_and_slogan_with_fullwidth_letters(root: Path) -> None:
    mine = PROFILE.format(slug=SLUG).replace("  name: 党建·家", "  name: 党建·家\n  slogan: 一核引领 ABC")
    add_branch(root, profile=mine)
    theirs = OWN_PROFILE.replace("  name: 邻里同心", "  name: 邻里同心\n  slogan: 一核引领　ＡＢＣ").replace(
        "另一个社区以“邻里同心”带动居民共建家园。", "花园社区党总支把“党建·家”理念融入社区治理。"
    )
    write_other(root, theirs, OWN_CASE)
    found = [p.format() for p in load_project(root, now=TODAY).problems]
    assert found == [
        f"{PROFILE_PATH}:7:11: COPIED_TEXT 品牌口号“一核引领 ABC”与 {OTHER_PROFILE} 第7行的品牌口号相同："
        "看起来是从别的党组织复制来的，请改成本党组织自己的品牌口号。",
        f"{PROFILE_PATH}:8:10: COPIED_TEXT 简介“花园社区党总支把“党建·家”理念融入社区治理。”与 {OTHER_PROFILE} 第8行的简介相同："
        "看起来是从别的党组织复制来的，请改成本党组织自己的简介。",
        f"{OTHER_PROFILE}:7:11: COPIED_TEXT 品牌口号“一核引领　ＡＢＣ”与 {PROFILE_PATH} 第7行的品牌口号相同："
        "看起来是从别的党组织复制来的，请改成本党组织自己的品牌口号。",
        f"{OTHER_PROFILE}:8:10: COPIED_TEXT 简介“花园社区党总支把“党建·家”理念融入社区治理。”与 {PROFILE_PATH} 第8行的简介相同："
        "看起来是从别的党组织复制来的，请改成本党组织自己的简介。",
    ]


def test_copied_case_paragraph_names_both_places(root: Path) -> None:
    add_branch(root)
    copied = CASE.split("\n\n")[1]  # the first paragraph of 主要举措
    write_other(root, OWN_PROFILE, OWN_CASE.replace("## 取得成效\n\n", f"## 取得成效\n\n{copied}\n\n"))
    found = [p.format() for p in load_project(root, now=TODAY).problems]
    message = "的段落相同：案例要写本党组织自己的做法和成效，请用自己的话重写这一段，或删去它。"
    assert found == [
        f"branches/{SLUG}/case.md:3:1: COPIED_TEXT 这一段与 branches/{OTHER}/case.md 第7行{message}",
        f"branches/{OTHER}/case.md:7:1: COPIED_TEXT 这一段与 branches/{SLUG}/case.md 第3行{message}",
    ]


def test_three_copies_say_how_many_more(root: Path) -> None:
    add_branch(root)
    write_other(root, OWN_PROFILE.replace("name: 邻里同心", "name: 党建·家"), OWN_CASE)
    third = add_branch(root, "third-shequ", photo=False, case=None)
    (third / "profile.yml").write_text(
        OWN_PROFILE.replace("name: 邻里同心", "name: 党建·家")
        .replace(f"slug: {SLUG}", "slug: third-shequ")
        .replace("另一个社区以", "第三个社区以"),
        "utf-8",
    )
    found = [p.message for p in load_project(root, now=TODAY).problems if p.path == PROFILE_PATH]
    assert found == [
        f"品牌名称“党建·家”与 {OTHER_PROFILE} 第6行的品牌名称相同（另有 1 处相同）："
        "看起来是从别的党组织复制来的，请改成本党组织自己的品牌名称。"
    ]


def test_short_paragraphs_and_placeholders_are_not_copies() -> None:
    text = "## 主要举措\n\n截至目前，成效如下。\n\n待填写：介绍本党组织打造党建品牌的主要做法，每个方面写清楚做了什么、怎么做的。\n"
    assert copies.case_texts("a/case.md", text) == []


def test_paragraph_place_and_folding() -> None:
    body = "居民反映的停车难、加装电梯等问题逐一得到回应，调解中心化解了多起邻里纠纷。"
    [found] = copies.case_texts("a/case.md", f"## 取得成效\n\n- {body}\n")
    assert (found.line, found.col, found.folded) == (3, 1, copies.fold(body))
    assert copies.fold("党建　ＡＢＣ\n家") == copies.fold("党建abc家")


def test_a_branch_made_a_copy_by_another_branch_is_seen(root: Path) -> None:
    """Loading is whole on every run: editing branch B to copy A unpublishes A as well."""
    add_branch(root)
    write_other(root, OWN_PROFILE, OWN_CASE)
    assert len(load_project(root, now=TODAY).branches) == 2
    other = root / "branches" / OTHER / "profile.yml"
    other.write_text(other.read_text("utf-8").replace("name: 邻里同心", "name: 党建·家"), "utf-8")
    assert load_project(root, now=TODAY).branches == []
