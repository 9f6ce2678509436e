"""The build's process pool: jobs spread over the cores, with a progress line on long runs.

Photo renditions and share cards are made this way. Workers are forked, so they start at
once with the parent's modules and fonts already loaded; results travel back pickled, so
they must be small (bulk data goes to files).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

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
        with concurrent.futures.ProcessPoolExecutor(min(workers, len(jobs)), mp_context=ctx) as pool:
            futures = {pool.submit(fn, job): job for job in jobs}
            for future in concurrent.futures.as_completed(futures):
                yield futures[future], future.result()
                reporter.tick()
    if jobs:
        reporter.done()


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
