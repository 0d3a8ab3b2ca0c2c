"""Agreements: a sentence with a status cue ("signed", "pledged") that binds two states as
parties, not as venues or targets, and no firms alone."""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import combinations

from sinoread.config import Config
from sinoread.extract.prefilter import pattern_gate
from sinoread.extract.sentences import tone_of
from sinoread.ingest.dates import sentence_date
from sinoread.models import Agreement, Mention, Sentence

_NEGATED = re.compile(
    r"\b(?:not|n['’]t|never|no|nor|without|failed to|refused to|unable to|yet to)\b(?:\s+[\w-]+){0,2}\s*$", re.IGNORECASE
)
_DENIED = re.compile(r"\bden(?:ied|ies|y|ying)\b(?:\s+[\w-]+){0,4}\s*$", re.IGNORECASE)
"""'denied reports that it had cancelled': the denial negates the cue."""
_MODAL = re.compile(r"\b(?:could|might|may|would|hopes? to|hoping to|wants? to|seeks? to|if)\b(?:\s+[\w-]+){0,2}\s*$",
                    re.IGNORECASE)
_ASIDE = re.compile(
    r"\b(?:in|at|near|towards?|over|across|throughout|around|inside|outside|threats? from|attacks? (?:on|by))(?: the)?(?:[ ,]+(?:and |or )?[A-Z][\w'’.-]*)*[ ,]+(?:and |or )?$"
)
"""Words before a country that make it a venue or a place in a list, not a party (targets
and concerns: `_CLAUSE_BLOCK`)."""
_COMPANY = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Plc|AG|S\.?A|N\.?V|GmbH)\b\.?|\b(?:company|companies|firms?|corporation|"
    r"businessmen|businesses|suppliers|exporters|importers|traders|trading houses?|car ?makers?|manufacturers?|"
    r"private sector|investors|airlines?|airways|bidders?|foundation|(?<!central )(?<!World )banks?(?! of))\b"
)
_PURPOSE = re.compile(r"\b(?:aimed at|aims? to|to help|to allow|to enable|so that|in order to)\b")
_STATE_ACTOR = re.compile(
    r"\b(?:government|governments|ministry|ministries|minister|president|premier|prime minister|king|officials|"
    r"state(?!-owned)|states|countries|nations|navy|army|military|armed forces|coast guard|embassy|ambassador|authorities|"
    r"parliament|treaty|accord|protocol|memorandum|bilateral|central bank|Paris Club|the two sides|both sides|"
    r"both countries|leaders)\b",
    re.IGNORECASE,
)
_BACK_REFERENCE = re.compile(
    r"(?:\b(?:[Tt]he|[Tt]his|[Tt]hat|[Aa]|[Tt]oday's|[Ll]ast (?:week|month|year)'s) (?:[\w-]+ ){0,2}|^)"
    r"(?:agreement|deal|accord|treaty|pact|protocol|memorandum|[Tt]alks|[Nn]egotiations|contract)\b"
)
"""A sentence about "the agreement" with fewer than two states speaks of the one before it."""
_BETWEEN = re.compile(r"\b(?:agreements?|accords?|deals?|treaty|pact|talks|negotiations|co-?operation|contracts?) between ",
                      re.IGNORECASE)
