"""How sinoread lays postings out on disk: Whoosh's blocks, holding typed arrays, not pickles.

Whoosh 2.7.4's codec pickles each block of 128 postings as one tuple of Python lists (id
deltas, weights and every encoded value), and each value (a word's positions in one
article) is a pickle of its own. Reading a posting cost ~0.9 µs before any scoring, and a
phrase ~2 µs more per candidate article: at 100,000 articles that alone kept a query such
as "prime minister" near 180 ms.

`PackedCodec` keeps Whoosh's files, term index, block headers and block skipping, and
changes only what a block's data holds (`blocks`): the id deltas and weights as 32-bit
arrays in one small zlib stream, then the values, in a second stream that is decompressed
only when a query asks for positions. `PackedPositions` and `PackedCharacters` store a
word's positions (and character spans) as unsigned 32-bit integers, read without
unpickling. Whoosh's own matchers see the same Matcher interface, so every query shape it
answers still works; `ranking` reads the arrays directly.

The writer and matcher subclass the W3 codec's and use its private state, so they live in
`internals`; a test reads every term back through both codecs and compares. The arrays are
in the machine's byte order, which the index records, so an index copied to a machine of
the other order is rebuilt rather than misread.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Characters, Positions

from sinoread.engine import internals
from sinoread.engine.blocks import ints, pack, pack_triples


class PackedPositions(Positions):
    """Positions (for phrase search) as a plain array of 32-bit integers."""

    def encode(self, poslist: Any) -> bytes:
        return pack(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return ints(valuestring).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4


class PackedCharacters(Characters):
    """Positions with each occurrence's character span (for snippets): (position, start, end)
    triples, flattened into one array of 32-bit integers."""

    def encode(self, poslist: Any) -> bytes:
        return pack_triples(poslist)

    def decode_characters(self, valuestring: bytes) -> list[tuple[int, int, int]]:
        a = ints(valuestring)
        return list(zip(a[0::3], a[1::3], a[2::3], strict=True))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return ints(valuestring)[0::3].tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 12


def packed_format(fmt: Any) -> Any:
    """The packed twin of a Whoosh Positions/Characters format (same boost); others as they are."""
    if isinstance(fmt, Characters) and not isinstance(fmt, PackedCharacters):
        return PackedCharacters(field_boost=fmt.field_boost)
    if type(fmt) is Positions:
        return PackedPositions(field_boost=fmt.field_boost)
    return fmt


class PackedCodec(W3Codec):
    """Whoosh's W3 codec with the packed blocks (stored in each segment, so every reader of
    the index uses it)."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:
            return W3Codec.postings_writer(self, dbfile, byteids)
        return internals.packed_postings_writer(self, dbfile)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return W3Codec.postings_reader(self, dbfile, terminfo, format_, term=term,
                                           scorer=scorer)
        offset, length = terminfo.extent()
        return internals.PackedLeafMatcher(dbfile, offset, length, format_, term=term,
                                           scorer=scorer)
