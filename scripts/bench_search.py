#!/usr/bin/env python3
"""Search benchmark: our exact Chinese search next to Pagefind and mkdocs-material's built-in
search, over the same synthetic branches, in real Chromium, in one run.

    .venv/bin/python scripts/bench_search.py                       # 1,000 branches, 40 queries
    .venv/bin/python scripts/bench_search.py --sizes 1000,10000 --json bench-search.json
    .venv/bin/python scripts/bench_search.py --reuse               # keep the synthetic project
    .venv/bin/python scripts/bench_search.py --sizes 1000,10000,100000  # material: up to --material-max

Needs `pip install pagefind-bin-extended==1.5.2` (or `npm i pagefind@1.6`, then
`--pagefind node_modules/.bin/pagefind`), `pip install jieba==0.42.1` (material's `lang: zh`)
and Debian's chromium.

For every size: `showcase synth` writes the project; our site is built with `mkdocs build`
(cold: no .cache) with the plugin's search on and off, the fastest of --repeat runs each (the
difference is our index build time, also shown as a share of the build without search; the
target is at most 15%). Pagefind indexes the same pages of that same site that our search
indexes (every branch page, reports/, editions/ and the hand-written pages: the `--glob` is
made from the ground truth's URLs), content area only (`.md-content__inner`, the area the
ground truth reads) and with nothing inside it left out but the ¶ permalink marks; the
mkdocs-material baseline of scripts/bench.py (default nav, `search: {lang: zh}` with jieba) is
built from the same branches, with and without its search plugin (skipped above
--material-max: its default nav makes the build O(N²)).

The ground truth is tests/search_truth.py over the BUILT site (`load_site_truth`: the visible
text of every branch page, update and other page), read after our build. Queries: the
`make_queries` sample drawn from the branch pages' text, then pinyin queries (kind
"pinyin"): four branches drawn with `random.Random(--seed)`, and from each branch's
`.names` (name, short name, brand) two queries made with pypinyin: the first three or four
Chinese characters of its name in full pinyin without spaces (`''.join(lazy_pinyin(
name[:4]))`, e.g. "laquanxian") and the initials of its brand (the last of its names; the
first letters of `lazy_pinyin` over its leading Chinese characters, e.g. "jzsjld"), eight
in all (duplicates dropped). Our search reads Latin words as pinyin over branch names and
brands; Pagefind and material do not, and score accordingly. A query's expected hits are
the branch slugs of `hits(docs, q)`, for every query: engines are compared on branches.

Then, per engine, in a fresh browser context (cold cache), served from a loopback
http.server: the page is opened, the first query is typed and everything downloaded until
its results show is summed (all of it, and the search-related part, raw and as gzip would
send it); then every query is typed in turn. A query goes in as one input event, the way a
Chinese IME commits a word, and latency runs from that event to the frame in which the
results are on screen. Hit sets are compared with tests/search_truth.py, an independent
ground truth: recall and precision per query (averaged), how many queries returned exactly
the right set, and how many reported exactly the right count.

How hit sets are read: ours from the DOM contract (DESIGN §5) — `#search-status[data-total]`
is the count of branch hits, the `<a href>` in the branch group of `#search-results`
(`section[data-kind="0"]`) the hits, “显示更多党组织” (`#search-more`) pressed until all are
shown (above --dom-max hits, the page's `window.showcaseSearch.query` gives the rest);
Pagefind from `pagefind.search(q).results` (ids mapped to URLs through its fragment files);
material from its search worker's result message (the list it renders, 10 at a time, one
entry per page). A result counts as a branch hit only when its URL is a branch page
(`/branches/<slug>/`, no fragment); updates (`/branches/<slug>/#<anchor>`) and other pages
are counted apart (`other_pages`). Pagefind and material keep every kind in one list, so
their count is the number of branch pages in it; other pages they find do not count
against them.

Besides the table, per size: our first query's download split into index files and code
(search.js), as gzip would send them, and the share of the build that the index adds.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

HERE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(HERE / "scripts"), str(HERE / "tests")]

import bench  # noqa: E402  (scripts/bench.py: synth, process timing, the material baseline)
import search_truth  # type: ignore[import-not-found, unused-ignore]  # noqa: E402
from conftest import (  # type: ignore[import-not-found, unused-ignore]  # noqa: E402
    CHROMIUM,  # Debian's chromium and the required flags
    FLAGS,
)
from search_truth import (  # type: ignore[import-not-found, unused-ignore]  # noqa: E402
    Query,
    TruthDoc,
    hits,
    load_site_truth,
    make_queries,
)

VENV_BIN = bench.VENV_BIN
ENV = bench.ENV
VIEWPORT = {"width": 1280, "height": 800}  # material shows its search box in the header from 960px
PAGEFIND_PIP = "pip install pagefind-bin-extended==1.5.2"
PAGEFIND_BRANCHES = "branches/*/index.html"  # plus the other pages our search indexes: pagefind_glob()
PAGEFIND_ROOT = ".md-content__inner"
# Our search indexes the whole visible text of a page's content area (tests/search_truth.py),
# so Pagefind does too; only the ¶ permalink marks of headings are left out (not text).
# Scripts are never indexed by either; the header's search box is outside the root.
PAGEFIND_EXCLUDE = [".headerlink"]
PINYIN_BRANCHES = 4  # branches whose names give the pinyin queries (two each)
MATERIAL_MAX = 2000  # its default nav makes the build O(N²): 10,000 pages take about an hour
SETTLE_S = 0.25  # after clearing a search box, before the next query
_BRANCH = re.compile(r"/branches/([a-z0-9][a-z0-9-]*)/(?:index\.html)?$")


# --- results ----------------------------------------------------------------------------------


@dataclass
class QueryResult:
    query: str
    expected: int
    count: int | None  # branch hits the engine reports (ours: data-total; others: branch pages listed)
    branch_hits: int  # distinct branch pages among the results read
    other_pages: int  # results that are not branch pages (updates, other pages)
    true_positives: int
    latency_ms: float | None
    complete: bool  # whether every result was read (not only the first page)
    error: str = ""
    read_via: str = ""  # ours: "dom" (links, “显示更多”) or "hook" (window.showcaseSearch beyond --dom-max)
    kind: str = ""  # the query's kind (search_truth.Query.kind, or "pinyin")
    exact: bool = False  # every result read, and exactly the right branches


@dataclass
class EngineRow:
    engine: str
    branches: int
    index_build_s: float | None = None
    index_mb: float | None = None
    build_s: float | None = None  # the whole build with search (ours, material)
    index_share_pct: float | None = None  # index build time, % of the build without search
    first_query: str = ""
    first_total_kb: float | None = None
    first_search_kb: float | None = None
    first_total_gzip_kb: float | None = None
    first_search_gzip_kb: float | None = None
    first_index_gzip_kb: float | None = None  # of the search part: index files (not code)
    first_code_gzip_kb: float | None = None  # of the search part: code (.js, .wasm)
    first_latency_ms: float | None = None
    first_responses: list[tuple[str, int]] = field(default_factory=list)  # (URL path, bytes)
    latency_median_ms: float | None = None
    latency_p95_ms: float | None = None
    recall: float | None = None
    precision: float | None = None
    recall_micro: float | None = None
    precision_micro: float | None = None
    exact_sets: int = 0
    exact_counts: int = 0
    queries: int = 0
    note: str = ""
    per_query: list[QueryResult] = field(default_factory=list)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def score(row: EngineRow, truth: dict[str, set[str]], found: dict[str, set[str]]) -> None:
    """Recall and precision per query (then averaged, and pooled), exact sets and counts."""
    recalls, precisions = [], []
    tp_all = expected_all = returned_all = 0
    for r in row.per_query:
        if r.error:
            continue
        want, got = truth[r.query], found.get(r.query, set())
        tp = len(want & got)
        r.true_positives = tp
        if r.complete:
            recalls.append(tp / len(want) if want else 1.0)
            precisions.append(tp / len(got) if got else 1.0)
            tp_all, expected_all, returned_all = (
                tp_all + tp,
                expected_all + len(want),
                returned_all + len(got),
            )
            r.exact = want == got
            row.exact_sets += r.exact
        row.exact_counts += r.count == len(want)
    row.queries = len(row.per_query)
    if recalls:
        row.recall = round(statistics.fmean(recalls), 4)
        row.precision = round(statistics.fmean(precisions), 4)
        row.recall_micro = round(tp_all / expected_all, 4) if expected_all else 1.0
        row.precision_micro = round(tp_all / returned_all, 4) if returned_all else 1.0
    latencies = [r.latency_ms for r in row.per_query[1:] if r.latency_ms is not None and not r.error]
    if latencies:
        row.latency_median_ms = round(statistics.median(latencies), 1)
        row.latency_p95_ms = round(p95(latencies), 1)


# --- building ---------------------------------------------------------------------------------


def timed(cmd: list[str], cwd: Path) -> float:
    seconds, _ = bench.run(cmd, cwd)
    return round(seconds, 2)


def dir_mb(path: Path, skip: Callable[[Path], bool] = lambda p: False) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not skip(p)) / 1e6, 2)


def synth(project: Path, n: int, reuse: bool) -> None:
    if reuse and (project / "mkdocs.yml").is_file():
        print(f"— 沿用合成项目 {project}", file=sys.stderr, flush=True)
        return
    shutil.rmtree(project, ignore_errors=True)
    print(f"— {n} 个党组织：生成合成项目……", file=sys.stderr, flush=True)
    subprocess.run(
        [str(VENV_BIN / "showcase"), "synth", "--branches", str(n), "--out", str(project)],
        check=True,
        env=ENV,
        stdout=subprocess.DEVNULL,
    )


def search_option_supported() -> bool:
    """Whether the `showcase` plugin has the `search: false` option (issue 4)."""
    try:
        from showcase.mkdocs_plugin.config import ShowcaseConfig
    except ImportError:
        return False
    return any(name == "search" for name, _ in getattr(ShowcaseConfig, "_schema", ()))


def on_off(
    cwd: Path, on: list[str], off: list[str] | None, clean: list[Path], repeat: int
) -> tuple[float, float | None]:
    """Seconds of a build with and without search: the fastest of `repeat` alternating runs
    (a shared machine is noisy; a single pair of builds differs by ±10% either way)."""
    best_on, best_off = float("inf"), float("inf")
    for _ in range(repeat):
        for path in clean:
            shutil.rmtree(path, ignore_errors=True)
        best_on = min(best_on, timed(on, cwd))
        if off is not None:
            for path in clean:
                shutil.rmtree(path, ignore_errors=True)
            best_off = min(best_off, timed(off, cwd))
    return best_on, (best_off if off is not None else None)


def build_ours(project: Path, repeat: int) -> tuple[Path, float, float | None]:
    """Our site (search on) and the build times with search on and, if possible, off."""
    mkdocs = str(VENV_BIN / "mkdocs")
    site, other = project / "site", project / "site-nosearch"
    off: list[str] | None = None
    if search_option_supported():
        config = (project / "mkdocs.yml").read_text("utf-8")
        plain = re.sub(
            r"^  - showcase\s*$", "  - showcase:\n      search: false", config, count=1, flags=re.M
        )
        if plain == config:
            raise SystemExit(f"{project}/mkdocs.yml：找不到 `- showcase` 插件行，无法关闭搜索")
        (project / "mkdocs-nosearch.yml").write_text(plain, "utf-8")
        off = [mkdocs, "build", "-q", "-f", "mkdocs-nosearch.yml", "-d", str(other)]
    else:
        print("（showcase 插件还没有 search 选项：索引构建时间记为 n/a）", file=sys.stderr)
    what = "开启与关闭搜索各" if off else "开启搜索，"
    print(f"— 构建本项目（{what} {repeat} 次）……", file=sys.stderr, flush=True)
    on = [mkdocs, "build", "-q", "-d", str(site)]
    with_search, without = on_off(project, on, off, [project / ".cache", other], repeat)
    shutil.rmtree(other, ignore_errors=True)
    return site, with_search, without


def pagefind_command(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    if importlib.util.find_spec("pagefind_bin_extended"):
        return [sys.executable, "-m", "pagefind_bin_extended"]
    if importlib.util.find_spec("pagefind"):
        return [sys.executable, "-m", "pagefind"]
    for name in ("pagefind_extended", "pagefind"):
        found = shutil.which(name)
        if found:
            return [found]
    raise SystemExit(
        f"找不到 Pagefind。请先安装：{sys.executable} -m {PAGEFIND_PIP}\n"
        "（或 npm i pagefind@1.6，再用 --pagefind node_modules/.bin/pagefind）"
    )


_GLOB_SPECIAL = re.compile(r"([?*$:<>()\[\]{},\\!])")


def pagefind_glob(docs: Sequence[TruthDoc]) -> str:
    """Pagefind's `--glob` (a wax glob, relative to --site) for exactly the pages our search
    indexes: every branch page (its updates are parts of it) and the other pages."""
    pages = sorted({d.url for d in docs if d.kind == "page"})
    escaped = [_GLOB_SPECIAL.sub(r"\\\1", unquote(url)) + "index.html" for url in pages]
    return "{" + ",".join([PAGEFIND_BRANCHES, *escaped]) + "}"


def build_pagefind(site: Path, command: list[str], glob: str) -> tuple[float, str, dict[str, str]]:
    """Index the pages of our site that our search indexes into site/pagefind/; seconds,
    version, id → URL."""
    version = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"— Pagefind（{version}）建立索引……", file=sys.stderr, flush=True)
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    cmd = [
        *command,
        "--site",
        str(site),
        "--glob",
        glob,
        "--root-selector",
        PAGEFIND_ROOT,
        "--quiet",
    ]
    for selector in PAGEFIND_EXCLUDE:
        cmd += ["--exclude-selectors", selector]
    seconds = timed(cmd, site)
    (site / "_bench").mkdir(exist_ok=True)
    (site / "_bench" / "pagefind.html").write_text(PAGEFIND_PAGE, "utf-8")
    return seconds, version, pagefind_urls(site / "pagefind")


def pagefind_urls(bundle: Path) -> dict[str, str]:
    """Result ids are fragment file names; each fragment is gzip("pagefind_dcd" + JSON)."""
    out = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        data = data.removeprefix(b"pagefind_dcd")
        out[path.stem] = json.loads(data)["url"]
    return out


PAGEFIND_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>Pagefind 对照</title></head>
<body>
<input id="q" type="search" autocomplete="off" placeholder="搜索">
<p id="status"></p>
<ol id="results"></ol>
<script type="module">
// The Pagefind JS API as a search UI would use it: search, then load the first ten results.
const pagefind = await import("/pagefind/pagefind.js");
const input = document.getElementById("q"), status = document.getElementById("status");
const list = document.getElementById("results");
let seq = 0;
input.addEventListener("input", async () => {
  const q = input.value, my = ++seq;
  if (!q.trim()) { list.replaceChildren(); delete status.dataset.query; status.textContent = ""; return; }
  const search = await pagefind.search(q);
  if (my !== seq) return;
  const results = search ? search.results : [];
  const shown = await Promise.all(results.slice(0, 10).map(r => r.data()));
  if (my !== seq) return;
  list.replaceChildren(...shown.map(d => {
    const li = document.createElement("li"), a = document.createElement("a");
    a.href = d.url; a.textContent = d.meta.title || d.url; li.append(a); return li;
  }));
  window.__pf = { query: q, ids: results.map(r => r.id) };
  status.textContent = results.length + " 个结果";
  status.dataset.total = String(results.length);
  status.dataset.query = q;
});
window.__ready = true;
</script>
</body></html>
"""


