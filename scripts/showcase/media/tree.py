"""Photo variants on the site: content-addressed files under /media/, carried between builds.

A variant is published as `media/<key[:2]>/<key>-<width>.<ext>`, the name of its cache file
(key = hash of the source bytes, pipeline version and plan). A published name therefore never
changes its content, which gives three things:

- A rebuild never renders, compares or rewrites the variants that stay. An incremental
  `showcase build` starts from a hard-linked copy of the published site, media/ included
  (pipeline/output.py); `write` adds only the new variants and removes, in the build folder,
  those no page uses any more. The published site is never touched: the finished folder
  replaces it in one atomic exchange. Handing the 24,000 files of 1,000 branches × 4 photos
  to MkDocs one File each cost ~30 % of a warm rebuild; this costs one hard link each.
- Browsers and CDNs may cache /media/ forever (`Cache-Control: immutable`).
- The same photo in two branches is published once.

New variants are published as copies of the cache files (a reflink where the file system
can), never as hard links: a published file edited in place must not change the cache, or
every later build, `--full` included, would publish the damage again.

Plain `mkdocs build` and `mkdocs serve` get the same files in their output folder.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from showcase.atomic import FILE_MODE

MEDIA_DIR = "media"


def url(cache_file: str) -> str:
    """Site URL of a cache file `<…>/<key[:2]>/<name>` (strings, not Paths: called 24,000
    times in a warm build at 1,000 branches, where pathlib cost a fifth of a second)."""
    shard, name = cache_file.rsplit(os.sep, 2)[1:]
    return f"{MEDIA_DIR}/{shard}/{name}"


def _listing(media: Path) -> set[str]:
    """Site-relative paths of the files in a media/ folder (two levels, nothing else walked)."""
    found: set[str] = set()
    try:
        shards = list(os.scandir(media))
    except FileNotFoundError:
        return found
    for shard in shards:
        if shard.is_dir(follow_symlinks=False):
            found.update(
                f"{MEDIA_DIR}/{shard.name}/{e.name}"
                for e in os.scandir(shard.path)
                if e.is_file(follow_symlinks=False)
            )
    return found


def _copy(src: str | Path, dest: Path) -> None:
    """Publish a cache file: a copy-on-write clone where the file system has them (btrfs,
    XFS), else a copy made by the kernel (shutil uses sendfile on Linux)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".tmp-{dest.name}")
    try:
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            fcntl.ioctl(fout.fileno(), _FICLONE, fin.fileno())
    except OSError:
        shutil.copyfile(src, tmp)
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, dest)


_FICLONE = 0x40049409  # linux/fs.h: _IOW(0x94, 9, int)


class MediaTree:
    """The media/ files one build publishes: site URL → cache file."""

    def __init__(self, files: Iterable[tuple[str, str | Path]] = ()) -> None:
        self.files: dict[str, str | Path] = dict(files)

    def write(self, site: Path) -> tuple[int, int]:
        """Make `site`'s media/ hold exactly this build's files: copy in those it lacks, remove
        those no page uses. Returns (added, removed)."""
        have = _listing(site / MEDIA_DIR)
        added = sorted(self.files.keys() - have)
        for rel in added:
            _copy(self.files[rel], site / rel)
        stale = sorted(have - self.files.keys())
        for rel in stale:
            (site / rel).unlink(missing_ok=True)
        for shard in sorted({rel.split("/")[1] for rel in stale}):
            with os.scandir(site / MEDIA_DIR / shard) as entries:
                empty = next(entries, None) is None
            if empty:
                (site / MEDIA_DIR / shard).rmdir()
        return len(added), len(stale)
