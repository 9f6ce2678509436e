"""The two holes of issue 24 (可靠 1, 2): taxonomy names that leave site/, symlinks in content/.

Each test is the issue's reproduction, run through the real `showcase check` and `showcase
build` on a copy of the sample project: the attack must be refused with a Chinese
file:line message, nothing may be written outside site/ (or published from outside the
project), and the previous site/ must stay as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from conftest import ROOT, tree_digest
from showcase.atomic import write_files
from showcase.cli.main import main
from showcase.mkdocs_plugin.plugin import _check_destinations
from showcase.safe_paths import UnsafePath, check_inside, inside, segment_problem


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample project (no photos needed: the branches' own photos are copied)."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("mkdocs.yml", "content", "overrides", "branches"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        else:
            shutil.copy(src, root / name)
    return root


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["-f", str(project / "mkdocs.yml"), "check"])
    return code, capsys.readouterr().out


@pytest.fixture
def build(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> Callable[[Path], tuple[int, str]]:
    """`showcase build --full`: exit code, and what it printed and logged (MkDocs logs the
    plugin's message, then the command says where to look)."""

    def run(project: Path) -> tuple[int, str]:
        caplog.clear()
        code = main(["-f", str(project / "mkdocs.yml"), "build", "--full"])
        err = capsys.readouterr().err
        assert "Aborted with a BuildError" not in err
        return code, caplog.text + err

    return run


def add_to_taxonomy(project: Path, after: str, lines: str) -> int:
    """Insert `lines` after the line `after` of taxonomy.yml; returns the first new line's number."""
    path = project / "branches" / "taxonomy.yml"
    text = path.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(text) if line.rstrip() == after) + 1
    text[at:at] = [lines]
    path.write_text("".join(text), "utf-8")
    return at + 1


# -- 1. names that become path segments ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "..",
        ".",
        ".hidden",
        "a/b",
        "a\\b",
        "",
        " ",
        "前后 ",
        "a\x00b",
        "a\nb",
        "a\u202eb",
        "a#b",
        "a?b",
        "50%",
    ],
)
def test_segment_problem_refuses(name: str) -> None:
    assert segment_problem(name) is not None


@pytest.mark.parametrize("name", ["呼和浩特市", "基层治理", "一老一小", "2024年", "党建+"])
def test_segment_problem_accepts(name: str) -> None:
    assert segment_problem(name) is None


