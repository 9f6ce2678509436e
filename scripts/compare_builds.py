"""Prove that a refactor keeps behaviour: build the same projects at an earlier commit and
with the work tree, SOURCE_DATE_EPOCH fixed and no caches, and compare the trees byte for byte.

    .venv/bin/python scripts/compare_builds.py 7dbdf91            # sample site + 200 branches, 2 photos each
    .venv/bin/python scripts/compare_builds.py HEAD~3 --branches 50 --photos 1

The earlier commit gets its own git worktree and virtual environment (pip, with this
repository's constraints.txt), so its package and entry points are its own. Both sides build
each side's own sample project (a refactor may rename what mkdocs.yml names, such as the TOC's
slugify function), and one synthetic project written by the earlier commit's `showcase synth`. Exit status 0 when every
tree is identical; the differing files are listed otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
EPOCH = "1733200000"
SAMPLE = ("mkdocs.yml", "content", "overrides", "branches")  # the sample project's parts


def run(cmd: list[str], **kwargs: object) -> None:
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def venv_for(tree: Path, work: Path) -> Path:
    """A virtual environment with `tree`'s package installed (editable), pinned by constraints.txt."""
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "-c", str(HERE / "constraints.txt"), "-e", str(tree)])
    return venv / "bin"


def build(bin_dir: Path, project: Path, out: Path, scratch: Path) -> None:
    """`mkdocs build` of a fresh copy of `project` (no .cache, no site/) into `out`."""
    copy = scratch / f"src-{out.name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache", "site"))
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": EPOCH,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("PYTHONPATH", None)
    run([str(bin_dir / "mkdocs"), "build", "-q", "-f", str(copy / "mkdocs.yml"), "-d", str(out)], env=env)


def _sample(tree: Path, into: Path) -> Path:
    into.mkdir()
    for name in SAMPLE:
        src = tree / name
        if src.is_dir():
            shutil.copytree(src, into / name, ignore=shutil.ignore_patterns(".cache"))
        else:
            shutil.copy(src, into / name)
    return into


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def compare(name: str, before: Path, after: Path) -> bool:
    a, b = digests(before), digests(after)
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    if not differing:
        print(f"{name}：{len(a)} 个文件，逐字节相同。")
        return True
    print(f"{name}：{len(differing)} 个文件不同（共 {len(a)} / {len(b)} 个）：")
    for path in differing[:40]:
        print(f"  {path}  {'缺少' if path not in b else '多出' if path not in a else '内容不同'}")
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the earlier commit, e.g. 7dbdf91")
    parser.add_argument("--branches", type=int, default=200, help="synthetic branches (default 200)")
    parser.add_argument("--photos", type=int, default=2, help="photos per synthetic branch (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp:
        work = Path(tmp)
        base = work / "base"
        run(["git", "-C", str(HERE), "worktree", "add", "--detach", "-q", str(base), args.base])
        try:
            print(f"安装 {args.base} 的版本……", file=sys.stderr, flush=True)
            base_bin = venv_for(base, work)
            if (HERE / "node_modules").is_dir() and not (base / "node_modules").exists():
                # The editor's npm packages (git-ignored): without them one side has no /admin/.
                (base / "node_modules").symlink_to(HERE / "node_modules")
            now_bin = Path(sys.executable).parent
            # The sample project as each side has it (a refactor may rename what mkdocs.yml names).
            samples = (_sample(base, work / "sample-before"), _sample(HERE, work / "sample-after"))
            synth = work / "synth"
            print(f"生成 {args.branches} 个合成党组织……", file=sys.stderr, flush=True)
            run(
                [
                    str(base_bin / "showcase"),
                    "synth",
                    "--branches",
                    str(args.branches),
                    "--photos",
                    str(args.photos),
                    "--out",
                    str(synth),
                ],
                stdout=subprocess.DEVNULL,
            )
            same = True
            for name, (before, after) in (
                ("示例站点", samples),
                (f"合成项目（{args.branches} 个）", (synth, synth)),
            ):
                print(f"构建{name}：{args.base} 与当前工作区……", file=sys.stderr, flush=True)
                build(base_bin, before, work / f"out-{before.name}-1", work)
                build(now_bin, after, work / f"out-{after.name}-2", work)
                same &= compare(name, work / f"out-{before.name}-1", work / f"out-{after.name}-2")
        finally:
            run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(base)])
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
