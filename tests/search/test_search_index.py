"""The search index files (showcase.search), read back with an independent Python decoder.

The decoder here follows the file layout described in index.py and postings.py; a query answered from the
decoded postings must equal the reference answer `search.matches` for every document.
The browser tests (test_search_browser.py) do the same through search.js.
"""

from __future__ import annotations

import gzip
import json
import random

import numpy as np
import pytest

from showcase.search import index as search
from showcase.search import postings
from showcase.search.collect import Doc, Kind
from showcase.search.index import fnv1a, fold, query_words
from showcase.search.postings import varints


def read_varints(data: bytes, at: int = 0) -> tuple[list[int], int]:
    out, v, shift = [], 0, 0
    for i in range(at, len(data)):
        b = data[i]
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            out.append(v)
            v, shift = 0, 0
    return out, len(data)


class Index:
    """Reads the files `search.build` wrote, the way search.js does."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.meta = json.loads(files["search/meta.json"])
        table, _ = read_varints(gzip.decompress(files["search/docs.bin"]))
        n = self.meta["docs"]
        # column by column: title length, region + 1, category + 1, theme count, themes
        self.tlen, self.region, self.category = table[:n], table[n : 2 * n], table[2 * n : 3 * n]
        counts, themes = table[3 * n : 4 * n], table[4 * n :]
        self.themes = []
        for c in counts:
            self.themes.append(themes[:c])
            themes = themes[c:]

    def postings(self, gram: str, positions: bool = False) -> tuple[int, bytes] | None:
        folder, count = ("p", self.meta["positionShards"]) if positions else ("s", self.meta["shards"])
        data = gzip.decompress(self.files[f"search/{folder}/{fnv1a(gram) % count}.bin"])
        pos = 0

        def next_int() -> int:
            nonlocal pos
            v, shift = 0, 0
            while True:
                b = data[pos]
                pos += 1
                v |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    return v

        heads = []
        for _ in range(next_int()):
            n = next_int()
            name = data[pos : pos + n].decode()
            pos += n
            heads.append((name, next_int(), next_int()))
        at = pos
        for name, kind, size in heads:
            if name == gram:
                return kind, data[at : at + size]
            at += size
        return None

    def word(self, word: str) -> dict[int, tuple[int, bool]]:
        """doc → (occurrences, occurs in the title)."""
        if len(word) <= 3:
            found = self.postings(word)
            if found is None:
                return {}
            values, _ = read_varints(found[1])
            out, doc = {}, -1
            for delta, v in zip(values[0::2], values[1::2], strict=True):
                doc += delta
                out[doc] = (v // 2, bool(v % 2))
            return out
        offsets = [*range(0, len(word) - 3, 3), len(word) - 3]
        lists = []
        for o in offsets:
            found = self.postings(word[o : o + 3], positions=True)
            if found is None:
                return {}
            values, _ = read_varints(found[1])
            docs, i, doc = {}, 0, -1
            while i < len(values):
                doc += values[i]
                n = values[i + 1]
                pos = list(np.cumsum(values[i + 2 : i + 2 + n]))
                docs[doc] = {int(p) for p in pos}
                i += 2 + n
            lists.append(docs)
        out = {}
        for doc, first in lists[0].items():
            if not all(doc in other for other in lists[1:]):
                continue
            hits = [p for p in first if all(p + o in lists[k][doc] for k, o in enumerate(offsets) if k)]
            if hits:
                out[doc] = (len(hits), any(p + len(word) <= self.tlen[doc] for p in hits))
        return out

    def query(self, q: str) -> set[int]:
        words = query_words(q)
        sets = [set(self.word(w)) for w in words]
        return set.intersection(*sets) if sets else set()


def doc(slug: str, *fields: str, kind: Kind = Kind.BRANCH) -> Doc:
    """A document whose first two fields are its title fields."""
    return Doc(
        kind, f"branches/{slug}/", fields[0], fields[1], "甲市", "社区", (), fields[:2], (), fields[2:]
    )


DOCS = [
    doc("a", "阳光社区党委", "五心阳光", "社区推行党员包户，党员包户覆盖全部楼栋。", "网格化管理"),
    doc("b", "花园社区党总支", "党建·家", "党员 包户 分开写", "ＷｉＦｉ全覆盖"),
    doc("c", "书香政协", "读书", "委员读书会，书香满政协。党员先锋"),
    doc("d", "东杨坨村", "网格化管理、物业化服务", "村里推行网格化管理", ""),
]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(search.build(DOCS, [("甲市", "甲市", -1)], ["社区"], []).files)


def test_fold() -> None:
    assert fold("ＷｉＦｉ 全\u3000覆盖\n") == "wifi全覆盖"
    assert fold("Ｎｏ．１") == "no.1"
    assert query_words("  党员  包户 党员 ") == ["党员", "包户"]


def test_fnv1a_matches_the_published_test_vectors() -> None:
    # FNV-1a 32-bit test vectors (the reference implementation's test suite)
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


@pytest.mark.parametrize("values", [[0], [127, 128, 255, 16383, 16384, 2**31, 2**40 + 5], list(range(300))])
def test_varints_round_trip(values: list[int]) -> None:
    data, offsets = varints(np.array(values, dtype=np.int64))
    assert read_varints(data.tobytes())[0] == values
    assert offsets[-1] == len(data) and len(offsets) == len(values) + 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("党员包户", {"a", "b"}),  # b writes "党员 包户": whitespace inside a field is removed
        ("网格化管理", {"a", "d"}),
        ("书", {"c"}),
        ("党员", {"a", "b", "c"}),
        ("wifi", {"b"}),
        ("ＷＩＦＩ", {"b"}),
        ("党员 网格化", {"a"}),
        ("阳光党委", set()),  # not contiguous
        ("化管理、物业化服务", {"d"}),  # 9 characters: trigrams at offsets 0, 3 and 6
        ("管理网格", set()),  # would only match across the field boundary of a
        ("读书会", {"c"}),
    ],
)
def test_queries_answered_from_the_files(index: Index, query: str, expected: set[str]) -> None:
    slugs = [d.url.split("/")[1] for d in DOCS]
    assert {slugs[i] for i, d in enumerate(DOCS) if search.matches(d, query)} == expected
    assert {slugs[i] for i in index.query(query)} == expected


def test_counts_and_title_flags(index: Index) -> None:
    assert index.word("党员包户") == {0: (2, False), 1: (1, False)}
    assert index.word("五心阳光") == {0: (1, True)}
    assert index.word("网格化管理")[3] == (2, True)  # brand once, case once
    assert index.word("书")[2] == (4, True)
    assert index.word("读书会") == {2: (1, False)}  # three characters: document level only


def test_docs_table_and_kinds() -> None:
    docs = [
        doc("a", "阳光社区党委", "五心阳光"),
        doc("b", "阳光动态", "", kind=Kind.UPDATE),
        Doc(Kind.PAGE, "about/", "关于本站", "", "", "", (), ("关于本站",), (), ("本站收录阳光社区",)),
    ]
    files = search.build(docs, [("甲市", "甲市", -1)], ["社区"], ["志愿服务"])
    idx = Index(files.files)
    assert idx.meta["kinds"] == [1, 1, 1] and files.kinds == (1, 1, 1)
    assert idx.region == [1, 1, 0] and idx.category == [1, 1, 0]  # + 1; 0: a page has none
    assert idx.query("阳光") == {0, 1, 2}
    record = json.loads(gzip.decompress(files.files["search/d/2.bin"]))
    assert record["t"] == 2 and record["u"] == "about/" and record["f"] == ["关于本站", "本站收录阳光社区"]


def test_random_substrings_match_the_reference() -> None:
    rng = random.Random(7)
    text = "党员群众服务网格化管理社区志愿者巡逻护学一老一小文体活动"
    docs = [
        doc(
            f"d{i}",
            "".join(rng.choice(text) for _ in range(8)),
            "品牌",
            "".join(rng.choice(text) for _ in range(300)),
        )
        for i in range(40)
    ]
    idx = Index(search.build(docs, [("甲市", "甲市", -1)], ["社区"], []).files)
    for _ in range(200):
        d = rng.choice(docs)
        field = rng.choice(d.fields)
        n = rng.randint(1, 8)
        start = rng.randint(0, max(len(field) - n, 0))
        q = field[start : start + n] if rng.random() < 0.8 else "".join(rng.choice(text) for _ in range(n))
        want = {i for i, x in enumerate(docs) if search.matches(x, q)}
        assert idx.query(q) == want, q


def test_build_is_deterministic() -> None:
    a = search.build(DOCS, [("甲市", "甲市", -1)], ["社区"], [])
    b = search.build(list(DOCS), [("甲市", "甲市", -1)], ["社区"], [])
    assert a.files == b.files
    assert json.loads(a.files["search/meta.json"])["version"]


def test_building_in_chunks_gives_the_same_files(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    text = "党员群众服务网格化管理社区志愿者"
    docs = [
        doc(f"d{i}", f"社区{i}", "品牌", "".join(rng.choice(text) for _ in range(120))) for i in range(30)
    ]
    whole = search.build(docs, [("甲市", "甲市", -1)], ["社区"], []).files
    monkeypatch.setattr(postings, "_CHUNK_CHARS", 200)  # a chunk of about one or two branches
    assert search.build(docs, [("甲市", "甲市", -1)], ["社区"], []).files == whole
