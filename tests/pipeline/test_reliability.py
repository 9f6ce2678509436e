"""Issue 24 (可靠): what `showcase build` guarantees to an unlucky operator and a busy CI.

Every test is a reproduction from the issue, run through the real command on a synthetic
project: two real processes for the lock, real symlinks, real file modes.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, add_synth_photo, built_synth_project, showcase_build, tree_digest

pytestmark = pytest.mark.slow
SHOWCASE = str(Path(sys.executable).with_name("showcase"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729814400")
    return built_synth_project(tmp_path / "proj", 6, photos=1, seed=11)


def _run(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [SHOWCASE, "-f", str(project / "mkdocs.yml"), "build", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1729814400"},
    )


# -- 4. one build at a time ----------------------------------------------------------------


def test_second_build_waits_for_the_first(project: Path) -> None:
    """Two real builds started together: the second says it waits, both succeed, and the
    result is what one full build gives."""
    case = project / "branches" / "branch-00002" / "case.md"
    case.write_text(case.read_text("utf-8") + "\n两个构建同时进行时的新句子。\n", "utf-8")
    first = _run(project)
    time.sleep(0.3)
    second = _run(project)
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert any("正在使用这个项目，等待它结束" in err for _, err in outputs), outputs
    together = tree_digest(project / "site")
    assert showcase_build(project, "--full") == 0
    assert tree_digest(project / "site") == together
    assert "新句子" in (project / "site" / "branches" / "branch-00002" / "index.html").read_text("utf-8")


# -- 6. modes ---------------------------------------------------------------------------------


def test_published_folders_are_readable_by_the_web_server(project: Path) -> None:
    site = project / "site"
    umask = os.umask(0)
    os.umask(umask)
    for folder in [site, *[p for p in site.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask, folder


# -- 7. site/ as a symlink or a mount point ---------------------------------------------------


def test_symlinked_site_keeps_its_link_and_photos(project: Path, tmp_path: Path) -> None:
    """A docroot that is a symlink: the link stays, the folder it points to gets the site."""
    docroot = tmp_path / "docroot"
    shutil.move(project / "site", docroot)
    (project / "site").symlink_to(docroot, target_is_directory=True)
    case = project / "branches" / "branch-00001" / "case.md"
    case.write_text(case.read_text("utf-8") + "\n经由符号链接发布。\n", "utf-8")
    assert showcase_build(project) == 0
    assert (project / "site").is_symlink()
    assert "经由符号链接发布" in (docroot / "branches" / "branch-00001" / "index.html").read_text("utf-8")
    media = [p for p in (docroot / "media").rglob("*") if p.is_file()]
    assert media, "the photos must still be published"
    assert showcase_build(project, "--full") == 0
    assert tree_digest(docroot) == tree_digest(project / "site")


def test_mount_point_site_is_refused_up_front(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing can be renamed onto a mount point: say so before building (no mount needed to
    show the message; ismount is the kernel's answer the build relies on)."""
    site = project / "site"
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == site or real_ismount(p))
    before = tree_digest(site)
    assert showcase_build(project) == 1
    assert "是一个挂载点" in capsys.readouterr().err
    assert tree_digest(site) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []


# -- 8. mass unpublishing -----------------------------------------------------------------------


def test_emptied_branches_folder_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_digest(project / "site")
    for folder in (project / "branches").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    assert showcase_build(project) == 1
    err = capsys.readouterr().err
    assert "已发布的 6 个党组织中的 6 个从网站下线" in err and "--allow-mass-delete" in err
    assert tree_digest(project / "site") == before
    assert showcase_build(project, "--allow-mass-delete") == 0
    assert not (project / "site" / "branches" / "branch-00001").exists()


def test_deleting_a_few_branches_is_allowed(project: Path) -> None:
    for slug in ("branch-00001", "branch-00002"):
        shutil.rmtree(project / "branches" / slug)
    assert showcase_build(project) == 0  # 2 of 6 is under the default half


def test_deleting_more_than_half_is_refused(project: Path) -> None:
    for n in range(1, 5):
        shutil.rmtree(project / "branches" / f"branch-{n:05d}")
    assert showcase_build(project) == 1


# -- 9, 11. incremental state that cannot lie --------------------------------------------------


def test_override_template_change_rebuilds_every_page(project: Path) -> None:
    """A template in overrides/ wraps every page: editing it must reach all of them."""
    overrides = project / "overrides" / "partials"
    overrides.mkdir(parents=True)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"),
        "utf-8",
    )
    (overrides / "footer.html").write_text("<div>旧页脚</div>\n", "utf-8")
    assert showcase_build(project, "--full") == 0
    (overrides / "footer.html").write_text("<div>新页脚</div>\n", "utf-8")
    assert showcase_build(project) == 0
    pages = list((project / "site").rglob("index.html"))
    stale = [p for p in pages if "旧页脚" in p.read_text("utf-8")]
    assert stale == []
    assert all("新页脚" in p.read_text("utf-8") for p in pages)


