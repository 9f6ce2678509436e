"""One UTF-8 decoder (showcase.content.text) for profiles, case.md and updates: the same
line, column and wording wherever a byte is not UTF-8."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from branch_samples import CASE, PROFILE, ROOT, SLUG, add_branch
from showcase.content.load import load_project
from showcase.content.text import decode_utf8, read_markdown
from showcase.problems import ContentError

ADVICE = "ENCODING 文件不是 UTF-8 编码（可能是 GBK/GB2312）：请在编辑器里以“UTF-8”编码另存此文件。"
NOW = dt.date(2025, 1, 1)
GBK = "党委".encode("gbk")  # b"\xb5\xb3\xce\xaf": a UTF-8 decoder stops at the first byte


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "branches").mkdir()
    shutil.copy(ROOT / "branches" / "taxonomy.yml", tmp_path / "branches" / "taxonomy.yml")
    return tmp_path


def formatted(root: Path) -> list[str]:
    return [p.format() for p in load_project(root, now=NOW).problems]


def test_gbk_in_the_middle_of_a_case_line(root: Path) -> None:
    # Line 3 starts with five characters of UTF-8; the sixth is GBK.
    case = "## 主要举措\n\n社区党总支".encode() + GBK + "组建联合大党委。\n".encode()
    add_branch(root, case=case)
    assert formatted(root) == [f"branches/{SLUG}/case.md:3:6: {ADVICE}"]


def test_gbk_in_the_middle_of_a_profile_line(root: Path) -> None:
    add_branch(root)
    raw = (
        PROFILE.format(slug=SLUG).encode().replace("name: 清水河县".encode(), "name: 清水河县".encode() + GBK)
    )
    (root / "branches" / SLUG / "profile.yml").write_bytes(raw)
    # "name: 清水河县" is ten characters: the bad byte is the eleventh.
    assert formatted(root) == [f"branches/{SLUG}/profile.yml:2:11: {ADVICE}"]


def test_gbk_in_the_middle_of_an_update_line(root: Path) -> None:
    add_branch(root)
    update = "---\ndate: 2024-10-18\ntitle: 挂牌\n---\n社区党总支".encode() + GBK + "。\n".encode()
    path = root / "branches" / SLUG / "updates" / "2024-10-18-guapai.md"
    path.parent.mkdir()
    path.write_bytes(update)
    assert formatted(root) == [f"branches/{SLUG}/updates/2024-10-18-guapai.md:5:6: {ADVICE}"]


def test_a_bom_shifts_no_column() -> None:
    with pytest.raises(ContentError) as e:
        decode_utf8("x.md", b"\xef\xbb\xbf" + "社区".encode() + GBK)
    assert [p.format() for p in e.value.problems] == [f"x.md:1:3: {ADVICE}"]


def test_columns_count_characters_not_bytes() -> None:
    with pytest.raises(ContentError) as e:
        decode_utf8("x.md", "第一行\n二行\r\nab社区".encode() + GBK)
    assert [p.format() for p in e.value.problems] == [f"x.md:3:5: {ADVICE}"]


def test_markdown_gets_unix_line_ends_and_loses_the_bom() -> None:
    assert read_markdown(
        "x.md", b"\xef\xbb\xbf# \xe6\xa0\x87\xe9\xa2\x98\r\n\r\n\xe6\xad\xa3\xe6\x96\x87\r\n"
    ) == ("# 标题\n\n正文\n")


def test_markdown_refuses_invisible_characters_at_their_place() -> None:
    with pytest.raises(ContentError) as e:
        read_markdown("x.md", "正文\n社区\u202e党委\n".encode())
    assert [(p.line, p.col, p.code) for p in e.value.problems] == [(2, 3, "TEXT_CHAR")]


def test_case_size_limit_is_kept(root: Path) -> None:
    # Too large is said before anything about the encoding.
    add_branch(root, case=CASE.encode() + GBK + b"x" * (200 * 1024))
    assert formatted(root) == [
        f"branches/{SLUG}/case.md:1:1: FILE_TOO_LARGE case.md 超过 200 KB：请精简内容。"
    ]
