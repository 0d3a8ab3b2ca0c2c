"""Whoosh queries: parsing the search box's syntax, checking the tree, and what a query
finds that the ranker does not read (other query shapes, words, spans, term counts)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.reading import TermNotFound

from sinoread.engine import BadQuery, Spans, internals


class Parser:
    """The search box's syntax: plain words search title and text, `field:value`, AND, OR,
    NOT, ANDNOT, phrases, wildcards, date ranges."""

    def __init__(self, schema: Any, fields: tuple[str, ...]) -> None:
        self.schema = schema
        # A third default field made every AND query intersect three-way unions (~30% slower).
        self._parser = MultifieldParser(list(fields), schema, group=AndGroup)
        self._parser.add_plugin(DateParserPlugin(free=False))
        self._parser.replace_plugin(internals.operators_plugin())

    def parse(self, text: str, max_nesting: int) -> Any:
        """The query tree for `text`; BadQuery, with a message for the user, when Whoosh
        cannot parse it, it nests deeper than `max_nesting`, or it could match nothing."""
        try:
            parsed = self._parser.parse(text)
        except RecursionError:
            raise BadQuery("query is nested too deeply; use fewer parentheses") from None
        except Exception as exc:  # noqa: BLE001 (Whoosh raises IndexError, ValueError...)
            raise BadQuery(f"cannot parse query ({type(exc).__name__}: {exc})") from None
        nodes = _walk(parsed)
        deepest = max(depth for _, depth in nodes)
        if deepest > max_nesting:
            raise BadQuery(f"query is nested {deepest} levels deep; the limit is {max_nesting}: "
                           "use fewer parentheses")
        for leaf, _ in nodes:
            err = getattr(leaf, "error", None)
            if err:
                raise BadQuery(f"cannot read {getattr(leaf, 'fieldname', None) or 'a term'}: {err}")
            if type(leaf) is wq.Term and leaf.fieldname in self.schema:
                try:  # `date:"000:"` reaches the searcher as text the date field cannot encode
                    self.schema[leaf.fieldname].to_bytes(leaf.text)
                except Exception:  # noqa: BLE001 (any failure to encode is the user's value)
                    raise BadQuery(f"cannot read {leaf.fieldname}:{text_of(leaf.text)!r}; "
                                   "dates look like date:2021 or date:[2021 to 2022]") from None
        if isinstance(parsed, wq.Not) or (
            isinstance(parsed, wq.And) and parsed.subqueries
            and all(isinstance(s, wq.Not) for s in parsed.subqueries)
        ):
            raise BadQuery("a query of only NOT terms matches nothing; add a term to look for")
        if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
            raise BadQuery("nothing to search for: every word is too common (the, of, and); "
                           "add another")
        return parsed


def _walk(q: Any) -> list[tuple[Any, int]]:
    """Every node of a parsed query with its depth, without recursion (the depth is unchecked
    until this has run)."""
    out, todo = [], [(q, 1)]
    while todo:
        node, depth = todo.pop()
        out.append((node, depth))
        todo += [(sub, depth + 1) for sub in getattr(node, "children", list)()]
    return out


def text_of(term: Any) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def whoosh_top(searcher: Any, q: Any, limit: int) -> tuple[int, list[tuple[int, float]]]:
    """Whoosh's own matchers, for the query shapes the ranker leaves alone (wildcards,
    ranges, slop). replace=0: its pruning of the walk would undercount the total."""
    collector = TopCollector(limit=limit, usequality=False, replace=0)
    searcher.search_with_collector(q, collector)
    return collector.count(), [(docnum, score) for score, docnum in collector.results().top_n]


def query_words(q: Any, reader: Any, fields: tuple[str, ...]) -> set[str]:
    """The indexed words a query looks for in these fields, wildcards expanded; words under
    NOT are left out (they are what a hit does not contain)."""
    words: set[str] = set()

    def visit(q: Any) -> None:
        if isinstance(q, wq.Not):
            return
        if isinstance(q, wq.AndNot):
            return visit(q.a)
        if q.is_leaf():
            if getattr(q, "fieldname", None) in fields:
                words.update(text_of(t) for _f, t in q.iter_all_terms(phrases=True))
                if hasattr(q, "expanded_terms"):
                    words.update(text_of(t) for _f, t in q.expanded_terms(reader))
            return
        for sub in q.children():
            visit(sub)

    visit(q)
    return words


def character_spans(searcher: Any, field: str, word: str, docnums: list[int]) -> Iterator[Spans]:
    """(docnum, [(start, end)]) for each of these documents (ascending) that holds the word,
    from its postings: one cursor walks them in order (a fresh cursor per document re-read
    the word's skip blocks from the start each time)."""
    try:
        m = searcher.postings(field, word)
    except TermNotFound:
        return
    for docnum in docnums:
        m.skip_to(docnum)
        if not m.is_active():
            break
        if m.id() == docnum:
            yield docnum, [(s, e) for _pos, s, e in m.value_as("characters")]


def term_counts(reader: Any, field: str) -> Iterator[tuple[str, int, float]]:
    """(term, documents, weight) for every term of a field. Whoosh's term statistics still
    count documents deleted by an update until their segment is merged, so with deletions
    the postings (which skip them) are counted instead."""
    if field not in reader.indexed_field_names():
        return
    deletions = reader.has_deletions()
    for term, info in reader.iter_field(field):
        token = text_of(term)
        if not deletions:
            yield token, info.doc_frequency(), info.weight()
            continue
        docs, weight = 0, 0.0
        m = reader.postings(field, term)
        while m.is_active():
            docs += 1
            weight += m.weight()
            m.next()
        if docs:
            yield token, docs, weight
