"""Shared fixtures and the test tiers. Tests never touch the user's real config, cache or corpus.

Tiers, by folder: `tests/unit` is the fast in-process core (`pytest -m "not slow"`, the inner
loop); every other folder is marked `slow` and with its own marker (TIERS below), and plain
`pytest` runs them all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from sinoread.config import load_config
from sinoread.indexing import Index
from tests.helpers import SEEDS, folder_state

TESTS = Path(__file__).resolve().parent
TIERS = {
    "unit": None,  # the inner loop: no marker, never slow
    "integration": "integration",
    "tui": "app",
    "e2e": "e2e",
    "hostile": "hostile",
    "quality": "quality",
}
"""Folder under tests/ -> the marker its tests get, with `slow`, automatically."""

settings.register_profile("full", max_examples=300, deadline=None)
settings.register_profile("quick", max_examples=20, deadline=None)


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis runs 300 examples a property in a full run (CI, the README's `pytest`) and 20
    in the inner loop (`-m "not slow"`); `--hypothesis-profile` chooses otherwise. Loaded here,
    before any test module is imported, so that `@settings` decorators inherit it."""
    if config.getoption("hypothesis_profile", None):
        return
    inner_loop = "not slow" in (config.getoption("markexpr", "") or "")
    settings.load_profile("quick" if inner_loop else "full")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            folder = item.path.resolve().relative_to(TESTS).parts[0]
        except ValueError:  # collected from elsewhere (a path given on the command line)
            continue
        if folder not in TIERS:
            raise pytest.UsageError(f"tests/{folder} has no tier: add it to TIERS in {__file__}")
        if TIERS[folder]:
            item.add_marker(TIERS[folder])
            item.add_marker("slow")


def _isolate(mp: pytest.MonkeyPatch, home: Path) -> None:
    mp.setenv("XDG_CACHE_HOME", str(home / "cache"))
    mp.setenv("XDG_DATA_HOME", str(home / "data"))
    mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for var in ("SINOREAD_CORPUS", "SINOREAD_CONFIG", "SINOREAD_INDEX", "SINOREAD_NOTES",
                "NO_COLOR"):
        mp.delenv(var, raising=False)


@pytest.fixture(scope="session", autouse=True)
def _isolated_session(tmp_path_factory: pytest.TempPathFactory):
    """Session fixtures (the config, the shared index) are set up before any test's own
    isolation: they get a home of their own too."""
    with pytest.MonkeyPatch.context() as mp:
        _isolate(mp, tmp_path_factory.mktemp("session-home"))
        yield


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    _isolate(monkeypatch, tmp_path_factory.mktemp("home"))


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
    """The seeds indexed for this test alone: for tests that write the index."""
    index = Index(tmp_path / "index", SEEDS, cfg)
    index.update(workers=1)
    return index


@pytest.fixture(scope="session")
def built_seeds(tmp_path_factory: pytest.TempPathFactory, cfg) -> Path:
    """The folder of an index of the seeds, built once per session. Use it through
    `shared_seeds_index` or `seeds_app`, which fail a test that writes into it."""
    root = tmp_path_factory.mktemp("shared-seeds") / "index"
    Index(root, SEEDS, cfg).update(workers=1)
    return root


@pytest.fixture
def shared_seeds_index(built_seeds: Path, cfg) -> Index:
    """The session's index of the seeds, for a test that only reads it (search, pairs, the
    workbench). Anything written into it fails the test."""
    before = folder_state(built_seeds)
    yield Index(built_seeds, SEEDS, cfg)
    assert folder_state(built_seeds) == before, "a test wrote into the shared index of the seeds"


@pytest.fixture
def app_factory(tmp_path: Path):
    """`app_factory(corpus=, config=, index_dir=)`: a reader (not started) over a private index
    in this test's folder unless `index_dir` is given."""

    def build(corpus: Path = SEEDS, config: Path | None = None, index_dir: Path | None = None):
        from sinoread.tui.app import make_app

        return make_app(Index(index_dir or tmp_path / "index", corpus, load_config(config)))

    return build
