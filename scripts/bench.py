#!/usr/bin/env python3
"""Scale benchmark: our build against plain mkdocs-material and Hugo, in one run.

    .venv/bin/python scripts/bench.py                 # 100 and 1,000 branches
    .venv/bin/python scripts/bench.py --sizes 1000 10000 --json bench.json

For every size it writes a synthetic project with `showcase synth` (text only, same seed),
derives the same Markdown for the baselines, and builds each of them as a separate process:
cold (empty output and cache), warm (nothing changed) and after editing one branch. Peak
RSS comes from the kernel (wait4) for the whole build process. Machines are shared and
noisy: read the ratios, which compare builds made minutes apart on the same machine.

Baselines: plain mkdocs-material with its default nav (every page listed) and its built-in
search (`lang: zh`, jieba), and Hugo (Debian package `hugo`) with minimal layouts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1729814400"}


@dataclass
class Row:
    tool: str
    branches: int
    cold_s: float
    warm_s: float
    edit_s: float
    peak_rss_mb: float
    site_mb: float
    median_page_kb: float
    first_search_kb: float | None


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one command, measured by the kernel for that process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)} in {cwd}\n{err[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def median_kb(pages: list[Path]) -> float:
    return statistics.median(p.stat().st_size for p in pages) / 1024 if pages else 0.0


# --- the baselines' sources, from the same synthetic branches ----------------------------


def plain_markdown(folder: Path) -> tuple[str, str]:
    """Title and Markdown body of one branch as a plain site would hold it."""
    p = yaml.load((folder / "profile.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    figures = "\n".join(
        f"- **{f['value']}{f.get('qualifier', '')}{f.get('unit', '')}** {f['label']}"
        for f in p.get("figures", [])
    )
    body = (
        f"**{p['brand']['name']}**：{p['brand'].get('slogan', '')}\n\n{p['summary']}\n\n"
        f"{figures}\n\n{(folder / 'case.md').read_text('utf-8')}"
    )
    return p["name"], body


MATERIAL_YML = """\
site_name: 对照组 mkdocs-material
theme: {name: material, language: zh, font: false}
plugins:
  - search: {lang: zh}
