"""People in an article: rules, lists and what the corpus taught, no statistical model.

A name is marked only with evidence around it: the config's list or a name learned from
another article, a title before it, a role after it, a transcript speaker's label, or an
attribution verb ("X said"). Its shape must be a name's (initials, particles such as al- or
bin, Mc/O'), and no word of it may be a country, a place, an office or a firm's suffix:
analysts would rather miss a person than read "Salomon Brothers" as one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sinoread.config import Config
from sinoread.extract.budget import BudgetedPattern
from sinoread.extract.prefilter import RoleGates
from sinoread.extract.trie import trie_pattern
from sinoread.ingest.fold import fold
from sinoread.models import Mention

_TOKEN = r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z][a-z]+)*|[A-Z]['’][A-Z][a-z]+)"
_PARTICLE = r"(?:al|el|ul|bin|ibn|bint|abu|abd|van|von|de|den|der|da|du|di|dos|das|del|della|la|le|ter|ten|y)"
_INITIAL = r"(?:[A-Z]\.(?:[A-Z]\.)*|[A-Z](?= [A-Z][a-z]))"
NAME = (
    rf"(?:{_INITIAL} )*(?:(?:Abu|Abdul|Al|El) )?{_TOKEN}"
    rf"(?:(?: {_PARTICLE}(?: |-)| (?:{_INITIAL} )*){_TOKEN}){{0,3}}(?: (?:Jr|Sr)\.?| I{{2,3}})?"
)
"""A personal name's shape: `Stephen J. Townsend`, `Haider al-Abadi`, `G.I. Valentchits`,
`Roel den Dunnen`, `Sondra McCarty`, `Abu Bakr`."""
_B = r"(?<![\w'’-])"
_E = r"(?![\w-]| [A-Z]\w)"

ORG_SUFFIXES = frozenset(
    "Inc Corp Corporation Co Company Ltd Plc PLC AG SA NV Group Holdings Brothers Bros Partners "
    "Associates Securities Industries International Bank Bancorp Trust Fund Capital Investments "
    "Airways Airlines Motors Petroleum Oil Energy Systems Technologies Communications Foods Farms "
    "Mills Steel Chemical Chemicals Pharmaceuticals Electric Electronics Insurance Financial "
    "Department Office House Ministry Agency Council Commission Committee Board Union Party Court "
    "Times Post Journal Reporter News Network Radio Television Institute University College School "
    "Club United City Rovers Athletic Street Square Hall Centre Center Museum Hospital Church "
    "Exchange Market Markets Index Fed Reserve Treasury Senate Congress Parliament Assembly "
    "Army Navy Force Forces Guard Police Corps Command Fleet Cabinet Government Administration "
    "Embassy Consulate Mission Summit Accord Agreement Treaty Pact Act Bill Plan Initiative "
    "Association Federation Society Foundation Organisation Organization Authority Bureau Chamber "
    "Division Service Services Intelligence Shares Shop Store Stores Budget Management Products "
    "Generale Peabody Gundy Lynch Sachs Stanley Lehman Hutton Bache Myers Warburg Nomura Daiwa Nikko "
    "Yamaichi Barclays Lloyds Midland Natwest Citicorp Citibank Chase Morgan Kleinwort Cross".split()
)
"""Last words that make a capitalised phrase a body, a place or a paper, not a person."""
OFFICE_WORDS = frozenset(
    "Finance Trade Foreign Defence Defense Deputy Economy Economic Interior Justice Agriculture "
    "Commerce Energy State Affairs Home Health Labour Labor Industry Minister Ministers Secretary "
    "Administrator Treasurer Adviser Advisor Security Budget Management Attorney Counsel Ombudsman "
    "President Premier Chancellor Chairman Director Spokesman Spokeswoman Ambassador Governor "
    "Prime Vice General Admiral Senator Congressman Lord Sir King Queen Prince Mr Mrs Ms Dr "
    "Central Federal National Royal Reserve White Downing Whitehall Pentagon Kremlin Capitol "
    "Lib Dem Dems Labour Tory Tories Conservative Conservatives Republican Republicans Democrat "
    "Democrats Communist Socialist Liberal Green Greens Islamic Muslim Christian Catholic Jewish Arab "
    "Western Eastern Northern Southern East West North South Middle Gulf Asian African European "
    "American Latin Pacific Atlantic Olympic World Cup Grand Prix Open League Premiership Championship "
    "Internet Web Online Net Digital Mobile Phone Software Microsoft Google Apple Sony Nintendo "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter New Year".split()
)
"""Words no personal name is made of in the news (May is a month before it is a surname:
"Kenneth May" is still found, "May" alone is not)."""
SURNAME_WORDS = frozenset("May June April August Christmas Day Lord King".split())
"""Words of OFFICE_WORDS that end a name when a given name comes before them."""
_NAME_RUN = re.compile(rf"{_B}{NAME}{_E}")
"""A whole capitalised run shaped like a name."""
_NAME_AT = re.compile(rf"{NAME}{_E}")
_NAME_START = re.compile(rf"{_B}(?={NAME}{_E})")
"""Every place a name may start: each capitalised word whose run to the end is name-shaped
("Mr Blair" gives two: a title may stand before "Blair")."""
ROLE_REACH = 150
"""How far before a name its title may start ("Minister of State for Foreign Affairs, ...")."""
_ATTRIBUTION = (
    r"said|says|told|added|stated|noted|explained|warned|declared|announced|insisted|argued|"
    r"asked|replied|wrote|urged|predicted|estimated|confirmed|denied|acknowledged|agreed|believes?|thinks?"
)
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|it|its|they|their|we|our)\b", re.IGNORECASE)


def _personal(ft: str, start: int) -> bool:
    """A person's statement goes on with he or she, a firm's with it (or they, or we)."""
    m = _PRONOUN.search(ft, start, start + 200)
    return bool(m) and m.group(0).lower() in ("he", "she", "his", "her", "him")
_SPEAKER = re.compile(
    r"^(?:(?P<title>MR|MRS|MS|DR|SECRETARY|GENERAL|GEN|ADMIRAL|ADM|AMBASSADOR|SENATOR|PRESIDENT|"
    r"MINISTER|COLONEL|COL|CAPTAIN|CAPT)\.? )?(?P<name>[A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+){0,2}):[ \t]",
    re.MULTILINE,
)
"""A transcript speaker: `MR KIRBY: ...`, `SECRETARY BLINKEN: ...`."""


def learned_pattern(learned: dict[str, Known]) -> re.Pattern[str]:
    """Where the folded text names one of these learned names: with no such place, an
    article's analysis is the same with them as without."""
    return re.compile(rf"{_B}(?:{trie_pattern(learned)})(?![\w-])")


