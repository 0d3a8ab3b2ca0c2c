"""Files -> cleaned `Article`s with metadata and stable ids; bad files become `Problem`s."""

from __future__ import annotations

import html
import os
import stat
import re
from collections.abc import Iterator
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
            art_id = sanitize(name.rpartition(".")[0])
            if art_id in seen:
                problems.append(Problem(path, f"id {art_id!r} already used by {seen[art_id]}; rename one"))
                continue
            seen[art_id] = path
            files.append(SourceFile(art_id, path, st.st_mtime_ns, st.st_size))
    return files, problems


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8 (BOM or not), UTF-16 (BOM or clear NUL pattern), cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        sample = data[:4096]
        odd = sample[1::2].count(0)
        even = sample[0::2].count(0)
        half = len(sample) // 2 or 1
        if len(data) % 2 == 0 and odd > 0.3 * half and even < 0.05 * half:
            return data.decode("utf-16-le")
        if len(data) % 2 == 0 and even > 0.3 * half and odd < 0.05 * half:
            return data.decode("utf-16-be")
        raise ArticleError("contains NUL bytes (binary file?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"undecodable: not UTF-8, UTF-16 or cp1252 (byte {exc.start})") from None


def read_text(path: str) -> str:
    """The file's text, decoded and made inert (see `sanitize`)."""
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
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise ArticleError(f"undecodable ({exc.reason})") from None
    text = sanitize(text)
    if not text.strip():
        raise ArticleError("empty file")
    if len(text) > MAX_LINE:
        longest = max(map(len, text.split("\n")))
        if longest > MAX_LINE:
            raise ArticleError(f"a line of {longest:,} characters without a break: not an article text")
    return text


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
    if found and len(para.split()) <= 8:
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


def parse_article(source: SourceFile, cfg: Config) -> Article:
    """Read, decode, clean and describe one file; raises ArticleError if it cannot be read."""
    text = read_text(source.path)
    fields, body = split_front_matter(text)
    meta = _Meta()
    cleaned = clean(body, cfg, meta)
    if not cleaned.strip():
        raise ArticleError("nothing left to read after cleaning")
    date = fields.get("date") or meta.date
    if date is None:
        found = find_full_date(cleaned[:1500])
        date = found[0] if found else None
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
