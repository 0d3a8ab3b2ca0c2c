"""The text analysis chain, twice: as Whoosh's analyzer, and fused into one loop for builds.

Whoosh's chain (`text_analyzer`) is what the schema holds and what parses queries: a
tokenizer and five filters, each a generator touching every token. `pretokenize` gives the
same tokens in one loop, remembering what the chain makes of each distinct word; build
workers use it to work out the postings that the writer then only files.

Why two: measured on BBC (2,225 articles), tokenising with the chain took 1.65 s and the
fused loop 0.62 s; building the postings from the chain instead made a worker's whole
preparation of an article (reading, cleaning, extraction included) 13% slower, and on two
cores the workers are most of a build. The duplicate is held to the chain token for token
(stems, positions after stop words and CJK bigrams, character offsets) by
`tests/unit/test_index.py` and a property test in `tests/hostile/test_properties.py`:
change both or neither."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
TOKEN = rf"[{CJK}]+|[^\W{CJK}]+(?:['.][^\W{CJK}]+)*"
"""A word: a run of CJK characters, or letters and digits joined by `'` or `.` (U.S., o'neil)."""


def is_cjk(text: str) -> bool:
    return all(
        "\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u4dbf" or "\u4e00" <= c <= "\u9fff"
        or "\uf900" <= c <= "\ufaff" or "\uac00" <= c <= "\ud7af"
        for c in text
    )


class CJKBigramFilter(Filter):
    """Split runs of Chinese/Japanese/Korean characters into overlapping bigrams.

    Whoosh's tokenizer treats a run of Han characters as one word, so `北京` would
    never match inside `我爱北京天安门`; bigrams make every two-character word findable.
    """

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        pos = 0
        for t in tokens:
            text = t.text
            if text and "\u3040" <= text[0] and is_cjk(text):
                grams = [text] if len(text) == 1 else [text[i:i + 2] for i in range(len(text) - 1)]
                start = t.startchar if t.chars else None
                for i, g in enumerate(grams):
                    t.text = g
                    if t.positions:
                        t.pos = pos
                        pos += 1
                    if start is not None:
                        t.startchar = start + i
                        t.endchar = start + i + len(g)
                    yield t
            else:
                if t.positions:
                    t.pos = pos
                    pos += 1
                yield t


def text_analyzer(stem: bool = True) -> Any:
    """Whoosh's analyzer for text fields: words, lowercased, CJK bigrams, accents folded,
    stop words dropped, and (`stem`) stemmed."""
    chain = RegexTokenizer(TOKEN) | LowercaseFilter() | CJKBigramFilter()
    chain = chain | CharsetFilter(accent_map) | StopFilter(minsize=1)
    return chain | StemFilter() if stem else chain


# -- the same chain, fused -------------------------------------------------------------------

_EXPRESSION = re.compile(TOKEN)
_WORDS: dict[str, str | tuple[tuple[int, str, int], ...]] = {}
"""A lowercased word -> what the chain makes of it: its stem, "" for a stop word, or for a
run of CJK characters its (offset, stem or "", width) bigrams. Bounded; cleared when full."""
_WORDS_MAX = 200_000


def _one(piece: str) -> str:
    piece = piece.translate(accent_map)
    return "" if not piece or piece in STOP_WORDS else porter_stem(piece)


def _chain_word(word: str) -> str | tuple[tuple[int, str, int], ...]:
    if "\u3040" <= word[0] and is_cjk(word):
        if len(word) == 1:
            return ((0, _one(word), 1),)
        return tuple((i, _one(word[i:i + 2]), 2) for i in range(len(word) - 1))
    return _one(word)


def pretokenize(text: str) -> tuple[list[str], array]:
    """The stemmed chain's tokens for `text`, compact enough to send between processes:
    the terms, and (position, start, end) per term, flat."""
    words = _WORDS
    texts: list[str] = []
    ints = array("i")
    pos = 0  # CJKBigramFilter numbers every token it yields, bigrams included
    kept = -1  # StopFilter(renumber=True): the first kept token keeps its number, the rest follow
    for match in _EXPRESSION.finditer(text):
        word = match.group().lower()
        out = words.get(word)
        if out is None:
            if len(words) >= _WORDS_MAX:
                words.clear()
            out = words[word] = _chain_word(word)
        if type(out) is str:
            if out:
                kept = pos if kept < 0 else kept + 1
                texts.append(out)
                ints.extend((kept, match.start(), match.end()))
            pos += 1
            continue
        start = match.start()
        for offset, piece, width in out:
            if piece:
                kept = pos if kept < 0 else kept + 1
                texts.append(piece)
                ints.extend((kept, start + offset, start + offset + width))
            pos += 1
    return texts, ints
