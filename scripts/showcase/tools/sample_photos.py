"""`showcase sample-photos`: an illustrative JPEG (示意图) for every listed photo whose file is missing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from showcase.content import yamlstrict
from showcase.content.updates import read_front_matter
from showcase.tools.illustrate import illustration


def draw_missing(branches: Path, *, force: bool, say: Callable[[str], None]) -> int:
    """Draw the photos that profiles and updates under `branches` list but lack (all of
    them with `force`). Returns how many were drawn."""
    # Profiles and updates (简讯) list photos the same way, relative to the branch folder.
    listed = [
        (p.parent, yamlstrict.load(str(p), p.read_bytes())) for p in sorted(branches.glob("*/profile.yml"))
    ]
    listed += [
        (p.parent.parent, read_front_matter(str(p), p.read_bytes()))
        for p in sorted(branches.glob("*/updates/*.md"))
    ]
    drawn: set[Path] = set()  # a file a profile and an update both name is drawn once
    for folder, doc in listed:
        for photo in (doc.data or {}).get("photos") or []:
            target = folder / photo["file"]
            if (target.exists() and not force) or target in drawn:
                continue
            drawn.add(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            img = illustration(photo["caption"], seed=folder.name, size=(1200, 900))
            img.save(target, "JPEG", quality=80, optimize=True, progressive=True)
            say(f"已生成示意图 {target.relative_to(branches.parent)}")
    return len(drawn)
