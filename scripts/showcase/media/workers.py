"""The build's process pool: jobs spread over the cores, with a progress line on long runs.

Photo renditions and share cards are made this way. Workers are forked, so they start at
once with the parent's modules and fonts already loaded; results travel back pickled, so
they must be small (bulk data goes to files). Workers die with the build: a build killed
with SIGKILL (or by the OOM killer) leaves none behind, waiting forever on a queue that no
one will fill.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from showcase.background import die_with_parent

Progress = Callable[[str], None]
PROGRESS_EVERY = 3.0  # seconds between progress lines on long runs

J = TypeVar("J")
R = TypeVar("R")


def parallel_map(
    fn: Callable[[J], R], jobs: list[J], *, workers: int, progress: Progress | None, what: str
) -> Iterator[tuple[J, R]]:
    """Run `fn` over `jobs` on up to `workers` forked processes, yielding (job, result) as they
    finish, with a progress line every few seconds on long runs. `fn` must be a module-level
    function whose results are small (bulk data goes to files)."""
    reporter = _Reporter(len(jobs), progress, what)
    if len(jobs) <= 1 or workers <= 1:
        for job in jobs:
            yield job, fn(job)
            reporter.tick()
    else:
        # Forked workers start at once and inherit the loaded modules and fonts.
        ctx = multiprocessing.get_context("fork")
        initializer = functools.partial(_die_with, os.getpid())
        with concurrent.futures.ProcessPoolExecutor(
            min(workers, len(jobs)), mp_context=ctx, initializer=initializer
        ) as pool:
            futures = {pool.submit(fn, job): job for job in jobs}
            for future in concurrent.futures.as_completed(futures):
                yield futures[future], future.result()
                reporter.tick()
    if jobs:
        reporter.done()


def _die_with(parent: int) -> None:
    """Worker start: end when the build process ends. The parent may have died between the
    fork and the request (then no signal comes): in that case, end at once. The signal is
    SIGTERM, and a handler the parent installed must not run in its stead."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)


class _Reporter:
    """A progress line every few seconds, only when the work takes that long."""

    def __init__(self, total: int, out: Progress | None, what: str) -> None:
        self.total, self.out, self.what, self.n = total, out, what, 0
        self.start = self.last = time.monotonic()

    def tick(self) -> None:
        self.n += 1
        now = time.monotonic()
        if self.out is not None and now - self.last >= PROGRESS_EVERY and self.n < self.total:
            self.last = now
            spent = now - self.start
            left = spent / self.n * (self.total - self.n)
            self.out(
                f"{self.what}：{self.n}/{self.total}（{self.n * 100 // self.total}%），"
                f"已用 {_duration(spent)}，预计还需 {_duration(left)}"
            )

    def done(self) -> None:
        if self.out is not None:
            self.out(f"{self.what}：新生成 {self.total} 个，用时 {_duration(time.monotonic() - self.start)}")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} 秒"
    return f"{seconds / 60:.1f} 分钟"
