"""The plugin's theme adjustments on scratch sites: the maintainers' view keeps the repository
links, a configured logo and feedback form are published, a missing logo stops the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from conftest import build_site
from mkdocs_plugin.test_plugin import scratch_project
from showcase.mkdocs_plugin.theme import LOGO_URI

REPO = "https://example.org/org/repo/"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'


def _configure(project: Path, options: str, top: str = "") -> None:
    yml = project / "mkdocs.yml"
    text = yml.read_text("utf-8").replace("plugins: [showcase]\n", "plugins:\n  - showcase:\n" + options)
    yml.write_text(top + text, "utf-8")


def test_maintainers_view_keeps_repository_links(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "org")
    (project / "brand.svg").write_text(LOGO, "utf-8")
    _configure(
        project,
        "      maintainer_links: true\n      logo: brand.svg\n      host: 甲单位\n"
        "      feedback: https://example.org/form\n",
        top=f"repo_url: {REPO}\nedit_uri: edit/main/docs/\n",
    )
    site = build_site(project / "mkdocs.yml", tmp_path / "site", strict=False)
    branch = site.page("branches/good-one")
    assert f'href="{REPO}"' in branch  # the header's repository link
    assert f'href="{REPO}edit/main/branches/good-one/profile.yml"' in branch  # the edit pencil
    assert (site.dir / LOGO_URI).read_text("utf-8") == LOGO
    assert 'href="https://example.org/form">纠错 / 意见反馈</a>' in branch
    assert "主办单位：甲单位" in branch and "承办单位" not in branch


def test_public_site_drops_repository_links_and_draws_a_seal(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "org")
    _configure(project, "      host: 甲单位\n", top=f"repo_url: {REPO}\nedit_uri: edit/main/docs/\n")
    site = build_site(project / "mkdocs.yml", tmp_path / "site", strict=False)
    for url in ("", "branches/good-one"):
        assert REPO not in site.page(url)
    seal = (site.dir / LOGO_URI).read_text("utf-8")
    assert "<title>测试站</title>" in seal and ">测试</text>" in seal  # site_name: 测试站
    home = site.page("")
    assert "纠错" not in home  # no feedback address configured: no link to nowhere
    # No branch has honours yet: the home page does not advertise “0项 所获荣誉”.
    assert '>2个</span><span class="sc-figure__label">党组织<' in home and "所获荣誉" not in home


def test_missing_logo_stops_the_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = scratch_project(tmp_path / "org")
    _configure(project, "      logo: overrides/logo.svg\n")
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml", tmp_path / "site")
    assert (
        "mkdocs.yml 中 showcase 的 logo：overrides/logo.svg 这个文件不存在：路径相对于 mkdocs.yml 所在的文件夹。"
        in caplog.text
    )
