"""Promise 4 and the extractor: random queries and random article texts never raise,
and every extracted span lies inside the text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinoread.config import load_config
from sinoread.extract.analysis import analyse
from sinoread.indexing import Index
from sinoread.ingest.cleaning import clean
from sinoread.ingest.metadata import Meta
from sinoread.ingest.sanitize import sanitize
from sinoread.search import QueryError, Search
from tests.helpers import SEEDS

CFG = load_config()
WORDS = ["China", "Vietnam", "AND", "OR", "NOT", "(", ")", '"', "*", "?", "title:", "pair:", "country:", "kind:",
         "date:", "[", "]", "to", "hotline", "-", "~", "^2", ":", "status:signed", "\x1b", "\\", "{", "}", "/"]

queries = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=12).map("".join),
)

article_texts = st.one_of(
    st.text(max_size=600),
    st.lists(st.sampled_from([
        "China", "Vietnam", "Hanoi", "US", "us", "Ngô Xuân Lịch", "President", "Xi", "agreed", "signed", "hotline",
        "the two sides", ".", ",", "\n\n", " ", "Mr.", "U.S.", "**", "[x](#)", "<a href=", ">", "»", "\x1b]52;c;x\x07",
        "\u202e", "---", "2021", "June 07, 2021", "‘", "’", "—", "北京", "Coast Guard", "Navy", "of the",
    ]), max_size=80).map("".join),
)


@pytest.fixture(scope="module")
def search(tmp_path_factory):
    index = Index(tmp_path_factory.mktemp("prop") / "i", SEEDS, CFG)
    index.update(workers=1)
    return Search(index)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # examples: the profile
@given(q=queries)
def test_random_queries_answer_or_explain(search, q):
    """A query is refused with a one-line reason, or answered consistently: an exact total no
    larger than the five seeds, the hits it promises (at most the limit), each a distinct
    known article, best first, with marks inside their snippets."""
    try:
        result = search.keyword(q, limit=5)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert 0 <= result.total <= len(search.ids()) == 5
    assert len(result.hits) == min(result.total, 5)
    hit_ids = [h.id for h in result.hits]
    assert len(set(hit_ids)) == len(hit_ids) and set(hit_ids) <= set(search.ids())
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for h in result.hits:
        assert all(0 <= a < b <= len(h.snippet.text) for a, b in h.snippet.marks), (q, h)


@given(raw=article_texts)
def test_random_articles_clean_and_extract(raw):
    text = clean(sanitize(raw), CFG, Meta())
    analysis = analyse(text, CFG, None)
    for m in analysis.mentions:
        assert 0 <= m.start < m.end <= len(text)
    for s in analysis.sentences:
        assert 0 <= s.start < s.end <= len(text)
    for a in analysis.agreements:
        assert text[a.start:a.end] == a.sentence and a.start <= a.cue_start < a.cue_end <= a.end
    assert analyse(text, CFG, None) == analysis


def _chain_tokens(text: str) -> tuple[list[str], list[int]]:
    from sinoread.engine import text_analyzer

    texts, ints = [], []
    for t in text_analyzer()(text, positions=True, chars=True, mode="index"):
        texts.append(t.text)
        ints += [t.pos, t.startchar, t.endchar]
    return texts, ints


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(article_texts)
def test_pretokenize_is_the_analyzer_chain_token_for_token(text):
    """The build workers' fused tokenizer must give what Whoosh's chain gives: stems,
    positions after stop words and CJK bigrams, character offsets; also from a warm cache."""
    from sinoread.engine import pretokenize

    expected = _chain_tokens(text)
    for _ in range(2):
        texts, ints = pretokenize(text)
        assert (texts, list(ints)) == expected
