"""The actor index: every person and organisation of the corpus, spelling variants merged.

Names merge on their diacritic-folded, case- and punctuation-free form (`Ngô Xuân Lịch` =
`Ngo Xuan Lich`); the extractor has already mapped configured aliases and transliterations
(`Chiang Dai Kuang` -> Tran Dai Quang) onto one canonical name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sinoread.config import Config
from sinoread.ingest.fold import fold
from sinoread.models import OMIT, Analysis, Article, as_json

KINDS = ("person", "organization")


def name_key(name: str) -> str:
    """The form two spellings of one name share."""
    return re.sub(r"[\W_]+", " ", fold(name).casefold()).strip()


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    aliases: tuple[str, ...]
    """Every other spelling seen in the corpus or listed in the config."""
    role: str | None
    country: str | None
    articles: int
    mentions: int


@dataclass(frozen=True)
class ActorSentence:
    article_id: str
    title: str | None = field(metadata=OMIT)
    start: int = field(metadata=as_json("offset"))
    end: int = field(metadata=OMIT)
    text: str


@dataclass(frozen=True)
class CoMention:
    """Another actor named in the same sentences as one, and in how many."""

    name: str
    sentences: int


@dataclass(frozen=True)
class ActorDetail:
    actor: Actor = field(metadata=as_json("name", lambda a: a.name))
    article_ids: tuple[str, ...] = field(metadata=as_json("articles"))
    sentences: tuple[ActorSentence, ...]
    appears_with: tuple[CoMention, ...]
    """Other actors named in the same sentences, with how many sentences they share."""


class ActorIndex:
    """Built once per index generation from every article's mentions."""

    def __init__(self, docs: Iterable[tuple[Article, Analysis]], cfg: Config | None = None) -> None:
        self._docs = list(docs)
        config_aliases: dict[str, set[str]] = {}
        if cfg is not None:
            for p in cfg.people:
                config_aliases.setdefault(name_key(p.name), set()).update(p.aliases)
            for o in cfg.organizations:
                config_aliases.setdefault(name_key(o.name), set()).update(o.aliases)
        names: dict[str, Counter[str]] = {}
        surface: dict[str, set[str]] = {}
        kinds: dict[str, Counter[str]] = {}
        roles: dict[str, Counter[str]] = {}
        countries: dict[str, Counter[str]] = {}
        arts: dict[str, set[str]] = {}
        counts: Counter[str] = Counter()
        for article, analysis in self._docs:
            for m in analysis.mentions:
                if m.kind not in KINDS:
                    continue
                k = name_key(m.name)
                names.setdefault(k, Counter())[m.name] += 1
                surface.setdefault(k, set()).add(" ".join(article.text[m.start:m.end].split()))
                kinds.setdefault(k, Counter())[m.kind] += 1
                if m.role:
                    roles.setdefault(k, Counter())[m.role] += 1
                if m.country:
                    countries.setdefault(k, Counter())[m.country] += 1
                arts.setdefault(k, set()).add(article.id)
                counts[k] += 1
        self.actors: list[Actor] = []
        self._by_key: dict[str, Actor] = {}
        for k, variants in names.items():
            # The canonical spelling: most used, then the one that keeps its diacritics.
            name = max(variants, key=lambda n: (variants[n], sum(ord(c) > 127 for c in n), n))
            others = (surface[k] | set(variants) | config_aliases.get(k, set())) - {name}
            actor = Actor(
                name=name, kind=kinds[k].most_common(1)[0][0],
                aliases=_distinct(others, name),
                role=roles[k].most_common(1)[0][0] if k in roles else None,
                country=countries[k].most_common(1)[0][0] if k in countries else None,
                articles=len(arts[k]), mentions=counts[k],
            )
            self.actors.append(actor)
            self._by_key[k] = actor
        self.actors.sort(key=lambda a: (-a.articles, -a.mentions, a.name))

    def find(self, query: str) -> list[Actor]:
        """Actors whose name or an alias contains `query` (folded), exact matches first."""
        q = name_key(query)
        if not q:
            return list(self.actors)
        exact = [a for a in self.actors if q == name_key(a.name) or any(q == name_key(x) for x in a.aliases)]
        partial = [a for a in self.actors if a not in exact and (
            q in name_key(a.name) or any(q in name_key(x) for x in a.aliases))]
        return exact + partial

    def detail(self, actor: Actor) -> ActorDetail:
        k = name_key(actor.name)
        sentences: list[ActorSentence] = []
        with_: Counter[str] = Counter()
        ids: list[str] = []
        for article, analysis in self._docs:
            mine = [m for m in analysis.mentions if m.kind in KINDS and name_key(m.name) == k]
            if not mine:
                continue
            ids.append(article.id)
            for s in analysis.sentences:
                if not any(s.start <= m.start < s.end for m in mine):
                    continue
                sentences.append(ActorSentence(article.id, article.title, s.start, s.end,
                                               " ".join(article.text[s.start:s.end].split())))
                others = {self._by_key[name_key(m.name)].name for m in analysis.mentions
                          if m.kind in KINDS and s.start <= m.start < s.end and name_key(m.name) != k
                          and name_key(m.name) in self._by_key}
                with_.update(others)
        return ActorDetail(actor, tuple(ids), tuple(sentences), tuple(CoMention(n, c) for n, c in with_.most_common()))


def _distinct(spellings: set[str], name: str) -> tuple[str, ...]:
    """Spellings other than `name`, one per case-insensitive form (`china Coast Guard` is noise)."""
    seen = {name.casefold()}
    out = []
    for s in sorted(spellings, key=lambda x: (x.casefold(), x)):
        if s.casefold() not in seen:
            seen.add(s.casefold())
            out.append(s)
    return tuple(out)
