"""Exact counts and BM25F top hits read straight from Whoosh's postings, a block at a time.

Whoosh scores a query by walking a tree of matcher objects, one Python call chain per
matching document (~50 µs each); at 20,000 articles a phrase such as "prime minister" took
over 100 ms. Its top-N collector also prunes the walk once the top N look settled, so the
total it reports ("N articles match") undercounts: 332 for a word in 3,085 articles.

`Ranker` answers the query shapes the search box produces (terms, phrases, AND, OR, NOT
under an AND) by reading each term's postings a block at a time and scoring them with
the same BM25F arithmetic, to the same top hits and scores (a test holds the two equal);
anything else (wildcards, ranges, slop) returns None and the caller asks Whoosh.

It reads the blocks that `postings.PackedCodec` writes (ids and weights decoded a block at
a time; values, the positions a phrase or snippet needs, decompressed only then) and, through
`internals`, a segment's per-document field lengths and deleted documents; the tests
comparing it with Whoosh's own matchers would catch a change in any of them.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from operator import sub
from typing import Any

from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from sinoread.engine import internals
from sinoread.engine.blocks import ints, read_block, read_values
from sinoread.engine.internals import PackedLeafMatcher
from sinoread.engine.postings import PackedCharacters, PackedPositions

Scores = dict[int, float]


class Unsupported(Exception):
    """A query shape this module does not evaluate; Whoosh's own matchers answer it."""


