"""The core on an analyst's own folder: a vanished folder, old indexes and notes, ids by suffix."""

from __future__ import annotations

import json
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from sinoread import engine
from sinoread.cli import main as cli
from sinoread.indexing import CorpusMissing, Index, IndexUnusable
from sinoread.indexing.documents import SCHEMA_VERSION
from sinoread.search import Search
from sinoread.workbench.notes import NoteStore
from tests.helpers import SEEDS

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "schema8"
FIXTURE9 = FIXTURE.parent / "schema9"



def _old_index_and_notes(fixture, schema, tmp_path, corpus, cfg, monkeypatch):
    """An older main's index and notes database, pointed at `corpus` and this config."""
    root = tmp_path / "index"
    shutil.copytree(fixture / "index", root)
    current = json.loads((root / "CURRENT").read_text())
    assert current["schema"] == schema < SCHEMA_VERSION
    current |= {"corpus": str(corpus.resolve()), "config": cfg.digest}
    (root / "CURRENT").write_text(json.dumps(current))
    notes_db = tmp_path / "notes.sqlite3"
    shutil.copy(fixture / "notes.sqlite3", notes_db)
    with sqlite3.connect(notes_db) as db:
        for table in ("notes", "stars"):
            db.execute(f"UPDATE {table} SET corpus = ?", (str(corpus.resolve()),))
    monkeypatch.setenv("SINOREAD_NOTES", str(notes_db))
    return root, notes_db

def test_a_vanished_corpus_folder_is_not_read_as_every_article_removed(tmp_path, cfg):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    index = Index(tmp_path / "index", corpus, cfg)
    index.update(workers=1)
    corpus.rename(tmp_path / "moved")
    with pytest.raises(CorpusMissing, match="is gone .* the index is kept"):
        index.update(workers=1)
    (tmp_path / "moved").rename(corpus)
    assert len(Search(index).articles()) == 5
    assert index.update(workers=1).unchanged == 5


def test_an_index_and_notes_written_by_the_previous_main_are_rebuilt_and_migrated(tmp_path, cfg, monkeypatch):
    """Schema 8 keyed articles by file name alone; schema 9 by path. Same corpus, same config:
    only the schema differs, and the index is rebuilt cleanly, notes and stars moved."""
    corpus = tmp_path / "corpus"
    for section in ("asia", "europe"):
        shutil.copytree(SEEDS, corpus / section)
    root, notes_db = _old_index_and_notes(FIXTURE, 8, tmp_path, corpus, cfg, monkeypatch)

    index = Index(root, corpus, cfg)
    assert not index.is_current()
    report = index.update(workers=1)
    assert report.rebuilt and len(report.added) == 10 and not report.skipped
    ids = Search(index).ids()
    assert "asia/002_484ac26e3499b02f" in ids and "europe/002_484ac26e3499b02f" in ids

    assert cli.main(["--corpus", str(corpus), "--index", str(root), "notes", "--json"]) == 0
    store = NoteStore(notes_db, corpus)
    (note,) = store.notes()
    assert note.article_id == "asia/002_484ac26e3499b02f"  # the file the old id belonged to
    assert note.note == "check the date of this" and note.tags == ("hotline",)
    assert store.stars() == {"asia/001_659b008adfe15102"}
    assert store.migrate_ids(ids) == 0  # once only


def test_an_index_whose_schema_classes_lived_in_sinoread_index_is_rebuilt_notes_intact(tmp_path, cfg, monkeypatch,
                                                                                        capsys):
    """Schema 9 pickled its field classes as `sinoread.index.FiledText`; they live in
    `sinoread.engine` now. Such an index is refused by name if anything opens it, and the
    version bump means nothing does: it is rebuilt, and the notes and stars are kept."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus / "asia")
    root, notes_db = _old_index_and_notes(FIXTURE9, 9, tmp_path, corpus, cfg, monkeypatch)

    with pytest.raises(pickle.UnpicklingError, match=r"names sinoread\.(index|postings)\.\w+, which sinoread never"):
        engine.open_index(str(root / "gen-000001"))
    index = Index(root, corpus, cfg)
    assert not index.is_current()
    with pytest.raises(IndexUnusable, match="no current index"):
        index.open()
    report = index.update(workers=1)
    assert report.rebuilt and len(report.added) == 5 and not report.skipped
    assert json.loads((root / "CURRENT").read_text())["schema"] == SCHEMA_VERSION
    search = Search(index)
    assert search.keyword("hotline").total >= 1
    assert "asia/002_484ac26e3499b02f" in search.ids()

    assert cli.main(["--corpus", str(corpus), "--index", str(root), "notes", "--json"]) == 0
    (shown,) = json.loads(capsys.readouterr().out)["notes"]
    assert shown["article_id"] == "asia/002_484ac26e3499b02f" and shown["status"] == "anchored"
    store = NoteStore(notes_db, corpus)
    (note,) = store.notes()
    assert note.note == "check the date of this" and note.tags == ("hotline",) and note.offset == 52
    assert store.stars() == {"asia/001_659b008adfe15102"}
    assert index.update(workers=1).unchanged == 5  # rebuilt once


@pytest.fixture
def sections(tmp_path, cfg):
    corpus = tmp_path / "corpus"
    for section in ("business", "sport"):
        shutil.copytree(SEEDS, corpus / section)
    return corpus


def test_show_takes_any_unambiguous_suffix_of_an_id(sections, tmp_path, capsys):
    args = ["--corpus", str(sections), "--index", str(tmp_path / "index")]
    assert cli.main([*args, "show", "business/000_6547491093706553", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "business/000_6547491093706553"
    assert cli.main([*args, "show", "sport/000_6547491093706553.txt", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "sport/000_6547491093706553"
    assert cli.main([*args, "show", "000_6547491093706553"]) == 2
    err = capsys.readouterr().err
    assert ("article id '000_6547491093706553' is ambiguous: business/000_6547491093706553, "
            "sport/000_6547491093706553; give more of its path") in err
    assert cli.main([*args, "export", "article", "sport/001_659b008adfe15102"]) == 0
    assert "Beijing seeks to boost" in capsys.readouterr().out


def test_ids_are_migrated_once_so_a_top_level_file_skipped_today_keeps_its_notes(tmp_path):
    store = NoteStore(tmp_path / "n.sqlite3", tmp_path / "corpus")
    store.star("001")
    assert store.migrate_ids(["001", "business/001"]) == 0  # "001" exists: nothing to move, and done
    assert store.migrate_ids(["business/001"]) == 0  # 001.txt skipped today: its star stays its own
    assert store.stars() == {"001"}
