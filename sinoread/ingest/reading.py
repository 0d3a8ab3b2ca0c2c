"""Reading an article file: opened so that nothing can be raced, bounded in size, decoded
from whatever encoding it is in and made inert."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

from sinoread.ingest.files import SourceFile, is_inside, not_regular
from sinoread.ingest.sanitize import sanitize

MAX_BYTES = 8 * 1024 * 1024
"""Bigger files are skipped: no article is 8 MB, and memory and time stay bounded."""
MAX_LINE = 1_000_000
"""A line longer than this is a data dump or minified page, not an article."""


class ArticleError(Exception):
    """A file that cannot be an article; the message says why."""


def decode(data: bytes) -> str:
    """Bytes -> text (see `decode_named`)."""
    return decode_named(data)[0]


_MULTIBYTE_CJK = ("cp932", "shift_jis", "euc_jp", "gb2312", "gbk", "gb18030", "big5", "big5hkscs", "euc_kr",
                  "cp949", "johab", "cp950", "hz", "iso2022")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


_WORD = re.compile(r"[^\W\d_]+")


def _mixed_scripts(text: str) -> bool:
    """True when words mix Latin with another alphabet (`cafБНП`): the mark of a wrong reading."""
    words = mixed = 0
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        words += 1
        latin = any(c.isascii() for c in word)
        other = any(not c.isascii() and not unicodedata.name(c, "LATIN").startswith("LATIN") for c in word)
        mixed += latin and other
    return words > 0 and mixed > 0.1 * words


def decode_named(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, the encoding used). UTF-8 (BOM or not) and UTF-16 (BOM or a clear NUL
    pattern) are recognised; anything else is detected by charset-normalizer (GB18030, Big5,
    KOI8-R, cp1251, cp1258, cp1252...), never assumed."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16 (with BOM)"
    if b"\x00" in data:
        sample = data[:4096]
        odd = sample[1::2].count(0)
        even = sample[0::2].count(0)
        half = len(sample) // 2 or 1
        if len(data) % 2 == 0 and odd > 0.3 * half and even < 0.05 * half:
            return data.decode("utf-16-le"), "UTF-16 LE"
        if len(data) % 2 == 0 and even > 0.3 * half and odd < 0.05 * half:
            return data.decode("utf-16-be"), "UTF-16 BE"
        raise ArticleError("contains NUL bytes (binary file?)")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _detect(data: bytes) -> tuple[str, str]:
    """A legacy 8-bit or CJK encoding, as charset-normalizer ranks them, with one correction:
    a multibyte CJK reading of mostly-Latin text (a lone `£` read as Shift-JIS) is no reading."""
    from charset_normalizer import from_bytes

    best: tuple[float, bool, float, str, str] | None = None
    for match in from_bytes(data[:DETECT_BYTES]):
        text = str(match)
        if match.encoding.startswith(("utf_16", "utf_32")) or _mixed_scripts(text):
            continue  # UTF-16 without BOM or NULs is not text we meet; "cafБНП" is no word
        if match.chaos >= 0.1 and match.coherence < 0.1:
            continue  # messy, and in no language the detector knows: noise, not a reading
        if match.encoding.startswith(_MULTIBYTE_CJK):
            letters = len(_CJK_CHAR.findall(text))
            foreign = sum(1 for c in text if ord(c) > 127)
            if letters < 2 or letters < 0.5 * foreign:
                continue
        # ties go to cp1252, the commonest legacy encoding ("España" is not "Espańa")
        key = (match.chaos, match.encoding != "cp1252", -match.coherence, match.encoding, text)
        if best is None or key[:3] < best[:3]:
            best = key
    if best is None:
        raise ArticleError("undecodable: not UTF-8 or UTF-16, and no other encoding reads it; save it as UTF-8")
    name, text = best[3], best[4]
    if len(data) > DETECT_BYTES:  # detected on a sample (seconds per MB otherwise): read the rest alike
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            raise ArticleError(f"undecodable: read as {name} at first, it is not {name} further on") from None
    return unicodedata.normalize("NFC", text), f"{name.replace('_', '-').upper()} (detected)"


DETECT_BYTES = 256 * 1024
"""How much of a legacy-encoded file the detector reads: enough to tell, bounded in time."""


def _text_of(data: bytes) -> tuple[str, str]:
    """File bytes -> (text decoded and made inert, the encoding it was read in)."""
    if len(data) > MAX_BYTES:
        raise ArticleError(f"larger than {MAX_BYTES // (1024 * 1024)} MB: too big to be one article; split it")
    if not data.strip():
        raise ArticleError("empty file")
    try:
        text, encoding = decode_named(data)
    except UnicodeDecodeError as exc:
        raise ArticleError(f"undecodable ({exc.reason})") from None
    text = sanitize(text)
    if not text.strip():
        raise ArticleError("empty file")
    if len(text) > MAX_LINE:
        longest = max(map(len, text.split("\n")))
        if longest > MAX_LINE:
            raise ArticleError(f"a line of {longest:,} characters without a break: not an article text")
    return text, encoding


_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


def _read_regular(path: str, identity: tuple[int, int] | None = None, within: str | None = None) -> bytes:
    """The bytes of a regular file, opened so that nothing can be raced: without following a
    final link or blocking on a FIFO, then checked on the descriptor (a regular file, and
    the very file scanned when `identity` (device, inode) is given)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise ArticleError("vanished before it could be read") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ArticleError("became a link after it was scanned: not followed") from None
        if exc.errno == errno.EISDIR:
            raise ArticleError("is a directory, not an article") from None
        raise ArticleError(f"cannot read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ArticleError(not_regular(st.st_mode))
        if identity is not None and (st.st_dev, st.st_ino) != identity:
            raise ArticleError("replaced by another file after it was scanned; it is read at the next update")
        if within is not None:  # what was opened, not what the path said a moment before
            try:
                opened = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                opened = None
            if opened is not None and not is_inside(opened, within):
                raise ArticleError(f"now resolves to {opened}, outside the corpus folder: not read")
        chunks, left = [], MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ArticleError(f"cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)


def read_source(source: SourceFile) -> tuple[str, str]:
    """A scanned file's text, decoded and made inert, and the encoding it was read in."""
    identity = (source.device, source.inode) if source.inode else None
    return _text_of(_read_regular(source.target or source.path, identity))


def read_original(path: str, corpus: str | Path) -> tuple[str, str]:
    """An indexed article's file as it is now (the raw view, `show --raw`): only if it still
    resolves inside the corpus folder and is a regular file."""
    try:
        real = os.path.realpath(path, strict=True)
        top_real = os.path.realpath(corpus, strict=True)
    except OSError:
        raise ArticleError("vanished before it could be read") from None
    if not is_inside(real, top_real):
        raise ArticleError(f"now resolves to {real}, outside the corpus folder: not read")
    return _text_of(_read_regular(real, within=top_real))
