"""What one article becomes: the document Whoosh stores and indexes, its list row, and the
slugs that make countries and pairs single tokens."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sinoread import engine
from sinoread.config import Config
from sinoread.extract.learning import Known, taught
from sinoread.ingest.fold import fold
from sinoread.models import (
    Analysis,
    Article,
    ArticleRow,
    Problem,
    analysis_from_plain,
    analysis_to_plain,
    to_plain,
)

if TYPE_CHECKING:
    from sinoread.engine import Fields
    from sinoread.ingest.files import SourceFile

SCHEMA_VERSION = 10
"""Bump when fields, ids, extraction output or where a pickled schema class lives change:
older indexes are rebuilt. 9: ids are relative paths (`business/001`). 10: the schema's
classes moved to `sinoread.engine` (Whoosh pickles their module paths)."""


def slug(country: str) -> str:
    """`United States` -> `united_states`: one token, and `-` stays free to join a pair."""
    return country.lower().replace(" ", "_").replace("-", "_")


def pair_slug(a: str, b: str) -> str:
    x, y = sorted((slug(a), slug(b)))
    return f"{x}-{y}"


def prepare(source: SourceFile, cfg: Config, learned: dict[str, Known] | None = None) -> Fields | Problem:
    """Read, clean and analyse one file into the document Whoosh stores, or a Problem.
    `learned`: names other articles taught (sinoread.extract.learning)."""
    from sinoread.ingest.corpus import parse_article

    got = _analysed(source.path, cfg, learned, lambda: parse_article(source, cfg))
    if isinstance(got, Problem):
        return got
    article, fields = got
    doc: Fields = dict(
        id=article.id,
        path=article.path,
        mtime_ns=source.mtime_ns,
        size=source.size,
        title=article.title or "",
        author=article.author or "",
        source=article.source or "",
        date_iso=article.date,
        url=article.url,
        body=article.text,
        **fields,
        _postings={"title": engine.file_postings("title", article.title or ""),
                   "body": engine.file_postings("body", article.text)},
    )
    doc["_taught"] = doc.pop("_taught")  # last, as it always was
    if article.date:
        doc["date"] = datetime.fromisoformat(article.date)
    return doc


def reanalysed(text: str, date: str | None, path: str, cfg: Config,
               learned: dict[str, Known] | None) -> Fields | Problem:
    """The fields of a prepared document that its analysis makes, from its text and date
    again (with names learned since), or the Problem `prepare` would have met analysing."""
    got = _analysed(path, cfg, learned, lambda: SimpleNamespace(text=text, date=date))
    return got if isinstance(got, Problem) else got[1]


def _analysed(path: str, cfg: Config, learned: dict[str, Known] | None, parse: Any) -> tuple[Any, Fields] | Problem:
    """The article `parse` gives and the fields its analysis makes, within one article's
    budget, or the Problem that stopped them."""
    from sinoread.extract.analysis import analyse
    from sinoread.extract.budget import PatternTimeout, article_budget
    from sinoread.extract.budget import article_seconds as _article_seconds
    from sinoread.ingest.reading import ArticleError

    try:
        with article_budget():
            article = parse()
            result = analyse(article.text, cfg, article.date, learned)
            kinds = _all_kinds(result, cfg)
    except ArticleError as exc:
        return Problem(path, str(exc))
    except PatternTimeout as exc:
        seconds = _article_seconds()
        if exc.pattern:
            return Problem(path, f"analysis ran past its {seconds:g} s budget in the config pattern "
                                 f"{exc.where} ({exc.pattern[:80]!r}); skipped: simplify that pattern")
        return Problem(path, f"analysis ran past its {seconds:g} s budget while {exc.where}; skipped")
    except (MemoryError, RecursionError) as exc:
        return Problem(path, f"too large to analyse ({type(exc).__name__})")
    countries = result.countries()
    people_orgs = {m.name for m in result.mentions if m.kind in ("person", "organization")}
    pair_tokens, coop, tension, agreement_pairs = [], [], [], []
    for p in result.pairs:
        token = pair_slug(*p.countries)
        pair_tokens += [token] * len(p.sentences)
        coop += [token] * p.cooperation
        tension += [token] * p.tension
        agreement_pairs += [token] * p.agreements
    return article, dict(
        country=" ".join(slug(c) for c in countries),
        actor="\n".join(sorted(people_orgs)),
        pair=" ".join(pair_tokens),
        pair_coop=" ".join(coop),
        pair_tension=" ".join(tension),
        pair_agreement=" ".join(agreement_pairs),
        kind=" ".join(kinds),
        status=" ".join(a.status for a in result.agreements),
        tone=" ".join(sorted({p.tone for p in result.pairs})),
        analysis=json.dumps(analysis_to_plain(result), ensure_ascii=False, separators=(",", ":")),
        countries=list(countries.items()),
        _taught=taught(result),
    )


def _all_kinds(result: Any, cfg: Config) -> list[str]:
    """Every kind an agreement sentence speaks of, so `kind:patrol` finds "joint patrol plans"
    even where "communication channels" made the agreement a hotline."""
    kinds = []
    for a in result.agreements:
        kinds.append(a.kind)
        folded = fold(a.sentence)
        kinds += [k.label for k in cfg.kinds if k.pattern.search(folded) and k.label != a.kind]
    return kinds


def document_row(doc: Fields) -> ArticleRow:
    """The list row of a stored or freshly prepared document."""
    return ArticleRow(doc["id"], doc.get("title") or None, doc.get("author") or None, doc.get("source") or None,
                      doc.get("date_iso"), tuple(c for c, _ in doc.get("countries") or ()))


def json_path(path: str) -> str:
    """A path as JSON can hold it: a name's undecodable bytes (kept by Python as lone
    surrogates) written as `\\xe9`. Only compared and shown, never opened."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


