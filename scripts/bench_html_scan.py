"""How fast the security-header scan reads a built site: the shipped scanner (selectolax) against
stdlib html.parser and the regular-expression scanner it replaced, in one run.

    .venv/bin/python scripts/bench_html_scan.py                 # 1,000 synthetic branches
    .venv/bin/python scripts/bench_html_scan.py --branches 200 --old-rev 7dbdf91

The regex scanner is read from git at --old-rev (the commit before the change). All three
scan the same built site three times; the best time of each is printed, with whether the
script hashes agree.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(HERE / "scripts"), str(HERE / "tests")]

from showcase.site import security_headers  # noqa: E402
from stdlib_scripts import stdlib_scripts  # noqa: E402


def stdlib_hashes(site: Path) -> set[str]:
    """The html.parser candidate: the same inline scripts (data blocks left out), hashed alike."""
    hashes: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        scripts = stdlib_scripts(page.read_text("utf-8", errors="replace"))
        hashes.update(security_headers.script_hash(s) for s in scripts)
    return hashes


def old_scanner(rev: str, work: Path) -> ModuleType:
    """The scanner as it was at `rev` (before it moved into site/, at its old path)."""
    source = subprocess.run(
        ["git", "-C", str(HERE), "show", f"{rev}:scripts/showcase/security_headers.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = work / "old_security_headers.py"
    path.write_text(source.replace("from .atomic import", "from showcase.atomic import"), "utf-8")
    spec = importlib.util.spec_from_file_location("old_security_headers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--old-rev", default="7dbdf91", help="a commit with the regex scanner")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="bench-html-scan-") as tmp:
        work = Path(tmp)
        print(f"生成并构建 {args.branches} 个合成党组织……", file=sys.stderr, flush=True)
        project = work / "project"
        subprocess.run(
            [str(bin_dir / "showcase"), "synth", "--branches", str(args.branches), "--out", str(project)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        site = work / "site"
        subprocess.run(
            [str(bin_dir / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
            check=True,
            env=env,
        )
        old = old_scanner(args.old_rev, work)
        pages = sum(1 for _ in site.rglob("*.html"))
        size = sum(p.stat().st_size for p in site.rglob("*.html")) / 1e6
        shipped_s, shipped = best_of(args.runs, lambda: security_headers.scan(site))
        regex_s, regex = best_of(args.runs, lambda: old.scan(site))
        stdlib_s, stdlib = best_of(args.runs, lambda: stdlib_hashes(site))
        hashes = shipped.script_hashes  # type: ignore[attr-defined]
        print(f"{pages} 个页面，{size:.0f} MB（{args.branches} 个党组织），{args.runs} 次取最快：")
        print(f"  selectolax（现用）   {shipped_s:6.2f} 秒  1.00×")
        print(f"  正则表达式（{args.old_rev}） {regex_s:6.2f} 秒  {regex_s / shipped_s:.2f}×")
        print(f"  html.parser          {stdlib_s:6.2f} 秒  {stdlib_s / shipped_s:.2f}×")
        same_regex = set(regex.script_hashes) == set(hashes)  # type: ignore[attr-defined]
        print(f"  脚本哈希一致：正则 {same_regex}，html.parser {stdlib == set(hashes)}")


if __name__ == "__main__":
    main()
