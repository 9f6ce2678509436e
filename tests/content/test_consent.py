"""Photo consent (肖像同意): a photo marked 未同意 stays in the repository and is never published —
not on the branch page, not in search, the feed or the open data — and the liaison is told at the
line that says so, as advice (the branch and its other photos publish, a strict build passes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from branch_samples import PROFILE_PATH, SLUG, add_branch, profile_with
from conftest import scratch_project, showcase_build
from showcase.cli.main import main
from showcase.content.load import load_project
from showcase.problems import Severity

WITHHELD = "居民在调解室里签协议"
SHOWN = "社区调解中心里，工作人员倾听居民诉求"
UPDATE_WITHHELD = "志愿者入户看望独居老人"


def project(tmp_path: Path) -> Path:
    scratch_project(tmp_path)
    extra = (
        "    credit: 示意图\n"
        "    consent: 不涉及\n"
        "  - file: photos/qianyue.jpg\n"
        f"    caption: {WITHHELD}\n"
        "    credit: 本报记者 王明\n"
        "    consent: 未同意\n"
    )
    add_branch(tmp_path, profile=profile_with("    credit: 示意图\n", extra))
    picture(tmp_path / "branches" / SLUG / "photos" / "qianyue.jpg", (20, 120, 40))
    update = tmp_path / "branches" / SLUG / "updates" / "2024-10-18-zoufang.md"
    update.parent.mkdir()
    update.write_text(
        "---\ndate: 2024-10-18\ntitle: 入户走访\nphotos:\n"
        f"  - {{file: updates/zoufang.jpg, caption: {UPDATE_WITHHELD}, credit: 示意图, consent: 未同意}}\n"
        "---\n党员志愿者走访了独居老人。\n",
        "utf-8",
    )
    picture(update.parent / "zoufang.jpg", (30, 30, 160))
    return tmp_path


def test_a_photo_without_consent_is_left_out_with_advice_at_its_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    loaded = load_project(root)
    notes = [(p.path, p.line, p.code, p.severity) for p in loaded.problems]
    assert notes == [
        (PROFILE_PATH, 17, "PHOTO_NO_CONSENT", Severity.WARNING),
        (f"branches/{SLUG}/updates/2024-10-18-zoufang.md", 5, "PHOTO_NO_CONSENT", Severity.WARNING),
    ]
    (branch,) = loaded.branches
    assert [p.caption for p in branch.profile.photos] == [SHOWN]
    assert [p.file for p in branch.updates[0].meta.photos] == []
    # Positions of the photos that remain still point at their own lines.
    [(photo, doc, loc)] = list(branch.photo_refs())
    assert photo.file == "photos/tiaojie.jpg" and doc.pos(loc).line == 10


def test_check_passes_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    assert main(["-f", str(root / "mkdocs.yml"), "check"]) == 0
    out = capsys.readouterr().out
    assert f"{PROFILE_PATH}:17:" in out and "photos/qianyue.jpg 标明照片里的人未同意刊登" in out


def test_the_built_site_never_shows_it(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert showcase_build(root) == 0
    site = root / "site"
    page = (site / "branches" / SLUG / "index.html").read_text("utf-8")
    assert SHOWN in page
    texts = [
        p.read_text("utf-8", "replace")
        for p in site.rglob("*")
        if p.suffix in {".html", ".json", ".xml", ".csv", ".js"}
    ]
    assert texts and not [t for t in texts if WITHHELD in t or UPDATE_WITHHELD in t]
    # The three photos differ: only the consented one's renditions were published.
    published = {p.name.split("-")[0] for p in (site / "media").rglob("*.jpg")}
    assert len(published) == 1, published


def picture(path: Path, colour: tuple[int, int, int]) -> None:
    Image.new("RGB", (800, 600), colour).save(path, "JPEG")
