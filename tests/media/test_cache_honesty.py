"""Caches that cannot lie, and builds that leave nothing behind (issue 24, items 10 and 13).

- A photo replaced by new bytes of the same size under the old mtime (`cp -p`, `tar x`,
  `rsync -a`, `exiftool -P`) is read again: the incremental build equals a build from scratch.
- A full build (`fresh`) trusts no remembered inspection, even one that lies.
- A worker never files one photo's renditions under another photo's hash.
- Temporary files a killed build left in the photo cache are removed by the next build.
- Killing the build process with SIGKILL ends its photo workers too.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from conftest import built_synth_project, showcase_build, tree_digest
from showcase.content.load import load_project
from showcase.media import renditions
from showcase.media.images import ImageError
from showcase.tools.synth import synthesize

PHOTO = "branches/branch-00001/photos/p1.jpg"
CACHE = ".cache/showcase"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def same_size_jpeg(original: bytes) -> bytes:
    """A different picture of the original's dimensions, padded with JPEG comment segments to
    exactly the original's length (as an edit that keeps the size would be)."""
    with Image.open(io.BytesIO(original)) as img:
        size = img.size
    picture = Image.new("RGB", size, (20, 90, 160))
    ImageDraw.Draw(picture).ellipse(
        (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill=(250, 220, 0)
    )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=60)
    body = out.getvalue()
    pad = len(original) - len(body)
    assert pad >= 4, "the replacement must be smaller before padding"
    segments = []
    while pad:
        chunk = min(pad, 65537)  # a segment holds at most 65,533 bytes after its 4-byte header
        if 0 < pad - chunk < 4:
            chunk -= 4
        segments.append(b"\xff\xfe" + (chunk - 2).to_bytes(2, "big") + b"x" * (chunk - 4))
        pad -= chunk
    replaced = body[:2] + b"".join(segments) + body[2:]
    assert len(replaced) == len(original) and replaced != original
    return replaced


def copy_preserving_mtime(path: Path, data: bytes, tmp: Path) -> None:
    """Put `data` at `path` the way `cp -p` from an edited copy with the old mtime does."""
    old = path.stat()
    edited = tmp / "edited.jpg"
    edited.write_bytes(data)
    os.utime(edited, ns=(old.st_atime_ns, old.st_mtime_ns))
    subprocess.run(["cp", "-p", str(edited), str(path)], check=True)
    now = path.stat()
    assert (now.st_size, now.st_mtime_ns) == (old.st_size, old.st_mtime_ns)


def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files the test wrote a moment ago count as settled: their stamps are saved, so what is
    tested is the stamp, not the re-reading of files changed in the last seconds."""
    monkeypatch.setattr(renditions, "SETTLE_NS", 0, raising=False)  # raising: the test runs on old code too


# --- item 10: content decides --------------------------------------------------------------------


def test_photo_replaced_with_same_size_and_mtime_is_republished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730000000")
    settled(monkeypatch)
    project = built_synth_project(tmp_path / "p", 2, photos=1, seed=3)
    photo = project / PHOTO
    copy_preserving_mtime(photo, same_size_jpeg(photo.read_bytes()), tmp_path)

    assert showcase_build(project) == 0  # incremental, with the cache of the first build

    scratch = tmp_path / "scratch"
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns(".cache", "site", ".site-*"))
    assert showcase_build(scratch) == 0
    assert tree_digest(project / "site") == tree_digest(scratch / "site")


def test_unchanged_settled_photo_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What keeps warm builds fast: a settled, unchanged file is known from its stamp."""
    settled(monkeypatch)
    synthesize(tmp_path, 2, photos=1, seed=3, progress=False)
    cache = tmp_path / CACHE
    load_project(tmp_path, cache_dir=cache)

    read = Path.read_bytes

    def no_photo_reading(self: Path) -> bytes:
        assert self.suffix != ".jpg", f"{self} read again"
        return read(self)

    monkeypatch.setattr(Path, "read_bytes", no_photo_reading)
    project = load_project(tmp_path, cache_dir=cache)
    assert project.photo_files == 2 and project.errors == []


def test_photo_changed_moments_ago_is_read_again(tmp_path: Path) -> None:
    """A stamp taken within the clock's granularity of a change could miss the next change in
    the same tick: such a file is trusted for this run only and read again next time."""
    synthesize(tmp_path, 1, photos=1, seed=3, progress=False)
    photo = tmp_path / PHOTO
    photo.write_bytes(photo.read_bytes())  # changed just now
    index = renditions.SourceIndex(tmp_path / CACHE)
    first = index.inspect(photo)
    index.save()
    again = renditions.SourceIndex(tmp_path / CACHE)
    assert again.inspect(photo) == first
    assert again.read == 1


