"""Running `showcase edit` in tests: a scratch copy of the project, a free port pair on
127.0.0.1 (the admin page on p, decap-server on p + 1), the command started and waited for,
and stopped with Ctrl-C (SIGINT) afterwards if the test did not stop it itself."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

SHOWCASE = str(Path(sys.executable).with_name("showcase"))
READY = "按 Ctrl+C 结束"  # the last line of `showcase edit`'s banner


@dataclass
class Editing:
    project: Path
    port: int
    process: subprocess.Popen[str]
    banner: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def copy_project(dest: Path) -> Path:
    """The sample project's sources (not its site/ or caches) copied into `dest`."""
    for name in ("branches", "content", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def free_port_pair() -> int:
    """A port p with p and p + 1 both free on 127.0.0.1."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 65535 and _free(port) and _free(port + 1):
            return port
    raise AssertionError("no free port pair")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start(project: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [SHOWCASE, "-f", str(project / "mkdocs.yml"), "edit", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextlib.contextmanager
def running(project: Path, *extra: str) -> Iterator[Editing]:
    """`showcase edit` on `project` (with `extra` options), ready (its banner printed); stopped
    on the way out."""
    port = free_port_pair()
    process = start(project, port, *extra)
    assert process.stdout is not None
    banner = ""
    deadline = time.monotonic() + 60
    while READY not in banner and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        banner += line
    try:
        assert READY in banner, banner
        yield Editing(project, port, process, banner)
    finally:
        if process.poll() is None:  # the test did not stop it (or failed before its Ctrl-C)
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
