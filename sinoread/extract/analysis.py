"""Actors, countries, agreements and sentence pairs: pure and deterministic.

Everything is matched on `fold(text)`, which has the same length as `text`, so every
span is a character offset into the cleaned article and highlights land exactly. The
finders live in their own modules; here they are compiled once per config and run in order,
and people are reconciled with the countries and organisations around them.
"""

from __future__ import annotations

from functools import lru_cache

from sinoread.config import Config
from sinoread.extract.agreements import find_agreements
from sinoread.extract.countries import STOPWORDS, CountryFinder
from sinoread.extract.organizations import OrganizationFinder
from sinoread.extract.pairs import summarise_pairs
from sinoread.extract.people import Known, PeopleFinder
from sinoread.extract.sentences import find_sentences
from sinoread.extract.spans import Occupied
from sinoread.extract.trie import find_words
from sinoread.ingest.fold import fold
from sinoread.models import Analysis, Mention

_SURNAME_FIRST = frozenset(
    "Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng Liang Xie "
    "Song Tang Deng Xi Jiang Wen Hua Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Moon Roh Chun Yun "
    "Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly".split()
)
"""Surnames written first (Chinese, Korean, Vietnamese order): `Zhao` alone is Zhao Ziyang."""


class Extractor:
    """Compiled from one Config; `analyse(text)` is pure."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.countries = CountryFinder(cfg)
        self.organizations = OrganizationFinder(cfg)
        self.people = PeopleFinder(cfg, self.countries.country_any, self.countries.country_in, self.countries.is_place)
        self.role_word_re = self.people.role_word_re

    def analyse(self, text: str, article_date: str | None = None, learned: dict[str, Known] | None = None) -> Analysis:
        """Find mentions, sentences, agreements and pairs in cleaned `text`."""
        ft = fold(text)
        countries = self.countries.find(ft, self.role_word_re)
        orgs = self.organizations.find(ft, countries)
        persons = self._persons(ft, countries, orgs, learned)
        mentions = tuple(sorted(countries + orgs + persons, key=lambda m: (m.start, -m.end, m.kind)))
        sentences = find_sentences(self.cfg, ft, mentions)
        agreements = find_agreements(self.cfg, text, ft, sentences, mentions, article_date)
        pairs = summarise_pairs(self.cfg, sentences, agreements)
        return Analysis(mentions=mentions, sentences=tuple(sentences), agreements=tuple(agreements), pairs=pairs)

    def _persons(self, ft: str, countries: list[Mention], orgs: list[Mention],
                 learned: dict[str, Known] | None = None) -> list[Mention]:
        """People outside organisations and datelines, with their short forms ("Xi", "Mr Trong")
        and one role and country per person."""
        taken = Occupied()
        for m in orgs:
            taken.add(m.start, m.end)
        for m in countries:
            if m.kind == "dateline":
                taken.add(m.start, m.end)
        claimed = Occupied()

        def blocked(s: int, e: int) -> bool:
            return taken.overlaps(s, e) or claimed.overlaps(s, e)

        # The finder claims each span once: no two of these overlap.
        persons = sorted(self.people.find(ft, blocked, claimed.add, learned), key=lambda p: p.start)

        # Short forms ("Xi", "Nghiem", "Mr Trong"): first and last tokens of full names.
        short: dict[str, Mention | None] = {}
        for p in persons:
            tokens = fold(p.name).split()
            surface = fold(ft[p.start:p.end]).split()
            if len(tokens) < 2:
                continue
            heads = {tokens[-1], surface[-1]}
            for t in (tokens[-1], surface[-1]):
                pre, dash, rest = t.partition("-")
                if dash and pre.lower() in ("al", "el", "ad", "as", "ash", "at", "an", "ar", "az") and rest[:1].isupper():
                    heads.add(rest)  # al-Assad is Assad
            if p.why.startswith("known person") or tokens[0] in _SURNAME_FIRST:
                heads.add(tokens[0])  # Xi Jinping is President Xi
            for t in heads:
                if (
                    len(t) < 2 or t.lower() in STOPWORDS or t in self.cfg.not_names
                    or self.countries.country_in(t) or self.role_word_re.match(t) or self.role_word_re.match(t.lower())
                ):
                    continue
                if t in short and short[t] is not None and short[t].name != p.name:
                    short[t] = None  # ambiguous inside this article
                else:
                    short.setdefault(t, p)
        # Merge single-token role finds ("Mr Trong") into the full person.
        merged: list[Mention] = []
        for p in persons:
            if " " not in p.name and p.name in short and short[p.name] is not None:
                full = short[p.name]
                assert full is not None
                merged.append(Mention(p.start, p.end, "person", full.name, full.country, full.role, f"short form of {full.name} ({p.why})"))
            else:
                merged.append(p)
        persons = merged
        for p in persons:
            taken.add(p.start, p.end)
        canon = {p.name: p for p in persons if p.role or p.country}
        usable = {t: p for t, p in short.items() if p is not None}
        if usable:
            for s, e in find_words(ft, usable):  # as BOUND_L (?:usable) BOUND_R would
                if taken.overlaps(s, e):
                    continue
                p = usable[ft[s:e]]
                best = canon.get(p.name, p)
                persons.append(Mention(s, e, "person", p.name, best.country, best.role, f"short form of {p.name}"))
                taken.add(s, e)
        # One person, one role and country: spread what any mention learned.
        info: dict[str, tuple[str | None, str | None]] = {}
        for p in persons:
            r, c = info.get(p.name, (None, None))
            info[p.name] = (r or p.role, c or p.country)
        return [Mention(p.start, p.end, p.kind, p.name, info[p.name][1], info[p.name][0], p.why) for p in persons]


@lru_cache(maxsize=4)
def extractor_for(cfg: Config) -> Extractor:
    """One compiled Extractor per config (compiling the alias patterns is the slow part)."""
    return Extractor(cfg)


def analyse(text: str, cfg: Config, article_date: str | None = None, learned: dict[str, Known] | None = None) -> Analysis:
    return extractor_for(cfg).analyse(text, article_date, learned)
