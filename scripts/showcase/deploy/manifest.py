"""A release: every object a built site/ becomes on a deploy target, with its digest and headers.

The manifest (path → sha256, md5, size, headers) is what makes a deploy incremental: it is
compared with what the target already holds, and only objects whose bytes or headers differ
are written. One manifest per release is kept in the target (`.showcase/releases/<id>.json`),
which is what rollback restores from.

How text is compressed depends on the target (`Encoding`):
- PLAIN: bytes as built (object storage by default: a bucket cannot choose by Accept-Encoding);
- GZIP: text objects stored gzip-compressed with `Content-Encoding: gzip` (object storage
  behind a CDN or for browsers only; every browser accepts gzip);
- SIDECAR: bytes as built plus `<file>.gz` beside each text file, which nginx's `gzip_static`
  sends to clients that accept it (folder targets).
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from enum import Enum
from pathlib import Path
from typing import Any

from showcase.deploy import headers

FORMAT = 1
_MIN_COMPRESS = 256  # bytes; smaller text gains nothing from gzip


class Encoding(Enum):
    PLAIN = "plain"
    GZIP = "gzip"
    SIDECAR = "sidecar"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One object as stored: digests of the stored bytes (compressed ones if `encoding`)."""

    path: str
    sha256: str
    md5: str
    size: int
    content_type: str
    cache_control: str
    encoding: str = ""  # Content-Encoding of the stored bytes ("" or "gzip")
    source: str = ""  # the file under site/ it is made from, if not `path` (a .gz sidecar)

    @property
    def header_values(self) -> tuple[str, str, str]:
        return (self.content_type, self.cache_control, self.encoding)

    @property
    def phase(self) -> headers.Phase:
        return headers.phase(self.source or self.path)

    def to_json(self) -> dict[str, Any]:
        d = {
            "sha256": self.sha256,
            "md5": self.md5,
            "size": self.size,
            "type": self.content_type,
            "cache": self.cache_control,
        }
        if self.encoding:
            d["encoding"] = self.encoding
        if self.source:
            d["source"] = self.source
        return d

    @classmethod
    def from_json(cls, path: str, d: dict[str, Any]) -> Entry:
        return cls(
            path=path,
            sha256=str(d["sha256"]),
            md5=str(d["md5"]),
            size=int(d["size"]),
            content_type=str(d["type"]),
            cache_control=str(d["cache"]),
            encoding=str(d.get("encoding", "")),
            source=str(d.get("source", "")),
        )


@dataclasses.dataclass
class Manifest:
    release: str
    created: str  # ISO 8601, UTC
    commit: str
    entries: dict[str, Entry]

    @property
    def total_bytes(self) -> int:
        return sum(e.size for e in self.entries.values())

    def same_files(self, other: Manifest) -> bool:
        return self.entries == other.entries

    def to_bytes(self) -> bytes:
        doc = {
            "format": FORMAT,
            "release": self.release,
            "created": self.created,
            "commit": self.commit,
            "files": {p: self.entries[p].to_json() for p in sorted(self.entries)},
        }
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        doc = json.loads(data)
        if doc.get("format") != FORMAT:
            raise ValueError(f"不认识的清单格式 {doc.get('format')!r}")
        files = doc["files"]
        return cls(
            release=str(doc["release"]),
            created=str(doc["created"]),
            commit=str(doc.get("commit", "")),
            entries={p: Entry.from_json(p, files[p]) for p in files},
        )


def published_files(site: Path) -> Iterator[str]:
    """Paths (with /) of the files under `site` that a deploy publishes, sorted."""
    found: list[str] = []
    for folder, dirs, files in os.walk(site):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, site)
        for name in files:
            path = name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")
            if name.startswith(".") or path in headers.NOT_PUBLISHED:
                continue
            found.append(path)
    return iter(sorted(found))


def stored_bytes(site: Path, entry: Entry) -> bytes:
    """The bytes `entry` stands for, made again from the site folder (compressed if it is)."""
    data = (site / (entry.source or entry.path)).read_bytes()
    return _gzip(data) if entry.encoding == "gzip" or entry.source else data


def _gzip(data: bytes) -> bytes:
    # mtime=0 and a fixed level: the same file always compresses to the same bytes, so an
    # unchanged page has an unchanged digest and is not uploaded again.
    return gzip.compress(data, compresslevel=9, mtime=0)


def _entries_for(site: Path, path: str, encoding: Encoding) -> list[Entry]:
    data = (site / path).read_bytes()
    ctype, cache = headers.content_type(path), headers.cache_control(path)
    squeeze = headers.compressible(path) and len(data) >= _MIN_COMPRESS
    if encoding is Encoding.GZIP and squeeze:
        z = _gzip(data)
        return [_entry(path, z, ctype, cache, encoding="gzip")]
    out = [_entry(path, data, ctype, cache)]
    if encoding is Encoding.SIDECAR and squeeze:
        out.append(_entry(path + ".gz", _gzip(data), ctype, cache, source=path))
    return out


def _entry(path: str, data: bytes, ctype: str, cache: str, *, encoding: str = "", source: str = "") -> Entry:
    return Entry(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        size=len(data),
        content_type=ctype,
        cache_control=cache,
        encoding=encoding,
        source=source,
    )


def scan(
    site: Path,
    *,
    release: str,
    created: str,
    commit: str,
    encoding: Encoding,
    progress: Callable[[int, int], None] | None = None,
) -> Manifest:
    """The manifest of the built site in `site` (hashing on all cores: hashlib and zlib
    release the GIL on large buffers)."""
    paths = list(published_files(site))
    entries: dict[str, Entry] = {}
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) * 2)) as pool:
        for i, made in enumerate(pool.map(lambda p: _entries_for(site, p, encoding), paths), 1):
            for e in made:
                entries[e.path] = e
            if progress:
                progress(i, len(paths))
    return Manifest(release=release, created=created, commit=commit, entries=entries)
