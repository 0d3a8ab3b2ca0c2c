"""How sinoread lays postings out on disk: Whoosh's blocks, holding typed arrays, not pickles.

Whoosh 2.7.4's codec pickles each block of 128 postings as one tuple of Python lists (id
deltas, weights and every encoded value), and each value (a word's positions in one
article) is a pickle of its own. Reading a posting cost ~0.9 µs before any scoring, and a
phrase ~2 µs more per candidate article: at 100,000 articles that alone kept a query such
as "prime minister" near 180 ms.

`PackedCodec` keeps Whoosh's files, term index, block headers and block skipping, and
changes only what a block's data holds: the id deltas and weights as 32-bit arrays in one
small zlib stream, then the values, in a second stream that is decompressed only when a
query asks for positions. `PackedPositions` and `PackedCharacters` store a word's positions
(and character spans) as unsigned 32-bit integers, read without unpickling. Whoosh's own
matchers see the same Matcher interface, so every query shape it answers still works;
`ranking` reads the arrays directly.

It subclasses Whoosh 2.7.4's (pinned) W3 codec, postings writer and block matcher and uses
their attributes; a test reads every term back through both codecs and compares.

Only `index`, `ranking` and `search` import this module (it is the index's storage layer):
the arrays are in the machine's byte order, which the index records, so an index copied to
a machine of the other order is rebuilt rather than misread.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from itertools import accumulate, chain
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Characters, Positions
from whoosh.util.numeric import length_to_byte

assert array("I").itemsize == 4 and array("f").itemsize == 4

_HEAD = struct.Struct("<I")  # a block's data: the length of its ids-and-weights stream, then the streams


def pack(integers: Any) -> bytes:
    """Integers as a PackedPositions/PackedCharacters value: unsigned 32-bit, end to end."""
    return array("I", integers).tobytes()


def ints(value: bytes) -> array:
    """An encoded PackedPositions/PackedCharacters value as its integers."""
    out = array("I")
    out.frombytes(value)
    return out


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
        return pack(chain.from_iterable(poslist))

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


class PackedPostingsWriter(W3PostingsWriter):
    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # term vectors (sinoread stores none): Whoosh's own layout
            W3PostingsWriter._write_block(self, last)
            return
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids, values = self._ids, self._values
        previous = ids[:-1]
        previous.insert(0, 0)
        head = zlib.compress(array("I", map(sub, ids, previous)).tobytes() + self._weights.tobytes(), self._compression)
        tail = b""
        if values:
            tail = zlib.compress(array("I", map(len, values)).tobytes() + b"".join(values), self._compression)
        # The block info is Whoosh's, so its matcher finds and skips blocks unchanged.
        info = dumps((len(ids), ids[-1], self._maxweight, self._compression,
                       length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        size = len(info) + _HEAD.size + len(head) + len(tail)
        postfile = self._postfile
        postfile.write_int(-size if last else size)
        postfile.write(info)
        postfile.write(_HEAD.pack(len(head)))
        postfile.write(head)
        postfile.write(tail)
        self._blockcount += 1
        self._new_block()


def read_block(raw: Any, count: int) -> tuple[array, array, bytes]:
    """A block's data: (id deltas, weights, the still-compressed values stream)."""
    (n_head,) = _HEAD.unpack_from(raw)
    head = zlib.decompress(raw[_HEAD.size:_HEAD.size + n_head])
    deltas, weights = array("I"), array("f")
    deltas.frombytes(head[:4 * count])
    weights.frombytes(head[4 * count:])
    return deltas, weights, raw[_HEAD.size + n_head:]


def read_values(tail: Any, count: int) -> tuple[array, bytes]:
    """A block's values stream: each value's length in bytes, and the values end to end."""
    raw = zlib.decompress(tail)
    lengths = array("I")
    lengths.frombytes(raw[:4 * count])
    return lengths, raw[4 * count:]


class PackedLeafMatcher(W3LeafMatcher):
    """Whoosh's block matcher reading PackedPostingsWriter's blocks."""

    def _read_data(self) -> None:
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = read_block(raw, self._blocklength)

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


class PackedCodec(W3Codec):
    """Whoosh's W3 codec with PackedPostingsWriter's blocks (stored in each segment, so
    every reader of the index uses it)."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:
            return W3Codec.postings_writer(self, dbfile, byteids)
        return PackedPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=False,
                                    compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return W3Codec.postings_reader(self, dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
