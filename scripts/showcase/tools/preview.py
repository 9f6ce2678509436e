"""A local web server for the built site that behaves the way production servers do.

`python -m http.server` sends CSS, JavaScript and HTML uncompressed, which makes pages look
three to four times heavier than they are behind nginx or a CDN. This one gzips text types
when the browser asks for it, so `make preview`, the browser tests and the page-weight
benchmark see realistic transfer sizes.

Like a production host it also sends the security headers the build wrote into `_headers`
(the Content-Security-Policy among them, see security_headers.py), so `showcase preview` runs
the site under the published policy, and it answers unknown addresses with the site's own
404.html.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import threading
import urllib.parse
from pathlib import Path

from showcase.site.security_headers import HEADERS_FILE, headers_for, parse_headers_file

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/xml",
    "application/atom+xml",
)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; text responses are gzipped (level 6, nginx's usual) when accepted.

    Every response carries the headers `_headers` gives for its path; a missing file is
    answered with 404.html and status 404. `send_headers=False` leaves the headers out."""

    send_headers = True

    extensions_map = {  # noqa: RUF012 (overrides the base class's plain class attribute)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".webp": "image/webp",
        ".svg": "image/svg+xml",
        ".json": "application/json",
        ".xml": "application/xml",
    }

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects /dir to /dir/
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        return self._send_body(200, ctype, path.read_bytes())

    def _send_body(self, status: int, ctype: str, data: bytes) -> _Body:
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        body = gzip.compress(data, compresslevel=6, mtime=0) if wants_gzip else data
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if wants_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or self.command not in ("GET", "HEAD") or not page.is_file():
            return super().send_error(code, message, explain)
        self.log_error("code %d, message %s", code, message)
        body = self._send_body(404, "text/html; charset=utf-8", page.read_bytes())
        if self.command == "GET":
            self.wfile.write(body.read())

    def end_headers(self) -> None:
        if self.send_headers:
            for name, value in self._site_headers():
                self.send_header(name, value)
        super().end_headers()

    def _site_headers(self) -> list[tuple[str, str]]:
        # Read at every response: a `showcase build` may replace the site while this serves it.
        try:
            text = (Path(self.directory) / HEADERS_FILE).read_text("utf-8")
        except OSError:
            return []
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        return headers_for(path, parse_headers_file(text))

    def log_message(self, format: str, *args: object) -> None:
        if os.environ.get("SHOWCASE_PREVIEW_LOG"):
            super().log_message(format, *args)


class _Body:
    """A file-like holder for the compressed bytes (copyfile reads it, then it is closed)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, n: int = -1) -> bytes:
        data, self.data = (self.data, b"") if n < 0 else (self.data[:n], self.data[n:])
        return data

    def close(self) -> None:
        self.data = b""


def server(
    site_dir: Path, host: str = "127.0.0.1", port: int = 0, *, send_headers: bool = True
) -> http.server.ThreadingHTTPServer:
    handler_class = GzipHandler if send_headers else _NoHeadersHandler
    handler = functools.partial(handler_class, directory=str(site_dir))
    return http.server.ThreadingHTTPServer((host, port), handler)


class _NoHeadersHandler(GzipHandler):
    send_headers = False


def serve_in_background(
    site_dir: Path, *, send_headers: bool = False
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server on a free loopback port; returns it and its base URL.

    For tests, so without the security headers unless asked: Playwright evaluates string
    predicates (`wait_for_function("…")`) with eval, which the site's policy forbids. The
    tests of the policy itself (tests/site/test_trust.py) ask for the headers."""
    srv = server(site_dir, send_headers=send_headers)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/"
