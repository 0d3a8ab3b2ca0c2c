"""Issue 15's rules, each on a sentence an analyst would write: the country table's ambiguity
classes (drawn from the table, not only from the examples), predecessors and parts, datelines,
people's titles and name shapes, and agreements as analysts read them."""

from __future__ import annotations

import pytest

from sinoread.config import load_config
from sinoread.extract.analysis import analyse


@pytest.fixture(scope="module")
def cfg():
    return load_config()


def countries(text, cfg):
    return set(analyse(text, cfg).countries())


def people(text, cfg):
    return {m.name for m in analyse(text, cfg).mentions if m.kind == "person"}


def test_every_state_is_in_the_table(cfg):
    for name in ("Iraq", "Greece", "Venezuela", "Qatar", "Kuwait", "Bahrain", "Jordan", "Lebanon", "Egypt",
                 "Italy", "Spain", "Netherlands", "Belgium", "Switzerland", "Holy See", "Palestine", "Kosovo",
                 "Hong Kong", "Macau", "Soviet Union", "Yugoslavia", "East Germany", "West Germany", "Czechoslovakia"):
        assert name in cfg.states, name
    assert len(cfg.states) >= 200


def test_the_why_names_the_alias_and_its_tag(cfg):
    whys = {m.why for m in analyse("Greek ships reached Athens and Greece agreed.", cfg).mentions if m.kind == "country"}
    assert any("(demonym" in w for w in whys) and any("(name" in w for w in whys)


def _ambiguous(cfg, cls):
    return [(c.name, a.text) for c in cfg.states.values() for a in c.aliases
            if a.ambiguity == cls and not a.exact and " " not in a.text]


@pytest.mark.parametrize("cls", ["person", "place", "word"])
def test_an_ambiguous_alias_needs_corroboration(cfg, cls):
    """Every alias of the class, drawn from the table: alone it is no country; with the state's
    unambiguous name elsewhere in the article it is."""
    aliases = _ambiguous(cfg, cls)
    assert aliases
    for country, alias in aliases:
        alone = countries(f"The report said {alias} was mentioned.", cfg)
        assert country not in alone, (alias, alone)
        plain = min((a.tag != "name", a.text) for a in cfg.states[country].aliases
                    if a.ambiguity is None and not a.exact)[1]  # its name, else its capital
        backed = countries(f"{plain} is far away. The report said {alias} was mentioned.", cfg)
        assert country in backed, (alias, plain, backed)


def test_traps_from_the_issue(cfg):
    assert "Georgia" in countries("Georgia and Russia fought in 2008.", cfg)
    assert "Georgia" not in countries("The firm moved to Atlanta, Georgia last year.", cfg)
    assert "Jordan" not in countries("Michael Jordan scored 30 points.", cfg)
    assert "United States" not in countries("JAPAN TOLD US TO WAIT", cfg)
    assert "United States" in countries("Japan told the US to wait.", cfg)
    assert "Turkey" not in countries("Turkey sales rose before Thanksgiving.", cfg)
    assert "Iraq" not in countries("The Islamic State of Iraq claimed the attack.", cfg)
    assert "China" not in countries("Ships crossed the South China Sea.", cfg)


def test_a_bare_korea_is_resolved_from_the_other_mentions(cfg):
    assert "South Korea" in countries("Talks opened in Seoul. Korea wants more trade.", cfg)
    assert "North Korea" in countries("Pyongyang fired a missile. Korea is divided.", cfg)
    neither = countries("Korea is a peninsula.", cfg)
    assert not neither & {"South Korea", "North Korea"}


def test_a_state_and_its_predecessor_or_part_never_pair(cfg):
    a = analyse("Russia and the Soviet Union signed nothing. Hong Kong and China agreed.", cfg)
    pairs = {p.countries for p in a.pairs}
    assert ("Russia", "Soviet Union") not in pairs
    assert ("China", "Hong Kong") not in pairs