def build_material(
    project: Path, work: Path, reuse: bool, repeat: int
) -> tuple[Path, float | None, float | None]:
    """The material baseline of scripts/bench.py; build seconds with and without its search."""
    material = work / "material"
    site = material / "site"
    if reuse and (site / "search" / "search_index.json").is_file():
        print(f"— 沿用 mkdocs-material 对照站 {site}", file=sys.stderr, flush=True)
        return site, None, None
    shutil.rmtree(material, ignore_errors=True)
    shutil.rmtree(work / "hugo", ignore_errors=True)
    bench.make_baselines(project, work)
    plain = bench.MATERIAL_YML.replace("plugins:\n  - search: {lang: zh}\n", "plugins: []\n")
    assert plain != bench.MATERIAL_YML, "scripts/bench.py MATERIAL_YML changed"
    (material / "mkdocs-nosearch.yml").write_text(plain, "utf-8")
    mkdocs = str(VENV_BIN / "mkdocs")
    print(f"— 构建对照组 mkdocs-material（开启与关闭搜索各 {repeat} 次）……", file=sys.stderr, flush=True)
    other = material / "site-nosearch"
    on = [mkdocs, "build", "-q"]
    off = [mkdocs, "build", "-q", "-f", "mkdocs-nosearch.yml", "-d", str(other)]
    with_search, without = on_off(material, on, off, [other], repeat)
    shutil.rmtree(other, ignore_errors=True)
    return site, with_search, without


