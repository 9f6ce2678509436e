"""`showcase nginx-conf` against a real nginx on 127.0.0.1, serving a copy of the built sample site.

The configuration is written by the command, checked by `nginx -t` (no warnings either), and
served by one nginx per module with a self-signed certificate from the openssl CLI. Every
header a browser gets is compared with what headers.py and the site's own
nginx-security-headers.conf say, never with values written here. Never a mock.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BuiltSite, scratch_project
from showcase.cli.nginx_conf import add_parser
from showcase.deploy import headers, nginx
from showcase.site.security_headers import ADMIN_NGINX_FILE, NGINX_FILE

# Debian installs nginx in /usr/sbin, which is not on every user's PATH.
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
SIDECAR_MARK = b"<!-- from index.html.gz -->"


def run_cli(*argv: str) -> int:
    """`showcase [-f …] nginx-conf …` through the command's own parser and function."""
    parser = argparse.ArgumentParser(prog="showcase")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def security_headers(conf: Path) -> dict[str, str]:
    """The headers an nginx-security-headers.conf adds: {name: value}."""
    found = re.findall(r'^add_header (\S+) "([^"]*)" always;$', conf.read_text("utf-8"), re.M)
    assert found, f"{conf} 里没有 add_header"
    return dict(found)


@dataclass
class Nginx:
    site: Path
    http_port: int
    https_port: int

    def get(
        self, path: str, accept_encoding: str = "identity", *, tls: bool = True, **more: str
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test's self-signed certificate
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, timeout=10
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        try:
            sent = {"Accept-Encoding": accept_encoding} | {k.replace("_", "-"): v for k, v in more.items()}
            conn.request("GET", path, headers=sent)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def site(sample_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built sample site with what a folder deploy adds: a .gz beside index.html
    (marked, so a reply made from it is told from one nginx compressed itself) and `.showcase/`."""
    root = tmp_path_factory.mktemp("nginx-site") / "site"
    shutil.copytree(sample_site.dir, root)
    (root / "index.html.gz").write_bytes(
        gzip.compress((root / "index.html").read_bytes() + SIDECAR_MARK, mtime=0)
    )
    (root / ".showcase").mkdir()
    (root / ".showcase" / "state.json").write_text('{"secret": "deploy records"}', "utf-8")
    return root


@pytest.fixture(scope="module")
def server(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    assert NGINX, "找不到 nginx：请先安装（apt-get install nginx，见 scripts/install-system-deps.sh）"
    work = tmp_path_factory.mktemp("nginx")
    cert, key = work / "cert.pem", work / "key.pem"
    openssl = shutil.which("openssl")
    assert openssl, "找不到 openssl：请先安装（apt-get install openssl）"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    http_port, https_port = _free_port(), _free_port()
    generated = work / "showcase.conf"
    assert (
        run_cli(
            "nginx-conf",
            "--root",
            str(site),
            "--server-name",
            "localhost",
            "--listen",
            "127.0.0.1",
            "--http-port",
            str(http_port),
            "--https-port",
            str(https_port),
            "--cert",
            str(cert),
            "--key",
            str(key),
            "-o",
            str(generated),
        )
        == 0
    )
    # Root runs its workers as nobody, who cannot read pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {work / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = work / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\ndaemon off;\nmaster_process on;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f'http {{\n    access_log off;\n{temp}    include "{generated}";\n}}\n',
        "utf-8",
    )
    command = [NGINX, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, f"nginx -t 失败：\n{checked.stderr}"
    assert "[warn]" not in checked.stderr, f"nginx -t 有警告：\n{checked.stderr}"
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", https_port), 0.2):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (
                    (work / "error.log").read_text("utf-8", "replace")
                    if (work / "error.log").exists()
                    else ""
                )
                pytest.fail(f"nginx 没有启动（退出码 {proc.poll()}）：\n{log}")
            time.sleep(0.05)
        yield Nginx(site, http_port, https_port)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()


def assert_served_like_headers_py(
    server: Nginx, path: str, status: int, reply: http.client.HTTPMessage
) -> None:
    """The reply to the published file `path` carries what headers.py and the site's include
    say (the web editor under admin/: its own include, see test_admin_has_its_own_policy)."""
    assert status == 200, path
    assert reply["Content-Type"] == headers.content_type(path), path
    assert reply["Cache-Control"] == headers.cache_control(path), path
    include = ADMIN_NGINX_FILE if path.startswith("admin/") else NGINX_FILE
    for name, value in security_headers(server.site / include).items():
        assert reply[name] == value, f"{path}: {name}"
    assert len(reply.get_all("Cache-Control") or []) == 1, path


def test_http_redirects_to_https_keeping_the_path(server: Nginx) -> None:
    status, reply, _ = server.get("/branches/?q=%E5%85%9A", tls=False)
    assert status == 301
    assert reply["Location"] == f"https://127.0.0.1:{server.https_port}/branches/?q=%E5%85%9A"


def test_home_page(server: Nginx) -> None:
    status, reply, body = server.get("/")
    assert body == (server.site / "index.html").read_bytes()
    assert_served_like_headers_py(server, "index.html", status, reply)
    assert reply["Content-Type"] == "text/html; charset=utf-8"
    assert reply["X-Content-Type-Options"] == "nosniff"
    assert "'sha256-" in reply["Content-Security-Policy"]


def test_revalidation_keeps_the_headers(server: Nginx) -> None:
    """A browser revalidates no-cache pages: the 304 must carry the same caching rule."""
    _, first, _ = server.get("/")
    status, reply, body = server.get("/", If_None_Match=first["ETag"])
    assert (status, body) == (304, b"")
    assert reply["Cache-Control"] == headers.cache_control("index.html")
    assert reply["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_every_kind_of_file_gets_the_headers_of_headers_py(server: Nginx) -> None:
    """One file of each extension the site has, and the files headers.py treats specially."""
    files = sorted(
        p.relative_to(server.site).as_posix()
        for p in server.site.rglob("*")
        if p.is_file() and not p.relative_to(server.site).as_posix().startswith(".showcase/")
    )
    files = [f for f in files if f not in headers.NOT_PUBLISHED and f != "index.html.gz"]
    by_extension = {headers.extension(f): f for f in reversed(files)}
    bundle = next(f for f in files if re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", f))
    photo = next(f for f in files if f.startswith("media/") and f.endswith(".jpg"))
    special = ["feed.xml", "sitemap.xml", "sitemap.xml.gz", "search/meta.json", "404.html", bundle, photo]
    checked = sorted({*by_extension.values(), *(f for f in special if f in files)})
    assert {bundle, photo, "feed.xml", "sitemap.xml.gz"} <= set(checked)
    for path in checked:
        status, reply, body = server.get("/" + path)
        assert body == (server.site / path).read_bytes(), path
        assert_served_like_headers_py(server, path, status, reply)
    # What those comparisons covered, so a change of headers.py cannot make them vacuous.
    assert headers.cache_control(photo) == headers.cache_control(bundle) == headers.IMMUTABLE
    assert headers.content_type(bundle) == "text/javascript; charset=utf-8"
    assert headers.content_type("feed.xml") == "application/atom+xml; charset=utf-8"
    assert headers.cache_control("feed.xml") == headers.REVALIDATE


def test_admin_has_its_own_policy(server: Nginx) -> None:
    """/admin/ (the web editor) is served with the policy the build wrote for it, which
    differs from the public pages' one, and like every other file with headers.py's types."""
    for path in ("admin/index.html", "admin/decap-cms.js", "admin/config.yml"):
        status, reply, body = server.get("/" + path)
        assert body == (server.site / path).read_bytes(), path
        assert_served_like_headers_py(server, path, status, reply)
    _, page, _ = server.get("/")
    _, admin, _ = server.get("/admin/")
    assert "'unsafe-eval'" in admin["Content-Security-Policy"]
    assert "'unsafe-eval'" not in page["Content-Security-Policy"]


def test_nginx_knows_every_type_of_headers_py() -> None:
    assert set(nginx.EXTENSIONS) == set(headers._TYPES)


def test_missing_file_gets_the_404_page_never_cached_for_long(server: Nginx) -> None:
    page_404 = (server.site / "404.html").read_bytes()
    for path in (
        "/no/such/page/",
        "/media/00/0123456789abcdef-1200.jpg",
        "/assets/javascripts/bundle.0badc0de.min.js",
    ):
        status, reply, body = server.get(path)
        assert (status, body) == (404, page_404), path
        assert reply["Content-Type"] == headers.content_type("404.html"), path
        assert reply["Cache-Control"] == headers.REVALIDATE, path
        assert (
            reply["Content-Security-Policy"]
            == security_headers(server.site / NGINX_FILE)["Content-Security-Policy"]
        )


def test_no_directory_listing(server: Nginx) -> None:
    assert not (server.site / "assets" / "index.html").exists()
    status, _, body = server.get("/assets/")
    # nginx would say 403; the configuration shows the site's 404 page, as for a missing page.
    assert (status, body) == (404, (server.site / "404.html").read_bytes())


def test_folder_without_slash_redirects_to_its_page(server: Nginx) -> None:
    status, reply, _ = server.get("/about")
    assert status == 301
    assert reply["Location"] == "/about/"


def test_deploy_records_and_server_configuration_are_not_published(server: Nginx) -> None:
    page_404 = (server.site / "404.html").read_bytes()
    for path in (
        "/.showcase/state.json",
        "/.showcase/",
        "/%2Eshowcase/state.json",
        "/_headers",
        f"/{NGINX_FILE}",
    ):
        status, _, body = server.get(path)
        assert (status, body) == (404, page_404), path


def test_gzip_static_sends_the_gz_beside_the_file(server: Nginx) -> None:
    status, reply, body = server.get("/", "gzip, deflate, br")
    assert status == 200
    assert reply["Content-Encoding"] == "gzip"
    assert body == (server.site / "index.html.gz").read_bytes()
    assert gzip.decompress(body).endswith(SIDECAR_MARK)
    assert reply["Vary"] == "Accept-Encoding"
    assert_served_like_headers_py(server, "index.html", status, reply)


def test_text_without_a_gz_is_compressed_on_the_fly_and_images_never(server: Nginx) -> None:
    css = next(p.relative_to(server.site).as_posix() for p in sorted(server.site.rglob("*.css")))
    assert headers.compressible(css) and not (server.site / f"{css}.gz").exists()
    status, reply, body = server.get("/" + css, "gzip")
    assert reply["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (server.site / css).read_bytes()
    assert_served_like_headers_py(server, css, status, reply)
    photo = next(
        p.relative_to(server.site).as_posix() for p in sorted((server.site / "media").rglob("*.jpg"))
    )
    assert not headers.compressible(photo)
    status, reply, body = server.get("/" + photo, "gzip")
    assert reply["Content-Encoding"] is None
    assert body == (server.site / photo).read_bytes()


# --- the command alone (no server) ------------------------------------------------------------


def _deploy_folder(root: Path, sample: Path) -> Path:
    """The shape of a folder `showcase deploy DIR` keeps: the include among its records."""
    (root / ".showcase").mkdir(parents=True)
    shutil.copy(sample / NGINX_FILE, root / ".showcase" / NGINX_FILE)
    shutil.copy(sample / "404.html", root / "404.html")
    return root


def test_deploy_folder_includes_the_live_releases_headers(
    sample_site: BuiltSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _deploy_folder(tmp_path / "www", sample_site.dir)
    assert run_cli("nginx-conf", "--root", str(folder), "--server-name", "dangjian.example.org") == 0
    text = capsys.readouterr().out
    include = f'include "{folder.resolve() / ".showcase" / NGINX_FILE}";'
    # The server block and each of the four locations that set headers of their own.
    assert text.count(include) == 5
    assert f'root "{folder.resolve()}";' in text
    assert 'ssl_certificate "/etc/ssl/certs/dangjian.example.org.pem";' in text
    assert 'ssl_certificate_key "/etc/ssl/private/dangjian.example.org.key";' in text
    assert "return 301 https://$host$request_uri;" in text


def test_hsts_goes_wherever_headers_are_set(
    sample_site: BuiltSite, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("nginx-conf", "--root", str(sample_site.dir), "--server-name", "_", "--hsts") == 0
    text = capsys.readouterr().out
    include = f'include "{sample_site.dir.resolve() / NGINX_FILE}";'
    admin = f'include "{sample_site.dir.resolve() / ADMIN_NGINX_FILE}";'
    assert text.count(include) == 5 and text.count(admin) == 2
    assert text.count("Strict-Transport-Security") == text.count(include) + text.count(admin)


def test_output_file_and_reload_hint(
    sample_site: BuiltSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("nginx-conf", "--root", str(sample_site.dir), "--server-name", "x.example.org") == 0
    printed = capsys.readouterr().out
    out = tmp_path / "dangjian.conf"
    argv = ("nginx-conf", "--root", str(sample_site.dir), "--server-name", "x.example.org", "-o", str(out))
    assert run_cli(*argv) == 0
    said = capsys.readouterr().out
    assert out.read_text("utf-8") == printed
    assert str(out) in said
    assert "nginx -t && nginx -s reload" in said
    assert "每次 showcase build 或 showcase deploy 之后" in said


def test_server_name_from_site_url(
    tmp_path: Path, sample_site: BuiltSite, capsys: pytest.CaptureFixture[str]
) -> None:
    config = scratch_project(tmp_path / "project", site_url="https://Dangjian.Example.org/")
    rc = run_cli("-f", str(config), "nginx-conf", "--root", str(sample_site.dir), "--https-port", "8443")
    assert rc == 0
    text = capsys.readouterr().out
    assert "server_name dangjian.example.org;" in text
    assert "return 301 https://$host:8443$request_uri;" in text
    assert "listen 8443 ssl;" in text


def test_without_security_headers_it_asks_for_a_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "site").mkdir()
    assert run_cli("nginx-conf", "--root", str(tmp_path / "site"), "--server-name", "_") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{(tmp_path / 'site').resolve()} 里没有 {NGINX_FILE}：请先运行 showcase build" in captured.err


def test_bad_server_name_is_refused(sample_site: BuiltSite, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("nginx-conf", "--root", str(sample_site.dir), "--server-name", "a.org; evil") == 1
    assert "服务器名" in capsys.readouterr().err