"""

HUGO_TOML = 'baseURL = "http://localhost/"\ntitle = "对照组 Hugo"\nlanguageCode = "zh-cn"\n'
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        '<body>{{ block "main" . }}{{ end }}</body></html>'
    ),
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}',
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}'
    ),
    "index.html": '{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ end }}',
}


def make_baselines(project: Path, work: Path) -> tuple[Path, Path]:
    material, hugo = work / "material", work / "hugo"
    (material / "docs" / "branches").mkdir(parents=True)
    (hugo / "content" / "branches").mkdir(parents=True)
    (material / "mkdocs.yml").write_text(MATERIAL_YML, "utf-8")
    (material / "docs" / "index.md").write_text("# 对照组\n", "utf-8")
    (hugo / "hugo.toml").write_text(HUGO_TOML, "utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        (hugo / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (hugo / "layouts" / rel).write_text(text, "utf-8")
    for folder in sorted(p.parent for p in (project / "branches").glob("*/profile.yml")):
        title, body = plain_markdown(folder)
        (material / "docs" / "branches" / f"{folder.name}.md").write_text(f"# {title}\n\n{body}", "utf-8")
        front = json.dumps({"title": title}, ensure_ascii=False)
        (hugo / "content" / "branches" / f"{folder.name}.md").write_text(f"{front}\n\n{body}", "utf-8")
    return material, hugo


def edit_one(path: Path) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write("\n\n本段为基准测试追加的修改，用于测量改动一个党组织后的重建时间。\n")


# --- measuring ------------------------------------------------------------------------------


def measure(
    tool: str,
    n: int,
    cwd: Path,
    cmd: list[str],
    out: Path,
    clean: list[Path],
    edit: Path,
    pages: str,
    search: list[str] | None,
) -> Row:
    for path in clean:
        shutil.rmtree(path, ignore_errors=True)
    cold, rss1 = run(cmd, cwd)
    warm, rss2 = run(cmd, cwd)
    edit_one(edit)
    edited, rss3 = run(cmd, cwd)
    search_kb = None
    if search is not None:
        search_kb = sum(p.stat().st_size for pattern in search for p in out.glob(pattern)) / 1024
    return Row(
        tool,
        n,
        round(cold, 2),
        round(warm, 2),
        round(edited, 2),
        round(max(rss1, rss2, rss3), 1),
        round(dir_mb(out), 1),
        round(median_kb(list(out.glob(pages))), 1),
        None if search_kb is None else round(search_kb, 1),
    )


def bench_size(n: int, work: Path, baselines: bool) -> list[Row]:
    project = work / "ours"
    print(f"— {n} 个党组织：生成合成项目……", file=sys.stderr, flush=True)
    subprocess.run(
        [str(VENV_BIN / "showcase"), "synth", "--branches", str(n), "--out", str(project)],
        check=True,
        env=ENV,
        stdout=subprocess.DEVNULL,
    )
    rows = []
    print(f"— {n}：构建本项目（showcase build）……", file=sys.stderr, flush=True)
    rows.append(
        measure(
            "showcase",
            n,
            project,
            [str(VENV_BIN / "showcase"), "build"],
            project / "site",
            [project / "site", project / ".cache"],
            project / "branches" / "branch-00001" / "case.md",
            "branches/*/index.html",
            None,
        )
    )
    if baselines:
        material, hugo = make_baselines(project, work)
        print(f"— {n}：构建对照组 mkdocs-material……", file=sys.stderr, flush=True)
        rows.append(
            measure(
                "mkdocs-material",
                n,
                material,
                [str(VENV_BIN / "mkdocs"), "build", "-q"],
                material / "site",
                [material / "site"],
                material / "docs" / "branches" / "branch-00001.md",
                "branches/*/index.html",
                [
                    "search/search_index.json",
                    "assets/javascripts/workers/search.*.js",
                    "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
                    "assets/javascripts/lunr/min/lunr.multi.min.js",
                    "assets/javascripts/lunr/min/lunr.zh.min.js",
                ],
            )
        )
        if shutil.which("hugo"):
            print(f"— {n}：构建对照组 Hugo……", file=sys.stderr, flush=True)
            rows.append(
                measure(
                    "hugo",
                    n,
                    hugo,
                    ["hugo", "--quiet"],
                    hugo / "public",
                    [hugo / "public"],
                    hugo / "content" / "branches" / "branch-00001.md",
                    "branches/*/index.html",
                    None,
                )
            )
        else:
            print("（未安装 hugo，跳过：apt-get install hugo）", file=sys.stderr)
    return rows


def table(rows: list[Row]) -> str:
    head = [
        "工具",
        "党组织",
        "冷构建 s",
        "无改动重建 s",
        "改一个后重建 s",
        "峰值内存 MB",
        "站点 MB",
        "页面中位数 KB",
        "首次搜索 KB",
    ]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for r in rows:
        search = "—" if r.first_search_kb is None else f"{r.first_search_kb:.0f}"
        lines.append(
            " | ".join(
                [
                    r.tool,
                    str(r.branches),
                    f"{r.cold_s:.2f}",
                    f"{r.warm_s:.2f}",
                    f"{r.edit_s:.2f}",
                    f"{r.peak_rss_mb:.0f}",
                    f"{r.site_mb:.1f}",
                    f"{r.median_page_kb:.1f}",
                    search,
                ]
            )
        )
    return "\n".join(lines)


def ratios(rows: list[Row]) -> list[str]:
    out = []
    by = {(r.tool, r.branches): r for r in rows}
    for n in sorted({r.branches for r in rows}):
        ours, mat, hugo = by.get(("showcase", n)), by.get(("mkdocs-material", n)), by.get(("hugo", n))
        if ours and mat:
            out.append(f"{n}: 冷构建 / mkdocs-material = {ours.cold_s / mat.cold_s:.2f}（目标 ≤ 0.25）")
        if ours and hugo:
            out.append(f"{n}: 改一个后重建 / Hugo 全量 = {ours.edit_s / hugo.cold_s:.2f}（目标 ≤ 1.5）")
        if ours:
            out.append(
                f"{n}: 页面中位数 {ours.median_page_kb:.1f} KB（目标 ≤ 60），峰值内存 {ours.peak_rss_mb:.0f} MB（目标 ≤ 1024）"
            )
    sizes = sorted(n for (t, n) in by if t == "showcase")
    for small, large in itertools.pairwise(sizes):
        a, b = by[("showcase", small)], by[("showcase", large)]
        out.append(f"{large}/{small}: 冷构建时间比 {b.cold_s / a.cold_s:.1f}×（规模比 {large / small:.0f}×）")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="规模基准：本项目 vs mkdocs-material vs Hugo")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--no-baselines", action="store_true", help="只测本项目")
    parser.add_argument("--json", help="另存结果为 JSON")
    args = parser.parse_args()
    rows: list[Row] = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            rows += bench_size(n, Path(tmp), baselines=not args.no_baselines)
    print(table(rows))
    print()
    print("\n".join(ratios(rows)))
    result = {"rows": [asdict(r) for r in rows], "ratios": ratios(rows)}
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