# --- serving and the browser ------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# Records the moment of the query's last input or keyup event; the done-predicates record the frame in
# which results are on screen (they are polled once per animation frame).
TIMING_JS = """
window.__t0 = 0; window.__t1 = 0;
for (const type of ["input", "keyup"])
  addEventListener(type, () => { window.__t0 = performance.now(); window.__t1 = 0; }, true);
"""

# Material's search runs in a worker; its result message carries every hit, grouped by page.
MATERIAL_JS = """
(() => {
  const W = window.Worker;
  window.__mdQueries = 0; window.__mdResults = [];
  window.Worker = class extends W {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ev => {
        const m = ev.data;
        if (m && m.type === 3 && m.data)
          window.__mdResults.push((m.data.items || []).map(g => g.length ? g[0].location : ""));
      });
    }
    postMessage(m, ...rest) { if (m && m.type === 2) window.__mdQueries++; return super.postMessage(m, ...rest); }
  };
})();
"""


def _mark_done(condition: str) -> str:
    """A predicate that notes the time of the first frame in which `condition` holds."""
    return f"(arg) => {{ const ok = ({condition}); if (ok && !window.__t1) window.__t1 = performance.now(); return ok; }}"


class Engine:
    name = ""
    path = ""
    input = ""
    init_js = ""
    search_url_parts: tuple[str, ...] = ()

    def __init__(self, base: str) -> None:
        self.base = base

    def open(self, page: Any) -> None:
        page.goto(self.base + self.path, wait_until="domcontentloaded")
        page.locator(self.input).first.wait_for(state="visible", timeout=30000)
        page.locator(self.input).first.click()

    def clear(self, page: Any) -> Any:
        """Empty the search box, wait until the page shows no results; returns `arg` for done()."""
        self.empty(page)
        time.sleep(SETTLE_S)
        return None

    def empty(self, page: Any) -> None:
        page.locator(self.input).first.fill("")
        page.keyboard.press("Shift")

    def done(self) -> str:
        raise NotImplementedError

    def read(self, page: Any, query: str) -> tuple[int | None, list[str], bool]:
        """Reported count, result URLs, whether that list is complete."""
        raise NotImplementedError

    def is_search(self, url: str) -> bool:
        path = urlsplit(url).path
        return any(part in path for part in self.search_url_parts)