_LIST_GAP = re.compile(r"(?:\s|,|and\b|the\b|[Tt]he\b)*")
_TOPIC = re.compile(r"(?:[-–/] ?[A-Z][\w'’.-]*)*(?:['’]s)? (?:war|conflict|dispute|crisis|fighting|hostilities|border clash(?:es)?)\b")
"""A state that names a conflict ("the Iran-Iraq war") is its topic, not a party."""
_CLAUSE_BLOCK = re.compile(
    r"\b(?:despite|amid|against|to (?:counter|deter|contain)|aimed at|targeting|concerns? (?:about|over)|"
    r"worries (?:about|over)|objections? (?:from|by)|brokered by|mediated by|hosted by|invitation of|auspices of|"
    r"(?:intelligence|information|data) (?:on|about))\b",
    re.IGNORECASE,
)
_GOVERNED = re.compile(r"\b([A-Za-z]+)\s+(?:(?:the|a|an|its|their|his|her)\s+)?$")
"""The word governing a state named after the cue: "to (the) Vietnam", "on North Korea"."""
_OF_PARTNERS = re.compile(
    r"\b(?:ministers?|leaders?|governments?|representatives?|delegations?|officials?|envoys?|alliance|coalition|"
    r"presidents?|heads of (?:state|government)|members?|navies|forces|militaries|armies|countries|nations|states) "
    r"of (?:the )?$",
    re.IGNORECASE,
)
"""'the prime ministers of Bulgaria, Albania and Macedonia': their states act."""
_NOT_PARTNER = frozenset(
    "on about of in at over near against toward towards around into regarding concerning than like including "
    "across throughout inside outside within off".split()
)
_ALL_OF_THEM = re.compile(
    r"\b(?:[Bb]oth|[Tt]he (?:two|three|four)|[Aa]ll (?:three|four)) (?:sides|countries|states|nations|governments|leaders)\b"
)
"""The sentence says every state it names takes part, even one named as a place."""
_JOINT_TITLE = re.compile(r"\b(?:joint (?:statement|declaration|communiqu\w*|press statement)|readout)\b", re.IGNORECASE)
_JOINT_VOICE = re.compile(r"\b(?:[Ww]e|[Oo]ur (?:two|three) (?:countries|nations)|[Tt]he [Ll]eaders|[Bb]oth (?:sides|leaders))\b")


