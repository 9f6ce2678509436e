"""Chinese full-text search: an exact substring index, sharded so a query downloads little.

What a hit is: a branch is a hit for a word when the word occurs in its visible text — name,
short name, brand, slogan, summary, figure labels, case write-up, photo captions — after
both are folded the same way (per-character NFKC, so full-width letters and digits become
half-width; lower case; whitespace removed). A query of several words (split on spaces)
needs all of them. Text is not segmented into words: 党员包户 is found wherever those four
characters stand together, which is what readers expect and what word-based engines
(lunr+jieba, Pagefind) get wrong both ways.

How it stays exact and small: the folded text of every branch is indexed three ways,
  - each character → the branches containing it, with counts (1-character queries)
  - each pair      → the same (2-character queries)
  - each triple    → the branches and the positions where it stands (3 characters and more:
    a 7-character word is found where triples at offsets 0, 3 and 4 line up).
Postings are varint-coded and spread over `shards` files by a hash of the n-gram (FNV-1a over
code points, computed identically in search.js); a query fetches only the shards of its
n-grams, then the stored text of the results it shows, for snippets. All files are gzip
bodies the browser inflates with DecompressionStream (Chromium 80+, so WeChat's 100+ is fine).
The postings themselves are made in postings.py; this module makes the documents and files.

Fields never run into each other: they are joined with U+001F, which folding removes from
queries, and n-grams that would contain it are not indexed.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from showcase import urls
from showcase.content.catalog import Catalog
from showcase.content.load import Branch
from showcase.render.html_text import visible_text
from showcase.search.postings import SEP, postings, varint_bytes, varints

_SPACE = re.compile(r"\s+")  # Unicode whitespace, which includes U+001F
FORMAT = 1  # bump when the file layout changes (search.js checks it)
SEARCH_DIR = "search/"
_TARGET_SHARD_BYTES = 12 * 1024  # before compression; one shard is one request


# --- folding (mirrored in assets/search.js) ---------------------------------------------------


def fold(text: str) -> str:
    """The form both the index and the query are compared in (search.js: the same steps)."""
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is much cheaper
        text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text.lower())


def query_words(query: str) -> list[str]:
    """A query's words: split on whitespace, folded, duplicates removed, order kept."""
    return list(dict.fromkeys(w for w in (fold(part) for part in query.split()) if w))


# --- the text of a branch -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Doc:
    slug: str
    url: str
    name: str
    brand: str
    region: str  # region key
    category: str
    themes: tuple[str, ...]
    fields: tuple[str, ...]  # visible text, title fields first
    title_fields: int


def branch_doc(branch: Branch, case_html: str) -> Doc:
    """The searchable text of a branch; `case_html` is its rendered case write-up."""
    p = branch.profile
    title = [p.name, p.short_name or "", p.brand.name]
    body = [p.brand.slogan or "", p.summary]
    body += [f.label for f in p.figures]
    body.append(visible_text(case_html))
    body += [ph.caption for ph in p.photos]
    return Doc(
        slug=branch.slug,
        url=urls.branch(branch.slug),
        name=p.name,
        brand=p.brand.name,
        region=branch.region.key,
        category=p.category,
        themes=tuple(dict.fromkeys(p.themes)),
        fields=tuple(title + body),
        title_fields=len(title),
    )


# --- the files ---------------------------------------------------------------------------------


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for ch in text:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def _gz(data: bytes, level: int = 6) -> bytes:
    return gzip.compress(data, compresslevel=level, mtime=0)


@dataclasses.dataclass
class SearchFiles:
    files: dict[str, bytes]  # site-root relative path → bytes
    docs: int
    shards: int
    raw_bytes: int  # postings before compression

    @property
    def total_bytes(self) -> int:
        return sum(len(b) for b in self.files.values())


@dataclasses.dataclass
class _Texts:
    """What the postings and docs.bin are made from, one entry (or row) per document."""

    folded: list[str] = dataclasses.field(default_factory=list)  # fields folded, joined by SEP
    title_lengths: list[int] = dataclasses.field(default_factory=list)
    table: list[int] = dataclasses.field(default_factory=list)  # docs.bin: a row per document