class Ours(Engine):
    name = "showcase"
    path = "/search/"
    input = "#search-input"
    search_url_parts = ("/search/", "search.js")
    BRANCH_GROUP = '#search-results section[data-kind="0"]'  # the branch hits (DESIGN §5)
    BRANCH_ITEMS = BRANCH_GROUP + " li"

    def __init__(self, base: str, dom_max: int, slugs: list[str]) -> None:
        super().__init__(base)
        self.dom_max = dom_max
        self.slugs = sorted(slugs)  # the page's document ids are positions in slug order

    def clear(self, page: Any) -> Any:
        self.empty(page)
        page.wait_for_function(
            "() => !document.querySelector('#search-status').hasAttribute('data-total')"
            " && document.querySelector('#search-results').getAttribute('aria-busy') !== 'true'",
            timeout=10000,
        )
        return None

    def done(self) -> str:
        return _mark_done(
            "(() => { const s = document.querySelector('#search-status'),"
            " r = document.querySelector('#search-results');"
            " return !!s && !!r && s.hasAttribute('data-total') && r.getAttribute('aria-busy') !== 'true'; })()"
        )

    def read(self, page: Any, query: str) -> tuple[int | None, list[str], bool]:
        """The branch group only: `data-total` and its links, “显示更多党组织” pressed until
        all are listed (updates and other pages have groups, and buttons, of their own)."""
        total = int(page.get_attribute("#search-status", "data-total") or "0")
        links = self._links(page)
        if total > self.dom_max:
            return total, links, False
        more = page.locator("#search-more")
        for _ in range(total + 1):  # each press must show at least one more
            if len(links) >= total or not more.is_visible():
                break
            before = page.locator(self.BRANCH_ITEMS).count()
            more.click()
            page.wait_for_function(
                f"(n) => document.querySelectorAll({json.dumps(self.BRANCH_ITEMS)}).length > n",
                arg=before,
                timeout=15000,
            )
            links = self._links(page)
        return total, links, not more.is_visible()

    def read_all(self, page: Any, query: str) -> list[str]:
        """Beyond --dom-max: the page's own hook for tools (document ids in slug order)."""
        ids = page.evaluate("(q) => window.showcaseSearch.query(q)", query)
        return [f"{self.base}/branches/{self.slugs[int(i)]}/" for i in ids]

    def _links(self, page: Any) -> list[str]:
        return list(page.eval_on_selector_all(self.BRANCH_GROUP + " a[href]", "els => els.map(a => a.href)"))


