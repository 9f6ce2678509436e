"""Content rules beyond the schema (showcase.checks, showcase.personal_data): one test per
rule, each asserting the exact `path:line:col: CODE message` a liaison would read."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

import pytest

from branch_samples import CASE, PROFILE, PROFILE_PATH, SLUG, add_branch, jpeg, profile_with
from showcase.content.checks import GUESS_COMMENT
from showcase.content.load import load_project
from showcase.content.personal_data import find, id_checksum_ok, mask

CASE_PATH = f"branches/{SLUG}/case.md"
TODAY = dt.date(2026, 11, 21)

# The two worked examples of GB 11643-1999 (valid check digits), and a mistyped copy.
ID_VALID = ("11010519491231002X", "440524188001010014")
ID_BAD_CHECK = "110105194912310021"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    from branch_samples import empty_project

    return empty_project(tmp_path)


def problems(root: Path) -> list[str]:
    return [p.format() for p in load_project(root, now=TODAY).problems]


# --- personal data: the detector ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086-138-0013-8000",
        "１３８００１３８０００",  # full-width digits
        "１３８－００１３－８０００",  # full-width dashes
        "138\u30000013\u30008000",  # ideographic spaces
        "联系电话：19912345678。",
    ],
)
def test_mobile_numbers_in_every_spelling_are_found(text: str) -> None:
    found = find(text)
    assert [f.kind for f in found] == ["mobile"]
    assert found[0].masked in ("138****8000", "199****5678")
    # the offsets cover the number in the original text
    digits = "".join(
        c for c in unicodedata.normalize("NFKC", text[found[0].start : found[0].end]) if c.isdigit()
    )
    assert digits.removeprefix("0086").removeprefix("86") in ("13800138000", "19912345678")


@pytest.mark.parametrize(
    "text",
    [
        "138****8000",  # masked: fine
        "1380013800",  # 10 digits
        "238001380001",  # 12 digits, no mobile inside
        "12800138000",  # 12x is not a mobile prefix
        "2024年10月25日",
        "共1400余名党员、3000余人次",
        "邮编010010",
    ],
)
def test_not_personal_data(text: str) -> None:
    assert find(text) == []


def test_id_numbers_with_valid_check_digit_are_errors_and_others_warnings() -> None:
    for number in ID_VALID:
        assert id_checksum_ok(number)
        assert [(f.kind, f.masked) for f in find(f"身份证号{number}。")] == [("id", mask(number))]
    assert not id_checksum_ok(ID_BAD_CHECK)
    assert [f.kind for f in find(ID_BAD_CHECK)] == ["id_checksum"]
    assert [f.kind for f in find("110105 19491231 002X")] == ["id"]
    assert mask("11010519491231002X") == "110105********002X"


def test_landlines_are_found() -> None:
    assert [(f.kind, f.masked) for f in find("服务热线0471-6961234")] == [("landline", "047****1234")]
    assert [f.kind for f in find("(010)62345678")] == ["landline"]
    assert [f.kind for f in find("０４７１－６９６１２３４")] == ["landline"]


# --- personal data: through the loader, with exact positions -------------------------------------


def test_mobile_number_in_profile_is_an_error_with_masked_message(root: Path) -> None:
    add_branch(
        root,
        profile=profile_with("summary: 花园社区党总支", "summary: 联系人电话138 0013 8000，花园社区党总支"),
    )
    assert problems(root) == [
        f"{PROFILE_PATH}:7:15: PHONE_NUMBER 发现手机号 138****8000：公开的网站和报纸不能登载个人手机号，请删除，或改用单位办公电话。"
    ]
    assert load_project(root, now=TODAY).branches == []  # left out of the site


def test_mobile_number_in_a_yaml_comment_is_found_too(root: Path) -> None:
    add_branch(root, profile=PROFILE.format(slug=SLUG) + "# 联系 13800138000\n")
    assert problems(root) == [
        f"{PROFILE_PATH}:14:6: PHONE_NUMBER 发现手机号 138****8000：公开的网站和报纸不能登载个人手机号，请删除，或改用单位办公电话。"
    ]


def test_id_number_in_case_is_an_error(root: Path) -> None:
    add_branch(root, case=CASE + "\n居民王某（身份证号 11010519491231002X）说：\n")
    assert problems(root) == [
        f"{CASE_PATH}:9:11: ID_NUMBER 发现身份证号 110105********002X：个人身份证号绝不能公开，请删除。"
    ]


def test_mistyped_id_is_an_error_and_landline_a_warning(root: Path) -> None:
    add_branch(root, case=CASE + f"\n编号 {ID_BAD_CHECK}。\n热线 0471-6961234。\n")
    project = load_project(root, now=TODAY)
    assert [p.format() for p in project.problems] == [
        f"{CASE_PATH}:9:4: ID_NUMBER_LIKE 发现一串形如身份证号的 18 位数字 110105********0021："
        "校验位虽然不符，也可能是抄错一位的真实号码，公开的内容里不能有：请删除；"
        "如果是别的编号，只保留前后几位（如 110105********0021）。",
        f"{CASE_PATH}:10:4: LANDLINE 发现固定电话 047****1234：如果是个人住宅电话请删除；单位公开的办公电话可以保留。",
    ]
    assert [p.code for p in project.errors] == ["ID_NUMBER_LIKE"]
    assert project.branches == []  # whatever its check digit, it is not published


@pytest.mark.parametrize("number", ["110105********0021", "110105 1949 **** 0021", "1101051949123100"])
def test_masked_or_short_id_like_numbers_pass(root: Path, number: str) -> None:
    add_branch(root, case=CASE + f"\n编号 {number}。\n")
    assert problems(root) == []


def test_masked_number_passes(root: Path) -> None:
    add_branch(root, case=CASE + "\n联系人：王女士，138****8000。\n")
    assert problems(root) == []


# --- profile values ----------------------------------------------------------------------------


def test_date_in_the_future(root: Path) -> None:
    add_branch(root, profile=profile_with("updated: 2024-10-25", "updated: 2026-12"))
    assert problems(root) == [
        f"{PROFILE_PATH}:13:10: DATE_IN_FUTURE 日期“2026-12”还没有到（今天是 2026-11-21）：请核对年份和月份。"
    ]


def test_dates_up_to_today_are_fine(root: Path) -> None:
    add_branch(root, profile=profile_with("updated: 2024-10-25", "updated: 2026-11-21"))
    assert problems(root) == []


def test_negative_count(root: Path) -> None:
    text = profile_with(
        "updated: 2024-10-25", "figures:\n  - {label: 党员, value: -3, unit: 名}\nupdated: 2024-10-25"
    )
    add_branch(root, profile=text)
    assert problems(root) == [
        f"{PROFILE_PATH}:14:24: NEGATIVE_VALUE 数值 -3 是负数：人数、场次、件数等不会小于 0，请核对。"
    ]


PLACEHOLDER_MESSAGE = "PLACEHOLDER 这里还是模板里的“待填写”内容，不能发布：请换成本党组织真实的内容后再提交。"


def test_placeholder_left_in_profile_is_an_error(root: Path) -> None:
    add_branch(root, profile=profile_with("name: 党建·家", "name: 待填写品牌名称"))
    project = load_project(root, now=TODAY)
    assert [p.format() for p in project.problems] == [f"{PROFILE_PATH}:6:9: {PLACEHOLDER_MESSAGE}"]
    assert project.branches == []


def test_placeholder_left_in_case_is_an_error(root: Path) -> None:
    add_branch(root, case=CASE + "\n待填写：用事实和数字说明成效。\n")
    project = load_project(root, now=TODAY)
    assert [p.format() for p in project.problems] == [f"{CASE_PATH}:9:1: {PLACEHOLDER_MESSAGE}"]
    assert project.branches == []


def test_guessed_value_not_confirmed_is_an_error(root: Path) -> None:
    add_branch(root, profile=profile_with("category: 社区", f"category: 社区  {GUESS_COMMENT}"))
    project = load_project(root, now=TODAY)
    assert [p.format() for p in project.problems] == [
        f"{PROFILE_PATH}:3:15: GUESS_UNCONFIRMED 组织类别（category）是 showcase new 根据党组织名称推测的，"
        "还没有人核对：请确认这一行填得对（不对就改正），然后删掉行尾的注释“# 推测：请核对后删掉这条注释”。"
    ]
    assert project.branches == []


# --- files ---------------------------------------------------------------------------------------


def test_photo_not_listed_is_a_warning(root: Path) -> None:
    folder = add_branch(root)
    jpeg(folder / "photos" / "extra.jpg")
    (folder / "photos" / ".DS_Store").write_bytes(b"\0")  # hidden files are not photos
    assert problems(root) == [
        f"branches/{SLUG}/photos/extra.jpg:1:1: PHOTO_UNLISTED 这张照片没有写进 profile.yml 的 photos 列表，不会发布：请补上说明和摄影者，或删除文件。"
    ]


def test_file_name_not_nfc(root: Path) -> None:
    folder = add_branch(root)
    nfd = unicodedata.normalize("NFD", "café.txt")
    (folder / nfd).write_text("x", "utf-8")
    assert problems(root) == [
        f"branches/{SLUG}/{nfd}:1:1: FILE_NAME_NFC 文件名的编码方式（Unicode 分解形式，常见于 macOS）会导致网址失效：请重新输入文件名。"
    ]


@pytest.mark.skipif(os.name == "nt", reason="needs a case-sensitive file system")
def test_folders_differing_only_in_case(root: Path) -> None:
    add_branch(root)
    add_branch(root, SLUG.upper(), slug=SLUG)
    assert (
        f"branches/{SLUG}:1:1: SLUG_DUPLICATE 文件夹名“{SLUG}”与“{SLUG.upper()}”只有大小写不同：在 Windows 和 macOS 上会冲突，网址也会混淆，请改名。"
        in problems(root)
    )


# --- case.md ---------------------------------------------------------------------------------------


def test_case_without_sections_and_too_short(root: Path) -> None:
    add_branch(root, case="社区党总支牵头组建联合大党委。\n")
    assert problems(root) == [
        f"{CASE_PATH}:1:1: CASE_SECTION_MISSING 建议加上小标题“## 主要举措”：读者和印刷版都按“主要举措 / 取得成效”来读案例。",
        f"{CASE_PATH}:1:1: CASE_SECTION_MISSING 建议加上小标题“## 取得成效”：读者和印刷版都按“主要举措 / 取得成效”来读案例。",
        f"{CASE_PATH}:1:1: CASE_TOO_SHORT 案例正文只有 15 个字：建议至少写 300 字，讲清做法和成效。",
    ]


def test_internal_links(root: Path) -> None:
    add_branch(root, "other-shequ")
    (root / "content").mkdir()
    (root / "content" / "about.md").write_text("# 关于\n", "utf-8")
    links = (
        "\n[邻居](../other-shequ/) [同上](/branches/other-shequ/#主要举措) [区域](/regions/呼和浩特市/清水河县/)"
        " [主题](/themes/%E5%9F%BA%E5%B1%82%E6%B2%BB%E7%90%86/) [品牌墙第二页](/brands/2/) [关于](/about/)"
        " [数据](/data/branches.csv) [外站](https://www.gov.cn/) [锚](#取得成效)\n"
        "\n[错的](../no-such-shequ/) [也错](/themes/不存在/)\n"
        "\n[ref]: /branches/nowhere/\n"
        "\n```\n[代码里的](/not/checked/)\n```\n"
    )
    add_branch(root, case=CASE + links)
    assert problems(root) == [
        f"{CASE_PATH}:11:6: BROKEN_LINK 链接“../no-such-shequ/”指向的页面不存在：站内链接请写成 /branches/<文件夹名>/ 这样的网址。",
        f"{CASE_PATH}:11:30: BROKEN_LINK 链接“/themes/不存在/”指向的页面不存在：站内链接请写成 /branches/<文件夹名>/ 这样的网址。",
        f"{CASE_PATH}:13:8: BROKEN_LINK 链接“/branches/nowhere/”指向的页面不存在：站内链接请写成 /branches/<文件夹名>/ 这样的网址。",
    ]
