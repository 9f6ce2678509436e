"""One build at a time in a project: an exclusive lock that a second build waits for.

Two builds of one project would share the cache and the output folder: each could publish
the other's half-finished state. `showcase build`, `showcase print`, `mkdocs build` and
`mkdocs serve` (per rebuild) take the lock; the second one says so and waits. The lock is
the kernel's (flock), so a killed build releases it at once; the file only names the holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = "build.lock"


# Locks this process holds, by lock file: (descriptor, how many holders). Within one process
# builds run one after the other, and a second acquisition must not wait for the first
# (flock would: each open() is a new lock owner), e.g. `showcase build` then `mkdocs build`
# in one test session, or a build whose holder never released (an on_config without its build).
_HELD: dict[Path, tuple[int, int]] = {}


class ProjectLock:
    """The lock of the project whose cache folder is `cache_dir`."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = (cache_dir / LOCK_NAME).absolute()
        self._holding = False

    def acquire(self, say: Callable[[str], None]) -> None:
        """Take the lock, waiting (and saying so) while another process holds it."""
        if self._holding:
            return
        held = _HELD.get(self.path)
        if held is not None:
            _HELD[self.path] = (held[0], held[1] + 1)
            self._holding = True
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
                say(f"另一个构建（进程 {holder}）正在使用这个项目，等待它结束……")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        _HELD[self.path] = (fd, 1)
        self._holding = True

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        fd, count = _HELD[self.path]
        if count > 1:
            _HELD[self.path] = (fd, count - 1)
            return
        del _HELD[self.path]
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the descriptor releases the flock

    @contextlib.contextmanager
    def held(self, say: Callable[[str], None]) -> Iterator[None]:
        self.acquire(say)
        try:
            yield
        finally:
            self.release()
