"""A case write-up may not link to a region, category or theme page that is not built
because no published branch belongs there (issue 23: empty listings are left out)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from branch_samples import CASE, SLUG, add_branch, empty_project
from showcase.content.load import load_project

TODAY = dt.date(2026, 11, 21)


def _project(tmp_path: Path, link: str) -> tuple[list[str], list[str]]:
    empty_project(tmp_path)
    add_branch(tmp_path, case=CASE + f"\n详见[相关页面]({link})。\n", photo=False)
    project = load_project(tmp_path, docs_dir=None, now=TODAY)
    messages = [
        f"{p.path}:{p.line}:{p.col} {p.code} {p.message}"
        for p in project.problems
        if p.code == "EMPTY_PAGE_LINK"
    ]
    return messages, [b.slug for b in project.branches]


def test_link_to_an_empty_region_is_an_error_and_names_the_line(tmp_path: Path) -> None:
    messages, published = _project(tmp_path, "/regions/北京市/门头沟区/")
    line = (CASE + "\n").count("\n") + 1
    assert messages == [
        f"branches/{SLUG}/case.md:{line}:10 EMPTY_PAGE_LINK 链接“/regions/北京市/门头沟区/”指向的分类页面还没有党组织，"
        "所以网站上没有这一页：请改为链接到有内容的页面。"
    ]
    assert published == []


def test_links_to_own_region_category_and_theme_pass(tmp_path: Path) -> None:
    for link in ("/regions/呼和浩特市/清水河县/城关镇/", "/categories/社区/", "/themes/基层治理/"):
        sub = tmp_path / link.strip("/").replace("/", "_")
        sub.mkdir()
        messages, published = _project(sub, link)
        assert messages == [] and published == [SLUG], link


def test_link_to_an_empty_theme_is_an_error(tmp_path: Path) -> None:
    messages, _ = _project(tmp_path, "../../themes/平安建设/")
    assert len(messages) == 1 and "themes/平安建设" in messages[0]
