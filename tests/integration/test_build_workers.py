"""Builds with worker processes: the same index as a build in process."""

from __future__ import annotations

import shutil

from sinoread.indexing import Index
from sinoread.search import Search
from tests.helpers import SEEDS


def ids(result):
    return sorted(h.id[:3] for h in result.hits)


def test_parallel_build_matches_serial(tmp_path, cfg):
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(70):
        shutil.copy(next(SEEDS.glob(f"00{i % 5}_*")), corpus / f"a{i:03d}.txt")
    serial = Index(tmp_path / "s", corpus, cfg)
    serial.update(workers=1)
    parallel = Index(tmp_path / "p", corpus, cfg)
    parallel.update(workers=2)
    assert Search(serial).matrix() == Search(parallel).matrix()
    hotline = [ids(Search(index).keyword("hotline", limit=100)) for index in (serial, parallel)]
    assert hotline[0] == hotline[1]
