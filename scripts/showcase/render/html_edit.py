"""Small edits to an HTML fragment at the tags a parser finds, leaving every other byte as it was."""

from __future__ import annotations

from html.parser import HTMLParser


class HtmlEdits(HTMLParser):
    """Subclass and, in `handle_starttag` / `handle_endtag`, call `replace_tag(text)` to
    replace the tag being handled; `apply` returns the edited fragment. The rest of the
    fragment (text, other tags, their quoting) is copied unchanged, so an edit is as small as
    a regular expression's would be, but the tags are found the way a browser tokenises them
    (a ">" inside a quoted attribute, comments, character references)."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=False)
        self.fragment = fragment
        self.edits: list[tuple[int, int, str]] = []
        self._lines = [0]  # where each line starts: getpos() counts lines and columns
        at = fragment.find("\n")
        while at >= 0:
            self._lines.append(at + 1)
            at = fragment.find("\n", at + 1)

    def replace_tag(self, replacement: str, *, end_tag: bool = False) -> None:
        """Replace the start tag (or, with `end_tag`, the end tag) now being handled."""
        line, column = self.getpos()  # of the "<" of the tag being handled
        start = self._lines[line - 1] + column
        # An end tag runs to its first ">", as the parser read it; a start tag is its own text.
        end = self.fragment.index(">", start) + 1 if end_tag else start + len(self.get_starttag_text() or "")
        self.edits.append((start, end, replacement))

    @classmethod
    def apply(cls, fragment: str) -> str:
        parser = cls(fragment)
        parser.feed(fragment)
        parser.close()
        out, done = [], 0
        for start, end, replacement in parser.edits:
            out += [fragment[done:start], replacement]
            done = end
        out.append(fragment[done:])
        return "".join(out)
