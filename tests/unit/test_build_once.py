"""A one-batch full build writes each document once, and leaves the index the batched
build (index, learn through the index, merge) leaves."""

from __future__ import annotations

from pathlib import Path

import pytest

import sinoread.indexing.build as build
import sinoread.indexing.workers as workers
from sinoread.indexing import Index

ARTICLES = {
    "a": "Aid talks\n\nTreasury Secretary Miguel Arrondo met the Chinese delegation.\n",
    "b": "Markets\n\nMiguel Arrondo spoke to bankers about China on Tuesday.\n",
    "c": "Lower case\n\nthe note said miguel arrondo had left Japan.\n",
    "d": "Marked\n\nFinance Minister Miguel Arrondo and Treasury Secretary Ana Brun met in Japan.\n",
    "e": "Reversed\n\nArrondo Miguel is another man, and Brun Ana too.\n",
    "f": "Split\n\nThey met Miguel\n\nArrondo in Vietnam, and Ana  Brun.\n",
    "g": "Weather\n\nIt rained in Japan all week.\n",
}


def _built(tmp_path: Path, name: str, cfg) -> tuple[list, list]:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        corpus.mkdir()
        for art_id, text in ARTICLES.items():
            (corpus / f"{art_id}.txt").write_text(text)
    ix = Index(tmp_path / name, corpus, cfg)
    ix.update()
    with ix.open().reader() as r:
        docs = [(n, sorted(fields.items())) for n, fields in r.iter_docs()]
    return docs, list(ix.listing().articles)


@pytest.mark.parametrize("pool_from", [64, 1])  # analysed again in this process, or on the pool
def test_held_build_leaves_the_index_the_batched_build_does(tmp_path, cfg, monkeypatch, pool_from):
    monkeypatch.setattr(workers, "POOL_FROM", pool_from)
    held = _built(tmp_path, "held", cfg)
    monkeypatch.setattr(build, "BATCH_DOCS", 2)  # several batches: indexed, learned from, merged
    batched = _built(tmp_path, "batched", cfg)
    assert held == batched
    ids = [dict(fields)["id"] for _, fields in held[0]]
    assert ids[-3:] == ["b", "c", "f"]  # the phrase found them (c in lower case): analysed again, last

