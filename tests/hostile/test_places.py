"""Promise 7: read-only corpus, unwritable cache, full disk."""

from __future__ import annotations

import errno
import os
import shutil
import stat

import pytest

from sinoread.config import load_config
from sinoread.indexing import Index, IndexUnusable
from sinoread.search import Search
from tests.helpers import SEEDS, cli


def listing(root):
    return sorted((p.relative_to(root).as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*"))


def test_read_only_corpus_is_never_written(tmp_path):
    corpus = tmp_path / "ro"
    shutil.copytree(SEEDS, corpus)
    for p in corpus.iterdir():
        p.chmod(stat.S_IRUSR | stat.S_IRGRP)
    corpus.chmod(stat.S_IRUSR | stat.S_IXUSR)
    before = listing(corpus)
    try:
        env = {**os.environ, "SINOREAD_CORPUS": str(corpus), "SINOREAD_INDEX": str(tmp_path / "i")}
        for args in (["index"], ["search", "hotline"], ["show", "--all"], ["index", "--rebuild"]):
            r = cli(*args, env=env)
            assert r.returncode == 0, r.stderr
        assert listing(corpus) == before
    finally:
        corpus.chmod(0o755)


def test_unwritable_cache_dir_names_it_and_the_way_out(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": "/proc/self/sinoread-cache"}
    env.pop("SINOREAD_INDEX", None)
    r = cli("index", env=env)
    assert r.returncode == 1
    assert "/proc/self/sinoread-cache" in r.stderr and "--index" in r.stderr and "Traceback" not in r.stderr


def test_full_disk_during_rebuild_keeps_the_previous_index(tmp_path, monkeypatch):
    cfg = load_config()
    index = Index(tmp_path / "i", SEEDS, cfg)
    index.update(workers=1)
    before = [h.id for h in Search(index).keyword("hotline OR tanks").hits]

    from whoosh.filedb.structfile import StructFile

    real_write = StructFile.write
    written = {"n": 0}

    def write(self, data):
        written["n"] += len(data)
        if written["n"] > 20_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(StructFile, "write", write)
    with pytest.raises(IndexUnusable) as err:
        index.update(rebuild=True, workers=1)
    monkeypatch.undo()
    message = str(err.value)
    assert "No space left on device" in message and "previous index is untouched" in message
    assert [h.id for h in Search(index).keyword("hotline OR tanks").hits] == before
    assert len(list((tmp_path / "i").glob("gen-*"))) == 1
