"""Unit tests for showcase.load: scratch projects in tmp_path, one concern per test.

Each project gets a copy of the real branches/taxonomy.yml and small profiles written
here, with a real JPEG made by Pillow, so only the thing under test is wrong.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from branch_samples import CASE, PROFILE_PATH, ROOT, SLUG, add_branch, jpeg, profile_with
from showcase.content.load import Project, load_project
from showcase.problems import ContentError, Severity


def formatted(project: Project) -> list[str]:
    return [p.format() for p in project.problems]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "branches").mkdir()
    shutil.copy(ROOT / "branches" / "taxonomy.yml", tmp_path / "branches" / "taxonomy.yml")
    return tmp_path


# --- valid ------------------------------------------------------------------------------------


def test_valid_branch_loads(root: Path) -> None:
    folder = add_branch(root)
    project = load_project(root)
    assert project.problems == []
    assert project.errors == []
    assert [b.slug for b in project.branches] == [SLUG]
    branch = project.branch(SLUG)
    assert branch is project.branches[0]
    assert branch.rel_dir == f"branches/{SLUG}"
    assert branch.profile_path == PROFILE_PATH
    assert branch.case_path == f"branches/{SLUG}/case.md"
    assert branch.dir == folder.resolve()
    assert branch.region.key == "呼和浩特市/清水河县/城关镇"
    assert [r.name for r in branch.region.ancestors()] == ["呼和浩特市", "清水河县", "城关镇"]
    assert branch.case_md == CASE
    assert branch.profile.photos[0].file == "photos/tiaojie.jpg"
    assert branch.file("photos/tiaojie.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert branch.doc.pos(("region",)).line == 4
    assert project.branch("no-such-branch") is None


def test_branches_are_sorted_and_non_folders_skipped(root: Path) -> None:
    add_branch(root, "zhongshan-shequ")
    add_branch(root, "dagegui-cun")
    add_branch(root, "_template")  # drafts and templates are not branches
    (root / "branches" / ".git").mkdir()
    (root / "branches" / "profile.schema.json").write_text("{}", "utf-8")
    (root / "branches" / "README.md").write_text("说明", "utf-8")
    project = load_project(root)
    assert project.problems == []
    assert [b.slug for b in project.branches] == ["dagegui-cun", "zhongshan-shequ"]


def test_case_md_bom_and_crlf_are_normalised(root: Path) -> None:
    add_branch(root, case=b"\xef\xbb\xbf" + CASE.replace("\n", "\r\n").encode())
    assert load_project(root).branches[0].case_md == CASE


def test_duplicate_theme_is_a_warning(root: Path) -> None:
    add_branch(root, profile=profile_with("themes: [基层治理, 网格化管理]", "themes: [基层治理, 基层治理]"))
    project = load_project(root)
    assert formatted(project) == [f"{PROFILE_PATH}:8:16: DUPLICATE_THEME 主题“基层治理”重复填写了。"]
    assert project.problems[0].severity is Severity.WARNING
    assert [b.slug for b in project.branches] == [SLUG]


# --- a broken branch is left out, the others still load -----------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "updated: 2024-10-25",
            "updated: 2024-02-30",
            "13:10: DATE updated（更新日期）：日期“2024-02-30”不存在：请核对年、月、日。",
        ),
        (
            "summary:",
            "name: 重复\nsummary:",
            "7:1: YAML_DUPLICATE_KEY 键“name”重复出现（第一次在第 2 行）：请合并为一处，否则前面的内容会丢失。",
        ),
        (
            "brand:\n  name: 党建·家",
            "brand:\n  name: &b 党建·家",
            "6:9: YAML_ANCHOR 不支持 YAML 锚点 &b：请删除 & 标记，把内容直接写出来。",
        ),
    ],
    ids=["schema", "duplicate-key", "anchor"],
)
def test_broken_profile_excluded_other_branch_loads(root: Path, old: str, new: str, expected: str) -> None:
    add_branch(root, "broken-shequ", profile_with(old, new, slug="broken-shequ"))
    add_branch(root)
    project = load_project(root)
    assert formatted(project) == [f"branches/broken-shequ/profile.yml:{expected}"]
    assert [b.slug for b in project.branches] == [SLUG]


def test_control_character_in_profile_excluded_other_branch_loads(root: Path) -> None:
    add_branch(root, "broken-shequ", profile_with("credit: 示意图", "credit: ab\x0bcd", slug="broken-shequ"))
    add_branch(root)
    project = load_project(root)
    # The line is checked in test_yamlstrict (libyaml reports a byte offset there).
    assert [(p.path, p.code) for p in project.problems] == [
        ("branches/broken-shequ/profile.yml", "YAML_CHAR")
    ]
    assert [b.slug for b in project.branches] == [SLUG]


def test_profile_that_is_not_a_mapping(root: Path) -> None:
    add_branch(root, profile="- slug: huayuan-shequ\n")
    project = load_project(root)
    assert formatted(project) == [f"{PROFILE_PATH}:1:1: TYPE 档案应为一组“键: 值”，请对照示例填写。"]
    assert project.branches == []


def test_slug_differs_from_folder_name(root: Path) -> None:
    add_branch(root, slug="yangguang-shequ")
    project = load_project(root)
    assert formatted(project) == [
        f"{PROFILE_PATH}:1:7: SLUG_MISMATCH slug“yangguang-shequ”必须与文件夹名“{SLUG}”相同。"
    ]
    assert project.branches == []


@pytest.mark.parametrize("folder", ["Huayuan_Shequ", "花园社区", "huayuan shequ"])
def test_folder_name_not_a_valid_slug(root: Path, folder: str) -> None:
    add_branch(root, folder, slug=SLUG)
    project = load_project(root)
    assert formatted(project) == [
        f"branches/{folder}:1:1: FOLDER_NAME 文件夹名“{folder}”不合规："
        "只能用小写字母、数字和连字符（-），如 yangguang-shequ。",
        f"branches/{folder}/profile.yml:1:7: SLUG_MISMATCH slug“{SLUG}”必须与文件夹名“{folder}”相同。",
    ]
    assert project.branches == []


# --- controlled vocabularies ------------------------------------------------------------------


def test_unknown_category_with_suggestion(root: Path) -> None:
    add_branch(root, profile=profile_with("category: 社区", "category: 社区党委"))
    project = load_project(root)
    assert formatted(project) == [
        f"{PROFILE_PATH}:3:11: UNKNOWN_CATEGORY 类别“社区党委”不在 taxonomy.yml 的词表中：是否想写“社区”？"
    ]
    assert project.branches == []


def test_unknown_category_without_suggestion_lists_options(root: Path) -> None:
    add_branch(root, profile=profile_with("category: 社区", "category: 学校"))
    project = load_project(root)
    options = "、".join(project.taxonomy.category_names)
    assert "社区、村" in options
    assert formatted(project) == [
        f"{PROFILE_PATH}:3:11: UNKNOWN_CATEGORY 类别“学校”不在 taxonomy.yml 的词表中：可选：{options}。"
    ]


def test_unknown_theme_with_suggestion(root: Path) -> None:
    add_branch(root, profile=profile_with("themes: [基层治理, 网格化管理]", "themes: [基层治理, 网格管理]"))
    project = load_project(root)
    assert formatted(project) == [
        f"{PROFILE_PATH}:8:16: UNKNOWN_THEME 主题“网格管理”不在 taxonomy.yml 的词表中：是否想写“网格化管理”？"
    ]
    assert project.branches == []


@pytest.mark.parametrize(
    ("written", "guess"),
    [
        ("清水河县/韭菜庄乡", "呼和浩特市/清水河县/韭菜庄乡"),  # top of the path left out
        ("呼和浩特市/清水河/城关", "呼和浩特市/清水河县/城关镇"),  # near miss
    ],
)
def test_unknown_region_with_suggestion(root: Path, written: str, guess: str) -> None:
    add_branch(root, profile=profile_with("region: 呼和浩特市/清水河县/城关镇", f"region: {written}"))
    project = load_project(root)
    assert formatted(project) == [
        f"{PROFILE_PATH}:4:9: UNKNOWN_REGION 区域“{written}”不在 taxonomy.yml 的区域树中：是否想写“{guess}”？"
    ]
    assert project.branches == []


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("呼和浩特市/清水河县/城关镇/", "呼和浩特市/清水河县/城关镇"),
        ("呼和浩特市/清水河县", "呼和浩特市/清水河县"),
    ],
    ids=["trailing-slash", "county-level"],
)
def test_region_forms_accepted(root: Path, written: str, key: str) -> None:
    add_branch(root, profile=profile_with("region: 呼和浩特市/清水河县/城关镇", f"region: {written}"))
    project = load_project(root)
    assert project.problems == []
    assert project.branches[0].region.key == key


def test_unknown_region_suggestion_prefers_matching_suffix(root: Path) -> None:
    add_branch(root, profile=profile_with("region: 呼和浩特市/清水河县/城关镇", "region: 清水河县/城关镇"))
    assert formatted(load_project(root)) == [
        f"{PROFILE_PATH}:4:9: UNKNOWN_REGION 区域“清水河县/城关镇”不在 taxonomy.yml 的区域树中："
        "是否想写“呼和浩特市/清水河县/城关镇”？"
    ]


def test_region_without_any_suggestion(root: Path) -> None:
    add_branch(root, profile=profile_with("region: 呼和浩特市/清水河县/城关镇", "region: 火星/奥林匹斯山"))
    assert formatted(load_project(root)) == [
        f"{PROFILE_PATH}:4:9: UNKNOWN_REGION 区域“火星/奥林匹斯山”不在 taxonomy.yml 的区域树中："
        "请从区域树中选择完整路径，用 / 分隔。"
    ]


# --- files the profile names ------------------------------------------------------------------


def test_photo_file_missing(root: Path) -> None:
    add_branch(root, photo=False)
    project = load_project(root)
    # other-shequ's x.jpg is not in its photo list (PHOTO_UNLISTED); only errors matter here.
    assert [p.format() for p in project.errors] == [
        f"{PROFILE_PATH}:10:11: PHOTO_MISSING 照片 branches/{SLUG}/photos/tiaojie.jpg：找不到文件“photos/tiaojie.jpg”：请确认文件已放入文件夹，且文件名大小写一致。"
    ]
    # The error fails `check`, but only the photo is left out: readers keep the page.
    branch = next(b for b in project.branches if b.slug == SLUG)
    assert branch.sources == {}


def test_photo_that_is_a_folder(root: Path) -> None:
    folder = add_branch(root, photo=False)
    (folder / "photos" / "tiaojie.jpg").mkdir(parents=True)
    assert formatted(load_project(root)) == [
        f"{PROFILE_PATH}:10:11: PHOTO_MISSING 照片 branches/{SLUG}/photos/tiaojie.jpg：找不到文件“photos/tiaojie.jpg”：请确认文件已放入文件夹，且文件名大小写一致。"
    ]


@pytest.mark.parametrize(
    "rel",
    [
        "../other-shequ/photos/x.jpg",
        "photos/../../other-shequ/photos/x.jpg",
        "/etc/passwd",
        "C:/Windows/win.ini",
        "..\\other-shequ\\photos\\x.jpg",
        ".",
    ],
)
def test_photo_path_outside_the_folder_refused(root: Path, rel: str) -> None:
    other = add_branch(root, "other-shequ")
    jpeg(other / "photos" / "x.jpg")
    add_branch(root, profile=profile_with("file: photos/tiaojie.jpg", f"file: '{rel}'"), photo=False)
    project = load_project(root)
    # other-shequ's x.jpg is not in its photo list (PHOTO_UNLISTED); only errors matter here.
    assert [p.format() for p in project.errors] == [
        f"{PROFILE_PATH}:10:11: BAD_PATH 路径“{rel}”必须是本文件夹内的相对路径，如 photos/xunluo.jpg。"
    ]
    assert [b.slug for b in project.branches] == ["other-shequ"]


def test_photo_path_that_stays_inside_is_fine(root: Path) -> None:
    add_branch(root, profile=profile_with("file: photos/tiaojie.jpg", "file: ./photos/../photos/tiaojie.jpg"))
    project = load_project(root)
    assert project.problems == []
    assert project.branches[0].file("photos/tiaojie.jpg").is_file()


def test_symlinked_photo_refused(root: Path) -> None:
    other = add_branch(root, "other-shequ")
    folder = add_branch(root, photo=False)
    os.symlink(other / "photos" / "tiaojie.jpg", folder / "photos" / "tiaojie.jpg")
    project = load_project(root)
    # other-shequ's x.jpg is not in its photo list (PHOTO_UNLISTED); only errors matter here.
    assert [p.format() for p in project.errors] == [
        f"{PROFILE_PATH}:10:11: BAD_PATH “photos/tiaojie.jpg”是符号链接，不允许使用：请放入真实文件。"
    ]
    assert [b.slug for b in project.branches] == ["other-shequ"]


def test_symlinked_photos_folder_refused(root: Path) -> None:
    other = add_branch(root, "other-shequ")
    folder = add_branch(root, photo=False)
    (folder / "photos").rmdir()
    os.symlink(other / "photos", folder / "photos")
    assert formatted(load_project(root)) == [
        f"{PROFILE_PATH}:10:11: BAD_PATH “photos/tiaojie.jpg”是符号链接，不允许使用：请放入真实文件。"
    ]


def test_symlink_to_outside_file_refused(root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    secret = tmp_path_factory.mktemp("outside") / "secret.jpg"
    jpeg(secret)
    folder = add_branch(root, photo=False)
    os.symlink(secret, folder / "photos" / "tiaojie.jpg")
    project = load_project(root)
    assert [p.code for p in project.problems] == ["BAD_PATH"]
    assert project.branches == []


def test_logo_path_is_checked(root: Path) -> None:
    add_branch(root, profile=profile_with("  name: 党建·家\n", "  name: 党建·家\n  logo: ../logo.png\n"))
    assert formatted(load_project(root)) == [
        f"{PROFILE_PATH}:7:9: BAD_PATH 路径“../logo.png”必须是本文件夹内的相对路径，如 photos/xunluo.jpg。"
    ]


def test_symlinked_branch_folder_reported(root: Path) -> None:
    real = add_branch(root)
    os.symlink(real, root / "branches" / "link-shequ")
    project = load_project(root)
    assert formatted(project) == ["branches/link-shequ:1:1: SYMLINK 不允许使用符号链接：请放入真实的文件夹。"]
    assert project.problems[0].severity is Severity.ERROR
    assert [b.slug for b in project.branches] == [SLUG]


def test_missing_profile(root: Path) -> None:
    folder = add_branch(root)
    (folder / "profile.yml").unlink()
    project = load_project(root)
    assert formatted(project) == [
        f"{PROFILE_PATH}:1:1: NO_PROFILE 缺少档案文件 profile.yml："
        "请从其他党组织的文件夹复制一份 profile.yml 来改写（showcase new 只能新建文件夹）。"
    ]
    assert project.branches == []


def test_symlinked_profile_is_not_read(root: Path) -> None:
    other = add_branch(root, "other-shequ")
    folder = add_branch(root)
    (folder / "profile.yml").unlink()
    os.symlink(other / "profile.yml", folder / "profile.yml")
    project = load_project(root)
    assert formatted(project) == [
        f"{PROFILE_PATH}:1:1: SYMLINK 不允许使用符号链接：请放入真实的 profile.yml 文件。"
    ]
    assert [b.slug for b in project.branches] == ["other-shequ"]


def test_missing_case_is_a_warning(root: Path) -> None:
    add_branch(root, case=None)
    project = load_project(root)
    assert formatted(project) == [
        f"branches/{SLUG}/case.md:1:1: NO_CASE 缺少案例文件 case.md：页面将没有案例正文。"
    ]
    assert project.problems[0].severity is Severity.WARNING
    assert project.errors == []
    assert [b.slug for b in project.branches] == [SLUG]
    assert project.branches[0].case_md == ""


def test_gbk_case_is_an_error(root: Path) -> None:
    add_branch(root, case="## Intro\n\n社区党总支牵头组建联合大党委。\n".encode("gbk"))
    project = load_project(root)
    assert formatted(project) == [
        f"branches/{SLUG}/case.md:3:1: ENCODING 文件不是 UTF-8 编码（可能是 GBK/GB2312）：请在编辑器里以“UTF-8”编码另存此文件。"
    ]
    assert project.problems[0].severity is Severity.ERROR
    assert project.branches == []


def test_symlinked_case_is_an_error(root: Path) -> None:
    other = add_branch(root, "other-shequ")
    add_branch(root, case=None)
    os.symlink(other / "case.md", root / "branches" / SLUG / "case.md")
    project = load_project(root)
    assert formatted(project) == [
        f"branches/{SLUG}/case.md:1:1: SYMLINK 不允许使用符号链接：请放入真实的 case.md 文件。"
    ]
    assert [b.slug for b in project.branches] == ["other-shequ"]


def test_problems_are_sorted_by_file_and_position(root: Path) -> None:
    add_branch(root, "b-shequ", profile_with("category: 社区", "category: 学校", slug="b-shequ"), case=None)
    add_branch(root, "a-shequ", slug="wrong-slug", photo=False)
    found = [(p.path, p.line, p.code) for p in load_project(root).problems]
    assert found == [
        ("branches/a-shequ/profile.yml", 1, "SLUG_MISMATCH"),
        ("branches/a-shequ/profile.yml", 10, "PHOTO_MISSING"),
        ("branches/b-shequ/case.md", 1, "NO_CASE"),
        ("branches/b-shequ/profile.yml", 3, "UNKNOWN_CATEGORY"),
    ]


# --- the taxonomy is fatal --------------------------------------------------------------------


def test_broken_taxonomy_raises(root: Path) -> None:
    add_branch(root)
    (root / "branches" / "taxonomy.yml").write_text(
        "regions:\n  呼和浩特市: [新城区]\ncategories: []\nthemes:\n  - name: 基层治理\n", "utf-8"
    )
    with pytest.raises(ContentError) as info:
        load_project(root)
    assert [p.format() for p in info.value.problems] == [
        "branches/taxonomy.yml:3:13: TOO_SHORT categories（组织类别） 至少要有 1 项。"
    ]


def test_taxonomy_with_yaml_error_raises(root: Path) -> None:
    (root / "branches" / "taxonomy.yml").write_text(
        "regions:\n  呼和浩特市: [新城区]\nregions:\n  北京市: []\n", "utf-8"
    )
    with pytest.raises(ContentError) as info:
        load_project(root)
    assert [p.format() for p in info.value.problems] == [
        "branches/taxonomy.yml:3:1: YAML_DUPLICATE_KEY 键“regions”重复出现（第一次在第 1 行）："
        "请合并为一处，否则前面的内容会丢失。"
    ]


def test_taxonomy_duplicate_term_raises(root: Path) -> None:
    (root / "branches" / "taxonomy.yml").write_text(
        "regions:\n  北京市: []\ncategories:\n  - name: 社区\n  - name: 社区\nthemes:\n  - name: 基层治理\n",
        "utf-8",
    )
    with pytest.raises(ContentError) as info:
        load_project(root)
    assert [p.format() for p in info.value.problems] == [
        "branches/taxonomy.yml:5:11: TAXONOMY “社区”重复了。"
    ]


def test_missing_taxonomy_raises(root: Path) -> None:
    (root / "branches" / "taxonomy.yml").unlink()
    with pytest.raises(ContentError) as info:
        load_project(root)
    assert [p.format() for p in info.value.problems] == [
        "branches/taxonomy.yml:1:1: NO_TAXONOMY 找不到受控词表 taxonomy.yml：它定义区域、类别和主题，请先创建。"
    ]
