"""`showcase edit --drafts`: the editorial workflow of the hosted repository, on this machine.
decap-server in git mode keeps what the form saves on a draft branch (cms/…) of the project's
own repository: a half-finished branch saved in the form is a draft, absent from main and from
the working tree, until someone sets it 就绪 and publishes it. Real Chromium, real decap-server,
real git."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from editor.editing import Editing, copy_project, running
from editor.test_editor_flow import SHOTS, WAIT, choose, field, login
from page_types import Watch

pytestmark = pytest.mark.browser

SLUG = "caogao-shequ"
NAME = "回民区测试路街道草稿社区党委"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "测试",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def repository(project: Path) -> Path:
    git(project, "init", "-q", "-b", "main")
    # decap-server commits with the repository's own identity
    git(project, "config", "user.name", "联络员")
    git(project, "config", "user.email", "liaison@example.org")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "sample")
    return project


@pytest.fixture(scope="module")
def drafting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editing]:
    project = repository(copy_project(tmp_path_factory.mktemp("editor-drafts")))
    with running(project, "--drafts") as editing:
        yield editing


def test_a_saved_entry_is_a_draft_branch_until_it_is_published(drafting: Editing, browser: Any) -> None:
    project = drafting.project
    assert "草稿分支" in drafting.banner
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    watch = Watch(page, drafting.base)
    try:
        login(page, drafting.base)
        page.get_by_text("党组织档案").first.click()
        page.get_by_text(re.compile(r"^＋\s*党组织档案$")).click(timeout=WAIT)
        field(page, "网址名").fill(SLUG)
        field(page, "党组织全称").fill(NAME)
        choose(page, field(page, "组织类别"), "社区")
        choose(page, field(page, "所属区域"), "呼和浩特市/回民区/光明路街道")
        field(page, "品牌名称").fill("草稿品牌")
        field(page, "简介").fill("草稿社区党委还在整理材料，这一条只是草稿。")
        field(page, "更新日期").fill("2026-12")
        page.get_by_role("button", name="保存", exact=True).click()
        page.get_by_text("内容已保存").first.wait_for(timeout=WAIT)

        # A draft: on its own branch, not in main, not in the working tree.
        drafts = git(project, "branch", "--list", "cms/*", "--format=%(refname:short)").split()
        assert len(drafts) == 1 and SLUG in drafts[0], drafts
        assert NAME in git(project, "show", f"{drafts[0]}:branches/{SLUG}/profile.yml")
        assert f"branches/{SLUG}/" not in git(project, "ls-tree", "-r", "--name-only", "main")
        assert not (project / "branches" / SLUG).exists()
        assert git(project, "branch", "--show-current").strip() == "main"

        # 就绪, then 发布 → 立即发布: merged into main, the draft branch gone.
        page.get_by_role("button", name=re.compile("^状态")).click()
        page.get_by_text("就绪", exact=True).last.click()
        page.get_by_text("内容状态已更新").first.wait_for(timeout=WAIT)
        page.on("dialog", lambda dialog: dialog.accept())  # “确定要发布吗？”
        page.get_by_role("button", name="发布").first.click()
        page.get_by_text("立即发布", exact=True).click(timeout=WAIT)
        deadline = time.monotonic() + 20
        while f"branches/{SLUG}/profile.yml" not in git(project, "ls-tree", "-r", "--name-only", "main"):
            if time.monotonic() > deadline:
                page.screenshot(path=SHOTS / "debug-drafts-publish.png")
                raise AssertionError("not published into main")
            time.sleep(0.2)
        assert NAME in git(project, "show", f"main:branches/{SLUG}/profile.yml")
        assert git(project, "branch", "--list", "cms/*").strip() == ""
        assert [u for u in watch.foreign() if not u.startswith("http://127.0.0.1:")] == []
        # Decap asks decap-server for a draft of the entry it opens; "none" is a 404, which
        # Chromium logs as a failed resource. That, and nothing else.
        api = f"http://127.0.0.1:{drafting.port + 1}/api/v1"
        missing = f"Failed to load resource: the server responded with a status of 404 (Not Found) @ {api}"
        assert [e for e in watch.script_errors() if e != missing] == []
    finally:
        context.close()
