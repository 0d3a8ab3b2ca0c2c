"""Pilot fixtures. `app_factory` (tests/conftest.py) gives a reader its own index, built by the
app as it starts; `seeds_app` opens the session's index of the seeds, already built, for the
many tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import folder_state


@pytest.fixture
def seeds_app(app_factory, built_seeds: Path):
    """`seeds_app()`: a reader on the seeds over the index built once per session (a warm
    start). For tests that neither write the index nor change the config; notes and stars go
    to the test's own data folder. A test that writes into the index fails."""
    before = folder_state(built_seeds)
    yield lambda: app_factory(index_dir=built_seeds)
    assert folder_state(built_seeds) == before, "an app test wrote into the shared seeds index"
