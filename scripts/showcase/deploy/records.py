"""What a deploy target remembers under `.showcase/`: which release is live, the kept ones
(state.json), one manifest per release, and the blobs kept for rollback."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from showcase.deploy.manifest import Manifest
from showcase.deploy.targets import BLOBS, META, DeployError, Target

STATE = META + "state.json"
RELEASES = META + "releases/"


@dataclasses.dataclass
class ReleaseInfo:
    release: str
    created: str
    commit: str
    files: int
    bytes: int
    uploaded: int

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class State:
    live: str | None = None
    pending: str | None = None
    releases: list[ReleaseInfo] = dataclasses.field(default_factory=list)  # oldest first

    def to_bytes(self) -> bytes:
        doc = {
            "format": 1,
            "live": self.live,
            "pending": self.pending,
            "releases": [r.to_json() for r in self.releases],
        }
        return json.dumps(doc, ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> State:
        doc = json.loads(data)
        return cls(
            live=doc.get("live"),
            pending=doc.get("pending"),
            releases=[ReleaseInfo(**r) for r in doc.get("releases", [])],
        )

    def info(self, release: str) -> ReleaseInfo | None:
        return next((r for r in self.releases if r.release == release), None)

    def retained(self, keep: int) -> list[str]:
        """The releases whose objects stay: the live one and the `keep` newest before it by creation."""
        names = [r.release for r in self.releases]
        kept = names[-(keep + 1) :] if keep >= 0 else names
        if self.live and self.live not in kept:
            kept.append(self.live)
        return kept


def read_state(target: Target) -> State | None:
    data = target.read(STATE)
    try:
        return None if data is None else State.from_bytes(data)
    except (ValueError, KeyError, TypeError) as e:
        raise DeployError(f"{target.describe()} 里的发布记录 {STATE} 已损坏（{e}），请检查后再试。") from None


def read_manifest(target: Target, release: str) -> Manifest | None:
    data = target.read(f"{RELEASES}{release}.json")
    try:
        return None if data is None else Manifest.from_bytes(data)
    except (ValueError, KeyError, TypeError) as e:
        raise DeployError(f"发布 {release} 的清单已损坏（{e}）。") from None


def list_releases(target: Target) -> tuple[State, list[ReleaseInfo]]:
    state = read_state(target)
    if state is None:
        raise DeployError(f"{target.describe()} 还没有用 showcase deploy 发布过。")
    return state, list(reversed(state.releases))


def blob_shas(target: Target) -> set[str]:
    return {key[len(BLOBS) :] for key in target.inventory(BLOBS)}


def kept_manifests(target: Target, state: State, keep: int) -> list[Manifest]:
    found = [read_manifest(target, r) for r in state.retained(keep)]
    return [m for m in found if m is not None]
