"""HtmlEdits: tags found by a parser, everything else copied byte for byte."""

from __future__ import annotations

from showcase.render.html_edit import HtmlEdits
from showcase.site.timeline import plain_text


class _Unlink(HtmlEdits):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.replace_tag("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.replace_tag("", end_tag=True)


def test_only_the_tags_change() -> None:
    fragment = (
        '<p>见<a href="/x" title="a > b">链接</a>。</p>\n<p title=\'<a>\'>&amp; <!-- <a href=y> --></p>\n'
    )
    assert _Unlink.apply(fragment) == "<p>见链接。</p>\n<p title='<a>'>&amp; <!-- <a href=y> --></p>\n"


def test_positions_on_later_lines() -> None:
    fragment = "<p>一</p>\n\n<ul>\n  <li><a href='/a'>甲</a> 和 <A HREF=/b>乙</a  ></li>\n</ul>"
    assert _Unlink.apply(fragment) == "<p>一</p>\n\n<ul>\n  <li>甲 和 乙</li>\n</ul>"


def test_update_headings_become_bold_and_text_stays_one_line() -> None:
    from showcase.site.timeline import _HeadingsAsBold

    body = '<h2 id="huodong">活动 &amp; 成效</h2>\n<p>第一段。</p>\n<p>第二段 text</p>'
    assert (
        _HeadingsAsBold.apply(body)
        == "<p><strong>活动 &amp; 成效</strong></p>\n<p>第一段。</p>\n<p>第二段 text</p>"
    )
    assert plain_text(body) == "活动 & 成效第一段。第二段 text"