def test_a_dateline_counts_for_the_article_not_for_pairs(cfg):
    a = analyse("Deal Headline\n\nSYDNEY, March 13 - China and Japan agreed to cooperate on trade.", cfg)
    assert "Australia" in a.countries()
    assert all("Australia" not in p.countries for p in a.pairs)
    assert ("China", "Japan") in {p.countries for p in a.pairs}


@pytest.mark.parametrize("text, name", [
    ("Lt. Gen. Stephen J. Townsend visited the base.", "Stephen J. Townsend"),
    ("Foreign Secretary Boris Johnson flew to Riyadh.", "Boris Johnson"),
    ("Minister for the Middle East, Tobias Ellwood, met them.", "Tobias Ellwood"),
    ("Haider al-Abadi, Iraq's prime minister, spoke.", "Haider al-Abadi"),
    ("The deal was praised by Treasury Secretary James Baker on Monday.", "James Baker"),
    ("Paul Resch told reporters he was glad.", "Paul Resch"),
    ("Cairo stopped paying when then-president Anwar Sadat broke with Moscow.", "Anwar Sadat"),
    ("Kenneth May, president of the council, told the committee.", "Kenneth May"),
    ("Minister of State for Foreign Affairs Rashid Abdulla al-Nuaimi said today.", "Rashid Abdulla al-Nuaimi"),
    ("He met Egyptian ambassador to Moscow Salah Bassiouni on Monday.", "Salah Bassiouni"),
    ("Deputy Administrator William Bailey said he would go.", "William Bailey"),
    ("Treasurer Paul Keating said he was pleased.", "Paul Keating"),
    ("Former National Security Adviser Brent Scowcroft met them.", "Brent Scowcroft"),
    ("Office of Management and Budget Director James Miller said he agreed.", "James Miller"),
])
def test_titles_appositives_and_name_shapes(cfg, text, name):
    assert name in people(text, cfg)


def test_a_role_gives_the_country(cfg):
    a = analyse("Haider al-Abadi, Iraq's prime minister, spoke.", cfg)
    p = next(m for m in a.mentions if m.kind == "person")
    assert p.country == "Iraq"


def test_transcript_speakers_and_surnames_link_to_the_full_name(cfg):
    found = people("MR KIRBY: We are watching closely.\nMR PRICE: Next question.", cfg)
    assert {"Kirby", "Price"} <= found
    a = analyse("President Bashar al-Assad spoke on Monday. Later Assad left Damascus.", cfg)
    names = [m.name for m in a.mentions if m.kind == "person"]
    assert names.count("Bashar al-Assad") == 2


@pytest.mark.parametrize("text", [
    "Salomon Brothers said it expects rates to fall.",
    "The Foreign Office said the talks would go on.",
    "Ibm Names New Chief Executive Officer",
    "Sanford C. Bernstein and Co said the shares were cheap.",
    "The New York Shipping Association said it would talk.",
])
def test_firms_offices_and_headlines_are_not_people(cfg, text):
    assert not people(text, cfg)


def agreements(text, cfg):
    return analyse(text, cfg).agreements


def test_a_negated_deal_is_no_agreement(cfg):
    assert not agreements("Vietnam and Russia have not signed any contracts for new submarines.", cfg)


def test_could_reach_agreement_is_discussed(cfg):
    (g,) = agreements("Japan and India could reach agreement on defence cooperation next year.", cfg)
    assert g.status == "discussed"


def test_will_verb_is_planned_and_kinds_beyond_the_military(cfg):
    (g,) = agreements("Russia and India will build a nuclear power plant together under the cooperation plan.", cfg)
    assert (g.status, g.kind) == ("planned", "nuclear")
    (g,) = agreements("Qatar and Japan signed a long-term LNG supply deal to deepen energy co-operation.", cfg)
    assert (g.status, g.kind) == ("signed", "energy")


def test_parties_are_not_the_venue_or_a_list_of_places(cfg):
    (g,) = agreements("China and Vietnam signed a naval cooperation accord in Moscow.", cfg)
    assert set(g.parties) == {"China", "Vietnam"}
    (g,) = agreements(
        "The United States and Britain agreed to cooperate against terrorism in Iraq, Syria, Afghanistan and Yemen.", cfg)
    assert set(g.parties) == {"United States", "United Kingdom"}


