"""`showcase build`: the pipeline's stages into a new folder beside site/, then the swap.

The site engine (MkDocs, through mkdocs_plugin/engine.py) runs the stages load … write;
this module prepares the folder it writes into, checks the result, switches it in and only
then records the incremental state.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from showcase.pipeline.lock import ProjectLock
from showcase.pipeline.output import OutputFolder
from showcase.pipeline.settings import BuildError
from showcase.pipeline.stages import Invocation

_CURRENT: contextvars.ContextVar[Invocation | None] = contextvars.ContextVar("invocation", default=None)


class Engine(Protocol):
    """The site engine: renders the whole site into a folder, running the stages load … write."""

    site_dir: Path  # where the site is published
    cache_dir: Path  # the project's cache, which also holds its lock
    name: str  # what to call the configuration in messages (mkdocs.yml)

    def render(self, build_dir: Path, *, dirty: bool) -> None:
        """Build into `build_dir`; raise BuildError (Chinese message) on a failure to report."""


def current_invocation() -> Invocation | None:
    """The `showcase build` in progress in this context, if any (the plugin asks in on_config)."""
    return _CURRENT.get()


def build(engine: Engine, *, full: bool, allow_mass_delete: bool, say: Callable[[str], None]) -> None:
    """Build the site and publish it at `engine.site_dir`; raise BuildError and leave the
    published site untouched on any failure. One build at a time per project."""
    with ProjectLock(engine.cache_dir).held(say):
        _build(engine, full=full, allow_mass_delete=allow_mass_delete, say=say)


def _build(engine: Engine, *, full: bool, allow_mass_delete: bool, say: Callable[[str], None]) -> None:
    started = time.monotonic()
    site_dir = engine.site_dir
    out = OutputFolder(site_dir, reuse=not full)
    invocation = Invocation(site_dir, out.incremental, full=full)
    token = _CURRENT.set(invocation)
    try:
        say(f"正在{'增量' if out.incremental else '完整'}构建站点（{engine.name}）……")
        engine.render(out.path, dirty=out.incremental)
        run = invocation.run
        missing = out.missing(run.expected_pages() if run is not None else ["index.html"])
        if missing:
            shown = "、".join(missing[:5]) + ("……" if len(missing) > 5 else "")
            raise BuildError(f"构建结果缺少页面 {shown}，已放弃。")
        if run is not None and not allow_mass_delete:
            _refuse_mass_unpublish(out.published_branches(), run.branch_slugs(), run.settings.unpublish_limit)
        out.swap()
    except BaseException:
        out.discard()
        raise
    finally:
        _CURRENT.reset(token)
    if run is not None:
        run.save_state()  # only now: the pages it describes are live
    say(f"站点已生成：{site_dir}（用时 {time.monotonic() - started:.1f} 秒）")


def _refuse_mass_unpublish(published: set[str], building: set[str], limit: float) -> None:
    """An emptied or half-deleted branches/ is far more often an accident (a bad merge, a wrong
    folder) than an intention: refuse to take most of the site offline in one build."""
    gone = published - building
    if published and gone and (gone == published or len(gone) > limit * len(published)):
        raise BuildError(
            f"这次构建会让已发布的 {len(published)} 个党组织中的 {len(gone)} 个从网站下线"
            f"（超过 {limit:.0%} 的上限）。如果确实要这样做，请加 --allow-mass-delete 再构建一次；"
            "否则请检查 branches/ 是否被误删或误移动。"
        )