class Pagefind(Engine):
    name = "pagefind"
    path = "/_bench/pagefind.html"
    input = "#q"
    search_url_parts = ("/pagefind/",)

    def __init__(self, base: str, urls: dict[str, str]) -> None:
        super().__init__(base)
        self.urls = urls

    def open(self, page: Any) -> None:
        super().open(page)
        page.wait_for_function("() => window.__ready === true", timeout=30000)

    def done(self) -> str:
        return _mark_done("document.getElementById('status').dataset.query === arg")

    def read(self, page: Any, query: str) -> tuple[int | None, list[str], bool]:
        ids = page.evaluate("() => window.__pf.ids")
        urls = [self.base + self.urls.get(i, f"/?unknown={i}") for i in ids]
        return len(slugs_of(urls)[0]), urls, True  # the count: branch pages among all results


class Material(Engine):
    name = "mkdocs-material"
    path = "/"
    input = "input.md-search__input"
    init_js = MATERIAL_JS
    search_url_parts = ("search", "lunr")

    def clear(self, page: Any) -> Any:
        self.empty(page)
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta');"
            " return !m || !/\\d/.test(m.textContent); }",
            timeout=10000,
        )
        time.sleep(SETTLE_S)
        return page.evaluate("() => window.__mdQueries")

    def done(self) -> str:
        return _mark_done(
            "(() => { const m = document.querySelector('.md-search-result__meta');"
            " const t = m ? m.textContent : '';"
            " return window.__mdQueries > arg && window.__mdResults.length >= window.__mdQueries"
            " && (/\\d/.test(t) || t.includes('没有找到')); })()"
        )

    def read(self, page: Any, query: str) -> tuple[int | None, list[str], bool]:
        # The count it shows is the number of pages in the worker's result, rounded above 999
        # ("1k 个符合条件的结果"), so the exact count is taken from that result.
        locations = page.evaluate("() => window.__mdResults[window.__mdResults.length - 1]")
        count = len(locations)
        meta = page.text_content(".md-search-result__meta") or ""
        shown = re.search(r"\d+", meta)
        if count < 1000 and (int(shown.group()) if shown else 0) != count:
            raise RuntimeError(f"material 显示“{meta.strip()}”，但结果有 {count} 个")
        # One entry per page (a page's sections are grouped under it): the page's own URL.
        pages = [f"{self.base}/{loc.split('#')[0]}" for loc in locations]
        return len(slugs_of(pages)[0]), pages, True


def slugs_of(urls: Sequence[str]) -> tuple[set[str], int]:
    """Branch slugs among result URLs, and how many distinct results were something else.

    Only a branch page itself (`…/branches/<slug>/`, no fragment) is a branch hit; an update
    (`…/branches/<slug>/#<anchor>`) or any other page is not."""
    slugs: set[str] = set()
    other: set[str] = set()
    for url in urls:
        parts = urlsplit(url)
        m = _BRANCH.search(unquote(parts.path))
        if m and not parts.fragment:
            slugs.add(m.group(1))
        else:
            other.add(url)
    return slugs, len(other)


def payload(responses: list[Any], engine: Engine, listing: list[tuple[str, int]]) -> dict[str, float]:
    sizes = {"total": 0, "search": 0, "total_gzip": 0, "search_gzip": 0, "index_gzip": 0, "code_gzip": 0}
    for response in responses:
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            continue
        listing.append((urlsplit(response.url).path, len(body)))
        packed = min(len(body), len(gzip.compress(body, 6)))
        search = engine.is_search(response.url) and response.request.resource_type != "document"
        sizes["total"] += len(body)
        sizes["total_gzip"] += packed
        if search:
            sizes["search"] += len(body)
            sizes["search_gzip"] += packed
            path = urlsplit(response.url).path  # code: scripts and WebAssembly (Pagefind's wasm.*)
            code = path.endswith((".js", ".mjs", ".wasm")) or "/wasm." in path
            sizes["code_gzip" if code else "index_gzip"] += packed
    return {k: round(v / 1024, 1) for k, v in sizes.items()}


