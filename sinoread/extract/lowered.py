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
from array import array
from functools import cache

import regex

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def every_character() -> str:
    """All of Unicode but the surrogates, in one string."""
    return "".join(array("I", r).tobytes().decode("utf-32-le") for r in (range(0xD800), range(0xE000, 0x110000)))


@cache
def _table() -> dict[int, str] | None:
    """Every character `re`'s (?i) matches to an ASCII letter, mapped to that letter; None if
    one stands for two letters or `regex` reads some character as a letter `re` does not.
    Candidates are what (?i)[a-z] finds in all of Unicode (a test checks that it finds all
    each letter alone does): one scan per engine, not one per letter."""
    every = every_character()
    candidates = set(re.findall("(?i)[a-z]", every)) | set(regex.findall("(?i)[a-z]", every, flags=regex.VERSION0))
    table: dict[int, str] = {}
    for c in _LETTERS:
        one, other = re.compile(f"(?i){c}"), regex.compile(f"(?i){c}", flags=regex.VERSION0)
        for u in sorted(candidates):
            if one.fullmatch(u) and table.setdefault(ord(u), c) != c:
                return None
        if any(table.get(ord(u)) != c for u in candidates if other.fullmatch(u)):
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


def lowered_char(c: str) -> str:
    """One character as `lowered` makes it (without touching its one-article cache)."""
    return c.lower() if c.isascii() else (_table() or {}).get(ord(c), c)