def _doc_files(
    docs: Sequence[Doc],
    taxonomy_regions: Sequence[tuple[str, str, int]],
    categories: Sequence[str],
    themes: Sequence[str],
    files: dict[str, bytes],
) -> _Texts:
    """Each document's stored text (d/<id>.bin, into `files`) and its folded text."""
    region_index = {key: i for i, (key, _, _) in enumerate(taxonomy_regions)}
    category_index = {c: i for i, c in enumerate(categories)}
    theme_index = {t: i for i, t in enumerate(themes)}
    out = _Texts()
    for i, doc in enumerate(docs):
        folded = [fold(f) for f in doc.fields]
        out.folded.append(SEP.join(folded))
        out.title_lengths.append(len(SEP.join(folded[: doc.title_fields])))
        themes_of = [theme_index[t] for t in doc.themes if t in theme_index]
        out.table += [
            out.title_lengths[-1],
            region_index.get(doc.region, 0),
            category_index.get(doc.category, 0),
            len(themes_of),
        ]
        out.table += themes_of
        record = {
            "u": doc.url,
            "n": doc.name,
            "b": doc.brand,
            "r": doc.region,
            "k": doc.title_fields,
            "f": list(doc.fields),
        }
        files[f"{SEARCH_DIR}d/{i}.bin"] = _gz(
            json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
        )
    return out


def _shard_files(grams: dict[str, tuple[int, bytes]], raw: int, files: dict[str, bytes]) -> int:
    """The postings (`raw` bytes in all) spread over shards (s/<n>.bin, into `files`);
    returns how many shards."""
    shards = 16
    while shards < 4096 and raw / shards > _TARGET_SHARD_BYTES:
        shards *= 2
    grouped: dict[int, list[str]] = defaultdict(list)
    for name in sorted(grams):
        grouped[fnv1a(name) % shards].append(name)
    for s in range(shards):
        head = [varint_bytes(len(grouped.get(s, [])))]
        body: list[bytes] = []
        for name in grouped.get(s, []):
            kind, posting = grams[name]
            encoded = name.encode("utf-8")
            head += [varint_bytes(len(encoded)), encoded, varint_bytes(kind, len(posting))]
            body.append(posting)
        # Varints compress little (about a quarter); the fastest level gets nearly all of it.
        files[f"{SEARCH_DIR}s/{s}.bin"] = _gz(b"".join(head + body), level=1)
    return shards


def build(
    docs: Sequence[Doc],
    taxonomy_regions: Sequence[tuple[str, str, int]],
    categories: Sequence[str],
    themes: Sequence[str],
) -> SearchFiles:
    """All files of the search index for `docs` (ids are positions in `docs`).

    `taxonomy_regions` lists (key, name, parent index or -1) in tree order."""
    files: dict[str, bytes] = {}
    texts = _doc_files(docs, taxonomy_regions, categories, themes, files)
    grams = postings(texts.folded, texts.title_lengths)
    raw = sum(len(p) for _, p in grams.values())
    shards = _shard_files(grams, raw, files)
    files[f"{SEARCH_DIR}docs.bin"] = _gz(varints(np.array(texts.table, dtype=np.int64))[0].tobytes())
    meta: dict[str, object] = {
        "format": FORMAT,
        "docs": len(docs),
        "shards": shards,
        "regions": [[name, parent] for _, name, parent in taxonomy_regions],
        "regionKeys": [key for key, _, _ in taxonomy_regions],
        "categories": list(categories),
        "themes": list(themes),
    }
    # The version lets search.js refuse a stale mix of files (a cached meta, new shards).
    h = hashlib.sha256()
    for k in sorted(files):
        h.update(k.encode() + b"\0" + files[k])
    meta["version"] = h.hexdigest()[:16]
    files[f"{SEARCH_DIR}meta.json"] = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()
    return SearchFiles(files=files, docs=len(docs), shards=shards, raw_bytes=raw)


def catalog_docs(catalog: Catalog, case_html: Callable[[Branch], str]) -> list[Doc]:
    """Search documents of all branches, in slug order (a document's id is its position)."""
    return [branch_doc(b, case_html(b)) for b in sorted(catalog.branches, key=lambda b: b.slug)]


def taxonomy_lists(catalog: Catalog) -> tuple[list[tuple[str, str, int]], list[str], list[str]]:
    """Regions (key, name, parent index) in tree order, categories and themes, for `build`."""
    regions: list[tuple[str, str, int]] = []
    index: dict[str, int] = {}
    for root in catalog.taxonomy.roots:
        for region in root.walk():
            parent = index[region.parent.key] if region.parent is not None else -1
            index[region.key] = len(regions)
            regions.append((region.key, region.name, parent))
    return regions, catalog.taxonomy.category_names, catalog.taxonomy.theme_names


# --- reference implementation of a query (tests and the benchmark compare search.js with it) ----


def matches(doc: Doc, query: str) -> bool:
    words = query_words(query)
    texts = [fold(f) for f in doc.fields]
    return bool(words) and all(any(w in t for t in texts) for w in words)
