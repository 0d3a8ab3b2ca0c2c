"""Every use sinoread makes of Whoosh's private names and module-level behaviour, in one place.

Whoosh is pinned (pyproject) and these names are not its API: a release may rename any of
them. Importing this module checks the Whoosh found against the versions sinoread was
tested with, and refuses any other with a message that names both. What is here:

- the postings writer and block matcher of sinoread's packed layout (`postings`), which
  override the W3 codec's private methods and read its private state;
- what the ranker reads without a matcher: a block's raw bytes, a segment's deleted
  documents, its field-length column, BM25F's per-field settings;
- the query parser's binary operators rebuilt to build each side once;
- Whoosh's unpickling pointed at sinoread's restricted unpickler;
- the name of a table of contents (for the test of `files`).

A test keeps `._name` access to Whoosh objects out of every other module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import accumulate
from pickle import PicklingError, dumps
from types import SimpleNamespace
from typing import Any

import whoosh
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3LeafMatcher,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.qparser import OperatorsPlugin, syntax
from whoosh.query import NullQuery
from whoosh.scoring import BM25F
from whoosh.util.numeric import length_to_byte

from sinoread.engine import UnsupportedWhoosh
from sinoread.engine.blocks import encode_block, read_block, read_values

SUPPORTED: dict[tuple[int, ...], str] = {
    (2, 7, 4): "Whoosh 2.7.4 (the pinned release)",
    (2, 7, 5): "whoosh-reloaded 2.7.5",
    (3, 54, 0): "whoosh3 3.54.0",
}
"""The Whoosh releases and forks the test suite passed on (README, "Search engine")."""


def check_version(found: Any) -> None:
    """Refuse a Whoosh whose `__version__` is not in SUPPORTED, saying what is."""
    version = tuple(found) if isinstance(found, (tuple, list)) else found
    if version in SUPPORTED:
        return
    shown = ".".join(map(str, version)) if isinstance(version, tuple) else repr(version)
    raise UnsupportedWhoosh(
        f"sinoread's search engine supports {', '.join(SUPPORTED.values())}; found Whoosh {shown}, "
        "whose internals it has not been tested with: install whoosh==2.7.4"
    )


check_version(getattr(whoosh, "__version__", None))


# -- the packed postings layout ------------------------------------------------------------


class PackedPostingsWriter(W3PostingsWriter):
    """The W3 postings writer, writing each block's data in sinoread's layout (`blocks`)."""

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # term vectors (sinoread stores none): Whoosh's own layout
            W3PostingsWriter._write_block(self, last)
            return
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        data = encode_block(ids, self._weights, self._values, self._compression)
        # The block info is Whoosh's, so its matcher finds and skips blocks unchanged.
        info = dumps((len(ids), ids[-1], self._maxweight, self._compression,
                      length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        size = len(info) + len(data)
        postfile = self._postfile
        postfile.write_int(-size if last else size)
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()


class PackedLeafMatcher(W3LeafMatcher):
    """The W3 block matcher, reading PackedPostingsWriter's blocks."""

    def _read_data(self) -> None:
        self._data = read_block(_raw_block(self), self._blocklength)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = list(accumulate(self._data[0]))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = self._data[1]

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        tail, count = self._data[2], self._blocklength
        if not tail:
            self._values = (None,) * count if self._fixedsize == 0 else ()
            return
        lengths, joined = read_values(tail, count)
        ends = list(accumulate(lengths))
        self._values = tuple(joined[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True))


def packed_postings_writer(codec: Any, dbfile: Any) -> PackedPostingsWriter:
    """A packed postings writer with the codec's block size, compression and inline limit."""
    return PackedPostingsWriter(dbfile, blocklimit=codec._blocklimit, byteids=False,
                                compression=codec._compression, inlinelimit=codec._inlinelimit)


def _raw_block(m: Any) -> Any:
    return m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)


def raw_blocks(m: Any) -> Iterator[tuple[Any, int]]:
    """Each block's data (still encoded) and posting count, from a packed matcher's current
    block to its last; the matcher is spent afterwards."""
    while m.is_active():
        yield _raw_block(m), m._blocklength
        m._next_block()


