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

Fields never run into each other: they are joined with U+001F, which folding removes from
queries, and n-grams that would contain it are not indexed.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import html
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from showcase import urls
from showcase.content.catalog import Catalog
from showcase.content.load import Branch

SEP = "\x1f"
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

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|pre|tr|td|th)>|<br\s*/?>|<hr\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_text(fragment: str) -> str:
    """Visible text of a cleaned HTML fragment, one line per block."""
    text = _TAG.sub("", _BLOCK_END.sub("\n", fragment))
    return re.sub(r"\n{2,}", "\n", html.unescape(text)).strip()


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
    body.append(html_text(case_html))
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


# --- encoding -----------------------------------------------------------------------------------
# Built with numpy over the whole collection at once: per (n-gram, branch) work in Python made
# the index cost as much as the rest of the build (measured: 6.5 s for 1,000 branches).

Array = npt.NDArray[np.int64] | npt.NDArray[np.uint64] | npt.NDArray[np.uint8] | npt.NDArray[np.bool_]
_BITS = 21  # a code point fits in 21 bits; three make a 63-bit n-gram key


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for ch in text:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def _gz(data: bytes, level: int = 6) -> bytes:
    return gzip.compress(data, compresslevel=level, mtime=0)


def varints(values: Array) -> tuple[Array, Array]:
    """LEB128 bytes of non-negative `values`, and the byte offset where each value starts
    (one more entry than values: the end)."""
    v = values.astype(np.uint64)
    lengths = np.ones(len(v), dtype=np.int64)
    for k in range(1, 10):
        more = v >= np.uint64(1 << (7 * k))
        if not more.any():
            break
        lengths += more
    offsets = np.zeros(len(v) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    out = np.empty(int(offsets[-1]), dtype=np.uint8)
    for k in range(int(lengths.max()) if len(v) else 0):
        sel = lengths > k
        low = (v[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)
        out[offsets[:-1][sel] + k] = low.astype(np.uint8) | ((lengths[sel] > k + 1).astype(np.uint8) << 7)
    return out, offsets


def _varint_bytes(*values: int) -> bytes:
    out = bytearray()
    for v in values:
        while v >= 0x80:
            out.append((v & 0x7F) | 0x80)
            v >>= 7
        out.append(v)
    return bytes(out)


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
class _Grams:
    """Every n-gram occurrence of one size, sorted by n-gram, then branch, then position."""

    keys: Array
    docs: Array
    pos: Array

    @classmethod
    def of(cls, codes: Array, sep: Array, doc_of: Array, pos: Array, n: int) -> _Grams:
        m = max(len(codes) - n + 1, 0)
        key = codes[:m].copy()
        bad = sep[:m].copy()
        for k in range(1, n):
            key = (key << np.uint64(_BITS)) | codes[k : k + m]
            bad |= sep[k : k + m]
        keep = np.flatnonzero(~bad)
        order = np.argsort(key[keep], kind="stable")  # stable: positions stay in text order
        idx = keep[order]
        return cls(key[idx], doc_of[idx], pos[idx])

    def names(self, starts: Array, n: int) -> list[str]:
        mask = (1 << _BITS) - 1
        out = []
        for key in self.keys[starts].tolist():
            out.append("".join(chr((key >> (_BITS * (n - 1 - k))) & mask) for k in range(n)))
        return out


def _doc_level(g: _Grams, tlen: Array, n: int) -> tuple[Array, Array, Array, Array]:
    """Per (n-gram, branch): [branch delta, count*2 + in-title]. Returns (bytes, gram start
    offsets into them with the end appended, index of each gram's first occurrence, the
    last branch of each gram)."""
    change = np.ones(len(g.keys), dtype=bool)
    change[1:] = (g.keys[1:] != g.keys[:-1]) | (g.docs[1:] != g.docs[:-1])
    groups = np.flatnonzero(change)
    counts = np.diff(np.append(groups, len(g.keys)))
    in_title = np.maximum.reduceat((g.pos + n <= tlen[g.docs]).astype(np.int64), groups)
    gkeys, gdocs = g.keys[groups], g.docs[groups]
    first = np.ones(len(groups), dtype=bool)
    first[1:] = gkeys[1:] != gkeys[:-1]
    delta = gdocs - np.where(first, -1, np.append(-1, gdocs[:-1]))
    values = np.empty(2 * len(groups), dtype=np.int64)
    values[0::2] = delta
    values[1::2] = counts * 2 + in_title
    data, offsets = varints(values)
    gram_groups = np.flatnonzero(first)
    bounds = np.append(offsets[2 * gram_groups], offsets[-1])
    lasts = gdocs[np.append(gram_groups[1:], len(groups)) - 1]
    return data, bounds, groups[gram_groups], lasts


def _positional(g: _Grams) -> tuple[Array, Array, Array, Array]:
    """Per (n-gram, branch): [branch delta, count, first position, position deltas…]."""
    size = len(g.keys)
    new_gram = np.ones(size, dtype=bool)
    new_gram[1:] = g.keys[1:] != g.keys[:-1]
    new_doc = new_gram.copy()
    new_doc[1:] |= g.docs[1:] != g.docs[:-1]
    groups = np.flatnonzero(new_doc)
    counts = np.diff(np.append(groups, size))
    prev_pos = np.append(0, g.pos[:-1])
    pos_values = np.where(new_doc, g.pos, g.pos - prev_pos)
    gdocs = g.docs[groups]
    gfirst = new_gram[groups]
    delta = gdocs - np.where(gfirst, -1, np.append(-1, gdocs[:-1]))
    slot = np.arange(size) + 2 * np.cumsum(new_doc)  # where each position value goes
    values = np.empty(size + 2 * len(groups), dtype=np.int64)
    values[slot] = pos_values
    values[slot[groups] - 2] = delta
    values[slot[groups] - 1] = counts
    data, offsets = varints(values)
    firsts = np.flatnonzero(new_gram)
    bounds = np.append(offsets[slot[firsts] - 2], offsets[-1])
    gram_groups = np.flatnonzero(gfirst)
    lasts = gdocs[np.append(gram_groups[1:], len(groups)) - 1]
    return data, bounds, firsts, lasts


_CHUNK_CHARS = 600_000  # folded characters per chunk: about 250 MB of arrays at most


def _read_varint(data: bytes) -> tuple[int, int]:
    v = shift = i = 0
    while True:
        b = data[i]
        v |= (b & 0x7F) << shift
        shift += 7
        i += 1
        if not b & 0x80:
            return v, i


def _index_chunk(
    texts: list[str],
    tlens: list[int],
    start: int,
    end: int,
    parts: dict[str, list[bytes]],
    kinds: dict[str, int],
    last: dict[str, int],
) -> None:
    """Postings of branches start..end-1, appended to `parts` (doc ids stay global)."""
    whole = SEP.join(texts[start:end]) + SEP
    codes = np.frombuffer(whole.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    sep = codes == ord(SEP)
    lengths = np.array([len(t) + 1 for t in texts[start:end]], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    local = np.repeat(np.arange(end - start, dtype=np.int64), lengths)
    pos = np.arange(len(codes), dtype=np.int64) - starts[local]
    doc_of = local + start
    tlen = np.array(tlens, dtype=np.int64)
    for n in (1, 2, 3):
        g = _Grams.of(codes, sep, doc_of, pos, n)
        data, bounds, firsts, lasts = _positional(g) if n == 3 else _doc_level(g, tlen, n)
        blob = data.tobytes()
        kind = 2 if n == 3 else 1
        rows = zip(g.names(firsts, n), bounds[:-1].tolist(), bounds[1:].tolist(), lasts.tolist(), strict=True)
        for name, a, b, final in rows:
            part = blob[a:b]
            if name in last:  # its first delta counted from -1; count it from the gram's last branch
                first_plus_one, used = _read_varint(part)
                part = _varint_bytes(first_plus_one - 1 - last[name]) + part[used:]
            parts[name].append(part)
            kinds[name] = kind
            last[name] = final
        del g, data, blob


def build(
    docs: Sequence[Doc],
    taxonomy_regions: Sequence[tuple[str, str, int]],
    categories: Sequence[str],
    themes: Sequence[str],
) -> SearchFiles:
    """All files of the search index for `docs` (ids are positions in `docs`).

    `taxonomy_regions` lists (key, name, parent index or -1) in tree order."""
    region_index = {key: i for i, (key, _, _) in enumerate(taxonomy_regions)}
    category_index = {c: i for i, c in enumerate(categories)}
    theme_index = {t: i for i, t in enumerate(themes)}
    files: dict[str, bytes] = {}
    texts, tlens, table = [], [], []
    for i, doc in enumerate(docs):
        folded = [fold(f) for f in doc.fields]
        texts.append(SEP.join(folded))
        tlens.append(len(SEP.join(folded[: doc.title_fields])))
        themes_of = [theme_index[t] for t in doc.themes if t in theme_index]
        table += [
            tlens[-1],
            region_index.get(doc.region, 0),
            category_index.get(doc.category, 0),
            len(themes_of),
        ]
        table += themes_of
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

    grams: dict[str, tuple[int, bytes]] = {}  # n-gram → (kind, postings)
    parts: dict[str, list[bytes]] = defaultdict(list)
    kinds: dict[str, int] = {}
    last: dict[str, int] = {}
    # Branches are indexed a chunk at a time, so memory stays flat at any size; a gram's
    # postings from later chunks are appended with their first branch delta re-based.
    chunk_start = 0
    while chunk_start < len(docs):
        chunk_end, size = chunk_start, 0
        while chunk_end < len(docs) and (size < _CHUNK_CHARS or chunk_end == chunk_start):
            size += len(texts[chunk_end]) + 1
            chunk_end += 1
        _index_chunk(texts, tlens, chunk_start, chunk_end, parts, kinds, last)
        chunk_start = chunk_end
    grams = {name: (kinds[name], b"".join(p)) for name, p in parts.items()}

    raw = sum(len(p) for _, p in grams.values())
    shards = 16
    while shards < 4096 and raw / shards > _TARGET_SHARD_BYTES:
        shards *= 2
    grouped: dict[int, list[str]] = defaultdict(list)
    for name in sorted(grams):
        grouped[fnv1a(name) % shards].append(name)
    for s in range(shards):
        head = [_varint_bytes(len(grouped.get(s, [])))]
        body: list[bytes] = []
        for name in grouped.get(s, []):
            kind, posting = grams[name]
            encoded = name.encode("utf-8")
            head += [_varint_bytes(len(encoded)), encoded, _varint_bytes(kind, len(posting))]
            body.append(posting)
        # Varints compress little (about a quarter); the fastest level gets nearly all of it.
        files[f"{SEARCH_DIR}s/{s}.bin"] = _gz(b"".join(head + body), level=1)
    files[f"{SEARCH_DIR}docs.bin"] = _gz(varints(np.array(table, dtype=np.int64))[0].tobytes())
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
