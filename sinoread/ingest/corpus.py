"""Files -> cleaned `Article`s with metadata and stable ids; bad files become `Problem`s.

The entry: it runs files, reading, metadata and cleaning in order, and finds an article by id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sinoread.config import Config
from sinoread.ingest.cleaning import clean
from sinoread.ingest.files import EXTENSIONS, SourceFile, scan
from sinoread.ingest.metadata import Meta, split_front_matter
from sinoread.ingest.reading import ArticleError, read_source
from sinoread.models import Article, Problem


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


def parse_article(source: SourceFile, cfg: Config) -> Article:
    """Read, decode, clean and describe one file; raises ArticleError if it cannot be read."""
    text, _encoding = read_source(source)
    fields, body = split_front_matter(text)
    meta = Meta()
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
