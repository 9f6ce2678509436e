"""`showcase edit`: real decap-server and the admin page on 127.0.0.1, in real Chromium."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from editor.editing import SHOWCASE, Editing, copy_project, free_port_pair, running, start
from page_types import Watch


def listening(port: int) -> list[str]:
    """The local addresses listening on a TCP port (`ss -ltn`)."""
    out = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return [line.split()[3] for line in out.splitlines() if line.strip()]


def other_address() -> str | None:
    """This machine's non-loopback address, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("edit-project"))


@pytest.fixture
def editing(project: Path) -> Iterator[Editing]:
    with running(project) as editing:
        yield editing


def test_edit_binds_loopback_only_shows_the_collections_and_stops_on_ctrl_c(
    editing: Editing, browser: Any
) -> None:
    port = editing.port
    assert f"在浏览器中打开 http://127.0.0.1:{port}/admin/" in editing.banner
    for p in (port, port + 1):
        assert listening(p) == [f"127.0.0.1:{p}"]
    address = other_address()
    if address is not None:
        with pytest.raises(OSError):
            socket.create_connection((address, port + 1), timeout=2).close()

    context = browser.new_context()
    try:
        page = context.new_page()
        watch = Watch(page, editing.base)
        page.goto(editing.base + "/admin/")
        # The local backend asks for no credentials: its login button opens the editor.
        page.get_by_role("button", name="登录").click(timeout=20_000)
        page.get_by_text("党组织档案").first.wait_for(timeout=20_000)
        # The preview pane draws a branch page with the site's class names.
        page.get_by_text("中共北京市门头沟区城子街道工作委员会").first.click(timeout=20_000)
        preview = page.frame_locator("iframe").first
        brand = preview.locator(".sc-hero__brand", has_text="“三联”工作法")
        brand.wait_for(timeout=30_000)
        assert preview.locator(".sc-figure__number").count() >= 1
        # …and loads the site's style sheets: the brand is set in the site's hero style.
        assert "md-typeset" in (
            preview.locator("article.sc-branch").locator("xpath=..").get_attribute("class") or ""
        )
        assert watch.script_errors() == []
        # The page and decap-server (the next port) are both on the loopback address.
        assert [u for u in watch.foreign() if not u.startswith("http://127.0.0.1:")] == []
    finally:
        context.close()

    editing.process.send_signal(signal.SIGINT)
    out, _ = editing.process.communicate(timeout=20)
    assert editing.process.returncode == 0, out
    assert "已停止" in out
    assert listening(port) == [] and listening(port + 1) == []


def test_edit_refuses_a_taken_port(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [SHOWCASE, "-f", str(project / "mkdocs.yml"), "edit", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"端口 {port} 已被占用" in result.stderr


def test_edit_refuses_without_node(project: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [SHOWCASE, "-f", str(project / "mkdocs.yml"), "edit", "--port", str(free_port_pair())],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": str(tmp_path)},  # an empty folder: no node on the PATH
    )
    assert result.returncode == 1
    assert "找不到 node" in result.stderr


def test_killing_edit_outright_stops_decap_server_too(project: Path) -> None:
    port = free_port_pair()
    process = start(project, port)
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while "按 Ctrl+C 结束" not in process.stdout.readline() and time.monotonic() < deadline:
        pass
    assert listening(port + 1) == [f"127.0.0.1:{port + 1}"]
    process.kill()  # no chance to clean up: decap-server goes with it (PR_SET_PDEATHSIG)
    process.wait()
    deadline = time.monotonic() + 10
    while listening(port + 1) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert listening(port + 1) == []


def test_drafts_need_a_clean_repository_of_the_project(tmp_path: Path) -> None:
    """--drafts checks branches out in the project folder: refused, with the reason, where that
    would fail or carry someone's unsaved work onto a draft."""
    from editor.test_editor_drafts import git, repository

    project = copy_project(tmp_path / "p")

    def drafts() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                SHOWCASE,
                "-f",
                str(project / "mkdocs.yml"),
                "edit",
                "--drafts",
                "--port",
                str(free_port_pair()),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )

    result = drafts()
    assert result.returncode == 1 and "不是 git 仓库的根目录" in result.stderr, result.stderr
    repository(project)
    git(project, "branch", "-m", "main", "trunk")
    result = drafts()
    assert result.returncode == 1 and "仓库里没有分支 main" in result.stderr, result.stderr
    git(project, "branch", "-m", "trunk", "main")
    profile = project / "branches" / "chengzi-jiedao" / "profile.yml"
    profile.write_text(profile.read_text("utf-8") + "\n", "utf-8")
    result = drafts()
    assert result.returncode == 1, result.stderr
    assert "有未提交的修改（branches/chengzi-jiedao/profile.yml）" in result.stderr
