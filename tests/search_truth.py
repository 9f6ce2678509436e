"""Ground truth for site search, written independently of `showcase.search`.

What a hit is (issues 4 and 19, DESIGN §5): a page is a hit for a query when every word of
the query (split on whitespace) occurs inside one line of the page's visible text, after the
word and the line are folded the same way: Unicode NFKC, lower case, all whitespace removed.
Lines never run into each other (a word may not start in the name and end in the slogan).

The text is what the built site shows (`load_site_truth`): for a branch, the visible text of
its `<article class="sc-branch">` in branches/<slug>/index.html; for an update, its
`<article class="sc-update" id>` inside that page; for another page (reports, editions, the
hand-written pages of docs_dir), the page's `<article class="md-content__inner">`. HTML is
turned into text by the site's one visible-text function (showcase.render.html_text), whose
exact output tests/render/test_html_text.py pins down on its own; the pages are read with
selectolax. A word in Latin letters also finds the branches whose name, short name or brand
(read from profile.yml with PyYAML's BaseLoader) it spells in pinyin (`pinyin_spells`).

`load_truth(project)` is the older, source-based reading (profile fields, case, updates),
kept for sampling queries before a site is built.

`make_queries` draws realistic queries from the same text, deterministically for a seed,
with a spread of hit counts (none, one, a few, many, every branch). The benchmark
(scripts/bench_search.py) and tests compare engines against `hits`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import yaml

from showcase.render.html_text import visible_text

_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[0-9a-z]{2,}")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
# Characters that occur in no realistic branch text: appended to a real word they give a
# query with no hits that still shares its n-grams with many documents.
RARE = "龘靐齉"


def fold(text: str) -> str:
    """The comparison form of both text and query words: NFKC, lower case, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).lower())


def query_words(query: str) -> list[str]:
    """The words of a query, folded; empty words (only whitespace) are dropped."""
    return [w for w in (fold(part) for part in query.split()) if w]


@dataclass(frozen=True)
class TruthDoc:
    slug: str  # the branch's slug (for an update: its branch's; for a page: its URL)
    url: str  # relative to the site root, e.g. "branches/<slug>/"
    fields: tuple[str, ...]  # visible text, one entry per field (line), as shown
    folded: tuple[str, ...]  # the same fields folded
    joined: str  # the folded fields joined by U+001F (never part of a folded word): a quick pre-check
    kind: str = "branch"  # branch | update | page
    names: tuple[str, ...] = ()  # a branch's name, short name and brand (pinyin)

    @classmethod
    def make(
        cls,
        slug: str,
        fields: Iterable[str],
        *,
        url: str = "",
        kind: str = "branch",
        names: Sequence[str] = (),
    ) -> TruthDoc:
        kept = tuple(f for f in fields if f.strip())
        folded = tuple(fold(f) for f in kept)
        return cls(slug, url or f"branches/{slug}/", kept, folded, "\x1f".join(folded), kind, tuple(names))

    def contains(self, word: str) -> bool:
        """Whether a folded word occurs inside one field, or (a Latin word) is spelled in
        pinyin by one of the names."""
        if word in self.joined and any(word in field for field in self.folded):
            return True
        return any(pinyin_spells(name, word) for name in self.names)


def hits(docs: Sequence[TruthDoc], query: str) -> set[str]:
    """Slugs of the branches whose visible text contains every word of the query."""
    words = query_words(query)
    if not words:
        return set()
    return {d.slug for d in docs if d.kind == "branch" and all(d.contains(w) for w in words)}


def url_hits(docs: Sequence[TruthDoc], query: str) -> set[str]:
    """URLs of the documents of every kind whose text contains every word of the query."""
    words = query_words(query)
    if not words:
        return set()
    return {d.url for d in docs if all(d.contains(w) for w in words)}


# --- pinyin ---------------------------------------------------------------------------------


def _letters(word: str) -> str | None:
    """A folded word as toneless pinyin letters (ü → v, tone marks dropped), or None."""
    decomposed = unicodedata.normalize("NFD", word).replace("u\u0308", "v")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("'", "")
    return plain if re.fullmatch(r"[a-z]+", plain) else None


def _readings(char: str) -> set[str]:
    from pypinyin import Style, pinyin

    if not _CJK.fullmatch(char):
        return set()
    return {r for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0] if re.fullmatch(r"[a-z]+", r)}


def pinyin_spells(name: str, word: str) -> bool:
    """Whether consecutive Chinese characters of `name`, each read with any of its readings,
    spell the Latin `word` in full syllables, or (two letters or more) as initials."""
    letters = _letters(word)
    if letters is None:
        return False
    readings = [_readings(c) for c in name]
    for start in range(len(name)):
        reach = {0}  # lengths of `letters` read so far by characters start..k in full syllables
        for k in range(start, len(name)):
            reach = {at + len(r) for at in reach for r in readings[k] if letters.startswith(r, at)}
            if len(letters) in reach:
                return True
            if not reach:
                break
        span = readings[start : start + len(letters)]
        if (
            len(letters) >= 2
            and len(span) == len(letters)
            and all(any(r[0] == ch for r in options) for options, ch in zip(span, letters, strict=True))
        ):
            return True
    return False


