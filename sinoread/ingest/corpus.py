"""Files -> cleaned `Article`s with metadata and stable ids; bad files become `Problem`s."""

from __future__ import annotations

import errno
import html
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sinoread.config import SAFE_LOADER, Config
from sinoread.extract.budget import check_budget
from sinoread.ingest.dates import find_full_date, parse_date_value
from sinoread.ingest.fold import fold
from sinoread.ingest.sanitize import sanitize
from sinoread.models import Article, Problem

EXTENSIONS = (".txt", ".md")
MAX_BYTES = 8 * 1024 * 1024
"""Bigger files are skipped: no article is 8 MB, and memory and time stay bounded."""
MAX_LINE = 1_000_000
"""A line longer than this is a data dump or minified page, not an article."""


class ArticleError(Exception):
    """A file that cannot be an article; the message says why."""


@dataclass(frozen=True)
class SourceFile:
    """A candidate article on disk, with what incremental indexing compares."""

    id: str
    path: str
    mtime_ns: int
    size: int
    device: int = 0
    inode: int = 0
    """The scanned file's identity: what is opened must be this file, or it is skipped."""
    target: str = ""
    """For a link inside the corpus, the file it resolves to (what is opened); else empty."""


_KIND = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


def _not_regular(mode: int) -> str:
    return f"not a regular file ({_KIND.get(stat.S_IFMT(mode), 'a special file')}): not opened"


def _inside(real: str, top_real: str) -> bool:
    return real == top_real or real.startswith(top_real.rstrip(os.sep) + os.sep)


def scan(root: str | Path, unlisted: list[str] | None = None) -> tuple[list[SourceFile], list[Problem]]:
    """Every .txt/.md under `root`, sorted as a walk of the tree (a folder's files, then its
    subfolders), plus a Problem for each file skipped and why.

    The walk keeps its own stack (a tree of any depth), never leaves the corpus (a link that
    resolves outside it is reported, not followed; `root` itself may be a link) and follows
    a link inside the corpus once: after the real files, and only to a file or folder not
    already reached. Only regular files are kept."""
    root_s = os.path.abspath(root)
    try:
        top_real = os.path.realpath(root_s)
        top_stat = os.stat(top_real)
    except (OSError, ValueError):
        return [], [Problem(root_s, "corpus folder not found; pass --corpus DIR")]
    if not stat.S_ISDIR(top_stat.st_mode):
        return [], [Problem(root_s, "corpus folder not found (not a folder); pass --corpus DIR")]
    files: list[SourceFile] = []
    problems: list[Problem] = []
    ids: set[str] = set()
    reached: set[tuple[int, int]] = set()
    folders: set[tuple[int, int]] = {(top_stat.st_dev, top_stat.st_ino)}
    links: list[tuple[str, str]] = []  # (path, relative), followed after every real file
    top = root_s.rstrip(os.sep) + os.sep

    def keep(path: str, st: os.stat_result, target: str = "") -> None:
        key = (st.st_dev, st.st_ino)
        if key in reached:
            return  # a second name for a file already kept (a link, a hard link)
        reached.add(key)
        relative = path[len(top):]
        art_id = article_id(relative)
        if art_id in ids:  # `a.txt` beside `a.md`: the second keeps its extension
            art_id = article_id(relative, keep_extension=True)
        base, n = art_id, 1
        while art_id in ids:  # names that differ only in what sanitizing drops or escapes
            n += 1
            art_id = f"{base}~{n}"
        ids.add(art_id)
        files.append(SourceFile(art_id, path, st.st_mtime_ns, st.st_size, st.st_dev, st.st_ino, target))

    def walk(start: str) -> None:
        stack = [start]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                problems.append(Problem(folder, f"cannot list folder ({exc.strerror})"))
                if unlisted is not None:  # its articles are not gone: an update keeps them
                    unlisted.append(folder)
                continue
            base = folder.rstrip(os.sep) + os.sep
            subfolders = []
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                path = base + name
                try:
                    if entry.is_symlink():
                        links.append((path, name))
                    elif entry.is_dir(follow_symlinks=False):
                        if name.lower().endswith(EXTENSIONS):
                            problems.append(Problem(path, "is a directory, not an article"))
                        st = entry.stat(follow_symlinks=False)
                        if (st.st_dev, st.st_ino) not in folders:
                            folders.add((st.st_dev, st.st_ino))
                            subfolders.append(path)
                    elif name.lower().endswith(EXTENSIONS):
                        st = entry.stat(follow_symlinks=False)
                        if stat.S_ISREG(st.st_mode):
                            keep(path, st)
                        else:
                            problems.append(Problem(path, _not_regular(st.st_mode)))
                except OSError as exc:
                    problems.append(Problem(path, f"cannot read ({exc.strerror})"))
            stack.extend(reversed(subfolders))

    walk(root_s)
    while links:  # links last, so a file keeps its own path as its id
        pending, links = links, []
        for path, name in pending:
            try:
                real = os.path.realpath(path, strict=True)
            except OSError as exc:
                if name.lower().endswith(EXTENSIONS):
                    reason = "a link in a loop" if exc.errno == errno.ELOOP else "a broken link"
                    problems.append(Problem(path, f"{reason}: skipped"))
                continue
            if not _inside(real, top_real):
                problems.append(Problem(path, f"a link to {real}, outside the corpus folder: not followed"))
                continue
            try:
                st = os.stat(real, follow_symlinks=False)
            except OSError as exc:
                problems.append(Problem(path, f"cannot read ({exc.strerror})"))
                continue
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) not in folders:  # a folder not reached otherwise (hidden)
                    folders.add((st.st_dev, st.st_ino))
                    walk(path)
            elif not name.lower().endswith(EXTENSIONS):
                continue
            elif stat.S_ISREG(st.st_mode):
                keep(path, st, target=real)
            else:
                problems.append(Problem(path, _not_regular(st.st_mode)))
    files.sort(key=lambda f: walk_order(f.path[len(top):]))
    return files, problems


