"""Organisation mentions: the config's named bodies, and its patterns around a country
("the Chinese Navy", "Coast Guard of Japan") tried only at the country mentions."""

from __future__ import annotations

import re

from sinoread.config import Config
from sinoread.extract.budget import BudgetedPattern
from sinoread.extract.spans import BOUND_L, BOUND_R, Occupied
from sinoread.extract.trie import trie_pattern
from sinoread.ingest.fold import fold
from sinoread.models import Mention

_SHIP_NAME = re.compile(r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}\b")
ORG_REACH = 80
"""How far around a country mention an organisation pattern may reach ("Navy of the ...")."""


class OrganizationFinder:
    """Compiled from one Config; `find` is pure."""

    def __init__(self, cfg: Config) -> None:
        aliases: dict[str, tuple[str, str | None]] = {}
        for o in cfg.organizations:
            for a in (o.name, *o.aliases):
                aliases[fold(a)] = (o.name, o.country)
        self.aliases = aliases
        self.alias_re = re.compile(rf"{BOUND_L}(?:{trie_pattern(list(aliases))}){BOUND_R}")
        # A pattern with {country} is kept as its two halves: the part before the country is
        # matched backwards from a country mention, the part after it forwards, so it is
        # tried only at the mentions (an alternation of every alias of every state made the
        # `regex` engine take seconds per article, and compiling one per alias, seconds per worker).
        self.ship_prefixes = cfg.ship_prefixes
        # The prefix trie alone, boundary checked by hand: 5x faster than one pattern with \b
        self.ship_re = re.compile(rf"(?:{trie_pattern(list(cfg.ship_prefixes))}) (?=[A-Z])") if cfg.ship_prefixes else None
        self.patterns: list[BudgetedPattern | tuple[BudgetedPattern | None, BudgetedPattern | None]] = []
        for i, p in enumerate(cfg.organization_patterns):
            where = f"organization_patterns[{i}]"
            if "{country}" not in p:
                self.patterns.append(BudgetedPattern(rf"{BOUND_L}{p}{BOUND_R}", where=where))
                continue
            before, after = p.split("{country}", 1)
            self.patterns.append((
                BudgetedPattern(rf"(?r){BOUND_L}(?:{before})\Z", where=where) if before else None,
                BudgetedPattern(rf"(?:{after}){BOUND_R}", where=where) if after else None,
            ))

    def _matches(self, ft: str, i: int, countries: list[Mention]) -> list[tuple[int, int, Mention | None]]:
        """(start, end, the country mention inside) of each match of organisation pattern `i`."""
        pattern = self.patterns[i]
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

    def find(self, ft: str, countries: list[Mention] | None = None) -> list[Mention]:
        """Organisation mentions; where two overlap, the longer."""
        found: list[Mention] = []
        for m in self.alias_re.finditer(ft):
            name, country = self.aliases[m.group(0)]
            found.append(Mention(m.start(), m.end(), "organization", name, country, None, f"organisation alias '{m.group(0)}'"))
        if self.ship_re is not None:
            for m in self.ship_re.finditer(ft):
                if m.start() and (ft[m.start() - 1].isalnum() or ft[m.start() - 1] == "_"):
                    continue
                ship = _SHIP_NAME.match(ft, m.end())
                if ship is None:
                    continue
                prefix = m.group(0)[:-1]
                country = self.ship_prefixes[prefix]
                found.append(Mention(m.start(), ship.end(), "organization", ft[m.start():ship.end()], country, None,
                                     f"named ship '{prefix}' ({country})"))
        for i in range(len(self.patterns)):
            for start, end, c in self._matches(ft, i, countries or []):
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
                known = self.aliases.get(name)
                if known:
                    name = known[0]
                found.append(Mention(start, end, "organization", name, country, None, f"organisation pattern {i + 1}: '{span}'"))
        # Longest span wins where organisations overlap.
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept: list[Mention] = []
        occupied = Occupied()
        for m in found:
            if not occupied.overlaps(m.start, m.end):
                occupied.add(m.start, m.end)
                kept.append(m)
        return kept
