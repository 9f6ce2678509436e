"""The MkDocs plugin `showcase`: a thin adapter from MkDocs events to the core.

Everything it does is a call into the framework-free core (load, catalog, pages, images);
this module only translates MkDocs events. Hooks are grouped by lifecycle. Per-build state
is reset in `on_config`, because the plugin object survives `mkdocs serve` rebuilds.
"""

from __future__ import annotations

import gc
import os
import posixpath
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from showcase import urls
from showcase.atomic import atomic_write, write_files
from showcase.background import BackgroundJob
from showcase.build.incremental import Manifest, prune, site_key
from showcase.build.layout import DEFAULT_BRANCHES, DEFAULT_CACHE
from showcase.content.catalog import Catalog
from showcase.content.load import Project, load_project
from showcase.media.publish import Media, publish, share
from showcase.media.renditions import PhotoStore
from showcase.media.sharing import meta_tags
from showcase.media.tree import MEDIA_DIR
from showcase.printing.editions import EDITIONS_DIR, load_editions
from showcase.printing.layout import PrintError, PrintRun, Published
from showcase.problems import ContentError, Severity
from showcase.render.templates import bytecode_cache
from showcase.reports import open_data
from showcase.safe_paths import UnsafePath, check_inside, tree_problems
from showcase.search.box import header_search_box
from showcase.search.index import SearchFiles, catalog_docs, taxonomy_lists
from showcase.search.index import build as build_index
from showcase.site import beian, security_headers
from showcase.site.elder_mode import SCRIPT_URI as ELDER_JS_URI
from showcase.site.elder_mode import elder_mode
from showcase.site.feed import FEED_URL, atom, link_tag
from showcase.site.pages import PageSpec, SitePages, digest

log = get_plugin_logger(__name__)


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True


ASSETS = Path(__file__).parents[1] / "site" / "assets"
SEARCH_ASSETS = Path(__file__).parents[1] / "search" / "assets"
CSS_URI = "assets/showcase/showcase.css"
SEARCH_JS_URI = "assets/showcase/search.js"
GALLERY_JS_URI = "assets/showcase/gallery.js"
GALLERY_FILES = [
    "gallery.js",
    "vendor/photoswipe/photoswipe-lightbox.esm.min.js",
    "vendor/photoswipe/photoswipe.esm.min.js",
    "vendor/photoswipe/photoswipe.css",
    "vendor/photoswipe/LICENSE",
]


class _FilingNumber(base.BaseConfigOption[beian.Record | None]):
    """A 备案号 as written in the filing system, checked and turned into its footer link."""

    def __init__(self, parse: Callable[[str], beian.Record]) -> None:
        super().__init__()
        self._parse = parse

    def run_validation(self, value: object) -> beian.Record | None:
        if not isinstance(value, str):
            raise base.ValidationError("应填写一行文字（备案号），或者删掉这一项。")
        if not value.strip():
            return None
        try:
            return self._parse(value)
        except ValueError as e:
            raise base.ValidationError(str(e)) from e


class ShowcaseConfig(base.Config):
    branches_dir = c.Type(str, default=DEFAULT_BRANCHES)
    """Folder holding one sub-folder per branch plus taxonomy.yml, relative to mkdocs.yml."""

    cache_dir = c.Type(str, default=DEFAULT_CACHE)
    """Where photo derivatives are cached between builds, relative to mkdocs.yml (git-ignored)."""

    featured = c.ListOfItems(c.Type(str), default=[])
    """Slugs of branches shown first on the home page; the rest are the most recently updated."""

    search = c.Type(bool, default=True)
    """Publish the full-text search page /search/, its index and the search box in the header."""

    search_examples = c.ListOfItems(c.Type(str), default=[])
    """Example queries offered on the search page (default: the first themes of the taxonomy)."""

    icp = c.Optional(_FilingNumber(beian.icp))
    """ICP 备案号 shown in every page's footer, linked to the MIIT filing system (beian.miit.gov.cn)."""

    police_beian = c.Optional(_FilingNumber(beian.police))
    """公安备案号 shown in every page's footer, linked to its record on beian.mps.gov.cn."""


