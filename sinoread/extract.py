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

from sinoread.budget import BudgetedPattern
from sinoread.config import Config
from sinoread.dates import sentence_date
from sinoread.fold import fold
from sinoread.models import Agreement, Analysis, Mention, PairSummary, Sentence
from sinoread.trie import trie_pattern

_STOPWORDS = frozenset(
    "a an and as at be but by do for he her his if in is it me my no of on or our she so "
    "the to up us we was who why you van de da la le mr mrs ms dr sir".split()
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen adm col lt maj sgt capt prof rev jr sr no vs etc e.g i.e u.s u.n "
    "u.k jan feb mar apr jun jul aug sep sept oct nov dec inc co corp ltd dept".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n+")
_NAME_TOKEN = r"[A-Z][a-z]+(?:['-][A-Za-z][a-z]+)*"
_NAME = rf"{_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,3}}"
_BOUND_L = r"(?<![\w])"
_BOUND_R = r"(?![\w])"


def _alternation(words: list[str]) -> str:
    return trie_pattern(words)


def _is_exact(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


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
        loose: dict[str, str] = {}
        exact: dict[str, str] = {}
        for name, (aliases, exact_aliases) in cfg.countries.items():
            for a in (name, *aliases):
                (exact if _is_exact(a) else loose)[fold(a) if _is_exact(a) else fold(a).casefold()] = name
            for a in exact_aliases:
                exact[fold(a)] = name
        self.loose_alias = loose
        self.exact_alias = exact
        country_alt = _alternation(list(loose)) or r"(?!x)x"
        exact_alt = _alternation(list(exact)) or r"(?!x)x"
        self.country_re = re.compile(
            rf"{_BOUND_L}(?:(?i:{country_alt})|{exact_alt}){_BOUND_R}"
        )
        self.country_any = rf"(?:(?i:{country_alt})|{exact_alt})"
        not_c = [fold(x) for x in cfg.not_countries]
        self.not_country_re = re.compile(rf"{_BOUND_L}(?i:{_alternation(not_c) or '(?!x)x'}){_BOUND_R}")
        place_alias = {fold(p).casefold(): c for c, ps in cfg.places.items() for p in ps}
        self.place_alias = place_alias
        self.place_re = re.compile(rf"{_BOUND_L}(?i:{_alternation(list(place_alias)) or '(?!x)x'}){_BOUND_R}")

        org_alias: dict[str, tuple[str, str | None]] = {}
        for o in cfg.organizations:
            for a in (o.name, *o.aliases):
                org_alias[fold(a)] = (o.name, o.country)
        self.org_alias = org_alias
        self.org_re = re.compile(rf"{_BOUND_L}(?:{_alternation(list(org_alias)) or '(?!x)x'}){_BOUND_R}")
        self.org_patterns = [
            BudgetedPattern(rf"{_BOUND_L}{p.replace('{country}', '(?P<country>' + self.country_any + ')')}{_BOUND_R}",
                            where=f"organization_patterns[{i}]")
            for i, p in enumerate(cfg.organization_patterns)
        ]

        self.person_alias: dict[str, tuple[str, str | None, str | None]] = {}
        for p in cfg.people:
            for a in (p.name, *p.aliases):
                self.person_alias[fold(a)] = (p.name, p.role, p.country)
        self.known_person_re = re.compile(
            rf"{_BOUND_L}(?:{_alternation(list(self.person_alias)) or '(?!x)x'}){_BOUND_R}"
        )
        titled = [r for r in cfg.roles if r[:1].isupper()]
        lower = [r for r in cfg.roles if not r[:1].isupper()]
        titled_alt = "|".join(f"(?:{r})" for r in sorted(titled, key=len, reverse=True)) or "(?!x)x"
        lower_alt = "|".join(f"(?:{r})" for r in sorted(lower, key=len, reverse=True)) or "(?!x)x"
        role_alt = f"(?:{titled_alt}|{lower_alt})"
        # The roles are config patterns: these run under the article's time budget.
        self.role_word_re = BudgetedPattern(rf"^{role_alt}$", where="roles")
        self.role_before = BudgetedPattern(
            rf"{_BOUND_L}(?P<role>{role_alt})(?: of (?P<of>[^,.;\n]{{2,60}}),)?,? (?P<name>{_NAME})", where="roles"
        )
        self.role_after = BudgetedPattern(
            rf"(?P<name>{_NAME}),? (?:is |was )?(?:the |a |an )?(?:[a-z-]+ ){{0,2}}?(?P<role>{lower_alt}|{titled_alt}){_BOUND_R}",
            where="roles",
        )
        self.country_before_role = re.compile(rf"(?P<country>{self.country_any})(?:'s)? (?:[a-z-]+ )?$")

    # -- public ---------------------------------------------------------------------

    def analyse(self, text: str, article_date: str | None = None) -> Analysis:
        """Find mentions, sentences, agreements and pairs in cleaned `text`."""
        ft = fold(text)
        countries = self._countries(ft)
        orgs = self._organizations(ft)
        persons = self._persons(ft, countries, orgs)
        mentions = tuple(sorted(countries + orgs + persons, key=lambda m: (m.start, -m.end, m.kind)))
        sentences = self._sentences(text, ft, mentions)
        agreements = self._agreements(text, ft, sentences, mentions, article_date)
        pairs = self._pairs(sentences, agreements)
        return Analysis(mentions=mentions, sentences=tuple(sentences), agreements=tuple(agreements), pairs=pairs)

    # -- countries ------------------------------------------------------------------

    def _countries(self, ft: str) -> list[Mention]:
        blocked = [(m.start(), m.end()) for m in self.not_country_re.finditer(ft)]
        starts = [b for b, _ in blocked]
        longest = max((len(x) for x in self.cfg.not_countries), default=0)

        def free(s: int, e: int) -> bool:
            lo, hi = bisect_left(starts, s - longest), bisect_right(starts, s)
            return not any(be >= e for _, be in blocked[lo:hi])

        out = []
        for m in self.country_re.finditer(ft):
            s = m.group(0)
            name = self.exact_alias.get(s) or self.loose_alias.get(s.casefold())
            if name is None or not free(m.start(), m.end()):
                continue
            out.append(Mention(m.start(), m.end(), "country", name, name, None, f"country alias '{s}'"))
        for m in self.place_re.finditer(ft):
            c = self.place_alias[m.group(0).casefold()]
            out.append(Mention(m.start(), m.end(), "place", m.group(0), c, None, f"place in {c}: '{m.group(0)}'"))
        return out

    def _country_in(self, fragment: str) -> str | None:
        m = self.country_re.search(fragment)
        if not m:
            return None
        s = m.group(0)
        return self.exact_alias.get(s) or self.loose_alias.get(s.casefold())

    # -- organisations --------------------------------------------------------------

    def _organizations(self, ft: str) -> list[Mention]:
        found: list[Mention] = []
        for m in self.org_re.finditer(ft):
            name, country = self.org_alias[m.group(0)]
            found.append(Mention(m.start(), m.end(), "organization", name, country, None, f"organisation alias '{m.group(0)}'"))
        for i, pattern in enumerate(self.org_patterns):
            for m in pattern.finditer(ft):
                span = m.group(0)
                country = None
                name = span
                if "country" in pattern.groupindex and m.group("country"):
                    country = self._country_in(m.group("country"))
                    rest = span.replace(m.group("country"), "", 1).strip()
                    rest = re.sub(r"^'s\s*|\s*of the\s*$", "", rest).strip()
                    name = f"{country} {rest.title()}" if span.startswith(m.group("country")) else f"{country} {re.sub(r' of the$', '', rest).title()}"
                name = re.sub(r"(?i)coast ?guards?", "Coast Guard", name)
                name = re.sub(r"(?i)border guards", "Border Guard", name)
                known = self.org_alias.get(name)
                if known:
                    name = known[0]
                found.append(Mention(m.start(), m.end(), "organization", name, country, None, f"organisation pattern {i + 1}: '{span}'"))
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

    def _valid_name(self, name: str, min_tokens: int) -> str | None:
        tokens = name.split(" ")
        kept = []
        for t in tokens:
            if t in self.cfg.not_names or self._country_in(t) or self.role_word_re.match(t):
                break
            kept.append(t)
        if len(kept) < min_tokens:
            return None
        return " ".join(kept)

    def _persons(self, ft: str, countries: list[Mention], orgs: list[Mention]) -> list[Mention]:
        taken = _Occupied()
        for m in orgs:
            taken.add(m.start, m.end)
        found: dict[tuple[int, int], Mention] = {}
        claimed = _Occupied()

        def overlaps(s: int, e: int) -> bool:
            return taken.overlaps(s, e) or claimed.overlaps(s, e)

        def country_near(start: int, end: int, role_end: int, of_text: str | None) -> str | None:
            before = self.country_before_role.search(ft[max(0, start - 40):start])
            if before:
                return self._country_in(before.group("country"))
            if of_text:
                return self._country_in(of_text)
            after = ft[role_end:role_end + 60]
            m = re.match(r",? (?:of|with|from) (?:the )?([^,.;]{2,50})", after)
            if m:
                return self._country_in(m.group(1))
            return None

        for m in self.known_person_re.finditer(ft):
            name, role, country = self.person_alias[m.group(0)]
            found[(m.start(), m.end())] = Mention(
                m.start(), m.end(), "person", name, country, role, f"known person '{m.group(0)}'"
            )
            claimed.add(m.start(), m.end())

        for m in self.role_before.finditer(ft):
            role = m.group("role")
            single = role.rstrip(".") in ("Mr", "Mrs", "Ms", "Dr")
            name = self._valid_name(m.group("name"), 1 if single else 2)
            if not name:
                continue
            s = m.start("name")
            e = s + len(name)
            if overlaps(s, e):
                continue
            known = self.person_alias.get(name)
            country = known[2] if known else None
            country = country_near(m.start("role"), e, m.end("role"), m.group("of")) or country
            found[(s, e)] = Mention(
                s, e, "person", known[0] if known else name, country, None if single else role,
                f"role pattern '{role}' before the name",
            )
            claimed.add(s, e)
        for m in self.role_after.finditer(ft):
            name = self._valid_name(m.group("name"), 2)
            if not name or name != m.group("name"):
                continue
            s, e = m.start("name"), m.end("name")
            if overlaps(s, e):
                continue
            known = self.person_alias.get(name)
            tail = ft[m.end("role"):m.end("role") + 60]
            om = re.match(r",? (?:of|with|at|from) (?:the )?([^,.;]{2,50})", tail)
            country = (self._country_in(om.group(1)) if om else None) or (known[2] if known else None)
            found[(s, e)] = Mention(
                s, e, "person", known[0] if known else name, country, m.group("role"),
                f"role pattern '{m.group('role')}' after the name",
            )
            claimed.add(s, e)

        # Short forms ("Xi", "Nghiem", "Mr Trong"): first and last tokens of full names.
        persons = list(found.values())
        short: dict[str, Mention | None] = {}
        for p in persons:
            tokens = fold(p.name).split()
            surface = fold(ft[p.start:p.end]).split()
            if len(tokens) < 2:
                continue
            for t in {tokens[0], tokens[-1], surface[-1]}:
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
            short_re = re.compile(
                rf"{_BOUND_L}(?:{_alternation(list(usable))}){_BOUND_R}"
                + "|" + rf"{_BOUND_L}(?:{_alternation([t.lower() for t in usable if t.lower() not in _STOPWORDS])}){_BOUND_R}"
            )
            lower = {t.lower(): p for t, p in usable.items()}
            for m in short_re.finditer(ft):
                s, e = m.start(), m.end()
                if taken.overlaps(s, e):
                    continue
                p = usable.get(m.group(0)) or lower.get(m.group(0))
                if p is None:
                    continue
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
                if m.end <= e and m.country and m.country not in countries:
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
        for i, sent in enumerate(sentences):
            if not sent.countries:
                continue  # an agreement binds countries
            fs = ft[sent.start:sent.end]
            status = cue = None
            for st in self.cfg.statuses:
                m = st.pattern.search(fs)
                if m and m.group(0):
                    status, cue = st.label, m
                    break
            if status is None or cue is None:
                continue
            parties = list(sent.countries)
            why_parties = ""
            if len(parties) == 1:
                # "Li also pledged to deepen cooperation": a leader of one party, the other
                # party named in the sentences just before.
                inside = mentions[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
                people = [m for m in inside if m.kind == "person" and m.country == parties[0]]
                if people and self.cfg.tone_cooperation.search(fs):
                    for prev in reversed(sentences[max(0, i - 3):i]):
                        if len(prev.countries) >= 2 and parties[0] in prev.countries:
                            parties = list(prev.countries)
                            why_parties = f"; {people[0].name} speaks for {sent.countries[0]}, partner from the sentence before"
                            break
            if len(parties) < 2:
                continue
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

    # -- pairs ----------------------------------------------------------------------

    def _pairs(self, sentences: list[Sentence], agreements: list[Agreement]) -> tuple[PairSummary, ...]:
        by_pair: dict[tuple[str, str], list[int]] = {}
        for i, s in enumerate(sentences):
            for a, b in combinations(sorted(set(s.countries)), 2):
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


def analyse(text: str, cfg: Config, article_date: str | None = None) -> Analysis:
    return extractor_for(cfg).analyse(text, article_date)