# --- reading the built site -----------------------------------------------------------------


def _lines(fragment: str) -> list[str]:
    return [line.strip() for line in visible_text(fragment).split("\n") if line.strip()]


def load_site_truth(project_dir: Path, site_dir: Path, branches_dir: str = "branches") -> list[TruthDoc]:
    """Every document of a built site, as its pages show it: branches (sorted by slug), their
    updates, and the other pages (reports, editions, hand-written pages)."""
    from selectolax.lexbor import LexborHTMLParser

    project_dir, site_dir = Path(project_dir), Path(site_dir)
    docs: list[TruthDoc] = []
    for profile_path in sorted((project_dir / branches_dir).glob("*/profile.yml")):
        slug = profile_path.parent.name
        page = site_dir / "branches" / slug / "index.html"
        if not page.is_file():
            continue
        profile = yaml.load(profile_path.read_text("utf-8"), Loader=yaml.BaseLoader)
        brand = profile.get("brand") if isinstance(profile.get("brand"), dict) else {}
        names = [_str(profile.get("name")), _str(profile.get("short_name")), _str(brand.get("name"))]
        tree = LexborHTMLParser(page.read_text("utf-8"))
        article = tree.css_first("article.sc-branch")
        assert article is not None, page
        docs.append(TruthDoc.make(slug, _lines(article.html or ""), names=[n for n in names if n]))
        for update in article.css("article.sc-update[id]"):
            url = f"branches/{slug}/#{update.attributes['id']}"
            docs.append(TruthDoc.make(slug, _lines(update.html or ""), url=url, kind="update"))
    config = yaml.load((project_dir / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    docs_dir = project_dir / (config.get("docs_dir") or "docs")
    pages = ["reports/", "editions/"]
    for md in sorted(docs_dir.rglob("*.md")):
        rel = md.relative_to(docs_dir).as_posix()
        if rel == "index.md" or rel.split("/")[0] in ("branches", "reports", "editions", "search", "updates"):
            continue
        pages.append(rel[: -len("index.md")] if rel.endswith("/index.md") else rel[:-3] + "/")
    for url in pages:
        page = site_dir / url / "index.html"
        if page.is_file():
            article = LexborHTMLParser(page.read_text("utf-8")).css_first("article.md-content__inner")
            assert article is not None, page
            docs.append(TruthDoc.make(url, _lines(article.html or ""), url=url, kind="page"))
    return docs


# --- reading a project ------------------------------------------------------------------------


def _markdown() -> markdown.Markdown:
    # `smarty` without quotes is what the site renders with ("..." shows as "…", "--" as "–");
    # raw HTML handlers are removed, so `<b>` in a write-up stays visible text, as on the site.
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "smarty"],
        extension_configs={"smarty": {"smart_quotes": False}},
        output_format="html",
    )
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def markdown_to_text(source: str, md: markdown.Markdown | None = None) -> str:
    """Visible text of a Markdown write-up. HTML comments are notes for reviewers and never
    shown; any other raw HTML is shown as the text it is."""
    md = md or _markdown()
    md.reset()
    return visible_text(md.convert(_COMMENT.sub("", source)))


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def profile_fields(profile: dict[str, Any]) -> list[str]:
    """The searchable fields of one profile, in page order."""
    brand = profile.get("brand") if isinstance(profile.get("brand"), dict) else {}
    assert isinstance(brand, dict)
    fields = [
        _str(profile.get("name")),
        _str(profile.get("short_name")),
        _str(brand.get("name")),
        _str(brand.get("slogan")),
        _str(profile.get("summary")),
    ]
    fields += [_str(f.get("label")) for f in _items(profile.get("figures"))]
    fields += [_str(p.get("caption")) for p in _items(profile.get("photos"))]
    return fields


def update_fields(path: Path, md: markdown.Markdown) -> list[str]:
    """Title and body text of one `updates/*.md` news item (front matter + Markdown)."""
    source = path.read_text("utf-8")
    title = ""
    m = _FRONT_MATTER.match(source)
    if m:
        meta = yaml.load(m.group(1), Loader=yaml.BaseLoader)
        title = _str(meta.get("title")) if isinstance(meta, dict) else ""
        source = source[m.end() :]
    return [title, markdown_to_text(source, md)]


def load_truth(project_dir: Path, branches_dir: str = "branches") -> list[TruthDoc]:
    """Every branch of a project (sorted by slug) with its visible text fields."""
    md = _markdown()
    docs = []
    for profile_path in sorted((Path(project_dir) / branches_dir).glob("*/profile.yml")):
        folder = profile_path.parent
        profile = yaml.load(profile_path.read_text("utf-8"), Loader=yaml.BaseLoader)
        if not isinstance(profile, dict):
            continue
        fields = profile_fields(profile)
        case = folder / "case.md"
        if case.is_file():
            fields.append(markdown_to_text(case.read_text("utf-8"), md))
        for update in sorted((folder / "updates").glob("*.md")):
            fields += update_fields(update, md)
        docs.append(TruthDoc.make(folder.name, fields))
    return docs


