"""Whoosh index: build, incremental updates, crash safety, locking, search and pairs."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

import sinoread.indexing.generations as generations_mod
from sinoread.indexing import Index, IndexBusy
from sinoread.indexing.documents import SCHEMA_VERSION
from sinoread.search import QueryError, Search, UnknownCountry
from tests.helpers import SEEDS, walk_postings


def ids(result):
    return sorted(h.id[:3] for h in result.hits)


def test_build_and_search(shared_seeds_index):
    s = Search(shared_seeds_index)
    assert len(s.articles()) == 5
    hot = s.keyword("hotline")
    assert ids(hot) == ["000"]
    assert hot.hits[0].snippet.marks
    text = hot.hits[0].snippet.text
    a, b = hot.hits[0].snippet.marks[0]
    assert text[a:b].lower() == "hotline"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("cooperate", ["000", "001", "002", "003", "004"]),           # stemming
        ("ngo xuan lich", ["003"]),                                    # accent folding
        ("Ngô Xuân Lịch", ["003"]),
        ('"patrol vessels"', ["004"]),                                 # phrase
        ("country:PRC AND country:russian", ["003"]),                  # aliases in fields
        ("pair:china-vietnam kind:patrol \"coast guard\"", ["002"]),
        ("pair:hanoi-moscow", ["003"]),
        ("author:leiroz", ["000"]),
        ('source:"global research"', ["000"]),
        ('actor:"xi jinping"', ["000", "001"]),
        ("title:japan", ["004"]),
        ("date:[2021 to 2022]", ["000"]),
        ("status:delivered", ["003", "004"]),
        ("hotline OR tanks", ["000", "003"]),
        ("china NOT vietnam", []),
        ("submar*", ["003"]),
    ],
)
def test_query_language(shared_seeds_index, query, expected):
    assert ids(Search(shared_seeds_index).keyword(query)) == expected


@pytest.mark.parametrize(
    "query, reason",
    [
        ('"unbalanced', "unbalanced quote"),
        ("(china OR vietnam", "never closed"),
        ("china)", "before its ("),
        ("china AND", "dangling AND"),
        ("AND china", "dangling AND"),
        ("title:", "needs a value"),
        ("nosuchfield:x", "unknown field"),
        ("*land", "wildcard"),
        ("NOT NOT a", "NOT NOT"),
        ("NOT china", "only NOT"),
        ("x" * 10_000, "limit"),
        ("china\x1b[2J", "control characters"),
        ("pair:china-atlantis", "two known countries"),
        ("country:atlantis", "unknown country"),
        ("kind:teleportation", "unknown kind"),
        ("date:notadate", "date"),
        ("(" * 600 + "a" + ")" * 600, ""),
    ],
)
def test_malformed_queries_explain(shared_seeds_index, query, reason):
    with pytest.raises(QueryError) as err:
        Search(shared_seeds_index).keyword(query)
    assert reason in str(err.value)


def test_cjk_bigrams(tmp_path, cfg):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "zh.txt").write_text("标题\n\n我爱北京天安门。China and Vietnam met.\n", encoding="utf-8")
    (corpus / "en.txt").write_text("Title\n\nNothing in Chinese script here.\n", encoding="utf-8")
    index = Index(tmp_path / "i", corpus, cfg)
    index.update(workers=1)
    s = Search(index)
    assert ids(s.keyword("北京")) == ["zh"]
    assert ids(s.keyword("天安门")) == ["zh"]
    assert ids(s.keyword("上海")) == []


def test_pair_search(shared_seeds_index):
    s = Search(shared_seeds_index)
    r = s.pair("vietnamese", "Beijing")
    assert r.pair == ("China", "Vietnam")
    assert sorted(a.id[:3] for a in r.articles) == ["000", "001", "002", "003", "004"]
    a000 = next(a for a in r.articles if a.id.startswith("000"))
    assert any("hotline" in g.sentence and g.kind == "hotline" for g in a000.agreements)
    assert all(s_.tone in ("cooperation", "tension", "neutral") for s_ in a000.sentences)
    assert s.pair("Vietnam", "China") == r  # order-insensitive
    with pytest.raises(UnknownCountry):
        s.pair("China", "Atlantis")


def test_matrix_from_index(shared_seeds_index):
    rows = Search(shared_seeds_index).matrix()
    top = rows[0]
    assert top.countries == ("China", "Vietnam") and top.articles == 5
    cv = {r.countries: r for r in rows}
    assert cv[("Russia", "Vietnam")].agreements >= 10
    assert cv[("China", "Philippines")].tension > cv[("China", "Philippines")].cooperation


def test_incremental_add_change_delete(tmp_path, cfg, seeds_copy):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    first = index.update(workers=1)
    assert first.rebuilt and len(first.added) == 5
    assert index.update(workers=1).unchanged == 5

    (seeds_copy / "new.md").write_text("Fresh\n\nJapan and the Philippines signed a patrol deal.\n")
    target = next(seeds_copy.glob("004_*"))
    target.write_text(target.read_text() + "\nJapan pledged a hotline to Vietnam.\n")
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))
    next(seeds_copy.glob("000_*")).unlink()

    report = index.update(workers=1)
    assert report.added == ("new",)
    assert report.updated == (target.stem,)
    assert report.removed == ("000_6547491093706553",)
    s = Search(index)
    assert ids(s.keyword("hotline")) == ["004"]
    assert ids(s.keyword("pair:japan-philippines")) == ["new"]


def test_unreadable_file_is_skipped_and_named(tmp_path, cfg, seeds_copy):
    (seeds_copy / "broken.txt").write_bytes(b"\x00\x00\x01binary")
    report = Index(tmp_path / "i", seeds_copy, cfg).update(workers=1)
    assert len(report.added) == 5
    assert [Path(p.path).name for p in report.skipped] == ["broken.txt"]


def test_crash_during_build_keeps_previous_index(tmp_path, cfg, seeds_copy):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)

    def boom(done, total, art_id):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.update(rebuild=True, progress=boom, workers=1)
    assert ids(Search(index).keyword("hotline")) == ["000"]
    assert len(list((tmp_path / "i").glob("gen-*"))) == 1


def test_crash_during_incremental_keeps_previous_index(tmp_path, cfg, seeds_copy):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    (seeds_copy / "new.txt").write_text("New\n\nA hotline between Japan and India was agreed.\n")

    def boom(done, total, art_id):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.update(progress=boom, workers=1)
    assert ids(Search(index).keyword("hotline")) == ["000"]
    assert index.update(workers=1).added == ("new",)


def test_second_writer_is_told_busy(tmp_path, cfg):
    import fcntl

    index = Index(tmp_path / "i", SEEDS, cfg)
    index.update(workers=1)
    fd = os.open(tmp_path / "i" / "lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(IndexBusy, match="busy"):
            index.update(wait=0.2, workers=1)
    finally:
        os.close(fd)
    index.update(wait=0.2, workers=1)  # the lock is free again: no stale lock


def test_other_schema_version_is_rebuilt(tmp_path, cfg):
    import json

    index = Index(tmp_path / "i", SEEDS, cfg)
    index.update(workers=1)
    cur = json.loads((tmp_path / "i" / "CURRENT").read_text())
    cur["schema"] = SCHEMA_VERSION - 1
    (tmp_path / "i" / "CURRENT").write_text(json.dumps(cur))
    assert not index.is_current()
    assert index.update(workers=1).rebuilt


def test_damaged_index_is_rebuilt(tmp_path, cfg):
    index = Index(tmp_path / "i", SEEDS, cfg)
    index.update(workers=1)
    gen = next((tmp_path / "i").glob("gen-*"))
    for f in gen.iterdir():
        if f.suffix in (".toc", ".seg"):
            f.write_bytes(b"garbage")
    report = index.update(workers=1)
    assert report.rebuilt
    assert ids(Search(index).keyword("hotline")) == ["000"]


def test_matrix_after_updates_counts_each_article_once(tmp_path, cfg, seeds_copy):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    for _ in range(3):
        target = next(seeds_copy.glob("001_*"))
        target.write_text(target.read_text() + "\nChina and Vietnam agreed again.\n")
        os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))
        index.update(workers=1)
    rows = {r.countries: r for r in Search(index).matrix()}
    assert rows[("China", "Vietnam")].articles == 5
    clean = Index(tmp_path / "clean", seeds_copy, cfg)
    clean.update(workers=1)
    assert Search(index).matrix() == Search(clean).matrix()


@pytest.mark.parametrize(
    "query, art_id, words",
    [("hotline", "000_6547491093706553", {"hotline"}),
     ("submar*", "003_870f00a7dd296484", {"submarines"}),
     ("title:japan", "004_c419cb57c398545a", {"japan"})],
)
def test_hit_offsets_point_at_the_words(shared_seeds_index, query, art_id, words):
    s = Search(shared_seeds_index)
    text = s.article(art_id)[0].text
    offsets = s.hit_offsets(query, art_id)
    assert offsets and {text[a:b].lower() for a, b in offsets} == words
    assert s.hit_offsets(query, "no-such-article") == []


# --- the overview file: what the reader's first screen and an update read without Whoosh ---


def test_overview_matches_the_index_and_names_the_newest_article(shared_seeds_index):
    overview, listing = shared_seeds_index.overview(), shared_seeds_index.listing()
    assert overview is not None and listing is not None
    rows = [e.row for e in listing.articles]
    assert list(overview.head) == rows and overview.total == 5
    with_index = sorted(rows, key=lambda r: r.id)
    s = Search(shared_seeds_index)
    assert with_index == s.articles()
    assert rows[0].date == max(r.date for r in rows if r.date)
    assert overview.first == s.article(rows[0].id)


def test_overview_holds_only_the_newest_rows(tmp_path, cfg, seeds_copy, monkeypatch):
    """A first screen parses the head, never the whole list: at 100,000 articles that is
    20 MB of JSON."""
    monkeypatch.setattr(generations_mod, "OVERVIEW_HEAD", 2)
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    overview, listing = index.overview(), index.listing()
    assert overview.total == 5 and len(listing.articles) == 5
    assert list(overview.head) == [e.row for e in listing.articles[:2]]


def test_listing_and_overview_files_keep_their_format(shared_seeds_index):
    """The typed rows are converted at the files' edge: what is on disk is what older
    sinoread versions wrote and read (no schema bump)."""
    gen = shared_seeds_index.root / shared_seeds_index.current_generation()
    listing = json.loads((gen / "articles.json").read_text())
    overview = json.loads((gen / "overview.json").read_text())
    row_keys = {"id", "title", "author", "source", "date", "countries"}
    assert set(listing) == {"toc", "articles", "skipped", "learned"}
    assert all(set(e) - {"taught"} == row_keys | {"stamp"} for e in listing["articles"])
    assert all(isinstance(e["countries"], list) and len(e["stamp"]) == 3 for e in listing["articles"])
    assert set(overview) == {"toc", "total", "head", "first", "files"}
    assert [set(r) for r in overview["head"]] == [row_keys] * 5
    assert set(overview["first"]["article"]) == {"id", "path", "title", "author", "source", "date", "url", "text"}
    assert set(overview["first"]["analysis"]) == {"mentions", "sentences", "agreements", "pairs"}
    assert overview["head"] == [{k: v for k, v in e.items() if k in row_keys} for e in listing["articles"]]


def test_overview_follows_incremental_updates(tmp_path, cfg, seeds_copy):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    newest = index.overview().first[0].id
    (seeds_copy / f"{newest}.txt").unlink()
    (seeds_copy / "new.txt").write_text("Fresh news\n\nChina and Vietnam signed a hotline deal.\n")
    report = index.update(workers=1)
    assert report.removed == (newest,) and report.added == ("new",)
    overview = index.overview()
    ids_now = {e.row.id for e in index.listing().articles}
    assert newest not in ids_now and "new" in ids_now
    assert {r.id for r in overview.head} == ids_now and overview.total == 5
    assert overview.first[0].id != newest
    assert overview.first[0].id == overview.head[0].id


@pytest.mark.parametrize("name", ["overview.json", "articles.json"])
def test_stale_or_damaged_overview_is_ignored_and_rewritten(tmp_path, cfg, seeds_copy, name):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    gen = tmp_path / "i" / index.current_generation()
    read = index.overview if name == "overview.json" else index.listing
    # A writer that died between Whoosh's commit and the overview leaves it one commit behind.
    toc = next(gen.glob("_MAIN_*.toc"))
    shutil.copy(toc, gen / "_MAIN_99.toc")
    assert read() is None
    (gen / "_MAIN_99.toc").unlink()
    (gen / name).write_text("{not json")
    assert read() is None
    (gen / name).write_text(json.dumps({"toc": int(toc.name[6:-4]), "total": 1, "first": None,
                                        "head": [{"title": "no id"}], "articles": [{"title": "no id"}]}))
    assert read() is None
    assert len(Search(index).articles()) == 5  # falls back to the stored fields
    report = index.update(workers=1)
    assert report.unchanged == 5
    assert read() is not None and index.overview().total == 5 and len(index.listing().articles) == 5


def test_unchanged_files_are_found_from_the_overview_alone(tmp_path, cfg, seeds_copy, monkeypatch):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    from whoosh.reading import IndexReader, MultiReader, SegmentReader

    def no_bulk_read(self):
        raise AssertionError("an update with a fresh overview must not read every stored document")

    for cls in (IndexReader, MultiReader, SegmentReader):
        monkeypatch.setattr(cls, "all_stored_fields", no_bulk_read)
    assert index.update(workers=1).unchanged == 5
    (tmp_path / "i" / index.current_generation() / "articles.json").unlink()
    with pytest.raises(AssertionError, match="must not read"):  # the check can fail
        index.update(workers=1)


def test_an_overview_that_lies_never_doubles_articles(tmp_path, cfg, seeds_copy):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    gen = tmp_path / "i" / index.current_generation()
    data = json.loads((gen / "articles.json").read_text())
    data["articles"] = data["articles"][:2]  # forgets three articles it has
    (gen / "articles.json").write_text(json.dumps(data))
    index.update(workers=1)
    s = Search(index)
    assert sorted(r.id for r in s.articles()) == sorted(p.stem for p in seeds_copy.iterdir())
    assert ids(s.keyword("hotline")) == ["000"]


def test_worker_postings_index_exactly_what_the_analyzer_would(tmp_path, cfg):
    """Build workers work out the title and body postings, and the writer only files them:
    the postings (positions and character offsets), weights, field lengths and stored
    fields must equal the writer analysing the text itself."""
    from whoosh import index as wi

    from sinoread.engine import add_document, make_schema, open_writer
    from sinoread.indexing.documents import prepare
    from sinoread.ingest.files import scan

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "cjk.txt").write_text(
        "Café talks: 北京天安门 and Hà Nội\n\nThe the navy navy NAVY of Vietnam. 中国 and 越南 signed a hotline; "
        "résumé straße Ａｂｃ o'neil U.S. navy.\n", encoding="utf-8")
    files = scan(SEEDS)[0] + scan(extra)[0]
    docs = [prepare(f, cfg) for f in files]
    (tmp_path / "filed").mkdir()
    (tmp_path / "analysed").mkdir()
    filed, analysed = wi.create_in(str(tmp_path / "filed"), make_schema()), wi.create_in(str(tmp_path / "analysed"), make_schema())
    w1, w2 = open_writer(filed), open_writer(analysed)
    for doc in docs:
        assert doc["_postings"]["body"]
        add_document(w1, doc)
        w2.add_document(**{k: v for k, v in doc.items() if k != "_postings"})
    w1.commit()
    w2.commit()
    with filed.reader() as r1, analysed.reader() as r2:
        for field in ("title", "body"):
            terms = list(r1.lexicon(field))
            assert terms == list(r2.lexicon(field)) and len(terms) > 20
            for term in terms:  # documents, weights (what BM25F scores) and encoded positions
                assert walk_postings(r1.postings(field, term)) == walk_postings(r2.postings(field, term)), (field, term)
            n = len(docs)
            assert [r1.doc_field_length(d, field) for d in range(n)] == [r2.doc_field_length(d, field) for d in range(n)]
        assert "北京" in {t.decode() for t in r1.lexicon("body")}
        assert list(r1.all_stored_fields()) == list(r2.all_stored_fields())


def test_segments_are_plain_files_read_in_place(tmp_path, cfg, seeds_copy):
    """Whoosh copies a compound segment's parts into memory when a searcher opens (180 MB
    at 20,000 articles): builds and updates write plain segment files."""
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    (seeds_copy / "new.txt").write_text("New\n\nA hotline between Japan and India was agreed.\n")
    index.update(workers=1)
    gen = tmp_path / "i" / index.current_generation()
    assert list(gen.glob("*.seg")) == []
    assert len(list(gen.glob("*.pst"))) == 2  # the build's segment and the update's


@pytest.mark.parametrize("text", [
    "The 北京天安门 and 我 of Café résumé İstanbul ÆSIR the",  # bigrams, accents, a stop word at either end
    "the of and",  # only stop words
    "中 x 中国 y",  # one-character and two-character CJK runs
    "ǅemal straße ﬁnance Ａｂｃ's U.S. o'neil",  # folding and the tokenizer's joiners
    "of running runs RUNNING ran",  # a stop word first: positions start after it
])
def test_pretokenize_matches_the_whoosh_chain(text):
    from sinoread.engine import pretokenize, text_analyzer

    expected = [(t.text, t.pos, t.startchar, t.endchar)
                for t in text_analyzer()(text, positions=True, chars=True, mode="index")]
    texts, ints = pretokenize(text)
    assert [(w, *ints[3 * i:3 * i + 3]) for i, w in enumerate(texts)] == expected
    assert bool(expected) == (text != "the of and")


def test_commits_and_index_files_are_named_as_whoosh_names_them(tmp_path, cfg, seeds_copy):
    """The overview says which commit it describes, read from file names without Whoosh
    (`engine.files`): the same number Whoosh finds, and its table of contents is there."""
    from sinoread.engine import commit_number, is_index_file
    from sinoread.engine.files import INDEX_NAME
    from sinoread.engine.internals import latest_commit, toc_filename

    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    (seeds_copy / "new.txt").write_text("New\n\nA hotline between Japan and India was agreed.\n")
    index.update(workers=1)
    gen = tmp_path / "i" / index.current_generation()
    n = commit_number(gen)
    assert n >= 2 and n == latest_commit(str(gen), INDEX_NAME)
    assert (gen / toc_filename(INDEX_NAME, n)).is_file() and is_index_file(toc_filename(INDEX_NAME, n))
    ours = {"overview.json", "articles.json", ".sinoread-index", f"{INDEX_NAME}_WRITELOCK"}
    names = set(os.listdir(gen))
    assert {x for x in names if not is_index_file(x)} <= ours
    assert any(x.endswith(".pst") and is_index_file(x) for x in names)
    assert commit_number(tmp_path / "nowhere") == -1
