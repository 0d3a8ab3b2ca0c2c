"""The role gates only skip places where the full role pattern cannot match; find_words finds
what the pattern it stands for finds."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest
import regex

from sinoread.config import load_config
from sinoread.extract.analysis import Extractor
from sinoread.extract.countries import _caseless
from sinoread.extract.lowered import every_character, lowered
from sinoread.extract.people import ROLE_REACH, PeopleFinder
from sinoread.extract.prefilter import PatternGate, pattern_gate, role_anchors
from sinoread.extract.spans import BOUND_L, BOUND_R
from sinoread.extract.trie import find_words, trie_pattern
from sinoread.ingest.fold import fold

TRICKY = [
    "Tony Blair, the Prime Minister of Britain, met Vice Premier Wu Yi and Mr. Brown.",
    "Talks with Minister of Foreign Trade Affairs , John Smith ended. Secretary of State for Defence, Geoff Hoon, spoke.",
    "Jane Doe, who was the Kremlin's acting  chief  negotiator, said; Jim Roe, a former US ambassador to the Philippines.",
    "Lt. Gen. Ray Odierno and Lt Col Tim Collins; Air Chief Marshal Sir Jock Stirrup; Rear Adm. Jo Bloggs.",
    "Paul Kagame, DİRECTOR of it, and Ann Lee, ſpokesman and \u212aING Abdullah; Tom Hanks, Under-Secretary of Health.",
    "Ed Balls, Economic Secretary to the Treasury, and Ruth Kelly, its education secretary, with John Prescott MP.",
    "Chief Executive Officer Bill Gates and Chairwoman Sue Lee; President-elect Bush; Director General Greg Dyke.",
    "Mrs Thatcher Mrs. Blair Ms Jowell Dr Rowan Williams Director-General Mark Thompson Consul General Li Ning.",
    "Andrew Marr,\npolitical editor Nick Robinson,\n deputy leader of the party Harriet Harman told reporters.",
    "Kofi Annan, UN Secretary-General, and his counterpart General Secretary Hu; chief economist Ruth Lea.",
    # As far as the lead reaches: eight spaces before the role, two inside it before "Director".
    "John Smith, who was the former acting long serving Xx Yy Director of it.",
    # Characters fold may keep, which (?i) reads as i, s and k.
    "Ann Lee, d\u0130rector; Bo Li, \u017fpokesman; Al Bu, \u212aing's chief.",
]
ROLES_EXTRA = (
    r"(?:[A-Z][a-z]+ ){0,2}Whip(?: of (?:the )?[A-Z][a-z]+)?",
    r"Lord (?:High )?Chancellor",
    r"head of (?:[a-z]+ ){0,2}research",
)


def _finder(roles: tuple[str, ...] | None = None) -> PeopleFinder:
    cfg = load_config()
    if roles is not None:
        cfg = dataclasses.replace(cfg, roles=roles)
    ex = Extractor(cfg)
    return ex.people


@pytest.mark.parametrize(
    "pattern, anchors",
    [
        ("President", [("President", 0, 0)]),
        ("Vice[ -]President", [("President", 1, 0)]),
        (r"(?:[A-Z][a-z]+ ){0,2}(?:Minister|Secretary)", [("Minister", 2, 0), ("Secretary", 2, 0)]),
        (r"Mr\.?", [("Mr", 0, 1)]),
        (r"Minister of (?:[A-Z][a-z]+ ){0,3}", [("Minister of ", 0, float("inf"))]),
        (r"(?:Chief|First) Minister", [(" Minister", 0, 0)]),
        (r"x?", None),  # may match nothing: no anchor
        (r"(?:Envoy){e<=1}", None),  # fuzzy matching in `regex`, literal braces in `re`
        (r"[[:alpha:]]+ General", None),
    ],
)
def test_role_anchors(pattern: str, anchors: list[tuple[str, float, float]] | None) -> None:
    found = role_anchors(pattern)
    assert (None if found is None else [(a.text, a.spaces_before, a.chars_after) for a in found]) == anchors


@pytest.mark.parametrize("roles", [None, load_config().roles + ROLES_EXTRA])
def test_gates_pass_every_place_the_role_patterns_match(roles: tuple[str, ...] | None) -> None:
    pf = _finder(roles)
    assert pf.gates.usable
    checked = 0
    for ft in [t for text in TRICKY for t in (text, fold(text))]:
        may_before, may_after = pf.gates.open(ft)
        for p in range(len(ft) + 1):
            if pf.role_after.match(ft, p):
                checked += 1
                assert may_after(p), (ft, p)
            if pf.role_before.search(ft, max(0, p - ROLE_REACH), p):
                checked += 1
                assert may_before(p), (ft, p)
    assert checked > 100


def test_an_anchor_hidden_inside_another_counts() -> None:
    """A scan finds "General Secretary" and not the "Secretary of " inside it, whose role
    ends far beyond it."""
    pf = _finder(("General Secretary", "Secretary of [A-Z][a-z]+"))
    ft = "General Secretary of Abcdefghij" + "klmnopqrst" * 11 + ", Hu Jintao"
    s = ft.index("Hu")
    assert pf.role_before.search(ft, max(0, s - ROLE_REACH), s)
    assert pf.gates.open(ft)[0](s)


def test_gates_skip_most_places() -> None:
    """Not a speed test: the gate must close somewhere, or it only costs."""
    pf = _finder()
    ft = fold("Alan Green said the plan, which Mary Jones backed, was dead in the water on Sunday.")
    may_before, may_after = pf.gates.open(ft)
    assert not may_after(ft.index(",")) and not may_before(ft.index("Mary"))


def test_unreadable_role_opens_the_gates() -> None:
    pf = _finder(load_config().roles + (r"(?:Envoy){e<=1}",))
    assert not pf.gates.usable
    may_before, may_after = pf.gates.open("anything")
    assert may_before(3) and may_after(3)


@pytest.mark.parametrize("seed", range(20))
def test_find_words_finds_what_the_trie_pattern_finds(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ["Xi", "Xi-Li", "Li", "O'Neil", "Neil", "al-Assad", "Assad", "Jr.", "_", "é", "Łi", " ", "-", "3", "\n", "'"]
    words = rng.sample(["Xi", "Xi-Li", "Li", "O'Neil", "Neil", "al-Assad", "Assad", "Jr.", "Łi"], 4)
    text = "".join(rng.choice(pieces) for _ in range(300))
    rx = re.compile(rf"{BOUND_L}(?:{trie_pattern(words)}){BOUND_R}")
    assert find_words(text, words) == [m.span() for m in rx.finditer(text)]


def test_anaphora_gate_passes_every_sentence_the_pattern_matches() -> None:
    cfg = load_config()
    gate = PatternGate(cfg.anaphora.pattern, cfg.anaphora.flags)
    assert gate.usable and gate.caseless
    text = ("Both Sides agreed. THE TWO COUNTRIES met. They said so. Trust each other, said the Leaders. "
            "Our three nations. The \u017fides. \u0130t was the two ne\u0130ghbours. The fourth sidestep.\n"
            "they\nthe sides; all four NSAs. Nobody else.")
    may = gate.open(text)
    assert _passes_every_match(cfg.anaphora, text, 40, may) > 100
    assert not may(text.index("Nobody"), len(text))


def _passes_every_match(pattern, text: str, reach: int, may) -> int:
    """Every span of `text` (up to `reach` long) the full pattern matches in, the gate lets
    through (`may(start, end)`); how many such spans there were."""
    checked = 0
    for s in range(len(text)):
        for e in range(s + 1, min(len(text), s + reach) + 1):
            if pattern.search(text[s:e]):
                checked += 1
                assert may(s, e), text[s:e]
    return checked


@pytest.mark.parametrize("seed", range(10))
def test_a_lowered_scan_finds_what_ignorecase_finds(seed: int) -> None:
    """Countries' case-insensitive lists scan the lowered copy instead."""
    rng = random.Random(seed)
    words = ["Kiss", "is it", "Sikh", "Midi-Pyrenees", "st. kitts", "Ik"]
    pieces = ["K", "k", "\u212a", "i", "I", "\u0130", "\u0131", "s", "S", "\u017f", "h", "Ss", " ", "-", ".", "t", "_", "é", "É", "MIDI"]
    text = "".join(rng.choice(pieces) for _ in range(400)) + " K\u0130SS \u212ai\u017fs S\u0131kh"
    expected = [m.span() for m in re.finditer(rf"{BOUND_L}(?i:{trie_pattern(words)}){BOUND_R}", text)]
    assert len(lowered(text)) == len(text)
    assert [m.span() for m in _caseless(words)(text)] == expected
    assert expected


