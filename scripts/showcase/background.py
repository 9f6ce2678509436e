"""Work done beside the MkDocs build (the search index, the print editions' PDFs).

MkDocs renders pages on one core; a job started in `on_files` runs meanwhile and is
collected in `on_post_build`.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def die_with_parent() -> None:
    """Ask Linux to end this process when the process that started it dies: a build killed
    with SIGKILL (or an OOM kill) must not leave its workers running for nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not fatal: the job still ends when its work is done


_PR_SET_PDEATHSIG = 1


def _child(out: str, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    die_with_parent()
    try:
        outcome: tuple[bool, Any] = (True, work(*args))
    except BaseException as e:  # handed to the parent, which re-raises it
        outcome = (False, e)
    with open(out, "wb") as f:
        pickle.dump(outcome, f, protocol=pickle.HIGHEST_PROTOCOL)


class BackgroundJob(Generic[T]):
    """Runs `work(*args)` now; `result()` waits for it and re-raises its error.

    In a forked process where the machine has a core to spare (measured at 1,000 branches: a
    thread still fought the page rendering for the GIL and added about 20 % to the build),
    otherwise on a thread. The process writes its result to a file and exits at once, whether
    or not anyone asks for the result: a build that fails before `on_post_build` leaves no
    process behind holding the parent's pipes open. `work` must be a module-level function
    with a picklable result."""

    def __init__(self, work: Callable[..., T], *args: Any) -> None:
        self._process: Any = None
        self._future: concurrent.futures.Future[T] | None = None
        if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            fd, self._out = tempfile.mkstemp(prefix="showcase-job-", suffix=".pickle")
            os.close(fd)
            context = multiprocessing.get_context("fork")
            self._process = context.Process(target=_child, args=(self._out, work, args), daemon=True)
            self._process.start()
        else:
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="background")
            self._future = pool.submit(work, *args)
            pool.shutdown(wait=False)  # the thread ends with its one task

    def cancel(self) -> None:
        """The build failed before asking for the result: stop the work, remove its file."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            Path(self._out).unlink(missing_ok=True)

    def result(self) -> T:
        if self._future is not None:
            return self._future.result()
        self._process.join()
        out = Path(self._out)
        try:
            with out.open("rb") as f:
                ok, value = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError):
            raise RuntimeError(f"后台任务意外退出（退出码 {self._process.exitcode}）") from None
        finally:
            out.unlink(missing_ok=True)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]
