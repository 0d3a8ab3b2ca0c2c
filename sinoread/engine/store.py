"""Whoosh indexes on disk: creating and opening them, their writers, deleting by id.

Every index is opened through here, after Whoosh's unpickling is restricted to what
sinoread's schema is made of (`unpickle`): an index folder is a cache another
process could have written.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.query import Or, Phrase, Term

from sinoread.engine import internals, unpickle
from sinoread.engine.files import INDEX_NAME
from sinoread.engine.postings import PackedCodec
from sinoread.engine.schema import make_schema

if TYPE_CHECKING:
    from sinoread.engine import Fields

WRITER: dict[str, int | bool] = {"limitmb": 256, "compound": False}
"""Every Whoosh writer's settings. `limitmb`: the posting pool spills to disk past this (its
own estimate; a merge holds about twice it). `compound=False`: a compound segment is one
file whose parts Whoosh copies into memory when a searcher opens (180 MB at 20,000
articles); plain files are read in place, at the same query speed."""


@cache
def _guard() -> None:
    """Once, before any index is opened: its pickles may only name our schema's classes."""
    internals.restrict_unpickling(unpickle.loads, unpickle.load, unpickle.Restricted)


def create_index(folder: str) -> Any:
    _guard()
    return whoosh_index.create_in(folder, make_schema(), indexname=INDEX_NAME)


def open_index(folder: str) -> Any:
    _guard()
    return whoosh_index.open_dir(folder, indexname=INDEX_NAME)


def open_writer(ix: Any, **kwargs: Any) -> Any:
    """A Whoosh writer with sinoread's settings and postings layout: every segment of an
    index must be written through this."""
    return ix.writer(codec=PackedCodec(), **WRITER, **kwargs)


def delete_ids(writer: Any, ids: Iterable[str]) -> None:
    """Delete these articles in one query (`delete_by_term` opens a searcher per call)."""
    writer.delete_by_query(Or([Term("id", i) for i in ids]))


def phrase_documents(searcher: Any, field: str, words: list[str]) -> list[Fields]:
    """The stored fields of every document where these indexed words stand in this order."""
    return [hit.fields() for hit in searcher.search(Phrase(field, words), limit=None)]


def term_documents(searcher: Any, field: str, text: str) -> list[Fields]:
    """The stored fields of every document with this indexed term."""
    return [hit.fields() for hit in searcher.search(Term(field, text), limit=None, sortedby=None)]