# -- what the ranker reads ----------------------------------------------------------------


def bm25f_parameters(weighting: Any) -> tuple[float, float] | None:
    """(B, K1) of a plain BM25F weighting, whose arithmetic the ranker repeats; None for any
    other weighting, or one with per-field B values."""
    if type(weighting) is not BM25F or weighting._field_B:
        return None
    return weighting.B, weighting.K1


def deleted_documents(reader: Any) -> frozenset[int]:
    """A segment reader's deleted document numbers (Whoosh asks per document)."""
    return frozenset(reader._perdoc.deleted_docs())


def length_bytes(reader: Any, field: str) -> bytes | None:
    """A segment's field-length bytes, one per document from the first, as stored (documents
    past the end have none); None when the column is not one byte per document."""
    column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return b""
    if column._fixedlen != 1:
        return None
    return bytes(column._dbfile.get(column._basepos, column._count))


# -- the query parser ---------------------------------------------------------------------


def _binary_query(self: Any, parser: Any) -> Any:
    """Whoosh's `BinaryGroup.query`, building each side once: Whoosh builds both sides twice,
    so nested ANDNOT took 2^depth (40 s for 18 levels of a 200-character query)."""
    qa, qb = (node.query(parser) for node in self.nodes)
    if qa is None or qb is None:
        q = qb if qa is None else qa
        q = NullQuery if q is None else q
    else:
        q = self.qclass(qa, qb)
    return syntax.attach(q, self)


class AndNotGroup(syntax.AndNotGroup):
    query = _binary_query


class AndMaybeGroup(syntax.AndMaybeGroup):
    query = _binary_query


class RequireGroup(syntax.RequireGroup):
    query = _binary_query


_ONCE = {group.__mro__[1]: group for group in (AndNotGroup, AndMaybeGroup, RequireGroup)}


def operators_plugin() -> Any:
    """Whoosh's operators plugin with ANDNOT, ANDMAYBE and REQUIRE building each side once."""
    operators = OperatorsPlugin()
    for tagger, _ in operators.ops:
        tagger.grouptype = _ONCE.get(tagger.grouptype, tagger.grouptype)
    return operators


# -- unpickling ---------------------------------------------------------------------------


def restrict_unpickling(loads: Callable[..., Any], load: Callable[..., Any],
                        unpickler: type) -> None:
    """Point every Whoosh module that unpickles at these (each imported the names from
    `whoosh.compat` into its own namespace)."""
    import whoosh.codec.whoosh3
    import whoosh.columns
    import whoosh.filedb.structfile
    import whoosh.formats
    import whoosh.index
    import whoosh.legacy
    import whoosh.util.loading

    # Tables of contents of Whoosh 1.x (version -110) go through a loader with an unrestricted
    # unpickler of its own: sinoread never wrote one, so none is read.
    whoosh.index.toc_loaders.clear()
    whoosh.legacy.toc_loaders.clear()
    whoosh.util.loading.RenamingUnpickler = unpickler  # type: ignore[misc]
    whoosh.legacy.RenamingUnpickler = unpickler  # type: ignore[attr-defined]
    whoosh.index.pickle = SimpleNamespace(  # type: ignore[attr-defined]
        loads=loads, dumps=dumps, PicklingError=PicklingError,
    )
    for module in (whoosh.codec.whoosh3, whoosh.columns, whoosh.formats):
        module.loads = loads  # type: ignore[attr-defined]
    whoosh.filedb.structfile.load_pickle = load  # type: ignore[attr-defined]


# -- file names ---------------------------------------------------------------------------


def toc_filename(index_name: str, generation: int) -> str:
    """The file Whoosh writes a commit's table of contents to."""
    from whoosh.index import TOC

    return TOC._filename(index_name, generation)


def latest_commit(folder: str, index_name: str) -> int:
    """Whoosh's own reading of an index folder's latest commit number."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    return TOC._latest_generation(FileStorage(folder), index_name)
