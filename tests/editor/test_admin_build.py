"""The web editor at /admin/ in a real build of the sample site (mkdocs_plugin/admin.py), its
own Content-Security-Policy (security_headers.py), and the page in real Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import BuiltSite, build_site, scratch_project
from page_types import Watch
from showcase.editor import uploads
from showcase.media import images
from showcase.mkdocs_plugin import admin
from showcase.site import security_headers
from showcase.site.security_headers import headers_for, parse_headers_file
from showcase.tools.preview import serve_in_background

FILES = ("index.html", "decap-cms.js", "config.yml", "preview.js", "uploads.js", "phrases.js")


def test_build_publishes_the_editor_apart_from_the_public_pages(sample_site: BuiltSite) -> None:
    site = sample_site.dir
    for name in FILES:
        assert (site / "admin" / name).is_file(), name
    page = (site / "admin" / "index.html").read_text("utf-8")
    assert "<title>网页编辑 · " in page and 'content="noindex, nofollow"' in page
    assert security_headers.inline_scripts(page) == []  # external scripts only
    # Every style sheet the preview pane asks for is one the site's pages use, and is there.
    css = page.split('data-css="', 1)[1].split('"', 1)[0].split()
    home = (site / "index.html").read_text("utf-8")
    assert len(css) >= 2
    for href in css:
        assert href.startswith("../") and f'href="{href[3:]}"' in home and (site / href[3:]).is_file()
    assert "zh_Hans" in (site / "admin" / "decap-cms.js").read_text("utf-8")
    # The upload rules reach uploads.js through its tag, before Decap's bundle loads.
    assert page.index('src="uploads.js"') < page.index('src="decap-cms.js"')
    assert f'data-max-bytes="{images.MAX_BYTES}"' in page
    assert "/admin/" not in (site / "sitemap.xml").read_text("utf-8")
    public = [p for p in site.rglob("*.html") if "admin" not in p.relative_to(site).parts]
    assert public and not [
        p for p in public if 'href="/admin' in p.read_text("utf-8") or "admin/" in p.read_text("utf-8")
    ]
    assert not [w for w in sample_site.warnings if "网页编辑" in w]


def test_admin_has_its_own_policy_and_the_public_pages_keep_theirs(sample_site: BuiltSite) -> None:
    rules = parse_headers_file((sample_site.dir / "_headers").read_text("utf-8"))
    public = dict(headers_for("/branches/x/", rules))["Content-Security-Policy"]
    sent = [v for n, v in headers_for("/admin/", rules) if n == "Content-Security-Policy"]
    assert len(sent) == 1 and sent[0] != public
    assert "'unsafe-eval'" in sent[0] and "'unsafe-eval'" not in public
    assert (
        "object-src 'none'" in sent[0]
        and "'unsafe-inline'" not in sent[0].split("script-src", 1)[1].split(";")[0]
    )
    nginx = (sample_site.dir / security_headers.ADMIN_NGINX_FILE).read_text("utf-8")
    assert f'add_header Content-Security-Policy "{sent[0]}" always;' in nginx


def test_admin_policy_connects_to_the_configured_repository_host() -> None:
    gitlab = "backend: {name: gitlab, repo: a/b, base_url: https://git.example.org, api_root: https://git.example.org/api/v4}"
    assert security_headers.backend_hosts(gitlab) == ["https://git.example.org", "https://gitlab.com"]
    assert security_headers.backend_hosts("backend: {name: github, repo: a/b}") == [
        "https://api.github.com",
        "https://github.com",
    ]
    assert security_headers.backend_hosts("backend: [") == []
    policy = security_headers.admin_policy(["https://git.example.org"])
    assert "connect-src 'self' blob: https://git.example.org" in policy


def test_admin_loads_in_chromium_in_chinese_under_its_policy(sample_site: BuiltSite, browser: Any) -> None:
    server, base = serve_in_background(sample_site.dir, send_headers=True)
    context = browser.new_context()
    try:
        page = context.new_page()
        watch = Watch(page, base)
        response = page.goto(base + "/admin/")
        assert response is not None and "'unsafe-eval'" in response.headers["content-security-policy"]
        page.get_by_text("登录").first.wait_for(timeout=20_000)  # the Chinese login screen: zh_Hans
        assert watch.script_errors() == []
        assert watch.requests and watch.foreign() == [], watch.requests
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_without_the_npm_packages_the_site_builds_without_the_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = scratch_project(tmp_path / "p")
    (tmp_path / "p" / "content" / "admin").mkdir()
    (tmp_path / "p" / "content" / "admin" / "config.yml").write_text("backend: {name: github}\n", "utf-8")
    monkeypatch.setattr(admin, "TOOL_ROOT", tmp_path)  # no node_modules anywhere
    built = build_site(config, tmp_path / "site")  # strict: the note is not a warning
    assert (built.dir / "index.html").is_file()
    assert not (built.dir / "admin").exists()
    assert "/admin/*" not in (built.dir / "_headers").read_text("utf-8")
    assert not (built.dir / security_headers.ADMIN_NGINX_FILE).exists()


def test_the_form_accepts_the_file_types_the_build_publishes_and_no_other() -> None:
    """uploads.SUFFIXES are, by Pillow's own registry of file name endings, exactly the formats
    images.py publishes (an MPO, a camera's two-frame JPEG, is saved as .jpg)."""
    from PIL import Image

    formats = {Image.registered_extensions()[s] for s in uploads.SUFFIXES}
    assert formats == images.ALLOWED_FORMATS - {"MPO"}
    assert uploads.attributes()["data-suffixes"].split() == list(uploads.SUFFIXES)
