"""Unit tests for showcase.markdown_safe: untrusted case write-ups must render inert.

Output is parsed back with html.parser, so "no script" and "no on* attribute" are checked
on the elements a browser would build, not by substring luck.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest

from showcase.render.markdown import ALLOWED_TAGS, SafeMarkdown, slugify

Element = tuple[str, dict[str, str | None]]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> tuple[list[Element], str]:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.found, "".join(parser.text)


def assert_inert(markup: str) -> list[Element]:
    """No scripting element, no event handler, no style, only allowed tags; returns the elements."""
    elements, _ = parse(markup)
    for tag, attrs in elements:
        assert tag in ALLOWED_TAGS, (tag, markup)
        assert tag not in {"script", "iframe", "img", "object", "embed", "svg", "style", "h1"}, markup
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "style" not in attrs and "class" not in attrs, (tag, attrs)
    assert "<script" not in markup.lower()
    return elements


def render(source: str, shift: int = 0) -> str:
    return SafeMarkdown(shift_headings=shift).render(source).html


# --- raw HTML is text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<iframe src="https://evil.example/"></iframe>',
        '<b onclick="steal()">粗体</b>',
        '<div onmouseover="steal()">区块</div>',
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
        '<a href="javascript:alert(1)">点我</a>',
    ],
)
def test_raw_html_block_is_escaped_text(raw: str) -> None:
    out = render(raw + "\n")
    elements = assert_inert(out)
    assert [tag for tag, _ in elements] == ["p"]
    _, text = parse(out)
    assert text == raw  # shown to the reader exactly as written
    assert out == f"<p>{html.escape(raw, quote=False)}</p>"


@pytest.mark.parametrize(
    "raw",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '<b onclick="steal()">粗体</b>'],
)
def test_raw_html_inline_is_escaped_text(raw: str) -> None:
    out = render(f"社区党总支 {raw} 牵头\n")
    assert [tag for tag, _ in assert_inert(out)] == ["p"]
    assert parse(out)[1] == f"社区党总支 {raw} 牵头"


def test_raw_html_inside_list_and_heading() -> None:
    out = render('## 标题<script>x()</script>\n\n- 一项 <img src=x onerror="x()">\n')
    assert [tag for tag, _ in assert_inert(out)] == ["h2", "ul", "li"]


def test_html_comment_is_not_passed_through() -> None:
    out = render("<!-- <script>x()</script> -->\n\n正文\n")
    assert_inert(out)
    assert "<!--" not in out


# --- links --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "jav&#x09;ascript:alert(1)",
        "file:///etc/passwd",
    ],
)
def test_dangerous_links_lose_href(url: str) -> None:
    out = render(f"[点我]({url})\n")
    elements = assert_inert(out)
    assert elements == [("p", {}), ("a", {"rel": "noopener noreferrer nofollow"})]
    assert parse(out)[1] == "点我"


def test_dangerous_reference_link_loses_href() -> None:
    out = render("[点我][r]\n\n[r]: javascript:alert(1)\n")
    assert assert_inert(out) == [("p", {}), ("a", {"rel": "noopener noreferrer nofollow"})]


def test_dangerous_autolink_is_text() -> None:
    out = render("<javascript:alert(1)>\n")
    assert assert_inert(out) == [("p", {})]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://www.huhhot.gov.cn/news?id=1&page=2",
        "mailto:dangjian@example.com",
        "../shuxiang-zhengxie/",
        "#主要举措",
        "photos/a.jpg",
    ],
)
def test_safe_links_keep_href(url: str) -> None:
    out = render(f"[链接]({url})\n")
    elements = assert_inert(out)
    assert elements == [("p", {}), ("a", {"href": url, "rel": "noopener noreferrer nofollow"})]


def test_link_title_kept() -> None:
    out = render('[报道](https://example.com/a "呼和浩特日报")\n')
    assert parse(out)[0][1] == (
        "a",
        {"href": "https://example.com/a", "title": "呼和浩特日报", "rel": "noopener noreferrer nofollow"},
    )


# --- images, attr_list, tables ------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "![图](http://example.com/a.jpg)",
        "![图](https://example.com/a.jpg)",
        "![图](photos/a.jpg)",
        "![x](javascript:x)",
    ],
)
def test_images_are_dropped(source: str) -> None:
    out = render(f"前文\n\n{source}\n")
    assert "<img" not in out
    assert [tag for tag, _ in assert_inert(out)] == ["p", "p"]


@pytest.mark.parametrize(
    "source",
    [
        '## 标题 {: onclick="x()" }\n',
        '段落\n{: onclick="x()" }\n',
        "段落 {: #custom .cls onmouseover=x() }\n",
        "*强调*{: onclick=x() }\n",
    ],
)
def test_attr_list_syntax_not_applied(source: str) -> None:
    out = render(source)
    elements = assert_inert(out)
    assert all("onclick" not in attrs and "class" not in attrs for _, attrs in elements)
    assert 'id="custom"' not in out
    assert "{:" in parse(out)[1]  # left as visible text


def test_tables_render_without_style() -> None:
    out = render("| 项目 | 数量 |\n|:-----|-----:|\n| 活动 | 6 |\n")
    tags = [tag for tag, _ in assert_inert(out)]
    assert tags == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]


# --- headings and table of contents -------------------------------------------------------------


def test_heading_id_keeps_chinese() -> None:
    assert render("## 主要举措\n") == '<h2 id="主要举措">主要举措</h2>'


def test_heading_id_mixed_text() -> None:
    assert (
        render("### 五张菜单，让“家”人都来参与\n")
        == '<h3 id="五张菜单让家人都来参与">五张菜单，让“家”人都来参与</h3>'
    )


def test_duplicate_headings_get_distinct_ids() -> None:
    out = render("## 主要举措\n\n文字\n\n## 主要举措\n\n### 取得成效\n")
    ids = [attrs["id"] for tag, attrs in assert_inert(out) if tag in {"h2", "h3"}]
    assert ids == ["主要举措", "主要举措_1", "取得成效"]
    assert len(set(ids)) == len(ids)


def test_leading_h1_is_shifted_to_h2() -> None:
    out = render("# 标题\n\n正文\n\n## 二级\n", shift=1)
    assert out == '<h2 id="标题">标题</h2>\n<p>正文</p>\n<h2 id="二级">二级</h2>'


def test_h1_never_survives_without_shift() -> None:
    out = render("# 标题\n\n正文\n")
    assert "<h1" not in out
    assert_inert(out)


def test_h1_without_space_is_shifted_too() -> None:
    assert render("#标题\n\n正文\n", shift=1) == '<h2 id="标题">标题</h2>\n<p>正文</p>'


def test_shift_leaves_deeper_headings_and_hashtags_in_text_alone() -> None:
    out = render("## 二级\n\n### 三级\n\n话题 # 不是标题\n", shift=1)
    assert out == '<h2 id="二级">二级</h2>\n<h3 id="三级">三级</h3>\n<p>话题 # 不是标题</p>'


def test_toc_tokens_returned() -> None:
    rendered = SafeMarkdown(shift_headings=1).render(
        "# 主要举措\n\n## 联建共建\n\n#### 细节\n\n## 网格协商\n\n# 取得成效\n"
    )
    outline = [
        (t["level"], t["id"], t["name"], [(c["level"], c["id"], c["name"]) for c in t["children"]])
        for t in rendered.toc
    ]
    assert outline == [
        (2, "主要举措", "主要举措", []),
        (2, "联建共建", "联建共建", []),
        (2, "网格协商", "网格协商", []),
        (2, "取得成效", "取得成效", []),
    ]
    ids = [attrs.get("id") for tag, attrs in parse(rendered.html)[0] if tag.startswith("h")]
    assert ids == ["主要举措", "联建共建", "细节", "网格协商", "取得成效"]


def test_toc_nests_h3_under_h2_and_skips_h4() -> None:
    toc = SafeMarkdown().render("## 主要举措\n\n### 联建共建\n\n#### 细节\n\n## 取得成效\n").toc
    assert [(t["id"], [c["id"] for c in t["children"]]) for t in toc] == [
        ("主要举措", ["联建共建"]),
        ("取得成效", []),
    ]


def test_toc_names_are_escaped() -> None:
    toc = SafeMarkdown().render("## 标题<script>x()</script>\n").toc
    assert "<script" not in toc[0]["name"]
    assert html.unescape(toc[0]["name"]) == "标题<script>x()</script>"


def test_converter_is_reusable() -> None:
    md = SafeMarkdown()
    first = md.render("## 主要举措\n")
    second = md.render("## 主要举措\n")
    assert first == second
    assert [t["id"] for t in second.toc] == ["主要举措"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("主要举措", "主要举措"),
        ("Hello World!", "hello-world"),
        ("２０２４年 成效", "2024年-成效"),
        ("“党建·家”理念", "党建家理念"),
        ("a_b--c", "a-b-c"),
        ("！？。", "section"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
