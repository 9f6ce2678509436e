"""`showcase build`: incremental rebuilds equal full ones; a failed build keeps the old site."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from conftest import built_synth_project, showcase_build, tree_digest

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729814400")
    return built_synth_project(tmp_path / "proj", 24, photos=1, seed=5)


def test_incremental_build_equals_full_build(project: Path) -> None:
    site = project / "site"
    before = tree_digest(site)
    case = project / "branches" / "branch-00003" / "case.md"
    case.write_text(case.read_text("utf-8") + "\n增量构建测试新增的一句话。\n", "utf-8")
    profile = project / "branches" / "branch-00004" / "profile.yml"
    profile.write_text(profile.read_text("utf-8").replace("summary: ", "summary: 摘要已修改。"), "utf-8")
    shutil.rmtree(project / "branches" / "branch-00007")

    assert showcase_build(project) == 0  # incremental: starts from a copy of the previous site
    incremental = tree_digest(site)
    assert incremental != before
    assert "branches/branch-00007/index.html" not in incremental  # the removed branch is gone
    assert "增量构建测试新增的一句话" in (site / "branches/branch-00003/index.html").read_text("utf-8")

    assert showcase_build(project, "--full") == 0
    assert tree_digest(site) == incremental


def test_unchanged_rebuild_renders_no_branch_page(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    page = project / "site" / "branches" / "branch-00001" / "index.html"
    mtime = page.stat().st_mtime_ns
    assert showcase_build(project) == 0
    assert page.stat().st_mtime_ns == mtime  # carried over, not rendered again
    assert any("个页面未变" in r.getMessage() for r in caplog.records)
    # search takes the kept pages' text from its cache, rendering none of them again
    [line] = [r.getMessage() for r in caplog.records if "的文字取自缓存" in r.getMessage()]
    assert line.endswith("0 个重新生成。") and "中 0 个" not in line


def test_failed_build_leaves_previous_site_untouched(project: Path) -> None:
    before = tree_digest(project / "site")
    profile = project / "branches" / "branch-00002" / "profile.yml"
    profile.write_text(profile.read_text("utf-8").replace("value: ", "value: 一千", 1), "utf-8")
    assert showcase_build(project) == 1
    assert tree_digest(project / "site") == before
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site-")]
    assert leftovers == []


def test_state_is_saved_only_after_the_swap(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that fails at the swap (disk full) keeps the old site/ and the old incremental
    state, so the next build still republishes the change (issue 24, item 3)."""
    from showcase.pipeline.output import OutputFolder

    page = project / "site" / "branches" / "branch-00003" / "index.html"
    case = project / "branches" / "branch-00003" / "case.md"
    case.write_text(case.read_text("utf-8") + "\n交换前失败的构建不应记下这一句。\n", "utf-8")
    swap = OutputFolder.swap

    def disk_full(self: OutputFolder) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(OutputFolder, "swap", disk_full)
    assert showcase_build(project) == 1
    assert "交换前失败的构建" not in page.read_text("utf-8")
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []
    monkeypatch.setattr(OutputFolder, "swap", swap)
    assert showcase_build(project) == 0
    assert "交换前失败的构建不应记下这一句" in page.read_text("utf-8")


def test_search_text_of_kept_pages_survives_a_lost_or_broken_cache(project: Path) -> None:
    """Pages an incremental build keeps give search their text from .cache/search-pages.json;
    without it (deleted, cut short) they are rendered again: the site is the same either way."""
    cache = project / ".cache" / "showcase" / "search-pages.json"
    assert cache.is_file()
    for n, damage in enumerate([lambda: cache.unlink(), lambda: cache.write_bytes(cache.read_bytes()[:100])]):
        case = project / "branches" / f"branch-0000{n + 3}" / "case.md"
        case.write_text(case.read_text("utf-8") + f"\n搜索缓存测试第{n}句。\n", "utf-8")
        damage()
        assert showcase_build(project) == 0
        incremental = tree_digest(project / "site")
        assert showcase_build(project, "--full") == 0
        assert tree_digest(project / "site") == incremental
        assert cache.is_file()
