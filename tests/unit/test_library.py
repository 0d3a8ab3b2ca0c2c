"""The Library both front ends share: what it caches, and that no read waits on a long one."""

from __future__ import annotations

import threading
import time

import pytest

from sinoread import search as search_module
from sinoread.indexing import Index, IndexUnusable
from sinoread.library import Library


@pytest.fixture
def library(seeds_index: Index):
    lib = Library(seeds_index)
    assert lib.open()
    yield lib
    lib.close()


def test_an_article_read_does_not_wait_for_the_workbench(library, monkeypatch):
    """The reader's UI thread opens articles while a worker reads the whole corpus."""
    entered, release = threading.Event(), threading.Event()
    real = search_module.Search.documents

    def slow_documents(self):
        entered.set()
        release.wait(10)
        return real(self)

    monkeypatch.setattr(search_module.Search, "documents", slow_documents)
    art_id = library.ids()[0]
    worker = threading.Thread(target=library.workbench)
    worker.start()
    try:
        assert entered.wait(10)
        started = time.monotonic()
        got = library.article(art_id)
        rows = library.articles()
        assert got is not None and got[0].id == art_id and rows
        assert time.monotonic() - started < 2.0  # the worker still holds its read for 10 s
    finally:
        release.set()
        worker.join(20)
    assert library.workbench_ready is not None


def test_two_workers_asking_for_the_workbench_compute_it_once(library, monkeypatch):
    """The second waits for the first one's; meanwhile the UI thread's question is answered
    at once (`workbench_ready` takes no lock)."""
    entered, release = threading.Event(), threading.Event()
    real = search_module.Search.documents
    reads = []

    def slow_documents(self):
        reads.append(threading.current_thread().name)
        entered.set()
        release.wait(10)
        return real(self)

    monkeypatch.setattr(search_module.Search, "documents", slow_documents)
    got = {}
    workers = [threading.Thread(target=lambda n=n: got.__setitem__(n, library.workbench()), name=f"w{n}")
               for n in (1, 2)]
    workers[0].start()
    try:
        assert entered.wait(10)
        workers[1].start()
        started = time.monotonic()
        assert library.workbench_ready is None and not library.workbench_stale
        assert time.monotonic() - started < 1.0
        time.sleep(0.3)  # the second worker is asking now
    finally:
        release.set()
        for w in workers:
            w.join(20)
    assert reads == ["w1"]
    assert got[1] is got[2] is library.workbench_ready


def test_refresh_never_waits_for_a_read(library):
    with library._lock:  # a worker's read in progress
        started = time.monotonic()
        assert library.refresh() is False
        assert time.monotonic() - started < 1.0


def test_matrix_and_workbench_are_computed_once_per_index_version(library, monkeypatch):
    calls = []
    real = search_module.Search.matrix
    monkeypatch.setattr(search_module.Search, "matrix", lambda self: calls.append(1) or real(self))
    first = library.matrix()
    assert first and library.matrix() is first and len(calls) == 1
    wb = library.workbench()
    assert library.workbench() is wb and not library.workbench_stale
    library.reopen(fresh=True)  # a new searcher: what was computed from the old one is stale
    assert library.workbench_ready is None and library.workbench_stale
    assert library.matrix() is not first and len(calls) == 2


def test_reads_before_an_index_is_open_say_so(tmp_path, cfg):
    from sinoread.search import QueryError, UnknownCountry

    lib = Library(Index(tmp_path / "index", tmp_path, cfg))
    assert not lib.open() and not lib.ready
    assert lib.matrix() == []
    with pytest.raises(IndexUnusable, match="still being built"):
        lib.article("x")
    with pytest.raises(QueryError, match="still being built"):
        lib.keyword("china")
    with pytest.raises(UnknownCountry, match="still being built"):
        lib.pair("China", "Vietnam")


def test_the_cli_and_the_library_report_the_same(library):
    """`sinoread export` and the reader's export key go through one `Library.report`."""
    from sinoread.workbench import report as rp

    r = library.report("pair", ["China", "Vietnam"])
    assert r.rows and "China" in rp.RENDER["markdown"](r)
