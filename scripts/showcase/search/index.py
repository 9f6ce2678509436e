"""Chinese full-text search: an exact substring index, sharded so a query downloads little.

What a hit is: a document is a hit for a word when the word occurs in one line of its visible
text (collect.py: what the page shows, as rendered) or in one of its title fields, after both
are folded the same way (per-character NFKC, so full-width letters and digits become
half-width; lower case; whitespace removed). A query of several words (split on spaces) needs
all of them. Text is not segmented into words: 党员包户 is found wherever those four characters
stand together, which is what readers expect and what word-based engines (lunr+jieba,
Pagefind) get wrong both ways. A branch's name, short name and brand are also indexed as
pinyin (pinyin.py), so `dybh` and `dangyuan baohu` find 党员包户.

How it stays exact and small: the folded text of every document is indexed three ways,
  - each character, pair and triple → the documents containing it, with counts
    (s/<n>.bin: 1-, 2- and 3-character words need nothing more);
  - each triple → the documents and the positions where it stands (p/<n>.bin, fetched only
    for words of 4 characters or more: a 7-character word is found where triples at offsets
    0, 3 and 4 line up).
Postings are varint-coded and spread over shards by a hash of the n-gram (FNV-1a over code
points, computed identically in search.js); a query fetches only the shards of its n-grams,
then the stored text of the results it shows, for snippets (d/<id>.bin). All files are gzip
bodies the browser inflates with DecompressionStream (Chromium 80+, so WeChat's 100+ is fine).
The postings themselves are made in postings.py; this module makes the files.

Documents are numbered by kind (meta.json `kinds`: how many 党组织, 动态, 其他页面), so a kind
is an id range. docs.bin holds, column by column, what filters and ranking need per document:
title length, region + 1, category + 1 (0: none), theme count, themes.

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
from collections.abc import Sequence

import numpy as np

from showcase.content.catalog import Catalog
from showcase.search import pinyin
from showcase.search.collect import Doc, Kind
from showcase.search.postings import SEP, Grams, postings, varint_bytes, varints

_SPACE = re.compile(r"\s+")  # Unicode whitespace, which includes U+001F
FORMAT = 2  # bump when the file layout changes (search.js checks it)
SEARCH_DIR = "search/"
_TARGET_SHARD_BYTES = 12 * 1024  # before compression; one shard is one request
_MAX_SHARDS = 16384


# --- folding (mirrored in assets/search.js) ---------------------------------------------------


def fold(text: str) -> str:
    """The form both the index and the query are compared in (search.js: the same steps)."""
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is much cheaper
        text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text.lower())


def query_words(query: str) -> list[str]:
    """A query's words: split on whitespace, folded, duplicates removed, order kept."""
    return list(dict.fromkeys(w for w in (fold(part) for part in query.split()) if w))


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
    kinds: tuple[int, int, int]  # documents per kind: 党组织, 动态, 其他页面
    shards: int
    raw_bytes: int  # postings before compression

    @property
    def total_bytes(self) -> int:
        return sum(len(b) for b in self.files.values())


def indexed_fields(doc: Doc) -> tuple[list[str], int]:
    """The folded fields the postings are made of, and how many of them are title fields:
    the title fields, then (for a branch) their pinyin, then the lines of the page."""
    titles = [fold(t) for t in doc.titles] + [code for t in doc.spelled for code in pinyin.fields(t)]
    return titles + [fold(line) for line in doc.lines], len(titles)


@dataclasses.dataclass
class _Texts:
    """What the postings and docs.bin are made from, one entry (or row) per document."""

    folded: list[str] = dataclasses.field(default_factory=list)  # fields folded, joined by SEP
    title_lengths: list[int] = dataclasses.field(default_factory=list)
    columns: tuple[list[int], ...] = dataclasses.field(default_factory=lambda: ([], [], [], [], []))


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
    tlen, region, category, theme_count, theme_ids = out.columns
    for i, doc in enumerate(docs):
        folded, title_fields = indexed_fields(doc)
        out.folded.append(SEP.join(folded))
        out.title_lengths.append(len(SEP.join(folded[:title_fields])))
        themes_of = [theme_index[t] for t in doc.themes if t in theme_index]
        tlen.append(out.title_lengths[-1])
        region.append(region_index[doc.region] + 1 if doc.region in region_index else 0)
        category.append(category_index[doc.category] + 1 if doc.category in category_index else 0)
        theme_count.append(len(themes_of))
        theme_ids.extend(themes_of)
        record = {
            "t": int(doc.kind),
            "u": doc.url,
            "n": doc.title,
            "b": doc.subtitle,
            "r": doc.region,
            "k": len(doc.titles),
            "f": list(doc.fields),
        }
        files[f"{SEARCH_DIR}d/{i}.bin"] = _gz(
            json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
        )
    return out


def _shard_files(grams: Grams, raw: int, folder: str, files: dict[str, bytes]) -> int:
    """The postings (`raw` bytes in all) spread over shards (<folder>/<n>.bin, into `files`);
    returns how many shards."""
    shards = 16
    while shards < _MAX_SHARDS and raw / shards > _TARGET_SHARD_BYTES:
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
        files[f"{SEARCH_DIR}{folder}/{s}.bin"] = _gz(b"".join(head + body), level=1)
    return shards


def build(
    docs: Sequence[Doc],
    taxonomy_regions: Sequence[tuple[str, str, int]],
    categories: Sequence[str],
    themes: Sequence[str],
) -> SearchFiles:
    """All files of the search index for `docs` (ids are positions in `docs`, which come
    ordered by kind: branches, updates, pages).

    `taxonomy_regions` lists (key, name, parent index or -1) in tree order."""
    files: dict[str, bytes] = {}
    texts = _doc_files(docs, taxonomy_regions, categories, themes, files)
    grams, positions = postings(texts.folded, texts.title_lengths)
    raw = sum(len(p) for _, p in grams.values())
    raw_positions = sum(len(p) for _, p in positions.values())
    shards = _shard_files(grams, raw, "s", files)
    position_shards = _shard_files(positions, raw_positions, "p", files)
    table = np.array([v for column in texts.columns for v in column], dtype=np.int64)
    files[f"{SEARCH_DIR}docs.bin"] = _gz(varints(table)[0].tobytes(), level=9)
    kinds = tuple(sum(1 for d in docs if d.kind is k) for k in Kind)
    meta: dict[str, object] = {
        "format": FORMAT,
        "docs": len(docs),
        "kinds": list(kinds),
        "shards": shards,
        "positionShards": position_shards,
        "regions": [[name, parent] for _, name, parent in taxonomy_regions],
        "regionKeys": [key for key, _, _ in taxonomy_regions],
        "categories": list(categories),
        "themes": list(themes),
        "pinyin": " ".join(pinyin.syllables()),
        "pinyinBase": pinyin.SYLLABLE_BASE,
        "initialBase": pinyin.INITIAL_BASE,
    }
    # The version lets search.js refuse a stale mix of files (a cached meta, new shards).
    h = hashlib.sha256()
    for k in sorted(files):
        h.update(k.encode() + b"\0" + files[k])
    meta["version"] = h.hexdigest()[:16]
    files[f"{SEARCH_DIR}meta.json"] = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()
    return SearchFiles(
        files=files,
        docs=len(docs),
        kinds=(kinds[0], kinds[1], kinds[2]),
        shards=shards + position_shards,
        raw_bytes=raw + raw_positions,
    )


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
    """Literal matches only (pinyin is search.js's reading of Latin words)."""
    words = query_words(query)
    texts = [fold(f) for f in doc.fields]
    return bool(words) and all(any(w in t for t in texts) for w in words)
