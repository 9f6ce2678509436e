#!/usr/bin/env python3
"""Lighthouse benchmark (issue 公众体验, item 5): our pages against plain mkdocs-material, in one run.

    make lighthouse site                                # once: Lighthouse, then the sample site
    .venv/bin/python scripts/bench_lighthouse.py        # 3 alternating runs per page
    .venv/bin/python scripts/bench_lighthouse.py --runs 5 --reports lh-reports --check

Lighthouse (npm, pinned in the Makefile, installed by `make lighthouse` into the git-ignored
.cache/npm/lighthouse) runs with its default configuration: mobile emulation (Moto G Power
screen, 4× CPU slowdown, simulated slow 4G), the four categories performance, accessibility,
best practices and SEO, Debian's Chromium with the flags the browser tests use. Targets for
our pages: performance ≥ 95, accessibility, best practices and SEO 100.

Pages: the home page and one branch page (/branches/yangguang-shequ/) of the built sample
site (site/, `showcase build`), and the same two of the baseline, a plain mkdocs-material
site built in this run with the same MkDocs and Material versions:

- its branch-like page is what an editor would write without the showcase plugin: the
  branch's name, brand, slogan, summary and figures as Markdown, the whole case.md, its
  three photos as plain Markdown images of the source JPEGs;
- its home page is a minimal index (a heading and a link), so the home rows compare our full
  home page against an almost empty Material page: read them as Material's floor;
- mkdocs-material defaults otherwise: `theme: {name: material, language: zh}` (Chinese text
  with lang="en" would be unfair in the other direction), the built-in search plugin, no
  site_description, and `theme.font` left at its default, Google Fonts.

Google Fonts, fairly: this machine has no outside network, so the baseline's stylesheet from
fonts.googleapis.com (render-blocking, in <head>) and the font files from fonts.gstatic.com
cannot load. Both hosts are blocked through Lighthouse's --blocked-url-patterns, for both
sites alike (ours requests neither). Lighthouse does not count a blocked request as a console
error, so the baseline loses no best-practices points for our missing network, and it pays
nothing for the fonts: no bytes, no cross-origin round trip before first paint. Online it
would be heavier and slower than measured here (and from a mainland-China network, where
Google's hosts are unreachable, its pages would wait for that stylesheet to time out): the
baseline's numbers are a best case for it. The column `other hosts` counts requests that
went (or tried to go) to a host other than the local server.

Both sites are served by showcase.preview.serve_in_background, gzip on like production, with
the security headers the build writes into `_headers` (our Content-Security-Policy among
them; the baseline has none), as a production host sends them. Runs alternate between the
four pages, one Chromium per run, and the table shows medians: the machine is shared and
noisy, so compare the rows of one run, not numbers from different runs. Lighthouse's own
performance score is simulated from the trace, but total blocking time still follows the CPU
time the machine gives the page.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(HERE / "scripts"), str(HERE / "tests")]

from conftest import CHROMIUM  # noqa: E402
from conftest import FLAGS as CHROME_FLAGS  # noqa: E402  (every browser test's and benchmark's)
from showcase.tools.preview import serve_in_background  # noqa: E402

LIGHTHOUSE = HERE / ".cache" / "npm" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
BLOCKED = ["https://fonts.googleapis.com/*", "https://fonts.gstatic.com/*"]
CATEGORIES = {"performance": "perf", "accessibility": "a11y", "best-practices": "BP", "seo": "SEO"}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
SLUG = "yangguang-shequ"
PAGES = {"home": "", "branch": f"branches/{SLUG}/"}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CHROME_PATH": CHROMIUM}


@dataclass
class Run:
    scores: dict[str, float]  # category id → 0…100
    bytes: int  # Lighthouse's total-byte-weight: bytes over the wire for every request
    other_hosts: int
    failed: dict[str, tuple[str, float, str]]  # audit id → (category, weight, text)


@dataclass
class Page:
    site: str
    page: str
    runs: list[Run] = field(default_factory=list)

    def median(self, category: str) -> float:
        return statistics.median(r.scores[category] for r in self.runs)

    def median_bytes(self) -> float:
        return statistics.median(r.bytes for r in self.runs)


# --- the baseline -----------------------------------------------------------------------


BASELINE_YML = """\
site_name: 党建品牌展示站（对照组）
theme:
  name: material
  language: zh