def type_query(page: Any, engine: Engine, query: str, timeout_s: float) -> float:
    """Clear the box, commit the query as one input event, wait until results show; ms."""
    arg = engine.clear(page)
    page.locator(engine.input).first.focus()
    page.evaluate("() => { window.__t0 = 0; window.__t1 = 0; }")
    # One input event, as a Chinese IME commits a word, then the key-up that ends the
    # keystroke (material's search box listens to keyup, not input).
    page.keyboard.insert_text(query)
    page.keyboard.press("Shift")
    page.wait_for_function(
        engine.done(), arg=query if arg is None else arg, polling="raf", timeout=timeout_s * 1000
    )
    t0, t1 = page.evaluate("() => [window.__t0, window.__t1]")
    return round(float(t1) - float(t0), 1)


def run_engine(
    browser: Any,
    engine: Engine,
    queries: list[Query],
    first: Query,
    row: EngineRow,
    found: dict[str, set[str]],
) -> None:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.add_init_script(TIMING_JS + engine.init_js)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    responses: list[Any] = []
    recording = [True]

    def on_response(response: Any) -> None:
        if recording[0]:
            responses.append(response)

    page.on("response", on_response)
    try:
        engine.open(page)
        order = [first, *(q for q in queries if q.text != first.text)]
        for i, q in enumerate(order):
            result = QueryResult(q.text, q.expected, None, 0, 0, 0, None, False, kind=q.kind)
            row.per_query.append(result)
            try:
                result.latency_ms = type_query(page, engine, q.text, 90 if i == 0 else 30)
                if i == 0:
                    page.wait_for_load_state("networkidle")
                    sizes = payload(responses, engine, row.first_responses)
                    row.first_query = q.text
                    row.first_total_kb, row.first_search_kb = sizes["total"], sizes["search"]
                    row.first_total_gzip_kb, row.first_search_gzip_kb = (
                        sizes["total_gzip"],
                        sizes["search_gzip"],
                    )
                    row.first_index_gzip_kb = sizes["index_gzip"]
                    row.first_code_gzip_kb = sizes["code_gzip"]
                    row.first_latency_ms = result.latency_ms
                    recording[0] = False
                if isinstance(engine, Ours):  # the hits are read through /search/?q= below
                    result.count = int(page.get_attribute("#search-status", "data-total") or "-1")
                else:
                    count, urls, complete = engine.read(page, q.text)
                    slugs, other = slugs_of(urls)
                    result.count, result.complete, result.other_pages = count, complete, other
                    result.branch_hits, found[q.text] = len(slugs), slugs
            except Exception as e:
                result.error = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
            print(
                f"  {engine.name:16} {q.text!r:24} 应有 {q.expected:5}  得到 {result.count!s:>5}"
                f"  {result.latency_ms!s:>8} ms {result.error}",
                file=sys.stderr,
                flush=True,
            )
        if isinstance(engine, Ours):
            read_ours(page, engine, row, found)
    finally:
        if errors:
            row.note += " 页面脚本错误：" + "; ".join(errors[:3])
        context.close()


def read_ours(page: Any, engine: Ours, row: EngineRow, found: dict[str, set[str]]) -> None:
    """Every query once more through /search/?q= (runs on load): count, links, more."""
    for result in row.per_query:
        if result.error:
            continue
        try:
            page.goto(f"{engine.base}/search/?q={quote(result.query)}", wait_until="domcontentloaded")
            page.wait_for_function(engine.done(), arg=None, polling="raf", timeout=30000)
            typed = result.count
            count, urls, complete = engine.read(page, result.query)
            slugs, other = slugs_of(urls)
            result.read_via = "dom"
            if not complete:  # too many to press “显示更多” for: the page's tool hook
                rest = engine.read_all(page, result.query)
                slugs |= slugs_of(rest)[0]
                complete = len(rest) == count
                result.read_via = "hook"
            result.count, result.complete, result.other_pages = count, complete, other
            result.branch_hits, found[result.query] = len(slugs), slugs
            if typed is not None and typed != count:
                result.error = f"输入框与 ?q= 结果数不同：{typed} / {count}"
        except Exception as e:
            result.error = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        print(
            f"  {engine.name} ?q= {result.query!r:24} 应有 {result.expected:5}  得到 {result.count!s:>5}"
            f"  {'全部' if result.complete else '部分'} {result.error}",
            file=sys.stderr,
            flush=True,
        )


# --- queries --------------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The ground truth reads every character of every branch name in pinyin for each Latin query
# word; the readings of a character never change, so they are looked up once (same results).
if hasattr(search_truth, "_readings"):
    vars(search_truth)["_readings"] = functools.cache(search_truth._readings)


