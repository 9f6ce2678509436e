"""`showcase deploy`: publish a built site/ as a release, incrementally, in a safe order, with rollback.

A deploy, step by step (each step safe to kill; the next deploy finishes the job):

1. read the target's state (which release is live, the kept ones) and list its objects;
2. scan site/ into a manifest and plan: an object is written only if the target lacks its
   bytes (md5 from the listing, or sha256) or its headers differ (a header-only change is a
   copy inside the target, not an upload);
3. record the new release as pending (its manifest first, so a killed deploy is understood);
4. keep the current bytes of every file about to be overwritten that a kept release still
   uses (a copy into `.showcase/blobs/<sha256>`, inside the target), which is what makes
   rollback possible without rebuilding;
5. write assets (photos, styles, scripts, data) first, then pages, then the files that list
   pages (feed, sitemap, search manifest): a reader only ever reaches files already there;
6. mark the release live;
7. clean up: pages the live release no longer has are removed (kept as blobs while a kept
   release has them); assets stay while any of the last `keep` releases uses them, so a page
   a reader already holds keeps its images; older blobs and manifests go.

Rollback is the same walk with a kept release's manifest and the target's own bytes as the
source: nothing is rebuilt or uploaded, objects are copied inside the target.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from showcase.deploy import headers
from showcase.deploy.manifest import Encoding, Entry, Manifest, scan, stored_bytes
from showcase.deploy.plan import Holdings, Say, Step, describe_plan, plan
from showcase.deploy.records import (
    RELEASES,
    STATE,
    ReleaseInfo,
    State,
    blob_shas,
    kept_manifests,
    list_releases,
    read_manifest,
    read_state,
)
from showcase.deploy.targets import BLOBS, DeployError, Target
from showcase.pipeline.output import kill_point

DEFAULT_KEEP = 3
__all__ = ["DEFAULT_KEEP", "Summary", "deploy", "list_releases", "rollback"]

Progress = Callable[[str, int, int, int], None]  # (what, done, total, bytes done)


@dataclasses.dataclass
class Summary:
    release: str
    uploaded: int = 0  # objects written (uploads, header updates, restores)
    unchanged: int = 0
    deleted: int = 0  # site files removed from the target
    kept: int = 0  # files the live release does not use, kept for the earlier releases
    bytes_uploaded: int = 0
    dry_run: bool = False
    notes: list[str] = dataclasses.field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "uploaded": self.uploaded,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "kept": self.kept,
            "bytes_uploaded": self.bytes_uploaded,
            "dry_run": self.dry_run,
        }


# ---------------------------------------------------------------------------------------------
# Writing


def _run_parallel(
    items: list[Any], work: Callable[[Any], int], workers: int, what: str, progress: Progress | None
) -> int:
    """`work` on every item on `workers` threads; the first failure stops the rest and is
    raised. Returns the sum of what `work` returned (bytes moved)."""
    if not items:
        return 0
    done = 0
    moved = 0
    lock = threading.Lock()

    def one(item: Any) -> None:
        nonlocal done, moved
        size = work(item)
        with lock:
            done += 1
            moved += size
            if progress:
                progress(what, done, len(items), moved)
        kill_point(f"deploy-{what}-{done}")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one, item) for item in items]
        finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for f in finished:
            error = f.exception()
            if error is not None:
                for other in futures:
                    other.cancel()
                raise error
    return moved


def _write_steps(
    target: Target, site: Path | None, steps: list[Step], workers: int, progress: Progress | None
) -> int:
    """Write the steps phase by phase (each phase complete before the next); returns bytes uploaded."""
    uploaded = 0

    def write(step: Step) -> int:
        if step.copy_from is not None:
            target.copy(step.copy_from, step.entry.path, step.entry)
            return 0
        assert site is not None
        data = stored_bytes(site, step.entry)
        if len(data) != step.entry.size:
            raise DeployError(f"{step.entry.path} 在发布过程中被改动了（可能有构建同时在运行），请重新发布。")
        target.write(step.entry.path, data, step.entry)
        return len(data)

    for phase in headers.Phase:
        batch = [s for s in steps if s.entry.phase is phase]
        uploaded += _run_parallel(batch, write, workers, phase.name.lower(), progress)
    return uploaded


def _preserve(
    target: Target, held: Holdings, paths: Iterable[str], wanted: set[str], blobs: set[str], workers: int
) -> None:
    """Copy the bytes now at `paths` into blobs/ if a kept release uses them (`wanted` sha256s)."""
    todo: dict[str, str] = {}  # sha256 → a path holding those bytes
    for path in paths:
        sha = held.sha_at(path)
        if sha is not None and sha in wanted and sha not in blobs:
            todo.setdefault(sha, path)

    def keep(item: tuple[str, str]) -> int:
        target.copy(item[1], BLOBS + item[0])
        return 0

    _run_parallel(sorted(todo.items()), keep, workers, "keep", None)
    blobs.update(todo)


# ---------------------------------------------------------------------------------------------
# The commands


def deploy(
    site: Path,
    target: Target,
    *,
    release: str | None = None,
    commit: str = "",
    encoding: Encoding = Encoding.PLAIN,
    keep: int = DEFAULT_KEEP,
    workers: int = 8,
    dry_run: bool = False,
    adopt: bool = False,
    say: Say = lambda m: None,
    progress: Progress | None = None,
) -> Summary:
    if not (site / "index.html").is_file():
        raise DeployError(f"{site}/ 里没有生成好的站点（缺少 index.html），请先运行 showcase build。")
    found = read_state(target)
    state = found or State()
    inventory = target.inventory()
    if found is None and inventory and not adopt:
        raise DeployError(
            f"{target.describe()} 里已有 {len(inventory)} 个文件，但没有 showcase deploy 的发布记录。"
            "发布会让站点以外的文件被删除；确认这里只放本站，请加 --adopt 再运行。"
        )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    name = release or now.strftime("%Y%m%d-%H%M%S") + (f"-{commit[:7]}" if commit else "")
    say(f"正在计算 {site}/ 中各文件的摘要……")
    new = scan(
        site,
        release=name,
        created=now.isoformat().replace("+00:00", "Z"),
        commit=commit,
        encoding=encoding,
        progress=(lambda i, n: progress("scan", i, n, 0)) if progress else None,
    )
    live = read_manifest(target, state.live) if state.live else None
    pending = read_manifest(target, state.pending) if state.pending else None
    if live is not None and live.same_files(new) and release in (None, live.release):
        new = live  # nothing changed: the live release stays, only unfinished cleanup is done
    elif state.info(name) is not None:
        # The same name again (a re-run CI job for one commit): fine if it is the same site.
        earlier = read_manifest(target, name)
        if earlier is None or not earlier.same_files(new):
            raise DeployError(f"发布名 {name} 已经用过，内容却不同：请换一个名字（--release）。")
        new = earlier
    is_new = state.info(new.release) is None
    kept = kept_manifests(target, state, keep)
    held = Holdings(target, inventory, [m for m in (*kept, live, pending) if m is not None])
    steps, unchanged = plan(new, held, None)
    summary = Summary(release=new.release, unchanged=unchanged, dry_run=dry_run)
    if dry_run:
        describe_plan(steps, unchanged, say)
        return summary
    if is_new:
        target.write(f"{RELEASES}{new.release}.json", new.to_bytes())
        state.pending = new.release
        target.write(STATE, state.to_bytes())
    wanted = {e.sha256 for m in kept for e in m.entries.values()}
    blobs = blob_shas(target)
    _preserve(
        target, held, [s.entry.path for s in steps if s.entry.path in inventory], wanted, blobs, workers
    )
    say(f"需要写入 {len(steps)} 个文件，{unchanged} 个未变。")
    summary.bytes_uploaded = _write_steps(target, site, steps, workers, progress)
    summary.uploaded = len(steps)
    if is_new:
        state.releases.append(
            ReleaseInfo(new.release, new.created, commit, len(new.entries), new.total_bytes, len(steps))
        )
    state.live, state.pending = new.release, None
    target.write(STATE, state.to_bytes())
    kill_point("deploy-live")
    summary.notes += target.after_live(site)
    _clean(target, state, keep, new, summary, workers)
    return summary


def rollback(
    target: Target,
    to: str | None,
    *,
    keep: int = DEFAULT_KEEP,
    workers: int = 8,
    dry_run: bool = False,
    say: Say = lambda m: None,
    progress: Progress | None = None,
) -> Summary:
    """Make a kept release live again by copying inside the target; nothing is rebuilt."""
    state = read_state(target)
    if state is None or state.live is None:
        raise DeployError(f"{target.describe()} 还没有用 showcase deploy 发布过，没有可以回滚的发布。")
    names = [r.release for r in state.releases]
    if to is None:
        at = names.index(state.live) if state.live in names else len(names)
        if at == 0:
            raise DeployError(f"当前发布 {state.live} 之前没有保留的发布。")
        to = names[at - 1]
    if to not in state.retained(keep):
        shown = "、".join(state.retained(keep)) or "（无）"
        raise DeployError(f"没有可以回滚的发布 {to}。保留着的发布：{shown}（showcase deploy --list 查看）。")
    old = read_manifest(target, to)
    if old is None:
        raise DeployError(f"发布 {to} 的清单不见了，无法回滚。")
    inventory = target.inventory()
    kept = kept_manifests(target, state, keep)
    held = Holdings(target, inventory, kept)
    blobs = blob_shas(target)
    by_sha: dict[str, list[Entry]] = {}
    for m in kept:
        for e in m.entries.values():
            by_sha.setdefault(e.sha256, []).append(e)

    def source_of(entry: Entry) -> str | None:
        if entry.sha256 in blobs:
            return BLOBS + entry.sha256
        return next((e.path for e in by_sha.get(entry.sha256, []) if held.has(e)), None)

    steps, unchanged = plan(old, held, source_of)
    # A source that another step overwrites is kept as a blob first, and read from there.
    overwritten = {s.entry.path for s in steps}
    wanted = {e.sha256 for m in kept for e in m.entries.values()}
    summary = Summary(release=to, unchanged=unchanged, dry_run=dry_run)
    if dry_run:
        describe_plan(steps, unchanged, say)
        return summary
    _preserve(target, held, [p for p in overwritten if p in inventory], wanted, blobs, workers)
    for step in steps:
        if step.copy_from in overwritten and step.copy_from != step.entry.path:
            step.copy_from = BLOBS + step.entry.sha256
    say(f"回滚到 {to}：在目标内复制 {len(steps)} 个文件，{unchanged} 个未变。")
    _write_steps(target, None, steps, workers, progress)
    summary.uploaded = len(steps)
    state.live, state.pending = to, None
    target.write(STATE, state.to_bytes())
    _clean(target, state, keep, old, summary, workers)
    return summary


def _clean(target: Target, state: State, keep: int, live: Manifest, summary: Summary, workers: int) -> None:
    """After `live` is live: remove what no kept release needs, keep the rest (and count it)."""
    retained = state.retained(keep)
    kept = [live] + [m for m in kept_manifests(target, state, keep) if m.release != live.release]
    inventory = target.inventory()
    held = Holdings(target, inventory, kept)
    wanted = {e.sha256 for m in kept for e in m.entries.values()}
    phases = {p: e.phase for m in kept for p, e in m.entries.items()}
    blobs = blob_shas(target)
    doomed: list[str] = []
    for path in sorted(inventory):
        if path in live.entries:
            continue
        if phases.get(path) is headers.Phase.ASSET:
            summary.kept += 1
        else:
            doomed.append(path)  # a page the live release does not have, or no release's file
    _preserve(target, held, doomed, wanted, blobs, workers)
    target.delete(doomed)
    summary.deleted = len(doomed)
    target.delete(sorted(BLOBS + b for b in blobs if b not in wanted))
    dropped = [r for r in state.releases if r.release not in retained]
    if dropped:
        state.releases = [r for r in state.releases if r.release in retained]
        target.write(STATE, state.to_bytes())
        target.delete(f"{RELEASES}{r.release}.json" for r in dropped)
    # Manifests of deploys that never went live (killed, then superseded).
    known = {f"{RELEASES}{r}.json" for r in retained} | (
        {f"{RELEASES}{state.pending}.json"} if state.pending else set()
    )
    target.delete(sorted(k for k in target.inventory(RELEASES) if k not in known))
