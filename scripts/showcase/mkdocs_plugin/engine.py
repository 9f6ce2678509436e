"""MkDocs as the site engine of `showcase build`: load mkdocs.yml, build into a given folder."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from showcase.pipeline.layout import DEFAULT_CACHE
from showcase.pipeline.settings import BuildError


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns that dirty builds may leave stale navigation. Ours cannot: every page's
    inputs, navigation included, are in its digest (see pipeline/incremental.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


def explain(error: Exception) -> str:
    """MkDocs logs the actual complaint, then aborts with an English line: point up instead."""
    return "见上面的说明。" if isinstance(error, Abort) else str(error)


class MkDocsEngine:
    """The site `config_file` describes, built by MkDocs with the showcase plugin's stages."""

    def __init__(self, config_file: Path, *, strict: bool) -> None:
        self.name = config_file.name
        try:
            self.config: MkDocsConfig = load_config(str(config_file), strict=strict or None)
        except (Abort, ConfigurationError) as e:
            raise BuildError(f"配置文件有误：{explain(e)}") from e
        self.site_dir = Path(self.config.site_dir)
        plugin = self.config.plugins.get("showcase")
        cache = plugin.config.cache_dir if plugin is not None else DEFAULT_CACHE
        self.cache_dir = config_file.parent / cache
        logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())

    def render(self, build_dir: Path, *, dirty: bool) -> None:
        self.config.site_dir = str(build_dir)
        try:
            mkdocs_build.build(self.config, dirty=dirty)
        except (Abort, ConfigurationError, PluginError) as e:
            raise BuildError(f"构建失败：{explain(e)}") from e
