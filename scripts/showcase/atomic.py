"""Writing a file so that readers see the old version or the new one, never half of either.

Also what keeps incremental builds honest: the build folder holds hard links into the
published site/, and replacing a file (rather than writing through it) leaves site/ alone.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from showcase.safe_paths import inside


def _umask() -> int:
    umask = os.umask(0)  # reading the umask means setting it; done once, at import
    os.umask(umask)
    return umask


# mkstemp and mkdtemp make files and folders for their owner only; published ones must be
# readable by the web server (often another user), like anything else the build writes.
FILE_MODE = 0o666 & ~_umask()
DIR_MODE = 0o777 & ~_umask()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_files(site_dir: Path, files: dict[str, bytes]) -> set[Path]:
    """Write generated files (search index, edition PDFs) into the built site. Files are
    replaced, never written through: in an incremental build they may be hard links into the
    published site/."""
    written: set[Path] = set()
    for rel, data in files.items():
        target = inside(site_dir, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            written.add(target)
            continue
        atomic_write(target, data)
        written.add(target)
    return written
