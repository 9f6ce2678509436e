"""`showcase edit`: the web editor on this machine, with Decap CMS' local backend.

Two processes, both on 127.0.0.1 only:

- decap-server (npm, pinned in package-lock.json), run by node with the project folder as its
  working directory and GIT_REPO_DIRECTORY; it binds to BIND_HOST (its own `listen` takes no
  host otherwise and would bind every interface). MODE=fs (default): saving writes the files
  into the working tree, no git command involved. MODE=git (`--drafts`): the editorial
  workflow as on the hosted repository — each save is a commit on a local draft branch
  cms/<collection>/<entry>, and only 发布 merges it into the configured branch.
- a small static server for the admin page: index.html and the bundle as the site's /admin/
  has them (mkdocs_plugin/admin.py), content/admin/config.yml with `local_backend` pointing at
  decap-server, and the built site's other files (its style sheets, for the preview pane).

Its Content-Security-Policy is the site's /admin/ policy with decap-server's origin.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.server
import mimetypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import yaml

from showcase.mkdocs_plugin import admin
from showcase.site import security_headers

HOST = "127.0.0.1"


class EditError(Exception):
    """A reason `showcase edit` cannot start, in Chinese."""


@dataclass(frozen=True)
class Editor:
    root: Path  # the project folder (mkdocs.yml)
    config: Path  # docs_dir/admin/config.yml
    site_dir: Path  # the built site, for the style sheets (may be missing)
    modules: Path  # node_modules with decap-cms and decap-server
    site_name: str
    css: tuple[str, ...]
    drafts: bool = False  # decap-server's git mode: saves are drafts on cms/… branches


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def config_text(editor: Editor, api_port: int) -> bytes:
    data = yaml.safe_load(editor.config.read_text("utf-8")) or {}
    data["local_backend"] = {"url": f"http://{HOST}:{api_port}/api/v1"}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def policy(api_port: int) -> str:
    """The site's policy for /admin/, allowing connections to decap-server."""
    return security_headers.admin_policy([f"http://{HOST}:{api_port}"])


def handler(editor: Editor, api_port: int) -> type[http.server.BaseHTTPRequestHandler]:
    dist = editor.modules / "decap-cms" / "dist"
    prefix = f"/{admin.ADMIN_DIR}/"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            name = path[len(prefix) :] if path.startswith(prefix) else None
            if path == f"/{admin.ADMIN_DIR}":
                self._send(301, b"", "text/plain", location=prefix)
            elif name in ("", "index.html"):
                page = admin.index_html(editor.site_name, list(editor.css))
                self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
            elif name == "config.yml":
                self._send(200, config_text(editor, api_port), "text/yaml; charset=utf-8")
            elif name in admin.SCRIPTS:
                self._file(admin.ASSETS / name)
            elif name is not None and (name == admin.BUNDLE or admin.CHUNK.match(name)):
                self._file(dist / name)
            else:
                self._site(path)

        def _site(self, path: str) -> None:
            rel = path.lstrip("/")
            target = (editor.site_dir / rel).resolve()
            if target.is_dir():
                target = target / "index.html"
            site = editor.site_dir.resolve()
            if ".." in rel.split("/") or not target.is_relative_to(site) or not target.is_file():
                self._send(404, "未找到".encode(), "text/plain; charset=utf-8")
                return
            self._file(target)

        def _file(self, file: Path) -> None:
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            self._send(200, file.read_bytes(), kind)

        def _send(self, status: int, body: bytes, kind: str, location: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", policy(api_port))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def start_decap_server(editor: Editor, node: str, api_port: int) -> subprocess.Popen[bytes]:
    entry = editor.modules / "decap-server" / "dist" / "index.js"
    mode = "git" if editor.drafts else "fs"
    env = dict(os.environ, PORT=str(api_port), BIND_HOST=HOST, MODE=mode, LOG_LEVEL="warn")
    env["GIT_REPO_DIRECTORY"] = str(editor.root)
    return subprocess.Popen(
        [node, str(entry)], cwd=editor.root, env=env, start_new_session=True, preexec_fn=_die_with_parent
    )


def _die_with_parent() -> None:
    """In the child before node starts: on Linux, get SIGTERM when `showcase edit` dies, even
    when it is killed outright and cannot stop decap-server itself (no orphan holds the port)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def wait_listening(port: int, child: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise EditError(f"decap-server 启动失败（退出码 {child.returncode}），请看上面的输出。")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise EditError(f"decap-server 在 {timeout:.0f} 秒内没有开始监听端口 {port}。")


def stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def draft_problem(root: Path, branch: str) -> str | None:
    """Why `--drafts` cannot run on `root` (in Chinese), or None: decap-server's git mode checks
    branches out in this very folder, so it must be a repository's top level, with the branch
    the editor publishes to, and no uncommitted change to a tracked file (a checkout would
    carry it onto a draft, or refuse)."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)

    if shutil.which("git") is None:
        return "找不到 git：--drafts 把草稿保存为 git 分支，请先安装 git（apt-get install git）。"
    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
        return f"{root} 不是 git 仓库的根目录：--drafts 把草稿保存为这个仓库里的分支。"
    if git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").returncode != 0:
        return f"仓库里没有分支 {branch}（mkdocs.yml 里 editor 的 branch）：发布的草稿要合并到它。"
    changed = git("status", "--porcelain", "--untracked-files=no").stdout.splitlines()
    if changed:
        shown = "、".join(line[3:] for line in changed[:3]) + ("……" if len(changed) > 3 else "")
        return f"有未提交的修改（{shown}）：请先提交或 git stash，再用 --drafts。"
    return None


@contextlib.contextmanager
def running(editor: Editor, node: str, port: int, api_port: int) -> Iterator[http.server.ThreadingHTTPServer]:
    """decap-server and the admin page, both listening; stopped (ports freed) on exit."""
    for p in (port, api_port):
        if not port_free(p):
            raise EditError(f"端口 {p} 已被占用，请换一个端口：showcase edit --port <端口>。")
    child = start_decap_server(editor, node, api_port)
    try:
        wait_listening(api_port, child)
        http.server.ThreadingHTTPServer.allow_reuse_address = True
        server = http.server.ThreadingHTTPServer((HOST, port), handler(editor, api_port))
        try:
            yield server
        finally:
            server.server_close()
    finally:
        stop(child)


def serve_until_signal(server: http.server.ThreadingHTTPServer, on_stop: Callable[[], None]) -> None:
    """Serve until SIGINT or SIGTERM."""
    stopping = threading.Event()

    def ask_stop(signum: int, frame: FrameType | None) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    old = {s: signal.signal(s, ask_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        on_stop()