def pinyin_queries(
    docs: Sequence[TruthDoc], branch_docs: Sequence[TruthDoc], seed: int, taken: set[str]
) -> list[Query]:
    """Two pinyin queries for each of PINYIN_BRANCHES branches drawn with the seed: the first
    three or four Chinese characters of the name in full pinyin, and the brand's initials."""
    from pypinyin import lazy_pinyin

    rng = random.Random(seed)
    named = [d for d in branch_docs if d.names]
    out: list[Query] = []
    for doc in rng.sample(named, min(PINYIN_BRANCHES, len(named))):
        name, brand = doc.names[0], doc.names[-1]  # the brand is the last of the names
        han = "".join(_HAN.findall(name))[: rng.choice((3, 4))]
        lead = re.match(f"{_HAN.pattern}+", brand)
        initials = "".join(p[0] for p in lazy_pinyin(lead.group())) if lead else ""
        for text in ("".join(lazy_pinyin(han)), initials):
            if len(text) >= 2 and text.isascii() and text.isalpha() and text not in taken:
                taken.add(text)
                out.append(Query(text, "pinyin", len(hits(docs, text))))
    return out


# --- one size ---------------------------------------------------------------------------------


def bench_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    work = Path(args.work) / f"n{n}"
    work.mkdir(parents=True, exist_ok=True)
    project = work / "ours"
    synth(project, n, args.reuse)
    site, on_s, off_s = build_ours(project, args.repeat)
    print("— 读取标准答案（tests/search_truth.py，已构建的网站）……", file=sys.stderr, flush=True)
    docs: list[TruthDoc] = load_site_truth(project, site)
    branch_docs = [d for d in docs if d.kind == "branch"]
    if not branch_docs:
        raise SystemExit(f"{site}：没有党组织页面，无法取标准答案")
    queries = make_queries(branch_docs, args.queries, args.seed)
    queries += pinyin_queries(docs, branch_docs, args.seed, {q.text for q in queries})
    truth = {q.text: hits(docs, q.text) for q in queries}
    # The first query (cold cache, payload): a common word of two to four characters.
    first = next(
        (q for q in queries if q.kind == "cjk" and 2 <= len(q.text) <= 4 and q.expected > 10),
        queries[0],
    )
    engines = set(args.engines.split(","))
    info: dict[str, Any] = {
        "branches": n,
        "documents": {kind: sum(d.kind == kind for d in docs) for kind in ("branch", "update", "page")},
        "queries": [asdict(q) for q in queries],
        "first_query": first.text,
    }

    has_ours = (site / "search" / "index.html").is_file() and (site / "assets/showcase/search.js").is_file()
    ours = EngineRow("showcase", n, build_s=on_s)
    if off_s is not None:
        ours.index_build_s = round(on_s - off_s, 2)
        ours.index_share_pct = round((on_s - off_s) / off_s * 100, 1)
        ours.note = f"构建 {on_s:.1f} s，不含搜索 {off_s:.1f} s（{ours.index_share_pct:+.0f}%）"
    else:
        ours.note = f"构建 {on_s:.1f} s；不含搜索：n/a"
    if has_ours:
        ours.index_mb = dir_mb(site / "search", skip=lambda p: p.suffix == ".html")
    else:
        ours.note += "；site/search/ 尚不存在，跳过浏览器测试"

    pf = EngineRow("pagefind", n)
    pf_urls: dict[str, str] = {}
    if "pagefind" in engines:
        glob = pagefind_glob(docs)
        pf_s, version, pf_urls = build_pagefind(site, pagefind_command(args.pagefind), glob)
        pf.index_build_s, pf.index_mb, pf.note = pf_s, dir_mb(site / "pagefind"), version
        pf.note += f"，索引 {len(pf_urls)} 个页面"
        info["pagefind"] = {
            "version": version,
            "glob": glob,
            "root_selector": PAGEFIND_ROOT,
            "exclude_selectors": PAGEFIND_EXCLUDE,
        }

    md = EngineRow("mkdocs-material", n)
    md_site: Path | None = None
    if "material" in engines and n <= args.material_max:
        md_site, md_on, md_off = build_material(project, work, args.reuse, args.repeat)
        md.index_mb = round((md_site / "search" / "search_index.json").stat().st_size / 1e6, 2)
        if md_on is not None and md_off is not None:
            md.index_build_s = round(md_on - md_off, 2)
            md.build_s, md.index_share_pct = md_on, round((md_on - md_off) / md_off * 100, 1)
            md.note = (
                f"构建 {md_on:.1f} s，不含搜索 {md_off:.1f} s（{(md_on - md_off) / md_off * 100:+.0f}%）"
            )
        else:
            md.note = "沿用已有构建，未计时"
    elif "material" in engines:
        md.note = f"跳过：超过 --material-max {args.material_max}（默认导航使构建为 O(N²)）"

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        info["chromium"] = browser.version
        try:
            with serve(site) as base:
                if "showcase" in engines and has_ours:
                    found: dict[str, set[str]] = {}
                    run_engine(
                        browser,
                        Ours(base, args.dom_max, [d.slug for d in branch_docs]),
                        queries,
                        first,
                        ours,
                        found,
                    )
                    score(ours, truth, found)
                if "pagefind" in engines:
                    found = {}
                    run_engine(browser, Pagefind(base, pf_urls), queries, first, pf, found)
                    score(pf, truth, found)
            if md_site is not None:
                with serve(md_site) as base:
                    found = {}
                    run_engine(browser, Material(base), queries, first, md, found)
                    score(md, truth, found)
        finally:
            browser.close()
    chosen = {"showcase": ours, "pagefind": pf, "material": md}
    info["rows"] = [asdict(row) for name, row in chosen.items() if name in engines]
    return info


