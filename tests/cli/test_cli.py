"""The `showcase` command as a liaison and CI run it: check (paths, formats, summary, colour,
exit codes), new (scaffold that passes check), and reproducible builds."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from branch_samples import CASE, PROFILE, ROOT, add_branch
from showcase.cli.main import main
from showcase.content import yamlstrict
from showcase.content.checks import GUESS_COMMENT
from showcase.content.load import load_project

SHOWCASE = str(Path(sys.executable).with_name("showcase"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two branches: good-shequ (clean) and bad-shequ (one error, one warning)."""
    (tmp_path / "branches").mkdir()
    shutil.copy(ROOT / "branches" / "taxonomy.yml", tmp_path / "branches" / "taxonomy.yml")
    (tmp_path / "mkdocs.yml").write_text("site_name: 测试\n", "utf-8")
    add_branch(tmp_path, "good-shequ")
    bad = PROFILE.format(slug="bad-shequ").replace("category: 社区", "category: 社去")
    add_branch(tmp_path, "bad-shequ", bad, case=CASE + "\n热线 0471-6961234。\n")
    return tmp_path


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SHOWCASE, "-f", str(project / "mkdocs.yml"), *args],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


BAD_CATEGORY = "branches/bad-shequ/profile.yml:3:11: UNKNOWN_CATEGORY 类别“社去”不在 taxonomy.yml 的词表中：是否想写“社区”？"


def test_check_text_output_and_exit_code(project: Path) -> None:
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "branches/bad-shequ/case.md:9:4: LANDLINE 发现固定电话 047****1234：如果是个人住宅电话请删除；单位公开的办公电话可以保留。（提示）",
        BAD_CATEGORY + "（错误）",
    ]
    assert result.stderr.strip() == "检查完成：1 个党组织可以发布，1 个错误，1 个提示。"
    assert "Traceback" not in result.stderr


def test_check_limited_to_paths(project: Path) -> None:
    good = run(project, "check", "branches/good-shequ")
    assert (good.returncode, good.stdout) == (0, "")
    assert good.stderr.strip() == "检查了 1 个党组织文件夹：1 个可以发布，0 个错误，0 个提示。"
    # pre-commit passes changed files; they select their branch
    bad = run(project, "check", "branches/bad-shequ/case.md", "content/index.md")
    assert bad.returncode == 1 and BAD_CATEGORY in bad.stdout
    # a change to the shared vocabulary concerns everyone
    everything = run(project, "check", "branches/taxonomy.yml")
    assert (
        everything.returncode == 1
        and "共" not in everything.stderr
        and "1 个党组织可以发布" in everything.stderr
    )


def test_check_github_annotations(project: Path) -> None:
    result = run(project, "check", "--format", "github")
    assert result.stdout.splitlines()[1] == (
        "::error file=branches/bad-shequ/profile.yml,line=3,col=11,title=UNKNOWN_CATEGORY::"
        "类别“社去”不在 taxonomy.yml 的词表中：是否想写“社区”？"
    )
    assert result.stdout.splitlines()[0].startswith("::warning file=branches/bad-shequ/case.md,line=9,col=4,")


def test_check_json(project: Path) -> None:
    result = run(project, "check", "--format", "json")
    data = json.loads(result.stdout)
    assert [(d["code"], d["severity"], d["line"], d["col"]) for d in data] == [
        ("LANDLINE", "warning", 9, 4),
        ("UNKNOWN_CATEGORY", "error", 3, 11),
    ]
    assert result.returncode == 1


