"""Sentences and their tone: the spans analysts read, the states each one names, and
whether it speaks of cooperation or tension."""

from __future__ import annotations

import re
from bisect import bisect_left

from sinoread.config import Config
from sinoread.extract.prefilter import pattern_gate
from sinoread.models import Mention, Sentence

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen adm col lt maj sgt capt prof rev jr sr no vs etc e.g i.e u.s u.n "
    "u.k jan feb mar apr jun jul aug sep sept oct nov dec inc co corp ltd dept".split()
)
_COUNT = {"two": 2, "both": 2, "three": 3, "four": 4}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
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


def tone_of(cfg: Config, fs: str) -> tuple[str, str]:
    """The tone a sentence's cues give, and why (a tension cue inside a cooperation cue does not count)."""
    coop = [(m.start(), m.end(), m.group(0)) for m in cfg.tone_cooperation.finditer(fs)]
    tens = [
        m.group(0) for m in cfg.tone_tension.finditer(fs)
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


def find_sentences(cfg: Config, ft: str, mentions: tuple[Mention, ...]) -> list[Sentence]:
    """Each sentence with its states, in order (an anaphora such as "the two countries"
    takes those of a sentence just before), and its tone where it names two."""
    out: list[Sentence] = []
    last_pair: list[tuple[int, tuple[str, ...]]] = []
    starts = [m.start for m in mentions]  # mentions come sorted by start
    # The anaphora pattern is tried only in sentences holding one of its literals.
    may_refer = pattern_gate(cfg.anaphora.pattern, cfg.anaphora.flags).open(ft)
    for s, e in split_sentences(ft):
        countries: list[str] = []
        for m in mentions[bisect_left(starts, s):bisect_left(starts, e)]:
            if m.end <= e and m.country and m.kind != "dateline" and m.country not in countries:
                countries.append(m.country)
        why = ""
        fs = ft[s:e]
        anaphora = cfg.anaphora.search(fs) if len(countries) < 2 and may_refer(s, e) else None
        if anaphora:
            fits = [prev for _, prev in reversed(last_pair[-5:]) if not countries or countries[0] in prev]
            size = next((_COUNT[w] for w in anaphora.group(0).lower().split() if w in _COUNT), None)
            # "the two presidents": of the recent sentences naming two states, the pair named
            # most often (the story's pair, not a passing one), the latest on a tie
            sized = [p for p in fits if len(p) == size]
            prev = max(sized, key=lambda p: sum(set(q) == set(p) for q in sized)) if sized else (fits[0] if fits else None)
            if prev:
                why = f"'{anaphora.group(0)}' refers to {' and '.join(prev)}; "
                countries = list(dict.fromkeys([*countries, *prev]))
        tone, tone_why = tone_of(cfg, fs) if len(countries) >= 2 else ("neutral", "fewer than two countries")
        sentence = Sentence(s, e, tuple(countries), tone, why + tone_why)
        if len(countries) >= 2:
            last_pair.append((len(out), tuple(countries)))
        out.append(sentence)
    return out
