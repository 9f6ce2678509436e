"""The search index's postings: every n-gram of the folded texts, varint-coded with numpy.

Built over the whole collection at once: per (n-gram, document) work in Python made the index
cost as much as the rest of the build (measured: 6.5 s for 1,000 branches). What the bytes
mean is described in index.py (and read by assets/search.js):
  - 1-, 2- and 3-character grams: per document [document delta, count*2 + in-title];
  - 3-character grams again, with positions (kept apart, fetched only for words of 4
    characters or more): per document [document delta, count, first position, deltas…].
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import numpy as np
import numpy.typing as npt

SEP = "\x1f"  # joins a document's fields; n-grams that contain it are not indexed
KIND_COUNTS = 1  # document-level postings (1-, 2- and 3-character grams)
KIND_POSITIONS = 2  # postings with positions (3-character grams)

Array = npt.NDArray[np.int64] | npt.NDArray[np.uint64] | npt.NDArray[np.uint8] | npt.NDArray[np.bool_]
_BITS = 21  # a code point fits in 21 bits; three make a 63-bit n-gram key
_CHUNK_CHARS = 600_000  # folded characters per chunk: about 250 MB of arrays at most


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


def varint_bytes(*values: int) -> bytes:
    """LEB128 bytes of a few non-negative integers (no numpy: for headers)."""
    out = bytearray()
    for v in values:
        while v >= 0x80:
            out.append((v & 0x7F) | 0x80)
            v >>= 7
        out.append(v)
    return bytes(out)


def _read_varint(data: bytes) -> tuple[int, int]:
    v = shift = i = 0
    while True:
        b = data[i]
        v |= (b & 0x7F) << shift
        shift += 7
        i += 1
        if not b & 0x80:
            return v, i


@dataclasses.dataclass
class _Grams:
    """Every n-gram occurrence of one size, sorted by n-gram, then document, then position."""

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
    """Per (n-gram, document): [document delta, count*2 + in-title]. Returns (bytes, gram start
    offsets into them with the end appended, index of each gram's first occurrence, the
    last document of each gram)."""
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
    """Per (n-gram, document): [document delta, count, first position, position deltas…]."""
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


@dataclasses.dataclass
class _Postings:
    """Postings collected so far: a gram's parts from every chunk, its kind, its last document."""

    parts: dict[str, list[bytes]] = dataclasses.field(default_factory=lambda: defaultdict(list))
    kinds: dict[str, int] = dataclasses.field(default_factory=dict)
    last: dict[str, int] = dataclasses.field(default_factory=dict)


def _index_chunk(
    texts: list[str], tlens: list[int], start: int, end: int, into: _Postings, positions: _Postings
) -> None:
    """Postings of documents start..end-1, appended to `into` (doc ids stay global)."""
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
        _append(g, n, *_doc_level(g, tlen, n), KIND_COUNTS, into)
        if n == 3:
            _append(g, n, *_positional(g), KIND_POSITIONS, positions)
        del g


def _append(
    g: _Grams, n: int, data: Array, bounds: Array, firsts: Array, lasts: Array, kind: int, into: _Postings
) -> None:
    blob = data.tobytes()
    rows = zip(g.names(firsts, n), bounds[:-1].tolist(), bounds[1:].tolist(), lasts.tolist(), strict=True)
    for name, a, b, final in rows:
        part = blob[a:b]
        if name in into.last:  # its first delta counted from -1; count it from the gram's last document
            first_plus_one, used = _read_varint(part)
            part = varint_bytes(first_plus_one - 1 - into.last[name]) + part[used:]
        into.parts[name].append(part)
        into.kinds[name] = kind
        into.last[name] = final


Grams = dict[str, tuple[int, bytes]]  # n-gram → (kind, postings)


def postings(texts: list[str], title_lengths: list[int]) -> tuple[Grams, Grams]:
    """Document-level postings of every 1-, 2- and 3-gram, and positional postings of every
    3-gram, over the folded texts (a document's id is its position; `title_lengths` are the
    lengths of the texts' title parts)."""
    into, positions = _Postings(), _Postings()
    # Documents are indexed a chunk at a time, so memory stays flat at any size; a gram's
    # postings from later chunks are appended with their first document delta re-based.
    chunk_start = 0
    while chunk_start < len(texts):
        chunk_end, size = chunk_start, 0
        while chunk_end < len(texts) and (size < _CHUNK_CHARS or chunk_end == chunk_start):
            size += len(texts[chunk_end]) + 1
            chunk_end += 1
        _index_chunk(texts, title_lengths, chunk_start, chunk_end, into, positions)
        chunk_start = chunk_end
    return (
        {name: (into.kinds[name], b"".join(p)) for name, p in into.parts.items()},
        {name: (positions.kinds[name], b"".join(p)) for name, p in positions.parts.items()},
    )