class Ranker:
    """Evaluates queries against one Whoosh searcher; caches its field lengths."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.schema = searcher.schema
        parameters = internals.bm25f_parameters(searcher.weighting)
        self.usable = parameters is not None
        self.B, self.K1 = parameters or (0.0, 0.0)
        self.leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self._deleted = [internals.deleted_documents(reader) for reader, _ in self.leaves]
        self._lengths: dict[tuple[int, str], bytes] = {}
        self._read_cache: dict[tuple[int, str, str], _Postings] = {}

    def characters(self, field: str, text: str,
                   docnums: list[int]) -> dict[int, list[tuple[int, int]]] | None:
        """Where a term sits in these documents (character spans), from the postings the last
        `top()` already read; None if it did not read this term."""
        if field not in self.schema or not isinstance(self.schema[field].format, PackedCharacters):
            return None
        out: dict[int, list[tuple[int, int]]] = {}
        for leaf in range(len(self.leaves)):
            cached = self._read_cache.get((leaf, field, text))
            if cached is None:
                return None
            ids = cached.ids  # ascending: each shown hit is found by bisection
            found = []
            for d in sorted(docnums):
                i = bisect_left(ids, d)
                if i < len(ids) and ids[i] == d:
                    found.append((i, d))
            for (_, d), flat in zip(found, cached.values([i for i, _ in found]), strict=True):
                out[d] = list(zip(flat[1::3], flat[2::3], strict=True))
        return out

    # -- public -----------------------------------------------------------------------

    def top(self, q: Any, limit: int) -> tuple[int, list[tuple[int, float]]] | None:
        """(total matches, [(docnum, score)] best first), as Whoosh ranks them; None when
        the query has a shape this module leaves to Whoosh.

        Evaluation recurses once per level of `q`: queries from untrusted text come from
        `Search.parse`, which refuses more than MAX_NESTING levels before anything walks them."""
        if not self.usable:
            return None
        self._read_cache.clear()
        try:
            scores = self._eval(q)
        except Unsupported:
            return None
        return len(scores), _best(scores, limit)

    # -- evaluation -----------------------------------------------------------------

    def _eval(self, q: Any) -> Scores:
        kind = type(q)
        if kind is wq.Term:
            scores = self._term(q.fieldname, q.text)
        elif kind is wq.Phrase:
            scores = self._phrase(q)
        elif kind is wq.Or:
            if q.scale or q.minmatch:
                raise Unsupported
            scores = self._union([self._eval(s) for s in q.subqueries])
        elif kind is wq.And:
            plain = [s for s in q.subqueries if type(s) is not wq.Not]
            nots = [s for s in q.subqueries if type(s) is wq.Not]
            if not plain:
                raise Unsupported
            scores = self._intersection([self._eval(s) for s in plain])
            if nots:
                # Whoosh's Not matches every other document with a weight of 1 (times its boost).
                bonus = sum(n.boost for n in nots)
                excluded: set[int] = set()
                for n in nots:
                    excluded.update(self._eval(n.query))
                scores = {d: s + bonus for d, s in scores.items() if d not in excluded}
        elif kind is wq.AndNot:
            excluded = set(self._eval(q.b))
            scores = {d: s for d, s in self._eval(q.a).items() if d not in excluded}
        else:
            raise Unsupported
        boost = getattr(q, "boost", 1.0)
        if boost != 1.0:
            scores = {d: s * boost for d, s in scores.items()}
        return scores

    @staticmethod
    def _union(parts: list[Scores]) -> Scores:
        """Every document of any part; scores added where parts share it (dict merges run
        in C, so only the shared documents cost a Python step)."""
        parts = [p for p in parts if p]
        if not parts:
            return {}
        out = parts[0]
        for part in parts[1:]:
            shared = out.keys() & part.keys()
            merged = {**out, **part}
            for d in shared:
                merged[d] = out[d] + part[d]
            out = merged
        return out

    @staticmethod
    def _intersection(parts: list[Scores]) -> Scores:
        if not parts or not all(parts):
            return {}
        common = set(min(parts, key=len)).intersection(*parts)
        return {d: sum(p[d] for p in parts) for d in common}

    def _term(self, field: str, text: str) -> Scores:
        out: Scores = {}
        for leaf in range(len(self.leaves)):
            p = self._read(leaf, field, text)
            if p.ids:
                scores = self._scores(leaf, field, text, p.ids, p.weights)
                out.update(zip(p.ids, scores, strict=True))
        return out

    def _phrase(self, q: Any) -> Scores:
        """Documents where the words stand next to each other, in order (Whoosh's SpanNear2
        with slop 1); scored, like Whoosh, as the sum of the words' scores."""
        if q.slop != 1 or not q.words or q.fieldname not in self.schema:
            raise Unsupported
        fmt = self.schema[q.fieldname].format
        if type(fmt) not in (PackedPositions, PackedCharacters):
            raise Unsupported
        width = 3 if type(fmt) is PackedCharacters else 1  # (position, start, end) or position
        out: Scores = {}
        for leaf in range(len(self.leaves)):
            postings = [self._read(leaf, q.fieldname, w) for w in q.words]
            if not all(p.ids for p in postings):
                continue
            where = [dict(zip(p.ids, range(len(p.ids)), strict=True)) for p in postings]
            order = sorted(set(min(where, key=len)).intersection(*where))
            if len(postings) == 1:
                found = order
            else:
                # Each word's positions in the candidates, block by block in id order.
                values = [p.values([at[d] for d in order])
                          for p, at in zip(postings, where, strict=True)]
                if len(postings) == 2:
                    found = _adjacent(order, values, width)
                else:
                    found = _consecutive(order, values, width)
            if not found:
                continue
            total = [0.0] * len(found)
            for w, p, at in zip(q.words, postings, where, strict=True):
                picked = [at[d] for d in found]
                word = self._scores(leaf, q.fieldname, w, [p.ids[i] for i in picked],
                                    [p.weights[i] for i in picked])
                total = [t + s for t, s in zip(total, word, strict=True)]
            out.update(zip(found, total, strict=True))
        return out

    def _read(self, leaf: int, field: str, text: str) -> _Postings:
        """A term's live postings in one segment: global docnums and weights, the values left
        compressed until asked for; kept until the next query for its snippets."""
        key = (leaf, field, text)
        if key in self._read_cache:
            return self._read_cache[key]
        reader, offset = self.leaves[leaf]
        postings = _Postings()
        if field not in self.schema:
            return postings
        try:
            m = reader.postings(field, text)
        except TermNotFound:
            return postings
        if isinstance(m, FilterMatcher):
            m = m.child
        if type(m) is not PackedLeafMatcher:
            raise Unsupported
        ids, weights = postings.ids, postings.weights
        starts, tails = postings.starts, postings.tails
        for raw, count in internals.raw_blocks(m):
            deltas, block_weights, tail = read_block(raw, count)
            starts.append(len(ids))
            tails.append(tail)
            ids.extend(accumulate(deltas))
            weights.extend(block_weights)
        starts.append(len(ids))
        deleted = self._deleted[leaf]
        if deleted:
            keep = [i for i, d in enumerate(ids) if d not in deleted]
            if len(keep) < len(ids):
                postings.ids, postings.weights = [ids[i] for i in keep], [weights[i] for i in keep]
                postings.kept = keep
        if offset:
            postings.ids = [offset + d for d in postings.ids]
        self._read_cache[key] = postings
        return postings

    def _scores(self, leaf: int, field: str, text: str, ids: list[int],
                weights: list[float]) -> list[float]:
        """Whoosh's BM25F for one term's postings, with the field-length normalisation per
        length byte worked out once: the same arithmetic in the same order, so the same floats."""
        if not self.schema[field].scorable:
            return list(weights)
        searcher = self.searcher
        idf = searcher.idf(field, text)
        avgfl = searcher.avg_field_length(field) or 1
        B, K1 = self.B, self.K1
        norm = [K1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in range(256)]
        lengths = self._field_lengths(leaf, field)
        offset = self.leaves[leaf][1]
        k1p1 = K1 + 1
        if offset:
            return [idf * ((tf * k1p1) / (tf + norm[lengths[d - offset]]))
                    for d, tf in zip(ids, weights, strict=True)]
        return [idf * ((tf * k1p1) / (tf + norm[lengths[d]]))
                for d, tf in zip(ids, weights, strict=True)]

    def _field_lengths(self, leaf: int, field: str) -> bytes:
        """A segment's length bytes for a field, one per document, read in one go."""
        key = (leaf, field)
        if key not in self._lengths:
            reader = self.leaves[leaf][0]
            raw = internals.length_bytes(reader, field)
            if raw is None:
                raise Unsupported
            self._lengths[key] = raw + bytes(max(0, reader.doc_count_all() - len(raw)))
        return self._lengths[key]


