"""All of a file's problems in one run (issue 23): a syntax error no longer hides the rest of
the profile, a schema error no longer hides the rules beyond the schema, and full-width
punctuation is named when it is the cause. Exact `path:line:col: CODE message` lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from branch_samples import PROFILE_PATH, SLUG, add_branch, jpeg, profile_with
from showcase.content import recover
from showcase.content.load import load_project

TODAY = dt.date(2026, 11, 21)
CASE_PATH = f"branches/{SLUG}/case.md"

FULLWIDTH_BRAND = (
    "FULLWIDTH_COLON 键“brand”后面用了全角冒号“：”：YAML 只认半角冒号加空格，"
    "请改成“brand: ”（切换到英文输入法输入冒号，冒号后空一格）。"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    from branch_samples import empty_project

    return empty_project(tmp_path)


def problems(root: Path) -> list[str]:
    return [p.format() for p in load_project(root, now=TODAY).problems]


# A profile with five problems of four kinds: a syntax error, a schema error, a word not in
# taxonomy.yml, a date in the future, and a missing photo. Line numbers: see PROFILE in
# branch_samples (3 category, 6 brand.name, 10 photos[0].file, 13 updated).
FIVE = (
    profile_with("category: 社区", "category: 小区")
    .replace("name: 党建·家", "name: 党建·家\n  slogan: 一核: 引领")  # syntax error, line 7
    .replace("updated: 2024-10-25", "updated: 2027-01-01")
    .replace("themes: [基层治理, 网格化管理]", "themes: 基层治理")
)


def test_all_problems_of_a_profile_in_one_run(root: Path) -> None:
    add_branch(root, profile=FIVE, photo=False)
    assert problems(root) == [
        f"{PROFILE_PATH}:3:11: UNKNOWN_CATEGORY 类别“小区”不在 taxonomy.yml 的词表中：是否想写“社区”？",
        f"{PROFILE_PATH}:7:13: YAML_COLON 此处不能出现冒号“: ”：如果值里本身含有冒号，请把整个值用引号括起来；否则请检查缩进。",
        f"{PROFILE_PATH}:9:9: TYPE themes（工作主题） 应为一个列表（每项以“- ”开头），现在是“基层治理”。",
        f"{PROFILE_PATH}:11:11: PHOTO_MISSING 照片 branches/{SLUG}/photos/tiaojie.jpg：找不到文件“photos/tiaojie.jpg”：请确认文件已放入文件夹，且文件名大小写一致。",
        f"{PROFILE_PATH}:14:10: DATE_IN_FUTURE 日期“2027-01-01”还没有到（今天是 2026-11-21）：请核对年份和月份。",
    ]
    assert load_project(root, now=TODAY).branches == []  # never published


def test_case_is_checked_when_the_profile_cannot_be_read(root: Path) -> None:
    add_branch(root, profile="slug: [\n", case="## 主要举措\n\n待填写：介绍主要做法。\n\n## 取得成效\n")
    found = problems(root)
    assert (
        f"{CASE_PATH}:3:1: PLACEHOLDER 这里还是模板里的“待填写”内容，不能发布：请换成本党组织真实的内容后再提交。"
        in found
    )
    assert any(line.startswith(f"{PROFILE_PATH}:2:1: YAML_") for line in found), found


def test_two_syntax_errors_in_two_blocks_are_both_reported(root: Path) -> None:
    text = profile_with("name: 清水河县城关镇花园社区党总支", "name: 花园: 社区").replace(
        "updated: 2024-10-25", "updated: 2024: 10"
    )
    add_branch(root, profile=text)
    found = problems(root)
    assert [line.split(" ")[0] for line in found] == [f"{PROFILE_PATH}:2:9:", f"{PROFILE_PATH}:13:14:"]
    assert all("YAML_COLON" in line for line in found)  # and no MISSING for the two keys


def test_one_broken_list_item_leaves_the_others_checked(root: Path) -> None:
    text = profile_with(
        "photos:",
        "figures:\n  - {label: 党员； value: 3}\n  - {label: 网格, value: -4, unit: 个}\nphotos:",
    )
    add_branch(root, profile=text)
    assert problems(root) == [
        f"{PROFILE_PATH}:10:22: YAML_FLOW 方括号或花括号没有闭合，或项之间缺少英文逗号“,”。"
        "这一行有全角分号“；”：如果它用来分隔键和值或列表项，请改成半角的“: ”或“,”。",
        f"{PROFILE_PATH}:11:24: NEGATIVE_VALUE 数值 -4 是负数：人数、场次、件数等不会小于 0，请核对。",
    ]


# --- full-width punctuation ------------------------------------------------------------------


def test_fullwidth_colon_after_a_top_level_key(root: Path) -> None:
    add_branch(root, profile=profile_with("brand:\n  name: 党建·家", "brand：党建·家"))
    assert problems(root) == [f"{PROFILE_PATH}:5:6: {FULLWIDTH_BRAND}"]


def test_fullwidth_colon_after_a_nested_key(root: Path) -> None:
    add_branch(root, profile=profile_with("  name: 党建·家", "  name：党建·家"))
    assert problems(root) == [
        f"{PROFILE_PATH}:6:7: FULLWIDTH_COLON 键“name”后面用了全角冒号“：”：YAML 只认半角冒号加空格，"
        "请改成“name: ”（切换到英文输入法输入冒号，冒号后空一格）。"
    ]


def test_fullwidth_semicolon_as_key_separator(root: Path) -> None:
    add_branch(root, profile=profile_with("updated: 2024-10-25", "updated；2024-10-25"))
    assert problems(root) == [
        f"{PROFILE_PATH}:13:8: FULLWIDTH_COLON 键“updated”后面用了全角分号“；”：YAML 只认半角冒号加空格，"
        "请改成“updated: ”（切换到英文输入法输入冒号，冒号后空一格）。"
    ]


def test_fullwidth_colon_inside_a_value_is_fine(root: Path) -> None:
    add_branch(root, profile=profile_with("summary: 花园社区", "summary: 口号：花园社区"))
    assert problems(root) == []


@pytest.mark.parametrize(
    ("themes", "sep", "name"),
    [
        ("乡村振兴，基层治理", "，", "全角逗号"),
        ("乡村振兴；基层治理", "；", "全角分号"),
        ("乡村振兴、基层治理", "、", "顿号"),
    ],
)
def test_themes_joined_by_fullwidth_punctuation(root: Path, themes: str, sep: str, name: str) -> None:
    add_branch(root, profile=profile_with("themes: [基层治理, 网格化管理]", f"themes: [{themes}]"))
    assert problems(root) == [
        f"{PROFILE_PATH}:8:10: THEMES_FULLWIDTH 主题“{themes}”里的{name}“{sep}”把 2 个主题连成了一个："
        "列表项之间要用半角逗号“,”分隔，请写成 [乡村振兴, 基层治理]，或分行写成“- 乡村振兴”这样的列表项。"
    ]


# --- photos are named ------------------------------------------------------------------------


def test_broken_photo_names_the_photo_file(root: Path) -> None:
    folder = add_branch(root, photo=False)
    good = jpeg(folder / "photos" / "full.jpg").read_bytes()
    (folder / "photos" / "tiaojie.jpg").write_bytes(good[: len(good) // 2])
    (folder / "photos" / "full.jpg").unlink()
    [problem] = load_project(root, now=TODAY).problems
    assert (problem.path, problem.line, problem.code) == (PROFILE_PATH, 10, "PHOTO_BROKEN")
    assert problem.message.startswith(f"照片 branches/{SLUG}/photos/tiaojie.jpg：图片文件已损坏或不完整"), (
        problem
    )


def test_photo_in_a_wrong_format_names_the_photo_file(root: Path) -> None:
    folder = add_branch(root, photo=False)
    (folder / "photos" / "tiaojie.jpg").write_bytes(b"GIF89a" + b"\0" * 64)
    [problem] = load_project(root, now=TODAY).problems
    assert problem.format().startswith(
        f"{PROFILE_PATH}:10:11: PHOTO_FORMAT 照片 branches/{SLUG}/photos/tiaojie.jpg："
    ), problem


# --- the recovering loader on its own -----------------------------------------------------------


def test_recover_keeps_line_numbers_and_names_the_broken_keys() -> None:
    read = recover.load("p.yml", b"a: 1\nb: x: y\nc: 3\n")
    assert read.doc is not None
    assert read.doc.data == {"a": "1", "c": "3"}
    assert read.doc.pos(("c",)).line == 3
    assert read.broken == {"b"}
    assert [p.code for p in read.problems] == ["YAML_COLON"]


def test_recover_gives_up_on_an_empty_file() -> None:
    read = recover.load("p.yml", b"")
    assert read.doc is None
    assert [p.code for p in read.problems] == ["YAML_EMPTY"]


def test_small_photo_and_bad_logo_name_their_files(root: Path) -> None:
    folder = add_branch(root, profile=profile_with("  name: 党建·家", "  name: 党建·家\n  logo: logo.png"))
    Image.new("RGB", (400, 300), (180, 30, 30)).save(folder / "photos" / "tiaojie.jpg", "JPEG")
    (folder / "logo.png").write_bytes(b"not a picture at all")
    found = problems(root)
    assert found[0] == (
        f"{PROFILE_PATH}:7:9: PHOTO_FORMAT 图片 branches/{SLUG}/logo.png：无法识别的文件内容，"
        "不是 JPEG、PNG、WebP 或 HEIC 图片（只改扩展名不能转换格式）：请用相机或手机原图，或另存为 JPEG。"
    )
    assert found[1] == (
        f"{PROFILE_PATH}:11:11: PHOTO_TOO_SMALL 照片 branches/{SLUG}/photos/tiaojie.jpg 只有 400×300 像素，"
        "宽度不足 800：网页上会模糊，也不能印刷，请提交原图。"
    )
