"""Actors, countries, agreements and sentence pairs: pure and deterministic.

Everything is matched on `fold(text)`, which has the same length as `text`, so every
span is a character offset into the cleaned article and highlights land exactly.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from functools import lru_cache
from itertools import combinations

from sinoread.config import Config, CountryAlias
from sinoread.extract.budget import BudgetedPattern
from sinoread.extract.people import Known, PeopleFinder
from sinoread.extract.trie import trie_pattern
from sinoread.ingest.dates import sentence_date
from sinoread.ingest.fold import fold
from sinoread.models import Agreement, Analysis, Mention, PairSummary, Sentence

_SURNAME_FIRST = frozenset(
    "Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng Liang Xie "
    "Song Tang Deng Xi Jiang Wen Hua Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Moon Roh Chun Yun "
    "Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly".split()
)
"""Surnames written first (Chinese, Korean, Vietnamese order): `Zhao` alone is Zhao Ziyang."""
_STOPWORDS = frozenset(
    "a an and as at be but by do for he her his if in is it me my no of on or our she so "
    "the to up us we was who why you van de da la le mr mrs ms dr sir".split()
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen adm col lt maj sgt capt prof rev jr sr no vs etc e.g i.e u.s u.n "
    "u.k jan feb mar apr jun jul aug sep sept oct nov dec inc co corp ltd dept".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n+")
_BOUND_L = r"(?<![\w])"
_BOUND_R = r"(?![\w])"


def _alternation(words: list[str]) -> str:
    return trie_pattern(words)


def _title(alias: str) -> str:
    """`People's Republic of China` as a wire headline writes it: `People's Republic Of China`."""
    return " ".join(w[:1].upper() + w[1:] for w in alias.split(" "))


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"^(?P<city>[A-Z][A-Z.'’ -]{{1,40}}?)(?:, (?P<region>[A-Z][A-Za-z.' ]{{1,24}}?))?,? "
    rf"(?:{_MONTH} \d{{1,2}}(?:, \d{{4}})?|\d{{1,2}} {_MONTH}(?: \d{{4}})?)? ?(?:\((?P<agency>[\w ]{{2,20}})\) )?[-–—]+ ",
    re.MULTILINE,
)
"""A wire dateline opening a paragraph: `SYDNEY, March 13 - `, `CHERRY HILL, N.J., March 13 - `."""
_CAPS_WORD = re.compile(r"[A-Z]{2,}(?:['’][A-Z]+)?")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’.-]*)\W{0,3}$")
_WORD_AFTER = re.compile(r"^\W{0,3}([A-Za-z][\w'’-]*)")
_JOIN = re.compile(r"^(?:,|,?\s*and|,?\s*or|/|-|–)\s*(?:the)?$")


_NEGATED = re.compile(
    r"\b(?:not|n['’]t|never|no|nor|without|failed to|refused to|unable to|yet to)\b(?:\s+[\w-]+){0,2}\s*$", re.IGNORECASE
)
_MODAL = re.compile(r"\b(?:could|might|may|would|hopes? to|hoping to|wants? to|seeks? to|if)\b(?:\s+[\w-]+){0,2}\s*$",
                    re.IGNORECASE)
_ASIDE = re.compile(
    r"\b(?:in|at|against|near|towards?|over|across|throughout|around|inside|outside|aimed at|targeting|"
    r"to counter|to contain|to deter|threats? from|attacks? (?:on|by))(?: the)?(?:[ ,]+(?:and |or )?[A-Z][\w'’.-]*)*[ ,]+(?:and |or )?$"
)
"""Words before a country that make it a venue, a target or a place in a list, not a party."""
_COMPANY = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Plc|AG|S\.?A|N\.?V|GmbH)\b\.?|\b(?:company|companies|firms?|corporation|"
    r"businessmen|businesses|suppliers|exporters|importers|traders|trading houses?|car ?makers?|manufacturers?|"
    r"private sector|investors)\b"
)
_STATE_ACTOR = re.compile(
    r"\b(?:government|governments|ministry|ministries|minister|president|premier|prime minister|king|officials|"
    r"state|states|countries|nations|navy|army|military|armed forces|coast guard|embassy|ambassador|authorities|"
    r"parliament|treaty|accord|protocol|memorandum|bilateral|central bank|Paris Club|the two sides|both sides|"
    r"both countries|leaders)\b",
    re.IGNORECASE,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]oday's|[Ll]ast (?:week|month|year)'s) (?:new |bilateral |proposed )?"
    r"(?:agreement|deal|accord|treaty|pact|protocol|memorandum|talks|negotiations|contract)\b"
)
"""A sentence about "the agreement" with fewer than two states speaks of the one before it."""
_JOINT_TITLE = re.compile(r"\b(?:joint (?:statement|declaration|communiqu\w*|press statement)|readout)\b", re.IGNORECASE)
_JOINT_VOICE = re.compile(r"\b(?:[Ww]e|[Oo]ur (?:two|three) (?:countries|nations)|[Tt]he [Ll]eaders|[Bb]oth (?:sides|leaders))\b")


ORG_REACH = 80
"""How far around a country mention an organisation pattern may reach ("Navy of the ...")."""


class _Occupied:
    """Non-overlapping spans already claimed, with overlap tests in O(log n).

    A 20 MB article has hundreds of thousands of mentions: pairwise checks would never end."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_left(self.spans, (s, s))
        if i < len(self.spans) and self.spans[i][0] < e:
            return True
        return i > 0 and self.spans[i - 1][1] > s

    def add(self, s: int, e: int) -> None:
        insort(self.spans, (s, e))


