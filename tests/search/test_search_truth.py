"""The search ground truth (tests/search_truth.py) itself: folding, AND, field boundaries,
reading a project, and the spread of sampled queries."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from search_truth import Query, TruthDoc, fold, hits, load_truth, make_queries, markdown_to_text, query_words

DOCS = [
    TruthDoc.make("a", ["阳光社区党委", "五心阳光", "ABC 服务队", "党员 志愿者"]),
    TruthDoc.make("b", ["和谐村党支部", "红心驿站", "abc"]),
    TruthDoc.make("c", ["先锋", "队伍"]),
]


def test_fold_nfkc_lower_no_whitespace() -> None:
    assert fold("ＡＢＣ　１２３") == "abc123"
    assert fold(" 党员\t志愿者\n") == "党员志愿者"
    assert fold("“阳光”，好") == "“阳光”,好"  # NFKC turns the full-width comma half-width
    assert query_words("  ＡＢＣ   党员  ") == ["abc", "党员"]


def test_full_width_query_matches_half_width_text() -> None:
    assert hits(DOCS, "ＡＢＣ") == {"a", "b"}
    assert hits(DOCS, "abc") == hits(DOCS, "Abc") == {"a", "b"}


def test_whitespace_inside_a_field_is_ignored() -> None:
    # "ABC 服务队" folds to "abc服务队"; "党员 志愿者" to "党员志愿者".
    assert hits(DOCS, "abc服务") == {"a"}
    assert hits(DOCS, "员志") == {"a"}


def test_several_words_must_all_occur_anywhere() -> None:
    assert hits(DOCS, "阳光 abc") == {"a"}  # different fields are fine
    assert hits(DOCS, "阳光 红心") == set()
    assert hits(DOCS, "党 abc") == {"a", "b"}
    assert hits(DOCS, "   ") == set()


def test_a_word_does_not_cross_a_field_boundary() -> None:
    assert hits(DOCS, "先锋队伍") == set()
    assert hits(DOCS, "先锋 队伍") == {"c"}
    assert hits(DOCS, "党委五心") == set()


def test_markdown_is_shown_as_the_reader_sees_it() -> None:
    text = markdown_to_text(
        "## 主要举措\n\n**加粗**的<b>标签</b>原样显示<!-- 给审核人的备注 -->。\n\n"
        "| 项目 | 数量 |\n|---|---|\n| 党员 | 12 |\n\n1. 第一条\n2. 第二条...\n"
    )
    assert "加粗的<b>标签</b>原样显示。" in text
    assert "备注" not in text
    assert "**" not in text and "|" not in text
    assert "第二条…" in text  # the site renders "..." as an ellipsis


def test_load_truth_reads_profile_case_and_updates(tmp_path: Path) -> None:
    folder = tmp_path / "branches" / "demo-shequ"
    (folder / "updates").mkdir(parents=True)
    (folder / "profile.yml").write_text(
        "slug: demo-shequ\nname: 示范社区党委\nshort_name: 示范党委\n"
        "brand: {name: 红色港湾, slogan: 服务零距离}\nsummary: 一句话简介。\n"
        "figures:\n  - {label: 党员人数, value: 12, unit: 名}\n"
        "photos:\n  - {file: photos/a.jpg, caption: 志愿者入户走访, credit: 本报记者}\n"
        "honors:\n  - {title: 先进基层党组织, date: 2024-01-01, by: 市委}\n",
        "utf-8",
    )
    (folder / "case.md").write_text("## 主要举措\n\n建立**问题清单**。\n", "utf-8")
    (folder / "updates" / "2024-10-01.md").write_text(
        "---\ndate: 2024-10-01\ntitle: 国庆联欢\n---\n\n社区举办联欢会。\n", "utf-8"
    )
    [doc] = load_truth(tmp_path)
    assert doc.slug == "demo-shequ" and doc.url == "branches/demo-shequ/"
    for word in ["示范党委", "红色港湾", "零距离", "党员人数", "入户走访", "问题清单", "国庆联欢", "联欢会"]:
        assert hits([doc], word) == {"demo-shequ"}, word
    # Not searchable: figure values, honours, photo credits, file names.
    for word in ["12名", "先进基层", "本报记者", "a.jpg"]:
        assert hits([doc], word) == set(), word


def test_make_queries_is_deterministic_and_spread(tmp_path: Path) -> None:
    from showcase.tools.synth import synthesize

    synthesize(tmp_path, 80, progress=False)
    docs = load_truth(tmp_path)
    queries = make_queries(docs, 40, seed=3)
    assert queries == make_queries(list(reversed(docs)), 40, seed=3)
    assert len(queries) == 40 and len({q.text for q in queries}) == 40
    for q in queries:
        assert q.expected == len(hits(docs, q.text)), q
    counts = Counter(q.expected for q in queries)
    assert counts[0] >= 2 and counts[1] >= 3 and counts[len(docs)] >= 2
    assert any(2 <= c <= 10 for c in counts) and any(10 < c < len(docs) for c in counts)
    kinds = Counter(q.kind for q in queries)
    assert kinds["two-words"] >= 2 and kinds["mixed"] >= 2 and kinds["none"] >= 1
    assert kinds["cjk"] >= len(queries) // 3
    assert all(isinstance(q, Query) for q in queries)


def test_site_truth_is_what_the_built_pages_show(sample_site) -> None:  # type: ignore[no-untyped-def]
    """Every part of a branch page counts, not a list of fields: tags, region, category, data
    cards with their numbers, honours, credits, sources; updates and other pages too."""
    import yaml

    from conftest import ROOT
    from search_truth import load_site_truth, url_hits

    docs = load_site_truth(ROOT, sample_site.dir)
    branches = [d for d in docs if d.kind == "branch"]
    assert [d.slug for d in branches] == sorted(p.name for p in (ROOT / "branches").iterdir() if p.is_dir())
    for d in branches:
        profile = yaml.safe_load((ROOT / "branches" / d.slug / "profile.yml").read_text("utf-8"))
        shown = [f"#{t}" for t in profile["themes"]] + [profile["category"], profile["region"].split("/")[-1]]
        shown += [f["label"] for f in profile.get("figures", [])] + [
            h["title"] for h in profile.get("honors", [])
        ]
        shown += [s["title"] for s in profile.get("sources", [])]
        for text in shown:
            assert d.contains(fold(text)), (d.slug, text)
        assert any(d.contains(fold(w)) for w in d.names)
    assert {d.kind for d in docs} == {"branch", "update", "page"}
    assert {d.url for d in docs if d.kind == "page"} >= {"reports/", "editions/", "about/"}
    update = next(d for d in docs if d.kind == "update")
    assert update.url in url_hits(docs, update.fields[1]) and "#" in update.url
