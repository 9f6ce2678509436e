"""The output folder of `showcase build`: a new folder beside site/, switched in when complete.

A failure anywhere before the switch leaves the published site/ as it was; the new folder
is removed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from showcase.media.tree import MEDIA_DIR, MediaTree


class OutputFolder:
    """A build folder next to `site_dir`. With `reuse`, it starts as a hard-linked copy of the
    published site (cheap at any size): the build replaces, never writes through, every file
    it makes (see atomic.py and SiteBuild), so the published site never changes before the swap."""

    def __init__(self, site_dir: Path, *, reuse: bool) -> None:
        self.site_dir = site_dir
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
        self.incremental = reuse and (site_dir / "index.html").is_file()
        if self.incremental:
            try:
                _link_tree(site_dir, self.path, skip=MEDIA_DIR)
            except BaseException:
                self.discard()
                raise

    def missing(self, expected: list[str]) -> list[str]:
        return [e for e in expected if not (self.path / e).is_file()]

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def swap(self, media: MediaTree) -> None:
        """Put the new folder in the place of site/: the published media/ moves over in one
        rename, then the folders are exchanged."""
        media.finish(self.path, self.site_dir)
        old = self.site_dir.with_name(f".{self.site_dir.name}-old-{os.getpid()}")
        if self.site_dir.exists():
            self.site_dir.rename(old)
        self.path.rename(self.site_dir)
        shutil.rmtree(old, ignore_errors=True)


def _link_tree(src: Path, dst: Path, *, skip: str) -> None:
    """Copy a tree as hard links, leaving out the top-level entry `skip` (media/, which is
    carried over whole at the swap). GNU `cp -al` does it about twice as fast as
    shutil.copytree; elsewhere, or if it fails, copytree."""
    entries = sorted(str(p) for p in src.iterdir() if p.name != skip)
    if not entries:
        return
    if shutil.which("cp") and sys.platform.startswith("linux"):
        done = subprocess.run(["cp", "-al", *entries, str(dst)], capture_output=True, check=False)
        if done.returncode == 0:
            return
        shutil.rmtree(dst)  # start the fallback from an empty folder
        dst.mkdir()
    for entry in map(Path, entries):
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, dst / entry.name, symlinks=True, copy_function=os.link)
        else:
            os.link(entry, dst / entry.name, follow_symlinks=False)
