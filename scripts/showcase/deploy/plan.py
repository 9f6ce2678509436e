"""Deciding what a release needs written: the target's holdings against the new manifest.

An object is written only if the target lacks its bytes (md5 from the listing, or sha256) or
its headers differ from those of the manifest that wrote those bytes (a header-only change is
a copy inside the target, not an upload).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from showcase.deploy import headers
from showcase.deploy.manifest import Entry, Manifest
from showcase.deploy.targets import DeployError, Stored, Target

Say = Callable[[str], None]


@dataclasses.dataclass
class Step:
    """One object to write: from local bytes (`site`), or copied inside the target (`copy_from`)."""

    entry: Entry
    copy_from: str | None = None  # a key in the target with these bytes (a blob, or itself)


class Holdings:
    """What the target holds now, and which digests those bytes have, by the manifests."""

    def __init__(self, target: Target, inventory: dict[str, Stored], manifests: Iterable[Manifest]) -> None:
        self.target = target
        self.inventory = inventory
        self.known: dict[str, dict[str, Entry]] = {}  # path → md5 → entry seen in a manifest
        for m in manifests:
            for e in m.entries.values():
                self.known.setdefault(e.path, {})[e.md5] = e

    def sha_at(self, path: str) -> str | None:
        """The sha256 of the bytes now at `path`, or None if there is nothing there."""
        stored = self.inventory.get(path)
        if stored is None:
            return None
        if stored.md5 is not None:
            seen = self.known.get(path, {}).get(stored.md5)
            return seen.sha256 if seen else f"md5:{stored.md5}"
        return self.target.sha256(path)

    def has(self, entry: Entry) -> bool:
        stored = self.inventory.get(entry.path)
        if stored is None or stored.size != entry.size:
            return False
        if stored.md5 is not None:
            return stored.md5 == entry.md5
        return self.target.sha256(entry.path) == entry.sha256

    def headers_ok(self, entry: Entry) -> bool:
        """Whether the object's headers are `entry`'s, by the manifest that wrote these bytes."""
        if not self.target.stores_headers:
            return True
        seen = self.known.get(entry.path, {}).get(entry.md5)
        return seen is not None and seen.header_values == entry.header_values


def plan(
    new: Manifest, held: Holdings, source_of: Callable[[Entry], str | None] | None
) -> tuple[list[Step], int]:
    """The objects to write, in order (assets, pages, indexes), and how many are unchanged.
    `source_of` (the key in the target holding an entry's bytes) is given for a rollback: no
    local bytes then."""
    steps: list[Step] = []
    unchanged = 0
    for path in sorted(new.entries, key=lambda p: (new.entries[p].phase, p)):
        entry = new.entries[path]
        if held.has(entry):
            if held.headers_ok(entry):
                unchanged += 1
            else:
                steps.append(Step(entry, copy_from=path))  # same bytes, new headers
            continue
        if source_of is None:
            steps.append(Step(entry))
        elif (source := source_of(entry)) is not None:
            steps.append(Step(entry, copy_from=source))
        else:
            raise DeployError(
                f"发布 {new.release} 的文件 {path} 已不在目标里（已超出保留的发布），无法回滚到这个发布。"
            )
    return steps, unchanged


def describe_plan(steps: list[Step], unchanged: int, say: Say) -> None:
    say(f"试运行：将写入 {len(steps)} 个文件，{unchanged} 个未变；不会改动目标。")
    for phase in headers.Phase:
        batch = [s.entry.path for s in steps if s.entry.phase is phase]
        if batch:
            label = {"ASSET": "资源", "PAGE": "页面", "INDEX": "索引"}[phase.name]
            say(f"  {label} {len(batch)} 个：" + "、".join(batch[:10]) + ("……" if len(batch) > 10 else ""))
