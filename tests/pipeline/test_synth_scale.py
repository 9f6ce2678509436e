"""`showcase synth` output, and a guard against quadratic build time (ratios, not seconds)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import build_site
from showcase.content.load import load_project
from showcase.tools.synth import synthesize


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_synth_is_deterministic_and_valid(tmp_path: Path) -> None:
    synthesize(tmp_path / "a", 30, photos=1, seed=7, progress=False)
    synthesize(tmp_path / "b", 30, photos=1, seed=7, progress=False)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    synthesize(tmp_path / "c", 30, photos=0, seed=8, progress=False)
    assert tree_digest(tmp_path / "c" / "branches") != tree_digest(tmp_path / "a" / "branches")

    project = load_project(tmp_path / "a")
    assert project.problems == []
    assert len(project.branches) == 30
    for branch in project.branches:
        assert 3 <= len(branch.profile.figures) <= 8
        assert 1500 <= len(branch.case_md) <= 4000
        assert "## 主要举措" in branch.case_md and "## 取得成效" in branch.case_md
    regions = {b.region.key for b in project.branches}
    assert len(regions) >= 4  # spread over the tree, not piled into one town
    photo = project.branches[0].file(project.branches[0].profile.photos[0].file)
    with Image.open(photo) as img:
        assert img.size == (4032, 3024)
        exif = img.getexif()
        assert exif[0x010F]  # camera make
        assert exif.get_ifd(0x8825)[2]  # GPS latitude: the pipeline must strip it


@pytest.mark.slow
def test_build_time_grows_linearly(tmp_path: Path) -> None:
    """200 branches may take at most ~5x the time of 50 (a quadratic path would take ~16x)."""
    timings = {}
    for n in (50, 200):
        synthesize(tmp_path / str(n), n, seed=3, progress=False)
        best = float("inf")
        for attempt in range(2):
            started = time.process_time()
            site = build_site(tmp_path / str(n) / "mkdocs.yml", tmp_path / f"site-{n}-{attempt}")
            best = min(best, time.process_time() - started)
            assert site.warnings == []
        timings[n] = best
    assert timings[200] <= 5 * timings[50], timings
