#!/usr/bin/env python3
"""Web-editor benchmark: Decap CMS (what /admin/ ships) against Sveltia CMS, the other
Decap-compatible editor, with the same generated content/admin/config.yml, in Chromium.

For each editor, in one run: whether its login screen appears and after how long, the bytes
it downloads from the site (gzip, as served), whether it shows the Chinese interface the
config asks for (locale: zh_Hans), and every request it makes to another host (the site must
load nothing from elsewhere: in mainland China those hosts are slow or blocked).

Decap is taken from the built site (`make site`: site/admin/); Sveltia is fetched with
`npm pack @sveltia/cms@SVELTIA` into .cache/npm/sveltia (not a dependency of the project).

Usage: .venv/bin/python scripts/bench_editor.py [--site site]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import socketserver
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, FLAGS  # noqa: E402

SVELTIA = "0.221.1"
PAGE = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>编辑</title></head>\n<body><script src="sveltia-cms.js"></script></body></html>\n'


def sveltia_site(cache: Path) -> Path:
    """A folder with admin/ holding Sveltia's bundle, the project's config and a page."""
    site = cache / f"site-{SVELTIA}"
    if not (site / "admin" / "sveltia-cms.js").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", f"@sveltia/cms@{SVELTIA}", "--silent", "--pack-destination", str(cache)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with tarfile.open(cache / f"sveltia-cms-{SVELTIA}.tgz") as tar:
            tar.extractall(cache / "unpacked", filter="data")
        dist = cache / "unpacked" / "package" / "dist"
        (site / "admin").mkdir(parents=True, exist_ok=True)
        shutil.copy(dist / "sveltia-cms.js", site / "admin")
        if (dist / "chunks").is_dir():
            shutil.copytree(dist / "chunks", site / "admin" / "chunks", dirs_exist_ok=True)
        (site / "admin" / "index.html").write_text(PAGE, "utf-8")
    shutil.copy(ROOT / "content" / "admin" / "config.yml", site / "admin" / "config.yml")
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(root: Path) -> tuple[socketserver.ThreadingTCPServer, str]:
    handler: Any = functools.partial(_Quiet, directory=str(root))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(browser: Any, root: Path, login: str) -> dict[str, Any]:
    server, base = serve(root)
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    start = time.perf_counter()
    page.goto(base + "/admin/")
    try:
        page.get_by_text(login).first.wait_for(timeout=30_000)
        seconds: float | None = time.perf_counter() - start
    except Exception:  # a missing login screen is a result, not a crash
        seconds = None
    page.wait_for_timeout(3000)  # late requests (fonts, update checks)
    body = page.inner_text("body")
    page.close()
    server.shutdown()
    local = {urlsplit(u).path for u in requests if u.startswith(base)}
    files = [root / p.lstrip("/") for p in local]
    return {
        "seconds": seconds,
        "gzip_kb": sum(len(gzip.compress(f.read_bytes(), 6)) for f in files if f.is_file()) / 1024,
        "chinese": "登录" in body,
        "foreign": sorted(
            {u for u in requests if urlsplit(u).scheme in ("http", "https") and not u.startswith(base)}
        ),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, default=ROOT / "site", help="a built site with admin/ (make site)")
    args = ap.parse_args()
    if not (args.site / "admin" / "decap-cms.js").is_file():
        print(f"{args.site}/admin/ 里没有 decap-cms.js：请先运行 make site。", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    candidates = [
        ("Decap CMS (decap-cms, package-lock.json)", args.site, "登录"),
        (f"Sveltia CMS {SVELTIA}", sveltia_site(ROOT / ".cache" / "npm" / "sveltia"), "Sign In"),
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, root, login in candidates:
            r = measure(browser, root, login)
            shown = f"{r['seconds']:.1f} s" if r["seconds"] is not None else "not shown in 30 s"
            print(
                f"{name}: login screen {shown}; {r['gzip_kb']:.0f} KB gzip from the site; "
                f"Chinese interface: {'yes' if r['chinese'] else 'no'}; {len(r['foreign'])} requests to other hosts"
            )
            for url in r["foreign"]:
                print(f"    {url}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
