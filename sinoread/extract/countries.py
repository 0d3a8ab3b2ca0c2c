"""Country mentions: aliases as written, ambiguous ones only where the article corroborates
them, places, wire datelines and the names a state had in its time."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator

from sinoread.config import Config, CountryAlias
from sinoread.extract.budget import BudgetedPattern
from sinoread.extract.lowered import lowered
from sinoread.extract.lowered import usable as lowering_usable
from sinoread.extract.spans import BOUND_L, BOUND_R
from sinoread.extract.trie import trie_pattern
from sinoread.ingest.fold import fold
from sinoread.models import Mention

STOPWORDS = frozenset(
    "a an and as at be but by do for he her his if in is it me my no of on or our she so "
    "the to up us we was who why you van de da la le mr mrs ms dr sir".split()
)
"""Short words that are never a name, nor a name's short form."""


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


def _caseless(words: list[str]) -> Callable[[str], Iterator[re.Match[str]]]:
    """The matches of BOUND_L (?i:words) BOUND_R in a text (spans into it): on its lowered
    copy, where that finds the same (a case-insensitive scan costs several times more)."""
    if lowering_usable(words):
        rx = re.compile(rf"{BOUND_L}(?:{trie_pattern([w.lower() for w in words])}){BOUND_R}")
        return lambda text: rx.finditer(lowered(text))
    rx = re.compile(rf"{BOUND_L}(?i:{trie_pattern(words)}){BOUND_R}")
    return rx.finditer


class CountryFinder:
    """Compiled from one Config; `find` is pure."""

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
        self.country_any = trie_pattern(list(surface))
        self.country_re = re.compile(rf"{BOUND_L}(?:{self.country_any}){BOUND_R}")
        not_c = [fold(x) for x in cfg.not_countries]
        self.not_country_re = _caseless(not_c)
        self.not_country_longest = max((len(x) for x in not_c), default=0)
        place_alias = {fold(p).casefold(): c for c, ps in cfg.places.items() for p in ps}
        self.place_alias = place_alias
        self.place_re = _caseless(list(place_alias))
        self.datelines = cfg.datelines
        self.corroborators = {
            st.name: re.compile(rf"{BOUND_L}(?:{trie_pattern([fold(w) for w in st.corroborate_with])}){BOUND_R}")
            for st in cfg.states.values() if st.corroborate_with
        }

    def find(self, ft: str, roles: BudgetedPattern) -> list[Mention]:
        """Country mentions; an ambiguous alias only where the article corroborates it."""
        blocked = [(m.start(), m.end()) for m in self.not_country_re(ft)]
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
            elif self._plausible(ft, m.start(), m.end(), entries, roles):
                doubtful.append((m.start(), m.end(), s, entries))
        for m in self.place_re(ft):
            word = ft[m.start():m.end()]
            c = self.place_alias[word.casefold()]
            sure.append(Mention(m.start(), m.end(), "place", word, c, None, f"place in {c}: '{word}'"))
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

    def _plausible(self, ft: str, s: int, e: int, entries: list[tuple[str, CountryAlias]],
                   roles: BudgetedPattern) -> bool:
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
            gap == " " and self._name_like(word, roles) for word, gap in ((word_before, gap_before), (word_after, gap_after))
        ):
            return False  # Michael Jordan, Jordan Henderson
        if "place" in classes:
            if gap_before == ", " and self._name_like(word_before, roles):
                return False  # Atlanta, Georgia
            if gap_after == " " and word_after in ("state", "State"):
                return False  # Washington state
        return True

    def _name_like(self, word: str, roles: BudgetedPattern) -> bool:
        return (
            word[:1].isupper() and not word.isupper() and word not in self.cfg.not_names
            and word.lower() not in STOPWORDS and not self.country_re.fullmatch(word)
            and not roles.match(word)
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

    def country_in(self, fragment: str) -> str | None:
        """The one state `fragment` names without ambiguity, if any."""
        for m in self.country_re.finditer(fragment):
            entries = self.surface.get(m.group(0))
            if entries and len(entries) == 1:
                return entries[0][0]
        return None

    def is_place(self, text: str) -> bool:
        """A dateline city, a place or a state: no person is called that."""
        return (
            text.upper() in self.datelines or fold(text).casefold() in self.place_alias
            or self.country_in(text) is not None
        )
