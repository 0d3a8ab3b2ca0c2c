"""Shared fixtures: tests never touch the user's real config, cache or corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sinoread.config import load_config
from sinoread.index import Index

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def walk_postings(m) -> list:
    """Every posting a Whoosh matcher yields, as (id, weight, encoded value)."""
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for var in ("SINOREAD_CORPUS", "SINOREAD_CONFIG", "SINOREAD_INDEX", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def cfg():
    return load_config()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture
def seeds_index(tmp_path: Path, cfg) -> Index:
    index = Index(tmp_path / "index", SEEDS, cfg)
    index.update(workers=1)
    return index
