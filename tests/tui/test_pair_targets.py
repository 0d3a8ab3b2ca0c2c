"""A pair reaches the reader as two names, from the pair screen and from the entity panel."""

from __future__ import annotations

from sinoread.tui.widgets.entity_panel import EntityPanel
from sinoread.tui.widgets.reader import ArticleReader
from tests.helpers import ready


async def test_a_pair_chosen_in_the_panel_walks_its_sentences(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        panel = app.main_screen.query_one(EntityPanel)
        reader = app.main_screen.query_one(ArticleReader)
        assert reader.analysis is not None and reader.analysis.pairs
        pair_ids = [i for i in range(panel.option_count) if (panel.get_option_at_index(i).id or "").startswith("pair:")]
        assert pair_ids
        panel.focus()
        panel.highlighted = pair_ids[0]
        await pilot.press("enter")
        await pilot.pause()
        a, b = sorted(reader.analysis.pairs, key=lambda p: -len(p.sentences))[0].countries
        assert reader.target_label == f"pair {a} – {b}"
        assert reader.targets and all(a in s.countries and b in s.countries for s in reader.targets)