plugins:
  - search
"""


def branch_markdown(folder: Path, photo_dir: str) -> str:
    """The branch page as plain Markdown: profile facts, case.md, photos as Markdown images."""
    p = yaml.safe_load((folder / "profile.yml").read_text("utf-8"))
    figures = "\n".join(
        f"- **{f['value']}{f.get('qualifier', '')}{f.get('unit', '')}** {f['label']}"
        for f in p.get("figures", [])
    )
    photos = "\n\n".join(
        f"![{ph['caption']}]({photo_dir}/{Path(ph['file']).name})" for ph in p.get("photos", [])
    )
    return (
        f"# {p['name']}\n\n**{p['brand']['name']}**：{p['brand'].get('slogan', '')}\n\n"
        f"{p['summary']}\n\n{figures}\n\n{(folder / 'case.md').read_text('utf-8').strip()}\n\n"
        f"## 图片\n\n{photos}\n"
    )


def build_baseline(work: Path) -> Path:
    source = HERE / "branches" / SLUG
    docs = work / "docs"
    page_dir = docs / "branches" / SLUG
    (page_dir / "photos").mkdir(parents=True)
    for photo in sorted((source / "photos").glob("*.jpg")):
        shutil.copy(photo, page_dir / "photos" / photo.name)
    (page_dir / "index.md").write_text(branch_markdown(source, "photos"), "utf-8")
    (docs / "index.md").write_text(
        f"# 党建品牌展示站\n\n- [阳光社区党委](branches/{SLUG}/index.md)\n", "utf-8"
    )
    (work / "mkdocs.yml").write_text(BASELINE_YML, "utf-8")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    proc = subprocess.run(
        [str(mkdocs), "build", "--quiet", "-f", str(work / "mkdocs.yml"), "-d", str(work / "site")],
        env=ENV,
        capture_output=True,  # jieba (Material's Chinese search) talks on stderr
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"building the baseline failed:\n{proc.stderr[-3000:]}")
    return work / "site"


# --- Lighthouse ---------------------------------------------------------------------------


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--form-factor=mobile",
        "--only-categories=" + ",".join(CATEGORIES),
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        "--chrome-flags=" + " ".join(CHROME_FLAGS),
        *(f"--blocked-url-patterns={p}" for p in BLOCKED),
    ]
    proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=300)
    report = out.with_name(out.name + ".report.json")
    if proc.returncode != 0 or not report.is_file():
        raise SystemExit(f"Lighthouse failed on {url}:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(report.read_text("utf-8"))
    if result.get("runtimeError"):
        raise SystemExit(f"Lighthouse on {url}: {result['runtimeError']}")
    return result


def summarize(report: dict[str, Any], base: str) -> Run:
    audits = report["audits"]
    scores = {}
    for cid in CATEGORIES:
        score = report["categories"][cid]["score"]
        if score is None:
            raise SystemExit(f"{report['finalDisplayedUrl']}: no {cid} score")
        scores[cid] = round(score * 100)
    failed: dict[str, tuple[str, float, str]] = {}
    for cid in CATEGORIES:
        for ref in report["categories"][cid]["auditRefs"]:
            audit = audits[ref["id"]]
            if audit["score"] is None or audit["score"] >= 1:
                continue
            if audit["scoreDisplayMode"] in ("informative", "manual", "notApplicable", "error"):
                continue
            text = audit["title"] + (f" — {audit['displayValue']}" if audit.get("displayValue") else "")
            failed[ref["id"]] = (cid, ref["weight"], text)
    # Blocked requests are in the list too (status -1); data: URLs have no host.
    local = urllib.parse.urlsplit(base).netloc
    requests = audits["network-requests"]["details"]["items"]
    other = sum(1 for r in requests if urllib.parse.urlsplit(r["url"]).netloc not in ("", local))
    return Run(scores, int(audits["total-byte-weight"]["numericValue"]), other, failed)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--site", type=Path, default=HERE / "site", help="our built site")
    parser.add_argument("--reports", type=Path, help="keep every run's JSON and HTML report here")
    parser.add_argument("--json", type=Path, help="write the medians and failed audits here")
    parser.add_argument("--check", action="store_true", help="exit 1 when our pages miss a target")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is missing: run `make lighthouse` first.")
    if not (args.site / PAGES["branch"] / "index.html").is_file():
        raise SystemExit(f"{args.site} has no {PAGES['branch']}: run `make site` first.")

    work = Path(tempfile.mkdtemp(prefix="bench-lighthouse-"))
    servers = []
    try:
        baseline = build_baseline(work / "material")
        sites = {"ours": args.site.resolve(), "material": baseline}
        bases = {}
        for name, folder in sites.items():
            server, bases[name] = serve_in_background(folder, send_headers=True)
            servers.append(server)
        reports = args.reports or work / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        version = subprocess.run(
            [str(LIGHTHOUSE), "--version"], env=ENV, capture_output=True, text=True, check=True
        ).stdout.strip()
        print(
            f"Lighthouse {version}, mobile; {args.runs} alternating run(s) per page, medians. "
            f"Baseline with Google Fonts blocked ({len(BLOCKED)} hosts).\n",
            flush=True,
        )
        results = {(s, p): Page(s, p) for p in PAGES for s in sites}
        for i in range(args.runs):
            for (site, page), entry in results.items():
                report = lighthouse(bases[site] + PAGES[page], reports / f"{page}-{site}-{i + 1}")
                run = summarize(report, bases[site])
                entry.runs.append(run)
                scores = " ".join(f"{run.scores[c]:3.0f}" for c in CATEGORIES)
                print(f"  run {i + 1}: {page:6} {site:8} {scores}  {run.bytes / 1024:7.0f} KB", flush=True)

        print()
        head = " ".join(f"{v:>5}" for v in CATEGORIES.values())
        print(f"{'page':6} {'site':8} {head} {'transferred':>12} {'other hosts':>12}")
        for entry in results.values():
            cells = " ".join(f"{entry.median(c):5.0f}" for c in CATEGORIES)
            hosts = statistics.median(r.other_hosts for r in entry.runs)
            print(
                f"{entry.page:6} {entry.site:8} {cells} {entry.median_bytes() / 1024:9.0f} KB {hosts:12.0f}"
            )
        targets = " ".join(f"{('≥' if c == 'performance' else '') + str(t):>5}" for c, t in TARGETS.items())
        print(f"{'target':6} {'ours':8} {targets}")
        for page in PAGES:
            ours, material = results[("ours", page)], results[("material", page)]
            print(
                f"{page}: transferred material/ours = {material.median_bytes() / 1024:.0f}/"
                f"{ours.median_bytes() / 1024:.0f} KB = {material.median_bytes() / ours.median_bytes():.1f}×"
            )

        missed = []
        for entry in results.values():
            counts: dict[str, int] = {}
            texts: dict[str, tuple[str, float, str]] = {}
            for run in entry.runs:
                for aid, info in run.failed.items():
                    counts[aid] = counts.get(aid, 0) + 1
                    texts[aid] = info
            scored = sorted((a for a in counts if texts[a][1] > 0), key=lambda a: -texts[a][1])
            unscored = sorted(a for a in counts if texts[a][1] == 0)
            print(
                f"\n{entry.page} / {entry.site}: audits below full score (runs; value of the last such run)"
            )
            for aid in scored:
                cid, weight, text = texts[aid]
                print(f"  {CATEGORIES[cid]:4} w={weight:<3g} {counts[aid]}/{len(entry.runs)} {aid}: {text}")
            if not scored:
                print("  (none that count towards a score)")
            if unscored:
                print("  not scored (diagnostics): " + ", ".join(unscored))
            if entry.site == "ours":
                missed += [
                    f"{entry.page} {c} {entry.median(c):.0f} < {t}"
                    for c, t in TARGETS.items()
                    if entry.median(c) < t
                ]
        print("\n" + ("targets missed: " + "; ".join(missed) if missed else "all targets met"))
        if args.reports:
            print(f"reports: {args.reports}/<page>-<site>-<run>.report.html")
        if args.json:
            data = {
                f"{e.page}/{e.site}": {
                    "scores": {c: e.median(c) for c in CATEGORIES},
                    "bytes": e.median_bytes(),
                    "failed": sorted({a for r in e.runs for a in r.failed}),
                }
                for e in results.values()
            }
            args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
        return 1 if args.check and missed else 0
    finally:
        for server in servers:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
