"""What the plugin changes in MkDocs' theme so the site reads as an official website.

- Its own template folder (`templates/`) sits after the project's custom_dir and before
  Material's, so a site's overrides/ still win: the footer with the site's identity and 备案号
  (and no documentation pager), `lang="zh-CN"` and a logo image with no English alt text.
- The repository's traces are dropped unless `maintainer_links` asks for them: repo_url (the
  header's and drawer's “本站代码仓库”) and edit_uri (the “编辑此页” pencil).
- The logo: the configured SVG, else a generated seal, published at LOGO_URI and used as the
  header logo and the favicon (the generated seal is drawn inline in the header, as Material
  draws its icons, so it uses the page's CJK fonts and adds no request).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from showcase import urls
from showcase.mkdocs_plugin.config import ShowcaseConfig
from showcase.safe_paths import UnsafePath, check_inside
from showcase.site import identity

TEMPLATES = Path(__file__).parent / "templates"
LOGO_URI = "assets/showcase/logo.svg"
MATERIAL_FAVICON = "assets/images/favicon.png"  # Material's default (mkdocs_theme.yml)
MAX_LOGO_BYTES = 512 * 1024
# Theme features that show the repository: the edit / view-source buttons.
_REPOSITORY_FEATURES = ("content.action.edit", "content.action.view")


@dataclasses.dataclass(frozen=True)
class Logo:
    source: Path | None  # the configured SVG, or None for the generated seal
    content: str  # the generated seal (empty when source is set)
    inline: str = ""  # the generated seal as the header draws it, inline like Material's icons


def adapt(config: MkDocsConfig, options: ShowcaseConfig, root: Path) -> Logo:
    """Adjust the theme for this build; returns the logo to publish."""
    dirs = config.theme.dirs
    if str(TEMPLATES) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))
    if not options.maintainer_links:
        config.repo_url = None
        config.repo_name = None
        config.edit_uri = None
        config.edit_uri_template = None
        features = config.theme.get("features") or []
        config.theme["features"] = [f for f in features if f not in _REPOSITORY_FEATURES]
    elif config.edit_uri or config.edit_uri_template:
        # The maintainers' view: every page's pencil opens its source (a branch's profile.yml).
        features = config.theme.get("features") or []
        config.theme["features"] = [*features, *(f for f in _REPOSITORY_FEATURES[:1] if f not in features)]
    logo = _logo(options.logo, root, config.site_name)
    if config.theme.get("logo"):  # the theme's own logo option wins: nothing to publish
        return Logo(None, "")
    config.theme["logo"] = LOGO_URI
    if config.theme.get("favicon") in (None, MATERIAL_FAVICON):
        config.theme["favicon"] = LOGO_URI
    return logo


def _logo(configured: str, root: Path, site_name: str) -> Logo:
    if not configured:
        return Logo(None, identity.seal_svg(site_name), identity.seal_svg(site_name, inline=True))
    where = f"mkdocs.yml 中 showcase 的 logo：{configured}"
    path = root / configured
    try:
        check_inside(root.resolve(), path.resolve())
    except UnsafePath as e:
        raise PluginError(f"{where} 不在本项目的文件夹里，请把标识文件放进项目再填写相对路径。") from e
    if path.is_symlink():
        raise PluginError(f"{where} 是符号链接：请换成真实文件。")
    if not path.is_file():
        raise PluginError(f"{where} 这个文件不存在：路径相对于 mkdocs.yml 所在的文件夹。")
    size = path.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise PluginError(f"{where} 太大（{size // 1024} KB）：网站标识最多 {MAX_LOGO_BYTES // 1024} KB。")
    return Logo(path, "")


def footer(options: ShowcaseConfig, copyright_fallback: str | None) -> identity.Footer:
    """The footer's identity, from the plugin's options (mkdocs' own `copyright` as a fallback)."""
    line = options.copyright or (copyright_fallback or "").strip()
    return identity.Footer(
        host=options.host,
        organizer=options.organizer,
        contact=options.contact,
        feedback=options.feedback,
        copyright=identity.copyright_line(line, options.host, identity.build_year()),
    )


def feedback_href(footer: identity.Footer, title: str, page_url: str | None, site_url: str) -> str | None:
    """The 纠错 link of one page (page_url None: the 404 page, which has no address of its own)."""
    if footer.feedback is None:
        return None
    address = "" if page_url is None else (urls.absolute(site_url, page_url) or "/" + page_url)
    return footer.feedback.href(title, address)
