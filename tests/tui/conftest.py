"""Pilot fixtures: an app over a private copy of the seeds and a private index."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinoread.config import load_config
from sinoread.index import Index
from sinoread.tui.app import SinoreadApp, make_app
from tests.conftest import SEEDS


@pytest.fixture
def app_factory(tmp_path: Path):
    def build(corpus: Path = SEEDS, config: Path | None = None, index_dir: Path | None = None) -> SinoreadApp:
        cfg = load_config(config)
        return make_app(Index(index_dir or tmp_path / "index", corpus, cfg))

    return build


async def ready(pilot) -> None:
    """Wait until the index worker, any search worker and the screen have settled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
