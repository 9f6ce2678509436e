#!/usr/bin/env python3
"""Print edition benchmark (issue 7): our PDFs against naive WeasyPrint, in one run.

    .venv/bin/python scripts/bench_print.py            # 3 alternating runs per case
    .venv/bin/python scripts/bench_print.py --runs 5

Cases, each rendered in a fresh process (imports, fonts and caches cold, as `showcase print`
meets them), medians of alternating runs:

- booklet24: the issue's target. The 24 sample branches as one A4 booklet with their lead
  photos (every article, full case text, figures, QR code). Target ≤ 30 s, PDF ≤ 25 MB.
- album24: the sample brand album (content/editions/pinpai-huace.yml), 1 + 24 pages.
- text50: the issue's measurement. 50 text-only articles (a synthetic project, `showcase
  synth`) as an A4 booklet.

Each case runs twice over the same HTML: "ours" (printing.render: WeasyPrint subsetting the
Noto CJK faces with HarfBuzz) and "naive" (the same HTML, WeasyPrint made to subset with
fontTools, its fallback when libharfbuzz-subset is missing: what the issue measured). The
split layout / PDF writing shows what dominates. Also the whole `showcase print` command on
booklet24, cold (empty PDF cache) and warm (cached), and the flexbox layout the album used to
have (WeasyPrint measures min-content widths of CJK flex items: see print.css).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(HERE / "scripts")]

SITE_URL = "https://dangjian.example.org/"
CACHE = HERE / ".cache" / "showcase"


def _edition_file(folder: Path, slugs: list[str], title: str) -> Path:
    path = folder / f"bench-{len(slugs)}.yml"
    lines = [f"title: {title}", "number: 1", "date: 2024-11-01", "paper: A4", "branches:"]
    path.write_text("\n".join(lines + [f"  - {s}" for s in slugs]) + "\n", "utf-8")
    return path


def one(case: str, mode: str, work: Path) -> dict[str, float]:
    """Worker: render one case once, in this (fresh) process."""
    started = time.monotonic()
    from showcase.content.load import load_project
    from showcase.media.renditions import PhotoStore
    from showcase.printing import layout
    from showcase.printing.editions import load_edition
    from showcase.printing.pdf import render

    if mode == "naive":
        import weasyprint.pdf.fonts as wp_fonts

        wp_fonts.harfbuzz_subset = None  # WeasyPrint falls back to fontTools
    if mode == "flex":  # the album as it was first written: flexbox for the page and its rows
        flex = (
            "\n.album-page { display: flex; flex-direction: column; }"
            "\n.album-page .figures { display: flex; flex-wrap: wrap; gap: 3mm; }"
            "\n.album-page .foot { position: static; margin-top: auto; display: flex; gap: 6mm; }"
            "\n.toc li { display: flex; } .toc .org { flex: 1; }\n"
        )
        real_read = Path.read_text

        def read_text(self: Path, *args: object, **kwargs: object) -> str:
            text = real_read(self, *args, **kwargs)  # type: ignore[arg-type]
            return text + flex if self.name == "print.css" else text

        Path.read_text = read_text  # type: ignore[method-assign]
    if case == "text50":
        root = work / "text50"
        project = load_project(root, "branches", cache_dir=root / ".cache")
        edition = load_edition(project, _edition_file(work, [b.slug for b in project.branches], "五十篇"))
    else:
        project = load_project(HERE, "branches", cache_dir=CACHE)
        if case == "booklet24":
            path = _edition_file(work, [b.slug for b in project.branches], "品牌合集")
        else:
            path = HERE / "content" / "editions" / "pinpai-huace.yml"
        edition = load_edition(project, path)
    rendition = layout.store_renditions(edition, PhotoStore(CACHE))
    prepared = layout.prepare(edition, rendition=rendition, site_url=SITE_URL, site_name="党建品牌展示站")
    rendered = render(prepared)
    return {
        "total": time.monotonic() - started,
        "layout": rendered.layout_seconds,
        "write": rendered.write_seconds,
        "pages": rendered.pages,
        "mb": len(rendered.pdf) / 1e6,
        "articles": len(edition.articles),
    }


def _run(case: str, mode: str, work: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", case, "--mode", mode, "--work", str(work)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.splitlines()[-1])


def _command(edition: Path, out: Path) -> float:
    """Wall time of the whole `showcase print` command."""
    started = time.monotonic()
    subprocess.run(
        [str(Path(sys.executable).parent / "showcase"), "print", str(edition), "-o", str(out)],
        cwd=HERE,
        capture_output=True,
        check=True,
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one")
    parser.add_argument("--mode", default="ours")
    parser.add_argument("--work")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.mode, Path(args.work))))
        return

    from showcase.printing.pdf import subsetter
    from showcase.tools.synth import synthesize

    work = Path(tempfile.mkdtemp(prefix="bench-print-"))
    try:
        synthesize(work / "text50", 50, photos=0, seed=7, progress=False)
        print(f"字体子集工具：{subsetter()}；每项 {args.runs} 次交替运行取中位数，每次一个新进程。\n")
        cases = [
            ("booklet24", "ours"),
            ("booklet24", "naive"),
            ("album24", "ours"),
            ("album24", "naive"),
            ("album24", "flex"),
            ("text50", "ours"),
            ("text50", "naive"),
        ]
        results: dict[tuple[str, str], list[dict[str, float]]] = {c: [] for c in cases}
        for _ in range(args.runs):
            for case in cases:
                results[case].append(_run(*case, work))
        med = {c: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for c, rs in results.items()}
        print(f"{'case':10} {'mode':6} {'total s':>8} {'layout s':>9} {'PDF s':>7} {'pages':>6} {'MB':>6}")
        for (case, mode), m in med.items():
            print(
                f"{case:10} {mode:6} {m['total']:8.2f} {m['layout']:9.2f} {m['write']:7.2f} "
                f"{m['pages']:6.0f} {m['mb']:6.2f}"
            )
        print()
        for case in ("booklet24", "album24", "text50"):
            ours, naive = med[(case, "ours")], med[(case, "naive")]
            print(
                f"{case}: writing the PDF (font subsets, images) naive/ours = "
                f"{naive['write']:.2f}/{ours['write']:.2f} s = {naive['write'] / ours['write']:.1f}×; "
                f"whole render {naive['total'] / ours['total']:.1f}× faster"
            )
        flex, ours = med[("album24", "flex")], med[("album24", "ours")]
        print(
            f"album24: layout with flexbox/ours = {flex['layout']:.2f}/{ours['layout']:.2f} s = {flex['layout'] / ours['layout']:.1f}×"
        )

        # The whole command, as the editorial office runs it: cold (no cached PDF), then warm.
        slugs = sorted(p.parent.name for p in (HERE / "branches").glob("*/profile.yml"))
        edition = _edition_file(work, slugs, "品牌合集")
        cold, warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(CACHE / "print", ignore_errors=True)
            cold.append(_command(edition, work / "out.pdf"))
            warm.append(_command(edition, work / "out.pdf"))
        size = (work / "out.pdf").stat().st_size / 1e6
        b24 = med[("booklet24", "ours")]
        print(
            f"\nshowcase print, 24-branch A4 booklet with photos: cold {statistics.median(cold):.1f} s "
            f"(target ≤ 30 s), warm {statistics.median(warm):.1f} s, PDF {size:.1f} MB (target ≤ 25 MB), "
            f"{b24['pages']:.0f} pages"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
