"""The typed config the rest of sinoread reads: countries and their aliases, people, cues."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sinoread.extract.budget import BudgetedPattern
from sinoread.ingest.fold import fold

ALIAS_TAGS = ("name", "demonym", "capital", "abbreviation", "metonym", "historic")
AMBIGUITY_CLASSES = ("word", "person", "place", "shared")
"""Why an alias may not mean the state: a common word ("Turkey" sales), part of personal
names (Michael Jordan), another place (Atlanta, Georgia), or the name of two states (Korea).
Such an alias counts only with corroboration in the article."""


@dataclass(frozen=True)
class CountryAlias:
    text: str
    tag: str
    """One of ALIAS_TAGS: the reader's "why" says which."""
    ambiguity: str | None
    """One of AMBIGUITY_CLASSES, or None for an alias that means the state wherever it stands."""
    exact: bool
    """Matched only as written (US, PRC); the others also match in capitals (CHINA)."""


@dataclass(frozen=True)
class Country:
    name: str
    aliases: tuple[CountryAlias, ...]
    historic: bool = False
    part_of: str | None = None
    successors: tuple[str, ...] = ()
    corroborate_with: tuple[str, ...] = ()
    """Words (not aliases) that, in the same article, confirm an ambiguous alias: Abkhazia for Georgia."""


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...]
    role: str | None
    country: str | None


@dataclass(frozen=True)
class Organization:
    name: str
    aliases: tuple[str, ...]
    country: str | None


@dataclass(frozen=True)
class Cue:
    """A named label (status or kind) and the compiled patterns that signal it."""

    label: str
    pattern: BudgetedPattern
    source: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Config:
    path: str
    digest: str
    """Hash of the file: an index built under another config is stale."""
    corpus: str | None
    states: dict[str, Country]
    """The country table: aliases with their tags and ambiguity, predecessors and parts."""
    not_countries: tuple[str, ...]
    datelines: dict[str, str]
    """Dateline city (as wires write it, in capitals) -> country."""
    places: dict[str, tuple[str, ...]]
    people: tuple[Person, ...]
    roles: tuple[str, ...]
    not_names: frozenset[str]
    organizations: tuple[Organization, ...]
    organization_patterns: tuple[str, ...]
    ship_prefixes: dict[str, str]
    """"HMS" -> United Kingdom: a named ship stands for its navy's state."""
    boilerplate: tuple[BudgetedPattern, ...]
    tone_cooperation: BudgetedPattern
    tone_tension: BudgetedPattern
    statuses: tuple[Cue, ...]
    any_status: BudgetedPattern
    """Every status cue in one pattern: most sentences have none, and one search says so."""
    kinds: tuple[Cue, ...]
    anaphora: BudgetedPattern
    keys: dict[str, str]

    @cached_property
    def countries(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Country -> (aliases, case-sensitive aliases): every alias of `states`, as text."""
        return {
            name: (tuple(a.text for a in st.aliases if not a.exact), tuple(a.text for a in st.aliases if a.exact))
            for name, st in self.states.items()
        }

    @cached_property
    def _aliases(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for name, st in self.states.items():
            for a in st.aliases:
                lookup.setdefault(fold(a.text).casefold(), name)
        for name in self.states:  # a canonical name wins over another state's alias
            lookup[fold(name).casefold()] = name
        return lookup

    def related(self, a: str, b: str) -> bool:
        """A state and its predecessor, or a state and its part: never a pair of actors."""
        sa, sb = self.states.get(a), self.states.get(b)
        return bool(sa and sb and (
            sa.part_of == b or sb.part_of == a or b in sa.successors or a in sb.successors
        ))

    def resolve_country(self, text: str) -> str | None:
        """Any alias (`PRC`, `hanoi`, `china`) -> canonical country name, or None."""
        wanted = " ".join(fold(text).strip().casefold().replace("_", " ").split())
        if wanted in self._aliases:
            return self._aliases[wanted]
        # Tolerate hyphenated slugs (`united-states`).
        if "-" in wanted:
            return self.resolve_country(wanted.replace("-", " "))
        return None
