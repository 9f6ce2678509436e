"""The photo caches around `images.py`: what each source file is, and its renditions by content.

Two caches under `.cache/showcase/photos/`, both loaded tolerantly (a damaged entry is just
recomputed):

- `index.json` maps a source file's path and stat stamp to its SHA-256, and a SHA-256 to what
  inspection found (format and upright size, or the error). A warm `showcase check` or build
  therefore reads no photo bytes at all; after a fresh checkout (new files) it hashes each
  file once but decodes nothing. `fresh=True` (`showcase build --full`) ignores the index.
  Its version includes the size and pixel limits: a photo refused under other limits is
  judged again.
- Renditions live in `<key[:2]>/<key>-…` where key = hash(source SHA-256, pipeline version,
  plan): a warm rebuild reprocesses nothing, and identical photos in two branches are made once.

Why the stamp can be trusted. It is (size, mtime_ns, ctime_ns, inode), not (size, mtime):
`cp -p`, `tar x`, `rsync -a` and `exiftool -P` all restore the old mtime on new bytes, but
none can set ctime, which the kernel sets to its own clock on every write, rename into place,
chmod or utime; a file replaced by rename (rsync, exiftool, tar) also has a new inode. Only
a change within the same tick of the file system's clock as the change we saw keeps ctime,
the "racy" case git's index also knows: so a stamp is saved only when the file's ctime is
at least `SETTLE_NS` older than the moment we read it (longer than any clock granularity or
NFS clock skew); a fresher file is hashed again next run. What remains is a clock set back or
a file system that does not keep ctime (some FUSE mounts): `--full` then re-reads every file.
Before a worker stores renditions it checks that the bytes it read still have the SHA-256
they are stored under, so an edit during a build cannot file one photo under another's hash.

Temporary files of a killed run (`.tmp-*`, from atomic_write) are removed when the store
opens: see `PhotoStore`. Cold renditions are spread over all cores by the process pool in
`workers.py`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from showcase.atomic import atomic_write
from showcase.media import images
from showcase.media.images import ImageError, SourceInfo
from showcase.media.workers import PROGRESS_EVERY, Progress, parallel_map


@dataclasses.dataclass(frozen=True)
class Variant:
    width: int
    height: int
    stem: str  # cache path of the entry without width and extension (strings: a warm build makes 24,000)

    def file(self, ext: str) -> str:
        return f"{self.stem}-{self.width}.{ext}"

    @property
    def webp(self) -> Path:
        return Path(self.file("webp"))

    @property
    def jpg(self) -> Path:
        return Path(self.file("jpg"))


@dataclasses.dataclass(frozen=True)
class Rendition:
    """A photo ready to publish: responsive variants (smallest first) and a tiny placeholder."""

    variants: tuple[Variant, ...]
    placeholder: str

    @property
    def largest(self) -> Variant:
        return self.variants[-1]


@dataclasses.dataclass(frozen=True)
class LogoFile:
    path: Path
    width: int
    height: int
    ext: str


# --- the index of sources -------------------------------------------------------------------


# A stamp is saved only if the file's last change (ctime) is at least this much older than
# our read of it: a later change then gets a later ctime even on a file system with 1-second
# timestamps or a file server whose clock is a little off (see the module docstring).
SETTLE_NS = 2_000_000_000


def _stamp(st: os.stat_result) -> list[int]:
    """What identifies one version of a file without reading it (see the module docstring)."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class SourceIndex:
    """Inspection results for source files, remembered across runs when given a folder.
    `fresh`: ignore what earlier runs remembered (every file is read and inspected again)."""

    def __init__(
        self, cache_dir: Path | None, progress: Progress | None = None, *, fresh: bool = False
    ) -> None:
        self.path = cache_dir / "photos" / "index.json" if cache_dir else None
        self.progress = progress
        self.read = 0  # files read (new or changed) in this run
        self.seconds = 0.0  # spent in inspections, including the path checks around them (files.py)
        self._last_report = time.monotonic()
        self.files: dict[str, list[object]] = {}  # path → [*stamp, sha256]
        self.sources: dict[str, list[object]] = {}  # sha256 → what inspection found
        self._unsettled: set[str] = set()  # paths read too soon after a change to save their stamp
        self._dirty = fresh  # a fresh index replaces the old one even if nothing is read
        if self.path is not None and not fresh:
            try:
                data = json.loads(self.path.read_text("utf-8"))
                if data.get("version") == images.INSPECTION_VERSION:
                    self.files = dict(data["files"])
                    self.sources = dict(data["sources"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass  # missing or damaged: start afresh

    def inspect(self, path: Path, st: os.stat_result | None = None) -> SourceInfo:
        """Inspect one file (raises ImageError), reading it only if it changed since last time.
        `st`: the file's stat, if the caller has it already."""
        st = st or path.stat()
        key = str(path)
        entry = self.files.get(key)
        sha = str(entry[-1]) if isinstance(entry, list) and entry[:-1] == _stamp(st) else None
        known = self.sources.get(sha) if sha else None
        if sha is None or known is None:
            sha, known = self._read(path, key, st)
        if known[0] == "error":
            raise ImageError(str(known[1]), str(known[2]))
        fmt, width, height, size = (str(v) for v in known[1:5])
        return SourceInfo(sha, fmt, int(width), int(height), int(size))

    def _read(self, path: Path, key: str, st: os.stat_result) -> tuple[str, list[object]]:
        """Hash the file and inspect its content unless that content is known; remember both."""
        if st.st_size > images.MAX_BYTES:  # refuse before reading 2 GB into memory
            raise images.too_large(st.st_size)
        reading = time.time_ns()
        raw = path.read_bytes()
        sha = hashlib.sha256(raw).hexdigest()
        known = self.sources.get(sha)
        if known is None:
            try:
                info = images.inspect(raw)
                known = ["ok", info.format, info.width, info.height, info.size]
            except ImageError as e:
                known = ["error", e.code, e.message]
            self.sources[sha] = known
        self.files[key] = [*_stamp(st), sha]
        if st.st_ctime_ns > reading - SETTLE_NS:
            self._unsettled.add(key)  # trusted for this run only; read again next time
        else:
            self._unsettled.discard(key)
        self._dirty = True
        self.read += 1
        now = time.monotonic()
        if self.progress is not None and now - self._last_report >= PROGRESS_EVERY:
            self._last_report = now
            self.progress(f"检查照片：已读取 {self.read} 张新的或改动过的照片……")
        return sha, known

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        files = {k: v for k, v in self.files.items() if k not in self._unsettled}
        data = {"version": images.INSPECTION_VERSION, "files": files, "sources": self.sources}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        self._dirty = False


# --- renditions -------------------------------------------------------------------------------


def _key(sha: str, plan: object) -> str:
    return hashlib.sha256(json.dumps([images.PIPELINE_VERSION, sha, plan]).encode()).hexdigest()[:32]


PHOTO_PLAN = {
    "widths": images.PHOTO_WIDTHS,
    "webp": images.WEBP_QUALITY,
    "jpg": images.JPEG_QUALITY,
}
# _key(sha, PHOTO_PLAN) without a json.dumps of the plan for every photo: the same text around
# the hash, so the same keys.
_PHOTO_KEY_AROUND = json.dumps([images.PIPELINE_VERSION, "SHA", PHOTO_PLAN]).split('"SHA"')


def _photo_key(sha: str) -> str:
    return hashlib.sha256(f'{_PHOTO_KEY_AROUND[0]}"{sha}"{_PHOTO_KEY_AROUND[1]}'.encode()).hexdigest()[:32]


class PhotoStore:
    """Renditions of photos and logos, cached by content under `cache_dir/photos/`.

    Its users (the build, `showcase print`) hold the project lock (pipeline/lock.py), so no
    one else is writing renditions: it starts by removing the temporary files a killed run
    left in the rendition folders. Beside index.json, which `showcase check` writes without
    the lock, only those older than `STALE_TMP_SECONDS` go (no live write takes that long)."""

    def __init__(self, cache_dir: Path, *, workers: int | None = None) -> None:
        self.dir = cache_dir / "photos"
        self._dir = str(self.dir)
        self.workers = workers or os.cpu_count() or 1
        remove_leftovers(self.dir)
        # All entries' metadata in one file, so a warm build reads one file instead of one per
        # photo. Each entry's own .json (written last by the worker) stays the source of truth.
        self._manifest_path = self.dir / "renditions.json"
        self._manifest: dict[str, object] = {}
        self._manifest_dirty = False
        try:
            data = json.loads(self._manifest_path.read_text("utf-8"))
            if isinstance(data, dict):
                self._manifest = data
        except (OSError, ValueError):
            pass

    def _stem(self, key: str) -> str:
        return os.path.join(self._dir, key[:2], key)

    def cached_photo(self, sha: str) -> Rendition | None:
        key = _photo_key(sha)
        stem = self._stem(key)
        try:
            meta = self._manifest.get(key)
            if not isinstance(meta, dict):
                meta = json.loads(Path(f"{stem}.json").read_text("utf-8"))
                self._manifest[key] = meta
                self._manifest_dirty = True
            variants = tuple(Variant(int(w), int(h), stem) for w, h in meta["sizes"])
            # One file stands for the entry: the files are written before the entry's .json.
            if variants and os.path.isfile(variants[-1].file("jpg")):
                return Rendition(variants, str(meta["placeholder"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged entry: make it again
        self._manifest.pop(key, None)
        return None

    def save(self) -> None:
        """Write the manifest if this run added to it."""
        if self._manifest_dirty:
            self.dir.mkdir(parents=True, exist_ok=True)
            atomic_write(self._manifest_path, json.dumps(self._manifest, sort_keys=True).encode())
            self._manifest_dirty = False

    def photos(
        self,
        sources: Iterable[tuple[str | Path, str]],
        *,
        progress: Progress | None = None,
    ) -> dict[str, Rendition | ImageError]:
        """Renditions for (path, sha256) pairs, keyed by sha256. Cached ones are looked up;
        the rest are made in parallel. A failure is returned as its ImageError."""
        results: dict[str, Rendition | ImageError] = {}
        todo: dict[str, str | Path] = {}
        for path, sha in sources:
            if sha in results or sha in todo:
                continue
            hit = self.cached_photo(sha)
            if hit is not None:
                results[sha] = hit
            else:
                todo[sha] = path
        if not todo:
            self.save()
            return results
        jobs = [(sha, str(path), self._stem(_photo_key(sha))) for sha, path in sorted(todo.items())]
        for job, result in parallel_map(
            _make_photo, jobs, workers=self.workers, progress=progress, what="照片处理"
        ):
            done = results[job[0]] = _finish(job, result)
            if isinstance(done, Rendition):
                self._manifest[Path(job[2]).name] = result
                self._manifest_dirty = True
        self.save()
        return results

    def logo(self, path: Path, sha: str, max_width: int = 480) -> LogoFile:
        """The logo's rendition (raises ImageError), made from `path` unless cached under `sha`."""
        stem = self._stem(_key(sha, {"logo": max_width}))
        try:
            meta = json.loads(Path(f"{stem}.json").read_text("utf-8"))
            file = Path(f"{stem}.{meta['ext']}")
            if file.is_file():
                return LogoFile(file, int(meta["width"]), int(meta["height"]), str(meta["ext"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha:  # changed since inspected: never cache it as `sha`
            raise ImageError(*_CHANGED)
        enc = images.logo_rendition(raw, max_width)
        Path(stem).parent.mkdir(parents=True, exist_ok=True)
        file = Path(f"{stem}.{enc.ext}")
        atomic_write(file, enc.data)
        atomic_write(
            Path(f"{stem}.json"),
            json.dumps({"width": enc.width, "height": enc.height, "ext": enc.ext}).encode(),
        )
        return LogoFile(file, enc.width, enc.height, enc.ext)


def _make_photo(job: tuple[str, str, str]) -> dict[str, object]:
    """Worker: make and store one photo's renditions. Returns what the parent needs to know."""
    sha, path, stem = job
    try:
        raw = Path(path).read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha:  # changed since inspected: never cache it as `sha`
            return {"error": list(_CHANGED)}
        encoded, placeholder = images.photo_renditions(raw)
    except ImageError as e:
        return {"error": [e.code, e.message]}
    except OSError as e:
        return {"error": ["PHOTO_BROKEN", f"无法读取文件：{e.strerror or e}"]}
    Path(stem).parent.mkdir(parents=True, exist_ok=True)
    sizes = []
    for enc in encoded:
        atomic_write(Path(f"{stem}-{enc.width}.{enc.ext}"), enc.data)
        if enc.ext == "jpg":
            sizes.append([enc.width, enc.height])
    sizes.sort()
    # The meta file is written last: its presence says the entry is complete.
    atomic_write(Path(f"{stem}.json"), json.dumps({"sizes": sizes, "placeholder": placeholder}).encode())
    return {"sizes": sizes, "placeholder": placeholder}


def _finish(job: tuple[str, str, str], result: dict[str, object]) -> Rendition | ImageError:
    error = result.get("error")
    if isinstance(error, list):
        return ImageError(str(error[0]), str(error[1]))
    stem = job[2]
    variants = tuple(Variant(int(w), int(h), stem) for w, h in result["sizes"])  # type: ignore[attr-defined]
    return Rendition(variants, str(result["placeholder"]))


_CHANGED = ("PHOTO_CHANGED", "照片在构建过程中被改动了：请等改动完成后重新构建。")


# --- leftovers of killed runs ---------------------------------------------------------------

STALE_TMP_SECONDS = 600  # older than any live atomic_write of the index (a few milliseconds)
_TMP_PREFIX = ".tmp-"  # atomic_write's temporary files


def remove_leftovers(folder: Path) -> int:
    """Remove the temporary files a killed run left under `folder` (the photo cache): every one
    in the rendition folders, only stale ones at the top (see PhotoStore). Returns how many.
    One scandir per folder: about 15 ms for 1,000 photos (7,000 files), on every build."""
    stale_before = time.time() - STALE_TMP_SECONDS
    top = _entries(str(folder))
    removed = _remove_tmp(top, stale_before)
    for entry in top:
        if entry.is_dir(follow_symlinks=False):
            removed += _remove_tmp(_entries(entry.path), None)
    return removed


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(folder))
    except OSError:
        return []  # no cache yet


def _remove_tmp(entries: list[os.DirEntry[str]], older_than: float | None) -> int:
    removed = 0
    for entry in entries:
        if not entry.name.startswith(_TMP_PREFIX):
            continue
        try:
            if older_than is None or entry.stat(follow_symlinks=False).st_mtime < older_than:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:
            pass  # gone meanwhile
    return removed