def test_fresh_load_trusts_no_remembered_inspection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache that lies (here: edited to give one photo another photo's hash) misleads an
    incremental load; a full one (`fresh`) reads every file again."""
    settled(monkeypatch)
    synthesize(tmp_path, 2, photos=2, seed=3, progress=False)
    cache = tmp_path / CACHE
    load_project(tmp_path, cache_dir=cache)
    index_file = cache / "photos" / "index.json"
    data = json.loads(index_file.read_text("utf-8"))
    mine = str((tmp_path / PHOTO).resolve())
    other = next(
        sha for path, (*_, sha) in data["files"].items() if path != mine and sha != data["files"][mine][-1]
    )
    data["files"][mine][-1] = other
    index_file.write_text(json.dumps(data), "utf-8")

    def photo_sha(*, fresh: bool = False) -> str:
        branch = load_project(tmp_path, cache_dir=cache, fresh=fresh).branches[0]
        return branch.sources["photos/p1.jpg"].sha256

    assert photo_sha() == other, "the lie is believed by an incremental load (the test's premise)"
    assert photo_sha(fresh=True) == sha256((tmp_path / PHOTO).read_bytes())
    assert photo_sha() == sha256((tmp_path / PHOTO).read_bytes()), "the fresh load replaced the index"


def test_full_build_trusts_no_remembered_inspection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730000000")
    settled(monkeypatch)
    project = built_synth_project(tmp_path / "p", 2, photos=2, seed=3)
    index_file = project / CACHE / "photos" / "index.json"
    data = json.loads(index_file.read_text("utf-8"))
    mine = str((project / PHOTO).resolve())
    data["files"][mine][-1] = next(
        sha for *_, sha in data["files"].values() if sha != data["files"][mine][-1]
    )
    index_file.write_text(json.dumps(data), "utf-8")
    assert showcase_build(project, "--full") == 0

    scratch = tmp_path / "scratch"
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns(".cache", "site", ".site-*"))
    assert showcase_build(scratch) == 0
    assert tree_digest(project / "site") == tree_digest(scratch / "site")


def test_photo_changed_during_the_build_is_not_cached_under_the_old_hash(tmp_path: Path) -> None:
    synthesize(tmp_path, 1, photos=1, seed=3, progress=False)
    photo = tmp_path / PHOTO
    inspected = sha256(photo.read_bytes())
    photo.write_bytes(same_size_jpeg(photo.read_bytes()))  # edited after the inspection
    store = renditions.PhotoStore(tmp_path / CACHE, workers=1)
    result = store.photos([(photo, inspected)])[inspected]
    assert isinstance(result, ImageError)
    assert (result.code, result.message) == (
        "PHOTO_CHANGED",
        "照片在构建过程中被改动了：请等改动完成后重新构建。",
    )
    assert renditions.PhotoStore(tmp_path / CACHE).cached_photo(inspected) is None


# --- item 13: leftovers ----------------------------------------------------------------------------


def test_next_build_removes_temporary_files_of_a_killed_one(tmp_path: Path) -> None:
    project = built_synth_project(tmp_path / "p", 1, photos=1, seed=3)
    photos = project / CACHE / "photos"
    entry_dir = next(p for p in photos.iterdir() if p.is_dir())
    left_in_entry = entry_dir / ".tmp-killed"  # a worker's half-written variant
    old_at_top = photos / ".tmp-old"  # index.json or renditions.json, long ago
    live_at_top = photos / ".tmp-live"  # could be a `showcase check` writing index.json now
    old_card = project / CACHE / "share" / ".tmp-card"  # a share card, half-written long ago
    for path in (left_in_entry, old_at_top, live_at_top, old_card):
        path.write_bytes(b"half")
    hour_ago = time.time() - 3600
    for path in (old_at_top, old_card):
        os.utime(path, (hour_ago, hour_ago))

    assert showcase_build(project) == 0
    assert not left_in_entry.exists()
    assert not old_at_top.exists()
    assert not old_card.exists()
    assert live_at_top.exists()


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their start time (so a reused pid is not
    mistaken for them)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found[int(entry.name)] = fields[19]
    return found


def _alive(pid: int, started: str) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == started and fields[0] != "Z"  # a zombie has ended


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG are Linux's")
def test_photo_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    synthesize(tmp_path, 6, photos=2, seed=3, progress=False)
    showcase = Path(sys.executable).with_name("showcase")
    build = subprocess.Popen(
        [str(showcase), "-f", str(tmp_path / "mkdocs.yml"), "build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 120
        while not workers and build.poll() is None and time.monotonic() < deadline:
            workers = _children(build.pid)
            time.sleep(0.02)
        assert workers, "the build made no photo workers"
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 5
        while any(_alive(pid, started) for pid, started in workers.items()) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid, started in workers.items() if _alive(pid, started)]
        assert left == [], f"workers still running after the build was killed: {left}"
    finally:
        if build.poll() is None:
            build.kill()
        for pid, started in workers.items():  # the test's own processes, if the assertion failed
            if _alive(pid, started):
                os.kill(pid, signal.SIGKILL)