Stamp = tuple[str, int, int]
"""A file's path (as `json_path` writes it), mtime_ns and size: changed when the file is."""


@dataclass(frozen=True)
class ListEntry:
    """An article in an index's listing: its row, and the index's own bookkeeping beside it."""

    row: ArticleRow
    stamp: Stamp
    taught: tuple[list[str | None], ...] = ()
    """Names this article teaches the others (`sinoread.extract.learning.taught`)."""

    @classmethod
    def of(cls, doc: Fields) -> ListEntry:
        return cls(document_row(doc), (json_path(doc["path"]), doc["mtime_ns"], doc["size"]),
                   tuple(doc.get("_taught") or ()))

    @classmethod
    def from_plain(cls, d: Mapping[str, Any]) -> ListEntry:
        """Read back from the listing file (its `id` and `stamp` already checked)."""
        entry = cls(ArticleRow.from_plain(d), tuple(d["stamp"]), tuple(d.get("taught") or ()))  # type: ignore[arg-type]
        entry.__dict__["plain"] = d  # written back as it was read: an update rewrites 100,000 of them
        return entry

    @cached_property
    def plain(self) -> Mapping[str, object]:
        """The listing file's form, as sinoread has always written it: the row's keys, the
        stamp as a list, and `taught` only when there is something. Worked out once: a full
        build writes the listing after every batch."""
        out: dict[str, object] = to_plain(self.row)
        out["stamp"] = list(self.stamp)
        if self.taught:
            out["taught"] = list(self.taught)
        return out


def first_plain(article: Article, analysis: Analysis) -> dict[str, object]:
    """The overview's newest article, as the reader's first frame reads it back."""
    return {"article": to_plain(replace(article, path=json_path(article.path))), "analysis": analysis_to_plain(analysis)}


def first_of(data: object) -> tuple[Article, Analysis] | None:
    """Inverse of `first_plain`; None for anything else (a file sinoread did not write)."""
    try:
        return Article(**data["article"]), analysis_from_plain(data["analysis"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def stored_article(doc: Fields) -> tuple[Article, Analysis]:
    """One article and its analysis, from a stored or prepared document."""
    art = Article(
        id=doc["id"], path=doc["path"], title=doc.get("title") or None, author=doc.get("author") or None,
        source=doc.get("source") or None, date=doc.get("date_iso"), url=doc.get("url"), text=doc["body"],
    )
    return art, analysis_from_plain(json.loads(doc["analysis"]))
