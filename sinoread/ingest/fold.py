"""Diacritic folding that keeps every character in place, so offsets survive."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SPECIAL = {
    "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i", "ħ": "h",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"',
    "–": "-", "—": "-", "‑": "-", "‐": "-", "\u00a0": " ",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch.isascii():
        return ch
    base = unicodedata.normalize("NFD", ch)
    if len(base) > 1 and not unicodedata.combining(base[0]):
        rest = base[1:]
        if all(unicodedata.combining(c) for c in rest):
            return base[0]
    return ch


class _Table(dict[int, str]):
    """`str.translate` table that learns each character once (C speed afterwards)."""

    def __missing__(self, cp: int) -> str:
        folded = _fold_char(chr(cp))
        self[cp] = folded
        return folded


_TABLE = _Table()


def fold(text: str) -> str:
    """Strip accents one character for one: `Ngô Xuân Lịch` -> `Ngo Xuan Lich`, same length."""
    if text.isascii():
        return text
    return text.translate(_TABLE)
