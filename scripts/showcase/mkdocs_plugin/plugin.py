"""The MkDocs plugin `showcase`: MkDocs events translated into the build's stages (pipeline/stages.py).

Hooks are grouped by lifecycle and each is a short call into the core; what is MkDocs' own
business stays here: turning outputs into `File.generated`, page metadata, the TOC. The
plugin object survives `mkdocs serve` rebuilds, so every build gets a new SiteBuild in
`on_config`.
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import jinja2
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from showcase import urls
from showcase.media.tree import MEDIA_DIR
from showcase.mkdocs_plugin import admin, theme
from showcase.mkdocs_plugin.config import ShowcaseConfig
from showcase.pipeline.build import current_invocation
from showcase.pipeline.lock import ProjectLock
from showcase.pipeline.settings import BuildError, Log, Output, Settings
from showcase.pipeline.stages import SiteBuild, site_info
from showcase.printing.editions import EDITIONS_DIR
from showcase.render.templates import bytecode_cache
from showcase.safe_paths import UnsafePath, check_inside
from showcase.site import chrome

log = get_plugin_logger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def _reported(hook: F) -> F:
    """A stage's BuildError becomes MkDocs' PluginError: logged, and the build aborts."""

    @functools.wraps(hook)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return hook(*args, **kwargs)
        except BuildError as e:
            raise PluginError(str(e)) from e

    return wrapper  # type: ignore[return-value]


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True


class ShowcasePlugin(BasePlugin[ShowcaseConfig]):
    supports_multiple_instances = False
    run: SiteBuild

    # -- configuration: stages load, check ------------------------------------------------------

    @_reported
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        invocation = current_invocation()
        self.run = SiteBuild(_settings(config, self.config), Log(log.info, log.warning), invocation)
        if invocation is None:  # `showcase build` holds the project lock itself
            self._lock = ProjectLock(self.run.settings.cache_dir)
            self._lock.acquire(log.info)
        self.run.check(self.run.load())
        if chrome.CSS_URI not in config.extra_css:
            config.extra_css.insert(0, chrome.CSS_URI)
        # An official site's face: footer identity, lang, logo, no repository links (theme.py).
        self._logo = theme.adapt(config, self.config, self.run.settings.root)
        self._footer = theme.footer(self.config, config.copyright)
        self._about: str | None = None
        return config

    # -- files: stages media, pages, search, print, data -------------------------------------------

    # Late, so pages a user wrote in docs_dir are already known and can be reported as clashes.
    @event_priority(-50)
    @_reported
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        _drop_data_sources(files)
        for output in self.run.plan():
            files.append(self._file(output, files, config))
        if config.theme.get("logo") == theme.LOGO_URI:
            source = self._logo.source
            if source is not None:
                files.append(File.generated(config, theme.LOGO_URI, abs_src_path=str(source)))
            else:
                files.append(File.generated(config, theme.LOGO_URI, content=self._logo.content))
        admin.add(files, config, self.run.settings.root, log.info)
        about = files.get_file_from_path("about.md")
        self._about = about.url if about is not None and about.is_documentation_page() else None
        self._mark_reused(files, config)
        _check_destinations(files, Path(config.site_dir))
        self._files = files
        return files

    def _file(self, output: Output, files: Files, config: MkDocsConfig) -> File:
        """An output as a MkDocs file; a hand-written file of the same name gives way."""
        src_uri = urls.src_uri(output.uri) if output.page is not None else output.uri
        clash = files.get_file_from_path(src_uri)
        if clash is not None:
            log.warning(
                f"{Path(config.docs_dir).name}/{src_uri} 与自动生成的{output.kind}同名，已使用自动生成的{output.kind}。"
            )
            files.remove(clash)
        if output.page is None:
            if output.source is not None:
                return File.generated(config, src_uri, abs_src_path=str(output.source))
            return File.generated(config, src_uri, content=output.content or "")
        inclusion = InclusionLevel.UNDEFINED if output.in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, src_uri, content="", inclusion=inclusion)
        if output.page.edit_path:  # "edit this page" opens the branch's profile.yml
            edit = os.path.relpath(self.run.settings.root / output.page.edit_path, config.docs_dir)
            file.edit_uri = posixpath.normpath(edit.replace(os.sep, "/"))
        return file

    def _mark_reused(self, files: Files, config: MkDocsConfig) -> None:
        """Pages whose inputs did not change keep the previous build's output (showcase build)."""
        pages = [(f.src_uri, Path(f.abs_dest_path)) for f in files.documentation_pages()]
        kept = self.run.reuse(pages)
        invocation = self.run.invocation
        if invocation is None or not invocation.incremental:
            return
        for file in files:
            if file.is_documentation_page():
                file.is_modified = _unmodified if file.src_uri in kept else _modified  # type: ignore[method-assign]
            elif file.abs_src_path is not None:
                # By content: MkDocs' own test (is the source newer?) keeps a stale copy when a
                # file comes back with an older date (git checkout, cp -p, tar, a reused cache file).
                changed = not _same_content(file.abs_src_path, file.abs_dest_path)
                file.is_modified = _modified if changed else _unmodified  # type: ignore[method-assign]
        # The build folder holds hard links to the published site/: unlink every output this
        # build writes, so MkDocs replaces it instead of writing through the link.
        site = Path(config.site_dir)
        targets = [Path(f.abs_dest_path) for f in files if f.is_modified()]
        for target in targets + [site / n for n in ("sitemap.xml", "sitemap.xml.gz", "404.html")]:
            target.unlink(missing_ok=True)

    # -- pages: rendered by the core --------------------------------------------------------------

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.run.specs.get(page.file.src_uri)
        if spec is None:
            return markdown
        # Material prints page.meta values into <title>, <meta> and the header without escaping
        # (MkDocs' template environment has no autoescape): escape the untrusted text here.
        page.meta["title"] = str(escape(spec.title))
        page.meta["description"] = str(escape(spec.description))
        # The section sidebar has nothing to offer on generated pages; branch pages keep their TOC.
        page.meta["hide"] = ["navigation"] if spec.edit_path else ["navigation", "toc"]
        return ""  # the body is rendered by the core in on_page_content

    @_reported
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.run.specs.get(page.file.src_uri)
        if spec is not None:
            rendered = spec.render(page.edit_url)
            page.toc = get_toc(rendered.toc)  # type: ignore[arg-type]
            self.run.page_rendered(page.file.src_uri, page.url, spec.title, rendered.html)
            return rendered.html
        if page.is_homepage and self.run.pages is not None:
            return f'<div class="sc-home-intro">{html}</div>' + self.run.pages.home_sections()
        self.run.page_rendered(page.file.src_uri, page.url, page.title or "", html)
        return html

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # Compiling the theme's templates costs a noticeable share of a small rebuild.
        env.bytecode_cache = bytecode_cache(self.run.settings.cache_dir)
        return env

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        spec = self.run.specs.get(page.file.src_uri)
        title = spec.title if spec is not None else (page.title or config.site_name)
        if page.is_homepage:
            title = config.site_name
        href = theme.feedback_href(self._footer, str(title), page.url, config.site_url or "")
        return self._footer_context(context, href)

    def on_template_context(
        self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if template_name != "404.html":
            return context
        return self._footer_context(context, theme.feedback_href(self._footer, "页面未找到", None, ""))

    def _footer_context(self, context: TemplateContext, feedback: str | None) -> TemplateContext:
        """What the plugin's theme templates (templates/partials/) read besides the config."""
        extra = cast(dict[str, Any], context)
        extra.update(showcase_footer=self._footer, showcase_feedback=feedback, showcase_about=self._about)
        extra.update(showcase_logo=self._logo.inline)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        spec = self.run.specs.get(page.file.src_uri)
        if spec is not None:
            share = chrome.Share(spec.title, spec.description, spec.image, spec.kind)
        else:
            title = config.site_name if page.is_homepage else (page.title or config.site_name)
            share = chrome.Share(title, page.meta.get("description") or config.site_description or "")
        return chrome.decorate(output, page.url, share, site_info(self.run.settings, self.run.media))

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name != "404.html":
            return output_content
        return chrome.decorate_not_found(output_content, site_info(self.run.settings, self.run.media))

    # -- after the build: stage write --------------------------------------------------------------

    @_reported
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self.run.write(Path(config.site_dir), {Path(f.abs_dest_path) for f in self._files})
        finally:
            self._unlock()

    def on_build_error(self, *, error: Exception) -> None:
        if hasattr(self, "run"):
            self.run.failed()
        self._unlock()

    def _unlock(self) -> None:
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.release()

    # -- serve ------------------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.run.settings.root / self.config.branches_dir))
        return server


def _same_content(src: str, dest: str) -> bool:
    try:
        if os.path.getsize(src) != os.path.getsize(dest):
            return False
        with open(src, "rb") as a, open(dest, "rb") as b:
            while True:
                chunk = a.read(1 << 20)
                if chunk != b.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def _settings(config: MkDocsConfig, options: ShowcaseConfig) -> Settings:
    root = Path(config.config_file_path or ".").resolve().parent
    custom_dir = config.theme.custom_dir
    return Settings(
        root=root,
        config_file=Path(config.config_file_path or "mkdocs.yml"),
        docs_dir=Path(config.docs_dir),
        custom_dir=Path(custom_dir) if custom_dir else None,
        branches_dir=options.branches_dir,
        cache_dir=root / options.cache_dir,
        site_name=config.site_name,
        site_url=config.site_url or "",
        site_description=config.site_description or "",
        featured=tuple(options.featured),
        search=options.search,
        search_examples=tuple(options.search_examples),
        unpublish_limit=options.unpublish_limit,
    )


def _drop_data_sources(files: Files) -> None:
    """Files that are data, not pages or files to publish: the editions' sources, and anything
    under media/, where the build publishes photo variants by content (see media/tree.py)."""
    for file in list(files):
        edition = file.src_uri.startswith(EDITIONS_DIR + "/") and file.src_uri.endswith((".yml", ".yaml"))
        if file.dest_uri.startswith(MEDIA_DIR + "/"):
            log.warning(f"{Path(file.src_dir or '').name}/{file.src_uri} 位于照片目录 {MEDIA_DIR}/，未发布。")
        if edition or file.dest_uri.startswith(MEDIA_DIR + "/"):
            files.remove(file)


def _check_destinations(files: Files, site_dir: Path) -> None:
    """Prove that MkDocs writes every file inside the output folder, whatever names the
    (untrusted) taxonomy and content hold; the names are also checked where they are read."""
    for file in files:
        try:
            check_inside(site_dir, file.abs_dest_path)
        except UnsafePath as e:
            raise PluginError(f"{e}（来源：{file.src_uri}）") from e
