"""Extraction on the seeds and on small texts: actors, countries, agreements, pairs, spans."""

from __future__ import annotations

import pytest

from sinoread.extract.analysis import analyse
from sinoread.ingest.corpus import load_corpus
from tests.helpers import SEEDS


@pytest.fixture(scope="module")
def seeds(cfg):
    articles, _ = load_corpus(SEEDS, cfg)
    return {a.id[:3]: (a, analyse(a.text, cfg, a.date)) for a in articles}


def people(analysis):
    return {m.name: (m.role, m.country) for m in analysis.mentions if m.kind == "person"}


def orgs(analysis):
    return {m.name for m in analysis.mentions if m.kind == "organization"}


@pytest.mark.parametrize(
    "sid, expected",
    [
        ("000", {"Tran Thanh Nghiem": ("Rear Admiral", "Vietnam"), "Shen Jinlong": ("Admiral", "China"),
                 "Xi Jinping": ("President", "China"), "Nguyen Xuan Phuc": ("President", "Vietnam"),
                 "Le Hong Hiep": ("senior fellow", "Vietnam"), "Joe Biden": ("President", "United States")}),
        ("001", {"Dong Jun": ("Defence Minister", "China"), "Phan Van Giang": ("Defence Minister", "Vietnam"),
                 "To Lam": ("General-Secretary", "Vietnam"), "Xi Jinping": ("President", "China"),
                 "Li Qiang": ("Premier", "China")}),
        ("002", {"Gu Xiaosong": ("dean", "China")}),
        ("003", {"Tran Dai Quang": ("President", "Vietnam"), "Vladimir Putin": ("President", "Russia"),
                 "Sergei Shoigu": ("Defence Minister", "Russia"), "Ngo Xuan Lich": ("Defence Minister", "Vietnam")}),
        ("004", {"Nguyen Phu Trong": ("General-Secretary", "Vietnam"), "Shinzo Abe": ("Prime Minister", "Japan"),
                 "Arup Raha": ("Air Chief Marshal", "India")}),
    ],
)
def test_seed_people(seeds, sid, expected):
    found = people(seeds[sid][1])
    for name, (role, country) in expected.items():
        assert name in found, f"{name} missing from {sorted(found)}"
        assert found[name][1] == country, name
        assert found[name][0] == role, name


@pytest.mark.parametrize(
    "sid, not_people",
    [("000", {"South China", "Chinese", "President", "Global Research"}),
     ("001", {"Tuesday", "Monday", "Belt", "Road Initiative"}),
     ("004", {"Picture", "EPA", "Asia Pacific"})],
)
def test_seed_no_false_people(seeds, sid, not_people):
    assert not_people.isdisjoint(people(seeds[sid][1]))


@pytest.mark.parametrize(
    "sid, expected",
    [
        ("000", {"Vietnam Navy", "China Navy", "ISEAS-Yusof Ishak Institute", "United Nations", "South China Morning Post"}),
        ("001", {"Xinhua", "China Foreign Ministry", "United Nations", "ASEAN", "Lancang-Mekong Cooperation"}),
        ("002", {"China Coast Guard", "Vietnam Coast Guard", "Vietnam Defense Ministry",
                 "ASEAN Research Institute of Hainan Tropical Ocean University"}),
        ("003", {"Vietnam Air Force", "Vietnam Navy", "Russia Pacific Fleet", "UN Charter", "ASEAN"}),
        ("004", {"Vietnam Communist Party", "EPA"}),
    ],
)
def test_seed_organizations(seeds, sid, expected):
    assert expected <= orgs(seeds[sid][1])


@pytest.mark.parametrize(
    "sid, top",
    [("000", ["China", "Vietnam"]), ("001", ["China", "Vietnam"]), ("002", ["China", "Vietnam"]),
     ("003", ["Vietnam", "Russia"]), ("004", ["Vietnam", "Japan"])],
)
def test_seed_main_countries(seeds, sid, top):
    assert list(seeds[sid][1].countries())[:2] == top


AGREEMENTS = [
    # (seed, words in the sentence, kind, status, parties)
    ("000", "agreed to establish a hotline", "hotline", "pledged", {"China", "Vietnam"}),
    ("000", "exchange of information between the two navies", "information-sharing", "pledged", {"China", "Vietnam"}),
    ("000", "joint maritime patrol system", "patrol", "planned", {"China", "Vietnam"}),
    ("000", "pledged to increase bilateral cooperation", "diplomatic", "pledged", {"China", "Vietnam"}),
    ("001", "Li also pledged to deepen cooperation", "military", "pledged", {"China", "Vietnam"}),
    ("002", "Both sides committed too strengthening joint efforts", "law-enforcement", "pledged", {"China", "Vietnam"}),
    ("002", "agreed to enhance data exchange", "information-sharing", "pledged", {"China", "Vietnam"}),
    ("002", "have engaged in regular information sharing", "information-sharing", "ongoing", {"China", "Vietnam"}),
    ("003", "20 investment contracts being signed", "investment", "signed", {"Russia", "Vietnam"}),
    ("003", "made an order for the purchase of 64 Russian tanks", "arms", "signed", {"Russia", "Vietnam"}),
    ("003", "In November 2014, the two countries signed an agreement", "basing", "signed", {"Russia", "Vietnam"}),
    ("003", "has already been drafted for the years 2018-2020", "military", "planned", {"Russia", "Vietnam"}),
    ("003", "sides discussed various issues of cooperation", "military", "discussed", {"Russia", "Vietnam"}),
    ("004", "taken delivery of the first of six patrol vessels", "arms", "delivered", {"Japan", "Vietnam"}),
    ("004", "expected to offer further economic aid", "aid", "planned", {"Japan", "Vietnam"}),
    ("004", "discussed enhanced military cooperation", "military", "discussed", {"India", "Vietnam"}),
]


