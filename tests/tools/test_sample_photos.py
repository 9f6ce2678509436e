"""`showcase sample-photos`: illustrative JPEGs for photos a profile or an update lists but lacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from branch_samples import SLUG, add_branch
from conftest import scratch_project
from showcase.cli.main import main


def test_missing_photos_are_drawn_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = scratch_project(tmp_path)
    folder = add_branch(tmp_path, photo=False)  # the profile lists photos/tiaojie.jpg
    (folder / "updates").mkdir()
    (folder / "updates" / "2024-10-18-huodong.md").write_text(
        "---\ndate: 2024-10-18\ntitle: 一次活动\nphotos:\n"
        "  - {file: photos/tiaojie.jpg, caption: 同一张照片, credit: 示意图}\n"
        "  - {file: updates/huodong.jpg, caption: 活动现场, credit: 示意图}\n---\n\n活动简讯。\n",
        "utf-8",
    )
    assert main(["-f", str(config), "sample-photos"]) == 0
    out, err = capsys.readouterr()
    assert f"已生成示意图 branches/{SLUG}/photos/tiaojie.jpg" in out
    assert f"已生成示意图 branches/{SLUG}/updates/huodong.jpg" in out
    assert "共生成 2 张示意图。" in err  # the file both name is drawn once
    with Image.open(folder / "photos" / "tiaojie.jpg") as img:
        assert (img.format, img.size) == ("JPEG", (1200, 900))

    assert main(["-f", str(config), "sample-photos"]) == 0
    assert "共生成 0 张示意图。" in capsys.readouterr().err  # nothing missing any more
    assert main(["-f", str(config), "sample-photos", "--force"]) == 0
    assert "共生成 2 张示意图。" in capsys.readouterr().err
