"""Shared fixtures: the repository root, a full build of the sample site, a local web server."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium with the flags every browser test and benchmark uses.
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Chromium carries the `browser` mark, whether or not its file
    says so: `pytest -m browser` runs them alone, `-m "not browser"` everything else."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@dataclass
class BuiltSite:
    dir: Path
    warnings: list[str]

    def page(self, url: str) -> str:
        return (self.dir / url / "index.html").read_text("utf-8")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True) -> BuiltSite:
    """A real `mkdocs build` through the MkDocs API, collecting every warning it logs."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
        build(config)
    finally:
        logger.removeHandler(handler)
    return BuiltSite(site_dir, handler.messages)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root by relative path, with its SHA-256: two trees equal byte for byte."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def showcase_build(project: Path, *extra: str) -> int:
    """`showcase build --strict` of a project folder, in this process; returns the exit code."""
    from showcase.cli.main import main

    return main(["-f", str(project / "mkdocs.yml"), "build", "--strict", *extra])


def built_synth_project(root: Path, branches: int, *, photos: int, seed: int) -> Path:
    """A synthetic project (`showcase synth`) with its site built once by `showcase build`."""
    from showcase.tools.synth import synthesize

    synthesize(root, branches, photos=photos, seed=seed, progress=False)
    assert showcase_build(root) == 0
    return root


def scratch_project(root: Path, *, site_name: str = "测试站", site_url: str | None = None) -> Path:
    """An empty project around the sample taxonomy: mkdocs.yml, content/index.md, branches/.
    Returns the mkdocs.yml path; add branch folders under root/branches."""
    (root / "content").mkdir(parents=True)
    (root / "content" / "index.md").write_text(f"# {site_name}\n", "utf-8")
    url_line = f"site_url: {site_url}\n" if site_url else ""
    (root / "mkdocs.yml").write_text(
        f"site_name: {site_name}\n{url_line}docs_dir: content\n"
        "theme: {name: material, language: zh, font: false}\nplugins: [showcase]\n",
        "utf-8",
    )
    (root / "branches").mkdir()
    shutil.copy(ROOT / "branches" / "taxonomy.yml", root / "branches" / "taxonomy.yml")
    return root / "mkdocs.yml"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("sample-site"))


@contextlib.contextmanager
def serving(site_dir: Path) -> Iterator[str]:
    """A built site on a loopback port, gzipped like production; yields its base URL."""
    from showcase.tools.preview import serve_in_background

    server, base = serve_in_background(site_dir)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(sample_site: BuiltSite) -> Iterator[str]:
    """The built sample site, served (see `serving`)."""
    with serving(sample_site.dir) as base:
        yield base


def add_synth_photo(project: Path, slug: str, caption: str = "新照片") -> None:
    """A new real JPEG in a synthetic branch, listed first in its profile."""
    from PIL import Image

    folder = project / "branches" / slug
    Image.effect_noise((900, 600), 40).convert("RGB").save(folder / "photos" / "new.jpg", "JPEG")
    profile = folder / "profile.yml"
    entry = f"  - {{file: photos/new.jpg, caption: {caption}, credit: 本报记者 某某}}\n"
    profile.write_text(profile.read_text("utf-8").replace("photos:\n", "photos:\n" + entry), "utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One real Chromium for every browser test; each test opens its own context."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Debian chromium is not installed: run `make system-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
