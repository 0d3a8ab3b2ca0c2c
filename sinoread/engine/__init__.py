"""The search engine: the one way into Whoosh, which nothing outside this package imports.

Importing this package does not import Whoosh (~50 ms, half the CLI's start-up): each
function below loads the module that does on first call, so `sinoread --help` and the
reader's first frame, drawn from the overview, never wait for it. The indexes, writers,
searchers and queries these functions return are Whoosh's objects; callers use their
public methods. Whoosh's private names are used in `internals` only, which checks the
Whoosh version when it is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sinoread.engine.files import commit_number, is_index_file

Fields = dict[str, Any]
"""One article as Whoosh stores it, or as a build prepares it for Whoosh: field name -> value
(text, numbers, a datetime, postings), as the schema declares them. Untyped because Whoosh's
documents are; the core turns them into `Article`, `ArticleRow` and `Analysis` on reading."""

Spans = tuple[int, list[tuple[int, int]]]
"""A document number and where a word sits in it (start, end)."""

__all__ = [
    "BadQuery", "Fields", "UnsupportedWhoosh", "add_document", "body_positions", "character_spans", "commit_number",
    "create_index", "delete_ids", "file_postings", "indexed_words", "is_index_file", "make_schema", "open_index",
    "open_writer",
    "phrase_documents", "pretokenize", "query_parser", "query_words", "ranker", "term_counts",
    "term_documents", "text_analyzer", "whoosh_top",
]


class BadQuery(ValueError):
    """A query Whoosh cannot answer as typed; `str(err)` says why, for the user."""


class UnsupportedWhoosh(ImportError):
    """The installed Whoosh is not one sinoread was tested with (raised by `internals` on
    import, which is on first use: defined here so a front end can catch it without Whoosh)."""


# -- indexes and writers (store, schema) --

def create_index(folder: str) -> Any:
    """A new, empty index with sinoread's schema in `folder`."""
    from sinoread.engine import store
    return store.create_index(folder)


def open_index(folder: str) -> Any:
    """The index in `folder`; Whoosh's exceptions (EOFError, UnpicklingError...) if damaged."""
    from sinoread.engine import store
    return store.open_index(folder)


def open_writer(ix: Any, **kwargs: Any) -> Any:
    """A writer with sinoread's settings and postings layout; every segment is written so."""
    from sinoread.engine import store
    return store.open_writer(ix, **kwargs)


def add_document(writer: Any, doc: Fields) -> None:
    """Index one prepared document (from `sinoread.indexing.documents.prepare`), filing its postings."""
    from sinoread.engine import schema
    schema.add_document(writer, doc)


def delete_ids(writer: Any, ids: Iterable[str]) -> None:
    """Delete these articles, by id, in one query."""
    from sinoread.engine import store
    store.delete_ids(writer, ids)


def make_schema() -> Any:
    from sinoread.engine import schema
    return schema.make_schema()


# -- analysis --

def file_postings(name: str, text: str) -> list[tuple[bytes, int, float, bytes]]:
    """The title or body field's postings for `text`, worked out in a build worker."""
    from sinoread.engine import schema
    return schema.file_postings(name, text)


def body_positions(postings: list[tuple[bytes, int, float, bytes]], words: frozenset[str]) -> dict[str, set[int]]:
    """Where each of these indexed words stands in a body's postings (from `file_postings`):
    what a phrase query reads, without the index."""
    from sinoread.engine import schema
    return schema.body_positions(postings, words)


def pretokenize(text: str) -> tuple[list[str], Any]:
    """The body chain's terms for `text`, and (position, start, end) per term."""
    from sinoread.engine import analysis
    return analysis.pretokenize(text)


def text_analyzer(stem: bool = True) -> Any:
    """Whoosh's analyzer for the text fields (`stem=False`: the names fields')."""
    from sinoread.engine import analysis
    return analysis.text_analyzer(stem)


def indexed_words(text: str) -> list[str]:
    """The indexed words of `text` in the body field, in order."""
    from sinoread.engine import analysis
    return [t.text for t in analysis.text_analyzer()(text)]


# -- searching (query, ranking) --

def query_parser(schema: Any, fields: tuple[str, ...]) -> Any:
    """A parser (`.parse(text, max_nesting)`) whose plain words search these fields."""
    from sinoread.engine import query
    return query.Parser(schema, fields)


def ranker(searcher: Any) -> Any:
    """Top hits and exact totals read from the postings (`.top(q, limit)`, None for a query
    shape it leaves to `whoosh_top`), and the spans of the words it read (`.characters`)."""
    from sinoread.engine import ranking
    return ranking.Ranker(searcher)


def whoosh_top(searcher: Any, q: Any, limit: int) -> tuple[int, list[tuple[int, float]]]:
    """(total, [(docnum, score)] best first) from Whoosh's own matchers."""
    from sinoread.engine import query
    return query.whoosh_top(searcher, q, limit)


def query_words(q: Any, reader: Any, fields: tuple[str, ...]) -> set[str]:
    """The indexed words a query looks for in these fields (not those under NOT)."""
    from sinoread.engine import query
    return query.query_words(q, reader, fields)


def character_spans(searcher: Any, field: str, word: str, docnums: list[int]) -> Iterator[Spans]:
    """(docnum, [(start, end)]) where the word sits in each of these documents that has it."""
    from sinoread.engine import query
    return query.character_spans(searcher, field, word, docnums)


def phrase_documents(searcher: Any, field: str, words: list[str]) -> list[Fields]:
    """The stored fields of every document with these indexed words in a row."""
    from sinoread.engine import store
    return store.phrase_documents(searcher, field, words)


def term_documents(searcher: Any, field: str, text: str) -> list[Fields]:
    """The stored fields of every document with this indexed term."""
    from sinoread.engine import store
    return store.term_documents(searcher, field, text)


def term_counts(reader: Any, field: str) -> Iterator[tuple[str, int, float]]:
    """(term, live documents, weight) for every term of a field."""
    from sinoread.engine import query
    return query.term_counts(reader, field)