def test_a_firms_deal_binds_no_states(cfg):
    assert not agreements("Mitsubishi Corp of Japan signed a contract with a Vietnamese firm to build a port.", cfg)


def test_the_leaders_of_a_joint_statement_are_its_states(cfg):
    text = ("Joint Statement of India and Japan\n\nThe Leaders agreed to deepen defence cooperation and "
            "signed an agreement on the supply of equipment.")
    (g,) = agreements(text, cfg)
    assert set(g.parties) == {"India", "Japan"}


def test_a_name_learned_in_one_article_is_found_in_another_through_the_index(tmp_path, cfg):
    from sinoread.indexing import Index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Aid talks\n\nTreasury Secretary Miguel Arrondo met the Chinese delegation.\n")
    (corpus / "b.txt").write_text("Markets\n\nMiguel Arrondo spoke to bankers about China on Tuesday.\n")
    (corpus / "c.txt").write_text("Weather\n\nIt rained in Japan all week.\n")
    ix = Index(tmp_path / "index", corpus, cfg)
    ix.update()
    from sinoread.search import Search

    def marked(art_id):
        doc = Search(ix).article(art_id)
        return [m for m in doc[1].mentions if m.kind == "person"]

    (b,) = marked("b")
    assert (b.name, b.why) == ("Miguel Arrondo", "learned from article a")
    # An update: a new article naming him is taught too; the others are not touched.
    (corpus / "d.txt").write_text("Later\n\nMiguel Arrondo left Japan.\n")
    report = ix.update()
    assert report.added == ("d",) and not report.updated
    assert [m.why for m in marked("d")] == ["learned from article a"]


def test_the_agreement_speaks_of_the_one_before(cfg):
    text = ("Japan and Poland signed a loan agreement on Monday. "
            "The agreement was signed by the finance minister after long talks.")
    found = agreements(text, cfg)
    assert [set(g.parties) for g in found] == [{"Japan", "Poland"}, {"Japan", "Poland"}]
    assert "refers to the agreement before" in found[1].why


@pytest.mark.parametrize("text", [
    "China's envoy told the joint committee on arms exports that Burma and Zimbabwe differ.",
    "Russia needs Turkmen gas to spare Gazprom costly investment in the exploration of oil fields.",
])
def test_a_cue_inside_a_longer_word_is_no_cue(cfg, text):
    assert not agreements(text, cfg)


def test_denying_a_report_cancels_nothing(cfg):
    assert not agreements("The White House denied a report that the United States was shipping arms to Iran.", cfg)


@pytest.mark.parametrize("text", [
    "Turkcell's mobile deal is the second Turkish investment in Iran to run into trouble.",
    "British troops deployed in Iraq should be replaced with forces from other countries.",
    "India's state oil firm has bought stakes in fields in countries including Vietnam, Sudan and Russia.",
])
def test_a_state_named_only_as_a_place_is_no_party(cfg, text):
    assert not agreements(text, cfg)


def test_between_the_two_countries_keeps_a_state_named_as_a_place(cfg):
    (g,) = agreements("The offer, part of a trade deal between the two countries, will allow China "
                      "to operate oil fields in Venezuela.", cfg)
    assert set(g.parties) == {"China", "Venezuela"}


def test_businessmen_signing_is_no_interstate_deal(cfg):
    assert not agreements("Indian and Australian businessmen signed a memorandum of understanding to boost "
                          "trade in both countries.", cfg)


def test_firms_an_agreement_is_meant_to_help_do_not_make_it_a_firms_deal(cfg):
    (g,) = agreements("The agreement between Japan and Washington, signed last September, aimed at "
                      "increasing American semiconductor firms' access to the Japanese market.", cfg)
    assert set(g.parties) == {"Japan", "United States"}


