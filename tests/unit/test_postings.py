"""The packed postings layout: Whoosh reads back exactly what its own layout would hold, every
segment sinoread writes uses it, and an index in another byte order is rebuilt, not misread."""

from __future__ import annotations

import json
import random

import pytest
from whoosh import index as wi
from whoosh.codec.whoosh3 import W3Codec

from sinoread.engine import add_document, make_schema, open_writer
from sinoread.engine.internals import PackedLeafMatcher
from sinoread.engine.postings import PackedCharacters, PackedCodec, PackedPositions
from sinoread.indexing import Index
from sinoread.indexing.documents import prepare
from sinoread.ingest.files import scan
from sinoread.search import Search
from tests.helpers import walk_postings, write_articles


@pytest.fixture(scope="module")
def twins(tmp_path_factory, cfg):
    """The same 300 generated articles (terms with several blocks of 128) written twice:
    through sinoread's layout, and through Whoosh's own codec with the same schema."""
    rng = random.Random(11)
    root = tmp_path_factory.mktemp("twins")
    corpus = root / "corpus"
    corpus.mkdir()
    write_articles(corpus, rng, range(300))
    docs = [prepare(f, cfg) for f in scan(corpus)[0]]
    out = []
    for name, make in (("packed", lambda ix: open_writer(ix)), ("whoosh", lambda ix: ix.writer(codec=W3Codec()))):
        (root / name).mkdir()
        ix = wi.create_in(str(root / name), make_schema())
        writer = make(ix)
        for doc in docs:
            add_document(writer, doc)
        writer.commit()
        out.append(ix)
    return out


def test_whoosh_reads_back_what_its_own_layout_holds(twins):
    """Every term of every field: the same documents, weights and encoded values through
    Whoosh's matcher interface (which its phrase, span and highlight code use)."""
    packed, plain = twins
    with packed.reader() as r1, plain.reader() as r2:
        blocks = 0
        for field in r1.schema.names():
            if not r1.schema[field].indexed:
                continue
            terms = list(r1.lexicon(field))
            assert terms == list(r2.lexicon(field)), field
            for term in terms:
                m1 = r1.postings(field, term)
                if type(m1) is PackedLeafMatcher:
                    blocks += 1
                m2 = r2.postings(field, term)
                assert walk_postings(m1) == walk_postings(m2), (field, term)
                # skipping lands on the same posting too
                m1, m2 = r1.postings(field, term), r2.postings(field, term)
                m1.skip_to(150)
                m2.skip_to(150)
                assert m1.is_active() == m2.is_active() and (not m1.is_active() or m1.id() == m2.id())
        assert blocks > 100
        assert r1.doc_frequency("body", "minist") > 128  # some terms span several blocks


def test_packed_formats_decode_what_they_encode():
    chars = PackedCharacters(field_boost=1.0)
    value = chars.encode([(0, 0, 5), (7, 40, 48), (70_000, 4_000_000, 4_000_009)])
    assert chars.decode_characters(value) == [(0, 0, 5), (7, 40, 48), (70_000, 4_000_000, 4_000_009)]
    assert chars.decode_positions(value) == [0, 7, 70_000]
    assert chars.decode_frequency(value) == 3
    positions = PackedPositions(field_boost=2.0)
    value = positions.encode([3, 9])
    assert positions.decode_positions(value) == [3, 9]
    assert positions.decode_weight(value) == 4.0


def test_every_text_field_stores_packed_positions():
    schema = make_schema()
    assert type(schema["body"].format) is PackedCharacters
    for name in ("title", "author", "source", "actor"):
        assert type(schema[name].format) is PackedPositions, name
    assert schema["title"].format.field_boost == 2.0


def test_builds_and_updates_write_every_segment_packed(tmp_path, cfg, seeds_copy):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    (seeds_copy / "new.txt").write_text("New\n\nA hotline between Japan and India was agreed.\n")
    index.update(workers=1)
    segments = index.open()._segments()
    assert len(segments) == 2
    assert all(type(s.codec()) is PackedCodec for s in segments)
    search = Search(index)
    assert search.keyword('"hotline between japan"').total == 1  # Whoosh's phrase matcher on the new segment
    assert search.keyword('"hotline japan"~3').total == 1  # and its slop phrase (not the ranker's)


def test_an_index_in_the_other_byte_order_is_rebuilt(tmp_path, cfg, seeds_copy):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    current = tmp_path / "i" / "CURRENT"
    data = json.loads(current.read_text())
    data["byteorder"] = "big" if data["byteorder"] == "little" else "little"
    current.write_text(json.dumps(data))
    assert not index.is_current()
    report = index.update(workers=1)
    assert report.rebuilt and index.is_current()