def find_agreements(
    cfg: Config, text: str, ft: str, sentences: list[Sentence], mentions: tuple[Mention, ...],
    article_date: str | None,
) -> list[Agreement]:
    """Each sentence that records an agreement between states, with its status, kind,
    parties and date, and why."""
    out = []
    starts = [m.start for m in mentions]
    joint = _joint_statement(ft, mentions)
    headline = ft.find("\n")
    cue_gate = pattern_gate(cfg.any_status.pattern, cfg.any_status.flags)
    for i, sent in enumerate(sentences):
        fs = ft[sent.start:sent.end]
        if not sent.countries and not joint and not (out and _BACK_REFERENCE.search(fs)):
            continue  # an agreement binds countries (named, or those of "the agreement" before)
        if i == 0 and 0 < headline <= sent.end and not fs.rstrip().endswith("."):
            continue  # the headline restates the story's agreement; the body records it
        if not cue_gate.may_match(fs) or not cfg.any_status.search(fs):
            continue  # no cue at all: the cues' literal words first, then one search for all
        status = cue = None
        for st in cfg.statuses:
            m = st.pattern.search(fs)
            while m is not None and (not m.group(0) or _NEGATED.search(fs, max(0, m.start() - 40), m.start())
                                     or _DENIED.search(fs, max(0, m.start() - 50), m.start())):
                m = st.pattern.search(fs, max(m.end(), m.start() + 1))
            if m is not None:
                status, cue = st.label, m
                break
        if status is None or cue is None:
            continue  # no cue, or only negated ones: "have not signed any contracts"
        if status in ("signed", "pledged", "delivered") and _MODAL.search(fs[max(0, cue.start() - 30):cue.start()]):
            status = "discussed"  # "could reach agreement" is talk, not a pledge
        kind = "diplomatic"
        kind_cue = ""
        for k in cfg.kinds:
            km = k.pattern.search(fs)
            if km and km.group(0):
                kind, kind_cue = k.label, km.group(0)
                break
        inside = mentions[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
        parties, why_parties = _parties(cfg, fs, sent, inside, cue.start(), cue.end())
        if len(parties) < 2 and kind == "basing" and len(sent.countries) >= 2:
            # "received the right to use the base near Cam Ranh": the place is the host, a party
            parties, why_parties = list(sent.countries), "; the base's host is a party"
        voice = _JOINT_VOICE.search(fs) if joint else None
        if len(parties) < 2 and joint and (voice or set(sent.countries) <= set(joint)):
            # a joint statement speaks for the states of its header, whoever the sentence names
            parties = list(dict.fromkeys([*joint, *parties]))
            speaker = f"'{voice.group(0)}'" if voice else "a sentence"
            why_parties = f"; {speaker} in a joint statement of {' and '.join(joint)}"
        back = _BACK_REFERENCE.search(fs) if len(parties) < 2 and out else None
        if back and set(parties) <= set(out[-1].parties) and (kind_cue or not back.start() <= cue.start() < back.end()):
            # "The agreement was signed by ...": the agreement the article spoke of last; its
            # name alone with no kind ("The protocol ... has been stalled") records nothing new
            why_parties = f"; '{back.group(0)}' refers to the agreement before"
            parties = list(out[-1].parties)
        if len(parties) == 1:
            # "Li also pledged to deepen cooperation": a leader of one party, the other
            # party named in the sentences just before.
            people = [m for m in inside if m.kind == "person" and m.country == parties[0]]
            if people and (kind_cue or cfg.tone_cooperation.search(fs)):
                for prev in reversed(sentences[max(0, i - 3):i]):
                    if len(prev.countries) >= 2 and parties[0] in prev.countries:
                        parties = list(prev.countries)
                        why_parties = f"; {people[0].name} speaks for {parties[0]}, partner from the sentence before"
                        break
        if len(parties) < 2 or all(cfg.related(a, b) for a, b in combinations(parties, 2)):
            continue
        if _firms_deal(fs, cue.start(), cue.end()):
            continue  # a firm's deal, even with a government agency, binds no states
        if _tense(cfg, fs, sent, status, kind_cue, cue.end()) or not (kind_cue or cfg.tone_cooperation.search(fs)):
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


def _tense(cfg: Config, fs: str, sent: Sentence, status: str, kind_cue: str, cue_end: int) -> bool:
    """The sentence speaks of tension rather than of the deal. A deal signed or delivered
    with a kind survives the dispute around it ("The gas deal was sealed after a dispute"),
    and a threat inside a clause after the cue ("bought despite the threat of U.S.
    sanctions") leaves the deal's own words to decide."""
    if status in ("signed", "delivered") and kind_cue:
        return False
    aside = _CLAUSE_BLOCK.search(fs, cue_end)
    own = fs[:aside.start()] if aside else fs
    tone = tone_of(cfg, own)[0] if aside or len(sent.countries) < 2 else sent.tone
    return tone == "tension" or (tone == "neutral" and bool(cfg.tone_tension.search(own)))


def _firms_deal(fs: str, cue_start: int, cue_end: int) -> bool:
    """Firms sign it ("Indian and Australian businessmen signed"), or it is made with a firm
    and no state acts; firms it is meant to help ("aimed at ... firms' access") do not count."""
    subject = fs[max(0, cue_start - 80):cue_start]
    if _COMPANY.search(subject) and not _STATE_ACTOR.search(subject):
        return True
    firm = _COMPANY.search(fs, cue_end)
    return bool(firm and not _PURPOSE.search(fs, cue_end, firm.start()) and not _STATE_ACTOR.search(fs))


def _parties(cfg: Config, fs: str, sent: Sentence, inside: tuple[Mention, ...], cue_start: int,
             cue_end: int) -> tuple[list[str], str]:
    """The states that agree: not a venue ("talks in Paris"), a target ("aimed at Iran"),
    a list of places ("terrorism in Iraq, Syria and Yemen"), a topic ("intelligence on
    North Korea's launches"), a broker or host, or a state named in a concern."""
    own = {m.country for m in inside if m.country and m.kind != "dateline"}
    if _ALL_OF_THEM.search(fs) or (len(own) < 2 and len(sent.countries) >= 2 and cfg.anaphora.search(fs)):
        # "a deal between the two countries", "They look forward to the talks in Washington":
        # every state the sentence speaks of agrees, wherever it is named
        return list(sent.countries), ""
    named = _named_between(fs, sent.start, inside)
    if len(named) >= 2:
        dropped = [c for c in sent.countries if c not in named]
        return named, (f"; parties named after 'between', not {', '.join(dropped)}" if dropped else "")
    acting: set[str] = set()
    aside: set[str] = set()
    last: tuple[int, bool] | None = None  # where the mention before ended, and whether it was aside
    for m in inside:
        if not m.country or m.kind == "dateline":
            continue
        at = m.start - sent.start
        before = fs[:at]
        demonym = m.why.endswith("(demonym)")
        adjective = demonym or (m.why.endswith("(abbreviation)") and not before.endswith("the "))  # "U.S. car parts"
        if last is not None and at > cue_start and _LIST_GAP.fullmatch(fs, last[0], at):
            # "in countries including Vietnam, Sudan and Russia": as the first of the list (after the
            # cue only: before it, "Despite objections from China, India and Vietnam signed")
            off = last[1]
        else:
            off = bool((_ASIDE.search(before) and not demonym) or _TOPIC.match(fs, m.end - sent.start)
                       or _off_the_deal(fs, at, cue_start, cue_end, adjective))
        last = (m.end - sent.start, off)
        if off:
            aside.add(m.country)
        elif m.kind != "person" or m.country not in acting:
            acting.add(m.country)
    parties = [c for c in sent.countries if c in acting or c not in aside]
    # A part of a party is not another party (Macau beside China); a state beside its
    # predecessor is the predecessor in a story of its time (German beside West Germany).
    whole = set(parties)
    parties = [c for c in parties if not (
        cfg.states.get(c) and (cfg.states[c].part_of in whole
                               or any(c in cfg.states[h].successors for h in whole if h in cfg.states))
    )]
    dropped = [c for c in sent.countries if c not in parties]
    return parties, (f"; not parties (venue, target, topic, broker or list of places): {', '.join(dropped)}"
                     if dropped else "")


def _off_the_deal(fs: str, at: int, cue_start: int, cue_end: int, adjective: bool) -> bool:
    """A state the words around it keep off the deal: a clause of concern, brokering or
    target ("despite objections from China", "brokered by China", "amid concerns about
    China"), or, after the cue, a preposition that is not a partner's ("intelligence on
    North Korea", not "with", "to", "from", "for" or "between")."""
    if at < cue_start:
        clause = fs[fs.rfind(",", 0, at) + 1:at]
        return bool(_CLAUSE_BLOCK.search(clause))
    gap = fs[cue_end:at]
    if _CLAUSE_BLOCK.search(gap):
        return True
    governed = _GOVERNED.search(gap)
    if governed is None or adjective or _OF_PARTNERS.search(gap):
        return False
    word = governed.group(1).lower()
    return word in _NOT_PARTNER or (word == "by" and governed.start() > 1)  # "signed by" yes, "hosted by" no


def _named_between(fs: str, offset: int, inside: tuple[Mention, ...]) -> list[str]:
    """The states of "an agreement between Egypt and Israel" (whoever describes it)."""
    found = _BETWEEN.search(fs)
    if found is None:
        return []
    named: list[str] = []
    at = found.end()
    for m in inside:
        s = m.start - offset
        if s < at:
            continue
        if not m.country or m.kind == "dateline" or not _LIST_GAP.fullmatch(fs, at, s):
            break
        if m.country not in named:
            named.append(m.country)
        at = m.end - offset
    return named


def _joint_statement(ft: str, mentions: tuple[Mention, ...]) -> list[str]:
    """A joint statement's header names its states: its "we" and "the Leaders" are them."""
    head_end = ft.find("\n")
    head = ft[:head_end if head_end > 0 else 300]
    if not _JOINT_TITLE.search(head):
        return []
    return list(dict.fromkeys(
        m.country for m in mentions if m.start < len(head) and m.country and m.kind != "dateline"
    ))
