"""Make untrusted text inert: no control sequence or invisible character survives.

Decided by Unicode category, not a hand-picked list: controls (Cc), surrogates (Cs: the
undecodable bytes of a file name), private-use characters (Co) and bidi controls are shown
as visible text; every other format character (Cf: soft hyphens, tag characters, invisible
operators, zero-width spaces) is dropped from shown and indexed text, except a zero-width
joiner or non-joiner between two letters, which Persian and Indic text need.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

BIDI = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
"""Bidi controls (Cf, except the marks): shown, since they reorder what is read around them."""
JOINERS = "\u200c\u200d"
_JOINER = re.compile("[\u200c\u200d]")
_PRIVATE_PLANES = "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
"""Planes 15 and 16 are private use throughout: a range, not a walk of 131,072 code points."""


def _between_letters(text: str, at: int) -> bool:
    """A joiner at `at` sits in a word: a letter or mark (a virama) before it, a letter after."""
    return (0 < at < len(text) - 1 and unicodedata.category(text[at - 1])[0] in "LM"
            and unicodedata.category(text[at + 1])[0] in "LM")


def visible(cp: int) -> str:
    """What an escaped code point looks like: ␛ for ESC, \\xe9 for an undecodable byte."""
    if cp < 0x20:
        return chr(0x2400 + cp)  # ␛ for ESC, ␇ for BEL: shown, never obeyed
    if cp == 0x7F:
        return "\u2421"  # ␡
    if 0xDC80 <= cp <= 0xDCFF:  # a byte Python could not decode (surrogateescape)
        return f"\\x{cp - 0xDC00:02x}"
    return f"<U+{cp:04X}>"


@cache
def _rules() -> tuple[re.Pattern[str], dict[int, str | None]]:
    """The pattern of every code point that needs work, and what each becomes, from a walk
    of the planes that hold controls and format characters (0, 1 and 14; ~20 ms, once)."""
    table: dict[int, str | None] = {}
    for cp in (*range(0x0000, 0x20000), *range(0xE0000, 0xE1000)):
        category = unicodedata.category(chr(cp))
        if category in ("Cc", "Cs", "Co") or cp in BIDI:
            table[cp] = visible(cp)
        elif category == "Cf" and chr(cp) not in JOINERS:
            table[cp] = None
    for cp in (0x09, 0x0A):
        del table[cp]
    table[0x2028] = "\n"
    table[0x2029] = "\n\n"
    ranges: list[str] = []
    codes = sorted(table)
    start = prev = codes[0]
    for cp in [*codes[1:], -2]:
        if cp != prev + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = cp
        prev = cp
    pattern = re.compile("[" + "".join(ranges) + _PRIVATE_PLANES + JOINERS + "]")
    return pattern, table


def sanitize(text: str) -> str:
    """Normalise line ends, then show every control, surrogate, private-use and bidi character
    as text and drop the other invisible format characters.

    Rich and Textual strip only a few controls; ESC, C1, bidi overrides and zero-width
    characters would otherwise reach the terminal, reorder what the analyst sees, or hide
    inside a word so that search misses it."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    pattern, table = _rules()
    if not pattern.search(text):
        return text
    if "\u200c" in text or "\u200d" in text:
        text = _JOINER.sub(lambda m: m.group() if _between_letters(text, m.start()) else "", text)
    text = text.translate(table)
    if not pattern.search(text):  # only what the table left: planes 15 and 16
        return text
    return pattern.sub(lambda m: m.group() if m.group() in JOINERS else visible(ord(m.group())), text)