@dataclass(frozen=True)
class Known:
    """A name the finder recognises wherever it stands: from the config, or learned."""

    name: str
    role: str | None
    country: str | None
    why: str


class PeopleFinder:
    """Compiled from one Config; `find` is pure."""

    def __init__(self, cfg: Config, country_any: str, country_in: Callable[[str], str | None],
                 is_place: Callable[[str], bool]) -> None:
        self.cfg = cfg
        self.country_in = country_in
        self.is_place = is_place
        self.known: dict[str, Known] = {}
        for p in cfg.people:
            for a in (p.name, *p.aliases):
                self.known[fold(a)] = Known(p.name, p.role, p.country, f"known person '{a}'")
        self.known_re = re.compile(rf"{_B}(?:{trie_pattern(self.known)})(?![\w-])")
        titled = [r for r in cfg.roles if r[:1].isupper()]
        lower = [r for r in cfg.roles if not r[:1].isupper()]
        titled_alt = "|".join(f"(?:{r})" for r in sorted(titled, key=len, reverse=True)) or "(?!x)x"
        lower_alt = "|".join(f"(?:{r})" for r in sorted(lower, key=len, reverse=True)) or "(?!x)x"
        role_alt = f"(?:{titled_alt}|{lower_alt})"
        # Roles are config patterns: they run under the article's time budget.
        self.titled_re = BudgetedPattern(rf"^(?:{titled_alt})$", where="roles")
        self.role_word_re = BudgetedPattern(rf"^(?:{role_alt})$", where="roles")
        # Both role patterns are tried only where a name starts or ends (found with NAME, our
        # own pattern, at C speed), never at every character: the config's role alternation is
        # the slow part, and it runs under the budget. Before a name, it is matched backwards
        # ("(?r)") from the name's first letter.
        before_tail = r"(?: (?:of|for) (?P<of>[^,.;\n]{2,60}),)?,? \Z"
        self.role_before = BudgetedPattern(rf"(?r)(?<![\w'’])(?P<role>{role_alt}){before_tail}", where="roles")
        # Before the role: "the", "a former", "Iraq's" (any capitalised word: a country alias
        # alternation here would be tried at every name in the text).
        lead = r"(?:(?:the|a|an|former|then|acting|outgoing|incoming|new|its|his|her|their|[A-Z][\w-]+)(?:['’]s)? )"
        after_lead = rf",? (?:(?:who )?(?:is|was) )?{lead}{{0,3}}(?:[a-z-]+ ){{0,2}}?"
        self.role_after = BudgetedPattern(
            rf"{after_lead}(?P<role>(?i:{lower_alt})|{titled_alt})(?![\w-])", where="roles",
        )
        # Where no role's literal stands near enough, neither role pattern is tried at all.
        self.gates = RoleGates(titled, lower, after_lead, before_tail, ROLE_REACH)
        self.said_after = re.compile(rf"{_B}(?P<name>{NAME}){_E},? (?:{_ATTRIBUTION})\b")
        self.said_before = re.compile(rf"\b(?:said|says|according to|added|told) (?P<name>{NAME}){_E}")
        self.country_before_role = re.compile(rf"(?P<country>{country_any})(?:['’]s)? (?:[a-z-]+ )?$")
        self.not_names = cfg.not_names | OFFICE_WORDS
        self._learned: tuple[dict[str, Known], re.Pattern[str]] | None = None
        """The last corpus's learned names and their pattern: compiled once per pass."""

    # -- validation -----------------------------------------------------------------

    def clean_name(self, name: str, min_tokens: int, from_end: bool = False) -> str | None:
        """The longest leading (or trailing) run of `name` that can be a person's name, or None."""
        tokens = name.split(" ")
        kept: list[str] = []
        for i, t in enumerate(reversed(tokens) if from_end else tokens):
            bare = t.rstrip(".")
            surname = (i == 0) if from_end else (i > 0)
            if surname and bare in SURNAME_WORDS:
                kept.append(t)  # Kenneth May
                continue
            if bare in self.not_names or self.country_in(t) or self.role_word_re.match(t):
                break
            kept.append(t)
        if from_end:
            kept.reverse()
            while kept and re.fullmatch(_PARTICLE, kept[0]):
                kept.pop(0)
        while kept and (re.fullmatch(_PARTICLE, kept[-1]) or re.fullmatch(_INITIAL, kept[-1])):
            kept.pop()  # a name ends with a surname, not "al" or "J."
        words = [t for t in kept if not re.fullmatch(_INITIAL, t) and not re.fullmatch(_PARTICLE, t)]
        if len(words) < min_tokens or not words:
            return None
        if kept[-1].rstrip(".") in ORG_SUFFIXES or any(w in ORG_SUFFIXES for w in words[1:]):
            return None
        full = " ".join(kept)
        if self.is_place(full) or any(self.is_place(w) for w in words if len(words) == 1):
            return None
        return full

    @staticmethod
    def headline_like(ft: str, s: int) -> bool:
        """A line in title case (a wire headline): capitalised phrases there are not names."""
        a = ft.rfind("\n", 0, s) + 1
        b = ft.find("\n", s)
        words = re.findall(r"[A-Za-z][\w'’-]*", ft[a:b if b >= 0 else len(ft)])
        if len(words) < 4:
            return False
        caps = sum(1 for w in words if w[0].isupper())
        return caps >= 0.7 * len(words) and not ft[a:b if b >= 0 else len(ft)].rstrip().endswith((".", '"', "”"))

    # -- finding --------------------------------------------------------------------

    def find(self, ft: str, taken: Callable[[int, int], bool], claim: Callable[[int, int], None],
             learned: dict[str, Known] | None = None) -> list[Mention]:
        found: list[Mention] = []

        def add(s: int, e: int, name: str, country: str | None, role: str | None, why: str) -> None:
            if taken(s, e):
                return
            claim(s, e)
            found.append(Mention(s, e, "person", name, country, role, why))

        for s, e, k in self._known(ft, learned):
            add(s, e, k.name, k.country, k.role, k.why)
        for m in _SPEAKER.finditer(ft):
            raw = m.group("name")
            if m.group("title") is None and " " not in raw:
                continue  # "NOTE:" or "WASHINGTON:" is no speaker
            name = self.clean_name(" ".join(w.capitalize() for w in raw.split()), 1)
            if name and not self.country_in(raw):
                add(m.start("name"), m.end("name"), name, None, None, "transcript speaker")
        may_before, may_after = self.gates.open(ft)
        headlines: dict[int, bool] = {}

        def headline(s: int) -> bool:
            """headline_like, each line judged once."""
            a = ft.rfind("\n", 0, s) + 1
            if a not in headlines:
                headlines[a] = self.headline_like(ft, s)
            return headlines[a]

        for p in _NAME_START.finditer(ft):
            s = p.start()
            if ft[s - 1:s] != " " or taken(s, s + 1) or not may_before(s):
                continue  # a title ends with a space; a claimed name takes no title
            m = self.role_before.search(ft, max(0, s - ROLE_REACH), s)
            if m is None:
                continue
            role = m.group("role")
            titled = bool(self.titled_re.match(role))
            name = self.clean_name(_NAME_AT.match(ft, s).group(0), 1 if titled else 2)  # type: ignore[union-attr]
            if not name or headline(m.start()):
                continue
            single = role.rstrip(".") in ("Mr", "Mrs", "Ms", "Dr", "Miss")
            country = self._country_near(ft, m.start("role"), m.end("role"), m.group("of"), role)
            add(s, s + len(name), name, country, None if single else role, f"title '{role}' before the name")
        for run in _NAME_RUN.finditer(ft):
            if ft[run.end():run.end() + 1] not in (",", " ") or taken(run.start(), run.end()) or not may_after(run.end()):
                continue  # the role follows a comma or a space; a claimed name has its own
            m = self.role_after.match(ft, run.end())
            if m is None:
                continue
            name = self.clean_name(run.group(0), 2)
            if not name or name != run.group(0) or headline(run.start()):
                continue
            if re.match(rf" {NAME}", ft[m.end("role"):m.end("role") + 60]) and ft[run.end():run.end() + 1] != ",":
                continue  # "Kidder Peabody analyst Arnie Snider": the role is the next name's
            tail = ft[m.end("role"):m.end("role") + 60]
            om = re.match(r",? (?:of|with|at|from|for) (?:the )?([^,.;]{2,50})", tail)
            lead = ft[run.end():m.start("role")]
            country = self.country_in(lead) or (self.country_in(om.group(1)) if om else None)
            add(run.start(), run.end(), name, country, m.group("role"), f"role '{m.group('role')}' after the name")
        for rx, what in ((self.said_after, "after"), (self.said_before, "before")):
            for m in rx.finditer(ft):
                name = self.clean_name(m.group("name"), 2, from_end=what == "after")
                if not name or headline(m.start()):
                    continue
                before = m.group("name")[:len(m.group("name")) - len(name)].split()
                titled = bool(before) and before[-1].rstrip(".") in OFFICE_WORDS  # "... Foreign Affairs Rashid al-Nuaimi said"
                if what == "after" and not titled and not _personal(ft, m.end()):
                    continue  # firms say things too: "Societe Generale said it would ..."
                if re.match(r"\s*(?:and|&) (?:Co|Company)\b|\s*(?:Inc|Corp|Ltd)\b|['’]s (?:shares|stock)", ft[m.end("name"):m.end("name") + 20]):
                    continue  # Sanford C. Bernstein and Co
                s = m.end("name") - len(name) if what == "after" else m.start("name")
                add(s, s + len(name), name, None, None,
                    f"attribution ('{'said' if what == 'after' else m.group(0).split()[0]}' {what} the name)")
        return found

    def _known(self, ft: str, learned: dict[str, Known] | None) -> list[tuple[int, int, Known]]:
        out = [(m.start(), m.end(), self.known[m.group(0)]) for m in self.known_re.finditer(ft)]
        if learned:
            cached = self._learned  # read once: another thread may replace it meanwhile
            if cached is None or cached[0] is not learned:
                cached = self._learned = (learned, learned_pattern(learned))
            rx = cached[1]
            taken = {(s, e) for s, e, _ in out}
            out += [(m.start(), m.end(), learned[m.group(0)]) for m in rx.finditer(ft)
                    if (m.start(), m.end()) not in taken]
        return out

    def _country_near(self, ft: str, start: int, role_end: int, of_text: str | None, role: str) -> str | None:
        inside = self.country_in(role)
        if inside:
            return inside
        before = self.country_before_role.search(ft[max(0, start - 40):start])
        if before:
            return self.country_in(before.group("country"))
        if of_text:
            return self.country_in(of_text)
        m = re.match(r",? (?:of|with|from) (?:the )?([^,.;]{2,50})", ft[role_end:role_end + 60])
        return self.country_in(m.group(1)) if m else None
