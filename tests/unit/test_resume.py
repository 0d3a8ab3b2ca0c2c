"""Full builds commit in batches: an interrupted build is resumed, never redone, and a
changed corpus or config in between is honoured."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

import sinoread.indexing.build as build_mod
import sinoread.indexing.workers as workers_mod
from sinoread.config import load_config
from sinoread.indexing import Index
from sinoread.indexing.generations import BUILDING
from sinoread.search import Search


def interrupt_at(n):
    def progress(done, total, art_id):
        if done == n:
            raise KeyboardInterrupt
    return progress


def doc_count(index):
    with index.open().searcher() as s:
        return s.doc_count()


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(build_mod, "BATCH_DOCS", 2)


def partial_generation(root):
    gens = [g for g in root.glob("gen-*") if (g / BUILDING).exists()]
    assert len(gens) == 1
    return gens[0]


def test_interrupted_build_resumes_where_it_stopped(tmp_path, cfg, seeds_copy, small_batches):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    with pytest.raises(KeyboardInterrupt):
        index.update(progress=interrupt_at(4), workers=1)  # two articles committed, the third lost
    assert not index.is_current()
    gen = partial_generation(tmp_path / "i")
    assert len(json.loads((gen / "articles.json").read_text())["articles"]) == 2

    seen = []
    report = index.update(progress=lambda done, total, art_id: seen.append((done, total)), workers=1)
    assert report.rebuilt and report.resumed == 2
    assert len(report.added) == 3  # only the rest was read; the bar counts the whole corpus
    assert seen == [(3, 5), (4, 5), (5, 5)]
    assert index.is_current() and not (gen / BUILDING).exists()
    assert index.current_generation() == gen.name
    assert doc_count(index) == 5
    assert len(Search(index).articles()) == 5
    assert [h.id[:3] for h in Search(index).keyword("hotline").hits] == ["000"]


def test_resume_honours_files_changed_and_removed_meanwhile(tmp_path, cfg, seeds_copy, small_batches):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    with pytest.raises(KeyboardInterrupt):
        index.update(progress=interrupt_at(5), workers=1)  # four committed
    committed = [e["id"] for e in json.loads((partial_generation(tmp_path / "i") / "articles.json").read_text())["articles"]]
    assert len(committed) == 4
    files = {p.stem: p for p in seeds_copy.glob("*.txt")}
    changed, removed = files[committed[0]], files[committed[1]]
    changed.write_text(changed.read_text().replace("\n\n", "\n\nThe zebrafish accord was agreed.\n\n", 2))
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))
    removed.unlink()

    report = index.update(workers=1)
    assert report.resumed == 2
    assert sorted(report.added) == sorted([changed.stem, *(set(files) - set(committed))])
    assert doc_count(index) == 4  # the old copy of the changed file is gone, not doubled
    rows = {r.id for r in Search(index).articles()}
    assert removed.stem not in rows and changed.stem in rows
    assert [h.id for h in Search(index).keyword("zebrafish").hits] == [changed.stem]  # its new text


def test_build_for_another_config_is_not_resumed(tmp_path, cfg, seeds_copy, small_batches):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    with pytest.raises(KeyboardInterrupt):
        index.update(progress=interrupt_at(4), workers=1)
    other_cfg_file = tmp_path / "config.yaml"
    other_cfg_file.write_text(Path(cfg.path).read_text() + "\n# another config\n")
    other = Index(tmp_path / "i", seeds_copy, load_config(other_cfg_file))
    report = other.update(workers=1)
    assert report.resumed == 0 and len(report.added) == 5
    assert len(list((tmp_path / "i").glob("gen-*"))) == 1  # the stale partial build was removed


def test_partial_build_with_unfinished_last_batch_record_starts_afresh(tmp_path, cfg, seeds_copy, small_batches):
    """A kill between a batch's commit and its record: the record is one commit behind and
    cannot say what is in the index, so the build starts again rather than guess."""
    index = Index(tmp_path / "i", seeds_copy, cfg)
    with pytest.raises(KeyboardInterrupt):
        index.update(progress=interrupt_at(4), workers=1)
    gen = partial_generation(tmp_path / "i")
    record = json.loads((gen / "articles.json").read_text())
    record["toc"] -= 1
    (gen / "articles.json").write_text(json.dumps(record))
    report = index.update(workers=1)
    assert report.resumed == 0 and len(report.added) == 5 and doc_count(index) == 5


def test_interruption_before_the_first_batch_leaves_nothing_behind(tmp_path, cfg, seeds_copy, small_batches):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    with pytest.raises(KeyboardInterrupt):
        index.update(progress=interrupt_at(2), workers=1)
    assert list((tmp_path / "i").glob("gen-*")) == []


def test_rebuild_keeps_the_live_index_while_a_resumed_build_finishes(tmp_path, cfg, seeds_copy, small_batches):
    index = Index(tmp_path / "i", seeds_copy, cfg)
    index.update(workers=1)
    live = index.current_generation()
    with pytest.raises(KeyboardInterrupt):
        index.update(rebuild=True, progress=interrupt_at(4), workers=1)
    assert index.current_generation() == live  # readers still use the finished index
    assert len(Search(index).articles()) == 5
    report = index.update(rebuild=True, workers=1)
    assert report.resumed == 2 and index.current_generation() != live


class _CountingPool:
    """Runs work at once, and remembers the most chunks ever submitted but not yet taken."""

    def __init__(self):
        self.outstanding = self.most = 0

    def submit(self, fn, *args):
        self.outstanding += 1
        self.most = max(self.most, self.outstanding)
        fut = Future()
        fut.set_result(len(args[0]) * [None])
        real_result = fut.result

        def result():
            self.outstanding -= 1
            return real_result()

        fut.result = result
        return fut


def test_prepared_articles_in_flight_are_bounded():
    pool = _CountingPool()
    files = list(range(1000))
    out = list(workers_mod._bounded_map(pool, files, window=4, chunk=16))
    assert len(out) == 1000
    assert pool.most == 4


def test_a_build_of_several_batches_announces_its_merge(tmp_path, cfg, seeds_copy, small_batches):
    """Merging the batches is minutes of a 100,000-article build after its bar is full: the
    caller hears of it; a one-batch build has nothing to merge and says nothing."""
    calls = []
    Index(tmp_path / "i", seeds_copy, cfg).update(workers=1, on_merge=lambda: calls.append("merge"))
    assert calls == ["merge"]


def test_a_one_batch_build_announces_no_merge(tmp_path, cfg, seeds_copy):
    calls = []
    Index(tmp_path / "i", seeds_copy, cfg).update(workers=1, on_merge=lambda: calls.append("merge"))
    assert calls == []