def walk_order(relative: str, sep: str = os.sep) -> list[tuple[int, str]]:
    """Sort key of the walk's order: a folder's files before its subfolders, each sorted."""
    *folders, name = relative.split(sep)
    return [(1, f) for f in folders] + [(0, name)]


def article_id(relative: str, keep_extension: bool = False) -> str:
    """The id of the file at `relative` (to the corpus folder): its path without extension,
    `/`-separated (`business/001`), so same-named files in section folders are all kept."""
    if not keep_extension:
        relative = relative.rpartition(".")[0] or relative
    return sanitize(relative.replace(os.sep, "/"))


class UnknownArticle(LookupError):
    """No article, or more than one, answers to an id; the message says which and what to do."""


def resolve_id(wanted: str, ids: Iterable[str]) -> str:
    """The one id that is `wanted` or ends with `/wanted` (`001` for `business/001`, also with
    its extension); UnknownArticle naming the candidates when none or several do."""
    wanted = wanted.strip().strip("/")
    known = ids if isinstance(ids, (set, frozenset, dict)) else set(ids)
    if wanted in known:
        return wanted
    stem = wanted.rpartition(".")[0] if wanted.lower().endswith(EXTENSIONS) else wanted
    if stem in known:
        return stem
    found = sorted(i for i in known if i.endswith("/" + wanted) or (stem != wanted and i.endswith("/" + stem)))
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownArticle(f"no article {wanted!r}; see `sinoread articles`")
    shown = ", ".join(found[:8]) + (f" and {len(found) - 8} more" if len(found) > 8 else "")
    raise UnknownArticle(f"article id {wanted!r} is ambiguous: {shown}; give more of its path")


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
            raise ArticleError(_not_regular(st.st_mode))
        if identity is not None and (st.st_dev, st.st_ino) != identity:
            raise ArticleError("replaced by another file after it was scanned; it is read at the next update")
        if within is not None:  # what was opened, not what the path said a moment before
            try:
                opened = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                opened = None
            if opened is not None and not _inside(opened, within):
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


