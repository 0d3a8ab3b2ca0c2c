"""The postings ranker against Whoosh's own matchers: same totals, same top hits, same scores,
over several segments with deleted documents; and the totals the search box shows are exact."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from sinoread.engine import open_writer
from sinoread.engine.ranking import Ranker
from sinoread.indexing import Index
from sinoread.search import QueryError
from tests.helpers import WORDS, write_articles

QUERIES = [
    "china", "navy", "hotline", '"prime minister"', '"world cup"', '"coast guard vessels"', "economy AND growth",
    "film OR music", "bank AND (rates OR inflation)", "china AND japan AND russia", "vietnam OR philippines",
    '"prime minister" NOT film', "economy AND NOT growth", "china ANDNOT japan", "title:china", "country:china",
    "pair:china-japan", "film^2 OR music", '"world cup"^3', '"united states"', "minister said",
]


@pytest.fixture(scope="module")
def segmented(tmp_path_factory, cfg):
    """400 articles, then 30 changed, 20 deleted and 40 added, committed without a merge:
    two segments and deleted documents, the shape an analyst's index takes between merges."""
    from sinoread.engine import add_document
    from sinoread.indexing.documents import prepare
    from sinoread.ingest.files import scan

    rng = random.Random(7)
    root = tmp_path_factory.mktemp("ranking")
    corpus = root / "corpus"
    corpus.mkdir()
    write_articles(corpus, rng, range(400))
    index = Index(root / "i", corpus, cfg)
    index.update(workers=1)
    write_articles(corpus, rng, range(0, 60, 2))
    write_articles(corpus, rng, range(400, 440))
    writer = open_writer(index.open())
    for n in range(100, 120):
        writer.delete_by_term("id", f"a{n:03d}")
    changed = {f"a{n:03d}" for n in [*range(0, 60, 2), *range(400, 440)]}
    for f in scan(corpus)[0]:
        if f.id in changed:
            writer.delete_by_term("id", f.id)
            add_document(writer, prepare(f, cfg))
    writer.commit(merge=False)
    from sinoread.search import Search

    search = Search(index)
    reader = search._searcher.reader()
    assert reader.has_deletions() and len(search._searcher.leaf_searchers()) >= 2
    yield search
    search.close()


def _whoosh(search, parsed):
    """Whoosh scoring every match (no pruning): the reference."""
    results = search._searcher.search(parsed, limit=None)
    return len(results), [(hit.docnum, hit.score) for hit in results]


def _same(search, text: str, limit: int = 20) -> None:
    parsed = search.parse(text)
    got = Ranker(search._searcher).top(parsed, limit)
    assert got is not None, f"{text}: the ranker left a search-box query to Whoosh"
    total, best = got
    ref_total, ref = _whoosh(search, parsed)
    assert total == ref_total, text
    assert len(best) == min(limit, ref_total)
    for (d, s), (rd, rs) in zip(best, ref, strict=False):
        assert s == pytest.approx(rs, rel=1e-12, abs=1e-12), text
        if d != rd:  # only documents with the very same score may trade places
            assert s == pytest.approx(dict(ref).get(d, -1), rel=1e-12), text


@pytest.mark.parametrize("text", QUERIES)
def test_ranker_ranks_like_whoosh(segmented, text):
    _same(segmented, text)


# 60 examples in a full run, the quick profile's few in the inner loop (tests/conftest.py)
@settings(max_examples=min(60, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(WORDS[:30]), st.sampled_from(['"prime minister"', '"world cup"', '"coast guard"'])),
                min_size=1, max_size=4),
       st.lists(st.sampled_from(["AND", "OR", "AND NOT"]), min_size=3, max_size=3))
def test_ranker_ranks_like_whoosh_on_random_queries(segmented, words, ops):
    text = words[0]
    for op, word in zip(ops, words[1:], strict=False):
        text = f"({text}) {op} {word}"
    try:
        segmented.parse(text)
    except QueryError:  # e.g. every word a stop word: the search box says why; nothing to rank
        reject()
    _same(segmented, text, limit=5)


def test_totals_are_exact_past_the_shown_hits(segmented):
    """Whoosh's top-N walk prunes documents that cannot reach the top and counted only
    what it walked: 332 for a word in 3,085 articles at 20,000."""
    for text in ("china", "minister", "economy AND growth", "mini*", '"prime minister"~3'):
        parsed = segmented.parse(text)
        result = segmented.keyword(text, limit=3)
        assert result.total == len(list(segmented._searcher.docs_for_query(parsed))) > 3, text


def test_other_query_shapes_go_to_whoosh_with_exact_totals(segmented):
    for text in ("mini*", '"prime minister"~3', "date:[2000 to 2030] OR china"):
        parsed = segmented.parse(text)
        assert Ranker(segmented._searcher).top(parsed, 5) is None, text
        assert segmented.keyword(text, limit=5).total == len(list(segmented._searcher.docs_for_query(parsed)))


def test_snippets_from_the_ranker_match_the_postings_walk(segmented):
    """Snippet marks come from the postings the ranker already read; they must be what a
    fresh walk of the postings finds."""
    result = segmented.keyword('"prime minister" OR navy', limit=10)
    assert result.hits
    search = segmented
    parsed = search.parse('"prime minister" OR navy')
    docnums = [search._searcher.document_number(id=h.id) for h in result.hits]
    words = search._body_words(parsed)
    from_ranker = search._stored_offsets(docnums, words)
    search._rank = None  # a fresh ranker has read nothing: the cursor walk answers
    assert search._stored_offsets(docnums, words) == from_ranker
    assert any(from_ranker.values())


def _nested(depth: int) -> str:
    q = "china"
    for i in range(depth - 1):
        q = f"(navy {'AND' if i % 2 else 'OR'} {q})"
    return q


def test_nesting_is_bounded_before_anything_walks_the_query(segmented):
    """The ranker, the snippet words and Whoosh's matchers all recurse over the parsed query:
    a hostile one is refused, with the reason, before any of them sees it."""
    from sinoread.search import MAX_NESTING

    _same(segmented, _nested(MAX_NESTING))  # the deepest allowed still ranks like Whoosh
    with pytest.raises(QueryError, match=f"nested {MAX_NESTING + 1} levels deep; the limit is {MAX_NESTING}"):
        segmented.keyword(_nested(MAX_NESTING + 1))


def test_binary_operators_build_each_side_once(segmented, monkeypatch):
    """Whoosh's parser built both sides of ANDNOT twice, so 18 nested levels (a 200-character
    query) took 40 s; here each word is built as often as in a flat query."""
    from whoosh.qparser import syntax

    built = []
    original = syntax.WordNode.query

    def counting(self, parser):
        built.append(self.text)
        return original(self, parser)

    monkeypatch.setattr(syntax.WordNode, "query", counting)
    words = ["china", "navy", "hotline", "patrol", "talks", "deal", "vessels", "exercise"]
    text = words[-1]
    for i, word in enumerate(reversed(words[:-1])):
        text = f"{word} {('ANDNOT', 'ANDMAYBE', 'REQUIRE')[i % 3]} ({text})"
    parsed = segmented.parse(text)
    nested = Counter(built)
    built.clear()
    segmented.parse(" AND ".join(words))  # the same words, flat: built once per default field
    assert nested == Counter(built) and set(nested) == set(words)
    assert type(parsed).__name__ == "AndNot"
