#!/usr/bin/env python3
"""Photo pipeline benchmark: three figures from issue 5, each next to its baseline, in one run.

    .venv/bin/python scripts/bench_photos.py                         # all three parts
    .venv/bin/python scripts/bench_photos.py --parts cold,weight     # skip the 1,000-branch part
    .venv/bin/python scripts/bench_photos.py --project /tmp/p1000    # reuse a synthetic project

1. cold: seconds per 12-megapixel phone photo per core. Our pipeline (`images.photo_renditions`:
   JPEG decoded at a reduced DCT scale, each width resized from the one before) against a
   naive Pillow open → exif_transpose → resize from full size → save, making the same
   outputs (WebP and JPEG at 480/960/1600 px, same qualities), on the same photo-like camera
   JPEGs, one process each. Then the whole `PhotoStore` on all cores, for throughput.
2. warm: share of a warm `showcase build` (nothing changed) spent on photos, at 1,000
   branches × 4 photos. Two measures, medians of alternating runs:
   - the photo stages as the build itself times them (its log lines 照片检查 / 图片 / 照片文件 /
     照片目录: path checks and the inspection index, renditions looked up in the cache,
     share cards, files linked into the site, media/ carried over and pruned), over the
     build's wall time;
   - the difference to a twin project with the same branches and no photos:
     (T_photos − T_none) / T_photos. It also holds everything else four photo entries per
     profile cost: YAML parsing, validation and the personal-data scan of their captions
     and credits, and the garbage collector walking more objects.
   The first, cold build of the project is made once (about 15 minutes on 2 cores) and kept
   in --project.
3. weight: bytes a branch page with 6 photos transfers before scrolling on a 390×844 phone
   at device pixel ratio 3, served with gzip (as nginx would): the scratch project of
   tests/media/test_gallery_browser.py, measured with the DevTools protocol in Debian's chromium.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(HERE / "scripts"), str(HERE / "tests"), str(HERE / "tests" / "media")]

from PIL import Image, ImageOps  # noqa: E402

from showcase.media import images  # noqa: E402
from showcase.media.renditions import PhotoStore  # noqa: E402

SHOWCASE = str(Path(sys.executable).parent / "showcase")


# --- 1. cold processing ----------------------------------------------------------------------


def camera_photos(n: int) -> list[bytes]:
    from test_gallery_browser import photo_like

    from imagefiles import camera_jpeg

    return [camera_jpeg(photo_like((4032, 3024), i), 1, quality=92) for i in range(n)]


def naive(raw: bytes) -> list[bytes]:
    """What one would write first: decode at full size, resize each width from it, save."""
    img = ImageOps.exif_transpose(Image.open(io.BytesIO(raw))).convert("RGB")
    out = []
    for width in images.PHOTO_WIDTHS:
        small = img.resize((width, round(img.height * width / img.width)), Image.Resampling.LANCZOS)
        for fmt, params in (
            ("WEBP", {"quality": images.WEBP_QUALITY, "method": 4}),
            ("JPEG", {"quality": images.JPEG_QUALITY, "optimize": True, "progressive": True}),
        ):
            buf = io.BytesIO()
            small.save(buf, fmt, **params)
            out.append(buf.getvalue())
    return out


def bench_cold(n: int) -> dict[str, Any]:
    photos = camera_photos(n)
    timings: dict[str, list[float]] = {"ours": [], "naive": []}
    sizes: dict[str, int] = {"ours": 0, "naive": 0}
    for raw in photos:  # interleaved, so both see the same machine load
        t = time.perf_counter()
        encoded, _ = images.photo_renditions(raw)
        timings["ours"].append(time.perf_counter() - t)
        sizes["ours"] += sum(len(e.data) for e in encoded)
        t = time.perf_counter()
        outs = naive(raw)
        timings["naive"].append(time.perf_counter() - t)
        sizes["naive"] += sum(len(o) for o in outs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for i, raw in enumerate(photos * 2):  # twice as many distinct files (one byte apart)
            p = folder / f"p{i}.jpg"
            p.write_bytes(raw + bytes([i]))
            paths.append((p, f"{i:064x}"))
        store = PhotoStore(folder / "cache")
        t = time.perf_counter()
        store.photos(paths)
        wall = time.perf_counter() - t
    per = {k: statistics.median(v) for k, v in timings.items()}
    return {
        "photos": n,
        "ours_s_per_photo_per_core": per["ours"],
        "naive_s_per_photo_per_core": per["naive"],
        "speedup": per["naive"] / per["ours"],
        "ours_output_kb_per_photo": sizes["ours"] / n / 1024,
        "naive_output_kb_per_photo": sizes["naive"] / n / 1024,
        "all_cores": os.cpu_count(),
        "all_cores_s_per_photo": wall / len(paths),
    }


# --- 2. warm rebuild share ----------------------------------------------------------------------

# The photo stages the build times itself: checks (load), renditions and cards (on_files), files (on_post_build), media/ (swap).
IMAGE_LINE = re.compile(r"(?:照片检查|图片|照片文件|照片目录)：.*用时 ([0-9.]+) 秒")


def _build(project: Path, *extra: str) -> tuple[float, float | None]:
    t = time.perf_counter()
    proc = subprocess.run(
        [SHOWCASE, "-f", str(project / "mkdocs.yml"), "build", *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"构建失败：{project}\n{proc.stdout}\n{proc.stderr}")
    found = IMAGE_LINE.findall(proc.stdout + proc.stderr)
    return wall, sum(map(float, found)) if found else None


def _twin_without_photos(project: Path, twin: Path) -> None:
    if twin.exists():
        shutil.rmtree(twin)
    shutil.copytree(project, twin, ignore=shutil.ignore_patterns("photos", "site", ".cache", ".site-*"))
    for profile in (twin / "branches").glob("*/profile.yml"):
        text = profile.read_text("utf-8")
        profile.write_text(re.sub(r"^photos:\n(?:  - .*\n)+", "", text, flags=re.M), "utf-8")


def bench_warm(project: Path, runs: int, branches: int, photos: int) -> dict[str, Any]:
    if not (project / "mkdocs.yml").is_file():
        print(f"生成合成项目 {project}（{branches} 个党组织 × {photos} 张照片）……", flush=True)
        subprocess.run(
            [SHOWCASE, "synth", "--branches", str(branches), "--photos", str(photos), "--out", str(project)],
            check=True,
        )
    print("首次（冷）构建：照片全部处理一遍，只做一次……", flush=True)
    cold, _ = _build(project)
    twin = project.with_name(project.name + "-nophotos")
    _twin_without_photos(project, twin)
    _build(twin)
    with_photos, without, stage = [], [], []
    for _ in range(runs):
        wall, inside = _build(project)
        with_photos.append(wall)
        stage.append(inside or 0.0)
        without.append(_build(twin)[0])
    t_p, t_n = statistics.median(with_photos), statistics.median(without)
    return {
        "branches": branches,
        "photos": sum(1 for _ in (project / "branches").glob("*/photos/*.jpg")),
        "first_build_s": cold,
        "warm_with_photos_s": t_p,
        "warm_without_photos_s": t_n,
        "photo_share": (t_p - t_n) / t_p,
        "photo_stages_s": statistics.median(stage),
        "photo_stages_share": statistics.median(s / w for s, w in zip(stage, with_photos, strict=True)),
        "runs": runs,
    }


# --- 3. page weight ------------------------------------------------------------------------------


def bench_weight() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright
    from test_gallery_browser import BUDGET, SLUG, make_gallery_project, transferred_before_scrolling

    from conftest import CHROMIUM, FLAGS, build_site
    from showcase.tools.preview import serve_in_background

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "org"
        site = build_site(make_gallery_project(root), root / "site")
        srv, base = serve_in_background(site.dir)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                total, by_url = transferred_before_scrolling(browser, base + f"branches/{SLUG}/")
                browser.close()
        finally:
            srv.shutdown()
    return {
        "bytes": total,
        "budget": BUDGET,
        "files": {u.split("/", 3)[-1]: n for u, n in sorted(by_url.items(), key=lambda kv: -kv[1])},
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default="cold,warm,weight")
    parser.add_argument("--photos", type=int, default=6, help="12 MP photos for the cold part")
    parser.add_argument("--project", type=Path, default=Path("/tmp/bench-photos-1000"))
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--per-branch", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    parts = args.parts.split(",")
    result: dict[str, Any] = {}
    if "cold" in parts:
        c = result["cold"] = bench_cold(args.photos)
        print(f"\n1. 冷处理，每张 12 MP 照片每核（{c['photos']} 张，中位数）")
        print(
            f"   本项目        {c['ours_s_per_photo_per_core']:.3f} 秒   输出 {c['ours_output_kb_per_photo']:.0f} KB/张"
        )
        print(
            f"   朴素 Pillow   {c['naive_s_per_photo_per_core']:.3f} 秒   输出 {c['naive_output_kb_per_photo']:.0f} KB/张"
        )
        print(
            f"   快 {c['speedup']:.2f} 倍；{c['all_cores']} 核并行时每张 {c['all_cores_s_per_photo']:.3f} 秒（墙钟）"
        )
    if "warm" in parts:
        w = result["warm"] = bench_warm(args.project, args.runs, args.branches, args.per_branch)
        print(
            f"\n2. 热重建（无改动），{w['branches']} 个党组织 × {w['photos'] // w['branches']} 张照片，{w['runs']} 轮中位数"
        )
        print(
            f"   整次构建 {w['warm_with_photos_s']:.2f} 秒，其中照片各阶段 {w['photo_stages_s']:.2f} 秒，"
            f"占 {w['photo_stages_share'] * 100:.1f}%（目标 < 5%）"
        )
        print(
            f"   对照：同样党组织无照片 {w['warm_without_photos_s']:.2f} 秒，差值占 {w['photo_share'] * 100:.1f}%"
            "（含照片说明文字的解析与校验）"
        )
    if "weight" in parts:
        g = result["weight"] = bench_weight()
        print(
            f"\n3. 6 张照片的党组织页面，390×844 手机（3 倍像素密度），不滚动时传输 {g['bytes'] / 1024:.0f} KB"
            f"（上限 {g['budget'] / 1024:.0f} KB）"
        )
        for name, n in list(g["files"].items())[:8]:
            print(f"   {n / 1024:7.1f} KB  {name}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