# --- report -----------------------------------------------------------------------------------


def fmt(value: float | None, spec: str = ".0f") -> str:
    return "n/a" if value is None else format(value, spec)


def table(sizes: list[dict[str, Any]]) -> str:
    head = [
        "引擎",
        "党组织",
        "首次查询下载 KB（全部 / 搜索 / 搜索 gzip）",
        "首次 ms",
        "中位 ms",
        "p95 ms",
        "召回",
        "精确",
        "结果集完全正确",
        "数目正确",
        "索引构建 s",
        "索引 MB",
    ]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for size in sizes:
        for r in size["rows"]:
            lines.append(
                " | ".join(
                    [
                        r["engine"],
                        str(r["branches"]),
                        f"{fmt(r['first_total_kb'])} / {fmt(r['first_search_kb'])} / {fmt(r['first_search_gzip_kb'])}",
                        fmt(r["first_latency_ms"]),
                        fmt(r["latency_median_ms"]),
                        fmt(r["latency_p95_ms"]),
                        fmt(r["recall"], ".3f"),
                        fmt(r["precision"], ".3f"),
                        f"{r['exact_sets']}/{r['queries']}",
                        f"{r['exact_counts']}/{r['queries']}",
                        fmt(r["index_build_s"], ".2f"),
                        fmt(r["index_mb"], ".2f"),
                    ]
                )
            )
    return "\n".join(lines)


INDEX_SHARE_TARGET = 15.0  # % the index may add to a cold build of the site


def notes(sizes: list[dict[str, Any]]) -> list[str]:
    out = []
    for size in sizes:
        pinyin = sum(q["kind"] == "pinyin" for q in size["queries"])
        docs = size.get("documents", {})
        out.append(
            f"{size['branches']} 个党组织（文档：党组织 {docs.get('branch', 'n/a')}、动态 {docs.get('update', 'n/a')}、"
            f"其他页面 {docs.get('page', 'n/a')}），{len(size['queries'])} 个查询（其中拼音 {pinyin} 个），"
            f"首次查询“{size['first_query']}”"
        )
        for r in size["rows"]:
            failed = [q for q in r["per_query"] if q["error"]]
            line = f"  {r['engine']}: {r['note']}".rstrip()
            if failed:
                line += f"；{len(failed)} 个查询出错，如 {failed[0]['query']!r}: {failed[0]['error']}"
            out.append(line)
            if r.get("first_index_gzip_kb") is not None:
                out.append(
                    f"    首次查询的搜索下载（gzip）：索引文件 {fmt(r['first_index_gzip_kb'], '.1f')} KB"
                    f" + 代码 {fmt(r['first_code_gzip_kb'], '.1f')} KB"
                )
            if r.get("index_share_pct") is not None:
                share = r["index_share_pct"]
                verdict = "达标" if share <= INDEX_SHARE_TARGET else "超标"
                out.append(
                    f"    索引使冷构建增加 {share:.1f}%（{fmt(r['index_build_s'], '.2f')} s / 不含搜索的构建；"
                    f"目标 ≤ {INDEX_SHARE_TARGET:.0f}%：{verdict}）"
                )
            pin = [q for q in r["per_query"] if q["kind"] == "pinyin"]
            if pin:
                right = sum(q["exact"] and not q["error"] for q in pin)
                out.append(f"    拼音查询结果集完全正确：{right}/{len(pin)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="搜索基准：本项目 vs Pagefind vs mkdocs-material 内置搜索")
    parser.add_argument("--sizes", default="1000", help="党组织数，逗号分隔，如 1000,10000")
    parser.add_argument("--queries", type=int, default=40, help="查询个数（至少 30 为宜）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default="/tmp/bench-search", help="合成项目与构建结果所在文件夹")
    parser.add_argument("--reuse", action="store_true", help="沿用 --work 里已有的合成项目和 material 构建")
    parser.add_argument("--engines", default="showcase,pagefind,material")
    parser.add_argument("--pagefind", help="Pagefind 可执行文件（默认：python -m pagefind_bin_extended）")
    parser.add_argument("--material-max", type=int, default=MATERIAL_MAX, help="超过此规模不测 material")
    parser.add_argument("--dom-max", type=int, default=400, help="本项目结果超过此数时不再逐页点“显示更多”")
    parser.add_argument("--repeat", type=int, default=2, help="开/关搜索的构建各做几次，取最快")
    parser.add_argument("--json", help="另存结果为 JSON")
    args = parser.parse_args()
    if "pagefind" in args.engines:
        pagefind_command(args.pagefind)  # fail before building anything
    if not Path(CHROMIUM).exists():
        raise SystemExit("需要 Debian 的 chromium：apt-get install chromium")
    started = time.perf_counter()
    sizes = [bench_size(int(n), args) for n in args.sizes.split(",")]
    print(table(sizes))
    print()
    print("\n".join(notes(sizes)))
    print(f"用时 {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"sizes": sizes}, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
