"""The bytes of one postings block in sinoread's layout: typed arrays in zlib streams.

A block's data is the length of its first stream, then the id deltas and weights (32-bit
arrays, one stream), then the values, each value's length and the values end to end (a
second stream, decompressed only when a query asks for positions). No Whoosh here: the
writer and matcher in `internals` hand these functions what they hold.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from itertools import chain
from operator import sub
from typing import Any

assert array("I").itemsize == 4 and array("f").itemsize == 4

_HEAD = struct.Struct("<I")  # the length of the ids-and-weights stream


def pack(integers: Any) -> bytes:
    """Integers as a PackedPositions/PackedCharacters value: unsigned 32-bit, end to end."""
    return array("I", integers).tobytes()


def pack_triples(triples: Any) -> bytes:
    """(position, start, end) triples as one PackedCharacters value."""
    return pack(chain.from_iterable(triples))


def ints(value: bytes) -> array:
    """An encoded PackedPositions/PackedCharacters value as its integers."""
    out = array("I")
    out.frombytes(value)
    return out


def encode_block(ids: Any, weights: array, values: list[bytes], compression: int) -> bytes:
    """A block's data from its document ids (ascending), weights and encoded values."""
    previous = ids[:-1]
    previous.insert(0, 0)
    deltas = array("I", map(sub, ids, previous))
    head = zlib.compress(deltas.tobytes() + weights.tobytes(), compression)
    tail = b""
    if values:
        tail = zlib.compress(array("I", map(len, values)).tobytes() + b"".join(values), compression)
    return _HEAD.pack(len(head)) + head + tail


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
