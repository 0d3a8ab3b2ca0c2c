"""Where a config pattern cannot match: literal anchors read from its syntax tree.

The role alternation (a hundred and more config patterns) is tried after every name run and
before every name start, and fails at nearly all of them. Every match of a role contains one
of a few literals ("Minister", "Secretary", "spokesman"), at a bounded distance from the
role's start or end; one scan of the article for those literals then tells where the
alternation may succeed, and elsewhere it is not run. The test is exact by construction: it
only skips places where no match can exist. A pattern whose tree we cannot read (syntax the
`regex` module has and `re` reads otherwise) gets no anchors, and then nothing is skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as _c  # type: ignore[attr-defined]  # the tree `re` itself reads:
from re import _parser as _p  # type: ignore[attr-defined]  # Python has no public parser
from typing import Any

import regex

from sinoread.extract.lowered import lowered, lowered_char
from sinoread.extract.lowered import usable as lowering_usable
from sinoread.extract.trie import trie_pattern

_UNBOUNDED = float("inf")
_NO_SPACE_CATEGORIES = {_c.CATEGORY_WORD, _c.CATEGORY_DIGIT, _c.CATEGORY_NOT_SPACE}
_REGEX_ONLY = re.compile(r"\{(?!\d*,?\d*\})|\[:|\\[pPLGmMX]|\(\?[|(&>]|\(\?[a-zA-Z]*[rwfbeV]")
"""Syntax the `regex` module reads differently from `re`'s parser (fuzzy counts, POSIX
classes, properties, named lists, branch reset, its own flags): such a pattern gets no anchors."""


@dataclass(frozen=True)
class Anchor:
    """A literal that every match of some role contains."""

    text: str
    """The literal, as the pattern writes it."""
    spaces_before: float
    """At most this many spaces between the role's start and the literal's start."""
    chars_after: float
    """At most this many characters between the literal's end and the role's end."""


def _parsed(pattern: str) -> Any:
    """`re`'s syntax tree of a config pattern, or None when `re` cannot read it as `regex` does."""
    if _REGEX_ONLY.search(pattern):
        return None
    try:
        return _p.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


def role_anchors(pattern: str) -> list[Anchor] | None:
    """Literals one of which every match of `pattern` contains, or None when none can be
    proven (then the pattern must be tried everywhere)."""
    tree = _parsed(pattern)
    if tree is None or tree.state.flags & (re.IGNORECASE | re.VERBOSE | re.DOTALL):
        return None
    return _required(list(tree.data))


def _units(items: list) -> list:
    """Runs of literal characters joined into strings; other items kept as they are."""
    out: list = []
    for op, av in items:
        if op is _c.LITERAL and out and isinstance(out[-1], str):
            out[-1] += chr(av)
        elif op is _c.LITERAL:
            out.append(chr(av))
        else:
            out.append((op, av))
    return out


def _required(items: list) -> list[Anchor] | None:
    units = _units(items)
    best: list[Anchor] | None = None
    for k, unit in enumerate(units):
        found = _unit_anchors(unit)
        if not found:
            continue
        before = sum(_spaces(u) for u in units[:k])
        after = sum(_width(u) for u in units[k + 1:])
        found = [Anchor(a.text, a.spaces_before + before, a.chars_after + after) for a in found]
        if best is None or min(len(a.text) for a in found) > min(len(a.text) for a in best):
            best = found
    return best


def _unit_anchors(unit) -> list[Anchor] | None:
    if isinstance(unit, str):
        return [Anchor(unit, 0, 0)]
    op, av = unit
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _required(list(sub.data))
    if op is _c.BRANCH:
        alts = [_required(list(alt.data)) for alt in av[1]]
        if any(not a for a in alts):
            return None
        return [a for alt in alts for a in alt]  # type: ignore[union-attr]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        lo, hi, sub = av
        inner = _required(list(sub.data))
        if not inner:
            return None
        more = (hi - 1) * _width((op, (1, 1, sub))) if hi < _c.MAXREPEAT else _UNBOUNDED
        return [Anchor(a.text, a.spaces_before, a.chars_after + more) for a in inner]
    return None


def _width(unit) -> float:
    """The most characters `unit` can match."""
    if isinstance(unit, str):
        return len(unit)
    try:
        hi = _p.SubPattern(_p.State(), [unit]).getwidth()[1]
    except (KeyError, IndexError, TypeError):  # a group reference: its width is not ours to read
        return _UNBOUNDED
    return _UNBOUNDED if hi >= _c.MAXREPEAT else hi


