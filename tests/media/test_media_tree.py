"""Photo variants under /media/: copied from the cache, carried between `showcase build`s by
hard links, pruned when no page uses them — with real files and real builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import (
    add_synth_photo,
    build_site,
    built_synth_project,
    scratch_project,
    showcase_build,
    tree_digest,
)
from showcase.atomic import FILE_MODE
from showcase.media.tree import MediaTree


def _cache_file(cache: Path, key: str, width: int) -> Path:
    path = cache / key[:2] / f"{key}-{width}.webp"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"{key}-{width}".encode())
    path.chmod(0o600)  # as an older version wrote them
    return path


def _tree(cache: Path, *keys: str) -> MediaTree:
    files = [_cache_file(cache, k, 480) for k in keys]
    return MediaTree((f"media/{k[:2]}/{k}-480.webp", f) for k, f in zip(keys, files, strict=True))


def _listing(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in (site / "media").rglob("*") if p.is_file())


def test_write_copies_every_file_readable(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "cache", "aa01", "aa02", "bb03")
    assert tree.write(tmp_path / "site") == (3, 0)
    assert _listing(tmp_path / "site") == sorted(tree.files)
    for rel, src in tree.files.items():
        out = tmp_path / "site" / rel
        assert out.read_bytes() == Path(src).read_bytes()
        assert out.stat().st_mode & 0o777 == FILE_MODE
        # A copy, not a hard link: editing the published file must not change the cache.
        assert out.stat().st_ino != Path(src).stat().st_ino
    assert tree.write(tmp_path / "site") == (0, 0)  # already there: nothing copied twice
    assert [p.name for p in (tmp_path / "site").rglob(".tmp-*")] == []


def test_write_adds_new_files_and_removes_unused_ones(tmp_path: Path) -> None:
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert _tree(cache, "aa01", "bb02").write(site) == (2, 0)
    kept = (site / "media" / "aa" / "aa01-480.webp").stat().st_ino
    tree = _tree(cache, "aa01", "cc03")  # bb02 dropped, cc03 added
    assert tree.write(site) == (1, 1)
    assert _listing(site) == sorted(tree.files)
    assert (site / "media" / "aa" / "aa01-480.webp").stat().st_ino == kept  # left as it was
    assert not (site / "media" / "bb").exists()  # emptied shards go too


# --- through `showcase build` -----------------------------------------------------------------------


def referenced_media(site: Path) -> set[str]:
    found: set[str] = set()
    for page in site.rglob("index.html"):
        for rel in re.findall(
            r"(?:\.\./)*(media/[0-9a-f]{2}/[0-9a-f]{32}-\d+\.(?:webp|jpg))", page.read_text("utf-8")
        ):
            found.add(rel)
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729814400")
    return built_synth_project(tmp_path / "proj", 6, photos=2, seed=11)


@pytest.mark.slow
def test_rebuild_adds_and_removes_photos(project: Path) -> None:
    site = project / "site"
    published = set(_listing(site))
    assert published == referenced_media(site) and len(published) >= 6 * 2 * 2
    # branch 1 gets a new photo; branch 2 loses one
    one = project / "branches" / "branch-00001"
    Image.effect_noise((1000, 750), 40).convert("RGB").save(one / "photos" / "new.jpg", "JPEG")
    profile = one / "profile.yml"
    profile.write_text(
        profile.read_text("utf-8").replace(
            "photos:\n",
            "photos:\n  - {file: photos/new.jpg, caption: 新上传的照片, credit: 本报记者 祁晓燕}\n",
        ),
        "utf-8",
    )
    two = project / "branches" / "branch-00002" / "profile.yml"
    text = two.read_text("utf-8")
    two.write_text(re.sub(r"  - \{file: photos/p2\.jpg.*\n", "", text), "utf-8")
    (project / "branches" / "branch-00002" / "photos" / "p2.jpg").unlink()

    assert showcase_build(project) == 0
    after = set(_listing(site))
    assert after == referenced_media(site)  # nothing missing, nothing stale
    assert len(after - published) == 2 * 2  # the new photo: 1000 px is two widths, WebP and JPEG
    assert len(published - after) >= 2  # branch 2's second photo is gone
    assert not any(p.name.startswith(".site-") for p in project.iterdir())

    incremental = tree_digest(site)
    assert showcase_build(project, "--full") == 0
    assert tree_digest(site) == incremental


@pytest.mark.slow
def test_failed_build_with_new_photos_leaves_media_untouched(project: Path) -> None:
    before = tree_digest(project / "site")
    add_synth_photo(project, "branch-00003")
    broken = project / "branches" / "branch-00004" / "profile.yml"
    broken.write_text(broken.read_text("utf-8").replace("value: ", "value: 一千", 1), "utf-8")
    assert showcase_build(project) == 1
    assert tree_digest(project / "site") == before


def test_hand_written_file_under_media_is_refused(tmp_path: Path) -> None:
    """media/ belongs to the photo variants (pruned by manifest): a page author's file there
    would vanish at the next build, so it is reported and not published."""
    config = scratch_project(tmp_path)
    (tmp_path / "content" / "media").mkdir()
    (tmp_path / "content" / "media" / "notice.txt").write_text("通知", "utf-8")
    site = build_site(config, tmp_path / "site", strict=False)
    assert any("content/media/notice.txt 位于照片目录 media/" in w for w in site.warnings), site.warnings
    assert not (site.dir / "media" / "notice.txt").exists()