# --- sampling queries -------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str  # as a reader types it
    kind: str  # cjk | mixed (with punctuation or digits) | two-words | latin | fullwidth | none
    expected: int  # number of hits in the ground truth


def to_fullwidth(text: str) -> str:
    """ASCII letters (upper-cased) and digits as their full-width forms: ＡＢＣ１２３."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text.upper())


def _substring(rng: random.Random, text: str, length: int) -> str:
    if len(text) <= length:
        return text
    start = rng.randrange(len(text) - length + 1)
    return text[start : start + length]


def _bucket(count: int, total: int) -> str:
    if count == 0:
        return "zero"
    if count == total:
        return "all"
    if count == 1:
        return "one"
    return "few" if count <= 10 else "many"


def make_queries(docs: Sequence[TruthDoc], n: int = 40, seed: int = 1) -> list[Query]:
    """`n` distinct queries drawn from the documents' text, the same for the same seed.

    Mostly Chinese substrings of 1–8 characters from random fields, some crossing
    punctuation, some two-word queries, a few Latin or number words (one typed full-width)
    and a few with no hits (a real word plus a rare character), chosen so that the hit
    counts spread over none, one, a few (2–10), many and all branches.
    """
    if not docs:
        return []
    rng = random.Random(seed)
    total = len(docs)
    # Sorted so the draw does not depend on the caller's order.
    docs = sorted(docs, key=lambda d: d.slug)

    # Queries are cut from the text as shown (only whitespace removed), so punctuation stays
    # full-width as a reader would copy or type it: 「，打通」, folded to 「,打通」 for matching.
    shown = [[_SPACE.sub("", f) for f in d.fields] for d in docs]

    def field() -> str:
        return rng.choice(rng.choice(shown))

    def cjk(length: int) -> str | None:
        for _ in range(20):
            s = _substring(rng, field(), length)
            if s and all(_CJK.fullmatch(c) for c in s):
                return s
        return None

    def mixed(length: int) -> str | None:
        # Chinese next to punctuation or digits: 「活动165场」, 「驿站”为品牌」.
        for _ in range(40):
            s = _substring(rng, field(), length)
            if any(_CJK.fullmatch(c) for c in s) and not all(_CJK.fullmatch(c) for c in s):
                return s
        return None

    latin_words = sorted({w for d in docs for f in d.folded for w in _LATIN_WORD.findall(f)})

    draws: list[tuple[str, str | None]] = []
    for _ in range(max(8 * n, 200)):
        r = rng.random()
        if r < 0.55:
            length = rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8])
            draws.append(("cjk", cjk(length)))
        elif r < 0.68:
            draws.append(("mixed", mixed(rng.randint(3, 8))))
        elif r < 0.83:
            a, b = cjk(rng.randint(1, 4)), cjk(rng.randint(2, 4))
            draws.append(("two-words", f"{a} {b}" if a and b else None))
        elif r < 0.91 and latin_words:
            word = rng.choice(latin_words)
            draws.append(("latin", word[: rng.randint(2, 8)]))
        elif r < 0.94 and latin_words:
            draws.append(("fullwidth", to_fullwidth(rng.choice(latin_words)[:6])))
        else:
            word = cjk(rng.randint(2, 4))
            draws.append(("none", f"{word}{rng.choice(RARE)}" if word else None))

    # Pick queries to fill quotas per hit-count bucket and per kind, in draw order.
    quota = {"zero": max(2, n // 10), "one": max(3, n // 5), "few": max(3, n // 5), "all": max(2, n // 15)}
    quota["many"] = max(0, n - sum(quota.values()))
    kinds_quota = {"two-words": max(2, n // 8), "latin": 2, "fullwidth": 1, "mixed": max(2, n // 10)}
    seen: set[str] = set()
    candidates: list[Query] = []
    for kind, text in draws:
        if not text or text in seen:
            continue
        seen.add(text)
        candidates.append(Query(text, kind, len(hits(docs, text))))

    chosen: list[Query] = []
    taken: set[str] = set()
    filled = dict.fromkeys(quota, 0)

    def take(q: Query) -> None:
        chosen.append(q)
        taken.add(q.text)
        filled[_bucket(q.expected, total)] += 1

    # Special kinds first (each still counted in its bucket), then the buckets, filled with
    # Chinese queries before others (numbers are easy to make unique, but rarely typed).
    for kind, want in kinds_quota.items():
        for q in [c for c in candidates if c.kind == kind][:want]:
            take(q)
    order = {"cjk": 0, "mixed": 1, "two-words": 1, "none": 1}
    preferred = sorted(candidates, key=lambda c: order.get(c.kind, 2))  # stable: draw order within
    for bucket, want in quota.items():
        for q in preferred:
            if filled[bucket] >= want or len(chosen) >= n:
                break
            if q.text not in taken and _bucket(q.expected, total) == bucket:
                take(q)
    for q in preferred:
        if len(chosen) >= n:
            break
        if q.text not in taken:
            take(q)
    return chosen[:n]