def test_a_draft_agreement_refers_to_the_one_before_but_its_bare_name_records_nothing(cfg):
    text = ("Egypt and the Soviet Union agreed to reschedule Egypt's military debt. "
            "An official said a draft agreement would reduce interest on the debt to zero. "
            "The protocol has been stalled for years.")
    found = agreements(text, cfg)
    assert [set(g.parties) for g in found] == [{"Egypt", "Soviet Union"}, {"Egypt", "Soviet Union"}]
    assert "'a draft agreement' refers to the agreement before" in found[1].why


@pytest.mark.parametrize("text, status", [
    ("India's petroleum minister and Russia's energy minister would discuss the oil field on Tuesday.", "discussed"),
    ("The Nigerian delegation will go on to Paris for bilateral talks on debt with France.", "discussed"),
    ("Egypt and Israel exchanged prisoners this month under the security arrangement.", "delivered"),
    ("Japan and Vietnam reaffirmed their commitment to maritime security cooperation.", "pledged"),
    ("Cairo stopped repaying Moscow for arms purchases in 1977.", "cancelled"),
])
def test_status_cues_beyond_signing(cfg, text, status):
    (g,) = agreements(text, cfg)
    assert g.status == status


def test_the_two_presidents_are_the_states_of_the_sentence_before(cfg):
    text = ("President Kirchner of Argentina met Venezuela's President Chavez in Caracas. "
            "The two presidents also agreed to create a joint television network.")
    found = agreements(text, cfg)
    assert found and set(found[-1].parties) == {"Argentina", "Venezuela"}
    assert "The two presidents" in found[-1].sentence


def test_a_sealed_deal_survives_the_dispute_around_it(cfg):
    (g,) = agreements("The gas deal between Ukraine and Turkmenistan was sealed three days after a price dispute.", cfg)
    assert g.status == "signed"


def test_to_deal_with_is_no_deal(cfg):
    assert not agreements("Britain and France said they could deal with the trade issue at the summit.", cfg)


def test_the_states_named_after_between_are_the_parties_not_the_speaker(cfg):
    (g,) = agreements("The US describes this as the most important economic agreement between Egypt and Israel.", cfg)
    assert set(g.parties) == {"Egypt", "Israel"}
    assert "named after 'between'" in g.why


def test_a_war_the_parties_want_to_end_is_their_topic(cfg):
    (g,) = agreements("Yugoslavia and the United Arab Emirates have agreed to initiate efforts to end the Iraq- Iran war.",
                      cfg)
    assert set(g.parties) == {"Yugoslavia", "United Arab Emirates"}


def test_the_two_presidents_are_the_storys_pair_not_the_last_passing_one(cfg):
    text = ("Argentina and Venezuela extended their oil deal. "
            "Argentina signed an agreement to import Venezuelan fuel. "
            "President Chavez said Brazil's Petrobras could join Venezuela's deal. "
            "The two presidents also agreed to create a joint television network.")
    found = agreements(text, cfg)
    assert set(found[-1].parties) == {"Argentina", "Venezuela"}


@pytest.mark.parametrize("text, status", [
    ("Japan and Vietnam concurred to strengthen security and defense cooperation.", "pledged"),
    ("Viet Nam appreciated Japan's provision of humanitarian assistance after the typhoon.", "delivered"),
    ("Moscow has been India's biggest arms supplier for decades.", "ongoing"),
    ("Secretary of Defense Lloyd J. Austin III met with Vietnamese Minister of National Defense "
     "General Phan Van Giang to discuss maritime security.", "discussed"),
    ("Secretary Austin said the United States will transfer a third cutter to the Vietnam Coast Guard.", "planned"),
])
def test_readout_and_joint_statement_verbs(cfg, text, status):
    (g,) = agreements(text, cfg)
    assert g.status == status and len(g.parties) == 2


def test_a_joint_statement_speaks_for_its_states_whoever_the_sentence_names(cfg):
    text = ("Joint Statement between Japan and the Socialist Republic of Viet Nam\n\n"
            "Prime Minister Tanaka Ichiro and Prime Minister Nguyen Van An held a summit meeting in Tokyo.")
    (g,) = agreements(text, cfg)
    assert set(g.parties) == {"Japan", "Vietnam"} and "in a joint statement of" in g.why


