"""Which pages of a previous build can be kept: a manifest of page input digests.

`showcase build` copies the previous `site/` into its temporary folder and asks MkDocs for
a dirty build; the plugin marks a page unmodified when the digest of everything it is
made from (the site key — configuration, package code, theme versions, taxonomy,
hand-written pages — plus the page's own sources) equals the digest recorded when that
output was written. The manifest lives in the cache, one per output folder.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from showcase.atomic import atomic_write

PACKAGE_DIR = Path(__file__).parents[1]


def _versions() -> list[str]:
    out = []
    for dist in ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2", "nh3", "Pillow"):
        try:
            out.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}=?")
    return out


def site_key(config_file: Path, taxonomy: Path, folders: list[Path]) -> str:
    """Everything every page depends on: versions, mkdocs.yml (plugin options included), the
    taxonomy, the package's code and templates, and `folders` (docs_dir, and the theme's
    custom_dir, whose templates wrap every page). Any change here rebuilds the whole site."""
    h = hashlib.sha256()
    h.update("\n".join(_versions()).encode())
    for path in [config_file, taxonomy]:
        h.update(b"\0" + path.read_bytes() if path.is_file() else b"\0-")
    for n, root in enumerate([PACKAGE_DIR, *folders]):
        h.update(f"\0folder {n}".encode())
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(b"\0" + str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class Manifest:
    """Page digests of one output folder, keyed by that folder's absolute path."""

    def __init__(self, cache_dir: Path, site_dir: Path) -> None:
        name = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:24]
        self.path = cache_dir / "pages" / f"{name}.json"
        self.site_key = ""
        self.pages: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            self.site_key = str(data["site_key"])
            self.pages = {str(k): str(v) for k, v in data["pages"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no usable manifest: everything counts as modified

    def unchanged(self, site_key: str, src_uri: str, key: str, dest: Path) -> bool:
        return self.site_key == site_key and self.pages.get(src_uri) == key and dest.is_file()

    def save(self, site_key: str, pages: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"site_key": site_key, "pages": dict(sorted(pages.items()))}
        atomic_write(self.path, json.dumps(data).encode("utf-8"))


def prune(site_dir: Path, keep: set[Path], *, skip: str) -> int:
    """Delete files of an earlier build that this build did not produce (a removed branch).
    The top-level folder `skip` (media/) is left to its own bookkeeping (media/tree.py)."""
    removed = 0
    for entry in sorted(site_dir.iterdir()):
        if entry.name == skip:
            continue
        paths = [entry] if not entry.is_dir() else [*sorted(entry.rglob("*"), reverse=True), entry]
        for path in paths:
            if path.is_file() and path not in keep:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return removed
