"""The build's stages, in order, in one place: load, check, media, pages, search, print, data, write, swap.

`SiteBuild` holds one build's state and runs the stages; its methods are listed in the order
they run. MkDocs drives the order: its events call the stages (mkdocs_plugin/plugin.py), and
MkDocs renders the pages between `data` and `write`:

    stage   called from            what it makes
    load    on_config              branches/ → the project (models, problems)
    check   on_config              the problems, for the log (errors as warnings: --strict fails)
    media   on_files               photo renditions, logos, share cards, QR codes
    pages   on_files               the page plan: one PageSpec per generated page
    search  on_files               the collector of what search finds (search/collect.py)
    print   on_files               the editions' PDFs, rendered in a background process
    data    on_files               static assets, the Atom feed, the open-data files
    (MkDocs renders every page, asking each PageSpec for its body; the page text goes to search)
    write   on_post_build          the index built in the background; index, PDFs, photos, headers written
    swap    `showcase build`       the new folder checked and switched in; incremental state saved

`mkdocs build` and `mkdocs serve` run load … write into their output folder. `showcase build`
(pipeline/build.py) runs the same stages into a new folder beside site/ and adds the swap.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from collections.abc import Callable
from pathlib import Path

from showcase import urls
from showcase.atomic import write_files
from showcase.background import BackgroundJob
from showcase.content.catalog import Catalog
from showcase.content.load import Project, load_project
from showcase.media.publish import Media, publish, share
from showcase.media.renditions import PhotoStore
from showcase.media.tree import MEDIA_DIR
from showcase.pipeline.incremental import Manifest, prune, site_key
from showcase.pipeline.settings import BuildError, Log, Output, Settings
from showcase.printing.editions import load_editions
from showcase.printing.layout import PrintError
from showcase.printing.publish import PrintRun, Published
from showcase.problems import ContentError, Problem, Severity
from showcase.reports import open_data
from showcase.safe_paths import tree_problems
from showcase.search.collect import Collector
from showcase.search.index import SearchFiles, taxonomy_lists
from showcase.search.index import build as build_index
from showcase.site import chrome, security_headers
from showcase.site.feed import FEED_URL, atom
from showcase.site.pages import PageSpec, SitePages, digest

SEARCH_JS = Path(__file__).parents[1] / "search" / "assets" / "search.js"
SEARCH_JS_URI = "assets/showcase/search.js"
# Written by MkDocs itself (not pages), so never carried over from an earlier build.
THEME_OUTPUTS = ("sitemap.xml", "sitemap.xml.gz", "404.html")


@dataclasses.dataclass
class Invocation:
    """A `showcase build` around the MkDocs build: where the output finally lands, whether the
    build folder starts as a hard-linked copy of it, and the SiteBuild that ran."""

    final_site_dir: Path
    incremental: bool
    full: bool = False  # --full: no cache may be trusted, not even photo inspections
    run: SiteBuild | None = None  # set by the SiteBuild made for it


class SiteBuild:
    """One build of the site. Create it per build (the MkDocs plugin object outlives `serve`
    rebuilds); call the stages in the order they are defined."""

    def __init__(self, settings: Settings, log: Log, invocation: Invocation | None = None) -> None:
        self.settings = settings
        self.log = log
        self.invocation = invocation
        if invocation is not None:
            invocation.run = self
        self.project: Project | None = None
        self.media = Media()
        self.pages: SitePages | None = None
        self.specs: dict[str, PageSpec] = {}  # by source path (urls.src_uri)
        self.site_key = ""
        self.page_keys: dict[str, str] = {}  # by source path
        self.reused = 0
        self._manifest: Manifest | None = None
        self._collector: Collector | None = None
        self._kept: set[str] = set()  # source paths of pages kept from the previous build
        self._search: BackgroundJob[SearchFiles] | None = None
        self._print: PrintRun | None = None

    # -- load, check ---------------------------------------------------------------------

    def load(self) -> Project:
        """Every branch folder, loaded and checked; refuses symlinks among pages and templates."""
        s = self.settings
        unsafe = tree_problems(s.root, [s.docs_dir] + ([s.custom_dir] if s.custom_dir else []))
        if unsafe:
            raise BuildError("页面或模板文件夹不安全，已停止构建：\n" + _lines(unsafe))
        try:
            project = load_project(
                s.root,
                s.branches_dir,
                os.path.relpath(s.docs_dir, s.root),
                cache_dir=s.cache_dir,
                progress=self.log.info,
                fresh=self.invocation is not None and self.invocation.full,
            )
        except ContentError as e:
            raise BuildError("党组织数据无法读取：\n" + _lines(e.problems)) from e
        # The project lives until the build ends: keep the cyclic garbage collector from walking
        # its millions of objects at every collection during the build (until `write`).
        gc.freeze()
        self.project = project
        return project

    def check(self, project: Project) -> None:
        """Report the problems. Errors are warnings: the broken branch is left out, the others
        build, and `--strict` fails. Advice (提示) is info, so a pull request that passes
        `showcase check` also passes a strict build."""
        self.log.info(f"照片检查：{project.photo_files} 个图片文件，用时 {project.photo_seconds:.2f} 秒。")
        for problem in project.problems:
            if problem.severity is Severity.ERROR:
                self.log.warning(problem.format())
            else:
                self.log.info("提示 " + problem.format())

    # -- media, pages ----------------------------------------------------------------------

    def make_media(self, project: Project) -> Media:
        """Photo variants, logos, share cards and QR codes, from the cache where it has them."""
        s = self.settings
        started = time.monotonic()
        store = PhotoStore(s.cache_dir)
        media = publish(project.branches, store, progress=self.log.info)
        share(
            media,
            project.branches,
            s.cache_dir,
            base_url=s.site_url,
            site_name=s.site_name,
            site_description=s.site_description,
            workers=store.workers,
            progress=self.log.info,
        )
        for problem in media.problems:
            self.log.warning(problem.format())
        for note in media.notes:
            self.log.info(note)
        self.log.info(
            f"图片：{len(media.photos)} 张照片、{len(media.cards)} 张分享图、{len(media.qr_codes)} 个二维码，"
            f"用时 {time.monotonic() - started:.2f} 秒。"
        )
        self.media = media
        return media

    def plan_pages(self, project: Project, media: Media, print_run: PrintRun) -> list[Output]:
        """Every generated page, as a spec that renders when MkDocs asks for it."""
        s = self.settings
        self.pages = SitePages(
            Catalog(project),
            media,
            featured=list(s.featured),
            site_name=s.site_name,
            site_url=s.site_url,
            cache_dir=s.cache_dir,
            search_examples=list(s.search_examples) if s.search else None,
            editions=self.editions,
            editions_key=print_run.key,
        )
        out = []
        for spec in self.pages.specs():
            self.specs[urls.src_uri(spec.url)] = spec
            out.append(Output(spec.url, page=spec, in_nav=spec.url in _NAV_SECTIONS, kind="页面"))
        return out

    # -- background work: search, print -------------------------------------------------

    def start_search(self, pages: SitePages) -> list[Output]:
        """Get ready to collect the text of every page MkDocs renders (`page_rendered`)."""
        if not self.settings.search:
            return []
        titles = {e.url: e.title for e in pages.timeline.all}
        self._collector = Collector(pages.catalog, titles, self.settings.cache_dir)
        return [Output(SEARCH_JS_URI, source=SEARCH_JS)]

    def page_rendered(self, src_uri: str, url: str, title: str, html: str) -> None:
        """A page's body as MkDocs renders it: what search finds on it."""
        if self._collector is None or not Collector.wanted(url, src_uri in self.specs):
            return
        spec = self.specs.get(src_uri)
        self._collector.rendered(url, self.page_keys.get(src_uri, ""), spec.title if spec else title, html)

    def _start_index(self) -> None:
        """The pages kept from the previous build join the collection (from the cache), then
        the index is built in a background process while the build writes the rest."""
        collector = self._collector
        if collector is None or self.pages is None:
            return
        collector.site_key = self.site_key
        for src_uri in sorted(self._kept):
            spec = self.specs.get(src_uri)
            if spec is not None and Collector.wanted(spec.url, True):
                collector.kept(spec.url, self.page_keys[src_uri], spec.title, _body(spec))
        if self._kept:
            self.log.info(
                f"搜索：沿用的页面中 {collector.from_cache} 个的文字取自缓存，{collector.rendered_again} 个重新生成。"
            )
        documents = collector.documents()
        self._search = BackgroundJob(build_index, documents, *taxonomy_lists(self.pages.catalog))
        collector.save()

    def start_print(self, project: Project, media: Media) -> PrintRun:
        """Load the editions (docs_dir/editions/*.yml) and start rendering those whose PDF is
        not cached; an edition with an error is reported and left out."""
        s = self.settings
        editions, problems = load_editions(project, s.docs_dir)
        for problem in problems:
            self.log.warning(f"{problem.format()}（这一期印刷版未发布）")
        try:
            run = PrintRun(
                editions,
                rendition=lambda slug, file: media.renditions.get((slug, file)),
                site_url=s.site_url,
                site_name=s.site_name,
                cache_dir=s.cache_dir,
            )
        except PrintError as e:
            raise BuildError(f"印刷版无法生成：{e}") from e
        if editions:
            self.log.info(f"印刷版：{len(editions)} 期，其中 {run.rendered} 期需要重新排版（在后台进行）。")
        self._print = run
        return run

    def editions(self) -> list[Published]:
        """The editions' PDFs, waiting for the background rendering; its failure fails the build."""
        assert self._print is not None
        try:
            return self._print.results()
        except Exception as e:
            raise BuildError(f"印刷版排版失败：{type(e).__name__}: {e}") from e

    # -- data ----------------------------------------------------------------------------

    def data(self, pages: SitePages) -> list[Output]:
        """Static assets, the Atom feed of the updates (简讯) and /data/branches.{json,csv,xlsx}."""
        s = self.settings
        out = [Output(uri, source=path) for uri, path in chrome.assets()]
        feed = atom(
            pages.timeline.all,
            site_name=s.site_name,
            site_url=s.site_url,
            site_description=s.site_description,
        )
        out.append(Output(FEED_URL, content=feed, kind="订阅源"))
        exports = open_data.cached_export(pages.catalog.branches, s.site_url, s.cache_dir)
        out += [Output(uri, content=content, kind="开放数据文件") for uri, content in exports.items()]
        return out

    def plan(self) -> list[Output]:
        """Stages media to data: everything the site publishes besides hand-written pages."""
        assert self.project is not None
        media = self.make_media(self.project)
        print_run = self.start_print(self.project, media)
        outputs = [Output(url, source=Path(path)) for url, path in media.files]
        outputs += self.plan_pages(self.project, media, print_run)
        assert self.pages is not None
        outputs += self.start_search(self.pages)
        outputs += self.data(self.pages)
        return outputs

    # -- incremental builds ------------------------------------------------------------------

    def reuse(self, pages: list[tuple[str, Path]]) -> set[str]:
        """Give every page (MkDocs source path, output file) a digest of its inputs; returns the
        pages whose previous output an incremental `showcase build` keeps (same digest)."""
        assert self.pages is not None
        s = self.settings
        if self.invocation is not None:  # only `showcase build` reuses outputs, so only it keeps state
            folders = [s.docs_dir] + ([s.custom_dir] if s.custom_dir else [])
            self.site_key = site_key(s.config_file, s.root / s.branches_dir / "taxonomy.yml", folders)
            self._manifest = Manifest(s.cache_dir, self.invocation.final_site_dir)
        incremental = (
            self._manifest is not None and self.invocation is not None and self.invocation.incremental
        )
        kept: set[str] = set()
        for src_uri, dest in pages:
            spec = self.specs.get(src_uri)
            if spec is not None:
                key = spec.key
            else:  # hand-written: its source is in the site key; the home page adds site-wide sections
                key = digest(src_uri, self.pages.site_digest if src_uri == "index.md" else "")
                if self.settings.search:  # always rendered: search takes its text from MkDocs
                    self.page_keys[src_uri] = key
                    continue
            self.page_keys[src_uri] = key
            # By digest alone; MkDocs' own test (source mtime) misses pages whose inputs are
            # other files, like the home page's site-wide sections.
            if (
                incremental
                and self._manifest is not None
                and self._manifest.unchanged(self.site_key, src_uri, key, dest)
            ):
                kept.add(src_uri)
        self.reused = len(kept)
        self._kept = kept
        return kept

    # -- write -------------------------------------------------------------------------------

    def write(self, site_dir: Path, published: set[Path]) -> None:
        """After MkDocs wrote the pages into `site_dir`: the background work's files, stale
        files of an incremental build, photos, and the security headers."""
        gc.unfreeze()
        self._start_index()
        # Photo variants are not MkDocs files: the media tree adds and removes its own.
        started = time.monotonic()
        added, removed = self.media.tree.write(site_dir)
        self.log.info(
            f"照片文件：共 {len(self.media.tree.files)} 个，新增 {added} 个，删除不再使用的 {removed} 个，"
            f"用时 {time.monotonic() - started:.2f} 秒。"
        )
        written = self._write_search(site_dir) | self._write_editions(site_dir)
        incremental = self.invocation is not None and self.invocation.incremental
        if incremental:
            keep = published | written | {site_dir / n for n in (*THEME_OUTPUTS, *security_headers.OUTPUTS)}
            removed = prune(site_dir, keep, skip=MEDIA_DIR)
            self.log.info(f"增量构建：{self.reused} 个页面未变、沿用上次结果，清除 {removed} 个过期文件。")
        self._write_headers(site_dir)

    def _write_search(self, site_dir: Path) -> set[Path]:
        if self._search is None:
            return set()
        try:
            index = self._search.result()
        except Exception as e:
            raise BuildError(f"搜索索引生成失败：{e}") from e
        branches, updates, others = index.kinds
        self.log.info(
            f"搜索索引：{branches} 个党组织、{updates} 条动态、{others} 个其他页面，{index.shards} 个分片，"
            f"共 {index.total_bytes / 1024:.0f} KB。"
        )
        return write_files(site_dir, index.files)

    def _write_editions(self, site_dir: Path) -> set[Path]:
        if self._print is None:
            return set()
        started = time.monotonic()
        self.editions()
        written = self._print.write(site_dir)
        self.log.info(
            f"印刷版：写出 {len(self._print.prepared)} 个 PDF，等待与写出用时 {time.monotonic() - started:.2f} 秒。"
        )
        return written

    def _write_headers(self, site_dir: Path) -> None:
        """Last, once every HTML file is in place: the policy hashes the inline scripts of all
        pages in the folder, those an incremental build carried over included."""
        started = time.monotonic()
        headers = security_headers.write(site_dir)
        for page, attribute in headers.handlers:
            self.log.warning(
                f"{page}：内联事件属性 {attribute}= 会被内容安全策略拦截，请改为在脚本文件中绑定事件。"
            )
        self.log.info(
            f"安全响应头：{headers.pages} 个页面，{len(headers.script_hashes)} 段内联脚本，"
            f"用时 {time.monotonic() - started:.2f} 秒。"
        )

    def failed(self) -> None:
        """The build stopped early: stop the background work it started, leave nothing behind
        (`mkdocs serve` goes on after a failed build)."""
        gc.unfreeze()
        if self._search is not None:
            self._search.cancel()
        if self._print is not None:
            self._print.cancel()

    # -- swap (showcase build only) --------------------------------------------------------------

    def expected_pages(self) -> list[str]:
        """Files the new folder must hold before it may replace site/: the home page and every
        loaded branch's page."""
        branches = self.project.branches if self.project is not None else []
        return ["index.html"] + [urls.branch(b.slug) + "index.html" for b in branches]

    def branch_slugs(self) -> set[str]:
        return {b.slug for b in self.project.branches} if self.project is not None else set()

    def save_state(self) -> None:
        """Record the page digests of the published site. Called only after the swap: state
        that describes a site which never went live would make later builds skip stale pages."""
        if self._manifest is not None:
            self._manifest.save(self.site_key, self.page_keys)


def site_info(settings: Settings, media: Media) -> chrome.Site:
    """What every page's chrome needs about the site."""
    card = media.cards.get("")
    return chrome.Site(
        name=settings.site_name,
        url=settings.site_url,
        description=settings.site_description,
        search=settings.search,
        share_image=card.url if card else None,
    )


def _body(spec: PageSpec) -> Callable[[], str]:
    """A generated page's body, rendered again when asked for."""
    return lambda: spec.render(None).html


def _lines(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems)


# Section pages the nav names; every other generated page is reached from listings and search.
_NAV_SECTIONS = frozenset(
    (urls.BRANDS, urls.REGIONS, urls.CATEGORIES, urls.THEMES, urls.REPORTS, urls.EDITIONS, urls.SEARCH)
)
