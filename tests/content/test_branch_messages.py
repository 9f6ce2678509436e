"""What `showcase check` says when a file every branch holds is not where or what it must be
(issue 24, "Messages"): a symlinked profile.yml, a misnamed one, and a case.md that is a
folder were reported as missing, and the advice given (`showcase new`) refuses an existing
folder. Each case runs the real `showcase check` on a folder written by the real `showcase new`.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import scratch_project
from showcase.cli.main import main
from showcase.content.checks import GUESS_COMMENT

SLUG = "huayuan-shequ"
FOLDER = f"branches/{SLUG}"


def finish(folder: Path) -> None:
    """What a liaison does after `showcase new`: write the texts the template leaves 待填写
    and confirm the guessed values (removing the comment that marks them)."""
    profile = folder / "profile.yml"
    text = profile.read_text("utf-8").replace(f"  {GUESS_COMMENT}", "")
    text = text.replace("待填写品牌名称", "花园连心")
    text = re.sub(r"待填写：.*", "花园社区党总支以“花园连心”为品牌，把居民的事当作自家的事来办。", text)
    profile.write_text(text, "utf-8")
    case = folder / "case.md"
    lines = iter(
        ["社区党总支牵头组建联合大党委，请驻区单位和居民代表一起商量事。", "停车难等问题逐一得到回应。"]
    )
    case.write_text(re.sub(r"待填写：.*", lambda _: next(lines), case.read_text("utf-8")), "utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one branch folder from `showcase new`, finished as a liaison would;
    its advice only (提示) passes check."""
    config = scratch_project(tmp_path)
    assert main(["-f", str(config), "new", SLUG, "--name", "清水河县城关镇花园社区党总支"]) == 0
    finish(tmp_path / FOLDER)
    return tmp_path


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """`showcase check`: its exit code and its errors (advice left out)."""
    capsys.readouterr()
    code = main(["-f", str(project / "mkdocs.yml"), "check"])
    lines = capsys.readouterr().out.splitlines()
    return code, [line for line in lines if not line.endswith("（提示）")]


def test_new_folder_passes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(project, capsys) == (0, [])


def test_symlinked_profile_is_called_a_symlink(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = project / FOLDER / "profile.yml"
    outside = project / "outside.yml"
    profile.rename(outside)
    profile.symlink_to(outside)
    assert check(project, capsys) == (
        1,
        [f"{FOLDER}/profile.yml:1:1: SYMLINK 不允许使用符号链接：请放入真实的 profile.yml 文件。（错误）"],
    )


@pytest.mark.parametrize("name", ["profile.yaml", "Profile.yml", "profile.yml.txt", "PROFILE.YAML"])
def test_misnamed_profile_is_named_and_renaming_fixes_it(
    project: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    folder = project / FOLDER
    (folder / "profile.yml").rename(folder / name)
    assert check(project, capsys) == (
        1,
        [
            f"{FOLDER}/{name}:1:1: PROFILE_NAME 档案文件必须命名为 profile.yml，"
            f"这里是“{name}”：请把它改名为 profile.yml。（错误）"
        ],
    )
    (folder / name).rename(folder / "profile.yml")  # what the message says to do
    assert check(project, capsys) == (0, [])


def test_two_misnamed_profiles_are_both_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = project / FOLDER
    shutil.copy(folder / "profile.yml", folder / "profile.yml.bak")
    (folder / "profile.yml").rename(folder / "profile.yaml")
    assert check(project, capsys) == (
        1,
        [
            f"{FOLDER}/profile.yaml:1:1: PROFILE_NAME 档案文件必须命名为 profile.yml，"
            "这里是“profile.yaml”：请把它改名为 profile.yml。文件夹里还有 “profile.yml.bak”，只保留一个档案文件。（错误）"
        ],
    )


def test_missing_profile_does_not_send_to_showcase_new(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / FOLDER / "profile.yml").unlink()
    assert check(project, capsys) == (
        1,
        [
            f"{FOLDER}/profile.yml:1:1: NO_PROFILE 缺少档案文件 profile.yml："
            "请从其他党组织的文件夹复制一份 profile.yml 来改写（showcase new 只能新建文件夹）。（错误）"
        ],
    )
    # The reason for that advice: `showcase new` refuses the folder, which exists.
    assert (
        main(["-f", str(project / "mkdocs.yml"), "new", SLUG, "--name", "清水河县城关镇花园社区党总支"]) == 1
    )


def test_profile_that_is_a_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = project / FOLDER / "profile.yml"
    profile.unlink()
    profile.mkdir()
    assert check(project, capsys) == (
        1,
        [
            f"{FOLDER}/profile.yml:1:1: NOT_A_FILE profile.yml 是文件夹而不是文件："
            "请把这个文件夹改名或删除，在这里放入名为 profile.yml 的文件。（错误）"
        ],
    )


def test_case_that_is_a_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = project / FOLDER / "case.md"
    case.unlink()
    case.mkdir()
    (case / "notes.md").write_text("# 主要举措\n", "utf-8")
    assert check(project, capsys) == (
        1,
        [
            f"{FOLDER}/case.md:1:1: NOT_A_FILE case.md 是文件夹而不是文件："
            "请把这个文件夹改名或删除，在这里放入名为 case.md 的文件。（错误）"
        ],
    )


def test_case_that_is_a_fifo_is_not_read(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = project / FOLDER / "case.md"
    case.unlink()
    os.mkfifo(case)  # reading it would wait forever for a writer
    assert check(project, capsys) == (
        1,
        [
            f"{FOLDER}/case.md:1:1: NOT_A_FILE case.md 不是普通文件：请删除它，在这里放入真实的 case.md 文件。（错误）"
        ],
    )
