"""The analyst's workbench core: timeline, lifecycle, actors, near-duplicates, notes, reports."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest

from sinoread.extract.analysis import analyse
from sinoread.models import Analysis, Article, Mention
from sinoread.search import Search
from sinoread.workbench.actors import ActorIndex, name_key
from sinoread.workbench.bench import Workbench
from sinoread.workbench.notes import NotesError, NoteStore, anchor
from sinoread.workbench.report import (
    article_report,
    format_for,
    notes_report,
    pair_report,
    to_csv,
    to_json,
    to_markdown,
    write_report,
)
from sinoread.workbench.stories import group_stories, self_repeat
from sinoread.workbench.timeline import build_timeline, chains, filter_timeline, per_year


@pytest.fixture
def bench(shared_seeds_index, cfg) -> Workbench:
    return Workbench(Search(shared_seeds_index).documents(), cfg)


def doc(cfg, art_id: str, text: str, date: str | None = None, source: str | None = None) -> tuple[Article, Analysis]:
    art = Article(art_id, f"/x/{art_id}.txt", art_id.title(), None, source, date, None, text)
    return art, analyse(text, cfg, date)


# --- timeline ---


def test_timeline_is_dated_and_sorted_undated_last(bench):
    dates = [e.date for e in bench.timeline]
    dated = [d for d in dates if d]
    assert dated == sorted(dated)
    assert dates.index(None) == len(dated)  # every undated entry after every dated one
    nov = [e for e in bench.timeline if e.sentence.startswith("In November 2014")]
    assert len(nov) == 1 and nov[0].date == "2014-11" and nov[0].date_origin == "sentence"
    assert set(nov[0].parties) == {"Russia", "Vietnam"} and nov[0].status == "signed"
    art = [e for e in bench.timeline if e.date_origin == "article"]
    assert art and all(e.date == bench.articles[e.article_id].date for e in art)


def test_china_vietnam_agreements_from_three_articles(bench):
    cv = filter_timeline(bench.timeline, pair=("Vietnam", "China"))
    assert {e.article_id[:3] for e in cv} == {"000", "001", "002"}
    assert any(e.kind == "hotline" and e.article_id.startswith("000") for e in cv)
    assert filter_timeline(cv, kind="hotline") == [e for e in cv if e.kind == "hotline"]
    assert all(e.source == "Global Research" for e in filter_timeline(cv, source="global research"))


def test_restatements_in_a_self_repeating_article_are_folded(bench):
    meeting = [e for e in bench.timeline if "eighth high-level meeting" in e.sentence]
    assert len(meeting) == 1, [e.sentence for e in meeting]
    assert meeting[0].restated and meeting[0].restated[0].article_id == meeting[0].article_id
    assert "002_484ac26e3499b02f" in bench.self_repeats
    assert set(bench.self_repeats) == {"002_484ac26e3499b02f"}


def test_per_year_counts_dated_agreements_per_pair(bench):
    counts = per_year(bench.timeline)
    cv = filter_timeline(bench.timeline, pair=("China", "Vietnam"))
    assert sum(counts["China – Vietnam"].values()) == sum(1 for e in cv if e.date)
    assert counts["Russia – Vietnam"]["2014"] == 1


def test_lifecycle_links_a_pledge_to_its_delivery(cfg):
    docs = [
        doc(cfg, "a", "Japan pledged to supply six patrol vessels to Vietnam in August 2014.", "2014-08-02"),
        doc(cfg, "b", "Vietnam took delivery of patrol vessels from Japan in 2015.", "2015-11-01"),
        doc(cfg, "c", "Russia and Vietnam signed an arms deal.", "2016-01-01"),
    ]
    tl = build_timeline(docs)
    jv = filter_timeline(tl, pair=("Japan", "Vietnam"))
    assert [e.status for e in jv] == ["pledged", "delivered"]
    (chain,) = [c for c in chains(tl) if "Japan" in c.label]
    assert chain.stages == ("pledged", "delivered") and chain.advances
    assert [e.article_id for e in chain.entries] == ["a", "b"]
    assert all(e.chain is None for e in tl if e.article_id == "c")


# --- near-duplicates ---


def test_reposts_group_into_one_story(cfg):
    body = ("The navies of China and Vietnam agreed to set up a hotline for emergencies at sea. "
            "The hotline will connect the two naval headquarters and is meant to avoid incidents. "
            "Officials said joint patrols in the Gulf of Tonkin would continue twice a year. ")
    docs = [
        doc(cfg, "orig", body * 2, "2021-06-07"),
        doc(cfg, "repost", "Reposted from a wire service. " + body, "2021-06-09"),
        doc(cfg, "other", "Japan delivered patrol vessels to Vietnam, officials in Hanoi said on Monday.", "2021-06-08"),
    ]
    stories = group_stories([a for a, _ in docs])
    grouped = [s for s in stories if len(s.articles) > 1]
    assert len(grouped) == 1 and grouped[0].articles == ("orig", "repost") and grouped[0].id == "orig"
    wb = Workbench(docs, cfg)
    assert wb.distinct_stories(["orig", "repost", "other"]) == 2
    assert wb.distinct_stories(["orig", "repost"]) == 1 and wb.story_of.get("repost") == "orig"
    hotline = [e for e in wb.timeline if e.kind == "hotline"]
    assert len(hotline) == 1 and {r.article_id for r in hotline[0].restated} == {"orig", "repost"}


def test_self_repeat_needs_many_restated_sentences(cfg):
    once = doc(cfg, "x", "China and Vietnam agreed to a hotline. Russia sold jets to Vietnam. Japan gave aid.")
    assert self_repeat(*once) is None


# --- actors ---


def test_actor_spellings_merge(cfg):
    def mention(text, name, kind="person"):
        return Mention(0, len(text), kind, name, "Vietnam", "Defence Minister", "test")

    a = Article("a", "/a", None, None, None, None, None, "Ngô Xuân Lịch")
    b = Article("b", "/b", None, None, None, None, None, "Ngo Xuan Lich")
    docs = [(a, Analysis((mention(a.text, "Ngô Xuân Lịch"),), (), (), ())),
            (b, Analysis((mention(b.text, "Ngo Xuan Lich"),), (), (), ()))]
    index = ActorIndex(docs, cfg)
    (actor,) = index.actors
    assert actor.articles == 2 and actor.mentions == 2
    assert {actor.name, *actor.aliases} >= {"Ngô Xuân Lịch", "Ngo Xuan Lich"}
    assert name_key("Ngô Xuân-Lịch") == name_key("ngo xuan lich")
    assert index.find("lich") == [actor]


def test_actor_index_on_seeds(bench):
    (lich,) = bench.actors.find("Ngô Xuân Lịch")
    assert lich.name == "Ngo Xuan Lich" and "Ngô Xuân Lịch" in lich.aliases
    assert lich.kind == "person" and lich.country == "Vietnam"
    (xi,) = [a for a in bench.actors.actors if a.name == "Xi Jinping"]
    assert xi.articles >= 2 and xi.role == "President"
    detail = bench.actors.detail(bench.actors.find("Tran Dai Quang")[0])
    assert detail.sentences and any(w.name == "Ngo Xuan Lich" for w in detail.appears_with)


# --- notes ---


def test_notes_survive_edits_and_flag_a_vanished_sentence(tmp_path, cfg):
    store = NoteStore(tmp_path / "notes.sqlite3", tmp_path / "corpus")
    text = "China and Vietnam agreed to a hotline. Russia sold jets to Vietnam. Japan gave aid."
    art, analysis = doc(cfg, "x", text)
    s = analysis.sentences[1]
    note = store.add("x", text[s.start:s.end], s.start, "arms: check the year", "#arms, russia")
    assert note.tags == ("arms", "russia")
    store.star("x")
    store.close()

    store = NoteStore(tmp_path / "notes.sqlite3", tmp_path / "corpus")  # persisted
    (kept,) = store.notes()
    assert anchor(kept, art, analysis).status == "anchored"
    moved_text = "A new first paragraph.\n\n" + text
    moved, moved_an = doc(cfg, "x", moved_text)
    got = anchor(kept, moved, moved_an)
    assert got.status == "moved" and moved_text[got.current[0]:got.current[1]] == kept.sentence
    edited_text = text.replace("Russia sold jets to Vietnam.", "Russia sold ten jets to Vietnam.")
    edited, edited_an = doc(cfg, "x", edited_text)
    got = anchor(kept, edited, edited_an)
    assert got.status == "edited" and "ten jets" in edited_text[got.current[0]:got.current[1]]
    gone_text = text.replace("Russia sold jets to Vietnam.", "")
    gone, gone_an = doc(cfg, "x", gone_text)
    assert anchor(kept, gone, gone_an).status == "vanished"
    assert anchor(kept, None).status == "article missing"
    assert store.notes(query="#arms") == [kept] and store.notes(query="year jets") == [kept]
    assert store.notes(query="#aid") == []
    assert store.stars() == {"x"} and store.toggle_star("x") is False and store.stars() == set()
    other = NoteStore(tmp_path / "notes.sqlite3", tmp_path / "elsewhere")
    assert other.notes() == []  # keyed by corpus


def test_damaged_notes_database_is_reported_not_replaced(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(NotesError, match="left untouched"):
        NoteStore(path, tmp_path)
    assert path.read_bytes().startswith(b"this is not a database")


# --- reports ---


def test_pair_brief_in_markdown_csv_and_json(bench, shared_seeds_index, tmp_path):
    pair = Search(shared_seeds_index).pair("China", "Vietnam")
    entries = filter_timeline(bench.timeline, pair=("China", "Vietnam"))
    r = pair_report(pair, entries, bench.articles, bench.distinct_stories([a.id for a in pair.articles]))
    md = to_markdown(r)
    assert md.startswith("# China – Vietnam\n") and "**Pair: China – Vietnam** · generated " in md
    assert "## Agreements" in md and "## Sources" in md
    assert "Global Research, Lucas Leiroz de Almeida, 2021-06-07" in md
    assert "> The commanders of naval forces of China and Vietnam have agreed to establish a hotline" in md
    assert "`000_6547491093706553`" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(r))))
    assert sum(row["section"] == "Agreements" for row in rows) == len(entries)
    data = json.loads(to_json(r))
    assert data["subject"] == "Pair: China – Vietnam" and len(data["rows"]) == len(rows)
    out = write_report(r, tmp_path / "brief.md", format_for("brief.md"))
    assert out.read_text(encoding="utf-8") == md


def test_reports_keep_article_text_inert(cfg, tmp_path):
    text = "=HYPERLINK(\"http://x\") China and Vietnam signed a [deal](http://evil) <script>x</script> hotline."
    art, analysis = doc(cfg, "evil", text)
    store = NoteStore(tmp_path / "n.sqlite3", tmp_path)
    note = anchor(store.add("evil", text, 0, "# not a heading", "x"), art, analysis)
    r = article_report(art, analysis, [note], starred=True)
    md = to_markdown(r)
    assert "[deal](http" not in md and "<script>" not in md and "\n# not a heading" not in md
    assert all(not row["sentence"].startswith("=") for row in csv.DictReader(io.StringIO(to_csv(r))))
    r2 = notes_report([note], {"evil": art})
    assert "Note: \\# not a heading" in to_markdown(r2)


def test_report_paths_and_formats_are_checked(tmp_path):
    r = notes_report([], {})
    with pytest.raises(ValueError, match="does not exist"):
        write_report(r, tmp_path / "no" / "such" / "x.md", "markdown")
    with pytest.raises(ValueError, match="is a folder"):
        write_report(r, tmp_path, "markdown")
    with pytest.raises(ValueError, match="unknown format"):
        format_for("x", "docx")
    assert format_for("x.csv") == "csv" and format_for("x.JSON") == "json" and format_for("") == "markdown"
    for name in ("x", "x.docx"):  # an unknown extension is an error, not silently Markdown
        with pytest.raises(ValueError, match="extension"):
            format_for(name)
    assert not list(Path(tmp_path).glob(".*tmp*"))


def test_chain_steps_tell_repeats_once(bench):
    (military,) = [c for c in chains(filter_timeline(bench.timeline, pair=("China", "Vietnam"))) if c.label.endswith("military")]
    steps = military.steps()
    assert sum(n for *_rest, n in steps) == len(military.entries)
    assert all(a[:3] != b[:3] for a, b in itertools.pairwise(steps))
    assert any(n > 1 for *_rest, n in steps)  # seed 002 pledges three times on one date
