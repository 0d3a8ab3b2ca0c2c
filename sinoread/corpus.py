"""Files -> cleaned `Article`s with metadata and stable ids; bad files become `Problem`s."""

from __future__ import annotations

import html
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from sinoread.config import Config
from sinoread.dates import find_full_date, parse_date_value
from sinoread.fold import fold
from sinoread.models import Article, Problem
from sinoread.sanitize import sanitize

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


def scan(root: str | Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every .txt/.md under `root` (recursive, sorted), plus problems met on the way."""
    root = Path(root)
    files: list[SourceFile] = []
    problems: list[Problem] = []
    if not root.is_dir():
        return [], [Problem(str(root), "corpus folder not found; pass --corpus DIR")]
    seen: dict[str, str] = {}
    top = os.path.abspath(root) + os.sep

    def onerror(err: OSError) -> None:
        problems.append(Problem(str(err.filename or root), f"cannot list folder ({err.strerror})"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        base = os.path.abspath(dirpath) + os.sep  # per folder, not per file: 100,000 files add up
        dirnames.sort()
        for d in list(dirnames):
            if d.startswith("."):
                dirnames.remove(d)
            elif d.lower().endswith(EXTENSIONS):
                problems.append(Problem(os.path.join(dirpath, d), "is a directory, not an article"))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(EXTENSIONS):
                continue
            path = base + name
            try:
                st = os.stat(path)
            except OSError as exc:
                reason = "symlink loop" if exc.errno == 40 else f"cannot read ({exc.strerror})"
                problems.append(Problem(path, reason))
                continue
            if not stat.S_ISREG(st.st_mode):  # the stat we have: one system call per file
                problems.append(Problem(path, "not a regular file"))
                continue
            art_id = article_id(path[len(top):])
            if art_id in seen:  # `a.txt` beside `a.md`: the second keeps its extension
                art_id = article_id(path[len(top):], keep_extension=True)
            seen[art_id] = path
            files.append(SourceFile(art_id, path, st.st_mtime_ns, st.st_size))
    return files, problems


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

    best: tuple[float, float, str, str] | None = None
    for match in from_bytes(data):
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
        key = (match.chaos, -match.coherence, match.encoding, text)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        raise ArticleError("undecodable: not UTF-8 or UTF-16, and no other encoding reads it; save it as UTF-8")
    name, text = best[2], best[3]
    return unicodedata.normalize("NFC", text), f"{name.replace('_', '-').upper()} (detected)"


def read_text(path: str) -> str:
    """The file's text, decoded and made inert (see `sanitize`)."""
    return read_named(path)[0]


def read_named(path: str) -> tuple[str, str]:
    """The file's text, decoded and made inert, and the encoding it was read in."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ArticleError("vanished before it could be read") from None
    except IsADirectoryError:
        raise ArticleError("is a directory, not an article") from None
    except OSError as exc:
        raise ArticleError(f"cannot read ({exc.strerror})") from None
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


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_KEYS = ("title", "author", "source", "date", "url")


def split_front_matter(text: str) -> tuple[dict[str, str | None], str]:
    """Optional YAML front matter -> (fields, rest); bad front matter is an ArticleError."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1) or "")
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        line = f" line {mark.line + 2}" if mark else ""
        raise ArticleError(f"front matter{line}: {exc.problem or 'invalid YAML'}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ArticleError(f"front matter: invalid YAML ({type(exc).__name__})") from None
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
    return fields, text[m.end():]


# --- cleaning -----------------------------------------------------------------------

_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?>|</?[A-Za-z][A-Za-z0-9]*\s+[a-z-]+=[^\n]*$")
_HTML_ATTR_TAG = re.compile(r"<[A-Za-z]+\s+[a-z-]+=")
_BREADCRUMB = re.compile(r"^(?:[^»\n]{1,40}\s*»\s*)+")
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_SPACES = re.compile(r"[ \t]+")
_LINK_ONLY = re.compile(r"^(?:\s*\[[^\]\n]*\]\([^)\n]*\)[\s,;|·•-]*)+$")
_BY_LINE = re.compile(r"^(?:By|Written by|Author:)\s+(?P<who>[^\n]{2,80})$", re.I)
_LABELLED = re.compile(r"^(?P<key>Source|Date|Published|Author|Title)\s*:\s*(?P<value>.+)$", re.I)
_NAME_LINE = re.compile(r"^[A-Z][a-z'’-]+(?: (?:de |van |von |da |bin )?[A-Z][a-z'’-]+){1,3}$")
_SOURCE_DATE = re.compile(r"^(?P<source>[A-Z][\w.&'’ -]{1,60}?),?\s+(?P<rest>.+)$")


@dataclass
class _Meta:
    title: str | None = None
    author: str | None = None
    source: str | None = None
    date: str | None = None


def _norm(s: str) -> str:
    return " ".join(fold(s).casefold().split())


def _clean_inline(line: str) -> str:
    if "](" in line:
        line = _MD_IMAGE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
    if "**" in line or "__" in line:
        line = _MD_BOLD.sub(r"\2", line)
    if "<" in line:
        had_attr_tag = bool(_HTML_ATTR_TAG.search(line))
        line = _HTML_TAG.sub("", line)
        if had_attr_tag and len(line.split()) < 4 and not line.rstrip().endswith((".", "!", "?", "”", '"')):
            return ""  # a caption smeared into a tag attribute: nothing readable is left
    line = html.unescape(line) if "&" in line else line
    line = _GLUED_SENTENCE.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


def _paragraphs(body: str) -> list[tuple[str, str]]:
    """Split on blank lines -> (raw, cleaned) pairs; lines inside a paragraph are joined."""
    out = []
    for block in re.split(r"\n[ \t]*\n", body):
        raw = block.strip()
        if not raw:
            continue
        lines = [_clean_inline(_MD_HEADING.sub("", ln)) for ln in raw.split("\n")]
        cleaned = " ".join(ln for ln in lines if ln)
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
        if _LINK_ONLY.match(raw) or not para:
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
    text = read_text(source.path)
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
