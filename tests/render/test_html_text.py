"""The one visible-text function (showcase.render.html_text): exact outputs for the HTML the
site renders and for what it must not show."""

from __future__ import annotations

import pytest

from showcase.render.html_text import visible_text
from showcase.render.markdown import SafeMarkdown


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        # One line per block; the newlines between blocks in the source add no empty lines.
        ("<p>甲</p>\n<p>乙</p>\n", "甲\n乙"),
        ("<h2>标题</h2><p>正文</p>", "标题\n正文"),
        # Inline elements run on with the text around them.
        ('<p><strong>加粗</strong>的<a href="x">链接</a>和<code>代码</code></p>', "加粗的链接和代码"),
        # A line break at every <br> and <hr>, however written.
        ("<p>一<br>二<br/>三<br />四</p>", "一\n二\n三\n四"),
        ("<p>上</p><hr><p>下</p><hr/>", "上\n下"),
        # Nested blocks: one line each, never an empty one.
        (
            "<blockquote><p>引文</p><ul><li>甲</li><li><p>乙</p></li></ul></blockquote><p>后</p>",
            "引文\n甲\n乙\n后",
        ),
        (
            "<table><thead><tr><th>项目</th><th>数量</th></tr></thead>"
            "<tbody><tr><td>党员</td><td>12</td></tr></tbody></table>",
            "项目\n数量\n党员\n12",
        ),
        ("<pre><code>第一行\n第二行</code></pre>", "第一行\n第二行"),
        # White space inside a line is kept; the whole is stripped at both ends.
        ("  <p> 甲  乙 </p><p> 丙</p>  ", "甲  乙 \n 丙"),
    ],
)
def test_blocks_and_lines(fragment: str, text: str) -> None:
    assert visible_text(fragment) == text


def test_character_references_are_decoded_once() -> None:
    fragment = (
        "<p>A &amp; B &lt;b&gt;不是标签&lt;/b&gt; &#x4E2D;&#25991; &quot;引&quot; 1&nbsp;2 &amp;lt;</p>"
    )
    assert visible_text(fragment) == 'A & B <b>不是标签</b> 中文 "引" 1\xa02 &lt;'


def test_a_bare_less_than_sign_is_text() -> None:
    assert visible_text("<p>1 < 2 & 3 > 2</p>") == "1 < 2 & 3 > 2"


def test_script_style_and_template_content_is_not_visible() -> None:
    fragment = (
        "<p>前</p>"
        '<script>var a = "<p>不显示</p>";</script>'
        "<style>p::before { content: '不显示'; }</style>"
        "<template><p>模板</p><br></template>"
        "<p>后</p>"
    )
    assert visible_text(fragment) == "前\n后"


def test_comments_are_not_visible() -> None:
    fragment = "<p>甲<!-- 备注 --></p><!-- <p>注释里的段落</p> --><p>乙<!-- a > b --></p>"
    assert visible_text(fragment) == "甲\n乙"


def test_empty_and_blank_fragments() -> None:
    assert visible_text("") == ""
    assert visible_text("<p> </p>\n<p></p>") == ""


def test_a_rendered_write_up_reads_as_on_the_page() -> None:
    """What search indexes for a case write-up: raw HTML stays text, "..." is an ellipsis."""
    html = (
        SafeMarkdown(shift_headings=1)
        .render(
            "# 主要举措\n\n建立**问题清单**，<b>原样</b>显示。\n\n"
            "1. 第一条\n2. 第二条...\n\n| 项目 | 数量 |\n|---|---|\n| 党员 | 12 |\n"
        )
        .html
    )
    assert (
        visible_text(html)
        == "主要举措\n建立问题清单，<b>原样</b>显示。\n第一条\n第二条…\n项目\n数量\n党员\n12"
    )
