"""Files as the web editor (Decap CMS, /admin/) writes them pass `showcase check`.

Decap dumps YAML with js-yaml: block style, lists indented under their key, a cleared
field as `''` and a date typed into a text box quoted (`'2024-10-25'`). A case created in
the form starts with the front matter `slug: <folder>` (its identifier field). Each test
runs the real `showcase check` on a folder written by the real `showcase new`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import scratch_project
from showcase.cli.main import main
from showcase.content.branch import load_branch
from showcase.content.load import TAXONOMY
from showcase.content.taxonomy import load_taxonomy
from showcase.editor.decap_config import case_template
from showcase.render.markdown import SafeMarkdown

SLUG = "huayuan-shequ"
FOLDER = f"branches/{SLUG}"
CASE = f"{FOLDER}/case.md"

# What Decap saves for a profile whose optional fields were left empty or cleared.
DECAP_PROFILE = """\
slug: huayuan-shequ
name: 清水河县城关镇花园社区党总支
short_name: ''
category: 社区
region: 呼和浩特市/清水河县/城关镇
brand:
  name: 花园连心
  slogan: ''
  logo: ''
summary: 花园社区党总支以“花园连心”为品牌，把居民的事当作自家的事来办。
themes:
  - 基层治理
figures:
  - label: 在职党员
    value: 1400
    qualifier: ''
    unit: 名
    as_of: ''
    metric: ''
honors:
  - title: 呼和浩特市坚强堡垒示范支部
    date: ''
    by: ''
    level: ''
photos: []
sources:
  - title: 呼和浩特日报
    date: '2023-10-25'
    page: ''
    url: ''
updated: '2024-10-25'
"""

BODY = """\
## 主要举措

社区党总支牵头组建联合大党委，请驻区单位和居民代表一起商量事，每月召开一次议事会，把停车、加装电梯、楼道清理等居民最关心的问题摆到桌面上，逐项明确牵头人和完成时限。党员亮身份、认领网格，带头入户走访，把群众的意见带回议事会。驻区单位开放停车位和活动室，志愿者队伍轮流值守，社区还建立了问题台账，办结一件销号一件，做到件件有回音。

## 取得成效

停车难等问题逐一得到回应，居民满意度明显提升，社区获评市级坚强堡垒示范支部。议事会累计解决民生问题四十余件，驻区单位与社区结对共建项目二十个，越来越多的居民主动参与社区治理，邻里关系更加和睦。
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one branch folder made by `showcase new`, then saved by the editor."""
    config = scratch_project(tmp_path)
    assert main(["-f", str(config), "new", SLUG, "--name", "清水河县城关镇花园社区党总支"]) == 0
    (tmp_path / FOLDER / "profile.yml").write_text(DECAP_PROFILE, "utf-8")
    (tmp_path / CASE).write_text(BODY, "utf-8")
    return tmp_path


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """`showcase check`: its exit code and its errors (advice left out, "（错误）" cut)."""
    capsys.readouterr()
    code = main(["-f", str(project / "mkdocs.yml"), "check"])
    lines = capsys.readouterr().out.splitlines()
    return code, [line.removesuffix("（错误）") for line in lines if line.endswith("（错误）")]


def test_profile_with_cleared_optional_fields_passes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(project, capsys) == (0, [])


def test_cleared_required_field_is_still_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = project / FOLDER / "profile.yml"
    profile.write_text(DECAP_PROFILE.replace("  name: 花园连心", "  name: ''"), "utf-8")
    code, errors = check(project, capsys)
    assert code == 1
    assert errors == [f"{FOLDER}/profile.yml:7:9: EMPTY brand.name（品牌名称） 不能为空。"]


def _branch(project: Path) -> tuple[list[str], str]:
    taxonomy = load_taxonomy(TAXONOMY, (project / "branches" / TAXONOMY).read_bytes())
    problems, branch = load_branch(project, project / FOLDER, taxonomy)
    found = [p.format() for p in problems if p.severity.name == "ERROR"]
    return found, branch.case_md if branch else ""


def test_case_created_in_the_form_passes_and_its_front_matter_is_not_published(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / CASE).write_text(f"---\nslug: {SLUG}\n---\n" + BODY, "utf-8")
    assert check(project, capsys) == (0, [])
    errors, case_md = _branch(project)
    assert errors == []
    assert case_md == "\n\n\n" + BODY  # blanked, line numbers kept
    html = SafeMarkdown().render(case_md).html
    assert SLUG not in html and "<hr" not in html
    assert html == SafeMarkdown().render(BODY).html


def test_case_template_as_the_form_creates_it_is_only_unfinished(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / CASE).write_text(f"---\nslug: '{SLUG}'\n---\n" + case_template(), "utf-8")
    code, errors = check(project, capsys)
    assert code == 1
    assert errors and all(" PLACEHOLDER " in e and e.startswith(f"{CASE}:") for e in errors)
    # the template's first 待填写 is on its line 3, here line 6 (three front-matter lines)
    assert errors[0].startswith(f"{CASE}:6:")


def test_case_slug_must_be_the_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / CASE).write_text("---\nslug: huayuan\n---\n" + BODY, "utf-8")
    assert check(project, capsys) == (
        1,
        [f"{CASE}:2:7: SLUG_MISMATCH slug“huayuan”必须与文件夹名“{SLUG}”相同。"],
    )


def test_case_front_matter_holds_only_the_slug(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / CASE).write_text(f"---\nslug: {SLUG}\ntitle: 花园连心\n---\n" + BODY, "utf-8")
    assert check(project, capsys) == (
        1,
        [
            f"{CASE}:3:1: CASE_FRONT_MATTER case.md 开头的文件头只能写 slug（网址名），不能写“title”：其他内容请写进正文。"
        ],
    )


def test_case_front_matter_without_slug(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / CASE).write_text("---\n---\n" + BODY, "utf-8")
    assert check(project, capsys) == (
        1,
        [
            f"{CASE}:1:1: CASE_FRONT_MATTER case.md 开头两行“---”之间只能写一行 slug: {SLUG}（网页编辑用）；"
            "如果第一行的“---”是分隔线，请删掉它。"
        ],
    )


def test_problems_in_the_body_keep_their_lines(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = BODY.replace("每月召开一次议事会", "联系电话 13812345678，每月召开一次议事会")
    (project / CASE).write_text(f"---\nslug: {SLUG}\n---\n" + body, "utf-8")
    code, errors = check(project, capsys)
    assert code == 1
    assert len(errors) == 1 and errors[0].startswith(f"{CASE}:6:")


def test_a_single_rule_on_the_first_line_is_markdown_as_before(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / CASE).write_text("---\n\n" + BODY, "utf-8")
    assert check(project, capsys) == (0, [])
    assert _branch(project) == ([], "---\n\n" + BODY)
