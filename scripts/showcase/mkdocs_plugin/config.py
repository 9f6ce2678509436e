"""The `showcase` plugin's options in mkdocs.yml, each with what it is for."""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.config import base
from mkdocs.config import config_options as c

from showcase.pipeline.layout import DEFAULT_BRANCHES, DEFAULT_CACHE
from showcase.site import beian


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

    unpublish_limit = c.Type(float, default=0.5)
    """The largest share (0–1) of the published branches one `showcase build` may take offline;
    more is refused unless `--allow-mass-delete` is given. An emptied branches/ is refused."""

    icp = c.Optional(_FilingNumber(beian.icp))
    """ICP 备案号 shown in every page's footer, linked to the MIIT filing system (beian.miit.gov.cn)."""

    police_beian = c.Optional(_FilingNumber(beian.police))
    """公安备案号 shown in every page's footer, linked to its record on beian.mps.gov.cn."""
