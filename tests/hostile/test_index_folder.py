"""The index folder is a trust boundary: planted pickles, folders others can write, a CURRENT
that points elsewhere, a folder that is not ours, damaged files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from sinoread.indexing import Index, IndexUntrusted, IndexUnusable
from sinoread.indexing.generations import MARKER
from sinoread.search import Search
from tests.helpers import SEEDS
from tests.helpers import cli as run_cli


def cli(*args: str, index: Path) -> subprocess.CompletedProcess:
    return run_cli(*args, env={"SINOREAD_CORPUS": str(SEEDS), "SINOREAD_INDEX": str(index)})


def plant_payload(root: Path, marker: Path) -> None:
    """Rewrite the live generation's table of contents so that unpickling it runs a command."""
    import whoosh.index as wi
    from whoosh.fields import Schema
    from whoosh.filedb.filestore import FileStorage

    class Evil(Schema):
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    gen = root / json.loads((root / "CURRENT").read_text())["gen"]
    storage = FileStorage(str(gen))
    toc = wi.TOC.read(storage, "MAIN")
    toc.schema = Evil()
    toc.generation += 1
    toc.write(storage, "MAIN")


def plant_legacy_toc(root: Path, marker: Path) -> None:
    """A Whoosh 1.x table of contents (version -110): Whoosh reads those with a loader of its
    own, through an unpickler of its own."""
    import pickle

    import whoosh.index as wi
    from whoosh.filedb.filestore import FileStorage

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    gen = root / json.loads((root / "CURRENT").read_text())["gen"]
    storage = FileStorage(str(gen))
    n = wi.TOC._latest_generation(storage, "MAIN") + 1
    payload = pickle.dumps(Evil(), 2)
    st = storage.create_file(f"_MAIN_{n}.toc")
    st.write_varint(wi._INT_SIZE)
    st.write_varint(wi._LONG_SIZE)
    st.write_varint(wi._FLOAT_SIZE)
    st.write_int(-12345)
    st.write_int(-110)
    for v in (2, 7, 4):
        st.write_varint(v)
    st.write_varint(len(payload))
    st.write(payload)
    st.write_int(n)
    st.write_int(0)
    st.write_pickle([])
    st.close()


@pytest.mark.parametrize("plant", [plant_payload, plant_legacy_toc], ids=["toc", "legacy-toc"])
def test_a_planted_pickle_runs_nothing_and_the_index_is_called_damaged(tmp_path, seeds_index, plant):
    root = seeds_index.root
    assert os.stat(root).st_mode & 0o777 == 0o700
    marker = tmp_path / "pwned"
    plant(root, marker)
    r = cli("search", "hotline", index=root)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "is damaged (" in r.stderr
    assert "run `sinoread index` to repair it" in r.stderr
    assert not marker.exists()
    r = cli("index", index=root)  # repairs: a new generation, written by us
    assert r.returncode == 0 and "built" in r.stdout
    assert cli("search", "hotline", "--json", index=root).returncode == 0
    assert not marker.exists()


def test_an_index_folder_others_can_write_is_refused(tmp_path, seeds_index):
    root = seeds_index.root
    os.chmod(root, 0o777)
    with pytest.raises(IndexUntrusted, match=r"writable by other users \(mode 0777\).*chmod go-w"):
        Search(seeds_index)
    r = cli("search", "hotline", index=root)
    assert r.returncode == 1 and "writable by other users" in r.stderr and "Traceback" not in r.stderr
    os.chmod(root, 0o700)
    gen = root / json.loads((root / "CURRENT").read_text())["gen"]
    os.chmod(gen, 0o775)
    with pytest.raises(IndexUntrusted, match="writable by other users"):
        Search(seeds_index)


def test_an_index_folder_of_another_user_is_refused(tmp_path, seeds_index, monkeypatch):
    """Decided by st_uid against our own uid, so it holds for root (CI) as for anyone."""
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 4242)
    with pytest.raises(IndexUntrusted, match=r"belongs to another user \(uid \d+\)"):
        Search(seeds_index)
    with pytest.raises(IndexUntrusted):
        seeds_index.update(workers=1)


def test_current_pointing_outside_the_index_is_ignored(tmp_path, cfg):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    index = Index(tmp_path / "index", SEEDS, cfg)
    index.update(workers=1)
    current = json.loads((index.root / "CURRENT").read_text())
    for bad in ("../victim", "../..", "/tmp"):
        (index.root / "CURRENT").write_text(json.dumps(current | {"gen": bad, "previous": "../victim"}))
        assert not index.is_current()
        with pytest.raises(IndexUnusable):
            index.open()
        assert index.update(workers=1).rebuilt  # a fresh generation of its own
        assert sorted(os.listdir(victim)) == ["keep.txt"]


def test_a_foreign_folder_is_refused_and_nothing_in_it_deleted(tmp_path, cfg):
    mine = tmp_path / "mine"
    (mine / "gen-000001").mkdir(parents=True)
    (mine / "gen-000001" / "thesis.tex").write_text("years of work")
    (mine / "CURRENT.tmp-123").write_text("my notes")
    (mine / "CURRENT").write_text("not json")
    before = sorted(p.relative_to(mine).as_posix() for p in mine.rglob("*"))
    with pytest.raises(IndexUnusable, match="is not empty and sinoread did not make it"):
        Index(mine, SEEDS, cfg).update(workers=1)
    r = cli("index", index=mine)
    assert r.returncode == 1 and "choose an empty or new folder" in r.stderr
    assert sorted(p.relative_to(mine).as_posix() for p in mine.rglob("*")) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    Index(empty, SEEDS, cfg).update(workers=1)  # an empty folder is fine, and marked ours
    assert (empty / MARKER).is_file()


def test_only_marked_generations_are_ever_removed(tmp_path, cfg):
    index = Index(tmp_path / "index", SEEDS, cfg)
    index.update(workers=1)
    stranger = index.root / "gen-000099"
    stranger.mkdir()
    (stranger / "file").write_text("not ours")
    index.update(rebuild=True, workers=1)
    index.update(rebuild=True, workers=1)
    assert (stranger / "file").read_text() == "not ours"


@pytest.mark.parametrize("suffix", [".trm", ".pst", "._stored.col"])
def test_a_damaged_index_file_is_a_message_and_the_next_index_repairs_it(tmp_path, seeds_index, suffix):
    root = seeds_index.root
    gen = root / json.loads((root / "CURRENT").read_text())["gen"]
    (victim,) = [p for p in gen.iterdir() if p.name.endswith(suffix)]
    with open(victim, "r+b") as fh:
        fh.truncate(max(0, victim.stat().st_size // 2))
    r = cli("search", "hotline", index=root)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{victim.name} has" in r.stderr and "run `sinoread index` to repair it" in r.stderr
    r = cli("index", index=root)
    assert r.returncode == 0 and "index built: 5 added" in r.stdout
    r = cli("search", "hotline", "--json", index=root)
    assert r.returncode == 0 and json.loads(r.stdout)["total"] >= 1