def test_region_dotdot_is_refused_and_nothing_escapes(
    build: Callable[[Path], tuple[int, str]], project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's reproduction: `"..": {"..": {"..": {escape-proof: []}}}` under regions:."""
    assert build(project)[0] == 0
    before = tree_digest(project / "site")
    line = add_to_taxonomy(project, "regions:", '  "..": {"..": {"..": {escape-proof: []}}}\n')
    code, out = check(project, capsys)
    assert code == 1
    assert f"branches/taxonomy.yml:{line}:3: TAXONOMY 区域名“..”不能以“.”开头" in out
    code, err = build(project)
    assert code == 1
    assert "TAXONOMY 区域名“..”" in err
    for folder in (project, project.parent, project.parent.parent):
        assert not (folder / "escape-proof").exists()
    assert tree_digest(project / "site") == before


@pytest.mark.parametrize(
    ("after", "entry", "col", "message"),
    [
        ("categories:", "  - {name: ../../x}\n", 12, "“../../x”不能以“.”开头"),
        ("themes:", "  - {name: 网格/治理}\n", 12, "“网格/治理”不能含有“/”"),
    ],
)
def test_term_names_are_checked_as_path_segments(
    project: Path, capsys: pytest.CaptureFixture[str], after: str, entry: str, col: int, message: str
) -> None:
    line = add_to_taxonomy(project, after, entry)
    code, out = check(project, capsys)
    assert code == 1
    assert f"branches/taxonomy.yml:{line}:{col}: TAXONOMY {message}" in out


def test_duplicated_region_in_a_list_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = add_to_taxonomy(project, "regions:", "  测试市: [甲区, 乙区, 甲区]\n")
    code, out = check(project, capsys)
    assert code == 1
    assert f"branches/taxonomy.yml:{line}:17: TAXONOMY 区域“甲区”在同一级里重复出现。" in out


def test_inside_refuses_paths_that_leave(tmp_path: Path) -> None:
    assert inside(tmp_path, "search/index.json") == tmp_path / "search" / "index.json"
    for rel in ("../x", "a/../../x", "/etc/passwd", "", ".", "a\\..\\..\\x", "a\0b"):
        with pytest.raises(UnsafePath):
            inside(tmp_path, rel)
    with pytest.raises(UnsafePath):
        check_inside(tmp_path / "site", tmp_path / "site-other" / "index.html")
    check_inside(tmp_path / "site", tmp_path / "site" / "a" / "index.html")


def test_generated_files_are_written_inside_only(tmp_path: Path) -> None:
    with pytest.raises(UnsafePath):
        write_files(tmp_path / "site", {"../outside.txt": b"x"})
    assert not (tmp_path / "outside.txt").exists()


def test_every_mkdocs_destination_is_checked(tmp_path: Path) -> None:
    """The last guard, whatever a name slipped past: a File MkDocs would write outside site/."""
    site = tmp_path / "site"

    def page(uri: str) -> File:
        return File(uri, src_dir=None, dest_dir=str(site), use_directory_urls=True)

    files = Files([page("regions/ok/index.md")])
    _check_destinations(files, site)
    files.append(page("regions/../../../escape/index.md"))
    with pytest.raises(PluginError, match="超出了输出文件夹"):
        _check_destinations(files, site)


# -- 2. symlinks among pages and templates --------------------------------------------------


def test_symlinked_file_in_content_is_refused(
    build: Callable[[Path], tuple[int, str]], project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's reproduction: `ln -s /etc/passwd content/leak.txt; showcase build`."""
    assert build(project)[0] == 0
    before = tree_digest(project / "site")
    os.symlink("/etc/passwd", project / "content" / "leak.txt")
    code, out = check(project, capsys)
    assert code == 1
    assert "content/leak.txt:1:1: SYMLINK 不允许使用符号链接" in out
    code, err = build(project)
    assert code == 1
    assert "content/leak.txt:1:1: SYMLINK" in err and "Traceback" not in err
    assert not (project / "site" / "leak.txt").exists()
    assert tree_digest(project / "site") == before


@pytest.mark.parametrize("where", ["content/shared", "overrides/more", "content/editions/old"])
def test_symlinked_folder_is_refused_with_a_message(
    build: Callable[[Path], tuple[int, str]], project: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    os.symlink("/", project / where, target_is_directory=True)
    code, out = check(project, capsys)
    assert code == 1
    assert f"{where}:1:1: SYMLINK" in out
    code, err = build(project)
    assert code == 1
    assert f"{where}:1:1: SYMLINK" in err and "Traceback" not in err
    assert not (project / "site").exists()


def test_symlinked_taxonomy_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy = project / "branches" / "taxonomy.yml"
    real = project / "taxonomy-real.yml"
    taxonomy.rename(real)
    taxonomy.symlink_to(real)
    code, out = check(project, capsys)
    assert code == 1
    assert "branches/taxonomy.yml:1:1: SYMLINK" in out


def test_check_reads_docs_dir_from_mkdocs_yml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One resolution of docs_dir: a project with `docs_dir: docs` is checked where it builds."""
    (project / "content").rename(project / "docs")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("docs_dir: content", "docs_dir: docs"), "utf-8")
    code, out = check(project, capsys)
    assert code == 0, out
    os.symlink("/etc/passwd", project / "docs" / "leak.txt")
    code, out = check(project, capsys)
    assert code == 1
    assert "docs/leak.txt:1:1: SYMLINK" in out
