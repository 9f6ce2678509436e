"""The Jinja environment the site's pages, the feed and the print edition render with.

Autoescaping is on and undefined names are errors: every profile string is escaped wherever
it lands, and a template typo fails the build instead of printing nothing.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from showcase.content.model import PartialDate
from showcase.render.seal import seal_text


def credit_line(credit: str) -> str:
    """“■本报记者 某某 摄” as the newspapers print it; 示意图 and 供图 are not 摄."""
    credit = credit.strip()
    if credit in ("示意图",) or credit.endswith(("摄", "供图", "示意图")):
        return f"■ {credit}"
    return f"■ {credit} 摄"


def display_date(value: PartialDate | str | None) -> str:
    if not value:
        return ""
    return PartialDate(str(value)).display()


def bytecode_cache(cache_dir: Path) -> jinja2.BytecodeCache:
    """Compiled templates kept between builds (Jinja checks them against the template source)."""
    folder = cache_dir / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def environment(cache_dir: Path | None, folder: Path) -> jinja2.Environment:
    """The templates of `folder` (the site's, or the print edition's), autoescaping."""
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache(cache_dir) if cache_dir else None,
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["credit"] = credit_line
    env.filters["date"] = display_date
    env.filters["seal"] = seal_text
    return env
