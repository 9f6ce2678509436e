"""What the build's stages take and give: settings, outputs, the log, errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only an annotation here; the page plan is made by the pipeline's stages
    from showcase.site.pages import PageSpec


class BuildError(Exception):
    """A stage cannot go on; the message is Chinese and says what to do."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """What a build needs from the site's configuration (mkdocs.yml and the plugin's options)."""

    root: Path  # the project: the folder of mkdocs.yml
    config_file: Path
    docs_dir: Path
    custom_dir: Path | None
    branches_dir: str
    cache_dir: Path
    site_name: str
    site_url: str
    site_description: str
    featured: tuple[str, ...] = ()
    search: bool = True
    search_examples: tuple[str, ...] = ()
    unpublish_limit: float = 0.5  # the largest share of published branches one build may take offline


@dataclasses.dataclass(frozen=True)
class Output:
    """A file the build adds to the site: a page (with its spec), text or bytes, or a packaged file."""

    uri: str
    page: PageSpec | None = None
    content: str | bytes | None = None
    source: Path | None = None
    in_nav: bool = False  # a section page the nav names (首页, 品牌, …)
    kind: str = "文件"  # how a clash with a hand-written file of the same name is reported


@dataclasses.dataclass
class Log:
    """Where the stages report: the adapter passes its logger's methods."""

    info: Callable[[str], None]
    warning: Callable[[str], None]