def test_they_are_the_states_of_the_sentence_before_even_when_one_is_a_venue(cfg):
    text = ("The United States and Vietnam signed a memorandum on defense cooperation. "
            "They expressed their commitment to dialogue and look forward to the next talks in Washington.")
    found = agreements(text, cfg)
    assert [set(g.parties) for g in found] == [{"United States", "Vietnam"}] * 2


@pytest.mark.parametrize("text, status, parties", [
    ("The United States and Japan conducted joint drills in the South China Sea.", "ongoing", {"United States", "Japan"}),
    ("Indian Prime Minister Narendra Modi held talks with Russian President Vladimir Putin in Moscow.", "discussed",
     {"India", "Russia"}),
    ("China opposes the Enhanced Defense Cooperation Agreement between the United States and the Philippines.",
     "pledged", {"United States", "Philippines"}),
])
def test_drills_talks_and_an_agreement_someone_opposes(cfg, text, status, parties):
    (g,) = agreements(text, cfg)
    assert (g.status, set(g.parties)) == (status, parties)


@pytest.mark.parametrize("text", [
    "The Vietnamese defence ministry denied reports that it had cancelled the purchase of Russian tanks.",
    "A US bank has said it will donate more than $8m to victims of Chile's former military regime.",
])
def test_a_denied_report_and_a_banks_gift_are_no_agreements(cfg, text):
    assert not agreements(text, cfg)


def test_a_named_ship_stands_for_its_state(cfg):
    an = analyse("HMS Queen Elizabeth made a port call in Yokosuka after exercises with the Japan Maritime "
                 "Self-Defense Force.", cfg)
    ship = next(m for m in an.mentions if m.name == "HMS Queen Elizabeth")
    assert (ship.country, ship.why) == ("United Kingdom", "named ship 'HMS' (United Kingdom)")
    (g,) = an.agreements
    assert set(g.parties) == {"United Kingdom", "Japan"}


@pytest.mark.parametrize("text, parties", [
    ("Vietnam and Cambodia signed a border treaty brokered by China.", {"Vietnam", "Cambodia"}),
    ("Japan and the Philippines agreed to boost defence ties amid concerns about China's assertiveness.",
     {"Japan", "Philippines"}),
    ("Despite objections from China, India and Vietnam signed a defence pact.", {"India", "Vietnam"}),
    ("Russia and India held talks hosted by Kazakhstan.", {"Russia", "India"}),
    ("South Korea and Japan agreed to share intelligence on North Korea's missile launches.", {"South Korea", "Japan"}),
    ("The agreement was signed by the prime ministers of Bulgaria, Albania and Macedonia.",
     {"Bulgaria", "Albania", "North Macedonia"}),
    ("Japan pledged to increase its purchase of U.S. car parts.", {"Japan", "United States"}),
    ("Russia delivered the first batch of Su-30 fighters to Vietnam in 2004.", {"Russia", "Vietnam"}),
])
def test_brokers_hosts_topics_and_concerns_are_no_parties(cfg, text, parties):
    (g,) = agreements(text, cfg)
    assert set(g.parties) == parties


@pytest.mark.parametrize("text", [
    "Asked about the summit with Japan, the Chinese officials agreed it was a success.",
    '"We agreed that in Afghanistan there is some cause for optimism," said the British minister.',
])
def test_agreeing_with_an_opinion_is_no_agreement(cfg, text):
    assert not agreements(text, cfg)


def test_a_threat_in_a_despite_clause_does_not_make_the_deal_tense(cfg):
    (g,) = agreements("Defence Minister Sergei Shoigu and his Indian counterpart Rajnath Singh discussed the delivery "
                      "of S-400 systems, which New Delhi bought despite the threat of U.S. sanctions.", cfg)
    assert (g.status, set(g.parties)) == ("discussed", {"Russia", "India"})
