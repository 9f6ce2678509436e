"""Valid HTML: the Nu Html Checker (vnu, the W3C validator) finds no errors in our pages.

One page of every type of the built sample site goes to one vnu run (one JVM start, a few
seconds). vnu comes from npm (`vnu-jar`, pinned in the Makefile; `make vnu` installs it into
.cache/npm) and runs on Debian's Java.

The few errors in mkdocs-material's own markup that we cannot change are filtered one by one
below, each matched on its message *and* the exact markup it points at, so the same message
about markup of ours still fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, BuiltSite

pytestmark = pytest.mark.slow

VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".cache/npm/node_modules/vnu-jar/build/dist/vnu.jar"))

# One page of each type; a region, category and theme that exist in the sample data, a
# branch with photos, figures, honours, sources and updates (简讯).
PAGES = [
    "index.html",
    "brands/index.html",
    "branches/yangguang-shequ/index.html",
    "regions/index.html",
    "regions/呼和浩特市/index.html",
    "categories/index.html",
    "categories/社区/index.html",
    "themes/index.html",
    "themes/一老一小/index.html",
    "reports/index.html",
    "search/index.html",
    "updates/index.html",
    "about/index.html",
    "404.html",
]
OPTIONAL_PAGES = ["editions/index.html"]  # the print editions' listing, once the site has one


@dataclass(frozen=True)
class Message:
    file: str
    line: int
    text: str
    markup: str  # the source line(s) the message points at

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}\n    {self.markup.strip()[:300]}"


def _material_markup(m: Message) -> str | None:
    """Why an error is mkdocs-material's and harmless, or None if it is not one of those."""
    # Material's hidden checkboxes that drive the drawer and the search overlay carry
    # autocomplete="off" so Firefox does not restore them checked after "back"; vnu allows
    # autocomplete only on text-like inputs. The markup is in material's base.html.
    if m.text.startswith("Attribute “autocomplete” is only allowed when the input type is") and re.fullmatch(
        r'\s*<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__\1" autocomplete="off">\s*',
        m.markup,
    ):
        return "material toggle checkbox"
    # Material's table-of-contents title labels the #__toc toggle, which material renders in
    # the primary navigation only for pages listed in the nav. Branch pages are deliberately
    # not in the nav (DESIGN §3), so on them the label points at nothing.
    if (
        m.text.startswith(
            "The value of the “for” attribute of the “label” element must be the ID of a non-hidden"
        )
        and m.markup.strip() == '<label class="md-nav__title" for="__toc">'
        and m.file.startswith("branches/")
    ):
        return "material toc label on a page outside the nav"
    return None


def vnu_errors(site: Path, pages: list[str]) -> list[Message]:
    """Every error vnu reports for these pages (paths relative to `site`), in one JVM run."""
    if not VNU_JAR.is_file():
        pytest.fail(f"vnu.jar not found at {VNU_JAR}: run `make vnu` (npm install of vnu-jar)")
    if shutil.which("java") is None:
        pytest.fail("java not found: run `make system-deps` (apt-get install default-jre-headless)")
    done = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--stdout"]
        + [str(site / p) for p in pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout)
    found = []
    for msg in report["messages"]:
        # vnu names files by file: URL, not percent-encoded ("file:/…/regions/呼和浩特市/…").
        file = Path(msg.get("url", "").removeprefix("file:")).resolve()
        rel = (
            file.relative_to(site.resolve()).as_posix() if file.is_relative_to(site.resolve()) else str(file)
        )
        line = msg.get("lastLine", 0)
        first = msg.get("firstLine", line)  # absent when the message is about one line
        lines = file.read_text("utf-8").splitlines() if file.is_file() else []
        markup = "\n".join(lines[first - 1 : line]) if lines and line else msg.get("extract", "")
        found.append(Message(rel, line, msg.get("message", ""), markup))
    assert done.returncode in (0, 1), done.stderr  # 1: errors found; anything else: vnu failed
    return found


def test_pages_of_every_type_are_valid_html(sample_site: BuiltSite) -> None:
    site = sample_site.dir
    pages = PAGES + [p for p in OPTIONAL_PAGES if (site / p).is_file()]
    missing = [p for p in pages if not (site / p).is_file()]
    assert missing == []
    errors = vnu_errors(site, pages)
    filtered = [m for m in errors if _material_markup(m)]
    real = [m for m in errors if not _material_markup(m)]
    assert real == [], "\n".join(map(str, real))
    # The filters match what they describe: material's markup is on the pages they exempt.
    assert {_material_markup(m) for m in filtered} == {
        "material toggle checkbox",
        "material toc label on a page outside the nav",
    }


def test_vnu_finds_errors_in_our_markup(tmp_path: Path) -> None:
    """The check can fail: the errors the filters exempt in material's markup are reported in
    ours, and an ordinary mistake is reported at all."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html>\n<html lang="zh">\n<head><meta charset="utf-8"><title>坏页面</title></head>\n<body>\n'
        '<input class="sc-x" type="checkbox" id="x" autocomplete="off">\n'
        '<label for="nowhere">说明</label>\n'
        "<p><div>块元素放在段落里</div></p>\n"
        '<img src="a.png">\n'
        "</body>\n</html>\n",
        "utf-8",
    )
    errors = vnu_errors(tmp_path, ["bad.html"])
    assert [m for m in errors if _material_markup(m)] == []
    texts = "\n".join(m.text for m in errors)
    assert "autocomplete" in texts
    assert "“for” attribute" in texts
    assert "alt" in texts  # the image without alt text
    assert {m.line for m in errors} >= {5, 6, 8}
