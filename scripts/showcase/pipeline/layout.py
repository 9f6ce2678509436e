"""Where a project keeps things, read once from its mkdocs.yml for every command.

`showcase check`, `report`, `print` and the build must agree on docs_dir, the theme's
custom_dir and the plugin's folders; reading them through MkDocs' own configuration loader
is what makes a project with `docs_dir: docs` check the way it builds.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from showcase.problems import ContentError, Problem

DEFAULT_BRANCHES = "branches"
DEFAULT_CACHE = ".cache/showcase"  # the plugin's default cache_dir


@dataclasses.dataclass(frozen=True)
class Layout:
    root: Path  # the folder of mkdocs.yml
    docs_dir: Path
    custom_dir: Path | None  # the theme's overrides, if any
    branches_dir: str  # relative to root, as the plugin option says
    cache_dir: Path
    site_name: str = ""
    site_url: str = ""

    @property
    def page_folders(self) -> list[Path]:
        """The folders MkDocs reads pages and templates from (never symlinks, see safe_paths)."""
        return [self.docs_dir] + ([self.custom_dir] if self.custom_dir else [])


def read_layout(config_file: str | Path, branches_dir: str | None = None) -> Layout:
    """The layout `config_file` describes; MkDocs' defaults if there is no such file.
    `branches_dir` (the command line's) overrides the plugin's option.

    The file is read with MkDocs' own YAML loader (INHERIT, !ENV and !!python/name work as in
    a build) but not validated: `check` must work before docs_dir exists, and the
    configuration's own complaints are the build's to report."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    path = Path(config_file).resolve()
    root = path.parent
    raw: dict[str, Any] = {}
    if path.is_file():
        try:
            with path.open("rb") as f:
                raw = yaml_load(f)
        except (ConfigurationError, OSError) as e:
            raise ContentError([Problem(path.name, 1, 1, "CONFIG", f"站点配置文件有误：{e}")]) from None
    theme = raw.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    options = _plugin_options(raw.get("plugins"))
    return Layout(
        root=root,
        docs_dir=root / str(raw.get("docs_dir") or "docs"),
        custom_dir=root / str(custom) if custom else None,
        branches_dir=branches_dir or str(options.get("branches_dir") or DEFAULT_BRANCHES),
        cache_dir=root / str(options.get("cache_dir") or DEFAULT_CACHE),
        site_name=str(raw.get("site_name") or ""),
        site_url=str(raw.get("site_url") or ""),
    )


def _plugin_options(plugins: object) -> dict[str, Any]:
    """The `showcase` plugin's options from a `plugins:` list or mapping (MkDocs accepts both)."""
    if isinstance(plugins, dict):
        entries: list[tuple[object, object]] = list(plugins.items())
    elif isinstance(plugins, list):
        entries = [next(iter(e.items())) if isinstance(e, dict) and e else (e, None) for e in plugins]
    else:
        entries = []
    for name, options in entries:
        if name == "showcase":
            return options if isinstance(options, dict) else {}
    return {}
