"""Photo variants on the site: content-addressed files under /media/, carried between builds.

A variant is published as `media/<key[:2]>/<key>-<width>.<ext>`, the name of its cache file
(key = hash of the source bytes, pipeline version and plan). A published name therefore never
changes its content, which gives three things:

- A rebuild never copies, compares or rewrites the variants that stay. `showcase build`
  links only the new ones into its build folder, moves the previous site's media/ folder
  into the new site with one rename just before the swap, and then deletes the variants no
  page uses any more. At 1,000 branches × 4 photos (24,000 files) this is what keeps photos
  out of a warm rebuild's time; handing the files to MkDocs one File each cost ~30 % of it.
- Browsers and CDNs may cache /media/ forever (`Cache-Control: immutable`).
- The same photo in two branches is published once.

Plain `mkdocs build` and `mkdocs serve` get the same files, linked into their output folder.
"""

from __future__ import annotations

import errno
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


def _link(src: str | Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except FileExistsError:
        return  # same name, same content
    except OSError as e:
        if e.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(src, dest)  # cache on another file system, or no hard links there
    # A link shares the cache file's mode; a cache written by an older version may be 0600.
    os.chmod(dest, FILE_MODE)


class MediaTree:
    """The media/ files one build publishes: site URL → cache file."""

    def __init__(self, files: Iterable[tuple[str, str | Path]] = ()) -> None:
        self.files: dict[str, str | Path] = dict(files)
        self._previous: Path | None = None  # the site whose media/ this build carries over

    def write(self, site: Path, *, previous: Path | None = None) -> int:
        """Link into `site` the files that neither it nor `previous` (a published site that
        `finish` will take media/ from) already has. Returns how many were linked."""
        have = _listing(site / MEDIA_DIR)
        if previous is not None and (previous / MEDIA_DIR).is_dir():
            self._previous = previous
            have |= _listing(previous / MEDIA_DIR)
        linked = 0
        for rel in sorted(self.files.keys() - have):
            _link(self.files[rel], site / rel)
            linked += 1
        return linked

    def finish(self, new_site: Path, old_site: Path) -> None:
        """Before `new_site` replaces `old_site`: give it the old site's media/ folder, with
        this build's new files added (they are new names, so no page of the old site sees them)."""
        if self._previous is None or self._previous.resolve() != old_site.resolve():
            return
        old, new = old_site / MEDIA_DIR, new_site / MEDIA_DIR
        if not old.is_dir():
            return
        for rel in sorted(_listing(new)):
            target = old_site / rel
            target.parent.mkdir(exist_ok=True)
            os.replace(new_site / rel, target)
        shutil.rmtree(new, ignore_errors=True)
        old.rename(new)

    def prune(self, site: Path) -> int:
        """Delete files under media/ that no page of this build uses. Returns how many."""
        media = site / MEDIA_DIR
        stale = sorted(_listing(media) - self.files.keys())
        for rel in stale:
            (site / rel).unlink(missing_ok=True)
        for shard in {rel.split("/")[1] for rel in stale}:
            with os.scandir(media / shard) as entries:
                empty = next(entries, None) is None
            if empty:
                (media / shard).rmdir()
        return len(stale)
