"""The `showcase` plugin's options in mkdocs.yml, each with what it is for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from mkdocs.config import base
from mkdocs.config import config_options as c

from showcase.pipeline.layout import DEFAULT_BRANCHES, DEFAULT_CACHE
from showcase.site import beian, identity

T = TypeVar("T")


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


class _Parsed(base.BaseConfigOption[T]):
    """A value read by one of identity.py's parsers, whose ValueError explains it in Chinese."""

    def __init__(self, parse: Callable[[object], T], default: T) -> None:
        super().__init__()
        self._parse = parse
        self.default = default

    def run_validation(self, value: object) -> T:
        if value is None or value is self.default:  # MkDocs hands an unset option its default
            default: T = self.default
            return default
        try:
            return self._parse(value)
        except ValueError as e:
            raise base.ValidationError(str(e)) from e


def _text(what: str) -> _Parsed[str]:
    return _Parsed(lambda v: identity.line(v, what), "")


def _logo(value: object) -> str:
    text = identity.line(value, "网站标识（logo）")
    if text and not text.lower().endswith(".svg"):
        raise ValueError(f"网站标识“{text}”应是 SVG 文件（.svg），路径相对于 mkdocs.yml 所在的文件夹。")
    return text


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

    host = _text("主办单位")
    """主办单位: the unit that runs the site, named in every page's footer and the copyright line."""

    organizer = _text("承办单位")
    """承办单位: the unit that maintains it day to day, named in every page's footer."""

    contact = _Parsed(identity.contact, identity.Contact())
    """联系方式 in the footer: `address`, `phone` (an office number), `email`; each optional."""

    feedback = _Parsed(identity.feedback, None)
    """纠错 / 意见反馈: an e-mail address (the footer's 纠错 link opens a mail whose subject names
    the page) or an https:// form address."""

    copyright = _text("版权声明")
    """The footer's copyright line; default “© <year> <host> 版权所有” (year of the build,
    SOURCE_DATE_EPOCH's if set)."""

    logo = _Parsed(_logo, "")
    """The site's logo, an SVG file relative to mkdocs.yml, shown in the header and as the
    favicon; default: a red square seal with the first two characters of site_name."""

    editor = c.Optional(c.Type(dict))
    """The web editor's repository host (/admin/, Decap CMS): backend, repo, branch, base_url,
    app_id. Validated by showcase.editor.settings when `showcase schema` writes
    content/admin/config.yml from it."""

    maintainer_links = c.Type(bool, default=False)
    """A maintainers' preview: keep repo_url (header link) and edit_uri (“编辑此页”) on the
    pages. Off by default: the public site shows no trace of the repository."""