class Extractor:
    """Compiled from one Config; `analyse(text)` is pure."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        # Country aliases are matched as written, in capitals (datelines, transcripts) and in
        # title case (wire headlines); in lower case ("china-Vietnam relations" in scraped
        # text) only where the article also names the state: "turkey" and "china" are words.
        surface: dict[str, list[tuple[str, CountryAlias]]] = {}
        for st in cfg.states.values():
            for al in st.aliases:
                f = fold(al.text)
                forms = {f} if al.exact else {f, f.upper(), _title(f), f.lower(), f[:1].upper() + f[1:].lower()}
                for form in forms:
                    entries = surface.setdefault(form, [])
                    if all(c != st.name for c, _ in entries):
                        entries.append((st.name, al))
        self.surface = surface
        self.country_any = _alternation(list(surface))
        self.country_re = re.compile(rf"{_BOUND_L}(?:{self.country_any}){_BOUND_R}")
        not_c = [fold(x) for x in cfg.not_countries]
        self.not_country_re = re.compile(rf"{_BOUND_L}(?i:{_alternation(not_c)}){_BOUND_R}")
        self.not_country_longest = max((len(x) for x in not_c), default=0)
        place_alias = {fold(p).casefold(): c for c, ps in cfg.places.items() for p in ps}
        self.place_alias = place_alias
        self.place_re = re.compile(rf"{_BOUND_L}(?i:{_alternation(list(place_alias))}){_BOUND_R}")
        self.datelines = cfg.datelines
        self.corroborators = {
            st.name: re.compile(rf"{_BOUND_L}(?:{_alternation([fold(w) for w in st.corroborate_with])}){_BOUND_R}")
            for st in cfg.states.values() if st.corroborate_with
        }

        org_alias: dict[str, tuple[str, str | None]] = {}
        for o in cfg.organizations:
            for a in (o.name, *o.aliases):
                org_alias[fold(a)] = (o.name, o.country)
        self.org_alias = org_alias
        self.org_re = re.compile(rf"{_BOUND_L}(?:{_alternation(list(org_alias))}){_BOUND_R}")
        # A pattern with {country} is kept as its two halves: the part before the country is
        # matched backwards from a country mention, the part after it forwards, so it is
        # tried only at the mentions (an alternation of every alias of every state made the
        # `regex` engine take seconds per article, and compiling one per alias, seconds per worker).
        self.org_patterns: list[BudgetedPattern | tuple[BudgetedPattern | None, BudgetedPattern | None]] = []
        for i, p in enumerate(cfg.organization_patterns):
            where = f"organization_patterns[{i}]"
            if "{country}" not in p:
                self.org_patterns.append(BudgetedPattern(rf"{_BOUND_L}{p}{_BOUND_R}", where=where))
                continue
            before, after = p.split("{country}", 1)
            self.org_patterns.append((
                BudgetedPattern(rf"(?r){_BOUND_L}(?:{before})\Z", where=where) if before else None,
                BudgetedPattern(rf"(?:{after}){_BOUND_R}", where=where) if after else None,
            ))

        self.people = PeopleFinder(cfg, self.country_any, self._country_in, self._is_place)
        self.role_word_re = self.people.role_word_re

    # -- public ---------------------------------------------------------------------

    def analyse(self, text: str, article_date: str | None = None, learned: dict[str, Known] | None = None) -> Analysis:
        """Find mentions, sentences, agreements and pairs in cleaned `text`."""
        ft = fold(text)
        countries = self._countries(ft)
        orgs = self._organizations(ft, countries)
        persons = self._persons(ft, countries, orgs, learned)
        mentions = tuple(sorted(countries + orgs + persons, key=lambda m: (m.start, -m.end, m.kind)))
        sentences = self._sentences(text, ft, mentions)
        agreements = self._agreements(text, ft, sentences, mentions, article_date)
        pairs = self._pairs(sentences, agreements)
        return Analysis(mentions=mentions, sentences=tuple(sentences), agreements=tuple(agreements), pairs=pairs)

    # -- countries ------------------------------------------------------------------

    def _countries(self, ft: str) -> list[Mention]:
        """Country mentions; an ambiguous alias only where the article corroborates it."""
        blocked = [(m.start(), m.end()) for m in self.not_country_re.finditer(ft)]
        datelines = self._datelines(ft)
        blocked += [(m.start, m.end) for m in datelines]
        blocked.sort()
        starts = [b for b, _ in blocked]
        longest = max(self.not_country_longest, max((e - s for s, e in blocked), default=0))

        def free(s: int, e: int) -> bool:
            lo, hi = bisect_left(starts, s - longest), bisect_right(starts, s)
            return not any(be >= e for _, be in blocked[lo:hi])

        sure: list[Mention] = []
        tags: dict[int, str] = {}  # a country mention's start -> its alias's tag
        doubtful: list[tuple[int, int, str, list[tuple[str, CountryAlias]]]] = []
        for m in self.country_re.finditer(ft):
            s = m.group(0)
            entries = self.surface.get(s)
            if not entries or not free(m.start(), m.end()):
                continue
            country, alias = entries[0]
            if alias.exact and not any(c in s for c in ".") and self._in_capitals(ft, m.start(), m.end()):
                continue  # "TOLD US": a pronoun in an all-capitals headline or transcript
            written = fold(alias.text)
            lowered = not alias.exact and s not in (written, written.upper(), _title(written))
            if len(entries) == 1 and alias.ambiguity is None and not lowered:
                sure.append(Mention(m.start(), m.end(), "country", country, country, None,
                                    f"country alias '{s}' ({alias.tag})"))
                tags[m.start()] = alias.tag
            elif self._plausible(ft, m.start(), m.end(), entries):
                doubtful.append((m.start(), m.end(), s, entries))
        for m in self.place_re.finditer(ft):
            c = self.place_alias[m.group(0).casefold()]
            sure.append(Mention(m.start(), m.end(), "place", m.group(0), c, None, f"place in {c}: '{m.group(0)}'"))
        sure += datelines
        found = sure + self._corroborated(ft, sure, doubtful, tags)
        return self._in_their_time(found, tags)

    def _in_their_time(self, found: list[Mention], tags: dict[int, str]) -> list[Mention]:
        """In a story about the Soviet Union that never names Russia, Moscow and the Kremlin
        are the Soviet Union."""
        historic = {m.country for m in found if self.cfg.states.get(m.country or "") and
                    self.cfg.states[m.country or ""].historic}
        if not historic:
            return found
        named = {m.country for m in found if m.kind == "country" and tags.get(m.start) in ("name", "demonym")}
        heir = {s: h for h in historic for s in self.cfg.states[h].successors if s not in named}
        out = []
        for m in found:
            h = heir.get(m.country or "")
            if h and m.kind == "country" and tags.get(m.start) in ("capital", "metonym"):
                m = Mention(m.start, m.end, m.kind, h, h, m.role, f"{m.why}; the seat of the {h} in a story about it")
            out.append(m)
        return out

    def _corroborated(self, ft: str, sure: list[Mention],
                      doubtful: list[tuple[int, int, str, list[tuple[str, CountryAlias]]]],
                      tags: dict[int, str]) -> list[Mention]:
        """Keep an ambiguous alias when the article names the same state unambiguously, or
        the alias stands in a list of states ("Georgia and Russia")."""
        known = {m.country for m in sure}
        wanted = {c for *_, entries in doubtful for c, _ in entries} - known
        for country in wanted:  # only the states a doubtful alias may stand for
            rx = self.corroborators.get(country)
            if rx is not None and rx.search(ft):
                known.add(country)
        spans = sorted((m.start, m.end) for m in sure if m.kind == "country")
        out: list[Mention] = []
        for _ in range(2):  # one round may corroborate a neighbour of the next
            left = []
            for s, e, text, entries in doubtful:
                candidates = [(c, a) for c, a in entries if c in known]
                why = "named elsewhere in the article"
                if len(entries) == 1 and not candidates and self._listed(ft, s, e, spans):
                    candidates, why = entries, "listed with other states"
                if len(candidates) != 1:
                    left.append((s, e, text, entries))
                    continue
                country, alias = candidates[0]
                what = f"{alias.ambiguity}-ambiguous" if alias.ambiguity else "not written as a name"
                out.append(Mention(s, e, "country", country, country, None,
                                   f"country alias '{text}' ({alias.tag}; {what}, {why})"))
                tags[s] = alias.tag
                known.add(country)
                insort(spans, (s, e))
            if len(left) == len(doubtful):
                break
            doubtful = left
        return out

    def _listed(self, ft: str, s: int, e: int, spans: list[tuple[int, int]]) -> bool:
        i = bisect_left(spans, (s, e))
        for j in (i - 1, i):
            if 0 <= j < len(spans):
                a, b = spans[j]
                gap = ft[b:s] if b <= s else ft[e:a]
                if len(gap) <= 8 and _JOIN.match(gap.strip()):
                    return True
        return False

    def _plausible(self, ft: str, s: int, e: int, entries: list[tuple[str, CountryAlias]]) -> bool:
        """Context that rules a reading out whatever the article says elsewhere: a name
        beside a person-name alias (Michael Jordan), a town before a place alias (Atlanta,
        Georgia)."""
        classes = {a.ambiguity for _, a in entries}
        window = ft[max(0, s - 40):s]
        before = _WORD_BEFORE.search(window)
        after = _WORD_AFTER.match(ft[e:e + 40])
        word_before, gap_before = (before.group(1), window[before.end(1):]) if before else ("", "")
        word_after, gap_after = (after.group(1), ft[e:e + after.start(1)]) if after else ("", "")
        if "person" in classes and any(
            gap == " " and self._name_like(word) for word, gap in ((word_before, gap_before), (word_after, gap_after))
        ):
            return False  # Michael Jordan, Jordan Henderson
        if "place" in classes:
            if gap_before == ", " and self._name_like(word_before):
                return False  # Atlanta, Georgia
            if gap_after == " " and word_after in ("state", "State"):
                return False  # Washington state
        return True

    def _name_like(self, word: str) -> bool:
        return (
            word[:1].isupper() and not word.isupper() and word not in self.cfg.not_names
            and word.lower() not in _STOPWORDS and not self.country_re.fullmatch(word)
            and not self.role_word_re.match(word)
        )

    @staticmethod
    def _in_capitals(ft: str, s: int, e: int) -> bool:
        before = _WORD_BEFORE.search(ft[max(0, s - 30):s])
        after = _WORD_AFTER.match(ft[e:e + 30])
        return any(w and _CAPS_WORD.fullmatch(w.group(1)) for w in (before, after))

    def _datelines(self, ft: str) -> list[Mention]:
        """A wire dateline names where the story was filed: the article's country, never a pair."""
        for m in _DATELINE.finditer(ft, 0, min(len(ft), 1500)):
            city = " ".join(m.group("city").split()).rstrip(" .")
            country = self.datelines.get(city)
            region = m.group("region")
            if region:
                country = self.datelines.get(region.upper()) or self.cfg.resolve_country(region) or country
            if country is not None:
                return [Mention(m.start("city"), m.start("city") + len(city), "dateline", city, country, None,
                                f"dateline city '{city}' ({country}; counts for the article, not for pairs)")]
        return []

    def _country_in(self, fragment: str) -> str | None:
        for m in self.country_re.finditer(fragment):
            entries = self.surface.get(m.group(0))
            if entries and len(entries) == 1:
                return entries[0][0]
        return None

    # -- organisations --------------------------------------------------------------

    def _org_matches(self, ft: str, i: int, countries: list[Mention]) -> list[tuple[int, int, Mention | None]]:
        """(start, end, the country mention inside) of each match of organisation pattern `i`."""
        pattern = self.org_patterns[i]
        if isinstance(pattern, BudgetedPattern):
            return [(m.start(), m.end(), None) for m in pattern.finditer(ft)]
        before, after = pattern
        out: dict[tuple[int, int], tuple[int, int, Mention | None]] = {}
        for c in countries:
            if c.kind != "country":
                continue
            a, b = c.start, c.end
            if before is not None:
                m = before.search(ft, max(0, c.start - ORG_REACH), c.start)
                if m is None:
                    continue
                a = m.start()
            if after is not None:
                m = after.match(ft, c.end, min(len(ft), c.end + ORG_REACH))
                if m is None:
                    continue
                b = m.end()
            out.setdefault((a, b), (a, b, c))
        return [out[k] for k in sorted(out)]

    def _organizations(self, ft: str, countries: list[Mention] | None = None) -> list[Mention]:
        found: list[Mention] = []
        for m in self.org_re.finditer(ft):
            name, country = self.org_alias[m.group(0)]
            found.append(Mention(m.start(), m.end(), "organization", name, country, None, f"organisation alias '{m.group(0)}'"))
        for i in range(len(self.org_patterns)):
            for start, end, c in self._org_matches(ft, i, countries or []):
                span = ft[start:end]
                country = None
                name = span
                if c is not None:
                    country = c.country
                    alias = ft[c.start:c.end]
                    rest = span.replace(alias, "", 1).strip()
                    rest = re.sub(r"^'s\s*|\s*of the\s*$", "", rest).strip()
                    name = f"{country} {rest.title()}" if span.startswith(alias) else f"{country} {re.sub(r' of the$', '', rest).title()}"
                name = re.sub(r"(?i)coast ?guards?", "Coast Guard", name)
                name = re.sub(r"(?i)border guards", "Border Guard", name)
                known = self.org_alias.get(name)
                if known:
                    name = known[0]
                found.append(Mention(start, end, "organization", name, country, None, f"organisation pattern {i + 1}: '{span}'"))
        # Longest span wins where organisations overlap.
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept: list[Mention] = []
        occupied = _Occupied()
        for m in found:
            if not occupied.overlaps(m.start, m.end):
                occupied.add(m.start, m.end)
                kept.append(m)
        return kept

    # -- people ---------------------------------------------------------------------

    def _is_place(self, text: str) -> bool:
        return (
            text.upper() in self.datelines or fold(text).casefold() in self.place_alias
            or self._country_in(text) is not None
        )

    def _persons(self, ft: str, countries: list[Mention], orgs: list[Mention],
                 learned: dict[str, Known] | None = None) -> list[Mention]:
        taken = _Occupied()
        for m in orgs:
            taken.add(m.start, m.end)
        for m in countries:
            if m.kind == "dateline":
                taken.add(m.start, m.end)
        claimed = _Occupied()

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
                    len(t) < 2 or t.lower() in _STOPWORDS or t in self.cfg.not_names
                    or self._country_in(t) or self.role_word_re.match(t) or self.role_word_re.match(t.lower())
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
            short_re = re.compile(rf"{_BOUND_L}(?:{_alternation(list(usable))}){_BOUND_R}")
            for m in short_re.finditer(ft):
                s, e = m.start(), m.end()
                if taken.overlaps(s, e):
                    continue
                p = usable[m.group(0)]
                best = canon.get(p.name, p)
                persons.append(Mention(s, e, "person", p.name, best.country, best.role, f"short form of {p.name}"))
                taken.add(s, e)
        # One person, one role and country: spread what any mention learned.
        info: dict[str, tuple[str | None, str | None]] = {}
        for p in persons:
            r, c = info.get(p.name, (None, None))
            info[p.name] = (r or p.role, c or p.country)
        return [Mention(p.start, p.end, p.kind, p.name, info[p.name][1], info[p.name][0], p.why) for p in persons]

    # -- sentences and tone ---------------------------------------------------------

    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans; abbreviations (Mr., U.S.) do not end a sentence."""
        spans = []
        start = 0
        for m in _SENTENCE_END.finditer(text):
            if m.group(0).startswith("."):
                word = re.search(r"([\w.]+)$", text[max(start, m.start() - 12):m.start()])
                if word and (word.group(1).lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                    continue
            end = m.end() if not m.group(0).startswith("\n") else m.start()
            spans.append((start, end))
            start = m.end()
        spans.append((start, len(text)))
        out = []
        for s, e in spans:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append((s, e))
        return out

    def _tone(self, fs: str) -> tuple[str, str]:
        coop = [(m.start(), m.end(), m.group(0)) for m in self.cfg.tone_cooperation.finditer(fs)]
        tens = [
            m.group(0) for m in self.cfg.tone_tension.finditer(fs)
            if not any(s <= m.start() < e for s, e, _ in coop)
        ]
        c, t = len(coop), len(tens)
        tone = "cooperation" if c > t else "tension" if t > c else "neutral"
        why = "; ".join(
            x for x in (
                f"cooperation cues: {', '.join(w for _, _, w in coop)}" if coop else "",
                f"tension cues: {', '.join(tens)}" if tens else "",
            ) if x
        ) or "no tone cues"
        return tone, why

    def _sentences(self, text: str, ft: str, mentions: tuple[Mention, ...]) -> list[Sentence]:
        out: list[Sentence] = []
        last_pair: list[tuple[int, tuple[str, ...]]] = []
        starts = [m.start for m in mentions]  # mentions come sorted by start
        for s, e in self.split_sentences(ft):
            countries: list[str] = []
            for m in mentions[bisect_left(starts, s):bisect_left(starts, e)]:
                if m.end <= e and m.country and m.kind != "dateline" and m.country not in countries:
                    countries.append(m.country)
            why = ""
            fs = ft[s:e]
            if len(countries) < 2 and self.cfg.anaphora.search(fs):
                for _, prev in reversed(last_pair[-5:]):
                    if not countries or countries[0] in prev:
                        why = f"'{self.cfg.anaphora.search(fs).group(0)}' refers to {' and '.join(prev)}; "  # type: ignore[union-attr]
                        countries = list(dict.fromkeys([*countries, *prev]))
                        break
            tone, tone_why = self._tone(fs) if len(countries) >= 2 else ("neutral", "fewer than two countries")
            sentence = Sentence(s, e, tuple(countries), tone, why + tone_why)
            if len(countries) >= 2:
                last_pair.append((len(out), tuple(countries)))
            out.append(sentence)
        return out

    # -- agreements -----------------------------------------------------------------

    def _agreements(
        self, text: str, ft: str, sentences: list[Sentence], mentions: tuple[Mention, ...],
        article_date: str | None,
    ) -> list[Agreement]:
        out = []
        starts = [m.start for m in mentions]
        joint = self._joint_statement(ft, mentions)
        headline = ft.find("\n")
        for i, sent in enumerate(sentences):
            fs = ft[sent.start:sent.end]
            if not sent.countries and not joint and not (out and _BACK_REFERENCE.search(fs)):
                continue  # an agreement binds countries (named, or those of "the agreement" before)
            if i == 0 and 0 < headline <= sent.end and not fs.rstrip().endswith("."):
                continue  # the headline restates the story's agreement; the body records it
            status = cue = None
            for st in self.cfg.statuses:
                m = st.pattern.search(fs)
                while m is not None and (not m.group(0) or _NEGATED.search(fs, max(0, m.start() - 40), m.start())):
                    m = st.pattern.search(fs, max(m.end(), m.start() + 1))
                if m is not None:
                    status, cue = st.label, m
                    break
            if status is None or cue is None:
                continue  # no cue, or only negated ones: "have not signed any contracts"
            if status in ("signed", "pledged", "delivered") and _MODAL.search(fs[max(0, cue.start() - 30):cue.start()]):
                status = "discussed"  # "could reach agreement" is talk, not a pledge
            inside = mentions[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
            parties, why_parties = self._parties(fs, sent, inside)
            if len(parties) < 2 and joint and _JOINT_VOICE.search(fs):
                parties = list(dict.fromkeys([*joint, *parties]))
                why_parties = f"; '{_JOINT_VOICE.search(fs).group(0)}' in a joint statement of {' and '.join(joint)}"  # type: ignore[union-attr]
            if len(parties) < 2 and out and _BACK_REFERENCE.search(fs) and set(parties) <= set(out[-1].parties):
                # "The agreement was signed by ...": the agreement the article spoke of last
                why_parties = f"; '{_BACK_REFERENCE.search(fs).group(0)}' refers to the agreement before"  # type: ignore[union-attr]
                parties = list(out[-1].parties)
            if len(parties) == 1:
                # "Li also pledged to deepen cooperation": a leader of one party, the other
                # party named in the sentences just before.
                people = [m for m in inside if m.kind == "person" and m.country == parties[0]]
                if people and self.cfg.tone_cooperation.search(fs):
                    for prev in reversed(sentences[max(0, i - 3):i]):
                        if len(prev.countries) >= 2 and parties[0] in prev.countries:
                            parties = list(prev.countries)
                            why_parties = f"; {people[0].name} speaks for {parties[0]}, partner from the sentence before"
                            break
            if len(parties) < 2 or all(self.cfg.related(a, b) for a, b in combinations(parties, 2)):
                continue
            if _COMPANY.search(fs) and not _STATE_ACTOR.search(fs):
                continue  # a firm's deal, even with a government agency, binds no states
            kind = "diplomatic"
            kind_cue = ""
            for k in self.cfg.kinds:
                km = k.pattern.search(fs)
                if km and km.group(0):
                    kind, kind_cue = k.label, km.group(0)
                    break
            tone = sent.tone if len(sent.countries) >= 2 else self._tone(fs)[0]
            tense = tone == "tension" or (tone == "neutral" and self.cfg.tone_tension.search(fs))
            if tense or not (kind_cue or self.cfg.tone_cooperation.search(fs)):
                continue  # "the possibility of a conflict" is no agreement
            stated = sentence_date(text[sent.start:sent.end], article_date)
            date, origin = (stated, "sentence") if stated else (article_date, "article" if article_date else None)
            why = f"status cue '{cue.group(0)}' ({status})"
            if kind_cue:
                why += f"; kind cue '{kind_cue}' ({kind})"
            why += f"; parties {', '.join(parties)}" + (f" ({sent.why.split(';')[0]})" if sent.why.startswith("'") else "") + why_parties
            out.append(Agreement(
                start=sent.start, end=sent.end, sentence=text[sent.start:sent.end], kind=kind,
                status=status, parties=tuple(parties), date=date, date_origin=origin, why=why,
                cue_start=sent.start + cue.start(), cue_end=sent.start + cue.end(),
            ))
        return out

    def _parties(self, fs: str, sent: Sentence, inside: tuple[Mention, ...]) -> tuple[list[str], str]:
        """The states that agree: not a venue ("talks in Paris"), a target ("aimed at Iran")
        or a list of places ("terrorism in Iraq, Syria and Yemen")."""
        acting: set[str] = set()
        aside: set[str] = set()
        for m in inside:
            if not m.country or m.kind == "dateline":
                continue
            before = fs[:m.start - sent.start]
            if _ASIDE.search(before) and not m.why.endswith("(demonym)"):
                aside.add(m.country)
            elif m.kind != "person" or m.country not in acting:
                acting.add(m.country)
        parties = [c for c in sent.countries if c in acting or c not in aside]
        # A part of a party is not another party (Macau beside China); a state beside its
        # predecessor is the predecessor in a story of its time (German beside West Germany).
        whole = set(parties)
        parties = [c for c in parties if not (
            self.cfg.states.get(c) and (self.cfg.states[c].part_of in whole
                                        or any(c in self.cfg.states[h].successors for h in whole if h in self.cfg.states))
        )]
        if len(parties) < 2:
            return list(sent.countries), ""
        dropped = [c for c in sent.countries if c not in parties]
        return parties, (f"; not parties (venue, target or list of places): {', '.join(dropped)}" if dropped else "")

    def _joint_statement(self, ft: str, mentions: tuple[Mention, ...]) -> list[str]:
        """A joint statement's header names its states: its "we" and "the Leaders" are them."""
        head_end = ft.find("\n")
        head = ft[:head_end if head_end > 0 else 300]
        if not _JOINT_TITLE.search(head):
            return []
        return list(dict.fromkeys(
            m.country for m in mentions if m.start < len(head) and m.country and m.kind != "dateline"
        ))

    # -- pairs ----------------------------------------------------------------------

    def _pairs(self, sentences: list[Sentence], agreements: list[Agreement]) -> tuple[PairSummary, ...]:
        by_pair: dict[tuple[str, str], list[int]] = {}
        related = self.cfg.related
        for i, s in enumerate(sentences):
            for a, b in combinations(sorted(set(s.countries)), 2):
                if not related(a, b):  # Russia and the Soviet Union, China and Hong Kong
                    by_pair.setdefault((a, b), []).append(i)
        agreement_count: Counter[tuple[str, str]] = Counter()
        for ag in agreements:
            for a, b in combinations(sorted(set(ag.parties)), 2):
                agreement_count[(a, b)] += 1
        out = []
        for pair in sorted(by_pair):
            idx = by_pair[pair]
            coop = sum(1 for i in idx if sentences[i].tone == "cooperation")
            tens = sum(1 for i in idx if sentences[i].tone == "tension")
            tone = "cooperation" if coop > tens else "tension" if tens > coop else "neutral"
            out.append(PairSummary(pair, tuple(idx), tone, coop, tens, agreement_count[pair]))
        return tuple(out)


@lru_cache(maxsize=4)
def extractor_for(cfg: Config) -> Extractor:
    """One compiled Extractor per config (compiling the alias patterns is the slow part)."""
    return Extractor(cfg)


def analyse(text: str, cfg: Config, article_date: str | None = None, learned: dict[str, Known] | None = None) -> Analysis:
    return extractor_for(cfg).analyse(text, article_date, learned)
