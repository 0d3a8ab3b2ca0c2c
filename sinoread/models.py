"""Plain data the core hands out: articles, mentions, agreements, pairs, hits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

OMIT: Mapping[str, object] = {"json": None}
"""Field metadata: a field `to_plain` leaves out (the reader's own, not in `--json`)."""


SPREAD: Mapping[str, object] = {"spread": True}
"""Field metadata: `to_plain` writes the field's own fields in place of it."""


def as_json(name: str | None, plain: Callable[[Any], Any] | None = None) -> Mapping[str, object]:
    """Field metadata: `to_plain` writes the field under `name` (None: not at all), its
    value through `plain` first. How a dataclass keeps the JSON keys scripts rely on."""
    return {"json": name, "plain": plain}


@dataclass(frozen=True)
class Article:
    """One cleaned article, ready to read and to extract from."""

    id: str
    """File name without extension: stable across runs, unique in a corpus."""
    path: str
    """Absolute path of the source file."""
    title: str | None
    author: str | None
    source: str | None
    date: str | None
    """ISO `YYYY-MM-DD`, or None when the text does not say."""
    url: str | None
    text: str
    """Cleaned, sanitised text: every span offset points into this string."""


@dataclass(frozen=True)
class ArticleRow:
    """One article as lists show it (`sinoread articles`, the reader's list, the index's
    listing): small enough that a list of 100,000 stays cheap."""

    id: str
    title: str | None
    author: str | None
    source: str | None
    date: str | None
    countries: tuple[str, ...]
    """Most mentioned first."""
    path: str | None = field(default=None, compare=False, metadata=OMIT)
    """Its file, on a row a running build announced before committing it: the reader opens
    it from there meanwhile. Never written to the listing or printed."""

    @classmethod
    def from_plain(cls, d: Mapping[str, Any]) -> ArticleRow:
        """Inverse of `to_plain`, for a row read back from an index's listing."""
        return cls(d["id"], d.get("title"), d.get("author"), d.get("source"), d.get("date"),
                   tuple(d.get("countries") or ()))


@dataclass(frozen=True)
class Mention:
    """A highlighted span: a country, person, organisation or place."""

    start: int
    end: int
    kind: str
    """`country`, `place`, `person` or `organization`."""
    name: str
    """Canonical name (`China`, `Xi Jinping`)."""
    country: str | None
    """The state it belongs to, when known (for a country, itself)."""
    role: str | None
    why: str
    """The alias, role pattern or rule that matched, for the reader to ask."""


@dataclass(frozen=True)
class Sentence:
    """A sentence, the countries it involves and the tone between them."""

    start: int
    end: int
    countries: tuple[str, ...]
    tone: str
    """`cooperation`, `tension` or `neutral`."""
    why: str


@dataclass(frozen=True)
class Agreement:
    """A sentence that records a deal, commitment or concrete cooperation."""

    start: int
    end: int
    sentence: str
    kind: str
    status: str
    parties: tuple[str, ...]
    date: str | None
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the sentence states it, else the article's."""
    date_origin: str | None
    """`sentence` or `article` (None when neither gives a date)."""
    why: str
    cue_start: int = field(metadata=OMIT)
    cue_end: int = field(metadata=OMIT)
    """The status cue inside the text, for highlighting."""


@dataclass(frozen=True)
class PairSummary:
    """One country pair inside one article."""

    countries: tuple[str, str]
    sentences: tuple[int, ...]
    """Indexes into `Analysis.sentences`."""
    tone: str
    cooperation: int
    tension: int
    agreements: int


@dataclass(frozen=True)
class Analysis:
    """Everything the extractor found in one article."""

    mentions: tuple[Mention, ...]
    sentences: tuple[Sentence, ...]
    agreements: tuple[Agreement, ...]
    pairs: tuple[PairSummary, ...]

    def countries(self) -> dict[str, int]:
        """Country name -> number of mentions (direct or through places, people, bodies)."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            if m.kind in ("country", "place", "dateline"):
                counts[m.country or m.name] = counts.get(m.country or m.name, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, with why and what to do."""

    path: str
    reason: str

    def __post_init__(self) -> None:
        # A file name is untrusted text like an article's: escape sequences, bidi overrides
        # and undecodable bytes are shown escaped wherever a problem is printed or stored.
        from sinoread.ingest.sanitize import sanitize

        object.__setattr__(self, "path", sanitize(self.path))
        object.__setattr__(self, "reason", sanitize(self.reason))

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Snippet:
    """Highlighted snippet text; `marks` are (start, end) offsets of matched terms."""

    text: str = field(metadata=as_json("snippet"))
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Hit:
    id: str
    title: str | None
    score: float
    snippet: Snippet = field(metadata=SPREAD)
    """In `--json`, its text and marks sit beside the other fields ("snippet", "marks")."""
    source: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class PairSentence:
    """A sentence naming both countries of a pair; `start`/`end` are offsets in the article."""

    text: str
    tone: str
    start: int
    end: int


@dataclass(frozen=True)
class PairAgreement:
    sentence: str
    kind: str
    status: str
    parties: tuple[str, ...]
    date: str | None
    why: str
    start: int


@dataclass(frozen=True)
class PairArticle:
    """One article where the pair meets: its sentences naming both, and their agreements."""

    id: str
    title: str | None
    source: str | None
    date: str | None
    tone: str
    sentences: tuple[PairSentence, ...]
    agreements: tuple[PairAgreement, ...]


@dataclass(frozen=True)
class PairResult:
    """Where two countries meet, newest article first; `pair` is sorted."""

    pair: tuple[str, str]
    articles: tuple[PairArticle, ...]


@dataclass(frozen=True)
class MatrixRow:
    """One country pair of the corpus with its counts (`countries` sorted)."""

    countries: tuple[str, str]
    articles: int
    sentences: int
    agreements: int
    cooperation: int
    tension: int


@dataclass(frozen=True)
class CountryCount:
    name: str
    mentions: int


@dataclass(frozen=True)
class ActorCount:
    """A person or organisation named in one article, and how often."""

    name: str
    kind: str
    role: str | None
    country: str | None
    mentions: int


@dataclass(frozen=True)
class PairCount:
    """A country pair of one article, its sentences counted."""

    countries: tuple[str, str]
    sentences: int
    tone: str
    cooperation: int
    tension: int
    agreements: int


@dataclass(frozen=True)
class ArticleDetail:
    """One article and what was found in it, as `sinoread show` gives it."""

    id: str
    path: str
    title: str | None
    author: str | None
    source: str | None
    date: str | None
    url: str | None
    text: str
    countries: tuple[CountryCount, ...]
    """Most mentioned first."""
    actors: tuple[ActorCount, ...]
    """Most mentioned first, then by name."""
    agreements: tuple[Agreement, ...]
    pairs: tuple[PairCount, ...]
    mentions: tuple[Mention, ...]

    @classmethod
    def of(cls, art: Article, analysis: Analysis) -> ArticleDetail:
        actors: dict[tuple[str, str], list[Any]] = {}
        for m in analysis.mentions:
            if m.kind in ("person", "organization"):
                actors.setdefault((m.kind, m.name), [m, 0])[1] += 1
        counted = sorted((ActorCount(m.name, m.kind, m.role, m.country, n) for m, n in actors.values()),
                         key=lambda a: (-a.mentions, a.name))
        return cls(
            art.id, art.path, art.title, art.author, art.source, art.date, art.url, art.text,
            tuple(CountryCount(n, c) for n, c in analysis.countries().items()), tuple(counted),
            analysis.agreements,
            tuple(PairCount(p.countries, len(p.sentences), p.tone, p.cooperation, p.tension, p.agreements)
                  for p in analysis.pairs),
            analysis.mentions,
        )


@dataclass(frozen=True)
class IndexReport:
    """What an index run did."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    skipped: tuple[Problem, ...] = field(default_factory=tuple)
    rebuilt: bool = False
    resumed: int = 0
    """Articles an interrupted full build had already indexed, carried over."""


@cache
def _plan(cls: type) -> tuple[tuple[str, str | None, Callable[[Any], Any] | None], ...]:
    """(attribute, JSON key or None to spread it, conversion) per field of a dataclass,
    worked out once per class."""
    plan: list[tuple[str, str | None, Callable[[Any], Any] | None]] = []
    for f in fields(cls):
        if f.metadata.get("spread"):
            plan.append((f.name, None, None))
            continue
        name = f.metadata.get("json", f.name)
        if name is not None:
            plan.append((f.name, name, f.metadata.get("plain")))
    return tuple(plan)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_plain(obj: Any) -> Any:
    """The one way typed values become JSON (`--json`, the files an index writes): dataclasses
    as objects keyed by field name, or by the name `as_json` gives; tuples as lists."""
    if type(obj) in _SCALARS:  # most values: an index's listing is 100,000 rows
        return obj
    if hasattr(obj, "__dataclass_fields__"):
        out = {}
        for attr, key, plain in _plan(type(obj)):
            value = getattr(obj, attr)
            if key is None:
                out.update(to_plain(value))
                continue
            if plain is not None:
                value = plain(value)
            out[key] = value if type(value) in _SCALARS else to_plain(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [v if type(v) in _SCALARS else to_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    return obj


def analysis_to_plain(a: Analysis) -> dict[str, Any]:
    """Analysis -> JSON-ready dict, without `dataclasses.asdict`'s deep copies (hot path)."""
    return {
        "mentions": [m.__dict__ for m in a.mentions],
        "sentences": [{**s.__dict__, "countries": list(s.countries)} for s in a.sentences],
        "agreements": [{**g.__dict__, "parties": list(g.parties)} for g in a.agreements],
        "pairs": [{**p.__dict__, "countries": list(p.countries), "sentences": list(p.sentences)} for p in a.pairs],
    }


def analysis_from_plain(d: dict[str, Any]) -> Analysis:
    """Inverse of `to_plain` for an Analysis read back from the index."""
    return Analysis(
        mentions=tuple(Mention(**m) for m in d["mentions"]),
        sentences=tuple(Sentence(**{**s, "countries": tuple(s["countries"])}) for s in d["sentences"]),
        agreements=tuple(Agreement(**{**a, "parties": tuple(a["parties"])}) for a in d["agreements"]),
        pairs=tuple(
            PairSummary(**{**p, "countries": tuple(p["countries"]), "sentences": tuple(p["sentences"])})
            for p in d["pairs"]
        ),
    )


def newest_first(rows: Iterable[ArticleRow]) -> list[ArticleRow]:
    """Article rows newest first (ties by id, descending); undated rows last, by id.

    The list's default order, and so which article the reader opens first."""
    rows = list(rows)
    having = sorted((r for r in rows if r.date), key=lambda r: (r.date, r.id), reverse=True)
    return having + sorted((r for r in rows if not r.date), key=lambda r: r.id)
