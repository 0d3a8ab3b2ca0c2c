"""An article's title, author, source and date: from YAML front matter (read safely: it is
untrusted) or from the header lines scraped text opens with."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from sinoread.config import SAFE_LOADER, Config
from sinoread.ingest.dates import find_full_date, parse_date_value
from sinoread.ingest.reading import ArticleError
from sinoread.ingest.sanitize import sanitize

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


_BY_LINE = re.compile(r"^(?:By|Written by|Author:)\s+(?P<who>[^\n]{2,80})$", re.I)
_LABELLED = re.compile(r"^(?P<key>Source|Date|Published|Author|Title)\s*:\s*(?P<value>.+)$", re.I)
_NAME_LINE = re.compile(r"^[A-Z][a-z'’-]+(?: (?:de |van |von |da |bin )?[A-Z][a-z'’-]+){1,3}$")


@dataclass
class Meta:
    """What an article's header lines say; front matter, where present, has the last word."""

    title: str | None = None
    author: str | None = None
    source: str | None = None
    date: str | None = None


def _looks_like_country(text: str, cfg: Config) -> bool:
    return cfg.resolve_country(text) is not None


def header_line(para: str, meta: Meta, cfg: Config, is_first: bool) -> bool:
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
