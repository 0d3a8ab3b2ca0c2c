"""Make untrusted text inert: no control sequence or invisible character survives."""

from __future__ import annotations

import re

_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x061C, 0x180E}
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def _visible(cp: int) -> str:
    if cp < 0x20:
        return chr(0x2400 + cp)  # ␛ for ESC, ␇ for BEL: shown, never obeyed
    if cp == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{cp:04X}>"


_TABLE: dict[int, str] = {cp: _visible(cp) for cp in range(0x20) if cp not in (0x09, 0x0A)}
_TABLE[0x7F] = _visible(0x7F)
_TABLE.update({cp: _visible(cp) for cp in range(0x80, 0xA0)})
_TABLE.update({cp: _visible(cp) for cp in _INVISIBLE | _BIDI})
_TABLE[0x2028] = "\n"
_TABLE[0x2029] = "\n\n"
_NEEDS_WORK = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff\u061c\u180e]"
)


def sanitize(text: str) -> str:
    """Normalise line ends, then show every control, bidi and zero-width character as text.

    Rich and Textual strip only a few controls; ESC, C1, bidi overrides and zero-width
    characters would otherwise reach the terminal or reorder what the analyst sees.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not _NEEDS_WORK.search(text):
        return text
    return text.translate(_TABLE)
