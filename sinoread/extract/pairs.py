"""Pairs of states in an article: the sentences that name both, their tone and agreements."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from sinoread.config import Config
from sinoread.models import Agreement, PairSummary, Sentence


def summarise_pairs(cfg: Config, sentences: list[Sentence], agreements: list[Agreement]) -> tuple[PairSummary, ...]:
    """One summary per pair of unrelated states named in a sentence, in order of the pair."""
    by_pair: dict[tuple[str, str], list[int]] = {}
    related = cfg.related
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