@pytest.mark.parametrize("sid, words, kind, status, parties", AGREEMENTS)
def test_seed_agreements(seeds, sid, words, kind, status, parties):
    art, analysis = seeds[sid]
    matches = [g for g in analysis.agreements if words in g.sentence]
    assert matches, f"no agreement found for {words!r}"
    g = matches[0]
    assert (g.kind, g.status, set(g.parties)) == (kind, status, parties), g.why
    assert g.why and g.sentence == art.text[g.start:g.end]


@pytest.mark.parametrize(
    "sid, words",
    [
        ("001", "China has urged Vietnam"),              # an appeal, not an agreement
        ("001", "collided near Sabina Shoal"),           # an incident
        ("004", "seen as a sign that defence ties"),     # "sign" is not "signed"
        ("000", "possibility of a conflict involving the US"),
        ("003", "well-established fact"),
    ],
)
def test_seed_non_agreements(seeds, sid, words):
    assert not [g for g in seeds[sid][1].agreements if words in g.sentence]


def test_discussed_is_not_signed(seeds):
    g = next(g for g in seeds["003"][1].agreements if "S-400" in g.sentence)
    assert g.status == "discussed"


def test_agreement_dates(seeds):
    by_words = {
        "In November 2014": "2014-11", "agreement signed in 2003": "2003", "back in 1979": "1979",
    }
    ags = seeds["003"][1].agreements
    for words, date in by_words.items():
        g = next(g for g in ags if words in g.sentence)
        assert (g.date, g.date_origin) == (date, "sentence")
    hotline = next(g for g in seeds["000"][1].agreements if "hotline" in g.sentence)
    assert (hotline.date, hotline.date_origin) == ("2021-06-07", "article")


def test_seed_pairs(seeds):
    pairs = {p.countries: p for p in seeds["001"][1].pairs}
    assert pairs[("China", "Vietnam")].tone == "cooperation"
    assert pairs[("China", "Philippines")].tone == "tension"
    assert pairs[("Japan", "Vietnam")].agreements >= 2 if ("Japan", "Vietnam") in pairs else True
    jv = {p.countries: p for p in seeds["004"][1].pairs}[("Japan", "Vietnam")]
    assert jv.agreements >= 2


def test_spans_point_at_original_characters(seeds):
    art, analysis = seeds["003"]
    lich = [m for m in analysis.mentions if m.name == "Ngo Xuan Lich"]
    assert lich and art.text[lich[0].start:lich[0].end] == "Ngô Xuân Lịch"
    for m in analysis.mentions:
        assert 0 <= m.start < m.end <= len(art.text)
    kuang = next(m for m in analysis.mentions if m.name == "Tran Dai Quang")
    assert art.text[kuang.start:kuang.end] == "Chiang Dai Kuang"


@pytest.mark.parametrize(
    "text, countries",
    [
        ("Tensions rose in the South China Sea.", []),
        ("The Chinese Navy sailed.", ["China"]),
        ("The US and Vietnam talked.", ["United States", "Vietnam"]),
        ("Tell us what you think.", []),
        ("Moscow and Hanoi signed a deal.", ["Russia", "Vietnam"]),
        ("A Russo-Vietnamese accord.", ["Russia", "Vietnam"]),
        ("the U.S. Navy and Filipino sailors", ["United States", "Philippines"]),
        ("He ate turkey in Ankara.", ["Turkey"]),
        ("Indochina was French.", ["France"]),
    ],
)
def test_country_matching(cfg, text, countries):
    found = []
    for m in analyse(text, cfg).mentions:
        if m.kind == "country" and m.name not in found:
            found.append(m.name)
    assert found == countries


def test_diacritic_insensitive_people(cfg):
    a = analyse("Defence Minister Ngo Xuan Lich met Ngô Xuân Lịch.", cfg)
    names = [m.name for m in a.mentions if m.kind == "person"]
    assert names == ["Ngo Xuan Lich", "Ngo Xuan Lich"]


def test_tone_cues(cfg):
    a = analyse("China and Vietnam agreed to ease tensions. China and Japan clashed over a dispute.", cfg)
    tones = [s.tone for s in a.sentences]
    assert tones == ["cooperation", "tension"]


def test_extraction_is_deterministic(seeds, cfg):
    art, analysis = seeds["002"]
    assert analyse(art.text, cfg, art.date) == analysis


def test_sentence_splitting_keeps_abbreviations():
    from sinoread.extract.sentences import split_sentences

    text = "Mr. Abe met U.S. officials. Then he left."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Mr. Abe met U.S. officials.", "Then he left."]
