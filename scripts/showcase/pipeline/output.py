"""The output folder of `showcase build`: a new folder beside site/, switched in when complete.

A failure anywhere before the switch leaves the published site/ as it was; the new folder
is removed. When site/ is a symlink (a common docroot), the build happens beside the folder
it points to and the link is left alone.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from showcase.atomic import DIR_MODE
from showcase.pipeline.settings import BuildError

NEW_PREFIX, OLD_PREFIX = "-new-", "-old-"


class OutputFolder:
    """A build folder next to the published site. With `reuse`, it starts as a hard-linked
    copy of it (cheap at any size): the build replaces, never writes through, every file it
    makes (see atomic.py and SiteBuild), so the published site never changes before the swap."""

    def __init__(self, site_dir: Path, *, reuse: bool) -> None:
        self.target = _published_folder(site_dir)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.target)
        name = self.target.name
        self.path = Path(tempfile.mkdtemp(prefix=f".{name}{NEW_PREFIX}", dir=self.target.parent))
        os.chmod(self.path, DIR_MODE)
        self.incremental = reuse and (self.target / "index.html").is_file()
        if self.incremental:
            try:
                _link_tree(self.target, self.path)
            except BaseException:
                self.discard()
                raise

    def missing(self, expected: list[str]) -> list[str]:
        return [e for e in expected if not (self.path / e).is_file()]

    def published_branches(self) -> set[str]:
        """The branch pages the published site has now (folder names under branches/)."""
        folder = self.target / "branches"
        if not folder.is_dir():
            return set()
        return {e.name for e in os.scandir(folder) if os.path.isfile(os.path.join(e.path, "index.html"))}

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def swap(self) -> None:
        """Put the new folder in the place of the published one, in one atomic step: readers
        see the old site or the new one, and a kill at any moment leaves one of them whole."""
        kill_point("before-swap")
        if not self.target.exists():
            self.path.rename(self.target)
            return
        if _exchange(self.path, self.target):
            kill_point("after-swap")
            shutil.rmtree(self.path, ignore_errors=True)  # now holds the previous site
            return
        # No atomic exchange on this file system: two renames, with the old site kept aside.
        old = self.target.with_name(f".{self.target.name}{OLD_PREFIX}{os.getpid()}")
        self.target.rename(old)
        self.path.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def kill_point(name: str) -> None:
    """Tests kill the build here, for real (SIGKILL: no cleanup, no finally), when the
    environment names this point: SHOWCASE_TEST_KILL_AT=before-swap."""
    if os.environ.get("SHOWCASE_TEST_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _published_folder(site_dir: Path) -> Path:
    """The real folder behind site_dir: the target of a symlink; a mount point is refused,
    since nothing can be renamed onto it."""
    target = site_dir.resolve() if site_dir.is_symlink() else site_dir
    if target.is_dir() and os.path.ismount(target):
        raise BuildError(
            f"{site_dir} 是一个挂载点，构建结果无法整体替换进去。请把 site_dir 设为挂载点里的一个子文件夹"
            "（如 /srv/www/site），或者用符号链接指向一个普通文件夹。"
        )
    return target


def _remove_leftovers(target: Path) -> None:
    """Build folders a killed build left beside the site (the caller holds the project lock,
    so no other build is using them)."""
    for prefix in (NEW_PREFIX, OLD_PREFIX):
        for leftover in target.parent.glob(f".{target.name}{prefix}*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def _link_tree(src: Path, dst: Path) -> None:
    """Copy a tree as hard links (media/ too: no file of the published site is ever moved or
    written through). GNU `cp -al` does it about twice as fast as shutil.copytree; elsewhere,
    or if it fails, copytree."""
    entries = sorted(str(p) for p in src.iterdir())
    if not entries:
        return
    if shutil.which("cp") and sys.platform.startswith("linux"):
        done = subprocess.run(["cp", "-al", *entries, str(dst)], capture_output=True, check=False)
        if done.returncode == 0:
            return
        shutil.rmtree(dst)  # start the fallback from an empty folder
        dst.mkdir()
        os.chmod(dst, DIR_MODE)
    for entry in map(Path, entries):
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, dst / entry.name, symlinks=True, copy_function=os.link)
        else:
            os.link(entry, dst / entry.name, follow_symlinks=False)