class _Postings:
    """One term's postings in one segment, as `Ranker._read` leaves them: ids and weights
    decoded, each block's values still compressed until a phrase or a snippet needs them."""

    __slots__ = ("_block", "_ends", "_flat", "ids", "kept", "starts", "tails", "weights")

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.weights: list[float] = []
        self.kept: list[int] | None = None  # the live postings' places, if any were deleted
        self.starts: list[int] = []  # where each block starts among all postings, then their count
        self.tails: list[Any] = []  # each block's compressed values
        self._block = -1  # the block values() decoded last, kept for the next call
        self._flat: array | None = None
        self._ends: list[int] | None = None

    def values(self, places: list[int]) -> list[array]:
        """The encoded values (integer arrays) of these postings; given in ascending order,
        each block is decompressed once."""
        kept, starts = self.kept, self.starts
        out = []
        block, first, end = self._block, 0, -1
        if block >= 0:
            first, end = starts[block], starts[block + 1]
        flat, ends = self._flat, self._ends
        for place in places:
            i = kept[place] if kept is not None else place
            if not first <= i < end:
                block = bisect_right(starts, i) - 1
                first, end = starts[block], starts[block + 1]
                lengths, joined = read_values(self.tails[block], end - first)
                flat = ints(joined)
                ends = [0, *accumulate(lengths)]  # in bytes: four to an integer
            k = i - first
            out.append(flat[ends[k] >> 2:ends[k + 1] >> 2])
        self._block, self._flat, self._ends = block, flat, ends
        return out


def _adjacent(order: list[int], values: list[list[array]], width: int) -> list[int]:
    """The documents where the second word directly follows the first: the two-word phrase,
    the common case, without the general loop's bookkeeping."""
    found = []
    for docnum, a, b in zip(order, values[0], values[1], strict=True):
        if len(a) == width and len(b) == width:  # one occurrence of each, the usual case
            if b[0] == a[0] + 1:
                found.append(docnum)
        elif not set(a[::width]).isdisjoint([p - 1 for p in b[::width]]):
            found.append(docnum)
    return found


def _consecutive(order: list[int], values: list[list[array]], width: int) -> list[int]:
    """The documents where all the words stand one after another, in order."""
    found = []
    last = len(values) - 1
    for at, docnum in enumerate(order):
        starts = set(values[0][at][::width])
        for n in range(1, last + 1):
            shifted = map(sub, values[n][at][::width], repeat(n))
            if n < last:
                starts.intersection_update(shifted)
                if not starts:
                    break
            elif not starts.isdisjoint(shifted):
                found.append(docnum)
    return found


def _best(scores: Scores, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score) in Whoosh's order: higher score, then lower docnum.
    A C sort of the bare scores finds the cut; only the documents at or above it are ordered."""
    if limit <= 0:
        return []
    if len(scores) > 4 * limit:
        cut = sorted(scores.values(), reverse=True)[limit - 1]
        scores = {d: s for d, s in scores.items() if s >= cut}
    return sorted(scores.items(), key=_rank_key)[:limit]


def _rank_key(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]