def test_static_file_restored_with_an_older_date_is_published(project: Path) -> None:
    static = project / "content" / "notice.txt"
    static.write_text("第一版\n", "utf-8")
    assert showcase_build(project) == 0
    old = static.stat().st_mtime
    static.write_text("第二版\n", "utf-8")
    os.utime(static, (old - 3600, old - 3600))  # as git checkout or cp -p may leave it
    assert showcase_build(project) == 0
    assert (project / "site" / "notice.txt").read_text("utf-8") == "第二版\n"


# -- 13. leftovers -------------------------------------------------------------------------------


def test_leftover_build_folders_are_cleaned_and_ignored(project: Path) -> None:
    for name in (".site-new-abc123", ".site-old-4242"):
        (project / name / "branches").mkdir(parents=True)
    assert showcase_build(project) == 0
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []
    ignored = (ROOT / ".gitignore").read_text("utf-8").split()
    assert "/.site-new-*/" in ignored and "/.site-old-*/" in ignored


# -- 5, 12. the switch and the published photos ---------------------------------------------------


def test_published_site_is_untouched_until_the_switch(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Right before the switch the live site (photos included) is still exactly the old one."""
    from showcase.pipeline.output import OutputFolder

    before = tree_digest(project / "site")
    add_synth_photo(project, "branch-00003")
    shutil.rmtree(project / "branches" / "branch-00004")  # its photos become unused
    swap = OutputFolder.swap
    seen: list[dict[str, str]] = []

    def watched(self: OutputFolder) -> None:
        seen.append(tree_digest(project / "site"))
        swap(self)

    monkeypatch.setattr(OutputFolder, "swap", watched)
    assert showcase_build(project) == 0
    assert seen == [before]
    after = tree_digest(project / "site")
    assert after != before
    assert showcase_build(project, "--full") == 0
    assert tree_digest(project / "site") == after


@pytest.mark.parametrize("point", ["before-swap", "after-swap"])
def test_killed_at_the_switch_leaves_one_whole_site(project: Path, point: str) -> None:
    """SIGKILL at the switch (a real kill at an exact point): site/ is the old site or the new
    one, complete; the next build cleans up and gives what a full build gives."""
    before = tree_digest(project / "site")
    add_synth_photo(project, "branch-00005")
    killed = subprocess.run(
        [SHOWCASE, "-f", str(project / "mkdocs.yml"), "build"],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1729814400", "SHOWCASE_TEST_KILL_AT": point},
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -9
    now = tree_digest(project / "site")
    if point == "before-swap":
        assert now == before
    else:
        assert now != before and any(k.startswith("media/") for k in set(now) - set(before))
    assert showcase_build(project) == 0
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []
    incremental = tree_digest(project / "site")
    assert showcase_build(project, "--full") == 0
    assert tree_digest(project / "site") == incremental


def test_editing_a_published_photo_does_not_poison_the_cache(project: Path) -> None:
    """A published variant edited in place (an operator 'fixing' the docroot) is not the
    cache: a full build publishes the right bytes again."""
    media = sorted(p for p in (project / "site" / "media").rglob("*.jpg"))
    target = media[0]
    good = target.read_bytes()
    with target.open("r+b") as f:  # in place, as an editor or exiftool would
        f.seek(200)
        f.write(b"\0" * 64)
    assert showcase_build(project, "--full") == 0
    assert target.read_bytes() == good


def test_failed_build_leaves_no_background_work(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that fails while pages render stops the search job it started and leaves no
    result file in the temporary folder (issue 24, item 13)."""
    import multiprocessing
    import tempfile

    from showcase.site.pages import SitePages

    def broken(self: SitePages) -> str:
        raise RuntimeError("模拟的渲染错误")

    monkeypatch.setattr(SitePages, "home_sections", broken)
    before = set(Path(tempfile.gettempdir()).glob("showcase-job-*"))
    assert showcase_build(project, "--full") == 2  # an internal error, reported without a traceback
    assert set(Path(tempfile.gettempdir()).glob("showcase-job-*")) - before == set()
    assert multiprocessing.active_children() == []


def test_lock_is_shared_within_one_process(tmp_path: Path) -> None:
    """Within one process builds run one after another: a second holder (a `mkdocs build`
    inside `showcase build`, an event chain that never ended) must not wait for itself, and
    the lock is free for other processes only when the last holder lets go."""
    import fcntl

    from showcase.pipeline.lock import ProjectLock

    first, second = ProjectLock(tmp_path), ProjectLock(tmp_path)
    first.acquire(print)
    second.acquire(print)  # would block forever with a second flock

    def free() -> bool:
        fd = os.open(first.path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)
        return True

    first.release()
    assert not free()
    second.release()
    assert free()
