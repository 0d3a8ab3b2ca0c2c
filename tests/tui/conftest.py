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
    from textual.worker import WorkerCancelled

    from sinoread.tui.widgets.reader import ArticleReader

    app = pilot.app
    for _ in range(3):
        # every worker but the corpus watcher, which runs as long as the app (an empty list
        # would make Textual wait for all of them)
        pending = [w for w in app.workers if w.group != "watch" and not w.is_finished]
        if pending:
            try:
                await app.workers.wait_for_complete(pending)
            except WorkerCancelled:  # an exclusive worker replaced by a newer one
                pass
        await pilot.pause()
    for _ in range(100):  # the first article opens after a refresh; slow machines need longer
        if not app.rows or app.main_screen.query_one(ArticleReader).article is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