def _spaces(unit) -> float:
    """The most spaces `unit` can match."""
    if isinstance(unit, str):
        return unit.count(" ")
    op, av = unit
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return 0
    if op is _c.LITERAL:
        return int(av == 32)
    if op is _c.NOT_LITERAL:
        return int(av != 32)
    if op is _c.IN:
        return int(any(_set_has_space(o, a) for o, a in av))
    if op is _c.SUBPATTERN:
        return sum(_spaces(u) for u in _units(list(av[3].data)))
    if op is _c.BRANCH:
        return max(sum(_spaces(u) for u in _units(list(alt.data))) for alt in av[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        each = sum(_spaces(u) for u in _units(list(sub.data)))
        if each == 0:
            return 0
        return _UNBOUNDED if hi >= _c.MAXREPEAT else hi * each
    return _UNBOUNDED  # anything else (ANY, group references...): assume the worst


def _set_has_space(op, av) -> bool:
    if op is _c.LITERAL:
        return av == 32
    if op is _c.RANGE:
        return av[0] <= 32 <= av[1]
    if op is _c.CATEGORY:
        return av not in _NO_SPACE_CATEGORIES
    return True  # NEGATE and the rest: assume it may


def pattern_spaces(pattern: str) -> float:
    """The most spaces a match of `pattern` (our own syntax, read by `re`) can hold."""
    return sum(_spaces(u) for u in _units(list(_p.parse(pattern).data)))


def pattern_width(pattern: str) -> tuple[int, float]:
    """The fewest and most characters a match of `pattern` can hold."""
    lo, hi = _p.parse(pattern).getwidth()
    return lo, (_UNBOUNDED if hi >= _c.MAXREPEAT else hi)


def _bounds(anchors: list[tuple[str, float]]) -> dict[str, float]:
    """Per anchor text, the largest bound of any anchor that may start inside an occurrence of
    it: a scan reports occurrences without overlaps, so one may hide another that starts
    within it ("Vice Premier" hides "Premier")."""
    out: dict[str, float] = {}
    for text, _ in anchors:
        out[text] = max(b for a, b in anchors
                        if any(text[i:].startswith(a) or a.startswith(text[i:]) for i in range(len(text))))
    return out


class _Scan:
    """One scan for some anchors; each occurrence put in the group of its bound, per gate."""

    def __init__(self, anchors: list[tuple[str, float, float]]) -> None:
        self.rx = re.compile(trie_pattern(a for a, _, _ in anchors))
        self.after = _bounds([(a, b) for a, b, _ in anchors])
        self.before = _bounds([(a, b) for a, _, b in anchors])

    def groups(self, text: str) -> tuple[dict[float, tuple[list[int], list[int]]], ...]:
        """Per gate, per bound, the starts and ends of the occurrences (sorted, no overlaps)."""
        after: dict[float, tuple[list[int], list[int]]] = {}
        before: dict[float, tuple[list[int], list[int]]] = {}
        for m in self.rx.finditer(text):
            s, e, t = m.start(), m.end(), m.group(0)
            for out, bound in ((after, self.after[t]), (before, self.before[t])):
                starts, ends = out.setdefault(bound, ([], []))
                starts.append(s)
                ends.append(e)
        return after, before


def _near(starts: list[int], ends: list[int], lo: int, hi: int) -> bool:
    """Whether an occurrence may hide an anchor starting in [lo, hi]: one ends after lo and
    starts at or before hi."""
    i = bisect_right(ends, lo)
    return i < len(starts) and starts[i] <= hi


class RoleGates:
    """Where the role patterns around a name may match: `after` is `after_lead` then a role
    (titled ones as written, `lower` ones in any case) matched at a name's end; `before` is a
    role then `before_tail` searched backwards from a name's start within `reach`."""

    def __init__(self, titled: list[str], lower: list[str], after_lead: str, before_tail: str, reach: int) -> None:
        found = {r: role_anchors(r) for r in titled + lower}
        self.usable = all(found.values()) and lowering_usable([a.text for r in lower for a in found[r] or ()])
        if not self.usable:
            return
        self.lead_spaces = pattern_spaces(after_lead)
        self.tail = pattern_width(before_tail)
        self.reach = reach
        written = [a for r in titled + lower for a in found[r] or ()]
        self.lengths = min(len(a.text) for a in written), max(len(a.text) for a in written)
        # Titled anchors as written; lower-case ones in any case, which also serves the role
        # before a name (there matched as written: what it finds is a superset).
        self.cased = _Scan([(a.text, a.spaces_before, a.chars_after) for r in titled for a in found[r] or ()])
        self.caseless = _Scan([(a.text.lower(), a.spaces_before, a.chars_after) for r in lower for a in found[r] or ()])

    def open(self, ft: str) -> tuple[Callable[[int], bool], Callable[[int], bool]]:
        """For one article: may a role match before a name starting here, after one ending here?"""
        if not self.usable:
            return (lambda s: True), (lambda p: True)
        cased_after, cased_before = self.cased.groups(ft)
        caseless_after, caseless_before = self.caseless.groups(lowered(ft))
        after = [*cased_after.items(), *caseless_after.items()]
        before = [*cased_before.items(), *caseless_before.items()]
        (tmin, tmax), (lo, hi) = self.tail, self.lengths

        def may_after(p: int) -> bool:
            for bound, (starts, ends) in after:
                # The first occurrence ending after p, if the match can reach it: the match
                # holds at most lead_spaces + bound spaces before the anchor starts.
                i = bisect_right(ends, p)
                if i < len(starts) and (bound == _UNBOUNDED or ft.count(" ", p, starts[i]) <= self.lead_spaces + bound):
                    return True
            return False

        def may_before(s: int) -> bool:
            w0 = max(0, s - self.reach)
            for bound, (starts, ends) in before:
                # The role ends between s - tmax and s - tmin, its anchor at most `bound` earlier.
                low = w0 if bound + tmax == _UNBOUNDED else max(w0, s - int(tmax + bound) - hi)
                if _near(starts, ends, low, s - tmin - lo):
                    return True
            return False

        return may_before, may_after


class PatternGate:
    """Where a whole config pattern may match: near its anchors' occurrences, as for roles.
    Only `regex`'s IGNORECASE (and the flags every pattern has) is understood; with any
    other flag the gate stays open."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.caseless = bool(flags & regex.IGNORECASE)
        anchors = role_anchors(pattern) if not flags & ~(regex.IGNORECASE | regex.VERSION0 | regex.UNICODE) else None
        self.usable = bool(anchors) and (not self.caseless or lowering_usable([a.text for a in anchors or ()]))
        if self.usable:
            texts = [a.text.lower() if self.caseless else a.text for a in anchors or ()]
            self.rx = re.compile(trie_pattern(texts))

    def may_match(self, text: str) -> bool:
        """May the pattern match in this short text (a sentence)? One search of the anchors."""
        return not self.usable or self.rx.search(lowered(text) if self.caseless else text) is not None

    def open(self, text: str) -> Callable[[int, int], bool]:
        """For one text: may the pattern match inside text[s:e]?"""
        if not self.usable:
            return lambda s, e: True
        if self.caseless:
            text = lowered(text)
        starts, ends = [], []
        for m in self.rx.finditer(text):
            starts.append(m.start())
            ends.append(m.end())
        return lambda s, e: _near(starts, ends, s, e - 1)


@lru_cache(maxsize=16)
def pattern_gate(pattern: str, flags: int) -> PatternGate:
    """One gate per config pattern, built once per process."""
    return PatternGate(pattern, flags)


def first_characters(pattern: str) -> set[str] | None:
    """The characters a match of `pattern` can begin with, as written (None: any, or unknown)."""
    tree = _parsed(pattern)
    return None if tree is None or tree.state.flags & re.VERBOSE else _first(list(tree.data))


def _first(items: list) -> set[str] | None:
    if not items or _p.SubPattern(_p.State(), items[:1]).getwidth()[0] == 0:
        return None  # the first item may match nothing (or is an assertion): the next decides
    op, av = items[0]
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.SUBPATTERN and not (av[1] or av[2]):
        return _first(list(av[3].data))
    if op is _c.BRANCH:
        alts = [_first(list(alt.data)) for alt in av[1]]
        return None if any(a is None for a in alts) else set().union(*alts)  # type: ignore[arg-type]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _first(list(av[2].data))
    return None


class StartGate:
    """Which of some case-insensitive patterns (`regex`, IGNORECASE) can match at a text's
    first character: those whose first character, lowered as `lowered` does, is the text's,
    and those whose first character is not an ASCII one or not known. Matching at the start
    needs the first character to match: the others are not tried."""

    def __init__(self, patterns: list[str]) -> None:
        self.always: list[int] = []
        self.by_first: dict[str, list[int]] = {}
        for i, p in enumerate(patterns):
            firsts = first_characters(p)
            if firsts is None or not lowering_usable(sorted(firsts)):
                self.always.append(i)
            else:
                for c in {f.lower() for f in firsts}:
                    self.by_first.setdefault(c, []).append(i)

    def candidates(self, text: str) -> list[int]:
        """The indexes of the patterns that may match at the start of `text`, in order."""
        return sorted(self.always + self.by_first.get(lowered_char(text[:1]), []))
