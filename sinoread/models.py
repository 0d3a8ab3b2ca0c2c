"""Plain data the core hands out: articles, mentions, agreements, pairs, hits."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
    cue_start: int
    cue_end: int
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

    text: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Hit:
    id: str
    title: str | None
    score: float
    snippet: Snippet
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


def to_plain(obj: Any) -> Any:
    """Dataclasses and tuples -> JSON-ready dicts and lists."""
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
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


def newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Article rows newest first (ties by id, descending); undated rows last, by id.

    The list's default order, and so which article the reader opens first."""
    having = sorted((r for r in rows if r.get("date")), key=lambda r: (r["date"], r["id"]), reverse=True)
    return having + sorted((r for r in rows if not r.get("date")), key=lambda r: r["id"])