def test_check_summary_for_the_pull_request_page(project: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# 之前的内容\n", "utf-8")
    run(project, "check", "--summary", str(summary), "branches/bad-shequ", "branches/good-shequ")
    text = summary.read_text("utf-8")
    assert text.startswith("# 之前的内容\n## 党组织档案检查")  # appended, not overwritten
    assert "| `branches/bad-shequ` | — | ❌ 需要修改 | 1 | 1 |" in text
    assert "| `branches/good-shequ` | 清水河县城关镇花园社区党总支 | ✅ 通过 | 0 | 0 |" in text
    assert "| ❌ `branches/bad-shequ/profile.yml:3:11` | UNKNOWN_CATEGORY |" in text


def test_check_colours_only_on_a_terminal(project: Path) -> None:
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"}
    proc = subprocess.run(
        [SHOWCASE, "check"], cwd=project, stdout=secondary, stderr=subprocess.DEVNULL, env=env, check=False
    )
    os.close(secondary)
    out = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(primary)
    assert proc.returncode == 1
    assert b"\x1b[31m" + BAD_CATEGORY.encode() in out  # errors red
    assert b"\x1b[33mbranches/bad-shequ/case.md" in out  # advice yellow
    assert "\x1b[" not in run(project, "check").stdout  # piped: plain


def test_check_reports_a_broken_taxonomy_without_traceback(project: Path) -> None:
    (project / "branches" / "taxonomy.yml").write_text("regions: {}\ncategories: []\n", "utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stdout.startswith("branches/taxonomy.yml:")
    assert "Traceback" not in result.stderr + result.stdout


# --- new -------------------------------------------------------------------------------------


def test_new_scaffolds_a_folder_that_check_refuses_until_finished(project: Path) -> None:
    result = run(project, "new", "yangguang-shequ", "--name", "回民区光明路街道阳光社区党委")
    assert result.returncode == 0, result.stderr
    assert "根据名称推测了类别“社区”、区域“呼和浩特市/回民区/光明路街道”" in result.stdout
    folder = project / "branches" / "yangguang-shequ"
    text = (folder / "profile.yml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../profile.schema.json\n")
    data = yamlstrict.load("profile.yml", text.encode()).data
    assert (data["slug"], data["name"], data["category"], data["region"]) == (
        "yangguang-shequ",
        "回民区光明路街道阳光社区党委",
        "社区",
        "呼和浩特市/回民区/光明路街道",
    )
    assert "## 主要举措" in (folder / "case.md").read_text("utf-8")
    loaded = load_project(project)
    assert "yangguang-shequ" not in [b.slug for b in loaded.branches]  # nothing unfinished is published
    # One run of check names every placeholder and every guess, each at its line.
    check = run(project, "check", "branches/yangguang-shequ")
    assert check.returncode == 1
    profile = "branches/yangguang-shequ/profile.yml"
    case = "branches/yangguang-shequ/case.md"
    lines = text.splitlines()
    guessed = [n for n, line in enumerate(lines, 1) if line.endswith(GUESS_COMMENT)]
    case_lines = (folder / "case.md").read_text("utf-8").splitlines()
    case_placeholders = [n for n, line in enumerate(case_lines, 1) if line.startswith("待填写")]
    assert len(case_placeholders) == 2 and case_lines[:3] == ["---", "slug: yangguang-shequ", "---"]
    placeholders = [n for n, line in enumerate(lines, 1) if "待填写" in line and not line.startswith("#")]
    assert [lines[n - 1].split(":")[0] for n in guessed] == ["category", "region", "themes"]
    found = [line.split(" ", 2)[:2] for line in check.stdout.splitlines()]
    assert found == sorted(
        [[f"{profile}:{n}:{lines[n - 1].index('#') + 1}:", "GUESS_UNCONFIRMED"] for n in guessed]
        + [[f"{profile}:{n}:{lines[n - 1].index('待') + 1}:", "PLACEHOLDER"] for n in placeholders]
        + [[f"{case}:{n}:1:", "PLACEHOLDER"] for n in case_placeholders]
        + [[f"{case}:1:1:", "CASE_TOO_SHORT"]],
        key=lambda p: (p[0].split(":")[0], int(p[0].split(":")[1]), int(p[0].split(":")[2]), p[1]),
    )
    # Removing the marks and writing real text is what it takes.
    (folder / "profile.yml").write_text(
        text.replace(f"  {GUESS_COMMENT}", "")
        .replace("待填写品牌名称", "阳光连心")
        .replace("summary: 待填写：", "summary: 阳光社区党委以“阳光连心”服务居民。"),
        "utf-8",
    )
    (folder / "case.md").write_text("## 主要举措\n\n入户走访。\n\n## 取得成效\n\n居民满意。\n", "utf-8")
    assert run(project, "check", "branches/yangguang-shequ").returncode == 0


def test_new_quotes_names_yaml_would_misread(project: Path) -> None:
    result = run(
        project, "new", "no", "--name", "NO: 测试#党支部", "--category", "村", "--region", "北京市/门头沟区"
    )
    assert result.returncode == 0, result.stderr
    data = yamlstrict.load("p", (project / "branches" / "no" / "profile.yml").read_bytes()).data
    assert (data["name"], data["category"], data["region"]) == ("NO: 测试#党支部", "村", "北京市/门头沟区")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["good-shequ", "--name", "某党支部"],
            "branches/good-shequ:1:1: EXISTS 文件夹 branches/good-shequ 已经存在",
        ),
        (["Good_Shequ", "--name", "某党支部"], "FOLDER_NAME 网址名“Good_Shequ”不合规"),
        (["x-cun", "--name", "某党支部", "--category", "农村"], "UNKNOWN_CATEGORY 类别“农村”不在词表中"),
        (
            ["x-cun", "--name", "某党支部", "--region", "回民区"],
            "UNKNOWN_REGION 区域“回民区”不在区域树中：是否想写“呼和浩特市/回民区”？",
        ),
    ],
)
def test_new_refuses_bad_arguments(project: Path, args: list[str], message: str) -> None:
    before = sorted(p.name for p in (project / "branches").iterdir())
    result = run(project, "new", *args)
    assert result.returncode == 1
    assert message in result.stdout
    assert sorted(p.name for p in (project / "branches").iterdir()) == before  # nothing written


# --- build -----------------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_two_builds_of_one_commit_are_byte_identical(tmp_path: Path) -> None:
    """Other folder, other time zone, other hash seed, same SOURCE_DATE_EPOCH: same bytes."""
    trees = []
    for name, tz, seed in (("a", "Asia/Shanghai", "1"), ("b", "America/New_York", "2")):
        checkout = tmp_path / name / "repo"
        checkout.mkdir(parents=True)
        for part in ("mkdocs.yml", "content", "branches", "overrides"):
            src = ROOT / part
            (shutil.copytree if src.is_dir() else shutil.copy)(src, checkout / part)
        env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1732147200"}
        result = subprocess.run(
            [SHOWCASE, "build", "--strict"],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        trees.append(_tree(checkout / "site"))
    assert len(trees[0]) > 100
    assert trees[0] == trees[1]


def test_main_never_shows_a_traceback_for_missing_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-f", str(tmp_path / "nowhere" / "mkdocs.yml"), "check"]) == 1
    out = capsys.readouterr()
    assert "NO_TAXONOMY 找不到受控词表 taxonomy.yml" in out.out
    assert "Traceback" not in out.err