def _check_destinations(files: Files, site_dir: Path) -> None:
    """Prove that MkDocs writes every file inside the output folder, whatever names the
    (untrusted) taxonomy and content hold; the names are also checked where they are read."""
    for file in files:
        try:
            check_inside(site_dir, file.abs_dest_path)
        except UnsafePath as e:
            raise PluginError(f"{e}（来源：{file.src_uri}）") from e


class ShowcasePlugin(BasePlugin[ShowcaseConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # Set by `showcase build` before the build starts (they describe the invocation, not
        # the site, so `_reset` keeps them): where the output finally lands, and whether the
        # build folder starts as a copy of the previous output (a dirty build).
        self.final_site_dir: Path | None = None
        self.incremental = False
        self._reset()

    def _reset(self) -> None:
        self.project: Project | None = None
        self.pages: SitePages | None = None
        self.specs: dict[str, PageSpec] = {}
        self.page_keys: dict[str, str] = {}
        self.site_key = ""
        self.skipped = 0
        self._manifest: Manifest | None = None
        self._search: BackgroundJob[SearchFiles] | None = None
        self._print: PrintRun | None = None
        self.media = Media()

    # -- configuration ------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        self.root = Path(config.config_file_path or ".").resolve().parent
        self._cache_dir = self.root / self.config.cache_dir
        # Symlinks among the pages and templates would publish whatever they point to.
        custom_dir = config.theme.custom_dir
        unsafe = tree_problems(
            self.root, [Path(config.docs_dir)] + ([Path(custom_dir)] if custom_dir else [])
        )
        if unsafe:
            raise PluginError(
                "页面或模板文件夹不安全，已停止构建：\n" + "\n".join(p.format() for p in unsafe)
            )
        try:
            docs_dir = os.path.relpath(config.docs_dir, self.root)
            self.project = load_project(
                self.root, self.config.branches_dir, docs_dir, cache_dir=self._cache_dir, progress=log.info
            )
        except ContentError as e:
            raise PluginError("党组织数据无法读取：\n" + "\n".join(p.format() for p in e.problems)) from e
        # The project lives until the build ends: keep the cyclic garbage collector from walking
        # its millions of objects at every collection during the build (until on_post_build).
        gc.freeze()
        log.info(
            f"照片检查：{self.project.photo_files} 个图片文件，用时 {self.project.photo_seconds:.2f} 秒。"
        )
        for problem in self.project.problems:
            # Errors are logged as warnings: the broken branch is left out, the others build,
            # and `--strict` fails. Advice (提示) is logged at info level, so a pull request
            # that passes `showcase check` also passes a strict build.
            if problem.severity is Severity.ERROR:
                log.warning(problem.format())
            else:
                log.info("提示 " + problem.format())
        if CSS_URI not in config.extra_css:
            config.extra_css.insert(0, CSS_URI)
        return config

    # -- files --------------------------------------------------------------------------

    # Late, so pages a user wrote in docs_dir are already known and can be reported as clashes.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.project is not None
        started = time.monotonic()
        store = PhotoStore(self._cache_dir)
        media = publish(self.project.branches, store, progress=log.info)
        share(
            media,
            self.project.branches,
            self._cache_dir,
            base_url=config.site_url or "",
            site_name=config.site_name,
            site_description=config.site_description or "",
            workers=store.workers,
            progress=log.info,
        )
        for problem in media.problems:
            log.warning(problem.format())
        for note in media.notes:
            log.info(note)
        for url, path in media.files:
            files.append(File.generated(config, url, abs_src_path=str(path)))
        # Photo variants are not MkDocs files: on_post_build links them in (see media_tree).
        for file in [f for f in files if f.dest_uri.startswith(MEDIA_DIR + "/")]:
            log.warning(f"{Path(config.docs_dir).name}/{file.src_uri} 位于照片目录 {MEDIA_DIR}/，未发布。")
            files.remove(file)
        for name in GALLERY_FILES:
            files.append(File.generated(config, f"assets/showcase/{name}", abs_src_path=str(ASSETS / name)))
        files.append(File.generated(config, ELDER_JS_URI, abs_src_path=str(ASSETS / "elder.js")))
        log.info(
            f"图片：{len(media.photos)} 张照片、{len(media.cards)} 张分享图、{len(media.qr_codes)} 个二维码，"
            f"用时 {time.monotonic() - started:.2f} 秒。"
        )
        self.media = media
        self._print = self._start_printing(files, config, media)
        self.pages = SitePages(
            Catalog(self.project),
            media,
            featured=list(self.config.featured),
            site_name=config.site_name,
            cache_dir=self._cache_dir,
            search_examples=list(self.config.search_examples) if self.config.search else None,
            editions=self._edition_results,
            editions_key=self._print.key,
        )
        docs_dir = Path(config.docs_dir)
        for spec in self.pages.specs():
            src_uri = urls.src_uri(spec.url)
            if files.get_file_from_path(src_uri) is not None:
                log.warning(f"{docs_dir.name}/{src_uri} 与自动生成的页面同名，已使用自动生成的页面。")
                files.remove(files.get_file_from_path(src_uri))  # type: ignore[arg-type]
            in_nav = spec.url in (
                urls.BRANDS,
                urls.REGIONS,
                urls.CATEGORIES,
                urls.THEMES,
                urls.REPORTS,
                urls.EDITIONS,
                urls.SEARCH,
            )
            file = File.generated(
                config,
                src_uri,
                content="",
                inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV,
            )
            if spec.edit_path:
                file.edit_uri = posixpath.normpath(
                    os.path.relpath(self.root / spec.edit_path, docs_dir).replace(os.sep, "/")
                )
            files.append(file)
            self.specs[src_uri] = spec
        # The Atom feed of the updates (简讯); a hand-written file of the same name gives way.
        if (clash := files.get_file_from_path(FEED_URL)) is not None:
            log.warning(f"{docs_dir.name}/{FEED_URL} 与自动生成的订阅源同名，已使用自动生成的文件。")
            files.remove(clash)
        feed = atom(
            self.pages.timeline.all,
            site_name=config.site_name,
            site_url=config.site_url,
            site_description=config.site_description or "",
        )
        files.append(File.generated(config, FEED_URL, content=feed))
        files.append(File.generated(config, CSS_URI, abs_src_path=str(ASSETS / "showcase.css")))
        # Open data: /data/branches.{json,csv,xlsx}; a hand-written file of the same name gives way.
        for uri, content in open_data.cached_export(
            self.pages.catalog.branches, config.site_url or "", self._cache_dir
        ).items():
            if (clash := files.get_file_from_path(uri)) is not None:
                log.warning(f"{docs_dir.name}/{uri} 与自动生成的开放数据文件同名，已使用自动生成的文件。")
                files.remove(clash)
            files.append(File.generated(config, uri, content=content))
        if self.config.search:
            files.append(File.generated(config, SEARCH_JS_URI, abs_src_path=str(SEARCH_ASSETS / "search.js")))
            # The index is built beside MkDocs while it renders the pages (see BackgroundJob). The
            # branch texts are taken here (Markdown is not thread-safe); the pages reuse them.
            pages = self.pages
            docs = catalog_docs(pages.catalog, lambda b: pages.case(b).html)
            lists = taxonomy_lists(pages.catalog)
            self._search = BackgroundJob(build_index, docs, *lists)
        self._mark_unchanged_pages(files, config)
        self._files = files
        _check_destinations(files, Path(config.site_dir))
        return files

    def _start_printing(self, files: Files, config: MkDocsConfig, media: Media) -> PrintRun:
        """Load the print editions (content/editions/*.yml) and start rendering those whose
        PDF is not cached; an edition with an error is reported and left out."""
        assert self.project is not None
        docs_dir = Path(config.docs_dir)
        # The editions' sources are data, not pages or files to publish.
        for file in [
            f
            for f in files
            if f.src_uri.startswith(EDITIONS_DIR + "/") and f.src_uri.endswith((".yml", ".yaml"))
        ]:
            files.remove(file)
        editions, problems = load_editions(self.project, docs_dir)
        for problem in problems:
            log.warning(f"{problem.format()}（这一期印刷版未发布）")
        try:
            run = PrintRun(
                editions,
                rendition=lambda slug, file: media.renditions.get((slug, file)),
                site_url=config.site_url or "",
                site_name=config.site_name,
                cache_dir=self._cache_dir,
            )
        except PrintError as e:
            raise PluginError(f"印刷版无法生成：{e}") from e
        if editions:
            log.info(f"印刷版：{len(editions)} 期，其中 {run.rendered} 期需要重新排版（在后台进行）。")
        return run

    def _edition_results(self) -> list[Published]:
        """The editions' PDFs, waiting for the background rendering; its failure fails the build."""
        assert self._print is not None
        try:
            return self._print.results()
        except Exception as e:
            raise PluginError(f"印刷版排版失败：{type(e).__name__}: {e}") from e

    def _mark_unchanged_pages(self, files: Files, config: MkDocsConfig) -> None:
        """Give every page a digest of its inputs; in a dirty build, skip pages whose digest is unchanged."""
        assert self.pages is not None and self.project is not None
        docs_dir = Path(config.docs_dir)
        self.site_key = site_key(
            Path(config.config_file_path or "mkdocs.yml"),
            self.project.branches_dir / "taxonomy.yml",
            docs_dir,
        )
        # Only `showcase build` (which sets final_site_dir) reuses outputs, so only it keeps a
        # manifest; plain `mkdocs build`/`serve` into other folders would just pile them up.
        manifest = Manifest(self._cache_dir, self.final_site_dir) if self.final_site_dir else None
        for file in files.documentation_pages():
            spec = self.specs.get(file.src_uri)
            if spec is not None:
                key = spec.key
            else:  # hand-written: its source is in the site key; the home page adds site-wide sections
                key = digest(file.src_uri, self.pages.site_digest if file.src_uri == "index.md" else "")
            self.page_keys[file.src_uri] = key
            if self.incremental and manifest is not None:
                # Decide by digest alone; MkDocs' own test (source mtime) misses pages whose
                # inputs are other files, like the home page's site-wide sections.
                keep = manifest.unchanged(self.site_key, file.src_uri, key, Path(file.abs_dest_path))
                file.is_modified = _unmodified if keep else _modified  # type: ignore[method-assign]
                self.skipped += keep
        self._manifest = manifest
        if self.incremental:
            self._detach_outputs(files, config)

    def _detach_outputs(self, files: Files, config: MkDocsConfig) -> None:
        """Unlink every output this build will write, before MkDocs writes it in place.

        The build folder of an incremental build holds hard links to the previous site/;
        writing through them would change the published site before the swap.
        """
        site = Path(config.site_dir)
        targets = [Path(f.abs_dest_path) for f in files if f.is_modified()]
        targets += [site / n for n in ("sitemap.xml", "sitemap.xml.gz", "404.html")]
        for target in targets:
            target.unlink(missing_ok=True)

    # -- pages --------------------------------------------------------------------------

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return markdown
        # Material prints page.meta values into <title>, <meta> and the header without escaping
        # (MkDocs' template environment has no autoescape): escape the untrusted text here.
        page.meta["title"] = str(escape(spec.title))
        page.meta["description"] = str(escape(spec.description))
        # The section sidebar has nothing to offer on generated pages; branch pages keep their TOC.
        page.meta["hide"] = ["navigation"] if spec.edit_path else ["navigation", "toc"]
        return ""  # the body is rendered by the core in on_page_content

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.pages is not None
        spec = self.specs.get(page.file.src_uri)
        if spec is not None:
            rendered = spec.render(page.edit_url)
            page.toc = get_toc(rendered.toc)  # type: ignore[arg-type]
            return rendered.html
        if page.is_homepage:
            return f'<div class="sc-home-intro">{html}</div>' + self.pages.home_sections()
        return html

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # Compiling the theme's templates costs a noticeable share of a small rebuild.
        env.bytecode_cache = bytecode_cache(self._cache_dir)
        return env

    # -- after the build ---------------------------------------------------------------

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        output = self._share_tags(output, page, config)
        if '<meta itemprop="image"' in output:
            # The share image's itemprop (for WeChat) must belong to an item to be valid HTML:
            # the page is that item.
            output = output.replace("<html ", '<html itemscope itemtype="https://schema.org/WebPage" ', 1)
        # Feed autodiscovery on every page, relative so a preview never calls production
        # (rel="alternate feed": see feed.link_tag for why not plain "alternate").
        href = urls.relative(FEED_URL, page.url)
        output = output.replace("</head>", link_tag(href, config.site_name) + "\n</head>", 1)
        if "data-sc-gallery" in output:
            # Only pages with photos load the lightbox; the script stays out of the page body,
            # which holds nothing but markup made from branch data.
            src = urls.relative(GALLERY_JS_URI, page.url)
            output = output.replace("</body>", f'<script type="module" src="{src}"></script>\n</body>', 1)
        # 长辈模式 (适老化): its script in <head>, applied before the first paint; its toggle in the header.
        output = elder_mode(output, urls.relative(ELDER_JS_URI, page.url))
        if not self.config.search:
            return output
        return header_search_box(output, urls.relative(urls.SEARCH, page.url))

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name != "404.html":
            return output_content
        # The 404 page is a theme template (no on_post_page) served at any depth: its 长辈模式
        # script is addressed from the site root, as the theme addresses everything on it.
        return elder_mode(output_content, urlsplit(config.site_url or "/").path + ELDER_JS_URI)

    def _share_tags(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Open Graph tags, so a link shared in WeChat shows a card with title, summary and image."""
        base = (config.site_url or "").rstrip("/")
        spec = self.specs.get(page.file.src_uri)
        card = self.media.cards.get("")
        image = spec.image if spec is not None and spec.image else card.url if card else None
        tags = meta_tags(
            title=spec.title
            if spec
            else config.site_name
            if page.is_homepage
            else (page.title or config.site_name),
            description=spec.description
            if spec
            else (page.meta.get("description") or config.site_description or ""),
            url=f"{base}/{page.url}" if base else None,
            site_name=config.site_name,
            image=f"{base}/{image}" if base and image else None,
            kind=spec.kind if spec else "website",
        )
        return output.replace("</head>", tags + "\n</head>", 1)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.unfreeze()
        written: set[Path] = set()
        if self._search is not None:
            try:
                index = self._search.result()
            except Exception as e:
                raise PluginError(f"搜索索引生成失败：{e}") from e
            written = write_files(Path(config.site_dir), index.files)
            log.info(
                f"搜索索引：{index.docs} 个党组织，{index.shards} 个分片，共 {index.total_bytes / 1024:.0f} KB。"
            )
        if self._print is not None:
            started = time.monotonic()
            self._edition_results()
            written |= self._print.write(Path(config.site_dir))
            log.info(
                f"印刷版：写出 {len(self._print.prepared)} 个 PDF，等待与写出用时 {time.monotonic() - started:.2f} 秒。"
            )
        if self._manifest is not None:
            self._manifest.save(self.site_key, self.page_keys)
        site = Path(config.site_dir)
        if self.incremental:
            keep = {Path(f.abs_dest_path) for f in self._files} | written
            keep |= {
                site / n for n in ("sitemap.xml", "sitemap.xml.gz", "404.html", *security_headers.OUTPUTS)
            }
            removed = prune(site, keep)
            log.info(f"增量构建：{self.skipped} 个页面未变、沿用上次结果，清除 {removed} 个过期文件。")
        # After the prune, which would take them for stale. An incremental `showcase build`
        # links only variants the published site lacks and takes its media/ over at the swap.
        started = time.monotonic()
        linked = self.media.tree.write(site, previous=self.final_site_dir if self.incremental else None)
        log.info(
            f"照片文件：共 {len(self.media.tree.files)} 个，新链接 {linked} 个，用时 {time.monotonic() - started:.2f} 秒。"
        )
        not_found = site / "404.html"
        if self.config.search and not_found.is_file():
            # 404.html is a theme template, not a page (no on_post_page): its header gets the
            # search box here, with an address from the site root, as it is served at any depth.
            html = not_found.read_text("utf-8")
            if 'class="sc-header-search"' not in html:
                search_url = urlsplit(config.site_url or "/").path + urls.SEARCH
                atomic_write(not_found, header_search_box(html, search_url).encode("utf-8"))
        # Last, once every HTML file is in place: the policy hashes the inline scripts of all
        # pages in the folder, those an incremental build carried over included.
        started = time.monotonic()
        headers = security_headers.write(site)
        for page, attribute in headers.handlers:
            log.warning(
                f"{page}：内联事件属性 {attribute}= 会被内容安全策略拦截，请改为在脚本文件中绑定事件。"
            )
        log.info(
            f"安全响应头：{headers.pages} 个页面，{len(headers.script_hashes)} 段内联脚本，"
            f"用时 {time.monotonic() - started:.2f} 秒。"
        )

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()  # `mkdocs serve` goes on after a failed build

    # -- serve --------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.root / self.config.branches_dir))
        return server