def test_ignorecase_class_finds_every_letter_it_stands_for() -> None:
    """lowered's table looks for candidates with (?i)[a-z]: it must find each (?i)c's finds."""
    every = every_character()
    for engine, flags in ((re, 0), (regex, regex.VERSION0)):
        found = set(engine.findall("(?i)[a-z]", every, flags=flags))
        for c in "abcdefghijklmnopqrstuvwxyz":
            assert set(engine.findall(f"(?i){c}", every, flags=flags)) <= found


def test_boilerplate_start_gate_keeps_every_pattern_that_matches() -> None:
    from sinoread.ingest.cleaning import _start_gate

    cfg = load_config()
    gate = _start_gate(tuple(p.pattern for p in cfg.boilerplate))
    starts = ["Share this", "\u017fhare this", "SHARE ON FACEBOOK", "\u212aommentar schreiben", "Kommentar schreiben",
              "© 2020", "Copyright (c) BBC", "*****", "Related: x", "Tags: a", "\u0130", "Leave a reply", "",
              "Deja un comentario", "комментарии", "Комментарии", "发表评论", "Bình luận", "x.com contains copyrighted material",
              "All 12 articles can be read in 20 languages", "Read in 12 languages", "Nothing here"]
    checked = 0
    for text in starts:
        could = set(gate.candidates(text))
        for i, p in enumerate(cfg.boilerplate):
            if p.match(text):
                checked += 1
                assert i in could, (text, p.pattern)
    assert checked >= 15 and gate.candidates("Quiet") == gate.always  # no pattern starts with q


def test_status_gate_passes_every_sentence_a_cue_matches() -> None:
    """Agreements look for a status cue only in sentences holding one of the cues' literal words."""
    cfg = load_config()
    gate = pattern_gate(cfg.any_status.pattern, cfg.any_status.flags)
    assert gate.usable and gate.caseless
    text = ("They AGREED to co-operate. Moscow SIGNED a pact. Talks with Japan. The \u017figning. "
            "Hanoi will Supply frigates. Both sides held a summit meeting. Joint drills are regular. "
            "Viet Nam appreciated Japan's provision of aid. He denied access. The weather was fine.")
    assert _passes_every_match(cfg.any_status, text, 30, lambda s, e: gate.may_match(text[s:e])) > 100
    assert not gate.may_match("The weather was fine.")