def inside_corpus(path: str, corpus: str | Path) -> bool:
    """True if `path` resolves to something inside the corpus folder."""
    try:
        return _inside(os.path.realpath(path, strict=True), os.path.realpath(corpus, strict=True))
    except OSError:
        return False


def read_original(path: str, corpus: str | Path) -> tuple[str, str]:
    """An indexed article's file as it is now (the raw view, `show --raw`): only if it still
    resolves inside the corpus folder and is a regular file."""
    try:
        real = os.path.realpath(path, strict=True)
        top_real = os.path.realpath(corpus, strict=True)
    except OSError:
        raise ArticleError("vanished before it could be read") from None
    if not _inside(real, top_real):
        raise ArticleError(f"now resolves to {real}, outside the corpus folder: not read")
    return _text_of(_read_regular(real, within=top_real))


_FRONT_KEYS = ("title", "author", "source", "date", "url")


MAX_FRONT_MATTER = 64 * 1024
"""Front matter holds a title, a date and a few names: past this it is not front matter but
an attack on the parser (1 MB cost 20 s and 300 MB)."""
_FRONT_START = re.compile(r"\A---[ \t]*\n")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str) -> tuple[dict[str, str | None], str]:
    """Optional YAML front matter -> (fields, rest); bad front matter is an ArticleError."""
    if not text.startswith("---"):
        return {}, text
    start = _FRONT_START.match(text)
    end = _FRONT_END.search(text, start.end() - 1 if start else 0, MAX_FRONT_MATTER + 8) if start else None
    if start is None:
        return {}, text
    if end is None:
        if _FRONT_END.search(text, start.end()) is not None:
            raise ArticleError(f"front matter larger than {MAX_FRONT_MATTER // 1024} KB: not a title and a date")
        return {}, text
    block = text[start.end():end.start()]
    after = end.end() + (1 if text[end.end():end.end() + 1] == "\n" else 0)
    if "*" in block or "&" in block:
        _refuse_aliases(block)
    loader = SAFE_LOADER(block)  # article text is untrusted: the safe loader, never yaml.load's choice
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        line = f" line {mark.line + 2}" if mark else ""
        raise ArticleError(f"front matter{line}: {exc.problem or 'invalid YAML'}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ArticleError(f"front matter: invalid YAML ({type(exc).__name__})") from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ArticleError("front matter is not a mapping of title:, author:, source:, date:")
    fields: dict[str, str | None] = {}
    for key in _FRONT_KEYS:
        value = data.get(key)
        if key == "date":
            fields[key] = parse_date_value(value)
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            fields[key] = sanitize(str(value)).strip() or None
    return fields, text[after:]


def _refuse_aliases(block: str) -> None:
    """Aliases make a few lines of YAML expand to billions of values: front matter has no use for them."""
    try:
        for event in yaml.parse(block, Loader=SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                line = f" line {event.start_mark.line + 2}" if event.start_mark else ""
                raise ArticleError(f"front matter{line}: YAML aliases (*name) are not allowed in front matter")
    except yaml.YAMLError:
        return  # the load below reports it with its line


# --- cleaning -----------------------------------------------------------------------

_MD_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?>|</?[A-Za-z][A-Za-z0-9]*\s+[a-z-]+=[^\n]*$")
_HTML_ATTR_TAG = re.compile(r"<[A-Za-z]+\s+[a-z-]+=")
_BREADCRUMB = re.compile(r"^(?:[^»\n]{1,40}\s*»\s*)+")
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_SPACES = re.compile(r"[ \t]+")
_BY_LINE = re.compile(r"^(?:By|Written by|Author:)\s+(?P<who>[^\n]{2,80})$", re.I)
_LABELLED = re.compile(r"^(?P<key>Source|Date|Published|Author|Title)\s*:\s*(?P<value>.+)$", re.I)
_NAME_LINE = re.compile(r"^[A-Z][a-z'’-]+(?: (?:de |van |von |da |bin )?[A-Z][a-z'’-]+){1,3}$")


@dataclass
class _Meta:
    title: str | None = None
    author: str | None = None
    source: str | None = None
    date: str | None = None


def _norm(s: str) -> str:
    return " ".join(fold(s).casefold().split())


_MARKDOWN_CHARS = frozenset("[]*_`!<&\\")
MARKDOWN_LINE_MAX = 4000
"""Longer lines are left as they are: the parser costs ~30 µs a character on `![![…`."""
_SEPARATORS = frozenset(" \t,;|·•-–—»/")


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt  # installed with Textual (rich depends on it)

    return MarkdownIt("commonmark")


def _markdown_text(line: str) -> tuple[str, bool]:
    """A line of scraped markdown as plain text, read by a parser (regular expressions over
    links backtracked for good on a paragraph of thirty of them), and whether it held
    nothing but links: (text of links and emphasis kept, images dropped, HTML tags dropped)."""
    if _MARKDOWN_CHARS.isdisjoint(line) or len(line) > MARKDOWN_LINE_MAX:
        return line, False
    out: list[str] = []
    links = 0
    outside = False
    depth = 0
    for token in _markdown().parseInline(line)[0].children or ():
        kind = token.type
        if kind == "link_open":
            depth += 1
            links += 1
        elif kind == "link_close":
            depth = max(0, depth - 1)
        elif kind in ("text", "code_inline"):
            out.append(token.content)
            if depth == 0 and not _SEPARATORS.issuperset(token.content):
                outside = True
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "html_inline":
            out.append(token.content)  # left for the tag cleaner, which knows captions in tags
    return "".join(out), links > 0 and not outside


def _clean_inline(line: str) -> str:
    """A line the markdown parser has read: tags, entities, glued sentences and spaces."""
    if "<" in line:
        had_attr_tag = bool(_HTML_ATTR_TAG.search(line))
        line = _HTML_TAG.sub("", line)
        if had_attr_tag and len(line.split()) < 4 and not line.rstrip().endswith((".", "!", "?", "”", '"')):
            return ""  # a caption smeared into a tag attribute: nothing readable is left
    line = html.unescape(line) if "&" in line else line
    line = _GLUED_SENTENCE.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


def _paragraphs(body: str) -> list[tuple[str, str]]:
    """Split on blank lines -> (raw, cleaned) pairs; lines inside a paragraph are joined, and
    a paragraph of nothing but links (navigation, tags, share rows) is cleaned to nothing."""
    out = []
    for block in re.split(r"\n[ \t]*\n", body):
        raw = block.strip()
        if not raw:
            continue
        texts, link_only = [], True
        for line in raw.split("\n"):
            check_budget("cleaning the text")  # the parser is slow on lines of `![![`: bounded too
            text, only = _markdown_text(_MD_HEADING.sub("", line))
            link_only = link_only and (only or not line.strip())
            texts.append(text)
        if link_only:
            out.append((raw, ""))
            continue
        cleaned = " ".join(c for c in (_clean_inline(t) for t in texts) if c)
        out.append((raw, cleaned))
    return out


def _is_boilerplate(text: str, cfg: Config) -> bool:
    return any(p.match(text) for p in cfg.boilerplate)


def _looks_like_country(text: str, cfg: Config) -> bool:
    return cfg.resolve_country(text) is not None


def clean(body: str, cfg: Config, meta: _Meta) -> str:
    """Scraped text -> readable paragraphs; header lines fill `meta` where it is empty."""
    kept: list[str] = []
    header = True
    for raw, para in _paragraphs(body):
        if not para:
            continue
        if _BREADCRUMB.match(para) and "»" in para:
            para = _BREADCRUMB.sub("", para).strip()
            if not para:
                continue
        if _is_boilerplate(para, cfg):
            continue
        if kept and _norm(para) == _norm(kept[-1]):
            continue  # repeated title or caption
        if header and len(para.split()) >= 25:
            header = False
        if header and _header_line(para, meta, cfg, is_first=not kept):
            continue
        kept.append(para)
    return "\n\n".join(kept)


def _header_line(para: str, meta: _Meta, cfg: Config, is_first: bool) -> bool:
    """Read a header line into `meta`; True if it was metadata and leaves the text."""
    if "\n" in para or len(para) > 200:
        return False
    if is_first and meta.title is None:
        meta.title = para
        return False  # the title stays: it is read and highlighted with the text
    m = _BY_LINE.match(para)
    if m:
        if meta.author is None:
            meta.author = m.group("who").strip().rstrip(".")
        return True
    m = _LABELLED.match(para)
    if m:
        key, value = m.group("key").lower(), m.group("value").strip()
        if key in ("date", "published"):
            found = find_full_date(value)
            if found and meta.date is None:
                meta.date = found[0]
        elif key in ("source", "author", "title") and getattr(meta, key) is None:
            setattr(meta, key, value)
        return True
    found = find_full_date(para)
    if found and _is_date_line(para, found[1], found[2]):
        iso, start, end = found
        before = para[:start].strip().rstrip(",").strip()
        if meta.date is None:
            meta.date = iso
        if before and meta.source is None and not _looks_like_country(before, cfg):
            meta.source = before
        return True
    if (
        meta.author is None
        and meta.title is not None
        and _NAME_LINE.match(para)
        and not any(_looks_like_country(w, cfg) for w in para.split())
    ):
        meta.author = para
        return True
    return False


_DATE_LINE_WORDS = frozenset(
    "updated published posted last modified on at by am pm gmt utc ict est edt bst cet hrs".split()
)


def _is_date_line(para: str, start: int, end: int) -> bool:
    """A header line that is a date stamp ("Reuters, June 7, 2021", "Published 7 June 2021
    10:32 GMT"), not a short sentence that mentions one ("Talks end on 3 March 2005.")."""
    rest = (para[:start] + " " + para[end:]).replace(",", " ").replace("|", " ").split()
    if len(rest) > 6:
        return False
    return all(w[0].isupper() or w.isdigit() or w.lower().strip(".:-–") in _DATE_LINE_WORDS
               or not w.strip(".:-–") or ":" in w for w in rest)


def parse_article(source: SourceFile, cfg: Config) -> Article:
    """Read, decode, clean and describe one file; raises ArticleError if it cannot be read."""
    text, _encoding = read_source(source)
    fields, body = split_front_matter(text)
    meta = _Meta()
    cleaned = clean(body, cfg, meta)
    if not cleaned.strip():
        raise ArticleError("nothing left to read after cleaning")
    # Metadata only (front matter, header lines, a dateline): a date the body mentions is
    # what the story is about, not when it was written, and no date beats a wrong one.
    date = fields.get("date") or meta.date
    return Article(
        id=source.id,
        path=source.path,
        title=fields.get("title") or meta.title,
        author=fields.get("author") or meta.author,
        source=fields.get("source") or meta.source,
        date=date,
        url=fields.get("url"),
        text=cleaned,
    )


def load_corpus(root: str | Path, cfg: Config) -> tuple[list[Article], list[Problem]]:
    """All readable articles under `root`, and a Problem for each file skipped."""
    files, problems = scan(root)
    articles = []
    for art in iter_articles(files, cfg, problems):
        articles.append(art)
    return articles, problems


def iter_articles(files: list[SourceFile], cfg: Config, problems: list[Problem]) -> Iterator[Article]:
    for f in files:
        try:
            yield parse_article(f, cfg)
        except ArticleError as exc:
            problems.append(Problem(f.path, str(exc)))
        except (MemoryError, RecursionError) as exc:
            problems.append(Problem(f.path, f"too large or too deeply nested ({type(exc).__name__})"))
