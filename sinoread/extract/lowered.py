"""A lower-case copy of the article, of the same length, for literal scans that stand in for
a case-insensitive pattern.

A case-insensitive alternation costs several times its case-sensitive twin (`re` and
`regex` alike). The words are ASCII, so the twin scans a copy in which each character
`re`'s IGNORECASE takes for an ASCII letter is that letter: it finds exactly what `re`'s
(?i) finds. `regex` (VERSION0) takes no more characters for a letter than `re` does (checked
when the table is built), so for a pattern of `regex` the copy finds all it finds, and more.
"""

from __future__ import annotations

import re
from functools import cache

import regex

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@cache
def _table() -> dict[int, str] | None:
    """Every character `re`'s (?i) matches to an ASCII letter, mapped to that letter; None if
    one stands for two letters or `regex` reads some character as a letter `re` does not."""
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    table: dict[int, str] = {}
    for c in _LETTERS:
        for u in re.findall(f"(?i){c}", every):
            if table.setdefault(ord(u), c) != c:
                return None
        if any(table.get(ord(u)) != c for u in regex.findall(f"(?i){c}", every, flags=regex.VERSION0)):
            return None
    return table


def usable(words: list[str]) -> bool:
    """Whether a scan of `lowered` text can stand in for (?i) with these words."""
    return _table() is not None and all(w.isascii() for w in words)


_last: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """`text` with every character (?i) reads as an ASCII letter made that lower-case letter,
    the rest as it is (on ASCII text, `str.lower`). Several finders ask for the same article
    in turn: the last one is kept."""
    global _last
    last = _last  # one read: another thread may replace it
    if last[0] is text:
        return last[1]
    low = text.lower() if text.isascii() else text.translate(_table() or {})
    _last = (text, low)
    return low
